"""Chart exports: plain text, formula-safe CSV, provenance from the data shown, and images opened
back (Pillow for PNG, xml.etree for SVG, pypdf for PDF) at the size asked for."""
from __future__ import annotations

import argparse
import csv
import io
import shutil
import xml.etree.ElementTree as ET
from datetime import date

import pandas as pd
import pytest

from analysis import METHOD_VERSION, export, provenance
from analysis.export import ChartRequest, ExportError
from tests.export_store import MARKUP_TITLE, WCEP, WIRE, private_store

needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None,
                                    reason="image export needs Debian's chromium (make chromium)")
WCEP_TEXT = "Event summaries from Wikipedia's Portal:Current events, by Wikipedia contributors, CC BY-SA 4.0"


@pytest.fixture(scope="module")
def store():
    with private_store("export") as path:
        yield path


# ---- plain text and CSV cells ------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("RUS-UKR: tension over time", "RUS-UKR: tension over time"),
    ("<b>Bold</b> claim", "&lt;b&gt;Bold&lt;/b&gt; claim"),
    ("line<br>break", "line&lt;br&gt;break"),
    ("AT&T &amp; co", "AT&amp;T &amp;amp; co"),
    ("costs $5 or $6", "costs &#36;5 or &#36;6"),
])
def test_plain_text_escapes_plotly_markup(text, expected):
    assert export.plain_text(text) == expected


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1 555 0100", "'+1 555 0100"),
    ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("RUS-UKR", "RUS-UKR"),
    (-0.5, "-0.5"),
    (3, "3"),
    (72.2019230769, "72.201923"),
    (float("nan"), ""),
    (None, ""),
    (True, "true"),
    (date(2024, 1, 1), "2024-01-01"),
    (pd.Timestamp("2024-02-01"), "2024-02-01"),
])
def test_csv_cell_defuses_formulas_but_keeps_numbers(value, expected):
    assert export.csv_cell(value) == expected


def test_csv_text_escapes_a_cell_starting_with_equals():
    frame = pd.DataFrame({"pair": ["RUS-UKR"], "text": ["=1+1 Russia struck Kyiv"], "tension": [-0.25]})
    rows = list(csv.reader(io.StringIO(export.csv_text(frame))))
    assert rows == [["pair", "text", "tension"], ["RUS-UKR", "'=1+1 Russia struck Kyiv", "-0.25"]]


# ---- attribution -------------------------------------------------------------------------------------

def test_shipped_attribution_file_names_the_wcep_licence():
    found = provenance.load_attributions()
    assert found[WCEP.lower()].licence == "CC BY-SA 4.0"
    assert WCEP_TEXT in found[WCEP.lower()].attribution


@pytest.mark.parametrize("content, message", [
    ("source,attribution\nX,credit X\n", "missing column(s) licence"),
    ("source,licence,attribution\nX,CC0,\n", "line 2"),
])
def test_attribution_file_errors_name_the_problem(tmp_path, content, message):
    path = tmp_path / "attribution.csv"
    path.write_text(content)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        provenance.load_attributions(path)


def test_attribution_lines_credit_licensed_sources_and_name_the_others():
    known = {"wire a": provenance.Attribution("Wire A", "CC BY 4.0", "Text by Wire A, CC BY 4.0.")}
    lines = provenance.attribution_lines(["Wire A", "Zeta", "Alpha", None], known)
    assert lines == ("Text by Wire A, CC BY 4.0.",
                     "Other sources: Alpha, Zeta, articles without a named source.")
    many = provenance.attribution_lines([f"S{i:02d}" for i in range(9)], {}, max_named=3)
    assert many == ("Other sources: S00, S01, S02 and 6 more.",)


# ---- windows and provenance from a store -------------------------------------------------------------

@pytest.mark.parametrize("since, until, freq, expected", [
    ("2024-01-01", "2024-02-10", "M", (date(2024, 1, 1), date(2024, 2, 29))),
    ("2024-01-15", None, "M", (date(2024, 2, 1), None)),
    (None, "2024-01-03", "W", (None, date(2024, 1, 7))),
    (None, None, "D", (None, None)),
])
def test_data_window_covers_the_periods_a_query_returns(since, until, freq, expected):
    assert provenance.data_window(since, until, freq) == expected


