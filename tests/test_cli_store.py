"""The store commands end to end: ingest, stats, pairs, evidence, demo (on the shipped seeds)."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from analysis.__main__ import main
from analysis.export import csv_cell

SEEDS = Path(__file__).resolve().parent.parent / "data" / "demo" / "seeds"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    """The two seed articles ingested twice."""
    db = tmp_path_factory.mktemp("seeds") / "seeds.duckdb"
    for _ in range(2):
        assert main(["ingest", "--db", str(db), "--no-progress", str(SEEDS)]) == 0
    return db


def test_seeds_twice_make_two_articles_one_story_none_undated(seeds_db, capsys):
    code, out, _ = run(capsys, "stats", "--db", seeds_db)
    stats = json.loads(out)
    assert code == 0
    assert (stats["articles"], stats["stories"], stats["undated"]) == (2, 1, 0)
    assert stats["first_date"] == stats["last_date"] == "2025-07-10"


def test_every_seed_pair_is_dated_on_the_story_date(seeds_db, capsys):
    code, out, _ = run(capsys, "pairs", "--db", seeds_db, "--freq", "D")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows
    assert {row["date"] for row in rows} == {"2025-07-10"}
    assert "RUS-UKR" in {row["pair"] for row in rows}
    assert {row["articles"] for row in rows if row["pair"] in ("RUS-UKR", "RUS-USA")} == {"2"}
    assert list(rows[0]) == ["date", "pair", "articles", "stories", "attention", "sentiment",
                             "escalation", "cooperation", "tension", "anomaly"]


def test_second_ingest_reports_duplicates(tmp_path, capsys):
    db = tmp_path / "s.duckdb"
    run(capsys, "ingest", "--db", db, "--no-progress", SEEDS)
    code, out, _ = run(capsys, "ingest", "--db", db, "--no-progress", "--format", "json", SEEDS)
    summary = json.loads(out)
    assert code == 0
    assert (summary["read"], summary["new"], summary["duplicates"], summary["errors"]) == (2, 0, 2, 0)


def test_pairs_as_json_lines_with_filters(seeds_db, capsys):
    code, out, _ = run(capsys, "pairs", "--db", seeds_db, "--freq", "W", "--pair", "ukr-rus",
                       "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [(row["date"], row["pair"], row["stories"]) for row in rows] == [
        ("2025-07-07", "RUS-UKR", 1)]
    code, out, _ = run(capsys, "pairs", "--db", seeds_db, "--since", "2025-08-01")
    assert out.splitlines()[1:] == []


def test_evidence_names_article_source_and_terms(seeds_db, capsys):
    code, out, _ = run(capsys, "evidence", "--db", seeds_db, "--pair", "RUS-UKR",
                       "--date", "2025-07-10", "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and rows
    assert {row["date"] for row in rows} == {"2025-07-10"}
    assert any("drone" in " ".join(row["terms"]) for row in rows)
    assert all(row["title"] and row["text"] for row in rows)


def test_bad_inputs_are_reported_by_file_and_line(tmp_path, capsys):
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "feed.jsonl").write_text(
        '{"title": "Truce", "text": "Russia and Ukraine agree a truce in Minsk.", '
        '"date": "2020-01-02"}\n{not json\n', encoding="utf-8")
    (folder / "blob.bin").write_bytes(b"\x00\x01binary")
    code, out, err = run(capsys, "ingest", "--db", tmp_path / "s.duckdb", "--no-progress", folder)
    assert code == 0
    assert "read 1, new 1, duplicates 0, errors 2" in out
    assert "feed.jsonl:2" in err and "not valid JSON" in err
    assert "blob.bin" in err


def test_nothing_readable_exits_non_zero(tmp_path, capsys):
    code, out, err = run(capsys, "ingest", "--db", tmp_path / "s.duckdb", "--no-progress",
                         tmp_path / "missing.txt")
    assert code == 1
    assert "missing.txt" in err


def test_stats_table_format(seeds_db, capsys):
    code, out, _ = run(capsys, "stats", "--db", seeds_db, "--format", "table")
    lines = dict(line.split(None, 1) for line in out.splitlines() if len(line.split(None, 1)) == 2)
    assert code == 0 and lines["articles"] == "2" and lines["stories"] == "1"


@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
    ("+1 cmd", "'+1 cmd"),
    ("-x", "'-x"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("RUS-UKR", "RUS-UKR"),
    (-0.5, "-0.5"),  # numbers stay numbers
    (3, "3"),
    (None, ""),
    (float("nan"), ""),
])
def test_csv_cells_never_start_a_formula(value, cell):
    assert csv_cell(value) == cell  # the helper `pairs` writes its CSV with


def test_negative_numbers_in_pairs_csv_are_numbers(seeds_db, capsys):
    _, out, _ = run(capsys, "pairs", "--db", seeds_db, "--freq", "D", "--pair", "RUS-UKR")
    sentiment = next(csv.DictReader(io.StringIO(out)))["sentiment"]
    assert float(sentiment) < 0 and sentiment.startswith("-")


def test_demo_builds_once_then_does_nothing(tmp_path, capsys):
    demo = tmp_path / "demo"
    (demo / "seeds").mkdir(parents=True)
    for path in SEEDS.iterdir():
        shutil.copy(path, demo / "seeds" / path.name)
    (demo / "ATTRIBUTION.md").write_text("not an article", encoding="utf-8")
    db = tmp_path / "demo.duckdb"
    code, _, err = run(capsys, "demo", "--db", db, "--demo-dir", demo, "--no-progress",
                       "--workers", "1")
    assert code == 0 and "demo store built: read 2, new 2" in err
    code, _, err = run(capsys, "demo", "--db", db, "--demo-dir", demo)
    assert code == 0 and "already built" in err
    (demo / "seeds" / "extra.txt").write_text("date 2025-07-11 Extra\n\nRussia and Ukraine talk.",
                                              encoding="utf-8")
    code, _, err = run(capsys, "demo", "--db", db, "--demo-dir", demo, "--no-progress",
                       "--workers", "1")
    assert code == 0 and "read 3, new 1, duplicates 2" in err


@pytest.mark.parametrize("argv", [["stats"], ["pairs"], ["evidence", "--pair", "RUS-UKR",
                                                          "--date", "2024-01-01"]])
def test_a_missing_store_is_one_line_and_exit_1(tmp_path, capsys, argv):
    code, _, err = run(capsys, *argv, "--db", tmp_path / "none.duckdb")
    assert code == 1
    assert err.startswith("error: no store at") and "python -m analysis demo" in err


def test_a_bad_date_is_refused_by_the_parser(seeds_db, capsys):
    with pytest.raises(SystemExit):
        main(["pairs", "--db", str(seeds_db), "--since", "last week"])
    assert "is not a date like 2024-03-31" in capsys.readouterr().err


def _stored_rows(db) -> dict[str, list]:
    from analysis.store import reading

    volatile = {"run_id", "ingested_at"}
    with reading(db) as conn:
        out = {}
        for table in ["articles", "sentences", "pair_signals", "evidence", "signatures",
                      "story_bands", "stories"]:
            columns = [row[0] for row in conn.execute(f"DESCRIBE {table}").fetchall()]
            keep = ", ".join(f'"{name}"' for name in columns if name not in volatile)
            out[table] = conn.execute(f"SELECT {keep} FROM {table} ORDER BY ALL").fetchall()
    return out


def test_rows_built_in_two_scoring_workers_equal_those_built_in_one_process(tmp_path, capsys):
    lines = tmp_path / "more.jsonl"
    lines.write_text("\n".join(json.dumps(item) for item in [
        {"id": "a", "date": "2025-07-11", "title": "Russia and Ukraine exchange prisoners",
         "text": "Russia and Ukraine exchanged 150 prisoners on Friday, Kyiv said."},
        {"id": "b", "date": "2025-07-12", "title": "Perú y Chile",
         "text": "Peru and Chile signed a border agreement in Lima; «historic», officials said."},
        {"id": "c", "title": "Undated", "text": "China warned Japan over the islands."},
    ]), encoding="utf-8")
    stores = {}
    for workers in ("1", "2"):
        db = tmp_path / f"w{workers}.duckdb"
        code, _, _ = run(capsys, "ingest", "--db", db, "--no-progress", "--workers", workers,
                         SEEDS, lines)
        assert code == 0
        stores[workers] = _stored_rows(db)
    assert stores["1"] == stores["2"]
    assert len(stores["1"]["articles"]) == 5 and stores["1"]["sentences"]
