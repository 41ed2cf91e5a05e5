"""What-if and goal-seek on the regulation's arithmetic: pure functions over a Framework.

Two situations:
- indicator levels are known (a region imported them): a plan raises named indicators, and every
  aspect, domain and the index are recomputed exactly by spbe.core.scoring;
- only the published domain values are known (all public data): a plan is counted in level-steps.
  A domain value fixes the sum of its indicators' levels when they all weigh the same (D1, D2, D3 of
  59/2020), but not how a mixed-weight domain (D4: A7 2.75 %, A8 3.00 %) splits between its weight
  groups; every split consistent with the published (two-decimal) value is a "reading", and a plan
  says whether it holds for every reading.

The computation starts from the published, rounded domain values (index = sum of value x weight / 100,
e.g. Cilegon 2024: 2.55545, printed 2.56). Arithmetic is exact (fractions), so band edges are judged
without floating-point noise; the predikat bands come from the framework.

Public API (also used by the presentation export):
    goal_seek_from_domains(framework, domain_values, target, effort=None) -> Plan
    goal_seek_from_levels(framework, levels, target, effort=None) -> Plan
    level_step_table(framework, domain_values) -> DataFrame
    step_worth_table(framework) -> DataFrame
    what_if(framework, levels, changes) -> DataFrame
    apply_steps(framework, levels, steps) -> (new levels, index)
    illustrative_levels(framework, domain_values) -> dict   # an ILLUSTRATION, never data
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import pandas as pd

from spbe.core import is_missing, scoring
from spbe.core.frameworks import Band, Framework, Item

PUBLISHED_DECIMALS = 2  # the decrees print domain values with two decimals
MAX_READINGS = 20000  # a safety bound on the splits enumerated for one mixed-weight domain


def _frac(x) -> Fraction:
    """An exact fraction from a number as written (2.56 -> 64/25), not from its binary float."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    return Fraction(repr(float(x))) if not isinstance(x, str) else Fraction(x.strip())


# -- step pools ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class WeightGroup:
    """The indicators of one top-level item (domain) that weigh the same: their steps are worth the same."""

    key: str  # "D2" when the domain has one weight, else its aspects ("A7")
    domain_code: str
    aspect_codes: tuple[str, ...]
    indicator_codes: tuple[str, ...]
    weight_pct: Fraction  # each indicator's weight

    @property
    def size(self) -> int:
        return len(self.indicator_codes)

    @property
    def step_worth(self) -> Fraction:
        """Index points one level-step on one of these indicators is worth (weight / 100)."""
        return self.weight_pct / 100


def _aspect_of(fw: Framework, indicator: Item) -> Item | None:
    try:
        return fw.item("aspect", indicator.parent_code)
    except KeyError:
        return None


def _top_of(fw: Framework, indicator: Item) -> Item:
    """The top-level item (domain, or aspect for a framework without domains) holding an indicator."""
    aspect = _aspect_of(fw, indicator)
    if fw.domains and aspect is not None:
        return fw.item("domain", aspect.parent_code)
    return aspect


def weight_groups(fw: Framework, top: Item) -> list[WeightGroup]:
    """The weight groups of one domain, in indicator order."""
    indicators = [i for i in fw.indicators if _top_of(fw, i).code == top.code]
    by_weight: dict[Fraction, list[Item]] = {}
    for ind in indicators:
        by_weight.setdefault(_frac(ind.weight_pct), []).append(ind)
    groups = []
    for weight, members in by_weight.items():
        aspects = tuple(dict.fromkeys(m.parent_code for m in members))
        if len(by_weight) == 1:
            key = top.code
        elif fw.domains:
            key = "+".join(aspects)
        else:
            key = f"{top.code}/{float(weight):g}"
        groups.append(WeightGroup(key, top.code, aspects, tuple(m.code for m in members), weight))
    return groups


@dataclass(frozen=True)
class DomainReadings:
    """What a published domain value says about its indicators' levels."""

    domain_code: str
    value: float | None
    weight_pct: Fraction
    groups: tuple[WeightGroup, ...]
    readings: tuple[tuple[int, ...], ...]  # level sums per group consistent with the published value

    @property
    def consistent(self) -> bool:
        return bool(self.readings)

    def headroom(self, reading: tuple[int, ...], level_max: int) -> tuple[int, ...]:
        return tuple(g.size * level_max - s for g, s in zip(self.groups, reading, strict=True))

    def headroom_range(self, level_max: int) -> list[tuple[int, int]]:
        """Per group, the fewest and the most steps available over every reading ((0, 0) if none)."""
        if not self.readings:
            return [(0, 0) for _ in self.groups]
        rooms = [self.headroom(r, level_max) for r in self.readings]
        return [(min(r[k] for r in rooms), max(r[k] for r in rooms)) for k in range(len(self.groups))]

    def sum_range(self) -> list[tuple[int, int] | None]:
        if not self.readings:
            return [None for _ in self.groups]
        return [(min(r[k] for r in self.readings), max(r[k] for r in self.readings)) for k in range(len(self.groups))]

    def lowest_value_weighted(self) -> Fraction | None:
        """The smallest sum of level x weight among the readings (the domain's unrounded floor x weight)."""
        if not self.readings:
            return None
        return min(sum(g.weight_pct * s for g, s in zip(self.groups, r, strict=True)) for r in self.readings)


