"""Build the store from the shipped demo corpus (data/demo/) on first run only.

The demo files' fingerprint is kept in the store; when it matches, nothing is read and the command
returns at once, so `make run` starts quickly the second time.
"""
from __future__ import annotations

import argparse
import sys
import time

from analysis import METHOD_VERSION
from analysis.commands import options
from analysis.demo import DEMO_DIR, NotADemoStore, build_demo, rescore_stale


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_db(parser)
    parser.add_argument("--demo-dir", default=str(DEMO_DIR), help="demo corpus folder")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes to score with (default: all cores)")
    options.add_progress(parser)
    parser.add_argument("--force", action="store_true",
                        help="add the demo corpus even to a store that holds articles of your own")


def run(args: argparse.Namespace) -> int:
    progress = options.show_progress(args)
    try:
        summary = build_demo(args.db, args.demo_dir, workers=args.workers, progress=progress,
                             force=args.force)
    except NotADemoStore as kept:
        # Not an error: `make run` goes on and opens the analyst's own store.
        print(f"note: {kept}", file=sys.stderr)
        return 0
    if summary is None:  # the demo is built: only its method version may be behind
        started = time.monotonic()
        refreshed = rescore_stale(args.db, workers=args.workers)
        if refreshed is not None:
            print(f"demo store re-scored with method {METHOD_VERSION}: {refreshed.read} articles in "
                  f"{time.monotonic() - started:.1f} s", file=sys.stderr)
            return 0
        print("demo store already built", file=sys.stderr)
        return 0
    for error in summary.errors:
        print(f"error: {error}", file=sys.stderr)
    print(f"demo store built: read {summary.read}, new {summary.new}, duplicates "
          f"{summary.duplicates}, errors {len(summary.errors)} in {summary.seconds:.1f} s",
          file=sys.stderr)
    return 1 if summary.read == 0 else 0
