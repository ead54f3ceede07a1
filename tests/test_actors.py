"""The actor dictionary and matcher: real sentences, each checked for the countries (and roles) found."""
from __future__ import annotations

from pathlib import Path

import pytest

from analysis.actors import ActorDataError, ActorDictionary, salient_countries
from analysis.model import ActorMention


@pytest.fixture(scope="module")
def actors() -> ActorDictionary:
    return ActorDictionary.load()


def codes(actors: ActorDictionary, sentence: str, date: str | None = "2024-06-01") -> list[str]:
    return [m.code for m in actors.find_actors(sentence, date) if not m.is_organisation]


def parties(actors, sentence, date="2024-06-01") -> set[str]:
    return {m.code for m in actors.find_actors(sentence, date) if m.role == "party" and not m.is_organisation}


def venues(actors, sentence, date="2024-06-01") -> set[str]:
    return {m.code for m in actors.find_actors(sentence, date) if m.role == "venue" and not m.is_organisation}


@pytest.mark.parametrize("sentence, expected", [
    ("The US imposed new tariffs on steel.", ["USA"]),
    ("Let us not forget what happened.", []),
    ("He told us the talks had failed.", []),
    ("U.S. SAYS IT WILL RESPOND TO JAPANESE TARIFFS", ["USA", "JPN"]),
    ("US CALLS FOR CALM IN GULF", ["USA"]),
    ("BONUS PAYMENTS RISE AT BANKS", []),
    ("U.S. officials met their counterparts.", ["USA"]),
    ("The USA and the UK signed the accord.", ["USA", "GBR"]),
    ("The company paid US$5 million in fines.", []),
])
def test_us_versus_pronoun(actors, sentence, expected):
    assert codes(actors, sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("Russia and Georgia fought a five-day war over South Ossetia in 2008.", ["RUS", "GEO", "GEO"]),
    ("Protesters filled the streets of Tbilisi as Georgia's parliament passed the law.", ["GEO", "GEO"]),
    ("Georgia's governor signed the bill in Atlanta on Tuesday.", ["USA", "USA"]),
    ("The Republican primary in Georgia drew record turnout.", ["USA"]),
])
def test_georgia_country_or_us_state(actors, sentence, expected):
    assert codes(actors, sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("Niger's junta expelled French troops.", ["NER", "FRA"]),
    ("Nigeria and Niger agreed to reopen their border.", ["NGA", "NER"]),
    ("Oil theft is rampant in the Niger Delta.", ["NGA"]),
    ("Nigerian forces crossed into Niger.", ["NGA", "NER"]),
])
def test_niger_and_nigeria(actors, sentence, expected):
    assert codes(actors, sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("Papua New Guinea signed a security pact with Australia.", ["PNG", "AUS"]),
    ("Equatorial Guinea and Guinea-Bissau sent delegates.", ["GNQ", "GNB"]),
    ("Guinea's military government postponed the vote.", ["GIN"]),
    ("The island of New Guinea is shared by two states.", []),
])
def test_guineas(actors, sentence, expected):
    assert codes(actors, sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("Chad expelled the French ambassador.", ["TCD", "FRA"]),
    ("Chad Smith scored twice for the visitors.", []),
    ("Sudanese refugees poured into eastern Chad.", ["SDN", "TCD"]),
])
def test_chad(actors, sentence, expected):
    assert codes(actors, sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("Jordan intercepted Iranian drones over its territory.", ["JOR", "IRN"]),
    ("Michael Jordan returned to the Chicago Bulls.", ["USA"]),
    ("Egypt and Jordan condemned the raid.", ["EGY", "JOR"]),
    ("Jordan Peterson spoke at the event.", []),
])
def test_jordan(actors, sentence, expected):
    assert codes(actors, sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("Turkey blocked Sweden's NATO bid.", ["TUR", "SWE"]),
    ("Türkiye hosted the talks.", ["TUR"]),
    ("Turkiye and Syria restored ties.", ["TUR", "SYR"]),
    ("They ate roast turkey for dinner.", []),
    ("China warned against the visit.", ["CHN"]),
    ("She collected fine bone china.", []),
    ("New Mexico and New Jersey passed similar laws.", ["USA", "USA"]),
])
def test_case_and_longer_names(actors, sentence, expected):
    assert codes(actors, sentence) == expected


