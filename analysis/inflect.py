"""Simple English inflections for lexicon terms, so analysts list "sanction" once and the matcher
also finds "sanctions", "sanctioned" and "sanctioning".

The rules over-generate on purpose (both "banned" and "baned"): a form that never occurs in text
costs nothing, a missing form loses matches. Irregular forms ("struck", "withdrew") are listed by
hand in the lexicon's `forms` column.
"""
from __future__ import annotations

VOWELS = set("aeiou")


def _ends_consonant_y(word: str) -> bool:
    return len(word) > 1 and word.endswith("y") and word[-2] not in VOWELS


def _cvc(word: str) -> bool:
    """Consonant-vowel-consonant ending, where English may double the last letter (ban -> banned)."""
    return (len(word) >= 3 and word[-1] not in VOWELS and word[-1] not in "wxy"
            and word[-2] in VOWELS and word[-3] not in VOWELS)


def plural(word: str) -> set[str]:
    """Plural noun or third-person verb: tariff -> tariffs, embargo -> embargoes, ally -> allies."""
    if word.endswith(("s", "sh", "ch", "x", "z", "o")):
        return {word + "es", word + "s"}
    if _ends_consonant_y(word):
        return {word[:-1] + "ies"}
    return {word + "s"}


def verb_forms(word: str) -> set[str]:
    """Base, -s, -ed and -ing forms of a regular verb: invade -> invades, invaded, invading."""
    forms = {word} | plural(word)
    if word.endswith("ie"):
        forms |= {word + "d", word[:-2] + "ying"}
    elif word.endswith("ee"):
        forms |= {word + "d", word + "ing"}
    elif word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    elif _ends_consonant_y(word):
        forms |= {word[:-1] + "ied", word + "ing"}
    else:
        forms |= {word + "ed", word + "ing"}
        if _cvc(word):
            forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return forms


def inflections(term: str, inflect: str) -> set[str]:
    """All surface forms of `term` for an `inflect` kind: "verb" inflects the first word ("expel
    diplomats" -> "expelled diplomats"), "noun" pluralises the last word, "both" does both, "none"
    keeps the term as written."""
    words = term.split(" ")
    forms = {term}
    if inflect in ("verb", "both"):
        forms |= {" ".join([form, *words[1:]]) for form in verb_forms(words[0])}
    if inflect in ("noun", "both"):
        forms |= {" ".join([*words[:-1], form]) for form in plural(words[-1])}
    return forms
