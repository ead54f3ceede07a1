"""Briefing packs: pick pairs and a period, get a PPTX deck and a PDF memo with the same content.

Content (`build_brief`): a title page; per pair its tension timeline (the dashboard's chart, exported
with its provenance footer), a one-line summary and its three strongest evidence sentences with their
sources; then a method and sources page with the attribution the data's licences ask for.
Rendering: `brief_pptx` (python-pptx; speaker notes carry each slide's provenance and links) and
`brief_pdf` (reportlab). All text from the data is written as plain text: python-pptx writes runs
literally, and for reportlab every string is escaped before it reaches a Paragraph.
"""
from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import export, provenance
from analysis.export import ExportError
from analysis.provenance import Provenance

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd
    import plotly.graph_objects as go

EVIDENCE_PER_PAIR = 3
MAX_PAIRS = 12  # a briefing, not a dump: each pair costs a slide and a rendered chart
BRIEF_FORMATS: tuple[str, ...] = ("pptx", "pdf")
MEDIA_TYPES: dict[str, str] = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
}
# A summary of METHOD.md for the method slide: change it when METHOD.md changes.
METHOD_POINTS: tuple[str, ...] = (
    "Articles are split into sentences; each sentence is attributed to the pairs of countries it "
    "names as parties (venues and organisations are not countries).",
    "Escalation and cooperation terms (PLOVER-like categories, weights 0-10) are matched per "
    "sentence and modified by negation, threat, history and intensity cues; VADER gives sentiment.",
    "Tension (0-100) = 50 + 50 x (0.75 x (E - C)/(E + C + 5) - 0.25 x sentiment): 50 is neutral, "
    "above 50 conflictual, below 50 cooperative.",
    "Near-duplicate coverage of one event forms a story; each story weighs the same however many "
    "outlets carry it (unless 'by articles' is chosen), and a period backed by few stories is pulled "
    "toward the pair's trailing baseline.",
    "Limits: sentences, not discourse (no pronoun resolution); reported speech and sarcasm are "
    "scored as the words they contain; dictionaries are English. Full method: METHOD.md.",
)
_SLIDE_SENTENCE_CHARS = 320  # longer evidence is cut on the slide and given whole in the notes


@dataclass(frozen=True, eq=False)
class PairBrief:
    """One pair's part of a brief: its series, its strongest evidence and what backs them."""

    pair: str
    timeline: pd.DataFrame  # queries.pair_timeline rows
    evidence: pd.DataFrame  # strongest_evidence rows
    provenance: Provenance
    figure: go.Figure
    subtitle: str

    def headline(self) -> str:
        """One line for the slide, e.g. "5 stories in 4 periods · mean tension 72.3 · peak 75.3 (period
        from 2024-02-01)"; the mean weighs each period by its stories."""
        frame = self.timeline
        if frame.empty:
            return "No stories for this pair in the period."
        weights = frame["stories"].astype(float).clip(lower=0)
        mean = float((frame["tension"] * weights).sum() / weights.sum()) if weights.sum() else float(
            frame["tension"].mean())
        peak = frame.loc[frame["tension"].idxmax()]
        peak_day = export.csv_cell(peak["date"])
        periods = len(frame)
        return (f"{int(frame['stories'].sum())} stories in {periods} period{'s' * (periods != 1)} · "
                f"mean tension {mean:.1f} · peak {float(peak['tension']):.1f} (period from {peak_day})")


@dataclass(frozen=True, eq=False)
class Brief:
    """Everything a briefing pack shows, built once and rendered as PPTX or PDF."""

    pairs: tuple[PairBrief, ...]
    since: date | None
    until: date | None
    freq: str
    by: str
    provenance: Provenance  # over all pairs together
    sources: pd.DataFrame  # source, articles: the sources behind the brief
    generated: date

    @property
    def title(self) -> str:
        return "Faultline briefing: " + ", ".join(p.pair for p in self.pairs)

    def period(self) -> str:
        if not (self.since or self.until):
            return "all dates"
        return f"{self.since or 'first date'} to {self.until or 'last date'}"


