"""The benchmark's synthetic store holds what it claims, and `python -m spbe bench` runs on a tiny scale and
prints its one table (no timing is asserted: only that every page and query is measured)."""

from __future__ import annotations

import json

import duckdb
import pytest

from spbe.core.frameworks import framework_for_year
from spbe.core.scoring import index_from_parts
from spbe.dev import bench
from spbe.dev.synth_store import ASSESSMENTS, DEFAULT_YEARS, SYNTH_SOURCE, build_synthetic_store, expected_indicator_rows
from spbe.models.pages import PAGES
from spbe.settings import SEED_DIR
from spbe.store import db


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return build_synthetic_store(tmp_path_factory.mktemp("synth") / "synth.duckdb", copies=3, limit=5)


def per_year(what: str) -> dict[int, int]:
    out = {}
    for y in DEFAULT_YEARS:
        fw = framework_for_year(y)
        out[y] = len(fw.indicators) if what == "indicator" else len(fw.top_level)
    return out


def test_synthetic_store_holds_the_expected_rows(synthetic):
    assert synthetic.instansi == 5 * 3
    assert synthetic.index_rows == 15 * len(DEFAULT_YEARS) * len(ASSESSMENTS)
    assert synthetic.indicator_rows == expected_indicator_rows(15, DEFAULT_YEARS, per_year("indicator"))
    assert synthetic.domain_rows == 15 * len(ASSESSMENTS) * sum(per_year("top").values())
    # the national scale: ~630 instansi x 47 indicators x 8 years x 2 assessments, as far as the
    # frameworks define indicators (2026 on: 20)
    assert expected_indicator_rows(629, DEFAULT_YEARS, per_year("indicator")) == 629 * 2 * (5 * 47 + 3 * 20)


def test_synthetic_values_are_marked_and_computed_with_the_regulation(synthetic):
    con = duckdb.connect(str(synthetic.path), read_only=True)
    try:
        for table in ("index_results", "domain_results", "indicator_results"):
            marks = con.execute(f"select distinct source_id, note from {table}").fetchall()
            assert marks == [(SYNTH_SOURCE, None)], (table, marks)
        assert con.execute("select kind from sources where source_id = ?", [SYNTH_SOURCE]).fetchone() == ("illustration",)
        copies = [r[0] for r in con.execute("select instansi_id from instansi where instansi_id like '%-sintetis-%'").fetchall()]
        assert len(copies) == 10 and all(c.endswith(("-sintetis-2", "-sintetis-3")) for c in copies)
        assert con.execute("select count(*) from instansi where instansi_id = 'kota-cilegon'").fetchone() == (1,)
        for year in (2024, 2026):
            fw = framework_for_year(year)
            levels = dict(
                con.execute(
                    "select cast(indicator_no as varchar), level from indicator_results "
                    "where instansi_id = 'kota-cilegon' and year = ? and assessment = 'official'",
                    [year],
                ).fetchall()
            )
            stored, predikat = con.execute(
                "select indeks, predikat from index_results where instansi_id = 'kota-cilegon' and year = ? "
                "and assessment = 'official'",
                [year],
            ).fetchone()
            parts = dict(
                con.execute(
                    "select domain_code, value from domain_results where instansi_id = 'kota-cilegon' and year = ? "
                    "and assessment = 'official'",
                    [year],
                ).fetchall()
            )
            assert len(levels) == len(fw.indicators)
            exact = sum(i.weight_pct * levels[i.code] for i in fw.indicators) / 100
            assert stored == pytest.approx(round(exact, 2))
            assert predikat == fw.band_for(exact).predikat
            assert index_from_parts(fw, parts).value == pytest.approx(exact, abs=0.01)
            selfs = dict(
                con.execute(
                    "select cast(indicator_no as varchar), level from indicator_results "
                    "where instansi_id = 'kota-cilegon' and year = ? and assessment = 'self_assessment'",
                    [year],
                ).fetchall()
            )
            assert all(levels[k] <= selfs[k] <= 5 for k in levels)
    finally:
        con.close()


