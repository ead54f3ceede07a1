"""The read API of the store: what the dashboard and the CLI ask, as pandas DataFrames and dicts.

Every function takes the store path first (`db`; None means $FAULTLINE_DB or data/faultline.duckdb)
and plain filter arguments: dates as `datetime.date` or "YYYY-MM-DD", pairs as "AAA-BBB" (sorted
ISO3 codes), countries as ISO3, `freq` in "D" | "W" | "M", `by` in "stories" | "articles".
Each call opens the store read-only for the duration of one query and closes it (see
`analysis.store` on readers and writers), so it waits briefly during an ingest batch rather than
fail. A missing store raises `analysis.store.StoreNotFound`.

Time-series values come from the pre-aggregated `periods` table (see `analysis.aggregate` for the
meaning of each column), so a query on a large store only filters. The series functions also take
`sources` and `categories`: when either is set, the same columns are recomputed from the pair
signals of those outlets / keyword categories only (`analysis.filtered_periods`), and the same SQL
runs on them.
"""
from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import date

import pandas as pd

from analysis.aggregate import BYS, FREQS, MIN_SUPPORT, SHRINK_STORIES
from analysis.filtered_periods import KINDS, narrowed_store, narrowing
from analysis.store import read_frame, reading

DbPath = str | os.PathLike | None
DateLike = date | str | None

SERIES_COLUMNS = ["date", "pair", "articles", "stories", "attention", "sentiment", "escalation",
                  "cooperation", "tension", "anomaly"]
EXTRA_SERIES_COLUMNS = ["raw_tension", "baseline", "trailing_mean", "large_increase"]


def _check(freq: str, by: str) -> None:
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {', '.join(FREQS)}, not {freq!r}")
    if by not in BYS:
        raise ValueError(f"by must be one of {', '.join(BYS)}, not {by!r}")


def _as_date(value: DateLike) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _date_filter(column: str, since: DateLike, until: DateLike, clauses: list[str],
                 params: list) -> None:
    if _as_date(since):
        clauses.append(f"{column} >= ?")
        params.append(_as_date(since))
    if _as_date(until):
        clauses.append(f"{column} <= ?")
        params.append(_as_date(until))


def _where(clauses: list[str]) -> str:
    return ("WHERE " + " AND ".join(clauses)) if clauses else ""


def _read_periods(db: DbPath, sql: str, params: list, *, sources: Sequence[str],
                  categories: Sequence[str], freq: str, by: str, kinds: Sequence[str] = KINDS,
                  with_signals: bool = False) -> pd.DataFrame:
    """Run a query over `periods`: the stored table, or the one narrowed to `sources` and
    `categories` (built for `freq`, `by` and `kinds` only; `with_signals`: the query reads the
    narrowed `pair_signals` too) when either is set."""
    selection = narrowing(sources, categories)
    if not selection:
        return read_frame(db, sql, params)
    with narrowed_store(db, selection, freq=freq, by=by, kinds=kinds,
                        with_signals=with_signals) as conn:
        return conn.execute(sql, params).df()


def stats(db: DbPath = None) -> dict:
    """Corpus totals: articles, stories, undated, countries, pairs, first_date, last_date, sources,
    plus last_ingest (time of the last finished run) and method_versions. Read from the totals the
    last ingest computed (`corpus_stats`)."""
    with reading(db) as conn:
        row = conn.execute("SELECT articles, stories, undated, countries, pairs, first_date, "
                           "last_date, sources FROM corpus_stats").fetchone()
        last = conn.execute("SELECT max(finished_at) FROM ingest_runs WHERE status = 'done'"
                            ).fetchone()[0]
        versions = [r[0] for r in conn.execute(
            "SELECT DISTINCT method_version FROM ingest_runs WHERE new > 0 ORDER BY 1").fetchall()]
    row = row or (0, 0, 0, 0, 0, None, None, 0)
    return {
        "articles": row[0], "stories": row[1], "undated": row[2], "countries": row[3],
        "pairs": row[4], "first_date": row[5].isoformat() if row[5] else None,
        "last_date": row[6].isoformat() if row[6] else None, "sources": row[7],
        "last_ingest": last.isoformat(timespec="seconds") if last else None,
        "method_versions": versions,
    }


