"""Export controls for the dashboard: under a chart, download it as PNG/SVG/PDF (with title, subtitle
and provenance footer) or as the CSV of exactly the rows it was drawn from; and the briefing-pack
download buttons (PPTX and PDF) for some pairs and the filters' period.

Nothing is rendered until a download button is clicked: the button's data is a callable that
Streamlit runs on click, so a page with ten charts costs no Chromium time until someone asks.
All rendering is analysis.export / analysis.brief; this module only draws widgets.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis import export, provenance
from components.filters import Filters

log = logging.getLogger("faultline.dashboard.export")

FORMAT_LABELS: dict[str, str] = {"png": "PNG", "svg": "SVG", "pdf": "PDF", "csv": "CSV"}


def export_subtitle(filters: Filters, focus: str | None = None) -> str:
    """The subtitle of an exported chart: its focus (pair or country) and the filters in one line."""
    return " · ".join(part for part in (focus, filters.describe()) if part)


def export_file_name(name: str, filters: Filters, fmt: str) -> str:
    """E.g. "faultline-pair-timeline-RUS-UKR-2022-01-01-to-2022-06-30.png"."""
    span = f"{filters.since or 'start'}-to-{filters.until or 'end'}" if filters.since or filters.until else ""
    return export.safe_filename("faultline", name, span, suffix=fmt)


def csv_columns(data: pd.DataFrame) -> list[str]:
    """The columns a CSV export holds: a pair x period series keeps the columns of
    `python -m analysis pairs` (so the two files match for the same filters); any other table keeps
    all of its columns."""
    from analysis.queries import SERIES_COLUMNS

    if all(column in data.columns for column in SERIES_COLUMNS):
        return list(SERIES_COLUMNS)
    return [str(column) for column in data.columns]


def chart_export_bytes(fig: go.Figure, data: pd.DataFrame, fmt: str, *, title: str, subtitle: str,
                       pairs: Sequence[str], filters: Filters, width: int, height: int,
                       db: str | None = None, generated: date | None = None) -> bytes:
    """What a download delivers: the CSV of `data` (see csv_columns), or the decorated image with the
    provenance of `pairs` over the days behind `data` (or the filters' window when it has no dates)."""
    if fmt == "csv":
        return export.csv_text(data, csv_columns(data)).encode("utf-8")
    freq = filters.freq if "date" in data.columns else "M"
    first, last = provenance.frame_window(data, freq, filters.since, filters.until)
    backing = provenance.provenance_for(db, pairs, first, last, sources=filters.sources,
                                        categories=filters.categories)
    return export.export_figure(fig, fmt, title=title, subtitle=subtitle, provenance=backing,
                                width=width, height=height, generated=generated)


def _deferred(make: Callable[[], bytes], what: str) -> Callable[[], bytes]:
    """Wrap a renderer for a download button: log a failure with its details for the maintainer."""
    def run() -> bytes:
        try:
            return make()
        except Exception:
            log.exception("export failed: %s", what)
            raise
    return run


def _db() -> str:
    from components.data import db_path

    return str(db_path())


def export_control(fig: go.Figure, data: pd.DataFrame, name: str, filters: Filters, *, key: str,
                   pairs: Sequence[str] | None = None, focus: str | None = None) -> None:
    """Draw the export control for one chart: format, size preset and a download button.

    `data` is exactly what the chart was drawn from (the CSV export); `pairs` are the pairs it shows
    (default: the `pair` column of `data`), used to count the articles, stories and sources in the
    footer; `focus` (a pair or a country) leads the subtitle. `key` must be unique on the page.
    """
    if pairs is None:
        pairs = sorted(set(data["pair"].astype(str))) if "pair" in data.columns else []
    title = export.figure_title(fig) or name
    subtitle = export_subtitle(filters, focus)
    images_ok = export.image_export_available()
    with st.popover("Export", help="Download this chart as an image with its provenance, or its data as CSV"):
        formats = list(FORMAT_LABELS) if images_ok else ["csv"]
        fmt = st.radio("Format", formats, format_func=FORMAT_LABELS.get, horizontal=True,
                       key=f"{key}_export_format")
        if not images_ok:
            st.caption("Image export needs Debian's chromium (`make chromium`); CSV works without it.")
        preset = st.selectbox("Size", list(export.SIZE_PRESETS), key=f"{key}_export_size",
                              disabled=fmt == "csv", help="PNG pixels; SVG and PDF keep the same layout")
        width, height = export.SIZE_PRESETS[preset]
        db = _db()
        make = _deferred(lambda: chart_export_bytes(fig, data, fmt, title=title, subtitle=subtitle,
                                                    pairs=pairs, filters=filters, width=width,
                                                    height=height, db=db), f"{name} as {fmt}")
        st.download_button(f"Download {FORMAT_LABELS[fmt]}", data=make,
                           file_name=export_file_name(name, filters, fmt), mime=export.MEDIA_TYPES[fmt],
                           key=f"{key}_export_download", on_click="ignore", type="primary")
        st.caption("The footer says how many articles, stories and sources back the chart, the method "
                   "version and the data's attribution." if fmt != "csv" else
                   "Exactly the rows behind the chart; cells that look like formulas are escaped.")


def briefing_pack_control(filters: Filters, choices: Sequence[str], *, key: str,
                          default: Sequence[str] = (), label: Callable[[str], str] = str) -> None:
    """Pick pairs (at most analysis.brief.MAX_PAIRS) and download a briefing pack for the filters'
    period, as PPTX or PDF. `choices` are the pairs offered, `default` those preselected."""
    from analysis import brief as briefs

    default = [pair for pair in default if pair in choices][: briefs.MAX_PAIRS]
    picked = st.multiselect("Pairs for the briefing pack", list(choices), default=default,
                            max_selections=briefs.MAX_PAIRS, format_func=label, key=f"{key}_brief_pairs")
    if not picked:
        st.caption("Pick one or more pairs to download a briefing pack.")
        return
    if not export.image_export_available():
        st.caption("Briefing packs need Debian's chromium for their charts (`make chromium`).")
        return
    db = _db()
    span = f"{filters.since or 'start'}-to-{filters.until or 'end'}" if filters.since or filters.until else ""

    def make(fmt: str) -> Callable[[], bytes]:
        def build() -> bytes:
            brief = briefs.build_brief(picked, db, since=filters.since, until=filters.until,
                                       freq=filters.freq, by=filters.count_by)
            return briefs.brief_bytes(brief, fmt)
        return _deferred(build, f"briefing pack {fmt} for {', '.join(picked)}")

    left, right = st.columns(2)
    for column, fmt in ((left, "pptx"), (right, "pdf")):
        column.download_button(
            f"Briefing pack ({fmt.upper()})", data=make(fmt), mime=briefs.MEDIA_TYPES[fmt],
            file_name=export.safe_filename("faultline-brief", *picked, span, suffix=fmt),
            key=f"{key}_brief_{fmt}", on_click="ignore")
    st.caption("Title page; per pair its chart and three strongest evidence sentences with sources; "
               "method and sources with the data's attribution. Takes a few seconds per pair.")
