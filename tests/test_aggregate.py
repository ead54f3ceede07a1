"""Pair x period aggregates: counts, attention, shrunk tension, anomaly, country roll-ups."""
from __future__ import annotations

import math

import pytest

from analysis.aggregate import LARGE_INCREASE, SHRINK_STORIES
from analysis.store import ingest_scored, read_frame
from tests.scored_factory import distinct_text, scored_article


def periods(db, kind="pair", key="AAA-BBB", freq="M", by="stories"):
    frame = read_frame(db, 'SELECT * FROM periods WHERE kind = ? AND key = ? AND freq = ? '
                           'AND "by" = ? ORDER BY date', [kind, key, freq, by])
    frame["day"] = [str(value)[:10] for value in frame["date"]]
    return frame.set_index("day")


def test_one_tense_story_is_pulled_toward_the_pairs_baseline(tmp_path):
    db = tmp_path / "s.duckdb"
    calm = [scored_article(f"c{m}", distinct_text(m), date=f"2023-{m:02d}-10",
                           pairs={"AAA-BBB": 20.0}) for m in range(1, 11)]
    spike = scored_article("spike", distinct_text(99), date="2023-11-10", pairs={"AAA-BBB": 90.0})
    ingest_scored(db, calm + [spike])
    row = periods(db).loc["2023-11-01"]
    overall = (10 * 20 + 90) / 11  # one pair only: the mean of all keys is its own
    # trailing 12 months: ten stories at 20, pulled toward the overall mean by K stories' weight
    baseline = (10 * 20 + SHRINK_STORIES * overall) / (10 + SHRINK_STORIES)
    assert row["raw_tension"] == pytest.approx(90.0)
    assert row["baseline"] == pytest.approx(baseline)
    assert row["tension"] == pytest.approx((90 + SHRINK_STORIES * baseline) / (1 + SHRINK_STORIES))
    assert 26 < row["tension"] < 50


def test_the_baseline_never_looks_ahead(tmp_path):
    db = tmp_path / "s.duckdb"
    early = [scored_article(f"e{m}", distinct_text(m), date=f"2020-{m:02d}-10",
                            pairs={"AAA-BBB": 30.0}) for m in range(1, 7)]
    ingest_scored(db, early)
    before = periods(db)["baseline"].copy()
    later = [scored_article(f"l{i}", distinct_text(100 + i), date=f"2023-03-{1 + i:02d}",
                            pairs={"CCC-DDD": 30.0}) for i in range(5)]
    ingest_scored(db, later)  # same overall mean, so earlier baselines must not move
    assert list(periods(db)["baseline"]) == pytest.approx(list(before))


def test_many_stories_keep_their_own_mean(tmp_path):
    db = tmp_path / "s.duckdb"
    calm = [scored_article(f"c{m}", distinct_text(m), date=f"2023-{m:02d}-10",
                           pairs={"AAA-BBB": 20.0}) for m in range(1, 11)]
    crisis = [scored_article(f"x{i}", distinct_text(100 + i), date=f"2023-11-{1 + i:02d}",
                             pairs={"AAA-BBB": 90.0}) for i in range(20)]
    ingest_scored(db, calm + crisis)
    assert periods(db).loc["2023-11-01", "tension"] > 80


def test_attention_is_the_pairs_share_of_all_stories(tmp_path):
    db = tmp_path / "s.duckdb"
    ingest_scored(db, [
        *[scored_article(f"a{i}", distinct_text(i), date="2023-05-0" + str(i + 1),
                         pairs={"AAA-BBB": 50.0}) for i in range(3)],
        scored_article("c", distinct_text(10), date="2023-05-20", pairs={"CCC-DDD": 50.0}),
        scored_article("n", distinct_text(11), date="2023-05-21"),  # a story with no pair
    ])
    assert periods(db).loc["2023-05-01", "attention"] == pytest.approx(3 / 5)
    assert periods(db, key="CCC-DDD").loc["2023-05-01", "attention"] == pytest.approx(1 / 5)