@pytest.mark.parametrize("sentence, code", [
    ("WASHINGTON, March 26 - The Treasury said it would sell bonds.", "USA"),
    ("TOKYO, March 3 - Japan's trade surplus widened.", "JPN"),
    ("KYIV, July 10 (Reuters) - Air raid sirens sounded.", "UKR"),
    ("LONDON (Reuters) - Shares rose.", "GBR"),
    ("SPRINGFIELD, Ill., March 3 - The company said profits rose.", "USA"),
    ("NEW YORK, Feb 26 - Stocks fell.", "USA"),
    ("WESTPORT, Conn., FEb 26 - Qtly div five cts", "USA"),
    ("EXCELSIOR, Minn, March 6 - Broker's Choice Capital Inc said", "USA"),
    ("WINNIPEG, Manitoba, March 2 - Federal Industries Ltd said", "CAN"),
    ("NEW YORK, MARCH 5 - Shares of Polaroid Corp rose", "USA"),
])
def test_datelines(actors, sentence, code):
    found = actors.find_actors(sentence, "1987-03-26")
    assert found[0].kind == "dateline" and found[0].code == code
    assert found[0].role == "venue"


@pytest.mark.parametrize("sentence, org", [
    ("NATO allies pledged more air defence.", "NATO"),
    ("ASEAN foreign ministers met on Thursday.", "ASEAN"),
    ("The EU extended sanctions for six months.", "EU"),
    ("OPEC agreed to cut output.", "OPEC"),
    ("Hamas fired rockets overnight.", "Hamas"),
    ("Hezbollah said it was not involved.", "Hezbollah"),
])
def test_organisations_are_not_countries(actors, sentence, org):
    found = actors.find_actors(sentence, "2024-06-01")
    assert [m.code for m in found] == [org]
    assert all(m.is_organisation and m.kind == "organisation" for m in found)


@pytest.mark.parametrize("sentence, date, expected", [
    ("Trump said tariffs would rise.", "2022-06-01", []),
    ("Trump said tariffs would rise.", "2025-03-01", ["USA"]),
    ("Trump said tariffs would rise.", "2018-03-01", ["USA"]),
    ("Medvedev met Obama in Prague.", "2010-04-08", ["RUS", "USA", "CZE"]),
    ("Zelenskyy performed a comedy show.", "2018-06-01", []),
    ("Zelenskiy urged allies to send air defence.", "2023-06-01", ["UKR"]),
    ("Assad spoke on television.", "2025-03-01", []),
    ("Assad spoke on television.", "2015-03-01", ["SYR"]),
    ("Volcker said the dollar had fallen enough.", "1987-03-02", ["USA"]),
    ("Stoltenberg said the Bundesbank would not cut rates.", "1987-03-02", ["DEU", "DEU"]),
    ("Lavrov met his Chinese counterpart.", "2003-01-01", ["CHN"]),
    ("Lavrov met his Chinese counterpart.", "2004-03-10", ["RUS", "CHN"]),
    ("Rubio spoke to reporters.", "2024-06-01", []),
    ("Kellogg arrived in Kyiv.", "2025-02-20", ["USA", "UKR"]),
])
def test_leaders_count_only_in_office(actors, sentence, date, expected):
    assert codes(actors, sentence, date) == expected


def test_undated_text_counts_current_roles_and_people_of_one_country(actors):
    assert codes(actors, "Putin and Trump spoke by phone.", None) == ["RUS", "USA"]
    # Out of office today, but every role Obama held was for the USA: the country is certain.
    assert codes(actors, "Obama spoke by phone.", None) == ["USA"]
    # Dated, the role's dates decide.
    assert codes(actors, "Obama spoke by phone.", "2022-05-01") == []


def test_leader_of_an_organisation_is_an_organisation(actors):
    found = actors.find_actors("Stoltenberg urged allies to do more.", "2019-01-01")
    assert [(m.code, m.is_organisation) for m in found] == [("NATO", True)]


@pytest.mark.parametrize("sentence, expected", [
    ("The Kremlin rejected the proposal.", {"RUS"}),
    ("The White House said talks would continue.", {"USA"}),
    ("Kyiv said the attack killed three.", {"UKR"}),
    ("Washington and Moscow traded accusations.", {"USA", "RUS"}),
    ("Beijing said it would retaliate.", {"CHN"}),
    ("Downing Street declined to comment.", {"GBR"}),
])
def test_metonyms_are_parties(actors, sentence, expected):
    assert parties(actors, sentence) == expected


