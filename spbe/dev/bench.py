"""python -m spbe bench (make bench): how fast the dashboard is against the floor of its own stack.

Per scale (the shipped data, a synthetic national-scale store, ten times that) it prints:
  - what users feel, in headless Chromium, against a floor app of the same stack (tools/bench_baseline_page.py:
    a sidebar with the focus and year selectboxes and page links, one small Plotly chart; served as two pages
    beside the app, on the same store, in the same run): a new tab until every chart is painted, a sidebar link
    until the next page is painted, a change of "Instansi fokus" until every chart is repainted; each the median
    of --repeat repeats and its ratio to the floor's same measure (goal: <= 1.3x); and the app server's peak
    resident memory (VmHWM) after all that;
  - server-side render time of every page in AppTest: cold (first run after clearing every cache) and warm
    (median of --repeat new sessions), as a multiple of the floor page, and of a frame-only page
    (tools/bench_frame_page.py: the shared sidebar and a title);
  - p50/p95 of every query in queries/ with representative parameters read from the store.
Quick runs: --scales shipped,national --repeat 3 --pages ikhtisar,tren --parts browser. Nothing is written
under data/; the servers use free localhost ports 8700-8799 and are stopped at the end. Method and latest
results: docs/benchmark.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from spbe.settings import ROOT

BASELINE_SCRIPT = ROOT / "tools" / "bench_baseline_page.py"
FRAME_SCRIPT = ROOT / "tools" / "bench_frame_page.py"
FOCUS = "kota-cilegon"
DEFAULT_YEAR = 2024  # the latest year KemenPANRB has published (R24); every store holds it
RENDER_TARGET = {"national": 1.5, "x10": 2.0}
QUERY_P95_TARGET_MS = {"national": 20.0}
FIRST_CHART_TARGET_MS = 2000.0
MEMORY_TARGET_MB = 400.0  # issue 7; its render and query targets are kept as they were
COLUMNS = (
    "scale",
    "what",
    "cold ms",
    "warm ms",
    "× floor",
    "p50 ms",
    "p95 ms",
    "peak RSS MB",
    "target",
    "met",
)


@dataclass(frozen=True)
class ScaleSpec:
    name: str
    copies: int | None  # None: the shipped seeds as they are
    limit: int | None = None
    description: str = ""


SCALES = {
    "shipped": ScaleSpec("shipped", None, description="the seeds in data/ as built by `python -m spbe build`"),
    "tiny": ScaleSpec("tiny", 1, 12, "synthetic, 12 instansi (for tests)"),
    "national": ScaleSpec("national", 1, description="synthetic, every instansi"),
    "x10": ScaleSpec("x10", 10, description="synthetic, every instansi ten times (synthetic ids)"),
}


@dataclass
class Row:
    scale: str
    what: str
    cold_ms: float | None = None
    warm_ms: float | None = None
    ratio: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    rss_mb: float | None = None
    targets: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    charts: int = 0

    def cells(self) -> list[str]:
        met = ""
        if self.targets:
            met = "no: " + "; ".join(self.misses) if self.misses else "yes"
        if self.notes:
            met = (met + " " if met else "") + "(" + "; ".join(self.notes) + ")"
        return [
            self.scale,
            self.what,
            _ms(self.cold_ms),
            _ms(self.warm_ms),
            f"{self.ratio:.2f}" if self.ratio is not None else "",
            _ms(self.p50_ms, 1),
            _ms(self.p95_ms, 1),
            f"{self.rss_mb:.0f}" if self.rss_mb is not None else "",
            ", ".join(self.targets),
            met,
        ]


def _ms(value: float | None, digits: int = 0) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 20 runs is the 19th fastest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def markdown_table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join("---" for _ in COLUMNS) + "|"]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in r.cells()) + " |" for r in rows]
    return "\n".join(lines)


# -- machine and environment ------------------------------------------------------------------
def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().splitlines()[0].split()[1])
        mem = f", {kb / 1024 / 1024:.1f} GiB RAM"
    import duckdb
    import streamlit

    return (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}{mem}; Python {platform.python_version()}, "
        f"streamlit {streamlit.__version__}, duckdb {duckdb.__version__}"
    )


@contextlib.contextmanager
def store_env(db_file: Path, state: Path):
    """Point SPBE_DB/SPBE_STATE_DIR at a store for the duration, and put them back afterwards."""
    saved = {k: os.environ.get(k) for k in ("SPBE_DB", "SPBE_STATE_DIR")}
    os.environ["SPBE_DB"] = str(db_file)
    os.environ["SPBE_STATE_DIR"] = str(state)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        clear_all_caches()


def clear_all_caches() -> None:
    """What a cold start has not got: query results and connections, Streamlit caches, module-level lru caches."""
    from spbe.store import db

    db.clear_caches()
    if _script_cache is not None:
        _script_cache.clear()
    with contextlib.suppress(Exception):
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] != "spbe" or module is None:
            continue
        for value in list(vars(module).values()):
            if callable(value) and hasattr(value, "cache_clear") and getattr(value, "__module__", "") == name:
                with contextlib.suppress(Exception):
                    value.cache_clear()


# -- stores ---------------------------------------------------------------------------------
def make_store(spec: ScaleSpec, folder: Path) -> tuple[Path, str]:
    """Build the scale's store into folder; return its path and a one-line description of what it holds."""
    import duckdb

    from spbe.dev.synth_store import build_synthetic_store
    from spbe.store.build import build

    target = folder / f"{spec.name}.duckdb"
    t0 = time.perf_counter()
    if spec.copies is None:
        build(target=target, overlay=None)
    else:
        build_synthetic_store(target, copies=spec.copies, limit=spec.limit)
    seconds = time.perf_counter() - t0
    con = duckdb.connect(str(target), read_only=True)
    try:
        n = {
            t: con.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("instansi", "index_results", "domain_results", "indicator_results")
        }
        years = con.execute("select min(year), max(year) from index_results").fetchone()
    finally:
        con.close()
    text = (
        f"{spec.name}: {spec.description}; {n['instansi']:,} instansi, years {years[0]}-{years[1]}, "
        f"{n['index_results']:,} index / {n['domain_results']:,} domain / {n['indicator_results']:,} indicator rows "
        f"(built in {seconds:.1f} s)"
    )
    return target, text


