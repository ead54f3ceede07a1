"""Calling off or putting off talks and visits is a rejection (data/lexicon/terms.csv rows)."""
from __future__ import annotations

import pytest

from analysis.lexicon import Lexicon


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon.load()


@pytest.mark.parametrize("sentence, term", [
    ("Ankara cancelled the foreign minister's trip to Stockholm after the vote.", "cancel"),
    ("Seoul has canceled talks with Tokyo on the fishing quota.", "cancel"),
    ("The president postponed his state visit to Brazil indefinitely.", "postpone"),
])
def test_calling_off_talks_or_a_visit_is_a_rejection(lexicon, sentence, term):
    found = {k.term: k for k in lexicon.find_keywords(sentence)}
    assert term in found and found[term].category == "REJECT" and found[term].polarity == "escalation"


@pytest.mark.parametrize("sentence", [
    # Airlines cancel flights for the weather; cancelling drills is a gesture of calm.
    "Dozens of flights were cancelled at Frankfurt because of snow.",
    "The navy cancelled its annual drills as a goodwill gesture.",
])
def test_other_cancellations_are_not_rejections(lexicon, sentence):
    assert not any(k.term in ("cancel", "postpone") for k in lexicon.find_keywords(sentence))