SEED = ("Rubio will meet Russian Foreign Minister Sergei Lavrov on Thursday in Kuala Lumpur on the "
        "sidelines of the ASEAN foreign ministers\u2019 summit")


def test_seed_sentence_parties_venue_and_organisation(actors):
    found = actors.find_actors(SEED, "2025-07-10")
    assert parties(actors, SEED, "2025-07-10") == {"USA", "RUS"}
    assert venues(actors, SEED, "2025-07-10") == {"MYS"}
    assert [m.code for m in found if m.is_organisation] == ["ASEAN"]


@pytest.mark.parametrize("sentence, party, venue", [
    ("The two sides met on the sidelines of the summit in Rome.", set(), {"ITA"}),
    ("Their first meeting was in Saudi Arabia.", set(), {"SAU"}),
    ("Iran and the US held talks in Geneva.", {"IRN", "USA"}, {"CHE"}),
    ("A conference held in Vienna discussed the deal.", set(), {"AUT"}),
    ("Rubio's visit to Kuala Lumpur was his first.", {"USA"}, {"MYS"}),
    ("The Kuala Lumpur talks ended without a deal.", set(), {"MYS"}),
    ("The war in Ukraine entered its fourth year.", {"UKR"}, set()),
    ("An attack in Israel killed two people.", {"ISR"}, set()),
    ("Fighting in Gaza intensified.", {"PSE"}, set()),
    ("Malaysian officials said the meeting went well.", {"MYS"}, set()),
])
def test_venues_are_not_parties(actors, sentence, party, venue):
    date = "2025-07-10"
    assert parties(actors, sentence, date) == party
    assert venues(actors, sentence, date) == venue


@pytest.mark.parametrize("sentence, date, expected", [
    ("Soviet officials rejected the offer.", "1987-03-01", ["RUS"]),
    ("West German exports rose in February.", "1987-03-01", ["DEU"]),
    ("The USSR and Yugoslavia signed a trade pact.", "1987-03-01", ["RUS", "SRB"]),
    ("Czechoslovakia and Burma exchanged envoys.", "1987-03-01", ["CZE", "MMR"]),
    ("Congo's president met officials in Brazzaville.", "1987-03-01", ["COG", "COG"]),
    ("Congo's army fought M23 rebels near Goma.", "2023-03-01", ["COD", "COD"]),
])
def test_historical_states_map_to_successors(actors, sentence, date, expected):
    assert codes(actors, sentence, date) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("The Australian dollar fell against the yen.", []),
    ("The loan is worth 50 mln U.S. dlrs.", []),
    ("Australian officials met the Swiss delegation.", ["AUS", "CHE"]),
    ("UNION CARBIDE <UK> SELLS NOTES", []),
    ("The Uruguay Round of trade talks stalled.", []),
])
def test_currencies_tickers_and_named_rounds_are_not_actors(actors, sentence, expected):
    assert codes(actors, sentence, "1987-03-01") == expected


def test_based_in_is_a_venue(actors):
    sentence = "The Paris-based OECD criticised Japanese farm subsidies."
    assert venues(actors, sentence) == {"FRA"} and parties(actors, sentence) == {"JPN"}


@pytest.mark.parametrize("sentence", [
    "Russia's envoy spoke.", "Russia\u2019s envoy spoke.", "Pro-Russia groups rallied.",
    "RUSSIA WARNS WEST", "The anti-Russia bloc met.",
])
def test_word_boundaries_and_possessives(actors, sentence):
    assert "RUS" in codes(actors, sentence)


def test_offsets_point_at_the_text(actors):
    sentence = "Talks between Israel and Hamas resumed in Cairo."
    for mention in actors.find_actors(sentence, "2024-06-01"):
        assert sentence[mention.start:mention.end] == mention.text


def test_all_un_members_and_extras_are_present(actors):
    countries = actors.countries
    assert len(countries) >= 197
    for iso in ("TWN", "HKG", "PSE", "XKX", "USA", "SSD", "VAT"):
        assert iso in countries
    assert actors.country_name("XKX") == "Kosovo"


def test_search_finds_people_and_aliases(actors):
    rows = actors.search("zelensk")
    assert rows and all(r["code"] == "UKR" for r in rows)
    assert any(r["start"] == "2019-05-20" for r in rows)
    assert actors.search("Holland")[0]["code"] == "NLD"
    assert actors.search("") == []


