"""The Indeks Pemdi of PermenPANRB 8/2026 (2026 onward): rules that the rest of the product calls.

Everything is read from the seed files (framework_items.csv, predikat_bands.csv, framework_level_criteria.csv,
framework_band_edges.csv, pemdi_checks.csv); no weight, band or criterion is written here.

- Two measures, never one line: the Indeks SPBE (5/2018, 59/2020; 2018-2025) and the Indeks Pemdi (8/2026;
  2026-) are different measures. `measure_of` / `same_measure` tell them apart; trend, overview, comparison
  and the deck call them before drawing a line or computing a change or a rank shift.
- Bands as printed (Tabel 4) are strict inequalities: a value exactly on 1.50, 2.50, 3.50 or 4.00 is in no
  band. `band_reading` flags it ("on the edge"); where one band must be shown, the 2026 asesor deck's reading
  is used (an edge belongs to the LOWER band) and the caller says so.
- Indicators 5-7 take the value as entered; `external_level` only shows the level the external score's range
  (SDI, SJIG, IPS) implies. No formula from a score to a decimal value is invented.
- No crosswalk from the 47 indicators of 59/2020 to the 20 of 8/2026 exists in a source: none is made here.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from spbe.core import scoring
from spbe.core.frameworks import Band, Framework, Item, LevelCriteria, frameworks
from spbe.i18n import fmt_num, t
from spbe.settings import SEED_DIR

FRAMEWORK_ID = "permenpanrb-8-2026"
EDGE_EPS = 1e-9  # a computed value within this of an edge is on it (binary floats: 0.1 * 3 != 0.3)


def framework(seed_dir: Path = SEED_DIR) -> Framework:
    return frameworks(seed_dir)[FRAMEWORK_ID]


# -- two measures ------------------------------------------------------------------------------------
def measure_of(framework_id: str | None, seed_dir: Path = SEED_DIR) -> str:
    """'indeks_spbe' or 'indeks_pemdi': which measure a framework's index is (its index_name)."""
    fws = frameworks(seed_dir)
    fw = fws.get(str(framework_id)) if framework_id else None
    if fw is None:
        return "unknown"
    return "indeks_pemdi" if "pemdi" in fw.index_name.casefold() else "indeks_spbe"


def same_measure(fw_a: str | None, fw_b: str | None, seed_dir: Path = SEED_DIR) -> bool:
    """True when two frameworks' indices are the same measure (a change or rank shift between them is allowed
    to be computed; the caller still marks a framework break within the Indeks SPBE)."""
    a, b = measure_of(fw_a, seed_dir), measure_of(fw_b, seed_dir)
    return a == b and a != "unknown"


def measure_label(framework_id: str | None, lang: str = "id") -> str:
    return t(f"pemdi.measure.{measure_of(framework_id)}", lang)


def measure_of_year(year: int, seed_dir: Path = SEED_DIR) -> str:
    for fw in frameworks(seed_dir).values():
        if fw.covers(int(year)):
            return measure_of(fw.framework_id, seed_dir)
    return "unknown"


def measures_in(years, seed_dir: Path = SEED_DIR) -> list[str]:
    """The measures the given years use, in year order, each once."""
    out: list[str] = []
    for y in sorted({int(y) for y in years}):
        m = measure_of_year(y, seed_dir)
        if m not in out:
            out.append(m)
    return out


def axis_title(years, lang: str = "id") -> str:
    """'Indeks SPBE', or 'Indeks SPBE | Indeks Pemdi' for an axis spanning both measures (never one scale)."""
    measures = [m for m in measures_in(years) if m != "unknown"] or ["indeks_spbe"]
    return " | ".join(t(f"pemdi.measure.{m}", lang) for m in measures)


def measure_note(years, lang: str = "id") -> str:
    """The sentence saying the two indices are different measures, when the years span both; else ''."""
    return t("pemdi.different_measure", lang) if len(measures_in(years)) > 1 else ""


def pemdi_lines(history, year: int, name: str, lang: str = "id") -> list[str]:
    """One sentence per Indeks Pemdi value of the focus up to `year` (every assessment), for pages that otherwise
    show the Indeks SPBE: value, predikat under 8/2026's own bands (edge flagged), and that it is another measure.
    history: index_history rows (year, assessment, framework_id, indeks)."""
    if history is None or len(history) == 0:
        return []
    rows = history[(history["year"] <= year) & history["framework_id"].map(lambda f: measure_of(f) == "indeks_pemdi")]
    out = []
    for r in rows.sort_values(["year", "assessment"]).itertuples():
        fw = frameworks()[r.framework_id]
        reading = band_reading(fw, r.indeks)
        band = reading.band.name(lang) if reading.band else "–"
        text = t(
            "pemdi.value_line",
            lang,
            measure=measure_label(r.framework_id, lang),
            year=int(r.year),
            assessment=t(f"assessment.{r.assessment}", lang),
            name=name,
            value=fmt_num(r.indeks, lang),
            band=band,
        )
        if reading.on_edge:
            text += " " + edge_note(reading, lang)
        out.append(text)
    return out


