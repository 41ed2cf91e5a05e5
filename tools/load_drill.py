"""Load drill: concurrent browser sessions click through every page while an import is applied and rolled
back underneath them. Bounded in sessions, time and views; stops by itself; never touches data/.

    /work/venv/bin/python tools/load_drill.py [--sessions 20] [--seconds 120] [--out DIR]

What happens:
  1. A fresh `streamlit run app.py` on a free localhost port with its own store and state (temp folder).
  2. Reference pass: every page is opened once on the seeds ("old" view), then the drill's import is applied
     through the real importer (spbe.importer.apply_upload: Kota Cilegon's 2024 self-assessment at indicator,
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
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spbe import e2e  # noqa: E402
from spbe.i18n import t  # noqa: E402
from spbe.pages import PAGES  # noqa: E402

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

    from spbe.frameworks import framework_for_year
    from spbe.scoring import domain_index, index_from_levels

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
    from spbe import importer

    result = importer.apply_upload(data, name, "load-drill")
    if not result.ok:
        raise RuntimeError(f"the drill's import was refused: {[p.code for p in result.problems]}")
    return result.version or ""


def roll_back() -> str:
    from spbe import importer

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


def title_prefix(key: str) -> str:
    spec = next(p for p in PAGES if p.key == key)
    return f"{t(spec.title_key, VIEW['lang'])} · {t('app.name', VIEW['lang'])}"


async def settle(tab, key: str, timeout_ms: float) -> None:
    await tab.wait_for_function(e2e.PAGE_READY_JS, arg=title_prefix(key), timeout=timeout_ms)


async def fingerprint(tab) -> dict | None:
    await tab.evaluate(e2e.QUIET_JS, [300, 3000])
    return await tab.evaluate(e2e.FINGERPRINT_JS)


async def reference_pass(browser, server, timeout_ms: float) -> dict[str, dict]:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(timeout_ms)
    tab = await context.new_page()
    out = {}
    try:
        for spec in PAGES:
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions (default 20)")
    parser.add_argument("--seconds", type=float, default=120, help="how long sessions keep clicking (default 120)")
    parser.add_argument("--max-views", type=int, default=60, help="views per session at most (default 60)")
    parser.add_argument("--view-timeout", type=float, default=90, help="seconds a view may take before it is an error")
    parser.add_argument("--stagger", type=float, default=0.25, help="seconds between session starts")
    parser.add_argument("--think", type=float, default=0, help="seconds a session reads a page before clicking on (default 0)")
    parser.add_argument("--switches", type=int, default=4, help="store switches during the drill: apply, rollback, ...")
    parser.add_argument(
        "--settle-seconds", type=float, default=20, help="how long a drawn view may take to match a reference before MIXED"
    )
    parser.add_argument("--out", type=Path, help="folder for the report, views.json and screenshots of problems")
    args = parser.parse_args(argv)
    if e2e.chromium_path() is None:
        print("no Chromium ($SPBE_CHROMIUM or /usr/bin/chromium): the drill needs a browser", file=sys.stderr)
        return 2
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    return asyncio.run(run(args))


if __name__ == "__main__":
    raise SystemExit(main())
