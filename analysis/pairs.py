"""From scored sentences to country-pair signals.

The attribution rule (METHOD.md, "Which pair a sentence speaks for"):

1. A sentence reports an event with a subject: the first actor it names that takes part in the event
   (analysis.roles: not a venue, not the source of the report, not an ethnic group, not a dateline).
   When the subject is a country (or countries joined by "and"), the sentence speaks for the pairs of
   the subject with its counterpart (the next party it names), and between the joined subject
   countries - unless they are co-actors of a purely hostile act against the counterpart ("Japan and
   South Korea protested to China"), or against no one named ("France and Germany condemned the
   attack") when the act is not one done to each other (data/lexicon/mutual.csv: "India and Pakistan
   clashed"; or "each other"), or examples of a group ("states such as Peru and Chile").
   Countries joining the event ("joined by Italian vessels") stand on the subject's side; a country
   only inside a "whose" clause, or in a separate clause after joined subjects (", as China held
   drills"), is not the counterpart; a second verb after "but" has a counterpart of its own. When the
   subject is an organisation (NATO, the UN, al-Qaeda), the event is between it and the countries, and
   forms no country pair.
2. Whatever the subject, an explicit link always forms a pair: "between X and Y", "U.S.-Russia".
3. Venues — countries named only as where something happens — form no pair, and neither does a
   country the whole article treats as a venue (named as a venue in more sentences than as a party).
4. A sentence that names one party and carries escalation or cooperation language continues the
   story it sits in: it also speaks, at half weight, for that party's main counterpart in the article
   (the country it shares most sentences with). It never invents a pair the article does not contain
   elsewhere.
5. Domestic sentences (one country only, or a country with itself) form no pair.
6. In a sentence speaking for several pairs, each escalation or cooperation term counts for the pair
   whose two parties stand closest to it ("tension between Washington and Moscow as the war in Ukraine
   drags on": the tension is RUS–USA, the war RUS–UKR) - unless all the pairs share one party and the
   others are one list ("defended Iraq and Libya"): then each term counts for every pair. Every pair
   still lists the sentence as evidence; sentiment is shared.
7. Terms of a clause about another event (", as ...", "while", "which", "after" ... once both parties
   are named) do not count for the pair, unless the pair's own clause has none.

Per pair and article the signal keeps its evidence: the sentences, their matched terms and sentiment,
so that every number can be traced back to text.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from itertools import combinations
from operator import itemgetter
from typing import Collection, Iterable, Sequence

from analysis.lexicon import shipped_mutual_terms
from analysis.model import ActorMention, Evidence, KeywordMatch, PairSignal, ScoredSentence
from analysis.roles import event_actors

# Damping in the keyword balance (E - C) / (E + C + K): one mild term cannot saturate the index, a
# massive assault (weight 9, intensity 1.5) reaches about 0.7 of the keyword range on its own.
KEYWORD_DAMPING = 5.0
# Share of the tension index carried by the keyword balance; the rest is VADER tone.
KEYWORD_SHARE = 0.75
# Weight of a sentence attributed through context (rule 2) rather than by naming both parties.
CONTEXT_WEIGHT = 0.5


def pair_key(a: str, b: str) -> str:
    """The canonical pair name: both ISO3 codes sorted and joined by '-'."""
    return f"{a}-{b}" if a <= b else f"{b}-{a}"  # sorted() of two, without building the list


def tension_index(escalation: float, cooperation: float, sentiment: float) -> float:
    """0..100: 50 is neutral, above 50 conflictual, below 50 cooperative (see METHOD.md).

    keyword balance = (E - C) / (E + C + 5), in (-1, 1); tone = -sentiment, in [-1, 1];
    tension = 50 + 50 * (0.75 * keyword balance + 0.25 * tone).
    """
    balance = (escalation - cooperation) / (escalation + cooperation + KEYWORD_DAMPING)
    # Conditionals instead of min()/max() calls (this runs once per article and pair): each picks
    # exactly what the builtin would, -0.0 and ties included.
    clipped = sentiment if sentiment < 1.0 else 1.0  # min(1.0, sentiment)
    tone = -(clipped if clipped > -1.0 else -1.0)  # -max(-1.0, ...)
    value = 50.0 + 50.0 * (KEYWORD_SHARE * balance + _TONE_SHARE * tone)
    value = value if value > 0.0 else 0.0  # max(0.0, value)
    return round(value if value < 100.0 else 100.0, 2)  # min(100.0, value)


_TONE_SHARE = 1.0 - KEYWORD_SHARE


def article_venues(sentences: Iterable[ScoredSentence]) -> set[str]:
    """Countries the article names as a venue in more sentences than it names them as a party.

    A sentence in which a country is a party anywhere counts for the party side. A dateline
    ("LONDON, March 3 -") says where the report was filed, not where the event happened: it is
    neither.
    """
    sentences = sentences if isinstance(sentences, (list, tuple)) else list(sentences)
    for sentence in sentences:  # a plain loop: no generator built on every call
        if sentence.venues:
            break
    else:
        return set()  # no venue anywhere (most articles): nothing to count
    # Plain dicts (a Counter's += goes through Python-level __missing__ for each new code).
    as_party: dict[str, int] = {}
    as_venue: dict[str, int] = {}
    for sentence in sentences:
        actors = sentence.actors
        if not actors:
            continue
        if len(actors) == 1:  # one mention: its role is the sentence's
            mention = actors[0]
            if mention.is_organisation or mention.kind == "dateline":
                continue
            counts = as_venue if mention.role == "venue" else as_party
            counts[mention.code] = counts.get(mention.code, 0) + 1
            continue
        roles: dict[str, str] = {}
        for mention in actors:
            if mention.is_organisation or mention.kind == "dateline":
                continue
            if roles.get(mention.code) != "party":
                roles[mention.code] = mention.role
        for code, role in roles.items():
            counts = as_venue if role == "venue" else as_party
            counts[code] = counts.get(code, 0) + 1
    return {code for code, n in as_venue.items() if n > as_party.get(code, 0)}


def direction_in(sentence: ScoredSentence, a: str, b: str) -> str | None:
    """'A->B' when one party is named before the first keyword and the other only after it.

    "Russia launched a record 728 drones against Ukraine" gives RUS->UKR. Anything less clear-cut
    (both before, both after, no keyword, passive "by") gives None.
    """
    keywords = sentence.keywords
    if not keywords:
        return None
    pivot = keywords[0].start if len(keywords) == 1 else min([k.start for k in keywords])
    first_of: dict[str, int] = {}
    for mention in sentence.actors:
        code = mention.code
        if mention.role == "party" and (code == a or code == b):
            seen = first_of.get(code)
            if seen is None or mention.start < seen:  # min() of the starts
                first_of[code] = mention.start
    if len(first_of) < 2:
        return None
    before = [c for c, pos in first_of.items() if pos < pivot]
    if len(before) != 1 or " by " in sentence.text[pivot:].lower():
        return None
    actor = before[0]
    target = b if actor == a else a
    return f"{actor}->{target}"


_new = object.__new__


def _evidence(index: int, text: str, terms: tuple[str, ...], sentiment: float) -> Evidence:
    """Evidence(index, text, terms, sentiment), built into its __dict__ without the frozen
    dataclass's __init__ (one per sentence and pair)."""
    record = _new(Evidence)
    record.__dict__.update(sentence=index, text=text, keywords=terms, sentiment=sentiment)
    return record


