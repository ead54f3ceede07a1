"""Records that cross module boundaries: what each step of the engine reads and produces.

All are frozen dataclasses so a step can never mutate what an earlier step produced; a step returns
new records instead. `to_dict()` gives the JSON shape used by the CLI and the store.
"""
from __future__ import annotations

import copy
import json
import re
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Literal

import orjson

DateSource = Literal["header", "field", "dateline", "story", "none"]
Stance = Literal["conflict", "cooperation", "neutral"]
Polarity = Literal["escalation", "cooperation"]
# A lone surrogate (JSON's "\ud83d" escape without its pair) is no character and cannot be written as
# UTF-8; the readers and to_json turn each into U+FFFD.
LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
# How a keyword is meant: an act that happened, a threat or hypothetical, a negated act, or history.
Modality = Literal["act", "threat", "negated", "historical"]
ActorKind = Literal[
    "country", "iso", "demonym", "capital", "metonym", "organ", "leader", "city", "dateline",
    "historical", "organisation",
]
Role = Literal["party", "venue"]


@dataclass(frozen=True)
class Article:
    """One news article as read from any input format, before cleaning."""

    id: str
    title: str
    text: str  # body without the title line
    date: str | None = None  # ISO YYYY-MM-DD, None when undated
    date_source: DateSource = "none"
    source: str | None = None
    url: str | None = None
    origin: str = ""  # where it was read from: "path" or "path:line"
    language: str | None = None  # ISO 639-1 guess; None when unknown
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return _plain(self)


@dataclass(frozen=True)
class ReadError:
    """An input that could not be read; `origin` names the file and, where known, the line."""

    origin: str
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


@dataclass(frozen=True)
class Removal:
    """A piece of text the cleaner removed, kept so the UI can show what was dropped and why."""

    kind: str  # e.g. "related-headlines", "share-furniture", "outlet-tag"
    text: str


@dataclass(frozen=True)
class CleanedText:
    text: str
    removed: tuple[Removal, ...] = ()
    cited_sources: tuple[str, ...] = ()  # outlets the article credits, e.g. ("Reuters",)


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int  # character offsets in the cleaned text
    end: int
    text: str


@dataclass(frozen=True)
class ActorMention:
    """A span of a sentence that refers to a country (or an organisation)."""

    start: int  # character offsets within the sentence
    end: int
    text: str
    code: str  # ISO3 for countries, short name for organisations ("NATO")
    kind: ActorKind
    role: Role = "party"
    is_organisation: bool = False


@dataclass(frozen=True)
class KeywordMatch:
    """An escalation or cooperation term found in a sentence, with its modifiers applied."""

    term: str  # the lexicon entry, e.g. "drone assault"
    category: str  # PLOVER-like category, e.g. "ASSAULT"
    polarity: Polarity
    weight: float  # lexicon weight, 0..10 (Goldstein-like magnitude)
    start: int
    end: int
    modality: Modality = "act"
    factor: float = 1.0  # multiplier from modifiers: negation, threat, history, intensity

    @property
    def score(self) -> float:
        return self.weight * self.factor


@dataclass(frozen=True)
class ScoredSentence:
    index: int
    text: str
    parties: tuple[str, ...]  # ISO3 of countries acting or acted upon
    venues: tuple[str, ...]
    organisations: tuple[str, ...]
    actors: tuple[ActorMention, ...]
    keywords: tuple[KeywordMatch, ...]
    sentiment: float  # VADER compound, -1..1
    escalation: float  # sum of escalation keyword scores
    cooperation: float  # sum of cooperation keyword scores


@dataclass(frozen=True)
class Evidence:
    sentence: int  # index in the article
    text: str
    keywords: tuple[str, ...]
    sentiment: float


@dataclass(frozen=True)
class PairSignal:
    pair: str  # two ISO3 codes sorted, joined by "-", e.g. "RUS-USA"
    sentences: int
    sentiment: float
    escalation: float
    cooperation: float
    tension: float  # 0..100, see METHOD.md
    stance: Stance
    keywords: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    direction: str | None = None  # "RUS->UKR" when the text says who acts on whom


@dataclass(frozen=True)
class KeywordCount:
    term: str
    category: str
    count: int


