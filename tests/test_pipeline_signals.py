"""The signals step: its one-pass assembly must agree with the plain definitions of each article
field, and the calls it skips (no venue role -> no article venue; no actor -> no country, no pair)
must be calls that would have returned nothing."""
from __future__ import annotations

import math
from collections import Counter

import pytest

from analysis.actors import salient_countries
from analysis.lexicon import stance
from analysis.model import ActorMention, Article, KeywordMatch, ScoredSentence
from analysis.pairs import article_venues, pair_signals, tension_index
from analysis.pipeline import Engine

TEXTS = [
    "Russia launched a record 728 drones against Ukraine overnight, Kyiv said.",
    "The foreign ministers of France and Germany met in Geneva to discuss a ceasefire.",
    "Heavy rain fell on the coast. Nobody was hurt.",
    "President Biden said the United States would not send troops, but NATO allies pledged aid.",
    "China and India agreed to resume border talks. The talks will be held in Moscow next month.",
    "LONDON, March 3 - Britain did not impose new sanctions on Iran, officials said.",
    "Israel and Hamas agreed to a ceasefire. Egypt mediated. The truce began at dawn.",
    "Protesters marched in Paris against pension reform.",
    "",
]


def scored_for(engine: Engine, text: str, title: str = ""):
    return engine.score(Article("t", title, text, "2024-03-01", "field"))


@pytest.mark.parametrize("text", TEXTS)
def test_article_fields_follow_their_definitions(engine, text):
    scored = scored_for(engine, text)
    sentences = scored.sentences
    escalation = sum(s.escalation for s in sentences)
    cooperation = sum(s.cooperation for s in sentences)
    assert scored.escalation == round(escalation, 3)
    assert type(scored.escalation) is type(round(escalation, 3))  # int 0 without any keyword
    assert scored.cooperation == round(cooperation, 3)
    assert type(scored.cooperation) is type(round(cooperation, 3))
    with_parties = [s.sentiment for s in sentences if s.parties]
    if with_parties:
        sentiment = math.fsum(with_parties) / len(with_parties)
        assert scored.sentiment == round(sentiment, 4)
        assert scored.tension == tension_index(escalation, cooperation, sentiment)
    counts = Counter((k.term, k.category) for s in sentences for k in s.keywords).most_common()
    assert [(k.term, k.category, k.count) for k in scored.keywords] == [(t, c, n) for (t, c), n in counts]
    assert scored.venues == tuple(sorted(article_venues(sentences)))
    for sentence in sentences:
        assert sentence.venues == tuple(dict.fromkeys(
            m.code for m in sentence.actors if m.role == "venue" and not m.is_organisation))
        assert sentence.organisations == tuple(dict.fromkeys(m.code for m in sentence.actors if m.is_organisation))
        expected = [k.weight * k.factor for k in sentence.keywords if k.polarity == "escalation"]
        assert sentence.escalation == round(sum(expected), 3)
        assert type(sentence.escalation) is type(round(sum(expected), 3))


@pytest.mark.parametrize("text", TEXTS)
def test_every_record_field_is_set(engine, text):
    """step_signals builds records without their constructors: no field may be left out."""
    import dataclasses

    scored = scored_for(engine, text, title="A headline about Russia")
    records = [scored, *scored.sentences, *scored.keywords]
    for record in records:
        assert set(vars(record)) == {f.name for f in dataclasses.fields(record)}, type(record).__name__


def mention(code: str, kind: str = "country", role: str = "party", organisation: bool = False) -> ActorMention:
    return ActorMention(0, 3, code, code, kind, role, organisation)


def sentence(index: int, *actors: ActorMention, keywords=()) -> ScoredSentence:
    return ScoredSentence(index, "text", tuple(m.code for m in actors if m.role == "party"), (), (),
                          actors, keywords, -0.3, 0, 0)


STRIKE = KeywordMatch("strike", "ASSAULT", "escalation", 8.0, 0, 6)


@pytest.mark.parametrize("sentences", [
    [],
    [sentence(0)],
    [sentence(0, mention("RUS"), mention("UKR"), keywords=(STRIKE,)), sentence(1, mention("RUS"))],
    [sentence(0, mention("GBR", kind="dateline")), sentence(1, mention("IRN"))],
    [sentence(0, mention("NATO", kind="organisation", organisation=True), mention("USA"))],
    [sentence(0, mention("FRA", kind="capital")), sentence(1, mention("FRA", kind="city"))],
])
def test_no_venue_role_means_no_article_venue(sentences):
    """step_signals skips article_venues when no mention has the venue role."""
    assert not any(m.role == "venue" for s in sentences for m in s.actors)
    assert article_venues(sentences) == set()


@pytest.mark.parametrize("n", [0, 1, 2, 5])
def test_no_actor_means_no_country_and_no_pair(n):
    """step_signals skips salient_countries and pair_signals when no sentence names an actor."""
    assert salient_countries([[] for _ in range(n)], n) == ([], [])
    sentences = [sentence(i, keywords=(STRIKE,)) for i in range(n)]
    assert pair_signals(sentences, stance, set(), [[] for _ in range(n)]) == ()


