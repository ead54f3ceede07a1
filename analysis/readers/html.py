"""HTML pages: the article's main text, title and date via trafilatura (boilerplate-aware
extraction; never regular expressions over markup)."""
from __future__ import annotations

import json

from analysis.model import Article, ReadError
from analysis.readers.common import build_article


def parse_html_article(content: str, *, article_id: str, origin: str) -> Article | ReadError:
    """One article from an HTML page; ReadError when no main text can be found."""
    import trafilatura  # heavy (lxml, htmldate): imported only when a page is read

    extracted = trafilatura.extract(content, output_format="json", with_metadata=True,
                                    include_comments=False, include_tables=False)
    name = origin.replace("\\", "/").rsplit("/", 1)[-1]
    if not extracted:
        return ReadError(origin, f"{name}: no article text found in this HTML page")
    fields = json.loads(extracted)
    text = (fields.get("text") or "").strip()
    title = (fields.get("title") or "").strip()
    if not text and not title:
        return ReadError(origin, f"{name}: no article text found in this HTML page")
    first_line, _, rest = text.partition("\n")
    if title and first_line.strip() == title:
        text = rest.strip()  # the <h1> repeats the title; Article.text is the body without it
    return build_article(
        id=article_id, title=title, text=text, origin=origin, date=fields.get("date"),
        date_source="field", source=fields.get("source-hostname") or fields.get("hostname"),
        url=fields.get("url") or fields.get("source"),
        warnings=[] if text else ["no body text (title only)"],
    )
