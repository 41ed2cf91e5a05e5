"""A markdown link or image in a URL parameter renders as plain text in a real browser, and no request
leaves for the link's host (issue 12)."""

from __future__ import annotations

import pytest

from spbe.dev import e2e
from tests.browser.conftest import page_path, title_prefix

pytestmark = pytest.mark.browser

EVIL = "evil.example"
CASES = {
    "link": ("tren", {"tahun": "[Sesi habis - klik](https://evil.example/login)"}),
    "image": ("tren", {"tahun": "![x](https://evil.example/x.png)"}),
    "slide": ("presentasi", {"slide": "![x](https://evil.example/s.png)"}),
    "target": ("simulasi", {"target": "[klik](https://evil.example/t)", "usaha": "<img src=https://evil.example/u.png>"}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_markdown_in_a_url_parameter_is_plain_text_and_fetches_nothing(live_server, page, case):
    page_key, params = CASES[case]
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.goto(live_server.url(page_path(page_key), lang="id", **params))
    e2e.wait_page(page, title_prefix(page_key, "id"))
    e2e.wait_idle(page)
    alert = page.locator('[data-testid="stAlert"]', has_text=EVIL).first
    alert.wait_for(state="visible")
    text = alert.inner_text().replace("\u2060", "")  # the word joiner that keeps GFM from autolinking
    assert "https://evil.example" in text, f"the value is shown as typed: {text!r}"
    links = page.locator(f'a[href*="{EVIL}"]')
    found = [links.nth(i).evaluate("e => e.outerHTML") for i in range(links.count())]
    assert not found, f"a link to the URL's host is in the page: {found}"
    assert page.locator(f'img[src*="{EVIL}"]').count() == 0, "an image from the URL's host is in the page"
    e2e.wait_quiet(page)
    leaked = [u for u in requests if "://" in u and u.split("://", 1)[1].split("/", 1)[0].endswith(EVIL)]
    assert not leaked, f"requests left for {EVIL}: {leaked}"