def test_synthetic_store_refuses_the_data_folder():
    with pytest.raises(ValueError, match="data/"):
        build_synthetic_store(SEED_DIR / "synthetic.duckdb")


def test_bench_prints_one_table_with_every_page_and_query(capsys):
    rc = bench.main(["bench", "--scales", "tiny", "--quick", "--no-browser"])
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert header == list(bench.COLUMNS)
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in lines[2:]]
    what = {r[1] for r in rows}
    assert {f"page {p.key}" for p in PAGES} <= what
    assert {f"query {q.name}" for q in db.all_queries()} <= what
    assert {"baseline page (floor)", "frame only (sidebar + title)"} <= what
    for r in rows:
        if r[1].startswith(("page ", "baseline", "frame only")):
            assert r[2] and r[3], f"no render times for {r[1]}: {r}"
        if r[1].startswith("query ") and "no representative value" not in r[-1]:
            assert r[5] and r[6], f"no latency for {r[1]}: {r}"
    assert "Browser measures skipped: --parts without browser." in out
    assert rc == 0, "a page or query failed on the tiny synthetic store: see the 'met' column above"


def test_bench_times_what_users_feel_against_the_floor(capsys):
    """One repeat on the shipped store, two pages (one with charts, one without): every browser measure is
    taken and printed as a ratio to the floor measured in the same run."""
    from spbe.dev import e2e

    if e2e.chromium_path() is None:
        pytest.skip("no Chromium at $SPBE_CHROMIUM or /usr/bin/chromium")
    pytest.importorskip("playwright.sync_api")
    rc = bench.main(["bench", "--scales", "shipped", "--quick", "--parts", "browser", "--pages", "ikhtisar,impor"])
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert header == list(bench.FEEL_COLUMNS)
    rows = {r[1]: r for r in ([c.strip() for c in line.strip("|").split("|")] for line in lines[2:]) if r[0] == "shipped"}
    floor = rows["floor (sidebar selectboxes + one small chart)"]
    assert all(floor[2:5]), f"the floor lacks a measure: {floor}"
    for key in ("ikhtisar", "impor"):
        row = rows[f"page {key}"]
        for cell in row[2:5]:
            assert cell.endswith("×)"), f"page {key}: a measure without its ratio to the floor: {row}"
        assert row[5].startswith(("yes", "no")), row
    assert rc == 0, out


def test_the_chart_floor_shows_the_pages_own_figure_for_each_focus(store):
    """tools/bench_chart_floor.py: the floor app with its small chart swapped for a page's first figure, as the
    page sends it, per focus (a figure that is not the page's would measure nothing)."""
    import importlib.util

    from streamlit.testing.v1 import AppTest

    spec = importlib.util.spec_from_file_location("bench_chart_floor", bench.ROOT / "tools" / "bench_chart_floor.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    specs = tool.figure_specs("kesenjangan", store, bench.DEFAULT_YEAR)
    assert set(specs) == {"*", "Kota Cilegon · Banten", *bench.focus_labels(store)}
    assert specs["Kota Serang · Banten"] != specs["*"] == specs["Kota Cilegon · Banten"]
    with tool.chart_floor_app(specs) as main:
        for label in ("Kota Cilegon · Banten", "Kota Serang · Banten"):
            at = AppTest.from_file(str(main), default_timeout=60)
            at.session_state["floor_instansi"] = label
            at.run()
            assert not at.exception, [e.message for e in at.exception]
            shown = json.loads(at.get("plotly_chart")[0].proto.spec)
            assert shown["data"] == json.loads(specs[label])["data"]
    with tool.chart_floor_app(specs, "once") as main:  # the prototype element that draws in place
        for script in (main, main.parent / "pages" / "floor_b.py"):
            assert 'ONCE(data={"spec": SPECS.get(focus, SPECS["*"])}, key="chart_floor")' in script.read_text()
        assert "Plotly.react(div" in (main.parent / "once.js").read_text()
        assert (main.parent / "static" / "plotly.min.js").stat().st_size > 1_000_000
        at = AppTest.from_file(str(main), default_timeout=60)
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        assert not at.get("plotly_chart")  # the floor's own chart is gone
