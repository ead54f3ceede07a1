"""Which actor mentions of a sentence take part in its event.

The actor dictionary finds every country, leader and organisation a sentence names and marks venues.
This module settles two questions on top of it, with cue words from `data/roles/cues.yaml`:

- **Venue or party.** A place is a venue only when the sentence is about a gathering (meet, talks,
  summit, visit, held, sidelines ...): "Rubio will meet Lavrov in Kuala Lumpur". Otherwise a place
  after "in"/"at" is a party: "a peace-keeping force in Liberia", "an embassy in Tehran", "blockades
  in the West Bank" are about that country. A country visited by the only other country named is
  the host: "Putin began a visit to China" is about both.
- **Taking part in the event.** Not every remaining mention is a party to what the sentence reports:
  the *source* of the report ("..., a state-owned Egyptian newspaper said.", "according to the Swiss
  agency", "Japan's Kyodo news agency said ...") tells who speaks; an *ethnic group or language*
  ("ethnic Albanian", "Bosnian Serbs", "the Russian language", "the Albanians of southern Serbia")
  is not a state; a *comparison* ("more than Argentina", "Unlike Sweden, ...") names a yardstick,
  not a party; a *dateline* ("TOKYO, March 3 -") tells where the report was filed.

`event_actors` keeps the mentions that take part, in sentence order; the first of them is the
sentence's subject, which the pair rule (analysis.pairs) anchors on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import NamedTuple, Sequence

import yaml

from analysis.model import ActorMention

DEFAULT_CUES = Path(__file__).resolve().parent.parent / "data" / "roles" / "cues.yaml"


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class RoleCues:
    meeting: CueMatcher
    source_clause: re.Pattern
    group_before: re.Pattern
    group_after: re.Pattern
    # The words the two searches above need (lower case), for a cheap test before the regex runs;
    # empty when some cue is not plain ASCII (then the regex always runs).
    source_verbs: tuple[str, ...] = ()
    group_before_words: tuple[str, ...] = ()
    # For that test: the source verbs without those holding a shorter one ("says" holds "say"), and
    # the length of the sentence's tail a verb must lie in.
    source_verb_cores: tuple[str, ...] = ()
    source_tail: int = 0
    # One automaton over every word of those cheap tests (see _scan_flags): a single pass over the
    # sentence instead of some twenty `in` scans; the source verbs have their own, run on the
    # sentence's tail only. None: the tests run word by word.
    scan_automaton: object = field(default=None, compare=False, repr=False)
    source_automaton: object = field(default=None, compare=False, repr=False)
    # No source verb holds , ; or : (see _search_source_clause).
    source_verbs_plain: bool = False
    # The group_after words for the scan (empty: not plain ASCII, and the regex always runs).
    group_after_words: tuple[str, ...] = ()

    @classmethod
    def load(cls, path: Path = DEFAULT_CUES) -> RoleCues:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        for key in ("meeting_words", "source_verbs", "group_before", "group_after"):
            if not isinstance(data.get(key), list) or not all(isinstance(w, str) for w in data[key]):
                raise ValueError(f"{path}: '{key}' must be a list of words")
        return cls(
            meeting=CueMatcher(data["meeting_words"]),
            # The reporting verb must close the sentence ("said on Tuesday."), so "- The U.S. said
            # it would ..." after a dateline is not a source clause.
            source_clause=re.compile(
                rf"[,;:\u2014\u2013]\s*[^,;:\u2014\u2013]*?\b(?:{_alternation(data['source_verbs'])})\b"
                rf"[^,;:]{{0,{_SOURCE_TAIL}}}$", re.IGNORECASE),
            group_before=re.compile(rf"\b(?:{_alternation(data['group_before'])})[\s-]+$", re.IGNORECASE),
            group_after=re.compile(rf"^(?:-|\s)*(?:{_alternation(data['group_after'])})\b", re.IGNORECASE),
            source_verbs=_prefilter_words(data["source_verbs"]),
            group_before_words=_shortest_cores(_prefilter_words(data["group_before"])),
            source_verb_cores=_shortest_cores(_prefilter_words(data["source_verbs"])),
            source_tail=_SOURCE_TAIL + max(map(len, data["source_verbs"]), default=0),
            scan_automaton=_scan_automaton(_shortest_cores(_prefilter_words(data["group_before"])),
                                           _shortest_cores(_prefilter_words(data["source_verbs"])),
                                           _shortest_cores(_prefilter_words(data["group_after"]))),
            source_automaton=_source_automaton(_shortest_cores(_prefilter_words(data["source_verbs"]))),
            source_verbs_plain=not any(mark in verb for verb in data["source_verbs"] for mark in ",;:"),
            group_after_words=_shortest_cores(_prefilter_words(data["group_after"])),
        )


# A source clause's reporting verb ends at most this many characters before the sentence does.
_SOURCE_TAIL = 40


def _prefilter_words(words: Sequence[str]) -> tuple[str, ...]:
    """Lower-cased cue words when all are plain ASCII (so `w in fold_case(text)` is implied by any
    case-insensitive regex match of `w`); else () and callers run the regex unfiltered."""
    cues = tuple(w.lower() for w in words)
    return cues if all(w.isascii() and w for w in cues) else ()


def _shortest_cores(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words that hold no other of them: `any(w in text ...)` over these answers as over all."""
    return tuple(w for w in words if not any(o != w and o in w for o in words))


