"""Plotly figure builders: pure functions from data frames to figures, styled once for screen and projector."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from spbe.i18n import fmt_num, plotly_separators, t

# Okabe-Ito colours, ordered Kurang -> Memuaskan: distinguishable with the common colour-vision deficiencies.
PREDIKAT_COLOURS = {
    "Kurang": "#D55E00",
    "Cukup": "#E69F00",
    "Baik": "#56B4E9",
    "Sangat Baik": "#0072B2",
    "Memuaskan": "#009E73",
}
FOCUS_COLOUR = "#CC0066"
NEUTRAL = "#7F7F7F"
SELF_COLOUR = "#E69F00"
FONT = "Source Sans Pro, Arial, sans-serif"


def style(fig: go.Figure, lang: str, large: bool = False, title: str | None = None, height: int | None = None) -> go.Figure:
    """House style: language-aware number separators, readable type, no chart junk."""
    size = 20 if large else 14
    fig.update_layout(
        separators=plotly_separators(lang),
        font=dict(family=FONT, size=size),
        title=dict(text=title, font=dict(size=size + 6)) if title else None,
        margin=dict(l=10, r=10, t=60 if title else 20, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        hoverlabel=dict(font_size=size),
        template="plotly_white",
        height=height or (560 if large else 420),
    )
    return fig


def index_trend_figure(trend: pd.DataFrame, lang: str, large: bool = False, title: str | None = None) -> go.Figure:
    """Official index as a line (gaps never bridged), other assessments as distinct markers."""
    fig = go.Figure()
    official = trend[trend["assessment"] == "official"].sort_values("year")
    if not official.empty:
        years = list(range(int(official["year"].min()), int(official["year"].max()) + 1))
        full = official.set_index("year").reindex(years)
        fig.add_trace(go.Scatter(
            x=years, y=full["indeks"], mode="lines+markers+text", name=t("assessment.official", lang),
            line=dict(color=FOCUS_COLOUR, width=4 if large else 3), marker=dict(size=12 if large else 9),
            text=[fmt_num(v, lang) if pd.notna(v) else "" for v in full["indeks"]], textposition="top center",
            connectgaps=False,
            hovertemplate="%{x}: %{y:.2f}<extra></extra>",
        ))
    for assessment, part in trend[trend["assessment"] != "official"].groupby("assessment"):
        fig.add_trace(go.Scatter(
            x=part["year"], y=part["indeks"], mode="markers+text", name=t(f"assessment.{assessment}", lang),
            marker=dict(symbol="diamond-open", size=16 if large else 13, color=SELF_COLOUR, line=dict(width=3)),
            text=[fmt_num(v, lang) for v in part["indeks"]], textposition="middle right",
            hovertemplate="%{x}: %{y:.2f}<extra></extra>",
        ))
    fig.update_yaxes(range=[1, 5], title=t("common.index", lang), dtick=0.5)
    fig.update_xaxes(dtick=1, title=None)
    return style(fig, lang, large, title)