class _PairAccumulator:
    """What one article says about one pair so far. A plain class with slots (it is built per pair
    and article: a dataclass with default factories cost a Counter, a list and a set up front)."""

    __slots__ = ("weight", "sentiment_sum", "escalation", "cooperation", "keywords", "evidence",
                 "directions")

    def __init__(self) -> None:
        self.weight = 0.0
        self.sentiment_sum = 0.0
        self.escalation = 0.0
        self.cooperation = 0.0
        self.keywords: dict[str, int] = {}  # term -> sentences, in first-seen order (as a Counter)
        self.evidence: list[Evidence] = []
        self.directions: set[str] = set()

    def add(self, sentence: ScoredSentence, weight: float, direction: str | None,
            keywords: Sequence[KeywordMatch] | None = None) -> None:
        keywords = sentence.keywords if keywords is None else keywords
        self.weight += weight
        self.sentiment_sum += weight * sentence.sentiment
        if len(keywords) == 1:  # the common case: sum() of one score is 0 + score, of none int 0
            only = keywords[0]
            score = 0 + only.weight * only.factor
            escalation = score if only.polarity == "escalation" else 0
            cooperation = score if only.polarity == "cooperation" else 0
            self.escalation += weight * escalation
            self.cooperation += weight * cooperation
            terms = (only.term,)
            self.keywords[only.term] = self.keywords.get(only.term, 0) + 1
        elif keywords:
            # sum() of lists (not generators: cheaper, and the same additions in the same order);
            # weight * factor is KeywordMatch.score without the property call.
            self.escalation += weight * sum([k.weight * k.factor for k in keywords if k.polarity == "escalation"])
            self.cooperation += weight * sum([k.weight * k.factor for k in keywords if k.polarity == "cooperation"])
            terms = tuple(dict.fromkeys([k.term for k in keywords]))
            counts = self.keywords
            for term in terms:
                counts[term] = counts.get(term, 0) + 1
        else:  # no term: sum() of nothing is int 0, and weight * 0 a float zero added
            self.escalation += weight * 0
            self.cooperation += weight * 0
            terms = ()
        self.evidence.append(_evidence(sentence.index, sentence.text, terms, sentence.sentiment))
        if direction:
            self.directions.add(direction)

    def most_common_keywords(self) -> tuple[str, ...]:
        """Terms by the number of sentences they occur in, first seen first among equals
        (Counter.most_common's order: a stable sort on the count)."""
        counts = self.keywords
        if len(counts) < 2:
            return tuple(counts)
        return tuple([term for term, _ in sorted(counts.items(), key=_count_of, reverse=True)])


