"""The light/dark switch in a real browser: choosing Gelap turns the app dark (the page reloads once with
Streamlit's own theme switch), the choice stays in the URL across pages, Sistem goes back to the viewer's
setting, and a link with ?tema=gelap opens dark."""

from __future__ import annotations

import pytest

from spbe.dev import e2e
from spbe.i18n import t
from tests.browser.conftest import page_path, title_prefix

pytestmark = pytest.mark.browser

DARK, LIGHT = "rgb(17, 21, 28)", "rgb(255, 255, 255)"  # .streamlit/config.toml backgrounds
BACKGROUND_JS = "() => getComputedStyle(document.querySelector('.stApp')).backgroundColor"


def background(tab) -> str:
    return tab.evaluate(BACKGROUND_JS)


def wait_background(tab, colour: str) -> None:
    tab.wait_for_function(f"() => ({BACKGROUND_JS})() === {colour!r}", timeout=30_000)
    e2e.wait_idle(tab)


@pytest.fixture
def light_tab(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, color_scheme="light")
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    yield tab
    context.close()


def test_switch_to_dark_and_back_kept_in_the_url(live_server, light_tab):
    tab = light_tab
    tab.goto(live_server.url(page_path("presentasi"), lang="id", instansi="kota-cilegon", tahun="2024"))
    e2e.wait_page(tab, title_prefix("presentasi", "id"))
    assert background(tab) == LIGHT
    tab.locator(".st-key-frame_theme button", has_text=t("widgets.theme_gelap", "id")).click()
    wait_background(tab, DARK)
    assert "tema=gelap" in tab.url
    tab.get_by_role("link", name=t("page.tren", "id")).click()
    tab.wait_for_url("**/tren**")
    e2e.wait_page(tab, title_prefix("tren", "id"))
    assert "tema=gelap" in tab.url and background(tab) == DARK
    tab.locator(".st-key-frame_theme button", has_text=t("widgets.theme_system", "id")).click()
    wait_background(tab, LIGHT)
    assert "tema=" not in tab.url
    assert not e2e.exception_texts(tab)


def test_a_link_with_the_dark_theme_opens_dark(live_server, light_tab):
    tab = light_tab
    tab.goto(live_server.url(page_path("ikhtisar"), lang="en", tema="gelap"))
    wait_background(tab, DARK)
    e2e.wait_page(tab, title_prefix("ikhtisar", "en"))
    assert "tema=gelap" in tab.url
