"""PermenPANRB 8/2026 (Indeks Pemdi): the engine reproduces every worked example, bands and edges, external scores."""

from __future__ import annotations

import csv

import pytest

from spbe.core import pemdi, scoring
from spbe.core.frameworks import frameworks
from spbe.settings import SEED_DIR

FW = pemdi.framework()
CHECK_ROWS = list(csv.DictReader((SEED_DIR / "pemdi_checks.csv").open(encoding="utf-8")))


def test_every_check_row_is_tested():
    assert len(CHECK_ROWS) == 11
    assert len(pemdi.checks()) == len(CHECK_ROWS)


@pytest.mark.parametrize("n", range(len(CHECK_ROWS)), ids=[f"{r['case']}-{r['level']}{r['code']}" for r in CHECK_ROWS])
def test_check_row_reproduces(n):
    row = CHECK_ROWS[n]
    indicators, aspects = pemdi.parse_inputs(row["input_values"])
    computed = pemdi.compute(FW, row["level"], row["code"], indicators, aspects)
    tolerance = float(row["tolerance"])  # 0 for the regulation's examples, 0.01 for the asesor's 2-decimal figures
    assert computed is not None
    assert abs(computed - float(row["expected"])) <= tolerance + 1e-9, (row["case"], computed, row["expected"])


def test_structure_weights_and_indicator_13():
    assert len(FW.indicators) == 20 and len(FW.aspects) == 7 and not FW.domains
    assert sum(i.weight_pct for i in FW.indicators) == pytest.approx(100)
    assert [a.weight_pct for a in FW.aspects] == [10, 10, 15, 15, 10, 15, 25]
    for a in FW.aspects:
        assert sum(i.weight_pct for i in FW.children(a)) == pytest.approx(a.weight_pct)
    assert FW.item("indicator", "13").weight_pct == 5  # Tabel 1; the detail pages misprint 4 %


def test_index_is_weighted_sum_over_100_and_aspect_divides_by_aspect_weight():
    values = {str(i): 1 + (i % 5) * 0.9 for i in range(1, 21)}  # decimals allowed for 8/2026
    direct = sum(i.weight_pct * values[i.code] for i in FW.indicators) / 100
    assert scoring.index_from_levels(FW, values).value == pytest.approx(direct)
    aspects = {a.code: scoring.aspect_index(FW, a.code, values).value for a in FW.aspects}
    assert scoring.index_from_parts(FW, aspects).value == pytest.approx(direct)


def test_decimals_only_for_8_2026():
    assert scoring.check_level(FW, "3", 1.26) == 1.26
    assert scoring.check_level(FW, "3", 2.0) == 2 and isinstance(scoring.check_level(FW, "3", 2.0), int)
    fw59 = frameworks()["permenpanrb-59-2020"]
    with pytest.raises(ValueError):
        scoring.check_level(fw59, "1", 1.26)
    with pytest.raises(ValueError):
        scoring.check_level(FW, "1", 5.01)


@pytest.mark.parametrize("edge", [1.5, 2.5, 3.5, 4.0])
def test_edge_values_are_flagged_and_read_as_the_lower_band(edge):
    reading = pemdi.band_reading(FW, edge)
    assert reading.on_edge and reading.edge == edge
    below = pemdi.band_reading(FW, edge - 0.001).band
    assert reading.band == below  # the asesor deck's reading: an edge belongs to the lower band
    assert pemdi.edge_note(reading, "id") and pemdi.edge_note(reading, "en")
    assert pemdi.band_reading(FW, edge + 0.001).band.rank == below.rank + 1


def test_edge_of_a_computed_value():
    # 4 * 1.5 / 4 computed in floats still sits on the edge
    values = {str(i): 1.5 for i in range(1, 21)}
    reading = pemdi.band_reading(FW, scoring.index_from_levels(FW, values).value)
    assert reading.on_edge and reading.band.predikat == "Kurang"


def test_bands_away_from_edges():
    assert [pemdi.band_reading(FW, v).band.predikat for v in (1.0, 1.24, 2.8, 3.7, 4.5, 5.0)] == [
        "Kurang",
        "Kurang",
        "Baik",
        "Sangat Baik",
        "Memuaskan",
        "Memuaskan",
    ]
    assert not pemdi.band_reading(FW, 1.0).on_edge and not pemdi.band_reading(FW, 5.0).on_edge


def test_59_2020_bands_unchanged():
    fw59 = frameworks()["permenpanrb-59-2020"]
    assert fw59.contested_edges == ()
    assert [fw59.band_for(v).predikat for v in (1.79, 1.8, 2.6, 3.5, 4.2, 5.0)] == [
        "Kurang",
        "Cukup",
        "Baik",
        "Sangat Baik",
        "Memuaskan",
        "Memuaskan",
    ]


def test_external_scores_show_the_implied_level_only():
    assert pemdi.external_level(FW, "5", 50) == (3, "ok")  # SDI 37.5 < SDI < 62.5
    assert pemdi.external_level(FW, "5", 12.5) == (None, "edge")  # printed strictly on both sides
    assert pemdi.external_level(FW, "6", 3.7) == (4, "ok")  # SJIG
    assert pemdi.external_level(FW, "7", 1.8) == (2, "ok")  # IPS: 1.8 <= IPS < 2.60
    assert pemdi.external_level(FW, "7", 4.2) == (None, "edge")  # an IPS of exactly 4.20 is in no range
    assert pemdi.external_level(FW, "1", 3) == (None, "not_external")
    assert [i.code for i in pemdi.external_indicators(FW)] == ["5", "6", "7"]


