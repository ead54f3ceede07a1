"""Read articles from files, directories, archives or stdin: paths in, `Article`s out, in input order.

    for item in iter_articles(["news/", "feeds.csv", "-"]):
        if isinstance(item, ReadError): report(item)      # "line 12 of feeds.csv: no 'text' ..."
        else: score(item)

Nothing raises on bad input: each problem is a `ReadError` naming the file (and line) and reading
goes on. The format comes from the extension (.txt .md .jsonl .json .csv .tsv .html .htm .zip, each
also .gz); files with another extension, and stdin, are sniffed. Archives are read in memory, never
extracted to disk.
"""
from __future__ import annotations

import csv
import gzip
import io
import os
import sys
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Callable, Iterable, Iterator

from analysis.model import Article, ReadError
from analysis.readers.common import (
    MAX_ARCHIVE_BYTES, MAX_COMPRESSION_RATIO, MAX_FILE_BYTES, MB, NotText, decode_bytes,
)
from analysis.readers.html import parse_html_article
from analysis.readers.records import iter_csv, iter_json, iter_jsonl, prefixed
from analysis.readers.textfile import parse_text_article

TEXT_EXTENSIONS = {".txt", ".md", ".markdown", ".text"}
JSONL_EXTENSIONS = {".jsonl", ".ndjson", ".jsonlines"}
JSON_EXTENSIONS = {".json"}
CSV_EXTENSIONS = {".csv", ".tsv"}
HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
ZIP_EXTENSIONS = {".zip"}
KNOWN_EXTENSIONS = (TEXT_EXTENSIONS | JSONL_EXTENSIONS | JSON_EXTENSIONS | CSV_EXTENSIONS
                    | HTML_EXTENSIONS | ZIP_EXTENSIONS)
_STREAMED = JSONL_EXTENSIONS | CSV_EXTENSIONS
_MIN_BOMB_BYTES = 10 * MB  # below this, a highly compressible archive is just repetitive text
_SNIFF_BYTES = 64 * 1024
_FORMATS_HINT = "expected .txt, .md, .jsonl, .json, .csv, .html or .zip (optionally .gz)"

Item = Article | ReadError


def iter_articles(paths: Iterable[str | Path]) -> Iterator[Item]:
    """Articles from each path in order: a file, a directory (recursive: a folder's files sorted by
    name, then its subfolders; hidden files and folders skipped) or "-" for stdin. Problems are
    yielded as ReadError; this never raises on bad input."""
    for path in paths:
        if str(path) == "-":
            yield from guarded("<stdin>", lambda: _read_stdin())
            continue
        path = Path(path)
        if path.is_dir():
            for file in _walk(path):
                yield from guarded(str(file), lambda file=file: _read_file(file))
        elif path.is_file():
            yield from guarded(str(path), lambda: _read_file(path))
        elif not path.exists():
            yield ReadError(str(path), f"{path}: no such file or directory")
        else:
            yield ReadError(str(path), f"{path}: not a regular file or directory")


def guarded(label: str, read: Callable[[], Iterator[Item]]) -> Iterator[Item]:
    """Run one file's reader; any failure becomes a ReadError instead of ending the run (items the
    file yielded before the failure are kept)."""
    try:
        yield from read()
    except PermissionError:
        yield ReadError(label, f"{_display(label)}: permission denied")
    except NotText as error:
        yield ReadError(label, f"{_display(label)}: {error}; {_FORMATS_HINT}")
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        yield ReadError(label, f"{_display(label)}: compressed data is corrupt or truncated ({error})")
    except _TooLarge as error:
        yield ReadError(label, f"{_display(label)}: {error}")
    except (OSError, ValueError, RuntimeError, zipfile.BadZipFile, csv.Error) as error:
        yield ReadError(label, f"{_display(label)}: could not be read ({type(error).__name__}: {error})")
    except Exception as error:  # noqa: BLE001 - the contract is "never raises on bad input"
        yield ReadError(label, f"{_display(label)}: could not be read, unexpected {type(error).__name__}: "
                               f"{error}")