_count_of = itemgetter(1)


_COORDINATION = re.compile(r"^\s*(?:and|&|,|,\s*and|as\s+well\s+as|together\s+with|along\s+with)\s*(?:the\s+)?$",
                           re.IGNORECASE)
_HYPHEN_LINK = re.compile(r"^\s*[-\u2013/]\s*$")
_BETWEEN = re.compile(r"\b(?:between|among)\s+(?:the\s+)?$", re.IGNORECASE)


def sentence_pairs(sentence: ScoredSentence, venues: set[str],
                   taking_part: Sequence[ActorMention] | None = None,
                   mutual_terms: Collection[str] | None = None) -> list[tuple[str, str]]:
    """The country pairs a sentence speaks for by rules 1, 2, 3 and 5 (module docstring).

    `taking_part` is `event_actors(sentence.text, sentence.actors)` when the caller has it already.
    `mutual_terms`: the lexicon's hostile acts between the parties themselves (Lexicon.mutual_terms;
    default: data/lexicon/mutual.csv as shipped).
    """
    text = sentence.text
    if taking_part is None:
        taking_part = event_actors(text, sentence.actors)
    actors = [m for m in taking_part if m.is_organisation or m.code not in venues] if venues else list(taking_part)
    if len(actors) < 2:
        return []
    pairs: dict[tuple[str, str], None] = {}

    def link(a: str, b: str) -> None:
        if a != b:
            pairs[(a, b) if a < b else (b, a)] = None  # tuple(sorted((a, b))), without the list

    # Each regex below runs only when its cue word is in the sentence at all (cheap, and most are not).
    lowered = text.lower()
    between_word = "between" in lowered or "among" in lowered
    # Rule 2: explicit links between neighbouring mentions. (Both regexes match only text opening
    # with one of _JOIN_OPENERS.)
    for left, right in zip(actors, actors[1:]):
        if left.is_organisation or right.is_organisation:
            continue
        between = text[left.end:right.start]
        if between.lstrip()[:1] not in _JOIN_OPENERS:
            continue
        if _HYPHEN_LINK.match(between) or (
                between_word and _COORDINATION.match(between) and _BETWEEN.search(text[:left.start])):
            link(left.code, right.code)
    # An organisation named as a place ("At the United Nations, Powell ...") is not the subject.
    while actors and actors[0].is_organisation and _PLACE_PREPOSITION.search(text[:actors[0].start]):
        actors = actors[1:]
    if not actors or actors[0].is_organisation:
        return list(pairs)
    # Rule 1: the subject (with countries joined to it by "and") against its counterpart: the next
    # party named after it (with those joined to that one), skipping an appositive right after the
    # subject ("Pakistan, a key U.S. ally, refused ... in Iraq").
    subject = _joined_run(text, actors, 0)
    subject_codes = [subject[0].code] if len(subject) == 1 else list(dict.fromkeys([m.code for m in subject]))
    whose = "whose" in lowered
    # An appositive opens with a comma right after the subject: without one, no candidate is in one.
    comma_next = _COMMA_NEXT.match(text, subject[-1].end) is not None
    rest = [m for m in actors[len(subject):]
            if not m.is_organisation and m.code not in subject_codes
            and not (comma_next and _in_appositive(text, subject[-1].end, m.start))
            and not (whose and _RELATIVE_CLAUSE.search(text, subject[-1].end, m.start))]
    # Countries that join the subject's event ("..., joined later by Italian vessels") are on its
    # side: they pair with its counterpart, not with the subject.
    side = list(subject_codes)
    joined = "joined" in lowered or "accompanied" in lowered
    while rest and joined and _JOINED_BY.search(text, subject[-1].end, rest[0].start):
        joiners = _joined_run(text, actors, _index_of(actors, rest[0]))
        side += [m.code for m in joiners if m.code not in side]
        rest = [m for m in rest if m.code not in side and m.start > joiners[-1].start]
    if rest and len(side) > 1 and _SEPARATE_CLAUSE.search(text, subject[-1].end, rest[0].start):
        rest = []  # "Japan and Australia signed a pact, as China held drills": the subjects' pair is all
    # An organisation in an appositive ("Turkey, which has the second largest army in NATO, ...") does
    # not end the subject's event. (An appositive opens with a comma right after the subject.)
    if comma_next:
        actors = [m for m in actors if not (m.is_organisation and m.start > subject[-1].end
                                            and _in_appositive(text, subject[-1].end, m.start))]
    has_counterpart = bool(rest) and not _event_ends_before(text, actors, subject[-1].end, rest[0])
    if len(subject_codes) > 1:
        # Joined subjects act with each other ("Hungarian and Romanian officials agreed", "Egypt and
        # Israel held talks on Gaza"), unless what they do is only hostile and aimed at another side,
        # a country or an organisation: then they are co-actors on one side ("Japan and South Korea
        # protested to China", "China and Russia vetoed a Security Council draft") and pair with it,
        # not with each other. Nor are countries given as examples of a group partners ("Countries
        # such as Poland, Latvia and Estonia ..."). A longer list is a set of places.
        # (A run joined by commas alone is no list of co-actors: "In Gaza, Israeli troops killed a
        # Hamas commander" sets a scene, then names the subject.)
        # With no other side named, they are co-actors too unless their act is one done to each other
        # ("India and Pakistan clashed", "... accused each other"): "France and Germany condemned the
        # attack" and "Russia and China vetoed the resolution" are no hostility between them.
        co_actors = bool(sentence.keywords) and all(k.polarity == "escalation" for k in sentence.keywords) \
            and any(_LIST_WORD.search(text, left.end, right.start) for left, right in zip(subject, subject[1:])) \
            and (has_counterpart or any(m.is_organisation for m in actors[len(subject):])
                 or not _mutual_act(sentence.keywords, subject[-1].end, lowered, mutual_terms))
        examples = _EXAMPLES.search(text, max(0, subject[0].start - 20), subject[0].start) is not None
        if len(subject_codes) <= MAX_JOINED_PARTNERS and not co_actors and not examples:
            for a, b in combinations(subject_codes, 2):
                link(a, b)
    if has_counterpart:
        start = _index_of(actors, rest[0])
        counterpart = [m for m in _joined_run(text, actors, start) if m.code not in side]
        for a in side:
            for b in dict.fromkeys([m.code for m in counterpart]):
                link(a, b)
        # "Benin admitted most migrants from Nigeria, but was still refusing Ghanaians": a second
        # predicate of the same subject has a counterpart of its own, the next party after it.
        after = counterpart[-1].end if counterpart else rest[0].end
        second = _SECOND_PREDICATE.search(text, after) if "but" in lowered or "yet" in lowered else None
        if second is not None:
            later = [m for m in rest if m.start >= second.end() and m.code not in side]
            if later and not _event_ends_before(text, actors, second.end(), later[0]):
                for b in dict.fromkeys([m.code for m in _joined_run(text, actors, _index_of(actors, later[0]))
                                        if m.code not in side]):
                    for a in side:
                        link(a, b)
    return list(pairs)


