"""Data: upload files into the store, see what each ingest did, and what to distrust in the data."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from components import data

st.title("Data")

with data.page_guard("data"):
    st.subheader("Add articles")
    st.caption(f"Accepted: {', '.join('.' + t for t in data.UPLOAD_TYPES)} (e.g. .jsonl.gz), up to "
               f"{data.MAX_UPLOAD_MB} MB per file. Text files may start with header lines such as "
               "`date 2025-07-10` or `Source: ...`; CSV/JSON need a `text` (or `body`) column.")
    with st.form("upload_form", clear_on_submit=True):
        files = st.file_uploader("Files to ingest", type=list(data.UPLOAD_TYPES), accept_multiple_files=True,
                                 max_upload_size=data.MAX_UPLOAD_MB, key="upload_files")
        submitted = st.form_submit_button("Ingest files", type="primary")
    if submitted and not files:
        st.warning("Choose at least one file first.")
    elif submitted:
        bar = st.progress(0.0, text=f"Ingesting {len(files)} file(s)…")

        def advance(done: int, total: int, name: str) -> None:
            bar.progress(done / total, text=f"{done}/{total} done (last: {name})")

        st.session_state["upload_results"] = data.ingest_uploads(files, advance)
        st.rerun()  # redraw the sidebar and the counts with the new data

    results = st.session_state.get("upload_results")
    if results:
        new = sum(r.new for r in results)
        failed = [r for r in results if r.errors]
        (st.success if new else st.info)(
            f"Last upload: {len(results)} file(s), {sum(r.read for r in results)} article(s) read, "
            f"{new} new, {sum(r.duplicates for r in results)} already stored.")
        st.dataframe(pd.DataFrame([{"file": r.name, "read": r.read, "new": r.new, "duplicates": r.duplicates,
                                    "errors": len(r.errors)} for r in results]), hide_index=True)
        for result in failed:
            st.error(f"{result.name}: {len(result.errors)} problem(s)")
            st.code("\n".join(result.errors[:50]), language=None)

    totals = data.stats()
    if totals is None:
        st.info(data.NO_STORE_MESSAGE)
        st.stop()
    st.subheader("Store")
    data.kpi_row(totals)
    st.caption(f"Store file: {data.db_path()}")

    st.subheader("Ingest history")
    history = data.ingest_history()
    if history.empty:
        st.caption("No ingest has run yet.")
    else:
        st.dataframe(history, hide_index=True, width="stretch",
                     column_order=["started_at", "status", "read", "new", "duplicates", "errors", "paths",
                                   "method_version", "finished_at", "run_id"])

    st.subheader("Data quality")
    quality = data.data_quality()
    cells = st.columns(5)
    cells[0].metric("Undated", quality["undated"], help="articles with no date of their own or their story's")
    cells[1].metric("Dated by story", quality["dated_by_story"], help="undated articles that took their story's date")
    cells[2].metric("No country", quality["no_country"], help="articles where no country was found")
    cells[3].metric("Duplicates skipped", quality["duplicates_skipped"], help="inputs already stored, over all ingests")
    cells[4].metric("Unreadable inputs", quality["read_errors"], help="files or lines no reader could read")
    st.caption(f"{quality['multi_article_stories']:,} stories hold several articles "
               f"({quality['articles_in_multi_article_stories']:,} articles in all); "
               f"{quality['no_pair']:,} articles form no country pair.")
    left, right = st.columns(2)
    with left:
        st.markdown("**Warnings**")
        if quality["warnings"].empty:
            st.caption("No article carries a warning.")
        else:
            st.dataframe(quality["warnings"], hide_index=True, width="stretch")
    with right:
        st.markdown("**Undated examples**")
        if quality["undated_examples"].empty:
            st.caption("Every article has a date.")
        else:
            st.dataframe(quality["undated_examples"], hide_index=True, width="stretch")
