"""How fast the dashboard answers a filter change: server-side rerun times through Streamlit's AppTest.

    python bench/bench_dashboard.py [--db data/faultline.duckdb] [--repeat 3]

Builds nothing: point it at a store (e.g. the demo store `make demo` builds). For each page it times the
first run (cold caches), then switches the period (month/week/day) and the counting (stories/articles)
and times each rerun; a value seen before answers from st.cache_data. Browser rendering is not included.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGES = [("overview", None, {}), ("pair explorer", "components/pages/pair_explorer.py", {"pair": "RUS-UKR"}),
         ("matrix", "components/pages/matrix.py", {}), ("country", "components/pages/country.py", {"country": "IRN"})]
CHANGES = [("freq", "W"), ("freq", "M"), ("freq", "D"), ("count_by", "articles"), ("count_by", "stories")]


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("FAULTLINE_DB", str(REPO / "data" / "faultline.duckdb")))
    parser.add_argument("--repeat", type=int, default=3, help="rounds of filter changes per page")
    args = parser.parse_args()
    if not Path(args.db).exists():
        print(f"no store at {args.db}: build one with `python -m analysis demo --db {args.db}`", file=sys.stderr)
        return 1
    os.environ["FAULTLINE_DB"] = args.db
    sys.path.insert(0, str(REPO))
    from streamlit.testing.v1 import AppTest

    print(f"store {args.db}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"{'page':15s} {'first run':>9s} {'new filter':>10s} {'seen filter':>11s}  (seconds, median)")
    for name, path, query in PAGES:
        app = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
        for key, value in query.items():
            app.query_params[key] = value
        first = timed(lambda: (app.run(), path and app.switch_page(path).run()))
        fresh, seen = [], []
        for round_no in range(args.repeat):
            for control, value in CHANGES:
                widget = app.get("button_group")[0 if control == "count_by" else 1]
                (fresh if round_no == 0 else seen).append(timed(lambda: widget.set_value(value).run()))
                assert not app.exception, [e.value for e in app.exception]
        print(f"{name:15s} {first:9.2f} {statistics.median(fresh):10.2f} {statistics.median(seen):11.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
