"""The shipped demo corpus (data/demo/): which files it is, and building the store from it once."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

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
    """True when the store was built from exactly these demo files and is up to date."""
    import duckdb

    from analysis.store import StoreNotFound, get_meta, reading

    try:
        with reading(db, timeout=10) as conn:
            return (get_meta(conn, DEMO_META_KEY) == demo_fingerprint(demo_dir)
                    and get_meta(conn, "derived_stale") == "0")
    except (StoreNotFound, RuntimeError, duckdb.Error):
        return False


def build_demo(db: str | os.PathLike | None = None, demo_dir: str | os.PathLike = DEMO_DIR, *,
               workers: int | None = None, progress: bool = False):
    """Ingest the demo files unless the store already holds them; returns the IngestSummary, or
    None when there was nothing to do."""
    if demo_is_built(db, demo_dir):
        return None
    from analysis.store import ingest_paths, set_meta, writing

    inputs = demo_inputs(demo_dir)
    if not inputs:
        raise FileNotFoundError(f"no demo files in {demo_dir}")
    summary = ingest_paths(db, inputs, workers=workers, progress=progress)
    if summary.read:
        with writing(db) as conn:
            set_meta(conn, DEMO_META_KEY, demo_fingerprint(demo_dir))
    return summary


