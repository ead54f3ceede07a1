"""`python -m analysis ingest` over a folder mixing good and bad files: every good article is stored,
every bad file is reported by name (and line), the exit status says whether anything was read, and a
second run adds nothing."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests.reliability.conftest import cli, news_record, store_counts, write
from tests.reliability.test_bad_input import PNG, zip_bytes

pytestmark = pytest.mark.slow


def bad_files(folder: Path) -> dict[str, str]:
    """Write one file per class of bad input; returns {file name: what its error must say}."""
    write(folder / "empty.txt", "")
    write(folder / "photo.jpg.txt", PNG)
    write(folder / "no_text.csv", "title,summary\nA,B\n")
    write(folder / "broken.json", '{"text": "Russia')
    write(folder / "bomb.zip", zip_bytes({"bomb.txt": b"0" * (8 * 2**20)}))
    write(folder / "slip.zip", zip_bytes({"../../escape.txt": b"Escape\n\nText."}))
    write(folder / "truncated.jsonl.gz", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03")
    return {"empty.txt": "empty file", "photo.jpg.txt": "binary", "no_text.csv": "no 'text'",
            "broken.json": "not valid JSON", "bomb.zip": "zip bomb", "slip.zip": "unsafe path",
            "truncated.jsonl.gz": "corrupt or truncated"}


def test_one_bad_file_never_aborts_a_batch(tmp_path):
    folder = tmp_path / "inbox"
    expected = bad_files(folder)
    lines = [json.dumps(news_record(n)) for n in range(4)]
    write(folder / "feed.jsonl", "\n".join(lines[:2] + ["{cut off", *lines[2:]]) + "\n")
    write(folder / "z_last.txt", "date 2022-05-04\nTalks in Geneva\n\nRussia and Ukraine resumed talks in Geneva.")
    db = tmp_path / "store.duckdb"
    run = cli("ingest", "--db", db, "--no-progress", "--format", "json", folder)
    assert run.returncode == 0, run.stderr[-2000:]
    summary = json.loads(run.stdout)
    assert (summary["read"], summary["new"], summary["duplicates"]) == (5, 5, 0)
    assert summary["errors"] == len(expected) + 1
    reported = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert len(reported) == len(expected) + 1
    for name, why in expected.items():
        assert any(name in line and why in line for line in reported), (name, reported)
    assert any("feed.jsonl:3" in line and "line 3 of feed.jsonl" in line for line in reported)
    assert store_counts(db)["articles"] == 5
    with duckdb.connect(str(db), read_only=True) as conn:
        origins = [row[0] for row in conn.execute("SELECT origin FROM ingest_errors").fetchall()]
    assert len(origins) == len(expected) + 1 and any(o.endswith("feed.jsonl:3") for o in origins)

    again = cli("ingest", "--db", db, "--no-progress", "--format", "json", folder)  # idempotent
    assert json.loads(again.stdout)["new"] == 0 and store_counts(db)["articles"] == 5


def test_nothing_readable_exits_non_zero_and_leaves_the_store_as_it_was(tmp_path):
    db = tmp_path / "store.duckdb"
    write(tmp_path / "good.jsonl", json.dumps(news_record(1)) + "\n")
    assert cli("ingest", "--db", db, "--no-progress", tmp_path / "good.jsonl").returncode == 0
    before = store_counts(db)
    folder = tmp_path / "bad"
    expected = bad_files(folder)
    run = cli("ingest", "--db", db, "--no-progress", folder, tmp_path / "missing.txt")
    assert run.returncode == 1
    assert "missing.txt: no such file or directory" in run.stderr
    assert sum(line.startswith("error: ") for line in run.stderr.splitlines()) == len(expected) + 1
    assert store_counts(db) == before
