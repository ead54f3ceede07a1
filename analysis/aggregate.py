"""Pair x period signals: counts, attention, means, a shrunk tension and an anomaly score.

Everything here is DuckDB SQL over the store's tables, run once at the end of each ingest
(`refresh_derived`) so that pages only filter a pre-aggregated table (`periods`).

Per key (a pair "AAA-BBB", or a country against all others) and period (day, ISO week from Monday,
month), with `by` = "stories" (each story weighs the same: a wire story carried by ten outlets
counts once) or "articles" (each article weighs the same):

- `articles`, `stories`: how many back the point.
- `attention`: the key's share of all stories (or articles) stored for that period, 0..1: volume
  normalised by how much news there is, as the GPR index normalises by article counts.
- `sentiment`, `escalation`, `cooperation`: means of the article-level pair signals (story means
  first when by stories).
- `tension`: the raw mean pulled toward the key's baseline when few stories back it:
  (n * mean + K * baseline) / (n + K), K = `SHRINK_STORIES`, n = stories (or articles). The key's
  baseline is its trailing mean (the same `TRAILING` window as the anomaly, before the period: no
  look-ahead, so adding 2022 does not rewrite 2012), itself pulled toward the mean of all keys
  (all periods) when few stories fill that window: (S * trailing mean + K * overall) / (S + K).
  One angry story about a quiet pair therefore moves its tension only part of the way.
- `anomaly`: how far the period's volume x (stories, or articles) rises above the key's trailing
  baseline: (x - m) / sqrt(v + 1), where m and v are the mean and variance of x over the previous
  `TRAILING` periods (90 days, 52 weeks, 12 months; empty periods count as 0; shorter at the start
  of the corpus; NULL for the first period of the corpus). The +1 keeps a quiet pair's first few
  stories from scoring as infinite. `large_increase` follows ACLED: x more than 25% above m, with
  at least `MIN_SUPPORT` stories.
"""
from __future__ import annotations

import duckdb

SHRINK_STORIES = 3.0
MIN_SUPPORT = 3
LARGE_INCREASE = 1.25
FREQS = {"D": "day", "W": "week", "M": "month"}
TRAILING = {"D": 90, "W": 52, "M": 12}
BYS = ("stories", "articles")

DERIVED_SCHEMA = """
CREATE TABLE IF NOT EXISTS key_story_daily (
    kind VARCHAR, key VARCHAR, date DATE, story_id VARCHAR, articles INTEGER,
    sentiment DOUBLE, escalation DOUBLE, cooperation DOUBLE, tension DOUBLE);
CREATE TABLE IF NOT EXISTS story_daily (date DATE, story_id VARCHAR, articles INTEGER);
CREATE TABLE IF NOT EXISTS periods (
    kind VARCHAR, key VARCHAR, freq VARCHAR, "by" VARCHAR, date DATE,
    articles INTEGER, stories INTEGER, attention DOUBLE, sentiment DOUBLE, escalation DOUBLE,
    cooperation DOUBLE, raw_tension DOUBLE, tension DOUBLE, baseline DOUBLE,
    trailing_mean DOUBLE, anomaly DOUBLE, large_increase BOOLEAN);
"""


def refresh_derived(conn: duckdb.DuckDBPyConnection) -> None:
    """Rebuild stories, story dates, daily tables and `periods` in one transaction."""
    conn.execute("BEGIN TRANSACTION")
    try:
        # Derived tables are rebuilt whole, so dropping them lets their shape change freely.
        conn.execute("DROP TABLE IF EXISTS key_story_daily; DROP TABLE IF EXISTS story_daily; "
                     "DROP TABLE IF EXISTS periods")
        conn.execute(DERIVED_SCHEMA)
        _refresh_stories(conn)
        _refresh_daily(conn)
        for freq in FREQS:
            for by in BYS:
                conn.execute(f"INSERT INTO periods BY NAME {period_sql(freq, by)}")
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('derived_stale', '0')")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _refresh_stories(conn: duckdb.DuckDBPyConnection) -> None:
    # An undated article takes its story's date: the earliest date a member gives itself.
    conn.execute("""
        UPDATE articles SET date = s.story_date, date_source = 'story'
        FROM (SELECT story_id, min(own_date) AS story_date FROM articles
              WHERE own_date IS NOT NULL GROUP BY story_id) s
        WHERE articles.story_id = s.story_id AND articles.own_date IS NULL
          AND (articles.date IS DISTINCT FROM s.story_date OR articles.date_source <> 'story')
    """)
    conn.execute("DELETE FROM stories")
    conn.execute("""
        INSERT INTO stories
        SELECT story_id, min(own_date), min(date), max(date), count(*), count(DISTINCT source),
               arg_min(title, coalesce(own_date, DATE '9999-12-31'))
        FROM articles GROUP BY story_id
    """)


