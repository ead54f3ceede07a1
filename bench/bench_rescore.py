"""Re-scoring after a lexicon or dictionary edit: a full re-score of the demo store, timed.

    .venv/bin/python bench/bench_rescore.py [--db data/faultline.duckdb] [--runs 3] [--workers 1,2]

What the Method page's "Re-score all articles" button does (`analysis.rescore.rescore_store`): every
stored article is scored again with an engine that includes the analyst's edit, written to a new
store and swapped in. Here the edit is one added lexicon row (data/user/lexicon.csv in a temporary
user folder); each run works on a fresh copy of the store (`--db`, default the demo store that
`make run` builds), so the original is never touched. Reports the median wall and CPU seconds (this
process and its scoring workers), and articles per second, for one scoring process (the button) and
for several (`python -m analysis rescore --workers N`), taking turns run by run so that a drift of
the machine's speed lands on both. Build the demo store first with `python -m analysis demo`.
"""
from __future__ import annotations

import argparse
import os
import resource
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


def cpu_seconds() -> float:
    """CPU of this process and of its waited-for children (the scoring workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def one_run(db: Path, scratch: Path, workers: int) -> tuple[float, float, int]:
    copy = scratch / "store.duckdb"
    shutil.copyfile(db, copy)
    user = scratch / "user"
    user.mkdir(exist_ok=True)
    (user / "lexicon.csv").write_text(USER_LEXICON, encoding="utf-8")
    engine = Engine.load(user_dir=user)
    wall, cpu = time.perf_counter(), cpu_seconds()
    summary = rescore_store(copy, engine, workers=workers)
    return time.perf_counter() - wall, cpu_seconds() - cpu, summary.read


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", default="1,2", help="comma-separated process counts (default: 1,2)")
    args = parser.parse_args()
    db = resolve_db_path(args.db)
    if not db.exists():
        parser.error(f"{db}: no store; run `python -m analysis demo` first")
    counts = [int(count) for count in args.workers.split(",")]
    load = os.getloadavg()[0]
    results: dict[int, list[tuple[float, float, int]]] = {count: [] for count in counts}
    for _ in range(args.runs):
        for count in counts:
            with tempfile.TemporaryDirectory() as scratch:
                results[count].append(one_run(db, Path(scratch), count))
    print(f"Store: {db.name} ({article_total(db):,} articles). Load average at start {load:.1f}.\n")
    print("| re-score | workers | runs | articles | wall s (median) | CPU s (median) | articles/s | speed-up |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    first_wall = statistics.median(run[0] for run in results[counts[0]])
    for count in counts:
        wall = statistics.median(run[0] for run in results[count])
        cpu = statistics.median(run[1] for run in results[count])
        articles = results[count][0][2]
        print(f"| full, one added lexicon row | {count} | {args.runs} | {articles:,} | {wall:.1f} | "
              f"{cpu:.1f} | {articles / wall:,.0f} | {first_wall / wall:.2f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