def test_user_file_adds_rows_and_bad_rows_name_file_and_line(tmp_path: Path):
    user = tmp_path / "actors.csv"
    user.write_text("alias,code,kind,case,start,end,note\nFreedonia,USA,country,title,,,test\n",
                    encoding="utf-8")
    custom = ActorDictionary.load(user_file=user)
    assert codes(custom, "Freedonia protested.") == ["USA"]
    user.write_text("alias,code,kind,case,start,end,note\nHolland,USA,city,title,,,Holland, Michigan\n",
                    encoding="utf-8")
    assert codes(ActorDictionary.load(user_file=user), "Holland voted.") == ["USA"]  # replaces NLD
    user.write_text("alias,code,kind,case,start,end,note\nFreedonia,XXZ,country,title,,,\n",
                    encoding="utf-8")
    with pytest.raises(ActorDataError, match=r"actors\.csv:2: code 'XXZ'"):
        ActorDictionary.load(user_file=user)
    user.write_text("alias,code,kind,case,start,end,note\nNew Guy,USA,leader,title,2025-13-01,,\n",
                    encoding="utf-8")
    with pytest.raises(ActorDataError, match=r"actors\.csv:2: start date"):
        ActorDictionary.load(user_file=user)


def _mention(code: str, kind: str = "country", role: str = "party") -> ActorMention:
    return ActorMention(0, 1, code, code, kind, role)  # type: ignore[arg-type]


def test_salience_keeps_lead_and_repeated_countries():
    by_sentence = [
        [_mention("USA", "dateline", "venue"), _mention("JPN")],
        [_mention("JPN")],
        [], [], [], [],
        [_mention("FRA")],  # once, late: a mention
        [_mention("CHN")], [_mention("CHN")],  # twice: a country
    ]
    countries, mentions = salient_countries(by_sentence, len(by_sentence))
    assert countries[:2] == ["USA", "JPN"] or countries[:2] == ["JPN", "USA"]
    assert "CHN" in countries and "FRA" in mentions


# ------------------------------------------------------------------- fast paths (issue 6): same answers

def _fold_by_table(text: str) -> str:
    """The plain fold (str.translate with the punctuation table) that the byte-table fold mirrors."""
    from analysis.actors import _TO_SPACE

    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.translate(_TO_SPACE)


@pytest.mark.parametrize("text", [
    "".join(chr(c) for c in range(128)),
    "U.S.-led talks in Kuala Lumpur (Reuters) - $5 mln; 'quoted' <TICK> #tag @user 50% a_b ~x^y|z`",
    "ALL CAPS HEADLINE: IRAN, IRAQ & CO.",
    "",
])
def test_ascii_fold_matches_the_general_fold(text):
    from analysis.actors import _fold

    assert text.isascii()
    assert _fold(text) == _fold_by_table(text)
    assert len(_fold(text)) == len(text)


@pytest.mark.parametrize("text", [
    "Côte d’Ivoire’s «talks» — in Zürich… (AFP) “quoted” ‘single’ ‚low„ • x·y ʼokina′ a\u00a0b ‐‑‒–",
    "İstanbul and ΟΔΟΣ", "Ａｎｋａｒａ", "lone \ud800 surrogate, kept.", "emoji 🙂-led talks.",
])
def test_non_ascii_fold_matches_the_general_fold(text):
    from analysis.actors import _fold

    assert _fold(text) == _fold_by_table(text)
    assert len(_fold(text)) == len(text)


@pytest.mark.parametrize("sentence", [
    "Niger and Nigeria signed; the UN and the United Nations, too.",
    "Troops left Niger",
    "Troops left Niger.",
    "The U.S.-led coalition hit Iraq's north; U.S. dlrs fell.",
    "Officials in Kuala Lumpur and Singapore met North Korea's envoy, not South Korean ones.",
    "Bonus: usa-based, US-based and USA based firms.",
    "UNION CARBIDE <UK> and SCOTT <SCOT> rose in London",
    "Papua New Guinea and Guinea-Bissau and Guinea",
    "WASHINGTON, March 26 - Japan said.",
    "the  United   States and\tChina (Beijing) met.",
    "Chad Smith and Jordan Peterson met King Abdullah of Jordan.",
])
def test_ascii_automaton_matches_the_general_one(actors, sentence):
    # A trailing no-break space makes the text non-ASCII: the general automaton, with the word-end
    # check per hit, reads it; the mentions must be the same ones.
    assert sentence.isascii()
    ascii_mentions = actors.find_actors(sentence, "2024-06-01")
    assert ascii_mentions == actors.find_actors(sentence + "\u00a0", "2024-06-01")
    assert ascii_mentions  # each sentence names someone


