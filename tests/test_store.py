"""The DuckDB store: schema and migrations, idempotent batch writes, run records, connections."""
from __future__ import annotations

import json

import duckdb
import pytest

from analysis import stories as stories_module
from analysis.model import KeywordCount, Removal
from analysis.store import (SCHEMA_VERSION, StoreNotFound, content_hash, ingest_scored, migrate,
                            read_frame, reading, resolve_db_path, writing)
from tests.scored_factory import scored_article

TEXTS = [
    "Russian forces shelled the Ukrainian city of Kharkiv overnight, regional officials said.",
    "China and the United States agreed to resume trade talks in Geneva next month.",
    "India accused Pakistan of sheltering the militants behind the attack in Pulwama.",
    "Iran said it fired missiles at two Iraqi bases housing American troops.",
    "Israel and Egypt discussed a ceasefire proposal for Gaza in Cairo on Sunday.",
]


def articles(count: int = 5):
    return [scored_article(f"id{i}", TEXTS[i % len(TEXTS)] + f" Report number {i}.",
                           date=f"2024-03-{1 + i % 28:02d}", pairs={"RUS-UKR": 40.0 + i})
            for i in range(count)]


def table_counts(db) -> dict[str, int]:
    names = ["articles", "sentences", "pair_signals", "evidence", "signatures"]
    return {name: int(read_frame(db, f"SELECT count(*) AS n FROM {name}")["n"][0]) for name in names}


def test_new_store_is_migrated_to_the_current_version(tmp_path):
    db = tmp_path / "new.duckdb"
    with writing(db) as conn:
        assert migrate(conn) == SCHEMA_VERSION  # a second migrate is a no-op
        versions = conn.execute("SELECT version FROM schema_version").fetchall()
    assert versions == [(version,) for version in range(1, SCHEMA_VERSION + 1)]


def test_reading_a_missing_store_says_how_to_build_one(tmp_path):
    with pytest.raises(StoreNotFound, match="python -m analysis demo"):
        with reading(tmp_path / "missing.duckdb"):
            pass


def test_db_path_comes_from_argument_then_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("FAULTLINE_DB", str(tmp_path / "env.duckdb"))
    assert resolve_db_path(None) == tmp_path / "env.duckdb"
    assert resolve_db_path(tmp_path / "arg.duckdb") == tmp_path / "arg.duckdb"


@pytest.mark.parametrize("first, second, same", [
    ("Title", "Some  text\nhere", True),
    ("TITLE", "some text here", True),
    ("Title", "Some text there", False),
])
def test_content_hash_ignores_case_and_spacing_only(first, second, same):
    assert (content_hash(first, second) == content_hash("Title", "Some text here")) is same


def test_reingesting_adds_nothing(tmp_path):
    db = tmp_path / "s.duckdb"
    first = ingest_scored(db, articles(7), batch_size=3)
    counts = table_counts(db)
    second = ingest_scored(db, articles(7), batch_size=3)
    assert (first.read, first.new, first.duplicates) == (7, 7, 0)
    assert (second.read, second.new, second.duplicates) == (7, 0, 7)
    assert table_counts(db) == counts
    assert counts == {"articles": 7, "sentences": 7, "pair_signals": 7, "evidence": 7,
                      "signatures": 7}


def test_duplicates_within_one_batch_are_stored_once(tmp_path):
    db = tmp_path / "s.duckdb"
    summary = ingest_scored(db, articles(2) + articles(2))
    assert (summary.new, summary.duplicates) == (2, 2)


def test_each_run_is_recorded_with_its_counts(tmp_path):
    db = tmp_path / "s.duckdb"
    ingest_scored(db, articles(4), paths=["a.jsonl"])
    ingest_scored(db, articles(5), paths=["b.jsonl"])
    runs = read_frame(db, "SELECT status, paths, read, new, duplicates FROM ingest_runs "
                          "ORDER BY started_at")
    assert list(runs["status"]) == ["done", "done"]
    assert [list(p) for p in runs["paths"]] == [["a.jsonl"], ["b.jsonl"]]
    assert list(runs["new"]) == [4, 1] and list(runs["duplicates"]) == [0, 4]


