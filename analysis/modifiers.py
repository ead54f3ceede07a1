"""Modifiers: the words around a matched lexicon term that decide how it counts.

A term is an act ("launched drones"), negated ("did not impose sanctions"), stopped ("lifted
sanctions", which counts for the other side), a threat, hypothetical or demand ("might back
sanctions", "called for talks"), or history and background ("the 2014 annexation", "following days
of fighting"); intensity cues ("record", "728", "500%") raise its factor. The cue lists live in data/lexicon/modifiers.yaml; this module loads them,
finds every cue of a sentence in one pass of an Aho-Corasick automaton, and judges each term from the
cues in a small window of words around it.

Speed (issue 6): numbers, years and context words are found where they occur (a byte map of ASCII
text, str.find) and placed in a window by counting the tokens between, instead of tokenising the
windows; a term with no cue before it and no year or large number in its sentence skips the rules.
tests/test_lexicon.py and tests/test_modifiers.py check each shortcut against the plain reading.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter
from pathlib import Path
from typing import Iterable

import ahocorasick
import yaml

from analysis.model import Modality

TOKEN = re.compile(r"[\w%]+(?:['.-][\w%]+)*")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?")
DIGIT = re.compile(r"\d")
YEAR = re.compile(r"(1[89]\d\d|20\d\d)(s?)")
SOFT_BREAK_CHARS = (",", "\u2014", "\u2013")  # comma, em and en dash
SOFT_BREAK = re.compile("[" + "".join(SOFT_BREAK_CHARS) + "]")
# A token (TOKEN) that begins with a digit, found in one regex pass: the digit must not continue a
# word ("a1") or a joined word ("u.s-1"), which the lookbehinds check right after the first digit
# (cheaper than a lookbehind tried at every position). The ASCII twin is the same test on ASCII
# text, where [0-9] is \d and scans faster.
NUMBER_TOKEN = re.compile(r"\d(?<![\w%]\d)(?<![\w%]['.-]\d)[\w%]*(?:['.-][\w%]+)*")
NUMBER_TOKEN_ASCII = re.compile(r"[0-9](?<![\w%][0-9])(?<![\w%]['.-][0-9])[\w%]*(?:['.-][\w%]+)*")
# The same for tokens that begin with three digits: every year (YEAR) and every number from 100 up,
# far fewer matches than all the numbers of a sentence.
LONG_NUMBER_TOKEN = re.compile(r"\d{3}(?<![\w%]\d{3})(?<![\w%]['.-]\d{3})[\w%]*(?:['.-][\w%]+)*")
LONG_NUMBER_TOKEN_ASCII = re.compile(
    r"[0-9]{3}(?<![\w%][0-9]{3})(?<![\w%]['.-][0-9]{3})[\w%]*(?:['.-][\w%]+)*")
CUE_KINDS = ("negation", "not_negation", "stop", "de_escalation", "threat", "demand", "antecedent", "history_before",
             "history_after", "intensity", "break")


# Cue kinds that no rule reads in the words before a term.
NOT_BEFORE_KINDS = frozenset({"break", "not_negation", "history_after"})


class ModifierError(ValueError):
    """The modifier cue file is missing a key or has a value of the wrong kind."""


@dataclass(frozen=True)
class Judgement:
    modality: Modality
    factor: float
    # A negated or stopped term counts for the other side: (category, polarity) it becomes.
    becomes: tuple[str, str] | None = None


def is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def has_digit(text: str) -> bool:
    """Whether `text` holds a digit (DIGIT.search), testing ASCII text with ten substring searches,
    several times cheaper than a regex scan."""
    if text.isascii():
        return ("0" in text or "1" in text or "2" in text or "3" in text or "4" in text or "5" in text
                or "6" in text or "7" in text or "8" in text or "9" in text)
    return DIGIT.search(text) is not None


def _continues_token(char: str) -> bool:
    """A character of TOKEN's [\\w%] class (\\w is a letter, digit or underscore)."""
    return char.isalnum() or char == "_" or char == "%"


def _starts_token(text: str, at: int) -> bool:
    """Whether a TOKEN match begins at `at` when the text is tokenised from its start, given that
    text[at] is a token character: not when it continues a word ("ab") or a joined word ("u.s",
    "al-", "can't")."""
    if not at:
        return True
    before = text[at - 1]
    if _continues_token(before):
        return False
    return not (before in "'.-" and at > 1 and _continues_token(text[at - 2]))


