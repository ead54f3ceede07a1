"""The dashboard's pages through Streamlit's AppTest, over a small hand-built store (tests/dashboard_corpus.py)."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

APP = "../app.py"  # AppTest resolves paths relative to this file
PAGES = {
    "overview": None,
    "pair": "components/pages/pair_explorer.py",
    "matrix": "components/pages/matrix.py",
    "country": "components/pages/country.py",
    "articles": "components/pages/articles.py",
    "data": "components/pages/data_page.py",
    "method": "components/pages/method.py",
}


def open_page(name: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if PAGES[name]:
        at.switch_page(PAGES[name]).run()
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def url_values(at: AppTest, key: str) -> list[str]:
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def chart_titles(at: AppTest) -> list[str]:
    return [spec["layout"].get("title", {}).get("text", "") for spec in chart_specs(at)]


# ---- empty store -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_says_what_to_do_without_a_store(name, tmp_path, monkeypatch):
    monkeypatch.setenv("FAULTLINE_DB", str(tmp_path / "missing.duckdb"))
    monkeypatch.setenv("FAULTLINE_USER_DIR", str(tmp_path / "user"))
    at = open_page(name)
    assert_clean(at)
    if name != "method":  # the method page needs no data
        assert any("No data yet" in info.value for info in at.info)


@pytest.mark.parametrize("name", ["overview", "pair", "matrix", "country", "articles", "data"])
def test_a_broken_store_gives_a_message_not_a_traceback(name, tmp_path, monkeypatch):
    broken = tmp_path / "faultline.duckdb"
    broken.write_bytes(b"this is not a DuckDB file")
    monkeypatch.setenv("FAULTLINE_DB", str(broken))
    monkeypatch.setenv("FAULTLINE_USER_DIR", str(tmp_path / "user"))
    at = open_page(name)
    assert not at.exception
    assert [e.value for e in at.error] and all(e.value.startswith("This page could not be drawn") for e in at.error)


# ---- every page over the test store -------------------------------------------------------------------

@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_draws_without_error(name, dashboard_env):
    at = open_page(name)
    assert_clean(at)
    assert at.title[0].value


def test_overview_shows_counts_charts_and_the_spike(dashboard_env):
    at = open_page("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles"] == "85" and metrics["Pairs"] == "4"
    titles = chart_titles(at)
    assert "Tension over time, all pairs" in titles
    rise = chart_specs(at)[titles.index("Largest rise against baseline")]
    bars = next(trace for trace in rise["data"] if trace["type"] == "bar")
    assert bars["customdata"][0] == ["RUS-UKR"]  # February 2022 is RUS-UKR's spike
    anomalies = at.dataframe[0].value
    assert set(anomalies["pair"]) == {"RUS-UKR"}


def test_filters_come_from_the_url_and_narrow_the_charts(dashboard_env):
    at = open_page("overview", {"countries": "CHN", "since": "2022-03-01", "freq": "W"})
    assert_clean(at)
    assert at.multiselect(key="filter_countries").value == ["CHN"]
    tension = chart_specs(at)[chart_titles(at).index("Tensest pairs")]
    bars = next(trace for trace in tension["data"] if trace["type"] == "bar")
    assert [c[0] for c in bars["customdata"]] == ["CHN-USA"]
    overview = chart_specs(at)[chart_titles(at).index("Tension over time, all pairs")]
    assert min(point[0] for point in overview["data"][0]["customdata"]) >= "2022-02-28"  # weekly, from March


def test_a_filter_change_updates_the_url_and_the_chart(dashboard_env):
    at = open_page("overview")
    before = chart_specs(at)[0]["data"][0]["x"]
    at.multiselect(key="filter_pairs").set_value(["IND-PAK"]).run()
    assert_clean(at)
    assert url_values(at, "pairs") == ["IND-PAK"]
    tension = chart_specs(at)[chart_titles(at).index("Tensest pairs")]
    bars = next(trace for trace in tension["data"] if trace["type"] == "bar")
    assert [c[0] for c in bars["customdata"]] == ["IND-PAK"]
    at.get("button_group")[1].set_value("W").run()  # the period control: month -> week
    assert url_values(at, "freq") == ["W"]
    assert len(chart_specs(at)[0]["data"][0]["x"]) > len(before)


def test_pair_explorer_opens_the_pair_in_the_url(dashboard_env):
    at = open_page("pair", {"pair": "usa-chn"})
    assert_clean(at)
    assert at.selectbox(key="pair_picker").value == "CHN-USA"
    assert "CHN-USA: tension over time (by stories)" in chart_titles(at)
    timeline = chart_specs(at)[0]
    assert [p[0] for p in timeline["data"][0]["customdata"]][:2] == ["2022-01-01", "2022-02-01"]
    categories = {trace["name"] for trace in chart_specs(at)[1]["data"]}
    assert categories == {"SANCTION", "AGREE"}
    assert any("Click a point" in caption.value for caption in at.caption)


def test_picking_another_pair_keeps_it_in_the_url(dashboard_env):
    at = open_page("pair")
    at.selectbox(key="pair_picker").set_value("IND-PAK").run()
    assert_clean(at)
    assert url_values(at, "pair") == ["IND-PAK"]
    assert "IND-PAK: tension over time (by stories)" in chart_titles(at)


def test_matrix_tiles_name_their_pairs_and_top_n_narrows_them(dashboard_env):
    at = open_page("matrix")
    assert_clean(at)
    tiles = chart_specs(at)[0]["data"][0]
    assert {c[0] for c in tiles["customdata"]} == {"RUS-UKR", "RUS-USA", "CHN-USA", "IND-PAK"}
    at.slider(key="matrix_top_n").set_value(5).run()
    assert_clean(at)
    tiles = chart_specs(at)[0]["data"][0]
    # the five countries with most stories leave out one of IND/PAK, and with it their pair
    assert "IND-PAK" not in {c[0] for c in tiles["customdata"]}


def test_country_profile_lists_counterparts(dashboard_env):
    at = open_page("country", {"country": "RUS"})
    assert_clean(at)
    assert "RUS: tension with its main counterparts" in chart_titles(at)
    conflictual = at.dataframe[0].value
    assert conflictual["counterpart"].iloc[0].startswith("UKR")


def test_articles_search_narrows_the_table(dashboard_env):
    at = open_page("articles")
    assert any(caption.value.startswith("85 article(s)") for caption in at.caption)
    at.text_input(key="article_search").set_value("exchanged fire").run()
    assert_clean(at)
    table = at.dataframe[0].value
    assert len(table) == 18 and table["title"].str.contains("exchanged fire").all()


def test_method_page_searches_the_lexicon_and_saves_an_edit(dashboard_env, tmp_path):
    at = open_page("method")
    at.text_input(key="lexicon_search").set_value("drone assault").run()
    assert_clean(at)
    shown = at.dataframe[0].value
    assert "drone assault" in set(shown["term"])
    at.text_input(key="edit_term").set_value("naval blockade drill")
    at.selectbox(key="edit_category").set_value("MOBILIZE")
    at.number_input(key="edit_weight").set_value(6.5)
    at.button[0].click().run()  # the form's submit button
    assert_clean(at)
    assert any("Saved 'naval blockade drill'" in s.value for s in at.success)
    saved = pd.read_csv(tmp_path / "user" / "lexicon.csv")
    assert saved.loc[0, "term"] == "naval blockade drill" and saved.loc[0, "weight"] == 6.5


def test_data_page_shows_history_and_quality(dashboard_env):
    at = open_page("data")
    assert_clean(at)
    history = at.dataframe[0].value
    assert history["new"].iloc[0] == 85
    labels = {m.label for m in at.metric}
    assert {"Undated", "No country", "Duplicates skipped"} <= labels


# ---- components drawn alone ------------------------------------------------------------------------

def _evidence_app():
    import pandas as pd

    from components.evidence import render_evidence
    from tests.dashboard_corpus import HOSTILE_SENTENCE

    render_evidence(pd.DataFrame([{
        "text": HOSTILE_SENTENCE, "keywords": ["shelled"], "sentiment": -0.6, "date": "2022-02-03",
        "source": "Reuters", "title": "**Kharkiv** <b>shelled</b>", "url": "javascript:alert(1)", "outlets": 3,
    }]), "nothing")


def test_evidence_shows_hostile_text_literally():
    at = AppTest.from_function(_evidence_app).run()
    assert_clean(at)
    body = at.markdown[0].value
    assert "<script>" not in body and "\\<script\\>" in body
    assert "\\*\\*bold\\*\\*" in body and "\\[link\\]\\(http\\:\\/\\/x\\)" in body and "\\$x\\$" in body
    assert ":orange-background[**shelled**]" in body
    caption = at.caption[0].value
    assert "+2 outlets" in caption and "javascript" not in caption and "\\*\\*Kharkiv\\*\\*" in caption


def _article_app():
    import pandas as pd

    from components.article_view import render_article
    from tests.dashboard_corpus import HOSTILE_SENTENCE

    render_article({
        "title": HOSTILE_SENTENCE, "date": "2022-02-03", "date_source": "field", "source": "Reuters",
        "url": "https://news.example.org/1", "tension": 80.0, "sentiment": -0.6, "escalation": 8.0,
        "cooperation": 0.0, "countries": ["RUS", "UKR"], "mentions": [], "venues": ["TUR"],
        "sentences": pd.DataFrame([{
            "idx": 0, "text": HOSTILE_SENTENCE, "parties": ["RUS", "UKR"], "venues": [],
            "actors": [{"text": "Russian", "code": "RUS", "kind": "demonym"}],
            "keywords": [{"term": "shelled", "category": "ASSAULT", "modality": "act", "weight": 8.0,
                          "factor": 1.0}],
            "sentiment": -0.6, "escalation": 8.0, "cooperation": 0.0}]),
        "pairs": pd.DataFrame(), "removed": [{"kind": "share-furniture", "text": "Share this"}],
        "story": pd.DataFrame(),
    })


def test_article_view_spells_out_sentences_and_removals():
    at = AppTest.from_function(_article_app).run()
    assert_clean(at)
    assert "<script>" not in at.markdown[0].value
    sentences = at.dataframe[0].value
    assert sentences.loc[0, "actors"] == "Russian → RUS (demonym)"
    assert sentences.loc[0, "keywords"] == "shelled (ASSAULT, act, ×1 → 8.0)"
    removed = at.dataframe[1].value
    assert removed.loc[0, "kind"] == "share-furniture"
    assert any(t.value == "Venues: TUR" for t in at.text)


# ---- pages that write: each gets its own copy of the store -----------------------------------------------

@pytest.fixture
def writable_store(dashboard_store, tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "store.duckdb"
    shutil.copy(dashboard_store, copy)
    monkeypatch.setenv("FAULTLINE_DB", str(copy))
    monkeypatch.setenv("FAULTLINE_USER_DIR", str(tmp_path / "user"))
    return copy


UPLOAD = (b"date 2022-03-15\n"
          b"Turkey and Greece agree to reopen talks over Aegean dispute\n\n"
          b"Ankara and Athens agreed on Tuesday to resume exploratory talks on their maritime dispute, "
          b"the Turkish and Greek foreign ministers said after meeting in Brussels.\n")


def test_data_page_upload_adds_articles_and_reports_bad_files(writable_store):
    at = open_page("data")
    at.file_uploader(key="upload_files").set_value([
        ("aegean.txt", UPLOAD, "text/plain"),
        ("broken.jsonl", b'not json at all\n{"title": \n', "application/json"),
    ])
    at.button[0].click().run()
    assert not at.exception
    results = at.dataframe[0].value
    assert results.set_index("file").loc["aegean.txt", "new"] == 1
    assert results.set_index("file").loc["broken.jsonl", "errors"] >= 1
    assert any("Last upload: 2 file(s)" in s.value for s in at.success)
    assert [e.value for e in at.error] == ["broken.jsonl: 2 problem(s)"]
    report = at.code[0].value
    assert "line 1 of broken.jsonl" in report and "line 2 of broken.jsonl" in report and "/tmp" not in report
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles"] == "86"


def test_method_page_saves_an_alias_and_rescoring_applies_it(writable_store):
    from analysis import queries

    assert not any("NOR" in pair.split("-") for pair in queries.pair_list(writable_store)["pair"])
    at = open_page("method")
    at.text_input(key="actor_search").set_value("Kremlin").run()
    assert "Kremlin" in set(at.dataframe[1].value["alias"])
    at.text_input(key="edit_alias").set_value("Report")  # every test article says "Report N from ..."
    at.selectbox(key="edit_code").set_value("NOR")
    at.selectbox(key="edit_kind").set_value("country")
    at.get("form_submit_button")[1].click().run()
    assert_clean(at)
    assert any("Saved 'Report'" in s.value for s in at.success)
    at.button(key="rescore_actors").click().run()
    assert_clean(at)
    assert any(s.value.startswith("Re-scored 85 articles") for s in at.success)
    from analysis import queries

    pairs = set(queries.pair_list(writable_store)["pair"])
    assert any("NOR" in pair.split("-") for pair in pairs)  # the new alias now forms pairs
    runs = queries.ingest_history(writable_store)
    assert len(runs) == 2 and list(runs["paths"].iloc[0]) == ["re-score of store.duckdb"]


def test_reset_filters_clears_the_sidebar_and_the_url(dashboard_env):
    at = open_page("overview", {"countries": "CHN", "freq": "W", "since": "2022-03-01"})
    assert url_values(at, "countries") == ["CHN"]
    at.button(key="filter_reset").click().run()
    assert_clean(at)
    assert at.multiselect(key="filter_countries").value == []
    assert dict(at.query_params) == {}
    assert at.button(key="filter_reset").disabled


def test_an_upload_creates_the_store_when_there_is_none(tmp_path, monkeypatch):
    monkeypatch.setenv("FAULTLINE_DB", str(tmp_path / "new.duckdb"))
    monkeypatch.setenv("FAULTLINE_USER_DIR", str(tmp_path / "user"))
    at = open_page("data")
    assert any("No data yet" in info.value for info in at.info)
    at.file_uploader(key="upload_files").set_value(("aegean.txt", UPLOAD, "text/plain"))
    at.button[0].click().run()
    assert_clean(at)
    assert {m.label: m.value for m in at.metric}["Articles"] == "1"
    at.switch_page(PAGES["pair"]).run()
    assert_clean(at)
    assert "GRC-TUR" in at.selectbox(key="pair_picker").options[0]


def plotted_values(trace: dict, axis: str = "y") -> list[float]:
    """A trace's values as floats, whether plotly wrote a list or a typed array (dtype + base64 bytes)."""
    import base64

    import numpy as np

    values = trace[axis]
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).astype(float).tolist()
    return [float(v) for v in values]


