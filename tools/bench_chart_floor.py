"""How much of a page's time in the browser its first chart alone costs.

The floor app (tools/bench_baseline_page.py: sidebar selectboxes, two page links, one small chart) is served a
second time with its small chart swapped for a page's own first figure, exactly as the page sends it to the
browser for each focus instansi. Both are timed in the same run with the benchmark's own browser measures
(spbe.dev.bench.measure_feel: new tab, link, focus change): what part of the 1.3x budget a page's chart takes
by itself. With --elements once, each figure is also drawn by a prototype element that keeps its key and updates
the chart in place (Plotly.react), where st.plotly_chart mounts a changed figure as a new chart and draws it twice.

    .venv/bin/python tools/bench_chart_floor.py --pages tren,kesenjangan --elements plotly_chart,once --repeat 5
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spbe.dev import bench, e2e  # noqa: E402

# The floor's chart block, replaced by the page's figure for the chosen focus (specs.json beside floor_app.py).
SWAP_FROM = "seed = int("
SWAP_TO = """import json

SPECS = json.loads((main.parent / "specs.json").read_text(encoding="utf-8"))
st.plotly_chart(json.loads(SPECS.get(focus, SPECS["*"])), key="chart_floor")
"""
# The same figure drawn by a chart element that keeps its key: st.components.v2 mounts it in the page (no iframe)
# and calls it again with the new figure, which Plotly.react draws into the same div (once on mount, once per
# change). plotly.min.js comes from the plotly package, served by Streamlit's static file serving.
ONCE_JS = r"""
export default function(component) {
  const { data, parentElement } = component;
  window.__plotlyLoading = window.__plotlyLoading || new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = "./app/static/plotly.min.js";
    s.onload = () => resolve(window.Plotly);
    s.onerror = reject;
    document.head.appendChild(s);
  });
  let div = parentElement.querySelector(".plotly-once");
  if (!div) {
    div = document.createElement("div");
    div.className = "plotly-once";
    div.style.width = "100%";
    parentElement.appendChild(div);
  }
  window.__plotlyLoading.then(Plotly => {
    const fig = JSON.parse(data.spec);
    Plotly.react(div, fig.data, fig.layout, {responsive: true, displaylogo: false});
  });
}
"""
SWAP_TO_ONCE = """import json

