"""Pair attribution rules on hand-built sentences (no dictionaries involved)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from analysis.model import ActorMention, KeywordMatch, ScoredSentence
from analysis.pairs import (
    article_venues, direction_in, pair_key, pair_signals, tension_index,
)


def simple_stance(escalation: float, cooperation: float, sentiment: float) -> str:
    if escalation > cooperation:
        return "conflict"
    if cooperation > escalation:
        return "cooperation"
    return "neutral"


def mention(text: str, code: str, start: int, role: str = "party", org: bool = False) -> ActorMention:
    return ActorMention(start, start + len(text), text, code, "country", role, org)


def sentence(index: int, text: str, actors: list[tuple[str, str, str]], keywords=(),
             sentiment: float = 0.0) -> ScoredSentence:
    """actors: (surface text, code, role); offsets found in `text`."""
    found = [mention(t, c, text.index(t), r) for t, c, r in actors]
    kws = []
    for term, category, polarity, weight in keywords:
        start = text.lower().index(term.split()[0])
        kws.append(KeywordMatch(term, category, polarity, weight, start, start + len(term)))
    esc = sum(k.score for k in kws if k.polarity == "escalation")
    coop = sum(k.score for k in kws if k.polarity == "cooperation")
    return ScoredSentence(
        index=index, text=text,
        parties=tuple(dict.fromkeys(m.code for m in found if m.role == "party")),
        venues=tuple(dict.fromkeys(m.code for m in found if m.role == "venue")),
        organisations=(), actors=tuple(found), keywords=tuple(kws), sentiment=sentiment,
        escalation=esc, cooperation=coop,
    )


DRONES = sentence(
    0, "Russia launched a record 728 drones against Ukraine",
    [("Russia", "RUS", "party"), ("Ukraine", "UKR", "party")],
    [("launched", "ASSAULT", "escalation", 8.0)], sentiment=-0.3,
)
MEETING = sentence(
    1, "Rubio will meet Lavrov in Kuala Lumpur",
    [("Rubio", "USA", "party"), ("Lavrov", "RUS", "party"), ("Kuala Lumpur", "MYS", "venue")],
    [("meet", "CONSULT", "cooperation", 3.0)], sentiment=0.1,
)


def test_pair_key_is_sorted():
    assert pair_key("USA", "RUS") == "RUS-USA" == pair_key("RUS", "USA")


def test_co_actors_form_a_pair_and_venues_do_not():
    signals = {s.pair: s for s in pair_signals([DRONES, MEETING], simple_stance)}
    assert set(signals) == {"RUS-UKR", "RUS-USA"}
    assert signals["RUS-UKR"].stance == "conflict"
    assert signals["RUS-USA"].stance == "cooperation"
    assert not any("MYS" in pair for pair in signals)


def test_evidence_points_back_to_the_sentence():
    signal = next(s for s in pair_signals([DRONES], simple_stance) if s.pair == "RUS-UKR")
    assert signal.sentences == 1
    assert signal.evidence[0].text == DRONES.text
    assert signal.evidence[0].keywords == ("launched",)


def test_direction_from_word_order():
    assert direction_in(DRONES, "RUS", "UKR") == "RUS->UKR"
    passive = sentence(0, "Ukraine was attacked by Russia",
                       [("Ukraine", "UKR", "party"), ("Russia", "RUS", "party")],
                       [("attacked", "ASSAULT", "escalation", 8.0)])
    assert direction_in(passive, "RUS", "UKR") is None


def test_domestic_sentence_forms_no_pair():
    domestic = sentence(0, "Sudan's government lifted a state of emergency in Sudan",
                        [("Sudan", "SDN", "party"), ("Sudan", "SDN", "party")])
    assert pair_signals([domestic], simple_stance) == ()


def test_single_party_sentence_takes_counterpart_from_article_at_half_weight():
    follow_up = sentence(2, "Ukraine said the strikes hit power plants",
                         [("Ukraine", "UKR", "party")],
                         [("strikes", "ASSAULT", "escalation", 8.0)])
    signals = {s.pair: s for s in pair_signals([DRONES, follow_up], simple_stance)}
    assert signals["RUS-UKR"].sentences == 2
    assert signals["RUS-UKR"].escalation == pytest.approx(8.0 + 0.5 * 8.0)


def test_single_party_sentence_without_counterpart_stays_unpaired():
    lone = sentence(0, "Ukraine said the strikes hit power plants", [("Ukraine", "UKR", "party")],
                    [("strikes", "ASSAULT", "escalation", 8.0)])
    assert pair_signals([lone], simple_stance) == ()


def test_article_venue_beats_a_single_party_mention():
    officials = sentence(3, "He will meet Malaysian officials, signalling Washington's intent",
                         [("Malaysian", "MYS", "party"), ("Washington", "USA", "party")])
    venue_again = sentence(4, "Rubio's visit to Kuala Lumpur",
                           [("Rubio", "USA", "party"), ("Kuala Lumpur", "MYS", "venue")])
    assert article_venues([MEETING, officials, venue_again]) == {"MYS"}
    pairs = {s.pair for s in pair_signals([MEETING, officials, venue_again], simple_stance)}
    assert pairs == {"RUS-USA"}


@pytest.mark.parametrize("esc, coop, sentiment, low, high", [
    (0.0, 0.0, 0.0, 50.0, 50.0),
    (9.0, 0.0, -0.5, 75.0, 90.0),
    (0.0, 9.0, 0.5, 10.0, 25.0),
    (2.0, 0.0, 0.0, 58.0, 62.0),
    (1000.0, 0.0, -1.0, 99.0, 100.0),
])
def test_tension_index_range_and_direction(esc, coop, sentiment, low, high):
    assert low <= tension_index(esc, coop, sentiment) <= high


def test_keywords_go_to_the_nearest_pair_in_a_three_party_sentence():
    text = "amid growing tension between Washington and Moscow as the war in Ukraine drags on"
    busy = sentence(0, text, [("Washington", "USA", "party"), ("Moscow", "RUS", "party"),
                              ("Ukraine", "UKR", "party")],
                    [("tension", "DISAPPROVE", "escalation", 3.0), ("war", "FIGHT", "escalation", 6.0)])
    signals = {s.pair: s for s in pair_signals([busy], simple_stance)}
    assert set(signals) == {"RUS-USA", "RUS-UKR", "UKR-USA"}
    assert signals["RUS-USA"].keywords == ("tension",) and signals["RUS-USA"].escalation == 3.0
    assert signals["RUS-UKR"].keywords == ("war",) and signals["RUS-UKR"].escalation == 6.0
    assert signals["UKR-USA"].escalation == 0.0 and signals["UKR-USA"].sentences == 1


def test_an_organisation_between_subject_and_counterpart_is_the_events_other_side():
    text = "The United States vetoed a Security Council resolution censuring its raid on the Nicaraguan embassy"
    vetoed = sentence(0, text, [("United States", "USA", "party"), ("Nicaraguan", "NIC", "party")],
                      [("vetoed", "REJECT", "escalation", 4.0)])
    council = ActorMention(text.index("Security Council"), text.index("Security Council") + 16,
                           "Security Council", "UN", "organisation", "party", True)
    vetoed = ScoredSentence(**{**vetoed.__dict__, "actors": tuple(sorted(
        vetoed.actors + (council,), key=lambda m: m.start))})
    assert pair_signals([vetoed], simple_stance) == ()


def test_a_condition_does_not_break_a_threat():
    text = "Iran threatened to close the strait if the United States imposes new sanctions"
    threat = sentence(0, text, [("Iran", "IRN", "party"), ("United States", "USA", "party")],
                      [("threatened", "THREATEN", "escalation", 4.0)])
    assert [s.pair for s in pair_signals([threat], simple_stance)] == ["IRN-USA"]


def _pairs(text: str, actors: list[tuple[str, str, str]]) -> set[str]:
    return {s.pair for s in pair_signals([sentence(0, text, actors)], simple_stance)}


@pytest.mark.parametrize("text, actors, expected", [
    # Joiners named after the event take the subject's side: no pair with the subject.
    ("Indian and Japanese navies opened joint drills on Friday, to be joined next week by Australian ships",
     [("Indian", "IND", "party"), ("Japanese", "JPN", "party"), ("Australian", "AUS", "party")],
     {"IND-JPN"}),
    # ... but with the subject they face the counterpart named after them.
    ("The United States, joined by Britain, struck rebel bases in Yemen overnight",
     [("United States", "USA", "party"), ("Britain", "GBR", "party"), ("Yemen", "YEM", "party")],
     {"USA-YEM", "GBR-YEM"}),
    ("Chile accompanied by Peru protested to Bolivia over the river dispute",
     [("Chile", "CHL", "party"), ("Peru", "PER", "party"), ("Bolivia", "BOL", "party")],
     {"BOL-CHL", "BOL-PER"}),
])
def test_countries_joining_the_event_stand_with_the_subject(text, actors, expected):
    assert _pairs(text, actors) == expected


@pytest.mark.parametrize("text, actors, expected", [
    # A country named only in a relative clause about something else is not the counterpart.
    ("Kenya signed the trade pact with the bloc, whose members include Uganda and Tanzania",
     [("Kenya", "KEN", "party"), ("Uganda", "UGA", "party"), ("Tanzania", "TZA", "party")], set()),
    ("Norway froze its grant to two charities whose schools in Somalia had closed",
     [("Norway", "NOR", "party"), ("Somalia", "SOM", "party")], set()),
    # A "who" clause telling what happened to the subject's own side keeps the pair.
    ("Twelve Chilean fishermen, who were held for a month by the Peruvian navy, returned home",
     [("Chilean", "CHL", "party"), ("Peruvian", "PER", "party")], {"CHL-PER"}),
    # Once the clause closes, the next country is the counterpart again.
    ("Iran, which Russia arms, threatened Israel with retaliation",
     [("Iran", "IRN", "party"), ("Russia", "RUS", "party"), ("Israel", "ISR", "party")], {"IRN-ISR"}),
    # Without a relative pronoun the country is the counterpart.
    ("Kenya signed a trade pact with Uganda",
     [("Kenya", "KEN", "party"), ("Uganda", "UGA", "party")], {"KEN-UGA"}),
])
def test_a_relative_clause_holds_no_counterpart(text, actors, expected):
    assert _pairs(text, actors) == expected


RESTORED = ("restored flights", "COOPERATE", "cooperation", 4.0)
CLASHED = ("clashed", "FIGHT", "escalation", 6.0)


@pytest.mark.parametrize("text, keywords, expected_terms", [
    # A clause about another event, begun once both parties are named, does not count for the pair.
    ("Chile restored flights to Peru, as police in the capital clashed with miners",
     [RESTORED, CLASHED], ("restored flights",)),
    ("Chile restored flights to Peru while miners clashed with police in the south",
     [RESTORED, CLASHED], ("restored flights",)),
    ("Chile restored flights to Peru, whose miners clashed with police last year",
     [RESTORED, CLASHED], ("restored flights",)),
    # Before both parties are named the sentence is still setting up the event: everything counts.
    ("After miners clashed with police, Chile restored flights to Peru",
     [CLASHED, RESTORED], ("clashed", "restored flights")),
    # A main clause without a keyword of its own keeps those of the clause after it.
    ("Chile sent envoys to Peru after troops clashed on the border and shelling resumed",
     [CLASHED, ("shelling", "ASSAULT", "escalation", 5.0)], ("clashed", "shelling")),
])
def test_keywords_of_a_clause_about_another_event_do_not_count(text, keywords, expected_terms):
    scored = sentence(0, text, [("Chile", "CHL", "party"), ("Peru", "PER", "party")], keywords)
    [signal] = pair_signals([scored], simple_stance)
    assert signal.keywords == expected_terms
    assert signal.evidence[0].keywords == expected_terms


@pytest.mark.parametrize("text, actors, expected", [
    # A second verb of the subject after "but" has its own counterpart.
    ("Ghana admitted traders from Togo, but was still refusing entry to Nigerians",
     [("Ghana", "GHA", "party"), ("Togo", "TGO", "party"), ("Nigerians", "NGA", "party")],
     {"GHA-TGO", "GHA-NGA"}),
    ("Ghana admitted traders from Togo but later expelled Nigerians",
     [("Ghana", "GHA", "party"), ("Togo", "TGO", "party"), ("Nigerians", "NGA", "party")],
     {"GHA-TGO", "GHA-NGA"}),
    # "but" with a subject of its own starts another event.
    ("Ghana admitted traders from Togo, but Nigeria kept its border shut",
     [("Ghana", "GHA", "party"), ("Togo", "TGO", "party"), ("Nigeria", "NGA", "party")],
     {"GHA-TGO"}),
])
def test_a_second_predicate_of_the_subject_finds_its_own_counterpart(text, actors, expected):
    assert _pairs(text, actors) == expected


@pytest.mark.parametrize("text, actors, expected", [
    # Subjects that are each other's pair are done: a clause with its own subject is another event.
    ("Japan and Australia signed a defence pact, as China held drills in the strait",
     [("Japan", "JPN", "party"), ("Australia", "AUS", "party"), ("China", "CHN", "party")], {"AUS-JPN"}),
    ("Chile and Peru agreed to share radar data while Bolivia stayed out of the talks",
     [("Chile", "CHL", "party"), ("Peru", "PER", "party"), ("Bolivia", "BOL", "party")], {"CHL-PER"}),
    # A lone subject's counterpart may well be the subject of the next clause: the other side.
    ("The United States raised tariffs on Tuesday, while China vowed to retaliate",
     [("United States", "USA", "party"), ("China", "CHN", "party")], {"CHN-USA"}),
])
def test_a_separate_clause_after_a_joined_subject_is_another_event(text, actors, expected):
    assert _pairs(text, actors) == expected


PROTESTED = ("protested", "PROTEST", "escalation", 3.0)


@pytest.mark.parametrize("text, actors, keywords, expected", [
    # Joined subjects doing only something hostile to a counterpart are on one side.
    ("Japan and South Korea protested to China over the drills",
     [("Japan", "JPN", "party"), ("South Korea", "KOR", "party"), ("China", "CHN", "party")],
     [PROTESTED], {"CHN-JPN", "CHN-KOR"}),
    # Talks, deals and joint acts are between the joined subjects too.
    ("Egypt and Israel held talks on the Gaza crossing",
     [("Egypt", "EGY", "party"), ("Israel", "ISR", "party"), ("Gaza", "PSE", "party")],
     [("talks", "CONSULT", "cooperation", 3.0)], {"EGY-ISR", "EGY-PSE", "ISR-PSE"}),
    # Without a counterpart the hostile act is between them.
    ("Armenia and Azerbaijan protested each other's border posts",
     [("Armenia", "ARM", "party"), ("Azerbaijan", "AZE", "party")], [PROTESTED], {"ARM-AZE"}),
])
def test_joined_subjects_are_co_actors_of_a_hostile_act_against_a_counterpart(text, actors, keywords, expected):
    assert {s.pair for s in pair_signals([sentence(0, text, actors, keywords)], simple_stance)} == expected


def test_every_term_counts_for_each_party_of_a_listed_side():
    text = "Egypt defended Sudan and Libya against Western criticism of their arms purchases"
    defended = sentence(0, text, [("Egypt", "EGY", "party"), ("Sudan", "SDN", "party"),
                                  ("Libya", "LBY", "party")],
                        [("defended", "SUPPORT", "cooperation", 3.0),
                         ("criticism", "DISAPPROVE", "escalation", 2.0)])
    signals = {s.pair: s for s in pair_signals([defended], simple_stance)}
    assert set(signals) == {"EGY-SDN", "EGY-LBY"}
    for signal in signals.values():
        assert set(signal.keywords) == {"defended", "criticism"} and signal.stance == "cooperation"


@pytest.mark.parametrize("text, actors, expected", [
    # Countries given as examples of a group are not partners of each other ...
    ("Coastal states such as Peru, Chile and Ecuador extended their fishing limits",
     [("Peru", "PER", "party"), ("Chile", "CHL", "party"), ("Ecuador", "ECU", "party")], set()),
    ("Forty nations, including Ghana, Kenya and Nigeria, signed the charter",
     [("Ghana", "GHA", "party"), ("Kenya", "KEN", "party"), ("Nigeria", "NGA", "party")], set()),
    # ... but each faces a counterpart the sentence names.
    ("Exporters such as Peru and Chile protested to Japan over the quota",
     [("Peru", "PER", "party"), ("Chile", "CHL", "party"), ("Japan", "JPN", "party")],
     {"JPN-PER", "CHL-JPN"}),
])
def test_countries_named_as_examples_are_not_partners(text, actors, expected):
    assert _pairs(text, actors) == expected


def _with_organisation(scored: ScoredSentence, name: str) -> ScoredSentence:
    start = scored.text.index(name)
    org = ActorMention(start, start + len(name), name, name, "organisation", "party", True)
    return ScoredSentence(**{**scored.__dict__, "actors": tuple(sorted(scored.actors + (org,),
                                                                      key=lambda m: m.start))})


def test_joined_subjects_striking_an_organisation_are_co_actors():
    text = "Canada and Norway bombed supply depots of ISIS in the desert"
    strike = _with_organisation(sentence(0, text, [("Canada", "CAN", "party"), ("Norway", "NOR", "party")],
                                         [("bombed", "ASSAULT", "escalation", 7.0)]), "ISIS")
    assert pair_signals([strike], simple_stance) == ()


def test_an_organisation_inside_an_appositive_does_not_end_the_event():
    text = "Hungary, which joined NATO in 1999, threatened to block Ukraine's bid"
    threat = _with_organisation(sentence(0, text, [("Hungary", "HUN", "party"), ("Ukraine", "UKR", "party")],
                                         [("threatened", "THREATEN", "escalation", 4.0)]), "NATO")
    assert [s.pair for s in pair_signals([threat], simple_stance)] == ["HUN-UKR"]


def test_a_scene_set_before_the_subject_is_not_a_co_actor():
    text = "In Gaza, Israeli troops killed a Hamas commander"
    raid = _with_organisation(sentence(0, text, [("Gaza", "PSE", "party"), ("Israeli", "ISR", "party")],
                                       [("killed", "ASSAULT", "escalation", 7.0)]), "Hamas")
    assert [s.pair for s in pair_signals([raid], simple_stance)] == ["ISR-PSE"]


@pytest.mark.parametrize("esc, coop, sentiment", [
    (0, 0, 0.0), (0, 0, -0.0), (0.0, 0.0, 1.0), (0.0, 0.0, -1.0), (0.0, 0.0, 1.5), (0.0, 0.0, -7.0),
    (3.0, 0.0, -0.9), (0.0, 4.5, 0.8), (1e9, 0.0, -1.0), (0.0, 1e9, 1.0), (2.5, 2.5, 0.3),
])
def test_tension_index_matches_the_formula_with_min_and_max(esc, coop, sentiment):
    balance = (esc - coop) / (esc + coop + 5.0)
    tone = -max(-1.0, min(1.0, sentiment))
    expected = round(min(100.0, max(0.0, 50.0 + 50.0 * (0.75 * balance + 0.25 * tone))), 2)
    assert repr(tension_index(esc, coop, sentiment)) == repr(expected)


def test_pair_signals_records_equal_those_the_dataclasses_build():
    # pair_signals fills PairSignal and Evidence records straight into their __dict__: they must
    # be the records __init__ would build, fields in the same order (pickles stay byte-identical).
    import dataclasses
    import pickle

    from analysis.model import Evidence, PairSignal
    signals = pair_signals([DRONES, MEETING], simple_stance)
    assert signals
    for signal in signals:
        rebuilt = PairSignal(**{f.name: getattr(signal, f.name) for f in dataclasses.fields(PairSignal)})
        assert list(vars(signal)) == list(vars(rebuilt))
        assert pickle.dumps(signal) == pickle.dumps(rebuilt)
        for evidence in signal.evidence:
            again = Evidence(evidence.sentence, evidence.text, evidence.keywords, evidence.sentiment)
            assert list(vars(evidence)) == list(vars(again)) and evidence == again


@pytest.mark.parametrize("terms_by_sentence", [
    [],
    [["strike"]],
    [["b"], ["a", "b"], ["a"], ["c"]],  # ties: first seen first, as Counter.most_common
    [["x", "y", "x"], ["y"], ["z"], ["y", "z"]],
])
def test_pair_keywords_come_in_counter_order(terms_by_sentence):
    from collections import Counter

    from analysis.pairs import _PairAccumulator

    accumulator = _PairAccumulator()
    expected = Counter()
    for index, terms in enumerate(terms_by_sentence):
        keywords = tuple(KeywordMatch(t, "ASSAULT", "escalation", 5.0, 0, 1) for t in terms)
        accumulator.add(ScoredSentence(index, "text", (), (), (), (), keywords, 0.0, 0, 0), 1.0, None)
        expected.update(list(dict.fromkeys(terms)))  # a sentence counts once per term
    assert accumulator.most_common_keywords() == tuple(term for term, _ in expected.most_common())


def test_pair_key_of_equal_and_unordered_codes():
    assert pair_key("UKR", "RUS") == "RUS-UKR" == "-".join(sorted(("UKR", "RUS")))
    assert pair_key("USA", "USA") == "USA-USA"


def _venues_by_definition(sentences) -> set[str]:
    """article_venues written plainly: per sentence a country is a party if named as one anywhere."""
    from collections import Counter
    as_party, as_venue = Counter(), Counter()
    for s in sentences:
        named = [m for m in s.actors if not m.is_organisation and m.kind != "dateline"]
        for code in dict.fromkeys(m.code for m in named):
            if any(m.code == code and m.role == "party" for m in named):
                as_party[code] += 1
            else:
                as_venue[code] += 1
    return {code for code, n in as_venue.items() if n > as_party[code]}


def _one(code: str, role: str = "party", kind: str = "country", org: bool = False) -> ScoredSentence:
    m = ActorMention(0, 3, code, code, kind, role, org)
    return ScoredSentence(0, "abc", (), (code,) if role == "venue" and not org else (), (), (m,), (), 0.0, 0, 0)


@pytest.mark.parametrize("sentences", [
    [_one("CHE", "venue")],
    [_one("CHE", "venue"), _one("CHE")],
    [_one("CHE", "venue"), _one("CHE", "venue"), _one("CHE")],
    [_one("CHE", "venue", kind="dateline"), _one("CHE", "venue")],
    [_one("UN", "venue", org=True), _one("CHE", "venue")],
    [sentence(0, "Putin met Xi in Geneva, Switzerland", [("Geneva", "CHE", "venue"), ("Switzerland", "CHE", "party")]),
     _one("CHE", "venue"), _one("CHE", "venue")],
    [sentence(0, "Talks in Geneva and Vienna", [("Geneva", "CHE", "venue"), ("Vienna", "AUT", "venue")]),
     _one("AUT"), ScoredSentence(1, "x", (), (), (), (), (), 0.0, 0, 0)],
])
def test_article_venues_follow_their_definition(sentences):
    assert article_venues(sentences) == _venues_by_definition(sentences)


@pytest.mark.parametrize("keywords", [
    (),
    (KeywordMatch("strike", "ASSAULT", "escalation", 8.0, 0, 6),),
    (KeywordMatch("talks", "CONSULT", "cooperation", 3.0, 0, 5, "negated", -0.5),),
    (KeywordMatch("strike", "ASSAULT", "escalation", 0.0, 0, 6, "negated", -1.0),),  # a -0.0 score
    (KeywordMatch("strike", "ASSAULT", "escalation", 8.0, 0, 6),
     KeywordMatch("talks", "CONSULT", "cooperation", 3.0, 7, 12)),
])
@pytest.mark.parametrize("weight", [1.0, 0.5])
def test_pair_scores_add_up_as_sums_of_scores(keywords, weight):
    """The accumulator's one-keyword short cut adds what weight * sum(scores) adds."""
    from analysis.pairs import _PairAccumulator

    accumulator = _PairAccumulator()
    escalation = cooperation = 0.0
    for index in range(2):
        accumulator.add(ScoredSentence(index, "text", (), (), (), (), keywords, 0.1, 0, 0), weight, None)
        escalation += weight * sum([k.score for k in keywords if k.polarity == "escalation"])
        cooperation += weight * sum([k.score for k in keywords if k.polarity == "cooperation"])
    assert (repr(accumulator.escalation), repr(accumulator.cooperation)) == (repr(escalation), repr(cooperation))
    assert accumulator.evidence[0].keywords == tuple(dict.fromkeys(k.term for k in keywords))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t\u00a0\u2003-\u2013/&,aAnNdDsStTwWeElLhHgGoOrRiIx\u0131\u017f")),
               max_size=16))
