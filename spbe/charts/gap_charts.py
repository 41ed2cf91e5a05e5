"""Figures for the gap analysis, the what-if simulator and OPD ownership: pure functions from data frames
to Plotly figures, styled by spbe.charts.style. Labels arrive already translated (the pages pass them)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from spbe.charts import (
    FOCUS_COLOUR,
    HEAT_SCALE,
    NEUTRAL,
    PREDIKAT_COLOURS,
    SELF_COLOUR,
    TARGET_COLOUR,
    figure,
    font_size,
    heat_text_colour,
    style,
    style_layout,
)
from spbe.core.frameworks import Framework
from spbe.core.gaps import short_indicator_name
from spbe.core.pemdi import as_level, level_name_of
from spbe.i18n import fmt_delta, fmt_num
from spbe.safe_text import html_escape

BENCH_COLOURS = {
    "focus": FOCUS_COLOUR,
    "pembanding": "#A6A6A6",
    "kategori_provinsi": "#C8C8C8",
    "provinsi": "#7A7A7A",
    "nasional": "#595959",
    "pemimpin": "#0072B2",
}
# The four grey references differ by lightness AND by a fill pattern, so they stay apart in light and dark
# and in a greyscale print; the focus and the leader keep their colours.
BENCH_PATTERNS = {"pembanding": "", "kategori_provinsi": "/", "provinsi": ".", "nasional": "x"}
# Only these carry a value label over their bars: they are never side by side, so labels cannot collide
# (the greys' values are in the hover and in the table under the chart).
BENCH_LABELLED = ("focus", "pemimpin")
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
                line=dict(color=colour, width=1.5, dash="dot"),
                annotation_text=band.name(lang),
                annotation_font_color=colour,
                annotation_bgcolor="rgba(255,255,255,0.85)",  # readable over a bar of the band's own colour
            )
            if horizontal:
                fig.add_hline(y=band.lower, annotation_position="top left", **kwargs)
            else:
                fig.add_vline(x=band.lower, annotation_position="top", **kwargs)


def benchmark_figure(
    bench: pd.DataFrame, labels: dict[str, str], x_labels: dict[str, str], lang: str, large: bool = False
) -> go.Figure:
    """Grouped bars per domain (and the index): the focus against each benchmark; the target as a marker."""
    traces = []  # built once, by figure()
    order = list(dict.fromkeys(bench["domain_code"]))
    for name in ("focus", "pembanding", "kategori_provinsi", "provinsi", "nasional", "pemimpin"):
        part = bench[bench["benchmark"] == name].set_index("domain_code").reindex(order)
        if part["value"].isna().all():
            continue
        traces.append(
            dict(
                type="bar",
                x=[x_labels.get(c, c) for c in order],
                y=part["value"],
                name=labels[name],
                marker=dict(
                    color=BENCH_COLOURS[name],
                    pattern=dict(shape=BENCH_PATTERNS.get(name, ""), fgcolor="#FFFFFF", fgopacity=0.55, size=6),
                ),
                text=[fmt_num(v, lang) for v in part["value"]] if name in BENCH_LABELLED else None,
                textposition="outside",
                hovertemplate="%{x}: %{y:.2f}<extra>" + labels[name] + "</extra>",
            )
        )
    target = bench[bench["benchmark"] == "target"]
    if len(target):
        traces.append(
            dict(
                type="scatter",
                x=[x_labels.get("index", "index")],
                y=target["value"],
                mode="markers+text",
                name=labels["target"],
                marker=dict(symbol="line-ew-open", size=60 if large else 44, line=dict(width=4, color=TARGET_COLOUR)),
                text=[fmt_num(v, lang) for v in target["value"]],
                textposition="middle right",
            )
        )
    return figure(traces, dict(barmode="group", yaxis=dict(range=[0, 5.4], dtick=1, title=None), **style_layout(lang, large)))


def _steps_figure(
    xs: list[str], start: float, deltas: list[float], end: float, start_colour: str, end_colour: str, lang: str, digits: int = 3
) -> go.Figure:
    """A waterfall drawn with plain bars, so the first and last bars can carry their own colours. The first and
    last bars are indices, printed as the page's text prints an index (2,01, never the unrounded 2,007, which is
    technical detail); the steps between keep `digits` decimals (a level step can be worth 0,025)."""
    bases, heights, colours, texts = [0.0], [start], [start_colour], [fmt_num(start, lang)]
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
    texts.append(fmt_num(end, lang))
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
    """Per domain (or weight group): the most index points its headroom could add, labelled with one step's
    worth (a mixed-weight domain: simulate.joint_headroom, the most one split of its levels allows)."""
    data = steps.dropna(subset=["headroom_points_max"])
    ys = [f"{d} · {g}" if d != g else d for d, g in zip(data["domain_code"], data["group"], strict=True)]
    worths = data["step_worths"] if "step_worths" in data else [(w,) for w in data["step_worth"]]
    text = [
        labels["bar_text"].format(points=fmt_num(p, lang, 3), worth="/".join(fmt_num(x, lang, 4) for x in ws))
        for p, ws in zip(data["headroom_points_max"], worths, strict=True)
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
        line=dict(color=TARGET_COLOUR, width=2),  # the targets' colour, seen in light and dark (black vanished in dark)
        annotation_text=fmt_num(plan.target, lang),
        annotation_position="bottom right",
        annotation_bgcolor="rgba(255,255,255,0.85)",
        annotation_font_color="#000000",  # on its light box in both themes (dark mode's white text vanished on it)
    )
    _band_lines(fig, fw, lang, low, high)
    fig.update_yaxes(range=[low, high], title=None)
    # No tickangle: step labels come in short lines (<br>) and stand level wherever they fit (desk, projector); on a
    # phone nine of them cannot, and Plotly's automatic angle turns them rather than print them over each other.
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


# -- real indicator levels --------------------------------------------------------------------------------
DOMAIN_COLOURS = {"D1": "#0072B2", "D2": "#D55E00", "D3": "#009E73", "D4": "#CC79A7"}  # Okabe-Ito


def points_lost_figure(lost: pd.DataFrame, x_title: str, lang: str, large: bool = False, top: int = 15) -> go.Figure:
    """The indicators losing the most index points ((top level - level) x weight / 100), most first, coloured
    by domain; the label names the indicator shortly, the hover in full with its level."""
    data = lost.head(top)
    fig = go.Figure()
    for domain in dict.fromkeys(data["domain_code"]):
        part = data[data["domain_code"] == domain]
        fig.add_trace(
            go.Bar(
                x=part["points_lost"],
                y=part["label"],
                orientation="h",
                name=f"{domain} · {part['domain_name'].iloc[0]}",
                marker_color=DOMAIN_COLOURS.get(domain, NEUTRAL),
                text=[f"{fmt_num(p, lang, 3)} · L{lv}" for p, lv in zip(part["points_lost"], part["level"], strict=True)],
                textposition="auto",
                customdata=list(zip(part["indicator_name"], part["aspect_code"], part["level"], part["level_name"], strict=True)),
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} · level %{customdata[2]} (%{customdata[3]})"
                "<br>%{x:.4f}<extra></extra>",
            )
        )
    fig.update_yaxes(autorange="reversed", type="category", categoryorder="array", categoryarray=list(data["label"]))
    fig.update_xaxes(title=x_title, rangemode="tozero")
    fig.update_layout(barmode="overlay", bargap=0.25)
    per_row = 30 if large else 24
    return style(fig, lang, large, height=max(360, per_row * len(data) + 140))


def indicator_waterfall_figure(
    wf, fw: Framework, start_label: str, end_label: str, group_labels: dict[str, str], lang: str, large: bool = False
) -> go.Figure:
    """What changed between two years, one horizontal bar per changed indicator (index points, gains green,
    losses orange), from the first year's index (top) to the second's (bottom). The bars add up exactly from
    the unrounded start to the unrounded end; the labels are rounded (start and end to two decimals as the
    index is published, steps to three) and the hover gives four decimals."""
    ys, bases, widths, colours, texts, hovers = [start_label], [0.0], [wf.start], [NEUTRAL], [fmt_num(wf.start, lang)], []
    hovers.append(f"{start_label}: {fmt_num(wf.start, lang, 4)}")
    running = wf.start
    for b in wf.bars:
        if b.grouped:
            label = group_labels[b.key].format(n=len(b.indicator_codes))
            hover = f"{label}<br>{', '.join(b.indicator_codes)}<br>{fmt_delta(b.points, lang, 4)}"
        else:
            ind = fw.item("indicator", b.key)
            label = short_indicator_name(fw, b.key, lang)
            hover = (
                f"<b>{ind.name(lang)}</b><br>{b.domain_code} · {b.aspect_code} · "
                f"{b.level_before} → {b.level_after}<br>{fmt_delta(b.points, lang, 4)}"
            )
        ys.append(label)
        bases.append(running if b.points >= 0 else running + b.points)
        widths.append(abs(b.points))
        colours.append(GAIN_COLOUR if b.points >= 0 else LOSS_COLOUR)
        texts.append(fmt_delta(b.points, lang, 3))
        hovers.append(hover)
        running += b.points
    ys.append(end_label)
    bases.append(0.0)
    widths.append(wf.end)
    colours.append(FOCUS_COLOUR)
    texts.append(fmt_num(wf.end, lang))
    hovers.append(f"{end_label}: {fmt_num(wf.end, lang, 4)}")
    fig = go.Figure(
        go.Bar(
            x=widths,
            y=ys,
            base=bases,
            orientation="h",
            marker_color=colours,
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertext=hovers,
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    # connectors: a thin line from each bar's end to the next bar
    levels, running = [wf.start], wf.start
    for b in wf.bars:
        running += b.points
        levels.append(running)
    for k, x in enumerate(levels):
        fig.add_shape(
            type="line", x0=x, x1=x, y0=k, y1=k + 1, xref="x", yref="y", line=dict(color="#999999", width=1, dash="dot")
        )
    low = min([wf.start, wf.end, *levels])
    high = max([wf.start, wf.end, *levels])
    pad = max((high - low) * 0.25, 0.05)
    fig.update_xaxes(range=[low - pad, high + pad], title=None)
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_layout(showlegend=False, margin=dict(r=60))
    per_row = 34 if large else 27
    fig = style(fig, lang, large, height=max(380, per_row * len(ys) + 80))
    fig.update_layout(margin=dict(r=70))
    return fig


def peer_level_heatmap_figure(
    matrix: pd.DataFrame,
    fw: Framework,
    names: dict[str, str],
    focus_id: str,
    colorbar_title: str,
    lang: str,
    large: bool = False,
) -> go.Figure:
    """47 indicators (rows, short labels 'Arsitektur SPBE…', the full name in hover) x the focus and its peers
    (columns, the focus first, framed and in bold), coloured by level 1-5 with the level in each cell; thin
    lines between domains."""

    def short(name: str) -> str:
        """'Kabupaten Tangerang' -> 'Kab.<br>Tangerang': the kind on its own line, the rest wrapped at 10."""
        name = html_escape(name.replace("Kabupaten ", "Kab. ").replace("Provinsi ", "Prov. "))
        words, lines = name.split(), []
        for k, w in enumerate(words):
            if k > 1 and len(lines[-1]) + 1 + len(w) <= 10:
                lines[-1] += " " + w
            else:
                lines.append(w)
        return "<br>".join(lines)

    def level_text(v) -> str:
        """A whole level as '3'; an 8/2026 decimal value as written in the language ('1,50')."""
        v = as_level(v)
        return str(v) if isinstance(v, int) else fmt_num(v, lang)

    cols = list(matrix.columns)
    x = [f"<b>{short(names.get(c, c))}</b>" if c == focus_id else short(names.get(c, c)) for c in cols]
    width = 26 if large else 30
    y = [short_indicator_name(fw, code, lang, width=width) for code in matrix.index]
    z = matrix.to_numpy(dtype=float)
    hover, text = [], []
    for code, row in zip(matrix.index, z, strict=True):
        ind = fw.item("indicator", code)
        hover.append(
            [
                f"<b>{code} {ind.name(lang)}</b><br>{html_escape(names.get(c, c))}: "
                + (f"{level_text(v)} ({level_name_of(fw, ind, v, lang)})" if pd.notna(v) else "–")
                for c, v in zip(cols, row, strict=True)
            ]
        )
        text.append(["–" if pd.isna(v) else level_text(v) for v in row])
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=y,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            colorscale=HEAT_SCALE,
            zmin=fw.level_min,
            zmax=fw.level_max,
            xgap=1,
            ygap=1,
            colorbar=dict(title=dict(text=colorbar_title), dtick=1, thickness=12, len=0.4, y=1, yanchor="top"),
        )
    )
    cells = [
        (xi, yi, txt, v) for yi, trow, zrow in zip(y, text, z, strict=True) for xi, txt, v in zip(x, trow, zrow, strict=True)
    ]
    size = font_size(large)
    # whole levels only: one colour per level, worked out once (sampling the colour scale is slow per cell)
    text_colours = {float(v): heat_text_colour(v) for v in range(fw.level_min, fw.level_max + 1)} | {None: heat_text_colour(None)}
    fig.add_trace(
        go.Scatter(
            x=[c[0] for c in cells],
            y=[c[1] for c in cells],
            mode="text",
            text=[c[2] for c in cells],
            textfont=dict(
                size=size - 3,
                color=[text_colours[None] if pd.isna(c[3]) else text_colours.get(c[3]) or heat_text_colour(c[3]) for c in cells],
            ),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    if focus_id in cols:
        k = cols.index(focus_id)
        fig.add_shape(
            type="rect",
            x0=k - 0.5,
            x1=k + 0.5,
            y0=-0.5,
            y1=len(y) - 0.5,
            xref="x",
            yref="y",
            line=dict(color=FOCUS_COLOUR, width=3),
            fillcolor="rgba(0,0,0,0)",
        )
    domain_of = [fw.item("aspect", fw.item("indicator", c).parent_code).parent_code for c in matrix.index]
    for k in range(1, len(domain_of)):
        if domain_of[k] != domain_of[k - 1]:
            fig.add_shape(
                type="line",
                x0=-0.5,
                x1=len(cols) - 0.5,
                y0=k - 0.5,
                y1=k - 0.5,
                xref="x",
                yref="y",
                line=dict(color="#FFFFFF", width=4),
            )
    fig.update_yaxes(autorange="reversed", title=None, tickfont=dict(size=size - 3))
    fig.update_xaxes(side="top", title=None, tickfont=dict(size=size - 3), tickangle=0)
    per_row = 24 if large else 17
    fig = style(fig, lang, large, height=150 + per_row * len(y))
    fig.update_layout(margin=dict(l=10, r=10, t=70, b=10))
    return fig
