"""Sentence splitting for news text: cleaned text in, `Sentence` spans (offsets into that text) out.

One compiled regex finds every *candidate* boundary (terminal punctuation followed by space, or a
line break); a few cheap checks on each candidate reject abbreviations ("Mr.", "U.S. Secretary"),
initials ("J. R. R. Tolkien"), "No. 5" and closing quotes followed by "he said". No per-character
Python loop: the work per sentence is one regex step and a handful of string look-ups.

Line breaks: a blank line, or a newline followed by indentation, always ends a sentence. A single
newline ends one too, unless the text is hard-wrapped (Reuters bodies: lines of ~65 characters),
where a newline inside a paragraph is just a space; there a short line without final punctuation
followed by a capitalised line is a headline or a list item and still ends.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path

import yaml

from analysis.model import Sentence

_CANDIDATE = re.compile(
    # Every candidate starts with a line break or a stop: with that one character class first, re
    # skips all other characters at C speed instead of trying the whole pattern at each of them.
    r"[\n.!?…](?:"
    # A newline followed directly by a lower-case letter continues a wrapped sentence: not even a
    # candidate (most of Reuters' hard-wrapped newlines never reach Python code).
    r"(?<=\n)(?:(?P<blank>(?:[ \t]*\n)+)[ \t]*|(?P<indent>[ \t]++)|(?![a-z]))"
    # The rest of a run of stops, closing quotes or brackets, then spaces before the next word.
    r"|(?<=[.!?…])(?P<punct>[.!?…]*[\"'”’)\]]*)[ \t]+(?=\S))"
)
_OPENERS = "\"'“‘([«"
_TERMINAL = ".!?…\"'”’)]"
_OPENERS_AND_SPACES = _OPENERS + " \t"
_WORD_TAIL = ".,;:!?\"'”’)"  # stripped from the end of the word after a candidate

ABBREVIATIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "cleaning" / "abbreviations.yaml"


@dataclass(frozen=True)
class Abbreviations:
    """Word lists from data/cleaning/abbreviations.yaml (lower case, no period)."""

    titles: frozenset[str]  # "Gen." never ends a sentence
    before_numbers: frozenset[str]  # "No. 5" does not end one; "said no. Then" does
    sentence_openers: frozenset[str]  # after "U.S.", only these words open a new sentence

    @classmethod
    def load(cls, path: Path = ABBREVIATIONS_FILE) -> Abbreviations:
        """Read and check the lists; ValueError names a missing or malformed list."""
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        lists = {}
        for name in ("titles", "before_numbers", "sentence_openers"):
            words = spec.get(name)
            if not isinstance(words, list) or not words:
                raise ValueError(f"{path}: '{name}' must be a non-empty list of words")
            odd = [word for word in words if not isinstance(word, str)]
            if odd:  # YAML reads a bare no / on / yes as a boolean
                raise ValueError(f"{path}: '{name}' has {odd[0]!r}; quote it (\"no\", \"on\")")
            lists[name] = frozenset(word.lower().rstrip(".") for word in words)
        return cls(**lists)


@lru_cache(maxsize=1)
def abbreviations() -> Abbreviations:
    return Abbreviations.load()


_new_sentence = object.__new__
_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]\Z")
_WRAP_MIN_MEDIAN, _WRAP_MAX_LINE = 40, 100


def split_sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences; each `Sentence` has `text == text[start:end]` with surrounding
    whitespace excluded. Empty or blank text gives []."""
    # A candidate starts at a line break or a stop that spaces follow. Most WCEP items have neither:
    # one sentence whose only stops end the text (with closing quotes or brackets, which
    # rstrip(_TERMINAL) takes too). Four substring tests prove it faster than the regex search.
    if "\n" in text:
        first = _CANDIDATE.search(text)
    else:
        body = text.rstrip(_TERMINAL)  # (a copy of the text: not made for long texts with line breaks)
        first = None if ("." not in body and "!" not in body and "?" not in body and "…" not in body
                         ) else _CANDIDATE.search(text)
    if first is None:
        # No candidate boundary at all: the whole text, stripped, is the one sentence.
        stripped = text.strip()
        if not stripped:
            return []
        sentence = _new_sentence(Sentence)  # (_append, inline)
        size = len(stripped)
        start = 0 if size == len(text) else len(text) - len(text.lstrip())
        fields = sentence.__dict__
        fields["index"], fields["start"], fields["end"], fields["text"] = 0, start, start + size, stripped
        return [sentence]
    wrapped = "\n" in text and _is_hard_wrapped(text)
    sentences: list[Sentence] = []
    start = 0
    # (the search goes on after the first candidate; look-behinds still see the text before it)
    for match in chain((first,), _CANDIDATE.finditer(text, first.end())):
        cut = match.end("punct")  # -1 when the candidate is a line break
        if cut >= 0:
            if not _ends_at_punctuation(text, match.start(), cut, match.end()):
                continue
        else:
            cut = match.start()  # the line break; the line ends before its trailing spaces
            while cut > start and text[cut - 1] in " \t":
                cut -= 1
            if not _ends_at_newline(text, match, cut, wrapped):
                continue
        _append(sentences, text, start, cut)
        start = match.end()
    _append(sentences, text, start, len(text))
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    span = text[start:end]
    stripped = span.strip()
    if not stripped:
        return
    if span[0].isspace():  # what str.strip removes
        start += len(span) - len(span.lstrip())
    sentence = _new_sentence(Sentence)
    # Sentence's own __init__ sets each field through object.__setattr__ (it is frozen): filling its
    # __dict__ directly builds the same record in half the time, and this runs once per sentence.
    fields = sentence.__dict__
    fields["index"], fields["start"], fields["end"], fields["text"] = (
        len(sentences), start, start + len(stripped), stripped)
    sentences.append(sentence)


