"""Pure parts of the dashboard components: the filters' URL round trip and safe evidence Markdown."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from components.evidence import (as_terms, escape_markdown, highlight_spans, highlighted_markdown,
                                 outlets_note, safe_link)
from components.filters import Filters, normalise_pair

# ---- filters ----------------------------------------------------------------------------------------

FULL = Filters(since=date(2022, 1, 1), until=date(2022, 6, 30), countries=("RUS", "UKR"),
               pairs=("RUS-UKR", "RUS-USA"), categories=("ASSAULT",), sources=("Reuters", "BBC News"),
               count_by="articles", freq="W", pair="RUS-UKR", country="UKR")


@pytest.mark.parametrize("filters", [Filters(), FULL, Filters(pair="CHN-USA"), Filters(sources=("AP, Inc.",))])
def test_filters_round_trip_through_query_params(filters):
    assert Filters.from_query_params(filters.to_query_params()) == filters


def test_default_filters_leave_the_url_empty():
    assert Filters().to_query_params() == {}
    assert FULL.to_query_params()["since"] == "2022-01-01"


@pytest.mark.parametrize("params, expected", [
    ({"since": "not-a-date"}, Filters()),
    ({"since": "2022-06-01", "until": "2022-01-01"}, Filters(since=date(2022, 1, 1), until=date(2022, 6, 1))),
    ({"count_by": "tweets", "freq": "Y"}, Filters()),
    ({"freq": "w"}, Filters(freq="W")),
    ({"pair": "ukr-rus"}, Filters(pair="RUS-UKR")),
    ({"pair": "RUS-RUS"}, Filters()),
    ({"pairs": "RUS-UKR,usa-chn,junk"}, Filters(pairs=("RUS-UKR", "CHN-USA"))),
    ({"countries": ["rus", "RUS", "United States"]}, Filters(countries=("RUS",))),
    ({"country": "<script>"}, Filters()),
])
def test_bad_or_odd_query_params_are_tolerated(params, expected):
    assert Filters.from_query_params(params) == expected


def test_query_params_object_with_get_all_is_read():
    class QueryParams(dict):
        def get_all(self, key):
            return self.get(key, [])

    assert Filters.from_query_params(QueryParams(countries=["RUS", "UKR"])).countries == ("RUS", "UKR")


def test_describe_names_the_active_filters():
    text = FULL.describe()
    assert "2022-01-01 to 2022-06-30" in text and "by articles" in text and "RUS-UKR" in text


@pytest.mark.parametrize("text, expected", [("RUS-USA", "RUS-USA"), ("usa-rus", "RUS-USA"), (" UKR-RUS ", "RUS-UKR"),
                                            ("RUSUSA", None), ("", None), (None, None)])
def test_normalise_pair(text, expected):
    assert normalise_pair(text) == expected


# ---- evidence ---------------------------------------------------------------------------------------

HOSTILE = [
    "<script>alert('x')</script> Russia struck Kyiv.",
    "**bold** claims by __Moscow__ and `code`",
    "See [link](http://x) and ![img](http://y.png)",
    "Costs rose by $x$ and $$y$$ dollars",
    "# Heading\n- list item\n> quote\n1. numbered",
    ":red[coloured] :material/home: text",
    "Line one\\ with a backslash",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_markdown_has_no_unescaped_punctuation(text):
    escaped = escape_markdown(text)
    i = 0
    while i < len(escaped):
        ch = escaped[i]
        if ch == "\\":
            assert escaped[i + 1] in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
            i += 2
            continue
        assert ch.isalnum() or ch == " " or ord(ch) > 127, f"unescaped {ch!r} in {escaped!r}"
        i += 1
    assert "\n" not in escaped


@given(st.text(max_size=80))
def test_unescaping_gives_back_the_flattened_text(text):
    escaped = escape_markdown(text)
    unescaped = []
    i = 0
    while i < len(escaped):
        if escaped[i] == "\\":
            i += 1
        unescaped.append(escaped[i])
        i += 1
    assert "".join(unescaped) == " ".join(text.split())


@pytest.mark.parametrize("text, terms, expected", [
    ("Russia launched a drone assault on Ukraine", ["assault", "drone assault"], ["drone assault"]),
    ("Sanctions and more SANCTIONS", ["sanctions"], ["Sanctions", "SANCTIONS"]),
    ("They reassaulted nothing", ["assault"], []),
    ("threatened 500% tariffs on buyers", ["500% tariffs"], ["500% tariffs"]),
    ("expel  diplomats", ["expel diplomats"], ["expel  diplomats"]),
])
def test_highlight_spans_whole_words_longest_first(text, terms, expected):
    assert [text[s:e] for s, e in highlight_spans(text, terms)] == expected


def test_highlighted_markdown_wraps_only_the_terms():
    md = highlighted_markdown("<b>Russia</b> imposed sanctions on **Iran**", ["sanctions"])
    assert md == ("\\<b\\>Russia\\<\\/b\\> imposed :orange-background[**sanctions**] on \\*\\*Iran\\*\\*")


def test_highlighted_markdown_keeps_spaces_around_highlights():
    md = highlighted_markdown("a truce, then talks", ["truce", "talks"])
    assert md == "a :orange-background[**truce**]\\, then :orange-background[**talks**]"


@pytest.mark.parametrize("url, expected", [
    ("https://en.wikipedia.org/wiki/Portal:Current_events/2022_February_24",
     "[open article](https://en.wikipedia.org/wiki/Portal:Current_events/2022_February_24)"),
    ("http://x/a)b c", "[open article](http://x/a%29b%20c)"),
    ("javascript:alert(1)", None),
    ("data:text/html,<script>", None),
    ("/relative/path", None),
    ("", None),
    (None, None),
])
def test_safe_link(url, expected):
    assert safe_link(url) == expected


@pytest.mark.parametrize("outlets, expected", [(None, ""), (1, ""), (2, "+1 outlet"), (5, "+4 outlets")])
def test_outlets_note(outlets, expected):
    assert outlets_note(outlets) == expected


@pytest.mark.parametrize("value, expected", [
    (["drone assault", "sanctions"], ["drone assault", "sanctions"]),
    ("drone assault; sanctions", ["drone assault", "sanctions"]),
    (None, []), ((), []),
])
def test_as_terms(value, expected):
    assert as_terms(value) == expected


def test_an_upload_over_the_limit_is_refused_on_the_server(monkeypatch):
    """The browser widget enforces the size limit, but the server checks again before storing."""
    from components import data

    class Upload:
        name = "big.jsonl"

        def getvalue(self) -> bytes:
            return b"x" * 2048

    monkeypatch.setattr(data, "MAX_UPLOAD_MB", 1 / 1024)  # 1 kB
    calls = []
    monkeypatch.setattr("analysis.store.ingest_paths", lambda *a, **k: calls.append(a))
    [result] = data.ingest_uploads([Upload()])
    assert result.new == 0 and "larger than" in result.errors[0] and calls == []


@pytest.mark.parametrize("filters, expected", [
    (Filters(), ""),
    (Filters(countries=("RUS",)), ""),
    (Filters(sources=("Reuters", "AP")),
     "Tension, attention, anomalies and rankings here are recomputed from articles from Reuters, AP only: "
     "attention is a share of all stories from Reuters, AP, and the shrinkage prior is the selection's own mean."),
    (Filters(categories=("SANCTION", "THREATEN")),
     "Tension, attention, anomalies and rankings here are recomputed from pair signals with a keyword in SANCTION or "
     "THREATEN only: attention is a share of all stories, and the shrinkage prior is the selection's "
     "own mean."),
])
def test_the_narrowing_note_says_what_the_filters_recompute(filters, expected):
    from components.data import narrowing_note

    assert narrowing_note(filters) == expected


def test_the_narrowing_note_names_what_it_leaves_alone():
    from components.data import narrowing_note

    note = narrowing_note(Filters(sources=("Reuters",), categories=("AID",)), "The counts count everything.")
    assert "articles from Reuters and pair signals with a keyword in AID only" in note
    assert note.endswith(" The counts count everything.")
    assert narrowing_note(Filters(), "The counts count everything.") == ""
