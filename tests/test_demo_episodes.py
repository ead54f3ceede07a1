"""Real episodes in the shipped demo corpus (WCEP 2002-2025) show in the monthly aggregates.

The demo store is built once per test session in a temporary folder (about a minute: the whole
engine runs over 16,845 items). These checks depend on the engine as much as on the aggregates:
when one fails, look at the pair's sentences with `python -m analysis evidence` before changing
anything here.
"""
from __future__ import annotations

import pandas as pd
import pytest

from analysis import queries
from analysis.demo import DEMO_DIR, build_demo

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    summary = build_demo(db, DEMO_DIR, workers=2)
    assert summary is not None and summary.new > 16_000
    return db


def monthly(db, pair: str) -> pd.DataFrame:
    frame = queries.pair_timeline(pair, db, freq="M", by="stories")
    frame["year"] = frame["date"].dt.year
    return frame


def mean_tension(frame: pd.DataFrame, years: list[int]) -> float:
    """The mean of the monthly tension values over those years (months with stories)."""
    return float(frame[frame["year"].isin(years)]["tension"].mean())


def test_demo_store_is_complete(demo_db):
    stats = queries.stats(demo_db)
    assert stats["articles"] > 16_000 and stats["undated"] == 0
    assert stats["first_date"] == "2002-08-04" and stats["last_date"] >= "2025-07-10"


def test_us_china_trade_war_is_tenser_than_2016(demo_db):
    frame = monthly(demo_db, "CHN-USA")
    assert mean_tension(frame, [2018, 2019]) > mean_tension(frame, [2016])


@pytest.mark.parametrize("episode", [2014, 2022])
def test_russia_ukraine_episodes_are_tenser_than_2010_to_2012(demo_db, episode):
    frame = monthly(demo_db, "RUS-UKR")
    assert mean_tension(frame, [episode]) > mean_tension(frame, [2010, 2011, 2012])


def test_us_iran_january_2020_is_among_the_three_tensest_months(demo_db):
    frame = queries.pair_timeline("IRN-USA", demo_db, freq="M", since="2019-01-01",
                                  until="2021-12-31", by="stories")
    tensest = frame[frame["stories"] >= 3].nlargest(3, "tension")
    assert "2020-01" in {day.strftime("%Y-%m") for day in tensest["date"]}


def test_india_pakistan_february_2019_is_the_largest_rise(demo_db):
    frame = queries.pair_timeline("IND-PAK", demo_db, freq="M", since="2018-01-01",
                                  until="2020-12-31", by="stories")
    assert frame.loc[frame["anomaly"].idxmax(), "date"].strftime("%Y-%m") == "2019-02"
