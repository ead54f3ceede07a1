"""Re-scoring after a lexicon or dictionary edit: a full re-score of the demo store, timed.

    .venv/bin/python bench/bench_rescore.py [--db data/faultline.duckdb] [--runs 3]

What the Method page's "Re-score all articles" button does (`analysis.rescore.rescore_store`): every
stored article is scored again with an engine that includes the analyst's edit, written to a new
store and swapped in. Here the edit is one added lexicon row (data/user/lexicon.csv in a temporary
user folder); each run works on a fresh copy of the store (`--db`, default the demo store that
`make run` builds), so the original is never touched. Reports the median wall and CPU seconds, and
articles per second. Build the demo store first with `python -m analysis demo`.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from analysis.db_path import resolve_db_path  # noqa: E402
from analysis.pipeline import Engine  # noqa: E402
from analysis.rescore import article_total, rescore_store  # noqa: E402

# One analyst's edit: a new escalation term (the user lexicon has the shipped terms.csv columns).
USER_LEXICON = "term,category,polarity,weight\nsabre-rattling,THREATEN,escalation,4\n"


def one_run(db: Path, scratch: Path) -> tuple[float, float, int]:
    copy = scratch / "store.duckdb"
    shutil.copyfile(db, copy)
    user = scratch / "user"
    user.mkdir(exist_ok=True)
    (user / "lexicon.csv").write_text(USER_LEXICON, encoding="utf-8")
    engine = Engine.load(user_dir=user)
    wall, cpu = time.perf_counter(), time.process_time()
    summary = rescore_store(copy, engine)
    return time.perf_counter() - wall, time.process_time() - cpu, summary.read


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    db = resolve_db_path(args.db)
    if not db.exists():
        parser.error(f"{db}: no store; run `python -m analysis demo` first")
    load = os.getloadavg()[0]
    results = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as scratch:
            results.append(one_run(db, Path(scratch)))
    wall = statistics.median(r[0] for r in results)
    cpu = statistics.median(r[1] for r in results)
    articles = results[0][2]
    print(f"Store: {db.name} ({article_total(db):,} articles). Load average at start {load:.1f}.\n")
    print("| re-score | runs | articles | wall s (median) | CPU s (median) | articles/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print(f"| full, one added lexicon row | {args.runs} | {articles:,} | {wall:.1f} | {cpu:.1f} | "
          f"{articles / wall:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