# -- server-side render (AppTest) --------------------------------------------------------------
_component_manager = None


def _shared_component_manager():
    """AppTest scans every installed package for Streamlit components in each new AppTest's first run
    (~0.1-0.5 s); a server does that once at start-up. One scan, shared, keeps it out of the timings."""
    global _component_manager
    if _component_manager is None:
        from streamlit.components.v2.component_manager import BidiComponentManager

        _component_manager = BidiComponentManager()
        _component_manager.discover_and_register_components(start_file_watching=False)
    return _component_manager


_script_cache = None


@contextlib.contextmanager
def shared_script_cache():
    """A server compiles each page script once and keeps the bytecode (ScriptCache); AppTest makes a new
    cache, and so recompiles the page, on every run. Share one while benchmarking, as a server does
    (cleared for cold runs), and put AppTest back afterwards."""
    global _script_cache
    from streamlit.testing.v1 import app_test

    original = getattr(app_test, "ScriptCache", None)  # streamlit 1.67 internals; else recompiles are timed
    if original is None:
        yield
        return
    _script_cache = original()
    app_test.ScriptCache = lambda: _script_cache
    try:
        yield
    finally:
        app_test.ScriptCache = original
        _script_cache = None


def _apptest(main: Path, page: str | None, params: dict, timeout: float):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(main), default_timeout=timeout)
    if hasattr(at, "_bidi_component_manager"):  # streamlit 1.67 internals; without it the scan is just timed
        at._bidi_component_manager = _shared_component_manager()
    if page:
        at.switch_page(page)
    for k, v in params.items():
        at.query_params[k] = v
    return at


def render_once(main: Path, page: str | None, params: dict, timeout: float) -> tuple[float, object]:
    """One script run in a new AppTest session (its setup is not timed)."""
    at = _apptest(main, page, params, timeout)
    t0 = time.perf_counter()
    at.run()
    return (time.perf_counter() - t0) * 1000, at


@contextlib.contextmanager
def frame_only_app():
    """The frame-only page as the entry point of a copy of the app (its page links need pages/ beside it)."""
    with tempfile.TemporaryDirectory(prefix="spbe-frame-") as tmp:
        main = Path(tmp) / "app.py"
        main.write_text(FRAME_SCRIPT.read_text(encoding="utf-8"), encoding="utf-8")
        (Path(tmp) / "pages").symlink_to(ROOT / "pages", target_is_directory=True)
        yield main