def pairs_table(db: DbPath = None, *, since: DateLike = None, until: DateLike = None,
                pair: str | None = None, pairs: Sequence[str] = (), country: str | None = None,
                countries: Sequence[str] = (), freq: str = "M", by: str = "stories",
                min_stories: int = 0, sources: Sequence[str] = (),
                categories: Sequence[str] = ()) -> pd.DataFrame:
    """Pair x period rows, oldest first: SERIES_COLUMNS + EXTRA_SERIES_COLUMNS.

    `pair`/`pairs` keep those pairs; `country`/`countries` keep pairs involving any of them;
    `min_stories` drops points backed by fewer stories. `date` is the period's first day.
    `sources`/`categories` count only those outlets' articles / signals with a keyword of those
    categories (see analysis.filtered_periods).
    """
    _check(freq, by)
    clauses, params = ["kind = 'pair'", "freq = ?", '"by" = ?'], [freq, by]
    _date_filter("date", since, until, clauses, params)
    wanted_pairs = [p for p in ([pair] if pair else []) + list(pairs) if p]
    if wanted_pairs:
        clauses.append("list_contains(?, key)")
        params.append(wanted_pairs)
    wanted_countries = [c for c in ([country] if country else []) + list(countries) if c]
    if wanted_countries:
        clauses.append("(list_contains(?, split_part(key, '-', 1)) "
                       "OR list_contains(?, split_part(key, '-', 2)))")
        params += [wanted_countries, wanted_countries]
    if min_stories:
        clauses.append("stories >= ?")
        params.append(min_stories)
    frame = _read_periods(db, f"""
        SELECT date, key AS pair, articles, stories, attention, sentiment, escalation, cooperation,
               tension, anomaly, raw_tension, baseline, trailing_mean, large_increase
        FROM periods {_where(clauses)} ORDER BY date, pair""", params, sources=sources,
                          categories=categories, freq=freq, by=by, kinds=("pair",))
    return frame


def pair_timeline(pair: str, db: DbPath = None, *, since: DateLike = None, until: DateLike = None,
                  freq: str = "M", by: str = "stories", sources: Sequence[str] = (),
                  categories: Sequence[str] = ()) -> pd.DataFrame:
    """One pair's series (pairs_table columns), oldest first; empty when the pair is unknown."""
    return pairs_table(db, since=since, until=until, pair=pair, freq=freq, by=by, sources=sources,
                       categories=categories)


def _country_timeline_sql(iso3: str, since: DateLike, until: DateLike, freq: str,
                          by: str) -> tuple[str, list]:
    clauses, params = ["kind = 'country'", "key = ?", "freq = ?", '"by" = ?'], [iso3, freq, by]
    _date_filter("date", since, until, clauses, params)
    return f"""
        SELECT date, key AS country, articles, stories, attention, sentiment, escalation,
               cooperation, tension, anomaly, raw_tension, baseline, trailing_mean, large_increase
        FROM periods {_where(clauses)} ORDER BY date""", params


def country_timeline(iso3: str, db: DbPath = None, *, since: DateLike = None,
                     until: DateLike = None, freq: str = "M", by: str = "stories",
                     sources: Sequence[str] = (), categories: Sequence[str] = ()) -> pd.DataFrame:
    """A country against all others, per period: the pairs_table columns with `country` for `pair`."""
    _check(freq, by)
    sql, params = _country_timeline_sql(iso3, since, until, freq, by)
    return _read_periods(db, sql, params, sources=sources, categories=categories, freq=freq, by=by,
                         kinds=("country",))


