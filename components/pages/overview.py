"""Overview: KPIs, tension over time, top pairs by tension and by rise against baseline, new anomalies."""
from __future__ import annotations

import streamlit as st

from analysis import charts
from components import data
from components.chart_view import show_chart
from components.filters import current_filters

st.title("Overview")
filters = current_filters()

with data.page_guard("overview"):
    stats = data.stats()
    if stats is None:
        st.info(data.NO_STORE_MESSAGE)
        st.stop()
    st.caption(filters.describe())
    data.note_narrowing(filters, "The corpus counts below count every article.")
    data.kpi_row(stats)
    series = data.pair_series(filters)
    if series.empty:
        st.info("No pair signals match these filters. Widen the date range or clear some filters in the sidebar.")
        st.stop()
    show_chart(charts.tension_overview_figure(series), "overview-tension", filters, key="overview_tension",
               data=series)
    left, right = st.columns(2)
    by_tension = data.top_pairs(filters, by="tension")
    by_rise = data.top_pairs(filters, by="anomaly")
    with left:
        fig = charts.top_pairs_figure(by_tension, series, value="tension", title="Tensest pairs")
        event = show_chart(fig, "top-pairs-tension", filters, key="top_tension", data=by_tension,
                           on_select="rerun", selection_mode=("points",))
        data.open_selected_pair(event)
    with right:
        fig = charts.top_pairs_figure(by_rise, series, value="anomaly",
                                      title="Largest rise against baseline")
        event = show_chart(fig, "top-pairs-rise", filters, key="top_rise", data=by_rise,
                           on_select="rerun", selection_mode=("points",))
        data.open_selected_pair(event)
    st.caption("Click a bar to open that pair in the Pair explorer.")
    st.subheader("New anomalies since the last ingest")
    fresh = data.anomalies_since_last_ingest(filters)
    if fresh.empty:
        st.caption("None: no pair rose well above its baseline in the data the last ingest added.")
    else:
        st.dataframe(fresh, hide_index=True, width="stretch", column_config=data.SCORE_COLUMNS)
