"""Read queries the dashboard needs beyond analysis.queries: keyword categories over time, story sizes
for "+N outlets", and the categories present in the store.

Same conventions as analysis.queries: the store path first (None: the default store), one short-lived
read-only connection per call, pandas DataFrames or plain values out.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date

import pandas as pd

from analysis.aggregate import FREQS
from analysis.provenance import dated_between
from analysis.store import read_frame, reading

DbPath = str | os.PathLike | None


def category_breakdown(db: DbPath, pair: str | None, freq: str = "M", since: date | None = None,
                       until: date | None = None, sources: Sequence[str] = ()) -> pd.DataFrame:
    """Matched lexicon terms per period and category in the evidence sentences of `pair` (of all pairs
    when None), of articles from `sources` when given: `date` (period start), `category`, `polarity`,
    `count`, oldest first."""
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {', '.join(FREQS)}, not {freq!r}")
    params: list = [FREQS[freq]]
    pair_clause = ""
    if pair:
        pair_clause = "WHERE pair = ?"
        params.append(pair)
    clauses, params = dated_between(since, until, params)
    if sources:
        clauses.append("list_contains(?, a.source)")
        params.append(list(sources))
    return read_frame(db, f"""
        WITH matched AS (
            SELECT date_trunc(?, a.date)::DATE AS date,
                   unnest(from_json(s.keywords, '[{{"category": "VARCHAR", "polarity": "VARCHAR"}}]')) AS k
            FROM (SELECT DISTINCT article_id, sentence FROM evidence {pair_clause}) e
            JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence
            JOIN articles a ON a.id = e.article_id
            WHERE {' AND '.join(clauses)})
        SELECT date, k.category AS category, k.polarity AS polarity, count(*)::INTEGER AS count
        FROM matched GROUP BY ALL ORDER BY date, category""", params)


def story_sizes(db: DbPath, story_ids: Sequence[str]) -> dict[str, int]:
    """How many articles each story holds: {story_id: articles}; unknown ids are left out."""
    if not story_ids:
        return {}
    with reading(db) as conn:
        rows = conn.execute("SELECT story_id, articles FROM stories WHERE list_contains(?, story_id)",
                            [list(story_ids)]).fetchall()
    return {story_id: int(articles) for story_id, articles in rows}


def stored_categories(db: DbPath = None) -> list[str]:
    """The keyword categories matched at least once in the store, alphabetically."""
    frame = read_frame(db, """
        SELECT DISTINCT k.category AS category
        FROM (SELECT unnest(from_json(keywords, '[{"category": "VARCHAR"}]')) AS k FROM articles)
        WHERE k.category IS NOT NULL ORDER BY 1""")
    return list(frame["category"])
