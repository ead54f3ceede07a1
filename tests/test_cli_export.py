"""`python -m analysis export` and `python -m analysis brief` through the CLI's own entry point."""
from __future__ import annotations

import csv
import io
import shutil

import pytest

from analysis.__main__ import main
from tests.export_store import private_store

needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None,
                                    reason="image export needs Debian's chromium (make chromium)")


@pytest.fixture(scope="module")
def store():
    with private_store("cli") as path:
        yield str(path)


def test_export_csv_matches_pairs_for_the_same_filters(store, tmp_path, capsys):
    out = tmp_path / "rus-ukr.csv"
    filters = ["--pair", "ukr-rus", "--since", "2024-02-01", "--until", "2024-04-30", "--freq", "M"]
    assert main(["export", "--db", store, "--chart", "pair-timeline", *filters, "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["pairs", "--db", store, *filters, "--format", "csv"]) == 0
    assert out.read_text() == capsys.readouterr().out
    assert len(list(csv.reader(io.StringIO(out.read_text())))) == 4  # header + Feb, Mar, Apr


@pytest.mark.parametrize("arguments, message", [
    (["--chart", "pair-timeline", "--out", "x.png"], "needs a pair"),
    (["--chart", "matrix", "--out", "x.txt"], "give --format"),
    (["--chart", "matrix", "--format", "png", "--out", "x.svg"], "does not match"),
    (["--chart", "matrix", "--since", "2024-13-01", "--out", "x.csv"], "month must be"),
    (["--chart", "matrix", "--width", "50", "--out", "x.png"], "pixels"),
])
def test_export_errors_are_one_line_messages(store, tmp_path, capsys, arguments, message):
    assert main(["export", "--db", store, *arguments]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ") and message in error and "Traceback" not in error


def test_a_missing_store_is_a_message(tmp_path, capsys):
    assert main(["export", "--db", str(tmp_path / "none.duckdb"), "--chart", "matrix",
                 "--out", str(tmp_path / "m.csv")]) == 2
    assert "python -m analysis demo" in capsys.readouterr().err
    assert not (tmp_path / "m.csv").exists()


@needs_chromium
def test_export_svg_writes_a_parseable_image(store, tmp_path):
    import xml.etree.ElementTree as ET

    out = tmp_path / "top.svg"
    assert main(["export", "--db", store, "--chart", "top-pairs", "--rank-by", "anomaly",
                 "--out", str(out), "--width", "1000", "--height", "600"]) == 0
    root = ET.parse(out).getroot()
    assert (root.get("width"), root.get("height")) == ("1000", "600")


@needs_chromium
def test_brief_writes_a_deck(store, tmp_path, capsys):
    from pptx import Presentation

    out = tmp_path / "brief.pptx"
    assert main(["brief", "--db", store, "--pair", "RUS-UKR", "--pair", "CHN-USA",
                 "--since", "2024-01-01", "--out", str(out)]) == 0
    assert len(Presentation(str(out)).slides) == 4
    assert "2 pair(s)" in capsys.readouterr().err


def test_brief_refuses_an_unknown_suffix(store, tmp_path, capsys):
    assert main(["brief", "--db", store, "--pair", "RUS-UKR", "--out", str(tmp_path / "b.docx")]) == 2
    assert ".pptx or .pdf" in capsys.readouterr().err
