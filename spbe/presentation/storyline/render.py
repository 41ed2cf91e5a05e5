"""Rendering a slide for the screen: its Plotly figure and the table of exactly the data shown."""

from __future__ import annotations

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go

from spbe.charts import NEUTRAL, style
from spbe.i18n import fmt_delta, fmt_num, is_missing, t
from spbe.presentation.storyline.model import (
    OUTLINE_COLOUR,
    Chart,
    Series,
    Slide,
)

# Per slide: the columns of slide.data a reader needs (the downloads keep every column).
DISPLAY_COLUMNS = {
    "index": ("label", "value", "predikat_name", "kind", "source_id"),
    "trend": ("year", "assessment", "indeks", "predikat_shown", "provenance", "source_id"),
    "change": ("indicator_code", "indicator_name", "level_before", "level_after", "points"),
    "rank": ("rank", "instansi_name", "indeks", "predikat_name", "source_id"),
    "domains": ("domain_name", "weight_pct", "value", "peer_average", "peer_best", "gap_to_average"),
    "self_vs_official": ("year", "official", "self_assessment", "difference"),
    "next_predikat": ("label", "value", "predikat_name", "kind"),
    "opd": ("opd", "n_indicators", "indicators", "step_worth_sum"),
}


SIGNED_COLUMNS = ("gap_to_average", "gap_to_best", "difference")


def _cell(column: str, value, lang: str) -> str:
    if column in ("assessment",):
        return t(f"assessment.{value}", lang)
    if column == "kind":
        return t(f"present.kind_{str(value).replace('-', '_')}", lang)
    if column == "provenance":
        return t(f"present.provenance_{value}", lang) if isinstance(value, str) and value else ""
    if column == "points":
        return fmt_delta(value, lang, 3)
    if column in ("level_before", "level_after"):
        return "" if is_missing(value) else str(int(value))
    if column == "step_worth_sum":
        return fmt_num(value, lang, 3)
    if column in ("year", "rank", "n", "peers_with_value", "n_indicators"):
        return "" if is_missing(value) else str(int(value))
    if column == "weight_pct":
        return fmt_num(value, lang, 1) + " %"
    if column in SIGNED_COLUMNS:
        return fmt_delta(value, lang)
    if isinstance(value, float) or column in ("value", "indeks", "peer_average", "peer_best", "official", "self_assessment"):
        return fmt_num(value, lang)
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def display_table(slide: Slide) -> pd.DataFrame:
    """The slide's data as text for people: chosen columns, headers and numbers in the slide's language."""
    columns = [c for c in DISPLAY_COLUMNS.get(slide.key, tuple(slide.data.columns)) if c in slide.data.columns]
    if slide.data.empty or not columns:
        return pd.DataFrame()
    out = pd.DataFrame({t(f"present.col_{c}", slide.lang): [_cell(c, v, slide.lang) for v in slide.data[c]] for c in columns})
    return out


def tick_values(chart: Chart) -> list[float]:
    lo, hi = chart.value_range
    count = int(round((hi - lo) / chart.tick_step))
    return [round(lo + k * chart.tick_step, 6) for k in range(count + 1)]


def tick_decimals(chart: Chart) -> int:
    """Decimals a tick needs: 1 -> 0, 0.5 -> 1, 0.025 -> 3."""
    text = f"{chart.tick_step:.6f}".rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


def tick_format(chart: Chart) -> str:
    decimals = tick_decimals(chart)
    return f".{decimals}f" if decimals else "d"


def _marker_symbol(series: Series) -> str:
    if series.mode == "line":
        return "circle"
    return "circle-open" if series.kind == "unverified" else "diamond-open"


def chart_figure(chart: Chart, lang: str, large: bool = False, height: int | None = None) -> go.Figure:
    """A Plotly figure from a renderer-neutral chart, in the house style."""
    fig = go.Figure()
    text_size = 20 if large else 14
    number = "%{" + ("x" if chart.kind == "bar" else "y") + ":." + str(chart.digits) + "f}"
    # Plotly renders a few HTML tags inside labels: text that comes from data is escaped.
    cats = [html.escape(c).replace("\n", "<br>") for c in chart.categories]
    if chart.kind == "column":  # long names wrap instead of tilting
        cats = ["<br>".join(textwrap.wrap(c, 22, break_long_words=False)) or c for c in cats]
    for s in chart.series:
        name = html.escape(s.name)
        labels = [html.escape(x) for x in s.labels] if s.labels else None
        hover = ("%{y}: " if chart.kind == "bar" else "%{x}: ") + number + "<extra>" + name + "</extra>"
        if chart.kind in ("column", "bar"):
            horizontal = chart.kind == "bar"
            widths = [3 if i == chart.highlight else 1 for i in range(len(cats))]
            fig.add_trace(
                go.Bar(
                    x=list(s.values) if horizontal else cats,
                    y=cats if horizontal else list(s.values),
                    orientation="h" if horizontal else "v",
                    name=name,
                    marker=dict(
                        color=list(s.point_colours) if s.point_colours else s.colour,
                        line=dict(color=OUTLINE_COLOUR, width=widths),
                    ),
                    text=labels,
                    textposition="outside",
                    cliponaxis=False,
                    textfont=dict(size=text_size),
                    hovertemplate=hover,
                )
            )
        else:
            fig.add_trace(
                go.Scatter(
                    x=cats,
                    y=list(s.values),
                    name=name,
                    connectgaps=False,
                    mode="lines+markers+text" if s.mode == "line" else "markers+text",
                    line=dict(color=s.colour, width=4 if large else 3),
                    marker=dict(
                        color=s.colour,
                        size=(16 if large else 12) if s.kind == "unverified" else (14 if large else 10),
                        symbol=_marker_symbol(s),
                        line=dict(width=3, color=s.colour),
                    ),
                    text=labels,
                    textposition="top center" if s.mode == "line" else "middle right",
                    textfont=dict(size=text_size),
                    hovertemplate=hover,
                )
            )
    lo, hi = chart.value_range
    title = dict(text=html.escape(chart.value_title), font=dict(size=text_size))
    ticks = dict(tickvals=tick_values(chart), tickformat=tick_format(chart), tickfont=dict(size=text_size))
    if chart.kind == "bar" and lo < 0:  # a diverging chart (gains and losses): room for labels on both sides
        fig.update_xaxes(range=[lo - (hi - lo) * 0.3, hi + (hi - lo) * 0.3], title=title, zeroline=True, **ticks)
        fig.update_xaxes(zerolinecolor=OUTLINE_COLOUR, zerolinewidth=2)
        fig.update_yaxes(autorange="reversed", title=None, tickfont=dict(size=text_size - 2 if large else text_size - 1))
    elif chart.kind == "bar":  # room to the right for the labels; the ticks stop at the scale's end
        fig.update_xaxes(range=[lo, hi + (hi - lo) * 0.3], title=title, **ticks)
        fig.update_yaxes(autorange="reversed", title=None, tickfont=dict(size=text_size))
    else:
        fig.update_yaxes(range=[lo, hi + (hi - lo) * 0.08], title=title, **ticks)
        fig.update_xaxes(title=None, type="category", tickfont=dict(size=text_size))
    for position in chart.breaks:
        fig.add_vline(x=position - 0.5, line_dash="dot", line_color=NEUTRAL)
    fig.update_layout(barmode="group", showlegend=len(chart.series) > 1, legend=dict(font=dict(size=text_size)))
    if height is None and chart.kind == "bar":
        height = max(420, (40 if large else 32) * len(chart.categories) + 100)
    return style(fig, lang, large, height=height)
