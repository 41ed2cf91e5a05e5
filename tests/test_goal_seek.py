"""Goal-seek against hand-computed cases: the Cilegon 2024 example, ties, effort, headroom limits,
unreachable targets, a target already reached, and the D4 (A7/A8) split the domain value leaves open."""

from fractions import Fraction

import pytest

from spbe import core
from spbe.core import simulate
from spbe.core.frameworks import framework_for_year

FW = framework_for_year(2024)
CILEGON_2024 = {"D1": 2.50, "D2": 2.00, "D3": 1.36, "D4": 3.31}  # R24, published 2.56 Cukup
BAIK = next(b for b in FW.bands if b.predikat == "Baik")


def steps_of(plan):
    return {s.key: s.steps for s in plan.steps}


def test_start_is_the_published_values_weighted_exactly():
    assert simulate.start_index(FW, CILEGON_2024) == pytest.approx(2.55545, abs=1e-12)
    plan = simulate.goal_seek_from_domains(FW, CILEGON_2024, BAIK.lower)
    assert plan.start_index == pytest.approx(2.55545, abs=1e-12)
    assert plan.needed == pytest.approx(0.04455, abs=1e-12)


def test_next_predikat_from_the_framework_bands():
    band = core.next_predikat(FW, None, 2.55545)  # the one definition (spbe.core)
    assert band.predikat == "Baik" and band.lower == 2.60
    assert core.next_predikat(FW, None, 2.60).predikat == "Sangat Baik"  # 2.60 is already Baik
    assert core.next_predikat(FW, None, 4.5) is None
    assert not hasattr(simulate, "next_band_target")


def test_cilegon_to_baik_takes_two_steps_and_the_tie_break_picks_two_d2_steps():
    plan = simulate.goal_seek_from_domains(FW, CILEGON_2024, "2.60")
    assert plan.status == "reached" and plan.total_steps == 2
    # Two-step candidates: A8+D3 (+0.045), D2+D2 (+0.050), A7+D2 (+0.0525), A7+A7 (+0.055), A8+A8 (+0.060) ...
    # A8 steps are not certain (one split of D4's 3.31 has A8 already at level 5), so among the plans that
    # hold for every reading the least overshoot is D2+D2.
    assert steps_of(plan) == {"D2": 2}
    assert plan.end_index == pytest.approx(2.60545, abs=1e-12)
    assert plan.end_band.predikat == "Baik"
    assert plan.holds_for_every_reading and not plan.split_dependent and not plan.rounding_dependent
    assert plan.lowest_start_index == pytest.approx(2.555, abs=1e-12)  # the lowest whole-level reading


def test_one_step_cannot_reach_baik():
    plan = simulate.goal_seek_from_domains(FW, CILEGON_2024, 2.60)
    assert plan.total_steps > 1
    assert simulate.largest_step_worth(FW) == pytest.approx(0.030)
    assert simulate.largest_step_worth(FW) < plan.needed


def test_effort_changes_the_plan_and_exact_band_edge_counts():
    # Make D2 and A7 expensive: the cheapest 2-step plans left both use A8; A8+D3 overshoots least.
    plan = simulate.goal_seek_from_domains(FW, CILEGON_2024, 2.60, effort={"D2": 5, "A7": 5})
    assert steps_of(plan) == {"D3": 1, "A8": 1}
    assert plan.total_effort == 2
    assert plan.end_index == pytest.approx(2.60045, abs=1e-12)
    assert plan.split_dependent  # A8 headroom depends on the split of D4
    # From the lowest reading 2.555, +0.045 lands exactly on 2.600: Baik (band edges are inclusive below)
    assert not plan.rounding_dependent


def test_cheaper_effort_wins_over_fewer_steps():
    plan = simulate.goal_seek_from_domains(FW, CILEGON_2024, 2.60, effort={"D2": 10, "A7": 10, "A8": 10})
    # D1 (+0.013) and D3 (+0.015) at effort 1: three steps at least (0.013+0.015+0.015=0.043 < 0.04455),
    # so D3x3 (+0.045) is the cheapest with the least overshoot among cost-3 plans.
    assert steps_of(plan) == {"D3": 3}
    assert plan.total_effort == 3


def test_every_reading_keeps_only_certain_plans():
    target = 2.55545 + 0.03  # one A8 step reaches it exactly on the published arithmetic
    loose = simulate.goal_seek_from_domains(FW, CILEGON_2024, target)
    assert steps_of(loose) == {"A8": 1} and loose.split_dependent and not loose.holds_for_every_reading
    strict = simulate.goal_seek_from_domains(FW, CILEGON_2024, target, every_reading=True)
    assert strict.holds_for_every_reading and "A8" not in steps_of(strict)
    assert strict.total_steps == 2