def strongest_evidence(pair: str, db: str | os.PathLike | None, first: date | None, last: date | None,
                       n: int = EVIDENCE_PER_PAIR) -> pd.DataFrame:
    """The `n` evidence sentences of `pair` with the most escalation plus cooperation weight (then the
    strongest sentiment) between the days `first` and `last`, at most one per story so a story told
    by five outlets is not quoted five times.

    Columns: date, title, source, url, story_id, text, keywords, sentiment, strength.
    """
    from analysis.store import read_frame

    dated, params = provenance.dated_between(first, last, [pair])
    clauses = ["e.pair = ?", *dated]
    return read_frame(db, f"""
        WITH ranked AS (
            SELECT a.date, a.title, a.source, a.url, a.story_id, e.text, e.keywords, e.sentiment,
                   coalesce(s.escalation, 0) + coalesce(s.cooperation, 0) AS strength,
                   row_number() OVER (PARTITION BY coalesce(a.story_id, a.id)
                       ORDER BY coalesce(s.escalation, 0) + coalesce(s.cooperation, 0) DESC,
                                abs(e.sentiment) DESC, a.date, e.article_id, e.sentence) AS rank_in_story,
                   e.article_id, e.sentence
            FROM evidence e
            JOIN articles a ON a.id = e.article_id
            LEFT JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence
            WHERE {' AND '.join(clauses)})
        SELECT date, title, source, url, story_id, text, keywords, sentiment, strength
        FROM ranked WHERE rank_in_story = 1
        ORDER BY strength DESC, abs(sentiment) DESC, date DESC, article_id, sentence
        LIMIT ?""", params + [n])


def build_brief(pairs: Sequence[str], db: str | os.PathLike | None = None, *,
                since: date | str | None = None, until: date | str | None = None, freq: str = "M",
                by: str = "stories", generated: date | None = None) -> Brief:
    """Query the store for each pair (sorted ISO3 codes, "RUS-UKR") over [since, until].

    Raises ExportError for no pairs, too many, or a malformed pair; a missing store raises
    analysis.store.StoreNotFound.
    """
    from analysis.store import read_frame

    wanted = list(dict.fromkeys(normalise_pair(p) for p in pairs))
    if not wanted:
        raise ExportError("a brief needs at least one pair, e.g. --pair RUS-UKR")
    if len(wanted) > MAX_PAIRS:
        raise ExportError(f"a brief holds at most {MAX_PAIRS} pairs, not {len(wanted)}")
    since, until = provenance.as_date(since), provenance.as_date(until)
    parts = []
    for pair in wanted:
        chart = export.chart_data(export.ChartRequest("pair-timeline", pair=pair, since=since,
                                                      until=until, freq=freq, by=by), db)
        parts.append(PairBrief(
            pair=pair, timeline=chart.data, figure=chart.figure, subtitle=chart.subtitle,
            evidence=strongest_evidence(pair, db, chart.first, chart.last),
            provenance=provenance.provenance_for(db, [pair], chart.first, chart.last)))
    first, last = provenance.data_window(since, until, freq)
    clauses, params = provenance.dated_between(first, last, [wanted])
    sources = read_frame(db, f"""
        SELECT coalesce(a.source, '(no named source)') AS source, count(*)::INTEGER AS articles
        FROM articles a
        WHERE a.id IN (SELECT article_id FROM pair_signals WHERE list_contains(?, pair))
          AND {' AND '.join(clauses)}
        GROUP BY 1 ORDER BY articles DESC, source""", params)
    return Brief(pairs=tuple(parts), since=since, until=until, freq=freq, by=by,
                 provenance=provenance.provenance_for(db, wanted, first, last), sources=sources,
                 generated=generated or date.today())


def normalise_pair(text: str) -> str:
    """" ukr-rus " -> "RUS-UKR"; ExportError for anything but two different ISO3 codes."""
    codes = sorted(code.strip().upper() for code in str(text).split("-"))
    if len(codes) != 2 or codes[0] == codes[1] or not all(re.fullmatch(r"[A-Z]{3}", c) for c in codes):
        raise ExportError(f"a pair is two ISO3 codes joined by '-', e.g. RUS-UKR, not {text!r}")
    return "-".join(codes)


def chart_images(brief: Brief, width: int = 1600, height: int = 900) -> dict[str, bytes]:
    """Each pair's timeline as a PNG with its title, subtitle and provenance footer."""
    return {
        part.pair: export.export_figure(part.figure, "png", title=export.figure_title(part.figure),
                                        subtitle=part.subtitle, provenance=part.provenance,
                                        width=width, height=height, generated=brief.generated)
        for part in brief.pairs
    }


def _evidence_items(part: PairBrief) -> list[tuple[str, str, str]]:
    """(quoted sentence, "source, date: title", url) per evidence row, all plain text."""
    items = []
    for row in part.evidence.itertuples(index=False):
        day = export.csv_cell(row.date)
        title = _shorten(str(row.title or ""), 100)
        credit = f"{row.source or 'no named source'}, {day}" + (f": {title}" if title else "")
        items.append((f"“{row.text}”", credit, row.url or ""))
    return items


