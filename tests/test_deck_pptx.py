"""The PowerPoint deck read back with python-pptx: slide count, titles, native chart values equal to the
published numbers, labels in the language's number format, speaker notes, the stamp and the sources."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from spbe.presentation.deck_pptx import deck_pptx, file_name
from spbe.presentation.storyline import build_storyline, frame_for

DAY = dt.date(2026, 11, 28)
BANTEN_2024 = [3.91, 3.85, 3.73, 3.52, 3.48, 3.47, 3.45, 2.61, 2.56]  # R24, sorted: the rank slide's bars


@pytest.fixture(scope="module")
def decks():
    out = {}
    for lang in ("id", "en"):
        story = build_storyline(frame_for("kota-cilegon", 2024, lang), today=DAY)
        out[lang] = (story, Presentation(io.BytesIO(deck_pptx(story))))
    return out


def charts(slide):
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def texts(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def labels(series) -> list[str | None]:
    out = []
    for i in range(len(series.values)):
        label = series.points[i].data_label
        out.append(label.text_frame.text if label.has_text_frame else None)
    return out


def test_slide_count_and_titles(decks):
    for story, prs in decks.values():
        assert len(prs.slides) == 10  # title, eight storyline slides, sources
        titles = [s.shapes.title.text for s in prs.slides]
        assert titles == [story.title, *[s.title for s in story.slides], "Sumber data" if story.lang == "id" else "Data sources"]


def test_slide_size_is_widescreen(decks):
    _, prs = decks["id"]
    assert round(prs.slide_width / prs.slide_height, 2) == 1.78


def test_index_chart_holds_the_published_values(decks):
    _, prs = decks["id"]
    (chart,) = charts(prs.slides[1])
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    values = chart.plots[0].series[0].values
    assert values[0] == 2.56 and values[2:] == (3.39, 3.12)
    assert labels(chart.plots[0].series[0])[0] == "2,56 · Cukup"
    (chart_en,) = charts(decks["en"][1].slides[1])
    assert labels(chart_en.plots[0].series[0])[0] == "2.56 · Fair"


def test_trend_chart_is_a_line_with_gaps_and_separate_self_assessment(decks):
    _, prs = decks["en"]
    (chart,) = charts(prs.slides[2])
    assert chart.chart_type == XL_CHART_TYPE.LINE_MARKERS
    old, new, unverified, own = chart.plots[0].series
    assert list(chart.plots[0].categories) == ["2018", "2019", "2020\n(not evaluated)", "2021", "2022", "2023", "2024"]
    assert old.values == (3.23, None, None, None, None, None, None)  # PermenPANRB 5/2018: its own line
    assert new.values == (None, None, None, 2.03, 2.01, 2.30, 2.56)
    assert unverified.values == (None, 3.23, None, None, None, None, None)  # DS1920: off the line
    assert own.values == (None, None, None, None, 3.0, None, None)
    xml = chart._chartSpace.xml
    assert '<c:dispBlanksAs val="gap"/>' in xml  # an empty year is a gap, never a bridged line
    assert own.format.line.fill.type == 5  # MSO_FILL.BACKGROUND: the self-assessment is marks only
    assert unverified.format.line.fill.type == 5
    assert unverified.marker.format.fill.type == 5  # an open circle: not verified
    assert "Not verified (DS1920)" in [s.name for s in chart.plots[0].series]


def test_rank_chart_is_horizontal_with_rank_one_on_top(decks):
    _, prs = decks["id"]
    (chart,) = charts(prs.slides[4])
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert list(chart.plots[0].series[0].values) == BANTEN_2024
    assert chart.category_axis.reverse_order is True
    value_axis = chart.value_axis._element.xml
    assert '<c:crosses val="max"/>' in value_axis  # the value axis stays at the bottom under reversed categories
    assert list(chart.plots[0].categories)[-1] == "9. Kota Cilegon"


def test_domain_chart_has_three_series(decks):
    _, prs = decks["id"]
    (chart,) = charts(prs.slides[5])
    focus, average, best = chart.plots[0].series
    assert focus.values == (2.50, 2.00, 1.36, 3.31)
    assert best.values == (5.00, 4.40, 2.82, 4.75)
    assert labels(average)[1] == "3,25"  # D2 mean of the other eight Banten governments


def test_simulation_slide_carries_its_banner(decks):
    _, prs = decks["id"]
    assert "SIMULASI" in texts(prs.slides[7])
    (chart,) = charts(prs.slides[7])
    assert chart.plots[0].series[0].values[:2] == (2.56, 2.60)


def test_every_storyline_slide_has_notes_and_the_stamp(decks):
    for story, prs in decks.values():
        for slide, model in zip(list(prs.slides)[1:-1], story.slides, strict=True):
            notes = slide.notes_slide.notes_text_frame.text
            assert notes.startswith(model.notes)
            assert story.footer() in texts(slide)
        assert "28 November 2026" in texts(prs.slides[0])
        assert story.peer_label in texts(prs.slides[0])


def test_sources_slide_lists_source_titles(decks):
    _, prs = decks["id"]
    last = texts(prs.slides[-1])
    assert "R24: Laporan Evaluasi SPBE Tahun 2024" in last
    assert "P59: PermenPANRB Nomor 59 Tahun 2020" in last


def test_text_is_tagged_with_the_deck_language(decks):
    _, prs = decks["id"]
    xml = prs.slides[1].shapes.title._element.xml
    assert 'lang="id-ID"' in xml


def test_a_slide_without_data_is_text_only():
    story = build_storyline(frame_for("kota-serang", 2024, "id"), today=DAY)
    prs = Presentation(io.BytesIO(deck_pptx(story)))
    slide = prs.slides[6]
    assert charts(slide) == []
    assert "Tidak ada penilaian mandiri Kota Serang" in texts(slide)


def test_file_name_names_instansi_year_and_language(decks):
    story, _ = decks["en"]
    assert file_name(story, "pptx") == "spbe-kota-cilegon-2024-en.pptx"


def test_footer_numbers_every_slide_in_deck_order(decks):
    for story, prs in decks.values():
        total = len(prs.slides)
        word = "Slide {n} dari {total}" if story.lang == "id" else "Slide {n} of {total}"
        for n, slide in enumerate(list(prs.slides)[1:], start=2):  # the title slide carries the stamp instead
            assert texts(slide).rstrip().endswith(word.format(n=n, total=total)), (n, texts(slide)[-40:])


def test_change_slide_is_a_diverging_bar_chart_of_points(decks):
    story, prs = decks["id"]
    (chart,) = charts(prs.slides[3])
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    values = chart.plots[0].series[0].values
    assert values == story.slide("change").chart.series[0].values
    assert sum(values) == pytest.approx(-0.020)
    assert chart.value_axis.minimum_scale < 0 < chart.value_axis.maximum_scale
    assert labels(chart.plots[0].series[0])[0] == "−0,090"
    assert list(chart.plots[0].categories)[0] == "45 Layanan Publik Sektor 1 (4 → 1)"
    assert prs.slides[3].shapes.title.text.startswith("Mengapa 2021 → 2022 berubah")
