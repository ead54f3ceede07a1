"""Series narrowed to some sources / keyword categories (analysis.filtered_periods via analysis.queries):
the same rows as `periods` when everything is chosen, and hand-computed values on tiny stores."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from analysis import queries
from analysis.filtered_periods import Narrowing, narrowed_store, narrowing
from analysis.model import Evidence, KeywordMatch
from analysis.store import ingest_scored
from tests.dashboard_corpus import SOURCES
from tests.scored_factory import distinct_text, scored_article

EVERY_SOURCE = [*SOURCES, "News.Az"]  # every outlet of tests/dashboard_corpus.py


def assert_same(narrowed: pd.DataFrame, stored: pd.DataFrame) -> None:
    assert len(stored) > 0
    pd.testing.assert_frame_equal(narrowed.reset_index(drop=True), stored.reset_index(drop=True),
                                  check_dtype=False, check_exact=False, rtol=1e-9, atol=1e-9)


# ---- every source chosen: the stored rows, to 1e-9 -------------------------------------------------

@pytest.mark.parametrize("freq", ["D", "W", "M"])
@pytest.mark.parametrize("by", ["stories", "articles"])
def test_every_source_gives_the_stored_pair_series(dashboard_store, freq, by):
    assert_same(queries.pairs_table(dashboard_store, freq=freq, by=by, sources=EVERY_SOURCE),
                queries.pairs_table(dashboard_store, freq=freq, by=by))


@pytest.mark.parametrize("by", ["stories", "articles"])
def test_every_source_gives_the_stored_country_series_and_rankings(dashboard_store, by):
    for iso3 in ("RUS", "PAK"):
        assert_same(queries.country_timeline(iso3, dashboard_store, freq="W", by=by,
                                             sources=EVERY_SOURCE),
                    queries.country_timeline(iso3, dashboard_store, freq="W", by=by))
    window = dict(since="2022-02-01", until="2022-05-31", by=by)
    assert_same(queries.top_pairs(dashboard_store, n=10, min_stories=1, sources=EVERY_SOURCE, **window),
                queries.top_pairs(dashboard_store, n=10, min_stories=1, **window))
    assert_same(queries.matrix(dashboard_store, top_n=4, sources=EVERY_SOURCE, **window),
                queries.matrix(dashboard_store, top_n=4, **window))
    assert_same(queries.anomalies_since_last_ingest(dashboard_store, freq="M", by=by, min_anomaly=-100,
                                                    sources=EVERY_SOURCE),
                queries.anomalies_since_last_ingest(dashboard_store, freq="M", by=by, min_anomaly=-100))


def test_every_source_gives_the_stored_country_profile(dashboard_store):
    narrowed = queries.country_profile("RUS", dashboard_store, since="2022-02-10", sources=EVERY_SOURCE)
    stored = queries.country_profile("RUS", dashboard_store, since="2022-02-10")
    for part in ("timeline", "counterparts", "keywords"):
        assert_same(narrowed[part], stored[part])


def test_every_category_gives_the_stored_series(dashboard_store):
    # every signal of the test corpus holds a term of one of these categories
    every_category = ["ASSAULT", "CONSULT", "SANCTION", "AGREE", "FIGHT"]
    assert_same(queries.pairs_table(dashboard_store, freq="M", categories=every_category),
                queries.pairs_table(dashboard_store, freq="M"))


# ---- two sources, computed by hand ---------------------------------------------------------------

def with_keyword(article, term: str, category: str, polarity: str = "escalation"):
    """The factory's article with its single keyword replaced by `term` of `category`."""
    match = KeywordMatch(term=term, category=category, polarity=polarity, weight=8.0, start=0,
                         end=len(term))
    sentence = replace(article.sentences[0], keywords=(match,))
    pairs = tuple(replace(p, keywords=(term,), evidence=(replace(p.evidence[0], keywords=(term,)),))
                  for p in article.pairs)
    return replace(article, sentences=(sentence,), pairs=pairs)