# domain_readings is pure and called several times per page run (effort keys, notes, steps, headroom, plans) on
# values many instansi share: memoised per framework object (held, so its id is not reused), bounded.
_READINGS: dict = {}
_READINGS_MAX = 4096


def domain_readings(fw: Framework, domain_code: str, value) -> DomainReadings:
    key = (id(fw), domain_code, type(value), value)
    try:
        held = _READINGS.get(key)
    except TypeError:  # an unhashable value: no memo
        return _domain_readings(fw, domain_code, value)
    if held is not None and held[0] is fw:
        return held[1]
    result = _domain_readings(fw, domain_code, value)
    if len(_READINGS) >= _READINGS_MAX:
        _READINGS.clear()
    _READINGS[key] = (fw, result)
    return result


def _domain_readings(fw: Framework, domain_code: str, value) -> DomainReadings:
    """Every split of whole indicator levels that rounds to the published domain value.

    A value is consistent with levels S (level sums per weight group) when
    |sum(weight x S) - value x domain weight| <= half a unit of the last printed decimal x domain weight.
    """
    top = next(i for i in fw.top_level if i.code == domain_code)
    groups = tuple(weight_groups(fw, top))
    weight = _frac(top.weight_pct)
    if is_missing(value) or not groups:
        return DomainReadings(domain_code, None if is_missing(value) else float(value), weight, groups, ())
    target = _frac(value) * weight
    tolerance = Fraction(1, 2 * 10**PUBLISHED_DECIMALS) * weight
    ranges = [range(g.size * fw.level_min, g.size * fw.level_max + 1) for g in groups]
    readings = []
    if len(groups) == 1:
        g = groups[0]
        low = math.ceil((target - tolerance) / g.weight_pct)
        high = math.floor((target + tolerance) / g.weight_pct)
        readings = [(s,) for s in range(max(low, ranges[0].start), min(high, ranges[0].stop - 1) + 1)]
    else:
        count = math.prod(len(r) for r in ranges)
        if count > MAX_READINGS:
            raise ValueError(f"domain {domain_code}: {count} level splits to check, more than {MAX_READINGS}")
        # The same test in whole numbers (every fraction times the common denominator): exact, ~10x faster than
        # Fraction arithmetic over the thousands of splits of a mixed-weight domain.
        scale = math.lcm(target.denominator, tolerance.denominator, *(g.weight_pct.denominator for g in groups))
        weights = [int(g.weight_pct * scale) for g in groups]
        aim, slack = int(target * scale), int(tolerance * scale)
        for sums in itertools.product(*ranges):
            if abs(sum(w * s for w, s in zip(weights, sums, strict=True)) - aim) <= slack:
                readings.append(tuple(sums))
    return DomainReadings(domain_code, float(value), weight, groups, tuple(readings))


def all_readings(fw: Framework, domain_values: Mapping) -> list[DomainReadings]:
    return [domain_readings(fw, top.code, domain_values.get(top.code)) for top in fw.top_level]


def level_step_table(fw: Framework, domain_values: Mapping) -> pd.DataFrame:
    """Per domain and weight group: the published value, the implied level sum, the headroom to the top
    level in steps, and what one step is worth. Sums and headroom are ranges where the value allows several
    splits (mixed-weight domains); an inconsistent value (e.g. below the scale) gives no steps."""
    rows = []
    for dr in all_readings(fw, domain_values):
        sums = dr.sum_range()
        rooms = dr.headroom_range(fw.level_max)
        for g, s, room in zip(dr.groups, sums, rooms, strict=True):
            rows.append(
                dict(
                    domain_code=dr.domain_code,
                    group=g.key,
                    aspects=", ".join(g.aspect_codes),
                    indicators=f"{g.indicator_codes[0]}-{g.indicator_codes[-1]}" if g.size > 1 else g.indicator_codes[0],
                    n_indicators=g.size,
                    indicator_weight_pct=float(g.weight_pct),
                    step_worth=float(g.step_worth),
                    domain_value=dr.value,
                    implied_level_sum_min=s[0] if s else None,
                    implied_level_sum_max=s[1] if s else None,
                    headroom_steps_min=room[0] if dr.consistent else None,
                    headroom_steps_max=room[1] if dr.consistent else None,
                    headroom_points_max=float(room[1] * g.step_worth) if dr.consistent else None,
                    readings=len(dr.readings),
                    consistent=dr.consistent,
                )
            )
    return pd.DataFrame(rows)


