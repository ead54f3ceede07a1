"""Country profile: one country's pairs over time, its most conflictual and cooperative counterparts."""
from __future__ import annotations

import streamlit as st

from analysis import charts
from components import data
from components.chart_view import show_chart
from components.filters import current_filters, set_focus

st.title("Country profile")
filters = current_filters()

with data.page_guard("country profile"):
    if not data.has_store():
        st.info(data.NO_STORE_MESSAGE)
        st.stop()
    choices = data.country_choices(filters)
    if not choices:
        st.info("No countries match these filters. Widen the date range or clear filters in the sidebar.")
        st.stop()
    country = filters.country or (filters.countries[0] if filters.countries else choices[0])
    if country not in choices:
        choices = [country, *choices]
    st.selectbox("Country (type its name or code)", choices, index=choices.index(country),
                 format_func=data.country_labeller(), key="country_picker",
                 on_change=lambda: set_focus(country=st.session_state["country_picker"]))
    st.caption(filters.describe())
    data.note_narrowing(filters)
    profile = data.country_profile(filters, country)
    show_chart(charts.country_profile_figure(profile.series, country), f"country-{country}", filters,
               key=f"country_{country}", data=profile.series, focus=data.country_label(country))
    left, right = st.columns(2)
    with left:
        st.subheader("Most conflictual counterparts")
        data.counterpart_table(profile.conflictual, "No conflictual counterpart in this period.")
    with right:
        st.subheader("Most cooperative counterparts")
        data.counterpart_table(profile.cooperative, "No cooperative counterpart in this period.")
    st.subheader("Anomalies")
    if profile.anomalies.empty:
        st.caption(f"No period where a pair with {data.country_name(country)} rose well above its baseline.")
    else:
        st.dataframe(profile.anomalies, hide_index=True, width="stretch", column_config=data.SCORE_COLUMNS)
