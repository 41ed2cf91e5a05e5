"""Build the DuckDB store from the seed files in data/ (plus a region's applied import, if any).

The store is written to a temporary file next to the target and moved into place with os.replace,
so a reader never sees half a build: open connections keep the old file, new ones get the new one.
"""

from __future__ import annotations

import csv
import fcntl
import math
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from spbe.core import PROVENANCES
from spbe.core.frameworks import Framework, SeedError, load_frameworks
from spbe.settings import SEED_DIR, db_path, state_dir

CATEGORIES = ("pusat", "provinsi", "kabupaten", "kota")
SEED_FILES = (
    "sources.csv",
    "frameworks.csv",
    "framework_items.csv",
    "predikat_bands.csv",
    "level_names.csv",
    "framework_level_criteria.csv",
    "framework_band_edges.csv",
    "assessments.csv",
    "instansi.csv",
    "index_results.csv",
    "domain_results.csv",
    "indicator_results.csv",
    "indicator_levels_2021_2022.csv",
    "instansi_aliases.csv",
    "national_results.csv",
    "targets.csv",
)
# How a predikat was got (README: schema contract); PROVENANCES (how far a value can be trusted) is spbe.core's.
PREDIKAT_BASES = ("printed", "derived")
# Wide seed files of indicator levels (one row per instansi, year and assessment; columns i1..iN).
WIDE_LEVEL_FILES = ("indicator_levels_2021_2022.csv",)
# Files a region's import may add to; same columns as the seeds of that name.
OVERLAY_FILES = ("index_results.csv", "domain_results.csv", "indicator_results.csv")

SCHEMA = """
create table sources (source_id varchar primary key, kind varchar, title varchar, publisher varchar,
    date varchar, url_or_reference varchar);
create table frameworks (framework_id varchar primary key, regulation varchar, index_name varchar,
    first_year integer, last_year integer, structure varchar, level_min integer, level_max integer,
    verified varchar, source_ids varchar, note varchar, level_values varchar);
create table framework_items (framework_id varchar, level varchar, code varchar, parent_code varchar,
    name_id varchar, name_en varchar, weight_pct double, verified varchar, level_scale varchar);
create table predikat_bands (framework_id varchar, rank integer, predikat varchar, name_en varchar,
    lower double, upper double, upper_inclusive boolean, lower_inclusive boolean);
create table level_names (framework_id varchar, scale varchar, level integer, name_id varchar, name_en varchar);
create table assessments (assessment varchar primary key, kind varchar, name_id varchar, name_en varchar);
create table instansi (instansi_id varchar primary key, instansi_name varchar, category varchar,
    province varchar, subcategory varchar, kemendagri_code varchar);
create table index_results (instansi_id varchar, instansi_name varchar, category varchar, province varchar,
    year integer, framework_id varchar, assessment varchar, indeks double, predikat varchar,
    source_id varchar, year_attributed boolean, kind varchar, source_detail varchar, note varchar,
    provenance varchar, predikat_basis varchar, name_in_source varchar);
create table domain_results (instansi_id varchar, instansi_name varchar, year integer, framework_id varchar,
    assessment varchar, domain_code varchar, domain_name varchar, value double, source_id varchar,
    kind varchar, note varchar, provenance varchar);
create table indicator_results (instansi_id varchar, instansi_name varchar, year integer,
    framework_id varchar, assessment varchar, indicator_no integer, indicator_name varchar,
    aspect_code varchar, domain_code varchar, level double, source_id varchar, kind varchar, note varchar,
    provenance varchar);
create table national_results (year integer, scope varchar, statistic varchar, domain_code varchar,
    value double, source_id varchar, series varchar, source_detail varchar, comment varchar, framework_id varchar);
create table targets (scope varchar, instansi_id varchar, instansi_name varchar, year integer,
    target_indeks double, kind varchar, source_id varchar, note varchar);
create table build_info (built_at timestamp, seed_dir varchar, overlay varchar, rows_index integer);
"""


def read_csv(path: Path) -> list[dict]:
    if not path.exists():
        raise SeedError(f"{path.name}: file is missing from {path.parent}")
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _number(value: str, where: str, column: str, low: float, high: float, allow_empty: bool = False) -> float | None:
    if value == "" and allow_empty:
        return None
    try:
        x = float(value)
    except ValueError:
        raise SeedError(f"{where}: column {column!r} holds {value!r}, expected a number") from None
    if math.isnan(x) or not low <= x <= high:
        raise SeedError(f"{where}: column {column!r} holds {value!r}, expected {low:g} to {high:g}")
    return x