def measure_render(scale: str, what: str, main: Path, page: str | None, params: dict, repeat: int, timeout: float) -> Row:
    row = Row(scale, what)
    try:
        clear_all_caches()
        row.cold_ms, at = render_once(main, page, params, timeout)
        if at.exception:
            row.notes.append("EXCEPTION: " + " / ".join(e.message for e in at.exception)[:200])
        row.charts = len(at.get("plotly_chart"))
        warm = [render_once(main, page, params, timeout)[0] for _ in range(repeat)]
        row.warm_ms = statistics.median(warm)
    except Exception as err:  # a page that cannot render is a result, not a crash of the benchmark
        row.notes.append(f"ERROR: {type(err).__name__}: {err}"[:200])
    return row


# -- queries -------------------------------------------------------------------------------
@dataclass
class QueryContext:
    instansi_id: str
    year: int
    peer_ids: list[str]
    province: str | None
    category: str | None
    framework_id: str | None


def query_context(con, year: int) -> QueryContext:
    ids = [r[0] for r in con.execute("select instansi_id from instansi").fetchall()]
    focus = FOCUS if FOCUS in ids else ids[0]
    province, category = con.execute("select province, category from instansi where instansi_id = ?", [focus]).fetchone()
    peers = [
        r[0] for r in con.execute("select instansi_id from instansi where province is not distinct from ?", [province]).fetchall()
    ]
    years = [r[0] for r in con.execute("select distinct year from index_results order by year").fetchall()]
    year = year if year in years else (years[-1] if years else year)
    fw = con.execute(
        "select framework_id from frameworks where first_year <= $y and (last_year is null or $y <= last_year)", {"y": year}
    ).fetchone()
    return QueryContext(focus, year, peers, province, category, fw[0] if fw else None)


def representative(params: tuple[str, ...], ctx: QueryContext) -> tuple[dict | None, str]:
    """Parameter values a page would pass: the focus instansi, its province peers, a recent year."""
    known = {
        "instansi_id": ctx.instansi_id,
        "year": ctx.year,
        "tahun": ctx.year,
        "instansi_ids": ctx.peer_ids,
        "peer_ids": ctx.peer_ids,
        "assessment": "official",
        "province": ctx.province,
        "category": ctx.category,
        "framework_id": ctx.framework_id,
        "lang": "id",
        "from_year": ctx.year - 3,
        "to_year": ctx.year,
        "first_year": ctx.year - 3,
        "last_year": ctx.year,
        "years": [ctx.year - 1, ctx.year],
    }
    values, unknown = {}, []
    for p in params:
        if p in known:
            values[p] = known[p]
        elif p.endswith("_ids"):
            values[p] = ctx.peer_ids
        else:
            unknown.append(p)
    if unknown:
        return None, "no representative value for $" + ", $".join(unknown)
    return values, ""


def measure_queries(scale: str, db_file: Path, year: int, reps: int) -> list[Row]:
    import duckdb

    from spbe.store import db

    rows = []
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        ctx = query_context(con, year)
        for q in db.all_queries():
            row = Row(scale, f"query {q.name}")
            target = QUERY_P95_TARGET_MS.get(scale)
            if target:
                row.targets.append(f"p95 ≤ {target:.0f} ms")
            params, why = representative(q.params, ctx)
            if params is None:
                row.notes.append(why)
                rows.append(row)
                continue
            try:
                times = []
                for i in range(reps + 1):
                    cur = con.cursor()
                    t0 = time.perf_counter()
                    cur.execute(q.sql, params).df() if params else cur.execute(q.sql).df()
                    if i:  # the first run only loads the file's pages into memory
                        times.append((time.perf_counter() - t0) * 1000)
                    cur.close()
                row.p50_ms, row.p95_ms = percentile(times, 50), percentile(times, 95)
                if target and row.p95_ms > target:
                    row.misses.append(f"p95 {row.p95_ms / target:.1f}× target")
            except Exception as err:
                row.notes.append(f"ERROR: {type(err).__name__}: {err}"[:200])
            rows.append(row)
    finally:
        con.close()
    return rows