def _walk(directory: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def split_name(name: str) -> tuple[str, str, bool]:
    """(stem, format extension, gzipped) for "a/b/feed.jsonl.gz" -> ("feed", ".jsonl", True)."""
    pure = PurePosixPath(name.replace("\\", "/"))
    gzipped = pure.suffix.lower() == ".gz"
    if gzipped:
        pure = pure.with_suffix("")
    return pure.stem, pure.suffix.lower(), gzipped


def _read_file(path: Path) -> Iterator[Item]:
    label = str(path)
    stem, ext, gzipped = split_name(path.name)
    size = path.stat().st_size
    if size == 0:
        yield ReadError(label, f"{path.name}: empty file")
        return
    if not gzipped and ext not in _STREAMED and ext not in ZIP_EXTENSIONS and size > MAX_FILE_BYTES:
        yield ReadError(label, f"{path.name}: {size / MB:.0f} MB is over the {MAX_FILE_BYTES // MB} MB "
                               "limit for a single text file; split it, or use JSON Lines (streamed)")
        return
    if ext in ZIP_EXTENSIONS and not gzipped:
        with zipfile.ZipFile(path) as archive:
            yield from _read_zip(archive, label, depth=1)
        return
    with open(path, "rb") as raw:
        stream: BinaryIO = gzip.GzipFile(fileobj=raw) if gzipped else raw  # type: ignore[assignment]
        yield from _read_stream(stream, label=label, stem=stem, ext=ext, depth=0)


def _read_stdin() -> Iterator[Item]:
    yield from _read_stream(sys.stdin.buffer, label="<stdin>", stem="stdin", ext="", depth=0)


def _read_stream(stream: BinaryIO, *, label: str, stem: str, ext: str, depth: int,
                 gunzipped: bool = False) -> Iterator[Item]:
    """Dispatch one byte stream to its reader by extension, sniffing the content when unknown.
    `depth` counts the archives this stream is inside (a member of a top-level .zip is 1)."""
    if ext not in KNOWN_EXTENSIONS:
        head = stream.read(_SNIFF_BYTES)
        if not head:
            yield ReadError(label, f"{_display(label)}: empty file")
            return
        if head[:2] == b"\x1f\x8b" and not gunzipped:
            inner = gzip.GzipFile(fileobj=prefixed(head, stream))
            yield from _read_stream(inner, label=label, stem=stem, ext="", depth=depth, gunzipped=True)
            return
        ext = _sniff(head)
        stream = prefixed(head, stream)
    if ext in JSONL_EXTENSIONS:
        yield from iter_jsonl(stream, label=label, stem=stem)
        return
    if ext in CSV_EXTENSIONS:
        yield from iter_csv(stream, label=label, stem=stem, delimiter="\t" if ext == ".tsv" else None)
        return
    data = _read_limited(stream, MAX_FILE_BYTES, what="a single text file")
    if not data.strip():
        yield ReadError(label, f"{_display(label)}: empty file")
        return
    if ext in ZIP_EXTENSIONS:
        if depth >= 2:
            yield ReadError(label, f"{_display(label)}: archive nested more than one level deep, skipped")
            return
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            yield from _read_zip(archive, label, depth=depth + 1)
        return
    if ext in JSON_EXTENSIONS:
        yield from iter_json(data, label=label, stem=stem)
        return
    text, _encoding = decode_bytes(data)
    if ext in HTML_EXTENSIONS:
        yield parse_html_article(text, article_id=stem, origin=label)
    else:
        yield parse_text_article(text, article_id=stem, origin=label)


def _sniff(head: bytes) -> str:
    """The format extension that fits these first bytes (binary data raises NotText)."""
    if head.startswith(b"PK\x03\x04"):
        return ".zip"
    text, _ = decode_bytes(head)  # raises NotText for binary
    stripped = text.lstrip("\ufeff \t\r\n")
    first_line = stripped.split("\n", 1)[0].strip()
    if stripped.startswith("{"):
        return ".jsonl" if first_line.endswith("}") else ".json"
    if stripped.startswith("["):
        return ".json"
    lowered = stripped[:1000].lower()
    if lowered.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in lowered:
        return ".html"
    header = [cell.strip().strip('"').lower() for cell in
              first_line.replace("\t", ",").replace(";", ",").split(",")]
    if len(header) > 1 and any(cell in ("text", "body", "content") for cell in header):
        return ".tsv" if "\t" in first_line else ".csv"
    return ".txt"


def _read_zip(archive: zipfile.ZipFile, label: str, depth: int) -> Iterator[Item]:
    """Every member of an open archive, in name order, read in memory (never extracted): unsafe
    names, encrypted members and members past the size and ratio limits become ReadErrors."""
    budget = MAX_ARCHIVE_BYTES
    # The ratio of the archive as a whole: many members just under the per-member check add up too.
    packed, expanded = sum(i.compress_size for i in archive.infolist()) or 1, 0
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if info.is_dir() or any(p.startswith(".") and p not in (".", "..") for p in parts) \
                or "__MACOSX" in parts:
            continue
        member = f"{label}!{name}"
        if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            yield ReadError(member, f"{_display(label)}: unsafe path {name!r} in archive "
                                    "(absolute or '..'), skipped")
            continue
        if info.compress_size and info.file_size > MB \
                and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
            yield ReadError(member, f"{name}: expands {info.file_size // info.compress_size}x "
                                    "(a zip bomb?), skipped")
            continue
        expanded += info.file_size
        if expanded > _MIN_BOMB_BYTES and expanded > MAX_COMPRESSION_RATIO * packed:
            yield ReadError(member, f"{_display(label)}: the archive expands more than "
                                    f"{MAX_COMPRESSION_RATIO}x (a zip bomb?); stopped at {name!r}")
            return
        if info.file_size > budget:
            yield ReadError(member, f"{_display(label)}: archive expands to more than "
                                    f"{MAX_ARCHIVE_BYTES // MB} MB; stopped at {name!r}")
            return
        stem, ext, gzipped = split_name(name)

        def read_member(info=info, member=member, stem=stem, ext=ext, gzipped=gzipped) -> Iterator[Item]:
            # Declared sizes can lie: the limiter counts the bytes actually decompressed.
            with archive.open(info) as opened:
                limited = io.BufferedReader(_Limited(opened, budget, what="the archive's total size"))
                stream = gzip.GzipFile(fileobj=limited) if gzipped else limited
                yield from _read_stream(stream, label=member, stem=stem, ext=ext, depth=depth)  # type: ignore[arg-type]
        yield from guarded(member, read_member)
        budget -= info.file_size


class _TooLarge(Exception):
    pass


class _Limited(io.RawIOBase):
    """A stream that fails with _TooLarge once more than `limit` bytes have been read from it."""

    def __init__(self, stream: BinaryIO, limit: int, what: str) -> None:
        self._stream, self._left, self._limit, self._what = stream, limit, limit, what

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self._stream.read(min(len(buffer), self._left + 1))
        if len(data) > self._left:
            raise _TooLarge(f"more than {self._limit // MB} MB, over the limit for {self._what}")
        self._left -= len(data)
        buffer[:len(data)] = data
        return len(data)


def _read_limited(stream: BinaryIO, limit: int, what: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _TooLarge(f"more than {limit // MB} MB, over the limit for {what}; split it, or use "
                        "JSON Lines (streamed)")
    return data


def _display(label: str) -> str:
    return label.replace("\\", "/").rsplit("/", 1)[-1]
