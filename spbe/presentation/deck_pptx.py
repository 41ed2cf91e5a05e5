"""The storyline as a PowerPoint deck with native, editable charts (python-pptx only: no browser, no internet).

Slide order: a title slide with the stamp, one slide per storyline slide (title, headline, one chart,
speaker notes, footer stamp), and a closing slide listing the sources. Chart values are the numbers
of the storyline (so a viewer can edit them in PowerPoint's data sheet); the data labels carry the
number as the chosen language writes it (2,01 / 2.01), because a chart's number format follows the
viewer's Windows locale, not the deck's language. Axis ticks are whole numbers, readable in both.
"""

from __future__ import annotations

import datetime as dt
import io

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from spbe.i18n import t
from spbe.presentation.storyline import OUTLINE_COLOUR, Chart, Slide, Storyline, banner_text

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
TEXT = RGBColor(0x22, 0x22, 0x22)
MUTED = RGBColor(0x55, 0x55, 0x55)
WARNING = RGBColor(0xB0, 0x3A, 0x00)
LANGUAGE = {"id": MSO_LANGUAGE_ID.INDONESIAN, "en": MSO_LANGUAGE_ID.ENGLISH_UK}
CHART_TYPES = {"column": XL_CHART_TYPE.COLUMN_CLUSTERED, "bar": XL_CHART_TYPE.BAR_CLUSTERED, "line": XL_CHART_TYPE.LINE_MARKERS}
MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
TITLE_ONLY, TITLE_SLIDE = 5, 0  # layouts of python-pptx's default template


def rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _text_box(
    slide,
    left,
    top,
    width,
    height,
    lines,
    size,
    lang,
    colour=TEXT,
    bold=False,
    align=PP_ALIGN.LEFT,
    anchor=MSO_ANCHOR.TOP,
    space_after=0,
):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    for n, line in enumerate([lines] if isinstance(lines, str) else lines):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.alignment = align
        paragraph.space_after = Pt(space_after)
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = colour
        run.font.language_id = LANGUAGE[lang]
    return box


def _set_title(slide, text, lang, size=30):
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(1.0)
    frame = title.text_frame
    frame.text = text
    frame.word_wrap = True
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = True
            run.font.color.rgb = TEXT
            run.font.language_id = LANGUAGE[lang]


def _footer(slide, story: Storyline, text: str):
    _text_box(slide, MARGIN, HEIGHT - Inches(0.55), WIDTH - 2 * MARGIN, Inches(0.4), text, 11, story.lang, colour=MUTED)


def add_chart(slide, chart: Chart, lang: str, left, top, width, height):
    """A native chart from the storyline chart: values as published, labels in the language's format."""
    data = CategoryChartData(number_format="0." + "0" * chart.digits)
    data.categories = list(chart.categories)
    for s in chart.series:
        data.add_series(s.name, list(s.values))
    graphic = slide.shapes.add_chart(CHART_TYPES[chart.kind], left, top, width, height, data).chart
    graphic.font.size = Pt(16)
    graphic.has_title = False  # the slide title says it; a one-series chart would repeat the series name
    graphic.has_legend = len(chart.series) > 1
    if graphic.has_legend:
        graphic.legend.position = XL_LEGEND_POSITION.TOP
        graphic.legend.include_in_layout = False
        graphic.legend.font.size = Pt(16)
    axis = graphic.value_axis
    lo, hi = chart.value_range
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = lo, hi, chart.tick_step
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = RGBColor(0xD9, 0xD9, 0xD9)
    axis.tick_labels.number_format = "0"  # whole ticks: no decimal separator to get wrong
    axis.tick_labels.number_format_is_linked = False
    if chart.tick_step < 1:  # fractional ticks would follow the viewer's locale: the data labels carry the numbers
        axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
    axis.has_title = True
    axis.axis_title.text_frame.text = chart.value_title
    axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    categories = graphic.category_axis
    categories.tick_labels.font.size = Pt(14 if chart.kind != "bar" else (13 if len(chart.categories) <= 9 else 11))
    if chart.kind == "bar":
        categories.reverse_order = True  # first category (rank 1) on top, as on screen
        # ...with the value axis still at the bottom: it crosses the category axis at its last category.
        # python-pptx has no setter for the value axis's own crossing point, so the XML is set directly.
        axis._element.find(qn("c:crosses")).set("val", "max")
        if lo < 0:  # gains and losses: the names stay at the left edge, clear of the bars that grow leftwards
            categories.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    plot = graphic.plots[0]
    if chart.kind in ("column", "bar"):
        plot.gap_width = 60
        plot.overlap = 0 if len(chart.series) == 1 else -10
    for series_spec, series in zip(chart.series, plot.series, strict=True):
        _format_series(series_spec, series, chart, lang)
    return graphic