def test_a_batch_that_fails_leaves_nothing_half_written(tmp_path, monkeypatch):
    db = tmp_path / "s.duckdb"
    ingest_scored(db, articles(2), batch_size=2)
    before = table_counts(db)
    real = stories_module.assign_stories

    def assign_then_fail(conn, batch):
        real(conn, batch)  # bands and signatures are written, then the batch fails
        raise RuntimeError("disk full")

    monkeypatch.setattr(stories_module, "assign_stories", assign_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        ingest_scored(db, articles(5), batch_size=5)
    assert table_counts(db) == before
    monkeypatch.undo()
    assert ingest_scored(db, articles(5)).new == 3  # a re-run completes it
    assert table_counts(db)["articles"] == 5


def test_lists_and_json_fields_round_trip(tmp_path):
    db = tmp_path / "s.duckdb"
    ingest_scored(db, [scored_article("x", TEXTS[0], pairs={"RUS-UKR": 70.0, "UKR-USA": 20.0})])
    row = read_frame(db, "SELECT countries, keywords FROM articles").iloc[0]
    assert list(row["countries"]) == ["RUS", "UKR", "USA"]
    assert [k["term"] for k in json.loads(row["keywords"])] == ["strike"]
    pairs = read_frame(db, "SELECT pair, a, b, tension FROM pair_signals ORDER BY pair")
    assert list(pairs["pair"]) == ["RUS-UKR", "UKR-USA"]
    assert list(pairs["a"]) == ["RUS", "UKR"] and list(pairs["tension"]) == [70.0, 20.0]


def test_a_reader_waits_for_a_writer_instead_of_failing(tmp_path):
    db = tmp_path / "s.duckdb"
    ingest_scored(db, articles(1))
    import threading

    # In one process DuckDB refuses a read-only connection while a read-write one is open (across
    # processes: test_concurrency.py). The writer is released after 0.3 s; the reader must wait.
    holder = duckdb.connect(str(db))
    release = threading.Timer(0.3, holder.close)
    release.start()
    try:
        assert int(read_frame(db, "SELECT count(*) AS n FROM articles")["n"][0]) == 1
    finally:
        release.join()


def test_a_version_1_store_is_migrated_forward_with_its_data(tmp_path):
    from analysis.store import MIGRATIONS

    db = tmp_path / "old.duckdb"
    conn = duckdb.connect(str(db))
    conn.execute("CREATE TABLE schema_version (version INTEGER, applied_at TIMESTAMP)")
    conn.execute(MIGRATIONS[0][1])
    conn.execute("INSERT INTO schema_version VALUES (1, now())")
    conn.execute("INSERT INTO story_bands VALUES (0, 1, DATE '2024-01-02', 'a', 's'), "
                 "(1, 2, DATE '2024-01-01', 'b', 's')")
    conn.execute("INSERT INTO pair_signals (article_id, pair, tension, stance) "
                 "VALUES ('a', 'RUS-UKR', 71.5, 'conflict')")
    conn.execute("INSERT INTO evidence (article_id, pair, sentence, text) "
                 "VALUES ('a', 'RUS-UKR', 0, 'Shelling.')")
    conn.close()
    with reading(db) as conn:  # a reader migrates an old store first
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    with writing(db) as conn:
        assert conn.execute("SELECT * FROM story_starts").fetchall() == [
            ("s", __import__("datetime").date(2024, 1, 1))]
        assert conn.execute("SELECT tension, stance FROM evidence").fetchall() == [
            (71.5, "conflict")]
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION


def _all_rows(db) -> dict[str, list]:
    volatile = {"run_id", "ingested_at"}
    out = {}
    with reading(db) as conn:
        for table in ["articles", "sentences", "pair_signals", "evidence", "signatures",
                      "story_bands"]:
            columns = [row[0] for row in conn.execute(f"DESCRIBE {table}").fetchall()]
            keep = ", ".join(f'"{name}"' for name in columns if name not in volatile)
            out[table] = conn.execute(f"SELECT {keep} FROM {table} ORDER BY ALL").fetchall()
    return out


def test_articles_prepared_elsewhere_are_stored_like_scored_ones(tmp_path):
    import pickle

    from analysis.store_write import ArticleExtras, prepare_article

    records = articles(6) + [scored_article("u", "Sin fecha: Perú y Chile firmaron un acuerdo.",
                                            date=None, pairs={"CHL-PER": 10.0})]
    extras = [ArticleExtras(raw_hash=f"raw{i}", language="en") for i in range(len(records))]
    ingest_scored(tmp_path / "scored.duckdb", list(zip(records, extras)), batch_size=4)
    prepared = [pickle.loads(pickle.dumps(prepare_article(record))) for record in records]
    ingest_scored(tmp_path / "prepared.duckdb", list(zip(prepared, extras)), batch_size=4)
    scored_rows = _all_rows(tmp_path / "scored.duckdb")
    prepared_rows = _all_rows(tmp_path / "prepared.duckdb")
    assert scored_rows == prepared_rows
    assert len(scored_rows["articles"]) == 7 and len(scored_rows["evidence"]) == 7


@pytest.mark.parametrize("items", [
    (), [Removal(kind="outlet-tag", text="(Reuters) — «Kyiv»")],
    [KeywordCount(term="strike", category="ASSAULT", count=2), KeywordCount("talks", "CONSULT", 1)],
])
def test_json_columns_hold_the_records_fields(items):
    """The store's JSON columns: each record's fields in declaration order, text kept as UTF-8."""
    from analysis.store_write import _json

    parsed = json.loads(_json(items), object_pairs_hook=list)
    assert parsed == [list(item.__dict__.items()) for item in items]
    assert "\\u" not in _json(items)