"""Scoring cost against the unavoidable part: VADER compound per sentence.

    .venv/bin/python bench/bench_score.py [--shared ../shared] [--runs 3] [--limit N] [--cli]

For each corpus (WCEP full, Reuters-21578 dev), in the same process and on the same articles:
- baseline: the text the engine starts from (the headline, unless the body opens with it, then the
  body), split into sentences with one plain regex, each scored with one stock vaderSentiment
  `SentimentIntensityAnalyzer` — nothing else;
- faultline: `Engine.score` per article (cleaning, splitting, actors, lexicon, VADER, roles, pairs),
  one core, a freshly loaded Engine per run so no cache carries over between runs;
- faultline with `score_articles(workers=1)` and `workers=2`: wall time, for the multi-core speed-up,
  both yielding ScoredArticles to this process and (`+ JSON`) turning each into the JSON line the
  `score` command prints inside the workers (`transform=`), so only a string crosses processes;
- a check that Faultline's own VADER port (analysis.sentiment) gives the stock analyzer's compound on
  every baseline sentence (`port differs` must be 0);
- CPU per engine step, in µs per engine sentence (one run), to show where the time goes.
With `--cli`, also `python -m analysis score PATHS --workers 1` and `--workers 2` (`> /dev/null`: reading,
scoring and JSON output, as a user runs it) in a child process: the CPU time of `--workers 1` against
the baseline plus the same reading, and the wall time of both for the multi-core speed-up.
CPU times are `time.process_time()`; each figure is the median of `--runs` runs. Within a run the
baseline and Faultline take turns every 2,000 articles, and the CLI runs alternate, so that the
machine's drift does not enter the ratio. Prints Markdown
tables for bench/RESULTS.md (bench/run_all.py pastes them there).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from itertools import islice
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from analysis.ingest import iter_articles  # noqa: E402
from analysis.commands.score import json_line as cli_json_line  # noqa: E402
from analysis.model import Article  # noqa: E402
from analysis.pipeline import Engine, Work, score_articles  # noqa: E402
from analysis.sentiment import SentimentScorer  # noqa: E402

PLAIN_SPLIT = re.compile(r"(?<=[.!?])\s+")
DEFAULT_SHARED = REPO.parent / "shared"


def corpora(shared: Path) -> dict[str, list[Path]]:
    return {
        "WCEP full": [shared / "data/wcep/wcep_2002_2025_full.jsonl.gz"],
        "Reuters-21578 dev": sorted((shared / "data/reuters-dev").glob("*.jsonl.gz")),
    }


def load(paths: list[Path], limit: int | None) -> list[Article]:
    return list(islice((a for a in iter_articles(paths) if isinstance(a, Article)), limit))


def baseline_text(article: Article) -> str:
    """What the engine starts from: WCEP titles repeat the first sentence, so scoring title and body
    would count that sentence twice; the engine's rule (pipeline.step_clean) is applied here too."""
    title, body = article.title.strip(), article.text.strip()
    probe = title.rstrip("…").rstrip(".")[:60]
    return body if not title or body.startswith(probe) else f"{title}\n\n{body}"


def baseline_sentences(articles: list[Article]) -> list[list[str]]:
    return [[s for s in PLAIN_SPLIT.split(baseline_text(a)) if s.strip()] for a in articles]


def baseline_cpu(articles: list[Article], analyzer: SentimentIntensityAnalyzer | None = None) -> float:
    """Split and score every sentence with one stock analyzer: the floor for any VADER-based scorer."""
    analyzer = analyzer or SentimentIntensityAnalyzer()
    start = time.process_time()
    for article in articles:
        for sentence in PLAIN_SPLIT.split(baseline_text(article)):
            if sentence.strip():
                analyzer.polarity_scores(sentence)["compound"]
    return time.process_time() - start