def _linked(text: str, url: str, escape: Callable[..., str]) -> str:
    """reportlab markup for `text` (escaped) linking to `url` when it is an http(s) address."""
    if not re.match(r"https?://", url or ""):
        return escape(text)
    return f'<a href="{escape(url, {chr(34): "&quot;"})}" color="#0072B2">{escape(text)}</a>'


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _notes(part: PairBrief, brief: Brief) -> str:
    lines = [part.subtitle, part.provenance.summary() + f" · generated {brief.generated.isoformat()}", ""]
    lines.append("Evidence (strongest escalation or cooperation language, one sentence per story):")
    for number, (quote, credit, url) in enumerate(_evidence_items(part), start=1):
        lines.append(f"{number}. {quote}")
        lines.append(f"   {credit}" + (f" <{url}>" if url else ""))
    lines += ["", *part.provenance.attribution]
    return "\n".join(lines)


# ---- PPTX --------------------------------------------------------------------------------------------

def brief_pptx(brief: Brief, images: Mapping[str, bytes] | None = None) -> bytes:
    """The brief as a 16:9 PowerPoint deck: a title slide, one chart slide per pair (picture,
    evidence, provenance in the notes), and a method and sources slide."""
    from pptx import Presentation
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Inches, Pt

    images = chart_images(brief) if images is None else images
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    blank = deck.slide_layouts[6]

    def text_box(slide, left, top, width, height, paragraphs, size=12, bold_first=False, sizes=None):
        frame = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height)).text_frame
        frame.word_wrap = True
        # a safety net for long text: PowerPoint and LibreOffice shrink it to the box when opened
        frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
        for index, text in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = text
            run.font.size = Pt(sizes[index] if sizes else size)
            run.font.bold = bold_first and index == 0
        return frame

    def footer(slide, lines):
        text_box(slide, 0.4, 6.75, 12.5, 0.7, lines, size=9)

    summary = f"{brief.provenance.summary()} · generated {brief.generated.isoformat()}"
    slide = deck.slides.add_slide(deck.slide_layouts[0])
    slide.shapes.title.text = brief.title
    slide.placeholders[1].text = (f"{brief.period()} · per {export.FREQ_WORDS[brief.freq]} · weighted by "
                                  f"{brief.by}\nGenerated {brief.generated.isoformat()} · Faultline method "
                                  f"{', '.join(brief.provenance.method_versions) or _method_version()}")
    slide.notes_slide.notes_text_frame.text = "\n".join((summary, *brief.provenance.attribution))

    for part in brief.pairs:
        slide = deck.slides.add_slide(blank)
        text_box(slide, 0.4, 0.25, 12.5, 0.9, [part.pair, part.headline()], size=24, bold_first=True)
        if part.pair in images:
            slide.shapes.add_picture(io.BytesIO(images[part.pair]), Inches(0.4), Inches(1.3),
                                     width=Inches(8.0))
        evidence, sizes = ["Strongest evidence"], [13]
        for quote, credit, _url in _evidence_items(part) or [("No evidence sentences in this period.", "", "")]:
            evidence.append(_shorten(quote, _SLIDE_SENTENCE_CHARS))
            sizes.append(11)
            if credit:
                evidence.append(f"— {credit}")
                sizes.append(9)
        text_box(slide, 8.6, 1.3, 4.4, 5.3, evidence, bold_first=True, sizes=sizes)
        footer(slide, [part.provenance.summary(), *part.provenance.attribution])
        slide.notes_slide.notes_text_frame.text = _notes(part, brief)

    slide = deck.slides.add_slide(blank)
    text_box(slide, 0.4, 0.25, 12.5, 0.8, ["Method and sources"], size=24, bold_first=True)
    text_box(slide, 0.4, 1.1, 7.6, 5.5, ["How the scores are made", *METHOD_POINTS], size=12,
             bold_first=True)
    source_lines = ["Sources behind this brief"] + [f"{row.source}: {row.articles} articles"
                                                    for row in brief.sources.head(15).itertuples()]
    if len(brief.sources) > 15:
        source_lines.append(f"and {len(brief.sources) - 15} more sources")
    text_box(slide, 8.3, 1.1, 4.7, 3.0, source_lines, size=12, bold_first=True)
    text_box(slide, 8.3, 4.2, 4.7, 2.4, ["Attribution", *brief.provenance.attribution], size=11,
             bold_first=True)
    footer(slide, [summary])
    slide.notes_slide.notes_text_frame.text = "\n".join((summary, *METHOD_POINTS, *brief.provenance.attribution))
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _method_version() -> str:
    from analysis import METHOD_VERSION

    return METHOD_VERSION


# ---- PDF ---------------------------------------------------------------------------------------------