def _window_summary_sql(kind: str, clauses: list[str]) -> str:
    """Per key over a date window: volumes, volume-weighted means, shrunk tension, peak anomaly."""
    return f"""
        WITH sel AS (SELECT * FROM periods {_where(clauses)}),
        summary AS (
            SELECT key, sum(articles)::INTEGER AS articles, sum(stories)::INTEGER AS stories,
                   sum(attention * stories) / sum(stories) AS attention,
                   sum(sentiment * stories) / sum(stories) AS sentiment,
                   sum(escalation * stories) / sum(stories) AS escalation,
                   sum(cooperation * stories) / sum(stories) AS cooperation,
                   sum(raw_tension * stories) / sum(stories) AS raw_tension,
                   any_value(baseline) AS baseline,
                   max(anomaly) AS anomaly, arg_max(date, anomaly) AS anomaly_date,
                   bool_or(large_increase) AS large_increase
            FROM sel GROUP BY key)
        SELECT key AS {kind}, articles, stories, attention, sentiment, escalation, cooperation,
               (stories * raw_tension + {SHRINK_STORIES} * baseline)
                   / (stories + {SHRINK_STORIES}) AS tension,
               raw_tension, baseline, anomaly, anomaly_date, large_increase
        FROM summary"""


def top_pairs(db: DbPath = None, *, since: DateLike = None, until: DateLike = None, n: int = 10,
              rank_by: str = "tension", freq: str = "M", by: str = "stories",
              min_stories: int = MIN_SUPPORT, country: str | None = None,
              sources: Sequence[str] = (), categories: Sequence[str] = ()) -> pd.DataFrame:
    """The n pairs with the highest shrunk tension (or peak `anomaly`) over [since, until].

    Columns: pair, articles, stories, attention, sentiment, escalation, cooperation, tension,
    raw_tension, baseline, anomaly (the highest period anomaly at `freq`), anomaly_date,
    large_increase. Pairs backed by fewer than `min_stories` stories in the window are left out.
    `sources`/`categories` as in pairs_table.
    """
    sql, params = _top_pairs_sql(since, until, n, rank_by, freq, by, min_stories, country)
    return _read_periods(db, sql, params, sources=sources, categories=categories, freq=freq, by=by,
                         kinds=("pair",))


def _top_pairs_sql(since: DateLike, until: DateLike, n: int, rank_by: str, freq: str, by: str,
                   min_stories: int, country: str | None) -> tuple[str, list]:
    _check(freq, by)
    if rank_by not in ("tension", "anomaly", "stories", "attention"):
        raise ValueError("rank_by must be tension, anomaly, stories or attention")
    clauses, params = ["kind = 'pair'", "freq = ?", '"by" = ?'], [freq, by]
    _date_filter("date", since, until, clauses, params)
    if country:
        clauses.append("(split_part(key, '-', 1) = ? OR split_part(key, '-', 2) = ?)")
        params += [country, country]
    return f"""
        SELECT * FROM ({_window_summary_sql('pair', clauses)})
        WHERE stories >= ? ORDER BY {rank_by} DESC NULLS LAST, stories DESC, pair LIMIT ?""", \
        params + [min_stories, n]


def matrix(db: DbPath = None, *, since: DateLike = None, until: DateLike = None, top_n: int = 20,
           by: str = "stories", sources: Sequence[str] = (),
           categories: Sequence[str] = ()) -> pd.DataFrame:
    """Pair summaries among the `top_n` countries with most stories in [since, until].

    Long form, one row per pair with both codes: a, b, pair, articles, stories, attention,
    sentiment, escalation, cooperation, tension, anomaly. A chart mirrors it into a square.
    `sources`/`categories` as in pairs_table (the top countries are then ranked on them too).
    """
    _check("M", by)
    clauses, params = ["freq = 'M'", '"by" = ?'], [by]
    _date_filter("date", since, until, clauses, params)
    country_clauses = clauses + ["kind = 'country'"]
    pair_clauses = clauses + ["kind = 'pair'"]
    return _read_periods(db, f"""
        WITH top_countries AS (
            SELECT key FROM periods {_where(country_clauses)}
            GROUP BY key ORDER BY sum(stories) DESC, key LIMIT ?),
        pairs AS ({_window_summary_sql('pair', pair_clauses)})
        SELECT split_part(pair, '-', 1) AS a, split_part(pair, '-', 2) AS b, pair, articles,
               stories, attention, sentiment, escalation, cooperation, tension, anomaly
        FROM pairs
        WHERE split_part(pair, '-', 1) IN (SELECT key FROM top_countries)
          AND split_part(pair, '-', 2) IN (SELECT key FROM top_countries)
        ORDER BY pair""", params + [top_n] + params, sources=sources, categories=categories,
                         freq="M", by=by)


