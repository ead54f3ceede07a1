"""Which actor mentions take part in a sentence's event (analysis.roles), on real sentences."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from analysis.actors import ActorDictionary
from analysis.roles import event_actors, settle_venues


@pytest.fixture(scope="module")
def dictionary():
    return ActorDictionary.load()


def taking_part(dictionary, sentence: str, date: str = "2025-07-10") -> list[str]:
    mentions = settle_venues(sentence, dictionary.find_actors(sentence, date))
    return [m.code for m in event_actors(sentence, mentions) if not m.is_organisation]


@pytest.mark.parametrize("sentence, expected", [
    # The source of a report is not a party.
    ("Libya has offered to hand over to Great Britain two of its nationals, a state-owned Egyptian "
     "newspaper said.", ["LBY", "GBR"]),
    ("Swiss doctors handed over medicine to Iran, according to the Swiss Agency for Development.",
     ["CHE", "IRN"]),
    # Ethnic groups, languages and stances are not states.
    ("The Latvian Constitutional Court cancelled restrictions on the use of the Russian language.",
     ["LVA"]),
    ("The United States is providing intelligence to Macedonia against ethnic Albanian guerrillas.",
     ["USA", "MKD"]),
    ("A prominent anti-Syria journalist has been killed in eastern Beirut.", ["LBN"]),
    ("Burmese troops captured a guerrilla stronghold on the Thai border.", ["MMR"]),
    # A people named by where it lives is a community there, not the state its name comes from.
    ("The Hungarians of southern Slovakia asked Bratislava for schools in their language.", ["SVK", "SVK"]),
    ("The Kurds of Iraq voted, and Turks of Cyprus watched.", ["IRQ", "CYP"]),
    ("Hungarian officials of the foreign ministry met Slovak diplomats.", ["HUN", "SVK"]),
    # A country the subject is compared with takes no part in the event.
    ("Brazil exported more soybeans than Argentina last year.", ["BRA"]),
    ("Poland, like Hungary, voted against the proposal.", ["POL"]),
    ("Unlike Sweden, Finland closed its embassy in Minsk.", ["FIN", "BLR"]),
    ("Canada's tariffs on steel are low compared with Mexico.", ["CAN"]),
    # ... but "countries like Cuba" are examples, and take part.
    ("Venezuela sold oil to countries like Cuba at a discount.", ["VEN", "CUB"]),
    # An outlet named as the speaker is the source of the report.
    ("The Turkish newspaper Hurriyet reported that Greece had moved troops to the islands.", ["GRC"]),
    ("Japan's Kyodo news agency said North Korea fired two missiles toward South Korea.", ["PRK", "KOR"]),
    # An outlet acted on is a party.
    ("Russia expelled a German television crew on Friday.", ["RUS", "DEU"]),
    # A leader speaking on television is no outlet.
    ("Zelenskyy said in a television interview published on Sunday that Russia shelled Kharkiv.",
     ["UKR", "RUS", "UKR"]),
    # Cities of today's conflicts stand for their country (data/actors/places.csv).
    ("Insurgents shelled a U.S. base outside Baqubah.", ["USA", "IRQ"]),
    ("NATO handed Bagram to Afghan forces.", ["AFG", "AFG"]),
    # Leaders and ministers of conflict states and the G20 (data/actors/people.csv).
    ("Kagame accused Tshisekedi of arming the militia.", ["RWA", "COD"]),
    ("Burhan rejected a truce proposed by Abdullah bin Zayed.", ["SDN", "ARE"]),
    ("Bayramov and Mirzoyan initialled the peace text.", ["AZE", "ARM"]),
])
def test_event_actors(dictionary, sentence, expected):
    assert taking_part(dictionary, sentence) == expected


@pytest.mark.parametrize("sentence, venue", [
    ("Rubio will meet Russian Foreign Minister Sergei Lavrov on Thursday in Kuala Lumpur.", "MYS"),
    ("Their first meeting was in February in Saudi Arabia.", "SAU"),
    ("Trump's envoy Keith Kellogg met with President Zelenskyy in Rome on Wednesday.", "ITA"),
])
def test_places_of_gatherings_stay_venues(dictionary, sentence, venue):
    mentions = settle_venues(sentence, dictionary.find_actors(sentence, "2025-07-10"))
    assert any(m.code == venue and m.role == "venue" for m in mentions)
    assert venue not in taking_part(dictionary, sentence)


@pytest.mark.parametrize("sentence, party", [
    ("France is ready to contribute 4,000 troops to a peace-keeping force in Liberia.", "LBR"),
    ("Sri Lanka has opened an embassy in Tehran.", "IRN"),
    ("Israel reimposed blockades in the West Bank.", "PSE"),
])
def test_places_of_presence_are_parties(dictionary, sentence, party):
    assert party in taking_part(dictionary, sentence)


@pytest.mark.parametrize("sentence, expected", [
    # A country visited by the only other country named is the visitor's host.
    ("The Indian prime minister began a state visit to Japan on Monday.", ["IND", "JPN"]),
    ("A Dutch minister cancelled her trip to Indonesia after the floods.", ["NLD", "IDN"]),
    # With a third party, the visit is for a meeting with it: the host country stays a venue.
    ("Blinken's trip to Egypt was to meet Israeli and Qatari negotiators.", ["USA", "ISR", "QAT"]),
    # A city visited stays a venue.
    ("The Indian prime minister began a state visit to Tokyo on Monday.", ["IND"]),
])
def test_a_country_visited_is_the_host(dictionary, sentence, expected):
    assert taking_part(dictionary, sentence, "2023-06-01") == expected


# --- fast paths (issue 6) -----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "according to officials", "as quoted by the agency", "cited by reuters", "reported by tass",
    "citing sources", "accord reached", "quote of the day", "the city of kyiv", "a report", "cite",
    "",
])
def test_the_according_word_test_agrees_with_the_phrase_list(text):
    from analysis.roles import _ACCORDING_FIRST_WORDS, _has_according_word
    assert _has_according_word(text) == any(word in text for word in _ACCORDING_FIRST_WORDS)


def test_the_according_word_test_covers_every_phrase():
    # A phrase added to the list must be added to the written-out test too.
    from analysis.roles import _ACCORDING_FIRST_WORDS, _has_according_word
    for word in _ACCORDING_FIRST_WORDS:
        assert _has_according_word(f"x {word} y")


@pytest.mark.parametrize("sentence", [
    # No venue at all, a dateline only: nothing to settle, the mentions come back as they are.
    "Russia and Ukraine exchanged prisoners.",
    "KYIV, March 3 - Ukraine said Russia attacked.",
    "Putin and Xi met in Beijing.",  # a venue: settled, but not dropped
])
def test_settle_venues_keeps_every_mention_in_order(dictionary, sentence):
    found = dictionary.find_actors(sentence, "2025-03-03")
    settled = settle_venues(sentence, found)
    assert isinstance(settled, tuple)
    assert [(m.start, m.code) for m in settled] == [(m.start, m.code) for m in found]
    if not any(m.role == "venue" and m.kind != "dateline" for m in found):
        assert settled == tuple(found)


def test_event_actors_orders_mentions_given_out_of_order(dictionary):
    sentence = "Japan protested to China over the islands."
    found = list(dictionary.find_actors(sentence, "2025-03-03"))
    assert [m.code for m in event_actors(sentence, found[::-1])] == ["JPN", "CHN"]


@pytest.mark.parametrize("sentence", [
    "Russia and Ukraine exchanged prisoners.",
    "Ethnic Albanians in Kosovo protested against Serbia.",
    "The Thai border was closed; coastline waters of Cambodia too.",
    "Japan spent more than Argentina, unlike Brazil, compared to Chile.",
    "Japan's Kyodo news agency said China's TV and radio broadcasters reported it.",
    "Iran said on Tuesday.",  # a source verb at the very end
    "Iran said so, and then " + "x" * 80 + " more words follow here.",  # a verb before the tail
    "The borderless newsroom likes comparisons.",  # words inside longer words count, as `in` does
    "Bords, fronts, coasts? Tha, lik, compar, new, magazin, agenc, radi, medi, websit.",  # near misses
    "ÇA İSTANBUL ſays Türkiye",  # special case folds
    "",
])
def test_the_one_pass_scan_agrees_with_the_word_by_word_tests(sentence):
    from analysis.roles import _SentenceScan, default_cues, fold_case
    cues = default_cues()
    assert cues.scan_automaton is not None
    folded = fold_case(sentence)
    assert _SentenceScan.of(folded, cues) == _SentenceScan.by_words(folded, cues)


@pytest.mark.parametrize("sentence", [
    "Russia and Ukraine exchanged prisoners, according to officials.",
    "Quoted by Tass, cited by Reuters, reported by AFP, citing sources.",
    "Accord reached; a quote, a cite, a report.",  # near misses of the 'according' words
    "Pro-Russian and anti-war protesters, ethnically mixed, said nothing.",
    "Iran said on Tuesday.",
    "Iran said so, and then " + "x" * 80 + " more words follow here.",
    "ÇA İSTANBUL ſays Türkiye according",
    "said" + "x" * 45,  # a verb that starts just inside the tail (49 characters by default) ...
    "said" + "x" * 46,  # ... and one that starts just before it
    "",
])
def test_the_flag_scan_agrees_with_the_word_by_word_tests(sentence):
    from analysis.roles import (
        _ACCORDING, _COMPARISON, _GROUP, _MEDIA, _PLACE, _SOURCE, _has_according_word, _scan_flags,
        _SentenceScan, default_cues, fold_case)
    cues = default_cues()
    folded = fold_case(sentence)
    flags = _scan_flags(folded, cues)
    words = _SentenceScan.by_words(folded, cues)
    assert [bool(flags & f) for f in (_GROUP, _PLACE, _COMPARISON, _MEDIA, _SOURCE, _ACCORDING)] == [
        words.group_word, words.place_word, words.comparison_word, words.media_word, words.source_verb,
        _has_according_word(folded)]


def test_the_scan_flags_a_source_verb_only_in_the_tail():
    from analysis.roles import _SentenceScan, default_cues, fold_case, source_span_start
    cues = default_cues()
    early = "Officials said the talks " + "went on and on " * 10 + "in Geneva."
    late = "The talks went on in Geneva, officials said."
    assert not _SentenceScan.of(fold_case(early), cues).source_verb
    assert _SentenceScan.of(fold_case(late), cues).source_verb
    assert source_span_start(early, cues) == len(early)
    assert source_span_start(late, cues) < len(late)


@pytest.mark.parametrize("sentence", [
    "The talks went on in Geneva, officials said.",
    "Iran, which denied it, said on Tuesday; the U.S., however, said nothing.",
    "Officials said, on Tuesday, that the talks \u2014 held in Geneva \u2013 failed, the agency reported",
    "He said: talks failed \u2014 officials said",
    ", said the minister",
    "No punctuation here but officials said",
    "A colon at the end said:",
    "Russia said so, then Ukraine denied it",  # the verb before the last comma: no match
    "Talks failed \u2014 a spokesman told Reuters \u2014 and ended",
    "",
])
def test_the_source_clause_search_from_the_last_comma_agrees_with_a_full_search(sentence):
    from analysis.roles import _search_source_clause, default_cues
    cues = default_cues()
    assert cues.source_verbs_plain
    found, full = _search_source_clause(sentence, cues), cues.source_clause.search(sentence)
    assert (found and found.span()) == (full and full.span())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["said", "told", " ", ",", ";", ":", "\u2014", "\u2013", "Iran", "x" * 30,
                                 "reported", "says", "\n"]), max_size=14))
def test_the_source_clause_search_agrees_on_generated_sentences(pieces):
    from analysis.roles import _search_source_clause, default_cues
    cues = default_cues()
    sentence = "".join(pieces)
    found, full = _search_source_clause(sentence, cues), cues.source_clause.search(sentence)
    assert (found and found.span()) == (full and full.span())


@pytest.mark.parametrize("organisation", [False, True])
def test_a_venue_made_a_party_equals_the_record_its_constructor_builds(organisation):
    import dataclasses
    import pickle

    from analysis.model import ActorMention
    from analysis.roles import _as_party
    venue = ActorMention(3, 9, "Geneva", "CHE", "city", "venue", organisation)
    built = _as_party(venue)
    expected = ActorMention(3, 9, "Geneva", "CHE", "city", "party", organisation)
    assert built == expected and hash(built) == hash(expected)
    assert list(vars(built)) == [f.name for f in dataclasses.fields(ActorMention)]
    assert pickle.dumps(built) == pickle.dumps(expected)


@pytest.mark.parametrize("sentence", [
    "Ethnic Albanians protested; Albanian speakers and Albanian-language schools too.",
    "The Kurds of Iraq and the Albanians of southern Serbia voted.",
    "Serbian officials met Albanian officials.",
    "Bosnian Serbs held a vote.",  # a people right after another people
    "Russian-held areas and Ukrainian-controlled towns were shelled.",
    "The Russian army, officers of the Chinese navy and an Iranian offer",  # "of" near, not after
    "Pakistani-born British citizens and French nationalists",
])
def test_the_people_gate_lets_through_every_group(dictionary, sentence):
    """event_actors calls _is_group for a people only with a group_after word in the sentence, an
    "of" right after it or a people right before it: without them _is_group is False."""
    from analysis.roles import (
        _GROUP_AFTER, _NEAR_MENTION, _PEOPLE_KINDS, _is_group, _scan_flags, default_cues, fold_case)
    cues = default_cues()
    folded = fold_case(sentence)
    flags = _scan_flags(folded, cues)
    assert bool(flags & _GROUP_AFTER) == any(w in folded for w in cues.group_after_words)
    mentions = sorted(dictionary.find_actors(sentence, "2025-03-03"), key=lambda m: m.start)
    assert any(m.kind in _PEOPLE_KINDS for m in mentions)
    previous = None
    for mention in mentions:
        gate = flags & _NEAR_MENTION or (mention.kind in _PEOPLE_KINDS and (
            flags & _GROUP_AFTER or "of" in sentence[mention.end:mention.end + 25]
            or (previous is not None and previous.kind in _PEOPLE_KINDS)))
        if not gate:
            assert not _is_group(sentence, mention, previous, cues, flags | _GROUP_AFTER)
        previous = mention
