"""The Dask path gives the same results as the local path, and --workers keeps input order."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.distributed import read_scored_dir, score_with_dask, write_partition
from analysis.model import Article, scored_article_from_dict
from analysis.pipeline import Engine, score_articles

SENTENCES = [
    "Russia launched a record 728 drones against Ukraine overnight.",
    "China and the United States agreed to resume trade talks in Geneva.",
    "India accused Pakistan of shelling border posts in Kashmir.",
    "Iran threatened to close the Strait of Hormuz if the U.S. imposes new sanctions.",
    "Japan and South Korea signed an intelligence-sharing pact.",
    "Israeli air strikes hit Gaza as Egypt pressed for a ceasefire.",
]


def sample_articles(n: int = 60) -> list[Article]:
    return [
        Article(id=f"a{i:03d}", title=SENTENCES[i % len(SENTENCES)],
                text=" ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(1 + i % 3)),
                date=f"2024-0{1 + i % 9}-1{i % 9}", date_source="field", origin="test")
        for i in range(n)
    ]


def as_dicts(scored) -> list[dict]:
    return [s.to_dict(with_sentences=True) for s in scored]


def test_round_trip_through_dict_is_lossless():
    engine = Engine.load()
    for article in sample_articles(6):
        scored = engine.score(article)
        again = scored_article_from_dict(json.loads(json.dumps(scored.to_dict(with_sentences=True))))
        assert again == scored


def test_workers_two_gives_the_same_results_in_input_order():
    articles = sample_articles()
    one = as_dicts(score_articles(articles, workers=1))
    two = as_dicts(score_articles(articles, workers=2, chunksize=7))
    assert [d["id"] for d in two] == [a.id for a in articles]
    assert one == two


def json_line(scored) -> str:
    return json.dumps(scored.to_dict(), ensure_ascii=False)


def test_workers_apply_the_transform_in_input_order():
    articles = sample_articles(30)
    engine = Engine.load()
    expected = [json_line(engine.score(a)) for a in articles]
    assert list(score_articles(articles, workers=1, transform=json_line)) == expected
    assert list(score_articles(articles, workers=2, chunksize=4, transform=json_line)) == expected


@pytest.mark.slow
def test_dask_local_cluster_matches_local_path(tmp_path: Path):
    articles = sample_articles()
    local = as_dicts(score_articles(articles, workers=1))
    run = score_with_dask(articles, tmp_path / "out", workers=2, batch_size=16)
    assert run.articles == len(articles) and run.partitions == 4
    assert as_dicts(read_scored_dir(tmp_path / "out")) == local
    pairs = pd.read_parquet(tmp_path / "out" / "pairs")
    assert {"RUS-UKR", "CHN-USA", "IND-PAK"} <= set(pairs["pair"])


def test_partition_files_are_whole_and_readable(tmp_path: Path):
    engine = Engine.load()
    scored = [engine.score(a) for a in sample_articles(5)]
    write_partition(0, scored, tmp_path)
    assert not list(tmp_path.rglob(".*.tmp"))
    assert [s.id for s in read_scored_dir(tmp_path)] == [a.id for a in scored]
