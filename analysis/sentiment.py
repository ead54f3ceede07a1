"""VADER sentiment at sentence level: one analyzer per process, never whole documents.

VADER saturates on long texts (a 409-word article scores -0.99 whole, -0.23 as the mean of its
sentences) and its lexicon knows none of sanctions, missile, invasion or ceasefire: it is only a
tie-breaker next to the escalation/cooperation lexicon (see analysis.lexicon.stance).
"""
from __future__ import annotations

from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


class SentimentScorer:
    """Wraps one SentimentIntensityAnalyzer (its constructor reads two lexicon files, ~7 ms)."""

    def __init__(self) -> None:
        self._analyzer = SentimentIntensityAnalyzer()

    def compound(self, sentence: str) -> float:
        """VADER compound score of one sentence, in [-1, 1]; 0.0 for empty text."""
        if not sentence or not sentence.strip():
            return 0.0
        return float(self._analyzer.polarity_scores(sentence)["compound"])


@lru_cache(maxsize=1)
def default_scorer() -> SentimentScorer:
    """The process-wide scorer, built on first use."""
    return SentimentScorer()
