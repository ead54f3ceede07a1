"""Hostile article text (HTML, scripts, Markdown links and images, LaTeX, Streamlit colour markup,
spreadsheet formulas, javascript: links) is shown inert on every dashboard page and in every export."""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.export import csv_text
from analysis.ingest import iter_articles
from tests.dashboard_corpus import _article, _replace_text, corpus
from tests.reliability.conftest import REPO, cli, write

# Each piece would do something if rendered: run a script, fetch an image, make a link, typeset, colour.
PAYLOADS = ["<script>alert('xss')</script>", "<img src=x onerror=alert(1)>", "[click me](http://evil.example)",
            "![pixel](http://evil.example/p.png)", "$\\frac{a}{b}$", ":red[alarm]", "**bold**", "<b>html</b>",
            "<a href='javascript:alert(2)'>js</a>"]
HOSTILE_TEXT = " ".join(PAYLOADS) + " as Russian artillery shelled Kharkiv."
FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1"]
APP = "../../app.py"  # AppTest resolves paths relative to this file


def hostile_articles() -> list:
    """Three RUS-UKR articles in February 2022 whose title, text, source and url are hostile."""
    template = ("ASSAULT", "escalation", 8.0, "shelled", "Russian artillery shelled Kharkiv near {place}.")
    made = []
    for number, (title, source, url) in enumerate([
            ("<script>alert('title')</script> **Kharkiv** [x](http://evil.example)", ":red[Evil Wire]",
             "javascript:alert(3)"),
            ("=HYPERLINK(\"http://evil.example\",\"Kharkiv\")", "<b>Bold Wire</b>", "data:text/html,<script>x</script>"),
            ("$x^2$ :blue[Kharkiv] ![i](http://evil.example/i.png)", "@SUM(A1)", "http://ok.example/a\"onmouseover=x")]):
        article = _replace_text(_article(5000 + number, "RUS-UKR", 2, 20 + number, template, 90.0),
                                HOSTILE_TEXT + f" Report {number}.", source)
        made.append(replace(article, title=title, url=url, id=f"hostile{number}"))
    return made


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> Path:
    from analysis.store import ingest_scored

    path = tmp_path_factory.mktemp("hostile") / "faultline.duckdb"
    ingest_scored(path, corpus() + hostile_articles(), paths=["tests/reliability/test_hostile_text.py"])
    return path


@pytest.fixture
def hostile_env(hostile_store, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("FAULTLINE_DB", str(hostile_store))
    monkeypatch.setenv("FAULTLINE_USER_DIR", str(tmp_path / "user"))
    return hostile_store


# ---- the dashboard --------------------------------------------------------------------------------

_MARKDOWN_KINDS = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error",
                   "success", "exception", "latex", "code", "text", "expander", "tab", "metric", "html",
                   "toast")
_RAW_MARKERS = ["<script", "<img", "<b>", "](http://evil", "$\\frac", ":red[", ":blue[", "**bold**",
                "**Kharkiv**", "javascript:", "data:text/html", "$x^2$"]


def rendered_strings(at: AppTest) -> list[tuple[str, str, bool]]:
    """(element kind, the string Streamlit renders as Markdown/LaTeX/HTML, html allowed) for every
    element in the page; st.text, st.code and tables are inert and skipped."""
    found = []
    for kind in _MARKDOWN_KINDS:
        for element in at.get(kind):
            proto = getattr(element, "proto", None)
            if kind in ("text", "code"):
                continue  # shown verbatim
            for field in ("body", "label", "value", "message"):
                value = getattr(proto, field, None) if proto is not None else None
                if isinstance(value, str) and value:
                    found.append((kind, value, bool(getattr(proto, "allow_html", False))))
    return found


