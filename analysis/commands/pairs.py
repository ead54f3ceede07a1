"""Pair x period signals from the store: one row per pair and period (day, week or month).

Columns: date (period start, YYYY-MM-DD), pair, articles, stories, attention, sentiment, escalation,
cooperation, tension, anomaly. See analysis/aggregate.py for how each is computed.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import sys

from analysis.commands import options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_db(parser)
    parser.add_argument("--since", type=iso_date,
                        help="first day, YYYY-MM-DD (periods starting on or after it)")
    parser.add_argument("--until", type=iso_date, help="last day, YYYY-MM-DD")
    parser.add_argument("--pair", help="one pair, e.g. RUS-UKR (either order)")
    parser.add_argument("--country", help="pairs involving this ISO3 country, e.g. IRN")
    parser.add_argument("--freq", choices=("D", "W", "M"), default="M",
                        help="day, week (from Monday) or month (default)")
    parser.add_argument("--by", choices=("stories", "articles"), default="stories",
                        help="weigh each story (default) or each article the same")
    parser.add_argument("--format", choices=("csv", "jsonl"), default="csv")


def reports_missing_store(run):
    """Wrap a command's run(args): a missing store is a one-line message and exit status 1."""
    def wrapped(args: argparse.Namespace) -> int:
        from analysis.store import StoreNotFound

        try:
            return run(args)
        except StoreNotFound as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    wrapped.__doc__ = run.__doc__
    return wrapped


def iso_date(text: str) -> str:
    """argparse type: a YYYY-MM-DD date, refused with a readable message otherwise."""
    from datetime import date

    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2024-03-31") from None


def normalise_pair(text: str) -> str:
    """"ukr-rus" -> "RUS-UKR"."""
    codes = sorted(code.strip().upper() for code in text.split("-"))
    if len(codes) != 2 or not all(len(code) == 3 and code.isalpha() for code in codes):
        raise SystemExit(f"--pair wants two ISO3 codes joined by '-', e.g. RUS-UKR, not {text!r}")
    return "-".join(codes)


def _records(frame) -> list[dict]:
    from analysis.queries import SERIES_COLUMNS

    rows = []
    for row in frame[SERIES_COLUMNS].itertuples(index=False):
        record = dict(zip(SERIES_COLUMNS, row))
        record["date"] = record["date"].strftime("%Y-%m-%d")
        for name, value in record.items():
            if hasattr(value, "item"):  # numpy scalar -> Python
                value = value.item()
            if isinstance(value, float) and math.isnan(value):
                value = None
            record[name] = value
        rows.append(record)
    return rows


@reports_missing_store
def run(args: argparse.Namespace) -> int:
    from analysis import queries  # lazy: keeps `python -m analysis` quick to start

    frame = queries.pairs_table(
        args.db, since=args.since, until=args.until,
        pair=normalise_pair(args.pair) if args.pair else None,
        country=args.country.strip().upper() if args.country else None,
        freq=args.freq, by=args.by)
    rows = _records(frame)
    if args.format == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row) + "\n")
        return 0
    from analysis.export import csv_cell  # text starting = + - @ is disarmed, numbers stay numbers

    writer = csv.writer(sys.stdout, lineterminator="\n")
    columns = queries.SERIES_COLUMNS
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row[name]) for name in columns])
    return 0
