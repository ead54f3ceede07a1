"""Latency of the series narrowed by the Sources / Keyword-categories filters on a large store.

    .venv/bin/python bench/bench_filtered_queries.py [--db /tmp/faultline_1m.duckdb] [--calls 20]
                                                     [--source NAME] [--category CAT]

With a sources or categories filter the dashboard cannot read the pre-aggregated `periods`: each call
rebuilds the selection's series from its pair signals (analysis.filtered_periods) in a fresh read-only
connection, as the pages do on a cache miss. The rebuilt rows are then kept in memory for the same
store file, selection, frequency and weighting, so the next call (another pair, another window) only
queries them. Timed: a pair's monthly timeline (all years), the matrix over one year, and a country
profile over five years, `--calls` calls each with varied arguments (pairs and countries drawn from
the 60 busiest pairs, years from the store), for three selections (the busiest source, one keyword
category, both), twice: "cold" (memory cleared before each call: the full rebuild) and "warm" (after
one call of the selection). Prints wall p50 / p95 / max and the median CPU time (process_time: DuckDB's
worker threads count) per call, and the load average at start and end.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from analysis import filtered_periods, queries  # noqa: E402
from bench_queries import DEFAULT_DB, percentile  # noqa: E402  (this script's folder is on sys.path)


def cases(db: Path, rng: random.Random, selection: dict) -> dict[str, Callable[[], Callable[[], object]]]:
    """Query name -> a maker of one call with freshly drawn arguments, narrowed by `selection`."""
    pairs = list(queries.top_pairs(db, n=60, freq="M")["pair"])
    totals = queries.stats(db)
    first, last = (int(str(totals[key])[:4]) for key in ("first_date", "last_date"))
    years = list(range(max(first, 2002), last + 1))

    def year() -> tuple[str, str]:
        y = rng.choice(years)
        return f"{y}-01-01", f"{y}-12-31"

    return {
        "pair timeline, monthly (all years)": lambda: (
            lambda p=rng.choice(pairs): queries.pair_timeline(p, db, freq="M", **selection)),
        "matrix (one year)": lambda: (
            lambda w=year(): queries.matrix(db, since=w[0], until=w[1], **selection)),
        "country profile (5 years)": lambda: (
            lambda c=rng.choice(pairs)[:3]: queries.country_profile(c, db, since=f"{years[-5]}-01-01",
                                                                    **selection)),
    }


def time_calls(make: Callable[[], Callable[[], object]], calls: int,
               cold: bool) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(calls):
        call = make()
        if cold:
            filtered_periods.clear_memo()
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--source", help="source to narrow to (default: the store's busiest)")
    parser.add_argument("--category", default="SANCTION")
    args = parser.parse_args()
    if not args.db.exists():
        print(f"no store at {args.db}: build it with bench/build_big_store.py", file=sys.stderr)
        return 2
    source = args.source or next(s for s in queries.source_list(args.db)["source"] if s)
    selections = {
        f"source {source!r}": dict(sources=[source]),
        f"category {args.category}": dict(categories=[args.category]),
        "both": dict(sources=[source], categories=[args.category]),
    }
    load = os.getloadavg()[0]
    stats = queries.stats(args.db)
    lines = [f"Store: {args.db} ({stats['articles']:,} articles). Load average at start {load:.1f} "
             f"on {os.cpu_count()} cores.", "",
             "| selection | query | memory | n | p50 ms | p95 ms | max ms | CPU ms (median) |",
             "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    worst = {"cold": 0.0, "warm": 0.0}
    for label, selection in selections.items():
        for name, make in cases(args.db, random.Random(7), selection).items():
            make()()  # one warm-up call: file cache, DuckDB's first use, the selection kept
            for state in ("warm", "cold"):
                walls, cpus = time_calls(make, args.calls, cold=state == "cold")
                p95 = percentile(walls, 0.95)
                worst[state] = max(worst[state], p95)
                lines.append(f"| {label} | {name} | {state} | {len(walls)} | "
                             f"{percentile(walls, 0.5) * 1000:.0f} | {p95 * 1000:.0f} | "
                             f"{max(walls) * 1000:.0f} | {statistics.median(cpus) * 1000:.0f} |")
                print(lines[-1], flush=True)
    lines += ["", f"Worst p95: cold **{worst['cold'] * 1000:.0f} ms**, warm **{worst['warm'] * 1000:.0f} ms** "
                  f"(goal < 1 s). Load average at end {os.getloadavg()[0]:.1f}."]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
