"""What a user does in the browser: switch the language, touch a chart, download a chart's data, open a section's tab."""

from __future__ import annotations

import csv

import pytest

from spbe.dev import e2e
from spbe.i18n import t
from spbe.models.pages import PAGES
from tests.browser.conftest import page_path, title_prefix

pytestmark = pytest.mark.browser

HOME = PAGES[0].key
TREND = PAGES[1].key
# Kota Cilegon as held: R18 (2018), DS1920 (2019, unverified), DS2122 with SEED/N1 (2021-2022), R23, R24.
CILEGON_OFFICIAL = {2018: 3.23, 2019: 3.23, 2021: 2.03, 2022: 2.01, 2023: 2.30, 2024: 2.56}


def open_page(tab, live_server, page_key: str, lang: str, **view) -> None:
    tab.goto(live_server.url(page_path(page_key), lang=lang, **view))
    e2e.wait_page(tab, title_prefix(page_key, lang))


def sidebar_text(tab) -> str:
    return tab.locator('[data-testid="stSidebar"]').inner_text()


def switch_to_english(tab) -> None:
    tab.locator('[data-testid="stSidebar"] [data-testid="stButtonGroup"] button', has_text="English").click()
    tab.wait_for_function(
        "label => document.querySelector('[data-testid=\"stSidebar\"]').innerText.includes(label)",
        arg=t("frame.instansi", "en"),
    )
    e2e.wait_quiet(tab)
    e2e.wait_idle(tab)


def test_language_switch_changes_the_sidebar_and_keeps_the_view(live_server, page):
    key = PAGES[1].key
    open_page(page, live_server, key, "id", instansi="kota-serang", tahun="2023")
    before = sidebar_text(page)
    assert t("frame.year", "id") in before and t(PAGES[0].title_key, "id") in before

    switch_to_english(page)

    after = sidebar_text(page)
    for label in ("frame.instansi", "frame.year", "frame.peers", "frame.navigation"):
        assert t(label, "en") in after, f"sidebar lacks {t(label, 'en')!r} after switching to English"
    for spec in PAGES:
        assert t(spec.title_key, "en") in after, f"navigation lacks {t(spec.title_key, 'en')!r}"
    assert t("frame.instansi", "id") not in after
    assert "lang=en" in page.url and "instansi=kota-serang" in page.url and "tahun=2023" in page.url, page.url
    # Navigation links carry the view too, so the next page opens on the same instansi, year and language.
    hrefs = [a.get_attribute("href") or "" for a in page.locator('[data-testid="stPageLink-NavLink"]').all()]
    assert hrefs and all("lang=en" in h and "instansi=kota-serang" in h and "tahun=2023" in h for h in hrefs), hrefs
    assert not e2e.exception_texts(page)


def test_language_switch_relabels_everything_in_one_step(live_server, page):
    key = PAGES[1].key
    open_page(page, live_server, key, "id", instansi="kota-serang", tahun="2023")
    switch_to_english(page)
    problems = []
    if not page.title().startswith(title_prefix(key, "en")):
        problems.append(f"tab title {page.title()!r}")
    after = sidebar_text(page)
    for label in ("app.name", "frame.language"):
        if t(label, "en") not in after:
            problems.append(f"sidebar lacks {t(label, 'en')!r}")
    if page.locator('[data-testid="stSidebar"] [data-testid="stRadio"] input:checked').count() != 1:
        problems.append("the peer radio shows no selection")
    assert not problems, problems


def first_chart_points(tab):
    """Screen boxes of the data points drawn in the first chart of the page."""
    tab.wait_for_selector(e2e.PLOTLY_PAINTED, state="attached")
    points = tab.locator('[data-testid="stMain"] .js-plotly-plot').first.locator(".scatterlayer .points path.point")
    return [b for b in (p.bounding_box() for p in points.all()) if b and b["width"] > 0]


