"""Export one chart as PNG, SVG or PDF (title, subtitle, provenance footer) or as the CSV of exactly
the data behind it.

Examples:
  python -m analysis export --chart pair-timeline --pair RUS-UKR --since 2022-01-01 --out rus-ukr.png
  python -m analysis export --chart matrix --format csv --out matrix.csv

The PNG is --width x --height pixels (default 1600 x 900, a 16:9 slide) rendered at scale 2; SVG and
PDF use the same layout. Image export needs Debian's chromium; CSV does not.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.commands import options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.export import CHARTS, DEFAULT_SCALE, DEFAULT_SIZE, FORMATS

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    options.add_db(parser)
    parser.add_argument("--chart", required=True, choices=list(CHARTS),
                        help="; ".join(f"{name}: {text}" for name, text in CHARTS.items()))
    parser.add_argument("--pair", help="pair-timeline: two ISO3 codes, e.g. RUS-UKR (either order)")
    parser.add_argument("--country", help="country: an ISO3 code, e.g. IRN")
    parser.add_argument("--since", help="first day, YYYY-MM-DD (periods starting on or after it)")
    parser.add_argument("--until", help="last day, YYYY-MM-DD")
    parser.add_argument("--freq", choices=("D", "W", "M"), default="M",
                        help="period of time series: day, week or month (default)")
    parser.add_argument("--by", choices=("stories", "articles"), default="stories",
                        help="weigh each story (default) or each article the same")
    parser.add_argument("--top-n", type=int, default=15, help="matrix/network: countries shown (15)")
    parser.add_argument("--n", type=int, default=10, help="top-pairs: pairs shown (10)")
    parser.add_argument("--rank-by", choices=("tension", "anomaly"), default="tension",
                        help="top-pairs: tension, or rise against baseline (anomaly)")
    parser.add_argument("--format", choices=list(FORMATS),
                        help="png, svg, pdf or csv (default: from the --out suffix)")
    parser.add_argument("--out", required=True, help="file to write")
    parser.add_argument("--width", type=int, default=DEFAULT_SIZE[0], help="PNG width in pixels (1600)")
    parser.add_argument("--height", type=int, default=DEFAULT_SIZE[1], help="PNG height in pixels (900)")
    parser.add_argument("--scale", type=float, default=DEFAULT_SCALE,
                        help="pixels per layout unit (2: type sized for slides)")


def output_format(fmt: str | None, out: str) -> str:
    """--format, or the --out suffix when --format is not given; they must agree when both are."""
    from analysis.export import FORMATS, ExportError

    suffix = Path(out).suffix.lower().lstrip(".")
    if fmt is None:
        if suffix not in FORMATS:
            raise ExportError(f"give --format ({', '.join(FORMATS)}) or an --out ending in one of them")
        return suffix
    if suffix in FORMATS and suffix != fmt:
        raise ExportError(f"--format {fmt} does not match --out {Path(out).name}")
    return fmt


def run(args: argparse.Namespace) -> int:
    from analysis.brief import normalise_pair
    from analysis.export import ChartRequest, ExportError, export_chart, write_export
    from analysis.provenance import as_date
    from analysis.store import StoreNotFound

    try:
        fmt = output_format(args.format, args.out)
        request = ChartRequest(
            args.chart, pair=normalise_pair(args.pair) if args.pair else None,
            country=args.country.strip().upper() if args.country else None,
            since=as_date(args.since), until=as_date(args.until), freq=args.freq, by=args.by,
            top_n=args.top_n, n=args.n, rank_by=args.rank_by)
        content = export_chart(request, fmt, args.db, width=args.width, height=args.height,
                               scale=args.scale)
        path = write_export(content, args.out)
    except (ExportError, StoreNotFound) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ValueError as error:  # a malformed date
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {path} ({len(content):,} bytes, {fmt})", file=sys.stderr)
    return 0
