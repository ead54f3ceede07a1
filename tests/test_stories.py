"""Stories: near-duplicate coverage of one event grouped by MinHash/LSH, incrementally."""
from __future__ import annotations

import numpy as np
import pytest

from analysis import queries
from analysis import stories as stories_module
from analysis.store import ingest_scored, read_frame, writing
from analysis.stories import content_words, signature, signatures
from tests.scored_factory import scored_article

# Two outlets' rewrites of one event: few shared sentences, many shared names and numbers.
OUTLET_A = (
    "U.S. Secretary of State Marco Rubio will meet Russian Foreign Minister Sergei Lavrov on "
    "Thursday in Kuala Lumpur on the sidelines of the ASEAN foreign ministers' summit. Trump warned "
    "that the U.S. might back sweeping sanctions, including 500% tariffs on countries buying Russian "
    "oil, gas and uranium. Russia's most extensive drone assault to date, 728 unmanned aerial "
    "vehicles, targeted Ukrainian infrastructure and strained Kyiv's air defenses. Trump's Ukraine "
    "envoy Keith Kellogg met President Volodymyr Zelenskyy in Rome on Wednesday.")
OUTLET_B = (
    "Marco Rubio is set to meet Sergei Lavrov on the sidelines of the ASEAN summit in Kuala Lumpur "
    "this Thursday. The administration is weighing severe sanctions, including 500% tariffs on "
    "countries importing Russian oil, gas, and uranium. Keith Kellogg met Ukrainian President "
    "Volodymyr Zelenskiy in Rome on Wednesday. Russia launched a record 728 drones against Ukraine "
    "in a massive air offensive, pressuring Ukraine's air defenses.")
OTHER_EVENT = (
    "The European Central Bank held interest rates steady on Thursday, with President Christine "
    "Lagarde saying inflation in the euro area was close to target while growth remained weak in "
    "Germany and Italy. Bond yields fell across the bloc and the euro slipped against the dollar "
    "after the announcement in Frankfurt, as traders priced in a cut in September.")


def story_count(db) -> int:
    return int(read_frame(db, "SELECT count(DISTINCT story_id) AS n FROM articles")["n"][0])


@pytest.mark.parametrize("words", [set(), {"one"}, content_words(OUTLET_A), content_words(OUTLET_B)])
def test_batched_signatures_equal_datasketch(words):
    batch = signatures([words, {"filler", "words"}] * 300)  # several chunks
    assert np.array_equal(batch[0], signature(words))
    assert np.array_equal(batch[-2], signature(words))


def test_content_words_drop_stop_words_and_case():
    assert content_words("The U.S. and Russia: talks in Kuala Lumpur") == {
        "russia", "talks", "kuala", "lumpur"}


def test_two_outlets_rewriting_one_event_form_one_story(tmp_path):
    db = tmp_path / "s.duckdb"
    ingest_scored(db, [scored_article("a", OUTLET_A, date="2025-07-10"),
                       scored_article("b", OUTLET_B, date="2025-07-11"),
                       scored_article("c", OTHER_EVENT, date="2025-07-10")])
    assert story_count(db) == 2
    stats = queries.stats(db)
    assert (stats["articles"], stats["stories"]) == (3, 2)


def test_stories_grow_across_ingests(tmp_path):
    db = tmp_path / "s.duckdb"
    ingest_scored(db, [scored_article("a", OUTLET_A, date="2025-07-10")])
    ingest_scored(db, [scored_article("b", OUTLET_B, date="2025-07-10")])
    assert story_count(db) == 1


def test_same_text_far_apart_in_time_is_not_one_story(tmp_path):
    db = tmp_path / "s.duckdb"
    ingest_scored(db, [scored_article("a", OUTLET_A, date="2025-07-10"),
                       scored_article("b", OUTLET_B, date="2025-09-10")])
    assert story_count(db) == 2


@pytest.mark.parametrize("first, second", [
    # Different events, same day, same template: short texts must be near-identical to group.
    ("Twelve people are killed and 23 others are injured in Russian airstrikes on a hospital in "
     "Aleppo, Syria.",
     "At least nine people are killed and at least 62 others are injured in Russian airstrikes on "
     "Idlib."),
    ("Iran receives its first shipment of 500,000 doses of Russia's Sputnik V vaccine.",
     "Palestine receives 10,000 doses of Russia's Sputnik V vaccine."),
])
def test_short_summaries_of_different_events_stay_apart(tmp_path, first, second):
    db = tmp_path / "s.duckdb"
    ingest_scored(db, [scored_article("a", first, date="2021-02-01"),
                       scored_article("b", second, date="2021-02-01")])
    assert story_count(db) == 2