def feasible_start_indices(fw: Framework, domain_values: Mapping) -> list[Fraction]:
    """Every unrounded index the published domain values allow: one per combination of the domains' level
    splits (Kota Cilegon 2024: 2.555 and 2.5575, not a continuum between two bounds). Empty when a domain has
    no consistent split."""
    totals = {Fraction(0)}
    for dr in all_readings(fw, domain_values):
        if not dr.readings:
            return []
        weighted = {sum(g.weight_pct * s for g, s in zip(dr.groups, r, strict=True)) for r in dr.readings}
        totals = {a + b for a in totals for b in weighted}
    return sorted(t / 100 for t in totals)


def joint_headroom(fw: Framework, domain_values: Mapping) -> pd.DataFrame:
    """Per domain, the index points its headroom can add, jointly feasible: for a mixed-weight domain the most
    over its level splits of the whole domain (D4 of Kota Cilegon 2024: 0.77), never the sum of per-group maxima
    taken from different splits (0.77 + 0.66)."""
    rows = []
    for dr in all_readings(fw, domain_values):
        if not dr.readings:
            continue
        points = [
            sum(h * g.step_worth for g, h in zip(dr.groups, dr.headroom(r, fw.level_max), strict=True)) for r in dr.readings
        ]
        worths = sorted({g.step_worth for g in dr.groups})
        rows.append(
            dict(
                domain_code=dr.domain_code,
                group="+".join(g.key for g in dr.groups),
                headroom_points_min=float(min(points)),
                headroom_points_max=float(max(points)),
                step_worth=float(worths[0]) if len(worths) == 1 else None,
                step_worths=tuple(float(w) for w in worths),
                splits=len(dr.readings),
            )
        )
    return pd.DataFrame(rows)


def step_worth_table(fw: Framework) -> pd.DataFrame:
    """The index worth of one level-step on one indicator, per aspect (weight / 100)."""
    rows = []
    for aspect in fw.aspects:
        weights = sorted({i.weight_pct for i in fw.children(aspect)})
        if not weights:
            continue
        rows.append(
            dict(
                domain_code=aspect.parent_code or aspect.code,
                aspect_code=aspect.code,
                aspect_name_id=aspect.name_id,
                aspect_name_en=aspect.name_en,
                n_indicators=len(fw.children(aspect)),
                indicator_weight_min=weights[0],
                indicator_weight_max=weights[-1],
                step_worth_min=weights[0] / 100,
                step_worth_max=weights[-1] / 100,
            )
        )
    return pd.DataFrame(rows)


# -- targets -------------------------------------------------------------------------------------
def _band_exact(fw: Framework, value: Fraction) -> Band | None:
    for b in fw.bands:
        low, high = _frac(b.lower), _frac(b.upper)
        if value >= low and (value <= high if b.upper_inclusive else value < high):
            return b
    return None


# -- plans ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlanStep:
    """Steps taken in one group (domain mode) or on one indicator (levels mode)."""

    key: str  # group key ("D2", "A8") or indicator code
    domain_code: str
    aspect_codes: tuple[str, ...]
    indicator_codes: tuple[str, ...]
    steps: int
    step_worth: float
    gain: float
    effort: float
    from_level: int | None = None  # levels mode only
    to_level: int | None = None


@dataclass(frozen=True)
class Plan:
    """The cheapest set of level-steps reaching a target, with the recomputed index.

    status: "already" (target reached, zero steps), "reached", "above_scale" (target above the
    framework's top level), "beyond_headroom" (all headroom is not enough), "no_data" (inputs missing).
    """

    mode: str  # "domains" or "levels"
    status: str
    target: float
    start_index: float | None
    needed: float | None
    steps: tuple[PlanStep, ...] = ()
    total_steps: int = 0
    total_effort: float = 0.0
    end_index: float | None = None
    end_band: Band | None = None
    overshoot: float | None = None
    max_index: float | None = None  # every available step taken
    lowest_start_index: float | None = None  # the lowest unrounded start the published values allow
    holds_for_every_reading: bool = True
    split_dependent: bool = False  # needs steps that only some splits of a mixed-weight domain allow
    rounding_dependent: bool = False  # falls short if the true unrounded start is the lowest reading
    missing: tuple[str, ...] = ()
    end_levels: dict = field(default_factory=dict)  # levels mode: every indicator's level after the plan

    @property
    def reachable(self) -> bool:
        return self.status in ("already", "reached")

    def table(self) -> pd.DataFrame:
        """The plan as rows (one per group or indicator), numbers only; the page names the columns."""
        return pd.DataFrame(
            [
                dict(
                    key=s.key,
                    domain_code=s.domain_code,
                    aspects=", ".join(s.aspect_codes),
                    indicators=", ".join(s.indicator_codes),
                    steps=s.steps,
                    step_worth=s.step_worth,
                    gain=s.gain,
                    effort=s.effort,
                    from_level=s.from_level,
                    to_level=s.to_level,
                )
                for s in self.steps
            ],
            columns=[
                "key",
                "domain_code",
                "aspects",
                "indicators",
                "steps",
                "step_worth",
                "gain",
                "effort",
                "from_level",
                "to_level",
            ],
        )


