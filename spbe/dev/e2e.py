"""Run the app in a real Streamlit server and drive it with a headless Chromium.

Shared by the browser tests (tests/browser/), the benchmark (spbe/dev/bench.py) and the load drill
(tools/load_drill.py), so all three start, watch and stop the server the same way. Playwright is
imported lazily: the app itself never needs it.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from spbe.settings import ROOT

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# Selectors of the Streamlit front end (1.67) the checks rely on, named once.
EXCEPTION = '[data-testid="stException"]'
PLOTLY_PAINTED = '[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg'
SCRIPT_IDLE = '.stApp[data-test-script-state="notRunning"]'
# A decimal number as written in id (2,01) or en (2.01); the lookarounds keep thousands groups
# (1.236 / 1,236), dates (5.7.2023) and codes out.
DECIMAL_COMMA = re.compile(r"(?<![\d.,])\d+,\d{1,2}(?![\d.,])")
DECIMAL_POINT = re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?![\d.,])")


def chromium_path() -> str | None:
    """The Chromium to drive: $SPBE_CHROMIUM, else /usr/bin/chromium; None when it is not there."""
    path = os.environ.get("SPBE_CHROMIUM") or "/usr/bin/chromium"
    return path if Path(path).is_file() and os.access(path, os.X_OK) else None


def streamlit_command(script: str, port: int) -> list[str]:
    """`streamlit run` of a script on a loopback port, headless, without usage statistics."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]


def free_port() -> int:
    """A TCP port on localhost that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base_url: str
    pid: int
    log_path: Path
    db_path: Path
    state_dir: Path
    process: subprocess.Popen

    def url(self, path: str = "", **params) -> str:
        """A deep link: base/<page key>?lang=..&instansi=.. (the home page is path '')."""
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return f"{self.base_url}/{path}" + (f"?{query}" if query else "")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def peak_rss_mb(self) -> float | None:
        """VmHWM of the server process: the most resident memory it has held so far."""
        return vm_hwm_mb(self.pid)


def vm_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def wait_healthy(base_url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as r:
                if r.status == 200 and r.read().strip() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"streamlit did not answer {base_url}/_stcore/health within {timeout:.0f} s")


def stop(process: subprocess.Popen) -> None:
    """Stop the server we started (its own process group), politely first."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextmanager
