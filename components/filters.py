"""The dashboard's filters: one frozen dataclass that round-trips through the URL's query parameters.

`Filters.from_query_params(...)` and `Filters.to_query_params()` are pure (testable without
Streamlit); `sidebar_filters(...)` draws the shared sidebar widgets and keeps the URL in step, so a
copied link opens the same view.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any, Literal

CountBy = Literal["stories", "articles"]
Freq = Literal["D", "W", "M"]
COUNT_BY_OPTIONS: tuple[str, ...] = ("stories", "articles")
FREQ_LABELS: dict[str, str] = {"D": "day", "W": "week", "M": "month"}

_ISO3 = re.compile(r"^[A-Z]{3}$")
_PAIR = re.compile(r"^([A-Z]{3})-([A-Z]{3})$")


def normalise_pair(text: str | None) -> str | None:
    """"ukr-rus" -> "RUS-UKR" (codes sorted, upper case); None for anything that is not two ISO3 codes."""
    if not text:
        return None
    match = _PAIR.match(text.strip().upper())
    if not match or match.group(1) == match.group(2):
        return None
    return "-".join(sorted(match.groups()))


def _iso3(text: str) -> str | None:
    code = text.strip().upper()
    return code if _ISO3.match(code) else None


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text else None
    except ValueError:  # a hand-edited URL with a bad date falls back to "no bound"
        return None


@dataclass(frozen=True)
class Filters:
    """What the analyst is looking at. Empty tuples mean "no restriction".

    `pair` and `country` are the focus of the Pair explorer and the Country profile pages; they live
    here so that one link carries the whole view.
    """

    since: date | None = None
    until: date | None = None
    countries: tuple[str, ...] = ()
    pairs: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    count_by: CountBy = "stories"
    freq: Freq = "M"
    pair: str | None = None
    country: str | None = None

    def to_query_params(self) -> dict[str, str | list[str]]:
        """Only the fields that differ from the defaults, so the URL stays short and readable."""
        out: dict[str, str | list[str]] = {}
        default = Filters()
        for f in fields(self):
            value = getattr(self, f.name)
            if value == getattr(default, f.name):
                continue
            if isinstance(value, date):
                out[f.name] = value.isoformat()
            elif isinstance(value, tuple):
                out[f.name] = list(value)
            else:
                out[f.name] = str(value)
        return out

    @classmethod
    def from_query_params(cls, params: Mapping[str, Any]) -> Filters:
        """Read filters from query parameters (a `st.query_params` or a dict of str / list of str).

        Values that cannot be understood are dropped rather than raising: a hand-edited link still opens.
        """
        def all_values(key: str, split_commas: bool = True) -> list[str]:
            if hasattr(params, "get_all"):
                raw = params.get_all(key)
            else:
                raw = params.get(key, [])
                raw = [raw] if isinstance(raw, str) else list(raw)
            # codes may come comma-separated from a hand-written link; free text (sources) may hold commas
            parts = [p for v in raw for p in (str(v).split(",") if split_commas else [str(v)])]
            return [p.strip() for p in parts if p.strip()]

        def first(key: str) -> str | None:
            values = all_values(key)
            return values[0] if values else None

        def unique(values: Sequence[str | None]) -> tuple[str, ...]:
            return tuple(dict.fromkeys(v for v in values if v))

        count_by = first("count_by")
        freq = (first("freq") or "").upper()
        since, until = _parse_date(first("since")), _parse_date(first("until"))
        if since and until and since > until:
            since, until = until, since
        return cls(
            since=since,
            until=until,
            countries=unique([_iso3(v) for v in all_values("countries")]),
            pairs=unique([normalise_pair(v) for v in all_values("pairs")]),
            categories=unique([v.upper() for v in all_values("categories")]),
            sources=unique(all_values("sources", split_commas=False)),
            count_by=count_by if count_by in COUNT_BY_OPTIONS else "stories",  # type: ignore[arg-type]
            freq=freq if freq in FREQ_LABELS else "M",  # type: ignore[arg-type]
            pair=normalise_pair(first("pair")),
            country=_iso3(first("country") or ""),
        )

    def with_changes(self, **changes: Any) -> Filters:
        """A copy with some fields replaced (the dataclass is frozen)."""
        return replace(self, **changes)

    def describe(self) -> str:
        """One line for captions and export subtitles, e.g. "2022-01-01 to 2022-12-31 · by stories"."""
        span = f"{self.since or 'start'} to {self.until or 'end'}"
        parts = [span, f"by {self.count_by}", f"per {FREQ_LABELS[self.freq]}"]
        for label, values in (("countries", self.countries), ("pairs", self.pairs),
                              ("categories", self.categories), ("sources", self.sources)):
            if values:
                parts.append(f"{label}: {', '.join(values)}")
        return " · ".join(parts)


# ---- Streamlit side ---------------------------------------------------------------------------------
# Widget keys are the field names prefixed, so page widgets cannot collide with them.
_KEY = "filter_"
_LOADED = "_filters_loaded_from_url"


def _put_in_widgets(state: Any, filters: Filters, bounds: tuple[date, date] | None) -> None:
    """Set the sidebar widgets' session state to `filters` (open date bounds show the corpus' span)."""
    low, high = bounds if bounds else (None, None)
    state[_KEY + "since"] = filters.since or low
    state[_KEY + "until"] = filters.until or high
    for name in ("countries", "pairs", "categories", "sources"):
        state[_KEY + name] = list(getattr(filters, name))
    state[_KEY + "count_by"] = filters.count_by
    state[_KEY + "freq"] = filters.freq
    state[_KEY + "pair"] = filters.pair
    state[_KEY + "country"] = filters.country


def _seed_widgets_from_url(st: Any, from_url: Filters, bounds: tuple[date, date] | None) -> None:
    """On a session's first run, put the URL's values into the widgets' session state."""
    if st.session_state.get(_LOADED):
        return
    st.session_state[_LOADED] = True
    _put_in_widgets(st.session_state, from_url, bounds)


