"""Briefing-ready chart exports: images that stand on their own, and the exact data behind them.

An exported image (PNG, SVG or PDF) carries a title, a subtitle (the pair or country, the filters and
the date range) and a footer with its provenance: how many articles, stories and sources back it, the
method version, the generation date and the attribution the data's licences ask for. A CSV export
holds exactly the rows the chart was drawn from, with spreadsheet formulas defused.

Every side effect of exporting lives here: the headless Chromium that kaleido drives (one server per
process, stopped at exit), temporary files, and writing the results. Plotly, kaleido and the store
are imported inside the functions that need them, so importing this module stays cheap.

Text from the data is plain text everywhere: `plain_text` escapes what plotly would read as markup,
so an article title holding "<b>" shows those characters instead of bold type.
"""
from __future__ import annotations

import atexit
import csv
import io
import math
import os
import tempfile
import textwrap
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.provenance import Provenance, as_date, data_window, frame_window, provenance_for

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd
    import plotly.graph_objects as go

# Chart kinds the exporter knows, with the one line that says what each shows.
CHARTS: dict[str, str] = {
    "pair-timeline": "one pair's tension, escalation, cooperation and sentiment over time",
    "matrix": "country x country tension over the period",
    "network": "pairs as a network: edge colour tension, width attention",
    "top-pairs": "the tensest pairs (or largest rises) with their sparklines",
    "country": "one country's tension with its main counterparts over time",
}
IMAGE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
FORMATS: tuple[str, ...] = (*IMAGE_FORMATS, "csv")
MEDIA_TYPES: dict[str, str] = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf",
                               "csv": "text/csv"}
# Output sizes in pixels of the PNG. Images render at DEFAULT_SCALE, so a 1600 x 900 slide image is
# laid out on an 800 x 450 canvas: type stays legible when the picture fills a slide.
SIZE_PRESETS: dict[str, tuple[int, int]] = {
    "slide 16:9 (1600 x 900)": (1600, 900),
    "document 4:3 (1200 x 900)": (1200, 900),
    "wide 16:9 (1920 x 1080)": (1920, 1080),
    "square (1200 x 1200)": (1200, 1200),
}
DEFAULT_SIZE: tuple[int, int] = (1600, 900)
DEFAULT_SCALE = 2
MIN_SIDE, MAX_SIDE = 200, 6000  # pixels: smaller is unreadable, larger wastes minutes of Chromium time

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a tab or CR before a formula runs it too
FREQ_WORDS = {"D": "day", "W": "week", "M": "month"}
_EXPORT_BACKGROUND = "white"  # slides and memos are white; the dashboard's transparency is not


class ExportError(RuntimeError):
    """An export that cannot be made, with a message a user can act on."""


# ---- plain text --------------------------------------------------------------------------------------

def plain_text(text: object) -> str:
    """`text` escaped so plotly shows it literally: "<b>x</b> & y" stays those characters.

    Plotly reads <br>, <b>, <a href=...>, <span style=...> and HTML entities in titles and
    annotations; escaping &, < and > turns all of them into visible characters. A "$" is escaped too,
    because plotly hands "$...$" to MathJax when it is present.
    """
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("$", "&#36;"))


# ---- CSV ---------------------------------------------------------------------------------------------

def csv_cell(value: Any) -> str:
    """One CSV cell safe to open in a spreadsheet.

    Text starting with = + - @ gets a leading apostrophe, so it is not run as a formula; numbers stay
    numbers (a negative sentiment is written -0.5, not '-0.5); dates are YYYY-MM-DD; missing is empty.
    """
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalar -> Python
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value.__class__.__name__ == "NaTType":
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(round(value, 6))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)) or value.__class__.__name__ == "ndarray":
        value = "; ".join(str(item) for item in value)
    text = str(value)
    text = "'" + text if text.startswith(_FORMULA_START) else text
    # csv_text ends rows with "\n", so the writer quotes cells holding "\n" but not a bare "\r"
    return text.replace("\r\n", "\n").replace("\r", "\n")


def csv_text(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> str:
    """The rows of `frame` (only `columns`, in that order, when given) as CSV text with a header."""
    columns = list(columns) if columns is not None else [str(c) for c in frame.columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_cell(name) for name in columns])
    for row in frame[columns].itertuples(index=False, name=None):
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


