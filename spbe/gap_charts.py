"""Figures for the gap analysis, the what-if simulator and OPD ownership: pure functions from data frames
to Plotly figures, styled by spbe.charts.style. Labels arrive already translated (the pages pass them)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from spbe.charts import FOCUS_COLOUR, NEUTRAL, PREDIKAT_COLOURS, SELF_COLOUR, style
from spbe.frameworks import Framework
from spbe.i18n import fmt_delta, fmt_num

BENCH_COLOURS = {
    "focus": FOCUS_COLOUR,
    "pembanding": "#999999",
    "kategori_provinsi": "#B3B3B3",
    "provinsi": "#6F6F6F",
    "nasional": "#4D4D4D",
    "pemimpin": "#0072B2",
}
GAIN_COLOUR = "#009E73"
LOSS_COLOUR = "#D55E00"


def mark_illustrative(fig: go.Figure, text: str, large: bool = False) -> go.Figure:
    """Stamp an illustration on the chart itself, so a screenshot or PNG export cannot lose the label."""
    fig.add_annotation(
        text=f"<b>{text}</b>",
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        textangle=-18,
        font=dict(size=44 if large else 34, color="rgba(213,94,0,0.28)"),
    )
    fig.add_annotation(
        text=f"<b>{text}</b>",
        xref="paper",
        yref="paper",
        x=0,
        y=1.0,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font=dict(size=18 if large else 13, color="#D55E00"),
        bgcolor="rgba(255,255,255,0.85)",
    )
    fig.update_layout(margin=dict(t=90))
    return fig


def _band_lines(fig: go.Figure, fw: Framework, lang: str, low: float, high: float, horizontal: bool = True) -> None:
    """Thin lines at the framework's band edges within [low, high], each in its band's colour."""
    for band in fw.bands:
        if low <= band.lower <= high and band.lower > fw.level_min:
            colour = PREDIKAT_COLOURS.get(band.predikat, NEUTRAL)
            kwargs = dict(
                line=dict(color=colour, width=1.5, dash="dot"), annotation_text=band.name(lang), annotation_font_color=colour
            )
            if horizontal:
                fig.add_hline(y=band.lower, annotation_position="top left", **kwargs)
            else:
                fig.add_vline(x=band.lower, annotation_position="top", **kwargs)


def benchmark_figure(
    bench: pd.DataFrame, labels: dict[str, str], x_labels: dict[str, str], lang: str, large: bool = False
) -> go.Figure:
    """Grouped bars per domain (and the index): the focus against each benchmark; the target as a marker."""
    fig = go.Figure()
    order = list(dict.fromkeys(bench["domain_code"]))
    for name in ("focus", "pembanding", "kategori_provinsi", "provinsi", "nasional", "pemimpin"):
        part = bench[bench["benchmark"] == name].set_index("domain_code").reindex(order)
        if part["value"].isna().all():
            continue
        fig.add_trace(
            go.Bar(
                x=[x_labels.get(c, c) for c in order],
                y=part["value"],
                name=labels[name],
                marker_color=BENCH_COLOURS[name],
                text=[fmt_num(v, lang) for v in part["value"]],
                textposition="outside",
                hovertemplate="%{x}: %{y:.2f}<extra>" + labels[name] + "</extra>",
            )
        )
    target = bench[bench["benchmark"] == "target"]
    if len(target):
        fig.add_trace(
            go.Scatter(
                x=[x_labels.get("index", "index")],
                y=target["value"],
                mode="markers+text",
                name=labels["target"],
                marker=dict(symbol="line-ew-open", size=60 if large else 44, line=dict(width=4, color="#000000")),
                text=[fmt_num(v, lang) for v in target["value"]],
                textposition="middle right",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, 5.4], dtick=1, title=None)
    return style(fig, lang, large)


def _steps_figure(
    xs: list[str], start: float, deltas: list[float], end: float, start_colour: str, end_colour: str, lang: str, digits: int = 3
) -> go.Figure:
    """A waterfall drawn with plain bars, so the first and last bars can carry their own colours."""
    bases, heights, colours, texts = [0.0], [start], [start_colour], [fmt_num(start, lang, digits)]
    running = start
    for d in deltas:
        bases.append(running if d >= 0 else running + d)
        heights.append(abs(d))
        colours.append(GAIN_COLOUR if d >= 0 else LOSS_COLOUR)
        texts.append(fmt_delta(d, lang, digits))
        running += d
    bases.append(0.0)
    heights.append(end)
    colours.append(end_colour)
    texts.append(fmt_num(end, lang, digits))
    fig = go.Figure(
        go.Bar(
            x=xs,
            y=heights,
            base=bases,
            marker_color=colours,
            text=texts,
            textposition="outside",
            hovertemplate="%{x}: %{text}<extra></extra>",
            cliponaxis=False,
        )
    )
    fig.update_layout(showlegend=False)
    return fig


def waterfall_figure(
    contrib: pd.DataFrame,
    ref_label: str,
    focus_label: str,
    ref_index: float,
    focus_index: float,
    x_labels: dict[str, str],
    lang: str,
    large: bool = False,
) -> go.Figure:
    """From the reference's index, each domain's contribution (weight x gap / 100), to the focus's index."""
    xs = [ref_label, *[x_labels.get(c, c) for c in contrib["domain_code"]], focus_label]
    fig = _steps_figure(xs, ref_index, contrib["contribution"].tolist(), focus_index, NEUTRAL, FOCUS_COLOUR, lang)
    low = min(ref_index, focus_index, ref_index + contrib["contribution"].clip(upper=0).sum()) - 0.3
    high = max(ref_index, focus_index, ref_index + contrib["contribution"].clip(lower=0).sum()) + 0.3
    fig.update_yaxes(range=[max(0, low), high], title=None)
    return style(fig, lang, large)