def _mutual_act(keywords: Sequence[KeywordMatch], subject_end: int, lowered: str,
                mutual_terms: Collection[str] | None) -> bool:
    """True when joined subjects act on each other: a reciprocal phrase ("each other"), or their act
    (the first term after them, else the first term) is one of the lexicon's mutual terms."""
    if _RECIPROCAL.search(lowered):
        return True
    if mutual_terms is None:
        mutual_terms = shipped_mutual_terms()
    act = next((k for k in keywords if k.start >= subject_end), keywords[0])
    return act.term in mutual_terms


# Phrases that make any act one done to each other: "accused each other", "exchange gunfire",
# "traded accusations".
_RECIPROCAL = re.compile(r"\b(?:each\s+other|one\s+another|mutual(?:ly)?|exchang(?:e|es|ed|ing)"
                         r"|trad(?:e|es|ed|ing)\s+(?:fire|shots|blows|accusations|insults|barbs|threats))\b")


def _index_of(actors: Sequence[ActorMention], mention: ActorMention) -> int:
    """`actors.index(mention)` without calling the dataclass __eq__ on each mention before it: only
    one at the same start can equal it."""
    for index, other in enumerate(actors):
        if other is mention or (other.start == mention.start and other == mention):
            return index
    raise ValueError("mention not in list")


