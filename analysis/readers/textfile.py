"""Plain-text and Markdown articles: optional metadata header lines, then a headline, then the body.

    date 2025-07-10 Rubio to meet Russia’s Lavrov in Malaysia ...   <- date header + headline
    Title: ... / Date: ... / Source: ... / URL: ...                <- "Key: value" headers

After the headers, the first line is the headline unless it is clearly a body paragraph (long, or
more than one sentence); then the title is the body's first sentence and the body keeps it.
"""
from __future__ import annotations

import re

from analysis.dates import parse_date
from analysis.model import Article, ReadError
from analysis.readers.common import TITLE_MAX_CHARS, build_article
from analysis.sentences import split_sentences

_HEADER = re.compile(
    r"\s*(?P<key>dated|date|published|title|headline|source|url|link)\b\s*(?P<colon>:)?\s*(?P<value>.*)",
    re.IGNORECASE,
)
_KEYS = {"date": "date", "dated": "date", "published": "date", "title": "title", "headline": "title",
         "source": "source", "url": "url", "link": "url"}
_MAX_DATE_WORDS = 6


def parse_text_article(content: str, *, article_id: str, origin: str) -> Article | ReadError:
    """One article from the decoded text of a .txt/.md file; ReadError when there is no text."""
    lines = content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta: dict[str, str] = {}
    warnings: list[str] = []
    position = 0
    while position < len(lines):
        line = lines[position]
        if not line.strip():
            position += 1
            continue
        if not _read_header(line, meta):
            break
        position += 1
    body_lines = lines[position:]
    title = meta.get("title", "")
    if not title:
        title, body_lines = _headline(body_lines)
    text = "\n".join(body_lines).strip()
    if not text and not title:
        return ReadError(origin, f"{_name(origin)}: no article text (only header lines or blank)")
    if not text:
        warnings.append("no body text (title only)")
    return build_article(
        id=article_id, title=title, text=text, origin=origin, date=meta.get("date"),
        date_source="header", source=meta.get("source"), url=meta.get("url"), warnings=warnings,
    )


def _read_header(line: str, meta: dict[str, str]) -> bool:
    """Record `line` in `meta` if it is a metadata header; False when it is not one."""
    match = _HEADER.fullmatch(line)
    if not match:
        return False
    key, value, colon = _KEYS[match.group("key").lower()], match.group("value").strip(), match.group("colon")
    if key != "date":
        # "Title: ..." needs its colon: "Source of the leak was ..." is a body line.
        if not colon or key in meta:
            return False
        meta[key] = value.lstrip("# ").strip()
        return True
    day_text, rest = _split_leading_date(value)
    if day_text is None:
        if colon and "date" not in meta:
            meta["date"] = value  # build_article reports it as unparseable
            return True
        return False  # "Date palms ..." is a body line
    meta["date"] = day_text
    if rest and "title" not in meta:
        meta["title"] = rest  # "date 2025-07-10 Rubio to meet ...": the headline shares the line
    return True


def _split_leading_date(value: str) -> tuple[str | None, str]:
    """("10 July 2025", "Rubio to meet ...") for "10 July 2025 Rubio to meet ..."; (None, value) when
    the value does not start with a date."""
    words = value.split()
    for count in range(min(len(words), _MAX_DATE_WORDS), 0, -1):
        candidate = " ".join(words[:count])
        if parse_date(candidate.rstrip(",")) is not None:
            return candidate.rstrip(","), " ".join(words[count:]).lstrip("-–—|: ")
    return None, value


def _headline(body_lines: list[str]) -> tuple[str, list[str]]:
    """(title, remaining body lines): the first line when it reads as a headline, else ("", all
    lines) so the title is derived from the first sentence and the body keeps it."""
    first = next((i for i, line in enumerate(body_lines) if line.strip()), None)
    if first is None:
        return "", body_lines
    candidate = body_lines[first].strip().lstrip("#").strip()
    rest = body_lines[first + 1:]
    if not any(line.strip() for line in rest):
        return "", body_lines  # a single paragraph is all body
    if len(candidate) > TITLE_MAX_CHARS or len(split_sentences(candidate)) > 1:
        return "", body_lines
    if rest[0][:1].islower():
        return "", body_lines  # a hard-wrapped paragraph continues on the next line
    return candidate, rest


def _name(origin: str) -> str:
    return origin.replace("\\", "/").rsplit("/", 1)[-1]