# ASCII text mapped byte for byte to its character classes: a digit is "0", another TOKEN character
# ([\w%]) "a", a joiner ('.-) "'", anything else " ". bytes.translate and bytes.find run in C
# several times faster than a regex scan of the same text.
_TOKEN_CLASSES = bytes.maketrans(
    bytes(range(128)),
    bytes(b"0"[0] if chr(i).isdigit() else b"a"[0] if (chr(i).isalnum() or chr(i) in "_%")
          else b"'"[0] if chr(i) in "'.-" else b" "[0] for i in range(128)))


def long_number_tokens(text: str) -> list[tuple[int, int]]:
    """Spans of the tokens of `text` that begin with three digits (the candidates for years and for
    numbers from 100 up), in order."""
    if text.isascii():
        return _long_number_tokens_ascii(text)
    return [match.span() for match in LONG_NUMBER_TOKEN.finditer(text)]


def _long_number_tokens_ascii(text: str) -> list[tuple[int, int]]:
    """LONG_NUMBER_TOKEN_ASCII's spans in `text` (ASCII): every run of three digits that starts
    a token (_starts_token), up to the end of that token."""
    classes = text.encode("ascii").translate(_TOKEN_CLASSES)
    at = classes.find(b"000")
    if at < 0:
        return []
    spans = []
    while at >= 0:
        before = classes[at - 1] if at else 32  # 32: " "
        if before == 32 or (before == 39 and (at == 1 or classes[at - 2] in b" '")):  # 39: "'"
            end = TOKEN.match(text, at).end()
            spans.append((at, end))
            at = classes.find(b"000", end)
        else:  # inside a token: a run of digits that continues there cannot start one
            at = classes.find(b"000", at + 3)
    return spans


_span_start = itemgetter(0)


def longest_first(spans: list[tuple[int, int, object]]) -> list[tuple[int, int, object]]:
    """Keep the longest of overlapping spans (earliest on ties); result sorted by start."""
    by_start = sorted(spans, key=_span_start)
    previous_end = by_start[0][1] if by_start else 0
    for span in by_start[1:]:
        if span[0] < previous_end:
            break
        previous_end = span[1]
    else:
        return by_start  # nothing overlaps (the usual case): all are kept
    kept: list[tuple[int, int, object]] = []
    for span in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if all(span[1] <= k[0] or span[0] >= k[1] for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s[0])


