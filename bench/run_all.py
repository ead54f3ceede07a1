"""Run the performance benchmarks (issue 6) and paste their tables into bench/RESULTS.md.

    .venv/bin/python bench/run_all.py [--shared ../shared] [--only score,ingest,...] [--quick]

`make bench` runs this. Each benchmark is a script in bench/ that prints Markdown; its output
replaces the block between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` in bench/RESULTS.md
(added under the "Performance and scale" section when missing), with the command and the date, so
other sections of RESULTS.md are left as they are. A benchmark whose input is missing (no
../shared, no large store) is reported as skipped and its block is kept.

    score     bench_score.py     engine CPU vs VADER-only, workers=2 vs 1 (WCEP full, Reuters dev)
    ingest    bench_ingest.py    `ingest` of WCEP full: wall, CPU, peak RSS
    store     build_big_store.py the 1M-article store for `queries` (only when it does not exist)
    queries   bench_queries.py   dashboard query p50/p95 on the 1M store, warm start of `make run`
    rescore   bench_rescore.py   full re-score of the demo store after a lexicon edit

`--quick` runs every benchmark once on smaller inputs (a 200k-article store in /tmp) and prints the
tables instead of pasting them: a smoke test of the scripts, not figures to record.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RESULTS = BENCH / "RESULTS.md"
SECTION = "## Performance and scale — issue 6"
BIG_STORE = Path("/tmp/faultline_1m.duckdb")
QUICK_STORE = Path("/tmp/faultline_quick.duckdb")


def plans(shared: Path, quick: bool) -> dict[str, tuple[list[str], Path | None]]:
    """Benchmark name -> (script and arguments, an input that must exist)."""
    wcep = shared / "data/wcep/wcep_2002_2025_full.jsonl.gz"
    runs = ["--runs", "1"] if quick else ["--runs", "3"]
    store = QUICK_STORE if quick else BIG_STORE
    return {
        # Five rounds for the cost ratios: the shared machine's speed drifts between runs.
        "score": (["bench_score.py", "--shared", str(shared), *(["--runs", "5"] if not quick else runs), "--cli"]
                  + (["--limit", "2000"] if quick else []), wcep),
        "ingest": (["bench_ingest.py", str(shared / "data/wcep/wcep_2002_2025_geopolitics.jsonl.gz"
                                           if quick else wcep), *runs], wcep),
        "store": (["build_big_store.py", "--shared", str(shared), "--out", str(store)]
                  + (["--articles", "200000"] if quick else []), wcep),
        "queries": (["bench_queries.py", "--db", str(store)]
                    + (["--samples", "5", "--start-runs", "1"] if quick else []), None),
        "rescore": (["bench_rescore.py", *runs], None),
    }


def run(name: str, arguments: list[str]) -> str:
    command = [sys.executable, str(BENCH / arguments[0]), *arguments[1:]]
    print(f"== {name}: {' '.join(command[1:])}", file=sys.stderr, flush=True)
    done = subprocess.run(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed (exit {done.returncode})")
    return done.stdout.strip()


def paste(name: str, command: str, body: str) -> None:
    """Replace (or add) the block for `name` in RESULTS.md."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    block = (f"<!-- bench:{name} -->\n`{command}` ({dt.date.today().isoformat()})\n\n{body}\n"
             f"<!-- /bench:{name} -->")
    pattern = re.compile(rf"<!-- bench:{name} -->.*?<!-- /bench:{name} -->", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        if SECTION not in text:
            text = text.rstrip("\n") + f"\n\n{SECTION}\n"
        text = text.rstrip("\n") + f"\n\n{block}\n"
    RESULTS.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--only", help="comma-separated names (default: all)")
    parser.add_argument("--quick", action="store_true", help="smoke-test the scripts on small inputs")
    args = parser.parse_args()
    chosen = args.only.split(",") if args.only else list(plans(args.shared, args.quick))
    for name in chosen:
        arguments, needed = plans(args.shared, args.quick)[name]
        if needed is not None and not needed.exists():
            print(f"== {name}: skipped ({needed} not found)", file=sys.stderr)
            continue
        if name == "store" and BIG_STORE.exists() and not args.quick:
            print(f"== store: {BIG_STORE} exists, kept", file=sys.stderr)
            continue
        if name == "queries" and not (QUICK_STORE if args.quick else BIG_STORE).exists():
            print("== queries: skipped (no large store; run with --only store first)", file=sys.stderr)
            continue
        output = run(name, arguments)
        if args.quick:
            print(f"\n{output}\n")
        elif name != "store":
            shown = ("python bench/" + " ".join(arguments)).replace(str(REPO.parent), "..")
            paste(name, shown, output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
