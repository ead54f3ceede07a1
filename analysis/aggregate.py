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

from analysis.store import rollback

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
CREATE TABLE IF NOT EXISTS key_terms_monthly (kind VARCHAR, key VARCHAR, month DATE, term VARCHAR,
    count INTEGER);
CREATE TABLE IF NOT EXISTS corpus_stats (
    articles BIGINT, stories BIGINT, undated BIGINT, countries BIGINT, pairs BIGINT,
    first_date DATE, last_date DATE, sources BIGINT, dated_by_story BIGINT, no_country BIGINT,
    no_pair BIGINT, multi_article_stories BIGINT, articles_in_multi_article_stories BIGINT);
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
                     "DROP TABLE IF EXISTS periods; DROP TABLE IF EXISTS key_terms_monthly; "
                     "DROP TABLE IF EXISTS corpus_stats")
        conn.execute(DERIVED_SCHEMA)
        _refresh_stories(conn)
        _refresh_daily(conn)
        _refresh_terms_and_totals(conn)
        for freq, unit in FREQS.items():
            # Story-level sums per period, shared by both weightings of this frequency.
            conn.execute(f"""
                CREATE OR REPLACE TEMP TABLE per_story AS
                SELECT kind, key, date_trunc('{unit}', date)::DATE AS period, story_id,
                       sum(articles) AS n, sum(sentiment) AS sentiment,
                       sum(escalation) AS escalation, sum(cooperation) AS cooperation,
                       sum(tension) AS tension
                FROM key_story_daily GROUP BY ALL""")
            for by in BYS:
                # Sorted by key and date so that a page's filter on one pair skips most blocks.
                conn.execute(f"INSERT INTO periods BY NAME {period_sql(freq, by)} "
                             "ORDER BY kind, key, date")
        conn.execute("DROP TABLE IF EXISTS per_story")
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('derived_stale', '0')")
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
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


def _refresh_terms_and_totals(conn: duckdb.DuckDBPyConnection) -> None:
    # Matched terms per pair (and per country) and month, for profiles and breakdowns.
    conn.execute("""
        INSERT INTO key_terms_monthly
        WITH terms AS (
            SELECT p.pair, p.a, p.b, date_trunc('month', a.date)::DATE AS month,
                   unnest(p.keywords) AS term
            FROM pair_signals p JOIN articles a ON a.id = p.article_id
            WHERE a.date IS NOT NULL)
        SELECT 'pair', pair, month, term, count(*) FROM terms GROUP BY ALL
        UNION ALL
        SELECT 'country', country, month, term, count(*)
        FROM (SELECT a AS country, month, term FROM terms
              UNION ALL SELECT b, month, term FROM terms) GROUP BY ALL
    """)
    # Corpus totals, so the overview and the quality page read one row.
    conn.execute("""
        INSERT INTO corpus_stats
        WITH pair_articles AS (SELECT DISTINCT article_id FROM pair_signals)
        SELECT count(*), count(DISTINCT story_id), count(*) FILTER (WHERE date IS NULL),
               (SELECT count(DISTINCT c) FROM (SELECT a AS c FROM pair_signals
                                               UNION SELECT b FROM pair_signals)),
               (SELECT count(DISTINCT pair) FROM pair_signals),
               min(date), max(date), count(DISTINCT source),
               count(*) FILTER (WHERE date_source = 'story'),
               count(*) FILTER (WHERE len(countries) = 0),
               count(*) FILTER (WHERE id NOT IN (SELECT article_id FROM pair_articles)),
               (SELECT count(*) FROM stories WHERE articles > 1),
               (SELECT coalesce(sum(articles), 0) FROM stories WHERE articles > 1)
        FROM articles
    """)


def period_sql(freq: str, by: str) -> str:
    """SQL producing the `periods` rows of one frequency and weighting from the temporary
    `per_story` table (one row per key, period and story)."""
    unit = FREQS[freq]
    trailing = TRAILING[freq]
    story_weighted = by == "stories"
    volume = "stories" if story_weighted else "articles"

    def mean(column: str) -> str:
        return f"avg({column} / n)" if story_weighted else f"sum({column}) / sum(n)"

    return f"""
    WITH totals AS (
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
    -- Trailing sums over [period - L, period - 1] as differences of running sums: the running
    -- sum before this period minus the running sum before (period - L), the latter found with
    -- an ASOF join. Same values as a RANGE window frame, many times faster on daily rows.
    running AS (
        SELECT g.*,
               sum({volume}) OVER k - {volume} AS before_v,
               sum({volume} * {volume}) OVER k - {volume} * {volume} AS before_sq,
               sum({volume} * raw_tension) OVER k - {volume} * raw_tension AS before_t,
               sum({volume}) OVER k AS upto_v,
               sum({volume} * {volume}) OVER k AS upto_sq,
               sum({volume} * raw_tension) OVER k AS upto_t,
               (period - INTERVAL {trailing} {unit})::DATE AS lookback
        FROM grouped g
        WINDOW k AS (PARTITION BY kind, key ORDER BY period ROWS UNBOUNDED PRECEDING)),
    with_trailing AS (
        SELECT r.*,
               r.before_v - coalesce(e.upto_v, 0) AS trailing_sum,
               r.before_sq - coalesce(e.upto_sq, 0) AS trailing_sq,
               r.before_t - coalesce(e.upto_t, 0) AS trailing_tension_sum,
               least({trailing}, datediff('{unit}', c.first_period, r.period)) AS window_len
        FROM running r
        ASOF LEFT JOIN (SELECT kind, key, period, upto_v, upto_sq, upto_t FROM running) e
          ON r.kind = e.kind AND r.key = e.key AND r.lookback > e.period
        CROSS JOIN corpus c),
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