def test_provenance_counts_what_is_shown_and_attributes_its_sources(store):
    whole = provenance.provenance_for(store, ["RUS-UKR"], None, None)
    assert (whole.articles, whole.stories, whole.sources) == (5, 5, (WIRE, WCEP))
    assert whole.first_date == "2024-01-05" and whole.last_date == "2024-04-04"
    assert any(WCEP_TEXT in line for line in whole.attribution)
    february = provenance.provenance_for(store, ["RUS-UKR"], date(2024, 2, 1), date(2024, 2, 29))
    assert (february.articles, february.sources) == (1, (WIRE,))
    assert not any(WCEP_TEXT in line for line in february.attribution)  # attribution follows the data
    assert provenance.provenance_for(store, [], None, None).articles == 0


def test_provenance_is_narrowed_like_the_chart_it_backs(store):
    wire = provenance.provenance_for(store, ["RUS-UKR"], None, None, sources=[WIRE])
    assert (wire.articles, wire.stories, wire.sources) == (2, 2, (WIRE,))  # a02, a04
    assert not any(WCEP_TEXT in line for line in wire.attribution)
    # Every signal of this store holds "strike", matched as ASSAULT.
    assault = provenance.provenance_for(store, ["RUS-UKR"], None, None, categories=["assault"])
    assert assault.articles == 5
    assert provenance.provenance_for(store, ["RUS-UKR"], None, None, categories=["SANCTION"]).articles == 0
    both = provenance.provenance_for(store, ["RUS-UKR", "RUS-USA"], date(2024, 1, 1), date(2024, 1, 31),
                                     sources=[WIRE], categories=["ASSAULT"])
    assert (both.articles, both.sources) == (1, (WIRE,))  # a02 only


def test_footer_lines_say_counts_method_date_and_attribution(store):
    backing = provenance.provenance_for(store, ["IRN-ISR"], None, None)
    lines = backing.footer_lines(date(2026, 1, 2))
    assert lines[0] == (f"2 articles · 2 stories · 1 source · 2024-02-21 to 2024-03-18 · "
                        f"Faultline method {METHOD_VERSION} · generated 2026-01-02")
    assert lines[1:] == ("Other sources: Test Wire.",)


# ---- chart data and CSV ------------------------------------------------------------------------------

def _pairs_command_csv(store, capsys, **options) -> str:
    from analysis.commands import pairs as pairs_command

    args = argparse.Namespace(db=str(store), since=None, until=None, pair=None, country=None, freq="M",
                              by="stories", format="csv")
    for name, value in options.items():
        setattr(args, name, value)
    capsys.readouterr()
    assert pairs_command.run(args) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("options", [
    dict(pair="RUS-UKR"),
    dict(pair="RUS-USA", since="2024-02-01", until="2024-04-30"),
    dict(pair="CHN-USA", freq="W", by="articles"),
])
def test_pair_timeline_csv_matches_the_pairs_command(store, capsys, options):
    request = ChartRequest("pair-timeline", pair=options["pair"], since=options.get("since"),
                           until=options.get("until"), freq=options.get("freq", "M"),
                           by=options.get("by", "stories"))
    exported = export.export_chart(request, "csv", store).decode("utf-8")
    assert exported == _pairs_command_csv(store, capsys, **options)
    assert exported.count("\n") > 1  # a header and at least one row: the comparison is not vacuous


def test_country_csv_matches_the_pairs_command(store, capsys):
    exported = export.export_chart(ChartRequest("country", country="RUS"), "csv", store).decode()
    assert exported == _pairs_command_csv(store, capsys, country="RUS")


@pytest.mark.parametrize("chart, expected_pairs", [
    ("matrix", {"CHN-USA", "IRN-ISR", "RUS-UKR", "RUS-USA"}),
    ("network", {"CHN-USA", "IRN-ISR", "RUS-UKR", "RUS-USA"}),
    ("top-pairs", {"CHN-USA", "RUS-UKR", "RUS-USA"}),  # IRN-ISR has 2 stories, below the minimum of 3
])
def test_summary_chart_csv_holds_the_pairs_drawn(store, chart, expected_pairs):
    data = export.chart_data(ChartRequest(chart), store)
    rows = list(csv.DictReader(io.StringIO(export.export_chart(ChartRequest(chart), "csv", store).decode())))
    assert {row["pair"] for row in rows} == expected_pairs == set(data.pairs)


def test_same_request_gives_the_same_csv(store):
    request = ChartRequest("top-pairs", rank_by="anomaly", n=2)
    assert export.export_chart(request, "csv", store) == export.export_chart(request, "csv", store)


