"""What a person sees: a real `streamlit run app.py` driven through Debian's chromium (Playwright).

The server runs over a private copy of the hand-built test store (tests/dashboard_corpus.py).
Screenshots go to test-artifacts/ (git-ignored).
"""
from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

PAGES = [("", "Overview"), ("pair", "Pair explorer"), ("matrix", "Matrix & network"),
         ("country", "Country profile"), ("articles", "Articles"), ("data", "Data"), ("method", "Method")]
TIMEOUT = 20_000  # ms


def open_view(page, base: str, path: str, title: str) -> None:
    """Load a page and wait until its script has finished running."""
    page.goto(f"{base}/{path}", timeout=TIMEOUT)
    page.locator("h1", has_text=title).first.wait_for(timeout=TIMEOUT)
    wait_idle(page)


def wait_idle(page) -> None:
    """Streamlit shows a status widget while a script runs; wait for it to go (and for late reruns)."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT)


def plotly_points(page, chart: int = 0, trace: int = 0) -> int:
    return page.evaluate(
        f"() => document.querySelectorAll('.js-plotly-plot')[{chart}].data[{trace}].x.length")


def assert_no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("could not be drawn").count() == 0


def test_every_page_loads_without_an_exception(streamlit_server, browser_page, screenshot):
    base, _ = streamlit_server
    for path, title in PAGES:
        open_view(browser_page, base, path, title)
        assert_no_exception(browser_page)
        screenshot(path or "overview")


def test_overview_shows_charts(streamlit_server, browser_page, screenshot):
    base, _ = streamlit_server
    open_view(browser_page, base, "", "Overview")
    charts = browser_page.locator(".js-plotly-plot")
    charts.first.wait_for(timeout=TIMEOUT)
    assert charts.count() >= 1
    titles = [t.text_content() for t in browser_page.locator(".js-plotly-plot .gtitle").all()]
    assert "Tension over time, all pairs" in titles
    screenshot("overview")


def test_a_filter_change_updates_the_chart_and_the_link_reproduces_the_view(streamlit_server, browser_page,
                                                                            chromium, screenshot):
    base, _ = streamlit_server
    open_view(browser_page, base, "pair?pair=CHN-USA", "Pair explorer")
    browser_page.locator(".js-plotly-plot .gtitle", has_text="CHN-USA: tension over time").wait_for(timeout=TIMEOUT)
    monthly = plotly_points(browser_page)
    assert monthly == 6
    browser_page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="week", exact=True).click()
    browser_page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot')[0].data[0].x.length > 6", timeout=TIMEOUT)
    wait_idle(browser_page)
    weekly = plotly_points(browser_page)
    link = browser_page.url
    assert "freq=W" in link and "pair=CHN-USA" in link
    screenshot("weekly")

    other = chromium.new_context(viewport={"width": 1280, "height": 800}).new_page()
    try:
        other.goto(link, timeout=TIMEOUT)
        other.locator(".js-plotly-plot .gtitle", has_text="CHN-USA: tension over time").wait_for(timeout=TIMEOUT)
        wait_idle(other)
        assert plotly_points(other) == weekly
        other.screenshot(path=str(ARTIFACTS / "link-reproduces-view.png"))
    finally:
        other.context.close()


def test_selecting_a_point_lists_its_evidence_safely(streamlit_server, browser_page, screenshot):
    base, _ = streamlit_server
    open_view(browser_page, base, "pair?pair=RUS-UKR", "Pair explorer")
    browser_page.locator(".js-plotly-plot .gtitle", has_text="RUS-UKR: tension over time").wait_for(timeout=TIMEOUT)
    february = browser_page.locator(".js-plotly-plot").first.locator(".scatterlayer .trace").first \
        .locator(".points path").nth(1)
    box = february.bounding_box()
    browser_page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    browser_page.get_by_text("period(s) starting 2022-02-01").wait_for(timeout=TIMEOUT)
    wait_idle(browser_page)
    main = browser_page.locator('[data-testid="stMain"]')
    assert main.get_by_text("drone assault").count() >= 1
    # hostile article text is shown as text: no script element, link or bold made from it
    literal = main.get_by_text("<script>alert('x')</script> **bold** [link](http://x) $x$", exact=False)
    assert literal.count() >= 1
    assert main.locator('a[href="http://x"]').count() == 0
    assert main.locator("script").count() == 0
    assert main.locator(".katex").count() == 0
    screenshot("evidence")


def test_an_uploaded_file_shows_up_in_the_stats(streamlit_server, browser_page, tmp_path, screenshot):
    base, _ = streamlit_server
    upload = tmp_path / "aegean.txt"
    upload.write_text("date 2022-03-15\nTurkey and Greece agree to reopen talks over Aegean dispute\n\n"
                      "Ankara and Athens agreed on Tuesday to resume exploratory talks on their maritime "
                      "dispute, the Turkish and Greek foreign ministers said after meeting in Brussels.\n")
    open_view(browser_page, base, "data", "Data")
    browser_page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))
    browser_page.get_by_text("aegean.txt").first.wait_for(timeout=TIMEOUT)
    browser_page.get_by_role("button", name="Ingest files").click()
    browser_page.get_by_text("Last upload: 1 file(s)").wait_for(timeout=60_000)
    wait_idle(browser_page)
    screenshot("uploaded")
    open_view(browser_page, base, "", "Overview")
    articles = browser_page.locator('[data-testid="stMetric"]', has_text="Articles")
    assert articles.locator('[data-testid="stMetricValue"]').text_content().strip() == "86"
    assert_no_exception(browser_page)


def test_clicking_a_matrix_cell_opens_the_pair(streamlit_server, browser_page, screenshot):
    base, _ = streamlit_server
    open_view(browser_page, base, "matrix", "Matrix & network")
    browser_page.locator(".js-plotly-plot .gtitle", has_text="Tension matrix").wait_for(timeout=TIMEOUT)
    index = browser_page.evaluate(
        "() => document.querySelectorAll('.js-plotly-plot')[0].data[0].customdata"
        ".findIndex(c => c[0] === 'IND-PAK')")
    tile = browser_page.locator(".js-plotly-plot").first.locator(".scatterlayer .points path").nth(index)
    box = tile.bounding_box()
    browser_page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    browser_page.locator(".js-plotly-plot .gtitle", has_text="IND-PAK: tension over time").wait_for(timeout=TIMEOUT)
    assert "pair=IND-PAK" in browser_page.url
    screenshot("opened")
