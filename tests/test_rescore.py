"""Re-scoring a store after an analyst's edit: in one process (the Method page's button) and on
several (`python -m analysis rescore`), with the same stored result."""
from __future__ import annotations

import gzip
import json
import math
import shutil
from pathlib import Path

import duckdb
import pytest

from analysis import METHOD_VERSION
from analysis.__main__ import main
from analysis.pipeline import Engine
from analysis.rescore import rescore_store
from analysis.store import ingest_paths

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo"
# An analyst's edit that changes scores: a new escalation term found in the sample below.
EDIT = "term,category,polarity,weight\nshelling,ASSAULT,escalation,9\n"
# Every derived table, with the columns that name a run or a moment left out.
TABLES = {
    "articles": "* EXCLUDE (run_id, ingested_at)",
    "sentences": "*", "pair_signals": "*", "evidence": "*", "stories": "*", "periods": "*",
    "key_story_daily": "*", "key_terms_monthly": "*", "story_daily": "*", "corpus_stats": "*",
    "signatures": "*", "story_bands": "*",
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """600 demo items (many mention shelling) and the two seed articles, ingested."""
    folder = tmp_path_factory.mktemp("rescore")
    with gzip.open(DEMO / "wcep_2002_2025_geopolitics.jsonl.gz", "rt", encoding="utf-8") as lines:
        chosen = [line for line in lines if "shell" in line][:300]
    with gzip.open(DEMO / "wcep_2002_2025_geopolitics.jsonl.gz", "rt", encoding="utf-8") as lines:
        chosen += [line for _, line in zip(range(300), lines)]
    (folder / "items.jsonl").write_text("".join(dict.fromkeys(chosen)), encoding="utf-8")
    shutil.copytree(DEMO / "seeds", folder / "seeds")
    db = folder / "sample.duckdb"
    ingest_paths(db, [folder / "items.jsonl", folder / "seeds"], workers=1)
    return db


@pytest.fixture(scope="module")
def edited_engine(tmp_path_factory) -> Engine:
    user = tmp_path_factory.mktemp("user")
    (user / "lexicon.csv").write_text(EDIT, encoding="utf-8")
    return Engine.load(user_dir=user)


def snapshot(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return {table: sorted(conn.execute(f"SELECT {columns} FROM {table}").fetchall(), key=repr)
                for table, columns in TABLES.items()}


def assert_same_tables(got: dict[str, list[tuple]], expected: dict[str, list[tuple]]) -> None:
    """Equal tables; floats to 1e-12 relative, because DuckDB's parallel window sums (the periods'
    baselines) may differ in the last bit between two refreshes of the same rows."""
    assert got.keys() == expected.keys()
    for table, rows in expected.items():
        assert len(got[table]) == len(rows), table
        for got_row, row in zip(got[table], rows):
            assert len(got_row) == len(row), table
            for got_value, value in zip(got_row, row):
                if isinstance(value, float) and isinstance(got_value, float):
                    assert math.isclose(got_value, value, rel_tol=1e-12, abs_tol=1e-12), (table, row)
                else:
                    assert got_value == value, (table, row)


def copy_of(db: Path, folder: Path) -> Path:
    target = folder / db.name
    shutil.copyfile(db, target)
    return target


def test_the_edit_changes_the_scores_and_keeps_every_article(sample, edited_engine, tmp_path):
    db = copy_of(sample, tmp_path)
    before = snapshot(db)
    summary = rescore_store(db, edited_engine)
    after = snapshot(db)
    assert summary.read == len(before["articles"]) == len(after["articles"])
    assert after["articles"] != before["articles"]
    with duckdb.connect(str(db), read_only=True) as conn:
        terms = {term for (terms,) in conn.execute("SELECT terms FROM sentences").fetchall() for term in terms}
        runs = conn.execute("SELECT paths FROM ingest_runs ORDER BY started_at").fetchall()
    assert "shelling" in terms
    assert len(runs) == 2 and "re-score" in runs[-1][0][0]  # the history is kept, the re-score is newest


@pytest.mark.parametrize("workers", [2, 3])
def test_several_workers_store_what_one_process_stores(sample, edited_engine, tmp_path, workers):
    alone, spread = tmp_path / "alone", tmp_path / "spread"
    alone.mkdir(), spread.mkdir()
    one, many = copy_of(sample, alone), copy_of(sample, spread)
    seen: list[tuple[int, int]] = []
    rescore_store(one, edited_engine, workers=1)
    summary = rescore_store(many, edited_engine, workers=workers,
                            progress=lambda done, total: seen.append((done, total)))
    assert_same_tables(snapshot(many), snapshot(one))
    assert summary.read == seen[-1][0] == seen[-1][1]
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_the_command_rescores_with_the_analysts_edits(sample, tmp_path, monkeypatch, capsys):
    db = copy_of(sample, tmp_path)
    user = tmp_path / "user"
    user.mkdir()
    (user / "lexicon.csv").write_text(EDIT, encoding="utf-8")
    monkeypatch.setenv("FAULTLINE_USER_DIR", str(user))
    assert main(["rescore", "--db", str(db), "--workers", "2", "--format", "json", "--no-progress"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["read"] == len(snapshot(sample)["articles"])
    assert summary["method_version"] == METHOD_VERSION and summary["db"] == str(db)
    with duckdb.connect(str(db), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM sentences WHERE list_contains(terms, 'shelling')").fetchone()[0]


def test_the_command_names_a_missing_store(tmp_path, capsys):
    assert main(["rescore", "--db", str(tmp_path / "none.duckdb")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no store at ") and "none.duckdb" in err
    assert not (tmp_path / "none.duckdb").exists()


def test_broken_edits_leave_the_store_as_it_was(sample, tmp_path, monkeypatch, capsys):
    db = copy_of(sample, tmp_path)
    before = db.read_bytes()
    user = tmp_path / "user"
    user.mkdir()
    (user / "lexicon.csv").write_text("term,category,polarity,weight\nshelling,ASSAULT,sideways,9\n",
                                      encoding="utf-8")
    monkeypatch.setenv("FAULTLINE_USER_DIR", str(user))
    assert main(["rescore", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: the edits in {user} cannot be used: ") and "sideways" in err
    assert db.read_bytes() == before

