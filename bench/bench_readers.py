"""Read real corpora through the readers, cleaner and sentence splitter; report counts and timings.

Usage: python bench/bench_readers.py [PATH ...]
Default paths: ../shared/data/wcep/wcep_2002_2025_full.jsonl.gz and ../shared/data/reuters-dev
(the corpora stay outside the repository; Reuters-21578 is research-only).

Per path, as a markdown table: articles, read errors, undated, non-English warnings, seconds to read;
then what the cleaner removed (by kind), seconds to clean; sentences and microseconds per sentence.
Expected: 113,308 WCEP items and 10,000 Reuters items, with zero read errors.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from analysis.clean import clean_text  # noqa: E402
from analysis.ingest import iter_articles  # noqa: E402
from analysis.model import Article, ReadError  # noqa: E402
from analysis.sentences import split_sentences  # noqa: E402

SHARED = REPO.parent / "shared" / "data"
DEFAULT_PATHS = [SHARED / "wcep" / "wcep_2002_2025_full.jsonl.gz", SHARED / "reuters-dev"]


def measure(path: Path) -> dict:
    started = time.perf_counter()
    items = list(iter_articles([path]))
    read_seconds = time.perf_counter() - started
    articles = [item for item in items if isinstance(item, Article)]
    errors = [item for item in items if isinstance(item, ReadError)]

    started = time.perf_counter()
    cleaned = [clean_text(article.text) for article in articles]
    clean_seconds = time.perf_counter() - started
    removed = Counter(removal.kind for result in cleaned for removal in result.removed)

    started = time.perf_counter()
    sentences = sum(len(split_sentences(result.text)) for result in cleaned)
    split_seconds = time.perf_counter() - started
    return {
        "path": path, "articles": len(articles), "errors": errors, "read_s": read_seconds,
        "undated": sum(1 for a in articles if a.date is None),
        "non_english": sum(1 for a in articles if any(w.startswith("non-English") for w in a.warnings)),
        "title_only": sum(1 for a in articles if not a.text),
        "clean_s": clean_seconds, "removed": removed,
        "changed": sum(1 for a, c in zip(articles, cleaned) if c.text != a.text),
        "sentences": sentences, "split_s": split_seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=DEFAULT_PATHS)
    args = parser.parse_args(argv)
    print("| corpus | articles | read errors | undated | title only | non-English | read s | "
          "articles/s | cleaned (changed) | clean s | sentences | µs/sentence |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    failures = 0
    for path in args.paths:
        if not path.exists():
            print(f"missing: {path}", file=sys.stderr)
            failures += 1
            continue
        r = measure(path)
        failures += len(r["errors"])
        print(f"| {r['path'].name} | {r['articles']:,} | {len(r['errors'])} | {r['undated']:,} | "
              f"{r['title_only']:,} | {r['non_english']:,} | {r['read_s']:.1f} | "
              f"{r['articles'] / r['read_s']:,.0f} | {r['changed']:,} | {r['clean_s']:.1f} | "
              f"{r['sentences']:,} | {r['split_s'] / max(r['sentences'], 1) * 1e6:.1f} |")
        print(f"  removed by kind: {dict(r['removed'].most_common())}", file=sys.stderr)
        for error in r["errors"][:10]:
            print(f"  {error}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
