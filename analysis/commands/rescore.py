"""Score every stored article again with the dictionaries in force, on every core.

What the Method page's "Re-score all articles" button does after a lexicon or actor edit: the shipped
data plus the analyst's edits (data/user/, or $FAULTLINE_USER_DIR as for the dashboard) score each
stored article again, and stories and aggregates are rebuilt. The new store is written beside the old
one and replaces it in one rename, so readers see the old numbers until it is done and an interrupted
re-score leaves the old store as it was; an ingest started meanwhile waits for it.
"""
from __future__ import annotations

import argparse
import json
import sys

from analysis.commands import options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_db(parser)
    parser.add_argument("--workers", type=int, default=None,
                        help="processes to score with (default: all cores)")
    options.add_progress(parser)
    options.add_summary_format(parser)


def run(args: argparse.Namespace) -> int:
    import duckdb
    from tqdm import tqdm

    from analysis import METHOD_VERSION
    from analysis.actors import ActorDataError
    from analysis.lexicon import LexiconError
    from analysis.pipeline import Engine, default_workers
    from analysis.rescore import rescore_store
    from analysis.store import resolve_db_path
    from analysis.user_edits import user_dir

    db = resolve_db_path(args.db)
    if not db.is_file():
        print(f"error: no store at {db}: ingest articles first (`python -m analysis ingest PATH`).",
              file=sys.stderr)
        return 2
    edits = user_dir()
    try:
        engine = Engine.load(user_dir=edits)
    except (ActorDataError, LexiconError) as error:
        print(f"error: the edits in {edits} cannot be used: {error}. The store is unchanged.", file=sys.stderr)
        return 2
    show = options.show_progress(args)
    bar = tqdm(desc="re-score", unit=" articles", disable=not show, mininterval=0.5, file=sys.stderr)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        summary = rescore_store(db, engine, workers=args.workers or default_workers(), progress=progress)
    except duckdb.InterruptException:
        raise  # Ctrl-C: `interrupted`, as for any command
    except (duckdb.Error, OSError) as error:
        # A full disk or an unwritable folder: the new store is discarded and the old one stays.
        reason = options.reason(error)
        print(f"error: could not re-score the store {db}: {reason}. The store is unchanged.", file=sys.stderr)
        return 2
    finally:
        bar.close()
    if args.format == "json":
        print(json.dumps({**summary.to_dict(), "db": str(db), "method_version": METHOD_VERSION}))
    else:
        print(f"re-scored {summary.read} articles with method {METHOD_VERSION} in {summary.seconds:.1f} s "
              f"-> {db}")
    return 0
