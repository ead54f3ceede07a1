"""Output of the engine: `to_dict` (built without dataclasses.asdict) must give exactly what asdict
gave — same keys in the same order, same value types, the same JSON — for every record shape."""
from __future__ import annotations

import dataclasses
import json

import pytest

from analysis.model import (
    ActorMention, Article, Evidence, KeywordCount, KeywordMatch, PairSignal, Removal, ScoredArticle,
    ScoredSentence,
)


def typed(value):
    """A comparable picture of a value that also tells tuple from list and 0 from 0.0."""
    if isinstance(value, dict):
        return ("dict", tuple((key, typed(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(typed(item) for item in value))
    return (type(value).__name__, repr(value))


def asdict_shape(scored: ScoredArticle, with_sentences: bool) -> dict:
    """What ScoredArticle.to_dict returned when it was built on dataclasses.asdict."""
    out = dataclasses.asdict(scored)
    if not with_sentences:
        out.pop("sentences")
        out.pop("text")
    return out


def hand_built(escalation=8.5, cooperation=0, parties=("RUS", "UKR"), removed=()) -> ScoredArticle:
    mention = ActorMention(0, 6, "Russia", "RUS", "country")
    venue = ActorMention(20, 26, "Geneva", "CHE", "city", role="venue")
    keyword = KeywordMatch("drone assault", "ASSAULT", "escalation", 8.5, 7, 20, "threat", 0.5)
    sentence = ScoredSentence(0, "Russia drone assault in Geneva", parties, ("CHE",), ("NATO",),
                              (mention, venue), (keyword,), -0.6249, escalation, cooperation)
    evidence = Evidence(0, sentence.text, ("drone assault",), -0.6249)
    pair = PairSignal("RUS-UKR", 1, -0.6249, escalation, cooperation, 71.5, "conflict",
                      ("drone assault",), (evidence,), direction="RUS->UKR")
    return ScoredArticle(
        id="a1", title="Drone assault", date=None, date_source="none", source=None, url=None,
        origin="x.jsonl:1", countries=("RUS", "UKR"), mentions=(), venues=("CHE",), sentiment=-0.6249,
        escalation=escalation, cooperation=cooperation, tension=71.5, pairs=(pair,),
        keywords=(KeywordCount("drone assault", "ASSAULT", 1),), warnings=("undated",),
        cited_sources=("Reuters",), removed=removed, language="en", sentences=(sentence,),
        text=sentence.text)


CASES = {
    "floats": hand_built(),
    "int zero sums": hand_built(escalation=0, cooperation=0),
    "no parties": hand_built(parties=()),
    "removals": hand_built(removed=(Removal("outlet-tag", "(Reuters)"), Removal("share", "Share this"))),
    # Fields the types say are tuples, given as lists: asdict keeps the list type, so must we.
    "lists": dataclasses.replace(hand_built(), countries=["RUS", "UKR"], pairs=[hand_built().pairs[0]]),
    # An unexpected dict value: asdict copies it key by key.
    "dict value": dataclasses.replace(hand_built(), source={"name": "Wire", "ids": (1, 2.0)}),
    "empty": ScoredArticle("e", "", None, "none", None, None, "", (), (), (), 0.0, 0, 0, 50.0, (), ()),
}


@pytest.mark.parametrize("with_sentences", [False, True])
@pytest.mark.parametrize("name", list(CASES))
def test_to_dict_is_what_asdict_gave(name, with_sentences):
    scored = CASES[name]
    expected = asdict_shape(scored, with_sentences)
    got = scored.to_dict(with_sentences=with_sentences)
    assert typed(got) == typed(expected)
    assert json.dumps(got, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)


@pytest.mark.parametrize("with_sentences", [False, True])
@pytest.mark.parametrize("name", list(CASES))
def test_to_json_is_the_json_of_to_dict(name, with_sentences):
    """to_json (orjson, straight from the records) carries the same values and number types as
    json.dumps(to_dict()); tuples become JSON arrays either way."""
    scored = CASES[name]
    got = scored.to_json(with_sentences=with_sentences)
    expected = json.dumps(scored.to_dict(with_sentences=with_sentences), ensure_ascii=False)
    assert typed(json.loads(got)) == typed(json.loads(expected))
    assert list(json.loads(got)) == list(json.loads(expected))  # key order too


def test_to_json_keeps_text_readable_on_one_line():
    scored = dataclasses.replace(CASES["floats"], title="Zürich – \"talks\"\nend", source="Ελλάδα")
    line = scored.to_json()
    assert "\n" not in line and "Zürich – " in line and "Ελλάδα" in line
    assert json.loads(line)["title"] == "Zürich – \"talks\"\nend"


@pytest.mark.parametrize("with_sentences", [False, True])
def test_to_json_writes_a_lone_surrogate_of_a_record_built_in_code_as_a_replacement_character(
        engine, with_sentences):
    """The readers replace lone surrogates; an Article built in code may still hold one, and orjson
    refuses it. The line must still be written, as valid UTF-8, with U+FFFD in its place."""
    article = Article("id\ud83d", "Head \udc00line", "Russia attacked Ukraine \ud83d today.", "2024-03-01", "field")
    scored = engine.score(article)
    line = scored.to_json(with_sentences)
    line.encode("utf-8")  # raises on any surrogate left
    record = json.loads(line)
    assert record["id"] == "id\ufffd" and record["title"] == "Head \ufffdline"
    assert [pair["pair"] for pair in record["pairs"]] == ["RUS-UKR"]
    if with_sentences:
        assert "Russia attacked Ukraine \ufffd today." in [sentence["text"] for sentence in record["sentences"]]
    expected = json.loads(json.dumps(scored.to_dict(with_sentences), ensure_ascii=False).replace("\ud83d", "\ufffd")
                          .replace("\udc00", "\ufffd"))
    assert typed(record) == typed(expected) and list(record) == list(expected)


def test_to_dict_without_sentences_leaves_them_out():
    out = CASES["floats"].to_dict()
    assert "sentences" not in out and "text" not in out
    assert list(out)[-1] == "language"


def test_to_dict_copies_mutable_values():
    scored = CASES["lists"]
    out = scored.to_dict()
    out["countries"].append("USA")
    assert scored.countries == ["RUS", "UKR"]


@pytest.mark.parametrize("article", [
    Article("a", "Title", "Body.", "2024-01-02", "field", "Wire", "http://x", "f:1", "en", ("w",)),
    Article("b", "", ""),
])
def test_article_to_dict_is_what_asdict_gave(article):
    assert typed(article.to_dict()) == typed(dataclasses.asdict(article))


@pytest.mark.parametrize("text", [
    "Russia launched a record 728 drones against Ukraine overnight, Kyiv said.",
    "The foreign ministers of France and Germany met in Geneva to discuss a ceasefire.",
    "Heavy rain fell on the coast.",
    "President Biden said the United States would not send troops, but NATO allies pledged aid.",
])
def test_engine_output_to_dict_is_what_asdict_gave(engine, text):
    scored = engine.score(Article("t", "", text, "2024-03-01", "field"))
    for with_sentences in (False, True):
        assert typed(scored.to_dict(with_sentences)) == typed(asdict_shape(scored, with_sentences))
        assert typed(json.loads(scored.to_json(with_sentences))) == \
            typed(json.loads(json.dumps(scored.to_dict(with_sentences), ensure_ascii=False)))
