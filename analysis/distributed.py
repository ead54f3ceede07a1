"""Scoring on Dask, for corpora beyond one machine.

The client reads the inputs (the same readers as everywhere else) and cuts the article stream into
batches; each batch is scored on a Dask worker, which loads its Engine once, and written there as two
Parquet files, `articles/part-NNNNN.parquet` and `pairs/part-NNNNN.parquet`, under the output
directory. `python -m analysis ingest DIR` loads such a directory into the store.

Workers write the output themselves, so on a real cluster `--out` must be a path every worker and the
client can reach (a shared file system). At most `2 × workers` batches are in flight, so a long
stream never sits in the client's memory whole.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd

from analysis.model import Article, ScoredArticle, scored_article_from_dict

BATCH_SIZE = 2000
ARTICLE_DIR = "articles"
PAIR_DIR = "pairs"
MANIFEST = "_faultline.json"

_engine = None  # one Engine per worker process, loaded on first use


def _worker_engine(data_dir: str | None):
    global _engine
    if _engine is None:
        from analysis.pipeline import Engine
        _engine = Engine.load(data_dir and Path(data_dir))
    return _engine


def article_frame(scored: list[ScoredArticle]) -> pd.DataFrame:
    """One row per article: the flat fields for querying plus the full record as JSON."""
    return pd.DataFrame({
        "id": [s.id for s in scored],
        "title": [s.title for s in scored],
        "date": [s.date for s in scored],
        "date_source": [s.date_source for s in scored],
        "source": [s.source for s in scored],
        "countries": [list(s.countries) for s in scored],
        "venues": [list(s.venues) for s in scored],
        "sentiment": [s.sentiment for s in scored],
        "escalation": [s.escalation for s in scored],
        "cooperation": [s.cooperation for s in scored],
        "tension": [s.tension for s in scored],
        "record": [s.to_json(with_sentences=True) for s in scored],
    })


def pair_frame(scored: list[ScoredArticle]) -> pd.DataFrame:
    rows = [
        {"article_id": s.id, "date": s.date, "pair": p.pair, "sentences": p.sentences,
         "sentiment": p.sentiment, "escalation": p.escalation, "cooperation": p.cooperation,
         "tension": p.tension, "stance": p.stance, "keywords": list(p.keywords),
         "direction": p.direction}
        for s in scored for p in s.pairs
    ]
    columns = ["article_id", "date", "pair", "sentences", "sentiment", "escalation", "cooperation",
               "tension", "stance", "keywords", "direction"]
    return pd.DataFrame(rows, columns=columns)


def _write_atomically(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, path)  # a partition is either absent or whole, never half-written


def write_partition(batch_no: int, scored: list[ScoredArticle], out_dir: Path | str) -> int:
    """Write one batch of scored articles as its two Parquet partitions; returns articles written."""
    name = f"part-{batch_no:05d}.parquet"
    # Pairs first, articles last: a reader that finds an articles partition finds its pairs too.
    _write_atomically(pair_frame(scored), Path(out_dir) / PAIR_DIR / name)
    _write_atomically(article_frame(scored), Path(out_dir) / ARTICLE_DIR / name)
    return len(scored)


def score_batch(batch_no: int, articles: list[Article], out_dir: str, data_dir: str | None) -> int:
    """Score one batch on a worker and write its partitions there."""
    engine = _worker_engine(data_dir)
    return write_partition(batch_no, [engine.score(a) for a in articles], out_dir)


def batches(articles: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of `size` items (the last one shorter)."""
    batch: list = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class DaskRun:
    articles: int = 0
    partitions: int = 0


def score_with_dask(articles: Iterable[Article], out_dir: Path, scheduler: str | None = None,
                    workers: int | None = None, batch_size: int = BATCH_SIZE,
                    data_dir: Path | None = None,
                    progress: Callable[[int], None] | None = None) -> DaskRun:
    """Score `articles` on a Dask cluster into Parquet partitions under `out_dir`.

    `scheduler` is a scheduler address ("tcp://host:8786"); without one a LocalCluster of `workers`
    single-threaded processes is started for the run (VADER is pure Python: threads would not help).
    """
    from dask.distributed import Client, LocalCluster, as_completed

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        from analysis.pipeline import default_workers
        cluster = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    run = DaskRun()
    try:
        max_in_flight = 2 * max(1, len(client.scheduler_info().get("workers", {})) or 1)
        pending = as_completed()
        data = data_dir and str(data_dir)
        for number, batch in enumerate(batches(articles, batch_size)):
            pending.add(client.submit(score_batch, number, batch, str(out_dir), data, pure=False))
            run.partitions += 1
            while pending.count() >= max_in_flight:
                run.articles += _collect(next(pending), progress)
        for future in pending:
            run.articles += _collect(future, progress)
        (out_dir / MANIFEST).write_text(json.dumps(
            {"format": "faultline-scored", "articles": run.articles, "partitions": run.partitions}))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return run


def _collect(future, progress) -> int:
    done = future.result()
    if progress:
        progress(done)
    return done


def is_scored_dir(path: Path) -> bool:
    """True for a directory written by `score --engine dask --out DIR`."""
    return Path(path).is_dir() and (Path(path) / ARTICLE_DIR).is_dir()


def read_scored_dir(path: Path) -> Iterator[ScoredArticle]:
    """The ScoredArticles of a Dask output directory, partition by partition, in input order."""
    for part in sorted((Path(path) / ARTICLE_DIR).glob("part-*.parquet")):
        frame = pd.read_parquet(part, columns=["record"])
        for record in frame["record"]:
            yield scored_article_from_dict(json.loads(record))
