"""Ctrl-C while the commands score on several processes: one line, exit 130, nothing half-written.

A terminal sends SIGINT to the whole process group, workers included. The workers ignore it and the
parent stops the pool (pipeline.leave_interrupts_to_the_parent); before, every worker printed a
KeyboardInterrupt traceback and a `score` could hang. A signal that lands during a DuckDB query comes
back as DuckDB's own exception, not KeyboardInterrupt; it used to end in a traceback and exit 1."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

import analysis.commands.stats
from analysis.__main__ import is_interrupted_query, main

from analysis.ingest import iter_articles
from analysis.model import Article
from analysis.store import ingest_paths
from analysis.store_write import content_hash

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "data" / "demo" / "wcep_2002_2025_geopolitics.jsonl.gz"


def _interrupt_when(argv: list[str], ready) -> subprocess.CompletedProcess:
    """Run `python -m analysis ARGV` in its own process group and send the group SIGINT (what
    Ctrl-C in a terminal does) once `ready(process)` is true."""
    process = subprocess.Popen([sys.executable, "-m", "analysis", *argv], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while not ready(process) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "finished before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # a hang must fail the test, not outlive it
        process.communicate()
        raise AssertionError(f"{argv[0]} did not stop within 60 s of Ctrl-C") from None
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def test_ctrl_c_during_a_rescore_leaves_the_store_as_it_was(tmp_path):
    db = tmp_path / "store.duckdb"
    items = tmp_path / "items.jsonl"
    with gzip.open(DEMO, "rt", encoding="utf-8") as lines:
        items.write_text("".join(line for _, line in zip(range(1500), lines)), encoding="utf-8")
    ingest_paths(db, [items], workers=1)
    items.unlink()
    before = db.read_bytes()
    fresh = db.with_name(db.stem + ".rescore" + db.suffix)
    done = _interrupt_when(["rescore", "--db", str(db), "--workers", "2", "--no-progress"],
                           lambda _process: fresh.exists())
    assert (done.returncode, done.stderr) == (130, "interrupted\n")
    assert db.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == [db.name, db.name + ".lock"]


def test_ctrl_c_during_score_on_workers_says_one_line(tmp_path):
    items = tmp_path / "items.jsonl.gz"
    shutil.copyfile(DEMO, items)
    first_line = []
    done = _interrupt_when(["score", str(items), "--workers", "2"],
                           lambda process: first_line or first_line.append(process.stdout.readline()))
    assert json.loads(first_line[0])["id"]
    assert (done.returncode, done.stderr) == (130, "interrupted\n")


def test_ctrl_c_during_an_ingest_keeps_whole_batches_and_the_next_run_finishes(tmp_path):
    db = tmp_path / "store.duckdb"
    started = time.monotonic()
    done = _interrupt_when(["ingest", str(DEMO), "--db", str(db), "--workers", "2", "--batch-size", "500",
                            "--no-progress"], lambda _process: time.monotonic() - started > 3)
    assert (done.returncode, done.stderr) == (130, "interrupted\n")
    with duckdb.connect(str(db), read_only=True) as conn:
        # interrupted before its first batch, a new store may have no tables yet
        made = conn.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'articles'").fetchone()[0]
        kept = conn.execute("SELECT count(*) FROM articles").fetchone()[0] if made else 0
    again = subprocess.run([sys.executable, "-m", "analysis", "ingest", str(DEMO), "--db", str(db),
                            "--format", "json", "--no-progress"], cwd=REPO, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    with duckdb.connect(str(db), read_only=True) as conn:
        stored, distinct = conn.execute("SELECT count(*), count(DISTINCT raw_hash) FROM articles").fetchone()
    texts = {content_hash(item.title, item.text) for item in iter_articles([DEMO]) if isinstance(item, Article)}
    assert stored == distinct == len(texts)  # every article once, as after one uninterrupted ingest
    assert kept + json.loads(again.stdout)["new"] == stored


def test_an_interrupted_duckdb_query_counts_as_ctrl_c(capsys, monkeypatch):
    conn = duckdb.connect()
    threading.Timer(0.3, conn.interrupt).start()
    with pytest.raises(duckdb.Error) as caught:
        conn.execute("SELECT sum(a.range * b.range) FROM range(100000) a, range(100000) b").fetchall()
    assert is_interrupted_query(caught.value)
    assert is_interrupted_query(RuntimeError("Query interrupted"))
    assert not is_interrupted_query(RuntimeError("other")) and not is_interrupted_query(duckdb.IOException("disk"))

    def run_interrupted(_args):
        raise caught.value

    monkeypatch.setattr(analysis.commands.stats, "run", run_interrupted)
    assert main(["stats"]) == 130
    assert capsys.readouterr().err == "interrupted\n"


def test_a_reader_that_goes_away_ends_score_quietly():
    """`score ... | head -1`: the closed pipe is no error (BrokenPipeError, an Exception, must not
    reach the interrupt check's re-raise)."""
    process = subprocess.Popen([sys.executable, "-m", "analysis", "score", str(DEMO), "--workers", "2"], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert json.loads(process.stdout.readline())["id"]
    process.stdout.close()
    err = process.stderr.read()
    assert process.wait(timeout=60) == 0 and "Traceback" not in err
