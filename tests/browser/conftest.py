"""Browser end-to-end harness: one FRESH Streamlit server per test session (own store, own state, free
localhost port) and one headless Chromium reused by every test; each test gets its own browser context.

Skips every browser test with a clear message when no Chromium is installed ($SPBE_CHROMIUM or
/usr/bin/chromium) or Playwright is missing.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest

from spbe.dev import e2e
from spbe.i18n import t
from spbe.models.pages import PAGES

ARTIFACTS = Path("/tmp") / "spbe-browser-artifacts"


def pytest_collection_modifyitems(config, items):
    """Keep the fresh-server deep-link test first, so the server's very first request is a deep link."""
    first = [i for i in items if i.get_closest_marker("first_request")]
    items[:] = first + [i for i in items if i not in first]


def pytest_configure(config):
    config.addinivalue_line("markers", "first_request: must be the first test to talk to the session server")


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = e2e.chromium_path()
    if path is None:
        pytest.skip("SKIPPED browser tests: no Chromium at $SPBE_CHROMIUM or /usr/bin/chromium (apt-get install -y chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("SKIPPED browser tests: the playwright package is not installed (pip install -r requirements-dev.txt)")
    return path


class LiveServer:
    """The session's server, and whether anyone has talked to it yet."""

    def __init__(self, server: e2e.Server, admin_password: str):
        self.server = server
        self.base_url = server.base_url
        self.admin_password = admin_password
        self.used = False

    def url(self, path: str = "", **params) -> str:
        self.used = True
        return self.server.url(path, **params)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, chromium_executable):
    """A fresh `streamlit run app.py` with its own SPBE_DB/SPBE_STATE_DIR (built before it starts) and its
    own admin password (live_server.admin_password)."""
    folder = tmp_path_factory.mktemp("live")
    password = secrets.token_urlsafe(16)  # this server's own admin secret, for the import tests
    with e2e.streamlit_server(folder, env={"SPBE_ADMIN_PASSWORD": password}) as server:
        yield LiveServer(server, password)


@pytest.fixture(scope="session")
def browser(chromium_executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = e2e.launch_chromium(pw, chromium_executable)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    """A new browser context and tab; page errors are collected and a screenshot is kept on failure."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    tab.page_errors = []
    tab.on("pageerror", lambda err: tab.page_errors.append(str(err)))
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        shot = ARTIFACTS / f"{name}.png"
        try:
            tab.screenshot(path=str(shot), full_page=True)
            print(f"\nscreenshot: {shot}\nurl: {tab.url}")
        except Exception as err:  # the page may be gone; the failure itself is what matters
            print(f"\nno screenshot ({err})")
    context.close()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def title_prefix(page_key: str, lang: str) -> str:
    """The tab title page_frame sets: '<page title> · <app name>'."""
    spec = next(p for p in PAGES if p.key == page_key)
    return f"{t(spec.title_key, lang)} · {t('app.name', lang)}"


def page_path(page_key: str) -> str:
    """The URL path of a page: '' for the entry point, else the script name without its number prefix."""
    return e2e.url_path(next(p for p in PAGES if p.key == page_key).script)
