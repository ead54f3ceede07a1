"""Tension series narrowed to some sources (outlets) and/or keyword categories, computed on demand.

The store's `periods` table (analysis.aggregate) is aggregated over every article at the end of
each ingest. When the analyst narrows the view to some outlets or keyword categories, this module
rebuilds the same columns from the article-level pair signals of the selection only, with
aggregate's own `period_sql`, inside the caller's read-only connection:

- articles: the dated articles whose source is one of `sources` (every article when none is given;
  an article with no source is then left out, as in the article list);
- pair signals: those articles' signals; with `categories`, only a signal that holds a keyword of a
  chosen category: one of the pair's own terms (pair_signals.keywords, evidence.keywords) matched,
  in the evidence sentence, under that category (the sentence's stored matches say which category);
- attention divides by all stories (or articles) of the chosen sources in the period, whatever
  their categories: a category narrows what is counted, not how much news there was;
- the shrinkage prior ("overall mean of all keys") and the corpus start are those of the selection.

How: DuckDB allows TEMP tables and views on a read-only connection, and they shadow the store's
tables of the same name. The selection fills temp `per_story` and `story_daily`, `period_sql` fills
a temp `periods`, and the queries of analysis.queries then run unchanged on that connection. With
every source chosen the rows equal the stored `periods` (tests/test_filtered_periods.py).

Cost: a rebuild reads every article of the selection (about 1 s of CPU for 1M articles, see
bench/RESULTS.md), so the rebuilt rows are kept in memory, per store file version, selection,
frequency and weighting, and the next query on them (another pair, another window, the page's next
chart) only reads them.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from analysis.aggregate import BYS, FREQS, period_sql
from analysis.store import reading, resolve_db_path

KINDS = ("pair", "country")


@dataclass(frozen=True)
class Narrowing:
    """Which articles and pair signals a series counts; empty tuples mean "all"."""

    sources: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.sources or self.categories)


def narrowing(sources: Sequence[str] = (), categories: Sequence[str] = ()) -> Narrowing:
    """A Narrowing from any sequences (lists from a CLI, tuples from the dashboard)."""
    return Narrowing(tuple(dict.fromkeys(s for s in sources if s)),
                     tuple(dict.fromkeys(c for c in categories if c)))


@contextmanager
def narrowed_store(db: str | os.PathLike | None, selection: Narrowing, *, freq: str, by: str,
                   kinds: Sequence[str] = KINDS,
                   with_signals: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection on the store where `periods` holds the selection's rows of one
    frequency and weighting, for `kinds` ("pair", "country"); `articles` (id, date, story_id,
    run_id, source) is the selection's too, and so is `pair_signals` (article_id, pair, a, b, the
    four signals, period, date, story_id) when `with_signals`; `stored_pair_signals` is the
    store's. Closed on exit.

    The narrowed rows are kept in memory for the next call on the same store file (same size,
    time and inode), selection, frequency and weighting: a page's second query, or the next pair
    the analyst opens, does not rebuild them (`MEMO_ROWS` bounds what is kept)."""
    _check_arguments(freq, by, kinds)
    with reading(db) as conn:
        # Stat after opening: a writer cannot commit while this reader holds the file.
        key = (_file_version(db), selection, freq, by)
        wanted = tuple(kind for kind in KINDS if kind in kinds)
        kept = _memo_get(key, wanted)
        if kept is None:
            build_narrowed_periods(conn, selection, freq=freq, by=by, kinds=wanted)
            _memo_put(key, wanted, conn.sql("SELECT * FROM periods").to_arrow_table(),
                      conn.sql("SELECT * FROM pair_signals").to_arrow_table())
        else:
            _narrow_articles(conn, selection)
            # Copied into temp tables rather than queried in place: periods keep their order (a
            # window summary takes any_value(baseline)), and DuckDB 2.0 failed an internal check
            # joining a registered Arrow table of signals to the store's.
            for name, rows in zip(("periods", "pair_signals"), kept[:2 if with_signals else 1]):
                conn.register("narrowed_memo_rows", rows)
                conn.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS "
                             "SELECT * FROM narrowed_memo_rows")
                conn.unregister("narrowed_memo_rows")
        yield conn


