"""Pair explorer: one pair's tension over time; select points or a range to read the sentences behind them."""
from __future__ import annotations

import streamlit as st

from analysis import charts
from components import data
from components.chart_view import show_chart
from components.evidence import render_evidence
from components.filters import current_filters, set_focus

st.title("Pair explorer")
filters = current_filters()

with data.page_guard("pair explorer"):
    if not data.has_store():
        st.info(data.NO_STORE_MESSAGE)
        st.stop()
    choices = data.pair_choices(filters)
    if filters.pair and filters.pair not in choices:
        choices = [filters.pair, *choices]
    if not choices:
        st.info("No country pairs match these filters. Widen the date range or clear filters in the sidebar.")
        st.stop()
    pair = filters.pair or choices[0]
    st.selectbox("Pair (type either country's name or code)", choices, index=choices.index(pair),
                 format_func=data.pair_labeller(), key="pair_picker",
                 on_change=lambda: set_focus(pair=st.session_state["pair_picker"]))
    st.caption(filters.describe())
    data.note_narrowing(filters, "The briefing pack at the bottom counts every source and category.")
    timeline = data.pair_timeline(filters, pair)
    fig = charts.pair_timeline_figure(timeline, pair, count_by=filters.count_by)
    event = show_chart(fig, f"pair-timeline-{pair}", filters, key=f"timeline_{pair}", data=timeline,
                       pairs=[pair], focus=data.pair_label(pair), on_select="rerun",
                       selection_mode=("points", "box"))
    dates = charts.selected_values(getattr(event, "selection", None) or {})
    st.subheader("Evidence")
    if not dates:
        st.caption("Click a point of the tension line to list the sentences behind it; for a range, pick the "
                   "box tool in the chart's toolbar and drag across the periods.")
    else:
        shown = ", ".join(dates[:4]) + (f" and {len(dates) - 4} more" if len(dates) > 4 else "")
        st.caption(f"Sentences for {data.pair_label(pair)}, period(s) starting {shown}; matched terms highlighted.")
        render_evidence(data.evidence(filters, pair, tuple(dates)),
                        "No evidence sentences stored for this selection.")
    st.subheader("Keyword categories")
    breakdown = data.category_breakdown(filters, pair)
    show_chart(charts.category_breakdown_figure(breakdown, title=f"{pair}: keyword categories over time"),
               f"categories-{pair}", filters, key=f"categories_{pair}", data=breakdown, pairs=[pair],
               focus=data.pair_label(pair))
    with st.expander("Briefing pack (PPTX / PDF) for this period"):
        from components.export import briefing_pack_control

        briefing_pack_control(filters, choices, key="pair_brief", default=[pair], label=data.pair_labeller())
