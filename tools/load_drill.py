"""Load drill: concurrent browser sessions click through every page while an import is applied and rolled
back underneath them. Bounded in sessions, time and views; stops by itself; never touches data/.

    .venv/bin/python tools/load_drill.py [--sessions 20] [--seconds 120] [--out DIR]

What happens:
  1. A fresh `streamlit run app.py` on a free localhost port with its own store and state (temp folder).
  2. Reference pass: every page is opened once on the seeds ("old" view), then the drill's import is applied
     through the real importer (spbe.imports.importer.apply_upload: Kota Cilegon's 2024 self-assessment at indicator,
     domain and index level, a test pattern) and every page is opened again ("new" view); then rolled back.
  3. The drill: N sessions (one Chromium, one context each) start on different pages by deep link and keep
     clicking the sidebar's page links. Between 20 % and 80 % of the time the same import is applied again
     and rolled back, alternately (--switches, default 4): the store is switched under live sessions.
  4. Every view is checked: no Streamlit exception box, no JavaScript error, drawn within the time limit;
     its charts, metrics and headings must equal the page's old or new reference exactly, within
     --settle-seconds of being drawn (anything else is a view that MIXED data versions or is wrong); a view
     started after a switch finished must show the data of that switch (else STALE: a cache that outlived the
     store version).
Exit 0 only with zero errors, zero mixed and zero stale views. Latency = click (or navigation) to the page
being drawn (title, script finished, sidebar pickers, every chart painted).

Through a proxy, with protocol-level sessions (issue 15): --protocol-sessions 20,40,80 --replicas 1,2

    .venv/bin/python tools/load_drill.py --protocol-sessions 20,40,80 --replicas 1,2 --browsers 2 \
        --seconds 60 --think 5 --out artifacts/load

  For each replica count R and session count N: a fresh store and state in a temp folder, R replicas behind
  nginx on loopback ports (tools/replicas.py), N lightweight sessions that speak Streamlit's WebSocket
  protocol (GET / for the proxy's sticky cookie, then ws://proxy/_stcore/stream; each view is a rerun_script
  BackMsg naming the page and the URL parameters, as the front end sends on a page link; ForwardMsgs are
  read until script_finished) plus --browsers real Chromium sessions (the checks above) for correctness.
  An import is applied and rolled back during the run (--switches, default 2). Every protocol view is
  checked like a browser view: its charts (Plotly traces), metrics and headings must equal the page's
  old or new reference (else MIXED), and a view started after a switch finished must show that switch's
  data (else STALE); an exception element, a failed run or a timeout is an ERROR. "First chart" = from
  sending the rerun to receiving the first Plotly chart delta (the browser then paints it: add ~0.1-0.3 s).
  Prints one table: page views/s, p50/p95 first chart and full view, errors, mixed, stale, browser views,
  peak memory and CPU per replica, machine CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spbe.dev import e2e  # noqa: E402
from spbe.i18n import t  # noqa: E402
from spbe.models.pages import PAGES  # noqa: E402

FOCUS = "kota-cilegon"
YEAR = 2024
VIEW = {"lang": "id", "instansi": FOCUS, "tahun": str(YEAR)}
DRILL_ASSESSMENT = "self_assessment"
NAV_LINK = '[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]'
# What the front end was doing, for a view that never matched a reference.
DOM_STATE_JS = """() => {
    const app = document.querySelector('.stApp');
    return {
        script: app && app.getAttribute('data-test-script-state'),
        connection: (document.querySelector('[data-test-connection-state]') || {getAttribute: () => null})
            .getAttribute('data-test-connection-state'),
        skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
        chart_containers: document.querySelectorAll('[data-testid="stMain"] [class*="st-key-chart_"]').length,
        painted: document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot').length,
        stale: document.querySelectorAll('[data-stale="true"]').length,
    };
}"""


# -- the import the drill applies --------------------------------------------------------------
def drill_import() -> tuple[bytes, str]:
    """An XLSX with Kota Cilegon's 2024 self-assessment at indicator, domain and index level: a fixed test
    pattern (not a real result), consistent under the regulation's arithmetic so the importer takes it."""
    from openpyxl import Workbook

    from spbe.core.frameworks import framework_for_year
    from spbe.core.scoring import domain_index, index_from_levels

    fw = framework_for_year(YEAR)
    levels = {i.code: 2 + (int(i.code) * 5) % 3 for i in fw.indicators}
    note = "load drill test pattern, not a real result"
    book = Workbook()
    book.remove(book.active)
    sheet = book.create_sheet("indikator")
    sheet.append(["instansi", "year", "assessment", "indicator_no", "level", "note"])
    for code, level in levels.items():
        sheet.append([FOCUS, YEAR, DRILL_ASSESSMENT, int(code), level, note])
    sheet = book.create_sheet("domain")
    sheet.append(["instansi", "year", "assessment", "domain_code", "value", "note"])
    for d in fw.domains:
        sheet.append([FOCUS, YEAR, DRILL_ASSESSMENT, d.code, round(domain_index(fw, d.code, levels).value, 2), note])
    sheet = book.create_sheet("indeks")
    sheet.append(["instansi", "year", "assessment", "indeks", "note"])
    sheet.append([FOCUS, YEAR, DRILL_ASSESSMENT, round(index_from_levels(fw, levels).value, 2), note])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue(), "load_drill_cilegon_2024.xlsx"


