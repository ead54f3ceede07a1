"""Scoring cost against the unavoidable part: VADER compound per sentence.

    .venv/bin/python bench/bench_score.py [--shared ../shared] [--runs 3] [--limit N]

For each corpus (WCEP full, Reuters-21578 dev), in the same process and on the same articles:
- baseline: split each article into sentences with one plain regex and score each with one VADER
  analyzer (nothing else);
- faultline: `Engine.score` per article (cleaning, splitting, actors, lexicon, VADER, pairs), one core;
- faultline with `score_articles(workers=1)` and `workers=2`: wall time, for the multi-core speed-up.
CPU times are `time.process_time()`; each figure is the median of `--runs` runs. Prints a Markdown
table for bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import gzip
import json
import platform
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from analysis.ingest import iter_articles  # noqa: E402
from analysis.model import Article  # noqa: E402
from analysis.pipeline import Engine, score_articles  # noqa: E402

PLAIN_SPLIT = re.compile(r"(?<=[.!?])\s+")


def load(paths: list[Path], limit: int | None) -> list[Article]:
    articles = [a for a in iter_articles(paths) if isinstance(a, Article)]
    return articles[:limit] if limit else articles


def baseline_cpu(articles: list[Article]) -> float:
    analyzer = SentimentIntensityAnalyzer()
    start = time.process_time()
    for article in articles:
        for sentence in PLAIN_SPLIT.split(f"{article.title}\n{article.text}"):
            if sentence:
                analyzer.polarity_scores(sentence)["compound"]
    return time.process_time() - start


def faultline_cpu(engine: Engine, articles: list[Article]) -> float:
    start = time.process_time()
    for article in articles:
        engine.score(article)
    return time.process_time() - start


def wall(articles: list[Article], workers: int) -> float:
    start = time.perf_counter()
    for _ in score_articles(articles, workers=workers):
        pass
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=None, help="first N articles of each corpus")
    args = parser.parse_args()
    corpora = {
        "WCEP full": [args.shared / "data/wcep/wcep_2002_2025_full.jsonl.gz"],
        "Reuters-21578 dev": sorted((args.shared / "data/reuters-dev").glob("*.jsonl.gz")),
    }
    engine = Engine.load()
    print(f"machine: {platform.processor() or platform.machine()}, {platform.python_version()}, "
          f"{len(__import__('os').sched_getaffinity(0))} cores", file=sys.stderr)
    lines = ["| corpus | articles | VADER-only CPU s | Faultline CPU s (1 core) | ratio | "
             "workers=1 wall s | workers=2 wall s | speed-up |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, paths in corpora.items():
        articles = load(paths, args.limit)
        base = statistics.median(baseline_cpu(articles) for _ in range(args.runs))
        ours = statistics.median(faultline_cpu(engine, articles) for _ in range(args.runs))
        one = statistics.median(wall(articles, 1) for _ in range(args.runs))
        two = statistics.median(wall(articles, 2) for _ in range(args.runs))
        lines.append(f"| {name} | {len(articles):,} | {base:.2f} | {ours:.2f} | {ours / base:.2f}× | "
                     f"{one:.2f} | {two:.2f} | {one / two:.2f}× |")
        print(lines[-1], file=sys.stderr)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