def heatmap_figure(matrix: pd.DataFrame, fw: Framework, lang: str, large: bool = False) -> go.Figure:
    """Indicator x year, coloured by level, each cell naming its level (the framework's level names)."""
    wide = matrix.pivot_table(index="indicator_code", columns="year", values="level", aggfunc="first")
    names = matrix.pivot_table(index="indicator_code", columns="year", values="level_name", aggfunc="first")
    order = sorted(wide.index, key=lambda c: int(c) if str(c).isdigit() else 0)
    wide, names = wide.reindex(order), names.reindex(order)
    label = matrix.drop_duplicates("indicator_code").set_index("indicator_code")["indicator_name"]
    y = [f"{c} · {str(label.get(c, ''))[:48]}" for c in order]
    fig = go.Figure(
        go.Heatmap(
            z=wide.values,
            x=[str(c) for c in wide.columns],
            y=y,
            text=names.values,
            texttemplate="%{z} %{text}",
            zmin=fw.level_min,
            zmax=fw.level_max,
            colorscale="Blues",
            colorbar=dict(title="", dtick=1),
            hovertemplate="%{y}<br>%{x}: %{z} (%{text})<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    return style(fig, lang, large, height=max(420, 22 * len(order) + 120))


def aspect_bars_figure(aspects: pd.DataFrame, lang: str, large: bool = False) -> go.Figure:
    """Aspect indices from the levels, weakest first (top), on the 1-5 scale."""
    data = aspects.dropna(subset=["value"])
    fig = go.Figure(
        go.Bar(
            x=data["value"],
            y=[f"{a} · {n}" for a, n in zip(data["aspect_code"], data["name"], strict=True)],
            orientation="h",
            marker_color=FOCUS_COLOUR,
            text=[fmt_num(v, lang) for v in data["value"]],
            textposition="outside",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 5.4], dtick=1)
    return style(fig, lang, large)


def dumbbell_figure(
    pairs: pd.DataFrame,
    label_col: str,
    official_label: str,
    self_label: str,
    lang: str,
    large: bool = False,
    x_range: tuple[float, float] = (1, 5),
) -> go.Figure:
    """One line per item from the official value to the self-assessed one."""
    fig = go.Figure()
    ys = pairs[label_col].astype(str).tolist()
    for y, o, s in zip(ys, pairs["official"], pairs["self_assessment"], strict=True):
        fig.add_trace(
            go.Scatter(x=[o, s], y=[y, y], mode="lines", line=dict(color=NEUTRAL, width=3), showlegend=False, hoverinfo="skip")
        )
    fig.add_trace(
        go.Scatter(
            x=pairs["official"],
            y=ys,
            mode="markers+text",
            name=official_label,
            marker=dict(color=FOCUS_COLOUR, size=16 if large else 12),
            text=[fmt_num(v, lang) for v in pairs["official"]],
            textposition="bottom center",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=pairs["self_assessment"],
            y=ys,
            mode="markers+text",
            name=self_label,
            marker=dict(color=SELF_COLOUR, size=16 if large else 12, symbol="diamond"),
            text=[fmt_num(v, lang) for v in pairs["self_assessment"]],
            textposition="top center",
        )
    )
    fig.update_xaxes(range=[x_range[0] - 0.2, x_range[1] + 0.2])
    fig.update_yaxes(autorange="reversed", type="category")
    return style(fig, lang, large, height=max(320, 46 * len(ys) + 140))


def headroom_figure(steps: pd.DataFrame, labels: dict[str, str], lang: str, large: bool = False) -> go.Figure:
    """Per weight group: the most index points its headroom could add, labelled with one step's worth."""
    data = steps.dropna(subset=["headroom_points_max"])
    ys = [f"{d} · {g}" if d != g else d for d, g in zip(data["domain_code"], data["group"], strict=True)]
    text = [
        labels["bar_text"].format(points=fmt_num(p, lang, 3), worth=fmt_num(w, lang, 4))
        for p, w in zip(data["headroom_points_max"], data["step_worth"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(x=data["headroom_points_max"], y=ys, orientation="h", marker_color="#56B4E9", text=text, textposition="auto")
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title=labels["x"])
    return style(fig, lang, large)


def plan_figure(
    plan, fw: Framework, step_labels: list[str], start_label: str, end_label: str, lang: str, large: bool = False
) -> go.Figure:
    """The plan as a waterfall: start index, each group's gain, the resulting index, coloured by predikat;
    the framework's band edges and the target as lines."""
    start_band = fw.band_for(plan.start_index)
    colour = {True: FOCUS_COLOUR}
    start_colour = PREDIKAT_COLOURS.get(start_band.predikat, colour[True]) if start_band else colour[True]
    end_colour = PREDIKAT_COLOURS.get(plan.end_band.predikat, colour[True]) if plan.end_band else colour[True]
    fig = _steps_figure(
        [start_label, *step_labels, end_label],
        plan.start_index,
        [s.gain for s in plan.steps],
        plan.end_index,
        start_colour,
        end_colour,
        lang,
    )
    low = max(0.0, plan.start_index - 0.3)
    high = min(fw.level_max + 0.3, max(plan.end_index, plan.target) + 0.3)
    fig.add_hline(
        y=plan.target,
        line=dict(color="#000000", width=2),
        annotation_text=fmt_num(plan.target, lang),
        annotation_position="bottom right",
    )
    _band_lines(fig, fw, lang, low, high)
    fig.update_yaxes(range=[low, high], title=None)
    return style(fig, lang, large)


def whatif_figure(
    table: pd.DataFrame,
    before_label: str,
    after_label: str,
    lang: str,
    large: bool = False,
    x_labels: dict[str, str] | None = None,
) -> go.Figure:
    """Domains and the index before and after the changed levels (recomputed by the scoring engine)."""
    data = table[table["level"].isin(["domain", "index"])]
    xs = [(x_labels or {}).get(c, c) for c in data["code"]]
    fig = go.Figure(
        [
            go.Bar(
                x=xs,
                y=data["before"],
                name=before_label,
                marker_color=NEUTRAL,
                text=[fmt_num(v, lang) for v in data["before"]],
                textposition="outside",
            ),
            go.Bar(
                x=xs,
                y=data["after"],
                name=after_label,
                marker_color=FOCUS_COLOUR,
                text=[fmt_num(v, lang) for v in data["after"]],
                textposition="outside",
            ),
        ]
    )
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, 5.4], dtick=1)
    return style(fig, lang, large)


def opd_figure(summary: pd.DataFrame, value_col: str, x_title: str, lang: str, large: bool = False) -> go.Figure:
    """Per OPD: index points (what one step on each indicator adds up to, or the points at stake)."""
    data = summary.dropna(subset=[value_col]).sort_values(value_col, ascending=False)
    fig = go.Figure(
        go.Bar(
            x=data[value_col],
            y=data["opd"],
            orientation="h",
            marker_color=FOCUS_COLOUR,
            text=[f"{fmt_num(v, lang, 3)} · {n}" for v, n in zip(data[value_col], data["n_indicators"], strict=True)],
            textposition="auto",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(title=x_title)
    return style(fig, lang, large, height=max(360, 34 * len(data) + 120))