def test_the_sources_filter_narrows_the_pair_timeline_and_says_so(dashboard_env):
    from analysis import queries

    at = open_page("pair", {"pair": "RUS-UKR"})
    assert_clean(at)
    before = chart_specs(at)[0]["data"][0]
    assert not any("recomputed" in caption.value for caption in at.caption)
    at.multiselect(key="filter_sources").set_value(["Reuters"]).run()
    assert_clean(at)
    assert url_values(at, "sources") == ["Reuters"]
    after = chart_specs(at)[0]["data"][0]
    expected = queries.pair_timeline("RUS-UKR", dashboard_env, sources=["Reuters"])
    assert plotted_values(after) == pytest.approx(expected["tension"].tolist(), abs=1e-9)
    assert [point[1] for point in after["customdata"]] == expected["stories"].tolist()
    assert [point[1] for point in after["customdata"]] != [point[1] for point in before["customdata"]]
    assert plotted_values(after) != pytest.approx(plotted_values(before), abs=1e-6)
    captions = [caption.value for caption in at.caption]
    assert any("recomputed from articles from Reuters only" in text for text in captions)
    assert not any("count every source and category" in text for text in captions)  # the old caption


def test_the_categories_filter_narrows_the_matrix_and_says_so(dashboard_env):
    at = open_page("matrix", {"categories": "SANCTION"})
    assert_clean(at)
    tiles = chart_specs(at)[0]["data"][0]
    # only RUS-USA and CHN-USA hold SANCTION terms in the test corpus
    assert {c[0] for c in tiles["customdata"] if c and c[0]} == {"RUS-USA", "CHN-USA"}
    assert any("pair signals with a keyword in SANCTION only" in caption.value for caption in at.caption)


def test_the_articles_page_says_categories_do_not_narrow_it(dashboard_env):
    at = open_page("articles", {"categories": "SANCTION"})
    assert_clean(at)
    assert any("does not narrow this list" in caption.value for caption in at.caption)
    assert not any("does not narrow this list" in caption.value for caption in open_page("articles").caption)
