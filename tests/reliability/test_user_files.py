"""An analyst's own lexicon and actor files are validated before use: wrong columns, bad values,
binary or oversized files are refused with a message naming the file (and line)."""
from __future__ import annotations

import pytest

from analysis.actors import ActorDataError, ActorDictionary
from analysis.lexicon import MAX_FILE_BYTES, Lexicon, LexiconError
from tests.reliability.conftest import write

BINARY = bytes(range(128, 256)) * 8

LEXICON_CASES = [
    ("term,weight\nblockade,5\n", "line 1: missing column(s) category"),
    ("term,category,weight\nblockade,NOT_A_CATEGORY,5\n", "line 2: unknown category 'NOT_A_CATEGORY'"),
    ("term,category,weight\nblockade,SANCTION,heavy\n", "line 2: weight 'heavy' for 'blockade' is not a number"),
    ("term,category,weight\nblockade,SANCTION,5\nembargo,SANCTION,99\n", "line 3: weight 99 for 'embargo' is out of range"),
    ("term,category,weight\n,SANCTION,5\n", "line 2: empty term"),
    ("term,category,weight\n**evil**,SANCTION,5\n", "should start and end with a letter or digit"),
    ("term,category,weight,inflect\nblockade,SANCTION,5,sideways\n", "line 2: inflect 'sideways'"),
    (BINARY, "not UTF-8 text"),
]


@pytest.mark.parametrize("content, message", LEXICON_CASES, ids=[c[1][:30] for c in LEXICON_CASES])
def test_a_bad_user_lexicon_is_refused_naming_file_and_line(tmp_path, content, message):
    path = write(tmp_path / "my_terms.csv", content)
    with pytest.raises(LexiconError) as error:
        Lexicon.load(user_file=path)
    assert "my_terms.csv" in str(error.value) and message in str(error.value)


def test_an_oversized_user_lexicon_is_refused_before_reading(tmp_path):
    rows = "".join(f"blockade number {n},SANCTION,5\n" for n in range(MAX_FILE_BYTES // 25))
    path = write(tmp_path / "big_terms.csv", "term,category,weight\n" + rows)
    assert path.stat().st_size > MAX_FILE_BYTES
    with pytest.raises(LexiconError, match=r"big_terms\.csv: file too large"):
        Lexicon.load(user_file=path)


def test_a_valid_user_lexicon_adds_its_term(tmp_path):
    path = write(tmp_path / "my_terms.csv", "term,category,weight\nnaval quarantine,SANCTION,6\n")
    matches = Lexicon.load(user_file=path).find_keywords("China imposed a naval quarantine on Taiwan.")
    assert [(m.term, m.category) for m in matches] == [("naval quarantine", "SANCTION")]


ACTOR_CASES = [
    ("alias,code\nMordor,RUS\n", "my_actors.csv: missing column(s) kind"),
    ("alias,code,kind\nMordor,XXX,country\n", "my_actors.csv:2: code 'XXX' is neither"),
    ("alias,code,kind\nMordor,RUS,planet\n", "my_actors.csv:2: kind 'planet' is not one of"),
    ("alias,code,kind,case\nMordor,RUS,country,shouting\n", "my_actors.csv:2: case 'shouting'"),
    ("alias,code,kind,start\nMordor,RUS,country,yesterday\n", "my_actors.csv:2: start date 'yesterday'"),
    (BINARY, "my_actors.csv: not UTF-8 text"),
    ("alias,code,kind\n,RUS,country\n", "my_actors.csv:2: empty alias for 'RUS'"),
]


@pytest.mark.parametrize("content, message", ACTOR_CASES)
def test_a_bad_user_actor_file_is_refused_naming_file_and_line(tmp_path, content, message):
    path = write(tmp_path / "my_actors.csv", content)
    with pytest.raises(ActorDataError) as error:
        ActorDictionary.load(user_file=path)
    assert message in str(error.value)


def test_a_missing_user_actor_file_is_one_clear_error(tmp_path):
    with pytest.raises(ActorDataError, match="no such file"):
        ActorDictionary.load(user_file=tmp_path / "gone.csv")


def test_an_oversized_user_actor_file_is_refused(tmp_path):
    rows = "".join(f"Zork{n},RUS,country\n" for n in range(110_000))  # about 2 MB
    path = write(tmp_path / "big_actors.csv", "alias,code,kind\n" + rows)
    with pytest.raises(ActorDataError, match=r"big_actors\.csv.*too large"):
        ActorDictionary.load(user_file=path)


def test_a_valid_user_alias_is_found(tmp_path):
    path = write(tmp_path / "my_actors.csv", "alias,code,kind\nMuscovy,RUS,country\n")
    mentions = ActorDictionary.load(user_file=path).find_actors("Muscovy sent envoys to Kyiv.", "2022-03-01")
    assert [(m.text, m.code) for m in mentions][:1] == [("Muscovy", "RUS")]