# ---- charts from the store ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ChartRequest:
    """Which chart, for what: the CLI's arguments and the dashboard's filters both become one."""

    chart: str
    pair: str | None = None
    country: str | None = None
    since: date | None = None
    until: date | None = None
    freq: str = "M"
    by: str = "stories"
    top_n: int = 15  # countries in the matrix and the network
    n: int = 10  # pairs in top-pairs
    rank_by: str = "tension"  # top-pairs: "tension" or "anomaly"

    def __post_init__(self) -> None:
        if self.chart not in CHARTS:
            raise ExportError(f"unknown chart {self.chart!r}; choose one of {', '.join(CHARTS)}")
        if self.chart == "pair-timeline" and not self.pair:
            raise ExportError("the pair-timeline chart needs a pair, e.g. --pair RUS-UKR")
        if self.chart == "country" and not self.country:
            raise ExportError("the country chart needs a country, e.g. --country IRN")
        if self.freq not in FREQ_WORDS:
            raise ExportError(f"freq must be one of {', '.join(FREQ_WORDS)}, not {self.freq!r}")
        if self.by not in ("stories", "articles"):
            raise ExportError(f"by must be stories or articles, not {self.by!r}")
        if self.rank_by not in ("tension", "anomaly"):
            raise ExportError(f"rank_by must be tension or anomaly, not {self.rank_by!r}")
        if self.since and self.until and as_date(self.since) > as_date(self.until):
            raise ExportError(f"since ({self.since}) is after until ({self.until})")

    def subtitle(self) -> str:
        """What and when, e.g. "RUS-UKR · 2022-01-01 to 2022-06-30 · per month · by stories"."""
        focus = {"pair-timeline": self.pair, "country": self.country}.get(self.chart)
        span = (f"{self.since or 'first date'} to {self.until or 'last date'}"
                if self.since or self.until else "all dates")
        parts = [p for p in (focus, span) if p]
        if self.chart in ("pair-timeline", "country", "top-pairs"):
            parts.append(f"per {FREQ_WORDS.get(self.freq, self.freq)}")
        if self.chart in ("matrix", "network"):
            parts.append(f"top {self.top_n} countries by stories")
        if self.chart == "top-pairs":
            parts.append(f"top {self.n} by {'rise against baseline' if self.rank_by == 'anomaly' else self.rank_by}")
        parts.append(f"weighted by {self.by}")
        return " · ".join(parts)


@dataclass(frozen=True, eq=False)
class ChartData:
    """A chart ready to export: its rows (exactly what the CSV holds), its figure and its window."""

    request: ChartRequest
    data: pd.DataFrame
    figure: go.Figure
    title: str
    subtitle: str
    pairs: tuple[str, ...]
    first: date | None
    last: date | None
    columns: tuple[str, ...] = field(default=())


def chart_data(request: ChartRequest, db: str | os.PathLike | None = None) -> ChartData:
    """Query the store for `request` and build its figure with analysis.charts (the dashboard's own
    builders, so an export looks like the screen). A missing store raises StoreNotFound."""
    from analysis import charts, queries
    from analysis.queries import SERIES_COLUMNS

    r = request
    window = dict(since=r.since, until=r.until)
    if r.chart == "pair-timeline":
        frame = queries.pair_timeline(r.pair, db, freq=r.freq, by=r.by, **window)
        figure = charts.pair_timeline_figure(frame, r.pair, count_by=r.by)
        columns, pairs = SERIES_COLUMNS, (r.pair,)
    elif r.chart == "country":
        frame = queries.pairs_table(db, country=r.country, freq=r.freq, by=r.by, **window)
        figure = charts.country_profile_figure(frame, r.country)
        columns, pairs = SERIES_COLUMNS, tuple(frame["pair"].unique())
    elif r.chart in ("matrix", "network"):
        frame = queries.matrix(db, top_n=r.top_n, by=r.by, **window)
        builder = charts.matrix_figure if r.chart == "matrix" else charts.network_figure
        figure = builder(frame, title="Tension matrix" if r.chart == "matrix" else "Pair network")
        columns, pairs = list(frame.columns), tuple(frame["pair"])
    else:  # top-pairs
        frame = queries.top_pairs(db, n=r.n, rank_by=r.rank_by, freq=r.freq, by=r.by, **window)
        series = queries.pairs_table(db, pairs=list(frame["pair"]), freq=r.freq, by=r.by, **window)
        title = "Largest rise against baseline" if r.rank_by == "anomaly" else "Tensest pairs"
        figure = charts.top_pairs_figure(frame, series, value=r.rank_by, title=title)
        columns, pairs = list(frame.columns), tuple(frame["pair"])
    freq = "M" if r.chart in ("matrix", "network") else r.freq
    first, last = (frame_window(frame, freq) if "date" in frame.columns and not frame.empty
                   else data_window(r.since, r.until, freq))
    return ChartData(request=r, data=frame.reset_index(drop=True), figure=figure,
                     title=figure_title(figure), subtitle=r.subtitle(), pairs=tuple(pairs),
                     first=first, last=last, columns=tuple(columns))


