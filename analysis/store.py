"""The embedded DuckDB store: schema and migrations, connections, and idempotent batch writes.

Where: `data/faultline.duckdb` by default, or `FAULTLINE_DB`, or an explicit path (`--db`).

Readers while writing. DuckDB lets one process hold a file open for writing, and while it does every
other process fails to open the file at all ("Could not set lock on file"). So nobody keeps the file
open: the writer opens it for one batch (one transaction), commits and closes; readers open it
read-only for one query and close. Both sides retry with a short backoff when the lock is held, so a
dashboard never crashes during an ingest: a query waits at most for one batch to commit, and sees
new data as soon as it has. So that busy readers cannot starve the writer, the writer announces
itself in a `<store>.write-intent` file while it wants or holds the file, and readers hold back
while it is there (a note left by a killed writer is ignored). Derived tables (stories, daily and period aggregates) are rebuilt in one
transaction at the end of each ingest, so a reader sees the aggregates of the previous ingest or of
the new one, never a mix.

Atomicity. Each batch (articles, their sentences, pair signals, evidence, story bands, and the ingest
run's counters) is written in one transaction: a process killed at any moment leaves either all of a
batch or none of it. Articles are keyed by a hash of their cleaned title and text, so a re-run skips
what is already stored and completes the rest.
"""
from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from analysis.db_path import DEFAULT_DB, resolve_db_path  # noqa: F401 (part of this API)

LOCK_TIMEOUT_SECONDS = 120.0


class StoreNotFound(FileNotFoundError):
    """The store file does not exist yet."""


def _is_lock_error(error: Exception) -> bool:
    """Another process holds the file, or (in this process) a connection of the other mode is
    open, e.g. the dashboard ingesting an upload while another session reads."""
    text = str(error).lower()
    return (("lock" in text and ("conflicting" in text or "could not set" in text))
            or "different configuration" in text)


def _open_with_retry(path: Path, read_only: bool, timeout: float) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting while another process (or mode) holds it. DuckDB's progress bar is
    turned off: drawn on stdout, it would land inside a command's CSV output."""
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        if read_only:
            _wait_for_writer(path, deadline)
        try:
            conn = duckdb.connect(str(path), read_only=read_only)
            conn.execute("SET enable_progress_bar = false")
            return conn
        except duckdb.Error as error:
            if not _is_lock_error(error) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            # A writer retries fast: between two readers' queries the file is free only briefly.
            delay = 0.005 if not read_only else min(delay * 1.5, 0.1)


# Writer priority. Readers open the file many times a second; a writer that only retried would
# rarely find it free. So a writer announces itself in `<store>.write-intent` (its pid) before it
# opens the file and removes the note after it closes; readers hold back while the note is there.
# A note left by a killed writer is ignored once its process is gone or it is a minute old.
INTENT_SUFFIX = ".write-intent"
INTENT_MAX_AGE_SECONDS = 60.0


def _intent_path(path: Path) -> Path:
    return path.with_name(path.name + INTENT_SUFFIX)