def test_hovering_a_chart_point_shows_its_value_in_the_language(live_server, page):
    open_page(page, live_server, TREND, "id", instansi="kota-cilegon", tahun="2024")
    boxes = first_chart_points(page)
    assert boxes, "the trend chart drew no points"
    box = boxes[len(boxes) // 2]
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    hover = page.locator(".hoverlayer .hovertext").first
    hover.wait_for(state="attached")
    text = " ".join(page.locator(".hoverlayer .hovertext").all_text_contents())
    commas, points = e2e.decimal_style(text)
    assert commas and not points, f"tooltip {text!r} should show the value with a decimal comma"


def test_clicking_a_legend_entry_hides_that_series(live_server, page):
    open_page(page, live_server, TREND, "en", instansi="kota-cilegon", tahun="2024")
    page.wait_for_selector(e2e.PLOTLY_PAINTED, state="attached")
    chart = page.locator('[data-testid="stMain"] .js-plotly-plot').first
    entries = chart.locator(".legend .traces")
    assert entries.count() >= 2, "the trend chart compares several series: it needs a legend"
    name = entries.nth(1).locator(".legendtext").text_content()
    entries.nth(1).locator(".legendtoggle").click()
    page.wait_for_function("el => (el.data || []).some(tr => tr.visible === 'legendonly')", arg=chart.element_handle())
    hidden = chart.evaluate("el => el.data.filter(tr => tr.visible === 'legendonly').map(tr => tr.name)")
    assert hidden == [name], f"clicked {name!r}, hidden {hidden}"


def numeric_columns(rows: list[dict]) -> dict[str, list[float]]:
    out = {}
    for col in rows[0] if rows else {}:
        try:
            out[col] = [float(r[col]) for r in rows]
        except (TypeError, ValueError):
            continue
    return out


def test_csv_download_holds_exactly_the_charted_values(live_server, page):
    open_page(page, live_server, HOME, "id", instansi="kota-cilegon", tahun="2024")
    page.wait_for_selector(e2e.PLOTLY_PAINTED, state="attached")
    charted = page.locator('[data-testid="stMain"] .js-plotly-plot').first.evaluate(
        "el => el.data.flatMap(tr => (tr.y || []).filter(v => v !== null))"
    )
    # The chart's table and downloads sit behind one control under it, drawn when it is opened.
    page.locator('[data-testid="stMain"] [data-testid="stExpander"] summary', has_text=t("common.show_table", "id")).first.click()
    button = page.locator(
        '[data-testid="stMain"] [data-testid="stDownloadButton"] button', has_text=t("common.download_csv", "id")
    ).first
    button.wait_for(state="visible")
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    columns = numeric_columns(rows)
    years = next((v for v in columns.values() if all(v) and all(2000 <= y <= 2100 and y == int(y) for y in v)), None)
    assert years, f"the CSV has no year column: {list(rows[0]) if rows else rows}"
    index = next((v for v in columns.values() if v != years and all(1 <= x <= 5 for x in v)), None)
    assert index, "the CSV has no index column"
    assert {int(y): x for y, x in zip(years, index, strict=True)} == CILEGON_OFFICIAL
    assert sorted(index) == sorted(round(float(v), 2) for v in charted), "the CSV must hold exactly what the chart shows"


def test_a_section_tab_draws_its_chart_keeps_its_place_in_the_url_and_across_a_language_switch(live_server, page):
    compare = PAGES[2].key
    open_page(page, live_server, compare, "id", instansi="kota-cilegon", tahun="2024")
    page.wait_for_selector(e2e.PLOTLY_PAINTED, state="attached")
    assert page.locator('[data-testid="stMain"] .js-plotly-plot').count() == 1, "only the open tab's chart is drawn"
    page.get_by_role("tab", name=t("compare.tab_tiles", "id")).click()
    page.wait_for_function(
        "text => [...document.querySelectorAll('[data-testid=\"stMain\"] h3')].some(h => h.innerText.includes(text))",
        arg="Peta petak Banten 2024",
    )
    page.wait_for_selector(e2e.PLOTLY_PAINTED, state="attached")
    e2e.wait_idle(page)
    assert "bagian=Peta" in page.url, page.url  # a copied link opens the same tab
    assert "instansi=kota-cilegon" in page.url and "tahun=2024" in page.url
    switch_to_english(page)
    page.wait_for_function(
        "text => [...document.querySelectorAll('[data-testid=\"stMain\"] h3')].some(h => h.innerText.includes(text))",
        arg="Tile map of Banten 2024",
    )
    e2e.wait_idle(page)
    assert page.get_by_role("tab", name=t("compare.tab_tiles", "en")).get_attribute("aria-selected") == "true"
    assert not e2e.exception_texts(page)


def test_a_section_tab_stays_on_its_page_after_a_province_change_and_a_link(live_server, page):
    # Seen in the browser: Kesenjangan's open tab "Domain" came along to Tren (?bagian=Domain), which has a tab
    # of the same label, after a change of province: Tren must open on its first tab, Indeks.
    gaps, trend = PAGES[3].key, PAGES[1].key
    open_page(page, live_server, gaps, "id", instansi="kota-cilegon", tahun="2024")
    group = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text=t("frame.group", "id"))
    group.first.click()
    page.keyboard.type("Jawa Barat")
    page.get_by_role("option", name="Jawa Barat", exact=True).click()
    page.wait_for_url("**instansi=provinsi-jawa-barat**")
    e2e.wait_idle(page)
    page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]').nth(1).click()
    e2e.wait_page(page, title_prefix(trend, "id"))
    e2e.wait_quiet(page)
    e2e.wait_idle(page)
    assert "bagian=" not in page.url, page.url
    assert "instansi=provinsi-jawa-barat" in page.url, page.url
    opened = page.locator('[data-testid="stMain"] [role="tab"][aria-selected="true"]').all_inner_texts()
    assert opened == [t("trend.tab_index", "id")], opened
    assert not e2e.exception_texts(page)