def assert_inert(at: AppTest) -> None:
    """No exception, no st.html, and no hostile marker left live in any Markdown: a character escaped
    with a backslash is shown as itself, so escaped pairs are blanked before looking."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.get("html"), "no st.html element may carry data"
    for kind, value, allow_html in rendered_strings(at):
        assert not allow_html, f"{kind} renders HTML: {value[:200]}"
        live = re.sub(r"\\.", "\x00", value)
        for marker in _RAW_MARKERS:
            assert marker not in live, f"{kind} renders {marker!r} live: {value[:300]}"


PAGES = [(None, {}), ("components/pages/pair_explorer.py", {"pair": "RUS-UKR"}),
         ("components/pages/matrix.py", {}), ("components/pages/country.py", {"country": "RUS"}),
         ("components/pages/articles.py", {}), ("components/pages/data_page.py", {}),
         ("components/pages/method.py", {})]


@pytest.mark.parametrize("page, query", PAGES, ids=[Path(p or "overview").stem for p, _ in PAGES])
def test_every_page_shows_hostile_text_inert(hostile_env, page, query):
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert_inert(at)


def test_the_articles_search_shows_hostile_titles_inert(hostile_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("components/pages/articles.py").run()
    at.text_input(key="article_search").set_value("Kharkiv").run()
    assert_inert(at)
    shown = at.dataframe[0].value
    assert "<script>alert('title')</script> **Kharkiv** [x](http://evil.example)" in set(shown["title"])


def _render_article_and_evidence(db: str) -> None:
    from analysis import queries
    from components.article_view import render_article
    from components.evidence import render_evidence

    for number in range(3):
        stored_id = queries.read_frame(db, "SELECT id FROM articles WHERE source_id = ?", [f"hostile{number}"])
        render_article(queries.article_detail(stored_id["id"][0], db))
    render_evidence(queries.evidence("RUS-UKR", "2022-02-21", db, freq="M"), "none")


def test_article_view_and_evidence_list_show_hostile_text_inert(hostile_env):
    at = AppTest.from_function(_render_article_and_evidence, args=(str(hostile_env),), default_timeout=60)
    at.run()
    assert_inert(at)
    rendered = " ".join(value for _, value, _ in rendered_strings(at))
    # the literal characters are there, escaped: a reader sees exactly what the article said
    assert "\\<script\\>alert\\(\\'xss\\'\\)\\<\\/script\\>" in rendered
    assert "\\*\\*bold\\*\\*" in rendered and "\\:red\\[alarm\\]" in rendered
    targets = re.findall(r"(?<!\\)\]\(([^)]*)\)", rendered)
    assert "http://ok.example/a%22onmouseover=x" in targets  # the quote cannot end the link early
    assert all(target.startswith(("http://", "https://")) for target in targets), targets
    assert not [t for t in targets if "evil" in t or "javascript" in t or "data:" in t]


# ---- exports ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", FORMULAS)
def test_csv_export_never_starts_a_cell_with_a_formula(value):
    text = csv_text(pd.DataFrame({"title": [value], "text": [HOSTILE_TEXT]}))
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["title"][0] not in "=+-@\t\r", row["title"]
    assert value.strip() in row["title"]  # the content is kept, only disarmed
    assert row["text"] == HOSTILE_TEXT


def test_pairs_and_evidence_commands_print_hostile_text_as_data(hostile_store):
    pairs = cli("pairs", "--db", hostile_store, "--format", "csv", "--pair", "RUS-UKR")
    assert pairs.returncode == 0, pairs.stderr
    assert all(row["pair"] == "RUS-UKR" for row in csv.DictReader(io.StringIO(pairs.stdout)))
    evidence = cli("evidence", "--db", hostile_store, "--pair", "RUS-UKR", "--date", "2022-02-21",
                   "--freq", "M", "--format", "jsonl")
    assert evidence.returncode == 0, evidence.stderr
    rows = [json.loads(line) for line in evidence.stdout.splitlines() if line.strip()]
    assert HOSTILE_TEXT + " Report 0." in {row["text"] for row in rows}  # verbatim in JSON, which is inert


def test_control_characters_never_reach_the_store_or_a_terminal(tmp_path):
    write(tmp_path / "esc.txt", "Title\x1b]0;owned\x07\n\nRussia \x1b[31mshelled\x1b[0m Kharkiv\x08\x08 today.")
    (article,) = list(iter_articles([tmp_path / "esc.txt"]))
    assert "\x1b" not in article.text + article.title and "\x07" not in article.title
    assert article.text == "Russia [31mshelled[0m Kharkiv today."


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".pdf", ".pptx"])
def test_briefing_packs_carry_hostile_text_as_plain_text(hostile_store, tmp_path, suffix):
    out = tmp_path / f"brief{suffix}"
    made = cli("brief", "--db", hostile_store, "--pair", "RUS-UKR", "--since", "2022-01-01",
               "--until", "2022-06-30", "--out", out, timeout=300)
    assert made.returncode == 0, made.stderr[-2000:]
    if suffix == ".pdf":
        from pypdf import PdfReader

        reader = PdfReader(str(out))
        text = " ".join(page.extract_text() for page in reader.pages)
        uris = [str(annotation.get_object().get("/A", {}).get("/URI", ""))
                for page in reader.pages for annotation in page.get("/Annots", []) or []]
        assert not [uri for uri in uris if not uri.startswith(("http://", "https://"))], uris
    else:
        from pptx import Presentation

        text = " ".join(shape.text_frame.text for slide in Presentation(str(out)).slides
                        for shape in slide.shapes if shape.has_text_frame)
        # python-pptx writes runs as text; a hyperlink exists only where the code made one
        links = [run.hyperlink.address for slide in Presentation(str(out)).slides for shape in slide.shapes
                 if shape.has_text_frame for para in shape.text_frame.paragraphs for run in para.runs
                 if run.hyperlink.address]
        assert all(link.startswith(("http://", "https://")) for link in links), links
    flat = " ".join(text.split())
    # source names reach the pack's attribution: their markup is printed, not applied
    assert ":red[Evil Wire]" in flat and "<b>Bold Wire</b>" in flat and "@SUM(A1)" in flat


@pytest.mark.slow
def test_an_exported_chart_prints_hostile_source_names_as_text(hostile_store, tmp_path):
    import xml.etree.ElementTree as ElementTree

    out = tmp_path / "chart.svg"
    made = cli("export", "--db", hostile_store, "--chart", "pair-timeline", "--pair", "RUS-UKR", "--format", "svg",
               "--out", out, timeout=300)
    if made.returncode != 0 and "chromium" in made.stderr.lower():
        pytest.skip("image export needs Debian's chromium")
    assert made.returncode == 0, made.stderr[-2000:]
    root = ElementTree.parse(out).getroot()
    text = " ".join("".join(node.itertext()) for node in root.iter("{http://www.w3.org/2000/svg}text"))
    assert ":red[Evil Wire], <b>Bold Wire</b>, @SUM(A1)" in text  # the tags are characters, not bold
    links = [node for node in root.iter() if node.tag.endswith("}a")]
    assert links == []
