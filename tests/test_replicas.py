"""Two replicas behind nginx (tools/replicas.py): a page in Chromium through the proxy, the sticky cookie, and
an import applied through the shared state directory seen by every replica, directly and through the proxy.

Marker `browser` (run by tools/pytest_all.sh when Chromium is there); skips with a message when nginx or
Chromium is missing. The cluster has its own store, state and loopback ports; it is stopped at the end.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from spbe.dev import e2e
from spbe.i18n import t
from spbe.models.pages import PAGES

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import load_drill  # noqa: E402  (tools/load_drill.py: the protocol-level client)
import replicas  # noqa: E402  (tools/replicas.py)

pytestmark = pytest.mark.browser
QUERY = {"lang": "id", "instansi": "kota-cilegon", "tahun": "2024"}
PASSWORD = "uji-replika-rahasia-panjang"


def title_prefix(key: str) -> str:
    spec = next(p for p in PAGES if p.key == key)
    return f"{t(spec.title_key, 'id')} · {t('app.name', 'id')}"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if replicas.nginx_binary() is None:
        pytest.skip("SKIPPED replica tests: no nginx (apt-get install -y nginx)")
    if e2e.chromium_path() is None:
        pytest.skip("SKIPPED replica tests: no Chromium at $SPBE_CHROMIUM or /usr/bin/chromium")
    from spbe.store.build import build

    folder = tmp_path_factory.mktemp("replicas")
    db, state = folder / "spbe.duckdb", folder / "state"
    build(target=db, overlay=None)
    port = replicas.free_base_port(3)
    started = replicas.Cluster.start(2, port, folder / "run", db, state, env={"SPBE_ADMIN_PASSWORD": PASSWORD}, timeout=120)
    try:
        yield started
    finally:
        started.stop()
    assert not started.alive(), "every process of the cluster is stopped"


@pytest.fixture(scope="module")
def browser(cluster):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = e2e.launch_chromium(pw)
        yield chromium
        chromium.close()


def fingerprint_at(base_url: str, key: str = "ikhtisar") -> dict:
    """What a page shows when run on the server at base_url (a replica, or the proxy), by the protocol client."""

    async def go():
        session = load_drill.ProtocolSession(base_url, 60)
        await session.open()
        try:
            spec = next(p for p in PAGES if p.key == key)
            shown, _, _ = await session.view(e2e.url_path(spec.script), load_drill.view_query(), time.monotonic())
            return shown
        finally:
            await session.close()

    # In a thread of its own: Playwright's sync API keeps an event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, go()).result(timeout=120)


def browser_view(browser, url: str, key: str) -> tuple[dict, list[dict]]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    errors: list[str] = []
    tab.on("pageerror", lambda err: errors.append(str(err)))
    try:
        tab.goto(url)
        try:
            e2e.wait_page(tab, title_prefix(key))
        except Exception as err:
            shot = Path("/tmp/spbe-browser-artifacts") / f"replicas-{key}.png"
            shot.parent.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(shot), full_page=True)
            raise AssertionError(
                f"{url} not drawn: {tab.evaluate(load_drill.DOM_STATE_JS)}, title {tab.title()!r}, {shot}"
            ) from err
        assert not e2e.exception_texts(tab)
        assert tab.locator(e2e.PLOTLY_PAINTED).count() >= 1, "a chart is painted through the proxy"
        assert not errors, errors
        return e2e.figure_fingerprint(tab), context.cookies()
    finally:
        context.close()


def test_proxy_serves_health_and_sets_the_sticky_cookie(cluster):
    with urllib.request.urlopen(f"{cluster.url}/_stcore/health", timeout=10) as r:
        assert r.status == 200 and r.read().strip() == b"ok"
    with urllib.request.urlopen(f"{cluster.url}/", timeout=10) as r:
        cookies = r.headers.get_all("Set-Cookie") or []
    assert any(c.startswith("spbe_route=") for c in cookies), cookies
    request = urllib.request.Request(f"{cluster.url}/", headers={"Cookie": "spbe_route=abc"})
    with urllib.request.urlopen(request, timeout=10) as r:
        assert not [c for c in r.headers.get_all("Set-Cookie") or [] if c.startswith("spbe_route=")], "set only once"


def test_page_through_proxy_and_an_import_is_served_by_every_replica(cluster, browser, tmp_path):
    url = f"{cluster.url}/?" + "&".join(f"{k}={v}" for k, v in QUERY.items())
    before, cookies = browser_view(browser, url, "ikhtisar")
    assert any(c["name"] == "spbe_route" for c in cookies), "the browser got the proxy's sticky cookie"
    direct = [fingerprint_at(cluster.replica_url(i)) for i in range(2)]
    assert direct[0] == direct[1], "both replicas serve the same data"
    assert not direct[0]["exceptions"]

    # The write path: the CLI against the shared store and state (as an import on any replica does).
    data, name = load_drill.drill_import()
    upload = tmp_path / name
    upload.write_bytes(data)
    env = dict(os.environ, SPBE_DB=str(cluster.db), SPBE_STATE_DIR=str(cluster.state_dir))
    done = subprocess.run(
        [sys.executable, "-m", "spbe", "import", str(upload), "--user", "replica-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr

    after = [fingerprint_at(cluster.replica_url(i)) for i in range(2)]
    assert after[0] == after[1], "every replica serves the new version"
    assert after[0] != direct[0], "the import changed what the overview shows"
    through_proxy, _ = browser_view(browser, url, "ikhtisar")
    assert through_proxy != before, "the browser through the proxy sees the import"

    done = subprocess.run(
        [sys.executable, "-m", "spbe", "rollback", "--user", "replica-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert [fingerprint_at(cluster.replica_url(i)) for i in range(2)] == direct, "after the rollback both serve the seeds"
