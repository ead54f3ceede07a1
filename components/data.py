"""Cached access to the store for the dashboard pages.

The store is opened per query (read-only, short-lived) by `analysis.store`, so an ingest in another
process can always commit; caching a live connection with `st.cache_resource` would hold the file lock
and block every writer. What is cached instead:
- `st.cache_data` for query results, keyed by the store's path and *version* (file size and mtime,
  which change with every committed ingest) plus the query's arguments: a filter change that was seen
  before answers from memory, and new data is never hidden behind a stale cache;
- `st.cache_resource` for the things that are expensive to build and safe to share: the scoring
  pipeline (VADER analyzer, lexicon and actor automata) used by uploads and re-scoring.
"""
from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from components.filters import Filters

log = logging.getLogger("faultline.dashboard")

NO_STORE_MESSAGE = ("No data yet. Build the demo store with `make run` (or `python -m analysis demo`), "
                    "or upload files on the **Data** page.")


# ---- store location and version ---------------------------------------------------------------------

def db_path() -> Path:
    """The store file the dashboard reads: $FAULTLINE_DB or data/faultline.duckdb."""
    from analysis.store import resolve_db_path

    return resolve_db_path(None)


def store_version(path: Path | None = None) -> tuple[str, int, int] | None:
    """(path, size, mtime_ns) of the store file, or None when it does not exist yet.

    Part of every cache key: any committed write changes it, so cached results never go stale.
    """
    path = path or db_path()
    try:
        stat = path.stat()
    except OSError:
        return None
    wal = path.with_name(path.name + ".wal")
    wal_size = wal.stat().st_size if wal.exists() else 0
    return (str(path), stat.st_size + wal_size, stat.st_mtime_ns)


def has_store() -> bool:
    return store_version() is not None


# ---- errors never reach the page as tracebacks ------------------------------------------------------

@contextmanager
def page_guard(page: str) -> Iterator[None]:
    """Run a page body; an unexpected error becomes a short message on the page, details go to the log.

    Streamlit's own control flow (st.rerun, st.switch_page, st.stop) derives from BaseException and
    passes through untouched.
    """
    try:
        yield
    except Exception as error:  # noqa: BLE001 (the page must survive any bug below it)
        log.error("page %s failed: %s\n%s", page, error, traceback.format_exc())
        from analysis.store import StoreNotFound

        if isinstance(error, StoreNotFound):
            st.info(NO_STORE_MESSAGE)
        else:
            st.error(f"This page could not be drawn: {type(error).__name__}: {_first_line(error)}. "
                     "The details are in the server log; changing the filters may help.")


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:300] if text else "no details"


# ---- country names ----------------------------------------------------------------------------------

@st.cache_resource(show_spinner=False, max_entries=2)
def _actor_dictionary(user_version: tuple) -> Any:
    from analysis.actors import ActorDictionary
    from analysis.user_edits import ACTORS_FILE

    user_file = Path(user_version[0]) / ACTORS_FILE
    return ActorDictionary.load(user_file=user_file if user_file.is_file() else None)


def actor_dictionary() -> Any:
    """The actor dictionary in force (shipped files plus the analyst's data/user/actors.csv)."""
    return _actor_dictionary(user_files_version())


@st.cache_resource(show_spinner=False, max_entries=2)
def _display_names(user_version: tuple) -> dict[str, str]:
    try:
        actors = _actor_dictionary(user_version)
    except Exception:  # noqa: BLE001 (a broken user file must not break every label; the Method page says why)
        log.error("actor dictionary failed to load:\n%s", traceback.format_exc())
        return {}
    return dict(actors.countries)


def display_names() -> dict[str, str]:
    """ISO3 -> display name from the actor dictionary in force; one lookup per call, so label many codes
    with one dict (a select box of 1,500 pairs formats every option on every rerun)."""
    return _display_names(user_files_version())


