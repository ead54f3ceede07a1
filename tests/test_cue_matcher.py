"""roles.CueMatcher answers exactly as the case-insensitive whole-word regex it replaces."""
from __future__ import annotations

import re

import pytest

from analysis.roles import CueMatcher, _alternation

CUES = ["meet", "met", "talks", "summit", "congress of", "rally in", "visit", "g20"]
TEXTS = [
    "Rubio will meet Lavrov in Kuala Lumpur.",
    "Leaders MET at the SUMMIT in Rome.",
    "The metal workers struck in Poland.",          # "met" inside a word
    "a meeting_room in Paris",                       # underscore is a word character
    "the Congress of Vienna and a rally in Berlin",  # multi-word cues
    "the congress  of Vienna",                       # two spaces: no cue
    "İstanbul talks; ıtalian ſummit; \u212aiev visit",  # letters a regex folds to ASCII
    "talks",
    "pre-talks and summit-level",
    "G20 leaders gathered",
    "",
]


def regex_answer(cues: list[str], text: str) -> bool:
    return re.search(rf"\b(?:{_alternation(cues)})\b", text, re.IGNORECASE) is not None


@pytest.mark.parametrize("text", TEXTS)
def test_automaton_matches_the_regex(text):
    assert CueMatcher(CUES).search(text) == regex_answer(CUES, text)


@pytest.mark.parametrize("cues", [["réunion", "talks"], ["talks."], []])
def test_cues_the_automaton_cannot_mirror_keep_the_regex(cues):
    matcher = CueMatcher(cues)
    for text in TEXTS + ["une réunion à Paris", "talks. Then"]:
        assert matcher.search(text) == regex_answer(cues, text)