def interleaved_cpu(articles: list[Article], block: int = 2000) -> tuple[float, float]:
    """(baseline, Faultline) CPU seconds over the corpus, the two taking turns block by block (which
    goes first alternates too): this shared machine's speed drifts by 10-30% over minutes, and whole
    runs one after the other would put that drift into the ratio."""
    analyzer = SentimentIntensityAnalyzer()
    engine = Engine.load()  # fresh: the sentence cache starts empty on every run
    baseline = ours = 0.0
    for number, first in enumerate(range(0, len(articles), block)):
        part = articles[first:first + block]
        if number % 2:
            ours += faultline_cpu(part, engine)
            baseline += baseline_cpu(part, analyzer)
        else:
            baseline += baseline_cpu(part, analyzer)
            ours += faultline_cpu(part, engine)
    return baseline, ours


def port_differences(sentences: list[list[str]]) -> tuple[int, int]:
    """(sentences checked, sentences where analysis.sentiment differs from vaderSentiment)."""
    analyzer, port = SentimentIntensityAnalyzer(), SentimentScorer(cache_size=0)
    checked = differ = 0
    for article in sentences:
        for sentence in article:
            checked += 1
            differ += port.compound(sentence) != analyzer.polarity_scores(sentence)["compound"]
    return checked, differ


def faultline_cpu(articles: list[Article], engine: Engine | None = None) -> float:
    engine = engine or Engine.load()  # fresh: the sentence cache starts empty on every run
    start = time.process_time()
    for article in articles:
        engine.score(article)
    return time.process_time() - start


def step_profile(articles: list[Article]) -> tuple[dict[str, float], int]:
    """CPU seconds per engine step over the corpus, and the number of engine sentences."""
    engine = Engine.load()
    spent: dict[str, float] = defaultdict(float)
    sentences = 0
    clock = time.thread_time
    for article in articles:
        work = Work(article=article)
        for name, step in engine.steps:
            started = clock()
            work = step(engine, work)
            spent[name] += clock() - started
        sentences += len(work.sentences)
    return spent, sentences


def json_line(scored) -> str:
    """What `python -m analysis score` prints per article (built in the workers, as the CLI does)."""
    return cli_json_line(scored)


def wall(articles: list[Article], workers: int, transform=None) -> float:
    start = time.perf_counter()
    for _ in score_articles(articles, workers=workers, transform=transform):
        pass
    return time.perf_counter() - start


def child_cpu(command: list[str]) -> float:
    """User + system CPU seconds of one child process run to completion."""
    return child_run(command)[0]


def child_run(command: list[str]) -> tuple[float, float]:
    """(user + system CPU seconds, wall seconds) of one child process and its own children (the
    scoring workers), run to completion."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    wall_seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall_seconds


BASELINE_WITH_READING = """
import re, sys
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
sys.path.insert(0, {repo!r})
from analysis.ingest import iter_articles
from analysis.model import Article
split = re.compile(r"(?<=[.!?])\\s+")
analyzer = SentimentIntensityAnalyzer()
for article in iter_articles(sys.argv[1:]):
    if isinstance(article, Article):
        title, body = article.title.strip(), article.text.strip()
        probe = title.rstrip("\u2026").rstrip(".")[:60]
        text = body if not title or body.startswith(probe) else title + "\\n\\n" + body
        for sentence in split.split(text):
            if sentence.strip():
                analyzer.polarity_scores(sentence)["compound"]
