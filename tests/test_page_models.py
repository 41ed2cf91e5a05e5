"""The page models of Perbandingan, Kesenjangan and Simulasi tell the truth (issue 11, item 4), and take their
numbers from the semantic core (item 2). Each test here would have caught one statement found in review."""

from types import SimpleNamespace

import pandas as pd
import pytest

from spbe import core
from spbe.core import gaps, pemdi, simulate
from spbe.core.frameworks import framework_for_year
from spbe.models import compare as cmp
from spbe.models import gap_view as gv
from spbe.models import simulate_view as sv
from spbe.models.focus import instansi_table
from spbe.store import db
from tests.conftest import run_every_tab, run_page
from tests.test_compare import decode, plotly_specs
from tests.test_gap_pages import texts

CILEGON_2024 = {"D1": 2.5, "D2": 2.0, "D3": 1.36, "D4": 3.31}


# -- Simulasi ---------------------------------------------------------------------------------------
def test_feasible_unrounded_starts_come_from_the_level_splits():
    """Not 'between 2,55500 and 2,55545': the splits of Cilegon 2024's domain values give 2.555 and 2.5575 only."""
    values = simulate.feasible_start_indices(framework_for_year(2024), CILEGON_2024)
    assert [float(v) for v in values] == [2.555, 2.5575]
    assert all(core.printed(float(v)) == 2.56 for v in values)  # both print as the published 2,56


def test_simulasi_caption_names_the_feasible_values():
    body = texts(run_every_tab("pages/4_simulasi.py", lang="id", instansi="kota-cilegon", tahun="2024"))
    assert "2,55500, 2,55750" in body
    assert "indeks sebenarnya antara" not in body


def test_headroom_is_jointly_feasible():
    """D4 mixes A7 and A8: its headroom is what one split allows (0.77), never A7's 0.77 + A8's 0.66 = 1.43."""
    fw = framework_for_year(2024)
    joint = simulate.joint_headroom(fw, CILEGON_2024).set_index("domain_code")
    assert joint.loc["D4", "headroom_points_max"] == pytest.approx(0.77)
    per_group = simulate.level_step_table(fw, CILEGON_2024)
    assert per_group.loc[per_group["domain_code"] == "D4", "headroom_points_max"].sum() == pytest.approx(1.43)
    at = run_every_tab("pages/4_simulasi.py", lang="en", instansi="kota-cilegon", tahun="2024")
    bars = next(s for s in plotly_specs(at) if s["data"][0].get("orientation") == "h" and "base" not in s["data"][0])
    xs = dict(zip(decode(bars["data"][0]["y"]), decode(bars["data"][0]["x"]), strict=True))
    assert xs["D4 · A7+A8"] == pytest.approx(0.77) and max(xs.values()) < 1.0


def test_next_predikat_reads_the_strict_edge_of_8_2026():
    fw = pemdi.framework()
    baik = next(b for b in fw.bands if b.predikat == "Baik")
    assert sv.edge_text(baik, "id") == "> 2,50"
    assert sv.edge_text(framework_for_year(2024).bands[2], "id").startswith("≥ ")
    assert core.next_predikat(fw, "Cukup").predikat == "Baik"


def test_a_2026_plan_names_20_indicators_not_47():
    fw = pemdi.framework()
    levels = {i.code: 2 for i in fw.indicators}
    basis = gaps.LevelBasis(2026, 2026, "self_assessment", fw, levels, "import", "region_import", ("X",), (2026,))
    view = sv.SimulationView(fw, 2026, {}, None, None, [], basis, True, False, pd.DataFrame(columns=["year", "assessment"]), None)
    text = sv.start_levels_text(view, "id")
    assert "20 indikator" in text and "47" not in text


def test_simulasi_target_is_core_own_target():
    targets = pd.DataFrame([dict(scope="instansi", instansi_id="x", year=2025, target_indeks=3.0, source_id="S", kind="plan")])
    tv = core.own_target(targets, "x", 2024, {2024: 2.56})
    assert tv.status == "ahead" and tv.compared_year is None  # a later target is a goal ahead, never "missed"