# A new clause after a semicolon reports another event. (Conditions do not break the event: "Iran
# threatened to close the strait if the U.S. imposes sanctions" is an Iran-U.S. threat.)
_CLAUSE_BREAK = ";"


def _event_ends_before(text: str, actors: Sequence[ActorMention], event_start: int,
                       counterpart: ActorMention) -> bool:
    """True when the event told from `event_start` (the subject's end) ends before the counterpart is
    named: an organisation is its other side ("vetoed a Security Council resolution censuring ...
    Nicaraguan"), or a new clause intervenes."""
    end = counterpart.start
    for m in actors:  # a plain loop: no generator built on every call
        if m.is_organisation and event_start <= m.start < end:
            return True
    return text.find(_CLAUSE_BREAK, event_start, end) >= 0


def _joined_run(text: str, actors: Sequence[ActorMention], start: int) -> list[ActorMention]:
    """The country mentions from `start` on that are joined by "and", commas or hyphens."""
    run = [actors[start]]
    for mention in actors[start + 1:]:
        if mention.is_organisation:
            break
        joined = text[run[-1].end:mention.start]
        stripped = joined.strip()
        if not stripped:  # only space between: the same country named twice ("U.S. American")
            if mention.code != run[-1].code:
                break
        # The two regexes match only text whose first non-space character is one of _JOIN_OPENERS.
        elif stripped[0] not in _JOIN_OPENERS or not (_COORDINATION.match(joined) or _HYPHEN_LINK.match(joined)):
            break
        run.append(mention)
    return run


