"""VADER at sentence level: one analyzer, compound in [-1, 1], a tie-breaker only."""
from __future__ import annotations

import pytest

from analysis.sentiment import SentimentScorer, default_scorer


@pytest.fixture(scope="module")
def scorer() -> SentimentScorer:
    return default_scorer()


@pytest.mark.parametrize("sentence, sign", [
    ("The two leaders praised the warm and friendly talks.", 1),
    ("Officials condemned the brutal killing of civilians.", -1),
    ("Kremlin officials called the peace overtures meaningless and hostile.", -1),
    ("Both nations welcomed the historic agreement with great hope.", 1),
])
def test_compound_sign_on_real_sentences(scorer, sentence, sign):
    value = scorer.compound(sentence)
    assert -1.0 <= value <= 1.0
    assert value * sign > 0.05


@pytest.mark.parametrize("sentence", ["", "   ", "The meeting is on Thursday."])
def test_empty_or_plain_sentences_are_near_zero(scorer, sentence):
    assert abs(scorer.compound(sentence)) < 0.05


def test_vader_does_not_know_the_conflict_vocabulary(scorer):
    # Why the lexicon decides first: a missile attack does not read as negative to VADER,
    # and a ceasefire does not read as positive.
    assert scorer.compound("Russia launched missiles and drones at Kyiv.") >= 0
    assert scorer.compound("A ceasefire took effect on Sunday.") <= 0


def test_default_scorer_is_built_once():
    assert default_scorer() is default_scorer()