def current_filters() -> Filters:
    """The filters of this run, as the sidebar set them (defaults before the sidebar has run)."""
    import streamlit as st

    return st.session_state.get("filters", Filters())


def set_focus(**changes: Any) -> None:
    """Change the focus pair/country (e.g. a click on the matrix) before switching pages."""
    import streamlit as st

    for name, value in changes.items():
        st.session_state[_KEY + name] = value


def sidebar_filters(bounds: tuple[date, date] | None, countries: Sequence[str], pairs: Sequence[str],
                    categories: Sequence[str], sources: Sequence[str],
                    country_label: Any = str) -> Filters:
    """Draw the shared sidebar filters and return the resulting `Filters`; the URL is kept in step.

    `bounds` is the corpus' (first, last) date; the option lists come from the store. Values in the URL
    that are not among the options are kept as options, so a link never silently loses a filter.
    """
    import streamlit as st

    from_url = Filters.from_query_params(st.query_params)
    _seed_widgets_from_url(st, from_url, bounds)
    state = st.session_state
    sidebar = st.sidebar
    sidebar.markdown("**Filters**")
    low, high = bounds if bounds else (None, None)
    since = sidebar.date_input("From", key=_KEY + "since", min_value=low, max_value=high, value=None,
                                 format="YYYY-MM-DD")
    until = sidebar.date_input("To", key=_KEY + "until", min_value=low, max_value=high, value=None,
                                 format="YYYY-MM-DD")

    def options_with(selected_key: str, options: Sequence[str]) -> list[str]:
        return list(dict.fromkeys([*options, *(state.get(selected_key) or [])]))

    chosen_countries = sidebar.multiselect("Countries", options_with(_KEY + "countries", countries),
                                           key=_KEY + "countries", format_func=country_label,
                                           placeholder="All countries")
    chosen_pairs = sidebar.multiselect("Pairs", options_with(_KEY + "pairs", pairs), key=_KEY + "pairs",
                                       placeholder="All pairs")
    chosen_categories = sidebar.multiselect("Keyword categories",
                                            options_with(_KEY + "categories", categories),
                                            key=_KEY + "categories", placeholder="All categories")
    chosen_sources = sidebar.multiselect("Sources", options_with(_KEY + "sources", sources),
                                         key=_KEY + "sources", placeholder="All sources")
    count_by = sidebar.segmented_control("Count", COUNT_BY_OPTIONS, key=_KEY + "count_by", required=True,
                                         help="Stories group near-duplicate coverage of one event; "
                                              "articles count every outlet's copy.")
    freq = sidebar.segmented_control("Period", list(FREQ_LABELS), key=_KEY + "freq", required=True,
                                     format_func=FREQ_LABELS.get)
    if since and until and since > until:
        sidebar.warning("'From' is after 'To': the two dates were swapped.")
        since, until = until, since
    filters = Filters(
        since=since if since != low else None,
        until=until if until != high else None,
        countries=tuple(chosen_countries), pairs=tuple(chosen_pairs), categories=tuple(chosen_categories),
        sources=tuple(chosen_sources), count_by=count_by or "stories", freq=freq or "M",
        pair=state.get(_KEY + "pair"), country=state.get(_KEY + "country"),
    )
    sidebar.button("Reset filters", key="filter_reset", disabled=filters == Filters(pair=filters.pair,
                                                                               country=filters.country),
                   on_click=lambda: _put_in_widgets(st.session_state, Filters(pair=filters.pair,
                                                                               country=filters.country), bounds))
    state["filters"] = filters
    wanted = filters.to_query_params()
    if Filters.from_query_params(st.query_params) != filters or set(st.query_params) != set(wanted):
        st.query_params.from_dict(wanted)
    return filters
