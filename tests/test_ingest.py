"""iter_articles: every reader on tiny hand-made inputs, the two seed articles, and bad input that
must become a ReadError while everything else is still read."""
from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest

from analysis.ingest import iter_articles
from analysis.model import Article, ReadError
from analysis.readers.common import MAX_FILE_BYTES

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"
SEED_000 = SEEDS / "000_305b6d826870dedc.txt"
SEED_004 = SEEDS / "004_f656a7f682610d19.txt"

RUBIO = ("U.S. Secretary of State Marco Rubio will meet Russian Foreign Minister Sergei Lavrov on "
         "Thursday in Kuala Lumpur, both nations confirmed. The talks follow a meeting in Saudi Arabia.")
GAZA = "Israeli forces and Hamas agree to a ceasefire in Gaza brokered by Egypt and Qatar. (BBC)"


def read(*paths: str | Path) -> list[Article | ReadError]:
    return list(iter_articles(paths))


def articles(items: list[Article | ReadError]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def errors(items: list[Article | ReadError]) -> list[ReadError]:
    return [item for item in items if isinstance(item, ReadError)]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


# --- the product's two acceptance seeds ------------------------------------------------------------

def test_seed_000_date_header_shares_the_headline_line() -> None:
    (article,) = read(SEED_000)
    assert article.date == "2025-07-10" and article.date_source == "header"
    assert article.title == "Rubio to meet Russia’s Lavrov in Malaysia as Trump turns up pressure on Putin"
    assert article.id == "000_305b6d826870dedc"
    assert article.text.startswith("U.S. Secretary of State Marco Rubio will meet")
    assert "date 2025-07-10" not in article.text and article.language == "en"


def test_seed_004_is_undated_and_kept_with_title_from_first_sentence() -> None:
    (article,) = read(SEED_004)
    assert article.date is None and article.date_source == "none"
    assert article.title.startswith("U.S. Secretary of State Marco Rubio is set to meet Russian Foreign")
    assert article.text.startswith("U.S. Secretary of State Marco Rubio is set to meet")  # text keeps it
    assert article.warnings == ()


# --- plain text ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("content", "title", "date", "source", "body_start"),
    [
        ("Title: Rubio meets Lavrov\nDate: July 10, 2025\nSource: Example News\nURL: https://example.org/a\n\n"
         + RUBIO, "Rubio meets Lavrov", "2025-07-10", "Example News", "U.S. Secretary"),
        ("Date: Thu, 10 Jul 2025 23:30:00 -0400\n\nRubio meets Lavrov\n\n" + RUBIO,
         "Rubio meets Lavrov", "2025-07-10", None, "U.S. Secretary"),
        ("date 10 July 2025 Rubio meets Lavrov\n\n" + RUBIO, "Rubio meets Lavrov", "2025-07-10", None,
         "U.S. Secretary"),
        ("# Rubio meets Lavrov\n\n" + RUBIO, "Rubio meets Lavrov", None, None, "U.S. Secretary"),
        ("SALVADOR, Feb 26 - Showers continued throughout the week in\nthe Bahia cocoa zone, officials "
         "said.\n    Prices rose.", "SALVADOR, Feb 26 - Showers continued throughout the week in the Bahia "
         "cocoa zone, officials said.", None, None, "SALVADOR, Feb 26 - Showers"),
        ("Date palms are grown across the Gulf states, officials said on Monday.\n\nExports rose.",
         "Date palms are grown across the Gulf states, officials said on Monday.", None, None, "Exports"),
    ],
)
def test_text_headers_and_headline(tmp_path: Path, content: str, title: str, date: str | None,
                                   source: str | None, body_start: str) -> None:
    (article,) = read(write(tmp_path / "story.txt", content))
    assert (article.title, article.date, article.source) == (title, date, source)
    assert article.text.startswith(body_start)
    assert article.date_source == ("header" if date else "none")


