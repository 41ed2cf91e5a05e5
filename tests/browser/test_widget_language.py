"""Streamlit's own widget texts in the Indonesian interface: every page rendered in Chromium with lang=id,
its DOM text and input placeholders searched for the English texts Streamlit writes by itself ("Choose an
option", "Select 2 matches", "No results", "Drag and drop file here", "Limit 5MB per file", "Upload").
Fails when any of them shows. The English interface keeps them (the check is not vacuous)."""

from __future__ import annotations

import re

import pytest

from spbe.dev import e2e
from spbe.i18n import t
from spbe.models.pages import PAGES
from spbe.web.widget_text import KNOWN_ENGLISH, KNOWN_ENGLISH_PATTERNS
from tests.browser.conftest import page_path, title_prefix

pytestmark = pytest.mark.browser

VIEW = dict(instansi="kota-cilegon", tahun="2024")
SIDEBAR_MULTISELECT = '[data-testid="stSidebar"] [data-testid="stMultiSelect"] input'
UPLOAD_INPUT = '[data-testid="stFileUploaderDropzoneInput"]'
TEXT_JS = """() => [
    document.body.innerText,
    ...[...document.querySelectorAll('input[placeholder], textarea[placeholder]')].map(e => e.placeholder),
].join('\\n')"""


def english_in(text: str) -> list[str]:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    found = [s for s in KNOWN_ENGLISH if s in lines]
    found += [line for line in lines for pattern in KNOWN_ENGLISH_PATTERNS if re.search(pattern, line)]
    return found


def settle(tab) -> None:
    e2e.wait_idle(tab)
    e2e.wait_quiet(tab, quiet_ms=500)


@pytest.mark.parametrize("page_key", [p.key for p in PAGES])
def test_no_english_widget_text_on_any_indonesian_page(live_server, page, page_key):
    page.goto(live_server.url(page_path(page_key), lang="id", peer="pilih", peers="kota-serang", **VIEW))
    e2e.wait_page(page, title_prefix(page_key, "id"))
    settle(page)
    assert english_in(page.evaluate(TEXT_JS)) == [], page_key
    # the peer picker opened, filtered to several matches and then to none
    picker = page.locator(SIDEBAR_MULTISELECT).first
    picker.click()
    page.keyboard.type("kota")
    settle(page)
    assert english_in(page.evaluate(TEXT_JS)) == [], page_key
    page.keyboard.type("qqqq")
    settle(page)
    text = page.evaluate(TEXT_JS)
    assert english_in(text) == [], page_key
    assert t("widgets.no_results", "id") in text
    page.keyboard.press("Escape")


def test_file_uploader_speaks_indonesian(live_server, page):
    page.goto(live_server.url(page_path("impor"), lang="id", **VIEW))
    e2e.wait_page(page, title_prefix("impor", "id"))
    page.get_by_label(t("auth.name", "id")).fill("admin")
    page.get_by_label(t("auth.password", "id")).fill(live_server.admin_password)
    page.get_by_role("button", name=t("auth.sign_in", "id"), exact=True).click()
    page.wait_for_selector(UPLOAD_INPUT, state="attached")
    settle(page)
    text = page.evaluate(TEXT_JS)
    assert english_in(text) == []
    assert t("widgets.upload", "id") in text  # the button (Streamlit: "Upload")
    assert "Maksimal 5MB per berkas" in text  # Streamlit: "5MB per file"; the drop hint only shows when wide


def test_the_english_interface_keeps_streamlit_texts(live_server, page):
    """The search works: in English, the picker's empty state is Streamlit's own 'No results'."""
    page.goto(live_server.url(page_path("ikhtisar"), lang="en", peer="pilih", peers="kota-serang", **VIEW))
    e2e.wait_page(page, title_prefix("ikhtisar", "en"))
    page.locator(SIDEBAR_MULTISELECT).first.click()
    page.keyboard.type("qqqqqq")
    settle(page)
    assert "No results" in english_in(page.evaluate(TEXT_JS))