class Seeds:
    """The seed files read and checked against each other; every error names file, row and column."""

    def __init__(self, seed_dir: Path = SEED_DIR, overlay: Path | None = None):
        self.seed_dir = seed_dir
        self.overlay = overlay
        self.frameworks: dict[str, Framework] = load_frameworks(seed_dir)
        self.sources = read_csv(seed_dir / "sources.csv")
        if overlay is not None and (overlay / "sources.csv").exists():
            self.sources += read_csv(overlay / "sources.csv")  # each applied import cites itself as a source
        self.source_ids = {r["source_id"] for r in self.sources}
        self.assessments = read_csv(seed_dir / "assessments.csv")
        self.assessment_kind = {r["assessment"]: r["kind"] for r in self.assessments}
        self.instansi = read_csv(seed_dir / "instansi.csv")
        self._check_instansi()
        self.by_id = {r["instansi_id"]: r for r in self.instansi}
        self.index_rows = self._results("index_results.csv", self._check_index_row, ("instansi_id", "year", "assessment"))
        self.domain_rows = self._results(
            "domain_results.csv", self._check_domain_row, ("instansi_id", "year", "assessment", "domain_code")
        )
        self.indicator_rows = self._results(
            "indicator_results.csv",
            self._check_indicator_row,
            ("instansi_id", "year", "assessment", "indicator_no"),
            seed_rows=self._wide_levels(),
        )
        self.national = [self._check_national(n, r) for n, r in enumerate(read_csv(seed_dir / "national_results.csv"), 2)]
        self.targets = [self._check_target(n, r) for n, r in enumerate(read_csv(seed_dir / "targets.csv"), 2)]
        for fw in self.frameworks.values():
            for parent in fw.items:  # a parent's weight is the sum of its children's, or the arithmetic is not the regulation's
                kids = fw.children(parent)
                if kids and abs(sum(k.weight_pct for k in kids) - parent.weight_pct) > 1e-6:
                    raise SeedError(
                        f"framework_items.csv: {fw.framework_id} {parent.level} {parent.code} has weight {parent.weight_pct:g} "
                        f"but its children {[k.code for k in kids]} sum to {sum(k.weight_pct for k in kids):g}"
                    )
            for level in ("domain", "aspect", "indicator"):
                total = sum(i.weight_pct for i in fw.of_level(level))
                if fw.of_level(level) and abs(total - 100) > 1e-6:
                    raise SeedError(f"framework_items.csv: {fw.framework_id} {level} weights sum to {total:g}, expected 100")

    def _check_instansi(self) -> None:
        seen = set()
        for n, r in enumerate(self.instansi, 2):
            where = f"instansi.csv row {n}"
            if not r["instansi_id"] or r["instansi_id"] in seen:
                raise SeedError(f"{where}: instansi_id {r['instansi_id']!r} is empty or repeated")
            if r["category"] not in CATEGORIES:
                raise SeedError(f"{where}: column 'category' holds {r['category']!r}, expected one of {CATEGORIES}")
            seen.add(r["instansi_id"])

    def _wide_levels(self) -> list[tuple[str, dict]]:
        """The wide level seeds as long rows (where, row): one per instansi, year, assessment and indicator."""
        rows = []
        for name in WIDE_LEVEL_FILES:
            for n, r in enumerate(read_csv(self.seed_dir / name), 2):
                levels = {k: v for k, v in r.items() if k[:1] == "i" and k[1:].isdigit()}
                common = {k: v for k, v in r.items() if k not in levels}
                for col, level in levels.items():
                    rows.append((f"{name} row {n} column {col}", dict(common, indicator_no=col[1:], level=level, note="")))
        return rows

    def _check_provenance(self, where: str, r: dict) -> dict:
        if r.get("provenance") not in PROVENANCES:
            raise SeedError(f"{where}: column 'provenance' holds {r.get('provenance')!r}, expected one of {PROVENANCES}")
        if r.get("predikat_basis", "") not in ("", *PREDIKAT_BASES):
            raise SeedError(f"{where}: column 'predikat_basis' holds {r['predikat_basis']!r}, expected one of {PREDIKAT_BASES}")
        if r.get("predikat") and not r.get("predikat_basis") and "predikat_basis" in r:
            raise SeedError(f"{where}: a predikat needs its basis (printed by the source, or derived from the bands)")
        return r

    def _results(self, name: str, check, key: tuple[str, ...], seed_rows: list[tuple[str, dict]] = ()) -> list[dict]:
        rows = {}
        for where, r in seed_rows:
            r = self._check_provenance(where, check(where, r))
            k = tuple(str(r[c]) for c in key)
            if k in rows:
                raise SeedError(f"{where}: duplicate of an earlier row for {dict(zip(key, k, strict=True))}")
            rows[k] = r
        for origin in (self.seed_dir, self.overlay):
            if origin is None or not (origin / name).exists():
                continue
            for n, r in enumerate(read_csv(origin / name), 2):
                where = f"{name} row {n}" + (" (applied import)" if origin == self.overlay else "")
                r = dict(r)
                if origin == self.overlay:
                    r["provenance"] = "region_import"  # whatever the file says: it is the region's own
                r = self._check_provenance(where, check(where, r))
                k = tuple(str(r[c]) for c in key)
                if k in rows and origin == self.seed_dir:
                    raise SeedError(f"{where}: duplicate of an earlier row for {dict(zip(key, k, strict=True))}")
                rows[k] = r  # an applied import replaces the seed row with the same key
        return [rows[k] for k in sorted(rows)]

    def _sources(self, value: str, where: str, column: str = "source_id") -> str:
        for sid in filter(None, value.split(";")):
            if sid not in self.source_ids:
                raise SeedError(f"{where}: column {column!r} names unknown source {sid!r}; add it to sources.csv")
        if not value:
            raise SeedError(f"{where}: column {column!r} is empty; every value needs its source")
        return value

    def _common(self, where: str, r: dict) -> Framework:
        if r["instansi_id"] not in self.by_id:
            raise SeedError(f"{where}: unknown instansi_id {r['instansi_id']!r}")
        try:
            r["year"] = int(r["year"])
        except ValueError:
            raise SeedError(f"{where}: column 'year' holds {r['year']!r}, expected a year such as 2024") from None
        fw = self.frameworks.get(r["framework_id"])
        if fw is None:
            raise SeedError(f"{where}: unknown framework_id {r['framework_id']!r}, expected one of {sorted(self.frameworks)}")
        if not fw.covers(r["year"]):
            raise SeedError(f"{where}: framework {fw.framework_id} does not cover the year {r['year']}")
        if r["assessment"] not in self.assessment_kind:
            raise SeedError(
                f"{where}: column 'assessment' holds {r['assessment']!r}, expected one of {sorted(self.assessment_kind)}"
            )
        self._sources(r["source_id"], where)
        return fw

    def _check_index_row(self, where: str, r: dict) -> dict:
        fw = self._common(where, r)
        r["indeks"] = _number(r["indeks"], where, "indeks", 0, fw.level_max)
        if r["predikat"] and r["predikat"] not in {b.predikat for b in fw.bands}:
            raise SeedError(f"{where}: predikat {r['predikat']!r} is not a band of {fw.framework_id}")
        if r["year_attributed"] not in ("yes", "no"):
            raise SeedError(f"{where}: column 'year_attributed' holds {r['year_attributed']!r}, expected yes or no")
        return r

    def _check_domain_row(self, where: str, r: dict) -> dict:
        fw = self._common(where, r)
        if r["domain_code"] not in {i.code for i in fw.top_level}:
            raise SeedError(f"{where}: {fw.framework_id} has no domain {r['domain_code']!r}")
        r["value"] = _number(r["value"], where, "value", 0, fw.level_max, allow_empty=True)
        if r["value"] is None and not r.get("note"):
            raise SeedError(f"{where}: value is empty and no note says why")
        if r["value"] is not None and r["value"] < fw.level_min and not r.get("note"):
            raise SeedError(f"{where}: value {r['value']} is below the scale and no note explains it")
        return r

    def _check_indicator_row(self, where: str, r: dict) -> dict:
        fw = self._common(where, r)
        if r["indicator_no"] not in {i.code for i in fw.indicators}:
            raise SeedError(f"{where}: {fw.framework_id} has no indicator {r['indicator_no']!r}")
        level = _number(r["level"], where, "level", fw.level_min, fw.level_max)
        if not float(level).is_integer() and not fw.decimal_values:
            raise SeedError(f"{where}: column 'level' holds {r['level']!r}, expected a whole level {fw.level_min}-{fw.level_max}")
        r["level"] = int(level) if float(level).is_integer() else float(level)  # 8/2026 values may be decimal
        r["indicator_no"] = int(r["indicator_no"])
        return r

    def _check_national(self, n: int, r: dict) -> dict:
        where = f"national_results.csv row {n}"
        r["year"] = int(r["year"])
        r["value"] = _number(r["value"], where, "value", 0, 5)
        self._sources(r["source_id"], where)
        return r

    def _check_target(self, n: int, r: dict) -> dict:
        where = f"targets.csv row {n}"
        if r["instansi_id"] and r["instansi_id"] not in self.by_id:
            raise SeedError(f"{where}: unknown instansi_id {r['instansi_id']!r}")
        r["year"] = int(r["year"])
        r["target_indeks"] = _number(r["target_indeks"], where, "target_indeks", 1, 5)
        self._sources(r["source_ids"], where, "source_ids")
        return r

    # -- frames for the store -------------------------------------------------------------------
    def frames(self) -> dict[str, pd.DataFrame]:
        inst = self.by_id
        items = {(fid, i.level, i.code): i for fid, fw in self.frameworks.items() for i in fw.items}
        kind = self.assessment_kind

        def name(iid):
            return inst[iid]["instansi_name"]

        index = pd.DataFrame(
            [
                dict(
                    instansi_id=r["instansi_id"],
                    instansi_name=name(r["instansi_id"]),
                    category=inst[r["instansi_id"]]["category"],
                    province=inst[r["instansi_id"]]["province"] or None,
                    year=r["year"],
                    framework_id=r["framework_id"],
                    assessment=r["assessment"],
                    indeks=r["indeks"],
                    predikat=r["predikat"] or None,
                    source_id=r["source_id"],
                    year_attributed=r["year_attributed"] == "yes",
                    kind=kind[r["assessment"]],
                    source_detail=r.get("source_detail") or None,
                    note=r.get("note") or None,
                    provenance=r["provenance"],
                    predikat_basis=r.get("predikat_basis") or None,  # an import does not say; seeds must
                    name_in_source=r.get("name_in_source") or None,
                )
                for r in self.index_rows
            ]
        )
        domain = pd.DataFrame(
            [
                dict(
                    instansi_id=r["instansi_id"],
                    instansi_name=name(r["instansi_id"]),
                    year=r["year"],
                    framework_id=r["framework_id"],
                    assessment=r["assessment"],
                    domain_code=r["domain_code"],
                    domain_name=(
                        items.get((r["framework_id"], "domain", r["domain_code"]))
                        or items[(r["framework_id"], "aspect", r["domain_code"])]
                    ).name_id,
                    value=r["value"],
                    source_id=r["source_id"],
                    kind=kind[r["assessment"]],
                    note=r.get("note") or None,
                    provenance=r["provenance"],
                )
                for r in self.domain_rows
            ],
            columns=[
                "instansi_id",
                "instansi_name",
                "year",
                "framework_id",
                "assessment",
                "domain_code",
                "domain_name",
                "value",
                "source_id",
                "kind",
                "note",
                "provenance",
            ],
        )
        indicator_rows = []
        for r in self.indicator_rows:
            ind = items[(r["framework_id"], "indicator", str(r["indicator_no"]))]
            aspect = items.get((r["framework_id"], "aspect", ind.parent_code))
            indicator_rows.append(
                dict(
                    instansi_id=r["instansi_id"],
                    instansi_name=name(r["instansi_id"]),
                    year=r["year"],
                    framework_id=r["framework_id"],
                    assessment=r["assessment"],
                    indicator_no=r["indicator_no"],
                    indicator_name=ind.name_id,
                    aspect_code=ind.parent_code,
                    domain_code=aspect.parent_code if aspect else None,
                    level=r["level"],
                    source_id=r["source_id"],
                    kind=kind[r["assessment"]],
                    note=r.get("note") or None,
                    provenance=r["provenance"],
                )
            )
        indicator = pd.DataFrame(
            indicator_rows,
            columns=[
                "instansi_id",
                "instansi_name",
                "year",
                "framework_id",
                "assessment",
                "indicator_no",
                "indicator_name",
                "aspect_code",
                "domain_code",
                "level",
                "source_id",
                "kind",
                "note",
                "provenance",
            ],
        )
        national = pd.DataFrame(
            [
                dict(
                    year=r["year"],
                    scope=r["scope"],
                    statistic=r["statistic"],
                    domain_code=r["domain_code"] or None,
                    value=r["value"],
                    source_id=r["source_id"],
                    series=r["series"],
                    source_detail=r["source_detail"],
                    comment=r["comment"] or None,
                    # domain codes mean what the year's framework says: Layanan is D3 under 5/2018, D4 under 59/2020
                    framework_id=next(f.framework_id for f in self.frameworks.values() if f.covers(r["year"])),
                )
                for r in self.national
            ]
        )
        targets = pd.DataFrame(
            [
                dict(
                    scope=r["scope"],
                    instansi_id=r["instansi_id"] or None,
                    instansi_name=name(r["instansi_id"]) if r["instansi_id"] else None,
                    year=r["year"],
                    target_indeks=r["target_indeks"],
                    kind=r["kind"],
                    source_id=r["source_ids"],
                    note=r["note"] or None,
                )
                for r in self.targets
            ]
        )
        fw_items = pd.DataFrame(
            [
                dict(
                    framework_id=fid,
                    level=i.level,
                    code=i.code,
                    parent_code=i.parent_code or None,
                    name_id=i.name_id,
                    name_en=i.name_en or None,
                    weight_pct=i.weight_pct,
                    verified=i.verified,
                    level_scale=i.level_scale or None,
                )
                for fid, fw in self.frameworks.items()
                for i in fw.items
            ]
        )
        fws = pd.DataFrame(read_csv(self.seed_dir / "frameworks.csv")).replace("", None)
        bands = pd.DataFrame(read_csv(self.seed_dir / "predikat_bands.csv"))
        bands["upper_inclusive"] = bands["upper_inclusive"] == "yes"
        bands["lower_inclusive"] = bands["lower_inclusive"] != "no"
        return {
            "sources": pd.DataFrame(self.sources),
            "frameworks": fws,
            "framework_items": fw_items,
            "predikat_bands": bands,
            "level_names": pd.DataFrame(read_csv(self.seed_dir / "level_names.csv")),
            "assessments": pd.DataFrame(self.assessments),
            "instansi": pd.DataFrame(self.instansi).replace("", None),
            "index_results": index,
            "domain_results": domain,
            "indicator_results": indicator,
            "national_results": national,
            "targets": targets,
        }


