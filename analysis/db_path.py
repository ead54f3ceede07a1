"""Where the store lives; kept free of heavy imports so quick commands stay quick."""
from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "faultline.duckdb"


def resolve_db_path(db: str | os.PathLike | None = None) -> Path:
    """The store path: `db` if given, else $FAULTLINE_DB, else data/faultline.duckdb."""
    if db:
        return Path(db)
    env = os.environ.get("FAULTLINE_DB")
    return Path(env) if env else DEFAULT_DB