_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _pdf_fonts() -> tuple[str, str]:
    """DejaVu Sans when the system has it (it covers Cyrillic, Greek and more), else Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = _FONT_DIR / "DejaVuSans.ttf", _FONT_DIR / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        return "Helvetica", "Helvetica-Bold"
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
    return "DejaVuSans", "DejaVuSans-Bold"


def brief_pdf(brief: Brief, images: Mapping[str, bytes] | None = None) -> bytes:
    """The brief as a landscape A4 PDF: the same pages as the deck, the provenance and attribution
    at the foot of every page."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.lib.utils import simpleSplit
    from reportlab.platypus import (Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate,
                                    Spacer, Table, TableStyle)

    images = chart_images(brief) if images is None else images
    regular, bold = _pdf_fonts()
    style = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13)
    small = ParagraphStyle("small", parent=style, fontSize=8, leading=10, textColor="#444444")
    heading = ParagraphStyle("heading", parent=style, fontName=bold, fontSize=18, leading=22, spaceAfter=6)
    quoted = ParagraphStyle("quoted", parent=style, fontSize=9, leading=11.5)
    subheading = ParagraphStyle("subheading", parent=style, fontName=bold, fontSize=12, leading=15,
                                spaceBefore=4, spaceAfter=4)

    def para(text: str, which: ParagraphStyle = style) -> Paragraph:
        return Paragraph(escape(str(text)), which)  # Paragraph reads markup: data never reaches it raw

    summary = f"{brief.provenance.summary()} · generated {brief.generated.isoformat()}"
    story: list = [para(brief.title, heading),
                   para(f"{brief.period()} · per {export.FREQ_WORDS[brief.freq]} · weighted by {brief.by}"),
                   Spacer(1, 0.4 * cm), para(summary)]
    story += [para(line) for line in brief.provenance.attribution]
    page_w, page_h = landscape(A4)
    for part in brief.pairs:
        story += [PageBreak(), para(part.pair, heading), para(part.headline())]
        evidence = [para("Strongest evidence", subheading)]
        for quote, credit, url in _evidence_items(part) or [("No evidence sentences in this period.", "", "")]:
            evidence.append(para(_shorten(quote, _SLIDE_SENTENCE_CHARS), quoted))
            if credit:
                evidence.append(Paragraph("— " + _linked(credit, url, escape), small))
            evidence.append(Spacer(1, 0.15 * cm))
        chart = []
        chart_w = 15 * cm
        if part.pair in images:
            chart = [Image(io.BytesIO(images[part.pair]), width=chart_w, height=chart_w * 9 / 16)]
        table = Table([[chart, evidence]], colWidths=[chart_w + 0.5 * cm, page_w - 4.5 * cm - chart_w])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        story += [Spacer(1, 0.3 * cm), table, Spacer(1, 0.2 * cm), para(part.provenance.summary(), small)]
    story += [PageBreak(), para("Method and sources", heading), para("How the scores are made", subheading)]
    story += [para(f"• {point}") for point in METHOD_POINTS]
    sources = [para("Sources behind this brief", subheading)]
    sources += [para(f"{row.source}: {row.articles} articles") for row in brief.sources.itertuples()]
    story.append(KeepTogether(sources))
    story += [para("Attribution", subheading), *[para(line) for line in brief.provenance.attribution]]

    def page_footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7)
        lines = [wrapped for line in (summary, *brief.provenance.attribution)
                 for wrapped in simpleSplit(line, regular, 7, page_w - 4 * cm)]
        for offset, line in enumerate(reversed(lines)):
            canvas.drawString(2 * cm, 0.8 * cm + offset * 9, line)
        canvas.drawRightString(page_w - 2 * cm, page_h - 1.2 * cm, f"page {document.page}")
        canvas.restoreState()

    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=(page_w, page_h), leftMargin=2 * cm, rightMargin=2 * cm,
                                 topMargin=1.6 * cm, bottomMargin=2.6 * cm, title=brief.title,
                                 author="Faultline", subject=summary, invariant=1)
    document.build(story, onFirstPage=page_footer, onLaterPages=page_footer)
    return out.getvalue()


def brief_bytes(brief: Brief, fmt: str, images: Mapping[str, bytes] | None = None) -> bytes:
    """The brief as "pptx" or "pdf" bytes (charts rendered once when `images` is not given)."""
    if fmt not in BRIEF_FORMATS:
        raise ExportError(f"a brief is written as {' or '.join(BRIEF_FORMATS)}, not {fmt!r}")
    return (brief_pptx if fmt == "pptx" else brief_pdf)(brief, images)


def write_brief(brief: Brief, out: str | os.PathLike) -> Path:
    """Write the brief to `out`; its suffix (.pptx or .pdf) chooses the format."""
    fmt = Path(out).suffix.lower().lstrip(".")
    if fmt not in BRIEF_FORMATS:
        raise ExportError(f"--out must end in .pptx or .pdf, not {Path(out).name!r}")
    return export.write_export(brief_bytes(brief, fmt), out)
