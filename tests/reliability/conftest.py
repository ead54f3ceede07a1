"""Helpers for the reliability suite: files built by hand in tmp, the CLI run as a real process, and
store counts read back. Nothing here needs ../shared: every input is generated at test time."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from analysis.model import Article, ReadError

REPO = Path(__file__).resolve().parents[2]

# Real-looking news sentences; the corpus builder combines them so every article's text differs.
_ACTORS = [("Russia", "Ukraine"), ("China", "the United States"), ("India", "Pakistan"),
           ("Iran", "Israel"), ("Turkey", "Greece"), ("Japan", "South Korea"), ("Serbia", "Kosovo"),
           ("Armenia", "Azerbaijan"), ("Ethiopia", "Eritrea"), ("Venezuela", "Colombia")]
_ACTS = ["imposed new sanctions on", "launched drone strikes against", "signed a trade agreement with",
         "resumed peace talks with", "accused", "expelled diplomats from", "agreed a ceasefire with",
         "held joint military exercises near", "threatened retaliation against", "sent aid to"]


def write(path: Path, content: str | bytes) -> Path:
    """Write `content` (text as UTF-8) to `path`, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def articles(items: list) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def errors(items: list) -> list[ReadError]:
    return [item for item in items if isinstance(item, ReadError)]


_FILLER = ("harbour budget railway harvest museum festival council winter bridge market river school "
           "factory orchestra library stadium airport garden highway hospital election vineyard "
           "bakery tunnel ferry cathedral quarry satellite glacier canal lighthouse archive theatre "
           "pipeline laboratory tramway reservoir monastery observatory plantation refinery").split()


SENTENCES_PER_ITEM = 4


def news_record(number: int) -> dict:
    """The `number`-th synthetic wire item: real country names, a 2022 date, and a third sentence of
    words drawn per item, so no two items are near-duplicates (each is its own story, in any order)."""
    first, second = _ACTORS[number % len(_ACTORS)]
    act = _ACTS[(number // len(_ACTORS)) % len(_ACTS)]
    day = f"2022-{1 + number % 12:02d}-{1 + number % 28:02d}"
    words = random.Random(number).sample(_FILLER, 14)
    text = (f"{first} {act} {second} on Tuesday, officials said in report number {number}. "
            f"The foreign ministry of {second} called the move a serious matter. "
            f"Local papers also covered the {' '.join(words)} stories.")
    return {"id": f"wire-{number}", "title": f"{first} {act} {second} ({number})", "date": day,
            "source": "Test Wire", "text": text}


def write_corpus(path: Path, count: int, start: int = 0) -> Path:
    """A JSON Lines file of `count` distinct synthetic articles."""
    lines = (json.dumps(news_record(n)) for n in range(start, start + count))
    return write(path, "\n".join(lines) + "\n")


def cli(*argv: str | Path, timeout: float = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m analysis ARGV...` as a separate process from the repo root."""
    return subprocess.run([sys.executable, "-m", "analysis", *map(str, argv)], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def cli_process(*argv: str | Path, env: dict | None = None) -> subprocess.Popen:
    """The same command started in the background (for kills and concurrent runs)."""
    return subprocess.Popen([sys.executable, "-m", "analysis", *map(str, argv)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})


STORE_TABLES = ("articles", "sentences", "pair_signals", "evidence", "stories")


def store_counts(db: Path) -> dict[str, int]:
    """Row counts of the main tables, distinct article ids and ids stored twice, read-only."""
    with duckdb.connect(str(db), read_only=True) as conn:
        counts = {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                  for table in STORE_TABLES}
        counts["distinct_ids"] = conn.execute("SELECT count(DISTINCT id) FROM articles").fetchone()[0]
        counts["duplicate_sentences"] = conn.execute(
            "SELECT count(*) FROM (SELECT article_id, idx FROM sentences GROUP BY ALL "
            "HAVING count(*) > 1)").fetchone()[0]
    return counts


def store_snapshot(db: Path) -> dict[str, list]:
    """Every article id with its title, sorted: equal snapshots mean the store did not change."""
    with duckdb.connect(str(db), read_only=True) as conn:
        return {"articles": conn.execute("SELECT id, title, tension FROM articles ORDER BY id").fetchall(),
                "runs": conn.execute("SELECT run_id, status, read, new FROM ingest_runs "
                                     "ORDER BY run_id").fetchall()}


@pytest.fixture
def user_dir(tmp_path, monkeypatch) -> Path:
    """An empty folder for the analyst's edits, so no test reads or writes data/user/."""
    folder = tmp_path / "user"
    monkeypatch.setenv("FAULTLINE_USER_DIR", str(folder))
    return folder