def _ends_at_punctuation(text: str, punct_start: int, punct_end: int, next_start: int) -> bool:
    """Does the punctuation text[punct_start:punct_end], followed by a word at next_start, end a
    sentence?"""
    # _next_word, inline: this runs once per candidate.
    chunk = text[next_start:next_start + 40].lstrip(_OPENERS_AND_SPACES)
    following = chunk.split(None, 1)[0].rstrip(_WORD_TAIL) if chunk.strip() else ""
    if not following or following[0].islower():
        return False  # '..." he said', "ellipsis... and then", "Mr. de Gaulle" is an accepted miss
    if punct_end - punct_start != 1 or text[punct_start] != ".":
        return True  # "!", "?", "...", '."' and '.)' are not abbreviations
    # The word before the stop, from a bounded window: rfind over a whole long text would be quadratic.
    window = text[max(0, punct_start - 40):punct_start]
    word = window.rsplit(None, 1)[-1].lstrip(_OPENERS) if window.strip() else ""
    if not word:
        return True
    if len(word) == 1 and word.isupper():
        return False  # an initial: "J. R. R. Tolkien", "George W. Bush"
    lower, words = word.lower(), abbreviations()
    if lower in words.titles:
        return False
    if lower in words.before_numbers and following[0].isdigit():
        return False
    if "." in word and _ACRONYM.match(word.rsplit("-", 1)[-1]):  # "U.S.", "Canada-U.S."
        return following.lower() in words.sentence_openers
    return True


def _ends_at_newline(text: str, match: re.Match[str], line_end: int, wrapped: bool) -> bool:
    if match.group("blank") is not None:
        return True
    if match.group("indent") is not None and match.end() < len(text):
        return True  # a newline followed by indentation opens a paragraph (Reuters layout)
    following = _next_word(text, match.end())
    if following[:1].islower():
        return False  # a line continuing in lower case is a wrapped sentence, whatever the layout
    if not wrapped:
        return True  # one line per paragraph, or a headline on its own line
    punct_start = _punct_start(text, line_end)
    if any(mark in text[punct_start:line_end] for mark in ".!?…"):
        return _ends_at_punctuation(text, punct_start, line_end, match.end())
    # Hard-wrapped paragraph: a line that stops well short of the wrap width without final
    # punctuation, followed by a capitalised line, is a headline or a list item.
    line_start = text.rfind("\n", 0, line_end) + 1
    return line_end - line_start < _WRAP_MIN_MEDIAN and bool(following) and following[0].isupper()


def _punct_start(text: str, end: int) -> int:
    start = end
    while start > 0 and text[start - 1] in _TERMINAL:  # at most a few characters
        start -= 1
    return start


def _next_word(text: str, start: int) -> str:
    chunk = text[start:start + 40].lstrip(_OPENERS_AND_SPACES)
    return chunk.split(None, 1)[0].rstrip(_WORD_TAIL) if chunk.strip() else ""


def _is_hard_wrapped(text: str) -> bool:
    """True when lines look cut at a fixed width (Reuters: ~65 characters) rather than one per
    paragraph."""
    lengths = sorted(map(len, filter(None, map(str.strip, text.split("\n")))))  # non-blank lines
    if len(lengths) < 3 or lengths[-1] > _WRAP_MAX_LINE:
        return False
    return lengths[len(lengths) // 2] >= _WRAP_MIN_MEDIAN