@dataclass(frozen=True)
class _Option:
    counts: tuple[int, ...]
    units: int
    cost: Fraction
    uncertain: bool


def _unit(weights: list[Fraction]) -> Fraction:
    """The largest weight every step weight is a whole multiple of (0.05 % for 59/2020)."""
    denominator = math.lcm(*(w.denominator for w in weights))
    return Fraction(math.gcd(*(int(w * denominator) for w in weights)), denominator)


def _effort_value(value, where: str) -> Fraction:
    try:
        number = _frac(value)
    except (ValueError, ZeroDivisionError, TypeError):
        raise ValueError(f"effort for {where}: {value!r} is not a number") from None
    if number <= 0:
        raise ValueError(f"effort for {where}: {value!r} must be greater than zero")
    return number


def _effort_for(effort, keys: list[str]) -> Fraction:
    """Effort per step: None -> 1; a number -> that; a mapping -> the most specific key given, else 1."""
    if effort is None:
        return Fraction(1)
    if not isinstance(effort, Mapping):
        return _effort_value(effort, "every step")
    for k in keys:
        if k in effort and effort[k] is not None:
            return _effort_value(effort[k], k)
    return Fraction(1)


def _solve(groups: list[list[_Option]], needed_units: int):
    """Exact least-effort choice of one option per group reaching needed_units of gain.

    Dynamic programme over exact gain. Tie-break, in this order: least effort; plans that hold for every
    reading of the published values; least overshoot; more steps on groups earlier in framework order.
    Groups are processed last-first so that "earlier first" is decided by the count chosen at each stage.
    Returns the list of chosen option indices, or None if unreachable.
    """
    max_step = max((o.units for opts in groups for o in opts if o.units), default=0)
    # A cheapest plan never overshoots by a whole step (dropping that step would still reach the target
    # at lower effort), so gains beyond this cap never need to be kept.
    cap = needed_units + max(max_step - 1, 0)
    # Costs are exact fractions; scaled by the common denominator they are whole numbers, which compare the
    # same and add much faster (the programme adds one per state and option).
    scale = math.lcm(*(Fraction(o.cost).denominator for opts in groups for o in opts)) if groups else 1
    whole = [[int(Fraction(o.cost) * scale) for o in opts] for opts in groups]
    states = {0: ((0, False), None)}  # gain -> ((scaled cost, uncertain), backpointer)
    layers = []
    for opts, costs in zip(reversed(groups), reversed(whole), strict=True):
        new: dict[int, tuple] = {}
        for gain, ((cost, unc), _) in states.items():
            for idx, o in enumerate(opts):
                g = gain + o.units
                if g > cap:
                    continue
                key = (cost + costs[idx], unc or o.uncertain)
                held = new.get(g)
                rank = (key[0], key[1], tuple(-c for c in o.counts))
                if held is None or rank < held[2]:
                    new[g] = (key, (idx, gain), rank)
        states = {g: (v[0], v[1]) for g, v in new.items()}
        layers.append(states)
    finals = [g for g in states if g >= needed_units]
    if not finals:
        return None

    def backtrack(gain: int) -> list[int]:
        chosen = []
        for layer in reversed(layers):
            idx, gain = layer[gain][1]
            chosen.append(idx)
        return chosen  # in framework order

    return finals, states, backtrack


def _pick(finals, states, backtrack, groups, extra_uncertain) -> list[int]:
    def rank(g):
        (cost, unc), _ = states[g]
        chosen = backtrack(g)
        order = tuple(-c for gi, idx in enumerate(chosen) for c in groups[gi][idx].counts)
        return (cost, unc or extra_uncertain(g), g, order)

    return backtrack(min(finals, key=rank))


def _finish(mode, fw, target, start, lowest, needed, unit, groups, chosen, describe, max_units) -> Plan:
    total_units = sum(groups[i][c].units for i, c in enumerate(chosen))
    cost = sum(groups[i][c].cost for i, c in enumerate(chosen))
    gain = total_units * unit / 100
    end = start + gain
    split_dependent = any(groups[i][c].uncertain for i, c in enumerate(chosen))
    rounding_dependent = lowest + gain < target
    steps, end_levels = describe(chosen)
    return Plan(
        mode=mode,
        status="already" if needed <= 0 else "reached",
        target=float(target),
        start_index=float(start),
        needed=float(max(needed, 0)),
        steps=tuple(steps),
        total_steps=sum(s.steps for s in steps),
        total_effort=float(cost),
        end_index=float(end),
        # published-value arithmetic can pass the top level by a rounding hair: it is still the top band
        end_band=_band_exact(fw, min(end, Fraction(fw.level_max))),
        overshoot=float(end - target),
        max_index=float(start + max_units * unit / 100),
        lowest_start_index=float(lowest),
        holds_for_every_reading=not (split_dependent or rounding_dependent),
        split_dependent=split_dependent,
        rounding_dependent=rounding_dependent,
        end_levels=end_levels,
    )


