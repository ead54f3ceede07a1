"""Read, score and store articles in the DuckDB store.

Reads everything `score` reads (text, JSON Lines, JSON, CSV, HTML, .gz, .zip, directories) and the
Parquet output directory of `score --engine dask --out DIR`. Articles already stored (same text) are
skipped, so re-running an ingest, or finishing an interrupted one, adds only what is missing. Each
unreadable file or line is reported on stderr with the reason; the summary goes to stdout. Exit
status is 1 only when nothing at all could be read.
"""
from __future__ import annotations

import argparse
import json
import sys

from analysis.commands import options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or directories to ingest")
    options.add_db(parser)
    parser.add_argument("--workers", type=int, default=1,
                        help="processes to score with (default: 1)")
    parser.add_argument("--batch-size", type=int, default=2000,
                        help="articles written per transaction (default: 2000)")
    options.add_progress(parser)
    options.add_summary_format(parser)


def run(args: argparse.Namespace) -> int:
    import duckdb

    from analysis.store import ingest_paths, resolve_db_path

    db = resolve_db_path(args.db)
    progress = options.show_progress(args)
    try:
        summary = ingest_paths(db, args.paths, workers=args.workers, batch_size=args.batch_size,
                               progress=progress)
    except duckdb.InterruptException:
        raise  # Ctrl-C: `interrupted`, as for any command
    except (duckdb.Error, OSError) as error:
        # A full disk, a file-size limit, an unwritable folder: one line naming the store, no traceback.
        reason = options.reason(error)
        print(f"error: could not write the store {db}: {reason}. Batches committed before this are "
              "kept; fix the cause and run the same command again to finish.", file=sys.stderr)
        return 2
    for error in summary.errors:
        print(f"error: {error}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps({**summary.to_dict(), "db": str(db)}))
    else:
        print(f"read {summary.read}, new {summary.new}, duplicates {summary.duplicates}, "
              f"errors {len(summary.errors)} in {summary.seconds:.1f} s -> {db}")
    return 1 if summary.read == 0 else 0
