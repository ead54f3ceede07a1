"""The shipped demo corpus (data/demo/): which files it is, and building the store from it once."""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from analysis.db_path import resolve_db_path

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
DEMO_META_KEY = "demo_fingerprint"


def demo_inputs(demo_dir: str | os.PathLike = DEMO_DIR) -> list[Path]:
    """The article files of the demo corpus (the attribution notes are not articles)."""
    folder = Path(demo_dir)
    return sorted(path for path in folder.rglob("*")
                  if path.is_file() and path.suffix.lower() != ".md" and not path.name.startswith("."))


def demo_fingerprint(demo_dir: str | os.PathLike = DEMO_DIR) -> str:
    """A hash of the demo files' names and contents (not their times: a fresh clone matches)."""
    digest = hashlib.sha256()
    folder = Path(demo_dir)
    for path in demo_inputs(folder):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def demo_is_built(db: str | os.PathLike | None = None,
                  demo_dir: str | os.PathLike = DEMO_DIR) -> bool:
    """True when the store was built from exactly these demo files and is up to date.

    Kept light on purpose (DuckDB only, no pandas or Arrow): it is all `make run` does the second
    time.
    """
    import duckdb

    path = resolve_db_path(db)
    if not path.exists():
        return False
    for attempt in range(200):  # an ingest may hold the file for one batch
        try:
            conn = duckdb.connect(str(path), read_only=True)
            break
        except duckdb.Error as error:
            if "lock" not in str(error).lower() or attempt == 199:
                return False
            time.sleep(0.05)
    from analysis.store import SCHEMA_VERSION  # light: store's write path loads on first use

    try:
        rows = dict(conn.execute("SELECT key, value FROM meta WHERE key IN (?, 'derived_stale')",
                                 [DEMO_META_KEY]).fetchall())
        version = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    except duckdb.Error:  # an older or half-made store: let the ingest sort it out
        return False
    finally:
        conn.close()
    return (version == SCHEMA_VERSION and rows.get(DEMO_META_KEY) == demo_fingerprint(demo_dir)
            and rows.get("derived_stale") == "0")


class NotADemoStore(Exception):
    """The store holds an analyst's own articles and was never built from the demo corpus."""

    def __init__(self, path: Path, articles: int):
        plural = "s" if articles != 1 else ""
        super().__init__(f"{path} holds {articles:,} article{plural} of your own and no demo corpus: "
                         "the demo is not added to it (pass --force to add it anyway)")
        self.path, self.articles = path, articles


def own_articles(db: str | os.PathLike | None = None) -> int:
    """How many articles the store holds when it was not built from the demo corpus (0 when it
    does not exist, is empty, or carries the demo's fingerprint)."""
    return _count(db, "SELECT CASE WHEN EXISTS (SELECT 1 FROM meta WHERE key = ?) THEN 0 "
                      "ELSE (SELECT count(*) FROM articles) END", [DEMO_META_KEY])


def _count(db: str | os.PathLike | None, sql: str, params: list) -> int:
    """One count from the store, read-only; 0 when there is no store, a writer holds it, or it is an
    older or half-made store (the ingest or re-score reports those)."""
    import duckdb

    path = resolve_db_path(db)
    if not path.exists():
        return 0
    try:
        conn = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return 0
    try:
        return int(conn.execute(sql, params).fetchone()[0])
    except duckdb.Error:
        return 0
    finally:
        conn.close()


def build_demo(db: str | os.PathLike | None = None, demo_dir: str | os.PathLike = DEMO_DIR, *,
               workers: int | None = None, progress: bool = False, force: bool = False):
    """Ingest the demo files unless the store already holds them; returns the IngestSummary, or
    None when there was nothing to do.

    Raises NotADemoStore (unless `force`) when the store already holds someone's own articles, so
    `FAULTLINE_DB=mine.duckdb make run` opens that store without mixing 16k demo items into it.
    """
    if demo_is_built(db, demo_dir):
        return None
    if not force:
        articles = own_articles(db)
        if articles:
            raise NotADemoStore(resolve_db_path(db), articles)
    from analysis.store import ingest_paths, set_meta, writing

    inputs = demo_inputs(demo_dir)
    if not inputs:
        raise FileNotFoundError(f"no demo files in {demo_dir}")
    summary = ingest_paths(db, inputs, workers=workers, progress=progress)
    if summary.read:
        with writing(db) as conn:
            set_meta(conn, DEMO_META_KEY, demo_fingerprint(demo_dir))
    return summary




def stale_articles(db: str | os.PathLike | None = None) -> int:
    """How many stored articles were scored with another method version than this code's."""
    from analysis import METHOD_VERSION

    return _count(db, "SELECT count(*) FROM articles WHERE method_version IS DISTINCT FROM ?",
                  [METHOD_VERSION])


def rescore_stale(db: str | os.PathLike | None = None, workers: int | None = 1):
    """Re-score a built demo store whose articles were scored by an older method version (after an
    upgrade of Faultline), so `make run` never shows old scores beside a new METHOD.md. Call it once
    build_demo found the demo built. `workers` > 1 scores on that many processes (None: every
    core). Returns the re-score's IngestSummary, or None when every article is up to date."""
    if not stale_articles(db):
        return None
    from analysis.pipeline import Engine, default_workers
    from analysis.rescore import rescore_store

    return rescore_store(db, Engine.load(), workers=workers or default_workers())
