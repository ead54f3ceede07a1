"""Eight dashboard sessions (real browser pages on one `streamlit run`) keep working while an ingest
writes to their store, and all of them show the new data once it has committed."""
from __future__ import annotations

import pytest

from tests.reliability.conftest import cli_process, store_counts, write_corpus

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SESSIONS = 8
NEW_ARTICLES = 240
VIEWS = [("", "Overview"), ("pair?pair=RUS-UKR", "Pair explorer"), ("matrix", "Matrix & network"),
         ("articles", "Articles")]
TIMEOUT = 45_000  # ms: eight sessions share two cores with an ingest


def load_all(pages, base: str, views: list[tuple[str, str]]) -> None:
    """Navigate every page at once (each to its own view), then wait for each script run to finish
    and check it shows no exception."""
    for page, (path, _) in zip(pages, views):
        page.goto(f"{base}/{path}", wait_until="commit", timeout=TIMEOUT)
    for page, (_, title) in zip(pages, views):
        page.locator("h1", has_text=title).first.wait_for(timeout=TIMEOUT)
        page.wait_for_timeout(200)
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                               timeout=TIMEOUT)
        assert page.locator('[data-testid="stException"]').count() == 0, page.url
        assert page.get_by_text("could not be drawn").count() == 0, page.url


def articles_shown(page) -> int:
    metric = page.locator('[data-testid="stMetric"]', has_text="Articles").first
    return int(metric.locator('[data-testid="stMetricValue"]').inner_text().replace(",", ""))


def test_eight_sessions_during_an_ingest_see_no_error_and_then_the_new_data(streamlit_server, chromium,
                                                                           tmp_path):
    base, store = streamlit_server
    before = store_counts(store)["articles"]
    corpus = write_corpus(tmp_path / "incoming.jsonl", NEW_ARTICLES, start=50_000)
    contexts = [chromium.new_context(viewport={"width": 1280, "height": 800}) for _ in range(SESSIONS)]
    pages = [context.new_page() for context in contexts]
    try:
        ingest = cli_process("ingest", "--db", store, "--no-progress", "--batch-size", 40, corpus)
        rounds = 0
        while ingest.poll() is None:
            # every session (re)runs a page while batches commit: the first round opens the sessions
            views = [VIEWS[(rounds + n) % len(VIEWS)] for n in range(SESSIONS)]
            load_all(pages, base, views)
            rounds += 1
        out, err = ingest.communicate(timeout=120)
        assert ingest.returncode == 0, err[-2000:]
        assert rounds >= 1, "the ingest ended before the sessions opened"
        load_all(pages, base, [VIEWS[0]] * SESSIONS)
        shown = [articles_shown(page) for page in pages]
        assert shown == [before + NEW_ARTICLES] * SESSIONS, (shown, out)
        print(f"{SESSIONS} sessions held, {rounds} round(s) of page loads during the ingest, no exception")
    finally:
        for context in contexts:
            context.close()