SPECS = json.loads((main.parent / "specs.json").read_text(encoding="utf-8"))
ONCE = st.components.v2.component("plotly_once", js=(main.parent / "once.js").read_text(encoding="utf-8"), isolate_styles=False)
ONCE(data={"spec": SPECS.get(focus, SPECS["*"])}, key="chart_floor")
"""
ELEMENTS = ("plotly_chart", "once")


def figure_specs(page_key: str, db_file: Path, year: int, lang: str = "id") -> dict[str, str]:
    """The first plotly_chart spec (JSON text, as sent to the browser) of the page for the benchmark's focus and
    each focus target, keyed by the picker's label; '*' is the benchmark's focus."""
    from streamlit.testing.v1 import AppTest

    from spbe.models.pages import BY_KEY

    labels = bench.instansi_labels(db_file)
    specs: dict[str, str] = {}
    with bench.store_env(db_file, Path(tempfile.mkdtemp(prefix="spbe-chart-floor-state-"))):
        for iid in [bench.FOCUS, *bench.FOCUS_TARGETS]:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            if BY_KEY[page_key].script != "app.py":
                at.switch_page(BY_KEY[page_key].script)
            for k, v in {"lang": lang, "instansi": iid, "tahun": str(year)}.items():
                at.query_params[k] = v
            at.run()
            charts = at.get("plotly_chart")
            if at.exception or not charts:
                raise SystemExit(f"{page_key} for {iid}: no chart ({[e.message for e in at.exception]})")
            specs[labels[iid]] = charts[0].proto.spec
    specs["*"] = specs[labels[bench.FOCUS]]
    return specs


@contextlib.contextmanager
def chart_floor_app(specs: dict[str, str] | None, element: str = "plotly_chart"):
    """The floor as a two-page app (as bench.floor_app); with specs, its chart is the page's figure, drawn by
    st.plotly_chart or (element 'once') by the prototype element that updates in place."""
    with bench.floor_app() as main:
        if specs is not None:
            swap = SWAP_TO if element == "plotly_chart" else SWAP_TO_ONCE
            for script in (main, main.parent / "pages" / "floor_b.py"):
                text = script.read_text(encoding="utf-8")
                script.write_text(text[: text.index(SWAP_FROM)] + swap, encoding="utf-8")
            (main.parent / "specs.json").write_text(json.dumps(specs), encoding="utf-8")
            if element == "once":
                import plotly

                (main.parent / "once.js").write_text(ONCE_JS, encoding="utf-8")
                (main.parent / "static").mkdir()
                shutil.copy(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", main.parent / "static")
        yield main


def feel(
    browser,
    db_file: Path,
    workdir: Path,
    specs: dict[str, str] | None,
    labels: list[str],
    repeat: int,
    element: str = "plotly_chart",
) -> bench.Feel:
    out = bench.Feel()
    static = {"STREAMLIT_SERVER_ENABLE_STATIC_SERVING": "true"} if element == "once" else None
    with (
        chart_floor_app(specs, element) as main,
        e2e.streamlit_server(
            workdir, db=db_file, script=str(main), port=bench._bench_port(), build_store=False, env=static
        ) as server,
    ):
        pages = [
            bench.FeelPage("floor-b", f"{server.base_url}/floor_b", bench.FLOOR_TITLES[1], 1),
            bench.FeelPage("floor-a", f"{server.base_url}/", bench.FLOOR_TITLES[0], 0),
        ]
        for got in bench.measure_feel(browser, pages, labels, repeat, tabs_for={"floor-a"}).values():
            out.add(got)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default="ikhtisar,tren,perbandingan,kesenjangan,simulasi,opd")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--year", type=int, default=bench.DEFAULT_YEAR)
    parser.add_argument("--db", type=Path, default=None, help="a store (default: the shipped seeds, built here)")
    parser.add_argument(
        "--elements",
        default="plotly_chart",
        help="comma-separated: plotly_chart (as the pages draw) and/or once (a prototype element that keeps its key "
        "and updates the chart in place)",
    )
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="spbe-chart-floor-") as tmp:
        folder = Path(tmp)
        db_file = args.db or bench.make_store(bench.SCALES["shipped"], folder)[0]
        labels = [lb for lb in bench.focus_labels(db_file) if lb.endswith(" · Banten")]
        specs = {key: figure_specs(key, db_file, args.year) for key in args.pages.split(",")}
        rows: list[bench.FeelRow] = []
        with sync_playwright() as pw:
            browser = e2e.launch_chromium(pw)
            try:
                plain = feel(browser, db_file, folder / "plain-1", None, labels, args.repeat)
                for key, page_specs in specs.items():
                    kb = len(page_specs["*"]) / 1024
                    for element in args.elements.split(","):
                        if element not in ELEMENTS:
                            parser.error(f"unknown element {element!r}; expected one of {ELEMENTS}")
                        got = feel(browser, db_file, folder / f"chart-{key}-{element}", page_specs, labels, args.repeat, element)
                        how = "" if element == "plotly_chart" else ", drawn in place"
                        rows.append(bench.FeelRow("shipped", f"floor with {key}'s first figure ({kb:.0f} KB{how})", got))
                again = feel(browser, db_file, folder / "plain-2", None, labels, args.repeat)
            finally:
                browser.close()
        plain.add(again)
        for row in rows:
            row.floor = plain
        print(bench.feel_table([bench.FeelRow("shipped", "floor (sidebar selectboxes + one small chart)", plain), *rows]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