# -- Kesenjangan -------------------------------------------------------------------------------------
def _gap_view(instansi_id: str, year: int, lang: str = "en"):
    inst = instansi_table().set_index("instansi_id").loc[instansi_id].to_dict() | {"instansi_id": instansi_id}
    frame = SimpleNamespace(
        year=year, instansi=inst, instansi_id=instansi_id, peer_mode="provinsi", peer_ids=(), lang=lang, years=[year]
    )
    return gv.load_gap_view(frame)


def test_pembanding_and_largest_loss_are_the_core_definitions():
    view = _gap_view("kota-cilegon", 2024)
    instansi = instansi_table()
    focus = instansi.set_index("instansi_id").loc["kota-cilegon"].to_dict() | {"instansi_id": "kota-cilegon"}
    fw = framework_for_year(2024)
    facts = core.facts(focus, 2024, db.run("index_by_year", year=2024), db.run("domain_by_year", year=2024), instansi, fw)
    assert view.peer_avg.value == pytest.approx(facts.peer_average.value)
    assert view.peer_avg.count == facts.peer_average.count == 8  # the focus excluded
    assert view.largest.domain_code == facts.largest_gap.domain_code
    assert view.largest.points == pytest.approx(facts.largest_gap.points)
    bench = gv.benchmarks(view)
    peer_index = bench[(bench["benchmark"] == "pembanding") & (bench["domain_code"] == "index")]["value"].iloc[0]
    assert peer_index == pytest.approx(facts.peer_average.value)
    labels = gv.benchmark_labels(view, bench, "Kota Cilegon", "en")
    assert labels["pembanding"] == "Mean of 8 peers (focus instansi not included)"
    text = gv.largest_loss_text(view, "Kota Cilegon", "en")
    assert f"The largest loss: {facts.largest_gap.domain_code}" in text and "raw gap" in text and "Mean of 8 peers" in text


def test_a_later_target_is_a_goal_ahead_on_kesenjangan():
    view = _gap_view("kota-cilegon", 2024)
    ahead = core.TargetView(2025, 3.2, "S", "plan", None, None, "ahead")
    text = gv.target_text(SimpleNamespace(target=ahead, year=2024, targets=view.targets, focus=view.focus), "Kota Cilegon", "en")
    assert "goal ahead" in text and "missed" not in text


def test_the_printed_national_mean_says_which_is_shown():
    """provinsi 2024: R24 prints 3,42; the mean of the 38 rows held is 3,407 (issue: 3.406)."""
    note = gv.national_mean_note(_gap_view("provinsi-banten", 2024, "id"), "id")
    assert note and "3,42" in note and "3,40" in note and "38" in note
    rows = cmp.category_rows(db.run("index_by_year", year=2024), "provinsi")
    avg = cmp.national_category_average(cmp.category_averages(2024), "provinsi")
    assert "3,42" in cmp.printed_mean_note(avg, rows, 2024, "id")


def test_perbandingan_says_which_category_mean_is_shown():
    at = run_page("pages/2_perbandingan.py", lang="id", instansi="provinsi-banten", tahun="2024")
    assert not at.exception
    assert any("angka tercetak 3,42" in c.value for c in at.caption)


# -- Perbandingan: a derived predikat is never shown as published ------------------------------------------
def test_derived_predikat_is_marked_in_the_ranking():
    table = cmp.rank_table(db.run("index_by_year", year=2022))
    assert (table["predikat_basis"] == "derived").all()
    shown = cmp.ranking_table_for_display(table.head(3), "en")
    assert all("derived from the bands" in p for p in shown["Rating"])
    at = run_page("pages/2_perbandingan.py", lang="en", instansi="kota-cilegon", tahun="2022")
    assert not at.exception
    hovers = [h for s in plotly_specs(at) for tr in s["data"] for h in (tr.get("hovertext") or []) if isinstance(h, str)]
    rated = [h for h in hovers if "Baik" in h or "Cukup" in h or "Kurang" in h]
    assert rated and all("derived from the bands" in h for h in rated)
    assert not any("official rating" in c.value for c in at.caption)
