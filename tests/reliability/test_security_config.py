"""Deployment defaults and code hygiene: the dashboard binds to localhost with XSRF protection, uploads
are limited in size and type, and no code path unpickles, evals or runs user data."""
from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from tests.reliability.conftest import REPO

CONFIG = REPO / ".streamlit" / "config.toml"
CODE_DIRS = [REPO / "analysis", REPO / "components"]
CODE_FILES = sorted(p for d in CODE_DIRS for p in d.rglob("*.py")) + [REPO / "app.py"]


def test_streamlit_binds_to_localhost_with_xsrf_protection():
    server = tomllib.loads(CONFIG.read_text())["server"]
    assert server["address"] == "127.0.0.1"
    assert server["enableXsrfProtection"] is True
    assert server.get("enableCORS", True) is True  # CORS off would let other origins drive the app
    assert 1 <= server["maxUploadSize"] <= 200  # MB per request
    assert tomllib.loads(CONFIG.read_text())["browser"]["gatherUsageStats"] is False


def test_make_run_binds_to_localhost_by_default():
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^HOST\s*\?=\s*127\.0\.0\.1\s*$", makefile, re.M)
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "--server.address $(HOST)" in run and "0.0.0.0" not in makefile


def test_uploads_are_limited_in_size_and_to_formats_the_readers_know():
    from analysis.ingest import KNOWN_EXTENSIONS
    from components import data

    assert 0 < data.MAX_UPLOAD_MB <= tomllib.loads(CONFIG.read_text())["server"]["maxUploadSize"]
    assert {f".{t}" for t in data.UPLOAD_TYPES} - {".gz"} <= KNOWN_EXTENSIONS
    page = (REPO / "components" / "pages" / "data_page.py").read_text()
    assert "type=list(data.UPLOAD_TYPES)" in page and "max_upload_size=data.MAX_UPLOAD_MB" in page


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd", "passwd"), ("..\\..\\boot.ini", "boot.ini"), (".bashrc", "bashrc"),
    ("feed; rm -rf ~.jsonl.gz", "feed_rm_-rf_.jsonl.gz"), ("", "upload.txt"), ("a/b/c.csv", "c.csv"),
])
def test_uploaded_file_names_cannot_leave_the_upload_folder(name, expected):
    from components.data import safe_upload_name

    assert safe_upload_name(name) == expected


# Calls that turn data into code or objects: none may appear in the library or the dashboard.
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "pickle.load", "pickle.loads", "pickle.Unpickler",
                   "marshal.load", "marshal.loads", "shelve.open", "yaml.load", "yaml.unsafe_load",
                   "yaml.full_load", "dill.load", "dill.loads", "joblib.load", "os.system", "os.popen",
                   "pd.read_pickle", "pandas.read_pickle", "numpy.load", "np.load", "torch.load"}


def _call_name(node: ast.Call) -> str:
    func = node.func
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    return ".".join(reversed(parts))


def risky_calls(path: Path, root: Path = REPO) -> list[str]:
    """`file:line: call` for every forbidden call, subprocess with shell=True, and HTML rendering."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        keywords = {k.arg: k.value for k in node.keywords}
        shell = keywords.get("shell")
        html = keywords.get("unsafe_allow_html")
        if (name in FORBIDDEN_CALLS
                or (name.startswith("subprocess.") and isinstance(shell, ast.Constant) and shell.value)
                or (isinstance(html, ast.Constant) and html.value) or name in ("st.html", "components.html")):
            found.append(f"{path.relative_to(root)}:{node.lineno}: {name}")
    return found


def test_no_pickle_eval_exec_or_raw_html_on_user_data():
    assert len(CODE_FILES) > 20
    assert [hit for path in CODE_FILES for hit in risky_calls(path)] == []


def test_the_scan_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import pickle, yaml, subprocess, streamlit as st\n"
                      "pickle.loads(b'')\neval('1')\nyaml.load('a')\nsubprocess.run('ls', shell=True)\n"
                      "st.markdown('x', unsafe_allow_html=True)\nyaml.safe_load('a')\n")
    hits = [hit.rsplit(": ", 1)[1] for hit in risky_calls(sample, root=tmp_path)]
    assert hits == ["pickle.loads", "eval", "yaml.load", "subprocess.run", "st.markdown"]


def _listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp*) with a socket listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.rpartition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


@pytest.mark.slow
def test_a_plain_streamlit_run_listens_on_localhost_only_and_refuses_uploads_without_xsrf(tmp_path):
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    if not Path("/proc/net/tcp").exists():
        pytest.skip("listening sockets are read from /proc (Linux)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, FAULTLINE_DB=str(tmp_path / "none.duckdb"), FAULTLINE_USER_DIR=str(tmp_path / "user"))
    # no --server.address: the project's .streamlit/config.toml decides
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                               "--server.headless", "true"], cwd=REPO, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "streamlit did not start"
                time.sleep(0.3)
        assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, no 0.0.0.0 and no IPv6 ::
        upload = urllib.request.Request(f"http://127.0.0.1:{port}/_stcore/upload_file/session/file",
                                        data=b"--x\r\n", method="PUT",
                                        headers={"Content-Type": "multipart/form-data; boundary=x"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(upload, timeout=10)
        assert refused.value.code == 403  # no XSRF token, no upload
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
