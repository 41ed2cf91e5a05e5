"""Properties of the simulator against the scoring engine, on random level vectors (hypothesis):
its index equals the engine's, raising a level never lowers the index, and goal-seek is optimal
(checked against brute force on small headroom)."""

import itertools
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spbe.core import scoring, simulate
from spbe.core.frameworks import framework_for_year

FW = framework_for_year(2024)
CODES = [i.code for i in FW.indicators]
WEIGHT = {i.code: Fraction(str(i.weight_pct)) for i in FW.indicators}
levels_strategy = st.lists(st.integers(FW.level_min, FW.level_max), min_size=len(CODES), max_size=len(CODES)).map(
    lambda xs: dict(zip(CODES, xs, strict=True))
)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(levels_strategy, st.dictionaries(st.sampled_from(CODES), st.integers(-4, 4), max_size=6))
def test_simulator_index_equals_the_engine(levels, deltas):
    steps = {c: max(FW.level_min, min(FW.level_max, levels[c] + d)) - levels[c] for c, d in deltas.items()}
    new, index = simulate.apply_steps(FW, levels, steps)
    assert index == pytest.approx(scoring.index_from_levels(FW, new).value, abs=1e-12)
    assert simulate.start_index_from_levels(FW, levels) == pytest.approx(scoring.index_from_levels(FW, levels).value)


@FAST
@given(levels_strategy, st.sampled_from(CODES))
def test_raising_a_level_never_lowers_the_index(levels, code):
    if levels[code] == FW.level_max:
        return
    before = scoring.index_from_levels(FW, levels).value
    new, index = simulate.apply_steps(FW, levels, {code: 1})
    assert index >= before
    table = simulate.what_if(FW, levels, {code: levels[code] + 1})
    assert (table["delta"] >= -1e-12).all()  # no aspect, domain or index goes down


@FAST
@given(levels_strategy, st.floats(1.0, 5.2))
def test_levels_plan_reaches_target_and_matches_the_engine(levels, target):
    plan = simulate.goal_seek_from_levels(FW, levels, round(target, 3))
    if plan.status in ("reached", "already"):
        assert plan.end_index == pytest.approx(scoring.index_from_levels(FW, plan.end_levels).value, abs=1e-12)
        assert plan.end_index >= round(target, 3) - 1e-12
        assert all(FW.level_min <= v <= FW.level_max for v in plan.end_levels.values())
    else:
        assert plan.status == "above_scale" and target > FW.level_max


def brute_force_min_steps(levels, needed):
    """Fewest steps by trying every count per weight group (small headroom only)."""
    groups = {}
    for c in CODES:
        groups.setdefault(WEIGHT[c], 0)
        groups[WEIGHT[c]] += FW.level_max - levels[c]
    best = None
    for counts in itertools.product(*(range(h + 1) for h in groups.values())):
        gain = sum(n * w for n, w in zip(counts, groups, strict=True)) / 100
        if gain >= needed and (best is None or sum(counts) < best):
            best = sum(counts)
    return best


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(4, 5), min_size=len(CODES), max_size=len(CODES)), st.integers(1, 40))
def test_goal_seek_is_optimal_against_brute_force(raw, need_thousandths):
    levels = dict(zip(CODES, raw, strict=True))
    start = sum(WEIGHT[c] * levels[c] for c in CODES) / 100
    needed = Fraction(need_thousandths, 1000)
    plan = simulate.goal_seek_from_levels(FW, levels, start + needed)
    expected = brute_force_min_steps(levels, needed)
    if expected is None:
        assert plan.status == "beyond_headroom" or plan.status == "above_scale"
    else:
        assert plan.status == "reached" and plan.total_steps == expected


@FAST
@given(st.lists(st.integers(1, 5), min_size=len(CODES), max_size=len(CODES)))
def test_domain_readings_contain_the_true_levels(raw):
    """Rounding real levels to published two-decimal domain values: the true split is among the readings,
    and the whole-level floor of the index is never above the true index."""
    levels = dict(zip(CODES, raw, strict=True))
    published = {d.code: round(scoring.domain_index(FW, d.code, levels).value + 1e-12, 2) for d in FW.domains}
    true_index = scoring.index_from_levels(FW, levels).value
    plan = simulate.goal_seek_from_domains(FW, published, 1.0)
    assert plan.lowest_start_index <= true_index + 1e-9
    for dr in simulate.all_readings(FW, published):
        truth = tuple(sum(levels[c] for c in g.indicator_codes) for g in dr.groups)
        assert truth in dr.readings
