"""Evaluation frameworks as data: structure, weights, predikat bands and level names per regulation.

Everything here is read from the seed files (data/frameworks.csv, framework_items.csv,
predikat_bands.csv, level_names.csv, and for PermenPANRB 8/2026 framework_level_criteria.csv and
framework_band_edges.csv); no weight or band is written in code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spbe.settings import SEED_DIR


class SeedError(ValueError):
    """A seed or import file breaks a rule; the message names file, row, column and value."""


@dataclass(frozen=True)
class Item:
    level: str  # domain, aspect or indicator
    code: str
    parent_code: str
    name_id: str
    name_en: str
    weight_pct: float
    level_scale: str
    verified: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_id


@dataclass(frozen=True)
class Band:
    rank: int
    predikat: str
    name_en: str
    lower: float
    upper: float
    upper_inclusive: bool
    lower_inclusive: bool = True

    def contains(self, value: float) -> bool:
        if value < self.lower or (value == self.lower and not self.lower_inclusive):
            return False
        return value <= self.upper if self.upper_inclusive else value < self.upper

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.predikat  # the same as predikat_name()


@dataclass(frozen=True)
class LevelCriteria:
    """What one level of one indicator requires (8/2026 Lampiran II.A, condensed; our wording, not a quotation)."""

    indicator: str
    level: int
    predikat: str
    value_band: str  # as printed, e.g. "> 1.50 s.d. < 2.50"
    external_score: str  # SDI, SJIG or IPS for indicators 5-7, else ""
    external_min: float | None
    external_max: float | None
    external_as_printed: str
    criteria_id: str
    criteria_en: str

    def criteria(self, lang: str) -> str:
        return self.criteria_en if lang == "en" and self.criteria_en else self.criteria_id


@dataclass(frozen=True)
class BandEdge:
    """One printed predikat band with both readings of its edges (framework_band_edges.csv)."""

    level: int
    lower: float
    upper: float
    predikat: str
    alt_name_id: str
    alt_name_en: str
    as_printed: str
    indicator_band_as_printed: str
    interval_lower_inclusive: str
    interval_upper_inclusive: str
    boundary_note: str
    source_ids: str


@dataclass(frozen=True)
class Framework:
    framework_id: str
    regulation: str
    index_name: str
    first_year: int
    last_year: int | None
    level_min: int
    level_max: int
    verified: str
    source_ids: str
    note: str
    items: tuple[Item, ...] = ()
    bands: tuple[Band, ...] = ()
    level_names: dict = field(default_factory=dict)  # (scale, level) -> (name_id, name_en)
    level_values: str = "whole"  # whole | decimal (8/2026: evaluators give values such as 1.26)
    criteria: dict = field(default_factory=dict)  # (indicator code, level) -> LevelCriteria
    band_edges: tuple[BandEdge, ...] = ()

    @property
    def decimal_values(self) -> bool:
        return self.level_values == "decimal"

    @property
    def contested_edges(self) -> tuple[float, ...]:
        """Values that sit in different bands under the two readings of strictly printed bands (8/2026)."""
        return tuple(e.lower for e in self.band_edges if e.interval_lower_inclusive[:1] != e.interval_upper_inclusive[:1])

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    def of_level(self, level: str) -> list[Item]:
        return [i for i in self.items if i.level == level]

    @property
    def domains(self) -> list[Item]:
        return self.of_level("domain")

    @property
    def aspects(self) -> list[Item]:
        return self.of_level("aspect")

    @property
    def indicators(self) -> list[Item]:
        return self.of_level("indicator")

    @property
    def top_level(self) -> list[Item]:
        """The items whose weights make up the index: domains where the framework has them, else aspects."""
        return self.domains or self.aspects

    def item(self, level: str, code: str) -> Item:
        for i in self.items:
            if i.level == level and i.code == str(code):
                return i
        raise KeyError(f"{self.framework_id} has no {level} {code!r}")

    def children(self, parent: Item) -> list[Item]:
        below = {"domain": "aspect", "aspect": "indicator"}.get(parent.level)
        return [i for i in self.items if i.level == below and i.parent_code == parent.code]

    def band_for(self, value: float | None) -> Band | None:
        """The predikat band holding the unrounded value (the regulation's rule), or None if missing/outside."""
        if value is None:
            return None
        for b in self.bands:
            if b.contains(value):
                return b
        return None

    def level_name(self, indicator: Item, level: int, lang: str = "id") -> str | None:
        names = self.level_names.get((indicator.level_scale, int(level)))
        if not names:
            return None
        return names[1] if lang == "en" and names[1] else names[0]


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _num(value: str, where: str, column: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise SeedError(f"{where}: column {column!r} holds {value!r}, expected a number") from None


def load_frameworks(seed_dir: Path = SEED_DIR) -> dict[str, Framework]:
    """Read and check the framework seed files; raise SeedError naming the offending row."""
    heads = _read(seed_dir / "frameworks.csv")
    items: dict[str, list[Item]] = {h["framework_id"]: [] for h in heads}
    bands: dict[str, list[Band]] = {h["framework_id"]: [] for h in heads}
    names: dict[str, dict] = {h["framework_id"]: {} for h in heads}

    def known(fid: str, where: str) -> str:
        if fid not in items:
            raise SeedError(f"{where}: unknown framework_id {fid!r}, expected one of {sorted(items)}")
        return fid

    for n, r in enumerate(_read(seed_dir / "framework_items.csv"), start=2):
        where = f"framework_items.csv row {n}"
        fid = known(r["framework_id"], where)
        if r["level"] not in ("domain", "aspect", "indicator"):
            raise SeedError(f"{where}: column 'level' holds {r['level']!r}, expected domain, aspect or indicator")
        items[fid].append(
            Item(
                r["level"],
                r["code"],
                r["parent_code"],
                r["name_id"],
                r["name_en"],
                _num(r["weight_pct"], where, "weight_pct"),
                r["level_scale"],
                r["verified"],
            )
        )
    for n, r in enumerate(_read(seed_dir / "predikat_bands.csv"), start=2):
        where = f"predikat_bands.csv row {n}"
        fid = known(r["framework_id"], where)
        bands[fid].append(
            Band(
                int(r["rank"]),
                r["predikat"],
                r["name_en"],
                _num(r["lower"], where, "lower"),
                _num(r["upper"], where, "upper"),
                r["upper_inclusive"] == "yes",
                r.get("lower_inclusive", "yes") != "no",
            )
        )
    for n, r in enumerate(_read(seed_dir / "level_names.csv"), start=2):
        fid = known(r["framework_id"], f"level_names.csv row {n}")
        names[fid][(r["scale"], int(r["level"]))] = (r["name_id"], r["name_en"])
    criteria: dict[str, dict] = {h["framework_id"]: {} for h in heads}
    path = seed_dir / "framework_level_criteria.csv"
    for n, r in enumerate(_read(path) if path.exists() else [], start=2):
        where = f"framework_level_criteria.csv row {n}"
        fid = known(r["framework_id"], where)

        def opt(col: str, r=r, where=where) -> float | None:
            return _num(r[col], where, col) if r[col] != "" else None

        c = LevelCriteria(
            r["indicator_no"],
            int(r["level"]),
            r["predikat_id"],
            r["value_band_as_printed"],
            r["external_score"],
            opt("external_score_min"),
            opt("external_score_max"),
            r["external_score_range_as_printed"],
            r["criteria_id"],
            r["criteria_en"],
        )
        if (c.indicator, c.level) in criteria[fid]:
            raise SeedError(f"{where}: indicator {c.indicator} level {c.level} is repeated")
        criteria[fid][(c.indicator, c.level)] = c
    edges: dict[str, list[BandEdge]] = {h["framework_id"]: [] for h in heads}
    path = seed_dir / "framework_band_edges.csv"
    for n, r in enumerate(_read(path) if path.exists() else [], start=2):
        where = f"framework_band_edges.csv row {n}"
        fid = known(r["framework_id"], where)
        edges[fid].append(
            BandEdge(
                int(r["level"]),
                _num(r["lower"], where, "lower"),
                _num(r["upper"], where, "upper"),
                r["predikat_id"],
                r["alt_name_id"],
                r["alt_name_en"],
                r["tabel4_as_printed"],
                r["indicator_band_as_printed"],
                r["interval_lower_inclusive"],
                r["interval_upper_inclusive"],
                r["boundary_note"],
                r["source_ids"],
            )
        )

    out = {}
    for h in heads:
        fid = h["framework_id"]
        out[fid] = Framework(
            framework_id=fid,
            regulation=h["regulation"],
            index_name=h["index_name"],
            first_year=int(h["first_year"]),
            last_year=int(h["last_year"]) if h["last_year"] else None,
            level_min=int(h["level_min"]),
            level_max=int(h["level_max"]),
            verified=h["verified"],
            source_ids=h["source_ids"],
            note=h["note"],
            items=tuple(items[fid]),
            bands=tuple(sorted(bands[fid], key=lambda b: b.rank)),
            level_names=names[fid],
            level_values=h.get("level_values") or "whole",
            criteria=criteria[fid],
            band_edges=tuple(sorted(edges[fid], key=lambda e: e.level)),
        )
    return out


@lru_cache(maxsize=4)
def _cached(seed_dir: str) -> dict[str, Framework]:
    return load_frameworks(Path(seed_dir))


def frameworks(seed_dir: Path = SEED_DIR) -> dict[str, Framework]:
    return _cached(str(seed_dir))


def framework_for_year(year: int, seed_dir: Path = SEED_DIR) -> Framework:
    """The framework in force for an evaluation year (5/2018 to 2020, 59/2020 to 2025, 8/2026 after)."""
    for fw in frameworks(seed_dir).values():
        if fw.covers(int(year)):
            return fw
    raise KeyError(f"no framework covers the year {year}")


def predikat_name(predikat, lang: str) -> str | None:
    """One way to write a predikat per language, for every surface (cards, tables, charts, slides, decks,
    downloads): Indonesian as the regulation prints it ("Cukup"); English the band's English name from the
    framework data ("Fair"), never both. None for a missing predikat."""
    if not isinstance(predikat, str) or not predikat:
        return None
    if lang != "en":
        return predikat
    return next((b.name_en for fw in frameworks().values() for b in fw.bands if b.predikat == predikat), predikat)


def predikat_label(predikat: str | None, lang: str) -> str:
    """predikat_name, and the catalogue's "missing" for a missing predikat."""
    name = predikat_name(predikat, lang)
    if name is None:
        from spbe.i18n import t

        return t("common.missing", lang)
    return name
    for fw in frameworks().values():
        for band in fw.bands:
            if band.predikat == predikat:
                return f"{predikat} ({band.name_en})"
    return predikat
