"""`python -m analysis score`: the same bytes whatever the number of workers, errors on stderr in
input order naming file and line, the table and --sentences formats."""
from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout

import pytest

from analysis.__main__ import main

LINES = [
    '{"id": "a1", "text": "Russia launched drones against Ukraine overnight.", "date": "2024-03-01"}',
    "{broken",
    '{"id": "a2", "text": "France and Germany signed a defence treaty in Paris.", "date": "2024-03-02"}',
    '{"title": ""}',
    '{"id": "a3", "text": "Heavy rain fell on the coast."}',
]


def run_score(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["score", *argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, tuple[int, str, str]]:
    """Each run of the command once: (exit code, stdout, stderr) by name."""
    folder = tmp_path_factory.mktemp("score")
    feed = folder / "feed.jsonl"
    feed.write_text("\n".join(LINES * 7) + "\n", encoding="utf-8")
    table = folder / "more.csv"
    table.write_text("id,text\nc1,China and India agreed to resume border talks.\n", encoding="utf-8")
    inputs = [str(feed), str(folder / "missing.jsonl"), str(table)]
    return {
        "jsonl 1": run_score(*inputs, "--workers", "1"),
        "jsonl 2": run_score(*inputs, "--workers", "2"),
        "table 2": run_score(*inputs, "--workers", "2", "--format", "table"),
        "sentences 1": run_score(*inputs, "--workers", "1", "--sentences"),
    }


def test_one_and_two_workers_print_the_same(runs):
    assert runs["jsonl 1"] == runs["jsonl 2"]
    code, out, _err = runs["jsonl 2"]
    records = [json.loads(row) for row in out.splitlines()]
    assert code == 0 and len(records) == 3 * 7 + 1
    assert [r["id"] for r in records[:3]] == ["a1", "a2", "a3"] and records[-1]["id"] == "c1"
    assert "sentences" not in records[0] and "text" not in records[0]


def test_table_rows_follow_the_json_records(runs):
    _code, out, err = runs["table 2"]
    rows = out.splitlines()
    assert rows[0] == "id\tdate\tcountries\ttension\tpairs (pair:stance:tension)\ttitle"
    records = [json.loads(row) for row in runs["jsonl 1"][1].splitlines()]
    assert [row.split("\t")[0] for row in rows[1:]] == [r["id"] for r in records]
    assert [row.split("\t")[2] for row in rows[1:]] == [",".join(r["countries"]) or "-" for r in records]
    assert err == runs["jsonl 2"][2]


def test_sentences_option_adds_sentences_and_text(runs):
    records = [json.loads(row) for row in runs["sentences 1"][1].splitlines()]
    plain = [json.loads(row) for row in runs["jsonl 1"][1].splitlines()]
    assert all("sentences" in r and "text" in r for r in records)
    assert [{k: v for k, v in r.items() if k not in ("sentences", "text")} for r in records] == plain


def test_errors_name_file_and_line_in_input_order(runs):
    _code, _out, err = runs["jsonl 2"]
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    bad_lines = ("{broken", '{"title": ""}')
    broken = [n for n in range(1, 7 * len(LINES) + 1) if LINES[(n - 1) % len(LINES)] in bad_lines]
    assert [e.split(" of feed.jsonl")[0] for e in errors[:-1]] == [f"error: line {n}" for n in broken]
    assert errors[-1].startswith("error: /") and errors[-1].endswith("missing.jsonl: no such file or directory")
    assert err.splitlines()[-1] == f"scored {3 * 7 + 1} article(s), {len(broken) + 1} error(s)"


def test_a_lone_surrogate_in_the_input_does_not_stop_the_run(tmp_path):
    """Half a surrogate pair escaped in a JSON line used to stop `score` at writing its output."""
    feed = tmp_path / "odd.jsonl"
    feed.write_text('{"id": "u1", "title": "Kyiv \\ud83d", "text": "Russia struck Ukraine \\udc00."}\n'
                    + LINES[0] + "\n", encoding="utf-8")
    for workers in ("1", "2"):
        code, out, err = run_score(str(feed), "--workers", workers)
        records = [json.loads(line) for line in out.splitlines()]
        assert code == 0 and [r["id"] for r in records] == ["u1", "a1"], err
        assert records[0]["title"] == "Kyiv \ufffd"
        assert records[0]["pairs"][0]["pair"] == "RUS-UKR"


def test_nothing_readable_exits_1(tmp_path):
    code, out, err = run_score(str(tmp_path / "nothing.jsonl"), "--workers", "1")
    assert code == 1 and out == "" and "no such file" in err


@pytest.mark.parametrize("text", [
    "Russia launched 728 drones against Ukraine; Kyiv said \u201cnone\u201d got through.",
    "Erdo\u011fan met Putin in S\u00f6chi \u2014 talks on Syria \U0001F54A\ufe0f.",
    'A quote: "no" \\ backslash, tab\tand a new\nline in Br\u00fcssel.',
])
def test_a_json_line_is_one_line_of_the_records_json(engine, text):
    """Both formats: one line, non-ASCII kept as UTF-8, the values of json.dumps(to_dict())."""
    from analysis.commands.score import json_line, json_line_with_sentences
    from analysis.model import Article

    scored = engine.score(Article(id="x1", title="", text=text, date="2024-03-01"))
    for line, with_sentences in ((json_line(scored), False), (json_line_with_sentences(scored), True)):
        assert line.endswith("\n") and line.count("\n") == 1
        assert json.loads(line) == json.loads(json.dumps(scored.to_dict(with_sentences), ensure_ascii=False))
        assert "\\u" not in line  # no \uXXXX escapes: the text stays readable
    with_sentences_line = json_line_with_sentences(scored)
    assert all(char in with_sentences_line for char in text if ord(char) > 127)


def test_the_command_leaves_the_garbage_collector_as_it_found_it(tmp_path):
    """`score` freezes the loaded engine for the collector and collects less often while it runs,
    and restores both after, so a process that calls the command keeps collecting as it did."""
    import gc

    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    frozen_before, threshold_before = gc.get_freeze_count(), gc.get_threshold()
    code, out, _err = run_score(str(feed), "--workers", "1")
    assert code == 0 and len(out.splitlines()) == 3
    assert gc.get_freeze_count() == frozen_before
    assert gc.get_threshold() == threshold_before


@pytest.mark.parametrize("workers", ["1", "2"])
def test_score_uses_the_analysts_edits_from_the_folder_the_dashboard_edits(tmp_path, monkeypatch, workers):
    article = tmp_path / "a.txt"
    article.write_text("Russia accused Ukraine of sabre-rattling on the border.\n", encoding="utf-8")

    def terms() -> set[str]:
        code, out, _ = run_score(str(article), "--workers", workers)
        assert code == 0
        return {keyword["term"] for keyword in json.loads(out)["keywords"]}

    user = tmp_path / "user"
    user.mkdir()
    monkeypatch.setenv("FAULTLINE_USER_DIR", str(user))
    assert "sabre-rattling" not in terms()
    (user / "lexicon.csv").write_text("term,category,polarity,weight\nsabre-rattling,THREATEN,escalation,4\n",
                                      encoding="utf-8")
    assert "sabre-rattling" in terms()
