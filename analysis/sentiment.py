"""VADER sentiment at sentence level: one analyzer per process, never whole documents.

VADER saturates on long texts (a 409-word article scores -0.99 whole, -0.23 as the mean of its
sentences) and its lexicon knows none of sanctions, missile, invasion or ceasefire: it is only a
tie-breaker next to the escalation/cooperation lexicon (see analysis.lexicon.stance).

VADER is the largest single cost of scoring, so the compound score is computed here by a faithful
port of vaderSentiment 3.3.2's `polarity_scores` (same lexicon, same rules, same arithmetic in the
same order) that lower-cases each sentence's words once instead of once per rule and per lexicon
word, and skips the per-character emoji scan when a sentence holds no emoji. An ASCII sentence (most
news) is lower-cased, split and stripped in a few C loops; one with no lexicon word scores 0.0 at
once, and one with no context word (booster, negation, idiom word...) gives each lexicon word its
lexicon value without walking its neighbours (with no "but" and no lexicon word in capitals, its sum
is simply theirs). tests/test_sentiment_port.py checks it against
`SentimentIntensityAnalyzer` itself; bench/bench_score.py checks every sentence of the benchmark
corpora. Repeated sentences (wire copies of one story) are answered from a bounded cache.
"""
from __future__ import annotations

import string
from functools import lru_cache
from itertools import compress, repeat
from math import sqrt as _sqrt
from operator import ne
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


class SentimentScorer:
    """Wraps one SentimentIntensityAnalyzer (its constructor reads two lexicon files, ~7 ms)."""

    def __init__(self, cache_size: int = CACHE_SIZE) -> None:
        self._analyzer = SentimentIntensityAnalyzer()
        self._lexicon = self._analyzer.lexicon
        # polarity_scores replaces single-character emoji by their descriptions, one character at a
        # time; a sentence holding none of them is left as it is.
        self._emoji_chars = frozenset(key for key in self._analyzer.emojis if len(key) == 1)
        self._ascii_emoji = any(char.isascii() for char in self._emoji_chars)  # none in 3.3.2
        self._lexicon_words = self._lexicon.keys()
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
        ascii_only = text.isascii()
        if (self._ascii_emoji or not ascii_only) and not self._emoji_chars.isdisjoint(text):
            return float(self._analyzer.polarity_scores(text)["compound"])
        lowered = text.lower()
        if ascii_only or (len(lowered) == len(text) and "Σ" not in text):
            # Lower-casing maps each character to one character, whatever its neighbours (for
            # ASCII always; otherwise when the length is kept and there is no capital sigma, whose
            # lower case depends on the next letter). So the whole sentence is lower-cased and split
            # once (C loops) instead of word by word, and a word's capitals test gives the same
            # answer on the raw token (punctuation has no case).
            lower_tokens = lowered.split()
            if not lower_tokens:
                return 0.0
            # SentiText._strip_punc_if_word: strip punctuation unless 2 characters or fewer remain.
            # Stripped in one C loop, then put back where stripping changed a token and left <= 2.
            lower = list(map(str.strip, lower_tokens, repeat(_PUNCTUATION)))
            for i in compress(range(len(lower)), map(ne, lower, lower_tokens)):
                if len(lower[i]) <= 2:
                    lower[i] = lower_tokens[i]
            if self._lexicon_words.isdisjoint(lower):
                return 0.0  # no word carries valence: VADER's sum is 0, its compound 0.0
            plain = _CONTEXT_WORDS.isdisjoint(lower) and "n't" not in lowered
            if plain and "but" not in lower:
                found = list(compress(lower, map(self._lexicon.__contains__, lower)))
                if not any(map(text.__contains__, map(str.upper, found))):
                    # Each lexicon word scores its lexicon value (no word of _CONTEXT_WORDS), none is
                    # in capitals (a token in capitals puts its word in capitals into the text) and no
                    # "but" reweighs them: VADER's sum is theirs, added in the same order.
                    return _compound_from_sum(float(sum(map(self._lexicon.__getitem__, found))), text)
            return self._score(text, text.split(), lower, plain)
        text = text.strip()
        words = [token if len(stripped) <= 2 else stripped
                 for token in text.split() for stripped in (token.strip(_PUNCTUATION),)]
        if not words:
            return 0.0
        return self._score(text, words, [word.lower() for word in words], plain=False)

    def _score(self, text: str, words: Sequence[str], lower: Sequence[str], plain: bool) -> float:
        """VADER's compound from the sentence's words (only their capitals are read: raw tokens do)
        and their lower-cased, punctuation-stripped forms. `plain`: no word of _CONTEXT_WORDS and no
        "n't" in the sentence, so each lexicon word scores its lexicon value, capitals aside."""
        lexicon = self._lexicon
        last = len(words) - 1
        # Words outside the lexicon, boosters and "kind" before "of" carry no valence of their own: 0.
        # Summing only the others gives the same float: adding 0 to a partial sum changes nothing.
        valences: dict[int, float] = {}
        for i in compress(range(len(lower)), map(lexicon.__contains__, lower)):  # lexicon words
            item_lower = lower[i]
            if item_lower in _BOOSTERS or (i < last and item_lower == "kind" and lower[i + 1] == "of"):
                continue
            if plain:  # VADER's rules would only add 0.0 (a zero's sign never reaches the sum)
                valence = lexicon[item_lower]
                if words[i].isupper() and _is_cap_diff(words):
                    valence = valence + _C_INCR if valence > 0 else valence - _C_INCR
                valences[i] = valence
            else:
                valences[i] = self._valence(words, lower, i)
        if "but" in lower:
            sentiments: list[float] = [0] * len(words)
            for i, valence in valences.items():
                sentiments[i] = valence
            sum_s = float(sum(_but_check(lower, sentiments)))
        else:
            sum_s = float(sum(valences.values()))
        return _compound_from_sum(sum_s, text)

    def _valence(self, words: Sequence[str], lower: Sequence[str], i: int) -> float:
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
        if words[i].isupper() and _is_cap_diff(words):
            if valence > 0:
                valence += _C_INCR
            else:
                valence -= _C_INCR
        for start_i in range(0, 3):
            if i > start_i and lower[i - (start_i + 1)] not in lexicon:
                # scalar_inc_dec, on the already lower-cased word
                s = 0.0
                before_lower = lower[i - (start_i + 1)]
                if before_lower in _BOOSTERS:
                    s = _BOOSTERS[before_lower]
                    if valence < 0:
                        s *= -1
                    if words[i - (start_i + 1)].isupper() and _is_cap_diff(words):
                        if valence > 0:
                            s += _C_INCR
                        else:
                            s -= _C_INCR
                # _negation_check, one branch per distance
                if start_i == 0:
                    valence = valence + s
                    if _negated(before_lower):
                        valence = valence * _N_SCALAR
                elif start_i == 1:
                    if s != 0:
                        s = s * 0.95
                    valence = valence + s
                    if lower[i - 2] == "never" and (lower[i - 1] == "so" or lower[i - 1] == "this"):
                        valence = valence * 1.25
                    elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
                        pass
                    elif _negated(before_lower):
                        valence = valence * _N_SCALAR
                else:
                    if s != 0:
                        s = s * 0.9
                    valence = valence + s
                    # vader's own precedence: (never and (so or this)) or (so or this).
                    if lower[i - 3] == "never" and (lower[i - 2] == "so" or lower[i - 2] == "this") or (
                            lower[i - 1] == "so" or lower[i - 1] == "this"):
                        valence = valence * 1.25
                    elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
                        pass
                    elif _negated(before_lower):
                        valence = valence * _N_SCALAR
                    valence = _special_idioms_check(valence, lower, i)
        # "least" as negation, unless "at least" / "very least".
        if i > 1 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
            if lower[i - 2] != "at" and lower[i - 2] != "very":
                valence = valence * _N_SCALAR
        elif i > 0 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
            valence = valence * _N_SCALAR
        return valence