# -- bands and edges -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reading:
    """Where a value sits among a framework's bands."""

    value: float | None
    band: Band | None  # the band shown (for an edge value: the asesor deck's reading, the lower band)
    edge: float | None  # the printed edge the value sits exactly on, else None

    @property
    def on_edge(self) -> bool:
        return self.edge is not None


def edge_of(fw: Framework, value: float | None) -> float | None:
    """The contested edge (1.50/2.50/3.50/4.00 for 8/2026) a value sits exactly on, or None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    for e in fw.contested_edges:
        if abs(float(value) - e) <= EDGE_EPS:
            return e
    return None


def band_reading(fw: Framework, value: float | None) -> Reading:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Reading(None, None, None)
    edge = edge_of(fw, value)
    shown = edge if edge is not None else float(value)
    return Reading(float(value), fw.band_for(shown), edge)


def edge_note(reading: Reading, lang: str = "id") -> str:
    """The sentence shown next to an edge value; empty when the value is not on an edge."""
    if not reading.on_edge or reading.band is None:
        return ""
    return t(
        "pemdi.edge_note",
        lang,
        edge=fmt_num(reading.edge, lang),
        band=reading.band.name(lang),
        value=fmt_num(reading.value, lang),
    )


# -- indicator levels --------------------------------------------------------------------------------------
def level_of_value(fw: Framework, value: float | None) -> tuple[int | None, bool]:
    """The level whose printed value band holds an indicator value (deck reading at the edges) and whether the
    value sits exactly on an edge. The per-indicator bands use the same edges as Tabel 4."""
    reading = band_reading(fw, value)
    return (reading.band.rank if reading.band else None), reading.on_edge


def as_level(value):
    """A stored indicator value for arithmetic: an int when whole (every 59/2020 level), else the decimal as
    entered (8/2026). Never int() a value: int(1.5) would silently turn an 8/2026 value of 1.50 into 1."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    x = float(value)
    return int(x) if x.is_integer() else x


def level_name_of(fw: Framework, indicator: Item, value, lang: str = "id") -> str | None:
    """The level name for a stored value: its level directly (whole-level frameworks) or, for an 8/2026 decimal,
    the level whose value band holds it (deck reading at an edge)."""
    v = as_level(value)
    if v is None:
        return None
    if isinstance(v, float) or fw.decimal_values:
        level, _ = level_of_value(fw, v)
        return fw.level_name(indicator, level, lang) if level else None
    return fw.level_name(indicator, v, lang)


def criteria(fw: Framework, code: str, level: int) -> LevelCriteria | None:
    return fw.criteria.get((str(code), int(level)))


def next_level(fw: Framework, value: float | None) -> int | None:
    """The level above the one holding the value; None at the top or without a value."""
    level, _ = level_of_value(fw, value)
    if level is None:
        return None
    return level + 1 if level < fw.level_max else None


def _inclusive(printed: str, side: str) -> bool:
    """From '1.8 <= IPS < 2.60': is the lower ('low') or upper ('high') limit inclusive?"""
    parts = printed.split("(")[0].split("<")
    if side == "low":
        return len(parts) > 2 and parts[1].startswith("=")
    return parts[-1].startswith("=")


def external_level(fw: Framework, code: str, score: float | None) -> tuple[int | None, str]:
    """For indicators 5-7: the level the external score's printed range implies, and a status:
    'ok', 'edge' (the score sits on a limit no printed range includes), 'outside', 'not_external', 'missing'."""
    ranges = [fw.criteria[(str(code), lv)] for lv in range(fw.level_min, fw.level_max + 1) if (str(code), lv) in fw.criteria]
    ranges = [c for c in ranges if c.external_score]
    if not ranges:
        return None, "not_external"
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None, "missing"
    x = float(score)
    for c in ranges:
        low_ok = (
            c.external_min is None or x > c.external_min or (x == c.external_min and _inclusive(c.external_as_printed, "low"))
        )
        high_ok = (
            c.external_max is None or x < c.external_max or (x == c.external_max and _inclusive(c.external_as_printed, "high"))
        )
        if low_ok and high_ok:
            return c.level, "ok"
    limits = {v for c in ranges for v in (c.external_min, c.external_max) if v is not None}
    lo = min((c.external_min for c in ranges if c.external_min is not None), default=-math.inf)
    hi = max((c.external_max for c in ranges if c.external_max is not None), default=math.inf)
    if x in limits and lo <= x <= hi:
        return None, "edge"
    return None, "outside"