def test_unparseable_and_implausible_header_dates_warn(tmp_path: Path) -> None:
    (bad,) = read(write(tmp_path / "a.txt", "Date: sometime last week\n\nHeadline here\n\n" + RUBIO))
    (old,) = read(write(tmp_path / "b.txt", "Date: 1066-10-14\n\nHeadline here\n\n" + RUBIO))
    assert bad.date is None and any("unparseable date" in w for w in bad.warnings)
    assert old.date is None and any("implausible date" in w for w in old.warnings)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("He called relations \u201cbroken\u201d \u2013 officials said the caf\u00e9 talks failed.".encode("cp1252"),
         "He called relations “broken” – officials said the café talks failed."),
        ("Le pr\u00e9sident a rencontr\u00e9 na\u00efvement les d\u00e9l\u00e9gu\u00e9s \u00e0 Paris.".encode("latin-1"),
         "Le président a rencontré naïvement les délégués à Paris."),
        ("\ufeffRelations with the U.S. remain “broken”.".encode("utf-8"),
         "Relations with the U.S. remain “broken”."),
    ],
)
def test_encodings_are_detected(tmp_path: Path, raw: bytes, expected: str) -> None:
    (article,) = read(write(tmp_path / "enc.txt", raw))
    assert article.text == expected


# --- JSON Lines, JSON, CSV -------------------------------------------------------------------------

def test_jsonl_broken_line_in_the_middle_is_reported_and_the_rest_kept(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "a", "text": RUBIO, "date": "2025-07-10"}),
             json.dumps({"id": "b", "text": GAZA}),
             '{"id": "c", "text": "unterminated',
             "",
             json.dumps({"id": "d", "text": RUBIO, "published": "Jul 10, 2025 14:00 EDT"})]
    items = read(write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n"))
    assert [a.id for a in articles(items)] == ["a", "b", "d"]
    (error,) = errors(items)
    assert error.origin.endswith("feed.jsonl:3")
    assert error.message.startswith("line 3 of feed.jsonl: not valid JSON")
    assert articles(items)[2].date == "2025-07-10" and articles(items)[2].origin.endswith("feed.jsonl:5")


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ({"id": "x", "title": ""}, "line 1 of f.jsonl: no 'text' or 'body' or 'content' field and no title"),
        ({"text": ["a", "list"]}, "line 1 of f.jsonl: 'text' is a list, expected text"),
        (["not", "an", "object"], "line 1 of f.jsonl: expected a JSON object"),
        ({"body": "   "}, "line 1 of f.jsonl: empty 'body' and no title"),
    ],
)
def test_jsonl_records_without_text_are_errors(tmp_path: Path, record: object, problem: str) -> None:
    (error,) = read(write(tmp_path / "f.jsonl", json.dumps(record) + "\n"))
    assert isinstance(error, ReadError) and error.message.startswith(problem)


def test_reuters_layout_dateline_joins_body_and_missing_id_uses_stem_and_line(tmp_path: Path) -> None:
    record = {"title": "JAPAN TO CUT TARIFFS", "dateline": "TOKYO, March 3 -",
              "body": "Japan will cut tariffs on U.S. farm products, officials said.\n Reuter",
              "date": "3-MAR-1987 04:15:12.00"}
    brief = {"title": "U.K. MONEY MARKET SHORTAGE FORECAST", "body": "", "date": "1987-03-03"}
    first, second = read(write(tmp_path / "reut.jsonl.gz", gzip.compress(
        (json.dumps(record) + "\n" + json.dumps(brief) + "\n").encode())))
    assert first.text.startswith("TOKYO, March 3 - Japan will cut tariffs")
    assert (first.id, first.date, first.date_source, first.title) == (
        "reut:1", "1987-03-03", "field", "JAPAN TO CUT TARIFFS")
    assert second.text == "" and second.warnings == ("no body text (title only)",)


def test_first_non_empty_text_field_is_used(tmp_path: Path) -> None:
    (article,) = read(write(tmp_path / "f.jsonl", json.dumps({"id": "n", "text": None, "body": GAZA}) + "\n"))
    assert article.text == GAZA


def test_line_ends_and_control_characters_are_normalised(tmp_path: Path) -> None:
    record = {"id": "c", "title": "Gaza\x00 truce", "text": "Israel and Hamas agree.\r\nEgypt mediates.\x03"}
    (article,) = read(write(tmp_path / "c.jsonl", json.dumps(record) + "\n"))
    assert (article.title, article.text) == ("Gaza truce", "Israel and Hamas agree.\nEgypt mediates.")


