"""Hand-built ScoredArticle records for store, story and aggregate tests (no engine needed)."""
from __future__ import annotations

from analysis.model import Evidence, KeywordCount, KeywordMatch, PairSignal, ScoredArticle, ScoredSentence


def scored_article(article_id: str, text: str, *, title: str = "", date: str | None = "2024-01-01",
                   pairs: dict[str, float] | None = None, source: str = "Test Wire",
                   date_source: str = "field", url: str | None = None) -> ScoredArticle:
    """One article whose single sentence backs each pair in `pairs` (pair -> tension 0..100)."""
    pairs = pairs or {}
    parties = tuple(sorted({code for pair in pairs for code in pair.split("-")}))
    keyword = KeywordMatch(term="strike", category="ASSAULT", polarity="escalation", weight=8.0,
                           start=0, end=6)
    sentence = ScoredSentence(index=0, text=text, parties=parties, venues=(), organisations=(),
                              actors=(), keywords=(keyword,), sentiment=-0.5, escalation=8.0,
                              cooperation=0.0)
    signals = tuple(
        PairSignal(pair=pair, sentences=1, sentiment=-0.5, escalation=8.0, cooperation=0.0,
                   tension=tension, stance="conflict", keywords=("strike",),
                   evidence=(Evidence(sentence=0, text=text, keywords=("strike",), sentiment=-0.5),))
        for pair, tension in sorted(pairs.items()))
    return ScoredArticle(
        id=article_id, title=title or text[:60], date=date,
        date_source=date_source if date else "none", source=source, url=url, origin=f"test:{article_id}",
        countries=parties, mentions=(), venues=(), sentiment=-0.5, escalation=8.0, cooperation=0.0,
        tension=max(pairs.values(), default=0.0), pairs=signals,
        keywords=(KeywordCount(term="strike", category="ASSAULT", count=1),),
        sentences=(sentence,), text=text)


def distinct_text(seed: int, words: int = 14) -> str:
    """A text sharing almost no words with distinct_text(other seed): each is its own story."""
    import random

    rng = random.Random(seed)
    return " ".join(f"w{rng.randrange(100_000)}" for _ in range(words)) + "."
