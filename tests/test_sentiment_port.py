"""The fast VADER compound (analysis.sentiment) gives exactly what vaderSentiment itself gives."""
from __future__ import annotations

import string
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis.sentiment import SentimentScorer

REFERENCE = SentimentIntensityAnalyzer()
UNCACHED = SentimentScorer(cache_size=0)


def reference(sentence: str) -> float:
    return REFERENCE.polarity_scores(sentence)["compound"]


@pytest.fixture(scope="module")
def uncached() -> SentimentScorer:
    return SentimentScorer(cache_size=0)


# Each exercises one of VADER's rules: boosters, caps, "no", "never so", "without doubt", "least",
# "but", "kind of", idioms, punctuation emphasis, emoji, emoticons, contractions.
@pytest.mark.parametrize("sentence", [
    "The two leaders praised the warm and friendly talks.",
    "Officials condemned the brutal killing of civilians.",
    "Russia launched a record 728 drones against Ukraine, officials said.",
    "The talks were VERY productive, but the ceasefire collapsed!!!",
    "There was no progress and no hope of a deal.",
    "No, the agreement is not good.",
    "It has never been so good for the alliance.",
    "Without a doubt, an excellent idea.",
    "This is the least helpful statement from Beijing.",
    "At least it isn't a horrible outcome.",
    "The offer was only kind of good, sort of fair.",
    "Ministers called it the kiss of death for the treaty?? Really??",
    "Protesters shouted: DEATH to the occupiers!",
    "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁",
    "Not bad at all",
    "He wasn't happy; she can't be sure.",
    "İstanbul hosted ſummit talks with no great success.",
    "The ſhit hit the fan, yeah right.",
    "!!!",
    "   ",
])
def test_same_compound_as_vader(uncached, sentence):
    assert uncached.compound(sentence) == (reference(sentence) if sentence.strip() else 0.0)


WORDS = ["good", "bad", "no", "not", "never", "so", "this", "very", "VERY", "kind", "of", "least",
         "at", "but", "BUT", "without", "doubt", "the", "bomb", "shit", "great", "war", "peace",
         "isn't", "nor", "or", "sort", "hand", "upper", "GOOD", "Bad", "extremely", "barely", ":)",
         "love", "hate", "kill", "help", "!", "?", "...", "—"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14),
       st.sampled_from(["", ".", "!", "!!", "??", "???", "?!"]))
def test_same_compound_on_word_salad(words, end):
    sentence = " ".join(words) + end
    assert UNCACHED.compound(sentence) == reference(sentence)


def test_repeated_sentence_is_answered_from_the_cache():
    scorer = SentimentScorer(cache_size=4)
    sentence = "Both nations welcomed the historic agreement with great hope."
    first = scorer.compound(sentence)
    assert scorer.compound(sentence) == first == reference(sentence)
    assert scorer._cached.cache_info().hits == 1


# The ASCII fast path lower-cases and strips the whole sentence at once, puts back tokens that
# stripping would cut to 2 characters or fewer, and answers 0.0 at once when no word is in the
# lexicon; the other path handles text with other characters. Each case is checked against VADER.
@pytest.mark.parametrize("sentence", [
    "The ministers met in Geneva on Tuesday.",  # no lexicon word
    "Talks (a) and (b) were GOOD, not \"bad\" -- officials said.",
    "U.S. and E.U. leaders said NO!",
    "He said 'no' to the good offer...",
    "(Great) results, but a.k.a. \"TERRIBLE,\" for the :) crowd",
    "ok. OK! Ok? no: yes; it's fine",
    "kind-of good; kind of good; KIND OF GOOD",
    "“Great” results, but a “terrible” cost",  # curly quotes: not ASCII
    "The café owner was very happy, but the naïve plan failed",
    "Σ good ΟΔΟΣ. bad",
])
def test_same_compound_on_punctuated_and_mixed_case_words(uncached, sentence):
    assert uncached.compound(sentence) == reference(sentence)


PUNCTUATED = ["(good)", "bad,", "\"no\"", "Ok.", "a.", "--", "NOT!", "(no)", "but,", "BUT.", "least,",
              "never...", "so,", "kind", "of.", "très", "“good”", "at", "very", "doubt.", "Without",
              "hate!", ":-)", "(:", "isn't,", "nor", "the", "bomb!", "'", "x", "GREAT", "war."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PUNCTUATED + WORDS), min_size=1, max_size=14),
       st.sampled_from(["", ".", "!", "??", " ", "\t"]))
def test_same_compound_on_punctuated_word_salad(words, end):
    sentence = " ".join(words) + end
    assert UNCACHED.compound(sentence) == reference(sentence)


