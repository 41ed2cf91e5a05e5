"""The storyline as a printable PDF handout (reportlab only: no browser, no internet).

Pages: a cover with the stamp and a one-line summary of every slide; one page per slide (title,
headline, the chart drawn with reportlab.graphics from the slide's own numbers, speaker notes, the
data shown as a table, sources); a closing page listing the sources. Print-friendly: black text on
white, light grid, every bar outlined and labelled with its value so nothing depends on colour alone.
The font is DejaVu Sans where the system has it (it carries every character the catalogue uses,
the arrow "→" included); otherwise Bitstream Vera, which ships inside reportlab (so a fresh machine
has it) and lacks only the arrow, then written "->".
"""

from __future__ import annotations

import io
import math
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import reportlab
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepInFrame, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from spbe.i18n import fmt_num, t
from spbe.presentation.storyline import (
    OUTLINE_COLOUR,
    Chart,
    Slide,
    Storyline,
    banner_text,
    display_table,
    tick_decimals,
    tick_values,
)

FONT, FONT_BOLD = "SpbeVera", "SpbeVera-Bold"
PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
CHART_W, CHART_H = PAGE_W - 2 * MARGIN, 92 * mm
INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#555555")
GRID = colors.HexColor("#D9D9D9")
WARNING = colors.HexColor("#B03A00")
MIME = "application/pdf"
DEJAVU_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
# Characters Bitstream Vera lacks, written the nearest way it can (only when DejaVu Sans is absent).
VERA_REPLACEMENTS = {"→": "->"}


def font_files() -> tuple[Path, Path, bool]:
    """(regular, bold, has_arrow): DejaVu Sans if installed, else reportlab's own Vera."""
    for folder in DEJAVU_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold, True
    folder = Path(reportlab.__file__).with_name("fonts")
    return folder / "Vera.ttf", folder / "VeraBd.ttf", False


@lru_cache(maxsize=1)
def register_fonts() -> bool:
    """Register the handout's font once; True when it carries the arrow."""
    regular, bold, has_arrow = font_files()
    try:
        pdfmetrics.registerFont(TTFont(FONT, str(regular)))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
    except Exception:  # an unreadable system font: fall back to the one reportlab ships
        folder = Path(reportlab.__file__).with_name("fonts")
        pdfmetrics.registerFont(TTFont(FONT, str(folder / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "VeraBd.ttf")))
        has_arrow = False
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    return has_arrow


def printable(text: str) -> str:
    if register_fonts():
        return text
    for old, new in VERA_REPLACEMENTS.items():
        text = text.replace(old, new)
    return text


def para(text: str) -> str:
    """Text for a Paragraph: escaped (names from data may hold '<' or '&') and printable."""
    return escape(printable(str(text)))


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13.5, textColor=INK, alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=MUTED),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=20, leading=25, spaceAfter=4),
        "cover": ParagraphStyle("cover", parent=base, fontName=FONT_BOLD, fontSize=26, leading=32, spaceAfter=10),
        "headline": ParagraphStyle("headline", parent=base, fontName=FONT_BOLD, fontSize=13, leading=17, spaceAfter=6),
        "warning": ParagraphStyle("warning", parent=base, textColor=WARNING, spaceAfter=4),
        "heading": ParagraphStyle(
            "heading", parent=base, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=3
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
    }


# -- charts ------------------------------------------------------------------------------------
def _text_width(text: str, size: float, bold: bool = False) -> float:
    return pdfmetrics.stringWidth(printable(text), FONT_BOLD if bold else FONT, size)


def _wrap(text: str, width: float, size: float) -> list[str]:
    words, lines, line = printable(text).split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if line and _text_width(trial, size) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines


def _string(x, y, text, size=8, anchor="middle", bold=False, colour=INK):
    return String(x, y, printable(text), fontName=FONT_BOLD if bold else FONT, fontSize=size, fillColor=colour, textAnchor=anchor)


def _tick_text(chart: Chart, value: float, lang: str) -> str:
    return fmt_num(value, lang, tick_decimals(chart))