def country_profile(iso3: str, db: DbPath = None, *, since: DateLike = None,
                    until: DateLike = None, freq: str = "M", by: str = "stories",
                    sources: Sequence[str] = (), categories: Sequence[str] = ()) -> dict:
    """One country against all others: {"country", "timeline", "counterparts", "keywords"}.

    timeline: country_timeline rows; counterparts: one row per partner (partner, pair and the
    top_pairs columns), most stories first; keywords: term, count over the country's pair signals
    in the window. `sources`/`categories` as in pairs_table: all three parts are narrowed.
    """
    timeline_sql, timeline_params = _country_timeline_sql(iso3, since, until, freq, by)
    partners_sql, partners_params = _top_pairs_sql(since, until, 10_000, "stories", freq, by, 1,
                                                   iso3)
    clauses, params = ["kind = 'country'", "key = ?"], [iso3]
    _date_filter("month", _month_start(since), until, clauses, params)
    keywords_sql = f"""
        SELECT term, sum(count)::INTEGER AS count FROM key_terms_monthly {_where(clauses)}
        GROUP BY term ORDER BY count DESC, term LIMIT 30"""
    selection = narrowing(sources, categories)
    if not selection:
        timeline = read_frame(db, timeline_sql, timeline_params)
        counterparts = read_frame(db, partners_sql, partners_params)
        keywords = read_frame(db, keywords_sql, params)
    else:
        # One narrowed build serves all three parts.
        with narrowed_store(db, selection, freq=freq, by=by, with_signals=True) as conn:
            timeline = conn.execute(timeline_sql, timeline_params).df()
            counterparts = conn.execute(partners_sql, partners_params).df()
            keywords = conn.execute(_NARROWED_TERMS_SQL.format(where=_where(clauses)),
                                    params).df()
    counterparts.insert(0, "partner", [
        pair.replace(iso3, "").strip("-") for pair in counterparts["pair"]])
    return {"country": iso3, "timeline": timeline, "counterparts": counterparts,
            "keywords": keywords}


# key_terms_monthly's country rows, from the narrowed signals (their terms: the store's table).
_NARROWED_TERMS_SQL = """
    WITH terms AS (
        SELECT p.a, p.b, date_trunc('month', p.date)::DATE AS month, unnest(s.keywords) AS term
        FROM pair_signals p
        JOIN stored_pair_signals s
          ON s.article_id = p.article_id AND s.pair = p.pair),
    by_country AS (
        SELECT 'country' AS kind, country AS key, month, term, count(*) AS count
        FROM (SELECT a AS country, month, term FROM terms
              UNION ALL SELECT b, month, term FROM terms)
        GROUP BY ALL)
    SELECT term, sum(count)::INTEGER AS count FROM by_country {where}
    GROUP BY term ORDER BY count DESC, term LIMIT 30"""


def _month_start(day: DateLike) -> date | None:
    day = _as_date(day)
    return day.replace(day=1) if day else None


def period_bounds(day: DateLike, freq: str) -> tuple[date, date]:
    """The first and last day of the period (day, ISO week from Monday, month) containing `day`."""
    start = pd.Timestamp(_as_date(day))
    if freq == "D":
        end = start
    elif freq == "W":
        start = start - pd.Timedelta(days=start.weekday())
        end = start + pd.Timedelta(days=6)
    elif freq == "M":
        start = start.replace(day=1)
        end = start + pd.offsets.MonthEnd(0)
    else:
        raise ValueError(f"freq must be one of {', '.join(FREQS)}, not {freq!r}")
    return start.date(), end.date()