@pytest.mark.parametrize("text, expected", [
    ("Freedo\u00adnia said no.", ["USA"]),  # a soft hyphen: neither punctuation nor a letter
    ("Freedonia said no.", []),
    ("Freedo\u00adnian forces", []),
    ("The Freedo\u00adnia\u2122 brand.", ["USA"]),
])
def test_alias_with_an_odd_character_still_matches(tmp_path: Path, text, expected):
    user = tmp_path / "actors.csv"
    user.write_text("alias,code,kind,case,start,end,note\nFreedo\u00adnia,USA,country,title,,,test\n",
                    encoding="utf-8")
    assert codes(ActorDictionary.load(user_file=user), text) == expected


def test_fast_mention_is_the_same_record():
    from analysis.actors import _mention

    fast = _mention(3, 9, "Turkey", "TUR", "country", "venue", False)
    slow = ActorMention(3, 9, "Turkey", "TUR", "country", "venue", False)
    assert fast == slow and repr(fast) == repr(slow) and hash(fast) == hash(slow)
    assert vars(fast) == vars(slow)
    with pytest.raises(AttributeError):
        fast.code = "USA"  # still frozen


@pytest.mark.parametrize("sentence, expected", [
    # a spelling seen once is remembered per alias: later case variants must still be checked
    ("Turkey said so.", ["TUR"]),
    ("TURKEY SAID SO.", ["TUR"]),
    ("turkey said so.", []),
    ("Turkey said so.", ["TUR"]),
    ("The US said so.", ["USA"]),
    ("the us said so.", []),
    ("THE US SAID SO.", ["USA"]),
    ("The Us said so.", []),
])
def test_case_rules_hold_for_every_spelling_in_any_order(actors, sentence, expected):
    assert codes(actors, sentence) == expected


@pytest.mark.parametrize("sentence, venue", [
    # the last word before the place decides whether the rule looks further back: near misses
    ("Talks were held in Ankara on Monday.", True),
    ("Talks were held IN Ankara on Monday.", True),
    ("Talks were held in the Ankara suburbs.", True),
    ("Talks were held within Ankara on Monday.", False),
    ("Talks were held in, Ankara said.", False),
    ("Talks were held (in Ankara) on Monday.", False),  # punctuation between: no preposition
    ("Talks were held in\tAnkara on Monday.", True),
    ("Talks were held in\u00a0Ankara on Monday.", True),
    ("He travelled to Ankara on Monday.", True),
    ("He spoke to Ankara on Monday.", False),
    ("The war in Syria goes on.", False),
    ("Ankara said the talks were over.", False),
    ("bin Ankara", False),
    ("int Ankara", False),
])
def test_preposition_before_a_place(actors, sentence, venue):
    from analysis.actors import _venue_by_preposition

    start = sentence.rindex("Ankara") if "Ankara" in sentence else sentence.index("Syria")
    assert _venue_by_preposition(sentence[:start]) is venue


_ARTICLE = [
    "WASHINGTON, March 26 - The United States and Japan agreed on Tuesday.",
    "Officials from New",  # a name split over two sentences is no name
    "York and Ankara met in Kuala Lumpur and Singapore.",
    "Nothing here.",
    "",
    "Putin met Erdogan; the Australian dollar fell against the yen in Tokyo.",
    "U.S.-led talks in Geneva, Switzerland.",
    "Chad Smith drummed; Georgia's governor Kemp spoke in Atlanta.",
    "İstanbul and Côte d’Ivoire signed with the EU and NATO.",
]


@pytest.mark.parametrize("date", ["2024-06-01", "2008-03-01", None])
def test_batch_matches_one_call_per_sentence(actors, date):
    expected = [actors.find_actors(s, date) for s in _ARTICLE]
    assert actors.find_actors_in_sentences(_ARTICLE, date) == expected
    assert [len(m) for m in expected[:3]] != [0, 0, 0]  # the sample does exercise the matcher
    assert expected[1] == ()
    for one in _ARTICLE:
        assert actors.find_actors_in_sentences([one], date) == [actors.find_actors(one, date)]
    assert actors.find_actors_in_sentences([], date) == []