def _refresh_daily(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("""
        INSERT INTO key_story_daily
        SELECT 'pair', p.pair, a.date, a.story_id, count(*), sum(p.sentiment), sum(p.escalation),
               sum(p.cooperation), sum(p.tension)
        FROM pair_signals p JOIN articles a ON a.id = p.article_id
        WHERE a.date IS NOT NULL GROUP BY ALL
    """)
    # A country against all others: one value per article (the mean over its pairs with the
    # country), so an article naming three partners still counts once.
    conn.execute("""
        INSERT INTO key_story_daily
        SELECT 'country', c.country, a.date, a.story_id, count(*), sum(c.sentiment),
               sum(c.escalation), sum(c.cooperation), sum(c.tension)
        FROM (SELECT article_id, country, avg(sentiment) AS sentiment,
                     avg(escalation) AS escalation, avg(cooperation) AS cooperation,
                     avg(tension) AS tension
              FROM (SELECT article_id, unnest([a, b]) AS country, sentiment, escalation,
                           cooperation, tension FROM pair_signals)
              GROUP BY ALL) c
        JOIN articles a ON a.id = c.article_id
        WHERE a.date IS NOT NULL GROUP BY ALL
    """)
    conn.execute("""
        INSERT INTO story_daily
        SELECT date, story_id, count(*) FROM articles WHERE date IS NOT NULL GROUP BY ALL
    """)


def period_sql(freq: str, by: str) -> str:
    """SQL producing the `periods` rows of one frequency and weighting from key_story_daily."""
    unit = FREQS[freq]
    trailing = TRAILING[freq]
    story_weighted = by == "stories"
    volume = "stories" if story_weighted else "articles"

    def mean(column: str) -> str:
        return f"avg({column} / n)" if story_weighted else f"sum({column}) / sum(n)"

    return f"""
    WITH per_story AS (
        SELECT kind, key, date_trunc('{unit}', date)::DATE AS period, story_id,
               sum(articles) AS n, sum(sentiment) AS sentiment, sum(escalation) AS escalation,
               sum(cooperation) AS cooperation, sum(tension) AS tension
        FROM key_story_daily GROUP BY ALL),
    totals AS (
        SELECT date_trunc('{unit}', date)::DATE AS period, count(DISTINCT story_id) AS stories,
               sum(articles) AS articles
        FROM story_daily GROUP BY ALL),
    corpus AS (SELECT min(period) AS first_period FROM totals),
    overall AS (
        SELECT kind, {mean('tension')} AS overall_mean FROM per_story GROUP BY kind),
    grouped AS (
        SELECT kind, key, period, sum(n)::INTEGER AS articles, count(*)::INTEGER AS stories,
               {mean('sentiment')} AS sentiment, {mean('escalation')} AS escalation,
               {mean('cooperation')} AS cooperation, {mean('tension')} AS raw_tension
        FROM per_story GROUP BY ALL),
    with_trailing AS (
        SELECT g.*,
               sum({volume}) OVER w AS trailing_sum,
               sum({volume} * {volume}) OVER w AS trailing_sq,
               sum({volume} * raw_tension) OVER w AS trailing_tension_sum,
               least({trailing}, datediff('{unit}', c.first_period, g.period)) AS window_len
        FROM grouped g, corpus c
        WINDOW w AS (PARTITION BY kind, key ORDER BY period
                     RANGE BETWEEN INTERVAL {trailing} {unit} PRECEDING
                               AND INTERVAL 1 {unit} PRECEDING)),
    based AS (
        SELECT t.*,
               (coalesce(t.trailing_tension_sum, 0) + {SHRINK_STORIES} * o.overall_mean)
               / (coalesce(t.trailing_sum, 0) + {SHRINK_STORIES}) AS baseline
        FROM with_trailing t JOIN overall o USING (kind))
    SELECT t.kind, t.key, '{freq}' AS freq, '{by}' AS "by", t.period AS date,
           t.articles, t.stories, t.{volume} / tot.{volume} AS attention,
           t.sentiment, t.escalation, t.cooperation, t.raw_tension,
           (t.{volume} * t.raw_tension + {SHRINK_STORIES} * t.baseline)
               / (t.{volume} + {SHRINK_STORIES}) AS tension,
           t.baseline,
           CASE WHEN t.window_len > 0 THEN coalesce(t.trailing_sum, 0) / t.window_len END
               AS trailing_mean,
           CASE WHEN t.window_len > 0 THEN
               (t.{volume} - coalesce(t.trailing_sum, 0) / t.window_len)
               / sqrt(greatest(coalesce(t.trailing_sq, 0) / t.window_len
                               - pow(coalesce(t.trailing_sum, 0) / t.window_len, 2), 0) + 1)
           END AS anomaly,
           t.window_len > 0 AND t.stories >= {MIN_SUPPORT}
               AND t.{volume} > {LARGE_INCREASE} * coalesce(t.trailing_sum, 0)
                                / greatest(t.window_len, 1) AS large_increase
    FROM based t JOIN totals tot USING (period)
    """
