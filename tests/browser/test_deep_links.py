"""Every page opened by a deep link on a freshly started server, for an instansi and a year other than the
defaults, in each language: no exception box, the tab title in the language asked for, the URL state
kept, a Plotly chart painted wherever the page renders charts, and numbers written as the language writes
them (2,60 in id, 2.60 in en)."""

from __future__ import annotations

import pytest

from spbe.dev import e2e
from spbe.i18n import LANGS, t
from spbe.models.pages import PAGES
from tests.browser.conftest import page_path, title_prefix
from tests.conftest import run_page

pytestmark = pytest.mark.browser

# Not the default focus (kota-cilegon) and not its default year (its latest official, 2024).
VIEW = {"id": {"instansi": "kota-serang", "tahun": "2023"}, "en": {"instansi": "kabupaten-banyuwangi", "tahun": "2023"}}
_server_side_charts: dict[tuple[str, str], int] = {}


def server_side_chart_count(page_key: str, lang: str) -> int:
    """How many Plotly charts the page renders for this view on the server (AppTest): the browser must paint them."""
    key = (page_key, lang)
    if key not in _server_side_charts:
        spec = next(p for p in PAGES if p.key == page_key)
        at = run_page(spec.script, lang=lang, **VIEW[lang])
        _server_side_charts[key] = len(at.get("plotly_chart"))
    return _server_side_charts[key]


def check_deep_link(tab, live_server, page_key: str, lang: str) -> None:
    view = VIEW[lang]
    url = live_server.url(page_path(page_key), lang=lang, **view)
    tab.goto(url)
    e2e.wait_page(tab, title_prefix(page_key, lang))
    charts = server_side_chart_count(page_key, lang)
    if charts:
        tab.wait_for_selector(e2e.PLOTLY_PAINTED, state="attached")
    e2e.wait_idle(tab)

    errors = e2e.exception_texts(tab)
    assert not errors, f"{url}: Streamlit exception box: {errors}"
    assert not tab.page_errors, f"{url}: JavaScript errors: {tab.page_errors}"
    assert tab.title().startswith(title_prefix(page_key, lang)), f"{url}: tab title {tab.title()!r}"
    sidebar = tab.locator('[data-testid="stSidebar"]').inner_text()
    assert t("frame.language", lang) in sidebar and t("frame.year", lang) in sidebar, f"{url}: sidebar not in {lang}"
    for name, value in view.items():
        assert f"{name}={value}" in tab.url, f"{url}: the view's {name}={value} was not kept: {tab.url}"
    painted = tab.locator(e2e.PLOTLY_PAINTED).count()
    assert painted >= min(charts, 1), f"{url}: the server renders {charts} chart(s), the browser painted {painted}"

    commas, points = e2e.decimal_style(e2e.main_text(tab))
    right, wrong = (commas, points) if lang == "id" else (points, commas)
    assert not wrong, f"{url}: numbers written the other language's way: {wrong[:10]}"
    if charts:
        assert right, f"{url}: a page with charts shows no decimal number written the {lang} way"


@pytest.mark.first_request
def test_first_request_to_a_fresh_server_is_a_deep_link_to_an_inner_page(live_server, page):
    assert not live_server.used, "another test talked to the session server first"
    check_deep_link(page, live_server, PAGES[1].key, "en")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_key", [p.key for p in PAGES])
def test_page_opens_by_deep_link(live_server, page, page_key, lang):
    check_deep_link(page, live_server, page_key, lang)
