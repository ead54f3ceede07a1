"""Crash safety of the store: an ingest or a re-score killed with SIGKILL at random moments, then run
again, leaves exactly what a clean run leaves (no loss, no duplicates, no half-written article); a full
disk fails an ingest with a message and leaves the store as it was."""
from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.reliability.conftest import (
    REPO, SENTENCES_PER_ITEM, cli, cli_process, store_counts, write_corpus,
)

pytestmark = pytest.mark.slow

CORPUS_SIZE = 600
BATCH = 40  # small batches, so a kill lands between, inside and after many transactions
KILLS = 3
SEED = int(os.environ.get("FAULTLINE_KILL_SEED", "20260707"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "wire.jsonl", CORPUS_SIZE)


@pytest.fixture(scope="module")
def clean_run(corpus, tmp_path_factory) -> tuple[Path, dict[str, int], float]:
    """The store an uninterrupted ingest builds, its counts, and how long the ingest took."""
    db = tmp_path_factory.mktemp("clean") / "clean.duckdb"
    started = time.monotonic()
    done = cli("ingest", "--db", db, "--no-progress", "--batch-size", BATCH, corpus)
    assert done.returncode == 0, done.stderr[-2000:]
    counts = store_counts(db)
    assert counts["articles"] == CORPUS_SIZE
    return db, counts, time.monotonic() - started


def assert_consistent(db: Path) -> dict[str, int]:
    """The store opens, holds no duplicate, and every stored article has all its rows."""
    counts = store_counts(db)
    assert counts["distinct_ids"] == counts["articles"]
    assert counts["duplicate_sentences"] == 0
    with duckdb.connect(str(db), read_only=True) as conn:
        orphans = conn.execute("SELECT count(*) FROM sentences WHERE article_id NOT IN "
                               "(SELECT id FROM articles)").fetchone()[0]
        # each synthetic article has the same sentences and one pair: anything else is half-written
        partial = conn.execute("SELECT count(*) FROM articles a WHERE (SELECT count(*) FROM sentences s "
                               f"WHERE s.article_id = a.id) <> {SENTENCES_PER_ITEM} OR (SELECT count(*) FROM pair_signals p "
                               "WHERE p.article_id = a.id) <> 1").fetchone()[0]
    assert (orphans, partial) == (0, 0)
    return counts


def kill_at(process: subprocess.Popen, seconds: float) -> tuple[bool, float]:
    """SIGKILL `process` after `seconds`. Returns (whether it was still running, i.e. a real kill,
    and how long it ran)."""
    started = time.monotonic()
    deadline = started + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            process.communicate()
            return False, time.monotonic() - started
        time.sleep(0.02)
    running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.communicate()
    return running, time.monotonic() - started


def test_ingest_killed_at_random_moments_then_rerun_equals_a_clean_run(corpus, clean_run, tmp_path):
    _, clean_counts, clean_seconds = clean_run
    db = tmp_path / "killed.duckdb"
    moments = random.Random(SEED)
    kills, attempts, seen = 0, 0, []
    # The machine's speed varies (shared cores), so the expected length of a run is re-estimated from
    # what is left to ingest and from runs that ended before their kill.
    full_run = clean_seconds
    while kills < KILLS and attempts < 4 * KILLS:
        attempts += 1
        stored = store_counts(db)["articles"] if db.exists() else 0
        expected = full_run * (0.3 + 0.7 * (1 - stored / CORPUS_SIZE))  # ~30% is start-up and the end
        # somewhere from start-up (engine loading) through the batches to the final refresh
        landed, ran = kill_at(cli_process("ingest", "--db", db, "--no-progress", "--batch-size", BATCH, corpus),
                              moments.uniform(0.15, 0.85) * expected)
        if landed:
            kills += 1
            if db.exists():
                seen.append(assert_consistent(db)["articles"])
        else:  # it finished first: the store is complete, start again from an empty one
            assert assert_consistent(db) == clean_counts
            full_run = min(full_run, ran / (0.3 + 0.7 * (1 - stored / CORPUS_SIZE)))
            for leftover in tmp_path.glob("killed.duckdb*"):
                leftover.unlink()
    assert kills == KILLS, f"only {kills} of {attempts} kills landed while the ingest ran"
    done = cli("ingest", "--db", db, "--no-progress", "--batch-size", BATCH, "--format", "json", corpus)
    assert done.returncode == 0, done.stderr[-2000:]
    assert assert_consistent(db) == clean_counts
    print(f"ingest kills survived: {kills} of {attempts} attempts; articles stored at each kill: {seen}")


def _rescore_process(db: Path) -> subprocess.Popen:
    code = ("import sys; from analysis.pipeline import Engine; from analysis.rescore import rescore_store; "
            "rescore_store(sys.argv[1], Engine.load())")
    return subprocess.Popen([sys.executable, "-c", code, str(db)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_rescore_killed_at_random_moments_leaves_the_old_or_the_new_store(clean_run, tmp_path):
    clean_db, clean_counts, clean_seconds = clean_run
    db = tmp_path / "rescored.duckdb"
    shutil.copy(clean_db, db)
    moments = random.Random(SEED + 1)
    kills = attempts = 0
    full_run = clean_seconds
    while kills < KILLS and attempts < 4 * KILLS:
        attempts += 1
        landed, ran = kill_at(_rescore_process(db), moments.uniform(0.15, 0.85) * full_run)
        kills += landed
        if not landed:  # a whole re-score ran: time the next kills by it
            full_run = ran
        # killed before the new file replaced the old one, or after: either store, whole
        assert assert_consistent(db) == clean_counts
    assert kills == KILLS, f"only {kills} of {attempts} kills landed while the re-score ran"
    done = _rescore_process(db)
    _, err = done.communicate(timeout=600)
    assert done.returncode == 0, err[-2000:]
    assert assert_consistent(db) == clean_counts
    # no leftovers (the writer lock's file stays, as the store's does)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rescored.duckdb", "rescored.duckdb.lock"]
    print(f"re-score kills survived: {kills} of {attempts} attempts")


# ---- a full disk ------------------------------------------------------------------------------------

def _full_disk_tmpfs(folder: Path, size: int):
    """Mount a tmpfs of `size` bytes on `folder` (root only); returns an unmount callable or None."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        return None
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True)
    if mounted.returncode != 0:
        return None
    return lambda: subprocess.run(["umount", "-l", str(folder)], check=False)


def _ingest_with_file_size_limit(limit: int, *argv) -> subprocess.CompletedProcess:
    """An ingest whose writes past `limit` bytes fail with EFBIG, as on a full disk (no root needed)."""
    def limit_writes() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return subprocess.run([sys.executable, "-m", "analysis", *map(str, argv)], cwd=REPO, capture_output=True,
                          text=True, timeout=300, preexec_fn=limit_writes)


def _article_rows(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute("SELECT id, title, tension, story_id FROM articles ORDER BY id").fetchall()


FULL_DISK_CORPUS = 200
ROOM = 64 * 1024  # bytes left for the store to grow: far less than 200 articles need


@pytest.fixture(scope="module", params=["tmpfs", "file-size-limit"])
def full_disk_ingest(request, corpus, tmp_path_factory):
    """A store of 10 articles, then an ingest of 200 more with almost no room left to write: on a
    tiny tmpfs (needs root) or under RLIMIT_FSIZE. Yields (the failed process, the store, its articles
    before the ingest)."""
    how, folder = request.param, tmp_path_factory.mktemp("full-disk")
    lines = corpus.read_text().splitlines(keepends=True)
    seed, more = folder / "seed.jsonl", folder / "more.jsonl"
    seed.write_text("".join(lines[:10]))
    more.write_text("".join(lines[:FULL_DISK_CORPUS]))
    kept = folder / "store.duckdb"
    assert cli("ingest", "--db", kept, "--no-progress", seed).returncode == 0
    before = _article_rows(kept)
    if how == "tmpfs":
        disk = folder / "disk"
        unmount = _full_disk_tmpfs(disk, kept.stat().st_size + ROOM)
        if unmount is None:
            pytest.skip("mounting a tmpfs needs root")
        db = disk / kept.name
        try:
            shutil.copy(kept, db)
            failed = cli("ingest", "--db", db, "--no-progress", "--batch-size", 5000, more)
            for name in (kept.name, kept.name + ".wal"):  # take the store back to a roomy disk
                if (disk / name).exists():
                    shutil.copy(disk / name, folder / name)
        finally:
            unmount()
    else:
        failed = _ingest_with_file_size_limit(ROOM, "ingest", "--db", kept, "--no-progress",
                                              "--batch-size", 5000, more)
    return failed, kept, before, more


def test_a_full_disk_fails_the_ingest_and_leaves_the_store_as_it_was(full_disk_ingest):
    failed, kept, before, more = full_disk_ingest
    assert failed.returncode != 0
    assert _article_rows(kept) == before  # the store opens and holds exactly what it held
    assert_consistent(kept)
    done = cli("ingest", "--db", kept, "--no-progress", more)  # with room again, the ingest completes
    assert done.returncode == 0, done.stderr[-2000:]
    assert assert_consistent(kept)["articles"] == FULL_DISK_CORPUS


def test_a_full_disk_is_one_plain_message_naming_the_store(full_disk_ingest):
    failed, kept, _, _ = full_disk_ingest
    assert "Traceback" not in failed.stderr
    assert "No space left on device" in failed.stderr or "File too large" in failed.stderr
    assert kept.name in failed.stderr


_PAUSED_RESCORE = """
import sys, time
from pathlib import Path
import analysis.rescore
from analysis.pipeline import Engine

started, go_on = Path(sys.argv[2]), Path(sys.argv[3])
write_new_store = analysis.rescore.ingest_scored

def slow_finish(*args, **kwargs):
    # The new store is written, its derived tables are being rebuilt (seconds on a large store): the
    # re-score announces this and waits for the test's ingest to end, at most 12 s (with the writer
    # lock the ingest waits for the re-score instead, so the full 12 s pass).
    summary = write_new_store(*args, **kwargs)
    started.touch()
    deadline = time.monotonic() + 12
    while not go_on.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return summary

analysis.rescore.ingest_scored = slow_finish
analysis.rescore.rescore_store(sys.argv[1], Engine.load())
"""


def test_an_ingest_during_a_rescore_is_not_lost(clean_run, tmp_path):
    """Two writers at once (an analyst re-scores on the Method page while a feed ingests): every
    article the ingest reported as new must be in the store afterwards."""
    clean_db, _, _ = clean_run
    db = tmp_path / "busy.duckdb"
    shutil.copy(clean_db, db)
    extra = write_corpus(tmp_path / "extra.jsonl", 30, start=90_000)
    started, go_on = tmp_path / "rescore-started", tmp_path / "ingest-done"
    rescore = subprocess.Popen([sys.executable, "-c", _PAUSED_RESCORE, str(db), str(started), str(go_on)],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not started.exists() and rescore.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.exists(), "the re-score did not start"
    ingest = cli("ingest", "--db", db, "--no-progress", "--format", "json", extra)
    go_on.touch()
    _, err = rescore.communicate(timeout=600)
    assert rescore.returncode == 0, err[-2000:]
    assert ingest.returncode == 0, ingest.stderr[-2000:]
    assert json.loads(ingest.stdout)["new"] == 30
    assert assert_consistent(db)["articles"] == CORPUS_SIZE + 30


def test_two_ingests_of_the_same_files_at_once_store_each_article_once(clean_run, corpus, tmp_path):
    _, clean_counts, _ = clean_run
    db = tmp_path / "twice.duckdb"
    runs = [cli_process("ingest", "--db", db, "--no-progress", "--batch-size", BATCH, "--format", "json", corpus)
            for _ in range(2)]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err[-1000:] for _, err in outputs]
    summaries = [json.loads(out) for out, _ in outputs]
    assert sum(s["new"] for s in summaries) == CORPUS_SIZE
    assert assert_consistent(db) == clean_counts
