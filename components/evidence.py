"""Evidence lists: the sentences behind a number, with matched terms highlighted, rendered safely.

Article text is untrusted: it is never rendered as HTML, and Markdown is escaped completely (every
ASCII punctuation character gets a backslash, newlines become spaces), so `<script>`, `**bold**`,
`[link](http://x)` or `$x$` in a sentence show up as those very characters. Only the highlight markers
this module adds around matched terms are Markdown.
"""
from __future__ import annotations

import re
import string
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

HIGHLIGHT_COLOUR = "orange"  # Streamlit's :orange-background[...] stays readable on light and dark themes
_PUNCTUATION = frozenset(string.punctuation)


def escape_markdown(text: str) -> str:
    """Text that Streamlit's Markdown renders literally: backslash before every ASCII punctuation
    character (CommonMark allows escaping all of them), whitespace runs and newlines made single spaces."""
    flat = " ".join(str(text).split())
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in flat)


def highlight_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of `terms` in `text`: case-insensitive, whole words, longest
    term first so "drone assault" wins over "assault"."""
    spans: list[tuple[int, int]] = []
    for term in sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True):
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, term.split())) + r"(?!\w)", re.IGNORECASE)
        for match in pattern.finditer(text):
            start, end = match.span()
            if all(end <= s or start >= e for s, e in spans):
                spans.append((start, end))
    return sorted(spans)


def highlighted_markdown(text: str, terms: Iterable[str]) -> str:
    """`text` as fully escaped Markdown with each matched term wrapped in a bold background highlight."""
    parts: list[str] = []
    position = 0
    for start, end in highlight_spans(text, terms):
        parts.append(_escape_keep_edges(text[position:start]))
        parts.append(f":{HIGHLIGHT_COLOUR}-background[**{escape_markdown(text[start:end])}**]")
        position = end
    parts.append(_escape_keep_edges(text[position:]))
    return "".join(parts).strip()


def _escape_keep_edges(piece: str) -> str:
    """Escape a piece between highlights, keeping one space where it began or ended with whitespace."""
    if not piece:
        return ""
    lead = " " if piece[0].isspace() else ""
    trail = " " if piece[-1].isspace() and piece.strip() else ""
    body = escape_markdown(piece)
    return lead + body + trail if body else " "


def safe_link(url: str | None, label: str = "open article") -> str | None:
    """A Markdown link for an http(s) URL with an escaped label, or None for anything else
    (javascript:, data:, relative paths and empty values are never linked)."""
    if not url:
        return None
    url = str(url).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    # percent-encode anything that could close the link target early
    target = quote(url, safe=":/?#@!$&'*+,;=%~.-_")
    return f"[{escape_markdown(label)}]({target})"


def outlets_note(outlets: int | None) -> str:
    """"+N outlets" for a story told by N other outlets too; "" for a single outlet."""
    extra = int(outlets or 0) - 1
    return f"+{extra} outlet{'s' if extra != 1 else ''}" if extra > 0 else ""


def _value(row: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        value = row.get(name) if hasattr(row, "get") else getattr(row, name, None)
        if value is not None and value == value:  # skip NaN
            return value
    return default


def as_terms(value: Any) -> list[str]:
    """Matched terms from a list/tuple/array, or a string of terms separated by commas or semicolons."""
    if value is None:
        return []
    if isinstance(value, str):
        return [t.strip() for t in re.split(r"[;,|]", value) if t.strip()]
    try:
        return [str(t) for t in value if t is not None and str(t).strip()]
    except TypeError:
        return []


def render_evidence(rows: Sequence[Any] | Any, empty_message: str, limit: int = 50) -> int:
    """Draw evidence sentences (rows of a DataFrame or dicts with `text`, `keywords`, `title`, `source`,
    `date`, `url`, `sentiment`, `outlets`). Returns how many were drawn."""
    import streamlit as st

    records = rows.to_dict("records") if hasattr(rows, "to_dict") else list(rows)
    if not records:
        st.info(empty_message)
        return 0
    for row in records[:limit]:
        with st.container(border=True):
            text = str(_value(row, "text", "sentence", default=""))
            st.markdown(highlighted_markdown(text, as_terms(_value(row, "keywords", "terms"))))
            meta = [escape_markdown(str(v)) for v in (
                _value(row, "date"), _value(row, "source"), _value(row, "title")) if v]
            sentiment = _value(row, "sentiment")
            if sentiment is not None:
                meta.append(f"sentiment {float(sentiment):+.2f}")
            note = outlets_note(_value(row, "outlets", "story_outlets", "story_articles"))
            if note:
                meta.append(escape_markdown(note))
            link = safe_link(_value(row, "url"))
            if link:
                meta.append(link)
            st.caption(" · ".join(meta))
    if len(records) > limit:
        st.caption(f"Showing {limit} of {len(records)} sentences; narrow the selection to see the rest.")
    return min(len(records), limit)
