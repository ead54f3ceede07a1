"""Provenance of an export: which articles, stories and sources back the data shown, over which days,
by which method version, and the attribution their sources' licences ask for.

Attribution is data (data/attribution.csv: source, licence, attribution), not code, and it is
chosen from the sources actually behind the data: an export of a period with no WCEP summary does not
carry the WCEP credit, and one that quotes an unlisted outlet names it.
"""
from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

ATTRIBUTION_FILE = Path(__file__).resolve().parent.parent / "data" / "attribution.csv"
_ATTRIBUTION_COLUMNS = ("source", "licence", "attribution")


@dataclass(frozen=True)
class Attribution:
    """What a source's licence asks an export to say (data/attribution.csv, one row per source)."""

    source: str
    licence: str
    attribution: str


def load_attributions(path: str | os.PathLike = ATTRIBUTION_FILE) -> dict[str, Attribution]:
    """data/attribution.csv -> {source name in lower case: Attribution}.

    Raises ValueError naming the file and line when a column or a value is missing.
    """
    path = Path(path)
    if not path.exists():
        return {}
    found: dict[str, Attribution] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in _ATTRIBUTION_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}; "
                             f"expected {', '.join(_ATTRIBUTION_COLUMNS)}")
        for line, row in enumerate(reader, start=2):
            values = {c: (row.get(c) or "").strip() for c in _ATTRIBUTION_COLUMNS}
            empty = [c for c in ("source", "attribution") if not values[c]]
            if empty:
                raise ValueError(f"line {line} of {path}: empty {', '.join(empty)}")
            found[values["source"].lower()] = Attribution(**values)
    return found


def attribution_lines(sources: Iterable[str | None], attributions: dict[str, Attribution] | None = None,
                      max_named: int = 6) -> tuple[str, ...]:
    """The attribution sentences for the sources actually shown, one per licensed source, then one
    line naming the other sources (at most `max_named`, then "and N more")."""
    attributions = load_attributions() if attributions is None else attributions
    licensed: list[str] = []
    others: list[str] = []
    sources = list(sources)
    for source in sorted({s for s in sources if s}, key=str.lower):
        known = attributions.get(source.lower())
        if known and known.attribution not in licensed:
            licensed.append(known.attribution)
        elif not known:
            others.append(source)
    unnamed = any(not s for s in sources)
    if others or unnamed:
        named = others[:max_named]
        more = len(others) - len(named)
        text = "Other sources: " + ", ".join(named) if named else "Other sources:"
        if more:
            text += f" and {more} more"
        if unnamed:
            text += (", " if named else " ") + "articles without a named source"
        licensed.append(text + ".")
    return tuple(licensed)


@dataclass(frozen=True)
class Provenance:
    """What backs an export: articles, stories and sources in its window, the method version."""

    articles: int
    stories: int
    sources: tuple[str, ...]
    first_date: str | None
    last_date: str | None
    method_versions: tuple[str, ...]
    attribution: tuple[str, ...] = ()

    def summary(self) -> str:
        """E.g. "412 articles · 377 stories · 3 sources · 2022-01-03 to 2022-06-28 · method 1.0.0"."""
        from analysis import METHOD_VERSION

        versions = ", ".join(self.method_versions) or METHOD_VERSION
        span = f"{self.first_date} to {self.last_date}" if self.first_date else "no dated articles"
        return (f"{self.articles} article{'s' * (self.articles != 1)} · {self.stories} "
                f"stor{'ies' if self.stories != 1 else 'y'} · {len(self.sources)} "
                f"source{'s' * (len(self.sources) != 1)} · {span} · Faultline method {versions}")

    def footer_lines(self, generated: date) -> tuple[str, ...]:
        """The footer of an image: the summary with the generation date, then the attributions."""
        return (f"{self.summary()} · generated {generated.isoformat()}", *self.attribution)