def active_overlay() -> Path | None:
    """The applied import version (state_dir/imports/ACTIVE names its folder), or None."""
    pointer = state_dir() / "imports" / "ACTIVE"
    if not pointer.exists():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    folder = state_dir() / "imports" / name
    return folder if name and folder.is_dir() else None


def write_temp_store(seeds: Seeds, target: Path) -> Path:
    """Write the store to a temporary file beside target and return it (the caller moves it into place)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        con.execute(SCHEMA)
        for table, frame in seeds.frames().items():
            con.register("frame_in", frame)
            cols = ", ".join(frame.columns)
            con.execute(f"insert into {table} ({cols}) select {cols} from frame_in")
            con.unregister("frame_in")
        con.execute(
            "insert into build_info values (now(), ?, ?, ?)",
            [str(seeds.seed_dir), str(seeds.overlay or ""), len(seeds.index_rows)],
        )
        con.execute("checkpoint")
    finally:
        con.close()
    return tmp


def write_store(seeds: Seeds, target: Path) -> Path:
    """Write the store to a temporary file beside target, then move it into place atomically."""
    os.replace(write_temp_store(seeds, target), target)
    return target


@contextmanager
def build_lock(target: Path):
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_name(target.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build(seed_dir: Path = SEED_DIR, target: Path | None = None, overlay: Path | None | str = "active") -> Path:
    """Check the seeds (and the applied import) and write the store; SeedError if anything is wrong."""
    target = target or db_path()
    overlay = active_overlay() if overlay == "active" else overlay
    seeds = Seeds(seed_dir, overlay)
    with build_lock(target):
        return write_store(seeds, target)


def newest_input_mtime(seed_dir: Path = SEED_DIR) -> float:
    paths = [seed_dir / f for f in SEED_FILES]
    pointer = state_dir() / "imports" / "ACTIVE"
    paths.append(pointer)
    return max((p.stat().st_mtime for p in paths if p.exists()), default=0.0)


def is_stale(target: Path | None = None, seed_dir: Path = SEED_DIR) -> bool:
    target = target or db_path()
    return not target.exists() or target.stat().st_mtime < newest_input_mtime(seed_dir)


def ensure_db(target: Path | None = None, seed_dir: Path = SEED_DIR) -> Path:
    """Build the store if it is absent or older than its inputs; return its path."""
    target = target or db_path()
    if is_stale(target, seed_dir):
        with build_lock(target):
            if is_stale(target, seed_dir):  # another process may have built it meanwhile
                overlay = active_overlay()
                write_store(Seeds(seed_dir, overlay), target)
    return target


def main(argv: list[str]) -> int:
    """python -m spbe build: exit 0 with the path, or 2 with the seed error."""
    t0 = time.perf_counter()
    try:
        path = build()
    except SeedError as err:
        print(f"build failed: {err}", file=sys.stderr)
        return 2
    print(f"built {path} in {time.perf_counter() - t0:.2f} s")
    return 0
