"""VADER sentiment at sentence level: one analyzer per process, never whole documents.

VADER saturates on long texts (a 409-word article scores -0.99 whole, -0.23 as the mean of its
sentences) and its lexicon knows none of sanctions, missile, invasion or ceasefire: it is only a
tie-breaker next to the escalation/cooperation lexicon (see analysis.lexicon.stance).

VADER is the largest single cost of scoring, so the compound score is computed here by a faithful
port of vaderSentiment 3.3.2's `polarity_scores` (same lexicon, same rules, same arithmetic in the
same order) that lower-cases each sentence's words once instead of once per rule and per lexicon
word, and skips the per-character emoji scan when a sentence holds no emoji. tests/test_sentiment.py
checks it against `SentimentIntensityAnalyzer` itself; bench/bench_score.py checks every sentence of
the benchmark corpora. Repeated sentences (wire copies of one story) are answered from a bounded cache.
"""
from __future__ import annotations

import string
from functools import lru_cache
from typing import Sequence

from vaderSentiment import vaderSentiment as vader
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

# Sentences remembered per process: a few MB, enough to span a day of wire copies.
CACHE_SIZE = 65536

_NEGATE = frozenset(vader.NEGATE)
_BOOSTERS = vader.BOOSTER_DICT
_SPECIAL_CASES = vader.SPECIAL_CASES
_N_SCALAR = vader.N_SCALAR
_C_INCR = vader.C_INCR
_PUNCTUATION = string.punctuation  # what vaderSentiment strips
_scalar_inc_dec = vader.scalar_inc_dec
_normalize = vader.normalize


class SentimentScorer:
    """Wraps one SentimentIntensityAnalyzer (its constructor reads two lexicon files, ~7 ms)."""

    def __init__(self, cache_size: int = CACHE_SIZE) -> None:
        self._analyzer = SentimentIntensityAnalyzer()
        self._lexicon = self._analyzer.lexicon
        # polarity_scores replaces single-character emoji by their descriptions, one character at a
        # time; a sentence holding none of them is left as it is.
        self._emoji_chars = frozenset(key for key in self._analyzer.emojis if len(key) == 1)
        self._cache_size = cache_size
        self._cached = lru_cache(maxsize=cache_size)(self._compound)

    def __getstate__(self) -> dict:
        return {"cache_size": self._cache_size}  # rebuilt, not shipped, when sent to another process

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["cache_size"])

    def compound(self, sentence: str) -> float:
        """VADER compound score of one sentence, in [-1, 1]; 0.0 for empty text."""
        if not sentence or not sentence.strip():
            return 0.0
        return self._cached(sentence)

    def _compound(self, text: str) -> float:
        """`SentimentIntensityAnalyzer.polarity_scores(text)["compound"]`, computed faster."""
        if not self._emoji_chars.isdisjoint(text):
            return float(self._analyzer.polarity_scores(text)["compound"])
        text = text.strip()
        # SentiText._strip_punc_if_word, inlined: strip punctuation unless 2 characters or fewer remain.
        words = [token if len(stripped) <= 2 else stripped
                 for token in text.split() for stripped in (token.strip(_PUNCTUATION),)]
        if not words:
            return 0.0
        lower = [word.lower() for word in words]
        lexicon = self._lexicon
        # allcap_differential: some but not all words in capitals.
        is_cap_diff = 0 < len(words) - sum(map(str.isupper, words)) < len(words)
        last = len(words) - 1
        # Words outside the lexicon, boosters and "kind" before "of" carry no valence of their own: 0.
        sentiments: list[float] = [0] * len(words)
        for i in [i for i, item_lower in enumerate(lower) if item_lower in lexicon]:
            item_lower = lower[i]
            if item_lower in _BOOSTERS or (i < last and item_lower == "kind" and lower[i + 1] == "of"):
                continue
            sentiments[i] = self._valence(words, lower, i, is_cap_diff)
        if "but" in lower:
            sentiments = SentimentIntensityAnalyzer._but_check(words, sentiments)
        sum_s = float(sum(sentiments))
        punct_emph_amplifier = self._analyzer._punctuation_emphasis(text)
        if sum_s > 0:
            sum_s += punct_emph_amplifier
        elif sum_s < 0:
            sum_s -= punct_emph_amplifier
        return round(_normalize(sum_s), 4)

    def _valence(self, words: Sequence[str], lower: Sequence[str], i: int, is_cap_diff: bool) -> float:
        """VADER's sentiment_valence for the lexicon word at `i` (its rules, in its order)."""
        lexicon = self._lexicon
        item_lower = lower[i]
        valence = lexicon[item_lower]
        # "no" next to a lexicon word negates that word instead of counting itself.
        if item_lower == "no" and i != len(words) - 1 and lower[i + 1] in lexicon:
            valence = 0.0
        if (i > 0 and lower[i - 1] == "no") or (i > 1 and lower[i - 2] == "no") or (
                i > 2 and lower[i - 3] == "no" and lower[i - 1] in ["or", "nor"]):
            valence = lexicon[item_lower] * _N_SCALAR
        if words[i].isupper() and is_cap_diff:
            if valence > 0:
                valence += _C_INCR
            else:
                valence -= _C_INCR
        for start_i in range(0, 3):
            if i > start_i and lower[i - (start_i + 1)] not in lexicon:
                s = _scalar_inc_dec(words[i - (start_i + 1)], valence, is_cap_diff)
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = _negation_check(valence, lower, start_i, i)
                if start_i == 2:
                    valence = _special_idioms_check(valence, lower, i)
        # "least" as negation, unless "at least" / "very least".
        if i > 1 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
            if lower[i - 2] != "at" and lower[i - 2] != "very":
                valence = valence * _N_SCALAR
        elif i > 0 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
            valence = valence * _N_SCALAR
        return valence