def build_narrowed_periods(conn: duckdb.DuckDBPyConnection, selection: Narrowing, *, freq: str,
                           by: str, kinds: Sequence[str] = KINDS) -> None:
    """Create the temp tables and views `articles`, `pair_signals`, `stored_pair_signals`,
    `story_daily`, `per_story` and `periods` on `conn` (read-only is fine) from the selection; see
    the module docstring."""
    _check_arguments(freq, by, kinds)
    store = _narrow_articles(conn, selection)
    category_clause = ""
    if selection.categories:
        category_clause = ("WHERE (p.article_id, p.pair) IN "
                           f"({_category_signals_sql(store, selection)})")
    conn.execute(f"""
        CREATE OR REPLACE TEMP TABLE pair_signals AS
        SELECT p.article_id, p.pair, p.a, p.b, p.sentiment, p.escalation, p.cooperation, p.tension,
               date_trunc('{FREQS[freq]}', a.date)::DATE AS period, a.date, a.story_id
        FROM {store}.main.pair_signals p JOIN articles a ON a.id = p.article_id
        {category_clause}""")
    # Attention's denominator and the corpus start: every article of the chosen sources.
    # period_sql only counts distinct stories and sums articles per period from it, so one row per
    # article gives the same totals as aggregate's one row per (day, story), without grouping a
    # million rows first.
    conn.execute("""
        CREATE OR REPLACE TEMP VIEW story_daily AS
        SELECT date, story_id, 1 AS articles FROM articles""")
    conn.execute(f"""
        CREATE OR REPLACE TEMP TABLE per_story AS
        {' UNION ALL '.join(_PER_STORY_SQL[kind] for kind in KINDS if kind in kinds)}""")
    conn.execute(f"CREATE OR REPLACE TEMP TABLE periods AS "
                 f"SELECT * FROM {store}.main.periods LIMIT 0")
    # In the stored order: a window summary takes `any_value(baseline)`, the first row's.
    conn.execute(f"INSERT INTO periods BY NAME {period_sql(freq, by)} ORDER BY kind, key, date")


def _check_arguments(freq: str, by: str, kinds: Sequence[str]) -> None:
    if freq not in FREQS or by not in BYS:
        raise ValueError(f"freq must be one of {', '.join(FREQS)} and by one of {', '.join(BYS)}")
    unknown = set(kinds) - set(KINDS)
    if unknown or not kinds:
        raise ValueError(f"kinds must be among {', '.join(KINDS)}, "
                         f"not {', '.join(sorted(unknown)) or 'none'}")


def _narrow_articles(conn: duckdb.DuckDBPyConnection, selection: Narrowing) -> str:
    """The selection's dated articles as the view `articles`, and the store's signals as
    `stored_pair_signals`; returns the store's quoted catalog name."""
    store = _store_catalog(conn)
    # A view: read where needed, never copied whole. run_id is kept so that "anomalies since the
    # last ingest" can run on the narrowed tables too.
    source_clause = ""
    if selection.sources:
        source_clause = f"AND list_contains({_sql_list(selection.sources)}, source)"
    conn.execute(f"""
        CREATE OR REPLACE TEMP VIEW articles AS
        SELECT id, date, story_id, run_id, source FROM {store}.main.articles
        WHERE date IS NOT NULL {source_clause}""")
    # The store's own signals stay reachable (their keywords, for a country's terms).
    conn.execute(f"CREATE OR REPLACE TEMP VIEW stored_pair_signals AS "
                 f"SELECT * FROM {store}.main.pair_signals")
    return store


# Narrowed series kept between calls: (store file version, selection, freq, by) ->
# (kinds, periods rows, pair-signal rows). At most MEMO_ROWS rows in all (the newest entry always).
MEMO_ROWS = 1_500_000
_memo: OrderedDict[tuple, tuple[tuple[str, ...], pa.Table, pa.Table]] = OrderedDict()
_memo_lock = threading.Lock()


def _memo_get(key: tuple, kinds: tuple[str, ...]) -> tuple[pa.Table, pa.Table] | None:
    with _memo_lock:
        found = _memo.get(key)
        if found is None or not set(kinds) <= set(found[0]):
            return None
        _memo.move_to_end(key)
        return found[1], found[2]


