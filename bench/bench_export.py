"""Chart export cost: ten charts from a real store, as the briefing user would export them.

    .venv/bin/python bench/bench_export.py [--db data/faultline.duckdb] [--runs 5] [--format png]

The store defaults to the demo store (`python -m analysis demo` builds it from the shipped WCEP
corpus). One batch = ten exports at 1600 x 900 (scale 2): the pair timeline of the five pairs with
the most stories, the matrix, the network, top pairs by tension and by rise, and the country profile
of the busiest country. Each batch queries the store, builds the figures, counts the provenance and
renders through one persistent kaleido server (headless Debian chromium). The first batch also pays
for starting the browser; it is reported apart. The target is under 20 s for ten exports on 2 cores.
Prints a Markdown line for bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import export, queries  # noqa: E402
from analysis.export import ChartRequest  # noqa: E402


def requests_for(db: str) -> list[ChartRequest]:
    """The ten charts: five busiest pairs' timelines, matrix, network, two top-pairs, one country."""
    busiest = list(queries.pair_list(db)["pair"].head(5))
    country = str(queries.country_list(db)["country"].iloc[0])
    return ([ChartRequest("pair-timeline", pair=pair) for pair in busiest]
            + [ChartRequest("matrix"), ChartRequest("network"), ChartRequest("top-pairs"),
               ChartRequest("top-pairs", rank_by="anomaly"), ChartRequest("country", country=country)])


def cpu_seconds() -> float:
    """CPU time of this process and its descendants (kaleido's Chromium) so far: a figure that does
    not depend on what else the shared machine is running, unlike wall time."""
    import psutil

    me = psutil.Process()
    total = sum(me.cpu_times()[:2])
    for child in me.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.Error:  # a helper process that ended meanwhile
            pass
    return total


def batch(db: str, requests: list[ChartRequest], fmt: str) -> tuple[float, float, list[int], set]:
    """Export every request once: (wall seconds, CPU seconds incl. Chromium, bytes per export,
    distinct PNG sizes)."""
    from PIL import Image

    cpu = cpu_seconds()
    started = time.perf_counter()
    sizes, shapes = [], set()
    for request in requests:
        content = export.export_chart(request, fmt, db)
        sizes.append(len(content))
        if fmt == "png":
            shapes.add(Image.open(io.BytesIO(content)).size)
    return time.perf_counter() - started, cpu_seconds() - cpu, sizes, shapes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("FAULTLINE_DB", "data/faultline.duckdb"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--format", choices=export.FORMATS, default="png")
    args = parser.parse_args()
    if not Path(args.db).exists():
        print(f"no store at {args.db}: run `python -m analysis demo` first (or pass --db)", file=sys.stderr)
        return 2
    requests = requests_for(args.db)
    totals = queries.stats(args.db)
    first, _, first_sizes, _ = batch(args.db, requests, args.format)
    times, cpus, shapes = [], [], set()
    for _ in range(args.runs):
        seconds, cpu, sizes, seen = batch(args.db, requests, args.format)
        times.append(seconds)
        cpus.append(cpu)
        shapes |= seen
        if sizes != first_sizes and args.format == "csv":
            print("warning: CSV bytes differ between runs", file=sys.stderr)
    median = statistics.median(times)
    print(f"first batch (starts chromium): {first:.2f} s; batches: "
          + ", ".join(f"{t:.2f}" for t in times) + " s", file=sys.stderr)
    if args.format == "png":
        print(f"PNG sizes seen: {sorted(shapes)}", file=sys.stderr)
    image = args.format != "csv"
    what = f"{args.format.upper()} 1600x900" if image else "CSV (no browser)"
    print(f"| export: 10 charts as {what} | store {totals['articles']:,} articles, "
          f"{totals['pairs']:,} pairs | median {median:.2f} s per 10 ({median / 10 * 1000:.0f} ms/chart), "
          f"min {min(times):.2f} s, {args.runs} runs; CPU{' incl. chromium' if image else ''} "
          f"{statistics.median(cpus):.2f} s per 10; first batch{' incl. chromium start' if image else ''} "
          f"{first:.2f} s | {platform.python_version()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
