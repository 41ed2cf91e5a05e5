"""python -m spbe bench: how fast the dashboard is against the floor of its own stack, at national scale.

Prints one table. Per scale (the shipped data, a synthetic national-scale store, ten times that):
  - server-side render time of every page in AppTest: cold (first run after clearing every cache) and warm
    (median of --repeat later runs, each a new session), and warm as a multiple of the baseline page
    (tools/bench_baseline_page.py: one small Plotly chart and nothing else) measured in the same run; a
    frame-only page (tools/bench_frame_page.py: the shared sidebar and a title) shows what every page pays
    before drawing anything of its own;
  - p50/p95 of every query in queries/ with representative parameters read from the store;
  - in a real browser (headless Chromium) on a fresh `streamlit run` of the scale's store: the time from
    navigation to the first chart painted, per page (first visit, then the median of later visits), and the
    peak resident memory (VmHWM) of that server process after it served every page.
Targets (issue 7): warm render <= 1.5x baseline at national scale and <= 2x at ten times; every query p95
<= 20 ms at national scale; first chart <= 2 s; memory <= 400 MB. Nothing is written under data/.
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
MEMORY_TARGET_MB = 400.0
COLUMNS = (
    "scale",
    "what",
    "cold ms",
    "warm ms",
    "× floor",
    "p50 ms",
    "p95 ms",
    "1st chart ms new tab cold / warm / in-app link",
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
    chart_cold_ms: float | None = None
    chart_warm_ms: float | None = None
    chart_link_ms: float | None = None
    rss_mb: float | None = None
    targets: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    charts: int = 0

    def cells(self) -> list[str]:
        chart = ""
        if any(v is not None for v in (self.chart_cold_ms, self.chart_warm_ms, self.chart_link_ms)):
            chart = f"{_ms(self.chart_cold_ms)} / {_ms(self.chart_warm_ms)} / {_ms(self.chart_link_ms)}"
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
            chart,
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
    from spbe import db

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

    from spbe.build import build
    from spbe.synth_store import build_synthetic_store

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

    from spbe import db

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


# -- browser: first chart painted, server memory -------------------------------------------------
@dataclass
class BrowserTimes:
    cold_ms: float | None = None  # first visit in a new tab (empty browser cache)
    warm_ms: float | None = None  # median of later visits in that tab (full page loads, warm cache)
    link_ms: float | None = None  # median of in-app navigations: a click on the sidebar link from a chartless page
    note: str = ""


def measure_browser(
    db_file: Path, workdir: Path, pages: list[tuple[str, str, int, int]], params: dict, visits: int, script: str = "app.py"
) -> tuple[dict[str, BrowserTimes], float | None]:
    """For each (key, url path, server-side chart count, position in the sidebar): the time from navigation to
    the first Plotly chart painted; and the server's peak RSS in MB after serving them all."""
    from playwright.sync_api import sync_playwright

    from spbe import e2e

    out = {key: BrowserTimes() for key, *_ in pages}
    query = "&".join(f"{k}={v}" for k, v in params.items())
    url = {key: f"{{base}}/{path}" + (f"?{query}" if query else "") for key, path, *_ in pages}
    launchpad = next((key for key, _, charts, _ in pages if not charts), None)
    with e2e.streamlit_server(workdir, db=db_file, script=script, build_store=False) as server, sync_playwright() as pw:
        browser = e2e.launch_chromium(pw)
        try:
            # One visit first, so the server process has imported its libraries: "cold" is then the page's
            # first time with an empty browser cache, not the interpreter's start-up.
            context = browser.new_context()
            warmup = context.new_page()
            warmup.goto(url[launchpad or pages[0][0]].format(base=server.base_url))
            e2e.wait_idle(warmup, 120_000)
            context.close()
            for key, _, charts, position in pages:
                # A new context per page: the first visit has a cold browser cache, later ones a warm one.
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                tab = context.new_page()
                loads, links = [], []
                try:
                    for _ in range(1 + visits):
                        t0 = time.perf_counter()
                        tab.goto(url[key].format(base=server.base_url))
                        if not charts:
                            e2e.wait_idle(tab, 120_000)
                            break
                        tab.wait_for_selector(e2e.PLOTLY_PAINTED, state="attached", timeout=120_000)
                        loads.append((time.perf_counter() - t0) * 1000)
                    if tab.query_selector(e2e.EXCEPTION):
                        out[key].note = "exception box in the browser"
                    for _ in range(visits if charts and launchpad and script == "app.py" else 0):
                        tab.goto(url[launchpad].format(base=server.base_url))
                        tab.wait_for_selector('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]')
                        e2e.wait_idle(tab, 120_000)
                        t0 = time.perf_counter()
                        tab.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]').nth(position).click()
                        tab.wait_for_selector(e2e.PLOTLY_PAINTED, state="attached", timeout=120_000)
                        links.append((time.perf_counter() - t0) * 1000)
                except Exception as err:
                    out[key].note = f"browser: {type(err).__name__}"
                finally:
                    context.close()
                out[key].cold_ms = loads[0] if loads else None
                out[key].warm_ms = statistics.median(loads[1:]) if len(loads) > 1 else None
                out[key].link_ms = statistics.median(links) if links else None
                if not charts and not out[key].note:
                    out[key].note = "no chart on this view"
        finally:
            browser.close()
        rss = server.peak_rss_mb()
    return out, rss


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
    parser.add_argument("--repeat", type=int, default=5, help="warm renders per page (median reported)")
    parser.add_argument("--query-reps", type=int, default=30, help="timed runs per query (after one warm-up)")
    parser.add_argument("--visits", type=int, default=2, help="browser visits per page after the first (median)")
    parser.add_argument("--pages", default="", help="comma-separated page keys (default: every page)")
    parser.add_argument("--year", type=int, default=DEFAULT_YEAR, help="tahun of the rendered views and queries")
    parser.add_argument("--quick", action="store_true", help="one warm render, 3 query runs, one later visit")
    parser.add_argument("--no-browser", action="store_true", help="skip first-chart and memory (no Chromium needed)")
    parser.add_argument("--out", type=Path, help="also write the report (markdown) to this file")
    parser.add_argument("--timeout", type=float, default=300, help="AppTest timeout per render, seconds")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.query_reps, args.visits = 1, 3, 1
    bad = [s for s in args.scales.split(",") if s not in SCALES]
    if bad:
        parser.error(f"unknown scale(s) {bad}; expected {list(SCALES)}")
    return args