_NEAR_MISSES = [
    "Talks in the United States, at the UN, to the EU and of the UK; bathe the Congo, within Iran.",
    "THE TALKS IN THE GULF AND OF THE GULF; In The Hague; inThe Hague; in(the) Iraq; in, the Iraq",
    "He went to  the  Congo, near\tthe\u2003Gulf, across\u00a0the sea, throughout  Asia; breathe Iran.",
    "Kelvin \u212a in Iran; İN THE Iran; iN tHe Iran; in ’the Iran; x" + " " * 95 + "in Iran",
    "withinthe Iran, ofthe Iran, to-the Iran, the the Iran, in the the Iran, visit to the Iran",
    "in, Iran; in - Iran; in , Iran; in  Iran; in \u2003Iran; in\u2003 Iran; in(Iran; in. Iran; in’ Iran",
    "I Iran; x Iran; in Iran",
]


@pytest.mark.parametrize("text", _NEAR_MISSES)
def test_preposition_prefilter_only_skips_what_the_rule_rejects(text):
    from analysis.actors import _WINDOW, _fold, _preposition_possible, _venue_by_preposition

    folded = _fold(text)
    skipped = 0
    for start in range(len(text) + 1):
        if not _preposition_possible(text, folded, start):
            skipped += 1
            assert not _venue_by_preposition(text[max(0, start - _WINDOW):start]), text[:start]
    assert skipped  # the prefilter does skip something here


@pytest.mark.parametrize("text", [
    "the Australian dollar, U.S. dlrs, 5 d-marks, Iran  rials, Japan\u00a0yen, Korea won, Korea wonder",
    "Canada dollars; Mexico pesos; UK sterling; UK sterlingx; U.S.\tdollars; U.S.\u2003dollars; India s rupees",
])
def test_currency_prefilter_only_skips_what_the_regex_rejects(text):
    from analysis.actors import _CURRENCY_AFTER, _CURRENCY_INITIALS, _fold

    folded = _fold(text)
    matched = 0
    for end in range(len(text) + 1):
        after = folded[end + 1:end + 2]
        if _CURRENCY_AFTER.match(folded, end):
            matched += 1
            assert after in _CURRENCY_INITIALS or after.isspace()
    assert matched >= 5


def test_an_empty_dictionary_finds_nothing():
    empty = ActorDictionary({}, {}, [], [], [], {})
    sentences = ["Turkey and Iran met in Geneva.", "Türkiye said so.", "WASHINGTON, March 3 - no."]
    assert [empty.find_actors(s, None) for s in sentences] == [(), (), ()]
    assert empty.find_actors_in_sentences(sentences, "2024-01-01") == [(), (), ()]


_OVERLAPS = [
    "Gaza Strip and Gaza City; Saudi Arabia and Saudi Arabian oil; the Czech Republic.",
    "Papua New Guinea, New Guinea and Guinea; South Korea met North Korean envoys.",
    "The Democratic Republic of the Congo and the Republic of the Congo.",
    "Latin America's debt; Bank of America and America; Latin Americans and Americans.",
    "The Export-Import Bank and the Bank of Japan; the New York Times in New York City.",
    "Vladimir Putin met President Xi Jinping; Crown Prince Mohammed bin Salman of Saudi Arabia.",
    "the australian dollar and the Australian Dollar fell; UNION CARBIDE <UK> in British Columbia",
    "WASHINGTON, D.C., March 3 - Washington, D.C. and the United States of America's allies.",
    "south Korea, SOUTH KOREA, South korea and Korea",
]


@pytest.mark.parametrize("sentence", _OVERLAPS)
@pytest.mark.parametrize("date", ["2024-06-01", "1987-03-01", None])
def test_nested_hits_give_what_the_longest_span_rule_gives(actors, sentence, date):
    # the matcher settles nested hits as it goes; the general rule sorts every span by length
    for text in (sentence, sentence + "\u00a0"):  # the ASCII automaton and the general one
        folded = _fold_for_test(text)
        ascii_text = folded.isascii()
        expected = actors._untangled_mentions(text, folded, date, ascii_text)
        assert actors.find_actors(text, date) == expected
    assert actors.find_actors(sentence, date)  # the sample does name someone


def _fold_for_test(text: str) -> str:
    from analysis.actors import _fold

    return _fold(text)


def test_nested_hits_in_a_batch(actors):
    expected = [actors.find_actors(s, "2024-06-01") for s in _OVERLAPS]
    assert actors.find_actors_in_sentences(_OVERLAPS, "2024-06-01") == expected
    assert ("PNG" in {m.code for m in expected[1]}) and ("GIN" in {m.code for m in expected[1]})