@dataclass(frozen=True)
class ScoredArticle:
    id: str
    title: str
    date: str | None
    date_source: DateSource
    source: str | None
    url: str | None
    origin: str
    countries: tuple[str, ...]  # ISO3, most salient first
    mentions: tuple[str, ...]  # countries named only in passing
    venues: tuple[str, ...]
    sentiment: float
    escalation: float
    cooperation: float
    tension: float
    pairs: tuple[PairSignal, ...]
    keywords: tuple[KeywordCount, ...]
    warnings: tuple[str, ...] = ()
    cited_sources: tuple[str, ...] = ()
    removed: tuple[Removal, ...] = ()
    language: str | None = None  # ISO 639-1 guess from the reader; None when unknown
    sentences: tuple[ScoredSentence, ...] = field(default=(), repr=False)
    text: str = field(default="", repr=False)  # the cleaned text the sentences index into

    def to_dict(self, with_sentences: bool = False) -> dict:
        if with_sentences:
            return _plain(self)
        # Without sentences, never convert them (asdict() copied every sentence, then dropped it).
        state, atomic, out = self.__dict__, _ATOMIC, {}
        for name in _ARTICLE_FIELDS_WITHOUT_SENTENCES:
            item = state[name]
            out[name] = item if type(item) in atomic else _plain(item)
        return out

    def to_json(self, with_sentences: bool = False) -> str:
        """`to_dict(with_sentences)` as compact JSON (UTF-8 kept, no spaces after separators).
        orjson encodes the records straight from their fields, 4-7x faster than json on to_dict()
        (18 -> 5 µs for a WCEP article, 40 -> 5 µs with its sentences); tests/test_pipeline_output.py
        holds it to the same values as json.dumps(to_dict())."""
        # orjson writes a record's fields in its __dict__'s order, and the engine fills a
        # ScoredArticle's __dict__ defaulted fields first (pipeline.step_signals): the top level is
        # built here in declaration order. Nested records' __dict__ are in declaration order.
        state = self.__dict__
        names = _FIELD_NAMES[ScoredArticle] if with_sentences else _ARTICLE_FIELDS_WITHOUT_SENTENCES
        try:
            return orjson.dumps({name: state[name] for name in names}).decode()
        except orjson.JSONEncodeError:
            # orjson refuses a lone surrogate. The readers replace them, so only a record built in
            # code holds one: it goes through json and gets the readers' U+FFFD.
            plain = json.dumps(self.to_dict(with_sentences), ensure_ascii=False, separators=(",", ":"))
            return without_lone_surrogates(plain)


def without_lone_surrogates(text: str) -> str:
    """`text` with each lone surrogate as U+FFFD (printable text has none)."""
    return text if text.isprintable() or not LONE_SURROGATE.search(text) else LONE_SURROGATE.sub("\ufffd", text)


# --- to_dict: what dataclasses.asdict() returns, built without its per-value deepcopy --------------
# asdict() walks every value through copy.deepcopy (~150 µs per WCEP article with its pairs); our
# records hold only str/int/float/bool/None, tuples and other records, which need no copy.

_ATOMIC = frozenset({str, int, float, bool, type(None)})


def _plain(value):
    """`value` as dataclasses.asdict() would give it: records become dicts (fields in declaration
    order), tuples and lists keep their type, anything unexpected goes through asdict's own path."""
    kind = type(value)
    if kind in _ATOMIC:
        return value
    names = _FIELD_NAMES.get(kind)
    atomic = _ATOMIC
    if names is not None:
        state = value.__dict__
        out = {}
        for name in names:  # most fields are atomic: test inline rather than call
            item = state[name]
            out[name] = item if type(item) in atomic else _plain(item)
        return out
    if kind is tuple or kind is list:
        return kind([item if type(item) in atomic else _plain(item) for item in value])
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, dict):
        return kind((_plain(k), _plain(v)) for k, v in value.items())
    return copy.deepcopy(value)


def _tuple_of(cls, items) -> tuple:
    return tuple(cls(**item) for item in items or ())


def scored_article_from_dict(data: dict) -> ScoredArticle:
    """Rebuild a ScoredArticle from `ScoredArticle.to_dict(with_sentences=True)` (e.g. from Parquet)."""
    sentences = tuple(
        ScoredSentence(**{
            **s,
            "parties": tuple(s["parties"]), "venues": tuple(s["venues"]),
            "organisations": tuple(s["organisations"]),
            "actors": _tuple_of(ActorMention, s["actors"]),
            "keywords": _tuple_of(KeywordMatch, s["keywords"]),
        })
        for s in data.get("sentences") or ()
    )
    pairs = tuple(
        PairSignal(**{
            **p, "keywords": tuple(p["keywords"]),
            "evidence": tuple(Evidence(**{**e, "keywords": tuple(e["keywords"])}) for e in p["evidence"]),
        })
        for p in data.get("pairs") or ()
    )
    simple = {k: v for k, v in data.items() if k not in {"sentences", "pairs", "keywords", "removed"}}
    for name in ("countries", "mentions", "venues", "warnings", "cited_sources"):
        simple[name] = tuple(simple.get(name) or ())
    return ScoredArticle(
        **simple,
        pairs=pairs,
        keywords=_tuple_of(KeywordCount, data.get("keywords")),
        removed=_tuple_of(Removal, data.get("removed")),
        sentences=sentences,
    )


# Field names in declaration order (asdict's order) of every record to_dict may meet.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in fields(cls))
    for cls in (Article, ReadError, Removal, CleanedText, Sentence, ActorMention, KeywordMatch,
                ScoredSentence, Evidence, PairSignal, KeywordCount, ScoredArticle)
}
_ARTICLE_FIELDS_WITHOUT_SENTENCES = tuple(
    name for name in _FIELD_NAMES[ScoredArticle] if name not in ("sentences", "text"))
