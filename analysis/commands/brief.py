"""Write a briefing pack for some pairs and a period: a PowerPoint deck (.pptx) or a PDF (.pdf) with a
title page, per pair its tension chart, a summary line and its three strongest evidence sentences with
their sources, and a method and sources page with the data's attribution.

Example:
  python -m analysis brief --pair RUS-UKR --pair IRN-ISR --since 2024-01-01 --out brief.pptx
"""
from __future__ import annotations

import argparse
import sys

from analysis.commands import options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    options.add_db(parser)
    parser.add_argument("--pair", action="append", required=True,
                        help="a pair, e.g. RUS-UKR (either order); repeat for more pairs")
    parser.add_argument("--since", help="first day, YYYY-MM-DD")
    parser.add_argument("--until", help="last day, YYYY-MM-DD")
    parser.add_argument("--freq", choices=("D", "W", "M"), default="M",
                        help="period of the charts: day, week or month (default)")
    parser.add_argument("--by", choices=("stories", "articles"), default="stories",
                        help="weigh each story (default) or each article the same")
    parser.add_argument("--out", required=True, help="FILE.pptx or FILE.pdf")


def run(args: argparse.Namespace) -> int:
    from analysis.brief import build_brief, write_brief
    from analysis.export import ExportError
    from analysis.store import StoreNotFound

    try:
        if not args.out.lower().endswith((".pptx", ".pdf")):
            raise ExportError(f"--out must end in .pptx or .pdf, not {args.out!r}")
        brief = build_brief(args.pair, args.db, since=args.since, until=args.until, freq=args.freq,
                            by=args.by)
        path = write_brief(brief, args.out)
    except (ExportError, StoreNotFound, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {path}: {len(brief.pairs)} pair(s), {brief.provenance.articles} articles",
          file=sys.stderr)
    return 0
