"""Build a store of at least a million articles from the real corpora, for bench/bench_queries.py.

    .venv/bin/python bench/build_big_store.py [--shared ../shared] [--base /tmp/faultline_base.duckdb]
                                              [--out /tmp/faultline_1m.duckdb] [--articles 1000000]

1. The base store: WCEP full (113k) and Reuters-21578 dev (10k) ingested and scored by
   `python -m analysis ingest --workers 2` (skipped when `--base` already holds them).
2. Scoring a million articles on two cores would take hours, so the scored rows are replicated
   directly in DuckDB instead: copy k (k = 1, 2, ...) of every article, its sentences, pair signals
   and evidence gets the id "<id>~k", its story "<story>~k" and its dates shifted by k days, until
   the store holds `--articles` articles. Story grouping tables (bands, signatures) are not
   replicated: they serve ingest-time grouping, not the dashboard's queries.
3. `analysis.aggregate.refresh_derived`, as at the end of every ingest, rebuilds the pre-aggregated
   tables the dashboard reads.
Keep both stores outside the repository (default /tmp). Reuters-21578 is research-only: a store
holding it must never be shared or committed.
"""
from __future__ import annotations

import argparse
import math
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from analysis.aggregate import refresh_derived  # noqa: E402
from analysis.store import writing  # noqa: E402

DEFAULT_SHARED = REPO.parent / "shared"
# Columns that carry an article's identity or date in each replicated table.
REPLICATED = {
    "articles": "id || '~{k}' AS id, story_id || '~{k}' AS story_id, "
                "raw_hash || '~{k}' AS raw_hash, date + {k} AS date, own_date + {k} AS own_date",
    "sentences": "article_id || '~{k}' AS article_id",
    "pair_signals": "article_id || '~{k}' AS article_id",
    "evidence": "article_id || '~{k}' AS article_id",
}


def build_base(base: Path, shared: Path) -> None:
    inputs = [shared / "data/wcep/wcep_2002_2025_full.jsonl.gz",
              *sorted((shared / "data/reuters-dev").glob("*.jsonl.gz"))]
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "analysis", "ingest", *map(str, inputs), "--db", str(base),
                    "--workers", "2", "--no-progress"], check=True, cwd=REPO)
    print(f"base store: {time.monotonic() - started:.0f} s", file=sys.stderr)


def replicate(out: Path, articles: int) -> int:
    """Add shifted copies of every base article until the store holds `articles`; returns the count."""
    with writing(out) as conn:
        base = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        copies = math.ceil(articles / base) - 1
        for k in range(1, copies + 1):
            conn.execute("BEGIN TRANSACTION")
            for table, replaced in REPLICATED.items():
                key = "id" if table == "articles" else "article_id"
                # Copy the base rows only (stored ids never hold "~").
                conn.execute(f"INSERT INTO {table} SELECT * REPLACE ({replaced.format(k=k)}) "
                             f"FROM {table} WHERE NOT contains({key}, '~')")
            conn.execute("COMMIT")
            print(f"copy {k}/{copies}", file=sys.stderr)
        started = time.monotonic()
        refresh_derived(conn)
        print(f"refresh_derived: {time.monotonic() - started:.0f} s", file=sys.stderr)
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--base", type=Path, default=Path("/tmp/faultline_base.duckdb"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/faultline_1m.duckdb"))
    parser.add_argument("--articles", type=int, default=1_000_000)
    args = parser.parse_args()
    if REPO in args.out.resolve().parents or REPO in args.base.resolve().parents:
        parser.error("keep the big stores outside the repository (they hold research-only text)")
    build_base(args.base, args.shared)
    started = time.monotonic()
    args.out.unlink(missing_ok=True)
    shutil.copyfile(args.base, args.out)
    total = replicate(args.out, args.articles)
    print(f"{args.out}: {total:,} articles, {args.out.stat().st_size / 1e9:.1f} GB, "
          f"replicated in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