def apply_import(data: bytes, name: str) -> str:
    from spbe.imports import importer

    result = importer.apply_upload(data, name, "load-drill")
    if not result.ok:
        raise RuntimeError(f"the drill's import was refused: {[p.code for p in result.problems]}")
    return result.version or ""


def roll_back() -> str:
    from spbe.imports import importer

    result = importer.rollback("load-drill")
    if not result.ok:
        raise RuntimeError(f"rollback refused: {[p.code for p in result.problems]}")
    return result.version or "seeds"


# -- one view ----------------------------------------------------------------------------------
@dataclass
class View:
    session: int
    page: str
    how: str  # link | deep link
    started: float  # seconds since the drill began
    latency_ms: float | None = None
    verdict: str = ""  # old | new | MIXED | STALE | ERROR
    detail: str = ""
    kind: str = "browser"  # browser | protocol
    first_chart_ms: float | None = None  # protocol views: rerun sent -> first Plotly chart delta received


def title_prefix(key: str) -> str:
    spec = next(p for p in PAGES if p.key == key)
    return f"{t(spec.title_key, VIEW['lang'])} · {t('app.name', VIEW['lang'])}"


async def settle(tab, key: str, timeout_ms: float) -> None:
    await tab.wait_for_function(e2e.PAGE_READY_JS, arg=title_prefix(key), timeout=timeout_ms)


async def fingerprint(tab) -> dict | None:
    await tab.evaluate(e2e.QUIET_JS, [300, 3000])
    return await tab.evaluate(e2e.FINGERPRINT_JS)


async def reference_pass(browser, server, timeout_ms: float, skip: frozenset = frozenset()) -> dict[str, dict]:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(timeout_ms)
    tab = await context.new_page()
    out = {}
    try:
        for spec in PAGES:
            if spec.key in skip:
                continue
            await tab.goto(server.url(e2e.url_path(spec.script), **VIEW))
            await settle(tab, spec.key, timeout_ms)
            if await tab.query_selector(e2e.EXCEPTION):
                raise RuntimeError(f"page {spec.key} shows an exception in the reference pass")
            out[spec.key] = await fingerprint(tab)
    finally:
        await context.close()
    return out


