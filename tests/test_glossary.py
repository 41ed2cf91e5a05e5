"""Issue 13 item 1: the glossary. Every term a viewer page links has an entry in both languages, every link
resolves to an anchor the glossary page holds and keeps the view's URL parameters, every OPD abbreviation in
the data is explained, and the numbers in it are the framework data's."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from spbe.core.frameworks import frameworks
from spbe.i18n import LANGS, catalogue, fmt_num
from spbe.models import glossary as gl
from spbe.models.pages import BY_KEY, PAGES
from tests.conftest import run_page

ROOT = Path(__file__).resolve().parents[1]
VIEWER_PAGES = [p.key for p in PAGES if p.key not in ("impor", "glosarium")]  # impor is the admins' page
YEARS = [2018, 2019, 2020, 2021, 2022, 2023, 2024, 2026]


def test_every_viewer_page_links_its_terms_under_its_title():
    for key in VIEWER_PAGES:
        assert gl.PAGE_TERMS.get(key), f"{key} names no glossary terms"
        text = (ROOT / BY_KEY[key].script).read_text(encoding="utf-8")
        assert "term_strip(frame)" in text, f"{BY_KEY[key].script} does not link its terms to the glossary"
        title = text.index("st.title(")
        assert text.index("term_strip(frame)") > title, "the links follow the title (the terms' first use)"


@pytest.mark.parametrize("lang", LANGS)
def test_every_term_used_has_an_entry_in_both_languages(lang):
    entries = catalogue()
    for key in {k for terms in gl.PAGE_TERMS.values() for k in terms if not k.startswith("@")} | set(gl.TERMS):
        assert gl.has_entry(key), key
        for part in (f"glossary.term.{key}", f"glossary.term.{key}_text"):
            assert entries[part][lang].strip(), (part, lang)
    sections = gl.glossary(lang)
    ids = [s.anchor for s in sections] + [e.anchor for s in sections for e in s.entries]
    assert len(ids) == len(set(ids)), "anchors are unique"
    assert all(re.fullmatch(r"g-[a-z0-9-]+", a) for a in ids)
    assert all(e.term.strip() and e.text.strip() for s in sections for e in s.entries)


def test_both_languages_hold_the_same_anchors():
    assert gl.anchors("id") == gl.anchors("en")


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_link_resolves_and_keeps_the_view(lang, year):
    held = gl.anchors(lang)
    params = {"lang": lang, "instansi": "kota-cilegon", "tahun": str(year), "peer": "pilih", "peers": "kota-serang", "besar": "1"}
    for key in VIEWER_PAGES:
        links = gl.page_terms(key, year, lang)
        assert links
        for link in links:
            assert link.anchor in held, (key, year, link)
            url = urlsplit(gl.href(params, link.anchor))
            assert url.path == gl.PAGE_PATH and url.fragment == link.anchor
            assert dict(parse_qsl(url.query)) == params, "the link keeps every parameter of the view"
    assert gl.PAGE_PATH == re.sub(r"^\d+_", "", Path(BY_KEY["glosarium"].script).stem), "Streamlit's URL of the page"


def test_kesenjangan_links_each_domain_of_the_years_framework():
    labels = [link.label for link in gl.page_terms("kesenjangan", 2024, "id")]
    assert [c for c in labels if re.fullmatch(r"D\d", c)] == [d.code for d in frameworks()["permenpanrb-59-2020"].top_level]


def test_every_opd_abbreviation_in_the_data_is_explained():
    found = gl.opd_abbreviations()
    assert {"Diskominfo", "DKISP", "BKPSDM", "Bappeda", "DPK"} <= set(found)
    for abbreviation in found:
        assert f"glossary.opd.{abbreviation}" in catalogue(), abbreviation
    section = next(s for s in gl.glossary("en") if s.anchor == "g-singkatan-opd")
    assert [e.term for e in section.entries] == found


@pytest.mark.parametrize("lang", LANGS)
def test_weights_bands_and_levels_are_the_framework_data(lang):
    by_anchor = {e.anchor: e for s in gl.glossary(lang) for e in s.entries}
    for fw in frameworks().values():
        for item in fw.top_level:
            entry = by_anchor[gl.item_anchor(fw.framework_id, item.code)]
            weight = fmt_num(item.weight_pct, lang, 0 if float(item.weight_pct).is_integer() else 1)
            assert weight in entry.text and item.name(lang) in entry.term
        for band in fw.bands:
            entry = by_anchor[gl.band_anchor(fw.framework_id, band.predikat)]
            assert fmt_num(band.lower, lang) in entry.text and fmt_num(band.upper, lang) in entry.text
            assert band.name(lang) == entry.term
    levels = by_anchor["g-59-2020-level-process"].text
    assert all(
        names[1 if lang == "en" else 0] in levels
        for (s, _), names in frameworks()["permenpanrb-59-2020"].level_names.items()
        if s == "process"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_the_glossary_page_holds_every_anchor(lang):
    at = run_page(BY_KEY["glosarium"].script, lang=lang)
    assert not at.exception
    shown = " ".join(str(getattr(e, "proto", e)) for e in at.get("html"))
    missing = sorted(a for a in gl.anchors(lang) if f'id="{a}"' not in shown and f'id=\\"{a}\\"' not in shown)
    assert not missing, missing


@pytest.mark.parametrize("lang", LANGS)
def test_a_viewer_page_shows_the_links(lang):
    at = run_page(BY_KEY["kesenjangan"].script, lang=lang, instansi="kota-cilegon", tahun="2024")
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    for link in gl.page_terms("kesenjangan", 2024, lang):
        assert f"#{link.anchor})" in captions, link
