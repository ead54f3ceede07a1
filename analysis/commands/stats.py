"""Corpus totals of the store: articles, stories, undated, countries, pairs, dates, sources."""
from __future__ import annotations

import argparse
import json

from analysis.commands import options
from analysis.commands.pairs import reports_missing_store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_db(parser)
    parser.add_argument("--format", choices=("json", "table"), default="json",
                        help="one JSON object (default) or one 'name value' line per total")


@reports_missing_store
def run(args: argparse.Namespace) -> int:
    from analysis import queries  # lazy: keeps `python -m analysis` quick to start

    totals = queries.stats(args.db)
    if args.format == "json":
        print(json.dumps(totals))
    else:
        width = max(len(name) for name in totals)
        for name, value in totals.items():
            shown = ", ".join(value) if isinstance(value, list) else ("" if value is None else value)
            print(f"{name:<{width}}  {shown}")
    return 0
