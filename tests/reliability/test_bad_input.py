"""Broken, mis-encoded, huge and hostile input files: each case asserts what is kept and what is
reported (the message names the file, and the line for line-based formats). Reading never raises."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from analysis.ingest import iter_articles
from analysis.readers.common import MAX_COMPRESSION_RATIO, MAX_FILE_BYTES, MAX_RECORD_BYTES, MB
from tests.reliability.conftest import REPO, articles, errors, write

GOOD = "Russia and Ukraine resumed talks in Geneva on Monday, the foreign ministers said."
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def read(*paths: Path) -> list:
    return list(iter_articles(list(paths)))


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# (file name, content, articles kept, text every error message must contain)
CASES = [
    ("empty.txt", b"", 0, ["empty.txt: empty file"]),
    ("blank.md", b"  \n\n\t \n", 0, ["blank.md: empty file"]),
    ("photo.png", PNG, 0, ["photo.png", "binary"]),
    ("photo.txt", PNG, 0, ["photo.txt", "binary"]),
    ("empty.jsonl", b"", 0, ["empty.jsonl: empty file"]),
    ("header_only.csv", b"title,text\n", 0, ["header_only.csv: no rows after the header"]),
    ("no_text_column.csv", b"title,summary\nA,B\n", 0,
     ["no_text_column.csv: no 'text' or 'body' or 'content' column", "'title', 'summary'"]),
    ("broken.json", b'{"text": "Russia', 0, ["broken.json: not valid JSON"]),
    ("not_a.zip", b"PK\x03\x04 this is no archive", 0, ["not_a.zip"]),
    ("truncated.txt.gz", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 0, ["truncated.txt.gz", "corrupt or truncated"]),
]


@pytest.mark.parametrize("name, content, kept, expected", CASES, ids=[case[0] for case in CASES])
def test_bad_file_is_reported_by_name_and_never_raises(tmp_path, name, content, kept, expected):
    items = read(write(tmp_path / name, content))
    assert len(articles(items)) == kept
    assert len(errors(items)) == (1 if expected else 0)
    for error in errors(items):
        assert error.origin.endswith(name)
        for text in expected:
            assert text in error.message


def test_invalid_utf8_is_decoded_and_kept(tmp_path):
    raw = b"Talks resume\n\nRussia and Ukraine \xff\xfe talks \xc3\x28 resumed in Geneva on Monday."
    (article,) = read(write(tmp_path / "mixed.txt", raw))
    assert article.title == "Talks resume"
    assert article.text.startswith("Russia and Ukraine ") and article.text.endswith("resumed in Geneva on Monday.")


def test_cp1252_smart_quotes_are_decoded_right(tmp_path):
    text = "Talks resume\n\n\u201cWe will talk,\u201d the Russian minister said \u2014 Ukraine\u2019s envoy agreed."
    (article,) = read(write(tmp_path / "quotes.txt", text.encode("cp1252")))
    assert article.text == "\u201cWe will talk,\u201d the Russian minister said \u2014 Ukraine\u2019s envoy agreed."


def test_cp1252_csv_is_decoded_right(tmp_path):
    raw = "title,text\nQuotes,\u201cSanctions\u201d on Russia \u2013 Ukraine\u2019s view\n".encode("cp1252")
    (article,) = read(write(tmp_path / "quotes.csv", raw))
    assert article.text == "\u201cSanctions\u201d on Russia \u2013 Ukraine\u2019s view"


def test_csv_with_bom_and_ragged_rows_keeps_every_row_with_text(tmp_path):
    body = GOOD.replace(",", "")
    raw = ("\ufefftitle,text,date\n"
           f"Full row,{body},2022-03-01\n"
           f"Short row,{body} Again.\n"
           f"Long row,{body} Third.,2022-03-02,extra,cells\n"
           "Title only,,2022-03-03\n"
           ",,2022-03-04\n")
    items = read(write(tmp_path / "ragged.csv", raw.encode("utf-8")))
    assert [a.title for a in articles(items)] == ["Full row", "Short row", "Long row", "Title only"]
    assert articles(items)[0].date == "2022-03-01" and articles(items)[1].date is None
    assert any("extra ignored" in w for w in articles(items)[2].warnings)
    assert "no body text (title only)" in articles(items)[3].warnings
    (error,) = errors(items)
    assert error.origin.endswith("ragged.csv:6")
    assert error.message == "line 6 of ragged.csv: empty 'text' and no title"


def test_jsonl_with_one_broken_line_in_the_middle(tmp_path):
    lines = [json.dumps({"id": f"r{n}", "text": f"{GOOD} Item {n}."}) for n in range(1, 6)]
    lines[2] = '{"id": "r3", "text": "Russia and Ukr'  # line 3 cut mid-string
    items = read(write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n"))
    assert [a.id for a in articles(items)] == ["r1", "r2", "r4", "r5"]
    (error,) = errors(items)
    assert error.origin.endswith("feed.jsonl:3")
    assert error.message.startswith("line 3 of feed.jsonl: not valid JSON")


def test_html_script_and_style_text_is_not_in_the_article(tmp_path):
    page = ("<html><head><title>Geneva talks</title><style>body { color: red } .SECRETSTYLE {}</style>"
            "<script>var token = 'SECRETSCRIPT'; alert(1)</script></head><body><article>"
            f"<h1>Geneva talks</h1><p>{GOOD}</p><script>document.write('INLINESCRIPT')</script>"
            "<p>Both sides will meet again in March, a spokesman said.</p></article></body></html>")
    (article,) = read(write(tmp_path / "page.html", page))
    assert GOOD in article.text and "meet again in March" in article.text
    everything = article.title + article.text
    for leaked in ("SECRETSCRIPT", "INLINESCRIPT", "SECRETSTYLE", "color: red", "alert(", "<"):
        assert leaked not in everything


def test_zip_slip_names_are_refused_and_nothing_is_written(tmp_path):
    archive = zip_bytes({"../../escape.txt": b"Escape\n\nText.", "/etc/evil.txt": b"Evil\n\nText.",
                         "..\\win.txt": b"Win\n\nText.", "ok.txt": f"Fine\n\n{GOOD}".encode()})
    folder = tmp_path / "in"
    write(folder / "bundle.zip", archive)
    before = sorted(p for p in tmp_path.rglob("*"))
    items = read(folder / "bundle.zip")
    assert [a.id for a in articles(items)] == ["ok"]
    refused = sorted(e.origin.split("!", 1)[1] for e in errors(items))
    assert refused == sorted(["../../escape.txt", "/etc/evil.txt", "..\\win.txt"]) or \
        len(refused) == 3  # zipfile may normalise separators in names
    assert all("unsafe path" in e.message and "bundle.zip" in e.message for e in errors(items))
    assert sorted(p for p in tmp_path.rglob("*")) == before
    assert not (tmp_path.parent / "escape.txt").exists()


def test_nested_zips_one_level_read_deeper_refused(tmp_path):
    level2 = zip_bytes({"deep.txt": f"Deep\n\n{GOOD}".encode()})
    level1 = zip_bytes({"inner.txt": f"Inner\n\n{GOOD} Inner.".encode(), "level2.zip": level2})
    items = read(write(tmp_path / "outer.zip", zip_bytes({"level1.zip": level1})))
    assert [a.id for a in articles(items)] == ["inner"]
    assert articles(items)[0].origin.endswith("outer.zip!level1.zip!inner.txt")
    (error,) = errors(items)
    assert error.origin.endswith("outer.zip!level1.zip!level2.zip")
    assert "nested more than one level" in error.message


def test_zip_bomb_member_is_refused_by_its_size_ratio(tmp_path):
    bomb = zip_bytes({"bomb.txt": b"0" * (40 * MB), "ok.txt": f"Fine\n\n{GOOD}".encode()})
    assert len(bomb) < MB  # 40 MB from a few kB
    items = read(write(tmp_path / "bomb.zip", bomb))
    assert [a.id for a in articles(items)] == ["ok"]
    (error,) = errors(items)
    assert error.origin.endswith("bomb.zip!bomb.txt") and "zip bomb" in error.message


def test_a_zip_bomb_of_many_small_members_is_refused_by_the_archive_ratio(tmp_path):
    member = b"Russia and Ukraine. " * (MB // 20)  # just under 1 MB, compresses ~1000x
    bomb = zip_bytes({f"part{n:03d}.txt": member for n in range(80)})
    path = write(tmp_path / "many.zip", bomb)
    items = read(path)
    expanded = sum(len(a.text) + len(a.title) for a in articles(items))
    assert expanded <= MAX_COMPRESSION_RATIO * len(bomb) + MB
    assert any("zip bomb" in e.message and e.origin.startswith(str(path)) for e in errors(items))


@pytest.mark.parametrize("value, warning", [
    ("2091-05-01", "implausible date '2091-05-01' ignored"),
    ("1850-03-01", "implausible date '1850-03-01' ignored"),
    ("the day after tomorrow", "unparseable date 'the day after tomorrow' ignored"),
    ("2022-02-30", "unparseable date '2022-02-30' ignored"),
])
def test_bad_dates_keep_the_article_undated_with_a_warning(tmp_path, value, warning):
    record = {"id": "d", "date": value, "text": GOOD}
    (article,) = read(write(tmp_path / "dates.jsonl", json.dumps(record) + "\n"))
    assert (article.date, article.date_source) == (None, "none")
    assert warning in article.warnings


def test_plausible_old_and_recent_dates_are_kept(tmp_path):
    lines = [json.dumps({"id": "old", "date": "1900-01-02", "text": GOOD}),
             json.dumps({"id": "new", "date": "2025-07-10", "text": GOOD + " Again."})]
    items = read(write(tmp_path / "ok.jsonl", "\n".join(lines)))
    assert [(a.id, a.date, a.warnings) for a in items] == [("old", "1900-01-02", ()),
                                                          ("new", "2025-07-10", ())]


@pytest.mark.parametrize("text, language", [
    ("Le ministre des affaires étrangères de la France a rencontré son homologue allemand à Berlin "
     "pour discuter de la guerre en Ukraine et des sanctions contre la Russie.", "fr"),
    ("Министр иностранных дел России встретился с коллегой из Китая в Пекине для обсуждения "
     "ситуации на Украине и новых санкций.", "ru"),
    ("Der Außenminister traf sich am Montag in Berlin mit seinem Kollegen aus Polen, um über die "
     "Lage in der Ukraine und die Sanktionen gegen Russland zu sprechen.", "de"),
])
def test_non_english_text_is_kept_and_flagged(tmp_path, text, language):
    (article,) = read(write(tmp_path / "foreign.jsonl", json.dumps({"id": "x", "text": text}) + "\n"))
    assert article.text == text and article.language == language
    assert f"non-English text (kept; looks like '{language}')" in article.warnings


# ---- a 60 MB single-line file: refused (whole-file formats) or streamed (record formats), with
# memory bounded. The stated limits: a whole file up to MAX_FILE_BYTES (50 MB) is read at once, one
# record up to MAX_RECORD_BYTES (10 MB); RSS may grow by at most MAX_FILE_BYTES + 16 MB of working
# space whatever the input size.
RSS_GROWTH_LIMIT = MAX_FILE_BYTES + 16 * MB
_PROBE = """
import json, sys
from analysis.ingest import iter_articles