def _wait_for_writer(path: Path, deadline: float) -> None:
    intent = _intent_path(path)
    while time.monotonic() < deadline:
        try:
            pid = int(intent.read_text() or 0)
            age = time.time() - intent.stat().st_mtime
        except (FileNotFoundError, ValueError):
            return
        if pid == os.getpid() or age > INTENT_MAX_AGE_SECONDS or not _alive(pid):
            return
        time.sleep(0.005)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def reading(db: str | os.PathLike | None = None,
            timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-only connection; waits (with backoff) while a writer holds the file.

    A store written by older code is migrated first (briefly as a writer), so a dashboard started
    after an upgrade works without a manual step.
    """
    path = resolve_db_path(db)
    if not path.exists():
        raise StoreNotFound(f"no store at {path}: run `python -m analysis demo` or "
                            f"`python -m analysis ingest PATH` first")
    conn = _open_with_retry(path, read_only=True, timeout=timeout)
    try:
        version = _schema_version(conn, path)
        if version < SCHEMA_VERSION:
            conn.close()
            with writing(path, timeout=timeout):
                pass  # opening as a writer migrates
            conn = _open_with_retry(path, read_only=True, timeout=timeout)
            version = _schema_version(conn, path)
        if version > SCHEMA_VERSION:
            raise RuntimeError(f"the store at {path} has schema version {version}, newer than this "
                               f"code ({SCHEMA_VERSION}): update Faultline")
        yield conn
    finally:
        conn.close()


def _schema_version(conn: duckdb.DuckDBPyConnection, path: Path) -> int:
    try:
        return conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
    except duckdb.CatalogException:  # the first ingest has created the file, no tables yet
        raise StoreNotFound(f"the store at {path} is being created: try again in a moment") from None


@contextmanager
def writing(db: str | os.PathLike | None = None,
            timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-write connection on a migrated store; hold it for one batch only."""
    path = resolve_db_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    intent = _intent_path(path)
    intent.write_text(str(os.getpid()))
    try:
        conn = _open_with_retry(path, read_only=False, timeout=timeout)
        try:
            migrate(conn)
            yield conn
        finally:
            conn.close()
    finally:
        intent.unlink(missing_ok=True)


@contextmanager
def writer_lock(db: str | os.PathLike | None) -> Iterator[None]:
    """Hold the store's writer lock (an flock on `<store>.lock`) for a whole ingest or re-score, so a
    second writer waits for the first to finish. Needed because a re-score replaces the store file
    when it is done: an ingest committing to the old file meanwhile would be lost. The operating
    system releases the lock when its process dies."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): one writer at a time is then up to the user
        yield
        return
    path = resolve_db_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_frame(db: str | os.PathLike | None, sql: str, params: list | None = None):
    """Run one read query in its own short-lived connection and return a pandas DataFrame."""
    with reading(db) as conn:
        return conn.execute(sql, params or []).df()


# ---------------------------------------------------------------------------------------------
# Schema. Each migration moves the store from version N-1 to N; never edit a released one.

MIGRATIONS: list[tuple[int, str]] = [
    (1, """
    CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
    CREATE TABLE ingest_runs (
        run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP, status VARCHAR,
        paths VARCHAR[], method_version VARCHAR,
        read INTEGER DEFAULT 0, new INTEGER DEFAULT 0, duplicates INTEGER DEFAULT 0,
        errors INTEGER DEFAULT 0);
    CREATE TABLE ingest_errors (run_id VARCHAR, origin VARCHAR, message VARCHAR);
    CREATE TABLE articles (
        id VARCHAR PRIMARY KEY,          -- hash of the cleaned title and text
        raw_hash VARCHAR,                -- hash of the text as read, to skip re-scoring on re-ingest
        source_id VARCHAR, story_id VARCHAR,
        date DATE, date_source VARCHAR,  -- effective date: may come from the story
        own_date DATE, own_date_source VARCHAR,  -- what the article itself says
        source VARCHAR, url VARCHAR, origin VARCHAR, title VARCHAR, text VARCHAR, language VARCHAR,
        countries VARCHAR[], mentions VARCHAR[], venues VARCHAR[],
        sentiment DOUBLE, escalation DOUBLE, cooperation DOUBLE, tension DOUBLE,
        keywords VARCHAR,                -- JSON list of {term, category, count}
        warnings VARCHAR[], removed VARCHAR, cited_sources VARCHAR[],
        method_version VARCHAR, run_id VARCHAR, ingested_at TIMESTAMP);
    CREATE TABLE sentences (
        article_id VARCHAR, idx INTEGER, text VARCHAR,
        parties VARCHAR[], venues VARCHAR[], organisations VARCHAR[],
        actors VARCHAR,                  -- JSON list of ActorMention
        keywords VARCHAR,                -- JSON list of KeywordMatch
        terms VARCHAR[], sentiment DOUBLE, escalation DOUBLE, cooperation DOUBLE);
    CREATE TABLE pair_signals (
        article_id VARCHAR, pair VARCHAR, a VARCHAR, b VARCHAR, sentences INTEGER,
        sentiment DOUBLE, escalation DOUBLE, cooperation DOUBLE, tension DOUBLE, stance VARCHAR,
        keywords VARCHAR[], direction VARCHAR);
    CREATE TABLE evidence (
        article_id VARCHAR, pair VARCHAR, sentence INTEGER, text VARCHAR, keywords VARCHAR[],
        sentiment DOUBLE);
    CREATE TABLE story_bands (band SMALLINT, hash UBIGINT, date DATE, article_id VARCHAR,
        story_id VARCHAR);
    CREATE TABLE signatures (article_id VARCHAR, size INTEGER, signature BLOB);
    CREATE TABLE stories (story_id VARCHAR, date DATE, first_date DATE, last_date DATE,
        articles INTEGER, sources INTEGER, title VARCHAR);
    """),
    (2, """
    -- Each story's first day, so a story cannot grow by chaining daily updates.
    CREATE TABLE story_starts (story_id VARCHAR, first_date DATE);
    INSERT INTO story_starts SELECT story_id, min(date) FROM story_bands GROUP BY story_id;
    """),
    (3, """
    -- The pair's tension and stance on each evidence row: the evidence query needs no join.
    ALTER TABLE evidence ADD COLUMN tension DOUBLE;
    ALTER TABLE evidence ADD COLUMN stance VARCHAR;
    UPDATE evidence SET tension = p.tension, stance = p.stance FROM pair_signals p
    WHERE p.article_id = evidence.article_id AND p.pair = evidence.pair;
    """),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def migrate(conn: duckdb.DuckDBPyConnection) -> int:
    """Apply every migration the store has not seen, all in one transaction; return the version.

    One transaction, so a reader never finds a store with half its tables.
    """
    from analysis.aggregate import DERIVED_SCHEMA

    exists = conn.execute("SELECT count(*) FROM information_schema.tables "
                          "WHERE table_name = 'schema_version'").fetchone()[0]
    current = (conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
               if exists else 0)
    if current >= SCHEMA_VERSION:
        return current
    conn.execute("BEGIN TRANSACTION")
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER, "
                     "applied_at TIMESTAMP)")
        for version, sql in MIGRATIONS:
            if version > current:
                conn.execute(sql)
                conn.execute("INSERT INTO schema_version VALUES (?, ?)", [version, _now()])
        conn.execute(DERIVED_SCHEMA)  # empty until the first refresh, so readers always find them
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise
    if current > 0:
        # An older store that held data: its derived tables may have changed shape; rebuild them
        # so stats and charts are right at once, not only after the next ingest.
        from analysis.aggregate import refresh_derived
        refresh_derived(conn)
    return SCHEMA_VERSION


def rollback(conn: duckdb.DuckDBPyConnection) -> None:
    """Undo the open transaction, if there is one. A COMMIT that failed (disk full, file too large)
    has already ended it; the error worth reporting is the one being raised, not DuckDB's
    'cannot rollback - no transaction is active'."""
    try:
        conn.execute("ROLLBACK")
    except duckdb.Error:
        pass


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def get_meta(conn: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(conn: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])


# ---------------------------------------------------------------------------------------------
# Hashes

_SPACES = re.compile(r"\s+")


def content_hash(title: str, text: str) -> str:
    """16 hex digits identifying a text up to case and whitespace."""
    normal = _SPACES.sub(" ", f"{title}\n{text}".lower()).strip()
    return hashlib.blake2b(normal.encode("utf-8"), digest_size=8).hexdigest()


# The write path lives in analysis/store_write.py; its public names are part of this module's API,
# loaded on first use so that readers (and `demo`'s quick check) do not import Arrow and the engine.
_WRITE_API = ("ArticleExtras", "IngestSummary", "ReadTally", "ingest_paths", "ingest_scored",
              "known_raw_hashes", "start_run", "write_batch")


def __getattr__(name: str):
    if name in _WRITE_API:
        from analysis import store_write

        return getattr(store_write, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "DEFAULT_DB", "LOCK_TIMEOUT_SECONDS", "MIGRATIONS", "SCHEMA_VERSION", "StoreNotFound",
    "content_hash", "get_meta", "migrate", "read_frame", "reading", "resolve_db_path", "set_meta",
    "writing",
] + list(_WRITE_API)
