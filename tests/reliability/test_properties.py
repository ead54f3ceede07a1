"""Property tests on arbitrary Unicode: readers, cleaner, splitter and actor matcher never raise, and
what they return keeps its invariants (offsets inside the text, sentences in order, spans that quote
the text they point at)."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.actors import ActorDictionary
from analysis.clean import clean_text
from analysis.ingest import iter_articles
from analysis.lexicon import Lexicon
from analysis.model import Article, ReadError
from analysis.sentences import split_sentences

# Pieces real articles are made of, so generated text reaches the interesting branches (country
# names next to odd punctuation, datelines, outlet tags, abbreviations) and not only random noise.
NEWS_PIECES = ["Russia", "Ukraine's", "the Kremlin", "Washington", "U.S.", "Mr. Putin", "Xi Jinping",
               "Beijing", "EU", "NATO", "Dr.", "Jan.", "(Reuters)", "- AP", "MOSCOW, March 3 -",
               "sanctions", "drone strikes", "ceasefire talks", ".", "!", "?", ",", "...", "\u2026",
               "\u201c", "\u201d", "\u2019", " ", "  ", "\n", "\n\n", "\t", "\r\n", "\u00a0", "\u200b",
               "\u0301", "\ufeff", "\U0001F600", "\u0645\u0635\u0631", "\u4e2d\u56fd", "Côte d'Ivoire",
               "İstanbul", "ß", "ǅ", "\u2028", "Related:", "Share this article", "#", "*", "<b>", "&amp;"]
news_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(NEWS_PIECES), st.text(max_size=4)), max_size=60).map("".join),
)
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
_ACTORS: ActorDictionary | None = None
_LEXICON: Lexicon | None = None


def actors() -> ActorDictionary:
    global _ACTORS
    _ACTORS = _ACTORS or ActorDictionary.load()
    return _ACTORS


def lexicon() -> Lexicon:
    global _LEXICON
    _LEXICON = _LEXICON or Lexicon.load()
    return _LEXICON


@PROPERTY_SETTINGS
@given(news_text)
def test_sentences_quote_the_text_and_cover_it_in_order(text):
    sentences = split_sentences(text)
    position = 0
    for number, sentence in enumerate(sentences):
        assert sentence.index == number
        assert position <= sentence.start < sentence.end <= len(text)
        assert sentence.text == text[sentence.start:sentence.end] == sentence.text.strip()
        assert text[position:sentence.start].strip() == ""  # only whitespace between sentences
        position = sentence.end
    assert text[position:].strip() == ""


@PROPERTY_SETTINGS
@given(news_text)
def test_cleaner_never_raises_and_never_adds_text(text):
    cleaned = clean_text(text)
    assert isinstance(cleaned.text, str)
    assert len(cleaned.text) <= len(text)
    assert all(removal.kind and isinstance(removal.text, str) for removal in cleaned.removed)
    assert all(isinstance(source, str) and source for source in cleaned.cited_sources)


@PROPERTY_SETTINGS
@given(news_text, st.sampled_from([None, "1987-03-01", "2014-03-18", "2022-02-24", "2025-07-10"]))
def test_actor_mentions_quote_the_sentence(sentence, on_date):
    mentions = actors().find_actors(sentence, on_date)
    for mention in mentions:
        assert 0 <= mention.start < mention.end <= len(sentence)
        assert mention.text == sentence[mention.start:mention.end]
        assert mention.code and mention.role in ("party", "venue")
    spans = sorted((m.start, m.end) for m in mentions)
    assert all(first[1] <= second[0] for first, second in zip(spans, spans[1:]))  # no overlaps


@PROPERTY_SETTINGS
@given(news_text)
def test_keyword_matches_lie_inside_the_sentence(sentence):
    for match in lexicon().find_keywords(sentence):
        assert 0 <= match.start < match.end <= len(sentence)
        assert match.polarity in ("escalation", "cooperation") and match.factor >= 0


def _as_file(kind: str, text: str) -> str | bytes:
    """Arbitrary text put in each format's shape, so the generated part lands inside a field."""
    if kind == ".jsonl":
        return f'{{"id": "a", "text": {json.dumps(text)}}}\n{text}\n{{"text": "{text[:20]}'
    if kind == ".json":
        return json.dumps([{"title": text[:30], "text": text, "date": text[:10]}])
    if kind == ".csv":
        return f"title,text,date\n{text[:30]},{text},{text[:10]}\n{text}"
    if kind == ".html":
        return f"<html><head><title>{text[:30]}</title><script>{text}</script></head><body><p>{text}</p>"
    return f"date {text[:12]}\nTitle: {text[:30]}\n\n{text}"


@PROPERTY_SETTINGS
@given(st.sampled_from([".txt", ".md", ".jsonl", ".json", ".csv", ".html", ".dat"]), news_text,
       st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]))
def test_readers_never_raise_and_name_the_file(kind, text, encoding):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{kind}"
        path.write_bytes(_as_file(kind, text).encode(encoding, errors="replace"))
        items = list(iter_articles([path]))
    for item in items:
        assert isinstance(item, (Article, ReadError))
        assert item.origin.startswith(str(path))
        if isinstance(item, ReadError):
            assert item.message
        else:
            assert "\r" not in item.text and "\x00" not in item.text
            assert item.date is None or (len(item.date) == 10 and "1900" <= item.date)


_ENGINE = None


@PROPERTY_SETTINGS
@given(news_text, news_text, st.sampled_from([None, "2022-02-24", "1987-03-01"]))
def test_the_whole_engine_scores_arbitrary_text_without_raising(title, text, day):
    from analysis.model import Article
    from analysis.pipeline import Engine

    global _ENGINE
    _ENGINE = _ENGINE or Engine.load()
    scored = _ENGINE.score(Article(id="x", title=title, text=text, date=day,
                                   date_source="field" if day else "none"))
    assert -1.0 <= scored.sentiment <= 1.0
    for signal in scored.pairs:
        first, _, second = signal.pair.partition("-")
        assert first < second and len(first) == len(second) == 3
        assert all(0 <= item.sentence < len(scored.sentences) for item in signal.evidence)