class Drill:
    def __init__(self, args, server, old: dict, new: dict):
        self.args = args
        self.server = server
        self.old, self.new = old, new
        self.views: list[View] = []
        self.t0 = time.monotonic()
        self.deadline = self.t0 + args.seconds
        # (began, finished or None while under way, the reference serving once finished)
        self.switches: list[list] = []
        self.events: list[str] = []
        self.base_url = getattr(server, "base_url", "")
        self.proto_old: dict[str, dict | None] = {}
        self.proto_new: dict[str, dict | None] = {}
        self.skip: frozenset = frozenset()  # pages left out (they fail on the reference data)

    def now(self) -> float:
        return time.monotonic() - self.t0

    def expected(self, start: float, end: float) -> str | None:
        """The reference a view drawn between start and end must show; None if a switch overlapped it."""
        current = "old"
        for began, done, which in self.switches:
            if done is None or (began <= end and done >= start):
                return None
            if done <= start:
                current = which
        return current

    async def judge(self, tab, view: View) -> None:
        errors = [await e.inner_text() for e in await tab.query_selector_all(e2e.EXCEPTION)]
        if errors:
            view.verdict, view.detail = "ERROR", "exception box: " + errors[0][:300]
            return
        shown = None
        patience = time.monotonic() + self.args.settle_seconds
        while True:  # a slow draw converges to a reference; a mixed view never does
            shown = await fingerprint(tab)
            if shown in (self.old[view.page], self.new[view.page]) or time.monotonic() > patience:
                break
            await asyncio.sleep(0.5)
        which = "old" if shown == self.old[view.page] else "new" if shown == self.new[view.page] else None
        if which is None:
            state = await tab.evaluate(DOM_STATE_JS)
            view.verdict = "MIXED"
            view.detail = f"page state {state}; shows " + json.dumps(shown, ensure_ascii=False)[:2000]
            return
        expected = self.expected(view.started, self.now())
        if expected is not None and self.old[view.page] != self.new[view.page] and which != expected:
            view.verdict, view.detail = "STALE", f"showed {which} data, {expected} was serving since the view began"
            return
        view.verdict = which

    async def session(self, browser, number: int) -> None:
        await asyncio.sleep(number * self.args.stagger)
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(self.args.view_timeout * 1000)
        tab = await context.new_page()
        js_errors: list[str] = []
        tab.on("pageerror", lambda err: js_errors.append(str(err)))
        keys = [p.key for p in PAGES]
        position = number % len(keys)
        how = "deep link"
        try:
            for _ in range(self.args.max_views):
                if time.monotonic() >= self.deadline:
                    break
                while keys[position] in self.skip:
                    position = (position + 1) % len(keys)
                key = keys[position]
                view = View(number, key, how, self.now())
                t_start = time.monotonic()
                try:
                    if how == "deep link":
                        await tab.goto(self.server.url(e2e.url_path(PAGES[position].script), **VIEW))
                    else:
                        await tab.locator(NAV_LINK).nth(position).click()
                    await settle(tab, key, self.args.view_timeout * 1000)
                    view.latency_ms = (time.monotonic() - t_start) * 1000
                    await self.judge(tab, view)
                except Exception as err:  # a view that does not come is an error of the drill, not a crash
                    view.verdict, view.detail = "ERROR", f"{type(err).__name__}: {str(err).splitlines()[0][:300]}"
                    how = "deep link"  # start clean from a fresh load
                else:
                    how = "link"
                if js_errors:
                    view.verdict = "ERROR"
                    view.detail = (view.detail + " | " if view.detail else "") + "JavaScript: " + "; ".join(js_errors)[:300]
                    js_errors.clear()
                if view.verdict in ("ERROR", "MIXED", "STALE") and self.args.out:
                    shot = self.args.out / f"{view.verdict.lower()}-s{number}-{key}-{int(view.started)}.png"
                    try:
                        await tab.screenshot(path=str(shot), full_page=True)
                        view.detail += f" [screenshot {shot}]"
                    except Exception:
                        pass
                self.views.append(view)
                position = (position + 1) % len(keys)
                if self.args.think:  # a reader looks at the page before the next click (0.5-1.5 x think)
                    await asyncio.sleep(self.args.think * (0.5 + ((number * 7 + position * 3) % 11) / 10))
        finally:
            await context.close()

    # -- protocol sessions (proxy mode) --
    def judge_protocol(self, view: View, shown: dict) -> None:
        if shown["exceptions"]:
            view.verdict, view.detail = "ERROR", "exception: " + shown["exceptions"][0][:300]
            return
        old, new = self.proto_old.get(view.page), self.proto_new.get(view.page)
        if old is None:  # a page not identical on the same data: cannot tell versions apart
            view.verdict = "unchecked"
            return
        which = "old" if shown == old else "new" if shown == new else None
        if which is None:
            view.verdict = "MIXED"
            view.detail = "shows " + json.dumps(shown, ensure_ascii=False)[:1500]
            return
        expected = self.expected(view.started, self.now())
        if expected is not None and old != new and which != expected:
            view.verdict, view.detail = "STALE", f"showed {which} data, {expected} was serving since the view began"
            return
        view.verdict = which

    async def protocol_session(self, number: int) -> None:
        await asyncio.sleep(number * self.args.ramp / max(1, self.args.current_sessions))
        session: ProtocolSession | None = None
        position = number % len(PAGES)
        query = view_query()
        try:
            for _ in range(self.args.max_views):
                if time.monotonic() >= self.deadline:
                    break
                while PAGES[position].key in self.skip:
                    position = (position + 1) % len(PAGES)
                spec = PAGES[position]
                view = View(number, spec.key, "link" if session else "deep link", self.now(), kind="protocol")
                t_start = time.monotonic()
                try:
                    if session is None:
                        session = ProtocolSession(self.base_url, self.args.view_timeout)
                        await session.open()
                    shown, view.latency_ms, view.first_chart_ms = await session.view(e2e.url_path(spec.script), query, t_start)
                    self.judge_protocol(view, shown)
                except Exception as err:  # a view that does not come is an error, and the session starts afresh
                    view.verdict, view.detail = (
                        "ERROR",
                        f"{type(err).__name__}: {str(err).splitlines()[0][:300] if str(err) else ''}",
                    )
                    if session is not None:
                        await session.close()
                    session = None
                self.views.append(view)
                position = (position + 1) % len(PAGES)
                if self.args.think:
                    await asyncio.sleep(self.args.think * (0.5 + ((number * 7 + position * 3) % 11) / 10))
        finally:
            if session is not None:
                await session.close()

    async def switcher(self, data: bytes, name: str) -> None:
        """Apply, roll back, apply, ... spread evenly over the drill (the first at 20 % of the time)."""
        count = self.args.switches
        for n in range(count):
            action, which = ("apply", "new") if n % 2 == 0 else ("rollback", "old")
            fraction = 0.2 + 0.6 * n / max(1, count - 1)
            await asyncio.sleep(max(0.0, self.t0 + fraction * self.args.seconds - time.monotonic()))
            switch = [self.now(), None, which]
            self.switches.append(switch)
            call = (lambda: apply_import(data, name)) if action == "apply" else roll_back
            version = await asyncio.to_thread(call)
            switch[1] = self.now()
            self.events.append(f"{action} {switch[0]:.1f}-{switch[1]:.1f} s, then serving {version}")