def test_a_join_opens_with_one_of_the_join_openers(joined):
    """_joined_run runs its two regexes only when the text opens with one of _JOIN_OPENERS."""
    from analysis.pairs import _COORDINATION, _HYPHEN_LINK, _JOIN_OPENERS
    if _COORDINATION.match(joined) or _HYPHEN_LINK.match(joined):
        assert joined.strip() and joined.strip()[0] in _JOIN_OPENERS


@pytest.mark.parametrize("joined", [" and ", " AND the ", ", ", " , and ", " as well as ", " together with ",
                                    " Along With the ", " - ", "\u2013", " / ", " & ", "  "])
def test_the_join_openers_admit_every_join(joined):
    from analysis.pairs import _COORDINATION, _HYPHEN_LINK, _JOIN_OPENERS
    assert bool(_COORDINATION.match(joined) or _HYPHEN_LINK.match(joined)) == bool(joined.strip())
    if joined.strip():
        assert joined.strip()[0] in _JOIN_OPENERS


CONDEMNED = ("condemned", "DISAPPROVE", "escalation", 3.0)


@pytest.mark.parametrize("text, actors, keywords, expected", [
    # Allies acting together against no one named are one side, not a hostile pair.
    ("France and Germany condemned the attack",
     [("France", "FRA", "party"), ("Germany", "DEU", "party")], [CONDEMNED], set()),
    ("Russia and China vetoed the resolution",
     [("Russia", "RUS", "party"), ("China", "CHN", "party")],
     [("vetoed", "REJECT", "escalation", 4.0)], set()),
    # An act done to each other (data/lexicon/mutual.csv) is between them.
    ("India and Pakistan clashed along the border",
     [("India", "IND", "party"), ("Pakistan", "PAK", "party")],
     [("clash", "FIGHT", "escalation", 6.0)], {"IND-PAK"}),
    ("Thai and Cambodian troops exchange gunfire on the border",
     [("Thai", "THA", "party"), ("Cambodian", "KHM", "party")],
     [("gunfire", "ASSAULT", "escalation", 6.0)], {"KHM-THA"}),
    # A failed or refused cooperation term is still theirs.
    ("Nigeria and Cameroon made no progress in talks",
     [("Nigeria", "NGA", "party"), ("Cameroon", "CMR", "party")],
     [("talks", "REJECT", "escalation", 3.0)], {"CMR-NGA"}),
    ("Japan and China are locked in a dispute over the islands",
     [("Japan", "JPN", "party"), ("China", "CHN", "party")],
     [("dispute", "DISAPPROVE", "escalation", 3.0)], {"CHN-JPN"}),
    # Their act is the first term after them: a tension named before the subject is not it.
    ("Amid rising tension, France and Germany condemned the coup",
     [("France", "FRA", "party"), ("Germany", "DEU", "party")],
     [("tension", "DISAPPROVE", "escalation", 2.0), CONDEMNED], set()),
    # Cooperation between joined subjects is unchanged.
    ("France and Germany signed a defence pact",
     [("France", "FRA", "party"), ("Germany", "DEU", "party")],
     [("signed", "AGREE", "cooperation", 5.0)], {"DEU-FRA"}),
])
def test_joined_subjects_of_a_hostile_act_against_no_one_named(text, actors, keywords, expected):
    assert {s.pair for s in pair_signals([sentence(0, text, actors, keywords)], simple_stance)} == expected