def figure_title(figure: go.Figure) -> str:
    """The figure's own title as plain text (analysis.charts writes titles without markup)."""
    title = figure.layout.title
    return str(title.text) if title is not None and title.text else ""


# ---- images ------------------------------------------------------------------------------------------

def check_size(width: int, height: int, scale: float = DEFAULT_SCALE) -> None:
    """Raise ExportError unless the size is in pixels between MIN_SIDE and MAX_SIDE and scale > 0."""
    for name, value in (("width", width), ("height", height)):
        if not isinstance(value, int) or not MIN_SIDE <= value <= MAX_SIDE:
            raise ExportError(f"{name} must be a whole number of pixels from {MIN_SIDE} to {MAX_SIDE}, "
                              f"not {value!r}")
    if not scale or scale <= 0:
        raise ExportError(f"scale must be positive, not {scale!r}")


def decorate(figure: go.Figure, title: str, subtitle: str, footer: Sequence[str], *,
             width: int = DEFAULT_SIZE[0], height: int = DEFAULT_SIZE[1],
             scale: float = DEFAULT_SCALE) -> go.Figure:
    """A copy of `figure` laid out for export: `width` x `height` pixels at `scale`, white background,
    the title with its subtitle on top and the footer lines at the bottom, all shown as plain text."""
    import plotly.graph_objects as go

    check_size(width, height, scale)
    out = go.Figure(figure)
    canvas_w, canvas_h = width / scale, height / scale
    # a footer line holds about (canvas_w - 24) / 5 characters of 10 px type
    chars = max(40, int((canvas_w - 24) / 5.0))
    lines = [wrapped for line in footer for wrapped in textwrap.wrap(str(line), chars)] or [""]
    margin = out.layout.margin
    left = margin.l if margin.l is not None else 60
    right = margin.r if margin.r is not None else 30
    # title and subtitle take the top ~66 px; a legend above the plot gets its rows below them
    legend_rows = _legend_rows(out, canvas_w - left - right)
    top = max((margin.t if margin.t is not None else 60) + 22, 70 + 21 * legend_rows)
    bottom = (margin.b if margin.b is not None else 50) + 13 * len(lines) + 8
    out.update_layout(
        width=canvas_w, height=canvas_h, autosize=False,
        paper_bgcolor=_EXPORT_BACKGROUND, plot_bgcolor=_EXPORT_BACKGROUND,
        title=dict(text=plain_text(title), x=12 / canvas_w, xanchor="left", xref="container",
                   y=1 - 12 / canvas_h, yanchor="top", yref="container", font=dict(size=16),
                   subtitle=dict(text=plain_text(subtitle), font=dict(size=12, color="#444444"))),
        margin=dict(l=left, t=top, b=bottom),
    )
    plot_w = max(canvas_w - left - right, 1.0)
    plot_h = max(canvas_h - top - bottom, 1.0)
    _fit_tiles(out, plot_w, plot_h)
    out.add_annotation(
        text="<br>".join(plain_text(line) for line in lines), showarrow=False, align="left",
        xref="paper", x=-(left - 12) / plot_w, xanchor="left",
        yref="paper", y=-(bottom - 6) / plot_h, yanchor="bottom",
        font=dict(size=10, color="#444444"),
    )
    return out


def image_export_available() -> bool:
    """Whether a Chromium for kaleido is on this machine ($BROWSER_PATH or `chromium` on PATH)."""
    import shutil

    browser = os.environ.get("BROWSER_PATH")
    if browser:
        return Path(browser).exists()
    return any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome"))