# Characters a case-insensitive regex matches to an ASCII letter although str.lower() does not map them
# to one ("İ" lowers to two characters): folded first, so `fold_case` agrees with re.IGNORECASE.
_SPECIAL_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def fold_case(text: str) -> str:
    """Lower-cased `text` of the same length, matching ASCII cue words as re.IGNORECASE would."""
    if text.isascii() or not ("\u0130" in text or "\u0131" in text or "\u017f" in text):
        return text.lower()
    return text.translate(_SPECIAL_FOLDS).lower()  # slow (a dict lookup per character), and rare


class CueMatcher:
    """Whole-word search for many cue words (one Aho-Corasick automaton), case-insensitive.

    Gives the same answer as `re.search(r"\b(?:w1|w2|...)\b", text, re.IGNORECASE)` at a fraction of
    its cost: Python's regex engine tries every alternative at every word start. Cue lists the
    automaton cannot mirror exactly (a non-ASCII cue, one that starts or ends with punctuation or a
    space, an empty list) are searched with that regex instead.
    """

    def __init__(self, words: Sequence[str]) -> None:
        self._regex: re.Pattern | None = None
        if not words or not all(w and w.isascii() and w[0].isalnum() and w[-1].isalnum() for w in words):
            self._regex = re.compile(rf"\b(?:{_alternation(words)})\b", re.IGNORECASE)
            return
        import ahocorasick

        self._automaton = ahocorasick.Automaton()
        for word in words:
            self._automaton.add_word(word.lower(), len(word))
        self._automaton.make_automaton()

    def search(self, text: str) -> bool:
        """True when `text` holds a cue as a whole word (\\b on both sides, as in a regex)."""
        if self._regex is not None:
            return self._regex.search(text) is not None
        folded = fold_case(text)
        size = len(folded)
        for end_index, length in self._automaton.iter(folded):
            start, end = end_index + 1 - length, end_index + 1
            # \\b next to a letter: the neighbour is not a word character (str.isalnum() or "_").
            if (start == 0 or not (folded[start - 1].isalnum() or folded[start - 1] == "_")) and (
                    end == size or not (folded[end].isalnum() or folded[end] == "_")):
                return True
        return False


@lru_cache(maxsize=4)
def default_cues(path: Path = DEFAULT_CUES) -> RoleCues:
    return RoleCues.load(path)


# "according to the Swiss Agency for Development, ..." up to the clause's end; but a sentence that
# opens "According to reports the UK is ..." without a comma only sets aside the next word.
_ACCORDING_PHRASES = ("according to", "quoted by", "cited by", "reported by", "citing")
_ACCORDING_TO = re.compile(
    r"\b(?:" + "|".join(p.replace(" ", r"\s+") for p in _ACCORDING_PHRASES) + r")\s+[^,;.]*(?=[,;.]|$)",
    re.IGNORECASE)
# A phrase's first word is in the case-folded sentence whenever the phrase matches: a cheap test.
_ACCORDING_FIRST_WORDS = tuple(dict.fromkeys(p.split()[0] for p in _ACCORDING_PHRASES))


