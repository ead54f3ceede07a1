"""Drawing a figure on a page: one place for the modebar download settings and the export controls."""
from __future__ import annotations

import re
from typing import Any

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.filters import Filters

DOWNLOAD_SCALE = 2  # 2x pixels: sharp on slides and retina screens


def export_filename(name: str, filters: Filters) -> str:
    """A file name that says what the chart is and for which period, e.g.
    "faultline-pair-timeline-RUS-UKR-2022-01-01-to-2022-06-30" (no extension: plotly adds it)."""
    parts = ["faultline", name]
    if filters.since or filters.until:
        parts.append(f"{filters.since or 'start'}-to-{filters.until or 'end'}")
    return re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join(str(p) for p in parts)).strip("-")


def chart_config(name: str, filters: Filters) -> dict[str, Any]:
    """Plotly config for st.plotly_chart: PNG download at scale 2 with a descriptive file name."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": export_filename(name, filters),
                                 "scale": DOWNLOAD_SCALE},
        "modeBarButtonsToRemove": ["lasso2d"],
    }


def show_chart(fig: go.Figure, name: str, filters: Filters, key: str, data: pd.DataFrame | None = None,
               pairs: Sequence[str] | None = None, focus: str | None = None, **kwargs: Any) -> Any:
    """Draw `fig` with the shared modebar settings and, when `data` (exactly the rows the chart was
    drawn from) is given, the export control under it (components.export: PNG/SVG/PDF with provenance,
    or CSV). `pairs`/`focus` feed the export's footer and subtitle. Extra kwargs go to st.plotly_chart
    (e.g. on_select). Returns what st.plotly_chart returns (the selection state when on_select is set)."""
    event = st.plotly_chart(fig, key=key, config=chart_config(name, filters), **kwargs)
    if data is not None and not data.empty:
        from components.export import export_control

        export_control(fig, data, name, filters, key=f"{key}_export", pairs=pairs, focus=focus)
    return event
