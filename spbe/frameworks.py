"""Evaluation frameworks as data: structure, weights, predikat bands and level names per regulation.

Everything here is read from the seed files (data/frameworks.csv, framework_items.csv,
predikat_bands.csv, level_names.csv); no weight or band is written in code.
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

    def contains(self, value: float) -> bool:
        if value < self.lower:
            return False
        return value <= self.upper if self.upper_inclusive else value < self.upper

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.predikat


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
            )
        )
    for n, r in enumerate(_read(seed_dir / "level_names.csv"), start=2):
        fid = known(r["framework_id"], f"level_names.csv row {n}")
        names[fid][(r["scale"], int(r["level"]))] = (r["name_id"], r["name_en"])

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