def test_lone_surrogate_escapes_become_replacement_characters(tmp_path: Path) -> None:
    """JSON can escape half of a surrogate pair ("\\ud83d"); no UTF-8 output can hold it, so every
    field the article keeps gets U+FFFD instead, and a correct pair stays the character it encodes."""
    line = ('{"id": "s\\udc00", "title": "Kyiv \\ud83d talks", "text": "Russia struck \\ud83d\\ude80 Ukraine \\udfff.",'
            ' "source": "Wire \\ud800", "url": "http://x/\\ud800"}')
    (article,) = read(write(tmp_path / "s.jsonl", line + "\n"))
    assert (article.id, article.title, article.source, article.url) == \
        ("s\ufffd", "Kyiv \ufffd talks", "Wire \ufffd", "http://x/\ufffd")
    assert article.text == "Russia struck \U0001F680 Ukraine \ufffd."
    json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")  # writable as UTF-8


def test_wcep_style_record(tmp_path: Path) -> None:
    record = {"id": "wcep-2019-02-26-001", "date": "2019-02-26", "title": "Indian jets strike Balakot",
              "text": "Indian Air Force jets strike a camp in Balakot, Pakistan. (Reuters)",
              "source": "Wikipedia, Portal:Current events", "url": "https://example.org/p"}
    (article,) = read(write(tmp_path / "w.jsonl", json.dumps(record) + "\n"))
    assert (article.id, article.date, article.source, article.url) == (
        "wcep-2019-02-26-001", "2019-02-26", "Wikipedia, Portal:Current events", "https://example.org/p")


@pytest.mark.parametrize(
    "document",
    [
        [{"id": "a", "text": RUBIO}, {"id": "b", "content": GAZA}],
        {"articles": [{"id": "a", "text": RUBIO}, {"id": "b", "content": GAZA}]},
    ],
)
def test_json_array_or_object_with_list(tmp_path: Path, document: object) -> None:
    items = read(write(tmp_path / "feed.json", json.dumps(document)))
    assert [a.id for a in articles(items)] == ["a", "b"] and not errors(items)


def test_json_lines_saved_as_json_are_read_as_lines(tmp_path: Path) -> None:
    content = json.dumps({"id": "a", "text": RUBIO}) + "\n" + json.dumps({"id": "b", "text": GAZA}) + "\n"
    assert [a.id for a in articles(read(write(tmp_path / "feed.json", content)))] == ["a", "b"]


def test_json_single_object_and_missing_id(tmp_path: Path) -> None:
    (article,) = read(write(tmp_path / "one.json", json.dumps({"headline": "Gaza truce", "body": GAZA})))
    assert (article.id, article.title) == ("one", "Gaza truce")


def test_csv_with_bom_ragged_rows_and_multiline_cells(tmp_path: Path) -> None:
    content = ("\ufeffid,title,text,date,source\n"
               f'1,Rubio meets Lavrov,"{RUBIO}\nSecond paragraph.",2025-07-10,Example\n'
               "2,Gaza truce only\n"  # ragged: no text, no date
               f"3,Gaza truce,{GAZA.replace(',', '')},10 July 2025,Example,extra\n")
    items = read(write(tmp_path / "feeds.csv", content.encode("utf-8")))
    first, second, third = items
    assert first.id == "1" and first.text.endswith("Second paragraph.") and first.date == "2025-07-10"
    assert isinstance(second, Article) and second.warnings == ("no body text (title only)",)
    assert second.origin.endswith("feeds.csv:4")  # line numbers count the multi-line cell
    assert third.date == "2025-07-10" and any("extra ignored" in w for w in third.warnings)


def test_csv_without_text_column_is_one_error(tmp_path: Path) -> None:
    (error,) = read(write(tmp_path / "feeds.csv", "id,headline,when\n1,Gaza truce,2025-07-10\n"))
    assert isinstance(error, ReadError)
    assert error.message.startswith("feeds.csv: no 'text' or 'body' or 'content' column")


def test_csv_row_without_text_names_its_line(tmp_path: Path) -> None:
    items = read(write(tmp_path / "feeds.csv", f"id,text\n1,{GAZA.replace(',', '')}\n2\n"))
    assert isinstance(items[0], Article)
    assert items[1].message == "line 3 of feeds.csv: no 'text' or 'body' or 'content' field and no title"


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [("blank.jsonl", "\n  \n", "blank.jsonl: no records"), ("header.csv", "id,text\n", "header.csv: no rows")],
)
def test_feeds_without_records_say_so(tmp_path: Path, name: str, content: str, problem: str) -> None:
    (error,) = read(write(tmp_path / name, content))
    assert isinstance(error, ReadError) and error.message.startswith(problem)


