"""Issue 13 items 1 and 2 in a real browser: on a 390x844 phone the Ikhtisar headline number and the first
chart start within the first screen and Plotly's mode bar is hidden on touch; a term link on a viewer page
opens the glossary at its entry, with the view's parameters kept."""

from __future__ import annotations

import pytest

from spbe.dev import e2e
from spbe.i18n import fmt_num
from spbe.models import glossary as gl
from tests.browser.conftest import page_path, title_prefix

pytestmark = pytest.mark.browser

VIEW = dict(instansi="kota-cilegon", tahun="2024")


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    yield tab
    context.close()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_phone_shows_the_headline_and_the_first_chart_on_the_first_screen(live_server, phone, lang):
    phone.goto(live_server.url(page_path("ikhtisar"), lang=lang, **VIEW))
    e2e.wait_page(phone, title_prefix("ikhtisar", lang))
    headline = phone.locator('[data-testid="stMetricValue"]').first
    assert headline.inner_text().strip() == fmt_num(2.56, lang)  # Kota Cilegon 2024 (R24), the first card
    box = headline.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 844, box
    chart = phone.locator('[data-testid="stMain"] .js-plotly-plot').first.bounding_box()
    assert 0 <= chart["y"] < 844, f"the first chart starts at {chart['y']} px, below the first screen"
    assert chart["x"] >= 0 and chart["x"] + chart["width"] <= 390
    modebar = phone.locator(".modebar-container")
    assert modebar.count() == 0 or not modebar.first.is_visible(), "Plotly's mode bar shows on a touch screen"
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390, "nothing sticks out sideways"
    assert not e2e.exception_texts(phone)


def test_a_term_link_opens_the_glossary_at_its_entry(live_server, page):
    page.goto(live_server.url(page_path("kesenjangan"), lang="en", peer="kategori", **VIEW))
    e2e.wait_page(page, title_prefix("kesenjangan", "en"))
    link = page.get_by_role("link", name="D2", exact=True)
    anchor = gl.item_anchor("permenpanrb-59-2020", "D2")
    assert link.get_attribute("href").endswith(f"#{anchor}")
    with page.context.expect_page() as opened:
        link.click()
    glossary = opened.value
    glossary.wait_for_load_state()
    e2e.wait_page(glossary, title_prefix("glosarium", "en"))
    assert "lang=en" in glossary.url and "peer=kategori" in glossary.url and "tahun=2024" in glossary.url
    entry = glossary.locator(f"#{anchor}")
    glossary.wait_for_function(
        "(id) => { const r = document.getElementById(id).getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }",
        arg=anchor,
    )
    assert entry.inner_text().startswith("D2 ")
    assert not e2e.exception_texts(glossary)