def as_date(value: object) -> date | None:
    """A date from a date, datetime, pandas Timestamp or "YYYY-MM-DD..." text; None for empty."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if hasattr(value, "date") and callable(value.date):  # pandas Timestamp
        return value.date()
    return date.fromisoformat(str(value)[:10])


def data_window(since: object, until: object, freq: str = "M") -> tuple[date | None, date | None]:
    """The days whose articles feed the periods a query with [since, until] returns.

    The store keeps periods whose first day lies in [since, until], so the window starts at the first
    period starting on or after `since` and ends on the last day of the period holding `until`.
    """
    from analysis.queries import period_bounds

    first, last = as_date(since), as_date(until)
    if first is not None:
        start, _ = period_bounds(first, freq)
        if start < first:
            _, end = period_bounds(first, freq)
            first = date.fromordinal(end.toordinal() + 1)
    if last is not None:
        _, last = period_bounds(last, freq)
    return first, last


def frame_window(frame: pd.DataFrame, freq: str, since: object = None,
                 until: object = None) -> tuple[date | None, date | None]:
    """The article days behind a chart's rows: from its first period's start to its last period's
    end when it has a `date` column, else the query window of [since, until]."""
    from analysis.queries import period_bounds

    if "date" in frame.columns and not frame.empty:
        days = [as_date(value) for value in frame["date"] if value is not None]
        days = [day for day in days if day is not None]
        if days:
            return min(days), period_bounds(max(days), freq)[1]
    return data_window(since, until, freq)


def dated_between(first, last, params: list) -> tuple[list[str], list]:
    """SQL clauses (on articles `a`) for dated articles between `first` and `last` (None:
    unbounded), appending their values to `params`."""
    clauses = ["a.date IS NOT NULL"]
    for clause, value in (("a.date >= ?", first), ("a.date <= ?", last)):
        if value:
            clauses.append(clause)
            params.append(value)
    return clauses, params


def provenance_for(db: str | os.PathLike | None, pairs: Iterable[str], first: date | None,
                   last: date | None, attributions: dict[str, Attribution] | None = None, *,
                   sources: Iterable[str] = (), categories: Iterable[str] = ()) -> Provenance:
    """Count the dated articles, stories and sources with a signal for any of `pairs` between the
    days `first` and `last` (None: unbounded), with the attribution their sources need.

    With `sources` and/or `categories` the count is narrowed the way the dashboard narrows its
    series (analysis.filtered_periods): only articles from those outlets, and only signals holding
    one of the pair's own terms matched under a chosen category, so a narrowed chart's footer counts
    what the chart shows."""
    from analysis.store import read_frame

    wanted = sorted({str(p) for p in pairs if p})
    if not wanted:
        return Provenance(0, 0, (), None, None, (), ())
    chosen_sources = sorted({str(s) for s in sources if s})
    chosen_categories = sorted({str(c).upper() for c in categories if c})
    signals = "SELECT article_id FROM pair_signals WHERE list_contains(?, pair)"
    params: list = [wanted]
    if chosen_categories:
        # The same test as the narrowed series, so a narrowed chart's footer counts what it shows.
        from analysis.filtered_periods import category_signals_sql

        signals = (f"SELECT article_id FROM ({category_signals_sql(chosen_categories)}) "
                   "WHERE list_contains(?, pair)")
    clauses, params = dated_between(first, last, params)
    if chosen_sources:
        clauses.append("list_contains(?, a.source)")
        params.append(chosen_sources)
    frame = read_frame(db, f"""
        SELECT count(*) AS articles, count(DISTINCT a.story_id) AS stories,
               min(a.date) AS first_date, max(a.date) AS last_date,
               list(DISTINCT a.source ORDER BY a.source) AS sources,
               count(*) FILTER (WHERE a.source IS NULL) AS unnamed,
               list(DISTINCT a.method_version ORDER BY a.method_version) AS versions
        FROM articles a
        WHERE a.id IN ({signals})
          AND {' AND '.join(clauses)}""", params)
    row = frame.iloc[0]
    sources = tuple(str(s) for s in _listed(row["sources"]) if s)
    shown: list[str | None] = list(sources) + ([None] if int(row["unnamed"]) else [])
    first_seen, last_seen = as_date(row["first_date"]), as_date(row["last_date"])
    return Provenance(
        articles=int(row["articles"]), stories=int(row["stories"]), sources=sources,
        first_date=first_seen.isoformat() if first_seen else None,
        last_date=last_seen.isoformat() if last_seen else None,
        method_versions=tuple(str(v) for v in _listed(row["versions"]) if v),
        attribution=attribution_lines(shown, attributions) if int(row["articles"]) else ())


def _listed(value: object) -> list:
    """A DuckDB list aggregate's value as a Python list: NULL (no rows matched) comes back from
    pandas as None or pd.NA, which is not iterable."""
    try:
        return list(value)
    except TypeError:
        return []
