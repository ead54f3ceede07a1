"""The read API the dashboard uses, on a small hand-built store."""
from __future__ import annotations

import pytest

from analysis import queries
from analysis.store import ingest_scored
from tests.scored_factory import distinct_text, scored_article


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("queries") / "q.duckdb"
    records = [
        scored_article("k1", "Russian drones struck Kyiv overnight. " + distinct_text(1),
                       date="2024-01-10", pairs={"RUS-UKR": 80.0}, source="Wire A",
                       url="https://example.org/a"),
        scored_article("k2", distinct_text(2), date="2024-01-20", pairs={"RUS-UKR": 70.0},
                       source="Wire B"),
        scored_article("k3", distinct_text(3), date="2024-02-05",
                       pairs={"RUS-UKR": 60.0, "RUS-USA": 40.0}, source="=cmd|Wire"),
        scored_article("k4", distinct_text(4), date="2024-02-06", pairs={"CHN-USA": 55.0},
                       source="Wire A"),
        scored_article("k5", distinct_text(5), date=None, pairs={"CHN-USA": 50.0}, source="Wire A"),
        scored_article("k6", distinct_text(6), date="2024-02-07", source="Wire C"),  # no pair
    ]
    ingest_scored(path, records, paths=["hand.jsonl"])
    ingest_scored(path, [scored_article("k7", distinct_text(7), date="2024-03-01",
                                        pairs={"RUS-UKR": 90.0})], paths=["later.jsonl"])
    return path


def test_stats_count_the_corpus(db):
    stats = queries.stats(db)
    assert {key: stats[key] for key in ("articles", "stories", "undated", "countries", "pairs",
                                        "first_date", "last_date", "sources")} == {
        "articles": 7, "stories": 7, "undated": 1, "countries": 4, "pairs": 3,
        "first_date": "2024-01-10", "last_date": "2024-03-01", "sources": 5}


@pytest.mark.parametrize("filters, expected", [
    ({}, [("2024-01-01", "RUS-UKR"), ("2024-02-01", "CHN-USA"), ("2024-02-01", "RUS-UKR"),
          ("2024-02-01", "RUS-USA"), ("2024-03-01", "RUS-UKR")]),
    ({"pair": "RUS-UKR"}, [("2024-01-01", "RUS-UKR"), ("2024-02-01", "RUS-UKR"),
                           ("2024-03-01", "RUS-UKR")]),
    ({"country": "USA"}, [("2024-02-01", "CHN-USA"), ("2024-02-01", "RUS-USA")]),
    ({"since": "2024-02-01", "until": "2024-02-29", "pairs": ["RUS-USA", "CHN-USA"]},
     [("2024-02-01", "CHN-USA"), ("2024-02-01", "RUS-USA")]),
])
def test_pairs_table_filters(db, filters, expected):
    frame = queries.pairs_table(db, **filters)
    assert [(str(d)[:10], p) for d, p in zip(frame["date"], frame["pair"])] == expected
    assert list(frame.columns[:10]) == queries.SERIES_COLUMNS


def test_pair_timeline_counts_and_attention(db):
    frame = queries.pair_timeline("RUS-UKR", db, freq="M")
    january = frame.iloc[0]
    assert (january["articles"], january["stories"]) == (2, 2)
    assert january["attention"] == pytest.approx(1.0)  # the only stories of January
    assert frame.iloc[1]["attention"] == pytest.approx(1 / 3)  # k3 of k3, k4, k6


def test_bad_freq_is_refused_with_the_choices(db):
    with pytest.raises(ValueError, match="D, W, M"):
        queries.pairs_table(db, freq="Y")


def test_top_pairs_rank_by_tension_and_leave_out_thin_pairs(db):
    top = queries.top_pairs(db, n=5, min_stories=1)
    assert list(top["pair"]) == ["RUS-UKR", "CHN-USA", "RUS-USA"]
    assert list(queries.top_pairs(db, n=5, min_stories=3)["pair"]) == ["RUS-UKR"]


