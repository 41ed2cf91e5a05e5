"""The regulations' arithmetic (PermenPANRB 59/2020 and 8/2026, Lampiran): pure functions over a Framework.

aspect index = sum(level x indicator weight) / aspect weight
domain index = sum(aspect index x aspect weight) / domain weight
index        = sum(domain index x domain weight) / 100  (= sum over indicators of level x weight / 100)

PermenPANRB 8/2026 has no domains: aspect = sum(w x v) / aspect weight, Indeks Pemdi = sum(w x v) / 100, and
its indicator values may be decimals (an evaluator gives e.g. 1.26); the other frameworks take whole levels.

Missing inputs are never counted as zero: a Score with value None carries the reasons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from spbe.core.frameworks import Band, Framework, Item


@dataclass(frozen=True)
class Score:
    value: float | None
    missing: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.value is not None


def _weighted(parts: list[tuple[Item, float | None]], divisor: float, what: str) -> Score:
    missing = tuple(f"{what} {item.code} missing" for item, v in parts if v is None)
    if not parts:
        return Score(None, (f"{what}: none defined",))
    if missing:
        return Score(None, missing)
    return Score(sum(item.weight_pct * v for item, v in parts) / divisor)


def check_level(fw: Framework, code: str, level) -> int | float | None:
    """A level within the framework's scale (an int; a float only where the framework takes decimal values,
    8/2026), None if missing; ValueError otherwise."""
    if level is None or (isinstance(level, float) and level != level):
        return None
    if isinstance(level, bool):
        raise ValueError(f"indicator {code}: level {level!r} is not a whole number")
    whole = float(level).is_integer()
    if not whole and not fw.decimal_values:
        raise ValueError(f"indicator {code}: level {level!r} is not a whole number")
    level = int(level) if whole else float(level)
    if not fw.level_min <= level <= fw.level_max:
        raise ValueError(f"indicator {code}: level {level} is outside {fw.level_min}-{fw.level_max}")
    return level


def _levels(fw: Framework, levels: Mapping) -> dict[str, int | float | None]:
    return {str(k): check_level(fw, str(k), v) for k, v in levels.items()}


def aspect_index(fw: Framework, aspect_code: str, levels: Mapping) -> Score:
    aspect = fw.item("aspect", aspect_code)
    lv = _levels(fw, levels)
    parts = [(i, lv.get(i.code)) for i in fw.children(aspect)]
    return _weighted(parts, aspect.weight_pct, "indicator")


def domain_index(fw: Framework, domain_code: str, levels: Mapping) -> Score:
    domain = fw.item("domain", domain_code)
    scores = [(a, aspect_index(fw, a.code, levels)) for a in fw.children(domain)]
    missing = tuple(r for _, score in scores for r in score.missing)  # name the indicators, not the aspects
    if missing:
        return Score(None, missing)
    return _weighted([(a, score.value) for a, score in scores], domain.weight_pct, "aspect")


def domain_from_aspects(fw: Framework, domain_code: str, aspect_values: Mapping) -> Score:
    domain = fw.item("domain", domain_code)
    parts = [(a, aspect_values.get(a.code)) for a in fw.children(domain)]
    return _weighted(parts, domain.weight_pct, "aspect")


def index_from_parts(fw: Framework, values: Mapping) -> Score:
    """Index from top-level values (domains, or aspects for a framework without domains)."""
    parts = [(i, values.get(i.code)) for i in fw.top_level]
    return _weighted(parts, 100.0, fw.top_level[0].level if fw.top_level else "part")


def index_from_domains(fw: Framework, domain_values: Mapping) -> Score:
    return index_from_parts(fw, domain_values)


def index_from_levels(fw: Framework, levels: Mapping) -> Score:
    lv = _levels(fw, levels)
    parts = [(i, lv.get(i.code)) for i in fw.indicators]
    return _weighted(parts, 100.0, "indicator")


def all_scores(fw: Framework, levels: Mapping) -> dict[str, Score]:
    """Every aspect, domain and the index ('index') from indicator levels, keyed by code."""
    out = {a.code: aspect_index(fw, a.code, levels) for a in fw.aspects}
    out.update({d.code: domain_index(fw, d.code, levels) for d in fw.domains})
    out["index"] = index_from_levels(fw, levels)
    return out


def predikat(fw: Framework, value: float | None) -> Band | None:
    """The framework's band for the unrounded value; the printed official predikat stays authoritative."""
    return fw.band_for(value)


def step_worth(fw: Framework, indicator: Item) -> float:
    """Index points gained by raising one indicator by one level: its weight / 100."""
    return indicator.weight_pct / 100.0