def country_name(code: str) -> str:
    """"UKR" -> "Ukraine"; unknown codes (organisations) come back unchanged."""
    return display_names().get(code, code)


def country_labeller() -> Any:
    """A function "UKR" -> "UKR · Ukraine" (typing the code or the name finds it in a select box)."""
    names = display_names()
    return lambda code: f"{code} · {names[code]}" if code in names else code


def pair_labeller() -> Any:
    """A function "RUS-UKR" -> "RUS-UKR · Russia – Ukraine"."""
    names = display_names()

    def label(pair: str) -> str:
        a, _, b = pair.partition("-")
        return f"{pair} · {names.get(a, a)} – {names.get(b, b)}"
    return label


def country_label(code: str) -> str:
    return country_labeller()(code)


def pair_label(pair: str) -> str:
    return pair_labeller()(pair)


# ---- cached queries ---------------------------------------------------------------------------------
# Each cached function takes `version` (store_version()) first: the cache key changes with every
# committed ingest. Arguments are plain values (dates, tuples of str) so Streamlit can hash them; the
# cheap filters (countries, pairs) are applied outside the cache on the cached tables. Sources and
# keyword categories change the series themselves (recomputed from the selection's pair signals by
# analysis.filtered_periods), so they are part of the cache key.

_CACHE = dict(show_spinner=False, max_entries=256)
MIN_STORIES_TO_RANK = 3  # one story cannot put a pair at the top of a ranking (the store's MIN_SUPPORT)