def _legend_mark(d: Drawing, s, x: float, y: float) -> None:
    """A legend entry's mark drawn as the chart draws the series: an open circle, an open diamond, a swatch."""
    colour = colors.HexColor(s.colour)
    if s.kind == "unverified":
        d.add(Circle(x + 4.5, y - 5.5, 4, fillColor=colors.white, strokeColor=colour, strokeWidth=1.6))
    elif s.mode == "markers":
        diamond = [x + 4.5, y - 10, x + 9, y - 5.5, x + 4.5, y - 1, x, y - 5.5]
        d.add(Polygon(diamond, fillColor=colors.white, strokeColor=colour, strokeWidth=1.6))
    else:
        d.add(Rect(x, y - 10, 9, 9, fillColor=colour, strokeColor=colors.HexColor(OUTLINE_COLOUR), strokeWidth=0.5))


def chart_drawing(chart: Chart, lang: str, width: float = CHART_W, height: float = CHART_H) -> Drawing:
    """The slide's chart as vector graphics, from exactly the numbers the slide holds."""
    register_fonts()
    d = Drawing(width, height)
    lo, hi = chart.value_range
    legend_h = 0.0
    if len(chart.series) > 1:  # one entry after the other, wrapping to a new row at the drawing's edge
        x, row_y = 0.0, height
        legend_h = 16.0
        for s in chart.series:
            entry_w = 24 + _text_width(s.name, 8)
            if x > 0 and x + entry_w - 12 > width:
                x, row_y, legend_h = 0.0, row_y - 14, legend_h + 14
            _legend_mark(d, s, x, row_y)
            d.add(_string(x + 12, row_y - 9, s.name, 8, "start"))
            x += entry_w
    top = height - legend_h - 14  # room for value labels above the tallest bar
    if chart.kind == "bar":
        label_w = min(max(_text_width(c, 8) for c in chart.categories) + 6, width * 0.42)
        _horizontal_bars(d, chart, lang, label_w, 14, width - label_w - 70, top - 14)
        return d
    bottom = 12 + 10 * max(len(_wrap(c, width / max(len(chart.categories), 1) - 6, 8)) for c in chart.categories)
    left = 28
    plot_w, plot_h = width - left - 6, top - bottom

    def y_of(v):
        return bottom + (min(max(v, lo), hi) - lo) / (hi - lo) * plot_h

    for tick in tick_values(chart):
        y = y_of(tick)
        d.add(Line(left, y, left + plot_w, y, strokeColor=GRID, strokeWidth=0.5))
        d.add(_string(left - 4, y - 3, _tick_text(chart, tick, lang), 8, "end", colour=MUTED))
    n = len(chart.categories)
    slot = plot_w / n
    for i, cat in enumerate(chart.categories):
        for k, line in enumerate(_wrap(cat, slot - 6, 8)):
            d.add(_string(left + slot * (i + 0.5), bottom - 11 - 10 * k, line, 8, bold=i == chart.highlight))
    if chart.kind == "column":
        m = len(chart.series)
        bar_w = slot * 0.72 / m
        for j, s in enumerate(chart.series):
            for i, v in enumerate(s.values):
                if v is None:
                    continue
                x = left + slot * i + slot * 0.14 + bar_w * j
                fill = s.point_colours[i] if s.point_colours else s.colour
                d.add(
                    Rect(
                        x,
                        y_of(lo),
                        bar_w,
                        y_of(v) - y_of(lo),
                        fillColor=colors.HexColor(fill),
                        strokeColor=colors.HexColor(OUTLINE_COLOUR),
                        strokeWidth=2 if i == chart.highlight else 0.6,
                    )
                )
                if s.labels and s.labels[i]:
                    d.add(_string(x + bar_w / 2, y_of(v) + 3, s.labels[i], 8 if m > 1 else 9, bold=i == chart.highlight))
    else:
        for position in chart.breaks:
            x = left + slot * position
            d.add(Line(x, bottom, x, bottom + plot_h, strokeColor=MUTED, strokeWidth=0.8, strokeDashArray=[3, 3]))
        for s in chart.series:
            colour = colors.HexColor(s.colour)
            points = [(left + slot * (i + 0.5), y_of(v)) if v is not None else None for i, v in enumerate(s.values)]
            if s.mode == "line":
                run: list[float] = []
                for p in [*points, None]:  # a missing year ends the run: the line is never bridged
                    if p is None:
                        if len(run) >= 4:
                            d.add(PolyLine(run, strokeColor=colour, strokeWidth=2.2))
                        run = []
                    else:
                        run.extend(p)
            for i, p in enumerate(points):
                if p is None:
                    continue
                x, y = p
                if s.mode == "line":
                    d.add(Rect(x - 3, y - 3, 6, 6, fillColor=colour, strokeColor=colour))
                elif s.kind == "unverified":  # an open circle: a value not yet verified, never on the line
                    d.add(Circle(x, y, 5, fillColor=colors.white, strokeColor=colour, strokeWidth=2))
                else:
                    d.add(
                        Polygon(
                            [x, y - 6, x + 6, y, x, y + 6, x - 6, y], fillColor=colors.white, strokeColor=colour, strokeWidth=2
                        )
                    )
                if s.labels and s.labels[i]:
                    d.add(
                        _string(
                            x + (9 if s.mode == "markers" else 0),
                            y + 7 if s.mode == "line" else y - 3,
                            s.labels[i],
                            9,
                            "middle" if s.mode == "line" else "start",
                        )
                    )
    d.add(Line(left, bottom, left + plot_w, bottom, strokeColor=MUTED, strokeWidth=0.8))
    return d


