"""The presentation in a real browser: arrow keys page through slides and each slide keeps its own URL,
presenter mode hides the side panel, and both downloads arrive as a real deck and a real PDF."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation

from spbe import e2e
from spbe.i18n import t
from tests.browser.conftest import page_path, title_prefix

pytestmark = pytest.mark.browser

KEY = "presentasi"
VIEW = dict(instansi="kota-cilegon", tahun="2024")


def open_slide(tab, live_server, lang: str, **extra) -> None:
    tab.goto(live_server.url(page_path(KEY), lang=lang, **VIEW, **extra))
    e2e.wait_page(tab, title_prefix(KEY, lang))


def heading(tab) -> str:
    return tab.locator("h1").first.inner_text()


def test_arrow_keys_move_between_slides_and_the_url_follows(live_server, page):
    open_slide(page, live_server, "id", slide="1", besar="1")
    assert heading(page).startswith("Indeks SPBE Kota Cilegon 2024")
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**slide=2**")
    e2e.wait_idle(page)
    assert heading(page) == "Perkembangan Indeks SPBE Kota Cilegon"
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**slide=1**")
    assert "lang=id" in page.url and "instansi=kota-cilegon" in page.url and "besar=1" in page.url
    assert not page.locator('[data-testid="stSidebar"]').is_visible()  # presenter mode: the slide only
    assert not e2e.exception_texts(page)


def test_both_downloads_are_real_files(live_server, page):
    open_slide(page, live_server, "en", slide="2")
    with page.expect_download() as pptx_info:
        page.get_by_role("button", name=t("present.download_pptx", "en")).click()
    deck = Presentation(io.BytesIO(open(pptx_info.value.path(), "rb").read()))
    assert pptx_info.value.suggested_filename == "spbe-kota-cilegon-2024-en.pptx"
    assert len(deck.slides) == 9
    with page.expect_download() as pdf_info:
        page.get_by_role("button", name=t("present.download_pdf", "en")).click()
    assert open(pdf_info.value.path(), "rb").read(5) == b"%PDF-"
    assert pdf_info.value.suggested_filename == "spbe-kota-cilegon-2024-en.pdf"