def _iso(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Date columns as "YYYY-MM-DD" strings: what charts, selections and query params exchange."""
    out = frame.copy()
    for column in columns:
        if column in out.columns:
            out[column] = pd.to_datetime(out[column]).dt.strftime("%Y-%m-%d")
    return out


def pair_codes(pairs: pd.Series) -> tuple[pd.Series, pd.Series]:
    """("RUS", "UKR") columns from a column of "RUS-UKR" pairs (also on an empty column)."""
    parts = pairs.astype(str).str.split("-", n=1)
    return parts.str[0], parts.str[-1]


def _pair_mask(frame: pd.DataFrame, filters: Filters) -> pd.Series:
    keep = pd.Series(True, index=frame.index)
    if filters.pairs:
        keep &= frame["pair"].isin(filters.pairs)
    if filters.countries:
        first, second = pair_codes(frame["pair"])
        keep &= first.isin(filters.countries) | second.isin(filters.countries)
    return keep


@dataclass(frozen=True)
class FilterOptions:
    bounds: tuple[date, date] | None
    countries: tuple[str, ...] = ()
    pairs: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@st.cache_data(**_CACHE)
def _filter_options(version: tuple) -> FilterOptions:
    from analysis import dashboard_queries, queries

    db = version[0]
    totals = queries.stats(db)
    bounds = None
    if totals["first_date"] and totals["last_date"]:
        bounds = (date.fromisoformat(totals["first_date"]), date.fromisoformat(totals["last_date"]))
    return FilterOptions(
        bounds,
        tuple(queries.country_list(db)["country"]),
        tuple(queries.pair_list(db)["pair"]),
        tuple(dashboard_queries.stored_categories(db)),
        tuple(s for s in queries.source_list(db)["source"] if s),
    )


def filter_options() -> FilterOptions:
    """What the sidebar offers; empty options (never an error) when there is no store or it fails."""
    version = store_version()
    if version is None:
        return FilterOptions(None)
    try:
        return _filter_options(version)
    except Exception as error:  # noqa: BLE001 (the sidebar must draw even when the store is broken)
        log.error("filter options failed: %s\n%s", error, traceback.format_exc())
        return FilterOptions(None)


@st.cache_data(**_CACHE)
def _stats(version: tuple) -> dict:
    from analysis import queries

    return queries.stats(version[0])


def stats() -> dict | None:
    """Corpus counts (queries.stats), or None when there is no store yet."""
    version = store_version()
    return None if version is None else _stats(version)


@st.cache_data(**_CACHE)
def _pairs_table(version: tuple, freq: str, by: str, since: date | None, until: date | None,
                 pairs: tuple[str, ...] = (), countries: tuple[str, ...] = (), sources: tuple[str, ...] = (),
                 categories: tuple[str, ...] = ()) -> pd.DataFrame:
    from analysis import queries

    frame = queries.pairs_table(version[0], since=since, until=until, pairs=pairs, countries=countries,
                                freq=freq, by=by, sources=sources, categories=categories)
    return _iso(frame, "date")


def pair_series(filters: Filters) -> pd.DataFrame:
    """Pair x period signals under the filters (queries.pairs_table columns, `date` as text)."""
    frame = _pairs_table(store_version(), filters.freq, filters.count_by, filters.since, filters.until,
                         sources=filters.sources, categories=filters.categories)
    return frame[_pair_mask(frame, filters)].reset_index(drop=True)


def pair_timeline(filters: Filters, pair: str) -> pd.DataFrame:
    """One pair's periods under the filters' dates, frequency, counting, sources and categories."""
    return _pairs_table(store_version(), filters.freq, filters.count_by, filters.since, filters.until,
                        (pair,), sources=filters.sources, categories=filters.categories)


@st.cache_data(**_CACHE)
def _top_pairs(version: tuple, freq: str, by: str, since: date | None, until: date | None,
               sources: tuple[str, ...] = (), categories: tuple[str, ...] = ()) -> pd.DataFrame:
    from analysis import queries

    return queries.top_pairs(version[0], since=since, until=until, n=100_000, rank_by="tension", freq=freq,
                             by=by, min_stories=MIN_STORIES_TO_RANK, sources=sources, categories=categories)


def top_pairs(filters: Filters, by: str = "tension", n: int = 10) -> pd.DataFrame:
    """The `n` pairs ranked by `by` ("tension": shrunk tension over the period; "anomaly": the highest
    rise against the pair's trailing baseline) among pairs with at least 3 stories."""
    frame = _top_pairs(store_version(), filters.freq, filters.count_by, filters.since, filters.until,
                       filters.sources, filters.categories)
    # Every ranked pair is in the cached table: re-sort it as queries.top_pairs orders (value, then
    # stories, then pair) rather than query (and, when narrowed, rebuild the series) once per ranking.
    frame = frame[_pair_mask(frame, filters)].dropna(subset=[by])
    frame = frame.sort_values([by, "stories", "pair"], ascending=[False, False, True], kind="stable")
    return frame.head(n).reset_index(drop=True)


def open_selected_pair(event: Any) -> None:
    """If a chart selection names a pair (customdata[0]), open it in the Pair explorer."""
    from analysis.charts import selected_values
    from components.filters import normalise_pair, set_focus

    chosen = [p for p in selected_values(getattr(event, "selection", None) or {}) if normalise_pair(p)]
    if chosen:
        set_focus(pair=normalise_pair(chosen[0]))
        st.switch_page("components/pages/pair_explorer.py")


def pair_choices(filters: Filters) -> list[str]:
    """Pairs to offer in the explorer's picker: the filter's pairs, else every pair of the corpus
    involving the filter's countries, most stories first."""
    if filters.pairs:
        return list(filters.pairs)
    version = store_version()
    pairs = list(_filter_options(version).pairs) if version else []  # errors reach the page's guard
    if filters.countries:
        pairs = [p for p in pairs if set(p.split("-")) & set(filters.countries)]
    return pairs


@st.cache_data(**_CACHE)
def _evidence(version: tuple, pair: str, day: str, freq: str, categories: tuple[str, ...] = ()) -> pd.DataFrame:
    from analysis import dashboard_queries, queries

    frame = queries.evidence(pair, day, version[0], freq=freq, limit=200, categories=categories)
    sizes = dashboard_queries.story_sizes(version[0], tuple(frame["story_id"].dropna().unique()))
    frame["outlets"] = frame["story_id"].map(sizes).fillna(1).astype(int)
    return _iso(frame, "date")


def evidence(filters: Filters, pair: str, dates: tuple[str, ...], limit: int = 200) -> pd.DataFrame:
    """Evidence sentences of `pair` in the periods starting on `dates`, most tense articles first;
    the sidebar's sources and keyword categories filters apply."""
    version = store_version()
    parts = [_evidence(version, pair, day, filters.freq, filters.categories) for day in sorted(set(dates))]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if frame.empty:
        return frame
    if filters.sources:
        frame = frame[frame["source"].isin(filters.sources)]
    return frame.sort_values(["tension", "date"], ascending=[False, True]).head(limit).reset_index(drop=True)


@st.cache_data(**_CACHE)
def _categories(version: tuple, pair: str | None, freq: str, since: date | None,
                until: date | None, sources: tuple[str, ...] = ()) -> pd.DataFrame:
    from analysis import dashboard_queries

    return _iso(dashboard_queries.category_breakdown(version[0], pair, freq, since, until, sources), "date")


def category_breakdown(filters: Filters, pair: str | None) -> pd.DataFrame:
    """Matched keyword categories per period in `pair`'s evidence (`date`, `category`, `polarity`,
    `count`); the sidebar's sources and categories filters apply."""
    frame = _categories(store_version(), pair, filters.freq, filters.since, filters.until, filters.sources)
    if filters.categories:
        frame = frame[frame["category"].isin(filters.categories)]
    return frame.reset_index(drop=True)


@st.cache_data(**_CACHE)
def _matrix(version: tuple, since: date | None, until: date | None, top_n: int, by: str,
            sources: tuple[str, ...] = (), categories: tuple[str, ...] = ()) -> pd.DataFrame:
    from analysis import queries

    return queries.matrix(version[0], since=since, until=until, top_n=top_n, by=by, sources=sources,
                          categories=categories)


def pair_summary(filters: Filters, top_n: int) -> pd.DataFrame:
    """Per-pair summary over the period among the `top_n` countries with most stories (queries.matrix),
    counting the sidebar's sources and categories only, narrowed by its countries and pairs."""
    frame = _matrix(store_version(), filters.since, filters.until, top_n, filters.count_by, filters.sources,
                    filters.categories)
    return frame[_pair_mask(frame, filters)].reset_index(drop=True)


def country_order(summary: pd.DataFrame, sort: str) -> list[str]:
    """Countries of a pair summary ordered by total `attention`, by mean `tension`, or by `code`."""
    first, second = pair_codes(summary["pair"])
    long = pd.concat([summary.assign(country=first), summary.assign(country=second)])
    if sort == "code":
        return sorted(long["country"].unique())
    column = "tension" if sort == "tension" else "attention"
    how = "mean" if sort == "tension" else "sum"
    return list(long.groupby("country")[column].agg(how).sort_values(ascending=False).index)


def country_choices(filters: Filters) -> list[str]:
    """Countries to offer on the profile page: the filter's countries, else all, most stories first."""
    if filters.countries:
        return list(filters.countries)
    version = store_version()
    return list(_filter_options(version).countries) if version else []  # errors reach the page's guard


@dataclass(frozen=True)
class CountryProfile:
    series: pd.DataFrame  # periods of every pair involving the country
    conflictual: pd.DataFrame  # counterpart, tension, escalation, cooperation, stories
    cooperative: pd.DataFrame
    anomalies: pd.DataFrame  # date, pair, stories, articles, tension, anomaly, large_increase


@st.cache_data(**_CACHE)
def _country_profile(version: tuple, country: str, freq: str, by: str, since: date | None,
                     until: date | None, sources: tuple[str, ...] = (),
                     categories: tuple[str, ...] = ()) -> dict:
    from analysis import queries

    return queries.country_profile(country, version[0], since=since, until=until, freq=freq, by=by,
                                   sources=sources, categories=categories)


def country_profile(filters: Filters, country: str, n: int = 8) -> CountryProfile:
    """One country against its counterparts over the filters' period, sources and categories."""
    version = store_version()
    series = _pairs_table(version, filters.freq, filters.count_by, filters.since, filters.until, (),
                          (country,), filters.sources, filters.categories)
    found = _country_profile(version, country, filters.freq, filters.count_by, filters.since, filters.until,
                             filters.sources, filters.categories)
    partners = found["counterparts"].rename(columns={"partner": "counterpart"})
    ranked = partners[partners["stories"] >= MIN_STORIES_TO_RANK]
    if ranked.empty:
        ranked = partners
    columns = ["counterpart", "tension", "escalation", "cooperation", "stories"]
    conflictual = ranked.sort_values("tension", ascending=False).head(n)[columns]
    cooperative = ranked[ranked["cooperation"] > 0].sort_values(
        ["tension", "cooperation"], ascending=[True, False]).head(n)[columns]
    flagged = series[series["large_increase"].fillna(False).astype(bool) | (series["anomaly"] >= 2)]
    anomalies = flagged.sort_values("anomaly", ascending=False).head(20)[
        ["date", "pair", "stories", "articles", "tension", "anomaly", "large_increase"]]
    return CountryProfile(series, conflictual.reset_index(drop=True), cooperative.reset_index(drop=True),
                          anomalies.reset_index(drop=True))


def counterpart_table(frame: pd.DataFrame, empty_message: str) -> None:
    """A ranked counterpart table with country names; text is shown as data, never as Markdown."""
    if frame.empty:
        st.caption(empty_message)
        return
    shown = frame.assign(counterpart=frame["counterpart"].map(country_labeller()))
    st.dataframe(shown, hide_index=True, width="stretch", column_config={
        "tension": st.column_config.ProgressColumn("tension", min_value=0, max_value=100, format="%.0f"),
        "escalation": st.column_config.NumberColumn(format="%.2f"),
        "cooperation": st.column_config.NumberColumn(format="%.2f"),
    })


@st.cache_data(**_CACHE)
def _anomalies_since_last_ingest(version: tuple, freq: str, by: str, sources: tuple[str, ...] = (),
                                 categories: tuple[str, ...] = ()) -> pd.DataFrame:
    from analysis import queries

    return _iso(queries.anomalies_since_last_ingest(version[0], freq=freq, by=by, sources=sources,
                                                    categories=categories), "date")


def anomalies_since_last_ingest(filters: Filters) -> pd.DataFrame:
    """Pair periods touched by the last ingest whose anomaly is high (queries), in the filters' counting,
    sources and categories."""
    frame = _anomalies_since_last_ingest(store_version(), filters.freq, filters.count_by, filters.sources,
                                         filters.categories)
    columns = ["date", "pair", "stories", "articles", "tension", "anomaly", "large_increase", "new_articles"]
    return frame[_pair_mask(frame, filters)][columns].reset_index(drop=True)


@st.cache_data(**_CACHE)
def _articles(version: tuple, since: date | None, until: date | None, countries: tuple[str, ...],
              pairs: tuple[str, ...], sources: tuple[str, ...], search: str, limit: int,
              offset: int) -> tuple[pd.DataFrame, int]:
    from analysis import queries

    selection = dict(search=search or None, since=since, until=until, countries=countries, pairs=pairs,
                     sources=sources)
    page = queries.articles(version[0], limit=limit, offset=offset, **selection)
    page = page.assign(countries=[" ".join(c) if c is not None else "" for c in page["countries"]])
    return _iso(page, "date"), queries.article_count(version[0], **selection)


def articles(filters: Filters, search: str, limit: int = 50, offset: int = 0) -> tuple[pd.DataFrame, int]:
    """One page of articles matching the sidebar filters and a search text, and how many match."""
    return _articles(store_version(), filters.since, filters.until, filters.countries, filters.pairs,
                     filters.sources, (search or "").strip(), limit, offset)


ARTICLE_COLUMNS: dict[str, Any] = {
    "date": st.column_config.TextColumn("date", width="small"),
    "title": st.column_config.TextColumn("title", width="large"),
    "source": st.column_config.TextColumn("source", width="small"),
    "countries": st.column_config.TextColumn("countries"),
    "tension": st.column_config.ProgressColumn("tension", min_value=0, max_value=100, format="%.0f"),
    "sentiment": st.column_config.NumberColumn("sentiment", format="%+.2f"),
    "story_articles": st.column_config.NumberColumn("outlets", help="articles in the same story"),
}


@st.cache_data(**_CACHE)
def _article_detail(version: tuple, article_id: str) -> dict | None:
    from analysis import queries

    return queries.article_detail(article_id, version[0])


def article_detail(article_id: str) -> dict | None:
    """Everything stored about one article (queries.article_detail), or None."""
    return _article_detail(store_version(), article_id)


def narrowing_note(filters: Filters, not_narrowed: str = "") -> str:
    """What the sources and keyword-categories filters do to a page's series, in one or two sentences
    ("" when neither is set); `not_narrowed` names what on the page they leave alone."""
    if not (filters.sources or filters.categories):
        return ""
    chosen = []
    if filters.sources:
        chosen.append(f"articles from {', '.join(filters.sources)}")
    if filters.categories:
        chosen.append(f"pair signals with a keyword in {' or '.join(filters.categories)}")
    outlets = f"stories from {', '.join(filters.sources)}" if filters.sources else "stories"
    text = (f"Tension, attention, anomalies and rankings here are recomputed from {' and '.join(chosen)} only: "
            f"attention is a share of all {outlets}, and the shrinkage prior is the selection's own mean.")
    return f"{text} {not_narrowed}".strip()


def note_narrowing(filters: Filters, not_narrowed: str = "") -> None:
    """Say plainly, under the page's filters line, what the sources and categories filters narrow."""
    text = narrowing_note(filters, not_narrowed)
    if text:
        st.caption(text)


SCORE_COLUMNS: dict[str, Any] = {
    "tension": st.column_config.NumberColumn("tension", format="%.1f", help="0..100, shrunk toward the pair's baseline"),
    "anomaly": st.column_config.NumberColumn("anomaly", format="%.2f", help="rise against the trailing baseline"),
    "attention": st.column_config.NumberColumn("attention", format="%.3f", help="share of all stories"),
    "large_increase": st.column_config.CheckboxColumn("large increase", help=">25% above the trailing mean"),
}


def kpi_row(totals: dict) -> None:
    """Corpus counts as metrics across the page."""
    cells = st.columns(6)
    for cell, (label, key) in zip(cells, (("Articles", "articles"), ("Stories", "stories"),
                                          ("Countries", "countries"), ("Pairs", "pairs"),
                                          ("Sources", "sources"), ("Undated", "undated"))):
        cell.metric(label, f"{int(totals.get(key) or 0):,}")
    st.caption(f"Dates {totals.get('first_date') or '–'} to {totals.get('last_date') or '–'} · "
               f"last ingest {totals.get('last_ingest') or 'never'}")


@st.cache_data(**_CACHE)
def _ingest_history(version: tuple) -> pd.DataFrame:
    from analysis import queries

    frame = queries.ingest_history(version[0])
    return frame.assign(paths=[", ".join(p) if p is not None else "" for p in frame["paths"]])


def ingest_history() -> pd.DataFrame:
    return _ingest_history(store_version())


@st.cache_data(**_CACHE)
def _data_quality(version: tuple) -> dict:
    from analysis import queries

    return queries.data_quality(version[0])


def data_quality() -> dict:
    return _data_quality(store_version())


# ---- writing: uploads and re-scoring ----------------------------------------------------------------

UPLOAD_TYPES = ("txt", "md", "csv", "tsv", "jsonl", "json", "html", "htm", "zip", "gz")
MAX_UPLOAD_MB = 25  # per file; the total per request is server.maxUploadSize in .streamlit/config.toml


def user_files_version() -> tuple:
    """(folder, name, mtime_ns) of the analyst's edit files: part of the engine's cache key."""
    from analysis.user_edits import user_dir

    folder = user_dir()
    return (str(folder),) + tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.csv"))
                                  if p.is_file())


@st.cache_resource(show_spinner="Loading the dictionaries and the sentiment analyzer…", max_entries=2)
def _engine(user_version: tuple) -> Any:
    from analysis.pipeline import Engine

    return Engine.load(user_dir=Path(user_version[0]))


def engine() -> Any:
    """The scoring engine (actor dictionary, lexicon, VADER) with the analyst's edits in data/user/,
    loaded once per edit."""
    return _engine(user_files_version())


@dataclass(frozen=True)
class FileResult:
    name: str
    read: int
    new: int
    duplicates: int
    errors: tuple[str, ...]


def safe_upload_name(name: str) -> str:
    """The uploaded file's base name with anything but letters, digits, dot, dash and underscore replaced:
    it never escapes the temporary folder and keeps its extensions (".jsonl.gz") for format detection."""
    import re

    base = Path(str(name).replace("\\", "/")).name.lstrip(".") or "upload.txt"
    return re.sub(r"[^A-Za-z0-9._-]+", "_", base)[:120]


def ingest_uploads(files: list[Any], on_progress: Any = None) -> list[FileResult]:
    """Store uploaded files one by one with the same library call as `python -m analysis ingest`
    (analysis.store.ingest_paths). `on_progress(done, total, name)` is called after each file.
    A file that fails entirely becomes a FileResult with its error; the others still go in."""
    import tempfile

    from analysis.store import ingest_paths

    results: list[FileResult] = []
    with tempfile.TemporaryDirectory(prefix="faultline-upload-") as folder:
        for done, upload in enumerate(files, start=1):
            name = safe_upload_name(upload.name)
            path = Path(folder) / f"{done:03d}-{name}"
            content = upload.getvalue()
            if len(content) > MAX_UPLOAD_MB * 1024 * 1024:
                # The browser widget enforces the limit too; the server does not rely on it.
                results.append(FileResult(upload.name, 0, 0, 0, (
                    f"{upload.name}: larger than {MAX_UPLOAD_MB} MB, not stored",)))
                if on_progress:
                    on_progress(done, len(files), upload.name)
                continue
            try:
                path.write_bytes(content)
                summary = ingest_paths(db_path(), [path], workers=1, engine=engine())
                errors = tuple(e.replace(str(path), upload.name).replace(path.name, upload.name)
                               for e in summary.errors)
                results.append(FileResult(upload.name, summary.read, summary.new, summary.duplicates, errors))
            except Exception as error:  # noqa: BLE001 (one bad file must not stop the others)
                log.error("upload %s failed: %s\n%s", upload.name, error, traceback.format_exc())
                message = _first_line(error).replace(str(path), upload.name).replace(path.name, upload.name)
                results.append(FileResult(upload.name, 0, 0, 0, (f"{upload.name}: {message}",)))
            if on_progress:
                on_progress(done, len(files), upload.name)
    return results


def tension_change(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Top pairs' tension before and after a re-score, side by side, biggest change first."""
    merged = pd.merge(before[["pair", "tension", "stories"]], after[["pair", "tension", "stories"]], on="pair",
                      how="outer", suffixes=(" before", " after"))
    merged["change"] = merged["tension after"] - merged["tension before"]
    return merged.sort_values("change", key=lambda s: s.abs(), ascending=False, na_position="first")