def _memo_put(key: tuple, kinds: tuple[str, ...], periods: pa.Table, signals: pa.Table) -> None:
    with _memo_lock:
        _memo[key] = (kinds, periods, signals)
        _memo.move_to_end(key)
        while len(_memo) > 1 and _memo_rows() > MEMO_ROWS:
            _memo.popitem(last=False)


def _memo_rows() -> int:
    return sum(periods.num_rows + signals.num_rows for _, periods, signals in _memo.values())


def clear_memo() -> None:
    """Forget every narrowed series kept in memory (benchmarks time cold builds with it)."""
    with _memo_lock:
        _memo.clear()


def _file_version(db: str | os.PathLike | None) -> tuple:
    """(path, size, mtime_ns, inode, WAL size): changes with every committed write or re-score."""
    path = resolve_db_path(db)
    stat = path.stat()
    wal = path.with_name(path.name + ".wal")
    wal_size = wal.stat().st_size if wal.exists() else 0
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino, wal_size)


# aggregate's `per_story` rows (key, period, story: article count and signal sums) straight from the
# narrowed signals: aggregate sums per day first, then per period; the sums are the same. A country
# against all others: one value per article, the mean over its pairs with the country, so an
# article naming three partners still counts once.
_PER_STORY_SQL = {
    "pair": """
        SELECT 'pair' AS kind, pair AS key, period, story_id, count(*) AS n,
               sum(sentiment) AS sentiment, sum(escalation) AS escalation,
               sum(cooperation) AS cooperation, sum(tension) AS tension
        FROM pair_signals GROUP BY ALL""",
    "country": """
        SELECT 'country' AS kind, country AS key, period, story_id, count(*) AS n,
               sum(sentiment) AS sentiment, sum(escalation) AS escalation,
               sum(cooperation) AS cooperation, sum(tension) AS tension
        FROM (SELECT article_id, period, story_id, country, avg(sentiment) AS sentiment,
                     avg(escalation) AS escalation, avg(cooperation) AS cooperation,
                     avg(tension) AS tension
              FROM (SELECT article_id, period, story_id, unnest([a, b]) AS country, sentiment,
                           escalation, cooperation, tension FROM pair_signals)
              GROUP BY ALL)
        GROUP BY ALL""",
}


def _sql_text(value: str) -> str:
    """A SQL string literal (a view cannot take parameters): quotes doubled."""
    return "'" + value.replace("'", "''") + "'"


def _sql_list(values: Sequence[str]) -> str:
    """A SQL list literal of strings."""
    return "[" + ", ".join(_sql_text(value) for value in values) + "]"


def _category_signals_sql(store: str, selection: Narrowing) -> str:
    return category_signals_sql(selection.categories, f"{store}.main.")


def category_signals_sql(categories: Sequence[str], tables: str = "") -> str:
    """SQL selecting (article_id, pair) of the signals holding a term matched under one of
    `categories`: one of the pair's own terms, matched in its evidence sentence under that category
    (the sentence's stored matches say which). `tables` qualifies the table names (e.g. a catalog's
    '"store".main.'). A cheap text test on the sentence's JSON skips most sentences before they are
    parsed. The categories are written as literals (a view takes no parameters); export footers
    (analysis.provenance) count with the same test."""
    prefilter = " OR ".join(f"contains(s.keywords, {_sql_text(c)})" for c in categories)
    return f"""
        SELECT article_id, pair FROM (
            SELECT e.article_id, e.pair, e.keywords AS terms,
                   unnest(from_json(s.keywords, '[{{"term": "VARCHAR", "category": "VARCHAR"}}]'))
                       AS k
            FROM {tables}evidence e
            JOIN {tables}sentences s ON s.article_id = e.article_id AND s.idx = e.sentence
            WHERE {prefilter})
        WHERE list_contains({_sql_list(categories)}, k.category)
          AND list_contains(terms, k.term)"""


def _store_catalog(conn: duckdb.DuckDBPyConnection) -> str:
    """The store's catalog name, quoted: temp tables shadow unqualified names, so the store's own
    tables are named in full."""
    name = conn.execute("SELECT current_database()").fetchone()[0]
    return '"' + name.replace('"', '""') + '"'