def _check_target(fw: Framework, target) -> Fraction:
    try:
        value = _frac(target)
    except (ValueError, ZeroDivisionError, TypeError):
        raise ValueError(f"target {target!r} is not a number") from None
    return value


def goal_seek_from_domains(fw: Framework, domain_values: Mapping, target, effort=None, every_reading: bool = False) -> Plan:
    """The fewest level-steps (least effort if `effort` is given) lifting the index from the published domain
    values to `target`, respecting each domain's headroom to the top level.

    domain_values: {domain code: published value}. effort: None (1 per step), a number, or a mapping from
    group key ("D1", "D2", "D3", "A7", "A8" for 59/2020) or domain code to the effort of one step there.
    The start is sum(value x weight)/100 on the published, rounded values; the plan also reports whether it
    holds for every split and every unrounded reading those values allow (holds_for_every_reading).
    every_reading=True keeps only such plans: steps every split allows, counted from the lowest reading.
    """
    goal = _check_target(fw, target)
    missing = tuple(top.code for top in fw.top_level if is_missing(domain_values.get(top.code)))
    if missing:
        return Plan("domains", "no_data", float(goal), None, None, missing=missing)
    start = sum(_frac(domain_values[top.code]) * _frac(top.weight_pct) for top in fw.top_level) / 100
    readings = all_readings(fw, domain_values)
    lowest = Fraction(0)
    for dr in readings:
        low = dr.lowest_value_weighted()
        # a value no whole levels can give (e.g. below the scale) counts at its printed floor
        lowest += low if low is not None else (_frac(dr.value) - Fraction(1, 2 * 10**PUBLISHED_DECIMALS)) * dr.weight_pct
    lowest /= 100
    all_groups = [g for dr in readings for g in dr.groups]
    if not all_groups:
        return Plan("domains", "no_data", float(goal), float(start), None, missing=("indicators",))
    unit = _unit([g.weight_pct for g in all_groups])

    groups: list[list[_Option]] = []
    group_meta: list[DomainReadings] = []
    max_units = 0
    for dr in readings:
        if not dr.groups:
            continue
        boxes = [dr.headroom(r, fw.level_max) for r in dr.readings] or [tuple(0 for _ in dr.groups)]
        costs = [_effort_for(effort, [g.key, g.domain_code]) for g in dr.groups]
        units = [int(g.weight_pct / unit) for g in dr.groups]
        counts_seen = set()
        for box in boxes:
            counts_seen.update(itertools.product(*(range(h + 1) for h in box)))
        options = []
        for counts in sorted(counts_seen):
            uncertain = not all(all(c <= h for c, h in zip(counts, box, strict=True)) for box in boxes)
            if uncertain and every_reading:
                continue
            options.append(
                _Option(
                    counts=counts,
                    units=sum(c * u for c, u in zip(counts, units, strict=True)),
                    cost=sum(c * e for c, e in zip(counts, costs, strict=True)),
                    uncertain=uncertain,
                )
            )
        max_units += max(o.units for o in options)
        groups.append(options)
        group_meta.append(dr)

    needed = goal - start
    if goal > fw.level_max:
        return Plan(
            "domains",
            "above_scale",
            float(goal),
            float(start),
            float(needed),
            max_index=float(start + max_units * unit / 100),
            lowest_start_index=float(lowest),
        )
    needed_units = max(math.ceil((goal - min(start, lowest) if every_reading else needed) * 100 / unit), 0)
    if needed_units > max_units:
        return Plan(
            "domains",
            "beyond_headroom",
            float(goal),
            float(start),
            float(needed),
            max_index=float(start + max_units * unit / 100),
            lowest_start_index=float(lowest),
        )
    solved = _solve(groups, needed_units)
    if solved is None:  # cannot happen when needed_units <= max_units; kept as a guard
        return Plan(
            "domains",
            "beyond_headroom",
            float(goal),
            float(start),
            float(needed),
            max_index=float(start + max_units * unit / 100),
            lowest_start_index=float(lowest),
        )
    finals, states, backtrack = solved
    chosen = _pick(finals, states, backtrack, groups, lambda g: lowest + g * unit / 100 < goal)

    def describe(chosen_idx):
        steps = []
        for dr, opts, idx in zip(group_meta, groups, chosen_idx, strict=True):
            for g, c in zip(dr.groups, opts[idx].counts, strict=True):
                if c:
                    e = _effort_for(effort, [g.key, g.domain_code])
                    steps.append(
                        PlanStep(
                            g.key,
                            g.domain_code,
                            g.aspect_codes,
                            g.indicator_codes,
                            c,
                            float(g.step_worth),
                            float(c * g.step_worth),
                            float(c * e),
                        )
                    )
        return steps, {}

    return _finish("domains", fw, goal, start, lowest, needed, unit, groups, chosen, describe, max_units)


