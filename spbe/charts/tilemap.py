"""Tile map of a province: one equal tile per government, placed roughly as on a map, so a small city
(Kota Cilegon) is as visible as a large regency. Offline by construction: no outlines, no map tiles.

Positions live in data/tile_positions_<province>.csv (instansi_id, province, col, row, group); only
Banten has them. A province without positions gets no tile map, and the page says so: tiles are never
invented for governments whose places nobody has drawn.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from spbe.settings import SEED_DIR

GROUPS = ("kabupaten_kota", "provinsi")


class TilePositionError(ValueError):
    """A tile position file breaks a rule; the message names file, row and column."""


@dataclass(frozen=True)
class Tile:
    instansi_id: str
    province: str
    col: int
    row: int
    group: str


def position_file(province: str, seed_dir: Path = SEED_DIR) -> Path:
    return seed_dir / f"tile_positions_{province.strip().lower().replace(' ', '_')}.csv"


def load_positions(path: Path, known_ids: set[str] | None = None) -> list[Tile]:
    """Read and check a position file: whole-number places, no two tiles on one place, known instansi."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    tiles, seen_places, seen_ids = [], {}, set()
    for n, r in enumerate(rows, 2):
        where = f"{path.name} row {n}"
        try:
            col, row = int(r["col"]), int(r["row"])
        except (KeyError, TypeError, ValueError):
            raise TilePositionError(f"{where}: col/row must be whole numbers, got {r.get('col')!r}, {r.get('row')!r}") from None
        if r.get("group") not in GROUPS:
            raise TilePositionError(f"{where}: column 'group' holds {r.get('group')!r}, expected one of {GROUPS}")
        iid = r.get("instansi_id", "")
        if known_ids is not None and iid not in known_ids:
            raise TilePositionError(f"{where}: unknown instansi_id {iid!r}")
        if iid in seen_ids:
            raise TilePositionError(f"{where}: instansi_id {iid!r} placed twice")
        if (col, row) in seen_places:
            raise TilePositionError(f"{where}: place ({col}, {row}) already holds {seen_places[(col, row)]!r}")
        seen_ids.add(iid)
        seen_places[(col, row)] = iid
        tiles.append(Tile(iid, r["province"], col, row, r["group"]))
    return tiles


def positions_for(province: str | None, known_ids: set[str] | None = None, seed_dir: Path = SEED_DIR) -> list[Tile] | None:
    """The tiles of a province, or None when the province has no position file (or no province at all)."""
    if not province:
        return None
    path = position_file(province, seed_dir)
    if not path.exists():
        return None
    return load_positions(path, known_ids)


def tile_table(tiles: list[Tile], year_rows: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """One row per tile with its place and that year's official index and predikat (empty when not held)."""
    places = pd.DataFrame([t.__dict__ for t in tiles])
    values = year_rows[["instansi_id", "indeks", "predikat", "source_id"]].assign(
        predikat_basis=year_rows["predikat_basis"] if "predikat_basis" in year_rows else None
    )
    named = places.merge(names[["instansi_id", "instansi_name", "category"]], on="instansi_id", how="left")
    return named.merge(values, on="instansi_id", how="left")[
        ["instansi_id", "instansi_name", "category", "group", "col", "row", "indeks", "predikat", "source_id", "predikat_basis"]
    ]


def wrap_name(name: str, width: int = 10) -> list[str]:
    """A name broken into short lines so it fits on a tile ('Kota Tangerang Selatan' -> three lines)."""
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines
