"""Which actor mentions of a sentence take part in its event.

The actor dictionary finds every country, leader and organisation a sentence names and marks venues.
This module settles two questions on top of it, with cue words from `data/roles/cues.yaml`:

- **Venue or party.** A place is a venue only when the sentence is about a gathering (meet, talks,
  summit, visit, held, sidelines ...): "Rubio will meet Lavrov in Kuala Lumpur". Otherwise a place
  after "in"/"at" is a party: "a peace-keeping force in Liberia", "an embassy in Tehran", "blockades
  in the West Bank" are about that country.
- **Taking part in the event.** Not every remaining mention is a party to what the sentence reports:
  the *source* of the report ("..., a state-owned Egyptian newspaper said.", "according to the Swiss
  agency") tells who speaks; an *ethnic group or language* ("ethnic Albanian", "Bosnian Serbs",
  "the Russian language") is not a state; a *dateline* ("TOKYO, March 3 -") tells where the report
  was filed.

`event_actors` keeps the mentions that take part, in sentence order; the first of them is the
sentence's subject, which the pair rule (analysis.pairs) anchors on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import yaml

from analysis.model import ActorMention

DEFAULT_CUES = Path(__file__).resolve().parent.parent / "data" / "roles" / "cues.yaml"


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class RoleCues:
    meeting: re.Pattern
    source_clause: re.Pattern
    group_before: re.Pattern
    group_after: re.Pattern

    @classmethod
    def load(cls, path: Path = DEFAULT_CUES) -> RoleCues:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        for key in ("meeting_words", "source_verbs", "group_before", "group_after"):
            if not isinstance(data.get(key), list) or not all(isinstance(w, str) for w in data[key]):
                raise ValueError(f"{path}: '{key}' must be a list of words")
        return cls(
            meeting=re.compile(rf"\b(?:{_alternation(data['meeting_words'])})\b", re.IGNORECASE),
            # The reporting verb must close the sentence ("said on Tuesday."), so "- The U.S. said
            # it would ..." after a dateline is not a source clause.
            source_clause=re.compile(
                rf"[,;:\u2014\u2013]\s*[^,;:\u2014\u2013]*?\b(?:{_alternation(data['source_verbs'])})\b"
                r"[^,;:]{0,40}$", re.IGNORECASE),
            group_before=re.compile(rf"\b(?:{_alternation(data['group_before'])})[\s-]+$", re.IGNORECASE),
            group_after=re.compile(rf"^(?:-|\s)*(?:{_alternation(data['group_after'])})\b", re.IGNORECASE),
        )


@lru_cache(maxsize=4)
def default_cues(path: Path = DEFAULT_CUES) -> RoleCues:
    return RoleCues.load(path)


_ACCORDING_TO = re.compile(
    r"\b(?:according\s+to|quoted\s+by|cited\s+by|reported\s+by|citing)\s+[^,;.]*", re.IGNORECASE)
_PEOPLE_KINDS = frozenset({"demonym"})
# "the Thai border", "Macedonia's border with Bulgaria": a place on the map, not an actor.
_PLACE_DESCRIPTOR = re.compile(r"^(?:'s)?\s+(?:border|borders|frontier|coast|coastline|waters)\b",
                               re.IGNORECASE)
# How far after a place a gathering word still makes it the venue: "the Kuala Lumpur talks".
_AFTER_WINDOW = 30


def settle_venues(sentence: str, mentions: Sequence[ActorMention],
                  cues: RoleCues | None = None) -> tuple[ActorMention, ...]:
    """Keep a venue a venue only in a sentence about a gathering; otherwise the place is a party."""
    cues = cues or default_cues()
    settled = []
    for mention in mentions:
        if mention.role == "venue" and mention.kind != "dateline":
            context = sentence[:mention.start] + " " + sentence[mention.end:mention.end + _AFTER_WINDOW]
            if not cues.meeting.search(context):
                mention = replace(mention, role="party")
        settled.append(mention)
    return tuple(settled)


def source_span_start(sentence: str, cues: RoleCues | None = None) -> int:
    """Where a trailing report-source clause begins (len(sentence) when there is none)."""
    found = (cues or default_cues()).source_clause.search(sentence)
    return found.start() if found else len(sentence)


def is_group(sentence: str, mention: ActorMention, previous: ActorMention | None,
             cues: RoleCues | None = None) -> bool:
    """A demonym naming an ethnic group, a language or a faction, not a state; also a country named
    only as a stance ("anti-Syria journalist") or a line on the map ("on the Thai border")."""
    cues = cues or default_cues()
    if cues.group_before.search(sentence[max(0, mention.start - 20):mention.start]):
        return True
    if _PLACE_DESCRIPTOR.match(sentence[mention.end:mention.end + 20]):
        return True
    if mention.kind not in _PEOPLE_KINDS:
        return False
    if cues.group_after.match(sentence[mention.end:mention.end + 25]):
        return True
    # "Bosnian Serbs": a people named right after another place's adjective lives there.
    return (previous is not None and previous.kind in _PEOPLE_KINDS
            and previous.code != mention.code and sentence[previous.end:mention.start].strip() == "")


def event_actors(sentence: str, mentions: Sequence[ActorMention],
                 cues: RoleCues | None = None) -> list[ActorMention]:
    """The mentions taking part in the sentence's event: parties and organisations, in order."""
    cues = cues or default_cues()
    source_start = source_span_start(sentence, cues)
    # A source clause that holds every actor is the whole sentence's subject, not an aside.
    if all(m.start >= source_start for m in mentions):
        source_start = len(sentence)
    according = [(m.start(), m.end()) for m in _ACCORDING_TO.finditer(sentence)]
    kept: list[ActorMention] = []
    previous: ActorMention | None = None
    for mention in sorted(mentions, key=lambda m: m.start):
        excluded = (
            mention.role == "venue"
            or mention.kind == "dateline"
            or mention.start >= source_start
            or any(start <= mention.start < end for start, end in according)
            or is_group(sentence, mention, previous, cues)
        )
        if not excluded:
            kept.append(mention)
        previous = mention
    return kept