class SentenceCues:
    """The cue positions and tokens of one lower-cased sentence, computed once for all its terms.

    A term needs only the few words around it: windows are counted and read on the stretch of text
    they cover (`tokens_between`, `spans_before`, `spans_after`), the same tokens as TOKEN over the
    whole sentence (`spans`, computed only on request); commas and digit positions are found on
    first use."""

    def __init__(self, lowered: str, cue_hits: Iterable[tuple[int, tuple]]) -> None:
        """`cue_hits`: (end index, value) pairs of the cue automaton over `lowered`, in its order
        (`Modifiers.scan` runs it; the lexicon gets them from its own pass over the sentence)."""
        self.text = lowered
        found: dict[str, list] = {}
        size = len(lowered)
        for end_index, (cue, length, kinds, check_start, check_end) in cue_hits:
            start, end = end_index + 1 - length, end_index + 1
            # Whole words only: a cue must not continue a longer word on either side.
            if check_start and start > 0 and ((c := lowered[start - 1]).isalnum() or c == "_"):
                continue
            if check_end and end < size and ((c := lowered[end]).isalnum() or c == "_"):
                continue
            for kind in kinds:
                if kind in found:
                    found[kind].append((start, end, cue))
                else:
                    found[kind] = [(start, end, cue)]
        if "not_negation" in found and "negation" in found:  # "not only" negates nothing
            found["negation"] = [n for n in found["negation"] if not any(
                x[0] <= n[0] and n[1] <= x[1] for x in found["not_negation"])]
        for kind, spans in found.items():
            if len(spans) > 1:
                found[kind] = longest_first(spans)
        self.hits = found
        self._first_cue_end: int | None = None
        self.hard_breaks = [s for s, _, _ in found["break"]] if "break" in found else []
        self._soft_breaks: list[int] | None = None
        self._spans: list[tuple[int, int]] | None = None
        self._token_starts: list[int] = []
        self.has_digits = has_digit(lowered)  # numbers and years need digits
        self._number_tokens: list[tuple[int, int]] | None = None if self.has_digits else []
        self._long_number_tokens: list[tuple[int, int]] | None = None if self.has_digits else []
        self._number_starts: list[int] | None = None if self.has_digits else []
        self._year_starts: list[int] | None = None if self.has_digits else []
        self._large_numbers: tuple[float, list[tuple[int, int]]] | None = None

    @property
    def first_cue_end(self) -> int:
        """Where the earliest cue ends among the kinds read before a term (all but breaks,
        not_negation and history_after); past the end of the text when there is none. A term
        that starts before it has no such cue before it."""
        if self._first_cue_end is None:
            # Each kind's spans are in text order and do not overlap: the first ends first.
            ends = [spans[0][1] for kind, spans in self.hits.items()
                    if spans and kind not in NOT_BEFORE_KINDS]
            self._first_cue_end = min(ends) if ends else len(self.text) + 1
        return self._first_cue_end

    @property
    def soft_breaks(self) -> list[int]:
        if self._soft_breaks is None:
            # The SOFT_BREAK characters found with str.find: a sentence has a few commas at most,
            # and a regex scan of the whole sentence costs more.
            text, commas = self.text, []
            for char in SOFT_BREAK_CHARS:
                at = text.find(char)
                while at >= 0:
                    commas.append(at)
                    at = text.find(char, at + 1)
            self._soft_breaks = sorted(self.hard_breaks + commas) if commas else self.hard_breaks
        return self._soft_breaks

    @property
    def spans(self) -> list[tuple[int, int]]:
        """Every token of the sentence; once computed, the window methods read from it."""
        if self._spans is None:
            self._spans = [m.span() for m in TOKEN.finditer(self.text)]
            self._token_starts = [start for start, _ in self._spans]
        return self._spans

    def _clear(self, breaks: list[int], start: int, end: int) -> bool:
        """No break at a position in [start, end)."""
        if not breaks:
            return True
        i = bisect_left(breaks, start)
        return i == len(breaks) or breaks[i] >= end

    @property
    def number_tokens(self) -> list[tuple[int, int]]:
        """Spans of the tokens that begin with a digit, in order (one regex pass)."""
        if self._number_tokens is None:
            text = self.text
            pattern = NUMBER_TOKEN_ASCII if text.isascii() else NUMBER_TOKEN
            self._number_tokens = [match.span() for match in pattern.finditer(text)]
        return self._number_tokens

    @property
    def number_starts(self) -> list[int]:
        """Start positions of the tokens that begin with a digit, in order."""
        if self._number_starts is None:
            self._number_starts = [start for start, _ in self.number_tokens]
        return self._number_starts

    @property
    def long_number_tokens(self) -> list[tuple[int, int]]:
        """Spans of the tokens that begin with three digits (the candidates for years and for
        numbers of 100 and more), in order."""
        if self._long_number_tokens is None:
            self._long_number_tokens = long_number_tokens(self.text)
        return self._long_number_tokens

    def large_numbers(self, threshold: float) -> list[tuple[int, int]]:
        """Spans of the number words (NUMBER, not a YEAR) whose value is at least `threshold`."""
        if self._large_numbers is None or self._large_numbers[0] != threshold:
            text, found = self.text, []
            # A number word is digits, an optional decimal part and an optional % (no comma can be
            # inside a token), so a value of 100 or more begins with three digits.
            tokens = self.long_number_tokens if threshold >= 100 else self.number_tokens
            for start, end in tokens:
                word = text[start:end]
                if NUMBER.fullmatch(word) and not YEAR.fullmatch(word) and float(
                        word.rstrip("%").replace(",", "")) >= threshold:
                    found.append((start, end))
            self._large_numbers = (threshold, found)
        return self._large_numbers[1]

    @property
    def year_starts(self) -> list[int]:
        """Start positions of the tokens that may be years (four digits from 1800 to 2099 first)."""
        if self._year_starts is None:
            match = YEAR.match  # four digits: a year begins with three
            self._year_starts = [at for at, _ in self.long_number_tokens if match(self.text, at)]
        return self._year_starts

    def tokens_between(self, start: int, end: int) -> int:
        """How many tokens start in [start, end), counted on that stretch alone."""
        if end <= start:
            return 0
        text = self.text
        count = len(TOKEN.findall(text, start, end))
        if count and start:  # the first match may be the tail of a token begun before `start`
            first = TOKEN.search(text, start, end).start()
            if not _starts_token(text, first):
                count -= 1
        return count

    def before(self, kind: str, start: int, window: int, soft: bool = False) -> list[tuple]:
        """Cues of `kind` ending before `start`, at most `window` words away, same clause."""
        hits = self.hits.get(kind)
        if not hits:
            return []
        found = []
        breaks = None
        for hit in hits:
            hit_end = hit[1]
            if hit_end > start:
                continue
            if breaks is None:
                breaks = self.soft_breaks if soft else self.hard_breaks
            # Token starts are at least two characters apart: a short gap holds few words.
            if self._clear(breaks, hit_end, start) and (
                    start - hit_end <= 2 * window or self.tokens_between(hit_end, start) <= window):
                found.append(hit)
        return found

    def after(self, kind: str, end: int, window: int) -> list[tuple]:
        hits = self.hits.get(kind)
        if not hits:
            return []
        return [hit for hit in hits if hit[0] >= end and self._clear(self.hard_breaks, end, hit[0])
                and (hit[0] - end <= 2 * window - 2 or self.tokens_between(end, hit[0]) < window)]

    def spans_before(self, start: int, count: int) -> list[tuple[int, int]]:
        """The last `count` token spans starting before `start` (spans[max(0, i - count):i] where
        spans[i] is the first token starting at or after `start`), tokenising only a stretch before
        `start`."""
        if count <= 0:
            return []
        if self._spans is not None:
            first = bisect_left(self._token_starts, start)
            return self._spans[max(0, first - count):first]
        text = self.text
        reach = 8 * count + 16
        while True:
            # From any position TOKEN finds the same tokens as from the start of the text, except
            # that its first match may be the tail of a token begun earlier.
            low = max(0, start - reach)
            spans = []
            for match in TOKEN.finditer(text, low):
                at = match.start()
                if at >= start:
                    break
                if spans or not low or _starts_token(text, at):
                    spans.append(match.span())
            if len(spans) >= count or not low:
                return spans[-count:]
            reach *= 2

    def spans_after(self, end: int, count: int) -> list[tuple[int, int]]:
        """The first `count` token spans starting at or after `end` (spans[i:i + count])."""
        if count <= 0:
            return []
        if self._spans is not None:
            last = bisect_left(self._token_starts, end)
            return self._spans[last:last + count]
        text = self.text
        spans = []
        for match in TOKEN.finditer(text, end):
            if spans or _starts_token(text, match.start()):
                spans.append(match.span())
                if len(spans) == count:
                    break
        return spans

    def word_near(self, word: str, is_prefix: bool, start: int, end: int, window: int) -> bool:
        """Whether one of the words around lowered[start:end] (words_before(start, window,
        soft=False) + words_after(end, window)) is `word`, or starts with it when `is_prefix`.

        Read from the places where `word` occurs in the text (most context words occur nowhere
        or once), not by tokenising the two windows: an occurrence counts when a token starts
        there, covers the word, and lies in a window."""
        text = self.text
        at = text.find(word)
        if at < 0:
            return False
        if not word:  # no word is empty; every word starts with the empty prefix
            return is_prefix and bool(self.words_before(start, window, soft=False)
                                      or self.words_after(end, window))
        if not _continues_token(word[0]):
            return False  # no token starts with it
        size = len(word)
        breaks, clear = self.hard_breaks, self._clear
        while at >= 0:
            if _starts_token(text, at) and (at < start or at >= end):
                token_end = TOKEN.match(text, at).end()
                if (token_end >= at + size) if is_prefix else (token_end == at + size):
                    if at < start:
                        if self.tokens_between(at, start) <= window and clear(breaks, token_end, start):
                            return True
                    elif self.tokens_between(end, at) < window and clear(breaks, end, at):
                        return True
            at = text.find(word, at + 1)
        return False

    def words_before(self, start: int, window: int, soft: bool = True) -> list[tuple[int, int, str]]:
        """Up to `window` tokens right before `start`, cut at a clause break."""
        breaks = self.soft_breaks if soft else self.hard_breaks
        text, clear = self.text, self._clear
        return [(s, e, text[s:e]) for s, e in self.spans_before(start, window) if clear(breaks, e, start)]

    def words_after(self, end: int, window: int) -> list[tuple[int, int, str]]:
        text, clear, breaks = self.text, self._clear, self.hard_breaks
        return [(s, e, text[s:e]) for s, e in self.spans_after(end, window) if clear(breaks, end, s)]