def _complete_levels(fw: Framework, levels: Mapping) -> tuple[dict[str, int], tuple[str, ...]]:
    clean = {}
    for ind in fw.indicators:
        raw = levels.get(ind.code, levels.get(int(ind.code)) if ind.code.isdigit() else None)
        level = scoring.check_level(fw, ind.code, raw)
        if level is not None:
            clean[ind.code] = level
    missing = tuple(i.code for i in fw.indicators if i.code not in clean)
    return clean, missing


def goal_seek_from_levels(fw: Framework, levels: Mapping, target, effort=None, _adapted: bool = False) -> Plan:
    """The fewest level-steps (least effort) on named indicators lifting the index to `target`.

    levels: {indicator code: level} for every indicator. effort: None, a number, or a mapping from
    indicator code, aspect code or domain code (most specific wins) to the effort of one step.
    Equal-worth, equal-effort steps go to the weakest indicator first, then the lower number.
    PermenPANRB 8/2026 (decimal values, strict band edges) goes through spbe.core.pemdi's adapter, which calls back here.
    """
    if fw.decimal_values and not _adapted:
        from spbe.core.pemdi import goal_seek_adapted

        return goal_seek_adapted(fw, levels, target, effort)
    goal = _check_target(fw, target)
    clean, missing = _complete_levels(fw, levels)
    if missing or not fw.indicators:
        return Plan("levels", "no_data", float(goal), None, None, missing=missing or ("indicators",))
    start = sum(_frac(i.weight_pct) * clean[i.code] for i in fw.indicators) / 100
    unit = _unit([_frac(i.weight_pct) for i in fw.indicators])

    def keys_for(ind: Item) -> list[str]:
        aspect = _aspect_of(fw, ind)
        return [ind.code] + ([aspect.code, aspect.parent_code] if aspect else [])

    pools: dict[tuple, list[Item]] = {}
    for ind in fw.indicators:
        pools.setdefault((_frac(ind.weight_pct), _effort_for(effort, keys_for(ind))), []).append(ind)
    groups, meta, max_units = [], [], 0
    for (weight, cost), members in pools.items():
        room = sum(fw.level_max - clean[m.code] for m in members)
        u = int(weight / unit)
        groups.append([_Option((c,), c * u, c * cost, False) for c in range(room + 1)])
        meta.append((weight, cost, members))
        max_units += room * u

    needed = goal - start
    fail = dict(max_index=float(start + max_units * unit / 100), lowest_start_index=float(start))
    if goal > fw.level_max:
        return Plan("levels", "above_scale", float(goal), float(start), float(needed), **fail)
    needed_units = max(math.ceil(needed * 100 / unit), 0)
    if needed_units > max_units:
        return Plan("levels", "beyond_headroom", float(goal), float(start), float(needed), **fail)
    finals, states, backtrack = _solve(groups, needed_units)
    chosen = _pick(finals, states, backtrack, groups, lambda g: False)

    def describe(chosen_idx):
        new = dict(clean)
        for (_weight, _cost, members), opts, idx in zip(meta, groups, chosen_idx, strict=True):
            for _ in range(opts[idx].counts[0]):
                # weakest first, then the lower number: who gets an equal-worth step does not change the index
                m = min(
                    (m for m in members if new[m.code] < fw.level_max),
                    key=lambda m: (new[m.code], int(m.code) if m.code.isdigit() else 0),
                )
                new[m.code] += 1
        steps = []
        for ind in fw.indicators:
            c = new[ind.code] - clean[ind.code]
            if c:
                aspect = _aspect_of(fw, ind)
                e = _effort_for(effort, keys_for(ind))
                top = _top_of(fw, ind)
                steps.append(
                    PlanStep(
                        ind.code,
                        top.code,
                        (aspect.code,) if aspect else (),
                        (ind.code,),
                        c,
                        ind.weight_pct / 100,
                        float(c * _frac(ind.weight_pct) / 100),
                        float(c * e),
                        clean[ind.code],
                        new[ind.code],
                    )
                )
        return steps, new

    return _finish("levels", fw, goal, start, start, needed, unit, groups, chosen, describe, max_units)