# The characters _COORDINATION ("and", "&", ",", "as well as", "together with", "along with", any
# case) and _HYPHEN_LINK can open with, after white space.
_JOIN_OPENERS = frozenset("aA&,tT-\u2013/")


# "... Saudi Arabia whose ties are strained by Riyadh's friendship with Tehran": a "whose" clause is a
# new statement with its own subject (the ties), so a country named only inside it is not the
# subject's counterpart. (Searched between the subject and a candidate: the clause runs to the next
# comma or semicolon.) A "which"/"who" clause often tells what the subject's own side did ("Georgian
# soldiers, who were detained by Russian forces") and is left alone.
_RELATIVE_CLAUSE = re.compile(r"\bwhose\b[^,;]*$", re.IGNORECASE)
# "French and Egyptian warships began exercises, to be joined later by Italian vessels".
_JOINED_BY = re.compile(r"\b(?:joined|accompanied)(?:\s+\w+){0,2}\s+by\s+(?:the\s+)?$", re.IGNORECASE)
# A second verb of the same subject after "but"/"yet", without a subject of its own: ", but was still
# refusing". (A new subject - "but Russia said" - is not this; nor is "and", which as often joins
# a clause about someone else: "were abducted and had been threatened by a Kuwaiti firm".)
_SECOND_PREDICATE = re.compile(
    r"(?:,\s*|\s)(?:but|yet)\s+(?:(?:also|still|then|later|now|has|have|had|was|were|is|are|will"
    r"|would|did|does|could|can|may|might|must|should)\s+)*(?:[a-z]+ed|has|have|had|was|were|is|are|will"
    r"|would|did|does|could|can|may|might|must|should)\b")
_COMMA_NEXT = re.compile(r"\s*,")
_LIST_WORD = re.compile(r"\band\b|&|\bwith\b|\bas\s+well\s+as\b", re.IGNORECASE)
_EXAMPLES = re.compile(r"\b(?:including|includes|include|such\s+as|like|notably|especially)\s+(?:the\s+)?$",
                       re.IGNORECASE)
# A clause with a subject of its own: ", as ...", "while ...", "whereas ...".
_SEPARATE_CLAUSE = re.compile(r",\s*as\b|\b(?:while|whereas)\b", re.IGNORECASE)
_PLACE_PREPOSITION = re.compile(r"\b(?:at|in|inside|outside|before|to)\s+(?:the\s+)?$", re.IGNORECASE)
# "Russia and China signed ..." makes RUS-CHN; "concerts in Australia, the United States, Germany
# and Japan" lists places and makes no pair among them.
MAX_JOINED_PARTNERS = 3
_APPOSITIVE = re.compile(r"^\s*,\s*(?:a|an|the|its|whose|which|who)\b[^,]*$", re.IGNORECASE)


def _in_appositive(text: str, subject_end: int, position: int) -> bool:
    """True when `position` lies in a ", a key U.S. ally," phrase right after the subject."""
    return bool(_APPOSITIVE.match(text[subject_end:position])) and "," in text[position:]


