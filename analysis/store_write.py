"""Writing scored articles into the store: one transaction per batch, idempotent, resumable.

`ingest_scored` takes ScoredArticle records from anywhere (the local pipeline, a Dask run's Parquet
output, a re-score); `ingest_paths` reads and scores files first and then shares the same path.
Each batch commits its articles, sentences, pair signals, evidence, story bands and the run's
counters together (see `analysis.store` on atomicity and on readers during a write); the derived
tables are rebuilt once at the end (`analysis.aggregate.refresh_derived`).

`analysis.store` re-exports the public names here, so `from analysis.store import ingest_scored`
keeps working.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import NamedTuple

import duckdb
import orjson
import pyarrow as pa

from analysis import stories
from analysis.model import ScoredArticle
from analysis.store import _alive, _now, content_hash, get_meta, rollback, set_meta, writing

# Rows: ScoredArticle -> Arrow tables, one per store table

_STR_LIST = pa.list_(pa.string())
ARTICLE_SCHEMA = pa.schema([
    ("id", pa.string()), ("raw_hash", pa.string()), ("source_id", pa.string()),
    ("story_id", pa.string()), ("date", pa.date32()), ("date_source", pa.string()),
    ("own_date", pa.date32()), ("own_date_source", pa.string()),
    ("source", pa.string()), ("url", pa.string()), ("origin", pa.string()), ("title", pa.string()),
    ("text", pa.string()), ("language", pa.string()), ("countries", _STR_LIST),
    ("mentions", _STR_LIST), ("venues", _STR_LIST), ("sentiment", pa.float64()),
    ("escalation", pa.float64()), ("cooperation", pa.float64()), ("tension", pa.float64()),
    ("keywords", pa.string()), ("warnings", _STR_LIST), ("removed", pa.string()),
    ("cited_sources", _STR_LIST), ("method_version", pa.string()), ("run_id", pa.string()),
    ("ingested_at", pa.timestamp("us")),
])
SENTENCE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("idx", pa.int32()), ("text", pa.string()),
    ("parties", _STR_LIST), ("venues", _STR_LIST), ("organisations", _STR_LIST),
    ("actors", pa.string()), ("keywords", pa.string()), ("terms", _STR_LIST),
    ("sentiment", pa.float64()), ("escalation", pa.float64()), ("cooperation", pa.float64()),
])
PAIR_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("pair", pa.string()), ("a", pa.string()), ("b", pa.string()),
    ("sentences", pa.int32()), ("sentiment", pa.float64()), ("escalation", pa.float64()),
    ("cooperation", pa.float64()), ("tension", pa.float64()), ("stance", pa.string()),
    ("keywords", _STR_LIST), ("direction", pa.string()),
])
EVIDENCE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("pair", pa.string()), ("sentence", pa.int32()),
    ("text", pa.string()), ("keywords", _STR_LIST), ("sentiment", pa.float64()),
    ("tension", pa.float64()), ("stance", pa.string()),
])


def _json(items) -> str:
    """A JSON list of records' fields (orjson, straight from the records); '[]' without encoding
    when empty (most lists are)."""
    if not items:
        return "[]"
    return orjson.dumps(items).decode()


def _as_date(value: str | None):
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class ArticleExtras:
    """What the store keeps about an article that a ScoredArticle does not carry."""

    raw_hash: str | None = None
    language: str | None = None


class PreparedArticle(NamedTuple):
    """One scored article as store rows (tuples in the column order of `_ARTICLE_FIELDS`,
    `SENTENCE_SCHEMA`, `PAIR_SCHEMA`, `EVIDENCE_SCHEMA`) with its story fingerprint.

    `prepare_article` builds it where the article is scored (a scoring worker), so the writing
    process only stacks columns: row building, JSON and MinHash run in parallel. Columns that
    depend on the batch (story id, run, time) or on the reader (raw hash) are added by the writer.
    Tuples, not records, because one crosses between processes per article.
    """

    id: str  # content hash of the cleaned title and text: the store's key
    article: tuple
    sentences: tuple[tuple, ...]
    pairs: tuple[tuple, ...]
    evidence: tuple[tuple, ...]
    fingerprint: stories.Fingerprint


# The article columns a PreparedArticle carries; `date`/`date_source` are stored twice (as the
# effective and the article's own date) and the rest come from the batch or the reader.
_ARTICLE_FIELDS = (
    "source_id", "own_date", "own_date_source", "source", "url", "origin", "title", "text",
    "language", "countries", "mentions", "venues", "sentiment", "escalation", "cooperation",
    "tension", "keywords", "warnings", "removed", "cited_sources")


def prepare_article(article: ScoredArticle,
                    fingerprint: stories.Fingerprint | None = None) -> PreparedArticle:
    """ScoredArticle -> its store rows and story fingerprint (computed here unless given).

    Picklable, for `score_articles(..., transform=prepare_article)`.
    """
    article_id = content_hash(article.title, article.text or _joined(article))
    own_date = _as_date(article.date)
    row = (
        article.id, own_date, article.date_source if own_date else "none", article.source,
        article.url, article.origin, article.title, article.text, article.language,
        article.countries, article.mentions, article.venues, article.sentiment,
        article.escalation, article.cooperation, article.tension, _json(article.keywords),
        article.warnings, _json(article.removed), article.cited_sources,
    )
    sentences = tuple(
        (article_id, sentence.index, sentence.text, sentence.parties, sentence.venues,
         sentence.organisations, _json(sentence.actors), _json(sentence.keywords),
         [keyword.term for keyword in sentence.keywords], sentence.sentiment,
         sentence.escalation, sentence.cooperation)
        for sentence in article.sentences)
    pairs = []
    evidence = []
    for signal in article.pairs:
        first, _, second = signal.pair.partition("-")
        pairs.append((article_id, signal.pair, first, second, signal.sentences, signal.sentiment,
                      signal.escalation, signal.cooperation, signal.tension, signal.stance,
                      signal.keywords, signal.direction))
        for item in signal.evidence:
            evidence.append((article_id, signal.pair, item.sentence, item.text, item.keywords,
                             item.sentiment, signal.tension, signal.stance))
    return PreparedArticle(article_id, row, sentences, tuple(pairs), tuple(evidence),
                           fingerprint or stories.fingerprint(article))


def prepare_articles(articles: list[ScoredArticle]) -> list[PreparedArticle]:
    """`prepare_article` for many articles, their fingerprints computed in one numpy pass."""
    return [prepare_article(article, fingerprint)
            for article, fingerprint in zip(articles, stories.fingerprints(articles))]


def _columns(rows: list[tuple], schema: pa.Schema, names: tuple[str, ...] | None = None
             ) -> dict[str, list]:
    """Row tuples -> {column name: values} for the named (default: all) columns of `schema`."""
    names = names or tuple(schema.names)
    return dict(zip(names, map(list, zip(*rows)))) if rows else {name: [] for name in names}


def _table(columns: dict[str, list | pa.Array], schema: pa.Schema) -> pa.Table:
    """{column name: values or an Arrow array} -> an Arrow table with `schema`'s types."""
    return pa.Table.from_arrays(
        [values if isinstance(values, pa.Array) else pa.array(values, schema.field(name).type)
         for name, values in ((name, columns[name]) for name in schema.names)], schema=schema)