def streamlit_server(
    workdir: Path,
    db: Path | None = None,
    script: str = "app.py",
    port: int | None = None,
    build_store: bool = True,
    env: dict[str, str] | None = None,
):
    """A fresh server for script on a free localhost port with its own SPBE_DB and SPBE_STATE_DIR.

    The store is built into workdir first (unless db names an existing one); env adds variables (e.g. the
    admin password); the server is killed on exit.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    db = db or workdir / "spbe.duckdb"
    state = workdir / "state"
    state.mkdir(exist_ok=True)
    if build_store and not db.exists():
        from spbe.store.build import build

        build(target=db, overlay=None)
    port = port or free_port()
    env = dict(os.environ, **(env or {}), SPBE_DB=str(db), SPBE_STATE_DIR=str(state), PYTHONUNBUFFERED="1")
    log_path = workdir / f"streamlit-{port}.log"
    cmd = streamlit_command(script, port)
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    server = Server(base_url, process.pid, log_path, db, state, process)
    try:
        wait_healthy(base_url, process)
        yield server
    except BaseException as err:
        if not isinstance(err, GeneratorExit):
            err.add_note(f"server log ({log_path}):\n{server.log_tail()}")
        raise
    finally:
        stop(process)


def launch_chromium(playwright, executable: str | None = None):
    executable = executable or chromium_path()
    if executable is None:
        raise FileNotFoundError("no Chromium: set SPBE_CHROMIUM or apt-get install -y chromium")
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)


# -- reading a rendered page ------------------------------------------------------------------
# The JavaScript is kept in constants so the sync helpers below and async drivers (the load drill) agree.
# Ready: the script run finished and either the page is drawn (tab title, sidebar pickers, every chart
# painted) or it failed (an exception box: the caller reports it rather than waiting out a timeout).
# Plotly, metrics and other widgets mount lazily, after the run has finished: until then their element
# container holds a placeholder (stSkeleton); chart containers are also marked st-key-chart_<key> by
# spbe.web.ui.chart_block, so count those against painted plots.
PAGE_READY_JS = """prefix => document.querySelector('.stApp[data-test-script-state="notRunning"]') !== null && (
    document.querySelector('[data-testid="stException"]') !== null || (
        document.title.startsWith(prefix)
        && document.querySelector('[data-testid="stSkeleton"]') === null
        && document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stSelectbox"]').length >= 2
        && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.js-plotly-plot .main-svg'))
        && [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')].filter(p => p.querySelector('.main-svg')).length
           >= document.querySelectorAll('[data-testid="stMain"] [class*="st-key-chart_"]').length))"""
QUIET_JS = """([quiet, cap]) => new Promise(resolve => {
    let timer;
    const done = () => { observer.disconnect(); clearTimeout(capTimer); resolve(); };
    const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quiet); });
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
    timer = setTimeout(done, quiet);
    const capTimer = setTimeout(done, cap);
})"""
MAIN_TEXT_JS = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    if (!main) return '';
    const copy = main.cloneNode(true);
    copy.querySelectorAll('[data-testid="stCaptionContainer"], .js-plotly-plot').forEach(e => e.remove());
    const svgText = [...main.querySelectorAll('.js-plotly-plot svg text')].map(t => t.textContent);
    copy.style.position = 'absolute';
    copy.style.left = '-99999px';
    document.body.appendChild(copy);
    const text = copy.innerText;
    copy.remove();
    return text + '\\n' + svgText.join('\\n');
}"""
FINGERPRINT_JS = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    if (!main) return null;
    const keep = ['name', 'x', 'y', 'z', 'text', 'values', 'labels'];
    const plots = [...main.querySelectorAll('.js-plotly-plot')].map(el =>
        (el.data || []).map(tr => keep.map(k => tr[k] === undefined ? null : tr[k])));
    const metrics = [...main.querySelectorAll('[data-testid="stMetric"]')].map(m => m.innerText);
    const headings = [...main.querySelectorAll('h1, h2, h3')].map(h => h.innerText);
    return JSON.parse(JSON.stringify({plots, metrics, headings}));
}"""


def wait_idle(page, timeout_ms: float = 60_000) -> None:
    """Wait until the page's script run has finished (Streamlit marks the app root)."""
    page.wait_for_selector(SCRIPT_IDLE, state="attached", timeout=timeout_ms)


def wait_page(page, title_prefix: str, timeout_ms: float = 60_000) -> None:
    """Wait until the browser shows the page whose tab title starts with title_prefix, fully drawn.

    The script run ending is not enough: Streamlit draws lazily loaded widgets and Plotly paints a few
    hundred ms later, so also wait for the sidebar's pickers and every chart, then for the DOM to settle.
    """
    page.wait_for_function(PAGE_READY_JS, arg=title_prefix, timeout=timeout_ms)
    wait_quiet(page)
    wait_idle(page, timeout_ms)


def wait_quiet(page, quiet_ms: int = 400, cap_ms: int = 5_000) -> None:
    """Wait until the document has not changed for quiet_ms (at most cap_ms: an animation may never stop)."""
    page.evaluate(QUIET_JS, [quiet_ms, cap_ms])


def main_text(page) -> str:
    """The visible text of the main area (sidebar and captions excluded: source notes quote titles
    as published) plus the text drawn inside charts: the numbers a reader sees."""
    return page.evaluate(MAIN_TEXT_JS)


def exception_texts(page) -> list[str]:
    return [e.inner_text() for e in page.query_selector_all(EXCEPTION)]


def decimal_style(text: str) -> tuple[list[str], list[str]]:
    """(numbers written with a decimal comma, numbers written with a decimal point) found in text."""
    return DECIMAL_COMMA.findall(text), DECIMAL_POINT.findall(text)


def figure_fingerprint(page) -> dict | None:
    """What the page's charts, metrics and headings show, as plain data: tells one data version from another."""
    return page.evaluate(FINGERPRINT_JS)


def url_path(script: str) -> str:
    """A page's URL path: '' for the entry point, else the script's name without its number prefix."""
    return "" if script == "app.py" else re.sub(r"^\d+_", "", Path(script).stem)