@pytest.mark.parametrize("kwargs, message", [
    (dict(chart="pie"), "unknown chart"),
    (dict(chart="pair-timeline"), "needs a pair"),
    (dict(chart="country"), "needs a country"),
    (dict(chart="matrix", since=date(2024, 3, 1), until=date(2024, 1, 1)), "after until"),
    (dict(chart="matrix", freq="Y"), "freq must be"),
])
def test_bad_requests_say_what_is_wrong(kwargs, message):
    with pytest.raises(ExportError, match=message):
        ChartRequest(**kwargs)


@pytest.mark.parametrize("width, height", [(100, 900), (1600, 90000), (1600.5, 900)])
def test_image_sizes_are_checked_before_rendering(store, width, height):
    with pytest.raises(ExportError, match="pixels"):
        export.export_chart(ChartRequest("matrix"), "png", store, width=width, height=height)


# ---- images, opened back -----------------------------------------------------------------------------

@needs_chromium
@pytest.mark.parametrize("chart, options, size", [
    ("pair-timeline", dict(pair="RUS-UKR"), (1600, 900)),
    ("matrix", {}, (1200, 1200)),
    ("top-pairs", {}, (1000, 600)),
])
def test_png_decodes_at_the_requested_size(store, chart, options, size):
    from PIL import Image

    content = export.export_chart(ChartRequest(chart, **options), "png", store, width=size[0],
                                  height=size[1])
    image = Image.open(io.BytesIO(content))
    image.load()
    assert (image.format, image.size) == ("PNG", size)


def _svg_text(content: bytes) -> str:
    root = ET.fromstring(content)
    return " ".join("".join(element.itertext()) for element in root.iter()
                    if element.tag.endswith("text"))


@needs_chromium
def test_svg_parses_and_carries_title_subtitle_and_footer(store):
    request = ChartRequest("network", since=date(2024, 2, 1), until=date(2024, 3, 31))
    content = export.export_chart(request, "svg", store, generated=date(2026, 1, 2))
    text = _svg_text(content)
    assert "Pair network" in text
    assert "2024-02-01 to 2024-03-31" in text
    assert "generated 2026-01-02" in text and f"Faultline method {METHOD_VERSION}" in text
    assert "Event summaries from Wikipedia" in text  # a05 and a07 are WCEP summaries in the window


@needs_chromium
def test_markup_in_a_title_shows_literally(store):
    figure = export.chart_data(ChartRequest("pair-timeline", pair="RUS-UKR"), store).figure
    backing = provenance.provenance_for(store, ["RUS-UKR"], None, None)
    content = export.export_figure(figure, "svg", title=MARKUP_TITLE, subtitle="<i>sub</i> & more",
                                   provenance=backing)
    text = _svg_text(content)
    assert MARKUP_TITLE in text and "<i>sub</i> & more" in text


@needs_chromium
def test_chart_pdf_has_a_page_with_the_footer(store):
    from pypdf import PdfReader

    content = export.export_chart(ChartRequest("country", country="USA"), "pdf", store)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    assert "Faultline method" in reader.pages[0].extract_text()


@needs_chromium
def test_same_request_gives_the_same_image_size(store):
    from PIL import Image

    request = ChartRequest("matrix", top_n=4)
    sizes = {Image.open(io.BytesIO(export.export_chart(request, "png", store, width=900, height=700))).size
             for _ in range(2)}
    assert sizes == {(900, 700)}


def test_write_export_replaces_the_file_whole(tmp_path):
    out = tmp_path / "deep" / "chart.csv"
    export.write_export(b"a,b\n1,2\n", out)
    export.write_export(b"a,b\n3,4\n", out)
    assert out.read_bytes() == b"a,b\n3,4\n"
    assert [p.name for p in out.parent.iterdir()] == ["chart.csv"]


@needs_chromium
def test_matrix_tiles_fit_the_export_canvas_and_name_every_country(store):
    data = export.chart_data(ChartRequest("matrix"), store)
    laid_out = export.decorate(data.figure, data.title, data.subtitle, ["footer"], width=800, height=600)
    tiles = laid_out.data[0]
    countries = set(tiles.x)
    assert list(laid_out.layout.yaxis.tickvals) == list(dict.fromkeys(tiles.y))
    plot_h = 300 - laid_out.layout.margin.t - laid_out.layout.margin.b
    assert tiles.marker.size * len(countries) <= plot_h  # no overlapping rows