"""


def machine() -> str:
    load = os.getloadavg()
    return (f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, Python "
            f"{platform.python_version()}, load average at start {load[0]:.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=None, help="first N articles of each corpus")
    parser.add_argument("--cli", action="store_true", help="also time `python -m analysis score`")
    args = parser.parse_args()
    at_start = machine()  # the load average before this bench adds its own
    print(f"machine: {at_start}", file=sys.stderr)
    main_rows = ["| corpus | articles | engine sentences | VADER-only CPU s (baseline) | Faultline CPU s "
                 "(1 core) | ratio | workers=1 wall s | workers=2 wall s | speed-up | + JSON, workers=1 | "
                 "+ JSON, workers=2 | speed-up | port differs |",
                 "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    step_rows: list[str] = []
    cli_rows = ["| corpus | baseline + reading CPU s | `score --workers 1` CPU s | ratio | ratio per round "
                "| `--workers 1` wall s | `--workers 2` wall s | speed-up | `--workers 2` CPU s (all processes) |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, paths in corpora(args.shared).items():
        articles = load(paths, args.limit)
        pairs = [interleaved_cpu(articles) for _ in range(args.runs)]
        base = statistics.median(b for b, _ in pairs)
        ours = statistics.median(f for _, f in pairs)
        one = statistics.median(wall(articles, 1) for _ in range(args.runs))
        two = statistics.median(wall(articles, 2) for _ in range(args.runs))
        one_json = statistics.median(wall(articles, 1, json_line) for _ in range(args.runs))
        two_json = statistics.median(wall(articles, 2, json_line) for _ in range(args.runs))
        checked, differ = port_differences(baseline_sentences(articles))
        spent, sentences = step_profile(articles)
        main_rows.append(f"| {name} | {len(articles):,} | {sentences:,} | {base:.2f} | {ours:.2f} | "
                         f"**{ours / base:.2f}×** | {one:.2f} | {two:.2f} | **{one / two:.2f}×** | "
                         f"{one_json:.2f} | {two_json:.2f} | **{one_json / two_json:.2f}×** | "
                         f"{differ} of {checked:,} |")
        print(main_rows[-1], file=sys.stderr)
        if not step_rows:
            step_rows = ["| corpus | " + " | ".join(spent) + " | total | VADER-only baseline |",
                         "| --- |" + " ---: |" * (len(spent) + 2)]
        per = {k: v / sentences * 1e6 for k, v in spent.items()}
        step_rows.append(f"| {name} | " + " | ".join(f"{v:.1f}" for v in per.values())
                         + f" | {sum(per.values()):.1f} | {base / sentences * 1e6:.1f} |")
        if args.cli:
            files = [str(p) for p in paths]
            baseline = [sys.executable, "-c", BASELINE_WITH_READING.format(repo=str(REPO)), *files]
            command = [sys.executable, "-m", "analysis", "score", *files, "--workers"]
            rounds = [(child_cpu(baseline), child_run([*command, "1"]), child_run([*command, "2"]))
                      for _ in range(args.runs)]  # interleaved, as above
            reading = statistics.median(r for r, _, _ in rounds)
            one_core = [one for _, one, _ in rounds]
            two_cores = [two for _, _, two in rounds]
            cli = statistics.median(cpu for cpu, _ in one_core)
            cli_one, cli_two = (statistics.median(w for _, w in runs) for runs in (one_core, two_cores))
            cli_two_cpu = statistics.median(cpu for cpu, _ in two_cores)
            # Each round's own ratio too: its two runs follow each other, so a drift of the machine's
            # speed between rounds moves both sides of it alike.
            each = sorted(one[0] / base_cpu for base_cpu, one in zip((r for r, _, _ in rounds), one_core))
            cli_rows.append(f"| {name} | {reading:.2f} | {cli:.2f} | **{cli / reading:.2f}×** | "
                            f"{each[0]:.2f}–{each[-1]:.2f}× | {cli_one:.2f} | "
                            f"{cli_two:.2f} | **{cli_one / cli_two:.2f}×** | {cli_two_cpu:.2f} |")
            print(cli_rows[-1], file=sys.stderr)
    print(f"Machine: {at_start}; at the end {os.getloadavg()[0]:.1f}. Median of {args.runs} runs"
          + (f", first {args.limit} articles of each corpus" if args.limit else "") + ".\n")
    print("\n".join(main_rows))
    print("\nCPU per engine step, µs per engine sentence (one run; the baseline per engine sentence for "
          "scale):\n")
    print("\n".join(step_rows))
    if args.cli:
        print("\nEnd to end, `python -m analysis score PATHS --workers 1 > /dev/null` (reading, scoring, "
              "JSON out) against reading + plain split + stock VADER, child-process CPU; and the wall time "
              "of `--workers 1` against `--workers 2` (on a busy machine the speed-up is understated):\n")
        print("\n".join(cli_rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