@dataclass(frozen=True)
class Modifiers:
    """Cue lists and windows from modifiers.yaml, compiled into one automaton."""

    automaton: ahocorasick.Automaton
    negation_window: int
    negated_escalation_factor: float
    negated_cooperation_factor: float
    negated_cooperation_category: str
    stop_window: int
    stopped_escalation_factor: float
    stopped_escalation_category: str
    stopped_cooperation_factor: float
    stopped_cooperation_category: str
    threat_window: int
    threat_factor: float
    demand_window: int
    demand_factor: float
    antecedent_window: int
    antecedent_factor: float
    history_factor: float
    history_window: int
    history_window_after: int
    year_prepositions: frozenset[str]
    intensity_window: int
    intensity_step: float
    intensity_cap: float
    number_threshold: float

    @classmethod
    def load(cls, path: Path) -> Modifiers:
        """Read and check a modifiers.yaml; errors name the file and the missing or bad key."""
        try:
            raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ModifierError(f"{path}: cannot read modifier cues: {exc}") from exc

        def get(section: str, key: str, kind: type):
            try:
                value = raw[section][key] if key else raw[section]
            except (KeyError, TypeError):
                raise ModifierError(f"{path}: missing '{section}{'.' + key if key else ''}'") from None
            if kind is float and isinstance(value, int):
                value = float(value)
            if not isinstance(value, kind):
                raise ModifierError(f"{path}: '{section}.{key}' should be a {kind.__name__}")
            if kind is list:
                bad = [v for v in value if not isinstance(v, str)]
                if bad:  # YAML reads a bare no / yes / on as a boolean
                    raise ModifierError(f"{path}: '{section}.{key}' has non-text cue(s) {bad}; "
                                        f"put quotes around them")
            return value

        cue_lists = {
            "negation": get("negation", "cues", list),
            "not_negation": get("negation", "not_negations", list), "stop": get("stop", "cues", list),
            "de_escalation": get("stop", "de_escalation_cues", list),
            "threat": get("threat", "cues", list), "demand": get("demand", "cues", list),
            "antecedent": get("antecedent", "cues", list),
            "history_before": get("historical", "cues_before", list),
            "history_after": get("historical", "cues_after", list),
            "intensity": get("intensity", "cues", list), "break": get("clause_breaks", "", list),
        }
        automaton = ahocorasick.Automaton()
        kinds_of: dict[str, set[str]] = {}
        for kind, cues in cue_lists.items():
            for cue in cues:
                kinds_of.setdefault(cue.strip().lower(), set()).add(kind)
        for cue, kinds in kinds_of.items():
            # An edge that is itself punctuation (";", "'ll") needs no word boundary.
            automaton.add_word(cue, (cue, len(cue), tuple(sorted(kinds)),
                                     is_word_char(cue[0]), is_word_char(cue[-1])))
        automaton.make_automaton()
        return cls(
            automaton=automaton,
            negation_window=get("negation", "window", int),
            negated_escalation_factor=get("negation", "escalation_factor", float),
            negated_cooperation_factor=get("negation", "cooperation_factor", float),
            negated_cooperation_category=get("negation", "cooperation_becomes", str),
            stop_window=get("stop", "window", int),
            stopped_escalation_factor=get("stop", "escalation_factor", float),
            stopped_escalation_category=get("stop", "escalation_becomes", str),
            stopped_cooperation_factor=get("stop", "cooperation_factor", float),
            stopped_cooperation_category=get("stop", "cooperation_becomes", str),
            threat_window=get("threat", "window", int), threat_factor=get("threat", "factor", float),
            demand_window=get("demand", "window", int), demand_factor=get("demand", "factor", float),
            antecedent_window=get("antecedent", "window", int),
            antecedent_factor=get("antecedent", "factor", float),
            history_factor=get("historical", "factor", float),
            history_window=get("historical", "window", int),
            history_window_after=get("historical", "window_after", int),
            year_prepositions=frozenset(get("historical", "year_prepositions", list)),
            intensity_window=get("intensity", "window", int),
            intensity_step=get("intensity", "step", float), intensity_cap=get("intensity", "cap", float),
            number_threshold=get("intensity", "number_threshold", float),
        )

    def scan(self, lowered: str) -> SentenceCues:
        return SentenceCues(lowered, self.automaton.iter(lowered))

    def judge(self, cues: SentenceCues, start: int, end: int, polarity: str,
              reference_year: int | None = None) -> Judgement:
        """Modality and factor of the term at lowered[start:end] (rules in data/lexicon/README.md).

        Order: a stop cue ("lifted", "an end to") flips the term to the other side; else an odd
        number of negation cues negates it (two cancel: "did not rule out" is a possibility);
        else threat / demand / history cues weaken it. Intensity cues only raise acts, threats
        and history. A threat or demand cue also weakens a stopped term ("may halt mediation").
        """
        return Judgement(*self.judgement(cues, start, end, polarity, reference_year))

    def plain_act_before(self, lowered: str, cue_hits: list[tuple[int, tuple]],
                         reference_year: int | None = None) -> int:
        """An index of `lowered` before which every term is a plain act: `judgement` gives
        ("act", plain factor, None) to a term starting there, because no whole-word cue of a kind
        read before a term ends before it, the sentence has no history_after cue, no year that can
        make a term history, and no large number before it. -1 when no term is sure. Read from the
        cue automaton's raw hits (`cue_hits`, as SentenceCues takes them) and the sentence's long
        numbers, without building SentenceCues: most terms with a cue or a number are settled here."""
        limit = len(lowered) + 1
        if has_digit(lowered):
            if self.number_threshold < 100:  # any number may be large: let the rules read them
                return -1
            threshold = self.number_threshold
            for at, token_end in long_number_tokens(lowered):
                word = lowered[at:token_end]
                year = YEAR.fullmatch(word)
                if year:
                    # The year words _historical does not skip ("2014" in a 2014 article is news).
                    if not (reference_year and int(year.group(1)) >= reference_year - 1 and not year.group(2)):
                        return -1
                elif NUMBER.fullmatch(word) and float(word.rstrip("%").replace(",", "")) >= threshold:
                    limit = min(limit, at + 1)  # _intensity counts it for a term after it
        size = len(lowered)
        for end_index, (_, length, kinds, check_start, check_end) in cue_hits:
            history_after = "history_after" in kinds
            if history_after or (end_index < limit and not NOT_BEFORE_KINDS.issuperset(kinds)):
                # A whole-word cue only, as SentenceCues reads them ("no" in "north" is none);
                # SentenceCues may drop more ("not only"), never add one.
                start = end_index + 1 - length
                if check_start and start > 0 and ((c := lowered[start - 1]).isalnum() or c == "_"):
                    continue
                if check_end and end_index + 1 < size and ((c := lowered[end_index + 1]).isalnum() or c == "_"):
                    continue
                if history_after:
                    return -1
                limit = end_index + 1
        return limit

    def judgement(self, cues: SentenceCues, start: int, end: int, polarity: str,
                  reference_year: int | None = None) -> tuple[Modality, float, tuple[str, str] | None]:
        """`judge` as a plain (modality, factor, becomes) tuple, for the matcher's inner loop."""
        hits = cues.hits
        if (not cues.has_digits or (self.number_threshold >= 100 and not cues.long_number_tokens)) and (
                "history_after" not in hits and cues.first_cue_end > start):
            # No cue before the term, none after it that can make it history, no year and no
            # large number in the sentence: a plain act (the rules below all come to this).
            return "act", self.plain_act_factor, None
        before = cues.before
        negations = before("negation", start, self.negation_window, soft=True) if "negation" in hits else []
        stops = before("stop", start, self.stop_window, soft=True) if "stop" in hits else []
        if polarity == "escalation" and "de_escalation" in hits:
            # "resolve the dispute"; "mediation in peace talks" stops nothing
            stops = sorted(stops + before("de_escalation", start, self.stop_window, soft=True))
        hypothetical = 1.0
        if "threat" in hits and before("threat", start, self.threat_window, soft=True):
            hypothetical = self.threat_factor
        if "demand" in hits and before("demand", start, self.demand_window):
            hypothetical = min(hypothetical, self.demand_factor)
        if stops:
            stop_start = stops[-1][0]
            if not any(n[1] <= stop_start for n in negations):  # "did not lift sanctions" goes on
                if polarity == "cooperation":
                    return ("negated", round(self.stopped_cooperation_factor * hypothetical, 4),
                            (self.stopped_cooperation_category, "escalation"))
                return ("negated", round(self.stopped_escalation_factor * hypothetical, 4),
                        (self.stopped_escalation_category, "cooperation"))
            negations = [n for n in negations if n[1] > stop_start]
        if len(negations) % 2 == 1:
            if polarity == "cooperation":  # "will not apologize" is a refusal now, not a threat
                return ("negated", self.negated_cooperation_factor,
                        (self.negated_cooperation_category, "escalation"))
            return "negated", self.negated_escalation_factor, None
        if negations:  # an even number cancels out into a possibility
            hypothetical = min(hypothetical, self.threat_factor)
        factor = self._intensity(cues, start)
        modality: Modality = "act"
        if self._historical(cues, start, end, reference_year):
            factor *= self.history_factor
            modality = "historical"
        elif "antecedent" in hits and before("antecedent", start, self.antecedent_window, soft=True):
            factor *= self.antecedent_factor  # background the main event follows or answers
            modality = "historical"
        if hypothetical < 1.0:
            factor *= hypothetical
            modality = "threat"
        return modality, round(factor, 4), None

    @cached_property
    def plain_act_factor(self) -> float:
        """The factor of an act without any cue: what `_intensity` and rounding make of no boost."""
        return round(min(self.intensity_step ** 0, self.intensity_cap), 4)

    def _intensity(self, cues: SentenceCues, start: int) -> float:
        boosts = len(cues.before("intensity", start, self.intensity_window, soft=True)
                     ) if "intensity" in cues.hits else 0
        # A large number among the words before `start` (words_before: at most `window` tokens, no
        # break between), found among the sentence's few large numbers without tokenising.
        if cues.has_digits:
            window = self.intensity_window
            for number_start, number_end in cues.large_numbers(self.number_threshold):
                if number_start >= start:
                    break
                if cues._clear(cues.soft_breaks, number_end, start) and (
                        cues.tokens_between(number_start, start) <= window):
                    boosts += 1
        return min(self.intensity_step ** boosts, self.intensity_cap)

    def _historical(self, cues: SentenceCues, start: int, end: int, reference_year: int | None) -> bool:
        hits = cues.hits
        if "history_before" in hits and cues.before("history_before", start, self.history_window):
            return True
        if "history_after" in hits and cues.after("history_after", end, self.history_window_after):
            return True
        # Only a year word can make the term history: one before `start` or one at or after `end`.
        years = cues.year_starts
        if not years or not (years[0] < start or years[-1] >= end):
            return False
        # Only a year word the loop below does not skip can count: often there is none ("in 2014"
        # in a 2014 article), and then the windows need not be read. A year word is a token that
        # begins with three digits.
        text = cues.text
        for at, token_end in cues.long_number_tokens:
            year = YEAR.fullmatch(text, at, token_end)
            if year and not (reference_year and int(year.group(1)) >= reference_year - 1
                             and not year.group(2)):
                break
        else:
            return False
        before = cues.words_before(start, self.history_window, soft=False)
        after = cues.words_after(end, self.history_window_after)
        for position, (_, _, word) in enumerate(before + after):
            year = YEAR.fullmatch(word)
            if not year or (reference_year and int(year.group(1)) >= reference_year - 1
                            and not year.group(2)):
                continue
            right_before = len(before) - 2 <= position < len(before)
            context = {w for _, _, w in (before + after)[max(0, position - 3):position]}
            if right_before or year.group(2) or (reference_year and self.year_prepositions & context):
                return True
        return False