@pytest.fixture(scope="module")
def two_wires(tmp_path_factory):
    """Wire A and Wire B, January-February 2024, each article its own story:
    a1 A Jan AAA-BBB 80 (ASSAULT) · a2 B Jan AAA-BBB 20 · a3 B Jan CCC-DDD 50 ·
    a4 A Feb AAA-BBB 60 (CONSULT) · a5 A Feb no pair."""
    db = tmp_path_factory.mktemp("wires") / "wires.duckdb"
    ingest_scored(db, [
        scored_article("a1", distinct_text(1), date="2024-01-10", source="Wire A", pairs={"AAA-BBB": 80.0}),
        scored_article("a2", distinct_text(2), date="2024-01-12", source="Wire B", pairs={"AAA-BBB": 20.0}),
        scored_article("a3", distinct_text(3), date="2024-01-15", source="Wire B", pairs={"CCC-DDD": 50.0}),
        with_keyword(scored_article("a4", distinct_text(4), date="2024-02-03", source="Wire A",
                                    pairs={"AAA-BBB": 60.0}), "talks", "CONSULT", "cooperation"),
        scored_article("a5", distinct_text(5), date="2024-02-05", source="Wire A"),
    ])
    return db


def rows(frame: pd.DataFrame) -> list[dict]:
    columns = ["articles", "stories", "attention", "raw_tension", "baseline", "tension",
               "trailing_mean", "anomaly"]
    return [{c: (None if pd.isna(r[c]) else pytest.approx(r[c], abs=1e-9)) for c in columns}
            for _, r in frame.iterrows()]


def test_one_wire_counts_only_its_articles_and_its_own_totals(two_wires):
    frame = queries.pair_timeline("AAA-BBB", two_wires, freq="M", sources=["Wire A"])
    assert [str(d)[:10] for d in frame["date"]] == ["2024-01-01", "2024-02-01"]
    # Wire A: a1 (80) in January, a4 (60) in February; its stories: 1 in January, 2 in February.
    # The prior is Wire A's mean story tension (80 + 60) / 2 = 70. January: baseline 70,
    # tension (80 + 3 * 70) / 4 = 72.5. February: trailing mean 1 story, baseline
    # (80 + 3 * 70) / (1 + 3) = 72.5, tension (60 + 3 * 72.5) / 4 = 69.375, anomaly (1 - 1) / 1 = 0.
    assert rows(frame) == [
        dict(articles=1, stories=1, attention=1.0, raw_tension=80.0, baseline=70.0, tension=72.5,
             trailing_mean=None, anomaly=None),
        dict(articles=1, stories=1, attention=0.5, raw_tension=60.0, baseline=72.5, tension=69.375,
             trailing_mean=1.0, anomaly=0.0),
    ]


def test_the_other_wire_and_both_wires(two_wires):
    frame = queries.pair_timeline("AAA-BBB", two_wires, freq="M", sources=["Wire B"])
    # Wire B: a2 (20) only; its January stories a2, a3; prior (20 + 50) / 2 = 35.
    assert rows(frame) == [dict(articles=1, stories=1, attention=0.5, raw_tension=20.0, baseline=35.0,
                                tension=(20 + 3 * 35) / 4, trailing_mean=None, anomaly=None)]
    both = queries.pair_timeline("AAA-BBB", two_wires, freq="M", sources=["Wire A", "Wire B"])
    assert_same(both, queries.pair_timeline("AAA-BBB", two_wires, freq="M"))
    # both wires: January a1, a2 of 3 stories, mean 50; prior (80 + 20 + 50 + 60) / 4 = 52.5
    assert rows(both)[0] == dict(articles=2, stories=2, attention=pytest.approx(2 / 3), raw_tension=50.0,
                                 baseline=52.5, tension=(2 * 50 + 3 * 52.5) / 5, trailing_mean=None,
                                 anomaly=None)


