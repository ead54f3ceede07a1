"""Method: how every number is computed (METHOD.md), the lexicon and the actor dictionary, searchable;
an analyst's additions saved under data/user/ and applied by re-scoring."""
from __future__ import annotations

import streamlit as st

from components import data, method_view

st.title("Method")

with data.page_guard("method"):
    tab_method, tab_lexicon, tab_actors = st.tabs(["How scores are computed", "Lexicon", "Actor dictionary"])
    with tab_method:
        method_view.render_method_text()
    with tab_lexicon:
        method_view.render_lexicon()
    with tab_actors:
        method_view.render_actors()
