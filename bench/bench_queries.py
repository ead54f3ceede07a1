"""Dashboard query latency on a large store, and the warm start of `make run`.

    .venv/bin/python bench/bench_queries.py [--db /tmp/faultline_1m.duckdb] [--samples 40]
                                            [--start-runs 3] [--no-start]

Queries: the `analysis.queries` calls the dashboard pages make — stats, a pair's timeline (month,
week, day), the matrix, top pairs by tension and by anomaly, anomalies since the last ingest, a
country profile, and the evidence behind one point — each sampled `--samples` times with varied
arguments (pairs drawn from the 60 busiest, windows and points drawn from the store), each call in a
fresh read-only connection as the pages open them. Prints p50 / p95 / max in ms per query.

Warm start: `make run` started again with the store already built, timed until Streamlit answers
`/_stcore/health` on its port and until the first page's HTML is served (median of `--start-runs`);
then the server is stopped. Measured on the demo store (what `make run` opens) and with
FAULTLINE_DB pointing at `--db`.

Build the large store first with bench/build_big_store.py (default /tmp/faultline_1m.duckdb).
"""
from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from analysis import queries  # noqa: E402

DEFAULT_DB = Path("/tmp/faultline_1m.duckdb")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def query_cases(db: Path, rng: random.Random) -> dict[str, Callable[[], Callable[[], object]]]:
    """Query name -> a maker of one call with freshly drawn arguments."""
    pairs = list(queries.top_pairs(db, n=60, freq="M")["pair"])
    totals = queries.stats(db)
    first, last = (int(str(totals[key])[:4]) for key in ("first_date", "last_date"))
    years = list(range(max(first, 2002), last + 1))  # WCEP's years (Reuters is 1987 only)
    points = {pair: list(queries.pair_timeline(pair, db, freq="M")["date"]) for pair in pairs[:20]}

    def year() -> tuple[str, str]:
        y = rng.choice(years)
        return f"{y}-01-01", f"{y}-12-31"

    def point() -> tuple[str, object]:
        pair = rng.choice(list(points))
        return pair, rng.choice(points[pair])

    return {
        "stats": lambda: lambda: queries.stats(db),
        "pair timeline, monthly (all years)": lambda: (
            lambda p=rng.choice(pairs): queries.pair_timeline(p, db, freq="M")),
        "pair timeline, weekly (all years)": lambda: (
            lambda p=rng.choice(pairs): queries.pair_timeline(p, db, freq="W")),
        "pair timeline, daily (one year)": lambda: (
            lambda p=rng.choice(pairs), w=year(): queries.pair_timeline(p, db, since=w[0], until=w[1],
                                                                        freq="D")),
        "matrix (one year)": lambda: (lambda w=year(): queries.matrix(db, since=w[0], until=w[1])),
        "matrix (all years)": lambda: lambda: queries.matrix(db),
        "top pairs by tension (one year)": lambda: (
            lambda w=year(): queries.top_pairs(db, since=w[0], until=w[1])),
        "top pairs by anomaly, weekly (one year)": lambda: (
            lambda w=year(): queries.top_pairs(db, since=w[0], until=w[1], rank_by="anomaly", freq="W")),
        "anomalies since last ingest": lambda: lambda: queries.anomalies_since_last_ingest(db),
        "country profile (5 years)": lambda: (
            lambda c=rng.choice(pairs)[:3]: queries.country_profile(c, db, since=f"{years[-5]}-01-01")),
        "evidence for a point (month)": lambda: (
            lambda pt=point(): queries.evidence(pt[0], pt[1], db, freq="M")),
        "evidence for a point (day)": lambda: (
            lambda pt=point(): queries.evidence(pt[0], pt[1], db, freq="D")),
    }


def time_queries(db: Path, samples: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    rows = ["| query | n | p50 ms | p95 ms | max ms |", "| --- | ---: | ---: | ---: | ---: |"]
    worst = 0.0
    for name, make in query_cases(db, rng).items():
        spent = []
        for _ in range(samples):
            call = make()
            started = time.perf_counter()
            call()
            spent.append((time.perf_counter() - started) * 1000)
        p95 = percentile(spent, 0.95)
        worst = max(worst, p95)
        rows.append(f"| {name} | {samples} | {statistics.median(spent):.0f} | {p95:.0f} | "
                    f"{max(spent):.0f} |")
        print(rows[-1], file=sys.stderr)
    rows.append(f"\nWorst p95: **{worst:.0f} ms** (goal < 300 ms).")
    return rows


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.05)
    return False


def warm_start(db: Path | None, timeout: float = 120.0) -> tuple[float, float]:
    """Seconds from start to a healthy server and to the first page's HTML: `make run` on the demo
    store; on another store, the `streamlit run` that `make run` ends with (make's demo step would
    ingest the demo corpus into that store)."""
    port = free_port()
    env = {**os.environ, "STREAMLIT_SERVER_HEADLESS": "true",
           "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    if db is None:
        env.pop("FAULTLINE_DB", None)
        command = ["make", "-s", "run", f"PORT={port}"]
    else:
        env["FAULTLINE_DB"] = str(db)
        command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
                   "--server.port", str(port)]
    started = time.monotonic()
    server = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        if not wait_for(f"{base}/_stcore/health", started + timeout):
            raise RuntimeError(f"make run did not answer on port {port} within {timeout:.0f} s")
        healthy = time.monotonic() - started
        wait_for(f"{base}/", started + timeout)
        return healthy, time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the process group this script started
        server.wait(timeout=30)


def time_starts(db: Path, runs: int) -> list[str]:
    rows = ["| store | runs | healthy s (median) | first page HTML s (median) |",
            "| --- | ---: | ---: | ---: |"]
    for label, store in (("`make run`, demo store", None), (f"`streamlit run app.py`, {db.name}", db)):
        warm_start(store)  # the first start may build the demo store or warm the page cache
        results = [warm_start(store) for _ in range(runs)]
        rows.append(f"| {label} | {runs} | {statistics.median(r[0] for r in results):.2f} | "
                    f"{statistics.median(r[1] for r in results):.2f} |")
        print(rows[-1], file=sys.stderr)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--start-runs", type=int, default=3)
    parser.add_argument("--no-start", action="store_true", help="skip the `make run` warm start")
    args = parser.parse_args()
    if not args.db.exists():
        parser.error(f"{args.db}: no store; build it with bench/build_big_store.py")
    total = queries.stats(args.db)["articles"]
    print(f"Store: {args.db} ({total:,} articles, {args.db.stat().st_size / 1e9:.1f} GB). Load average "
          f"at start {os.getloadavg()[0]:.1f} on {len(os.sched_getaffinity(0))} cores.\n")
    print("\n".join(time_queries(args.db, args.samples)))
    if not args.no_start:
        print("\nWarm start of `make run` (store already built; server stopped after each run):\n")
        print("\n".join(time_starts(args.db, args.start_runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