def run(args: argparse.Namespace) -> tuple[str, int]:
    from spbe import e2e
    from spbe.pages import PAGES

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    pages = [p for p in PAGES if not args.pages or p.key in args.pages.split(",")]
    params = {"lang": "id", "instansi": FOCUS, "tahun": str(args.year)}
    chromium = None if args.no_browser else e2e.chromium_path()
    started = dt.datetime.now()
    load_start = os.getloadavg()[0]
    rows: list[Row] = []
    stores: list[str] = []
    errors = 0
    with tempfile.TemporaryDirectory(prefix="spbe-bench-") as tmp, shared_script_cache():
        folder = Path(tmp)
        for scale in args.scales.split(","):
            spec = SCALES[scale]
            db_file, text = make_store(spec, folder)
            stores.append(text)
            state = folder / f"{scale}-state"
            with store_env(db_file, state):
                baseline = measure_render(scale, "baseline page (floor)", BASELINE_SCRIPT, None, {}, args.repeat, args.timeout)
                with frame_only_app() as frame_main:
                    frame = measure_render(
                        scale, "frame only (sidebar + title)", frame_main, None, params, args.repeat, args.timeout
                    )
                scale_rows = [baseline, frame]
                for p in pages:
                    page = None if p.script == "app.py" else p.script
                    row = measure_render(scale, f"page {p.key}", ROOT / "app.py", page, params, args.repeat, args.timeout)
                    scale_rows.append(row)
                for row in scale_rows[1:]:
                    if row.warm_ms is not None and baseline.warm_ms:
                        row.ratio = row.warm_ms / baseline.warm_ms
                    target = RENDER_TARGET.get(scale)
                    if target and row.what.startswith("page "):
                        row.targets.append(f"warm ≤ {target:g}× floor")
                        if row.ratio is not None and row.ratio > target:
                            row.misses.append(f"{row.ratio / target:.1f}× over")
                if chromium:
                    _browser_columns(scale, db_file, folder, pages, scale_rows, params, args.visits)
                rows += scale_rows
                rows += measure_queries(scale, db_file, args.year, args.query_reps)
            errors += sum(any(n.startswith(("ERROR", "EXCEPTION")) for n in r.notes) for r in rows if r.scale == scale)
    took = (dt.datetime.now() - started).total_seconds()
    load_end = os.getloadavg()[0]
    head = [
        f"# Benchmark {started:%Y-%m-%d %H:%M}",
        "",
        f"Machine: {machine()}.",
        f"Command: `python -m spbe bench {' '.join(args.argv)}` (took {took / 60:.1f} min; 1-minute load average "
        f"{load_start:.1f} at the start, {load_end:.1f} at the end: other work on the machine inflates every number).",
        "",
        "Stores:",
        *[f"- {s}" for s in stores],
        "",
        f"Views: lang=id, instansi={FOCUS}, tahun={args.year}. Render = AppTest script run (server side): cold = first run "
        f"after clearing every cache, warm = median of {args.repeat} new sessions; × floor = warm / warm of the baseline "
        f"page (one small Plotly chart) in the same run and scale; 'frame only' = the shared sidebar and a title, which "
        f"every page pays. Queries: p50/p95 of {args.query_reps} runs after one "
        "warm-up, straight on DuckDB (the app's result cache bypassed). 1st chart = navigation to the first Plotly chart "
        f"painted in headless Chromium on a fresh server (after one warm-up visit to another page): first visit in a new "
        f"tab / median of {args.visits} later "
        "full loads in that tab / median of in-app navigations (a click on the sidebar link from a page without charts). "
        "Peak RSS = VmHWM of that server process after serving every page.",
        "",
    ]
    if not chromium:
        head += [
            "Browser columns skipped: "
            + ("--no-browser." if args.no_browser else "no Chromium ($SPBE_CHROMIUM or /usr/bin/chromium)."),
            "",
        ]
    misses = [f"- {r.scale} · {r.what}: {'; '.join(r.misses)} (target {', '.join(r.targets)})" for r in rows if r.misses]
    tail = ["", "Targets missed:" if misses else "Every target met.", *misses]
    return "\n".join(head + [markdown_table(rows)] + tail) + "\n", errors


