"""Unit tests of analysis.modifiers helpers on their own (the rules are tested through the lexicon
in test_lexicon.py)."""
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.modifiers import longest_first


def _longest_first_plainly(spans):
    """Keep the longest of overlapping spans (earliest on ties), sorted by start: the plain way."""
    kept = []
    for span in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if all(span[1] <= k[0] or span[0] >= k[1] for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s[0])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 6)), max_size=6, unique=True))
def test_longest_first_keeps_what_the_plain_rule_keeps(starts_and_lengths):
    spans = [(start, start + length, f"cue{i}") for i, (start, length) in enumerate(starts_and_lengths)]
    assert longest_first(spans) == _longest_first_plainly(spans)


def test_longest_first_of_nothing_and_of_neighbours():
    assert longest_first([]) == []
    assert longest_first([(5, 9, "b"), (0, 5, "a")]) == [(0, 5, "a"), (5, 9, "b")]
    assert longest_first([(0, 4, "a"), (2, 9, "b")]) == [(2, 9, "b")]
