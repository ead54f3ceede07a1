"""Articles: a searchable, filterable table with per-article scores; select a row to read the article."""
from __future__ import annotations

import streamlit as st

from components import data
from components.article_view import render_article
from components.filters import current_filters

st.title("Articles")
filters = current_filters()
PAGE_SIZE = 50

with data.page_guard("articles"):
    if not data.has_store():
        st.info(data.NO_STORE_MESSAGE)
        st.stop()
    search_col, page_col = st.columns([3, 1])
    search = search_col.text_input("Search titles and text", key="article_search",
                                   placeholder="e.g. sanctions, Kyiv")
    _, total = data.articles(filters, search, limit=1)
    pages = max(1, -(-total // PAGE_SIZE))
    page_no = page_col.number_input(f"Page (of {pages})", 1, pages, 1, key="article_page")
    table, total = data.articles(filters, search, limit=PAGE_SIZE, offset=(int(page_no) - 1) * PAGE_SIZE)
    st.caption(f"{total:,} article(s) · {filters.describe()}")
    if filters.categories:
        st.caption("The keyword-categories filter does not narrow this list (its sources filter does); it "
                   "narrows the tension series, the evidence sentences and the category charts.")
    if table.empty:
        st.info("No article matches. Try another search term or clear filters in the sidebar.")
        st.stop()
    event = st.dataframe(table, hide_index=True, width="stretch", height=320, on_select="rerun",
                         selection_mode="single-row", key="article_table",
                         column_config=data.ARTICLE_COLUMNS, column_order=list(data.ARTICLE_COLUMNS))
    rows = event.selection.rows if event else []
    if not rows:
        st.caption("Select a row to see the article's sentences, actors, keywords and what cleaning removed.")
    else:
        detail = data.article_detail(str(table.iloc[rows[0]]["id"]))
        if detail is None:
            st.warning("This article is no longer in the store (the store changed since the table was drawn).")
        else:
            render_article(detail)
