"""Uploads through a real browser: a file over the per-file limit or of a type the readers do not know
is refused in the page, before anything reaches the store."""
from __future__ import annotations

import pytest

from tests.reliability.conftest import store_counts

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT = 45_000


def open_data_page(page, base: str) -> None:
    page.goto(f"{base}/data", timeout=TIMEOUT)
    page.locator("h1", has_text="Data").first.wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=TIMEOUT)


@pytest.mark.parametrize("name, size, refusal", [
    ("too_big.txt", 26 * 2**20, "Error: File must be 25.0MB or smaller."),
    ("payload.exe", 2_000, "files are not allowed."),
    ("photo.png", 2_000, "files are not allowed."),
])
def test_an_upload_over_the_limit_or_of_another_type_is_refused(streamlit_server, browser_page, tmp_path,
                                                                 screenshot, name, size, refusal):
    base, store = streamlit_server
    before = store_counts(store)["articles"]
    upload = tmp_path / name
    upload.write_bytes(b"Russia and Ukraine resumed talks in Geneva.\n" * (size // 44 + 1))
    open_data_page(browser_page, base)
    uploader = browser_page.locator('[data-testid="stFileUploader"]')
    uploader.locator('input[type="file"]').set_input_files(str(upload))
    uploader.locator('[role="alert"]', has_text=refusal).wait_for(timeout=TIMEOUT)
    screenshot(name)
    browser_page.get_by_role("button", name="Ingest files").click()
    browser_page.wait_for_timeout(1500)
    browser_page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                   timeout=TIMEOUT)
    assert browser_page.locator('[data-testid="stException"]').count() == 0
    assert browser_page.get_by_text("Last upload").count() == 0
    assert store_counts(store)["articles"] == before