def test_criteria_for_every_indicator_and_level_in_both_languages():
    for ind in FW.indicators:
        for level in range(1, 6):
            c = pemdi.criteria(FW, ind.code, level)
            assert c is not None and c.criteria_id and c.criteria_en


def test_two_measures():
    assert pemdi.measure_of("permenpanrb-8-2026") == "indeks_pemdi"
    assert pemdi.measure_of("permenpanrb-59-2020") == pemdi.measure_of("permenpanrb-5-2018") == "indeks_spbe"
    assert not pemdi.same_measure("permenpanrb-59-2020", "permenpanrb-8-2026")
    assert pemdi.same_measure("permenpanrb-5-2018", "permenpanrb-59-2020")
    assert pemdi.measure_of_year(2025) == "indeks_spbe" and pemdi.measure_of_year(2026) == "indeks_pemdi"


def test_plan_reaches_the_next_predikat_strictly_above_its_edge_with_criteria():
    values = {str(i): 1 for i in range(1, 21)}  # index 1.00, Kurang
    result, rows, goal = pemdi.plan(values)
    assert result.reachable and result.end_index > 1.5  # strictly above the contested edge
    assert not pemdi.band_reading(FW, result.end_index).on_edge
    assert pemdi.band_reading(FW, result.end_index).band.predikat == "Cukup"
    assert rows and all(r.criteria is not None and r.criteria.level == int(r.to_value) for r in rows)


def test_plan_from_decimal_values_is_restated_with_the_real_values():
    values = {str(i): 1 for i in range(1, 21)}
    values["3"] = 1.26  # an assessor's decimal
    result, rows, goal = pemdi.plan(values)
    start = scoring.index_from_levels(FW, values).value
    assert result.start_index == pytest.approx(start)
    assert result.end_index == pytest.approx(start + sum(r.gain for r in rows))
    assert result.end_index > 1.5 and pemdi.band_reading(FW, result.end_index).band.predikat == "Cukup"
    for r in rows:  # steps end on whole level values; a decimal start is shown as it is
        assert float(r.to_value).is_integer()
        if r.code == "3":
            assert r.from_value == 1.26 and r.gain == pytest.approx((r.to_value - 1.26) * 5 / 100)


def test_simulate_goal_seek_goes_through_the_adapter_for_8_2026():
    from spbe.core import simulate

    values = {str(i): 2 for i in range(1, 21)}
    values["14"] = 2.5
    plan = simulate.goal_seek_from_levels(FW, values, 2.5)  # 2.50 is an edge: the plan goes strictly above it
    assert plan.reachable and plan.end_index > 2.5 and pemdi.band_reading(FW, plan.end_index).band.predikat == "Baik"
    fw59 = frameworks()["permenpanrb-59-2020"]
    plan59 = simulate.goal_seek_from_levels(fw59, {i.code: 2 for i in fw59.indicators}, 2.6)
    assert plan59.reachable and plan59.end_index == pytest.approx(2.6)  # 59/2020: unchanged, lower edge inclusive


def test_framework_of_names():
    names8 = [i.name_id for i in FW.indicators]
    names59 = [i.name_id for i in frameworks()["permenpanrb-59-2020"].indicators]
    assert pemdi.framework_of_names(names8) == "permenpanrb-8-2026"
    assert pemdi.framework_of_names(names59) == "permenpanrb-59-2020"
    assert pemdi.framework_of_names([]) is None


def test_opd_suggestion_covers_the_20_indicators():
    from spbe.models import opd

    mapping = opd.default_mapping(FW, "kota-cilegon")
    assert sorted(mapping["indicator_no"].astype(int)) == list(range(1, 21))
    assert set(mapping["status"]) == {"saran"} and mapping["opd"].notna().all()


def test_plan_criteria_frame_names_what_each_step_needs():
    values = {str(i): 1 for i in range(1, 21)}
    values["3"] = 1.26
    result, rows, _ = pemdi.plan(values)
    frame = pemdi.plan_criteria_frame(result, "en")
    assert len(frame) == len(result.steps)
    first = result.steps[0]
    assert frame.iloc[0, 2] == pemdi.criteria(FW, first.key, int(first.to_level)).criteria_en
    assert "→" in frame.iloc[0, 1]


def test_overview_card_names_the_pemdi_index_from_2026():
    from spbe.models.overview import Overview, cards

    ov = Overview("kota-cilegon", "Kota Cilegon", "kota", "Banten", 2026, card_year=2026, value=1.88, predikat="Cukup")
    assert cards(ov, "id")[0].label == "Indeks Pemdi 2026"
    ov24 = Overview("kota-cilegon", "Kota Cilegon", "kota", "Banten", 2024, card_year=2024, value=2.56, predikat="Cukup")
    assert cards(ov24, "id")[0].label == "Indeks SPBE 2024"
