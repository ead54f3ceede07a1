"""An analyst's lexicon and actor edits: saved to their own files, validated before they replace anything."""
from __future__ import annotations

import pytest

from analysis.actors import ActorDataError, ActorDictionary
from analysis.lexicon import Lexicon, LexiconError
from analysis.user_edits import read_rows, save_actor_alias, save_lexicon_term


def test_a_new_term_is_matched_and_a_second_save_reweights_it(tmp_path):
    path = save_lexicon_term("naval blockade drill", "MOBILIZE", 6.5, folder=tmp_path)
    lexicon = Lexicon.load(user_file=path)
    found = lexicon.find_keywords("China began a naval blockade drill around Taiwan.")
    assert [(k.term, k.category, k.weight) for k in found] == [("naval blockade drill", "MOBILIZE", 6.5)]
    save_lexicon_term("Naval  blockade drill", "MOBILIZE", 8, folder=tmp_path)
    _, rows = read_rows(path)
    assert len(rows) == 1 and rows[0]["weight"] == "8"


def test_reweighting_a_shipped_term_overrides_it(tmp_path):
    shipped = {e.term: e for e in Lexicon.load().entries()}
    assert "drone assault" in shipped
    path = save_lexicon_term("drone assault", shipped["drone assault"].category, 2, folder=tmp_path)
    entries = {e.term: e for e in Lexicon.load(user_file=path).entries()}
    assert entries["drone assault"].weight == 2


@pytest.mark.parametrize("category, weight, message", [("NOT_A_CATEGORY", 5, "unknown category"),
                                                         ("ASSAULT", 11, "out of range")])
def test_an_invalid_term_is_refused_and_the_file_left_as_it_was(tmp_path, category, weight, message):
    path = save_lexicon_term("blockade", "COERCE", 6, folder=tmp_path)
    before = path.read_text()
    with pytest.raises(LexiconError, match=message):
        save_lexicon_term("naval drill", category, weight, folder=tmp_path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["lexicon.csv"]  # no candidate file left behind


def test_an_alias_with_dates_counts_only_inside_them(tmp_path):
    path = save_actor_alias("Prime Minister Carney", "CAN", "leader", start="2025-03-14", folder=tmp_path)
    actors = ActorDictionary.load(user_file=path)
    sentence = "Prime Minister Carney spoke with Beijing."
    assert "CAN" in {m.code for m in actors.find_actors(sentence, "2025-06-01")}
    assert "CAN" not in {m.code for m in actors.find_actors(sentence, "2024-06-01")}


def test_an_alias_for_an_unknown_code_is_refused(tmp_path):
    with pytest.raises(ActorDataError, match="XYZ"):
        save_actor_alias("Freedonia", "XYZ", "country", folder=tmp_path)
    assert not (tmp_path / "actors.csv").exists()