def _article_table(fresh: list[tuple[PreparedArticle, ArticleExtras]], story_of: dict[str, str],
                   run_id: str, method_version: str, now: datetime) -> pa.Table:
    columns = _columns([prepared.article for prepared, _ in fresh], ARTICLE_SCHEMA,
                       _ARTICLE_FIELDS)
    ids = [prepared.id for prepared, _ in fresh]
    count = len(ids)
    own_date = pa.array(columns.pop("own_date"), pa.date32())
    own_date_source = pa.array(columns.pop("own_date_source"), pa.string())
    columns.update(
        id=ids, raw_hash=[extras.raw_hash for _, extras in fresh],
        story_id=[story_of[article_id] for article_id in ids],
        date=own_date, date_source=own_date_source,
        own_date=own_date, own_date_source=own_date_source,
        language=[extras.language or language
                  for (_, extras), language in zip(fresh, columns["language"])],
        method_version=[method_version] * count, run_id=[run_id] * count,
        ingested_at=[now] * count)
    return _table(columns, ARTICLE_SCHEMA)


# ---------------------------------------------------------------------------------------------
# Writing


@dataclass
class IngestSummary:
    """What one ingest run did; `errors` lists each unreadable input as 'origin: why'."""

    run_id: str
    read: int = 0
    new: int = 0
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {"run_id": self.run_id, "read": self.read, "new": self.new,
                "duplicates": self.duplicates, "errors": len(self.errors),
                "seconds": round(self.seconds, 2)}