def _is_cap_diff(words: Sequence[str]) -> bool:
    """allcap_differential: some but not all words in capitals (asked only of a word in capitals)."""
    return 0 < len(words) - sum(map(str.isupper, words)) < len(words)


def _but_check(lower: Sequence[str], sentiments: list[float]) -> list[float]:
    """SentimentIntensityAnalyzer._but_check on the lower-cased words, its loop kept as it is
    (`sentiments.index` finds the first equal value, not the current position)."""
    bi = lower.index("but")
    for sentiment in sentiments:
        si = sentiments.index(sentiment)
        if si < bi:
            sentiments.pop(si)
            sentiments.insert(si, sentiment * 0.5)
        elif si > bi:
            sentiments.pop(si)
            sentiments.insert(si, sentiment * 1.5)
    return sentiments


def _compound_from_sum(sum_s: float, text: str) -> float:
    """VADER's compound from its sum of word valences: punctuation emphasis, normalize, round."""
    # Without "!" or "?" the emphasis is 0.0 (+ int 0), which leaves a non-zero float sum as it is.
    if sum_s and ("!" in text or "?" in text):
        if sum_s > 0:
            sum_s += _punctuation_emphasis(text)
        else:
            sum_s -= _punctuation_emphasis(text)
    # vader.normalize(sum_s) with its alpha of 15, the same operations in the same order
    norm_score = sum_s / _sqrt((sum_s * sum_s) + 15)
    if norm_score < -1.0:
        norm_score = -1.0
    elif norm_score > 1.0:
        norm_score = 1.0
    return round(norm_score, 4)


def _punctuation_emphasis(text: str) -> float:
    """SentimentIntensityAnalyzer._punctuation_emphasis: "!" (up to 4) and "?" (2 or more)."""
    ep_count = text.count("!")
    if ep_count > 4:
        ep_count = 4
    ep_amplifier = ep_count * 0.292
    qm_count = text.count("?")
    qm_amplifier = 0
    if qm_count > 1:
        if qm_count <= 3:
            qm_amplifier = qm_count * 0.18
        else:
            qm_amplifier = 0.96
    return ep_amplifier + qm_amplifier


def _negated(word_lower: str) -> bool:
    """vader.negated([word]) for one already lower-cased word."""
    word_lower = word_lower.lower()  # vader lower-cases again; kept so the port stays exact
    return word_lower in _NEGATE or "n't" in word_lower


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


# Words through which a neighbour changes a lexicon word's valence in VADER (boosters, negations,
# "no", "never so", "without", "so" / "this" before it, "least", idiom words) or makes it skipped
# (boosters, "kind of"); the other words its rules name ("or", "doubt", "at"...) act only next to
# one of these. A sentence with none of them, and no "n't", gives each lexicon word its lexicon
# value (capitals aside).
_CONTEXT_WORDS = frozenset({*_BOOSTERS, *_NEGATE, "no", "never", "without", "so", "this", "least",
                            "kind", *_IDIOM_ANCHORS})