def evidence(pair: str, day: DateLike, db: DbPath = None, *, freq: str = "D",
             limit: int = 500, categories: Sequence[str] = ()) -> pd.DataFrame:
    """The sentences behind one point of a pair's series: the period of `freq` containing `day`.

    Columns: date, article_id, story_id, title, source, url, sentence (index in the article), text,
    keywords (matched terms), sentiment, tension (the article's pair tension), stance. Most tense
    articles first. With `categories`, only sentences where one of the pair's terms is matched under
    one of them (the sentences that put an article in a category-narrowed series).
    """
    first, last = period_bounds(day, freq)
    category_clause, category_params = "", []
    if categories:
        category_clause = """AND EXISTS (
            SELECT 1 FROM (SELECT unnest(from_json(s.keywords,
                                 '[{"term": "VARCHAR", "category": "VARCHAR"}]')) AS k
                           FROM sentences s
                           WHERE s.article_id = e.article_id AND s.idx = e.sentence)
            WHERE list_contains(?, k.category) AND list_contains(e.keywords, k.term))"""
        category_params = [list(categories)]
    return read_frame(db, f"""
        SELECT a.date, e.article_id, a.story_id, a.title, a.source, a.url, e.sentence, e.text,
               e.keywords, e.sentiment, e.tension, e.stance
        FROM evidence e JOIN articles a ON a.id = e.article_id
        WHERE e.pair = ? AND a.date BETWEEN ? AND ? {category_clause}
        ORDER BY e.tension DESC, a.date, e.article_id, e.sentence
        LIMIT ?""", [pair, first, last, *category_params, limit])


def _article_filters(search: str | None, since: DateLike, until: DateLike,
                     countries: Sequence[str], pairs: Sequence[str], sources: Sequence[str],
                     undated: bool | None) -> tuple[str, list]:
    clauses: list[str] = []
    params: list = []
    if search:
        # The analyst's words are literal text: "%" and "_" are not wildcards.
        literal = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append("(title ILIKE ? ESCAPE '\\' OR text ILIKE ? ESCAPE '\\')")
        params += [f"%{literal}%", f"%{literal}%"]
    _date_filter("date", since, until, clauses, params)
    if countries:
        clauses.append("list_has_any(countries, ?)")
        params.append(list(countries))
    if pairs:
        clauses.append("id IN (SELECT article_id FROM pair_signals WHERE list_contains(?, pair))")
        params.append(list(pairs))
    if sources:
        clauses.append("list_contains(?, source)")
        params.append(list(sources))
    if undated is not None:
        clauses.append("date IS NULL" if undated else "date IS NOT NULL")
    return _where(clauses), params


def articles(db: DbPath = None, *, search: str | None = None, since: DateLike = None,
             until: DateLike = None, countries: Sequence[str] = (), pairs: Sequence[str] = (),
             sources: Sequence[str] = (), undated: bool | None = None, limit: int = 50,
             offset: int = 0) -> pd.DataFrame:
    """A page of articles, newest first (undated last): id, date, date_source, title, source, url,
    countries, tension, sentiment, story_id, story_articles. `search` matches title or text
    (case-insensitive substring)."""
    where, params = _article_filters(search, since, until, countries, pairs, sources, undated)
    return read_frame(db, f"""
        SELECT a.*, s.articles AS story_articles
        FROM (SELECT id, date, date_source, title, source, url, countries, tension, sentiment,
                     story_id
              FROM articles {where}
              ORDER BY date DESC NULLS LAST, id LIMIT ? OFFSET ?) a
        LEFT JOIN stories s USING (story_id)
        ORDER BY a.date DESC NULLS LAST, a.id""", params + [limit, offset])


def article_count(db: DbPath = None, *, search: str | None = None, since: DateLike = None,
                  until: DateLike = None, countries: Sequence[str] = (), pairs: Sequence[str] = (),
                  sources: Sequence[str] = (), undated: bool | None = None) -> int:
    """How many articles `articles(...)` would page through with the same filters."""
    where, params = _article_filters(search, since, until, countries, pairs, sources, undated)
    return int(read_frame(db, f"SELECT count(*) AS n FROM articles {where}", params)["n"][0])