def _browser_columns(scale, db_file, folder, pages, scale_rows, params, visits) -> None:
    from spbe import e2e
    from spbe.pages import PAGES

    baseline, page_rows = scale_rows[0], [r for r in scale_rows if r.what.startswith("page ")]
    try:
        floor, floor_rss = measure_browser(
            db_file,
            folder / f"{scale}-floor-server",
            [("floor", "", 1, 0)],
            {},
            visits,
            script=str(BASELINE_SCRIPT.relative_to(ROOT)),
        )
        baseline.chart_cold_ms, baseline.chart_warm_ms = floor["floor"].cold_ms, floor["floor"].warm_ms
        baseline.rss_mb = floor_rss
    except Exception as err:
        baseline.notes.append(f"browser: {type(err).__name__}: {err}"[:200])
    position = {p.key: n for n, p in enumerate(PAGES)}
    script = {p.key: p.script for p in PAGES}
    specs = [(r.what.removeprefix("page "), r) for r in page_rows]
    try:
        measured, rss = measure_browser(
            db_file,
            folder / f"{scale}-server",
            [(key, e2e.url_path(script[key]), r.charts, position[key]) for key, r in specs],
            params,
            visits,
        )
    except Exception as err:
        baseline.notes.append(f"browser run failed: {type(err).__name__}: {err}"[:200])
        return
    for key, row in specs:
        got = measured[key]
        row.chart_cold_ms, row.chart_warm_ms, row.chart_link_ms = got.cold_ms, got.warm_ms, got.link_ms
        if got.note:
            row.notes.append(got.note)
        if row.charts:
            row.targets.append(f"1st chart ≤ {FIRST_CHART_TARGET_MS / 1000:g} s")
            for label, value in (("cold", got.cold_ms), ("warm", got.warm_ms), ("link", got.link_ms)):
                if value is not None and value > FIRST_CHART_TARGET_MS:
                    row.misses.append(f"{label} {value / 1000:.1f} s")
    memory = Row(scale, "app process, every page served", rss_mb=rss, targets=[f"≤ {MEMORY_TARGET_MB:.0f} MB"])
    if rss is not None and rss > MEMORY_TARGET_MB:
        memory.misses.append(f"{rss:.0f} MB")
    scale_rows.append(memory)


def main(argv: list[str]) -> int:
    args = parse_args(argv[1:])
    args.argv = argv[1:]
    report, errors = run(args)
    print(report)
    if args.out:
        args.out.write_text(report, encoding="utf-8")
    return 1 if errors else 0