def _has_according_word(folded: str) -> bool:
    """`any(word in folded for word in _ACCORDING_FIRST_WORDS)`, written out: this runs on every
    sentence with an actor (tests/test_roles.py holds the two to the same words)."""
    return "according" in folded or "quoted" in folded or "cited" in folded or "reported" in folded \
        or "citing" in folded


_start_of = attrgetter("start")
_OPENING_ACCORDING_TO = re.compile(r"^\s*according\s+to\s+\S+", re.IGNORECASE)
_PEOPLE_KINDS = frozenset({"demonym"})
# "the Thai border", "Macedonia's border with Bulgaria": a place on the map, not an actor.
# ("U.S. border patrol agents" are people of the country, not a line on the map.)
_PLACE_WORDS = ("border", "borders", "frontier", "coast", "coastline", "waters")
_PLACE_DESCRIPTOR = re.compile(
    rf"^(?:'s)?\s+(?:{'|'.join(_PLACE_WORDS)})\b"
    r"(?!\s+(?:patrol|guard|police|agent|force|troop|security|official|authorit|service|control))",
    re.IGNORECASE)
_BORDER_WITH = re.compile(r"\b(?:border|frontier)\s+with\s+(?:the\s+)?$", re.IGNORECASE)
# "more than Argentina", "Russia, like China, ...", "Unlike Japan, ...", "compared with France": a
# country a sentence compares its subject with takes no part in the event.
# ("Countries like Iran" gives examples, not a comparison: "like" counts only after a comma or at
# the start.)
_COMPARED_WITH = re.compile(r"(?:\b(?:than|unlike|compared\s+(?:with|to))|(?:^|,)\s*like)\s+(?:the\s+)?$",
                            re.IGNORECASE)
# "Japan's Kyodo news agency reports that ...", "German magazine Der Spiegel reported ...": an outlet
# named as the speaker is the source of the report, like a closing "..., the Egyptian newspaper said".
# (A newspaper that is acted on - "Iran banned a British broadcaster" - is followed by no reporting
# verb and stays a party.)
_MEDIA_SPEAKER = re.compile(
    r"(?:'s|\u2019s)?\s+(?:[\w-]+\s+){0,3}?(?:newspaper|magazine|tabloid|news\s+agency|press\s+agency"
    r"|television|TV|radio|broadcaster|media|website)\b[^,.;:]{0,40}?"
    r"\b(?:reports?|reported|said|says|stated|claims?|claimed|quoted|quotes|cited|wrote|writes|published)\b",
    re.IGNORECASE)
# A person or a government body is no outlet ("Zelenskyy said in a television interview published ...").
_NOT_OUTLETS = frozenset({"leader", "organ"})
# "The Albanians of southern Serbia", "the Kurds of Iraq": a people named by where it lives is a
# community there, not the state its name comes from.
_PEOPLE_OF_PLACE = re.compile(
    r"^\s+of\s+(?:the\s+)?(?:(?:north|south|east|west|central)(?:ern)?\s+|(?:north|south)-?(?:east|west)(?:ern)?\s+)?[A-Z]")
# How far after a place a gathering word still makes it the venue: "the Kuala Lumpur talks".
_AFTER_WINDOW = 30


def settle_venues(sentence: str, mentions: Sequence[ActorMention],
                  cues: RoleCues | None = None) -> tuple[ActorMention, ...]:
    """Keep a venue a venue only in a sentence about a gathering; otherwise the place is a party."""
    # The common case, nothing to settle, with a plain loop (no generator built on every call).
    for m in mentions:
        if m.role == "venue" and m.kind != "dateline":
            break
    else:
        return tuple(mentions)
    meeting = (cues or default_cues()).meeting
    settled = []
    for mention in mentions:
        if mention.role == "venue" and mention.kind != "dateline":
            context = sentence[:mention.start] + " " + sentence[mention.end:mention.end + _AFTER_WINDOW]
            if not meeting.search(context) or _visited_host(sentence, mention, mentions):
                mention = _as_party(mention)
        settled.append(mention)
    return tuple(settled)


