"""Query latency on a large synthetic store: does the dashboard's read API answer in < 300 ms?

Fills a fresh store directly with SQL (N articles over 2000-2025, 1-3 pair signals each among 400
pairs of 60 countries, one sentence and one evidence row per pair, stories of 1-3 articles), runs
the same `refresh_derived` an ingest runs, then times each `analysis.queries` function (median of
5 runs, each in a fresh read-only connection as the dashboard does).

    python bench/queries_1m.py [--articles 1000000] [--db PATH]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import queries  # noqa: E402
from analysis.aggregate import refresh_derived  # noqa: E402
from analysis.store import writing  # noqa: E402


def fill(db: Path, articles: int) -> None:
    with writing(db) as conn:
        conn.execute(f"""
            INSERT INTO articles (id, source_id, story_id, date, date_source, own_date,
                                  own_date_source, source, url, title, text, countries, tension,
                                  sentiment, escalation, cooperation, warnings, keywords, removed)
            SELECT printf('%016x', i), 'a' || i, printf('%016x', i - i % 3),
                   DATE '2000-01-01' + (i * 9497 // {articles})::INTEGER AS d, 'field', d, 'field',
                   'Source ' || (i % 40), 'https://example.org/' || i, 'Title ' || i,
                   'Body of article ' || i, ['C' || lpad((i % 60)::VARCHAR, 2, '0')],
                   (i * 7919 % 100)::DOUBLE, 0.0, 1.0, 0.0, [], '[]', '[]'
            FROM range({articles}) t(i)""")
        conn.execute(f"""
            INSERT INTO pair_signals (article_id, pair, a, b, sentences, sentiment, escalation,
                                      cooperation, tension, stance, keywords)
            SELECT printf('%016x', i), a || '-' || b, a, b, 1, -0.2, 3.0, 1.0,
                   ((i * 7919 + k * 31) % 100)::DOUBLE, 'conflict', ['attack']
            FROM (SELECT i, k, 'C' || lpad(((i + k * 7) % 20)::VARCHAR, 2, '0') AS a,
                         'C' || lpad((20 + (i * 13 + k) % 40)::VARCHAR, 2, '0') AS b
                  FROM range({articles}) t(i), range(3) s(k) WHERE k <= i % 3)""")
        conn.execute("""
            INSERT INTO evidence SELECT article_id, pair, 0, 'Evidence sentence.', keywords,
                                        sentiment, tension, stance FROM pair_signals""")
        conn.execute("""
            INSERT INTO sentences (article_id, idx, text, parties, venues, organisations, actors,
                                   keywords, terms, sentiment, escalation, cooperation)
            SELECT article_id, 0, 'Evidence sentence.', [a, b], [], [], '[]',
                   '[{"term": "attack", "category": "ASSAULT", "polarity": "escalation"}]',
                   ['attack'], -0.2, 3.0, 1.0 FROM pair_signals""")
        started = time.monotonic()
        refresh_derived(conn)
        print(json.dumps({"refresh_seconds": round(time.monotonic() - started, 1)}))


def timed(name: str, call) -> dict:
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        call()
        runs.append((time.perf_counter() - started) * 1000)
    return {"query": name, "median_ms": round(statistics.median(runs)), "max_ms": round(max(runs))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--db")
    args = parser.parse_args()
    db = Path(args.db or Path(tempfile.mkdtemp()) / "large.duckdb")
    if not db.exists():
        started = time.monotonic()
        fill(db, args.articles)
        print(json.dumps({"fill_seconds": round(time.monotonic() - started, 1)}))
    pair = queries.pair_list(db).iloc[0]["pair"]
    day = str(queries.pair_timeline(pair, db).iloc[-1]["date"])[:10]
    article_id = queries.articles(db, limit=1)["id"][0]
    checks = [
        ("stats", lambda: queries.stats(db)),
        ("pair_timeline M", lambda: queries.pair_timeline(pair, db, freq="M")),
        ("pair_timeline D", lambda: queries.pair_timeline(pair, db, freq="D")),
        ("pairs_table M, one year", lambda: queries.pairs_table(db, since="2024-01-01",
                                                                until="2024-12-31")),
        ("top_pairs by tension", lambda: queries.top_pairs(db, since="2024-01-01")),
        ("top_pairs by anomaly, weekly", lambda: queries.top_pairs(db, since="2025-01-01",
                                                                   rank_by="anomaly", freq="W")),
        ("matrix", lambda: queries.matrix(db, since="2020-01-01")),
        ("country_profile", lambda: queries.country_profile(pair[:3], db, since="2020-01-01")),
        ("evidence (month)", lambda: queries.evidence(pair, day, db, freq="M")),
        ("articles page", lambda: queries.articles(db, countries=[pair[:3]], limit=50)),
        ("article_count", lambda: queries.article_count(db, countries=[pair[:3]])),
        ("article_detail", lambda: queries.article_detail(article_id, db)),
        ("data_quality", lambda: queries.data_quality(db)),
        ("pair_list", lambda: queries.pair_list(db)),
        ("anomalies_since_last_ingest", lambda: queries.anomalies_since_last_ingest(db)),
    ]
    for name, call in checks:
        print(json.dumps(timed(name, call)))


if __name__ == "__main__":
    main()