# -- browser: as users feel it ---------------------------------------------------------------------
# Three things a user does, timed in headless Chromium on a fresh `streamlit run` of the app and of the floor
# app (tools/bench_baseline_page.py served as two pages), both on the scale's store, in the same run:
#   new tab: open the page's URL in a new tab of a warm browser, until every chart is painted;
#   link: click the page's link in the sidebar on the page before it, until the page is painted;
#   focus: change "Instansi fokus" in the sidebar (Kota Cilegon -> another Banten instansi), until every
#          chart is repainted.
# "Painted" is spbe.dev.e2e.PAGE_READY_JS (the run finished, no skeleton, every chart's main layer drawn, the tab
# title is the page's) and no element left stale. "Repainted" also needs a script run since the change, and
# every chart that was on the page before to have drawn again (plotly_afterplot) unless its data is unchanged.
FEEL_MEASURES = ("new tab", "link", "focus")
FEEL_TARGET = 1.3
FOCUS_LABEL = "Instansi fokus"
FOCUS_TARGETS = ("kota-serang", "kabupaten-serang", "kota-tangerang", "kabupaten-lebak", "kabupaten-pandeglang")
FLOOR_TITLES = ("floor-a · bench floor", "floor-b · bench floor")
_PAINTED_JS = (
    "prefix => (" + "{ready}" + ")(prefix) && document.querySelector('[data-stale=\"true\"]') === null"
    " && !document.querySelector('[data-testid=\"stException\"]')"
)
_MARK_JS = """() => {
    const root = document.querySelector('.stApp');
    const b = {ran: false, old: new Set(), plotted: new Set(), snap: new Map(), ws0: window.__benchWsIn || 0};
    if (window.__bench && window.__bench.observer) window.__bench.observer.disconnect();
    b.observer = new MutationObserver(() => {
        if (root.getAttribute('data-test-script-state') !== 'notRunning') b.ran = true;
    });
    b.observer.observe(root, {attributes: true, attributeFilter: ['data-test-script-state']});
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
        b.old.add(gd);
        b.snap.set(gd, JSON.stringify(gd.data || null));
        if (gd.on) gd.on('plotly_afterplot', () => b.plotted.add(gd));
    }
    window.__bench = b;
}"""
_REPAINTED_JS = """prefix => {
    const b = window.__bench;
    if (!b || !(b.ran || window.__benchWsIn > b.ws0) || !(PAINTED)(prefix)) return false;
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
        if (!b.old.has(gd) || b.plotted.has(gd)) continue;
        if (JSON.stringify(gd.data || null) === b.snap.get(gd)) continue;
        return false;
    }
    return true;
}"""


# A run that ends within one React render never shows "running" in the DOM (seen on the floor: its 20 ms run):
# a message from the server since the change also counts as "the script ran". Installed in every bench tab.
WS_COUNT_JS = """(() => {
    const Native = window.WebSocket;
    window.__benchWsIn = 0;
    class Counted extends Native {
        constructor(...args) { super(...args); this.addEventListener('message', () => { window.__benchWsIn++; }); }
    }
    window.WebSocket = Counted;
})();"""
RAN_JS = "() => window.__bench && (window.__bench.ran || window.__benchWsIn > window.__bench.ws0)"


def painted_js() -> str:
    from spbe.dev import e2e

    return _PAINTED_JS.replace("{ready}", e2e.PAGE_READY_JS)


def repainted_js() -> str:
    return _REPAINTED_JS.replace("PAINTED", painted_js())


@dataclass
class Feel:
    """Browser times of one page (or the floor), ms: a list per measure."""

    times: dict[str, list[float]] = field(default_factory=lambda: {m: [] for m in FEEL_MEASURES})
    notes: list[str] = field(default_factory=list)

    def add(self, other: Feel) -> None:
        """Pool other's times and notes into this one (the floor measured before and after the pages)."""
        for m in FEEL_MEASURES:
            self.times[m] += other.times[m]
        self.notes += other.notes

    def median(self, measure: str) -> float | None:
        got = self.times[measure]
        return statistics.median(got) if got else None


@dataclass(frozen=True)
class FeelPage:
    key: str
    url: str  # absolute, with the view's query
    title: str  # the tab title's prefix when the page is drawn
    link: int  # position of its link among the sidebar's page links


def _bench_port() -> int:
    """A free localhost port in 8700-8799 (the range this benchmark's servers use), else any free port."""
    import socket

    from spbe.dev import e2e

    for port in range(8700, 8800):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    return e2e.free_port()


@contextlib.contextmanager
def floor_app():
    """The floor served as a two-page app: floor_app.py and pages/floor_b.py, both the baseline script."""
    with tempfile.TemporaryDirectory(prefix="spbe-floor-") as tmp:
        main = Path(tmp) / "floor_app.py"
        text = BASELINE_SCRIPT.read_text(encoding="utf-8")
        main.write_text(text, encoding="utf-8")
        (Path(tmp) / "pages").mkdir()
        (Path(tmp) / "pages" / "floor_b.py").write_text(text, encoding="utf-8")
        yield main