def test_matrix_is_restricted_to_the_top_countries(db):
    frame = queries.matrix(db, top_n=2)
    assert list(frame["pair"]) == ["RUS-UKR"]
    assert set(queries.matrix(db, top_n=10)["pair"]) == {"RUS-UKR", "RUS-USA", "CHN-USA"}


def test_country_profile_lists_counterparts_and_terms(db):
    profile = queries.country_profile("RUS", db)
    assert list(profile["counterparts"]["partner"]) == ["UKR", "USA"]
    assert profile["keywords"].iloc[0]["term"] == "strike"
    assert profile["timeline"]["articles"].sum() == 4


def test_evidence_gives_the_sentences_behind_a_point(db):
    frame = queries.evidence("RUS-UKR", "2024-01-15", db, freq="M")
    assert list(frame["title"].str[:14]) == ["Russian drones", frame["title"][1][:14]]
    first = frame.iloc[0]
    assert (first["source"], first["url"]) == ("Wire A", "https://example.org/a")
    assert list(first["keywords"]) == ["strike"]
    assert queries.evidence("RUS-UKR", "2024-01-15", db, freq="D").empty


@pytest.mark.parametrize("day, freq, bounds", [
    ("2024-05-16", "D", ("2024-05-16", "2024-05-16")),
    ("2024-05-16", "W", ("2024-05-13", "2024-05-19")),
    ("2024-02-16", "M", ("2024-02-01", "2024-02-29")),
])
def test_period_bounds(day, freq, bounds):
    assert tuple(str(d) for d in queries.period_bounds(day, freq)) == bounds


def test_articles_page_and_search(db):
    assert queries.article_count(db) == 7
    assert list(queries.articles(db, search="drones")["id"].map(len)) == [16]
    # The analyst's "%" and "_" are literal text, not wildcards.
    assert queries.article_count(db, search="dr%nes") == 0
    assert queries.article_count(db, search="dr_nes") == 0
    assert queries.article_count(db, countries=["USA"]) == 3
    assert queries.article_count(db, undated=True) == 1
    page = queries.articles(db, limit=2, offset=0)
    assert [str(d)[:10] for d in page["date"]] == ["2024-03-01", "2024-02-07"]


def test_article_detail_has_sentences_pairs_and_story(db):
    article_id = queries.articles(db, search="drones")["id"][0]
    detail = queries.article_detail(article_id, db)
    assert detail["title"].startswith("Russian drones")
    assert detail["sentences"].iloc[0]["keywords"][0]["term"] == "strike"
    assert list(detail["pairs"]["pair"]) == ["RUS-UKR"]
    assert list(detail["story"]["id"]) == [article_id]
    assert queries.article_detail("no-such-id", db) is None


def test_ingest_history_and_quality(db):
    history = queries.ingest_history(db)
    assert [list(paths) for paths in history["paths"]] == [["later.jsonl"], ["hand.jsonl"]]
    quality = queries.data_quality(db)
    assert (quality["undated"], quality["no_country"], quality["no_pair"]) == (1, 1, 1)


def test_anomalies_since_last_ingest_only_touch_what_it_added(db):
    frame = queries.anomalies_since_last_ingest(db, freq="M", min_anomaly=-100)
    assert [(str(d)[:10], p) for d, p in zip(frame["date"], frame["pair"])] == [
        ("2024-03-01", "RUS-UKR")]


def test_lists_for_filters(db):
    assert list(queries.pair_list(db)["pair"])[0] == "RUS-UKR"
    assert set(queries.country_list(db)["country"]) == {"RUS", "UKR", "USA", "CHN"}
    assert queries.source_list(db).iloc[0].tolist() == ["Wire A", 3]
    assert queries.keyword_breakdown("RUS-UKR", db).iloc[0].tolist() == [
        "strike", "ASSAULT", "escalation", 4]