def external_indicators(fw: Framework) -> list[Item]:
    return [i for i in fw.indicators if any(c.external_score for (code, _), c in fw.criteria.items() if code == i.code)]


# -- the worked examples (pemdi_checks.csv) ------------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    case: str
    level: str
    code: str
    inputs: dict
    expected: float
    tolerance: float
    computed: float | None
    source_id: str

    @property
    def ok(self) -> bool:
        return self.computed is not None and abs(self.computed - self.expected) <= self.tolerance + EDGE_EPS


def parse_inputs(text: str) -> tuple[dict[str, float], dict[str, float]]:
    """'i1=2;i2=3' -> ({'1': 2.0, '2': 3.0}, {}); 'a1=2.60;...' -> ({}, {'1': 2.6, ...})."""
    indicators, aspects = {}, {}
    for part in text.split(";"):
        key, _, value = part.partition("=")
        key = key.strip()
        (indicators if key.startswith("i") else aspects)[key[1:]] = float(value)
    return indicators, aspects


def compute(fw: Framework, level: str, code: str, indicators: Mapping, aspects: Mapping) -> float | None:
    if level == "aspect":
        return scoring.aspect_index(fw, code, indicators).value
    if aspects:
        return scoring.index_from_parts(fw, aspects).value
    return scoring.index_from_levels(fw, indicators).value