def article_detail(article_id: str, db: DbPath = None) -> dict | None:
    """Everything stored about one article, or None when unknown.

    Keys: the article's columns (id, title, date, date_source, own_date, source, url, text, ...,
    keywords and removed decoded from JSON), "sentences" (DataFrame: idx, text, parties, venues,
    organisations, actors, keywords, terms, sentiment, escalation, cooperation; actors and keywords
    decoded to lists of dicts), "pairs" (DataFrame of its pair signals), "story" (DataFrame of the
    articles in the same story: id, date, title, source, url).
    """
    with reading(db) as conn:
        head = conn.execute("SELECT * FROM articles WHERE id = ?", [article_id]).df()
        if head.empty:
            return None
        sentences = conn.execute("SELECT * EXCLUDE (article_id) FROM sentences WHERE article_id = ? "
                                 "ORDER BY idx", [article_id]).df()
        pair_rows = conn.execute("SELECT * EXCLUDE (article_id) FROM pair_signals "
                                 "WHERE article_id = ? ORDER BY tension DESC", [article_id]).df()
        story = conn.execute("SELECT id, date, title, source, url FROM articles WHERE story_id = ? "
                             "ORDER BY date NULLS LAST, id", [head["story_id"][0]]).df()
    detail = head.iloc[0].to_dict()
    detail["keywords"] = json.loads(detail["keywords"] or "[]")
    detail["removed"] = json.loads(detail["removed"] or "[]")
    for column in ("actors", "keywords"):
        sentences[column] = [json.loads(value or "[]") for value in sentences[column]]
    detail.update(sentences=sentences, pairs=pair_rows, story=story)
    return detail


def keyword_breakdown(pair: str, db: DbPath = None, *, since: DateLike = None,
                      until: DateLike = None) -> pd.DataFrame:
    """Matched lexicon terms in sentences naming both countries of `pair`: term, category,
    polarity, count (most frequent first)."""
    first, _, second = pair.partition("-")
    clauses = ["list_contains(s.parties, ?)", "list_contains(s.parties, ?)"]
    params: list = [first, second]
    _date_filter("a.date", since, until, clauses, params)
    return read_frame(db, f"""
        SELECT k.term AS term, k.category AS category, k.polarity AS polarity,
               count(*)::INTEGER AS count
        FROM (SELECT unnest(from_json(s.keywords,
                     '[{{"term": "VARCHAR", "category": "VARCHAR", "polarity": "VARCHAR"}}]')) AS k
              FROM sentences s JOIN articles a ON a.id = s.article_id {_where(clauses)})
        GROUP BY ALL ORDER BY count DESC, term""", params)


def pair_list(db: DbPath = None, *, since: DateLike = None, until: DateLike = None) -> pd.DataFrame:
    """Every pair with its story and article counts in the window: pair, stories, articles."""
    clauses, params = ["kind = 'pair'", "freq = 'M'", "\"by\" = 'stories'"], []
    _date_filter("date", since, until, clauses, params)
    return read_frame(db, f"""
        SELECT key AS pair, sum(stories)::INTEGER AS stories, sum(articles)::INTEGER AS articles
        FROM periods {_where(clauses)} GROUP BY key ORDER BY stories DESC, pair""", params)


def country_list(db: DbPath = None, *, since: DateLike = None,
                 until: DateLike = None) -> pd.DataFrame:
    """Every country in some pair, with story and article counts in the window."""
    clauses, params = ["kind = 'country'", "freq = 'M'", "\"by\" = 'stories'"], []
    _date_filter("date", since, until, clauses, params)
    return read_frame(db, f"""
        SELECT key AS country, sum(stories)::INTEGER AS stories, sum(articles)::INTEGER AS articles
        FROM periods {_where(clauses)} GROUP BY key ORDER BY stories DESC, country""", params)


def source_list(db: DbPath = None) -> pd.DataFrame:
    """Every source with its article count: source, articles."""
    return read_frame(db, "SELECT source, count(*)::INTEGER AS articles FROM articles "
                          "GROUP BY source ORDER BY articles DESC, source")