_STATE_JS = """() => ({
    state: document.querySelector('.stApp')?.getAttribute('data-test-script-state'),
    title: document.title,
    skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
    stale: document.querySelectorAll('[data-stale="true"]').length,
    charts: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
    painted: [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].filter(c => c.querySelector('.js-plotly-plot .main-svg')).length,
    keyed: document.querySelectorAll('[data-testid="stMain"] [class*="st-key-chart_"]').length,
    exceptions: document.querySelectorAll('[data-testid="stException"]').length,
    exception: (document.querySelector('[data-testid="stException"]')?.innerText || '').split('\\n')[0].slice(0, 160),
    ran: window.__bench ? window.__bench.ran || window.__benchWsIn > window.__bench.ws0 : null,
    replotted: window.__bench ? window.__bench.plotted.size + '/' + window.__bench.old.size : null,
})"""


class NotPainted(TimeoutError):
    pass


def _wait(tab, js: str, arg: str, timeout_ms: float) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        tab.wait_for_function(js, arg=arg, polling=10, timeout=timeout_ms)
    except PlaywrightTimeout as err:
        try:
            state = tab.evaluate(_STATE_JS)
        except Exception:
            state = "?"
        raise NotPainted(f"not painted after {timeout_ms / 1000:.0f} s: {state}") from err


def _pick_focus(tab, label: str) -> float:
    """Open the sidebar's focus instansi selectbox, type the label and choose it exactly; return the
    perf_counter time of the click. A click that starts no script run (the option did not register) is retried once."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # the selectbox labelled "Instansi fokus" (the app's frame and the floor both call it so; the app's has a
    # province picker before it)
    box = tab.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has=tab.locator('[data-testid="stWidgetLabel"]', has_text=FOCUS_LABEL)
    )
    t0 = time.perf_counter()
    for _ in range(2):
        box.locator("input").click(timeout=60_000)
        box.locator("input").fill(label, timeout=60_000)
        option = tab.get_by_role("option", name=label, exact=True)
        option.wait_for(state="visible", timeout=60_000)
        tab.evaluate(_MARK_JS)
        t0 = time.perf_counter()
        option.click()
        try:
            tab.wait_for_function(RAN_JS, polling=10, timeout=10_000)
            break
        except PlaywrightTimeout:
            continue
    return t0


def measure_feel(
    browser, pages: list[FeelPage], labels: list[str], repeat: int, tabs_for=None, timeout_ms: float = 60_000
) -> dict[str, Feel]:
    """Per page (of those in tabs_for, default all): `repeat` new tabs, each then changing the focus once (to
    labels[r]); and `repeat` rounds of clicking through all the pages' sidebar links in order (each click
    times the page it opens)."""
    painted, repainted = painted_js(), repainted_js()
    out = {p.key: Feel() for p in pages}
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(WS_COUNT_JS)
    try:
        warm = context.new_page()  # static assets into the browser cache, the server's first run done
        warm.goto(pages[0].url)
        _wait(warm, painted, pages[0].title, timeout_ms)
        warm.close()
        for p in pages:
            for r in range(repeat if tabs_for is None or p.key in tabs_for else 0):
                tab = context.new_page()
                try:
                    t0 = time.perf_counter()
                    tab.goto(p.url)
                    _wait(tab, painted, p.title, timeout_ms)
                    out[p.key].times["new tab"].append((time.perf_counter() - t0) * 1000)
                    t0 = _pick_focus(tab, labels[r % len(labels)])  # from the click on the option
                    _wait(tab, repainted, p.title, timeout_ms)
                    out[p.key].times["focus"].append((time.perf_counter() - t0) * 1000)
                except Exception as err:  # a page that never paints is a result, not a crash of the benchmark
                    out[p.key].notes.append(f"new tab/focus: {type(err).__name__}: {str(err).splitlines()[0][:400]}")
                    break
                finally:
                    tab.close()
        tab = context.new_page()
        try:
            cycle = pages if len(pages) > 1 else pages * 2
            for _ in range(repeat):
                # Start on the first page and end by clicking back to it: every click then happens in a tab that
                # has already loaded what the stack loads lazily on the first chart (Plotly's bundle), as in use.
                tab.goto(cycle[0].url)
                _wait(tab, painted, cycle[0].title, timeout_ms)
                for p in [*cycle[1:], cycle[0]]:
                    link = tab.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]').nth(p.link)
                    try:
                        t0 = time.perf_counter()
                        link.click()
                        _wait(tab, painted, p.title, timeout_ms)
                        out[p.key].times["link"].append((time.perf_counter() - t0) * 1000)
                    except Exception as err:  # note it, reopen the page by URL and go on with the next link
                        out[p.key].notes.append(f"link: {type(err).__name__}: {str(err).splitlines()[0][:400]}")
                        with contextlib.suppress(Exception):
                            tab.goto(p.url)
                            _wait(tab, painted, p.title, timeout_ms)
        except Exception as err:
            first = next(iter(out))
            out[first].notes.append(f"link: {type(err).__name__}: {str(err).splitlines()[0][:400]}")
        finally:
            tab.close()
    finally:
        context.close()
    return out


@dataclass
class FeelRow:
    scale: str
    what: str
    feel: Feel
    floor: Feel | None = None

    def ratio(self, measure: str) -> float | None:
        mine, base = self.feel.median(measure), self.floor.median(measure) if self.floor else None
        return mine / base if mine is not None and base else None

    def misses(self) -> list[str]:
        return [m for m in FEEL_MEASURES if (r := self.ratio(m)) is not None and r > FEEL_TARGET]


FEEL_COLUMNS = ("scale", "what", *(f"{m} ms (× floor)" for m in FEEL_MEASURES), f"≤ {FEEL_TARGET:g}× floor", "notes")


def feel_table(rows: list[FeelRow]) -> str:
    lines = ["| " + " | ".join(FEEL_COLUMNS) + " |", "|" + "|".join("---" for _ in FEEL_COLUMNS) + "|"]
    for row in rows:
        cells = [row.scale, row.what]
        for m in FEEL_MEASURES:
            value, ratio = row.feel.median(m), row.ratio(m)
            cells.append("" if value is None else f"{value:.0f}" + (f" ({ratio:.2f}×)" if ratio is not None else ""))
        if row.floor is None:
            cells.append("")
        else:
            measured = [m for m in FEEL_MEASURES if row.ratio(m) is not None]
            cells.append(("no: " + ", ".join(row.misses())) if row.misses() else ("yes" if measured else ""))
        notes = list(dict.fromkeys(row.feel.notes))  # the same failure on every repeat: once
        cells.append("; ".join(notes).replace("|", "/").replace("\n", " "))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def instansi_labels(db_file: Path) -> dict[str, str]:
    """instansi_id -> the instansi picker's label, as the app writes it ('<name> · <province>')."""
    import duckdb

    con = duckdb.connect(str(db_file), read_only=True)
    try:
        rows = con.execute("select instansi_id, instansi_name, province from instansi").fetchall()
    finally:
        con.close()
    return {iid: name + (f" · {province}" if province else "") for iid, name, province in rows}