def nearest_pair_keywords(sentence: ScoredSentence, pairs: Sequence[tuple[str, str]]
                          ) -> dict[tuple[str, str], list[KeywordMatch]]:
    """Rule 6: give each keyword to the pair whose parties stand closest to it in the sentence."""
    codes = {c for pair in pairs for c in pair}
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for mention in sentence.actors:
        if mention.role == "party" and mention.code in codes:
            spans[mention.code].append((mention.start, mention.end))

    def distance(code: str, keyword: KeywordMatch) -> int:
        return min(max(0, start - keyword.end, keyword.start - end) for start, end in spans[code])

    by_pair: dict[tuple[str, str], list[KeywordMatch]] = {p: [] for p in pairs}
    for keyword in sentence.keywords:
        nearest = min(by_pair, key=lambda p: (distance(p[0], keyword) + distance(p[1], keyword),
                                              max(distance(p[0], keyword), distance(p[1], keyword))))
        by_pair[nearest].append(keyword)
    return by_pair


def _one_side_listed(sentence: ScoredSentence, pairs: Sequence[tuple[str, str]]) -> bool:
    """True when every pair shares one party and the other parties are named as one list ("Arafat
    defended Iraq and Libya against criticism", "Japan and South Korea protested to China"): one
    event with several parties on a side, so each of its terms counts for every pair (rule 6)."""
    common = set(pairs[0]).intersection(*pairs[1:])
    if len(common) != 1:
        return False
    shared = next(iter(common))
    others = {b if a == shared else a for a, b in pairs}
    first: dict[str, ActorMention] = {}
    for mention in sentence.actors:
        if mention.role == "party" and mention.code in others and mention.code not in first:
            first[mention.code] = mention
    listed = sorted(first.values(), key=lambda m: m.start)
    text = sentence.text
    return len(listed) == len(others) and all(
        _COORDINATION.match(text[left.end:right.start]) or _HYPHEN_LINK.match(text[left.end:right.start])
        for left, right in zip(listed, listed[1:]))


# Where a clause about another event begins, once both parties of a pair are named: "Serbia eased
# measures in Montenegro, as authorities in Croatia cracked down ...", "... to Macedonia which is
# preparing an offensive against guerrillas", "... with Armenia following the invasion of Dagestan".
_SUBORDINATE_CLAUSE = re.compile(
    r",\s*as\s|;|\b(?:while|whereas|which|who|whose|following|after|in\s+the\s+wake\s+of)\b",
    re.IGNORECASE)


def main_clause_keywords(sentence: ScoredSentence, a: str, b: str) -> tuple[KeywordMatch, ...]:
    """The keywords of the event between parties `a` and `b`: those before a subordinate clause
    that starts after both are named (a clause about another event: "..., as police in Croatia cracked
    down"); all of `sentence.keywords` when there is no such clause or the main clause holds none."""
    keywords = sentence.keywords
    if len(keywords) < 2:
        return keywords
    named: dict[str, int] = {}
    for mention in sentence.actors:
        code = mention.code
        if mention.role == "party" and (code == a or code == b) and code not in named:
            named[code] = mention.end
    if len(named) < 2:
        return keywords
    both_named = max(named.values())
    last_keyword = max([k.start for k in keywords])
    if last_keyword <= both_named:
        return keywords  # no keyword after both parties are named: no clause can take one away
    clause = _SUBORDINATE_CLAUSE.search(sentence.text, both_named, last_keyword)
    if clause is None:
        return keywords
    clause_start = clause.start()
    main = tuple([k for k in keywords if k.start < clause_start])
    return main if main and len(main) < len(keywords) else keywords


def sentence_parties(sentence: ScoredSentence, venues: set[str]) -> list[str]:
    """Distinct party countries of a sentence in order of first mention, article venues excluded."""
    return [code for code in dict.fromkeys(sentence.parties) if code not in venues]


def main_counterparts(pairs_by_sentence: Sequence[list[tuple[str, str]]]) -> dict[str, str]:
    """For each country, the country it shares most sentences with in this article."""
    together: dict[str, Counter[str]] = defaultdict(Counter)
    for pairs in pairs_by_sentence:
        for a, b in pairs:
            together[a][b] += 1
            together[b][a] += 1
    return {code: counts.most_common(1)[0][0] for code, counts in together.items()}


