"""Shared fixtures. Dashboard: a small hand-built store, and (for the browser tests) a real
`streamlit run app.py` on a free port driven through Debian's chromium."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="session")
def engine():
    """The scoring engine with the shipped dictionaries (records are frozen: one serves every test)."""
    from analysis.pipeline import Engine

    return Engine.load()


@pytest.fixture(scope="session")
def dashboard_store(tmp_path_factory) -> Path:
    """A store built from tests/dashboard_corpus.py (85 articles, four pairs, January-June 2022)."""
    from tests.dashboard_corpus import build_store

    return build_store(tmp_path_factory.mktemp("dashboard") / "faultline.duckdb")


@pytest.fixture
def dashboard_env(dashboard_store, tmp_path, monkeypatch) -> Path:
    """Point the dashboard at the test store and at an empty folder for the analyst's edits."""
    monkeypatch.setenv("FAULTLINE_DB", str(dashboard_store))
    monkeypatch.setenv("FAULTLINE_USER_DIR", str(tmp_path / "user"))
    return dashboard_store


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def streamlit_server(tmp_path_factory):
    """`streamlit run app.py` on a free localhost port over a private copy of the test store;
    yields (base_url, store_path) and stops the server by its PID."""
    import shutil

    from tests.dashboard_corpus import build_store

    folder = tmp_path_factory.mktemp("server")
    store = build_store(folder / "faultline.duckdb")
    port = _free_port()
    env = dict(os.environ, FAULTLINE_DB=str(store), FAULTLINE_USER_DIR=str(folder / "user"),
               STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    log = open(folder / "streamlit.log", "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 40
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as reply:
                if reply.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"streamlit did not start: {(folder / 'streamlit.log').read_text()[-2000:]}")
        time.sleep(0.3)
    yield base, store
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()
    shutil.copy(folder / "streamlit.log", _artifacts() / "streamlit.log")


def _artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def chromium():
    """Debian's chromium through Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    """A fresh 1280x800 page; closed after the test."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(browser_page, request):
    """screenshot("name") saves test-artifacts/<test>-<name>.png."""
    def save(name: str) -> Path:
        path = _artifacts() / f"{request.node.name}-{name}.png"
        browser_page.screenshot(path=str(path))
        return path
    return save
