"""The sentences behind one point of a pair's series, with article title, source, url and matched terms."""
from __future__ import annotations

import argparse
import json
import sys

from analysis.commands import options
from analysis.commands.pairs import iso_date, normalise_pair, reports_missing_store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_db(parser)
    parser.add_argument("--pair", required=True, help="e.g. RUS-UKR (either order)")
    parser.add_argument("--date", required=True, type=iso_date,
                        help="YYYY-MM-DD: any day of the period (the period start is simplest)")
    parser.add_argument("--freq", choices=("D", "W", "M"), default="D",
                        help="the period around --date: day (default), week or month")
    parser.add_argument("--format", choices=("text", "jsonl"), default="text")
    parser.add_argument("--limit", type=int, default=200)


@reports_missing_store
def run(args: argparse.Namespace) -> int:
    from analysis import queries  # lazy: keeps `python -m analysis` quick to start

    pair = normalise_pair(args.pair)
    frame = queries.evidence(pair, args.date, args.db, freq=args.freq, limit=args.limit)
    first, last = queries.period_bounds(args.date, args.freq)
    if frame.empty:
        print(f"no evidence for {pair} between {first} and {last}", file=sys.stderr)
        return 0
    for row in frame.itertuples(index=False):
        terms = [str(term) for term in row.keywords]
        if args.format == "jsonl":
            print(json.dumps({
                "date": row.date.strftime("%Y-%m-%d"), "pair": pair, "article_id": row.article_id,
                "title": row.title, "source": row.source, "url": row.url,
                "sentence": int(row.sentence), "text": row.text, "terms": terms,
                "sentiment": float(row.sentiment), "tension": float(row.tension)}))
        else:
            print(f"{row.date:%Y-%m-%d}  {row.title}  [{row.source or 'unknown source'}]"
                  f"{'  ' + row.url if row.url else ''}")
            print(f"    {row.text}")
            print(f"    terms: {', '.join(terms) or '-'}  sentiment {row.sentiment:+.2f}  "
                  f"tension {row.tension:.0f}")
    return 0