def test_a_story_from_three_outlets_counts_once_by_stories(tmp_path):
    db = tmp_path / "s.duckdb"
    text = distinct_text(1, words=60)
    ingest_scored(db, [
        scored_article(f"o{i}", text + f" Outlet {i}.", date="2023-05-02", source=f"Outlet {i}",
                       pairs={"AAA-BBB": 30.0 + 30 * i}) for i in range(3)])
    by_stories = periods(db).loc["2023-05-01"]
    by_articles = periods(db, by="articles").loc["2023-05-01"]
    assert (by_stories["stories"], by_stories["articles"]) == (1, 3)
    assert by_stories["raw_tension"] == pytest.approx(60.0)
    assert by_articles["raw_tension"] == pytest.approx(60.0)


def test_a_rise_above_the_trailing_baseline_scores_highest(tmp_path):
    db = tmp_path / "s.duckdb"
    records, seed = [], 0
    for month in range(1, 13):
        for day in (5, 20):  # two stories a month
            seed += 1
            records.append(scored_article(f"r{seed}", distinct_text(seed),
                                          date=f"2022-{month:02d}-{day:02d}", pairs={"AAA-BBB": 40.0}))
    for day in range(1, 11):  # ten in January 2023
        seed += 1
        records.append(scored_article(f"r{seed}", distinct_text(seed), date=f"2023-01-{day:02d}",
                                      pairs={"AAA-BBB": 40.0}))
    ingest_scored(db, records)
    frame = periods(db)
    assert math.isnan(frame.loc["2022-01-01", "anomaly"])  # no history before the corpus
    assert frame["anomaly"].idxmax() == "2023-01-01"
    # trailing 12 months: mean 2, variance 0 -> (10 - 2) / sqrt(0 + 1)
    assert frame.loc["2023-01-01", "anomaly"] == pytest.approx(8.0)
    assert frame.loc["2023-01-01", "trailing_mean"] == pytest.approx(2.0)
    assert bool(frame.loc["2023-01-01", "large_increase"])
    assert not frame.loc["2022-06-01", "large_increase"]
    assert 10 > LARGE_INCREASE * 2


def test_empty_months_count_as_zero_in_the_baseline(tmp_path):
    db = tmp_path / "s.duckdb"
    ingest_scored(db, [
        scored_article("first", distinct_text(1), date="2022-01-10", pairs={"XXX-YYY": 40.0}),
        *[scored_article(f"q{i}", distinct_text(10 + i), date=f"2023-01-{1 + i:02d}",
                         pairs={"AAA-BBB": 40.0}) for i in range(4)],
        scored_article("late", distinct_text(50), date="2022-07-01", pairs={"AAA-BBB": 40.0}),
    ])
    row = periods(db).loc["2023-01-01"]
    # trailing 12 months of AAA-BBB: one story in July 2022, eleven empty months
    mean = 1 / 12
    variance = 1 / 12 - mean ** 2
    assert row["trailing_mean"] == pytest.approx(mean)
    assert row["anomaly"] == pytest.approx((4 - mean) / math.sqrt(variance + 1))


def test_weeks_start_on_monday_and_days_are_days(tmp_path):
    db = tmp_path / "s.duckdb"
    ingest_scored(db, [scored_article("a", distinct_text(1), date="2024-05-16",  # a Thursday
                                      pairs={"AAA-BBB": 40.0})])
    assert list(periods(db, freq="W").index) == ["2024-05-13"]
    assert list(periods(db, freq="D").index) == ["2024-05-16"]
    assert list(periods(db, freq="M").index) == ["2024-05-01"]


def test_a_country_roll_up_counts_each_article_once(tmp_path):
    db = tmp_path / "s.duckdb"
    ingest_scored(db, [scored_article("a", distinct_text(1), date="2024-05-16",
                                      pairs={"RUS-UKR": 80.0, "RUS-USA": 40.0})])
    russia = periods(db, kind="country", key="RUS").iloc[0]
    assert (russia["articles"], russia["stories"]) == (1, 1)
    assert russia["raw_tension"] == pytest.approx(60.0)
    assert periods(db, kind="country", key="USA").iloc[0]["raw_tension"] == pytest.approx(40.0)


def test_undated_articles_stay_out_of_the_series(tmp_path):
    db = tmp_path / "s.duckdb"
    ingest_scored(db, [scored_article("u", distinct_text(1), date=None, pairs={"AAA-BBB": 40.0})])
    assert periods(db).empty
