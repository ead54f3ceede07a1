"""Re-score a whole store with another engine (e.g. after an analyst edited the lexicon or the actors).

The stored text of each article (headline + cleaned body) is scored again and written to a new store
file next to the old one, with the old ingest history carried over; the new file then replaces the old
one in a single rename. Readers see the old numbers until the rename and the new ones after it, never
a mix. An ingest waits for a running re-score, and a re-score for a running ingest: both hold
the store's writer lock (store.writer_lock), so nothing an ingest commits is lost by the rename.

With `workers` > 1 the articles are scored, and turned into store rows, in forked processes as
`ingest --workers` does (`python -m analysis rescore` uses every core). The dashboard's button
scores in its own process: forking a server that runs other threads is not safe.
"""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator

from analysis.model import Article
from analysis.store import ArticleExtras, IngestSummary, ingest_scored, reading, resolve_db_path, writing
from analysis.store_write import prepare_article, serialised

_COLUMNS = ("source_id", "title", "text", "own_date", "own_date_source", "source", "url", "origin",
            "language", "raw_hash")


def stored_articles(db: str | os.PathLike | None, chunk: int = 2000) -> Iterator[tuple[Article, ArticleExtras]]:
    """Every stored article as an Article to score again (its own date, not a story's), with the
    extras that let a later ingest of the original files still recognise it."""
    offset = 0
    while True:
        with reading(db) as conn:
            rows = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM articles ORDER BY ingested_at, id "
                                "LIMIT ? OFFSET ?", [chunk, offset]).fetchall()
        if not rows:
            return
        for source_id, title, text, own_date, own_source, source, url, origin, language, raw_hash in rows:
            yield (Article(id=source_id or "", title=title or "", text=text or "",
                           date=own_date.isoformat() if own_date else None,
                           date_source=own_source if own_date else "none", source=source, url=url,
                           origin=origin or "", language=language),
                   ArticleExtras(raw_hash=raw_hash, language=language))
        offset += len(rows)


def article_total(db: str | os.PathLike | None) -> int:
    with reading(db) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


@serialised
def rescore_store(db: str | os.PathLike | None, engine, *, workers: int = 1,
                  progress: Callable[[int, int], None] | None = None) -> IngestSummary:
    """Score every article of the store at `db` again with `engine` (an analysis.pipeline.Engine) and
    replace the store with the result. `workers` > 1 scores in that many processes (as
    `score_articles`); the stored result is the same. `progress(done, total)` is called as articles
    are scored. Returns the new store's IngestSummary (read = articles re-scored)."""
    from analysis.pipeline import score_articles

    path = resolve_db_path(db)
    total = article_total(path)
    fresh = path.with_name(path.stem + ".rescore" + path.suffix)
    for leftover in (fresh, fresh.with_name(fresh.name + ".wal")):
        leftover.unlink(missing_ok=True)
    pending: deque[ArticleExtras] = deque()

    def articles():
        for article, extras in stored_articles(path):
            pending.append(extras)
            yield article

    def scored():
        # With workers, store rows are built next to the scoring, as in ingest_paths, so the
        # writing process only stacks columns; alone, ingest_scored builds them a batch at a time.
        transform = prepare_article if workers > 1 else None
        results = score_articles(articles(), workers=workers, engine=engine, transform=transform)
        for done, row in enumerate(results, start=1):
            yield row, pending.popleft()
            if progress and (done % 100 == 0 or done == total):
                progress(done, total)

    try:
        summary = ingest_scored(fresh, scored(), paths=[f"re-score of {path.name}"])
        with writing(fresh) as conn:
            # keep the history of how the data came in; the re-score itself is the newest run
            conn.execute("ATTACH ? AS old (READ_ONLY)", [str(path)])
            conn.execute("INSERT INTO ingest_runs SELECT * FROM old.ingest_runs")
            conn.execute("INSERT INTO ingest_errors SELECT * FROM old.ingest_errors")
            # and what the store knew about itself (e.g. that it was built from the demo corpus);
            # keys the new store wrote (its derived tables' state) keep their new values
            conn.execute("INSERT OR IGNORE INTO meta SELECT * FROM old.meta")
            conn.execute("DETACH old")
            conn.execute("CHECKPOINT")
        os.replace(fresh, path)
        path.with_name(path.name + ".wal").unlink(missing_ok=True)
    finally:
        for leftover in (fresh, fresh.with_name(fresh.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return summary
