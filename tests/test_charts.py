"""Figure builders in analysis/charts.py: tiny hand-made tables in, plotly figures out."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis import charts


def pair_rows(pair: str, values: list[tuple[str, float, int]]) -> pd.DataFrame:
    return pd.DataFrame([
        {"date": d, "pair": pair, "articles": n + 1, "stories": n, "attention": n / 10, "sentiment": -t / 100,
         "escalation": t / 10, "cooperation": (100 - t) / 20, "tension": t, "anomaly": 0.0}
        for d, t, n in values
    ])


TIMELINE = pair_rows("RUS-UKR", [("2022-01-01", 20.0, 2), ("2022-02-01", 85.0, 9), ("2022-03-01", 70.0, 7)])
MANY = pd.concat([
    TIMELINE,
    pair_rows("RUS-USA", [("2022-01-01", 40.0, 3), ("2022-02-01", 55.0, 4)]),
    pair_rows("CHN-USA", [("2022-01-01", 30.0, 5), ("2022-03-01", 35.0, 1)]),
], ignore_index=True)
# one row per pair, as the matrix and the network read it
SUMMARY = MANY.groupby("pair", as_index=False).agg(tension=("tension", "mean"), attention=("attention", "sum"),
                                                   stories=("stories", "sum"))


def test_pair_timeline_markers_carry_their_period_date():
    fig = charts.pair_timeline_figure(TIMELINE, "RUS-UKR")
    tension = fig.data[0]
    assert [c[0] for c in tension.customdata] == ["2022-01-01", "2022-02-01", "2022-03-01"]
    assert list(tension.y) == [20.0, 85.0, 70.0]
    names = {t.name for t in fig.data}
    assert {"escalation", "cooperation (down)", "sentiment (-1..1)"} <= names
    # cooperation is drawn below the axis
    coop = next(t for t in fig.data if t.name == "cooperation (down)")
    assert all(v <= 0 for v in coop.y)


def test_pair_timeline_sorts_unsorted_input_without_mutating_it():
    shuffled = TIMELINE.iloc[[2, 0, 1]]
    before = shuffled.copy()
    fig = charts.pair_timeline_figure(shuffled, "RUS-UKR")
    assert [c[0] for c in fig.data[0].customdata] == ["2022-01-01", "2022-02-01", "2022-03-01"]
    pd.testing.assert_frame_equal(shuffled, before)


@pytest.mark.parametrize("builder, frame", [
    (lambda d: charts.pair_timeline_figure(d, "RUS-UKR"), TIMELINE),
    (charts.tension_overview_figure, MANY),
    (charts.matrix_figure, SUMMARY),
    (charts.network_figure, SUMMARY),
    (lambda d: charts.country_profile_figure(d, "USA"), MANY),
])
def test_empty_input_gives_a_message_not_an_error(builder, frame):
    fig = builder(frame.iloc[0:0])
    assert len(fig.data) == 0
    assert fig.layout.annotations and fig.layout.annotations[0].text.startswith("No ")


def test_missing_column_is_named_in_the_error():
    with pytest.raises(ValueError, match="tension"):
        charts.matrix_figure(SUMMARY.drop(columns=["tension"]))


def test_tension_overview_weights_by_stories():
    fig = charts.tension_overview_figure(MANY)
    by_date = dict(zip(pd.to_datetime(fig.data[0].x).strftime("%Y-%m-%d"), fig.data[0].y))
    # 2022-01-01: (20*2 + 40*3 + 30*5) / 10
    assert by_date["2022-01-01"] == pytest.approx(31.0)


def test_matrix_is_symmetric_and_tiles_name_their_pair():
    fig = charts.matrix_figure(SUMMARY)
    tiles = fig.data[0]
    cells = {(x, y): c[0] for x, y, c in zip(tiles.x, tiles.y, tiles.customdata)}
    assert cells[("UKR", "RUS")] == cells[("RUS", "UKR")] == "RUS-UKR"
    assert ("USA", "USA") not in cells
    assert fig.layout.xaxis.categoryarray[0] == "RUS"  # most attention first (RUS is in two pairs)


def test_matrix_respects_a_given_order_and_drops_others():
    fig = charts.matrix_figure(SUMMARY, order=["USA", "CHN"])
    assert {c[0] for c in fig.data[0].customdata} == {"CHN-USA"}


def test_network_has_one_edge_per_pair_and_selectable_midpoints():
    fig = charts.network_figure(SUMMARY)
    midpoints = next(t for t in fig.data if t.name == "pairs")
    assert sorted(c[0] for c in midpoints.customdata) == ["CHN-USA", "RUS-UKR", "RUS-USA"]
    edges = [t for t in fig.data if t.mode == "lines"]
    assert len(edges) == 3
    widths = [t.line.width for t in edges]
    assert max(widths) > min(widths)


def test_top_pairs_keeps_the_given_order_top_down():
    summary = pd.DataFrame({"pair": ["RUS-UKR", "RUS-USA", "CHN-USA"], "tension": [58.3, 47.5, 32.5]})
    fig = charts.top_pairs_figure(summary, MANY)
    axis = fig.layout.yaxis
    labels = dict(zip(axis.tickvals, axis.ticktext))
    assert labels[2] == "RUS-UKR" and labels[0] == "CHN-USA"
    sparklines = [t for t in fig.data if t.type == "scatter"]
    assert len(sparklines) == 3
    # each sparkline stays inside its own row band
    for line in sparklines:
        row = {"RUS-UKR": 2, "RUS-USA": 1, "CHN-USA": 0}[line.customdata[0][0]]
        assert all(row - 0.5 < y < row + 0.5 for y in line.y)


def test_country_profile_names_counterparts():
    fig = charts.country_profile_figure(MANY, "USA")
    assert {t.name for t in fig.data} == {"RUS", "CHN"}
    assert len({t.line.dash for t in fig.data}) == 2


def test_category_breakdown_puts_cooperation_below_zero():
    df = pd.DataFrame({"date": ["2022-01-01", "2022-01-01", "2022-02-01"],
                       "category": ["ASSAULT", "AGREE", "ASSAULT"],
                       "polarity": ["escalation", "cooperation", "escalation"], "count": [3, 2, 5]})
    fig = charts.category_breakdown_figure(df)
    agree = next(t for t in fig.data if t.name == "AGREE")
    assert list(agree.y) == [-2]
    assert fig.data[0].name == "ASSAULT"  # the most frequent category first


def test_figures_serialise_to_json():
    for fig in (charts.pair_timeline_figure(TIMELINE, "RUS-UKR"), charts.matrix_figure(SUMMARY),
                charts.network_figure(SUMMARY)):
        assert json.loads(fig.to_json())["data"]


def test_palette_has_no_red_green_pair_for_escalation_and_cooperation():
    assert charts.SERIES_COLOURS["escalation"] in charts.OKABE_ITO
    assert charts.SERIES_COLOURS["cooperation"] in charts.OKABE_ITO


@pytest.mark.parametrize("selection, expected", [
    ({"points": [{"customdata": ["2022-02-01", 9]}, {"customdata": ["2022-02-01", 9]},
                 {"customdata": ["2022-03-01", 7]}]}, ["2022-02-01", "2022-03-01"]),
    ({"points": [{"x": 1}]}, []),
    ({"points": []}, []),
    ({}, []),
])
def test_selected_values_reads_customdata(selection, expected):
    assert charts.selected_values(selection) == expected


def test_pair_timeline_rings_periods_with_a_large_increase():
    flagged = TIMELINE.assign(large_increase=[False, True, None])
    fig = charts.pair_timeline_figure(flagged, "RUS-UKR")
    ring = next(t for t in fig.data if t.name == "large increase in coverage")
    assert list(pd.to_datetime(ring.x).strftime("%Y-%m-%d")) == ["2022-02-01"]
    assert fig.data[0].name == "tension (0-100)"  # selections still read the tension line first