def pair_signals(sentences: Sequence[ScoredSentence], stance_of, venues: set[str] | None = None,
                 taking_part: Sequence[Sequence[ActorMention]] | None = None,
                 mutual_terms: Collection[str] | None = None) -> tuple[PairSignal, ...]:
    """Attribute each sentence's signals to the country pairs it is about (rules in the module doc).

    `stance_of(escalation, cooperation, sentiment) -> "conflict" | "cooperation" | "neutral"` is the
    lexicon's stance rule; `mutual_terms` as in sentence_pairs. Pairs come out strongest evidence first.
    """
    if taking_part is not None:
        for acting in taking_part:  # a plain loop: no generator built on every article
            if len(acting) > 1:
                break
        else:
            return ()  # rules 1-2 need two actors in one sentence, and rule 4 a pair found by them
    if venues is None:
        venues = article_venues(sentences)
    if taking_part is None:
        taking_part = [None] * len(sentences)
    # A sentence with fewer than two actors taking part speaks for no pair by rules 1-2.
    pairs_by_sentence = [[] if t is not None and len(t) < 2 else sentence_pairs(s, venues, t, mutual_terms)
                         for s, t in zip(sentences, taking_part)]
    counterparts: dict[str, str] | None = None  # rule 4's, counted when a sentence first needs them
    acc: dict[str, _PairAccumulator] = defaultdict(_PairAccumulator)
    for sentence, pairs in zip(sentences, pairs_by_sentence):
        if len(pairs) == 1:
            a, b = pairs[0]
            keywords = sentence.keywords
            # Without keywords there is no direction, and with fewer than two no clause to take one.
            acc[pair_key(a, b)].add(sentence, 1.0, direction_in(sentence, a, b) if keywords else None,
                                    main_clause_keywords(sentence, a, b) if len(keywords) > 1 else keywords)
        elif len(pairs) > 1 and _one_side_listed(sentence, pairs):
            for a, b in pairs:
                acc[pair_key(a, b)].add(sentence, 1.0, direction_in(sentence, a, b),
                                        main_clause_keywords(sentence, a, b))
        elif len(pairs) > 1:
            for (a, b), keywords in nearest_pair_keywords(sentence, pairs).items():
                acc[pair_key(a, b)].add(sentence, 1.0, direction_in(sentence, a, b), keywords)
        elif sentence.keywords and sentence.parties:
            parties = sentence_parties(sentence, venues)
            if len(parties) == 1 and counterparts is None:
                counterparts = main_counterparts(pairs_by_sentence)
            if len(parties) == 1 and parties[0] in counterparts:
                acc[pair_key(parties[0], counterparts[parties[0]])].add(sentence, CONTEXT_WEIGHT, None)

    signals = []
    for pair, a in acc.items():
        sentiment = a.sentiment_sum / a.weight
        # Built straight into its __dict__, fields in declaration order as the dataclass __init__
        # sets them (that costs ~3 µs a record; tests/test_pairs.py holds the two to equal records).
        signal = _new(PairSignal)
        state = signal.__dict__
        state["pair"] = pair
        state["sentences"] = len(a.evidence)
        state["sentiment"] = round(sentiment, 4)
        state["escalation"] = round(a.escalation, 3)
        state["cooperation"] = round(a.cooperation, 3)
        state["tension"] = tension_index(a.escalation, a.cooperation, sentiment)
        state["stance"] = stance_of(a.escalation, a.cooperation, sentiment)
        state["keywords"] = a.most_common_keywords()
        state["evidence"] = tuple(a.evidence)
        state["direction"] = next(iter(a.directions)) if len(a.directions) == 1 else None
        signals.append(signal)
    if len(signals) > 1:
        signals.sort(key=lambda s: (-s.sentences, -(s.escalation + s.cooperation), s.pair))
    return tuple(signals)