# ---- the dashboard's export control: what a download delivers ------------------------------------------

def test_dashboard_csv_of_a_pair_series_matches_the_pairs_command(store, capsys):
    from analysis import queries
    from components.export import chart_export_bytes
    from components.filters import Filters

    timeline = queries.pair_timeline("RUS-UKR", store)  # the dashboard also holds the extra columns
    content = chart_export_bytes(None, timeline, "csv", title="", subtitle="", pairs=["RUS-UKR"],
                                 filters=Filters(), width=1600, height=900, db=str(store))
    assert content.decode() == _pairs_command_csv(store, capsys, pair="RUS-UKR")


@needs_chromium
def test_dashboard_image_counts_the_filtered_window(store):
    from analysis import charts, queries
    from components.export import chart_export_bytes, export_subtitle
    from components.filters import Filters

    filters = Filters(since=date(2024, 3, 1), until=date(2024, 4, 30))
    summary = queries.matrix(store, since=filters.since, until=filters.until)
    content = chart_export_bytes(charts.matrix_figure(summary), summary, "svg", title="Tension matrix",
                                 subtitle=export_subtitle(filters), pairs=list(summary["pair"]),
                                 filters=filters, width=1600, height=900, db=str(store),
                                 generated=date(2026, 1, 2))
    text = _svg_text(content)
    assert "4 articles · 4 stories · 2 sources · 2024-03-02 to 2024-04-22" in text  # a07..a10
    assert "2024-03-01 to 2024-04-30" in text


@pytest.mark.parametrize("name, since, fmt, expected", [
    ("pair-timeline-RUS-UKR", None, "png", "faultline-pair-timeline-RUS-UKR.png"),
    ("matrix", date(2024, 1, 1), "csv", "faultline-matrix-2024-01-01-to-end.csv"),
    ("country-<b>X</b>", None, "svg", "faultline-country-b-X-b.svg"),
])
def test_download_file_names_say_what_and_when(name, since, fmt, expected):
    from components.export import export_file_name
    from components.filters import Filters

    assert export_file_name(name, Filters(since=since), fmt) == expected


def _control_page():
    """A page with one chart's export control and the briefing-pack buttons (run by AppTest)."""
    from analysis import charts, queries
    from components.export import briefing_pack_control, export_control
    from components.filters import Filters

    frame = queries.pair_timeline("RUS-UKR", None)
    fig = charts.pair_timeline_figure(frame, "RUS-UKR")
    export_control(fig, frame, "pair-timeline-RUS-UKR", Filters(), key="timeline", focus="RUS-UKR")
    briefing_pack_control(Filters(), ["RUS-UKR", "IRN-ISR"], key="pack", default=["RUS-UKR"])


@needs_chromium
def test_export_control_offers_formats_sizes_and_briefing_packs(store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("FAULTLINE_DB", str(store))
    page = AppTest.from_function(_control_page).run()
    assert not page.exception
    assert page.radio[0].options == ["PNG", "SVG", "PDF", "CSV"]
    assert page.selectbox[0].options == list(export.SIZE_PRESETS) and not page.selectbox[0].disabled
    buttons = [button.label for button in page.get("download_button")]
    assert buttons == ["Download PNG", "Briefing pack (PPTX)", "Briefing pack (PDF)"]
    page.radio[0].set_value("csv").run()
    assert page.selectbox[0].disabled  # a CSV has no size
    assert page.get("download_button")[0].label == "Download CSV"
    page.multiselect[0].set_value([]).run()
    assert [button.label for button in page.get("download_button")] == ["Download CSV"]


@needs_chromium
@pytest.mark.parametrize("width, height", [(1600, 900), (1000, 600), (800, 800)])
def test_legend_sits_below_the_subtitle(store, width, height):
    import re

    svg = export.export_chart(ChartRequest("pair-timeline", pair="RUS-UKR"), "svg", store, width=width,
                              height=height).decode()
    subtitle_top = float(re.search(r'class="gtitle-subtitle" x="[\d.]+" y="([\d.]+)"', svg).group(1))
    legend_top = float(re.search(r'<g class="legend"[^>]*translate\([\d.]+,([\d.]+)\)', svg).group(1))
    assert legend_top >= subtitle_top + 12  # 12 px type: the legend starts below the subtitle's line