def focus_labels(db_file: Path) -> list[str]:
    """The instansi picker's labels of FOCUS_TARGETS."""
    got = instansi_labels(db_file)
    return [got[i] for i in FOCUS_TARGETS if i in got]


def browser_feel(scale: str, db_file: Path, folder: Path, pages, params: dict, repeat: int) -> tuple[list[FeelRow], float | None]:
    """The floor (measured before and after the pages, pooled) and every page, on one store; with the app
    server's peak RSS after it served all of that."""
    from playwright.sync_api import sync_playwright

    from spbe.dev import e2e
    from spbe.i18n import t
    from spbe.models.pages import PAGES

    position = {p.key: n for n, p in enumerate(PAGES)}
    query = "&".join(f"{k}={v}" for k, v in params.items())
    labels = focus_labels(db_file)
    floor_labels = [lbl for lbl in labels if lbl.endswith(" · Banten")]
    lang = params.get("lang", "id")
    floor = Feel()
    rows = []
    with (
        floor_app() as floor_main,
        e2e.streamlit_server(
            folder / f"{scale}-floor-server", db=db_file, script=str(floor_main), port=_bench_port(), build_store=False
        ) as floor_server,
        e2e.streamlit_server(folder / f"{scale}-server", db=db_file, port=_bench_port(), build_store=False) as server,
        sync_playwright() as pw,
    ):
        browser = e2e.launch_chromium(pw)
        try:
            floor_pages = [
                FeelPage("floor-b", f"{floor_server.base_url}/floor_b", FLOOR_TITLES[1], 1),
                FeelPage("floor-a", f"{floor_server.base_url}/", FLOOR_TITLES[0], 0),
            ]

            def floor_once():
                # new tab and focus on the floor's first page; link both ways between its two pages
                for got in measure_feel(browser, floor_pages, floor_labels, repeat, tabs_for={"floor-a"}).values():
                    floor.add(got)

            floor_once()
            feel_pages = [
                FeelPage(
                    p.key,
                    f"{server.base_url}/{e2e.url_path(p.script)}" + (f"?{query}" if query else ""),
                    f"{t(p.title_key, lang)} · {t('app.name', lang)}",
                    position[p.key],
                )
                for p in pages
            ]
            measured = measure_feel(browser, feel_pages, labels, repeat)
            floor_once()
        finally:
            browser.close()
        rss = server.peak_rss_mb()
    rows.append(FeelRow(scale, "floor (sidebar selectboxes + one small chart)", floor))
    rows += [FeelRow(scale, f"page {p.key}", measured[p.key], floor) for p in pages]
    return rows, rss


