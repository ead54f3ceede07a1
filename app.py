"""Faultline dashboard: the frame only (page config, shared sidebar filters, navigation).

Run with `make run` or `streamlit run app.py`; every page lives in components/pages/.
"""
from __future__ import annotations

import streamlit as st

from components import data
from components.filters import sidebar_filters

st.set_page_config(page_title="Faultline", layout="wide", initial_sidebar_state="expanded")

# No page icons: emoji need a font many Linux machines lack, and material icons load from the network.
PAGES = [
    st.Page("components/pages/overview.py", title="Overview", default=True),
    st.Page("components/pages/pair_explorer.py", title="Pair explorer", url_path="pair"),
    st.Page("components/pages/matrix.py", title="Matrix & network", url_path="matrix"),
    st.Page("components/pages/country.py", title="Country profile", url_path="country"),
    st.Page("components/pages/articles.py", title="Articles", url_path="articles"),
    st.Page("components/pages/data_page.py", title="Data", url_path="data"),
    st.Page("components/pages/method.py", title="Method", url_path="method"),
]
page = st.navigation(PAGES)

st.sidebar.caption("Faultline: tension between country pairs, from news text.")
options = data.filter_options()
sidebar_filters(options.bounds, options.countries, options.pairs, options.categories, options.sources,
                country_label=data.country_labeller())
page.run()