def _legend_rows(figure: go.Figure, width: float) -> int:
    """How many rows a horizontal legend above the plot takes on a canvas `width` wide. Plotly lays a
    wrapping legend out in equal columns as wide as its longest entry: ~7 px per character of 13 px
    type plus ~40 px for the symbol."""
    legend = figure.layout.legend
    if figure.layout.showlegend is False or (legend.orientation or "v") != "h" or (legend.y or 0) < 1:
        return 0
    names = [str(t.name or "") for t in figure.data if t.showlegend is not False and t.name]
    if len(names) < 2 and figure.layout.showlegend is not True:
        return 0
    entry = 40 + 7 * max(len(name) for name in names)
    per_row = max(1, int(width // entry))
    return -(-len(names) // per_row)


def _fit_tiles(figure: go.Figure, plot_w: float, plot_h: float) -> None:
    """Resize square-marker tiles (the matrix) to the export's plot area: the dashboard sizes them
    for its own height, and on a smaller canvas they would overlap and hide every other label."""
    for trace in figure.data:
        marker = getattr(trace, "marker", None)
        if trace.type != "scatter" or marker is None or marker.symbol != "square" or trace.x is None:
            continue
        x_labels, y_labels = list(dict.fromkeys(trace.x)), list(dict.fromkeys(trace.y))
        if x_labels and y_labels:
            tile = 0.92 * min(plot_w / len(x_labels), plot_h / len(y_labels))
            trace.marker.size = max(3.0, tile)
            # every country named: plotly would otherwise skip labels that crowd each other
            font = dict(size=max(7, min(13, int(tile * 0.8))))
            figure.update_xaxes(tickmode="array", tickvals=x_labels, tickfont=font)
            figure.update_yaxes(tickmode="array", tickvals=y_labels, tickfont=font)


_server_lock = threading.Lock()
_server_started = False


def _stop_image_server() -> None:
    global _server_started
    import kaleido

    with _server_lock:
        if _server_started:
            kaleido.stop_sync_server(silence_warnings=True)
            _server_started = False


def _ensure_image_server() -> None:
    """Start one kaleido server (one headless Chromium) per process; each image then costs ~0.2 s
    instead of ~2 s. MathJax is off: it would be fetched from the network, which stalls offline."""
    global _server_started
    if _server_started:
        return
    import kaleido

    try:
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    except Exception as error:  # noqa: BLE001 - every failure here means "no usable browser"
        raise ExportError("image export needs Debian's chromium (run `make chromium`, or install the "
                          f"'chromium' package); CSV export works without it ({error})") from error
    _server_started = True
    atexit.register(_stop_image_server)


def render_image(figure: go.Figure, fmt: str, scale: float = DEFAULT_SCALE) -> bytes:
    """PNG, SVG or PDF bytes of a figure laid out by `decorate` (canvas size from its layout; a PNG
    has `scale` pixels per canvas unit). One image at a time: the browser is shared by the process."""
    if fmt not in IMAGE_FORMATS:
        raise ExportError(f"image format must be one of {', '.join(IMAGE_FORMATS)}, not {fmt!r}")
    global _server_started
    with _server_lock, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*kopts.*")
        for attempt in (1, 2):
            _ensure_image_server()
            try:
                return figure.to_image(format=fmt, scale=scale)
            except Exception as error:  # noqa: BLE001
                if attempt == 2:
                    raise ExportError(f"could not render the {fmt.upper()} image: {error}") from error
                # a long-lived dashboard may outlive its browser: start a fresh one and try once more
                import kaleido

                try:
                    kaleido.stop_sync_server(silence_warnings=True)
                finally:
                    _server_started = False
    raise AssertionError("unreachable")  # pragma: no cover


def export_figure(figure: go.Figure, fmt: str, *, title: str, subtitle: str,
                  provenance: Provenance, width: int = DEFAULT_SIZE[0], height: int = DEFAULT_SIZE[1],
                  scale: float = DEFAULT_SCALE, generated: date | None = None) -> bytes:
    """One chart as PNG/SVG/PDF bytes with its title, subtitle and provenance footer.

    The PNG is `width` x `height` pixels; SVG and PDF are laid out on the same canvas.
    """
    generated = generated or date.today()
    laid_out = decorate(figure, title, subtitle, provenance.footer_lines(generated),
                        width=width, height=height, scale=scale)
    return render_image(laid_out, fmt, scale)


def export_chart(request: ChartRequest, fmt: str, db: str | os.PathLike | None = None, *,
                 width: int = DEFAULT_SIZE[0], height: int = DEFAULT_SIZE[1],
                 scale: float = DEFAULT_SCALE, generated: date | None = None) -> bytes:
    """The bytes of one chart export straight from the store: CSV text (UTF-8) or an image."""
    if fmt not in FORMATS:
        raise ExportError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt != "csv":
        check_size(width, height, scale)
    chart = chart_data(request, db)
    if fmt == "csv":
        return csv_text(chart.data, chart.columns).encode("utf-8")
    backing = provenance_for(db, chart.pairs, chart.first, chart.last)
    return export_figure(chart.figure, fmt, title=chart.title, subtitle=chart.subtitle,
                         provenance=backing, width=width, height=height, scale=scale,
                         generated=generated)


def write_export(content: bytes, out: str | os.PathLike) -> Path:
    """Write `content` to `out` atomically (a temporary file in the same folder, then a rename), so
    a reader never sees half a file and a failed export leaves no debris."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return out


def safe_filename(*parts: object, suffix: str = "") -> str:
    """A file name from parts, e.g. ("faultline", "pair-timeline", "RUS-UKR") -> "faultline-pair-
    timeline-RUS-UKR.png"; anything but letters, digits, dot, dash and underscore becomes "-"."""
    import re

    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join(str(p) for p in parts if p))
    stem = re.sub(r"-{2,}", "-", stem).strip("-.")
    return (stem or "faultline") + (f".{suffix}" if suffix else "")
