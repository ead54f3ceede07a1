"""A person downloads exports from the running dashboard (Playwright + Debian's chromium), and the
files are opened: the CSV matches `python -m analysis pairs` for the same filters, the PNG decodes
at the preset's size. Reuses the dashboard's fixtures (tests/conftest.py)."""
from __future__ import annotations

import io

import pytest

pytestmark = pytest.mark.browser
TIMEOUT = 20_000  # ms


def open_view(page, base: str, path: str, title: str) -> None:
    """Load a page and wait until its script has finished running."""
    page.goto(f"{base}/{path}", timeout=TIMEOUT)
    page.locator("h1", has_text=title).wait_for(timeout=TIMEOUT)
    wait_idle(page)


def wait_idle(page) -> None:
    """Streamlit shows a status widget while a script runs; wait for it to go."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT)


def _pairs_csv(store, capsys, pair: str) -> str:
    from analysis.__main__ import main

    capsys.readouterr()
    assert main(["pairs", "--db", str(store), "--pair", pair, "--format", "csv"]) == 0
    return capsys.readouterr().out


def _download(page, button: str) -> bytes:
    with page.expect_download(timeout=60_000) as started:
        page.get_by_role("button", name=button).click()
    return open(started.value.path(), "rb").read()


def test_pair_explorer_chart_downloads_as_csv_and_png(streamlit_server, browser_page, screenshot, capsys):
    base, store = streamlit_server
    page = browser_page
    open_view(page, base, "pair?pair=RUS-UKR", "Pair explorer")
    page.locator(".js-plotly-plot .gtitle", has_text="RUS-UKR: tension over time").wait_for(timeout=TIMEOUT)
    wait_idle(page)
    export_buttons = page.get_by_role("button", name="Export")
    if export_buttons.count() == 0:  # until the dashboard draws components.export.export_control
        pytest.skip("the Pair explorer shows no export control yet (components.export.export_control)")
    export_buttons.first.click()
    page.get_by_role("button", name="Download PNG").wait_for(timeout=TIMEOUT)
    shot = screenshot("export-open")

    png = _download(page, "Download PNG")
    shot.with_name(shot.name.replace("export-open", "downloaded")).write_bytes(png)  # to look at
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    assert (image.format, image.size) == ("PNG", (1600, 900))

    screenshot("after-png")
    if not page.get_by_role("button", name="Download PNG").is_visible():
        export_buttons.first.click()
    page.locator('[data-testid="stPopoverBody"]').get_by_text("CSV", exact=True).click()
    page.get_by_role("button", name="Download CSV").wait_for(timeout=TIMEOUT)
    wait_idle(page)
    csv_text = _download(page, "Download CSV").decode("utf-8")
    assert csv_text == _pairs_csv(store, capsys, "RUS-UKR")
    assert csv_text.count("\n") >= 6  # January to June 2022


def test_pair_explorer_downloads_a_briefing_pack(streamlit_server, browser_page, screenshot):
    from pypdf import PdfReader

    base, _ = streamlit_server
    page = browser_page
    open_view(page, base, "pair?pair=RUS-UKR", "Pair explorer")
    page.locator(".js-plotly-plot .gtitle", has_text="RUS-UKR: tension over time").wait_for(timeout=TIMEOUT)
    wait_idle(page)
    expander = page.get_by_text("Briefing pack (PPTX / PDF) for this period")
    if expander.count() == 0:  # until the page draws components.export.briefing_pack_control
        pytest.skip("the Pair explorer shows no briefing-pack control yet")
    expander.click()
    page.get_by_role("button", name="Briefing pack (PDF)").wait_for(timeout=TIMEOUT)
    screenshot("brief-open")
    reader = PdfReader(io.BytesIO(_download(page, "Briefing pack (PDF)")))
    assert len(reader.pages) == 3  # title, RUS-UKR, method and sources
    text = " ".join(reader.pages[1].extract_text().split())
    assert "RUS-UKR" in text and "Strongest evidence" in text
    assert "Other sources: Al Jazeera, AP, BBC" in text  # the footer credits the store's sources