def _horizontal_bars(d: Drawing, chart: Chart, lang: str, left: float, bottom: float, plot_w: float, plot_h: float) -> None:
    lo, hi = chart.value_range
    n = len(chart.categories)
    slot = plot_h / n
    # a diverging chart keeps room left of its lowest tick for the labels of the losses
    start = lo - (hi - lo) * 0.35 if lo < 0 else lo

    def x_of(v):
        return left + (min(max(v, lo), hi) - start) / (hi - start) * plot_w

    ticks = tick_values(chart)
    widest = max(_text_width(_tick_text(chart, tick, lang), 8) for tick in ticks)
    spacing = (x_of(ticks[1]) - x_of(ticks[0])) if len(ticks) > 1 else widest + 8
    every = max(1, math.ceil((widest + 6) / spacing))  # a label on every tick only if they do not touch
    for k, tick in enumerate(ticks):
        x = x_of(tick)
        d.add(Line(x, bottom, x, bottom + plot_h, strokeColor=GRID, strokeWidth=0.5))
        if k % every == 0 or tick == 0:
            d.add(_string(x, bottom - 10, _tick_text(chart, tick, lang), 8, colour=MUTED))
    s = chart.series[0]
    for i, cat in enumerate(chart.categories):
        y = bottom + plot_h - slot * (i + 1)  # first category on top
        bold = i == chart.highlight
        label = cat
        while _text_width(label, 8, bold) > left - 6 and len(label) > 4:
            label = label[:-2] + "…" if not label.endswith("…") else label[:-2] + "…"
        d.add(_string(left - 4, y + slot / 2 - 3, label, 8, "end", bold=bold))
        v = s.values[i]
        if v is None:
            continue
        fill = s.point_colours[i] if s.point_colours else s.colour
        base = x_of(0.0) if lo < 0 < hi else left  # a diverging chart grows from zero both ways
        d.add(
            Rect(
                min(base, x_of(v)),
                y + slot * 0.15,
                abs(x_of(v) - base),
                slot * 0.7,
                fillColor=colors.HexColor(fill),
                strokeColor=colors.HexColor(OUTLINE_COLOUR),
                strokeWidth=2 if bold else 0.6,
            )
        )
        if s.labels and s.labels[i]:
            if v < 0 and lo < 0:
                d.add(_string(x_of(v) - 4, y + slot / 2 - 3, s.labels[i], 8, "end", bold=bold))
            else:
                d.add(_string(x_of(v) + 4, y + slot / 2 - 3, s.labels[i], 8, "start", bold=bold))
    axis_x = x_of(0.0) if lo < 0 < hi else left
    d.add(Line(axis_x, bottom, axis_x, bottom + plot_h, strokeColor=MUTED, strokeWidth=0.8))