def test_a_wire_narrows_the_rankings_and_the_matrix(two_wires):
    top = queries.top_pairs(two_wires, min_stories=1, sources=["Wire B"])
    assert list(top["pair"]) == ["CCC-DDD", "AAA-BBB"]
    assert list(top["stories"]) == [1, 1]
    matrix = queries.matrix(two_wires, sources=["Wire A"])
    assert list(matrix["pair"]) == ["AAA-BBB"]
    assert matrix["stories"].tolist() == [2]
    profile = queries.country_profile("AAA", two_wires, sources=["Wire B"])
    assert profile["timeline"]["stories"].tolist() == [1]
    assert profile["counterparts"]["partner"].tolist() == ["BBB"]
    assert profile["keywords"].to_dict("records") == [{"term": "strike", "count": 1}]


def test_a_category_counts_signals_holding_its_terms_against_all_news(two_wires):
    frame = queries.pair_timeline("AAA-BBB", two_wires, freq="M", categories=["CONSULT"])
    # Only a4 holds a CONSULT term. Attention divides by all February stories (a4, a5); the corpus
    # starts in January, so February has a one-month window holding no story of the pair:
    # baseline = prior = 60, tension 60, trailing mean 0, anomaly (1 - 0) / sqrt(0 + 1) = 1.
    assert rows(frame) == [dict(articles=1, stories=1, attention=0.5, raw_tension=60.0, baseline=60.0,
                                tension=60.0, trailing_mean=0.0, anomaly=1.0)]
    assert queries.pair_timeline("AAA-BBB", two_wires, categories=["CONSULT"], sources=["Wire B"]).empty
    assessed = queries.pair_timeline("AAA-BBB", two_wires, categories=["ASSAULT"])
    assert assessed["articles"].tolist() == [2]


def test_a_category_needs_one_of_the_pairs_own_terms(tmp_path):
    # One sentence matches "strike" (ASSAULT) and "talks" (CONSULT); only "strike" went to the pair.
    article = scored_article("m", distinct_text(9), date="2024-03-01", pairs={"EEE-FFF": 70.0})
    sentence = article.sentences[0]
    talks = KeywordMatch(term="talks", category="CONSULT", polarity="cooperation", weight=2.0,
                         start=10, end=15)
    article = replace(article, sentences=(replace(sentence, keywords=(*sentence.keywords, talks)),))
    assert article.pairs[0].evidence == (Evidence(sentence=0, text=article.text, keywords=("strike",),
                                                  sentiment=-0.5),)
    db = tmp_path / "one.duckdb"
    ingest_scored(db, [article])
    assert queries.pair_timeline("EEE-FFF", db, categories=["CONSULT"]).empty
    assert queries.pair_timeline("EEE-FFF", db, categories=["ASSAULT"])["articles"].tolist() == [1]


def test_an_unknown_source_gives_empty_series_not_errors(two_wires):
    assert queries.pair_timeline("AAA-BBB", two_wires, sources=["Nobody's Wire"]).empty
    assert queries.matrix(two_wires, sources=["Nobody's Wire"]).empty


@pytest.mark.parametrize("sources, categories, expected", [
    ((), (), Narrowing()),
    (["Wire A", "", "Wire A"], (), Narrowing(("Wire A",))),
    ((), ["CONSULT"], Narrowing((), ("CONSULT",))),
])
def test_narrowing_drops_blanks_and_repeats(sources, categories, expected):
    selection = narrowing(sources, categories)
    assert selection == expected
    assert bool(selection) == bool(expected.sources or expected.categories)


def test_bad_arguments_are_refused(two_wires):
    with pytest.raises(ValueError, match="kinds"):
        with narrowed_store(two_wires, Narrowing(("Wire A",)), freq="M", by="stories", kinds=("region",)):
            pass
    with pytest.raises(ValueError, match="freq"):
        with narrowed_store(two_wires, Narrowing(("Wire A",)), freq="Y", by="stories"):
            pass