def test_target_already_reached_needs_zero_steps():
    for target in (2.50, 2.55545, Fraction(255545, 100000)):
        plan = simulate.goal_seek_from_domains(FW, CILEGON_2024, target)
        assert plan.status == "already" and plan.total_steps == 0 and plan.steps == ()
        assert plan.end_index == pytest.approx(2.55545)


def test_target_above_the_scale_is_unreachable():
    plan = simulate.goal_seek_from_domains(FW, CILEGON_2024, 5.01)
    assert plan.status == "above_scale" and not plan.reachable and plan.steps == ()


def test_a_domain_at_the_top_gives_no_steps():
    values = {"D1": 5.00, "D2": 1.00, "D3": 1.00, "D4": 1.00}
    table = simulate.level_step_table(FW, values).set_index("group")
    assert table.loc["D1", "headroom_steps_max"] == 0
    plan = simulate.goal_seek_from_domains(FW, values, simulate.start_index(FW, values) + 0.013)
    assert "D1" not in steps_of(plan)  # D1 (+0.013 exactly) would be ideal, but it has no headroom
    assert steps_of(plan) == {"D3": 1}


def test_target_beyond_all_headroom_is_unreachable():
    # Kabupaten Banyuasin 2023 prints D4 = 0.30, below the scale: no whole levels give it, so D4 offers no
    # steps and even every other step left cannot reach 3.00.
    values = {"D1": 5.00, "D2": 5.00, "D3": 5.00, "D4": 0.30}
    plan = simulate.goal_seek_from_domains(FW, values, 3.00)
    assert plan.status == "beyond_headroom"
    assert plan.max_index == pytest.approx(simulate.start_index(FW, values))


def test_headroom_limits_are_respected_at_full_climb():
    plan = simulate.goal_seek_from_domains(FW, CILEGON_2024, 5.0)
    assert plan.status == "reached"
    got = steps_of(plan)
    assert got["D1"] == 25 and got["D2"] == 30 and got["D3"] == 40  # 50-25, 50-20, 55-15 levels left
    assert plan.end_band.predikat == "Memuaskan"


def test_d4_readings_of_cilegon_2024():
    dr = simulate.domain_readings(FW, "D4", 3.31)
    # 2.75*S7 + 3*S8 must round to 3.31*45.5 = 150.605: S7 in 10-50, S8 in 6-30
    assert sorted(dr.readings) == [(22, 30), (33, 20), (34, 19), (45, 9), (46, 8)]
    assert dr.headroom_range(5) == [(4, 28), (0, 22)]


def test_missing_domain_gives_no_data():
    plan = simulate.goal_seek_from_domains(FW, {"D1": None, "D2": 2.0, "D3": 1.36, "D4": 3.31}, 2.6)
    assert plan.status == "no_data" and plan.missing == ("D1",)


def test_bad_effort_is_refused():
    with pytest.raises(ValueError, match="greater than zero"):
        simulate.goal_seek_from_domains(FW, CILEGON_2024, 2.6, effort={"D2": 0})


# -- with indicator levels ----------------------------------------------------------------------------
def all_at(level: int, **overrides) -> dict[str, int]:
    levels = {i.code: level for i in FW.indicators}
    levels.update({k.lstrip("i"): v for k, v in overrides.items()})
    return levels


def test_levels_fewest_steps_prefers_the_heavier_step():
    start = simulate.start_index_from_levels(FW, all_at(3))
    assert start == pytest.approx(3.0)
    plan = simulate.goal_seek_from_levels(FW, all_at(3), start + 0.026)
    # two D1 steps give exactly +0.026, but one step is fewer: A7 (+0.0275) overshoots less than A8 (+0.030)
    assert plan.total_steps == 1 and plan.steps[0].aspect_codes == ("A7",)
    assert plan.steps[0].key == "32"  # equal A7 indicators at equal level: the lowest number first


def test_levels_tie_on_steps_goes_to_least_overshoot_then_weakest():
    levels = all_at(3, i15=2)
    start = simulate.start_index_from_levels(FW, levels)
    plan = simulate.goal_seek_from_levels(FW, levels, start + 0.025)
    assert [(s.key, s.from_level, s.to_level) for s in plan.steps] == [("15", 2, 3)]  # D2, weakest indicator
    assert plan.overshoot == pytest.approx(0.0)