_AFTER_A_PLACE = [
    "the Australian dollar, U.S. dlrs, 5 d-marks, Iran  rials, Japan, yen; Korea won, Korea wonder",
    "Canada dollars; Mexico (pesos); UK sterling; UK sterlingx; U.S.\tdollars; India s rupees; Kuwait - dinars",
    "The Kuala Lumpur talks, the Geneva Conventions, Paris  summit, Paris, summit; Doha-based; Rome  Stock Exchange",
    "Tokyo stock\texchange; Vienna communique; Oslo accord, Oslo accords; Seoul markets; Minsk format; Moscow bureau",
    "Paris tal\u212as (a Kelvin sign); Paris tal; Paris t; Paris; London correspondents; Berne office.",
    "Paris   talks; Paris \t summit; Paris,  talks; Paris   dollars; Paris \t yen; Paris\t\t\tmarkets",
]


@pytest.mark.parametrize("text", _AFTER_A_PLACE)
def test_venue_leads_only_skip_what_the_regex_rejects(text):
    from analysis.actors import _VENUE_AFTER, _VENUE_LEADS, _fold

    folded = _fold(text)
    assert folded.isascii()  # (the leads are for folded ASCII text)
    venues = 0
    for end in range(len(text) + 1):
        if end < len(text) and folded[end] != " ":
            continue  # a hit of the ASCII automaton ends before a space (or at the end)
        if _VENUE_AFTER.match(text[end:end + 40]):
            venues += 1
            assert folded[end + 1:end + 3] in _VENUE_LEADS, text[:end]
    assert venues or "summit" not in text and "talks" not in text
    assert "sa" not in _VENUE_LEADS  # "said": the leads do skip


@pytest.mark.parametrize("text", _AFTER_A_PLACE)
def test_currency_words_are_what_the_currency_rule_finds(text):
    # In ASCII text a name is a currency when the automaton's next hit is a currency word after
    # nothing but spaces; the rule itself is _CURRENCY_AFTER at the name's end.
    from analysis.actors import _CURRENCY_AFTER, _CURRENCY_WORDS, _fold

    folded = _fold(text)
    for end in range(len(text) + 1):
        if end < len(text) and folded[end] != " ":
            continue
        rest = folded[end:].lstrip(" ")
        word = rest.split(" ", 1)[0]
        by_words = bool(rest) and rest != folded[end:] and word in _CURRENCY_WORDS
        assert by_words == bool(_CURRENCY_AFTER.match(folded, end)), text[:end]


def test_every_currency_the_rule_names_is_a_word_or_cannot_be_in_folded_text():
    from analysis.actors import _CURRENCIES, _CURRENCY_WORDS

    for alternative in _CURRENCIES.split("|"):
        forms = (alternative[:-2], alternative[:-1]) if alternative.endswith("?") else (alternative,)
        for form in forms:
            assert form in _CURRENCY_WORDS or not form.isalnum(), form


@pytest.mark.parametrize("sentence", [
    "The Australian dollar fell; U.S. dlrs rose; the Japanese  yen; Iran rials; Korea won, Korea wonder",
    "Russia's rouble; the Hong Kong dollar; Swiss francs; India rupee; Japan <YEN> and China <CHINA>",
    "CANADA DOLLARS; China yuan. Britain sterling, Britain: sterling; Israel shekels; Kuwait dinars",
    "the U.S. dollar-denominated bonds, the euro and the Swiss franc; Mexico pesos rose in Mexico.",
    "The Australian Dollar Island; Gaza Strip dollar; Papua New Guinea kina and Guinea francs.",
    # overlaps that are not nests (the longest-span rule), with currency words after the names
    "Latin America's dollar debt; Latin America dollars and West German marks",
    "Export-Import Bank of Japan yen loans and Latin Americans pesos; Latin American dollars",
    "Latin America's debt rose; the Australian dollar fell.",
])
@pytest.mark.parametrize("date", ["1987-03-01", None])
def test_currency_words_in_ascii_text_as_in_any_text(actors, sentence, date):
    ascii_mentions = actors.find_actors(sentence, date)
    assert ascii_mentions == actors.find_actors(sentence + "\u00a0", date)  # the general automaton
    assert actors.find_actors_in_sentences([sentence, sentence], date) == [ascii_mentions, ascii_mentions]
    assert [m for m in ascii_mentions if m.text in ("Australian", "Swiss", "CANADA")] == []


