"""The presentation in a real browser: arrow keys page through slides and each slide keeps its own URL;
presenter mode (?presentasi=1) is entered and left by its buttons and by Esc; on a 1280x720 projector
every slide's title and chart lie inside the viewport; the deck downloads from presenter mode; both
downloads arrive as a real deck and a real PDF."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation

from spbe.dev import e2e
from spbe.i18n import t
from tests.browser.conftest import page_path, title_prefix

pytestmark = pytest.mark.browser

KEY = "presentasi"
VIEW = dict(instansi="kota-cilegon", tahun="2024")
SLIDES = 8
SIDEBAR = '[data-testid="stSidebar"]'
START = ".st-key-present_start button"
EXIT = ".st-key-present_exit button"


@pytest.fixture(params=[(1280, 720), (1920, 1080)], ids=["720p", "1080p"])
def projector(browser, request):
    """A tab the size of a 16:9 projector."""
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    yield tab
    context.close()


@pytest.fixture
def projector_720(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    yield tab
    context.close()


def open_slide(tab, live_server, lang: str, **extra) -> None:
    tab.goto(live_server.url(page_path(KEY), lang=lang, **VIEW, **extra))
    e2e.wait_page(tab, title_prefix(KEY, lang))


def heading(tab) -> str:
    return tab.locator("h1").first.inner_text()


def inside(box: dict, width: int, height: int) -> bool:
    return box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width and box["y"] + box["height"] <= height


def test_arrow_keys_move_between_slides_and_the_url_follows(live_server, page):
    open_slide(page, live_server, "id", slide="1", presentasi="1")
    assert heading(page).startswith("Indeks SPBE Kota Cilegon 2024")
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**slide=2**")
    e2e.wait_idle(page)
    assert heading(page) == "Perkembangan Indeks SPBE Kota Cilegon"
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**slide=1**")
    assert "lang=id" in page.url and "instansi=kota-cilegon" in page.url and "presentasi=1" in page.url
    assert not page.locator(SIDEBAR).is_visible()  # presenter mode: the slide only
    assert not e2e.exception_texts(page)


def test_presenter_mode_in_and_out_by_button_and_by_escape(live_server, projector_720):
    tab = projector_720
    open_slide(tab, live_server, "id", slide="2", besar="1")
    assert tab.locator(SIDEBAR).is_visible()  # projector text alone is not presenter mode
    tab.locator(START).click()
    tab.wait_for_url("**presentasi=1**")
    tab.locator(EXIT).wait_for()
    assert not tab.locator(SIDEBAR).is_visible()
    assert "besar=1" in tab.url and "slide=2" in tab.url  # text size and slide kept
    prev_box = tab.locator(".st-key-slide_previous button p").first
    assert prev_box.evaluate("e => e.scrollWidth <= e.clientWidth")  # "Sebelumnya" is not cut
    tab.locator(EXIT).click()
    tab.locator(START).wait_for()
    e2e.wait_idle(tab)
    assert "presentasi=1" not in tab.url and "besar=1" in tab.url
    tab.locator(SIDEBAR).wait_for(state="visible", timeout=10_000)
    # in again, then out by Esc
    tab.locator(START).click()
    tab.locator(EXIT).wait_for()
    e2e.wait_idle(tab)
    tab.keyboard.press("Escape")
    tab.locator(START).wait_for()
    e2e.wait_idle(tab)
    assert "presentasi=1" not in tab.url
    tab.locator(SIDEBAR).wait_for(state="visible", timeout=10_000)
    assert not e2e.exception_texts(tab)


def test_escape_leaves_presenter_mode_opened_from_a_link(live_server, projector_720):
    tab = projector_720
    open_slide(tab, live_server, "en", slide="4", presentasi="1")
    assert not tab.locator(SIDEBAR).is_visible()
    tab.keyboard.press("Escape")
    tab.locator(START).wait_for()
    assert "presentasi=1" not in tab.url and "slide=4" in tab.url


def test_every_slide_fits_the_projector_in_presenter_mode(live_server, projector):
    tab = projector
    size = tab.viewport_size
    open_slide(tab, live_server, "id", slide="1", presentasi="1")
    for number in range(1, SLIDES + 1):
        if number > 1:
            tab.keyboard.press("ArrowRight")
            tab.wait_for_url(f"**slide={number}**")
            e2e.wait_page(tab, title_prefix(KEY, "id"))
        title = tab.locator("h1").first.bounding_box()
        assert inside(title, size["width"], size["height"]), (number, title)
        charts = tab.locator('[data-testid="stMain"] .js-plotly-plot')
        assert charts.count() == 1, number  # every Cilegon 2024 slide has its chart
        box = charts.first.bounding_box()
        assert inside(box, size["width"], size["height"]), (number, box, size)
        assert tab.evaluate("window.scrollY") == 0
    assert not e2e.exception_texts(tab)


def test_the_deck_downloads_from_presenter_mode(live_server, projector_720):
    tab = projector_720
    open_slide(tab, live_server, "id", slide="3", presentasi="1")
    assert not tab.locator(SIDEBAR).is_visible()
    with tab.expect_download() as info:
        tab.locator(".st-key-download_pptx button").first.click()
    deck = Presentation(io.BytesIO(open(info.value.path(), "rb").read()))
    assert info.value.suggested_filename == "spbe-kota-cilegon-2024-id.pptx"
    assert len(deck.slides) == 10
    assert deck.slides[3].shapes.title.text.startswith("Mengapa 2021 → 2022 berubah")
    with tab.expect_download() as pdf_info:
        tab.locator(".st-key-download_pdf button").first.click()
    assert open(pdf_info.value.path(), "rb").read(5) == b"%PDF-"


def test_speaker_view_opens_in_a_new_tab(live_server, projector_720):
    tab = projector_720
    open_slide(tab, live_server, "id", slide="2", presentasi="1")
    link = tab.get_by_role("link", name=t("present.open_notes", "id"))
    assert link.get_attribute("target") == "_blank"
    with tab.context.expect_page() as new_tab:
        link.click()
    notes = new_tab.value
    notes.wait_for_load_state()
    e2e.wait_page(notes, title_prefix(KEY, "id"))
    assert "catatan=1" in notes.url and "slide=2" in notes.url
    text = notes.locator('[data-testid="stMain"]').inner_text()
    assert "Indeks resmi per tahun" in text  # the notes
    assert "Berikutnya: slide 3" in text


def test_both_downloads_are_real_files(live_server, page):
    open_slide(page, live_server, "en", slide="2")
    with page.expect_download() as pptx_info:
        page.get_by_role("button", name=t("present.download_pptx", "en")).click()
    deck = Presentation(io.BytesIO(open(pptx_info.value.path(), "rb").read()))
    assert pptx_info.value.suggested_filename == "spbe-kota-cilegon-2024-en.pptx"
    assert len(deck.slides) == 10
    with page.expect_download() as pdf_info:
        page.get_by_role("button", name=t("present.download_pdf", "en")).click()
    assert open(pdf_info.value.path(), "rb").read(5) == b"%PDF-"
    assert pdf_info.value.suggested_filename == "spbe-kota-cilegon-2024-en.pdf"


def test_speaker_view_and_room_follow_each_other(live_server, projector_720):
    """Issue 13 item 7: the speaker's view (?catatan=1) and the room's tab show the same slide, both ways,
    and the room still leaves presenter mode by Esc afterwards."""
    room = projector_720
    open_slide(room, live_server, "id", slide="2", presentasi="1")
    notes = room.context.new_page()
    notes.set_default_timeout(60_000)
    notes.goto(live_server.url(page_path(KEY), lang="id", **VIEW, slide="2", catatan="1"))
    e2e.wait_page(notes, title_prefix(KEY, "id"))
    room.bring_to_front()
    room.keyboard.press("ArrowRight")
    room.wait_for_url("**slide=3**")
    notes.wait_for_url("**slide=3**")  # the speaker's view followed the room
    e2e.wait_idle(notes)
    assert "catatan=1" in notes.url
    assert t("present.next_slide", "id", number=4) in notes.locator('[data-testid="stMain"]').inner_text()
    notes.bring_to_front()
    notes.locator(".st-key-slide_next button").click()
    notes.wait_for_url("**slide=4**")
    room.wait_for_url("**slide=4**")  # and the room followed the speaker
    e2e.wait_idle(room)
    assert "presentasi=1" in room.url and not room.locator(SIDEBAR).is_visible()
    room.bring_to_front()
    room.keyboard.press("Escape")
    room.wait_for_url(lambda url: "presentasi=1" not in url)
    assert "slide=4" in room.url
    assert not e2e.exception_texts(room) and not e2e.exception_texts(notes)


def _slide_chart_box(browser, live_server, width: int, height: int) -> dict:
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    try:
        open_slide(tab, live_server, "id", slide="2", presentasi="1")
        tab.locator('[data-testid="stMain"] .js-plotly-plot').first.wait_for()
        e2e.wait_idle(tab)
        return tab.locator('[data-testid="stMain"] .js-plotly-plot').first.bounding_box()
    finally:
        context.close()


def test_slide_chart_uses_the_height_of_a_1080p_projector(live_server, browser):
    """Issue 13 item 8: at 1920x1080 the slide's chart is taller than at 1280x720, and still on the screen."""
    small = _slide_chart_box(browser, live_server, 1280, 720)
    large = _slide_chart_box(browser, live_server, 1920, 1080)
    assert inside(small, 1280, 720) and inside(large, 1920, 1080), (small, large)
    assert large["height"] >= small["height"] + 200, (small, large)
