"""Which countries an article is about, from the actor mentions of its sentences.

`salient_countries` is re-exported by `analysis.actors`; the rule is tuned and measured by
bench/eval_reuters.py against Reuters-21578's human `places` tags.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.model import ActorMention


@dataclass(frozen=True)
class SalienceRule:
    """When a country named in an article is one the article is about (see `salient_countries`)."""

    lead_sentences: int = 1  # named in the headline (sentence 0) or the first sentences ...
    min_count: int = 2  # ... or named in at least this many sentences ...
    min_share: float = 0.1  # ... and its weighted score is at least this share of the top country's
    venue_weight: float = 0.5  # a venue mention counts this much of a party mention
    decay: float = 0.15  # a mention in sentence i weighs 1 / (1 + decay * i)
    dateline_is_lead: bool = True  # the dateline's country counts as named in the lead
    # A sentence of the lead that names this many countries is an enumeration the story is about
    # ("buyers were Singapore, Japan, Britain and the U.S."): every country in it is salient.
    # 0 turns the rule off.
    list_min_countries: int = 4
    list_lead_sentences: int = 3  # the lead: the headline and the first two sentences ...
    list_lead_share: float = 0.2  # ... or the first fifth of a long article


DEFAULT_SALIENCE = SalienceRule()
_KIND_WEIGHT = {"dateline": 1.0, "city": 0.7}


def salient_countries(mentions_by_sentence: Sequence[Sequence[ActorMention]],
                      n_sentences: int | None = None,
                      rule: SalienceRule = DEFAULT_SALIENCE) -> tuple[list[str], list[str]]:
    """(countries the article is about, most salient first; countries only named in passing).

    `mentions_by_sentence[i]` holds the mentions found in sentence i (the headline is sentence 0);
    `n_sentences` is the article length, accepted for callers: the rule counts the sentences given.
    A country counts when
    - it is named in the lead (headline or first sentences, and the dateline) or in at least
      `min_count` sentences (three mentions in one sentence are one statement), and its
      position-weighted score reaches `min_share` of the top country's: "a country named once in
      passing late in a long article" is a mention; or
    - it is one of an enumeration of at least `list_min_countries` countries in one sentence of the
      lead (`list_lead_sentences`, or the first `list_lead_share` of the article): a story that
      lists countries in its opening lines is about all of them, not only the first one named.
    An article that names any country is about at least the one with the highest score.
    Organisations are ignored. The default rule was tuned on Reuters files 000-004 and checked on
    005-009 (bench/eval_reuters.py).
    """
    score: dict[str, float] = {}
    count: dict[str, int] = {}  # sentences naming the country
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    lead: set[str] = set()
    # The rule's numbers bound once: this loop runs for every mention of every article.
    venue_weight, decay, lead_sentences = rule.venue_weight, rule.decay, rule.lead_sentences
    dateline_is_lead = rule.dateline_is_lead
    kind_weight = _KIND_WEIGHT.get
    for index, mentions in enumerate(mentions_by_sentence):
        if not mentions:
            continue
        position = 1.0 + decay * index
        in_lead = index < lead_sentences
        for mention in mentions:
            if mention.is_organisation:
                continue
            code = mention.code
            kind = mention.kind
            weight = kind_weight(kind, 1.0)
            if mention.role == "venue" and kind != "dateline":
                weight *= venue_weight
            if weight <= 0:
                continue
            if last.get(code) != index:
                seen = count.get(code)
                if seen is None:  # the code's first mention
                    count[code] = 1
                    first[code] = index
                else:
                    count[code] = seen + 1
                last[code] = index
            score[code] = score.get(code, 0.0) + weight / position
            if in_lead or (kind == "dateline" and dateline_is_lead):
                lead.add(code)
    if not score:
        return [], []
    threshold = rule.min_share * max(score.values())
    min_count = rule.min_count
    chosen = {c for c in score if (c in lead or count[c] >= min_count) and score[c] >= threshold}
    if any_enumeration(mentions_by_sentence, rule):
        chosen |= enumerated_in_lead(mentions_by_sentence, rule)
    ranked = sorted(score, key=lambda c: (-score[c], first[c])) if len(score) > 1 else list(score)
    if not chosen:
        # An article that names countries is about at least the one it names most, even when
        # that one only appears late ("... said Iran's oil minister" in a story about oil prices).
        chosen = {ranked[0]}
    countries = [c for c in ranked if c in chosen]
    mentions = [c for c in ranked if c not in chosen]
    return countries, mentions


def any_enumeration(mentions_by_sentence: Sequence[Sequence[ActorMention]],
                    rule: SalienceRule = DEFAULT_SALIENCE) -> bool:
    """False when no sentence has even `rule.list_min_countries` mentions, so `enumerated_in_lead`
    is surely empty (a cheap test: most sentences name one or two actors)."""
    least = rule.list_min_countries
    if least <= 0:
        return False
    for mentions in mentions_by_sentence:
        if len(mentions) >= least:
            return True
    return False


def enumerated_in_lead(mentions_by_sentence: Sequence[Sequence[ActorMention]],
                       rule: SalienceRule = DEFAULT_SALIENCE) -> set[str]:
    """Countries listed together in one lead sentence that names at least `rule.list_min_countries`.

    The lead is the first `list_lead_sentences` sentences (headline included), or the first
    `list_lead_share` of the article when that is longer. Datelines, venues and organisations are
    not part of an enumeration ("LONDON, March 3 - ..." says where the story was filed).
    """
    if rule.list_min_countries <= 0:
        return set()
    lead_length = max(rule.list_lead_sentences, rule.list_lead_share * len(mentions_by_sentence))
    listed: set[str] = set()
    for index, mentions in enumerate(mentions_by_sentence):
        if index >= lead_length:
            break
        named = {m.code for m in mentions
                 if not m.is_organisation and m.kind != "dateline" and m.role != "venue"}
        if len(named) >= rule.list_min_countries:
            listed |= named
    return listed