def _as_party(mention: ActorMention) -> ActorMention:
    """`mention` with the party role, built into its __dict__ in field order (the frozen
    dataclass's __init__ costs ~2 µs; tests/test_roles.py holds the two to equal records)."""
    party = object.__new__(ActorMention)
    state = party.__dict__
    state["start"] = mention.start
    state["end"] = mention.end
    state["text"] = mention.text
    state["code"] = mention.code
    state["kind"] = mention.kind
    state["role"] = "party"
    state["is_organisation"] = mention.is_organisation
    return party


# "a planned visit to Haiti", "Modi's trip to the United States": a country (by name, not a city)
# visited is the visitor's host.
_VISIT_TO = re.compile(
    r"\b(?:visit|visits|visited|visiting|trip|trips|travel|travels|travelled|traveled|tour|journey)"
    r"\s+to\s+(?:the\s+)?$", re.IGNORECASE)


def _visited_host(sentence: str, place: ActorMention, mentions: Sequence[ActorMention]) -> bool:
    """True when `place` is a country visited by the only other country the sentence names: the
    visit is between the two. With a third party the visit is for a meeting with it, and the place
    stays a venue ("Rubio's trip to Malaysia to meet Lavrov"); a city visited stays a venue ("his
    visit to Kuala Lumpur")."""
    if place.kind != "country" or not _VISIT_TO.search(sentence, max(0, place.start - 30), place.start):
        return False
    others = {m.code for m in mentions if not m.is_organisation and m.kind != "dateline"
              and m.code != place.code}
    return len(others) == 1 and not any(m.is_organisation for m in mentions)


def source_span_start(sentence: str, cues: RoleCues | None = None, folded: str | None = None) -> int:
    """Where a trailing report-source clause begins (len(sentence) when there is none).
    `folded` is `fold_case(sentence)` when the caller has it."""
    cues = cues or default_cues()
    if cues.source_verbs:
        # The verb ends within the last _SOURCE_TAIL characters; most sentences have none there.
        tail = (folded if folded is not None else fold_case(sentence))[-cues.source_tail:]
        if not any(verb in tail for verb in cues.source_verb_cores):
            return len(sentence)
    found = _search_source_clause(sentence, cues)
    return found.start() if found else len(sentence)


def _search_source_clause(sentence: str, cues: RoleCues) -> re.Match | None:
    """`cues.source_clause.search(sentence)`, started where a match can start.

    A match opens with one of , ; : \u2014 \u2013 and holds none of , ; : after it (nor do the verbs),
    so it opens at the sentence's last , ; or : or at a dash after it: searching from there finds the
    same (leftmost) match without trying every clause of a long sentence."""
    if not cues.source_verbs_plain:  # a verb could hold one of them: search it all
        return cues.source_clause.search(sentence)
    last = max(sentence.rfind(","), sentence.rfind(";"), sentence.rfind(":"))
    return cues.source_clause.search(sentence, last) if last > 0 else cues.source_clause.search(sentence)


# The words each flag of _SentenceScan stands for ("borders" and "coastline" hold "border" and
# "coast": the shorter words suffice).
_PLACE_SCAN_WORDS = ("border", "frontier", "coast", "waters")  # _PLACE_DESCRIPTOR, _BORDER_WITH
_COMPARISON_SCAN_WORDS = ("than", "like", "compared")  # _COMPARED_WITH
_MEDIA_SCAN_WORDS = ("news", "magazine", "tabloid", "agency", "televis", "tv", "radio", "broadcast",
                     "media", "website")  # _MEDIA_SPEAKER
_GROUP, _PLACE, _COMPARISON, _MEDIA, _SOURCE, _ACCORDING, _GROUP_AFTER = 1, 2, 4, 8, 16, 32, 64
# The flags of the tests run on the words before or after a mention (_is_group's regexes).
_NEAR_MENTION = _GROUP | _PLACE | _COMPARISON


