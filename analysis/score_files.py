"""Score input files on several cores, with reading and output formatting done in the workers.

`pipeline.score_articles` spreads Articles over processes, but its caller still reads and parses
every record, pickles each Article to a worker and handles each result: on short WCEP items that
parent share (~20% of the work) kept `--workers 2` far from 2x. Here the parent only cuts JSON Lines
files into chunks of raw lines; the workers decode, parse, score and format each line (`transform`,
e.g. ScoredArticle -> JSON line), and a chunk's results come back as one list, in input order.
With one worker the same chunks are handled in this process.

A chunk is handled in three passes (parse every line, score every article, format every result)
rather than line by line: each pass keeps its own code and tables in the CPU caches for the whole
chunk instead of evicting the others' on every line.

Inputs that are not plain JSON Lines files (CSV, HTML, zip, directories, stdin, ...) are read by
`analysis.ingest.iter_articles` in the parent as before and their Articles sent over in chunks.
Either way the items come back in input order; a ReadError keeps its place among them.
"""
from __future__ import annotations

import gzip
import multiprocessing as mp
from pathlib import Path
from typing import Callable, Iterable, Iterator

from analysis.ingest import JSONL_EXTENSIONS, guarded, split_name, iter_articles
from analysis.model import Article, ReadError, ScoredArticle
from analysis.pipeline import Engine, default_workers, leave_interrupts_to_the_parent
from analysis.readers import records
from analysis.readers.records import _display

# Records per task. Each task costs the parent ~1 ms whatever its size (pickling, pipes, thread
# hand-offs), so tasks grow to CHUNK_LINES (~140 KB of WCEP); they start at FIRST_CHUNK_LINES so
# that a short input still keeps every worker busy. A task also ends at CHUNK_BYTES of input: 256
# Reuters-length articles are ~130 ms of scoring, and the last task of a run keeps one worker busy
# alone while the other waits.
CHUNK_LINES = 256
CHUNK_BYTES = 160_000
FIRST_CHUNK_LINES = 16

# One raw JSON Lines record: (label, stem, line number, bytes); the worker turns it into an Article.
RawLine = tuple[str, str, int, bytes]
Entry = RawLine | Article | ReadError


def score_paths(paths: Iterable[str | Path], transform: Callable[[ScoredArticle], object],
                workers: int | None = None, data_dir: Path | None = None, user_dir: Path | None = None,
                chunk_lines: int = CHUNK_LINES, chunk_bytes: int = CHUNK_BYTES,
                engine: Engine | None = None) -> Iterator[list]:
    """Lists of `transform(scored)` results and ReadErrors, in input order (what iter_articles would
    yield, each Article scored and transformed). `workers` > 1 uses that many processes (default: all
    cores); `transform` must be picklable (a module-level function). A list holds one task's results
    (at most `chunk_lines`, or fewer once their input reaches `chunk_bytes`): write each as one block.
    Scores with `engine` when given (forked workers inherit it), else with one loaded from
    `data_dir` / `user_dir`."""
    workers = workers or default_workers()
    chunks = _chunks(paths, chunk_lines, chunk_bytes)
    if workers <= 1:
        score = (engine or Engine.load(data_dir, user_dir)).score
        for chunk in chunks:
            yield _score_entries(chunk, score, transform)
        return
    context = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    if context.get_start_method() == "fork":
        # Forked workers inherit an Engine loaded once here (fork passes initargs without pickling)
        # instead of each reading the dictionaries again.
        initargs = (engine or Engine.load(data_dir, user_dir), None, None, transform)
    else:
        initargs = (None, data_dir and str(data_dir), user_dir and str(user_dir), transform)
    with context.Pool(workers, initializer=_init_worker, initargs=initargs) as pool:
        yield from pool.imap(_score_chunk, chunks, chunksize=1)


def _chunks(paths: Iterable[str | Path], largest: int, most_bytes: int = CHUNK_BYTES) -> Iterator[list[Entry]]:
    """The input as lists of entries, in order: FIRST_CHUNK_LINES long at first, doubling up to
    `largest`; a list also ends once its raw lines (or Articles' texts) reach `most_bytes`."""
    size = min(FIRST_CHUNK_LINES, largest)
    batch: list[Entry] = []
    held = 0
    for entry in _entries(paths):
        batch.append(entry)
        kind = type(entry)
        held += len(entry[3]) if kind is tuple else len(entry.text) if kind is Article else 0
        if len(batch) >= size or held >= most_bytes:
            yield batch
            batch = []
            held = 0
            size = min(size * 2, largest)
    if batch:
        yield batch


def _entries(paths: Iterable[str | Path]) -> Iterator[Entry]:
    for path in paths:
        file = Path(path)
        if str(path) != "-" and _is_jsonl_file(file):
            yield from guarded(str(file), lambda file=file: _raw_jsonl(file))
        else:
            yield from iter_articles([path])


def _is_jsonl_file(path: Path) -> bool:
    return split_name(path.name)[1] in JSONL_EXTENSIONS and path.is_file()


def _raw_jsonl(path: Path) -> Iterator[RawLine | ReadError]:
    """The non-blank lines of a JSON Lines file (optionally .gz) as RawLines, with the ReadErrors
    `ingest._read_file` + `records.iter_jsonl` give for an empty file, an overlong line or no records.
    tests/test_pipeline_files.py checks the two paths agree, item for item."""
    label = str(path)
    stem, _ext, gzipped = split_name(path.name)
    if path.stat().st_size == 0:
        yield ReadError(label, f"{path.name}: empty file")
        return
    found = 0
    with open(path, "rb") as raw:
        stream = gzip.GzipFile(fileobj=raw) if gzipped else raw
        for number, line in records.numbered_lines(stream):
            if line is None:
                yield records.line_too_long(label, number)
            elif line.strip():
                found += 1
                yield label, stem, number, line
    if not found:
        yield records.no_records(label)


def _parse_line(label: str, stem: str, number: int, raw: bytes) -> Article | ReadError:
    """One JSON Lines record, exactly as records.iter_jsonl reads it."""
    return records.jsonl_line_to_article(raw, label=label, stem=stem, number=number)


_worker_engine: Engine | None = None
_worker_transform: Callable[[ScoredArticle], object] | None = None


def _init_worker(engine: Engine | None, data_dir: str | None, user_dir: str | None,
                 transform: Callable[[ScoredArticle], object]) -> None:
    global _worker_engine, _worker_transform
    leave_interrupts_to_the_parent()
    _worker_engine = engine or Engine.load(data_dir and Path(data_dir), user_dir and Path(user_dir))
    _worker_transform = transform


def _score_chunk(entries: list[Entry]) -> list:
    return _score_entries(entries, _worker_engine.score, _worker_transform)


def _score_entries(entries: list[Entry], score: Callable[[Article], ScoredArticle],
                   transform: Callable[[ScoredArticle], object]) -> list:
    """Each entry parsed, scored and transformed (a ReadError kept in its place), in three passes."""
    items = [_parsed(entry) if type(entry) is tuple else entry for entry in entries]
    scored = [item if isinstance(item, ReadError) else score(item) for item in items]
    return [item if isinstance(item, ReadError) else transform(item) for item in scored]


def _parsed(entry: RawLine) -> Article | ReadError:
    """One raw line as an Article, or the ReadError ingest.guarded would report for it."""
    try:
        return _parse_line(*entry)
    except Exception as error:  # noqa: BLE001 - like ingest.guarded: a bad record is reported
        label, _stem, number, _raw = entry
        return ReadError(f"{label}:{number}", f"line {number} of {_display(label)}: could not "
                                              f"be read ({type(error).__name__}: {error})")
