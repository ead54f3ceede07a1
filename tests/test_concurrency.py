"""Real processes against one store: a reader during an ingest, and ingests killed with SIGKILL.

The input is 10,500 items of the shipped demo corpus (real texts, so stories group as they would)
with hand-made pair signals instead of the engine's, written as a scored Parquet directory (the
format `score --engine dask` writes): each ingest process spends its time in the store, which is
what these tests are about, and the module stays fast.
"""
from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

import pytest

from analysis.store import StoreNotFound, read_frame
from tests.scored_factory import scored_article

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo" / "wcep_2002_2025_geopolitics.jsonl.gz"
ITEMS = 10_500
pytestmark = pytest.mark.slow


PAIRS = ["RUS-UKR", "CHN-USA", "IRN-USA", "IND-PAK", "ISR-PSE", "PRK-USA", "ARM-AZE"]


@pytest.fixture(scope="module")
def scored_dir(tmp_path_factory):
    from analysis.distributed import batches, write_partition

    out = tmp_path_factory.mktemp("scored")
    with gzip.open(DEMO, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in islice(lines, ITEMS)]
    scored = (scored_article(item["id"], item["text"], title=item["title"], date=item["date"],
                             source=item["source"], url=item["url"],
                             pairs={PAIRS[number % len(PAIRS)]: float(number % 100),
                                    PAIRS[number % 3]: 50.0})
              for number, item in enumerate(records))
    for number, batch in enumerate(batches(scored, 1000)):
        write_partition(number, batch, out)
    return out


def ingest(db: Path, source: Path, batch_size: int = 1000) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "analysis", "ingest", "--db", str(db), "--no-progress",
         "--batch-size", str(batch_size), str(source)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


TABLES = ["articles", "sentences", "pair_signals", "evidence", "signatures", "story_bands",
          "stories", "periods", "key_story_daily"]


def counts(db: Path) -> dict[str, int]:
    out = {table: int(read_frame(db, f"SELECT count(*) AS n FROM {table}")["n"][0])
           for table in TABLES}
    out["story_ids"] = int(read_frame(db, "SELECT count(DISTINCT story_id) AS n FROM articles")["n"][0])
    return out


def stored_articles(db: Path) -> int:
    try:
        return int(read_frame(db, "SELECT count(*) AS n FROM articles")["n"][0])
    except StoreNotFound:
        return 0


def assert_whole(db: Path) -> None:
    """Every stored article has all of its rows; nothing refers to an article that is not there."""
    orphans = read_frame(db, """
        SELECT (SELECT count(*) FROM sentences WHERE article_id NOT IN (SELECT id FROM articles))
             + (SELECT count(*) FROM pair_signals WHERE article_id NOT IN (SELECT id FROM articles))
             + (SELECT count(*) FROM signatures WHERE article_id NOT IN (SELECT id FROM articles))
             AS n""")["n"][0]
    assert orphans == 0
    per_article = read_frame(db, """
        SELECT (SELECT count(*) FROM signatures) AS signatures,
               (SELECT count(*) FROM story_bands) AS bands,
               (SELECT count(*) FROM articles) AS articles,
               (SELECT count(*) FROM articles a WHERE len(a.countries) > 0
                  AND NOT EXISTS (SELECT 1 FROM sentences s WHERE s.article_id = a.id)) AS no_sentences
    """).iloc[0]
    assert per_article["signatures"] == per_article["articles"]
    assert per_article["bands"] == 32 * per_article["articles"]
    assert per_article["no_sentences"] == 0


def test_killed_ingests_complete_to_the_counts_of_a_clean_one(scored_dir, tmp_path):
    clean_db = tmp_path / "clean.duckdb"
    process = ingest(clean_db, scored_dir)
    assert process.wait(timeout=120) == 0, process.stderr.read()
    expected = counts(clean_db)
    assert expected["articles"] > 10_000

    db = tmp_path / "killed.duckdb"
    moments = [("during start-up", lambda: time.sleep(1.0) or True),
               ("after a few batches", lambda: stored_articles(db) >= 1500),
               ("late in the run", lambda: stored_articles(db) >= 7000)]
    seen = []
    for name, reached in moments:
        process = ingest(db, scored_dir)
        deadline = time.monotonic() + 120
        while process.poll() is None and not reached() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert process.poll() is None, f"ingest ended before the kill {name}"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        if db.exists():
            assert_whole(db)  # readable, and no half-written article
            seen.append(stored_articles(db))
    assert seen == sorted(seen) and seen[-1] < expected["articles"]

    process = ingest(db, scored_dir)
    assert process.wait(timeout=120) == 0, process.stderr.read()
    assert counts(db) == expected
    assert_whole(db)
    statuses = list(read_frame(db, "SELECT status FROM ingest_runs ORDER BY started_at")["status"])
    assert statuses[-1] == "done" and set(statuses[:-1]) == {"interrupted"}


def test_a_reader_process_never_fails_during_an_ingest(scored_dir, tmp_path):
    db = tmp_path / "shared.duckdb"
    stop, result = tmp_path / "stop", tmp_path / "result.json"
    reader = subprocess.Popen([sys.executable, str(ROOT / "tests" / "concurrency_reader.py"),
                               str(db), str(stop), str(result)], cwd=ROOT)
    try:
        writer = ingest(db, scored_dir, batch_size=1000)
        assert writer.wait(timeout=180) == 0, writer.stderr.read()
        time.sleep(0.5)  # let the reader see the finished store
    finally:
        stop.touch()
        reader.wait(timeout=60)
    seen = json.loads(result.read_text())
    assert seen["errors"] == []
    assert seen["queries"] >= 5
    assert len(seen["counts"]) >= 2  # it saw batches arrive, not only the end
    assert seen["counts"][-1] == stored_articles(db)
