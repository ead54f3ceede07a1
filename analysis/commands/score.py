"""Score articles: one JSON object per article on stdout, in input order.

Reads text/Markdown, JSON Lines, JSON, CSV (also .gz), HTML, zip files, directories (recursively) and
`-` for standard input. A bad file or line is reported on stderr, naming it, and everything else is
still scored. Exit status is 1 only when nothing at all could be read.
"""
from __future__ import annotations

import argparse
import gc
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from analysis.ingest import iter_articles
from analysis.model import Article, ReadError, ScoredArticle
from analysis.pipeline import Engine, score_articles
from analysis.score_files import score_paths


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, directories or - for stdin")
    parser.add_argument("--format", choices=("jsonl", "table"), default="jsonl",
                        help="jsonl: one JSON object per article (default); table: a summary line each")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes to score with (default: all cores)")
    parser.add_argument("--sentences", action="store_true",
                        help="include every sentence with its actors, keywords and sentiment")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="local processes (default) or a Dask cluster (needs --out)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 "
                             "(default: a LocalCluster on this machine)")
    parser.add_argument("--out", metavar="DIR",
                        help="write Parquet partitions (articles/, pairs/) to DIR instead of stdout; "
                             "load them with `python -m analysis ingest DIR`")


class _Tally:
    def __init__(self) -> None:
        self.read = 0
        self.errors = 0


def _articles_reporting_errors(paths: list[str], tally: _Tally) -> Iterator[Article]:
    for item in iter_articles(paths):
        if isinstance(item, ReadError):
            tally.errors += 1
            print(f"error: {describe_error(item)}", file=sys.stderr, flush=True)
        else:
            tally.read += 1
            yield item


def describe_error(error: ReadError) -> str:
    """The reader's message, prefixed with where it happened unless the message already says."""
    file_name = Path(error.origin.split(":")[0]).name
    return error.message if file_name and file_name in error.message else str(error)


def format_row(scored: ScoredArticle) -> str:
    pairs = ", ".join(f"{p.pair}:{p.stance}:{p.tension:.0f}" for p in scored.pairs[:4]) or "-"
    return "\t".join([
        scored.id, scored.date or "undated", ",".join(scored.countries) or "-",
        f"{scored.tension:5.1f}", pairs, scored.title[:70],
    ])


def json_line(scored: ScoredArticle) -> str:
    """One line of `score` output (newline included); runs in the scoring workers."""
    return scored.to_json() + "\n"


def json_line_with_sentences(scored: ScoredArticle) -> str:
    """One line of `score --sentences` output (newline included)."""
    return scored.to_json(with_sentences=True) + "\n"


def table_line(scored: ScoredArticle) -> str:
    """One row of `score --format table` (newline included)."""
    return format_row(scored) + "\n"


@contextmanager
def _collector_set_for_scoring() -> Iterator[None]:
    """The garbage collector set for a long scoring run, and restored after (for a caller that runs
    this command inside its own process); forked workers inherit the setting.

    - Frozen: the engine's dictionaries, lexicon and the modules outlive the run, so full collections
      stop walking them (on WCEP full 0.97 -> 0.37 s of CPU).
    - A first-generation threshold of 10,000 instead of 700: scoring one article keeps more than
      700 records alive for a moment, so the default collected several times per article, walking
      records that reference counting frees anyway (collections 0.7 -> 0.06 s of CPU on WCEP full).
      Scoring makes almost no reference cycles, so little waits longer to be collected."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(10_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _write_scored(batches: Iterator[list], out) -> tuple[int, int]:
    """Write each chunk's lines as one block and report errors on stderr in their input order;
    (articles scored, errors)."""
    read = errors = 0
    for batch in batches:
        lines = []
        for item in batch:
            if isinstance(item, ReadError):
                errors += 1
                if lines:
                    out.write("".join(lines))
                    lines = []
                out.flush()
                print(f"error: {describe_error(item)}", file=sys.stderr, flush=True)
            else:
                read += 1
                lines.append(item)
        out.write("".join(lines))
    return read, errors


def _score_to_parquet(args: argparse.Namespace, articles: Iterator[Article]) -> None:
    from analysis.distributed import BATCH_SIZE, batches, score_with_dask, write_partition

    if args.engine == "dask":
        run = score_with_dask(articles, Path(args.out), scheduler=args.scheduler, workers=args.workers)
        partitions = run.partitions
    else:
        scored = score_articles(articles, workers=args.workers)
        partitions = 0
        for number, batch in enumerate(batches(scored, BATCH_SIZE)):
            write_partition(number, batch, args.out)
            partitions += 1
    print(f"wrote {partitions} partition(s) to {args.out}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    if args.engine == "dask" and not args.out:
        print("error: --engine dask writes Parquet partitions: give --out DIR", file=sys.stderr)
        return 2
    if args.out:
        tally = _Tally()
        _score_to_parquet(args, _articles_reporting_errors(args.paths, tally))
        print(f"scored {tally.read} article(s), {tally.errors} error(s)", file=sys.stderr)
        return 1 if tally.read == 0 and tally.errors else 0
    out = sys.stdout
    if args.format == "table":
        print("id\tdate\tcountries\ttension\tpairs (pair:stance:tension)\ttitle", file=out)
        transform = table_line
    else:
        transform = json_line_with_sentences if args.sentences else json_line
    engine = Engine.load()
    with _collector_set_for_scoring():
        batches = score_paths(args.paths, transform, workers=args.workers, engine=engine)
        read, errors = _write_scored(batches, out)
    out.flush()
    print(f"scored {read} article(s), {errors} error(s)", file=sys.stderr)
    return 1 if read == 0 and errors else 0