def test_levels_plan_end_equals_the_engine():
    from spbe.core import scoring

    levels = all_at(2, i44=5, i1=1)
    plan = simulate.goal_seek_from_levels(FW, levels, 3.5)
    assert plan.status == "reached"
    assert plan.end_index == pytest.approx(scoring.index_from_levels(FW, plan.end_levels).value, abs=1e-12)
    assert plan.end_levels["44"] == 5


def test_levels_effort_per_aspect():
    start = simulate.start_index_from_levels(FW, all_at(3))
    plan = simulate.goal_seek_from_levels(FW, all_at(3), start + 0.026, effort={"A7": 3, "A8": 3})
    assert plan.total_effort == 2 and {s.aspect_codes for s in plan.steps} == {("A1",)}


def test_levels_unreachable_and_incomplete():
    assert simulate.goal_seek_from_levels(FW, all_at(5), 5.01).status == "above_scale"
    assert simulate.goal_seek_from_levels(FW, all_at(5), 5.0).status == "already"
    partial = all_at(3)
    del partial["7"]
    plan = simulate.goal_seek_from_levels(FW, partial, 3.2)
    assert plan.status == "no_data" and plan.missing == ("7",)


def test_url_parameters():
    assert simulate.parse_target(None) == ("next", None, True)
    assert simulate.parse_target("own") == ("own", None, True)
    assert simulate.parse_target("2,6") == ("number", 2.6, True)
    assert simulate.parse_target("abc")[2] is False
    assert simulate.parse_target("nan")[2] is False
    efforts, bad = simulate.parse_effort("D2:2,A8:x,D9:1,A7:-1", ["D1", "D2", "D3", "A7", "A8"])
    assert efforts == {"D2": 2.0} and bad == ["A8:x", "D9:1", "A7:-1"]


# -- on the real levels: Kota Cilegon 2022 (DS2122) ----------------------------------------------------------
def cilegon_2022_levels() -> dict[str, int]:
    from spbe.core import gaps
    from spbe.store import db

    return gaps.levels_for(db.run("indicator_levels", instansi_id="kota-cilegon"), 2022, "official")


def most_gain_with(levels: dict[str, int], steps: int) -> Fraction:
    """The most index points any `steps` level-steps can add: the heaviest steps with headroom first (each step
    is independent, so taking the heaviest available is optimal)."""
    worths = sorted(
        (Fraction(str(i.weight_pct)) / 100 for i in FW.indicators for _ in range(FW.level_max - levels[i.code])),
        reverse=True,
    )
    return sum(worths[:steps], Fraction(0))


def test_goal_seek_from_cilegon_2022_levels_to_baik_is_reached_and_minimal():
    from spbe.core import scoring

    levels = cilegon_2022_levels()
    assert len(levels) == 47
    start = sum(Fraction(str(i.weight_pct)) * levels[i.code] for i in FW.indicators) / 100
    assert start == Fraction(2007, 1000)  # published 2.01
    plan = simulate.goal_seek_from_levels(FW, levels, BAIK.lower)
    assert plan.status == "reached" and plan.start_index == pytest.approx(2.007)
    # the recomputed index of the plan's levels reaches Baik
    end = scoring.index_from_levels(FW, plan.end_levels).value
    assert end == pytest.approx(plan.end_index, abs=1e-12) and end >= 2.60 - 1e-12
    assert FW.band_for(end).predikat == "Baik"
    # every step is one level up on a named indicator, within the scale
    assert all(levels[k] <= v <= FW.level_max for k, v in plan.end_levels.items())
    assert sum(plan.end_levels[k] - levels[k] for k in levels) == plan.total_steps
    # minimal: no plan with one step fewer reaches 2.60, whichever steps it takes
    needed = Fraction("2.60") - start
    assert most_gain_with(levels, plan.total_steps - 1) < needed <= most_gain_with(levels, plan.total_steps)
    assert plan.total_steps == 20  # 19 A8 steps (+0.570) and one 2.5 % step (+0.025): 2.602
    assert plan.end_index == pytest.approx(2.602, abs=1e-12)


def test_domain_readings_memo_equals_the_enumeration():
    """domain_readings is memoised per framework object: the memo gives what the enumeration gives, for the shared
    framework and for a copy of it (a different object is never served another's readings)."""
    import copy

    fw = framework_for_year(2024)
    other = copy.deepcopy(fw)
    for code, value in (("D1", 2.5), ("D4", 2.21), ("D2", None), ("D3", 9.0)):
        want = simulate._domain_readings(fw, code, value)
        assert simulate.domain_readings(fw, code, value) == want
        assert simulate.domain_readings(fw, code, value) is simulate.domain_readings(fw, code, value)
        assert simulate.domain_readings(other, code, value) == simulate._domain_readings(other, code, value)