def test_the_mutual_terms_come_from_the_caller():
    condemned = sentence(0, "France and Germany condemned each move",
                         [("France", "FRA", "party"), ("Germany", "DEU", "party")], [CONDEMNED])
    clashed = sentence(0, "India and Pakistan clashed along the border",
                       [("India", "IND", "party"), ("Pakistan", "PAK", "party")],
                       [("clash", "FIGHT", "escalation", 6.0)])
    assert [s.pair for s in pair_signals([condemned], simple_stance, mutual_terms={"condemned"})] == ["DEU-FRA"]
    assert pair_signals([clashed], simple_stance, mutual_terms=frozenset()) == ()


@pytest.mark.parametrize("text, expected", [
    ("The United States and Britain condemned the missile test.", set()),
    ("Russia and China vetoed the draft resolution.", set()),
    ("India and Pakistan exchanged fire across the border.", {("IND-PAK", "conflict")}),
    ("Armenia and Azerbaijan accused each other of violating the ceasefire.", {("ARM-AZE", "conflict")}),
    ("France and Germany signed a defence pact.", {("DEU-FRA", "cooperation")}),
])
def test_engine_pairs_joined_subjects_only_when_they_act_on_each_other(engine, text, expected):
    from analysis.model import Article

    scored = engine.score(Article(id="t", title="", text=text, date="2024-05-01"))
    assert {(p.pair, p.stance) for p in scored.pairs} == expected