# -- what-if on indicator levels -------------------------------------------------------------------
def apply_steps(fw: Framework, levels: Mapping, steps: Mapping) -> tuple[dict[str, int], float]:
    """Raise (or lower) indicators by whole steps; returns the new levels and the index computed
    incrementally (start + sum of steps x weight / 100), which must equal the engine's index."""
    clean, missing = _complete_levels(fw, levels)
    if missing:
        raise ValueError(f"levels missing for indicators {', '.join(missing)}")
    new = dict(clean)
    index = sum(_frac(i.weight_pct) * clean[i.code] for i in fw.indicators) / 100
    for code, delta in steps.items():
        ind = fw.item("indicator", str(code))
        level = scoring.check_level(fw, ind.code, new[ind.code] + int(delta))
        index += _frac(ind.weight_pct) * (level - new[ind.code]) / 100
        new[ind.code] = level
    return new, float(index)


def what_if(fw: Framework, levels: Mapping, changed: Mapping) -> pd.DataFrame:
    """Every aspect, domain and the index before and after new levels, recomputed by the scoring engine.

    changed: {indicator code: new level} (only the changes, or a full vector). Rows: level (aspect,
    domain, index), code, before, after, delta, predikat before/after (index row only)."""
    before = scoring.all_scores(fw, levels)
    merged = {**{str(k): v for k, v in levels.items()}, **{str(k): v for k, v in changed.items()}}
    after = scoring.all_scores(fw, merged)
    rows = []
    for item in [*fw.aspects, *fw.domains]:
        b, a = before[item.code].value, after[item.code].value
        rows.append(
            dict(
                level=item.level,
                code=item.code,
                name_id=item.name_id,
                name_en=item.name_en,
                weight_pct=item.weight_pct,
                before=b,
                after=a,
                delta=None if b is None or a is None else a - b,
                band_before=None,
                band_after=None,
            )
        )
    b, a = before["index"].value, after["index"].value
    bb, ba = scoring.predikat(fw, b), scoring.predikat(fw, a)
    rows.append(
        dict(
            level="index",
            code="index",
            name_id=fw.index_name,
            name_en=fw.index_name,
            weight_pct=100.0,
            before=b,
            after=a,
            delta=None if b is None or a is None else a - b,
            band_before=bb.predikat if bb else None,
            band_after=ba.predikat if ba else None,
        )
    )
    return pd.DataFrame(rows)


def illustrative_levels(fw: Framework, domain_values: Mapping) -> dict[str, int]:
    """ONE level vector that reproduces the published domain values: an ILLUSTRATION for the what-if
    (which indicators are high or low is invented; only each group's level sum is implied by the data).
    Each group's sum is spread as evenly as possible, the extra levels on the lower-numbered indicators.
    Domains whose value no whole levels can give are left out (the caller shows them as missing)."""
    out = {}
    for dr in all_readings(fw, domain_values):
        if not dr.readings:
            continue

        def fit(r, dr=dr):
            # closest to the printed value, then the most even average level across the weight groups
            averages = [Fraction(s, g.size) for g, s in zip(dr.groups, r, strict=True)]
            return (
                abs(sum(g.weight_pct * s for g, s in zip(dr.groups, r, strict=True)) - _frac(dr.value) * dr.weight_pct),
                max(averages) - min(averages),
                r,
            )

        reading = min(dr.readings, key=fit)
        for g, total in zip(dr.groups, reading, strict=True):
            base, extra = divmod(total, g.size)
            for k, code in enumerate(g.indicator_codes):
                out[code] = base + (1 if k < extra else 0)
    return out


# -- URL parameters of the simulator page -----------------------------------------------------------
TARGET_KINDS = ("next", "own", "number")


def parse_target(raw: str | None) -> tuple[str, float | None, bool]:
    """?target= as (kind, number, ok): 'next' (next predikat), 'own' (the instansi's target) or a number such
    as 2.6 or 2,6. Anything else gives ('next', None, False) so the page can warn and fall back."""
    if raw is None or raw == "" or raw == "next":
        return "next", None, True
    if raw == "own":
        return "own", None, True
    try:
        value = float(raw.strip().replace(",", "."))
    except ValueError:
        return "next", None, False
    if math.isnan(value) or math.isinf(value) or not 0 < value <= 10:
        return "next", None, False
    return "number", value, True


def parse_effort(raw: str | None, keys: list[str]) -> tuple[dict[str, float], list[str]]:
    """?usaha=D2:2,A8:3 as {key: effort}; returns the parts that are not 'known key:positive number'."""
    efforts, bad = {}, []
    for part in filter(None, (raw or "").split(",")):
        key, _, value = part.partition(":")
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if key not in keys or not (number > 0 and math.isfinite(number)):
            bad.append(part[:40])
        else:
            efforts[key] = number
    return efforts, bad


def format_effort(efforts: Mapping[str, float]) -> str:
    return ",".join(f"{k}:{v:g}" for k, v in efforts.items() if v != 1)


# -- helpers for the simulator page ------------------------------------------------------------------
ASSESSMENT_PREFERENCE = ("official", "self_assessment", "interview_evaluation", "desk_evaluation", "illustration")