# A sentence with no booster, negation, "no", "never", "without", "so", "this", "least", "kind",
# idiom word or "n't" takes a short cut (each lexicon word at its lexicon value); each near miss
# below has one of them next to a lexicon word and must still match VADER.
@pytest.mark.parametrize("sentence", [
    "Leaders praised the good talks in Geneva.",  # the short cut
    "Leaders praised the GOOD talks in Geneva.",  # capitals within the short cut
    "Leaders were so good at talks.", "This good deal holds.", "It was not good.",
    "It isn't good at all.", "It was hardly good.", "There was no good news.", "No good.",
    "Never so good a deal.", "Without doubt good news.", "It was the least good deal.",
    "At least good news.", "It was kind of good.", "The bomb was a great success.",
    "Yeah right, a good deal.", "Leaders were VERY good.", "The deal was good, or not.",
    "No deal, or good news?", "They had never been good.",
])
def test_short_cut_and_its_near_misses(uncached, sentence):
    assert uncached.compound(sentence) == reference(sentence)


# Text beyond ASCII takes the one-pass path when lower-casing keeps its length and it holds no
# capital sigma; these go either way and must match VADER.
@pytest.mark.parametrize("sentence", [
    "The naïve plan was GOOD, but it isn’t bad either.",  # one pass: é, ï, curly quote
    "“Great” success, but ‘terrible’ costs — sadly.",
    "İstanbul talks were good.",  # İ lower-cases to two characters: word by word
    "ΟΔΟΣ good. ΣΑΣ bad",  # capital sigma: word by word
    "The \u212a-rated deal was GOOD \u212aNOWLEDGE",  # Kelvin sign lower-cases to ASCII k
    "Straße talks: ẞ GOOD, no bad news…",
    "Ça va très bien, good!",
])
def test_same_compound_beyond_ascii(uncached, sentence):
    assert uncached.compound(sentence) == reference(sentence)


def test_lower_case_properties_the_one_pass_path_relies_on():
    """Wherever a character lower-cases to one character, that character lower-cases to itself,
    is whitespace exactly when the original is, and is ASCII punctuation only if the original is."""
    punctuation = set(string.punctuation)
    odd = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        lower = char.lower()
        if len(lower) == 1 and (lower.lower() != lower or lower.isspace() != char.isspace()
                                or (lower in punctuation and lower != char)):
            odd.append(char)
    assert odd == []


# A plain ASCII sentence (no context word, no "but") whose lexicon words are not in capitals skips
# VADER's rules altogether: its sum is the lexicon values in order. Near misses: a lexicon word in
# capitals (alone or with others), capitals of a lexicon word inside another token, "but", and the
# punctuation emphasis that "!" and "?" add.
PLAIN_WORDS = ["good", "Good", "GOOD", "bad", "BAD", "war", "WAR", "peace", "Peace", "the", "THE",
               "talks", "Talks", "GOODWILL", "warfare", "love", "hate", "US", "a", "A", "crisis.",
               "(great)", "great,", ":)", "--", "ok", "OK", "killed", "KILLED", "protest"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PLAIN_WORDS), min_size=1, max_size=12),
       st.sampled_from(["", ".", "!", "?", "??", "?!", "!!!!!", "????", " but fine"]))
def test_same_compound_on_plain_word_salad(words, end):
    sentence = " ".join(words) + end
    assert UNCACHED.compound(sentence) == reference(sentence)


@pytest.mark.parametrize("sentence", [
    "Leaders praised the good talks.",  # the plain sum
    "Leaders praised the GOOD talks.", "LEADERS PRAISED THE GOOD TALKS.", "The GOODWILL of good talks.",
    "Good talks, bad war!", "Good talks, bad war?", "Good talks, bad war??", "Good talks, bad war?!!",
    "Good talks but bad war.", "The love and the hate.", "Love!!!!! Love!!!!! Love!!!!! Love!!!!!",
])
def test_plain_sum_short_cut_and_its_near_misses(uncached, sentence):
    assert uncached.compound(sentence) == reference(sentence)


@settings(max_examples=500, deadline=None)
@given(st.floats(min_value=-50, max_value=50, allow_nan=False),
       st.sampled_from(["", "No.", "Yes!", "Why?", "Why??", "Stop!!!!!!", "?!?!", "????"]))
def test_compound_from_sum_is_vaders_emphasis_normalize_and_round(sum_s, text):
    from vaderSentiment import vaderSentiment as vader

    from analysis.sentiment import _compound_from_sum
    emphasis = REFERENCE._punctuation_emphasis(text)
    expected = sum_s + emphasis if sum_s > 0 else sum_s - emphasis if sum_s < 0 else sum_s
    result = _compound_from_sum(sum_s, text)
    assert result == round(vader.normalize(expected), 4) and type(result) is float