def _negated(word_lower: str) -> bool:
    """vader.negated([word]) for one already lower-cased word."""
    word_lower = word_lower.lower()  # vader lower-cases again; kept so the port stays exact
    return word_lower in _NEGATE or "n't" in word_lower


def _negation_check(valence: float, lower: Sequence[str], start_i: int, i: int) -> float:
    """SentimentIntensityAnalyzer._negation_check on the sentence's lower-cased words."""
    if start_i == 0:
        if _negated(lower[i - (start_i + 1)]):
            valence = valence * _N_SCALAR
    if start_i == 1:
        if lower[i - 2] == "never" and (lower[i - 1] == "so" or lower[i - 1] == "this"):
            valence = valence * 1.25
        elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
            valence = valence
        elif _negated(lower[i - (start_i + 1)]):
            valence = valence * _N_SCALAR
    if start_i == 2:
        # vader's own precedence: (never and (so or this)) or (so or this).
        if lower[i - 3] == "never" and (lower[i - 2] == "so" or lower[i - 2] == "this") or (
                lower[i - 1] == "so" or lower[i - 1] == "this"):
            valence = valence * 1.25
        elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
            valence = valence
        elif _negated(lower[i - (start_i + 1)]):
            valence = valence * _N_SCALAR
    return valence


# One word (the longest) of each multi-word special case or booster. The idiom check joins
# neighbouring words with spaces and looks the result up; split() words hold no spaces, so a join can
# only equal a key when every word of the key is there, its longest word too: with none of these
# nearby, nothing can match.
_IDIOM_ANCHORS = frozenset(max(key.split(" "), key=len) for key in (*_SPECIAL_CASES, *_BOOSTERS)
                           if " " in key)


def _special_idioms_check(valence: float, lower: Sequence[str], i: int) -> float:
    """SentimentIntensityAnalyzer._special_idioms_check on the sentence's lower-cased words."""
    if _IDIOM_ANCHORS.isdisjoint(lower[i - 3:i + 3]):
        return valence
    onezero = f"{lower[i - 1]} {lower[i]}"
    twoonezero = f"{lower[i - 2]} {lower[i - 1]} {lower[i]}"
    twoone = f"{lower[i - 2]} {lower[i - 1]}"
    threetwoone = f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}"
    threetwo = f"{lower[i - 3]} {lower[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in _SPECIAL_CASES:
            valence = _SPECIAL_CASES[seq]
            break
    if len(lower) - 1 > i:
        zeroone = f"{lower[i]} {lower[i + 1]}"
        if zeroone in _SPECIAL_CASES:
            valence = _SPECIAL_CASES[zeroone]
    if len(lower) - 1 > i + 1:
        zeroonetwo = f"{lower[i]} {lower[i + 1]} {lower[i + 2]}"
        if zeroonetwo in _SPECIAL_CASES:
            valence = _SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in _BOOSTERS:
            valence = valence + _BOOSTERS[n_gram]
    return valence


@lru_cache(maxsize=1)
def default_scorer() -> SentimentScorer:
    """The process-wide scorer, built on first use."""
    return SentimentScorer()