def test_csv_line_over_the_record_limit_is_skipped_and_the_rest_kept(tmp_path: Path) -> None:
    from analysis.readers.common import MAX_RECORD_BYTES

    huge = "Talks resumed. " * (MAX_RECORD_BYTES // 15 + 10)
    content = f"id,text\nfirst,{GAZA.replace(',', '')}\nhuge,{huge}\nlast,{GAZA.replace(',', '')}\n"
    items = read(write(tmp_path / "big.csv", content))
    assert [a.id for a in articles(items)] == ["first", "last"]
    (error,) = errors(items)
    assert error.message == "line 3 of big.csv: field larger than field limit (10 MB), skipped"


def test_semicolon_and_tab_separated(tmp_path: Path) -> None:
    (semi,) = read(write(tmp_path / "a.csv", "id;text\nx;Russia and Ukraine agree a prisoner exchange.\n"))
    (tab,) = read(write(tmp_path / "b.tsv", "id\ttext\ny\tRussia and Ukraine agree a prisoner exchange.\n"))
    assert (semi.id, tab.id) == ("x", "y")


# --- HTML ------------------------------------------------------------------------------------------

def test_html_main_text_title_and_date() -> None:
    (article,) = read(FIXTURES / "ingest" / "kuala_lumpur.html")
    assert article.title == "Rubio and Lavrov meet in Kuala Lumpur"
    assert article.date == "2025-07-10" and article.date_source == "field"
    assert article.text.startswith("U.S. Secretary of State Marco Rubio met Russian Foreign Minister")
    assert "Subscribe" not in article.text and "Cookie" not in article.text


# --- archives, directories, stdin, limits ---------------------------------------------------------

def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_members_nested_one_level_and_unsafe_names(tmp_path: Path) -> None:
    inner = zip_bytes({"inner.txt": f"Inner headline\n\n{GAZA}".encode()})
    deeper = zip_bytes({"deep.zip": zip_bytes({"x.txt": b"Too deep\n\nText."})})
    archive = zip_bytes({
        "b.jsonl": (json.dumps({"id": "j1", "text": RUBIO}) + "\n").encode(),
        "a.txt": f"A headline\n\n{RUBIO}".encode(),
        "../evil.txt": b"Escaping headline\n\nText.",
        "nested.zip": inner,
        "two.zip": deeper,
        ".hidden.txt": b"skipped",
    })
    items = read(write(tmp_path / "bundle.zip", archive))
    assert [a.id for a in articles(items)] == ["a", "j1", "inner"]
    messages = " | ".join(str(e) for e in errors(items))
    assert "unsafe path '../evil.txt'" in messages and "nested more than one level" in messages
    assert articles(items)[2].origin.endswith("bundle.zip!nested.zip!inner.txt")
    assert not (tmp_path / "a.txt").exists() and not (tmp_path.parent / "evil.txt").exists()


def test_zip_and_gzip_on_stdin_are_sniffed(monkeypatch: pytest.MonkeyPatch) -> None:
    inner = zip_bytes({"inner.txt": f"Inner headline\n\n{GAZA}".encode()})
    archive = zip_bytes({"a.txt": f"A headline\n\n{RUBIO}".encode(), "nested.zip": inner})
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(archive)))
    assert [a.id for a in articles(read("-"))] == ["a", "inner"]
    packed = gzip.compress((json.dumps({"id": "g", "text": GAZA}) + "\n").encode())
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(packed)))
    assert [a.id for a in articles(read("-"))] == ["g"]


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    # 4 MB of one letter deflates ~1000x: far past the ratio limit, so it is refused unread.
    bomb = zip_bytes({"bomb.txt": b"A" * (4 * 1024 * 1024), "ok.txt": f"Fine\n\n{GAZA}".encode()})
    items = read(write(tmp_path / "bomb.zip", bomb))
    assert [a.id for a in articles(items)] == ["ok"]
    (error,) = errors(items)
    assert "zip bomb" in error.message


