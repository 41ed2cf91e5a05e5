"""Gap analysis on the shipped data: benchmarks (computed vs printed), contributions that add up to the
index gap, the province leader, self-assessment against official (Cilegon 2022: 3.00 vs 2.01)."""

import pandas as pd
import pytest

from spbe import core
from spbe.core import gaps
from spbe.core.frameworks import framework_for_year
from spbe.store import db

FW = framework_for_year(2024)


@pytest.fixture()
def banten_2024():
    table = gaps.domain_table(db.run("gap_domain_values", year=2024, assessment="official"))
    instansi = db.run("instansi_list").set_index("instansi_id")
    focus = instansi.loc["kota-cilegon"].to_dict() | {"instansi_id": "kota-cilegon"}
    peers = list(instansi[instansi["province"] == "Banten"].index)
    printed = db.run("national_by_year", year=2024)
    return table, focus, peers, printed


def test_focus_values_are_the_published_ones(banten_2024):
    table, focus, peers, printed = banten_2024
    bench = gaps.benchmarks(FW, table, focus, peers, printed).set_index(["benchmark", "domain_code"])
    assert bench.loc[("focus", "D1"), "value"] == 2.50
    assert bench.loc[("focus", "D4"), "value"] == 3.31
    assert bench.loc[("focus", "index"), "value"] == 2.56


def test_national_category_mean_is_printed_not_computed(banten_2024):
    table, focus, peers, printed = banten_2024
    ref = gaps.reference_domains(FW, table, focus, peers, printed, "nasional")
    assert ref["how"] == "printed" and ref["label"] == "kota"
    assert ref["values"] == {"D1": 3.64, "D2": 2.94, "D3": 2.03, "D4": 4.05}  # R24 Tabel 8, kota
    assert ref["printed_index"] == 3.39


def test_province_means_are_computed_from_rows_with_counts(banten_2024):
    table, focus, peers, printed = banten_2024
    ref = gaps.reference_domains(FW, table, focus, peers, printed, "kategori_provinsi")
    assert ref["how"] == "rows" and ref["n"]["D2"] == 4  # the four Banten cities
    banten_cities = table[(table["province"] == "Banten") & (table["category"] == "kota")]
    assert ref["values"]["D2"] == pytest.approx(banten_cities["D2"].mean())
    peers_ref = gaps.reference_domains(FW, table, focus, peers, printed, "pembanding")
    assert peers_ref["n"]["D2"] == 8  # the focus is not its own peer


def test_leader_is_the_best_published_index_in_the_province(banten_2024):
    table, focus, peers, printed = banten_2024
    leader = gaps.province_leader(table, focus, peers)
    banten = table[table["province"] == "Banten"]
    assert leader["indeks"] == banten["indeks"].max()
    assert leader["instansi_id"] != "kota-cilegon"


def test_contributions_add_up_to_the_computed_index_gap(banten_2024):
    table, focus, peers, printed = banten_2024
    focus_values = {"D1": 2.50, "D2": 2.00, "D3": 1.36, "D4": 3.31}
    for reference in gaps.REFERENCES:
        ref = gaps.reference_domains(FW, table, focus, peers, printed, reference)
        contrib = gaps.gap_contributions(FW, focus_values, ref["values"])
        gap = gaps.computed_index(FW, focus_values) - gaps.computed_index(FW, ref["values"])
        assert contrib["contribution"].sum() == pytest.approx(gap, abs=1e-12)
    nasional = gaps.gap_contributions(FW, focus_values, {"D1": 3.64, "D2": 2.94, "D3": 2.03, "D4": 4.05})
    # hand computed: 13*(2.50-3.64)/100 = -0.1482, 25*(2.00-2.94)/100 = -0.235, 45.5*(3.31-4.05)/100 = -0.3367
    assert nasional.set_index("domain_code")["contribution"].to_dict() == pytest.approx(
        {"D1": -0.1482, "D2": -0.235, "D3": -0.11055, "D4": -0.3367}
    )
    largest = core.largest_gap(FW, focus_values, {"D1": 3.64, "D2": 2.94, "D3": 2.03, "D4": 4.05})
    assert largest.domain_code == "D4" and largest.points == pytest.approx(-0.3367) and largest.raw == pytest.approx(-0.74)


def test_missing_domain_leaves_the_contribution_missing():
    contrib = gaps.gap_contributions(FW, {"D1": None, "D2": 2.0, "D3": 1.0, "D4": 3.0}, {"D1": 3, "D2": 3, "D3": 3, "D4": 3})
    assert contrib.set_index("domain_code")["contribution"].isna().to_dict() == {
        "D1": True,
        "D2": False,
        "D3": False,
        "D4": False,
    }
    assert gaps.computed_index(FW, {"D1": None, "D2": 2.0, "D3": 1.0, "D4": 3.0}) is None


def test_self_assessment_against_official_cilegon_2022():
    pairs = gaps.self_vs_official_index(db.run("index_trend", instansi_id="kota-cilegon"))
    row = pairs.set_index("year").loc[2022]
    assert (row["self_assessment"], row["official"]) == (3.00, 2.01)
    assert row["difference"] == pytest.approx(0.99)
    summary = gaps.calibration_summary(pairs.assign(code=pairs["year"]))
    assert summary["over"] == 1 and summary["under"] == 0


def test_no_self_assessment_is_empty_not_zero():
    pairs = gaps.self_vs_official_index(db.run("index_trend", instansi_id="kota-serang"))
    assert pairs.empty
    assert gaps.calibration_summary(pairs)["n"] == 0


def test_levels_views_and_calibration_per_indicator():
    rows = []
    for ind in FW.indicators:
        rows.append(
            dict(
                year=2024,
                framework_id=FW.framework_id,
                assessment="official",
                kind="official",
                indicator_code=ind.code,
                level=2,
                source_id="X",
            )
        )
        rows.append(
            dict(
                year=2024,
                framework_id=FW.framework_id,
                assessment="self_assessment",
                kind="self-assessment",
                indicator_code=ind.code,
                level=3 if ind.parent_code == "A8" else 2,
                source_id="X",
            )
        )
    level_rows = pd.DataFrame(rows)
    pairs = gaps.self_vs_official_levels(FW, level_rows, 2024)
    summary = gaps.calibration_summary(pairs)
    assert summary["over"] == 7  # six A8 indicators and aspect A8
    assert summary["under"] == 0
    official = gaps.levels_for(level_rows, 2024, "official")
    weakest = gaps.weakest_indicators(FW, official, "id")
    assert weakest.iloc[0]["indicator_code"] == "42"  # all level 2: the most points at stake first (A8, 3.00 %)
    assert weakest.iloc[0]["level_name"] == "Interaksi"
    matrix = gaps.indicator_year_matrix(FW, level_rows, "official", "en")
    assert set(matrix["level_name"]) == {"Managed", "Interaction"}


def test_reference_parameter():
    # the default is the peer average: the reference of the largest-loss sentence (core.largest_gap)
    assert gaps.parse_reference(None) == ("pembanding", True)
    assert gaps.parse_reference("pemimpin") == ("pemimpin", True)
    assert gaps.parse_reference("<script>") == ("pembanding", False)