def _format_series(spec, series, chart: Chart, lang: str):
    if chart.kind in ("column", "bar"):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = rgb(spec.colour)
        series.format.line.color.rgb = rgb(OUTLINE_COLOUR)
        series.format.line.width = Pt(0.75)
    else:
        series.smooth = False
        colour = rgb(spec.colour)
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = colour
        series.marker.format.line.color.rgb = colour
        if spec.mode == "markers":
            series.format.line.fill.background()  # a self-assessment is a mark, never part of the line
            series.marker.style = XL_MARKER_STYLE.DIAMOND
            series.marker.size = 14
            if spec.kind == "unverified":  # an open circle: a secondary value not yet verified
                series.marker.style = XL_MARKER_STYLE.CIRCLE
                series.marker.format.fill.background()
                series.marker.format.line.width = Pt(2.5)
        else:
            series.format.line.color.rgb = colour
            series.format.line.width = Pt(3.5)
            series.marker.style = XL_MARKER_STYLE.CIRCLE
            series.marker.size = 10
    for i, value in enumerate(spec.values):
        point = series.points[i]
        if spec.point_colours and chart.kind in ("column", "bar"):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = rgb(spec.point_colours[i])
            point.format.line.color.rgb = rgb(OUTLINE_COLOUR)
            point.format.line.width = Pt(3 if i == chart.highlight else 0.75)
        if value is None or not spec.labels or not spec.labels[i]:
            continue
        label = point.data_label
        label.has_text_frame = True
        label.text_frame.text = spec.labels[i]
        label.text_frame.word_wrap = False  # '3,91 · Sangat Baik' on one line
        run = label.text_frame.paragraphs[0].runs[0]
        run.font.size = Pt(15 if len(spec.values) <= 9 else 12)
        run.font.bold = i == chart.highlight
        run.font.color.rgb = TEXT
        run.font.language_id = LANGUAGE[lang]
        label.position = XL_LABEL_POSITION.ABOVE if chart.kind == "line" else XL_LABEL_POSITION.OUTSIDE_END


def _story_slide(prs, story: Storyline, slide: Slide, position: int, total: int):
    """One storyline slide; `position` is its place in the deck (the title slide is 1)."""
    lang = story.lang
    page = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    _set_title(page, slide.title, lang)
    _text_box(page, MARGIN, Inches(1.35), WIDTH - 2 * MARGIN, Inches(0.85), slide.headline, 20, lang, bold=True)
    top = Inches(2.25)
    if slide.message and slide.chart is not None:
        _text_box(page, MARGIN, top, WIDTH - 2 * MARGIN, Inches(0.5), slide.message, 15, lang, colour=WARNING)
        top += Inches(0.5)
    banner = banner_text(slide)
    if banner:
        _text_box(page, MARGIN, top, WIDTH - 2 * MARGIN, Inches(0.45), banner, 16, lang, colour=WARNING, bold=True)
        top += Inches(0.45)
    bottom = HEIGHT - Inches(0.7)
    if slide.chart is None:
        _text_box(
            page,
            Inches(1.0),
            top + Inches(0.6),
            WIDTH - Inches(2.0),
            bottom - top - Inches(1.2),
            slide.message or "",
            28,
            lang,
            colour=MUTED,
            align=PP_ALIGN.CENTER,
            anchor=MSO_ANCHOR.MIDDLE,
        )
    else:
        add_chart(page, slide.chart, lang, MARGIN, top, WIDTH - 2 * MARGIN, Emu(bottom - top))
    sources = ", ".join(slide.source_ids)
    footer = story.footer() + (f" · {t('present.source_line', lang, ids=sources)}" if sources else "")
    footer += f" · {t('present.slide_of', lang, number=position, total=total)}"
    _footer(page, story, footer)
    notes = [slide.notes]
    if slide.source_ids:
        notes.append(t("present.source_line", lang, ids=sources))
    page.notes_slide.notes_text_frame.text = "\n\n".join(notes)
    return page


def _title_slide(prs, story: Storyline):
    lang = story.lang
    page = prs.slides.add_slide(prs.slide_layouts[TITLE_SLIDE])
    title, subtitle = page.shapes.title, page.placeholders[1]
    title.left, title.top, title.width, title.height = MARGIN, Inches(1.4), WIDTH - 2 * MARGIN, Inches(1.6)
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = MARGIN, Inches(3.3), WIDTH - 2 * MARGIN, Inches(3.0)
    title.text_frame.text = story.title
    for run in title.text_frame.paragraphs[0].runs:
        run.font.size, run.font.bold, run.font.language_id = Pt(44), True, LANGUAGE[lang]
    frame = subtitle.text_frame
    for n, line in enumerate([*story.stamp_lines(), t("present.made_with", lang)]):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size, run.font.color.rgb, run.font.language_id = Pt(20), MUTED, LANGUAGE[lang]
    page.notes_slide.notes_text_frame.text = "\n".join(story.stamp_lines())
    return page


def _sources_slide(prs, story: Storyline, total: int):
    lang = story.lang
    page = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    _set_title(page, t("present.sources_title", lang), lang)
    lines = [t("present.sources_intro", lang), *story.source_lines()]
    _text_box(page, MARGIN, Inches(1.4), WIDTH - 2 * MARGIN, HEIGHT - Inches(2.1), lines, 15, lang, space_after=8)
    _footer(page, story, f"{story.footer()} · {t('present.slide_of', lang, number=total, total=total)}")
    return page


def deck_pptx(story: Storyline) -> bytes:
    """The whole deck as .pptx bytes: title slide, the storyline slides, the sources slide."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    total = len(story.slides) + 2
    _title_slide(prs, story)
    for position, slide in enumerate(story.slides, start=2):  # deck position: the title slide is 1
        _story_slide(prs, story, slide, position, total)
    _sources_slide(prs, story, total)
    props = prs.core_properties
    props.title = story.title
    props.author = props.last_modified_by = t("app.name", story.lang)
    props.subject = story.footer()
    props.language = LANGUAGE[story.lang].xml_value if hasattr(LANGUAGE[story.lang], "xml_value") else story.lang
    stamp = dt.datetime.combine(story.generated, dt.time(0, 0))
    props.created = props.modified = stamp
    props.revision = 1
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def file_name(story: Storyline, extension: str) -> str:
    return f"spbe-{story.instansi_id}-{story.year}-{story.lang}.{extension}"
