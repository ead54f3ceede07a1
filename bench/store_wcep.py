"""Store benchmark on WCEP: write speed and story grouping, without the scoring engine.

Each WCEP event summary becomes a ScoredArticle with no pairs (the store's own cost only), is
ingested into a fresh store, and the script reports seconds, articles/s, peak RSS, stories vs items,
and a sample of multi-item stories to judge by eye.

    python bench/store_wcep.py [PATH] [--limit N] [--db PATH]
    PATH defaults to ../shared/data/wcep/wcep_2002_2025_full.jsonl.gz
"""
from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.model import ScoredArticle  # noqa: E402
from analysis.store import ingest_scored, read_frame  # noqa: E402

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared/data/wcep/wcep_2002_2025_full.jsonl.gz"


def records(path: Path, limit: int | None):
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if limit and number >= limit:
                return
            item = json.loads(line)
            yield ScoredArticle(
                id=item["id"], title=item["title"], date=item["date"], date_source="field",
                source=item.get("source"), url=item.get("url"), origin=f"{path}:{number + 1}",
                countries=(), mentions=(), venues=(), sentiment=0.0, escalation=0.0,
                cooperation=0.0, tension=0.0, pairs=(), keywords=(), text=item["text"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT))
    parser.add_argument("--limit", type=int)
    parser.add_argument("--db")
    parser.add_argument("--samples", type=int, default=15)
    args = parser.parse_args()
    db = args.db or str(Path(tempfile.mkdtemp()) / "bench.duckdb")
    started = time.monotonic()
    summary = ingest_scored(db, records(Path(args.path), args.limit))
    seconds = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    counts = read_frame(db, "SELECT count(*) AS items, count(DISTINCT story_id) AS stories, "
                            "count(*) FILTER (WHERE story_id <> id) AS joined FROM articles")
    print(json.dumps({**summary.to_dict(), "seconds": round(seconds, 1),
                      "articles_per_s": round(summary.new / seconds), "peak_rss_mb": round(peak_mb),
                      **{k: int(v) for k, v in counts.iloc[0].items()}}))
    sample = read_frame(db, """
        SELECT story_id, list(date ORDER BY date) AS dates, list(left(text, 110) ORDER BY date) AS texts
        FROM articles WHERE story_id IN (SELECT story_id FROM stories WHERE articles > 1
                                         ORDER BY hash(story_id) LIMIT ?)
        GROUP BY story_id""", [args.samples])
    for row in sample.itertuples():
        print("---")
        for day, text in zip(row.dates, row.texts):
            print(f"  {str(day)[:10]}  {text}")


if __name__ == "__main__":
    main()