# -- the run -------------------------------------------------------------------------------
def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m spbe bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scales",
        default="shipped,national,x10",
        help=f"comma-separated, from {', '.join(SCALES)} (default: shipped,national,x10)",
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="repeats of every measure: warm renders, new tabs, link rounds, focus changes"
    )
    parser.add_argument("--query-reps", type=int, default=30, help="timed runs per query (after one warm-up)")
    parser.add_argument("--pages", default="", help="comma-separated page keys (default: every page)")
    parser.add_argument("--year", type=int, default=DEFAULT_YEAR, help="tahun of the rendered views and queries")
    parser.add_argument("--quick", action="store_true", help="one repeat of every measure, 3 query runs")
    parser.add_argument(
        "--parts",
        default="browser,render,queries",
        help="comma-separated, from browser (Chromium: new tab, link, focus; memory), render (AppTest), queries",
    )
    parser.add_argument("--no-browser", action="store_true", help="the same as leaving browser out of --parts")
    parser.add_argument("--out", type=Path, help="also write the report (markdown) to this file")
    parser.add_argument("--timeout", type=float, default=300, help="AppTest timeout per render, seconds")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.query_reps = 1, 3
    if args.no_browser:
        args.parts = ",".join(p for p in args.parts.split(",") if p != "browser")
    if bad := [p for p in args.parts.split(",") if p not in ("browser", "render", "queries")]:
        parser.error(f"unknown part(s) {bad}; expected browser, render, queries")
    bad = [s for s in args.scales.split(",") if s not in SCALES]
    if bad:
        parser.error(f"unknown scale(s) {bad}; expected {list(SCALES)}")
    return args