def peak_rss():
    # VmHWM belongs to this process image: ru_maxrss would carry the parent's peak across exec
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmHWM:"))

before = peak_rss()
items = [(type(i).__name__, getattr(i, "message", "")) for i in iter_articles([sys.argv[1]])]
print(json.dumps([items, peak_rss() - before]))
"""


def _one_line(size: int) -> str:
    return ("Russia and Ukraine resumed talks in Geneva. " * (size // 44 + 1))[:size]


def _huge_file(path: Path) -> Path:
    line = _one_line(60 * MB)
    if path.suffix == ".jsonl":
        return write(path, '{"text": "' + line + '"}')
    if path.suffix == ".csv":
        return write(path, "title,text\nHuge," + line)
    if path.suffix == ".html":
        return write(path, "<html><body><p>" + line)
    if path.name.endswith(".gz"):
        import gzip
        return write(path, gzip.compress(line.encode(), compresslevel=1))
    return write(path, line)


@pytest.mark.slow
@pytest.mark.parametrize("name, message", [
    ("huge.txt", "huge.txt: 60 MB is over the 50 MB limit for a single text file"),
    ("huge.html", "huge.html: 60 MB is over the 50 MB limit for a single text file"),
    ("huge.dat", "huge.dat: 60 MB is over the 50 MB limit for a single text file"),
    ("huge.txt.gz", "huge.txt.gz: more than 50 MB, over the limit for a single text file"),
    ("huge.jsonl", f"line 1 of huge.jsonl: longer than {MAX_RECORD_BYTES // MB} MB, skipped"),
    ("huge.csv", f"line 2 of huge.csv: field larger than field limit ({MAX_RECORD_BYTES // MB} MB), skipped"),
])
def test_a_60_mb_single_line_file_is_refused_with_memory_bounded(tmp_path, name, message):
    if not Path("/proc/self/status").exists():
        pytest.skip("peak memory is read from /proc (Linux)")
    path = _huge_file(tmp_path / name)
    probe = subprocess.run([sys.executable, "-c", _PROBE, str(path)], cwd=REPO, capture_output=True,
                           text=True, timeout=120)
    assert probe.returncode == 0, probe.stderr[-2000:]
    items, growth = json.loads(probe.stdout.strip().splitlines()[-1])
    assert {kind for kind, _ in items} == {"ReadError"}  # nothing kept
    assert message in items[0][1]
    assert growth <= RSS_GROWTH_LIMIT, f"RSS grew by {growth / MB:.0f} MB"


def test_a_directory_of_good_and_bad_files_yields_every_good_article(tmp_path):
    write(tmp_path / "a_good.txt", f"Good one\n\n{GOOD}")
    write(tmp_path / "b_empty.txt", "")
    write(tmp_path / "c_binary.txt", PNG)
    write(tmp_path / "d_feed.jsonl", json.dumps({"id": "d", "text": GOOD + " D."}) + "\n{broken\n")
    write(tmp_path / "e_no_text.csv", "title,summary\nA,B\n")
    write(tmp_path / "sub" / "f_good.md", f"Good two\n\n{GOOD} F.")
    write(tmp_path / "g_bomb.zip", zip_bytes({"bomb.txt": b"0" * (8 * MB)}))
    items = read(tmp_path)
    assert [a.id for a in articles(items)] == ["a_good", "d", "f_good"]
    assert sorted(Path(e.origin.split("!")[0].split(":")[0]).name for e in errors(items)) == \
        ["b_empty.txt", "c_binary.txt", "d_feed.jsonl", "e_no_text.csv", "g_bomb.zip"]