def test_directory_with_bad_files_yields_everything_else(tmp_path: Path) -> None:
    write(tmp_path / "b" / "two.txt", f"Second headline\n\n{GAZA}")
    write(tmp_path / "a.txt", f"First headline\n\n{RUBIO}")
    write(tmp_path / "c.jsonl", json.dumps({"id": "three", "text": RUBIO}) + "\n")
    write(tmp_path / "broken.json", "{not json")
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    write(tmp_path / ".hidden.txt", "Hidden headline\n\nNever read.")
    items = read(tmp_path)
    assert [a.id for a in articles(items)] == ["a", "three", "two"]  # sorted, recursive
    bad = {Path(e.origin).name: e.message for e in errors(items)}
    assert set(bad) == {"broken.json", "empty.txt", "photo.png"}
    assert "not valid JSON" in bad["broken.json"] and "empty file" in bad["empty.txt"]
    assert "binary" in bad["photo.png"]


def test_missing_path_is_an_error_and_input_order_is_kept(tmp_path: Path) -> None:
    second = write(tmp_path / "z.txt", f"Z headline\n\n{GAZA}")
    first = write(tmp_path / "a.txt", f"A headline\n\n{RUBIO}")
    items = read(second, tmp_path / "nope.txt", first)
    assert [type(i).__name__ for i in items] == ["Article", "ReadError", "Article"]
    assert items[0].id == "z" and "no such file" in items[1].message


def test_stdin_is_sniffed(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (json.dumps({"id": "s1", "text": RUBIO}) + "\n" + json.dumps({"id": "s2", "text": GAZA}) + "\n")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
    assert [a.id for a in articles(read("-"))] == ["s1", "s2"]


@pytest.mark.parametrize(
    ("name", "content", "expected_ids"),
    [
        ("feed.data", json.dumps({"id": "j", "text": RUBIO}) + "\n", ["j"]),
        ("page.dat", "<!DOCTYPE html><html><head><title>Gaza truce</title></head><body><article><p>"
         + GAZA + " " + RUBIO + "</p></article></body></html>", ["page"]),
        ("sheet.export", f"id,text\nc1,{GAZA.replace(',', '')}\n", ["c1"]),
        ("story", f"Gaza truce\n\n{GAZA}", ["story"]),
    ],
)
def test_unknown_extension_is_sniffed(tmp_path: Path, name: str, content: str,
                                      expected_ids: list[str]) -> None:
    assert [a.id for a in articles(read(write(tmp_path / name, content)))] == expected_ids


def test_oversized_text_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with open(big, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk or memory actually used
    (error,) = read(big)
    assert "over the 50 MB limit" in error.message


def test_truncated_gzip_keeps_what_was_read(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": f"r{i}", "text": f"{RUBIO} Item {i}."}) + "\n" for i in range(200))
    packed = gzip.compress(lines.encode())
    items = read(write(tmp_path / "cut.jsonl.gz", packed[: len(packed) // 2]))
    assert len(articles(items)) > 0 and isinstance(items[-1], ReadError)
    assert "corrupt or truncated" in items[-1].message


@pytest.mark.parametrize(
    ("text", "language", "warned"),
    [
        (RUBIO, "en", False),
        ("Der Bundeskanzler hat am Montag in Berlin gesagt, dass die Regierung die Sanktionen gegen "
         "Russland verlängern wird und auch mit der Ukraine spricht.", "de", True),
        ("Le président de la République a annoncé que les sanctions contre la Russie seront "
         "prolongées et que la France est prête.", "fr", True),
        ("Gaza truce holds", None, False),
    ],
)
def test_language_check_keeps_non_english_with_a_warning(tmp_path: Path, text: str,
                                                         language: str | None, warned: bool) -> None:
    (article,) = read(write(tmp_path / "l.jsonl", json.dumps({"id": "l", "text": text}) + "\n"))
    assert article.language == language
    assert any("non-English text (kept" in w for w in article.warnings) == warned


from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), name=st.sampled_from(["x.txt", "x.jsonl", "x.json", "x.csv",
                                                            "x.html", "x.zip", "x.gz", "x.bin"]))
def test_arbitrary_bytes_never_raise(tmp_path: Path, data: bytes, name: str) -> None:
    items = read(write(tmp_path / name, data))
    assert all(isinstance(item, (Article, ReadError)) for item in items)


def test_stopword_lists_are_validated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis.readers import common

    bad = write(tmp_path / "stopwords.yaml", "languages:\n  en: [the, of, on]\n  pt: [o, no]\n")
    monkeypatch.setattr(common, "STOPWORDS_FILE", bad)
    common._stopwords.cache_clear()
    try:
        with pytest.raises(ValueError, match="'en' has True; quote it"):
            common.guess_language(RUBIO)
    finally:
        common._stopwords.cache_clear()
