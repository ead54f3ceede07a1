"""Plotly figure builders for Faultline's charts: DataFrames in, `go.Figure` out.

Pure functions: no Streamlit, no I/O, inputs are never mutated. The dashboard draws these figures and
the exports (PNG/SVG/PDF) render the very same ones, so a chart looks alike on screen and in a brief.

Column contracts follow the store's `pairs` table: `date` (period start, YYYY-MM-DD), `pair`
("AAA-BBB"), `articles`, `stories`, `attention`, `sentiment`, `escalation`, `cooperation`,
`tension` (0..100) and `anomaly`. Each builder names the columns it reads in its docstring.

Colours come from the Okabe-Ito palette and the cividis scale, both readable with the common forms of
colour blindness; no meaning is carried by red-versus-green alone. Backgrounds are left transparent so
the figures stay legible on light and dark themes.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

# Okabe & Ito (2008), "Color Universal Design": distinguishable under protanopia, deuteranopia, tritanopia.
OKABE_ITO: tuple[str, ...] = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#999999",  # grey
    "#F0E442",  # yellow: last, it is faint on a white background
)
SERIES_COLOURS: dict[str, str] = {
    "tension": "#D55E00",
    "escalation": "#E69F00",
    "cooperation": "#0072B2",
    "sentiment": "#009E73",
    "attention": "#999999",
}
# Sequential yellow -> orange -> red (ColorBrewer YlOrRd without its palest step): lightness falls
# monotonically, so it reads under every common colour-vision deficiency, and "red = tense" is intuitive.
# Its lightest colour stays visible on white and its darkest on a dark theme.
TENSION_SCALE = [[0.0, "#fed976"], [0.25, "#feb24c"], [0.5, "#fd8d3c"], [0.75, "#e31a1c"], [1.0, "#a50026"]]
TENSION_RANGE = (0.0, 100.0)

_FONT = dict(family="Inter, 'Source Sans Pro', Arial, sans-serif", size=13)
_GRID = "rgba(128,128,128,0.25)"


def _base_layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    """Shared look: transparent background, grey gridlines that work on light and dark themes."""
    fig.update_layout(
        title=dict(text=title, x=0.0, xanchor="left"),
        height=height,
        font=_FONT,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        margin=dict(l=60, r=30, t=60, b=50),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1.0),
        hovermode="closest",
    )
    fig.update_xaxes(gridcolor=_GRID, zeroline=False)
    fig.update_yaxes(gridcolor=_GRID, zeroline=False)
    return fig


def empty_figure(message: str, title: str = "", height: int = 300) -> go.Figure:
    """A figure that says why there is nothing to draw (e.g. "No stories for this pair in the period")."""
    fig = go.Figure()
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font=dict(size=15))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _base_layout(fig, title, height)


def _require(df: pd.DataFrame, columns: Sequence[str], chart: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{chart}: missing column(s) {', '.join(missing)}; got {', '.join(map(str, df.columns))}")


def pair_timeline_figure(df: pd.DataFrame, pair: str, count_by: str = "stories",
                         height: int = 470) -> go.Figure:
    """Tension over time for one pair (top), escalation vs cooperation and sentiment (bottom).

    Reads `date`, `tension`, `sentiment`, `escalation`, `cooperation` and `count_by` ("stories" or
    "articles"). Every marker carries its period start date in `customdata[0]`, so a selection on the
    chart maps back to the evidence for that period.
    """
    _require(df, ["date", "tension", "sentiment", "escalation", "cooperation", count_by], "pair timeline")
    if df.empty:
        return empty_figure(f"No {count_by} for {pair} in this period", f"{pair}: tension over time", height)
    data = df.sort_values("date")
    dates = pd.to_datetime(data["date"])
    date_text = dates.dt.strftime("%Y-%m-%d")
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.62, 0.38], vertical_spacing=0.06,
                        specs=[[{"secondary_y": False}], [{"secondary_y": True}]])
    fig.add_trace(go.Scatter(
        x=dates, y=data["tension"], name="tension (0-100)", mode="lines+markers",
        line=dict(color=SERIES_COLOURS["tension"], width=2),
        marker=dict(size=7, symbol="circle"),
        customdata=list(zip(date_text, data[count_by])),
        hovertemplate="%{customdata[0]}<br>tension %{y:.1f}<br>%{customdata[1]} " + count_by + "<extra></extra>",
    ), row=1, col=1)
    if "large_increase" in data.columns:
        # ACLED-style flag from the store: volume more than 25% above the pair's trailing baseline
        flagged = data["large_increase"].fillna(False).astype(bool).to_numpy()
        if flagged.any():
            fig.add_trace(go.Scatter(
                x=dates[flagged], y=data["tension"][flagged], name="large increase in coverage", mode="markers",
                marker=dict(size=15, symbol="circle-open", line=dict(width=2), color=SERIES_COLOURS["cooperation"]),
                hoverinfo="skip",
            ), row=1, col=1)
    fig.add_trace(go.Bar(
        x=dates, y=data["escalation"], name="escalation", marker_color=SERIES_COLOURS["escalation"],
        customdata=list(zip(date_text)), hovertemplate="%{customdata[0]}<br>escalation %{y:.1f}<extra></extra>",
    ), row=2, col=1)
    fig.add_trace(go.Bar(
        x=dates, y=-data["cooperation"], name="cooperation (down)", marker_color=SERIES_COLOURS["cooperation"],
        marker_pattern_shape="/",  # a second cue besides colour
        customdata=list(zip(date_text, data["cooperation"])),
        hovertemplate="%{customdata[0]}<br>cooperation %{customdata[1]:.1f}<extra></extra>",
    ), row=2, col=1)
    fig.add_trace(go.Scatter(
        x=dates, y=data["sentiment"], name="sentiment (-1..1)", mode="lines",
        line=dict(color=SERIES_COLOURS["sentiment"], width=1.5, dash="dot"),
        customdata=list(zip(date_text)), hovertemplate="%{customdata[0]}<br>sentiment %{y:.2f}<extra></extra>",
    ), row=2, col=1, secondary_y=True)
    # no dragmode/clickmode here: Streamlit then makes a click select a point (and the modebar's box tool a range)
    fig.update_layout(barmode="relative", selectdirection="h")
    fig.update_yaxes(title_text="tension", range=[0, 100], row=1, col=1)
    fig.update_yaxes(title_text="esc. / coop.", row=2, col=1)
    fig.update_yaxes(title_text="sentiment", range=[-1, 1], dtick=0.5, row=2, col=1, secondary_y=True,
                     showgrid=False)
    return _base_layout(fig, f"{pair}: tension over time (by {count_by})", height)


def tension_overview_figure(df: pd.DataFrame, height: int = 360) -> go.Figure:
    """Corpus-wide tension over time: the attention-weighted mean tension of all pairs per period.

    Reads `date`, `tension`, `stories` (weights). One marker per period, date in `customdata[0]`.
    """
    _require(df, ["date", "tension", "stories"], "tension overview")
    if df.empty:
        return empty_figure("No dated pair signals in this period", "Tension over time", height)
    data = df.assign(_w=df["stories"].clip(lower=0).astype(float), date=pd.to_datetime(df["date"]))
    data = data.assign(_wt=data["tension"] * data["_w"])
    per = data.groupby("date", as_index=False).agg(_wt=("_wt", "sum"), _w=("_w", "sum"),
                                                   stories=("stories", "sum"), pairs=("tension", "size"))
    per["tension"] = per["_wt"] / per["_w"].where(per["_w"] > 0)
    per = per.sort_values("date")
    fig = go.Figure(go.Scatter(
        x=per["date"], y=per["tension"], mode="lines+markers", name="mean tension",
        line=dict(color=SERIES_COLOURS["tension"], width=2), marker=dict(size=5),
        customdata=list(zip(per["date"].dt.strftime("%Y-%m-%d"), per["stories"], per["pairs"])),
        hovertemplate="%{customdata[0]}<br>tension %{y:.1f}<br>%{customdata[1]} pair-stories, "
                      "%{customdata[2]} pairs<extra></extra>",
    ))
    fig.update_yaxes(title_text="tension (story-weighted)", rangemode="tozero")
    return _base_layout(fig, "Tension over time, all pairs", height)


def category_breakdown_figure(df: pd.DataFrame, title: str = "Keyword categories over time",
                              height: int = 360) -> go.Figure:
    """Stacked bars of matched keyword categories per period. Reads `date`, `category`, `count`,
    and `polarity` when present (escalation categories above the axis, cooperation below)."""
    _require(df, ["date", "category", "count"], "category breakdown")
    if df.empty:
        return empty_figure("No lexicon terms matched in this period", title, height)
    data = df.assign(date=pd.to_datetime(df["date"]))
    if "polarity" in data.columns:
        data = data.assign(count=data["count"].where(data["polarity"] != "cooperation", -data["count"]))
    totals = data.groupby("category")["count"].apply(lambda s: s.abs().sum()).sort_values(ascending=False)
    fig = go.Figure()
    patterns = ("", "/", ".", "x", "-", "|", "+", "\\")
    for i, category in enumerate(totals.index):
        part = data[data["category"] == category].groupby("date", as_index=False)["count"].sum()
        fig.add_trace(go.Bar(
            x=part["date"], y=part["count"], name=str(category),
            marker_color=OKABE_ITO[i % len(OKABE_ITO)],
            # past eight categories colours repeat: a fill pattern keeps them apart
            marker_pattern_shape=patterns[(i // len(OKABE_ITO)) % len(patterns)],
            hovertemplate=f"{category}<br>%{{x|%Y-%m-%d}}<br>%{{y}} matches<extra></extra>",
        ))
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title_text="matches (cooperation below 0)" if "polarity" in data.columns else "matches")
    fig = _base_layout(fig, title, height)
    # up to 20 categories: a column at the right instead of rows over the title
    fig.update_layout(legend=dict(orientation="v", yanchor="top", y=1.0, xanchor="left", x=1.02))
    return fig


def _split_pairs(df: pd.DataFrame) -> pd.DataFrame:
    codes = df["pair"].astype(str).str.split("-", n=1, expand=True)
    return df.assign(a=codes[0], b=codes[1])


def matrix_figure(df: pd.DataFrame, order: Sequence[str] | None = None, title: str = "Tension matrix",
                  height: int = 560) -> go.Figure:
    """Country x country tension as square tiles (a heatmap built from markers so every cell is a
    selectable point). Reads `pair`, `tension`, `attention` (and `stories` if present); each tile's
    `customdata[0]` is its pair. `order` fixes the axis order (default: by total attention)."""
    _require(df, ["pair", "tension", "attention"], "matrix")
    if df.empty:
        return empty_figure("No country pairs in this period", title, height)
    data = _split_pairs(df)
    if order is None:
        weight = pd.concat([data[["a", "attention"]].rename(columns={"a": "c"}),
                            data[["b", "attention"]].rename(columns={"b": "c"})])
        order = list(weight.groupby("c")["attention"].sum().sort_values(ascending=False).index)
    order = list(order)
    rank = {code: i for i, code in enumerate(order)}
    data = data[data["a"].isin(rank) & data["b"].isin(rank)]
    # both halves of the symmetric matrix, so a row reads as "this country against every other"
    both = pd.concat([data, data.assign(a=data["b"], b=data["a"])], ignore_index=True)
    stories = both["stories"] if "stories" in both.columns else both["attention"] * 0
    n = max(len(order), 1)
    height = max(height, min(900, 160 + 28 * n))  # about 28 px per row keeps labels legible
    tile = max(5, min(30, int((height - 140) / n * 0.8)))
    fig = go.Figure(go.Scatter(
        x=both["b"], y=both["a"], mode="markers",
        marker=dict(symbol="square", size=tile, color=both["tension"], colorscale=TENSION_SCALE,
                    cmin=TENSION_RANGE[0], cmax=TENSION_RANGE[1],
                    colorbar=dict(title=dict(text="tension"), thickness=14),
                    line=dict(width=0)),
        customdata=list(zip(both["pair"], both["attention"], stories)),
        hovertemplate="%{customdata[0]}<br>tension %{marker.color:.1f}<br>attention %{customdata[1]:.3f}"
                      "<br>%{customdata[2]} stories<extra>click to open</extra>",
        name="pairs",
    ))
    fig.update_xaxes(categoryorder="array", categoryarray=order, side="top", tickangle=-45, showgrid=False)
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(order)), showgrid=False)
    fig = _base_layout(fig, title, height)
    fig.update_layout(margin=dict(l=60, r=30, t=110, b=30))
    return fig


def network_figure(df: pd.DataFrame, title: str = "Pair network", height: int = 560) -> go.Figure:
    """Countries on a circle, one edge per pair: colour = tension (binned on cividis), width = attention.

    Reads `pair`, `tension`, `attention`. A marker at each edge's midpoint carries `customdata[0]` = the
    pair, so clicking an edge selects it; node markers carry the country code.
    """
    _require(df, ["pair", "tension", "attention"], "network")
    if df.empty:
        return empty_figure("No country pairs in this period", title, height)
    data = _split_pairs(df)
    weight = pd.concat([data[["a", "attention"]].rename(columns={"a": "c"}),
                        data[["b", "attention"]].rename(columns={"b": "c"})])
    node_weight = weight.groupby("c")["attention"].sum().sort_values(ascending=False)
    nodes = list(node_weight.index)
    angle = {code: 2 * math.pi * i / len(nodes) for i, code in enumerate(nodes)}
    pos = {code: (math.cos(a), math.sin(a)) for code, a in angle.items()}
    max_attention = float(data["attention"].max()) or 1.0
    import plotly.colors as pc
    fig = go.Figure()
    # one trace per edge: plotly cannot vary colour or width along one line trace
    for row in data.sort_values("tension").itertuples(index=False):
        (x0, y0), (x1, y1) = pos[row.a], pos[row.b]
        colour = pc.sample_colorscale(TENSION_SCALE, [min(max(row.tension / 100.0, 0.0), 1.0)])[0]
        fig.add_trace(go.Scatter(
            x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="skip", showlegend=False,
            line=dict(color=colour, width=1 + 9 * float(row.attention) / max_attention),
        ))
    fig.add_trace(go.Scatter(
        x=[(pos[a][0] + pos[b][0]) / 2 for a, b in zip(data["a"], data["b"])],
        y=[(pos[a][1] + pos[b][1]) / 2 for a, b in zip(data["a"], data["b"])],
        mode="markers", name="pairs", showlegend=False,
        marker=dict(size=9, color=data["tension"], colorscale=TENSION_SCALE, cmin=0, cmax=100,
                    colorbar=dict(title=dict(text="tension"), thickness=14), line=dict(width=1, color="#777")),
        customdata=list(zip(data["pair"], data["attention"])),
        hovertemplate="%{customdata[0]}<br>tension %{marker.color:.1f}<br>attention %{customdata[1]:.3f}"
                      "<extra>click to open</extra>",
    ))
    fig.add_trace(go.Scatter(
        x=[pos[c][0] * 1.0 for c in nodes], y=[pos[c][1] for c in nodes], mode="markers+text",
        text=nodes, textposition=["middle right" if pos[c][0] >= 0 else "middle left" for c in nodes],
        marker=dict(size=[10 + 20 * float(node_weight[c]) / float(node_weight.iloc[0] or 1) for c in nodes],
                    color="#56B4E9", line=dict(width=1, color="#333")),
        customdata=[[c] for c in nodes], hovertemplate="%{customdata[0]}<extra></extra>",
        name="countries", showlegend=False,
    ))
    fig.update_xaxes(visible=False, range=[-1.35, 1.35])
    fig.update_yaxes(visible=False, range=[-1.2, 1.2], scaleanchor="x")
    return _base_layout(fig, title, height)


def top_pairs_figure(summary: pd.DataFrame, series: pd.DataFrame, value: str = "tension",
                     title: str = "Top pairs", height: int | None = None) -> go.Figure:
    """Horizontal bars of `value` per pair (left) with each pair's tension sparkline (right).

    `summary` has one row per pair with `pair` and `value`, in the order to draw (first at top);
    `series` has `pair`, `date`, `tension` for the sparklines. Bars carry the pair in `customdata[0]`.
    """
    _require(summary, ["pair", value], "top pairs")
    _require(series, ["pair", "date", "tension"], "top pairs sparklines")
    if summary.empty:
        return empty_figure("No pairs to rank in this period", title, height or 300)
    pairs = list(summary["pair"])
    n = len(pairs)
    height = height or max(260, 70 + 30 * n)
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.55, 0.45], horizontal_spacing=0.03,
                        subplot_titles=(value, "tension over the period"))
    y_of = {p: n - 1 - i for i, p in enumerate(pairs)}
    fig.add_trace(go.Bar(
        x=summary[value], y=[y_of[p] for p in pairs], orientation="h", name=value,
        marker_color=SERIES_COLOURS["tension"] if value == "tension" else OKABE_ITO[3],
        customdata=[[p] for p in pairs], hovertemplate="%{customdata[0]}: %{x:.2f}<extra></extra>",
        showlegend=False,
    ), row=1, col=1)
    spark = series[series["pair"].isin(y_of)].assign(date=lambda d: pd.to_datetime(d["date"]))
    for pair, part in spark.groupby("pair"):
        part = part.sort_values("date")
        low, high = float(part["tension"].min()), float(part["tension"].max())
        span = (high - low) or 1.0
        # each sparkline lives in its own row band, scaled to its own range (shape, not level)
        y = y_of[pair] - 0.38 + 0.76 * (part["tension"] - low) / span
        fig.add_trace(go.Scatter(
            x=part["date"], y=y, mode="lines", line=dict(color=OKABE_ITO[1], width=1.5), showlegend=False,
            customdata=list(zip([pair] * len(part), part["tension"])),
            hovertemplate="%{customdata[0]} %{x|%Y-%m-%d}: %{customdata[1]:.1f}<extra></extra>",
        ), row=1, col=2)
    fig.update_yaxes(tickmode="array", tickvals=list(range(n)), ticktext=list(reversed(pairs)),
                     range=[-0.6, n - 0.4], showgrid=False, row=1, col=1)
    fig.update_xaxes(showgrid=False, showticklabels=False, row=1, col=2)
    fig = _base_layout(fig, title, height)
    fig.update_layout(margin=dict(l=90, r=20, t=70, b=30))
    return fig


def country_profile_figure(df: pd.DataFrame, country: str, top_n: int = 6, height: int = 420) -> go.Figure:
    """One country's tension against its `top_n` counterparts (by stories) over time.

    Reads `date`, `pair`, `tension`, `stories`. Lines are named by counterpart; dash styles repeat the
    colour distinction for readers who cannot tell the colours apart.
    """
    _require(df, ["date", "pair", "tension", "stories"], "country profile")
    title = f"{country}: tension with its main counterparts"
    if df.empty:
        return empty_figure(f"No pairs involving {country} in this period", title, height)
    data = _split_pairs(df)
    data = data.assign(counterpart=data["b"].where(data["a"] == country, data["a"]),
                       date=pd.to_datetime(data["date"]))
    top = data.groupby("counterpart")["stories"].sum().sort_values(ascending=False).head(top_n).index
    dashes = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
    fig = go.Figure()
    for i, counterpart in enumerate(top):
        part = data[data["counterpart"] == counterpart].sort_values("date")
        fig.add_trace(go.Scatter(
            x=part["date"], y=part["tension"], mode="lines+markers" if len(part) <= 60 else "lines",
            name=str(counterpart),
            line=dict(color=OKABE_ITO[i % len(OKABE_ITO)], dash=dashes[i % len(dashes)], width=2),
            marker=dict(size=5), customdata=list(zip(part["pair"], part["date"].dt.strftime("%Y-%m-%d"))),
            hovertemplate="%{customdata[0]} %{customdata[1]}<br>tension %{y:.1f}<extra></extra>",
        ))
    fig.update_yaxes(title_text="tension", range=[0, 100])
    return _base_layout(fig, title, height)


def selected_values(selection: object, index: int = 0) -> list[str]:
    """The distinct `customdata[index]` values of the points in a Streamlit plotly selection state
    (`event.selection`), in selection order. Works on the attribute or dict form of the state."""
    points = getattr(selection, "points", None)
    if points is None and isinstance(selection, dict):
        points = selection.get("points")
    out: list[str] = []
    for point in points or []:
        custom = point.get("customdata") if isinstance(point, dict) else None
        if isinstance(custom, (list, tuple)) and len(custom) > index:
            value = str(custom[index])
        elif custom is not None and index == 0 and not isinstance(custom, (list, tuple)):
            value = str(custom)
        else:
            continue
        if value not in out:
            out.append(value)
    return out