def run(args: argparse.Namespace) -> tuple[str, int]:
    from spbe.dev import e2e
    from spbe.models.pages import PAGES

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    pages = [p for p in PAGES if not args.pages or p.key in args.pages.split(",")]
    params = {"lang": "id", "instansi": FOCUS, "tahun": str(args.year)}
    parts = set(args.parts.split(","))
    chromium = e2e.chromium_path() if "browser" in parts else None
    started = dt.datetime.now()
    load_start = os.getloadavg()
    rows: list[Row] = []
    feel_rows: list[FeelRow] = []
    stores: list[str] = []
    errors = 0
    with tempfile.TemporaryDirectory(prefix="spbe-bench-") as tmp, shared_script_cache():
        folder = Path(tmp)
        for scale in args.scales.split(","):
            spec = SCALES[scale]
            db_file, text = make_store(spec, folder)
            stores.append(text)
            state = folder / f"{scale}-state"
            scale_rows: list[Row] = []
            if chromium:
                try:
                    got, rss = browser_feel(scale, db_file, folder, pages, params, args.repeat)
                    feel_rows += got
                    print(feel_table(got), file=sys.stderr, flush=True)  # progress: a long run can be read as it goes
                    errors += sum(any(n.startswith(("new tab", "link")) for n in r.feel.notes) for r in got)
                    memory = Row(scale, "app process, every page served", rss_mb=rss, targets=[f"≤ {MEMORY_TARGET_MB:.0f} MB"])
                    if rss is not None and rss > MEMORY_TARGET_MB:
                        memory.misses.append(f"{rss:.0f} MB")
                    scale_rows.append(memory)
                except Exception as err:
                    errors += 1
                    feel_rows.append(FeelRow(scale, "browser run failed", Feel(notes=[f"{type(err).__name__}: {err}"[:300]])))
            if "render" in parts:
                with store_env(db_file, state):
                    scale_rows = render_rows(scale, pages, params, args) + scale_rows
            if "queries" in parts:
                scale_rows += measure_queries(scale, db_file, args.year, args.query_reps)
            rows += scale_rows
            errors += sum(any(n.startswith(("ERROR", "EXCEPTION")) for n in r.notes) for r in scale_rows)
    took = (dt.datetime.now() - started).total_seconds()
    load_end = os.getloadavg()
    head = [
        f"# Benchmark {started:%Y-%m-%d %H:%M}",
        "",
        f"Machine: {machine()}.",
        f"Command: `python -m spbe bench {' '.join(args.argv)}` (took {took / 60:.1f} min; load average 1/5/15 min "
        f"{' / '.join(f'{v:.1f}' for v in load_start)} at the start, {' / '.join(f'{v:.1f}' for v in load_end)} at the "
        "end: other work on the machine inflates every number, which is why each is a ratio to a floor measured in the "
        "same run).",
        "",
        "Stores:",
        *[f"- {s}" for s in stores],
        "",
        f"Views: lang=id, instansi={FOCUS}, tahun={args.year}.",
        "",
    ]
    body: list[str] = []
    if chromium:
        body += [
            "## As users feel it (headless Chromium)",
            "",
            f"Median of {args.repeat} repeats, ms, and its ratio to the floor's median of the same measure (the floor "
            "app, tools/bench_baseline_page.py: a sidebar with the focus and year selectboxes and page links, one small "
            "Plotly chart; served as two pages beside the app on the same store, measured before and after the pages, "
            "pooled). new tab = open the page's URL in a new tab of a warm browser until every chart is painted (the "
            "run finished, no skeleton or stale element, every chart's main layer drawn); link = click the page's "
            "sidebar link on the page before it in the sidebar until it is painted; focus = choose another Banten "
            "instansi in 'Instansi fokus' (Kota Cilegon → " + ", ".join(FOCUS_TARGETS) + " in turn) until every chart "
            f"is repainted. Target: ≤ {FEEL_TARGET:g}× the floor on every measure.",
            "",
            feel_table(feel_rows),
            "",
        ]
    elif "browser" in parts:
        body += ["Browser measures skipped: no Chromium ($SPBE_CHROMIUM or /usr/bin/chromium).", ""]
    else:
        body += ["Browser measures skipped: --parts without browser.", ""]
    body += [
        "## Server side (AppTest) and queries",
        "",
        f"Render = AppTest script run (server side): cold = first run after clearing every cache, warm = median of "
        f"{args.repeat} new sessions; × floor = warm / warm of the floor page in the same run and scale; 'frame only' = "
        f"the shared sidebar and a title, which every page pays. Queries: p50/p95 of {args.query_reps} runs after one "
        "warm-up, straight on DuckDB (the app's result cache bypassed). Peak RSS = VmHWM of the app's server process "
        "after the browser measures.",
        "",
        markdown_table(rows),
    ]
    misses = [f"- {r.scale} · {r.what}: {'; '.join(r.misses)} (target {', '.join(r.targets)})" for r in rows if r.misses]
    misses += [
        f"- {r.scale} · {r.what}: " + ", ".join(f"{m} {r.ratio(m):.2f}×" for m in r.misses()) + f" (target ≤ {FEEL_TARGET:g}×)"
        for r in feel_rows
        if r.misses()
    ]
    tail = ["", "Targets missed:" if misses else "Every target met.", *misses]
    return "\n".join(head + body + tail) + "\n", errors


def render_rows(scale: str, pages, params: dict, args: argparse.Namespace) -> list[Row]:
    baseline = measure_render(scale, "baseline page (floor)", BASELINE_SCRIPT, None, {}, args.repeat, args.timeout)
    with frame_only_app() as frame_main:
        frame = measure_render(scale, "frame only (sidebar + title)", frame_main, None, params, args.repeat, args.timeout)
    scale_rows = [baseline, frame]
    for p in pages:
        page = None if p.script == "app.py" else p.script
        scale_rows.append(measure_render(scale, f"page {p.key}", ROOT / "app.py", page, params, args.repeat, args.timeout))
    for row in scale_rows[1:]:
        if row.warm_ms is not None and baseline.warm_ms:
            row.ratio = row.warm_ms / baseline.warm_ms
        target = RENDER_TARGET.get(scale)
        if target and row.what.startswith("page "):
            row.targets.append(f"warm ≤ {target:g}× floor")
            if row.ratio is not None and row.ratio > target:
                row.misses.append(f"{row.ratio / target:.1f}× over")
    return scale_rows


def main(argv: list[str]) -> int:
    args = parse_args(argv[1:])
    args.argv = argv[1:]
    report, errors = run(args)
    print(report)
    if args.out:
        args.out.write_text(report, encoding="utf-8")
    return 1 if errors else 0
