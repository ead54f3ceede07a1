"""Faultline's command line: `python -m analysis COMMAND ...`.

Each command lives in its own module under `analysis/commands/` and exposes
`add_arguments(parser)` and `run(args) -> int`; this file only wires them together.
"""
from __future__ import annotations

import argparse
import importlib
import sys

# (command name, module under analysis.commands, one-line help)
COMMANDS: list[tuple[str, str, str]] = [
    ("score", "score", "score articles and print one JSON object per article"),
    ("ingest", "ingest", "read, score and store articles in the DuckDB store"),
    ("pairs", "pairs", "pair x period signals from the store as CSV or JSON Lines"),
    ("stats", "stats", "corpus totals of the store"),
    ("evidence", "evidence", "the sentences behind one point of a pair's series"),
    ("demo", "demo", "build the store from the shipped demo corpus (first run only)"),
    ("export", "export", "one chart as PNG/SVG/PDF with provenance, or the CSV behind it"),
    ("brief", "brief", "a briefing pack (PPTX or PDF) for some pairs and a period"),
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Faultline: geopolitical tension signals between country pairs from news text.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module_name, help_text in COMMANDS:
        module = importlib.import_module(f"analysis.commands.{module_name}")
        sub = subparsers.add_parser(name, help=help_text, description=module.__doc__)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `... | head`: the reader went away, nothing to report
        return 0


if __name__ == "__main__":
    sys.exit(main())