def checks(seed_dir: Path = SEED_DIR) -> list[Check]:
    fw = framework(seed_dir)
    out = []
    with (seed_dir / "pemdi_checks.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            ind, asp = parse_inputs(r["input_values"])
            out.append(
                Check(
                    r["case"],
                    r["level"],
                    r["code"],
                    {**{f"i{k}": v for k, v in ind.items()}, **{f"a{k}": v for k, v in asp.items()}},
                    float(r["expected"]),
                    float(r["tolerance"]),
                    compute(fw, r["level"], r["code"], ind, asp),
                    r["source_id"],
                )
            )
    return out


# -- plan (goal-seek adapter) ------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlanRow:
    code: str
    name_id: str
    name_en: str
    aspect_code: str
    from_value: float
    to_value: float
    weight_pct: float
    gain: float
    criteria: LevelCriteria | None  # what the level reached requires

    def what(self, lang: str) -> str:
        return self.criteria.criteria(lang) if self.criteria else ""


def target_above(fw: Framework, band: Band) -> Fraction:
    """The smallest index that is in `band` under every reading: strictly above a contested lower edge."""
    low = Fraction(repr(band.lower))
    if band.lower in fw.contested_edges:
        return low + Fraction(1, 10**6)  # below the index's resolution (1/10,000 of a point at 3% weight)
    return low


def plan(values: Mapping, target: float | None = None, seed_dir: Path = SEED_DIR):
    """Goal-seek on the 20 indicators with spbe.core.simulate (framework-generic), each step with the criteria of
    the level it reaches. values: {indicator code: whole value 1-5}. target None = the next predikat, strictly
    above its printed edge (so it holds under both readings of Tabel 4).

    Returns (simulate.Plan, [PlanRow], goal) or raises ValueError when a value is not whole: the regulation
    gives no rule for how a decimal value moves within a level, so no step is invented from one."""
    from spbe.core import simulate  # the planner's module; imported here to keep pemdi importable without it

    fw = framework(seed_dir)
    clean = {}
    for code, v in values.items():
        v = scoring.check_level(fw, str(code), v)
        if v is not None:
            clean[str(code)] = v
    if target is None:
        start = scoring.index_from_levels(fw, clean).value
        current = band_reading(fw, start).band if start is not None else None
        above = [b for b in fw.bands if current is not None and b.rank == current.rank + 1]
        if not above:
            return None, [], None
        goal = target_above(fw, above[0])
    else:
        goal = Fraction(repr(float(target)))
    result = simulate.goal_seek_from_levels(fw, clean, goal)
    rows = []
    for step in result.steps:
        ind = fw.item("indicator", step.key)
        rows.append(
            PlanRow(
                ind.code,
                ind.name_id,
                ind.name_en,
                ind.parent_code,
                float(step.from_level),
                float(step.to_level),
                ind.weight_pct,
                step.gain,
                criteria(fw, ind.code, int(step.to_level)),
            )
        )
    return result, rows, float(goal)


def goal_seek_adapted(fw: Framework, levels: Mapping, target, effort=None):
    """spbe.core.simulate's goal-seek (framework-generic, whole steps) on 8/2026 values:

    - a target on a contested edge (1.50/2.50/3.50/4.00: the next predikat's printed lower limit) becomes
      "strictly above it", so the plan lands in that predikat under both readings of Tabel 4;
    - a decimal value (e.g. 1.50) is planned from its whole part (1), so each step goes to a whole level value;
      the plan is then restated with the real values: from 1.50 to 2 gains 0.50 x weight. Because every real
      value is at least its whole part, the restated end index is at least the planned one: the plan holds.
    No decimal is invented: steps end on whole level values, and the regulation's bands read them."""
    from dataclasses import replace

    from spbe.core import simulate

    goal = Fraction(repr(float(target))) if not isinstance(target, Fraction) else target
    if any(abs(float(goal) - e) <= EDGE_EPS for e in fw.contested_edges):
        goal = Fraction(repr(float(goal))) + Fraction(1, 10**6)
    real = {}
    for ind in fw.indicators:
        raw = levels.get(ind.code, levels.get(int(ind.code)) if ind.code.isdigit() else None)
        value = scoring.check_level(fw, ind.code, raw)
        if value is not None:
            real[ind.code] = value
    whole = {code: math.floor(v) for code, v in real.items()}
    plan = simulate.goal_seek_from_levels(fw, whole, goal, effort, _adapted=True)
    if plan.start_index is None or whole == real:
        return plan
    start = sum(Fraction(repr(float(real[i.code]))) * Fraction(repr(i.weight_pct)) for i in fw.indicators) / 100
    steps = []
    for step in plan.steps:
        ind = fw.item("indicator", step.key)
        before = real[ind.code]
        gain = float((Fraction(step.to_level) - Fraction(repr(float(before)))) * Fraction(repr(ind.weight_pct)) / 100)
        steps.append(replace(step, from_level=before, gain=gain))
    end = start + sum(Fraction(repr(s.gain)) for s in steps)
    end_levels = {code: plan.end_levels.get(code, whole[code]) for code in whole}
    end_levels = {code: (v if v != whole[code] else real[code]) for code, v in end_levels.items()}
    needed = goal - start
    reached = needed <= 0 or end >= goal
    return replace(
        plan,
        status="already" if needed <= 0 else ("reached" if reached else plan.status),
        start_index=float(start),
        needed=float(max(needed, 0)),
        steps=tuple(steps) if needed > 0 else (),
        total_steps=sum(s.steps for s in steps) if needed > 0 else 0,
        end_index=float(end) if needed > 0 else float(start),
        end_band=band_reading(fw, float(min(end, Fraction(fw.level_max)))).band,
        overshoot=float(end - goal) if needed > 0 else float(start - goal),
        lowest_start_index=float(start),
        end_levels=end_levels if needed > 0 else dict(real),
    )


def plan_criteria_frame(plan, lang: str = "id", seed_dir: Path = SEED_DIR):
    """For a simulate.Plan on 8/2026 levels: per step, what the level reached requires ("what is needed to reach
    level 3 on Keamanan Pemdi"), from framework_level_criteria.csv (our summary; the Lampiran is binding)."""
    import pandas as pd

    fw = framework(seed_dir)
    rows = []
    for step in plan.steps:
        ind = fw.item("indicator", step.key)
        reached = int(step.to_level)
        c = criteria(fw, ind.code, reached)
        rows.append(
            {
                t("pemdi.col_indicator", lang): f"{ind.code}. {ind.name(lang)}",
                t(
                    "pemdi.col_from_to", lang
                ): f"{fmt_num(step.from_level, lang, 2 if not float(step.from_level).is_integer() else 0)} → {reached}",
                t("pemdi.col_needed", lang): c.criteria(lang) if c else "",
            }
        )
    return pd.DataFrame(rows)


# -- import: which framework a file was made for ----------------------------------------------------------
def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def framework_of_names(names: list[str], seed_dir: Path = SEED_DIR) -> str | None:
    """The framework whose indicator names a file's indicator_name column holds (a template's prefilled names),
    when they match one framework only; None when there are no names or they are ambiguous."""
    given = {_norm(n) for n in names if str(n).strip()}
    if not given:
        return None
    hits = {}
    for fid, fw in frameworks(seed_dir).items():
        own = {_norm(i.name_id) for i in fw.indicators}
        hits[fid] = len(given & own)
    best = max(hits.values())
    winners = [fid for fid, n in hits.items() if n == best]
    if best == 0 or len(winners) > 1 or best < len(given) / 2:
        return None
    return winners[0]