@pytest.mark.parametrize("text", [
    "Heavy rain fell on the coast and the storm moved north.",
    "The central bank raised interest rates by half a point.",
])
def test_an_article_without_actors(engine, text):
    scored = scored_for(engine, text)
    assert not any(s.actors for s in scored.sentences)
    assert scored.countries == scored.mentions == scored.venues == scored.pairs == ()
    assert "no country found" in scored.warnings


NATO = mention("NATO", kind="organisation", organisation=True)


@pytest.mark.parametrize("sentences", [
    [sentence(0, mention("RUS"), keywords=(STRIKE,))],
    [sentence(0, mention("RUS"), mention("RUS", kind="capital")), sentence(1, mention("RUS", kind="leader"))],
    [sentence(0, NATO, mention("RUS"), keywords=(STRIKE,)), sentence(1, mention("RUS", role="venue"))],
    [sentence(0, mention("FRA", role="venue")), sentence(1, mention("FRA", kind="city", role="venue"))],
    [sentence(0, mention("FRA", kind="dateline")), sentence(1), sentence(2, mention("FRA", role="venue"))],
    [sentence(0, NATO, mention("UN", kind="organisation", organisation=True), keywords=(STRIKE,))],
])
def test_one_country_means_it_alone_and_no_pair(sentences):
    """step_signals skips salient_countries and pair_signals when the article names one country at
    most: it is the article's country unless the article names it as a venue, and there is no pair."""
    codes = {m.code for s in sentences for m in s.actors if not m.is_organisation}
    assert len(codes) <= 1
    venues = article_venues(sentences)
    by_sentence = [[m for m in s.actors if not m.is_organisation and m.code not in venues] for s in sentences]
    assert salient_countries(by_sentence, len(sentences)) == ([c for c in codes if c not in venues], [])
    # Every actor taking part: the most pair_signals could be given.
    assert pair_signals(sentences, stance, venues, [list(s.actors) for s in sentences]) == ()


@pytest.mark.parametrize("text", TEXTS + [
    "Russia warned NATO. Moscow said the drills in Russia were a provocation.",
    "The summit was held in Geneva. Talks in Switzerland ended without a deal.",
    "NATO and the UN condemned the attack.",
    "Iran's Kyodo-like agency said nothing. Tehran rejected the report.",
])
def test_article_countries_and_pairs_follow_the_full_rules(engine, text):
    """Whatever shortcut step_signals takes, its countries, mentions and pairs are what
    salient_countries and pair_signals give on the article's sentences."""
    from analysis.roles import event_actors

    scored = scored_for(engine, text, title="")
    sentences = scored.sentences
    venues = article_venues(sentences) if any(s.venues for s in sentences) else set()
    by_sentence = [[m for m in s.actors if not m.is_organisation and m.code not in venues] for s in sentences]
    countries, mentions = salient_countries(by_sentence, len(sentences))
    assert (scored.countries, scored.mentions) == (tuple(countries), tuple(mentions))
    taking_part = [event_actors(s.text, s.actors) for s in sentences]
    assert scored.pairs == pair_signals(sentences, stance, venues, taking_part)


def keyword(term: str, polarity: str = "escalation", weight: float = 8.0, factor: float = 1.0) -> KeywordMatch:
    return KeywordMatch(term, "ASSAULT" if polarity == "escalation" else "COOPERATE", polarity, weight, 0,
                        len(term), "act", factor)


@pytest.mark.parametrize("per_sentence", [
    [[]],
    [[keyword("strike")]],
    [[keyword("talks", "cooperation", 4.0)]],
    [[keyword("strike", factor=-0.5)], []],  # a negated term scores below zero
    [[keyword("strike", weight=0.0, factor=-1.0)]],  # a score of -0.0
    [[keyword("strike"), keyword("talks", "cooperation", 4.0)], [keyword("strike")]],
    [[keyword("b")], [keyword("a"), keyword("b")], [keyword("a")], [keyword("c")]],  # ties
])
def test_sentence_and_article_scores_of_hand_built_keywords(engine, per_sentence):
    """The one-keyword and no-keyword short cuts give the values and types of the sums."""
    from analysis.model import Sentence
    from analysis.pipeline import Work, step_signals

    n = len(per_sentence)
    work = Work(article=Article("t", "", "text", "2024-03-01", "field"), text="text",
                sentences=tuple(Sentence(i, 0, 4, "text") for i in range(n)), actors=((),) * n,
                keywords=tuple(tuple(k) for k in per_sentence), sentiment=(0.1,) * n)
    scored = step_signals(engine, work).scored
    for sentence_, matches in zip(scored.sentences, per_sentence):
        for polarity, value in (("escalation", sentence_.escalation), ("cooperation", sentence_.cooperation)):
            expected = round(sum([k.weight * k.factor for k in matches if k.polarity == polarity]), 3)
            assert repr(value) == repr(expected)  # -0.0 and int 0 included
    escalation = sum(s.escalation for s in scored.sentences if s.keywords)
    assert repr(scored.escalation) == repr(round(escalation, 3))
    counts = Counter((k.term, k.category) for matches in per_sentence for k in matches).most_common()
    assert [(k.term, k.category, k.count) for k in scored.keywords] == [(t, c, n) for (t, c), n in counts]
