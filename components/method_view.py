"""The Method page's parts: METHOD.md, the searchable lexicon and actor dictionary, the analyst's edits."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from analysis import user_edits
from components import data

METHOD_FILE = Path(__file__).resolve().parent.parent / "METHOD.md"


def render_method_text() -> None:
    """METHOD.md as written by the project (trusted text: rendered as Markdown)."""
    if not METHOD_FILE.is_file():
        st.info("METHOD.md is missing from this copy of Faultline; it documents every score and its limits.")
        return
    st.markdown(METHOD_FILE.read_text(encoding="utf-8"))


@st.cache_data(show_spinner=False, max_entries=4)
def _lexicon_table(user_version: tuple) -> pd.DataFrame:
    from analysis.lexicon import Lexicon

    user_file = user_edits.user_dir() / user_edits.LEXICON_FILE
    lexicon = Lexicon.load(user_file=user_file if user_file.is_file() else None)
    rows = [{"term": e.term, "category": e.category, "polarity": e.polarity, "weight": e.weight,
             "inflect": e.inflect, "context": " | ".join(e.context), "forms": " | ".join(e.forms),
             "note": e.note, "origin": e.origin} for e in lexicon.entries()]
    return pd.DataFrame(rows)


@st.cache_data(show_spinner=False, max_entries=2)
def lexicon_categories() -> list[str]:
    from analysis.lexicon import DEFAULT_DIR

    frame = pd.read_csv(DEFAULT_DIR / "categories.csv", comment=None)
    return [c for c in frame["category"].astype(str) if not c.startswith("#")]


def search_table(frame: pd.DataFrame, query: str, columns: list[str]) -> pd.DataFrame:
    """Rows where any of `columns` contains `query` (case-insensitive, literal)."""
    if not query.strip() or frame.empty:
        return frame
    needle = query.strip().lower()
    hit = pd.Series(False, index=frame.index)
    for column in columns:
        hit |= frame[column].astype(str).str.lower().str.contains(needle, regex=False)
    return frame[hit]


def render_lexicon() -> None:
    table = _lexicon_table(data.user_files_version())
    query = st.text_input("Search terms, categories and notes", key="lexicon_search",
                          placeholder="e.g. sanction, ASSAULT, ceasefire")
    shown = search_table(table, query, ["term", "category", "note", "forms"])
    user_rows = int(table["origin"].str.startswith(user_edits.LEXICON_FILE).sum())
    st.caption(f"{len(shown):,} of {len(table):,} terms · {user_rows} from your edits "
               f"(data/user/{user_edits.LEXICON_FILE}) · weight 0..10, Goldstein-like magnitude")
    st.dataframe(shown, hide_index=True, width="stretch", height=300,
                 column_config={"weight": st.column_config.NumberColumn(format="%.1f")})
    st.markdown("**Add a term or change a weight**")
    with st.form("lexicon_edit", clear_on_submit=False):
        left, middle, right = st.columns([2, 1, 1])
        term = left.text_input("Term (an existing term is reweighted)", key="edit_term")
        categories = lexicon_categories()
        category = middle.selectbox("Category", categories, key="edit_category")
        weight = right.number_input("Weight", 0.0, 10.0, 5.0, 0.5, key="edit_weight")
        inflect = left.selectbox("Inflect", ["none", "verb", "noun", "both"], key="edit_inflect",
                                 help="Also match inflected forms: verb (imposes, imposed…), noun (plural)")
        note = middle.text_input("Note (why)", key="edit_note")
        submitted = st.form_submit_button("Save to my lexicon")
    if submitted:
        if not term.strip():
            st.warning("Type a term first.")
        else:
            try:
                path = user_edits.save_lexicon_term(term, category, weight, inflect=inflect, note=note)
            except ValueError as error:  # LexiconError: names the row and what is wrong
                st.error(f"Not saved: {error}")
            else:
                st.success(f"Saved '{term.strip()}' ({category}, weight {weight:g}) to {path.name}. "
                           "Re-score below to see it in the charts.")
    render_rescore()


def render_actors() -> None:
    st.info("The actor dictionary is not available in this build.")


def render_rescore() -> None:
    st.markdown("**Re-score the store with your edits**")
    st.caption("Scores every stored article again with the lexicon and actor dictionary in force, "
               "then rebuilds stories and aggregates; charts show the new numbers when it finishes.")
