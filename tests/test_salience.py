"""Which countries an article is about (`countries`) and which it only mentions: the salience rule,
on hand-written news articles run through the whole engine, and on hand-built mention lists."""
from __future__ import annotations

from dataclasses import replace

import pytest

from analysis.model import ActorMention, Article
from analysis.pipeline import Engine
from analysis.salience import DEFAULT_SALIENCE, any_enumeration, enumerated_in_lead, salient_countries

FILLER = [
    "The figures were compiled from customs returns.",
    "Officials said the data would be revised next month.",
    "Analysts had expected a smaller change.",
    "The ministry gave no further details.",
    "Prices on the local market were little changed.",
    "The report covers the first two months of the year.",
]


def about(engine: Engine, title: str, sentences: list[str]) -> tuple[set[str], set[str]]:
    scored = engine.score(Article(id="t", title=title, text=" ".join(sentences), date="2024-03-05",
                                  date_source="field"))
    return set(scored.countries), set(scored.mentions)


@pytest.mark.parametrize("title, body, expected_countries, expected_mentions", [
    # An enumeration in the lead: the story is about every country it lists.
    ("THAI TIN EXPORTS RISE IN JANUARY",
     ["BANGKOK, March 5 - Thailand exported 1,800 tonnes of tin metal in January, the mines "
      "department said.", "Its main buyers were Singapore, Japan, Britain, the Netherlands and the U.S."],
     {"THA", "SGP", "JPN", "GBR", "NLD", "USA"}, set()),
    ("Donors pledge rail aid",
     ["Canada, Belgium, Sweden and Denmark pledged 25 million dollars to repair Tanzania's railway "
      "on Tuesday."] + FILLER,
     {"CAN", "BEL", "SWE", "DNK", "TZA"}, set()),
    # The same list deep in a long article is background: named once in passing.
    ("Thai tin exports rise in January",
     ["BANGKOK, March 5 - Thailand exported 1,800 tonnes of tin metal in January, the mines "
      "department said."] + FILLER * 2 + ["Buyers last year included Singapore, Japan, Britain and "
                                          "the Netherlands."],
     {"THA"}, {"SGP", "JPN", "GBR", "NLD"}),
    # Three countries in the lead are not yet an enumeration: the usual rule decides.
    ("Brazil wins support for debt talks",
     ["Brazil won backing from Mexico and Argentina for its debt talks with commercial banks, "
      "officials said.", "Brazil's finance minister will meet bankers next week."] + FILLER,
     {"BRA"}, {"MEX", "ARG"}),
])
def test_countries_of_articles(engine, title, body, expected_countries, expected_mentions):
    countries, mentions = about(engine, title, body)
    assert countries == expected_countries
    assert mentions == expected_mentions


def _mention(code: str, kind: str = "country", role: str = "party",
             is_organisation: bool = False) -> ActorMention:
    return ActorMention(0, 1, code, code, kind, role, is_organisation)  # type: ignore[arg-type]


LISTED = [_mention("SGP"), _mention("JPN"), _mention("GBR"), _mention("NLD")]


def test_a_lead_enumeration_is_salient_and_ranked_after_the_subject():
    by_sentence = [[_mention("THA")], [_mention("THA", "dateline", "venue"), _mention("THA")], LISTED]
    countries, mentions = salient_countries(by_sentence, len(by_sentence))
    assert countries[0] == "THA"
    assert set(countries) == {"THA", "SGP", "JPN", "GBR", "NLD"} and mentions == []


def test_the_enumeration_rule_can_be_turned_off():
    by_sentence = [[_mention("THA")], [_mention("THA")], LISTED]
    rule = replace(DEFAULT_SALIENCE, list_min_countries=0)
    countries, mentions = salient_countries(by_sentence, len(by_sentence), rule)
    assert countries == ["THA"] and set(mentions) == {"SGP", "JPN", "GBR", "NLD"}


@pytest.mark.parametrize("extra, listed", [
    # A dateline, a venue or an organisation is not one of the countries a sentence lists.
    (_mention("BEL", "dateline", "venue"), set()),
    (_mention("ITA", "city", "venue"), set()),
    (_mention("EU", "organisation", is_organisation=True), set()),
    (_mention("FRA"), {"SGP", "JPN", "GBR", "FRA"}),
])
def test_what_counts_in_an_enumeration(extra, listed):
    three = LISTED[:3]
    assert enumerated_in_lead([[], [extra, *three]]) == listed


def test_the_lead_grows_with_the_article():
    # Sentence 4 is outside the first three sentences but inside the first fifth of 25 sentences.
    short = [[_mention("THA")], [], [], [], LISTED]
    long = short + [[] for _ in range(20)]
    assert enumerated_in_lead(short) == set()
    assert enumerated_in_lead(long) == {"SGP", "JPN", "GBR", "NLD"}


def test_repetition_counts_sentences_not_mentions():
    # "the U.S.-USSR agreement ... delivery to the USSR": one sentence naming a country three times
    # is one statement about it; two sentences are two.
    by_sentence = [[_mention("USA")], [_mention("USA")], [], [], [], [],
                   [_mention("RUS"), _mention("RUS"), _mention("RUS")],
                   [_mention("JPN")], [_mention("JPN")]]
    countries, mentions = salient_countries(by_sentence, len(by_sentence))
    assert countries == ["USA", "JPN"] and mentions == ["RUS"]


def test_an_article_naming_a_country_is_about_at_least_one():
    # Named once, late, and nothing else: still the country the article is about.
    by_sentence = [[], [], [], [], [], [_mention("IRN")]]
    assert salient_countries(by_sentence, len(by_sentence)) == (["IRN"], [])
    assert salient_countries([[], []], 2) == ([], [])


@pytest.mark.parametrize("sizes, expected", [
    ([], False), ([1], False), ([3, 3, 3], False), ([1, 4], True), ([4], True), ([0, 0, 5], True),
])
def test_any_enumeration_is_a_safe_prefilter(sizes, expected):
    # The cheap test says False only where enumerated_in_lead surely finds nothing.
    codes = ["FRA", "DEU", "ITA", "ESP", "PRT"]
    article = [[_mention(codes[i]) for i in range(n)] for n in sizes]
    assert any_enumeration(article) == expected
    if not expected:
        assert enumerated_in_lead(article) == set()
    assert not any_enumeration(article, replace(DEFAULT_SALIENCE, list_min_countries=0))