# -- protocol-level sessions: Streamlit's WebSocket protocol, no browser ------------------------------
PLOTLY_KEEP = ("name", "x", "y", "z", "text", "values", "labels")


class ProtocolSession:
    """What one browser tab does to the server, without a browser: GET / (the proxy's sticky cookie), one
    WebSocket to /_stcore/stream, and per view one rerun_script BackMsg naming the page and the URL query,
    as the front end sends it for a page link; ForwardMsgs are read until that run's script_finished."""

    def __init__(self, base_url: str, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.ws = None
        self.page_hashes: dict[str, str] = {}  # url path -> page_script_hash, from the navigation message

    def _cookies(self) -> str:
        with urllib.request.urlopen(self.base_url + "/", timeout=self.timeout) as r:
            r.read()
            return "; ".join(c.split(";", 1)[0] for c in (r.headers.get_all("Set-Cookie") or []))

    async def open(self) -> None:
        import websockets

        cookies = await asyncio.to_thread(self._cookies)
        url = "ws" + self.base_url.removeprefix("http") + "/_stcore/stream"
        self.ws = await websockets.connect(
            url,
            subprotocols=["streamlit"],
            additional_headers={"Cookie": cookies} if cookies else None,
            max_size=None,
            open_timeout=self.timeout,
            # A browser sends no WebSocket pings; a busy server that answers late is measured by the view
            # timeout, not cut off by a client-side keepalive.
            ping_interval=None,
        )

    async def close(self) -> None:
        if self.ws is not None:
            try:
                await asyncio.wait_for(self.ws.close(), 5)
            except Exception:
                pass
            self.ws = None

    async def view(self, path: str, query: str, t_start: float) -> tuple[dict, float, float | None]:
        """Run one page; (fingerprint, ms to script_finished, ms to the first Plotly chart delta), both from t_start."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = path
        msg.rerun_script.page_script_hash = self.page_hashes.get(path, "")
        await self.ws.send(msg.SerializeToString())
        elements: dict[tuple, tuple] = {}
        first_chart = None
        deadline = time.monotonic() + self.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no script_finished within {self.timeout:.0f} s")
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), left))
            kind = fwd.WhichOneof("type")
            if kind == "new_session":  # a run begins (again, after a rerun the page asked for)
                elements.clear()
            elif kind == "navigation":
                self.page_hashes = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
            elif kind == "page_not_found":
                raise RuntimeError(f"page not found: {path!r}")
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                what = element.WhichOneof("type")
                where = tuple(fwd.metadata.delta_path)
                if what == "plotly_chart":
                    first_chart = first_chart or (time.monotonic() - t_start) * 1000
                    elements[where] = (what, element.plotly_chart.spec)
                elif what == "metric":
                    elements[where] = (what, [element.metric.label, element.metric.body, element.metric.delta])
                elif what == "heading":
                    elements[where] = (what, element.heading.body)
                elif what == "exception":
                    elements[where] = (what, f"{element.exception.type}: {element.exception.message}")
                else:
                    elements[where] = (what, None)
            elif kind == "script_finished":
                status = fwd.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the page called st.rerun: its next run follows on this socket
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError("script finished with a compile error")
                return protocol_fingerprint(elements), (time.monotonic() - t_start) * 1000, first_chart


def protocol_fingerprint(elements: dict[tuple, tuple]) -> dict:
    """What the main area shows, as the browser fingerprint (e2e.FINGERPRINT_JS) takes it: Plotly traces'
    name/x/y/z/text/values/labels, metric texts, headings; plus any exception."""
    plots, metrics, headings, exceptions = [], [], [], []
    for where in sorted(elements):
        what, payload = elements[where]
        if what == "exception":
            exceptions.append(payload)
        if not where or where[0] != 0:  # 0 = main area, 1 = sidebar
            continue
        if what == "plotly_chart":
            figure = json.loads(payload)
            plots.append([[trace.get(k) for k in PLOTLY_KEEP] for trace in figure.get("data", [])])
        elif what == "metric":
            metrics.append(payload)
        elif what == "heading":
            headings.append(payload)
    return {"plots": plots, "metrics": metrics, "headings": headings, "exceptions": exceptions}


def view_query() -> str:
    return "&".join(f"{k}={v}" for k, v in VIEW.items())


async def protocol_reference(base_url: str, timeout: float, broken: dict[str, str] | None = None) -> dict[str, dict]:
    """Every page once in one protocol session: page key -> fingerprint. A page that shows an exception on
    the reference data is a bug of the app, not of the load: it is recorded in broken (page -> message) and
    left out of the drill, and the report names it."""
    session = ProtocolSession(base_url, timeout)
    await session.open()
    out = {}
    try:
        for spec in PAGES:
            shown, _, _ = await session.view(e2e.url_path(spec.script), view_query(), time.monotonic())
            if shown["exceptions"] and broken is not None:
                broken.setdefault(spec.key, shown["exceptions"][0][:300])
            out[spec.key] = shown
    finally:
        await session.close()
    return out


class Target:
    """A base URL with the same url() as e2e.Server, for browser sessions through the proxy."""

    def __init__(self, base_url: str):
        self.base_url = base_url

    def url(self, path: str = "", **params) -> str:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return f"{self.base_url}/{path}" + (f"?{query}" if query else "")


def cpu_line(drill: Drill, views: int) -> str:
    server, machine, wall = getattr(drill, "cpu", (0.0, 0.0, 0.0))
    if not wall:
        return ""
    cpus = os.cpu_count() or 1
    return (
        f"CPU while the sessions ran ({wall:.0f} s, {cpus} CPUs): the machine was busy {machine / wall / cpus:.0%}; the "
        f"Streamlit server used {server:.0f} CPU-s ({server / max(machine, 1e-9):.0%} of all busy time, "
        f"{server / max(views, 1) * 1000:.0f} CPU-ms per view); the rest went to the {drill.args.sessions} browser "
        "sessions on the same machine, so latencies here include the clients' own work."
    )


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used (/proc/<pid>/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time the whole machine has spent not idle, over all CPUs (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def report(drill: Drill, args, rss: float | None, sensitive: list[str]) -> tuple[str, int]:
    views = drill.views
    verdicts = {v: sum(1 for x in views if x.verdict == v) for v in ("old", "new", "MIXED", "STALE", "ERROR")}
    lat = [v.latency_ms for v in views if v.latency_ms is not None]
    lines = [
        f"Load drill: {args.sessions} sessions for {args.seconds:.0f} s, think time {args.think:g} s, {len(views)} views "
        f"({sum(v.how == 'link' for v in views)} by sidebar link, {sum(v.how == 'deep link' for v in views)} by deep link).",
        "Store switches: " + "; ".join(drill.events),
        f"Pages whose view differs between the two data versions (where mixing can be seen): {', '.join(sensitive) or 'none'}.",
        f"Verdicts: old {verdicts['old']}, new {verdicts['new']}, MIXED {verdicts['MIXED']}, STALE {verdicts['STALE']}, "
        f"ERROR {verdicts['ERROR']}.",
        f"Server peak RSS (VmHWM): {rss:.0f} MB." if rss is not None else "Server peak RSS: unknown.",
        cpu_line(drill, len(views)),
        "",
        "| page | views | p50 ms | p90 ms | p95 ms | max ms |",
        "|---|---|---|---|---|---|",
    ]
    for spec in PAGES:
        got = [v.latency_ms for v in views if v.page == spec.key and v.latency_ms is not None]
        if got:
            lines.append(
                f"| {spec.key} | {len(got)} | {statistics.median(got):.0f} | {pct(got, 90):.0f} | "
                f"{pct(got, 95):.0f} | {max(got):.0f} |"
            )
    if lat:
        lines.append(
            f"| **all** | {len(lat)} | {statistics.median(lat):.0f} | {pct(lat, 90):.0f} | {pct(lat, 95):.0f} | {max(lat):.0f} |"
        )
    bad = [v for v in views if v.verdict in ("MIXED", "STALE", "ERROR")]
    if bad:
        lines += ["", "Problems:"] + [
            f"- {v.verdict} session {v.session} page {v.page} ({v.how}) at {v.started:.1f} s: {v.detail[:600]}" for v in bad[:40]
        ]
    failed = verdicts["MIXED"] + verdicts["STALE"] + verdicts["ERROR"]
    lines += ["", "RESULT: " + ("pass" if not failed and views else "FAIL")]
    return "\n".join(lines), (0 if not failed and views else 1)


async def run(args) -> int:
    from playwright.async_api import async_playwright

    data, name = drill_import()
    with tempfile.TemporaryDirectory(prefix="spbe-drill-") as tmp:
        folder = Path(tmp)
        with e2e.streamlit_server(folder) as server:
            # The importer runs in this process: point it at the server's store and state.
            os.environ["SPBE_DB"] = str(server.db_path)
            os.environ["SPBE_STATE_DIR"] = str(server.state_dir)
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=e2e.chromium_path(), args=e2e.CHROMIUM_ARGS)
                try:
                    timeout = args.view_timeout * 1000
                    old = await reference_pass(browser, server, timeout)
                    await asyncio.to_thread(apply_import, data, name)
                    new = await reference_pass(browser, server, timeout)
                    await asyncio.to_thread(roll_back)
                    again = await reference_pass(browser, server, timeout)
                    unstable = [k for k in old if old[k] != again[k]]
                    if unstable:
                        print(f"warning: pages not identical on the same data (excluded from MIXED): {unstable}")
                        for k in unstable:
                            old[k] = new[k] = None
                    sensitive = [k for k in old if old[k] != new[k]]
                    drill = Drill(args, server, old, new)
                    tasks = [drill.session(browser, i) for i in range(args.sessions)]
                    cpu_before = (process_cpu_seconds(server.pid), machine_busy_seconds(), time.monotonic())
                    await asyncio.gather(drill.switcher(data, name), *tasks)
                    drill.cpu = [
                        after - before
                        for before, after in zip(
                            cpu_before, (process_cpu_seconds(server.pid), machine_busy_seconds(), time.monotonic()), strict=True
                        )
                    ]
                finally:
                    await browser.close()
            rss = server.peak_rss_mb()
    text, code = report(drill, args, rss, sensitive)
    print(text)
    if args.out:
        (args.out / "load_drill.md").write_text(text + "\n", encoding="utf-8")
        (args.out / "views.json").write_text(json.dumps([asdict(v) for v in drill.views], indent=1), encoding="utf-8")
    return code


# -- through a proxy: replicas x protocol sessions (issue 15) -----------------------------------------
def _ms(values: list[float], p: float) -> str:
    return f"{pct(values, p) / 1000:.2f}" if values else "-"


async def proxy_config(args, browser, replicas: int, sessions: int, data: bytes, name: str, refs: dict) -> dict:
    """One configuration: fresh store and state, `replicas` processes behind nginx, `sessions` protocol
    sessions (+ args.browsers Chromium sessions), an import and a rollback during the run."""
    import replicas as replica_tool  # tools/replicas.py

    with tempfile.TemporaryDirectory(prefix="spbe-proxy-drill-") as tmp:
        folder = Path(tmp)
        db, state = folder / "spbe.duckdb", folder / "state"
        os.environ["SPBE_DB"], os.environ["SPBE_STATE_DIR"] = str(db), str(state)  # the drill's importer
        from spbe.store.build import build

        build(target=db, overlay=None)
        port = replica_tool.free_base_port(replicas + 1)
        cluster = replica_tool.Cluster.start(replicas, port, folder / "run", db, state)
        try:
            timeout = args.view_timeout
            # Warm every replica (first runs import modules and fill caches), then the references via the proxy.
            broken: dict[str, str] = {}
            for i in range(replicas):
                await protocol_reference(cluster.replica_url(i), timeout, broken)
            old = await protocol_reference(cluster.url, timeout, broken)
            skip = frozenset(broken)
            target = Target(cluster.url)
            if browser is not None and "browser_old" not in refs and "browser_error" not in refs:
                try:
                    refs["browser_old"] = await reference_pass(browser, target, timeout * 1000, skip)
                except Exception as err:  # reported; the protocol sessions still run
                    refs["browser_error"] = (
                        f"browser reference pass failed: {type(err).__name__}: {str(err).splitlines()[0][:200]}"
                    )
            await asyncio.to_thread(apply_import, data, name)
            new = await protocol_reference(cluster.url, timeout, broken)
            if browser is not None and "browser_new" not in refs and "browser_error" not in refs:
                try:
                    refs["browser_new"] = await reference_pass(browser, target, timeout * 1000, skip)
                except Exception as err:
                    refs["browser_error"] = (
                        f"browser reference pass failed: {type(err).__name__}: {str(err).splitlines()[0][:200]}"
                    )
            if "browser_error" in refs:
                browser = None
            await asyncio.to_thread(roll_back)
            again = await protocol_reference(cluster.url, timeout)
            unstable = [k for k in old if old[k] != again[k]]
            for k in unstable:
                old[k] = new[k] = None
            sensitive = [k for k in old if old[k] != new[k]]
            drill = Drill(args, target, refs.get("browser_old", {}), refs.get("browser_new", {}))
            drill.proto_old, drill.proto_new = old, new
            drill.skip = frozenset(broken)
            args.current_sessions = sessions
            pids = cluster.replica_pids
            load_before = os.getloadavg()[0]
            own = process_cpu_seconds(os.getpid())
            before = [process_cpu_seconds(p) for p in pids], machine_busy_seconds(), time.monotonic()
            tasks = [drill.protocol_session(i) for i in range(sessions)]
            if browser is not None:
                tasks += [drill.session(browser, i) for i in range(args.browsers)]
            await asyncio.gather(drill.switcher(data, name), *tasks)
            after = [process_cpu_seconds(p) for p in pids], machine_busy_seconds(), time.monotonic()
            own = process_cpu_seconds(os.getpid()) - own
            load_after = os.getloadavg()[0]
            memory = cluster.memory_mb()
        finally:
            cluster.stop()
    wall = after[2] - before[2]
    proto = [v for v in drill.views if v.kind == "protocol"]
    browsers = [v for v in drill.views if v.kind == "browser"]
    verdicts = {k: sum(v.verdict == k for v in drill.views) for k in ("old", "new", "unchecked", "MIXED", "STALE", "ERROR")}
    return {
        "replicas": replicas,
        "sessions": sessions,
        "browsers": len({v.session for v in browsers}),
        "wall": wall,
        "views": len(proto),
        "views_per_s": len([v for v in proto if v.latency_ms is not None]) / wall,
        "first_chart": [v.first_chart_ms for v in proto if v.first_chart_ms is not None and v.verdict != "ERROR"],
        "full": [v.latency_ms for v in proto if v.latency_ms is not None and v.verdict != "ERROR"],
        "browser_full": [v.latency_ms for v in browsers if v.latency_ms is not None and v.verdict != "ERROR"],
        "browser_views": len(browsers),
        "errors": verdicts["ERROR"],
        "mixed": verdicts["MIXED"],
        "stale": verdicts["STALE"],
        "checked": verdicts["old"] + verdicts["new"],
        "unstable": unstable,
        "broken": broken,
        "browser_error": refs.get("browser_error", ""),
        "sensitive": sensitive,
        "peak_mb": [m["peak_mb"] for m in memory],
        "cpu_pct": [(a - b) / wall * 100 for a, b in zip(after[0], before[0], strict=True)],
        "machine_pct": (after[1] - before[1]) / wall / (os.cpu_count() or 1) * 100,
        # CPU of everything else: this drill's own process (clients, importer), Chromium, nginx, other users.
        "client_pct": own / wall / (os.cpu_count() or 1) * 100,
        "other_pct": max(0.0, (after[1] - before[1]) - sum(a - b for a, b in zip(after[0], before[0], strict=True)) - own)
        / wall
        / (os.cpu_count() or 1)
        * 100,
        "loadavg": (load_before, load_after),
        "seconds": args.seconds,
        "think": args.think,
        "events": drill.events,
        "problems": [
            f"{v.kind} {v.verdict} s{v.session} {v.page} at {v.started:.1f} s: {v.detail[:300]}"
            for v in drill.views
            if v.verdict in ("ERROR", "MIXED", "STALE")
        ],
    }


def cpu_ms_per_view(r: dict) -> str:
    """CPU the replicas spent per page view (protocol and browser views): the server's cost, whatever else ran."""
    views = r["views"] + r.get("browser_views", 0)
    return f"{sum(r['cpu_pct']) / 100 * r.get('wall', 0) / views * 1000:.0f}" if views and r.get("wall") else "-"


def proxy_report(args, rows: list[dict]) -> tuple[str, int]:
    lines = [
        f"Load drill through nginx: protocol sessions {','.join(map(str, args.protocol_sessions))} x replicas "
        f"{','.join(map(str, args.replicas))}, {args.browsers} Chromium sessions alongside, {args.seconds:.0f} s each, think "
        f"{args.think:g} s (0.5-1.5x), {args.switches} store switches (import, rollback) per run; {os.cpu_count()} CPUs.",
        "",
        "| replicas | sessions | page views | views/s | 1st chart p50 s | 1st chart p95 s | view p50 s | view p95 s | errors | "
        "mixed | stale | browser views (p50 s) | peak MB per replica | CPU % per replica | server CPU-ms per view | "
        "machine busy (drill / other) | load avg |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---:|---|---|",
    ]
    failed = 0
    for r in rows:
        failed += r["errors"] + r["mixed"] + r["stale"]
        browser = f"{r['browser_views']} ({_ms(r['browser_full'], 50)})" if r["browser_views"] else "-"
        lines.append(
            f"| {r['replicas']} | {r['sessions']} | {r['views']} | {r['views_per_s']:.1f} | {_ms(r['first_chart'], 50)} | "
            f"{_ms(r['first_chart'], 95)} | {_ms(r['full'], 50)} | {_ms(r['full'], 95)} | {r['errors']} | {r['mixed']} | "
            f"{r['stale']} | {browser} | {' / '.join(f'{m:.0f}' for m in r['peak_mb'] if m)} | "
            f"{' / '.join(f'{c:.0f}' for c in r['cpu_pct'])} | {cpu_ms_per_view(r)} | "
            f"{r['machine_pct']:.0f} % ({r.get('client_pct', 0):.0f} / "
            f"{r.get('other_pct', 0):.0f}) | {' -> '.join(f'{x:.1f}' for x in r.get('loadavg', ()))} |"
        )
    lines.append("")
    for r in rows:
        lines.append(
            f"- {r['replicas']} replica(s), {r['sessions']} sessions: {'; '.join(r['events'])}; views checked against a "
            f"reference {r['checked']}; pages that differ between versions: {', '.join(r['sensitive']) or 'none'}"
            + (f"; not stable on the same data (unchecked): {', '.join(r['unstable'])}" if r["unstable"] else "")
            + (
                "; LEFT OUT, failing on the reference data (an app bug, not load): "
                + "; ".join(f"{k} ({v})" for k, v in r["broken"].items())
                if r["broken"]
                else ""
            )
        )
        if r.get("browser_error"):
            lines.append(f"  - no Chromium sessions in this run: {r['browser_error']}")
        if r.get("failed"):
            lines.append(f"  - the run FAILED: {r['failed']}")
        lines += [f"  - {p}" for p in r["problems"][:10]]
    lines += ["", "RESULT: " + ("pass" if not failed and rows else "FAIL")]
    return "\n".join(lines), (0 if not failed and rows else 1)


async def run_proxy(args) -> int:
    sys.path.insert(0, str(ROOT / "tools"))
    data, name = drill_import()
    rows, refs = [], {}
    pw = browser = None
    try:
        if args.browsers:
            from playwright.async_api import async_playwright

            pw = await async_playwright().start()
            browser = await pw.chromium.launch(executable_path=e2e.chromium_path(), args=e2e.CHROMIUM_ARGS)
        for replicas in args.replicas:
            for sessions in args.protocol_sessions:
                try:
                    row = await proxy_config(args, browser, replicas, sessions, data, name, refs)
                except Exception as err:  # the table says so; the next configuration still runs
                    row = {
                        **dict.fromkeys(("views", "errors", "mixed", "stale", "checked", "browser_views"), 0),
                        **{k: [] for k in ("first_chart", "full", "browser_full", "peak_mb", "cpu_pct", "events", "problems")},
                        "replicas": replicas, "sessions": sessions, "views_per_s": 0.0, "machine_pct": 0.0, "errors": 1,
                        "unstable": [], "broken": {}, "sensitive": [], "failed": f"{type(err).__name__}: {str(err)[:300]}",
                    }  # fmt: skip
                rows.append(row)
                print(proxy_report(args, [row])[0].splitlines()[4], flush=True)
    finally:
        if browser is not None:
            await browser.close()
        if pw is not None:
            await pw.stop()
    text, code = proxy_report(args, rows)
    print(text)
    if args.out:
        (args.out / "load_proxy.md").write_text(text + "\n", encoding="utf-8")
        (args.out / "load_proxy.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return code


def _counts(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions (default 20)")
    parser.add_argument("--seconds", type=float, default=120, help="how long sessions keep clicking (default 120)")
    parser.add_argument("--max-views", type=int, default=60, help="views per session at most (default 60)")
    parser.add_argument("--view-timeout", type=float, default=90, help="seconds a view may take before it is an error")
    parser.add_argument("--stagger", type=float, default=0.25, help="seconds between session starts")
    parser.add_argument("--think", type=float, default=0, help="seconds a session reads a page before clicking on (default 0)")
    parser.add_argument(
        "--switches",
        type=int,
        help="store switches during the drill: apply, rollback, ... (default 4; 2 with --protocol-sessions)",
    )
    parser.add_argument(
        "--settle-seconds", type=float, default=20, help="how long a drawn view may take to match a reference before MIXED"
    )
    parser.add_argument("--out", type=Path, help="folder for the report, views.json and screenshots of problems")
    proxy = parser.add_argument_group("through nginx with protocol-level sessions (issue 15)")
    proxy.add_argument("--protocol-sessions", type=_counts, help="e.g. 20,40,80: run once per count (switches to proxy mode)")
    proxy.add_argument(
        "--replicas", type=_counts, default=[1, 2], help="replica counts to run each session count against (default 1,2)"
    )
    proxy.add_argument(
        "--browsers", type=int, default=2, help="Chromium sessions alongside, for correctness (default 2; 0 = none)"
    )
    proxy.add_argument("--ramp", type=float, default=5, help="seconds over which the protocol sessions start (default 5)")
    proxy.add_argument("--render", type=Path, help="print the table again from a load_proxy.json of an earlier run")
    args = parser.parse_args(argv)
    if args.render:
        rows = json.loads(args.render.read_text(encoding="utf-8"))
        args.protocol_sessions = sorted({r["sessions"] for r in rows})
        args.replicas = sorted({r["replicas"] for r in rows})
        args.browsers = max((r.get("browsers", 0) for r in rows), default=0)
        args.switches = 2 if args.switches is None else args.switches
        args.seconds = rows[0].get("seconds", args.seconds)
        args.think = rows[0].get("think", args.think)
        text, code = proxy_report(args, rows)
        print(text)
        return code
    if args.protocol_sessions:
        args.switches = 2 if args.switches is None else args.switches
        if not all(1 <= n <= 200 for n in args.protocol_sessions) or not all(1 <= r <= 8 for r in args.replicas):
            parser.error("protocol sessions 1-200 and replicas 1-8")
        if args.browsers and e2e.chromium_path() is None:
            print("no Chromium: running without browser sessions (--browsers 0)", file=sys.stderr)
            args.browsers = 0
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
        return asyncio.run(run_proxy(args))
    args.switches = 4 if args.switches is None else args.switches
    if e2e.chromium_path() is None:
        print("no Chromium ($SPBE_CHROMIUM or /usr/bin/chromium): the drill needs a browser", file=sys.stderr)
        return 2
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    return asyncio.run(run(args))


if __name__ == "__main__":
    raise SystemExit(main())