# -- pages -------------------------------------------------------------------------------------
def _table(frame: pd.DataFrame, styles) -> Table:
    cell = styles["cell"]
    head = [Paragraph(f"<b>{para(c)}</b>", cell) for c in frame.columns]
    body = [[Paragraph(para(v), cell) for v in row] for row in frame.itertuples(index=False)]
    table = Table([head, *body], repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _slide_page(slide: Slide, story: Storyline, styles) -> list:
    lang = story.lang
    parts = [
        Paragraph(para(f"{slide.number}. {slide.title}"), styles["title"]),
        Paragraph(para(slide.headline), styles["headline"]),
    ]
    banner = banner_text(slide)
    if banner:
        parts.append(Paragraph(f"<b>{para(banner)}</b>", styles["warning"]))
    if slide.message:
        parts.append(Paragraph(para(slide.message), styles["warning"]))
    if slide.chart is not None:
        parts += [Spacer(1, 4), chart_drawing(slide.chart, lang), Spacer(1, 4)]
    parts += [Paragraph(para(t("present.notes_heading", lang)), styles["heading"]), Paragraph(para(slide.notes), styles["body"])]
    table = display_table(slide)
    if not table.empty:
        parts += [Paragraph(para(t("present.data_heading", lang)), styles["heading"]), _table(table, styles)]
    if slide.source_ids:
        parts += [Spacer(1, 6), Paragraph(para(t("present.source_line", lang, ids=", ".join(slide.source_ids))), styles["small"])]
    # One page per slide: a long table shrinks rather than spilling onto a page of its own.
    return [KeepInFrame(PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN - 14 * mm, parts, mode="shrink"), PageBreak()]


def _cover(story: Storyline, styles) -> list:
    lang = story.lang
    parts = [Paragraph(para(story.title), styles["cover"])]
    parts += [Paragraph(para(line), styles["body"]) for line in story.stamp_lines()]
    parts += [Spacer(1, 10), Paragraph(para(t("present.made_with", lang)), styles["small"]), Spacer(1, 14)]
    rows = [
        [
            Paragraph(para(f"{s.number}."), styles["cell"]),
            Paragraph(f"<b>{para(s.title)}</b><br/>{para(s.headline)}", styles["body"]),
        ]
        for s in story.slides
    ]
    table = Table(rows, colWidths=[10 * mm, PAGE_W - 2 * MARGIN - 10 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return [KeepInFrame(PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN - 14 * mm, [*parts, table], mode="shrink"), PageBreak()]


def _sources(story: Storyline, styles) -> list:
    parts = [
        Paragraph(para(t("present.sources_title", story.lang)), styles["title"]),
        Paragraph(para(t("present.sources_intro", story.lang)), styles["body"]),
        Spacer(1, 6),
    ]
    parts += [Paragraph(para(line), styles["body"]) for line in story.source_lines()]
    return [KeepInFrame(PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN - 14 * mm, parts, mode="shrink")]


def page_count(story: Storyline) -> int:
    return len(story.slides) + 2


def deck_pdf(story: Storyline) -> bytes:
    """The handout as PDF bytes: cover, one page per slide, sources; every page footed with the stamp."""
    register_fonts()
    styles = _styles()
    total = page_count(story)
    footer = printable(story.footer())

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(GRID)
        canvas.line(MARGIN, 14 * mm, PAGE_W - MARGIN, 14 * mm)
        canvas.drawString(MARGIN, 10 * mm, footer[:150])
        canvas.drawRightString(PAGE_W - MARGIN, 10 * mm, printable(t("present.page_of", story.lang, page=doc.page, total=total)))
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 6 * mm,
        title=printable(story.title),
        author=t("app.name", story.lang),
        subject=footer,
        creator=t("app.name", story.lang),
        lang=story.lang,
        invariant=1,
    )
    flow = _cover(story, styles)
    for slide in story.slides:
        flow += _slide_page(slide, story, styles)
    flow += _sources(story, styles)
    doc.build(flow, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()
