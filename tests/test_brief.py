"""Briefing packs: the content chosen (strongest evidence, sources, attribution) and the PPTX and PDF
read back with python-pptx and pypdf."""
from __future__ import annotations

import io
import shutil
from datetime import date

import pytest

from analysis import METHOD_VERSION
from analysis import brief as briefs
from analysis.export import ExportError
from tests.export_store import MARKUP_TITLE, WCEP, WIRE, private_store

needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None,
                                    reason="chart pictures need Debian's chromium (make chromium)")
GENERATED = date(2026, 1, 2)
WCEP_TEXT = "Event summaries from Wikipedia's Portal:Current events, by Wikipedia contributors, CC BY-SA 4.0"


@pytest.fixture(scope="module")
def store():
    with private_store("brief") as path:
        yield path


@pytest.fixture(scope="module")
def two_pairs(store):
    return briefs.build_brief(["UKR-RUS", "IRN-ISR"], store, generated=GENERATED)


@pytest.fixture(scope="module")
def pictures(two_pairs):
    if shutil.which("chromium") is None:
        pytest.skip("chart pictures need Debian's chromium (make chromium)")
    return briefs.chart_images(two_pairs, width=800, height=450)


@pytest.mark.parametrize("text, expected", [("ukr-rus", "RUS-UKR"), (" USA-CHN ", "CHN-USA")])
def test_pairs_are_normalised(text, expected):
    assert briefs.normalise_pair(text) == expected


@pytest.mark.parametrize("pairs, message", [
    ([], "at least one pair"), (["RUS"], "two ISO3 codes"), (["RUS-RUS"], "two ISO3 codes"),
    ([f"AA{chr(65 + i)}-BBB" for i in range(13)], "at most 12"),
])
def test_bad_pair_lists_say_what_is_wrong(store, pairs, message):
    with pytest.raises(ExportError, match=message):
        briefs.build_brief(pairs, store)


def test_strongest_evidence_takes_one_sentence_per_story_strongest_first(store):
    rows = briefs.strongest_evidence("RUS-UKR", store, None, None)
    assert len(rows) == 3
    assert list(rows["strength"]) == sorted(rows["strength"], reverse=True)
    assert rows["story_id"].is_unique
    only_february = briefs.strongest_evidence("RUS-UKR", store, date(2024, 2, 1), date(2024, 2, 29))
    assert list(only_february["text"]) == ["Ukraine said a Russian missile strike hit Odesa port."]


def test_brief_content_follows_the_pairs_and_period(store, two_pairs):
    assert [part.pair for part in two_pairs.pairs] == ["RUS-UKR", "IRN-ISR"]
    assert two_pairs.title == "Faultline briefing: RUS-UKR, IRN-ISR"
    assert dict(zip(two_pairs.sources["source"], two_pairs.sources["articles"])) == {WIRE: 4, WCEP: 3}
    assert any(WCEP_TEXT in line for line in two_pairs.provenance.attribution)
    iran = two_pairs.pairs[1]
    assert iran.headline().startswith("2 stories in 2 periods · mean tension")
    assert iran.provenance.attribution == ("Other sources: Test Wire.",)  # no WCEP item on this pair
    spring = briefs.build_brief(["IRN-ISR"], store, since="2024-03-01", until="2024-03-31")
    assert spring.provenance.articles == 1 and spring.period() == "2024-03-01 to 2024-03-31"


def test_pptx_has_title_chart_and_method_slides_with_pictures_and_notes(two_pairs, pictures):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    deck = Presentation(io.BytesIO(briefs.brief_pptx(two_pairs, pictures)))
    slides = list(deck.slides)
    assert len(slides) == 4  # title, two pairs, method and sources

    def text_of(slide):
        return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)

    assert "Faultline briefing: RUS-UKR, IRN-ISR" in text_of(slides[0])
    for slide, pair in zip(slides[1:3], ("RUS-UKR", "IRN-ISR")):
        pictures_on_slide = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures_on_slide) == 1
        assert text_of(slide).startswith(pair)
        notes = slide.notes_slide.notes_text_frame.text
        assert f"Faultline method {METHOD_VERSION} · generated 2026-01-02" in notes
        assert "https://example.org/" in notes  # every quoted sentence keeps its link
    ukraine_text = text_of(slides[1])
    assert "Strongest evidence" in ukraine_text and ukraine_text.count("“") == 3
    assert MARKUP_TITLE in ukraine_text  # written as plain text, not interpreted
    assert WCEP_TEXT in text_of(slides[3]) and "Method and sources" in text_of(slides[3])


def test_pdf_has_its_pages_and_the_attribution(two_pairs, pictures):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(briefs.brief_pdf(two_pairs, pictures)))
    assert len(reader.pages) == 4
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert "Faultline briefing: RUS-UKR, IRN-ISR" in pages[0]
    assert "RUS-UKR" in pages[1] and "Strongest evidence" in pages[1]
    assert "Bold</b> claim" in pages[1]  # markup in a title comes out as its characters
    assert all(WCEP_TEXT in page for page in pages)  # the footer of every page
    assert "Method and sources" in pages[3]
    assert len(reader.pages[1].images) == 1  # the chart picture


@needs_chromium
def test_write_brief_picks_the_format_from_the_suffix(tmp_path, store):
    one = briefs.build_brief(["IRN-ISR"], store, generated=GENERATED)
    path = briefs.write_brief(one, tmp_path / "brief.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    with pytest.raises(ExportError, match="pptx or .pdf"):
        briefs.write_brief(one, tmp_path / "brief.docx")


def test_long_evidence_keeps_one_pdf_page_per_pair(two_pairs, pictures):
    from dataclasses import replace

    from pypdf import PdfReader

    sentence = "Russian forces shelled the city again overnight, officials said, " * 25  # ~1,600 chars
    long_rows = two_pairs.pairs[0].evidence.assign(text=sentence, title="A headline " * 30)
    wordy = replace(two_pairs, pairs=(replace(two_pairs.pairs[0], evidence=long_rows), two_pairs.pairs[1]))
    reader = PdfReader(io.BytesIO(briefs.brief_pdf(wordy, pictures)))
    assert len(reader.pages) == 4
    page = " ".join(reader.pages[1].extract_text().split())
    assert "officials said, Russian forces" in page and "…" in page  # shortened, not dropped