def _scan_automaton(group_words: tuple[str, ...], source_verbs: tuple[str, ...],
                    group_after_words: tuple[str, ...] = ()):
    """An Aho-Corasick automaton: each scan word (source verbs aside) -> its flags. None when a cue
    list is empty (not plain ASCII): the word-by-word tests handle that case. (Without
    group_after words _scan_flags always sets _GROUP_AFTER.)"""
    if not group_words or not source_verbs:
        return None
    import ahocorasick

    flags: dict[str, int] = {}
    for words, flag in ((group_words, _GROUP), (_PLACE_SCAN_WORDS, _PLACE),
                        (_COMPARISON_SCAN_WORDS, _COMPARISON), (_MEDIA_SCAN_WORDS, _MEDIA),
                        (_ACCORDING_FIRST_WORDS, _ACCORDING), (group_after_words, _GROUP_AFTER)):
        for word in words:
            flags[word] = flags.get(word, 0) | flag
    automaton = ahocorasick.Automaton()
    for word, flag in flags.items():
        automaton.add_word(word, flag)
    automaton.make_automaton()
    return automaton


def _source_automaton(source_verbs: tuple[str, ...]):
    """An automaton of the source verbs (any hit in a sentence's tail sets _SOURCE); None when the
    verbs are not plain ASCII."""
    if not source_verbs:
        return None
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in source_verbs:
        automaton.add_word(word, _SOURCE)
    automaton.make_automaton()
    return automaton


_flag_of_hit = itemgetter(1)


def _scan_flags(folded: str, cues: RoleCues) -> int:
    """The _SentenceScan flags of a case-folded sentence as one int, plus _ACCORDING when it holds
    an 'according to' phrase's first word (`_has_according_word`) and _GROUP_AFTER when it holds a
    group_after word (or those words are not plain ASCII)."""
    automaton = cues.scan_automaton
    source = cues.source_automaton
    if automaton is None or source is None:
        scan = _SentenceScan.by_words(folded, cues)
        return (scan.group_word * _GROUP | scan.place_word * _PLACE | scan.comparison_word * _COMPARISON
                | scan.media_word * _MEDIA | scan.source_verb * _SOURCE
                | _has_according_word(folded) * _ACCORDING | _GROUP_AFTER)
    found = 0 if cues.group_after_words else _GROUP_AFTER
    # The distinct flags of the hits, collected in C (a common word like "pro" hits often).
    for flags in set(map(_flag_of_hit, automaton.iter(folded))):
        found |= flags
    # A source verb must start in the tail: a hit in the tail slice is exactly that.
    tail_start = len(folded) - cues.source_tail
    if next(source.iter(folded[tail_start:] if tail_start > 0 else folded), None) is not None:
        found |= _SOURCE
    return found


class _SentenceScan(NamedTuple):
    """What a sentence holds at all, found once, so the per-mention regexes run only where their
    words occur (each test is implied by its regex matching, on the case-folded sentence). A named
    tuple, not a frozen dataclass: it is built once per sentence, and cheaply."""

    group_word: bool  # a cue word of group_before
    place_word: bool  # border, frontier, coast ... (_PLACE_DESCRIPTOR, _BORDER_WITH)
    comparison_word: bool  # than, like, compared (_COMPARED_WITH)
    media_word: bool  # news, magazine, radio ... (_MEDIA_SPEAKER)
    # A source verb in the sentence's last `source_tail` characters (source_clause can match).
    source_verb: bool = True

    @classmethod
    def of(cls, folded: str, cues: RoleCues) -> _SentenceScan:
        found = _scan_flags(folded, cues)
        return cls(bool(found & _GROUP), bool(found & _PLACE), bool(found & _COMPARISON),
                   bool(found & _MEDIA), bool(found & _SOURCE))

    @classmethod
    def by_words(cls, folded: str, cues: RoleCues) -> _SentenceScan:
        """The same flags, one `in` test per word (the automaton's reference)."""
        group_words = cues.group_before_words
        tail = folded[-cues.source_tail:]
        return cls(
            not group_words or any(w in folded for w in group_words),
            any(w in folded for w in _PLACE_SCAN_WORDS),
            any(w in folded for w in _COMPARISON_SCAN_WORDS),
            any(w in folded for w in _MEDIA_SCAN_WORDS),
            not cues.source_verbs or any(verb in tail for verb in cues.source_verb_cores),
        )


