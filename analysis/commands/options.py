"""Options and messages several commands share, so they read and behave alike."""
from __future__ import annotations

import argparse
import sys


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="store path (default: $FAULTLINE_DB or data/faultline.duckdb)")


def add_progress(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress bar on stderr (default: when stderr is a terminal)")


def add_summary_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="summary as a line of text (default) or one JSON object")


def show_progress(args: argparse.Namespace) -> bool:
    return sys.stderr.isatty() if args.progress is None else args.progress


def reason(error: BaseException) -> str:
    """The first line of an error's message (DuckDB's run over several), else its type's name."""
    return next(iter(str(error).strip().splitlines()), type(error).__name__)
