"""score_files: JSON Lines read as raw lines in the parent and parsed in the workers must give what
`iter_articles` gives (every Article field, every ReadError message, in order), and `score_paths`
must yield the same results whatever the number of workers."""
from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from analysis.ingest import iter_articles
from analysis.model import Article, ReadError
from analysis.readers import records
from analysis.score_files import _chunks, _entries, _parse_line, score_paths

HOSTILE_LINES = [
    '\ufeff{"id": "bom", "title": "First", "text": "Russia and Ukraine agreed to a ceasefire.", '
    '"date": "2024-03-01"}',
    "",
    "   ",
    '{"text": "No id here: the stem and line number name it.", "published": "1 March 2024"}',
    "{not json",
    "[1, 2, 3]",
    '"just a string"',
    '{"title": "Only a title"}',
    '{"body": null, "content": "Fallback body in content.", "source": " Wire ", "url": 5}',
    '{"text": ""}',
    '{"text": {"nested": "object"}}',
    '{"TEXT": "Upper-case key.", "Date": "not a date"}',
    '{"text": "Дипломаты России встретились в Женеве."}',
    '{"dateline": "TOKYO, March 3 -", "body": "Japan raised rates.", "id": 7}',
    '{"text": "Trailing record without a newline at the end"}',
]


def as_items(entries) -> list:
    return [_parse_line(*entry) if type(entry) is tuple else entry for entry in entries]


def write_lines(path: Path, lines: list[str], *, encoding: str = "utf-8") -> Path:
    data = "\n".join(lines).encode(encoding)
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", ["feed.jsonl", "feed.jsonl.gz", "feed.ndjson", "Feed.JSONL"])
def test_raw_lines_parse_to_what_iter_articles_reads(tmp_path, name):
    path = write_lines(tmp_path / name, HOSTILE_LINES)
    expected = list(iter_articles([path]))
    assert any(isinstance(item, ReadError) for item in expected)
    assert sum(isinstance(item, Article) for item in expected) >= 8
    assert as_items(_entries([path])) == expected


def test_a_non_utf8_line_is_decoded_as_iter_articles_does(tmp_path):
    path = tmp_path / "latin.jsonl"
    path.write_bytes('{"text": "Caf\u00e9 talks in Z\u00fcrich \u2013 France and Italy"}\n'.encode("cp1252")
                     + b'{"text": "plain"}\n')
    assert as_items(_entries([path])) == list(iter_articles([path]))


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\x1f\x8b\x08\x00garbage"])
def test_empty_blank_and_corrupt_files_give_the_same_errors(tmp_path, content):
    path = tmp_path / ("broken.jsonl.gz" if content.startswith(b"\x1f\x8b") else "empty.jsonl")
    path.write_bytes(content)
    expected = list(iter_articles([path]))
    assert expected and all(isinstance(item, ReadError) for item in expected)
    assert as_items(_entries([path])) == expected


def test_a_truncated_gzip_keeps_the_records_before_the_damage(tmp_path):
    whole = gzip.compress("\n".join(HOSTILE_LINES * 30).encode("utf-8"))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) * 2 // 3])
    expected = list(iter_articles([path]))
    assert isinstance(expected[-1], ReadError) and len(expected) > 10
    assert as_items(_entries([path])) == expected


def test_an_overlong_line_is_reported_and_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr(records, "MAX_RECORD_BYTES", 100)
    path = write_lines(tmp_path / "long.jsonl", ['{"text": "short one"}', '{"text": "' + "x" * 300 + '"}',
                                                 '{"text": "after the long one"}'])
    expected = list(iter_articles([path]))
    assert [type(item) for item in expected] == [Article, ReadError, Article]
    assert as_items(_entries([path])) == expected


def test_other_inputs_go_through_iter_articles(tmp_path):
    csv_file = tmp_path / "feed.csv"
    csv_file.write_text("id,text\nc1,France and Germany signed a treaty.\n", encoding="utf-8")
    folder = tmp_path / "dir.jsonl"  # a directory whose name looks like a JSON Lines file
    folder.mkdir()
    write_lines(folder / "inner.jsonl", HOSTILE_LINES[:2])
    paths = [csv_file, folder, tmp_path / "missing.jsonl"]
    assert as_items(_entries(paths)) == list(iter_articles(paths))


def tag(scored) -> str:
    """A picklable transform for score_paths."""
    return f"{scored.id}|{','.join(scored.countries)}|{scored.tension}"


def test_score_paths_same_results_in_order_for_one_and_two_workers(tmp_path):
    first = write_lines(tmp_path / "a.jsonl", HOSTILE_LINES)
    second = write_lines(tmp_path / "b.jsonl.gz", HOSTILE_LINES[::-1])
    paths = [first, tmp_path / "missing.jsonl", second]
    one = [item for batch in score_paths(paths, tag, workers=1) for item in batch]
    two = [item for batch in score_paths(paths, tag, workers=2, chunk_lines=3) for item in batch]
    assert one == two
    read = list(iter_articles(paths))
    assert len(one) == len(read)
    assert [type(item) for item in one] == [ReadError if isinstance(r, ReadError) else str for r in read]
    assert [item.split("|")[0] for item in one if isinstance(item, str)] == \
        [r.id for r in read if isinstance(r, Article)]


@pytest.mark.parametrize("largest, sizes", [(64, [16, 32, 52]), (20, [16, 20, 20, 20, 20, 4]), (3, [3] * 33 + [1])])
def test_chunks_start_small_and_grow(tmp_path, largest, sizes):
    path = write_lines(tmp_path / "many.jsonl", [f'{{"text": "Item {n}."}}' for n in range(100)])
    chunks = list(_chunks([path], largest))
    assert [len(chunk) for chunk in chunks] == sizes
    assert [number for chunk in chunks for _label, _stem, number, _raw in chunk] == list(range(1, 101))


def test_chunks_also_end_at_their_byte_budget(tmp_path):
    """Long records make shorter tasks: a chunk closes once its raw lines reach `most_bytes`."""
    lines = [f'{{"text": "{"Long article text. " * 40}Item {n}."}}' for n in range(40)]  # ~800 bytes each
    path = write_lines(tmp_path / "long.jsonl", lines)
    chunks = list(_chunks([path], 16, most_bytes=3000))
    assert [len(chunk) for chunk in chunks] == [4] * 10
    assert [number for chunk in chunks for _label, _stem, number, _raw in chunk] == list(range(1, 41))


def test_one_worker_scores_the_raw_line_path_like_iter_articles(tmp_path, engine):
    """With one worker the JSON Lines records are parsed from raw lines in this process: each result is
    what scoring iter_articles' Article gives, errors in their places."""
    path = write_lines(tmp_path / "feed.jsonl", HOSTILE_LINES)
    got = [item for batch in score_paths([path], tag, workers=1, chunk_lines=4) for item in batch]
    expected = [item if isinstance(item, ReadError) else tag(engine.score(item)) for item in iter_articles([path])]
    assert got == expected