def is_group(sentence: str, mention: ActorMention, previous: ActorMention | None,
             cues: RoleCues | None = None) -> bool:
    """A demonym naming an ethnic group, a language or a faction, not a state; also a country named
    only as a stance ("anti-Syria journalist"), a line on the map ("on the Thai border") or a
    comparison ("more than Argentina")."""
    cues = cues or default_cues()
    return _is_group(sentence, mention, previous, cues, _scan_flags(fold_case(sentence), cues))


def _is_group(sentence: str, mention: ActorMention, previous: ActorMention | None, cues: RoleCues,
              flags: int) -> bool:
    """is_group, with the sentence's _scan_flags given."""
    if flags & _GROUP and cues.group_before.search(sentence[max(0, mention.start - 20):mention.start]):
        return True
    if flags & _COMPARISON and _COMPARED_WITH.search(sentence, max(0, mention.start - 20), mention.start):
        return True
    if flags & _PLACE and (
            _PLACE_DESCRIPTOR.match(sentence[mention.end:mention.end + 20])
            or _BORDER_WITH.search(sentence[max(0, mention.start - 25):mention.start])):
        return True
    if mention.kind not in _PEOPLE_KINDS:
        return False
    after = sentence[mention.end:mention.end + 25]
    if cues.group_after.match(after) or _PEOPLE_OF_PLACE.match(after):
        return True
    # "Bosnian Serbs": a people named right after another place's adjective lives there.
    return (previous is not None and previous.kind in _PEOPLE_KINDS
            and previous.code != mention.code and sentence[previous.end:mention.start].strip() == "")


def event_actors(sentence: str, mentions: Sequence[ActorMention],
                 cues: RoleCues | None = None) -> list[ActorMention]:
    """The mentions taking part in the sentence's event: parties and organisations, in order."""
    cues = cues or default_cues()
    if len(mentions) == 1:
        only = mentions[0]
        if only.role == "venue" or only.kind == "dateline":
            return []  # excluded whatever the sentence says: no need to read it
    # Case-folded once per sentence, for the cheap tests before each regex (fold_case, its common
    # case inline).
    folded = sentence.lower() if sentence.isascii() else fold_case(sentence)
    flags = _scan_flags(folded, cues)
    # A source clause that holds every actor is the whole sentence's subject, not an aside; so with
    # fewer than two mentions there is nothing to look for. (As source_span_start, its verb test
    # done by the scan.)
    source_start = len(sentence)
    if len(mentions) > 1 and flags & _SOURCE:
        found = _search_source_clause(sentence, cues)
        if found:
            source_start = found.start()
    if source_start < len(sentence) and all(m.start >= source_start for m in mentions):
        source_start = len(sentence)
    according = ([(m.start(), m.end()) for m in _ACCORDING_TO.finditer(sentence)]
                 if flags & _ACCORDING else [])
    if according and according[0][0] == 0 and according[0][1] == len(sentence.rstrip(". ")):
        opening = _OPENING_ACCORDING_TO.match(sentence)
        according[0] = (0, opening.end() if opening else 0)
    near_mention = flags & _NEAR_MENTION
    group_after = flags & _GROUP_AFTER
    media = flags & _MEDIA
    kept: list[ActorMention] = []
    previous: ActorMention | None = None
    # sorted() is stable: one mention, or two in order, need no sorting.
    if len(mentions) == 1 or (len(mentions) == 2 and mentions[0].start <= mentions[1].start):
        ordered = mentions
    else:
        ordered = sorted(mentions, key=_start_of)
    for mention in ordered:
        kind = mention.kind
        # _is_group finds nothing without a word of its tests; for a people, nor without a
        # group_after word, an "of" right after it or a people right before it.
        excluded = (
            mention.role == "venue"
            or kind == "dateline"
            or mention.start >= source_start
            or (according and any(start <= mention.start < end for start, end in according))
            or ((near_mention or (kind in _PEOPLE_KINDS and (
                    group_after or sentence.find("of", mention.end, mention.end + 25) >= 0
                    or (previous is not None and previous.kind in _PEOPLE_KINDS))))
                and _is_group(sentence, mention, previous, cues, flags))
            or (media and kind not in _NOT_OUTLETS
                and _MEDIA_SPEAKER.match(sentence, mention.end, mention.end + 100) is not None)
        )
        if not excluded:
            kept.append(mention)
        previous = mention
    return kept