def preferred_assessment(assessments: list[str]) -> str | None:
    """Which imported levels to start from: the official ones when held, else the nearest stage."""
    for a in ASSESSMENT_PREFERENCE:
        if a in assessments:
            return a
    return assessments[0] if assessments else None


def ordered_assessments(assessments: list[str]) -> list[str]:
    """Assessments in the order a reader wants them: official first, then the stages, then the rest."""
    rank = {a: n for n, a in enumerate(ASSESSMENT_PREFERENCE)}
    return sorted(assessments, key=lambda a: (rank.get(a, len(rank)), a))


def start_index(fw: Framework, domain_values: Mapping) -> float | None:
    """sum(published domain value x weight) / 100, exact before the final float (Cilegon 2024: 2.55545)."""
    if any(is_missing(domain_values.get(top.code)) for top in fw.top_level):
        return None
    return float(sum(_frac(domain_values[top.code]) * _frac(top.weight_pct) for top in fw.top_level) / 100)


def start_index_from_levels(fw: Framework, levels: Mapping) -> float | None:
    return scoring.index_from_levels(fw, levels).value


def domain_start_table(fw: Framework, domain_values: Mapping, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            dict(domain_code=top.code, name=top.name(lang), value=domain_values.get(top.code), weight_pct=top.weight_pct)
            for top in fw.top_level
        ]
    )


def domain_notes(fw: Framework, domain_values: Mapping) -> list[dict]:
    """What the page must say about domains whose value does not fix the levels: mixed weights (several
    splits) or a value no whole levels can give."""
    notes = []
    for dr in all_readings(fw, domain_values):
        if dr.value is None or not dr.groups:
            continue
        if not dr.consistent:
            notes.append(dict(kind="inconsistent", domain=dr.domain_code, value=dr.value))
        elif len(dr.groups) > 1:
            ranges = dr.headroom_range(fw.level_max)
            notes.append(
                dict(
                    kind="mixed",
                    domain=dr.domain_code,
                    value=dr.value,
                    n=len(dr.readings),
                    groups=[(g.key, float(g.weight_pct)) for g in dr.groups],
                    ranges=[(g.key, lo, hi) for g, (lo, hi) in zip(dr.groups, ranges, strict=True)],
                )
            )
    return notes


def _span(low, high) -> str | None:
    if low is None or (isinstance(low, float) and math.isnan(low)):
        return None
    return f"{int(low)}" if low == high else f"{int(low)}-{int(high)}"


def step_table_display(steps: pd.DataFrame) -> pd.DataFrame:
    """The level-step table with min-max ranges folded into one text column each."""
    out = steps.copy()
    out["implied_level_sum"] = [
        _span(a, b) for a, b in zip(out["implied_level_sum_min"], out["implied_level_sum_max"], strict=True)
    ]
    out["headroom_steps"] = [_span(a, b) for a, b in zip(out["headroom_steps_min"], out["headroom_steps_max"], strict=True)]
    keep = [
        "domain_code",
        "group",
        "aspects",
        "indicators",
        "n_indicators",
        "indicator_weight_pct",
        "step_worth",
        "domain_value",
        "implied_level_sum",
        "headroom_steps",
        "headroom_points_max",
        "readings",
    ]
    return out[keep]


def effort_keys(fw: Framework, domain_values: Mapping, mode: str) -> list[str]:
    """The keys an effort can be set for: weight groups from the domain values, or aspects with levels."""
    if mode == "levels":
        return [a.code for a in fw.aspects]
    return [g.key for dr in all_readings(fw, domain_values) for g in dr.groups]


def largest_step_worth(fw: Framework) -> float:
    return max(i.weight_pct for i in fw.indicators) / 100


def domains_with_levels(fw: Framework, levels: Mapping) -> set[str]:
    return {_top_of(fw, i).code for i in fw.indicators if i.code in levels}


def level_grid(fw: Framework, levels: Mapping, lang: str) -> pd.DataFrame:
    """The editable table: one row per indicator with its level and a 'new_level' column to change."""
    return pd.DataFrame(
        [
            dict(
                indicator_code=i.code,
                indicator_name=i.name(lang),
                aspect_code=i.parent_code,
                level=levels.get(i.code),
                new_level=levels.get(i.code),
            )
            for i in fw.indicators
            if i.code in levels
        ]
    )


def levels_from_grid(fw: Framework, grid: pd.DataFrame) -> tuple[dict[str, int], str | None]:
    """New levels from the edited table, checked by the scoring engine; (levels, None) or ({}, message)."""
    out = {}
    try:
        for code, value in zip(grid["indicator_code"], grid["new_level"], strict=True):
            level = scoring.check_level(fw, str(code), None if pd.isna(value) else value)
            if level is None:
                raise ValueError(f"indicator {code}: empty")
            out[str(code)] = level
    except ValueError as err:
        return {}, str(err)
    return out, None
