"""Issue 13 item 3: one way to write a predikat per language, on every surface. Indonesian writes the
regulation's term ("Cukup"), English the band's English name from the framework data ("Fair"): never both
("Cukup (Fair)"), never the other language's word. Checked on the Ikhtisar cards, the Perbandingan tables,
the charts, the slides, the PowerPoint and PDF, the on-screen tables and the downloads."""

from __future__ import annotations

import io
import re

import pytest

from spbe.core.frameworks import frameworks, predikat_label, predikat_name
from spbe.models import compare, methodology
from spbe.models.overview import cards, load_overview
from spbe.models.tables import predikat_in_language, readable
from spbe.presentation.storyline import build_storyline, frame_for
from spbe.store import db

BANDS = [b for fw in frameworks().values() for b in fw.bands]
ID_WORDS = sorted({b.predikat for b in BANDS}, key=len, reverse=True)
EN_WORDS = sorted({b.name_en for b in BANDS}, key=len, reverse=True)
# a predikat written with its gloss, in either order: "Cukup (Fair)", "Fair (Cukup)"
BOTH = re.compile(rf"\b({'|'.join(ID_WORDS)})\s*\(({'|'.join(EN_WORDS)})\)|\b({'|'.join(EN_WORDS)})\s*\(({'|'.join(ID_WORDS)})\)")
OTHER = {  # the other language's predikat words, as whole words
    "en": re.compile(rf"\b({'|'.join(ID_WORDS)})\b"),
    "id": re.compile(rf"\b({'|'.join(w for w in EN_WORDS)})\b"),
}


def check(text: str, lang: str, where: str) -> None:
    assert not BOTH.search(text), f"{where} ({lang}) writes a predikat in two forms: {BOTH.search(text).group(0)!r}"
    found = OTHER[lang].search(text)
    assert not found, f"{where} ({lang}) writes the predikat {found.group(0)!r} of the other language"


def test_the_one_function():
    assert predikat_name("Cukup", "id") == "Cukup" and predikat_name("Cukup", "en") == "Fair"
    assert predikat_name("Sangat Baik", "en") == "Very good"
    assert predikat_name(None, "en") is None and predikat_label(None, "en") != ""
    for band in BANDS:
        assert predikat_name(band.predikat, "en") == band.name("en") == band.name_en
        assert predikat_name(band.predikat, "id") == band.name("id") == band.predikat


def _pptx_text(data: bytes) -> str:
    from pptx import Presentation

    prs = Presentation(io.BytesIO(data))
    parts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if getattr(shape, "has_text_frame", False):
                parts.append(shape.text_frame.text)
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return " ".join(parts)


def _figure_text(fig) -> str:
    parts = [str(getattr(tr, "name", "") or "") for tr in fig.data]
    parts += [str(getattr(tr, "hovertemplate", "") or "") for tr in fig.data]
    for tr in fig.data:
        text = getattr(tr, "text", None)
        if text is not None and not isinstance(text, str):
            parts += [str(x) for x in text]
        elif text:
            parts.append(str(text))
    parts += [str(a.text) for a in fig.layout.annotations]
    return " ".join(parts)


@pytest.mark.parametrize("year", [2022, 2024])  # 2022: derived predikat; 2024: printed
@pytest.mark.parametrize("lang", ["id", "en"])
def test_one_form_on_every_surface(lang, year):
    from spbe.charts import distribution_figure
    from spbe.presentation.deck_pdf import deck_pdf
    from spbe.presentation.deck_pptx import deck_pptx
    from tests.test_deck_pdf import flat, page_texts

    frame = frame_for("kota-cilegon", year, lang)
    ov, official = load_overview(frame)
    card_text = " ".join(f"{c.label} {c.value} {c.help} {c.caption or ''}" for c in cards(ov, lang))
    check(card_text, lang, "Ikhtisar cards")
    assert (predikat_name(ov.predikat, lang) or "") in card_text

    view = compare.load_compare_view(frame)
    table = compare.ranking_table_for_display(view.ranking.table, lang)
    check(" ".join(map(str, table.to_numpy().ravel())), lang, "Perbandingan ranking table")

    rows = db.run("index_by_year", year=year)
    kota = rows[rows["category"] == "kota"]
    fig = distribution_figure(kota, None, None, None, lang)
    check(_figure_text(fig), lang, "distribution chart")

    story = build_storyline(frame)
    for slide in story.slides:
        text = " ".join([slide.title, slide.headline, slide.notes, slide.message or ""])
        if slide.chart is not None:
            text += " " + " ".join(str(x) for s in slide.chart.series for x in (s.labels or ()))
            text += " " + " ".join(map(str, slide.chart.categories))
        check(text, lang, f"slide {slide.key}")
        check(_figure_text(slide.figure()), lang, f"slide {slide.key}'s chart")
    check(_pptx_text(deck_pptx(story)), lang, "PowerPoint")
    check(" ".join(flat(p) for p in page_texts(deck_pdf(story))), lang, "PDF")

    shown = official[["year", "indeks", "predikat"]]
    check(" ".join(readable(shown, lang).to_numpy().ravel()), lang, "on-screen table")
    download = predikat_in_language(shown, lang)
    check(" ".join(map(str, download.to_numpy().ravel())), lang, "table download")
    assert download["indeks"].tolist() == shown["indeks"].tolist(), "a download keeps its numbers as numbers"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_methodology_band_table_writes_the_one_form(lang):
    bands = db.run("predikat_band_list")
    table = methodology.bands_display(bands, "permenpanrb-59-2020", lang)
    check(" ".join(map(str, table.to_numpy().ravel())), lang, "Sumber band table")


def test_the_english_card_is_short_enough_not_to_be_cut():
    frame = frame_for("kota-cilegon", 2024, "en")
    ov, _ = load_overview(frame)
    value = next(c.value for c in cards(ov, "en") if c.value == predikat_name(ov.predikat, "en"))
    assert "(" not in value and len(value) <= max(len(b.name_en) for b in BANDS)
