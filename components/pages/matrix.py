"""Matrix & network: which pairs are tense in the period; click a cell or an edge to open the pair."""
from __future__ import annotations

import streamlit as st

from analysis import charts
from components import data
from components.chart_view import show_chart
from components.filters import current_filters

st.title("Matrix & network")
filters = current_filters()

SORTS = {"attention": "most attention first", "tension": "tensest first", "code": "alphabetical"}

with data.page_guard("matrix"):
    if not data.has_store():
        st.info(data.NO_STORE_MESSAGE)
        st.stop()
    left, right = st.columns([2, 1])
    top_n = left.slider("Countries (top N by attention)", 5, 40, 15, key="matrix_top_n")
    sort = right.selectbox("Order", list(SORTS), format_func=SORTS.get, key="matrix_sort")
    summary = data.pair_summary(filters, top_n)
    if summary.empty:
        st.info("No country pairs match these filters. Widen the date range or clear filters in the sidebar.")
        st.stop()
    order = data.country_order(summary, sort)
    st.caption(filters.describe() + " · click a cell or an edge to open the pair in the Pair explorer")
    data.note_narrowing(filters)
    tab_matrix, tab_network = st.tabs(["Matrix", "Network"])
    with tab_matrix:
        event = show_chart(charts.matrix_figure(summary, order=order), "matrix", filters, key="matrix_chart",
                           data=summary, on_select="rerun", selection_mode=("points",))
        data.open_selected_pair(event)
    with tab_network:
        event = show_chart(charts.network_figure(summary), "network", filters, key="network_chart",
                           data=summary, on_select="rerun", selection_mode=("points",))
        data.open_selected_pair(event)
