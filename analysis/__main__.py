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
    ("rescore", "rescore", "score every stored article again after a lexicon or actor edit"),
    ("pairs", "pairs", "pair x period signals from the store as CSV or JSON Lines"),
    ("stats", "stats", "corpus totals of the store"),
    ("evidence", "evidence", "the sentences behind one point of a pair's series"),
    ("demo", "demo", "build the store from the shipped demo corpus (first run only)"),
    ("export", "export", "one chart as PNG/SVG/PDF with provenance, or the CSV behind it"),
    ("brief", "brief", "a briefing pack (PPTX or PDF) for some pairs and a period"),
]


def build_parser(selected: str | None = None) -> argparse.ArgumentParser:
    """The CLI parser. Only the `selected` command's module is imported (with its arguments):
    `demo` and `stats` need not load the scoring engine. `selected=None` loads every command."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Faultline: geopolitical tension signals between country pairs from news text.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module_name, help_text in COMMANDS:
        if selected is not None and name != selected:
            subparsers.add_parser(name, help=help_text)  # listed in --help, loaded when chosen
            continue
        module = importlib.import_module(f"analysis.commands.{module_name}")
        sub = subparsers.add_parser(name, help=help_text, description=module.__doc__)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def _chosen_command(argv: list[str]) -> str | None:
    names = {name for name, _, _ in COMMANDS}
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return first if first in names else None


def is_interrupted_query(error: BaseException) -> bool:
    """Ctrl-C during a DuckDB query: DuckDB takes the signal and raises its InterruptException, or a
    RuntimeError("Query interrupted"), instead of Python's KeyboardInterrupt."""
    return type(error).__name__ == "InterruptException" or (
        type(error) is RuntimeError and str(error).startswith("Query interrupted"))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    chosen = _chosen_command(argv)
    args = build_parser(chosen or "").parse_args(argv) if chosen else build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `... | head`: the reader went away, nothing to report
        return 0
    except Exception as error:  # after BrokenPipeError, which is an Exception too
        if not is_interrupted_query(error):
            raise
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
