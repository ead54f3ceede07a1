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
    text = METHOD_FILE.read_text(encoding="utf-8")
    lines = text.lstrip().splitlines()
    if lines and lines[0].startswith("# "):  # the page already has a title
        text = "\n".join(lines[1:])
    st.markdown(text)


@st.cache_data(show_spinner=False, max_entries=4)
def _lexicon_table(user_version: tuple) -> pd.DataFrame:
    from analysis.lexicon import Lexicon

    user_file = user_edits.user_dir() / user_edits.LEXICON_FILE
    lexicon = Lexicon.load(user_file=user_file if user_file.is_file() else None)
    rows = [{"term": e.term, "category": e.category, "polarity": e.polarity, "weight": e.weight,
             "inflect": e.inflect, "context": " | ".join(e.context), "forms": " | ".join(e.forms),
             "mutual": e.term in lexicon.mutual_terms, "note": e.note, "origin": e.origin}
            for e in lexicon.entries()]
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
               f"(data/user/{user_edits.LEXICON_FILE}) · weight 0..10, Goldstein-like magnitude · "
               "mutual: countries joined as the subject do it to each other (\"India and Pakistan "
               "clashed\"); a hostile term that is not mutual makes them one side "
               "(data/lexicon/mutual.csv)")
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
    render_rescore("lexicon")


def render_actors() -> None:
    from analysis.actors import CASE_RULES, KINDS

    actors = data.actor_dictionary()
    query = st.text_input("Search aliases, people, codes and country names", key="actor_search",
                          placeholder="e.g. Kremlin, Zelensky, Georgia, TWN")
    rows = actors.search(query, limit=500) if query.strip() else actors.entries()
    table = pd.DataFrame(rows)
    user_rows = int(table["origin"].str.contains(user_edits.ACTORS_FILE, regex=False).sum()) if len(table) else 0
    st.caption(f"{len(table):,} aliases shown · {user_rows} from your edits (data/user/{user_edits.ACTORS_FILE}) "
               "· a dated alias (a leader, a former name) counts only between its start and end")
    st.dataframe(table, hide_index=True, width="stretch", height=300)
    st.markdown("**Add an alias**")
    countries = actors.countries
    with st.form("actor_edit", clear_on_submit=False):
        left, middle, right = st.columns([2, 2, 1])
        alias = left.text_input("Alias as written in the news", key="edit_alias",
                                placeholder="e.g. Prime Minister Carney")
        code = middle.selectbox("Country", sorted(countries), key="edit_code",
                                format_func=lambda c: f"{c} · {countries[c]}")
        kind = right.selectbox("Kind", sorted(KINDS), index=sorted(KINDS).index("leader"), key="edit_kind")
        start = left.date_input("Valid from (optional)", value=None, key="edit_start", format="YYYY-MM-DD")
        end = middle.date_input("Valid until (optional)", value=None, key="edit_end", format="YYYY-MM-DD")
        case = right.selectbox("Case", sorted(CASE_RULES), index=sorted(CASE_RULES).index("title"), key="edit_case",
                               help="title: capitalised as written; exact: only as written; any: any case")
        note = st.text_input("Note (why)", key="edit_alias_note")
        submitted = st.form_submit_button("Save to my actor dictionary")
    if submitted:
        if not alias.strip():
            st.warning("Type an alias first.")
        elif start and end and start > end:
            st.warning("'Valid from' is after 'Valid until'.")
        else:
            try:
                path = user_edits.save_actor_alias(alias, code, kind, case=case,
                                                   start=start.isoformat() if start else None,
                                                   end=end.isoformat() if end else None, note=note)
            except ValueError as error:  # ActorDataError: names the row and what is wrong
                st.error(f"Not saved: {error}")
            else:
                st.success(f"Saved '{alias.strip()}' → {code} ({kind}) to {path.name}. "
                           "Re-score to see it in the charts.")
    render_rescore("actors")


def render_rescore(where: str) -> None:
    """The re-score button with a progress bar, and the top pairs before and after."""
    from analysis.rescore import rescore_store

    st.markdown("**Re-score the store with your edits**")
    st.caption("Scores every stored article again with the lexicon and actor dictionary in force (yours "
               "included), then rebuilds stories and aggregates; charts show the new numbers when it finishes. "
               "On a large store, `python -m analysis rescore` does the same on every core.")
    if not data.has_store():
        st.caption("There is no store yet: ingest data first.")
        return
    if st.button("Re-score all articles", key=f"rescore_{where}"):
        before = data.top_pairs(data.Filters(), "tension", n=15)
        bar = st.progress(0.0, text="Re-scoring…")
        summary = rescore_store(data.db_path(), data.engine(),
                                progress=lambda done, total: bar.progress(done / max(total, 1),
                                                                          text=f"{done:,}/{total:,} articles"))
        after = data.top_pairs(data.Filters(), "tension", n=15)
        st.session_state["rescore_change"] = (summary.read, data.tension_change(before, after))
        st.rerun()
    change = st.session_state.get("rescore_change")
    if change:
        count, table = change
        st.success(f"Re-scored {count:,} articles. Tension of the top pairs, before and after:")
        st.dataframe(table, hide_index=True, width="stretch")