@pytest.mark.parametrize("text, expected", [
    ("The South African rand fell as Rand said so.", ["ZAF"]),  # "rand" is a currency, "Rand" the alias
    ("Rand Rand rand", []),  # each Rand is followed by the currency word
    ("Rand met Rand; rand", ["ZAF"]),
    ("the Australian Rand rose", ["ZAF"]),
])
def test_an_alias_spelled_like_a_currency_word(tmp_path: Path, text, expected):
    user = tmp_path / "actors.csv"
    user.write_text("alias,code,kind,case,start,end,note\nRand,ZAF,city,title,,,test\n", encoding="utf-8")
    dictionary = ActorDictionary.load(user_file=user)
    mentions = dictionary.find_actors(text, "2024-01-01")
    assert mentions == dictionary.find_actors(text + "\u00a0", "2024-01-01")
    assert [m.code for m in mentions if m.text == "Rand"] == expected


@pytest.mark.parametrize("text", [t for t in _NEAR_MISSES if _fold_for_test(t).isascii()] + [
    "in  Iran; in,  Iran; went to  the Congo; in\tIran; in \tIran; of the  Iran; bathe Iran; in-Iran",
    "In  The  Hague; at  the  UN; x  the Iran; the Iran; he Iran; e Iran",
])
def test_endings_before_a_place_only_skip_what_the_prefilter_rejects(text):
    from analysis.actors import _ENDINGS_OR_GAP, _preposition_possible

    folded = _fold_for_test(text)
    skipped = 0
    for start in range(len(text) + 1):
        if start and folded[start - 1] != " ":
            continue  # an automaton hit starts after a space
        if not folded.endswith(_ENDINGS_OR_GAP, 0, start):
            skipped += 1
            assert not _preposition_possible(text, folded, start), text[:start]
    assert skipped


@pytest.mark.parametrize("sentence, roles", [
    ("Talks in Paris, then the Paris talks and the Paris-based OECD.", ["venue", "venue", "venue"]),
    ("Paris, talks aside, said no; Paris said the talks failed.", ["party", "party"]),
    ("Officials in Kuala Lumpur and Singapore met; the war in Syria.", ["venue", "venue", "party"]),
    ("France and the Netherlands met in the Hague with Iran, Iraq and Syria.", ["party", "party", "party", "party", "party"]),
])
def test_place_roles_on_ascii_and_general_text(actors, sentence, roles):
    # the ASCII path uses the cheaper first tests; a no-break space sends the text to the general one
    ascii_mentions = actors.find_actors(sentence, "2024-06-01")
    assert [m.role for m in ascii_mentions if m.kind != "organisation"] == roles
    assert actors.find_actors(sentence + "\u00a0", "2024-06-01") == ascii_mentions


@pytest.mark.parametrize("sentence", [
    "WASHINGTON, March 26 - Japan said.", "NEW YORK, March 3 (Reuters) - Shares rose.",
    "SPRINGFIELD, Ill., March 3 - x", "Kuala Lumpur (Reuters) - y", "Israeli-Palestinian talks - z",
    "O'HARE-BASED U.S. Co., Feb 2 - w", "A B C D E, Jan 1 - too many words", "Paris,March 3 -x",
    "PARIS-(Reuters) - v", "St. John's, Nfld., April 1 (AP) -- u", "Paris , March 3 - t", "  LONDON (AFP) – s",
])
def test_dateline_pattern_without_backtracking_into_words(sentence):
    import re

    from analysis.actors import _DATELINE

    backtracking = re.compile(_DATELINE.pattern.replace("]*+", "]*"))
    assert backtracking.pattern != _DATELINE.pattern
    ours, theirs = _DATELINE.match(sentence), backtracking.match(sentence)
    assert (ours and (ours.span(), ours.groupdict())) == (theirs and (theirs.span(), theirs.groupdict()))


def test_dateline_codes_are_remembered_per_place_and_state(actors):
    first = actors.find_actors("PARIS, March 3 - Talks began.", "2024-01-01")
    again = actors.find_actors("PARIS, March 3 - Talks began.", "2024-01-01")
    assert first == again and first[0].kind == "dateline" and first[0].code == "FRA"
    texas = actors.find_actors("PARIS, Texas, March 3 - Talks began.", "2024-01-01")
    assert texas[0].kind == "dateline" and texas[0].code == "USA"
