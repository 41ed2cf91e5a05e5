"""Plotly figure builders: pure functions from data frames to figures, styled once for screen and projector.

Names other modules import and must stay stable: style, PREDIKAT_COLOURS, FOCUS_COLOUR, NEUTRAL,
SELF_COLOUR, sparkline_figure, trend_figure.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from spbe.core import UNVERIFIED, pemdi
from spbe.core import history as tr
from spbe.core.frameworks import frameworks, predikat_label  # noqa: F401 (charts.predikat_label: the one way to write it)
from spbe.i18n import fmt_num, plotly_separators, t
from spbe.safe_text import html_escape

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
NATIONAL_COLOUR = "#8C8C8C"  # a mid grey: a dashed line that reads on white and on the dark theme
RULE_COLOUR = "#8C8C8C"  # framework breaks and reference marks, legible in light and dark
TARGET_COLOUR = "#9467BD"  # purple readable on white and on the dark theme
MISSING_FILL = "#E8E8E8"
# The house template is Plotly's default, set once: Plotly gives it to every new figure without re-validating it,
# where `template=` in update_layout validated the whole template again for every figure (~25 ms a figure).
pio.templates.default = "plotly_white"
FONT = "Source Sans Pro, Arial, sans-serif"
# Peer lines: Plotly's colour-blind-safe qualitative set (Carto "Safe"), without the focus's magenta.
PEER_COLOURS = ["#88CCEE", "#117733", "#332288", "#DDCC77", "#999933", "#44AA99", "#882255", "#661100", "#6699CC", "#888888"]
BAND_OPACITY = 0.14
# More peers than this are drawn as one grey bundle: a legend of 90 names helps nobody.
MAX_PEER_LINES = 10
# Of the named peers, this many (the best in the latest year first) keep a colour; the others are grey.
HIGHLIGHTED_PEERS = 1
GREYED_PEER = "#B5B5B5"


def style_layout(lang: str, large: bool = False, title: str | None = None, height: int | None = None) -> dict:
    """The house style as layout properties, for a figure built in one go (see figure())."""
    size = 20 if large else 14
    return dict(
        separators=plotly_separators(lang),
        font=dict(family=FONT, size=size),
        title=dict(text=title, font=dict(size=size + 6)) if title else None,
        margin=dict(l=10, r=10, t=60 if title else 20, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        hoverlabel=dict(font_size=size),
        height=height or (560 if large else 420),
    )


def style(fig: go.Figure, lang: str, large: bool = False, title: str | None = None, height: int | None = None) -> go.Figure:
    """House style: language-aware number separators, readable type, no chart junk."""
    fig.update_layout(**style_layout(lang, large, title, height))
    return fig


def merged(base: dict, *updates: dict) -> dict:
    """base updated by each of updates as fig.update_layout would: nested dicts merged, other values replaced."""
    out = dict(base)
    for update in updates:
        for key, value in update.items():
            out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def figure(traces: list, layout: dict) -> go.Figure:
    """A figure from its traces and its whole layout in one validation pass: every add_trace, add_shape or
    update_layout re-validates what it touches (a trend chart built step by step cost ~70 ms, ~12 ms so)."""
    fig = go.Figure(data=traces, layout=layout)
    # A property given as None (title=None) is set empty, as update_layout sets it: the chart's JSON stays the same.
    unset = {key: None for key, value in layout.items() if value is None}
    for key, value in layout.items():
        if isinstance(value, dict):
            unset.update({f"{key}_{sub}": None for sub, v in value.items() if v is None})
    if unset:
        fig.update_layout(**unset)
    return fig


# -- margins that already fit: Plotly draws a chart twice when its axes' labels push the margins ------------------
# With automargin (the template's default) Plotly draws, measures the tick labels and titles, and when they need
# more room than the margins give it draws the whole chart again. Margins start at 10 px here, so every chart was
# drawn twice, and Streamlit draws each chart twice more on mount: ~45 of Tren's ~75 ms per draw in Chromium.
# Margins estimated from the labels, a little generously, skip the second draw; automargin stays on, so a label
# that needs more still gets it (one more draw, never a clipped label). Only the axes' pushes cost a second draw:
# the legend, titles and colour bars are measured before the axes, in the same pass.
_LINE = 1.35  # a line of text, as a multiple of the font size
# A set margin is kept even where the chart is narrow (a phone), where automargin would shrink it to leave the plot
# room: longer labels than this keep their second draw, so a phone still sees the bars.
_MAX_FITTED_LEFT = 200


def _text_width(text: str, size: float) -> float:
    """Width of text in px, from the glyph classes of Source Sans Pro / Arial, rounded up a little."""
    em = sum(0.3 if c in " .,:;'|!iIl()[]" else 0.62 if c.isupper() or c.isdigit() or c in "mwMW%" else 0.5 for c in text)
    return em * size * 0.93  # measured: within ~5 % of Chromium's widths for the labels drawn here


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _tick_width(axis, traces, letter: str, size: float) -> float:
    """The widest tick label of a vertical (y) axis, px: its tick texts, its categories, or a round number as wide
    as its largest value."""
    if axis.ticktext:
        labels = [str(v) for v in axis.ticktext if v is not None]
    else:
        values = [v for tr_ in traces for v in _values(tr_, letter)]
        numeric = bool(values) and all(_is_number(v) for v in values)
        labels = [f"{max(abs(v) for v in values):.2f}"] if numeric else [str(v) for v in values] or ["0,00"]
    return max(_text_width(x, size) for x in labels) + 8


def _values(trace, letter: str) -> list:
    got = getattr(trace, letter, None)
    return [] if got is None else [v for v in got if v is not None]


def fit_margins(fig: go.Figure) -> go.Figure:
    """fig with left and bottom margins raised to what its axes' labels are expected to take (see above).
    Only single-axis figures; a figure with subplots or without visible axes is returned as it is."""
    layout = fig.layout
    if any(key.startswith(("xaxis2", "yaxis2")) for key in layout.to_plotly_json()):
        return fig
    size = float(layout.font.size or 14)
    x_axis, y_axis = layout.xaxis, layout.yaxis
    traces = [tr_ for tr_ in fig.data if tr_.type in ("scatter", "bar", "heatmap", "histogram")]
    if not traces or len(traces) != len(fig.data):
        return fig
    margin = layout.margin
    wanted = {}
    if y_axis.visible is not False and y_axis.showticklabels is not False:
        left = _tick_width(y_axis, traces, "y", size) + 6
        if y_axis.title.text:
            left += size * _LINE + 14
        wanted["l"] = max(margin.l if margin.l is not None else 80, round(min(left, _MAX_FITTED_LEFT)))
    if x_axis.visible is not False and x_axis.showticklabels is not False:
        bottom = size * _LINE + 16
        if x_axis.title.text:
            bottom += size * _LINE + 14
        wanted["b"] = max(margin.b if margin.b is not None else 80, round(bottom))
    if any(getattr(margin, side) != value for side, value in wanted.items()):  # once: a cached figure keeps it
        fig.update_layout(margin=wanted)
    return fig


def font_size(large: bool) -> int:
    return 20 if large else 14


def _derived(row, lang: str) -> str:
    """' (predikat derived from the bands)' after a derived predikat (2021-2022), never 'as published'."""
    return f" ({t('core.predikat_derived', lang)})" if getattr(row, "predikat_basis", None) == "derived" else ""


def text_colour_on(fill: str) -> str:
    """Black or white text, whichever reads better on the fill (relative luminance)."""
    r, g, b = (int(fill.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return "#000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5 else "#FFFFFF"


def unverified_legend(lang: str, size: int) -> go.Scatter:
    """The legend entry of an unverified value (an open grey circle), the same on every trend chart."""
    marker = dict(symbol="circle-open", size=size, color=RULE_COLOUR, line=dict(width=2))
    return go.Scatter(x=[None], y=[None], mode="markers", name=t("trend.unverified_legend", lang), marker=marker)


# -- trend ------------------------------------------------------------------------------------------
def _axis_refs(fig: go.Figure, row: int | None, col: int | None) -> tuple[str, str]:
    """The xref/yref names ('x2', 'y2') of a subplot, or of the main axes."""
    if row is None:
        return "x", "y"
    sub = fig.get_subplot(row, col)
    return sub.xaxis.plotly_name.replace("axis", ""), sub.yaxis.plotly_name.replace("axis", "")


def framework_background_items(
    fig: go.Figure,
    segments: list[tr.Segment],
    lang: str,
    large: bool,
    y_range: tuple[float, float] = (1, 5),
    row: int | None = None,
    col: int | None = None,
    bands: bool = True,
    labels: bool = True,
) -> tuple[list[dict], list[dict]]:
    """Predikat bands of each segment's own framework as background, and a marked break between frameworks.

    Returned as shape and annotation dicts for the caller to assign in one layout update: Plotly re-validates
    the whole list on every add_shape or update, which made facetted trend figures cost seconds.
    """
    small = font_size(large) - 3
    xref, yref = _axis_refs(fig, row, col)
    shapes, notes = [], []
    for i, seg in enumerate(segments):
        x0, x1 = seg.first - 0.5, seg.last + 0.5
        if bands:
            for band in seg.bands:
                shapes.append(
                    dict(
                        type="rect",
                        xref=xref,
                        yref=yref,
                        x0=x0,
                        x1=x1,
                        y0=max(band.lower, y_range[0]),
                        y1=min(band.upper, y_range[1]),
                        fillcolor=PREDIKAT_COLOURS.get(band.predikat, NEUTRAL),
                        opacity=BAND_OPACITY,
                        line_width=0,
                        layer="below",
                    )
                )
            # Label the bands where they first appear and wherever they differ from the previous framework's.
            prev = segments[i - 1].bands if i else None
            if labels and [(b.lower, b.upper) for b in seg.bands] != ([(b.lower, b.upper) for b in prev] if prev else None):
                for band in seg.bands:
                    notes.append(
                        dict(
                            xref=xref,
                            yref=yref,
                            x=x0 + 0.02,
                            y=(max(band.lower, y_range[0]) + min(band.upper, y_range[1])) / 2,
                            text=predikat_label(band.predikat, lang),
                            showarrow=False,
                            xanchor="left",
                            font=dict(size=small),  # the theme's text colour (light and dark)
                        )
                    )
        # Indeks SPBE -> Indeks Pemdi is a change of measure, not only of framework (spbe.core.pemdi): a solid, labelled break
        new_measure = bool(i) and not pemdi.same_measure(segments[i - 1].framework_id, seg.framework_id)
        if i:
            shapes.append(
                dict(
                    type="line",
                    xref=xref,
                    yref=f"{yref} domain",
                    x0=x0,
                    x1=x0,
                    y0=0,
                    y1=1,
                    line=dict(color=RULE_COLOUR, width=3) if new_measure else dict(color=RULE_COLOUR, width=2, dash="dot"),
                )
            )
        if new_measure and labels:
            notes.append(
                dict(
                    xref=xref,
                    x=x0,
                    y=0.0,
                    yref="paper" if row is None else f"{yref} domain",
                    text=t("pemdi.break_label", lang),
                    showarrow=False,
                    xanchor="right",
                    yanchor="bottom",
                    font=dict(size=small, color="#111111"),
                    bgcolor="rgba(255,255,255,0.85)",
                )
            )
        if labels:
            name = seg.regulation + ("" if seg.verified == "yes" else " *")
            if pemdi.measure_of(seg.framework_id) == "indeks_pemdi":
                name = f"<b>{pemdi.measure_label(seg.framework_id, lang)}</b><br>{name}"
            narrow_last = i == len(segments) - 1 and seg.last - seg.first < 2
            notes.append(
                dict(
                    xref="x",
                    x=x1 if narrow_last else (x0 + x1) / 2,
                    y=1.0,
                    yref="paper" if row is None else "y domain",
                    text=f"{name} ({seg.first}–{seg.last})" if seg.first != seg.last else f"{name} ({seg.first})",
                    showarrow=False,
                    yanchor="bottom",
                    xanchor="right" if narrow_last else "center",
                    font=dict(size=small),  # the theme's text colour (light and dark)
                )
            )
    return shapes, notes


def add_framework_background(fig: go.Figure, segments: list[tr.Segment], lang: str, large: bool, **options) -> None:
    """framework_background_items, assigned to the figure in one layout update."""
    shapes, notes = framework_background_items(fig, segments, lang, large, **options)
    fig.update_layout(shapes=[*fig.layout.shapes, *shapes], annotations=[*fig.layout.annotations, *notes])


def _hover(name: str, year, value, kind: str, source: str, lang: str, note: str | None = None) -> str:
    text = f"<b>{name}</b><br>{year}: {fmt_num(value, lang)}<br>{kind} · {t('common.source', lang)}: {source}"
    return text + (f"<br><i>{note}</i>" if note else "")


def _official_trace_data(rows: list[dict], years: list[int], name: str, lang: str) -> tuple[list, list, list, list]:
    """x, y, hover texts and marker symbols (open circle where the year is inferred) for one instansi's
    official rows (records with year, indeks, source_id, year_attributed)."""
    by_year = {int(r["year"]): r for r in rows}
    x, y = tr.gapped_from_map({yr: float(r["indeks"]) for yr, r in by_year.items() if pd.notna(r["indeks"])}, years)
    hover, symbols = [], []
    for xi in x:
        r = by_year.get(xi) if isinstance(xi, int) else None
        if r is None:
            hover.append("")
            symbols.append("circle")
            continue
        unverified = r.get("provenance") == UNVERIFIED
        notes = [t("common.year_attributed", lang)] if r["year_attributed"] else []
        if unverified:
            notes.append(t("trend.unverified_value", lang))
        if r.get("predikat_basis") == "derived" and r.get("predikat"):
            notes.append(f"{r['predikat']}: {t('core.predikat_derived', lang)}")
        hover.append(
            _hover(name, r["year"], r["indeks"], t("assessment.official", lang), r["source_id"], lang, "; ".join(notes) or None)
        )
        symbols.append("circle-open" if r["year_attributed"] or unverified else "circle")
    return x, y, hover, symbols


def _own_target_and_next_edge(targets, official, focus_id, name, years, lang, large) -> tuple[list, list, list]:
    """The focus's own targets as markers, and where its next predikat starts as a line over the latest
    framework's years ("Baik mulai 2,60"), so the room sees the distance without reading the bands.
    Returned as (traces, shapes, annotations) for the caller's one figure() call."""
    from spbe import core
    from spbe.core.frameworks import framework_for_year

    traces, shapes, notes = [], [], []
    own = targets[(targets["scope"] == "instansi") & (targets["instansi_id"] == focus_id)]
    if len(own):
        hover = [
            _hover(t("trend.own_target", lang, name=name), r.year, r.target_indeks, r.kind, r.source_id, lang)
            for r in own.itertuples()
        ]
        traces.append(
            dict(  # validated once, by figure()
                type="scatter",
                x=own["year"],
                y=own["target_indeks"],
                mode="markers",
                name=t("trend.own_target", lang, name=name),
                marker=dict(symbol="star-open", size=18 if large else 14, color=FOCUS_COLOUR, line=dict(width=2)),
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    mine = official[official["instansi_id"] == focus_id].dropna(subset=["indeks"]).sort_values("year")
    if mine.empty:
        return traces, shapes, notes
    last = mine.iloc[-1]
    fw = framework_for_year(int(last["year"]))
    predikat = last["predikat"] if isinstance(last.get("predikat"), str) else None
    band = core.next_predikat(fw, predikat, last["indeks"])
    segment = next((seg for seg in tr.framework_segments(years) if seg.first <= int(last["year"]) <= seg.last), None)
    if band is None or segment is None:
        return traces, shapes, notes
    x0, x1 = segment.first - 0.5, segment.last + 0.5
    shapes.append(
        dict(type="line", x0=x0, x1=x1, y0=band.lower, y1=band.lower, line=dict(color=FOCUS_COLOUR, width=1.5, dash="dash"))
    )
    notes.append(
        dict(
            x=x1,
            y=band.lower,
            xanchor="right",
            yanchor="bottom",
            showarrow=False,
            text=t("trend.next_edge", lang, predikat=band.name(lang), edge=fmt_num(band.lower, lang)),
            font=dict(size=font_size(large) - 2, color=FOCUS_COLOUR),
        )
    )
    return traces, shapes, notes


def _label_positions(x: list, y: list, reference: dict[int, float]) -> list[str]:
    """Value labels on the side away from the national line, so a label never sits on its marker."""
    out = []
    for xi, yi in zip(x, y, strict=True):
        ref = reference.get(xi) if isinstance(xi, int) else None
        out.append("bottom center" if yi is not None and ref is not None and yi < ref else "top center")
    return out


def trend_figure(
    history: pd.DataFrame,
    national: pd.DataFrame,
    targets: pd.DataFrame,
    focus_id: str,
    lang: str,
    large: bool = False,
    title: str | None = None,
) -> go.Figure:
    """Index over all years: focus and peers (official lines, self-assessment markers), the national mean,
    national targets, predikat bands per framework as background, framework breaks; gaps stay gaps."""
    nat = national[national["domain_code"].isna()] if "domain_code" in national else national
    nat_targets = targets[targets["scope"] == "nasional"]
    years = tr.axis_years(list(history["year"]) + list(nat["year"]) + list(nat_targets["year"]))
    if not years:
        return style(go.Figure(), lang, large, title)
    # Traces, shapes and annotations are collected and the figure built once (figure()): far cheaper than step by step.
    traces: list = []
    shapes, notes = framework_background_items(None, tr.framework_segments(years), lang, large)
    width = 5 if large else 3.5
    marker = 13 if large else 9

    if not nat.empty:
        x, y = tr.gapped_xy(nat, years)
        hover = [
            _hover(t("trend.national_mean", lang), xi, yi, t("trend.kind_national", lang), "R24 Tabel 4", lang)
            if yi is not None
            else ""
            for xi, yi in zip(x, y, strict=True)
        ]
        traces.append(
            dict(  # validated once, by figure()
                type="scatter",
                x=x,
                y=y,
                mode="lines+markers",
                name=t("trend.national_mean", lang),
                line=dict(color=NATIONAL_COLOUR, width=2, dash="dash"),
                marker=dict(size=marker - 3),
                connectgaps=False,
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    if not nat_targets.empty:
        hover = [
            _hover(t("trend.national_target", lang), r.year, r.target_indeks, r.kind, r.source_id, lang)
            for r in nat_targets.itertuples()
        ]
        traces.append(
            dict(
                type="scatter",
                x=nat_targets["year"],
                y=nat_targets["target_indeks"],
                mode="markers",
                name=t("trend.national_target", lang),
                marker=dict(
                    symbol="line-ew",
                    size=34 if large else 26,
                    color=TARGET_COLOUR,
                    line=dict(width=4 if large else 3, color=TARGET_COLOUR),
                ),
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )

    official = history[history["assessment"] == "official"]
    others = history[history["assessment"] != "official"]
    by_instansi: dict[str, list[dict]] = {}  # plain records: per-instansi DataFrame slicing is slow for 400 peers
    extra = [c for c in ("provenance", "predikat_basis", "predikat") if c in official]
    for r in official[["instansi_id", "year", "indeks", "source_id", "year_attributed", *extra]].to_dict("records"):
        by_instansi.setdefault(r["instansi_id"], []).append(r)
    latest = official.sort_values("year").groupby("instansi_id").tail(1).set_index("instansi_id")["indeks"]
    names = history.drop_duplicates("instansi_id").set_index("instansi_id")["instansi_name"].to_dict()
    peer_ids = sorted((i for i in names if i != focus_id), key=lambda i: (-latest.get(i, 0), names[i]))
    bundle = len(peer_ids) > MAX_PEER_LINES
    colour = {pid: (NEUTRAL if bundle else PEER_COLOURS[n % len(PEER_COLOURS)]) for n, pid in enumerate(peer_ids)}
    colour[focus_id] = FOCUS_COLOUR

    if bundle:  # one trace, instansi separated by None so lines never join across instansi
        bx, by, bh = [], [], []
        for pid in peer_ids:
            x, y, hover, _ = _official_trace_data(by_instansi.get(pid, []), years, names[pid], lang)
            bx += [*x, None]
            by += [*y, None]
            bh += [*hover, ""]
        traces.append(
            dict(
                type="scatter",
                x=bx,
                y=by,
                mode="lines+markers",
                name=t("trend.peers_bundle", lang, n=len(peer_ids)),
                line=dict(color=NEUTRAL, width=1),
                marker=dict(size=4, color=NEUTRAL),
                opacity=0.45,
                connectgaps=False,
                hovertext=bh,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    nat_by_year = {int(yr): float(v) for yr, v in zip(nat["year"], nat["value"], strict=True)} if not nat.empty else {}
    # More than a few named peers: the leader keeps a colour and a direct label, the others are grey and
    # share one legend entry (a legend of a dozen names hides the chart on a projector).
    greyed = set(peer_ids[HIGHLIGHTED_PEERS:]) if not bundle and len(peer_ids) > HIGHLIGHTED_PEERS + 1 else set()
    for pid in greyed:
        colour[pid] = GREYED_PEER
    if greyed:
        traces.append(
            dict(
                type="scatter",
                x=[None],
                y=[None],
                mode="lines+markers",
                name=t("trend.other_peers", lang, n=len(greyed)),
                legendgroup="peers",
                line=dict(color=GREYED_PEER, width=2),
                marker=dict(size=marker - 3, color=GREYED_PEER),
            )
        )
    draw = ([] if bundle else peer_ids) + [focus_id]
    for iid in draw:
        rows = by_instansi.get(iid, [])
        if not rows:
            continue
        is_focus = iid == focus_id
        x, y, hover, symbols = _official_trace_data(rows, years, names[iid], lang)
        labelled = not is_focus and greyed and iid not in greyed
        last = max((i for i, v in enumerate(y) if v is not None), default=None)
        if is_focus:
            text = [fmt_num(v, lang) if v is not None else "" for v in y]
        elif labelled:
            text = [names[iid] if i == last else "" for i in range(len(y))]
        else:
            text = None
        traces.append(
            dict(
                type="scatter",
                x=x,
                y=y,
                mode="lines+markers+text" if text else "lines+markers",
                name=names[iid],
                legendgroup="peers" if iid in greyed else iid,
                showlegend=iid not in greyed,
                line=dict(color=colour[iid], width=width if is_focus else (1.5 if iid in greyed else 2.5)),
                marker=dict(
                    size=marker + (3 if is_focus else (-3 if iid in greyed else 0)),
                    color=colour[iid],
                    symbol=symbols,
                    line=dict(width=2, color=colour[iid]),
                ),
                text=text,
                textposition=_label_positions(x, y, nat_by_year) if is_focus else "top left",
                textfont=dict(color=FOCUS_COLOUR if is_focus else colour[iid], size=font_size(large) - (0 if is_focus else 2)),
                connectgaps=False,
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    if "provenance" in official and (official["provenance"] == UNVERIFIED).any():
        traces.append(unverified_legend(lang, marker + 2))
    focus_years = {int(r["year"]) for r in by_instansi.get(focus_id, [])}
    if focus_years:
        missing = [y for y in years if min(focus_years) < y < max(focus_years) and y not in focus_years]
        for y in missing:  # a year the focus was not evaluated: said on the chart, never drawn over
            notes.append(
                dict(
                    x=y,
                    y=1.2,
                    text=t("core.not_evaluated", lang),
                    showarrow=False,
                    font=dict(size=font_size(large) - 2, color=FOCUS_COLOUR),
                )
            )
    if official["year_attributed"].astype(bool).any():
        traces.append(
            dict(
                type="scatter",
                x=[None],
                y=[None],
                mode="markers",
                name=t("trend.inferred_year", lang),
                marker=dict(symbol="circle-open", size=marker + 2, color=RULE_COLOUR, line=dict(width=2)),
            )
        )
    for (iid, assessment), part in others.groupby(["instansi_id", "assessment"]):
        if bundle and iid != focus_id:
            continue
        hover = [
            _hover(names[iid], r.year, r.indeks, t(f"assessment.{assessment}", lang), r.source_id, lang)
            for r in part.itertuples()
        ]
        traces.append(
            dict(
                type="scatter",
                x=part["year"],
                y=part["indeks"],
                mode="markers+text" if iid == focus_id else "markers",
                name=f"{names[iid]}: {t(f'assessment.{assessment}', lang)}",
                legendgroup=iid,
                marker=dict(symbol="diamond-open", size=marker + 7, color=colour[iid], line=dict(width=3)),
                text=[fmt_num(v, lang) for v in part["indeks"]] if iid == focus_id else None,
                textposition="middle right",
                textfont=dict(color=colour[iid], size=font_size(large)),
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    own_traces, own_shapes, own_notes = _own_target_and_next_edge(
        targets, official, focus_id, names.get(focus_id, focus_id), years, lang, large
    )
    low = min([1.0, *official["indeks"].dropna().tolist()])
    layout = merged(
        style_layout(lang, large, title, height=640 if large else 520),
        dict(margin=dict(t=90 if not title else 120), legend=dict(y=1.08)),
    )
    return figure(
        [*traces, *own_traces],
        dict(
            shapes=[*shapes, *own_shapes],
            annotations=[*notes, *own_notes],
            yaxis=dict(range=[low, 5], title=pemdi.axis_title(years, lang), dtick=0.5, showgrid=False),
            xaxis=dict(range=[years[0] - 0.5, years[-1] + 0.5], dtick=1, title=None, showgrid=False),
            **layout,
        ),
    )


def trend_table(history: pd.DataFrame, national: pd.DataFrame, targets: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Exactly the values the trend chart draws, one row per point, with kind and source."""
    rows = [
        pd.DataFrame(
            {
                t("trend.col_series", lang): history["instansi_name"],
                t("trend.col_year", lang): history["year"],
                t("trend.col_kind", lang): [t(f"assessment.{a}", lang) for a in history["assessment"]],
                t("trend.col_value", lang): history["indeks"],
                t("common.predikat", lang): history["predikat"],
                t("trend.col_predikat_basis", lang): [
                    t("core.predikat_derived", lang) if b == "derived" else ""
                    for b in history.get("predikat_basis", [None] * len(history))
                ],
                t("trend.col_framework", lang): history["framework_id"],
                t("common.source", lang): history["source_id"],
                t("trend.col_provenance", lang): [
                    t(f"core.provenance_{p}", lang) if isinstance(p, str) else ""
                    for p in history.get("provenance", [None] * len(history))
                ],
                t("trend.col_year_inferred", lang): history["year_attributed"].astype(bool),
                t("trend.col_note", lang): history["note"],
            }
        )
    ]
    nat = national[national["domain_code"].isna()]
    if not nat.empty:
        rows.append(
            pd.DataFrame(
                {
                    t("trend.col_series", lang): t("trend.national_mean", lang),
                    t("trend.col_year", lang): nat["year"],
                    t("trend.col_kind", lang): t("trend.kind_national", lang),
                    t("trend.col_value", lang): nat["value"],
                    t("trend.col_framework", lang): nat["framework_id"],
                    t("common.source", lang): nat["source_id"],
                    t("trend.col_note", lang): nat["comment"],
                }
            )
        )
    nat_targets = targets[targets["scope"] == "nasional"]
    if not nat_targets.empty:
        rows.append(
            pd.DataFrame(
                {
                    t("trend.col_series", lang): t("trend.national_target", lang),
                    t("trend.col_year", lang): nat_targets["year"],
                    t("trend.col_kind", lang): nat_targets["kind"],
                    t("trend.col_value", lang): nat_targets["target_indeks"],
                    t("common.source", lang): nat_targets["source_id"],
                    t("trend.col_note", lang): nat_targets["note"],
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def domain_trend_figure(table: pd.DataFrame, lang: str, large: bool = False, focus_name: str | None = None) -> go.Figure:
    """Small multiples, one per domain matched by name across frameworks; national mean and focus, lines
    broken where the framework (and so the domain's definition and code) changes."""
    keys = tr.domain_order(table)
    years = tr.axis_years(table["year"])
    if not keys or not years:
        return style(go.Figure(), lang, large)
    name_col = "domain_name_en" if lang == "en" else "domain_name_id"
    titles = []
    for key in keys:
        part = table[table["domain_key"] == key].sort_values("year")
        name = part[name_col].dropna().iloc[-1] if part[name_col].notna().any() else part["domain_name_id"].iloc[-1]
        codes = " → ".join(
            f"{code} {first}–{last}" if first != last else f"{code} {first}"
            for _, code, first, last in tr.domain_codes_by_framework(table, key)
        )
        titles.append(f"{name}<br><sup>{codes}</sup>")
    cols = 2 if large else min(4, len(keys))
    nrows = -(-len(keys) // cols)
    fig = make_subplots(
        rows=nrows,
        cols=cols,
        subplot_titles=titles,
        shared_yaxes=True,
        horizontal_spacing=0.04,
        vertical_spacing=0.22 if nrows > 1 else 0.1,
    )
    segments = tr.framework_segments(years)
    low = min(1.0, float(table["value"].min(skipna=True))) if table["value"].notna().any() else 1.0
    shown_legend = set()
    break_lines: list[dict] = []
    for n, key in enumerate(keys):
        r, c = n // cols + 1, n % cols + 1
        part = table[table["domain_key"] == key]
        for series, colour, label in (
            ("national", NATIONAL_COLOUR, t("trend.national_mean", lang)),
            ("focus", FOCUS_COLOUR, focus_name or ""),
        ):
            rows = part[part["series"] == series]
            if rows.empty:
                continue
            x, y = tr.gapped_xy(rows, years)
            code_by_year = dict(zip(rows["year"], rows["domain_code"], strict=False))
            hover = [
                f"<b>{label}</b><br>{code_by_year.get(xi, '')} {xi}: {fmt_num(yi, lang)}" if yi is not None else ""
                for xi, yi in zip(x, y, strict=True)
            ]
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=y,
                    mode="lines+markers",
                    name=label,
                    legendgroup=series,
                    showlegend=series not in shown_legend,
                    line=dict(
                        color=colour,
                        width=(4 if large else 3) if series == "focus" else 2,
                        dash="dash" if series == "national" else "solid",
                    ),
                    marker=dict(size=10 if series == "focus" else 6, color=colour),
                    connectgaps=False,
                    hovertext=hover,
                    hovertemplate="%{hovertext}<extra></extra>",
                ),
                row=r,
                col=c,
            )
            shown_legend.add(series)
        shapes, _ = framework_background_items(
            fig, segments, lang, large, y_range=(low, 5), row=r, col=c, bands=False, labels=False
        )
        break_lines.extend(shapes)
    fig.update_layout(shapes=[*fig.layout.shapes, *break_lines])
    fig.update_yaxes(range=[low - 0.05, 5.05], dtick=1, showgrid=True, gridcolor="rgba(128,128,128,0.25)")
    fig.update_xaxes(range=[years[0] - 0.5, years[-1] + 0.5], dtick=2 if len(years) > 5 else 1, showgrid=False)
    style(fig, lang, large, height=(620 if nrows > 1 else 420) if large else (560 if nrows > 1 else 380))
    fig.update_layout(margin=dict(t=100), legend=dict(y=1.12))
    return fig


def sparkline_figure(official: pd.DataFrame, lang: str, large: bool = False) -> go.Figure:
    """A small index line for the overview: every year on the axis, gaps kept, framework breaks kept."""
    years = tr.axis_years(official["year"])
    traces, shapes, layout = [], [], {}
    if years:
        x, y = tr.gapped_xy(official.rename(columns={"indeks": "value"}), years)
        # an unverified value (2019, DS1920) looks different here too: an open marker, a hover note and the legend
        open_years = (
            set(official.loc[official["provenance"] == UNVERIFIED, "year"].astype(int)) if "provenance" in official else set()
        )
        unverified = [xi in open_years for xi in x]
        size = 10 if large else 8
        traces.append(
            dict(  # validated once, by figure()
                type="scatter",
                x=x,
                y=y,
                mode="lines+markers+text",
                connectgaps=False,
                line=dict(color=FOCUS_COLOUR, width=4 if large else 3),
                marker=dict(
                    size=[size + 4 if u else size for u in unverified],
                    symbol=["circle-open" if u else "circle" for u in unverified],
                    line=dict(width=2, color=FOCUS_COLOUR),
                ),
                text=[fmt_num(v, lang) if v is not None else "" for v in y],
                textposition="top center",
                textfont=dict(size=font_size(large)),
                hovertext=[
                    f"{xi}: {fmt_num(v, lang)}" + (f" ({t('trend.unverified_value', lang)})" if u else "")
                    if v is not None
                    else ""
                    for xi, v, u in zip(x, y, unverified, strict=True)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
                name=t("assessment.official", lang),
                showlegend=False,
            )
        )
        if any(unverified):
            traces.append(unverified_legend(lang, size + 4))
            layout["legend"] = dict(orientation="h", x=0, xanchor="left", y=1.02, yanchor="bottom")
        segments = tr.framework_segments(years)
        for seg in segments[1:]:  # as add_vline draws it
            x0 = seg.first - 0.5
            line = dict(color=RULE_COLOUR, width=1, dash="dot")
            shapes.append(dict(type="line", x0=x0, x1=x0, xref="x", y0=0, y1=1, yref="y domain", line=line))
        layout["xaxis"] = dict(range=[years[0] - 0.5, years[-1] + 0.5], dtick=1, showgrid=False)
    low = min([1.0, *[v for v in official["indeks"].dropna()]])
    layout["yaxis"] = dict(range=[low, 5.3], showgrid=False, dtick=1)
    if shapes:
        layout["shapes"] = shapes
    style_ = style_layout(lang, large, height=260 if large else 200)
    return figure(traces, layout | merged(style_, dict(margin=dict(l=10, r=10, t=10, b=10))))


# -- comparison -------------------------------------------------------------------------------------
def _rank_label(rank, name: str, focus: bool) -> str:
    label = f"{rank}. {name}"
    return f"<b>{label}</b>" if focus else label


def ranking_figure(
    table: pd.DataFrame, focus_id: str, averages: list[tuple[str, float]], lang: str, large: bool = False
) -> go.Figure:
    """Horizontal bars, best at the top, coloured by the published predikat; the focus outlined and bold;
    reference averages as labelled vertical lines."""
    traces = []  # built once, by figure()
    labels = [_rank_label(r.rank, r.instansi_name, r.instansi_id == focus_id) for r in table.itertuples()]
    table = table.assign(_label=labels)
    unverified = table["provenance"].eq(UNVERIFIED) if "provenance" in table else pd.Series(False, index=table.index)
    # Every row is drawn: a year whose source prints no predikat (2019-2020, DS1920) gets neutral bars of its own, and an
    # unverified value is hatched, with the note in its hover (they were left out: one bar for nine ranks).
    groups = [(predikat_label(p, lang), colour, table["predikat"] == p) for p, colour in PREDIKAT_COLOURS.items()]
    groups.append((t("present.no_predikat", lang).capitalize(), NEUTRAL, ~table["predikat"].isin(list(PREDIKAT_COLOURS))))
    for name, colour, rows in groups:
        part, hatched = table[rows], unverified[rows]
        if part.empty:
            continue
        if hatched.all():  # the legend says it too
            name = f"{name} ({t('overview.unverified_short', lang)})"
        traces.append(
            dict(
                type="bar",
                x=part["indeks"],
                y=part["_label"],
                orientation="h",
                name=name,
                marker=dict(color=colour, pattern=dict(shape=["/" if h else "" for h in hatched])),
                text=[fmt_num(v, lang) for v in part["indeks"]],
                textposition="outside",
                cliponaxis=False,
                hovertext=[
                    f"<b>{r.instansi_name}</b><br>{fmt_num(r.indeks, lang)}"
                    + (f" · {r.predikat}{_derived(r, lang)}" if isinstance(r.predikat, str) else "")
                    + f"<br>{t('common.source', lang)}: {r.source_id}"
                    + (f"<br><i>{t('trend.unverified_value', lang)}</i>" if h else "")
                    for r, h in zip(part.itertuples(), hatched, strict=True)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    focus_row = table[table["instansi_id"] == focus_id]
    if len(focus_row):  # the focus's outline as its own trace, so the legend swatches stay plain
        traces.append(
            dict(
                type="bar",
                x=focus_row["indeks"],
                y=focus_row["_label"],
                orientation="h",
                showlegend=False,
                hoverinfo="skip",
                marker=dict(color="rgba(0,0,0,0)", line=dict(color=FOCUS_COLOUR, width=5)),
            )
        )
    shapes, notes = [], []
    for n, (label, value) in enumerate(averages):
        # The reference lines as add_vline draws them, given in one update (add_vline re-validates every shape).
        line = dict(color=NATIONAL_COLOUR if n else RULE_COLOUR, width=2, dash="dash" if n else "dot")
        shapes.append(dict(type="line", xref="x", yref="y domain", x0=value, x1=value, y0=0, y1=1, line=line))
        # Labels stacked above the plot, so two close averages (3,40 and 3,39) both stay readable.
        notes.append(
            dict(
                x=value,
                y=1,
                yref="paper",
                yanchor="bottom",
                # the label runs away from the chart's nearer edge, so it is never cut (a projector's narrow chart)
                xanchor="right" if value > 2.7 else "left",
                yshift=4 + (26 if large else 20) * n,
                showarrow=False,
                text=f"{label}: {fmt_num(value, lang)}",
                font=dict(size=font_size(large) - 2, color="#1A1A1A"),  # dark on its own white box, in either theme
                bgcolor="rgba(255,255,255,0.85)",
            )
        )
    per_row = 40 if large else 28
    layout = dict(
        yaxis=dict(categoryorder="array", categoryarray=labels[::-1], title=None),
        xaxis=dict(range=[0, 5.4], title=t("common.index", lang), dtick=1),
    )
    if averages:
        layout |= dict(shapes=shapes, annotations=notes)
    style_ = style_layout(lang, large, height=max(340, 190 + per_row * len(table)))
    update = dict(
        barmode="overlay",
        bargap=0.25,
        margin=dict(t=30 + (26 if large else 20) * len(averages), b=70 if large else 60),
        legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0, xanchor="left"),
    )
    return figure(traces, layout | merged(style_, update))


def dumbbell_figure(changes: pd.DataFrame, focus_id: str, before: int, after: int, lang: str, large: bool = False) -> go.Figure:
    """Two rounds per instansi: a grey open dot (before), a filled predikat-coloured dot (after), the line
    between them, and the rank change written at the right."""
    rows = changes.dropna(subset=["indeks_before", "indeks_after"], how="all").reset_index(drop=True)
    labels = [f"<b>{r.instansi_name}</b>" if r.instansi_id == focus_id else r.instansi_name for r in rows.itertuples()]
    fig = go.Figure()
    # The connecting lines: one trace for the others (None between instansi), one for the focus.
    for is_focus in (False, True):
        lx, ly = [], []
        for label, r in zip(labels, rows.itertuples(), strict=True):
            if (r.instansi_id == focus_id) == is_focus and pd.notna(r.indeks_before) and pd.notna(r.indeks_after):
                lx += [r.indeks_before, r.indeks_after, None]
                ly += [label, label, None]
        if lx:
            fig.add_trace(
                go.Scatter(
                    x=lx,
                    y=ly,
                    mode="lines",
                    line=dict(color=FOCUS_COLOUR if is_focus else "#AAAAAA", width=4 if is_focus else 2),
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
    fig.add_trace(
        go.Scatter(
            x=rows["indeks_before"],
            y=labels,
            mode="markers",
            name=str(before),
            marker=dict(symbol="circle-open", size=14 if large else 11, color=RULE_COLOUR, line=dict(width=2)),
            hovertext=[
                f"<b>{r.instansi_name}</b><br>{before}: {fmt_num(r.indeks_before, lang)} · "
                f"{t('compare.rank_short', lang)} {r.rank_before if pd.notna(r.rank_before) else '–'}"
                for r in rows.itertuples()
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=rows["indeks_after"],
            y=labels,
            mode="markers",
            name=str(after),
            marker=dict(
                size=16 if large else 13,
                color=[PREDIKAT_COLOURS.get(p, NEUTRAL) for p in rows["predikat_after"]],
                line=dict(width=1, color="#333333"),
            ),
            hovertext=[
                f"<b>{r.instansi_name}</b><br>{after}: {fmt_num(r.indeks_after, lang)} · {r.predikat_after}"
                f"{_derived(SimpleNamespace(predikat_basis=getattr(r, 'predikat_basis_after', None)), lang)} · "
                f"{t('compare.rank_short', lang)} {r.rank_after if pd.notna(r.rank_after) else '–'}"
                for r in rows.itertuples()
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    notes = []
    for r in rows.itertuples():
        if pd.isna(r.rank_change):
            notes.append("–")
        else:
            arrow = "▲" if r.rank_change > 0 else ("▼" if r.rank_change < 0 else "=")
            step = f"{arrow}{abs(int(r.rank_change))}" if r.rank_change else "="
            notes.append(f"{step}  ({int(r.rank_before)} → {int(r.rank_after)})")
    fig.add_trace(
        go.Scatter(
            x=[5.15] * len(rows),
            y=labels,
            mode="text",
            text=notes,
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
            textfont=dict(size=font_size(large)),
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], title=None)
    fig.update_xaxes(range=[1, 6.3], title=t("common.index", lang), dtick=0.5, tickvals=[1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5])
    per_row = 42 if large else 30
    style(fig, lang, large, height=max(320, 140 + per_row * len(rows)))
    fig.update_layout(margin=dict(t=60))
    return fig


HEAT_SCALE = "Cividis"


def heat_text_colour(value) -> str:
    """Text colour for a heatmap cell of this value (black on the light end of the scale, white on the dark)."""
    if value is None or pd.isna(value):
        return "#333333"
    rgb = sample_colorscale(HEAT_SCALE, [min(max((float(value) - 1) / 4, 0.0), 1.0)])[0]
    r, g, b = (int(float(c)) for c in rgb[rgb.index("(") + 1 : -1].split(","))
    return text_colour_on(f"#{r:02X}{g:02X}{b:02X}")


def domain_heatmap_figure(
    matrix: pd.DataFrame,
    names: dict[str, str],
    domain_names: dict[str, str],
    focus_id: str,
    notes: dict[tuple[str, str], str],
    lang: str,
    large: bool = False,
) -> go.Figure:
    """instansi x domain values with the value in each cell; a missing cell stays empty and says so on hover."""
    cols = list(matrix.columns)
    y = [f"<b>{names[i]}</b>" if i == focus_id else names[i] for i in matrix.index]
    x = [f"{c} {domain_names.get(c, '')}".strip() for c in cols]
    z = matrix.to_numpy(dtype=float)
    text, hover = [], []
    for iid, row in zip(matrix.index, z, strict=True):
        text.append(
            [
                (fmt_num(v, lang) + ("*" if (iid, c) in notes else "")) if pd.notna(v) else "–"
                for c, v in zip(cols, row, strict=True)
            ]
        )
        hover.append(
            [
                f"<b>{names[iid]}</b><br>{c}: {fmt_num(v, lang)}"
                + (f"<br><i>{html_escape(notes[(iid, c)][:160])}</i>" if (iid, c) in notes else "")  # imported text
                for c, v in zip(cols, row, strict=True)
            ]
        )
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=y,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            colorscale=HEAT_SCALE,
            zmin=1,
            zmax=5,
            xgap=2,
            ygap=2,
            colorbar=dict(title=dict(text=t("compare.domain_value", lang)), thickness=14),
        )
    )
    # Cell texts as a text layer so each can take the colour that reads on its own cell.
    cells = [
        (xi, yi, txt, v) for yi, trow, zrow in zip(y, text, z, strict=True) for xi, txt, v in zip(x, trow, zrow, strict=True)
    ]
    fig.add_trace(
        go.Scatter(
            x=[c[0] for c in cells],
            y=[c[1] for c in cells],
            mode="text",
            text=[c[2] for c in cells],
            textfont=dict(size=font_size(large) - 1, color=[heat_text_colour(c[3]) for c in cells]),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(side="top", title=None)
    per_row = 38 if large else 26
    style(fig, lang, large, height=max(300, 130 + per_row * len(y)))
    return fig


def distribution_figure(
    group_rows: pd.DataFrame,
    focus: pd.Series | None,
    focus_label: str | None,
    average: tuple[str, float] | None,
    lang: str,
    large: bool = False,
) -> go.Figure:
    """The category's national distribution in 0.1-wide bins, stacked by published predikat, the focus marked."""
    fig = go.Figure()
    for predikat, colour in PREDIKAT_COLOURS.items():
        part = group_rows[group_rows["predikat"] == predikat]
        if part.empty:
            continue
        fig.add_trace(
            go.Histogram(
                x=part["indeks"],
                name=predikat_label(predikat, lang),
                marker_color=colour,
                xbins=dict(start=0.995, end=5.005, size=0.1),  # edges between printed values: x.x0-x.x9 per bin
                hovertemplate="%{x}: %{y}<extra>" + predikat_label(predikat, lang) + "</extra>",
            )
        )
    # The focus's label sits above the plot and leans towards the middle of the axis (never off the edge);
    # the average is named in the legend (a dashed line entry), never written over the bars.
    focus_value = float(focus["indeks"]) if focus is not None else None
    if average is not None:
        fig.add_vline(x=average[1], line=dict(color=NATIONAL_COLOUR, width=2, dash="dash"))
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                line=dict(color=NATIONAL_COLOUR, width=2, dash="dash"),
                name=f"{average[0]}: {fmt_num(average[1], lang)}",
                hoverinfo="skip",
            )
        )
    if focus_value is not None:
        fig.add_vline(x=focus_value, line=dict(color=FOCUS_COLOUR, width=4))
        fig.add_annotation(
            x=focus_value,
            y=1,
            yref="paper",
            yanchor="bottom",
            showarrow=False,
            xanchor="right" if focus_value >= 3.0 else "left",
            text=f"<b>{focus_label}</b>",
            font=dict(size=font_size(large), color=FOCUS_COLOUR),
            bgcolor="rgba(255,255,255,0.85)",
        )
    fig.update_layout(barmode="stack", bargap=0.05, legend=dict(traceorder="normal"))
    fig.update_xaxes(range=[1, 5], dtick=0.5, title=t("common.index", lang))
    fig.update_yaxes(title=t("compare.count", lang))
    style(fig, lang, large)
    fig.update_layout(margin=dict(t=90 if large else 80), legend=dict(y=1.1))
    return fig


def tile_map_figure(tiles: pd.DataFrame, focus_id: str, lang: str, large: bool = False, wrap=None) -> go.Figure:
    """Equal tiles placed by geography, filled with the published predikat colour and showing the index."""
    fig = go.Figure()
    size = 0.94
    for r in tiles.itertuples():
        fill = PREDIKAT_COLOURS.get(r.predikat, MISSING_FILL) if pd.notna(r.predikat) else MISSING_FILL
        x0, y0 = r.col, -r.row
        is_focus = r.instansi_id == focus_id
        fig.add_shape(
            type="rect",
            x0=x0,
            x1=x0 + size,
            y0=y0,
            y1=y0 + size,
            fillcolor=fill,
            line=dict(color=FOCUS_COLOUR if is_focus else "#FFFFFF", width=6 if is_focus else 1),
        )
        name_lines = wrap(r.instansi_name) if wrap else [r.instansi_name]
        value = fmt_num(r.indeks, lang) if pd.notna(r.indeks) else t("common.missing", lang)
        text = "<br>".join(name_lines) + f"<br><b>{value}</b>"
        fig.add_annotation(
            x=x0 + size / 2,
            y=y0 + size / 2,
            text=text,
            showarrow=False,
            font=dict(size=font_size(large) - (1 if large else 2), color=text_colour_on(fill)),
        )
    fig.add_trace(
        go.Scatter(
            x=tiles["col"] + size / 2,
            y=-tiles["row"] + size / 2,
            mode="markers",
            marker=dict(size=60, opacity=0),
            hovertext=[
                f"<b>{r.instansi_name}</b><br>{fmt_num(r.indeks, lang)} · {predikat_label(r.predikat, lang)}{_derived(r, lang)}"
                for r in tiles.itertuples()
            ],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
        )
    )
    for predikat, colour in PREDIKAT_COLOURS.items():  # legend entries for the colours in use
        if (tiles["predikat"] == predikat).any():
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=predikat_label(predikat, lang),
                    marker=dict(symbol="square", size=16, color=colour),
                )
            )
    fig.update_xaxes(visible=False, range=[-0.1, tiles["col"].max() + 1.1])
    fig.update_yaxes(visible=False, range=[-tiles["row"].max() - 0.1, 1.1], scaleanchor="x", scaleratio=1)
    style(fig, lang, large, height=460 if large else 340)
    return fig


def rank_history_figure(ranks: pd.DataFrame, category_plural: str, lang: str, large: bool = False) -> go.Figure:
    """The focus's rank in its category nationally over the years: up is better (rank 1 at the top), a line
    never crosses a framework break, and a year with too few values shows no rank."""
    fig = go.Figure()
    claimed = ranks[ranks["claimed"]]
    if claimed.empty:
        return style(fig, lang, large)
    years = tr.axis_years(ranks["year"])
    by_year = {int(r.year): float(r.rank) for r in claimed.itertuples()}
    x, y = tr.gapped_from_map(by_year, years)
    n_of = {int(r.year): int(r.n) for r in claimed.itertuples()}
    open_years = {int(r.year) for r in claimed.itertuples() if r.unverified}  # ranked on unverified values
    text = [t("trend.rank_label", lang, rank=int(v), n=n_of[xi]) if v is not None else "" for xi, v in zip(x, y, strict=True)]
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="lines+markers+text",
            name=t("trend.rank_series", lang, category=category_plural),
            line=dict(color=FOCUS_COLOUR, width=4 if large else 3),
            marker=dict(
                size=12 if large else 9,
                color=FOCUS_COLOUR,
                symbol=["circle-open" if xi in open_years else "circle" for xi in x],
                line=dict(width=2, color=FOCUS_COLOUR),
            ),
            text=text,
            textposition="top center",
            textfont=dict(color=FOCUS_COLOUR, size=font_size(large)),
            connectgaps=False,
            hoverinfo="skip",
        )
    )
    worst = max(int(r.n) for r in claimed.itertuples())
    # room above rank 1 for its label; ticks only on real ranks
    fig.update_yaxes(autorange=False, range=[worst + 2, -0.12 * worst], title=t("trend.rank_axis", lang), showgrid=False)
    fig.update_yaxes(tickvals=[v for v in (1, 10, 20, 40, 60, 80, 100, 200, 300, 400) if v <= worst + 1])
    fig.update_xaxes(range=[years[0] - 0.5, years[-1] + 0.5], dtick=1, title=None, showgrid=False)
    segments = tr.framework_segments(years)
    for seg in segments[1:]:
        fig.add_vline(x=seg.first - 0.5, line=dict(color="#888888", width=2, dash="dot"))
    style(fig, lang, large, height=360 if large else 300)
    fig.update_layout(showlegend=False)
    return fig