def start_run(db: str | os.PathLike | None, paths: Iterable[str], method_version: str) -> str:
    """Record a new ingest run (status 'running') and return its id (time and pid).

    Runs still 'running' whose process is gone were killed: they become 'interrupted'.
    """
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f") + f"-{os.getpid()}"
    with writing(db) as conn:
        running = [row[0] for row in conn.execute(
            "SELECT run_id FROM ingest_runs WHERE status = 'running'").fetchall()]
        gone = [run for run in running if not _alive(_pid_of(run))]
        if gone:
            conn.execute("UPDATE ingest_runs SET status = 'interrupted' "
                         "WHERE list_contains(?, run_id)", [gone])
        conn.execute("INSERT INTO ingest_runs (run_id, started_at, status, paths, method_version) "
                     "VALUES (?, ?, 'running', ?, ?)", [run_id, _now(), list(paths), method_version])
    return run_id


def _pid_of(run_id: str) -> int:
    try:
        return int(run_id.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return 0


@dataclass
class ReadTally:
    """What an upstream reader saw: items read, duplicates skipped before scoring, read errors.

    The ingest drains it at each batch so the run's counters commit with the batch they belong to.
    """

    read: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def write_batch(conn: duckdb.DuckDBPyConnection,
                batch: list[tuple[ScoredArticle | PreparedArticle, ArticleExtras]],
                run_id: str, method_version: str, read_count: int, skipped: int,
                errors: list[str]) -> tuple[int, int]:
    """Write one batch in one transaction: new articles with their rows, stories, run counters.

    Articles come scored or already prepared (`prepare_article`, e.g. in a scoring worker).

    `read_count`, `skipped` (duplicates dropped before scoring) and `errors` are what the reader saw
    since the previous batch; they go into the run's counters in the same transaction.
    Returns (new, duplicates in this batch).
    """
    batch = _prepared(batch)
    conn.execute("BEGIN TRANSACTION")
    try:
        known = _known_ids(conn, [prepared.id for prepared, _ in batch])
        fresh: list[tuple[PreparedArticle, ArticleExtras]] = []
        seen: set[str] = set()
        for prepared, extras in batch:
            if prepared.id in known or prepared.id in seen:
                continue
            seen.add(prepared.id)
            fresh.append((prepared, extras))
        duplicates = len(batch) - len(fresh) + skipped
        story_of = stories.assign_stories(conn, [(prepared.id, prepared.fingerprint)
                                                 for prepared, _ in fresh])
        if fresh:
            frame = _article_table(fresh, story_of, run_id, method_version, _now())  # noqa: F841
            conn.execute("INSERT INTO articles BY NAME SELECT * FROM frame")
        for table, schema, part in (("sentences", SENTENCE_SCHEMA, "sentences"),
                                    ("pair_signals", PAIR_SCHEMA, "pairs"),
                                    ("evidence", EVIDENCE_SCHEMA, "evidence")):
            rows = [row for prepared, _ in fresh for row in getattr(prepared, part)]
            if rows:
                frame = _table(_columns(rows, schema), schema)  # noqa: F841 (read by DuckDB)
                conn.execute(f"INSERT INTO {table} BY NAME SELECT * FROM frame")
        if errors:
            error_rows = pa.Table.from_pylist(  # noqa: F841 (read by DuckDB)
                [{"run_id": run_id, "origin": e.partition(": ")[0], "message": e.partition(": ")[2]}
                 for e in errors])
            conn.execute("INSERT INTO ingest_errors BY NAME SELECT * FROM error_rows")
        conn.execute("UPDATE ingest_runs SET read = read + ?, new = new + ?, "
                     "duplicates = duplicates + ?, errors = errors + ? WHERE run_id = ?",
                     [read_count, len(fresh), duplicates, len(errors), run_id])
        if fresh:
            set_meta(conn, "derived_stale", "1")
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise
    return len(fresh), duplicates


def _prepared(batch: list[tuple[ScoredArticle | PreparedArticle, ArticleExtras]]
              ) -> list[tuple[PreparedArticle, ArticleExtras]]:
    """The batch with every ScoredArticle turned into a PreparedArticle (in one pass)."""
    todo = [index for index, (item, _) in enumerate(batch) if not isinstance(item, PreparedArticle)]
    if not todo:
        return batch
    out = list(batch)
    for index, prepared in zip(todo, prepare_articles([batch[index][0] for index in todo])):
        out[index] = (prepared, batch[index][1])
    return out


def _joined(article: ScoredArticle) -> str:
    return "\n".join(sentence.text for sentence in article.sentences)


def _known_ids(conn: duckdb.DuckDBPyConnection, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    wanted = pa.table({"id": ids})  # noqa: F841 (read by DuckDB)
    return {row[0] for row in conn.execute(
        "SELECT a.id FROM articles a JOIN wanted w ON a.id = w.id").fetchall()}


def known_raw_hashes(db: str | os.PathLike | None) -> set[str]:
    """Raw-text hashes already stored: lets an ingest skip scoring what it has seen."""
    with writing(db) as conn:
        return {row[0] for row in conn.execute(
            "SELECT raw_hash FROM articles WHERE raw_hash IS NOT NULL").fetchall()}


def serialised(function: Callable) -> Callable:
    """`function(db, ...)` run while holding the store's writer lock (see store.writer_lock)."""
    import functools

    from analysis.store import writer_lock

    @functools.wraps(function)
    def holding_the_lock(db, *args, **kwargs):
        with writer_lock(db):
            return function(db, *args, **kwargs)
    return holding_the_lock


def ingest_scored(db: str | os.PathLike | None,
                  records: Iterable[ScoredArticle | PreparedArticle
                                    | tuple[ScoredArticle | PreparedArticle, ArticleExtras]],
                  *, paths: Iterable[str] = (), batch_size: int = 2000,
                  method_version: str | None = None, tally: ReadTally | None = None,
                  progress: Callable[[int], None] | None = None) -> IngestSummary:
    """Store scored articles (e.g. a Dask run's output) in batches; refresh derived tables at the end.

    `records` yields ScoredArticle or PreparedArticle, alone or paired with its ArticleExtras.
    `tally`, when given, is
    kept up to date by the upstream reader (items read, duplicates skipped, read errors); without
    it every record counts as read. `progress(n)` is called with the records written per batch.
    Returns the run's IngestSummary.
    """
    from analysis import METHOD_VERSION
    from analysis.aggregate import refresh_derived

    method_version = method_version or METHOD_VERSION
    started = time.monotonic()
    run_id = start_run(db, paths, method_version)
    summary = IngestSummary(run_id=run_id)
    own_tally = tally is None
    tally = tally or ReadTally()
    batch: list[tuple[ScoredArticle | PreparedArticle, ArticleExtras]] = []
    committed_read = committed_skipped = 0

    def flush() -> None:
        nonlocal committed_read, committed_skipped
        errors, tally.errors[:] = list(tally.errors), []
        read, skipped = tally.read, tally.skipped
        if not batch and not errors and read == committed_read:
            return
        with writing(db) as conn:
            new, duplicates = write_batch(conn, batch, run_id, method_version,
                                          read - committed_read, skipped - committed_skipped,
                                          errors)
        committed_read, committed_skipped = read, skipped
        summary.read = read
        summary.new += new
        summary.duplicates += duplicates
        summary.errors.extend(errors)
        if progress and batch:
            progress(len(batch))
        batch.clear()

    for record in records:
        if own_tally:
            tally.read += 1
        batch.append((record, ArticleExtras())
                     if isinstance(record, (ScoredArticle, PreparedArticle)) else record)
        if len(batch) >= batch_size:
            flush()
    flush()
    with writing(db) as conn:
        if get_meta(conn, "derived_stale") != "0":
            refresh_derived(conn)
        conn.execute("UPDATE ingest_runs SET status = 'done', finished_at = ? WHERE run_id = ?",
                     [_now(), run_id])
    summary.seconds = time.monotonic() - started
    return summary


@serialised
def ingest_paths(db: str | os.PathLike | None, paths: Iterable[str | os.PathLike], *,
                 workers: int | None = 1, batch_size: int = 2000, progress: bool = False,
                 engine=None) -> IngestSummary:
    """Read, score and store files and folders (any format the readers know, .zip too, and the
    Parquet output directory of a Dask scoring run). Returns the IngestSummary.

    Articles whose text is already stored are skipped before scoring; read errors are recorded per
    file (and line) in the run. `progress` shows a tqdm bar on stderr.
    """
    from collections import deque
    from itertools import chain

    from tqdm import tqdm

    from analysis.distributed import is_scored_dir, read_scored_dir
    from analysis.ingest import iter_articles
    from analysis.model import ReadError
    from analysis.pipeline import score_articles

    paths = [Path(path) for path in paths]
    scored_dirs = [path for path in paths if path.is_dir() and is_scored_dir(path)]
    inputs = [path for path in paths if path not in scored_dirs]
    tally = ReadTally()
    known = known_raw_hashes(db)
    seen: set[str] = set()
    pending: deque[ArticleExtras] = deque()
    bar = tqdm(desc="ingest", unit=" articles", disable=not progress, mininterval=0.5,
               file=sys.stderr)

    def fresh_articles():
        for item in iter_articles(inputs):
            if isinstance(item, ReadError):
                tally.errors.append(str(item))
                continue
            tally.read += 1
            bar.update(1)
            raw_hash = content_hash(item.title, item.text)
            if raw_hash in known or raw_hash in seen:
                tally.skipped += 1
                continue
            seen.add(raw_hash)
            pending.append(ArticleExtras(raw_hash=raw_hash, language=item.language))
            yield item

    def scored_from_text():
        if not inputs:
            return
        # Rows, JSON and story fingerprints are built next to the scoring, in the workers: this
        # process only stacks columns and writes, so it keeps up with the workers.
        for prepared in score_articles(fresh_articles(), workers=workers, engine=engine,
                                       transform=prepare_article):
            yield prepared, pending.popleft()

    def scored_from_dirs():
        for directory in scored_dirs:
            for scored in read_scored_dir(directory):
                tally.read += 1
                bar.update(1)
                yield scored, ArticleExtras()

    try:
        return ingest_scored(db, chain(scored_from_dirs(), scored_from_text()),
                             paths=[str(path) for path in paths], batch_size=batch_size,
                             tally=tally)
    finally:
        bar.close()
