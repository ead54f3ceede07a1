"""Article records in JSON Lines, JSON and CSV: one record (a dict of fields) -> one Article.

Fields (names matched case-insensitively): text in `text`, `body` or `content` (with a `dateline`
field the text is dateline + " " + body: the Reuters layout "TOKYO, March 3 - ..."); title in
`title` / `headline`; date in `date` / `published` / `published_at`; `id`, `source`, `url`.
A missing id becomes "<file stem>:<line>". JSON Lines and CSV are streamed: memory stays bounded by
the longest record, whatever the file size.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from typing import BinaryIO, Iterator

from analysis.model import Article, ReadError
from analysis.readers.common import MAX_RECORD_BYTES, build_article, decode_bytes, guess_encoding

TEXT_FIELDS = ("text", "body", "content")
TITLE_FIELDS = ("title", "headline")
DATE_FIELDS = ("date", "published", "published_at")
_LIST_KEYS = ("articles", "items", "records", "data", "entries", "documents", "results")
_TEXT_NAMES = " or ".join(f"'{name}'" for name in TEXT_FIELDS)


def record_to_article(record: object, *, origin: str, where: str, default_id: str) -> Article | ReadError:
    """An Article from one record; `where` ("line 12 of feeds.jsonl") starts every error message."""
    if not isinstance(record, dict):
        return ReadError(origin, f"{where}: expected a JSON object with a {_TEXT_NAMES} field, "
                                 f"got {type(record).__name__}")
    fields = {str(key).strip().lower(): value for key, value in record.items() if key is not None}
    present = [key for key in TEXT_FIELDS if key in fields]
    # {"text": null, "body": "..."}: the first field that has something in it.
    body_key = next((key for key in present if fields[key] not in (None, "")),
                    present[0] if present else None)
    body = fields.get(body_key) if body_key else None
    if body is not None and not isinstance(body, (str, int, float)):
        return ReadError(origin, f"{where}: '{body_key}' is a {type(body).__name__}, expected text")
    body = "" if body is None else str(body)
    title = _first(fields, TITLE_FIELDS)
    dateline = fields.get("dateline")
    if isinstance(dateline, str) and dateline.strip() and body.strip():
        body = f"{dateline.strip()} {body.lstrip()}"
    if not body.strip() and not title:
        problem = f"empty '{body_key}'" if body_key else f"no {_TEXT_NAMES} field"
        return ReadError(origin, f"{where}: {problem} and no title")
    warnings = [] if body.strip() else ["no body text (title only)"]
    record_id = fields.get("id")
    return build_article(
        id=str(record_id).strip() if record_id not in (None, "") else default_id,
        title=title, text=body.strip("\n").rstrip(), origin=origin, date=_first(fields, DATE_FIELDS),
        date_source="field", source=fields.get("source"), url=fields.get("url"), warnings=warnings,
    )


def _first(fields: dict[str, object], names: tuple[str, ...]) -> str:
    for name in names:
        value = fields.get(name)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def iter_jsonl(stream: BinaryIO, *, label: str, stem: str) -> Iterator[Article | ReadError]:
    """One Article (or ReadError naming the line) per non-blank line of a JSON Lines stream."""
    records = 0
    for number, raw in numbered_lines(stream):
        if raw is None:
            yield line_too_long(label, number)
            continue
        if not raw.strip():
            continue
        records += 1
        yield jsonl_line_to_article(raw, label=label, stem=stem, number=number)
    if not records:
        yield no_records(label)


def jsonl_line_to_article(raw: bytes, *, label: str, stem: str, number: int) -> Article | ReadError:
    """One non-blank JSON Lines record (its bytes, line `number` of `label`) as an Article, or a
    ReadError naming the line. Used by iter_jsonl and by the scoring workers that parse lines
    themselves (analysis.score_files)."""
    origin, where = f"{label}:{number}", f"line {number} of {_display(label)}"
    try:
        line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError:
        line = raw.decode(guess_encoding(raw), errors="replace")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return ReadError(origin, f"{where}: not valid JSON ({error.msg} at column {error.colno})")
    return record_to_article(record, origin=origin, where=where, default_id=f"{stem}:{number}")


def line_too_long(label: str, number: int) -> ReadError:
    return ReadError(f"{label}:{number}", f"line {number} of {_display(label)}: longer than "
                                          f"{MAX_RECORD_BYTES // 2**20} MB, skipped")


def no_records(label: str) -> ReadError:
    return ReadError(label, f"{_display(label)}: no records (the file is empty or blank)")


def numbered_lines(stream: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) per line; bytes is None for a line over the record limit (skipped
    without holding it in memory)."""
    number = 0
    while True:
        raw = stream.readline(MAX_RECORD_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
            while (chunk := stream.readline(MAX_RECORD_BYTES)) and not chunk.endswith(b"\n"):
                pass
            yield number, None
            continue
        yield number, raw


def iter_json(data: bytes, *, label: str, stem: str) -> Iterator[Article | ReadError]:
    """Articles from a JSON document: an array of records, one record, or an object holding an
    array under "articles" / "items" / "records" / "data" / ...."""
    name = _display(label)
    try:
        document = json.loads(decode_bytes(data)[0])
    except json.JSONDecodeError as error:
        if error.msg == "Extra data" and error.lineno > 1:
            yield from iter_jsonl(io.BytesIO(data), label=label, stem=stem)  # JSON Lines named .json
            return
        yield ReadError(label, f"{name}: not valid JSON ({error.msg} at line {error.lineno}, "
                               f"column {error.colno})")
        return
    if isinstance(document, dict) and not any(key.lower() in TEXT_FIELDS for key in document):
        inner = next((document[key] for key in document if key.lower() in _LIST_KEYS
                      and isinstance(document[key], list)), None)
        if inner is None:
            yield ReadError(label, f"{name}: no {_TEXT_NAMES} field, and no list of articles under "
                                   f"{', '.join(repr(k) for k in _LIST_KEYS)}")
            return
        document = inner
    if isinstance(document, dict):
        yield record_to_article(document, origin=label, where=name, default_id=stem)
        return
    if not isinstance(document, list):
        yield ReadError(label, f"{name}: expected a JSON array or object, got {type(document).__name__}")
        return
    for number, record in enumerate(document, start=1):
        yield record_to_article(record, origin=f"{label}:{number}", where=f"item {number} of {name}",
                                default_id=f"{stem}:{number}")


def iter_csv(stream: BinaryIO, *, label: str, stem: str,
             delimiter: str | None = None) -> Iterator[Article | ReadError]:
    """One Article per CSV row; the header names the fields. A file without a text column is one
    ReadError; a row without text is a ReadError naming its line."""
    name = _display(label)
    head = stream.read(64 * 1024)
    encoding = _stream_encoding(head)
    rejoined = io.BufferedReader(_Prefixed(head, stream))
    lines: Iterator[str]
    if encoding.startswith(("utf-16", "utf_16", "utf-32", "utf_32")):  # b"\n" is not a line end there
        lines = io.TextIOWrapper(rejoined, encoding=encoding, errors="replace", newline="")
    else:
        lines = _BoundedLines(rejoined, encoding)
    first_line = head.split(b"\n", 1)[0].decode(encoding, errors="replace")
    delimiter = delimiter or max(",;\t|", key=first_line.count)
    csv.field_size_limit(MAX_RECORD_BYTES)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        yield ReadError(label, f"{name}: empty CSV file")
        return
    columns = [column.strip().lstrip("\ufeff").lower() for column in header]
    if not any(column in TEXT_FIELDS for column in columns):
        found = ", ".join(repr(c) for c in columns[:12]) or "none"
        yield ReadError(label, f"{name}: no {_TEXT_NAMES} column in the header (columns: {found})")
        return
    last_line, rows = reader.line_num, 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            if not rows:
                yield ReadError(label, f"{name}: no rows after the header")
            return
        except csv.Error as error:
            number = last_line + 1
            yield ReadError(f"{label}:{number}", f"line {number} of {name}: {error}")
            last_line = reader.line_num
            continue
        number, last_line = last_line + 1, reader.line_num
        if isinstance(lines, _BoundedLines) and lines.overlong:
            lines.overlong = 0
            yield ReadError(f"{label}:{number}", f"line {number} of {name}: field larger than field limit "
                                                 f"({MAX_RECORD_BYTES // 2**20} MB), skipped")
            continue
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        record = dict(zip(columns, row))  # a short (ragged) row leaves its last fields missing
        warnings = []
        if len(row) > len(columns):
            warnings.append(f"row has {len(row)} values but the header has {len(columns)}; extra ignored")
        origin, where = f"{label}:{number}", f"line {number} of {name}"
        item = record_to_article(record, origin=origin, where=where, default_id=f"{stem}:{number}")
        if warnings and isinstance(item, Article):
            item = replace(item, warnings=item.warnings + tuple(warnings))
        yield item


class _BoundedLines:
    """Decoded lines of a byte stream for csv.reader, each read with a bounded readline: a line over
    the record limit is skipped without being held in memory (it reads as a blank line, and
    `overlong` tells the caller to report it)."""

    def __init__(self, stream: BinaryIO, encoding: str) -> None:
        self._stream, self._encoding, self.overlong = stream, encoding, 0

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        raw = self._stream.readline(MAX_RECORD_BYTES + 1)
        if not raw:
            raise StopIteration
        if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
            while (chunk := self._stream.readline(MAX_RECORD_BYTES)) and not chunk.endswith(b"\n"):
                pass
            self.overlong += 1
            return "\n"
        return raw.decode(self._encoding, errors="replace")


def _stream_encoding(head: bytes) -> str:
    """The encoding of a streamed file, judged from its first bytes."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3:  # a multi-byte character cut by the sample's end
            return "utf-8"
    return guess_encoding(head)


class _Prefixed(io.RawIOBase):
    """A readable stream: `prefix` (already read, to sniff it) followed by the rest of `stream`."""

    def __init__(self, prefix: bytes, stream: BinaryIO) -> None:
        self._prefix, self._stream = prefix, stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self._prefix:
            count = min(len(buffer), len(self._prefix))
            buffer[:count] = self._prefix[:count]
            self._prefix = self._prefix[count:]
            return count
        data = self._stream.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def prefixed(prefix: bytes, stream: BinaryIO) -> BinaryIO:
    """`stream` with `prefix` put back in front of it (after sniffing its first bytes)."""
    return io.BufferedReader(_Prefixed(prefix, stream))


def _display(label: str) -> str:
    return label.replace("\\", "/").rsplit("/", 1)[-1]