def test_undated_article_takes_its_story_date(tmp_path):
    db = tmp_path / "s.duckdb"
    ingest_scored(db, [scored_article("a", OUTLET_A, date="2025-07-10", pairs={"RUS-USA": 60}),
                       scored_article("b", OUTLET_B, date=None, pairs={"RUS-USA": 50}),
                       scored_article("c", OTHER_EVENT, date=None, pairs={"DEU-ITA": 10})])
    rows = read_frame(db, "SELECT source_id, date, date_source FROM articles ORDER BY source_id")
    assert [str(d)[:10] if d == d else None for d in rows["date"]] == ["2025-07-10", "2025-07-10", None]
    assert list(rows["date_source"]) == ["field", "story", "none"]
    assert queries.stats(db)["undated"] == 1


def test_templated_one_liners_about_different_countries_stay_apart(tmp_path):
    db = tmp_path / "s.duckdb"
    ingest_scored(db, [
        scored_article("r", "Russia reports a record 1,106 deaths from COVID-19 in the past 24 hours, "
                            "bringing the nationwide death toll to 232,775.",
                       date="2021-10-26", pairs={"RUS-XXX": 50.0}),
        scored_article("u", "Ukraine reports a record 734 deaths from COVID-19 in the past 24 hours, "
                            "bringing the nationwide death toll to 64,936.",
                       date="2021-10-26", pairs={"UKR-XXX": 50.0})])
    assert story_count(db) == 2


def test_daily_updates_do_not_chain_into_one_long_story(tmp_path):
    db = tmp_path / "s.duckdb"
    base = OUTLET_A
    ingest_scored(db, [scored_article(f"d{day}", base + f" Update for day {day}.",
                                      date=f"2025-07-{day:02d}") for day in range(1, 21)])
    spans = read_frame(db, "SELECT max(date) - min(date) AS span FROM articles GROUP BY story_id")
    assert story_count(db) >= 3
    assert all(span <= 7 for span in spans["span"])  # DATE - DATE is a number of days


def _crafted(values: list[int], size: int = 100, day: int = 20_000,
             countries: tuple[str, ...] = ()) -> stories_module.Fingerprint:
    return stories_module.Fingerprint(np.array(values, dtype=np.uint32).tobytes(), size, day,
                                      countries)


@pytest.mark.parametrize("order", [("a", "b", "x"), ("b", "a", "x")])
def test_an_article_equally_close_to_two_stories_joins_the_first_by_id_in_any_order(tmp_path, order):
    # x shares half its MinHash values (and so bands) with each of a and b, which share none:
    # a tie that SQL row order used to break, so a re-run could group it differently.
    half = stories_module.NUM_PERM // 2
    prints = {"a": _crafted(list(range(1, 65))),
              "b": _crafted(list(range(101, 165))),
              "x": _crafted(list(range(1, 1 + half)) + list(range(101 + half, 165)))}
    with writing(tmp_path / "s.duckdb") as conn:
        story_of = stories_module.assign_stories(conn, [(name, prints[name]) for name in order])
    assert story_of == {"a": "a", "b": "b", "x": "a"}


def test_fingerprints_in_one_pass_equal_one_at_a_time_and_datasketch():
    articles = [scored_article("a", OUTLET_A, date="2025-07-10", pairs={"RUS-USA": 60}),
                scored_article("b", OUTLET_B, date=None), scored_article("c", "", title="")]
    batch = stories_module.fingerprints(articles)
    assert batch == [stories_module.fingerprint(article) for article in articles]
    first = batch[0]
    words = content_words(f"{articles[0].title}\n{articles[0].text}")
    assert first.signature == signature(words).tobytes() and first.size == len(words)
    assert (first.day, first.countries, batch[1].day) == (20279, ("RUS", "USA"), -1)


def test_stories_from_fingerprints_equal_stories_from_scored_articles(tmp_path):
    batch = [scored_article("a", OUTLET_A, date="2025-07-10"),
             scored_article("b", OUTLET_B, date="2025-07-11"),
             scored_article("c", OTHER_EVENT, date="2025-07-10")]
    ids = ["ida", "idb", "idc"]
    with writing(tmp_path / "one.duckdb") as conn:
        from_scored = stories_module.assign_stories(conn, list(zip(ids, batch)))
    with writing(tmp_path / "two.duckdb") as conn:
        from_prints = stories_module.assign_stories(
            conn, list(zip(ids, stories_module.fingerprints(batch))))
    assert from_scored == from_prints == {"ida": "ida", "idb": "ida", "idc": "idc"}
