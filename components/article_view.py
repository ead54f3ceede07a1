"""One article, sentence by sentence: actors, venues, keywords, sentiment, and what cleaning removed.

Everything from the article is shown as data (st.dataframe) or fully escaped Markdown, never as HTML.
"""
from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from components.evidence import escape_markdown, outlets_note, safe_link


def keyword_label(match: dict) -> str:
    """"drone assault (ASSAULT, act, ×1.0 → 9.0)" from one stored keyword match."""
    weight = float(match.get("weight") or 0.0)
    factor = float(match.get("factor") if match.get("factor") is not None else 1.0)
    return (f"{match.get('term')} ({match.get('category')}, {match.get('modality', 'act')}, "
            f"×{factor:g} → {weight * factor:.1f})")


def actor_label(mention: dict) -> str:
    """"Kremlin → RUS (metonym)" from one stored actor mention."""
    return f"{mention.get('text')} → {mention.get('code')} ({mention.get('kind')})"


def sentence_table(sentences: pd.DataFrame) -> pd.DataFrame:
    """The article's sentences with their actors and keywords spelled out, one row each."""
    if sentences.empty:
        return pd.DataFrame(columns=["#", "sentence", "parties", "venues", "actors", "keywords", "sentiment"])

    def joined(values: Any, label=str) -> str:
        if values is None:
            return ""
        return "; ".join(label(v) for v in values)

    return pd.DataFrame({
        "#": sentences["idx"],
        "sentence": sentences["text"],
        "parties": [joined(v) for v in sentences["parties"]],
        "venues": [joined(v) for v in sentences["venues"]],
        "actors": [joined(v, actor_label) for v in sentences["actors"]],
        "keywords": [joined(v, keyword_label) for v in sentences["keywords"]],
        "sentiment": sentences["sentiment"],
        "escalation": sentences["escalation"],
        "cooperation": sentences["cooperation"],
    })


def render_article(detail: dict) -> None:
    """Draw one article from queries.article_detail."""
    st.markdown("#### " + escape_markdown(detail.get("title") or "(no title)"))
    date = detail.get("date")
    date_text = pd.Timestamp(date).strftime("%Y-%m-%d") if date is not None and not pd.isna(date) else "undated"
    meta = [escape_markdown(date_text + f" ({detail.get('date_source')})"),
            escape_markdown(str(detail.get("source") or "unknown source"))]
    story = detail.get("story")
    if isinstance(story, pd.DataFrame) and len(story) > 1:
        meta.append(escape_markdown(outlets_note(len(story)) + " in this story"))
    link = safe_link(detail.get("url"))
    if link:
        meta.append(link)
    st.caption(" · ".join(meta))
    cells = st.columns(4)
    cells[0].metric("Tension", f"{float(detail.get('tension') or 0):.0f}")
    cells[1].metric("Sentiment", f"{float(detail.get('sentiment') or 0):+.2f}")
    cells[2].metric("Escalation", f"{float(detail.get('escalation') or 0):.1f}")
    cells[3].metric("Cooperation", f"{float(detail.get('cooperation') or 0):.1f}")
    for label, key in (("Countries", "countries"), ("Mentioned in passing", "mentions"), ("Venues", "venues")):
        values = detail.get(key)
        if values is not None and len(values):
            st.text(f"{label}: {', '.join(map(str, values))}")
    st.markdown("**Sentences**")
    st.dataframe(sentence_table(detail.get("sentences", pd.DataFrame())), hide_index=True, width="stretch",
                 column_config={"sentence": st.column_config.TextColumn(width="large"),
                                "sentiment": st.column_config.NumberColumn(format="%+.2f")})
    pairs = detail.get("pairs")
    if isinstance(pairs, pd.DataFrame) and not pairs.empty:
        st.markdown("**Pair signals**")
        st.dataframe(pairs, hide_index=True, width="stretch")
    removed = detail.get("removed") or []
    st.markdown("**Removed by cleaning**")
    if removed:
        st.dataframe(pd.DataFrame(removed), hide_index=True, width="stretch")
    else:
        st.caption("Nothing: the text was kept whole.")
    if isinstance(story, pd.DataFrame) and len(story) > 1:
        st.markdown("**Same story from other outlets**")
        st.dataframe(story, hide_index=True, width="stretch")
