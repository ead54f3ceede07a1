"""`python -m analysis demo` never mixes the demo corpus into a store holding an analyst's own
articles (`FAULTLINE_DB=mine.duckdb make run` must open that store as it is)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.__main__ import main
from analysis.demo import NotADemoStore, build_demo, own_articles

SEEDS = Path(__file__).resolve().parent.parent / "data" / "demo" / "seeds"
OWN_ARTICLE = "date 2024-05-02 Own report\n\nChina and Japan held talks on fisheries in Tokyo.\n"


@pytest.fixture()
def demo_dir(tmp_path):
    folder = tmp_path / "demo"
    folder.mkdir()
    for path in SEEDS.iterdir():
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture()
def own_store(tmp_path):
    own = tmp_path / "own"
    own.mkdir()
    (own / "report.txt").write_text(OWN_ARTICLE, encoding="utf-8")
    db = tmp_path / "mine.duckdb"
    assert main(["ingest", str(own), "--db", str(db), "--workers", "1", "--no-progress"]) == 0
    return db


def test_a_store_of_ones_own_is_left_alone(own_store, demo_dir, capsys):
    capsys.readouterr()
    code = main(["demo", "--db", str(own_store), "--demo-dir", str(demo_dir), "--no-progress",
                 "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 0
    assert "holds 1 article of your own" in err and "--force" in err
    assert own_articles(own_store) == 1  # nothing was added


def test_force_adds_the_demo_to_ones_own_store(own_store, demo_dir):
    with pytest.raises(NotADemoStore):
        build_demo(own_store, demo_dir, workers=1)
    summary = build_demo(own_store, demo_dir, workers=1, force=True)
    assert summary is not None and summary.new == 2


def test_a_missing_or_demo_store_counts_no_own_articles(tmp_path, demo_dir):
    db = tmp_path / "demo.duckdb"
    assert own_articles(db) == 0
    assert build_demo(db, demo_dir, workers=1).new == 2
    assert own_articles(db) == 0  # built from the demo: its fingerprint is there
    assert build_demo(db, demo_dir, workers=1) is None


def test_a_demo_store_scored_by_an_older_method_is_rescored_once(tmp_path, demo_dir, capsys):
    import duckdb

    from analysis import METHOD_VERSION
    from analysis.demo import stale_articles

    db = tmp_path / "demo.duckdb"
    assert build_demo(db, demo_dir, workers=1).new == 2
    with duckdb.connect(str(db)) as conn:
        conn.execute("UPDATE articles SET method_version = '0.9.0'")
    assert stale_articles(db) == 2
    capsys.readouterr()
    assert main(["demo", "--db", str(db), "--demo-dir", str(demo_dir)]) == 0
    assert f"re-scored with method {METHOD_VERSION}: 2 articles" in capsys.readouterr().err
    assert stale_articles(db) == 0
    assert own_articles(db) == 0  # still known as the demo store after the re-score
    assert main(["demo", "--db", str(db), "--demo-dir", str(demo_dir)]) == 0
    assert "already built" in capsys.readouterr().err