def ingest_history(db: DbPath = None) -> pd.DataFrame:
    """One row per ingest run, newest first: run_id, started_at, finished_at, status ('done';
    'running': still going, or killed and not yet noticed; 'interrupted': killed, noticed by a
    later ingest), paths, read, new, duplicates, errors, method_version."""
    return read_frame(db, "SELECT run_id, started_at, finished_at, status, paths, read, new, "
                          "duplicates, errors, method_version FROM ingest_runs "
                          "ORDER BY started_at DESC")


def ingest_errors(db: DbPath = None, run_id: str | None = None, limit: int = 1000) -> pd.DataFrame:
    """The inputs an ingest could not read (all runs, or one): run_id, origin, message."""
    where, params = ("WHERE run_id = ?", [run_id]) if run_id else ("", [])
    return read_frame(db, f"SELECT run_id, origin, message FROM ingest_errors {where} LIMIT ?",
                      params + [limit])


def data_quality(db: DbPath = None) -> dict:
    """What to distrust: counts of undated articles (and how many got a story's date), articles
    with no country, articles with no pair, duplicates skipped by all ingests, multi-article
    stories, read errors, plus "warnings" (DataFrame: warning, articles) and "undated_examples"
    (DataFrame: id, title, source, origin)."""
    with reading(db) as conn:
        row = conn.execute("SELECT undated, dated_by_story, no_country, no_pair, "
                           "multi_article_stories, articles_in_multi_article_stories "
                           "FROM corpus_stats").fetchone() or (0, 0, 0, 0, 0, 0)
        runs = conn.execute("SELECT coalesce(sum(duplicates), 0), coalesce(sum(errors), 0) "
                            "FROM ingest_runs").fetchone()
        warnings = conn.execute("SELECT warning, count(*)::INTEGER AS articles FROM "
                                "(SELECT unnest(warnings) AS warning FROM articles) "
                                "GROUP BY warning ORDER BY articles DESC").df()
        undated = conn.execute("SELECT id, title, source, origin FROM articles WHERE date IS NULL "
                               "ORDER BY id LIMIT 20").df()
    return {"undated": row[0], "dated_by_story": row[1], "no_country": row[2], "no_pair": row[3],
            "duplicates_skipped": int(runs[0]), "read_errors": int(runs[1]),
            "multi_article_stories": row[4], "articles_in_multi_article_stories": int(row[5]),
            "warnings": warnings, "undated_examples": undated}


def anomalies_since_last_ingest(db: DbPath = None, *, freq: str = "W", by: str = "stories",
                                min_anomaly: float = 2.0, sources: Sequence[str] = (),
                                categories: Sequence[str] = ()) -> pd.DataFrame:
    """Pair periods the last finished ingest added articles to whose anomaly is at least
    `min_anomaly`, highest first: the pairs_table columns plus new_articles. `sources`/`categories`
    as in pairs_table (new_articles then counts the selection's new articles)."""
    _check(freq, by)
    return _read_periods(db, f"""
        WITH last_run AS (SELECT run_id FROM ingest_runs WHERE status = 'done' AND new > 0
                          ORDER BY finished_at DESC LIMIT 1),
        touched AS (
            SELECT p.pair, date_trunc('{FREQS[freq]}', a.date)::DATE AS date,
                   count(*)::INTEGER AS new_articles
            FROM articles a JOIN pair_signals p ON p.article_id = a.id
            WHERE a.run_id IN (SELECT run_id FROM last_run) AND a.date IS NOT NULL
            GROUP BY ALL)
        SELECT pr.date, pr.key AS pair, pr.articles, pr.stories, pr.attention, pr.sentiment,
               pr.escalation, pr.cooperation, pr.tension, pr.anomaly, pr.raw_tension, pr.baseline,
               pr.trailing_mean, pr.large_increase, t.new_articles
        FROM periods pr JOIN touched t ON t.pair = pr.key AND t.date = pr.date
        WHERE pr.kind = 'pair' AND pr.freq = ? AND pr."by" = ? AND pr.anomaly >= ?
        ORDER BY pr.anomaly DESC, pr.date DESC""", [freq, by, min_anomaly], sources=sources,
                         categories=categories, freq=freq, by=by, kinds=("pair",),
                         with_signals=True)