def test_evidence_keeps_the_sentences_of_a_chosen_category(two_wires):
    january = queries.evidence("AAA-BBB", "2024-01-10", two_wires, freq="M", categories=["ASSAULT"])
    assert list(january["tension"]) == [80.0, 20.0]  # a1, a2 (article ids are content hashes)
    february = queries.evidence("AAA-BBB", "2024-02-03", two_wires, freq="M")
    assert list(february["tension"]) == [60.0]  # a4
    assert queries.evidence("AAA-BBB", "2024-02-03", two_wires, freq="M", categories=["ASSAULT"]).empty
    assert list(queries.evidence("AAA-BBB", "2024-02-03", two_wires, freq="M",
                                 categories=["CONSULT", "ASSAULT"])["tension"]) == [60.0]


@pytest.mark.parametrize("sources, expected", [
    ((), [("2024-01-01", "ASSAULT", 2), ("2024-02-01", "CONSULT", 1)]),
    (["Wire A"], [("2024-01-01", "ASSAULT", 1), ("2024-02-01", "CONSULT", 1)]),
    (["Wire B"], [("2024-01-01", "ASSAULT", 1)]),
])
def test_the_category_chart_counts_the_chosen_sources(two_wires, sources, expected):
    from analysis.dashboard_queries import category_breakdown

    frame = category_breakdown(two_wires, "AAA-BBB", "M", sources=sources)
    assert [(str(d)[:10], c, n) for d, c, n in zip(frame["date"], frame["category"], frame["count"])] == expected


def test_a_kept_series_is_reused_until_the_store_changes(tmp_path):
    from analysis import filtered_periods

    db = tmp_path / "memo.duckdb"
    ingest_scored(db, [scored_article("b1", distinct_text(11), date="2024-01-10", source="Wire A",
                                      pairs={"AAA-BBB": 80.0})])
    filtered_periods.clear_memo()
    first = queries.pair_timeline("AAA-BBB", db, sources=["Wire A"])
    assert len(filtered_periods._memo) == 1
    again = queries.pair_timeline("AAA-BBB", db, sources=["Wire A"])  # from memory, same rows
    assert_same(again, first)
    assert len(filtered_periods._memo) == 1
    ingest_scored(db, [scored_article("b2", distinct_text(12), date="2024-01-20", source="Wire A",
                                      pairs={"AAA-BBB": 40.0})])
    after = queries.pair_timeline("AAA-BBB", db, sources=["Wire A"])
    assert after["articles"].tolist() == [2] and after["raw_tension"].tolist() == [60.0]
    assert len(filtered_periods._memo) == 2


def test_kept_series_serve_every_query_of_the_selection(dashboard_store):
    from analysis import filtered_periods

    filtered_periods.clear_memo()
    cold = queries.country_profile("RUS", dashboard_store, sources=["Reuters"], categories=["ASSAULT"])
    warm = queries.country_profile("RUS", dashboard_store, sources=["Reuters"], categories=["ASSAULT"])
    for part in ("timeline", "counterparts", "keywords"):
        assert_same(warm[part], cold[part])
    assert set(cold["keywords"]["term"]) == {"drone assault", "shelled"}


def test_kept_series_give_the_new_anomalies_of_the_selection(two_wires):
    from analysis import filtered_periods

    filtered_periods.clear_memo()
    cold = queries.anomalies_since_last_ingest(two_wires, freq="M", min_anomaly=-100, sources=["Wire A"])
    queries.pair_timeline("AAA-BBB", two_wires, freq="M", sources=["Wire A"])
    warm = queries.anomalies_since_last_ingest(two_wires, freq="M", min_anomaly=-100, sources=["Wire A"])
    assert_same(warm, cold)
    assert cold["new_articles"].tolist() == [1]  # Wire A's February article a4 (January has no anomaly)
