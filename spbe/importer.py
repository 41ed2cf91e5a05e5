"""A region's own results, imported safely: validate, preview, apply atomically, roll back, audit.

Public API (pure apart from apply/rollback, which write state_dir() and the store):
    plan_upload(data, file_name) -> Plan          # read + validate + preview; writes nothing
    apply_upload(data, file_name, user, confirm_official=False, expected_base=ANY) -> Result
    apply_file(path, user, confirm_official=False) -> Result
    rollback(user) -> Result                      # back to the version the active one was applied on
    main(argv) -> int                             # python -m spbe import FILE ... | rollback

What a file may hold (one level per CSV or per sheet, told apart by its columns; see templates.py):
    indicator  instansi, year, assessment, indicator_no, level   (a whole level on the framework's scale)
    domain     instansi, year, assessment, domain_code, value    (the framework's top level)
    aspect     instansi, year, assessment, aspect_code, value    (only where aspects are the top level,
               i.e. PermenPANRB 8/2026; 59/2020 and 5/2018 aspect values are not stored: they follow
               from the indicator levels, which is what to upload instead)
    index      instansi, year, assessment, indeks [, predikat, source_detail]
The instansi is named by instansi (id, exact name or Kemendagri code) or instansi_id / instansi_name /
kemendagri_code; the framework follows from the year. Every row may carry a note.

Apply order (each step durable before the next; a kill at any point leaves old or new data serving):
    1. the new version folder (previous overlay + new rows) is written and fsynced under a temp name,
       then renamed into place: not yet pointed at, so a kill leaves the old data;
    2. the new store is built into a temp file beside the store (the seeds + overlay are validated again);
    3. the ACTIVE pointer is replaced atomically: from here a restart builds the new data, because the
       store is now older than the pointer (spbe.build.is_stale);
    4. the temp store is touched (newer than the pointer) and moved over the store: readers switch;
    5. the audit line is appended (if a kill lost it, versions.recover() writes it on the next run).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import difflib
import getpass
import hashlib
import json
import math
import os
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePath

import pandas as pd

from spbe import db, versions
from spbe.build import Seeds, build_lock, ensure_db, write_temp_store
from spbe.frameworks import Framework, SeedError, frameworks
from spbe.i18n import DEFAULT_LANG, fmt_delta, fmt_num, t
from spbe.import_read import Problem, Signed, Table, collapse, read_tables_limited, shown
from spbe.safe_text import md_escape
from spbe.scoring import index_from_levels, index_from_parts
from spbe.settings import SEED_DIR, db_path

EPS = 1e-9
TOLERANCE = 0.01  # the official tables reproduce an index from its parts within this
MAX_TEXT = 500
IMPORT_SOURCE_KIND = "regional import"
CRASH_EXIT = 75
ANY = object()  # expected_base not checked

IDENTIFIER_COLUMNS = ("instansi", "instansi_id", "instansi_name", "kemendagri_code")
ALIASES = {
    "instansi": "instansi",
    "instansi_id": "instansi_id",
    "id_instansi": "instansi_id",
    "kode_instansi": "instansi_id",
    "instansi_name": "instansi_name",
    "nama_instansi": "instansi_name",
    "kemendagri_code": "kemendagri_code",
    "kode_kemendagri": "kemendagri_code",
    "year": "year",
    "tahun": "year",
    "assessment": "assessment",
    "penilaian": "assessment",
    "jenis_penilaian": "assessment",
    "framework_id": "framework_id",
    "kerangka": "framework_id",
    "indicator_no": "indicator_no",
    "indikator": "indicator_no",
    "no_indikator": "indicator_no",
    "nomor_indikator": "indicator_no",
    "indicator_name": "indicator_name",
    "nama_indikator": "indicator_name",
    "level": "level",
    "tingkat": "level",
    "tingkat_kematangan": "level",
    "domain_code": "domain_code",
    "domain": "domain_code",
    "kode_domain": "domain_code",
    "domain_name": "domain_name",
    "nama_domain": "domain_name",
    "aspect_code": "aspect_code",
    "aspek": "aspect_code",
    "kode_aspek": "aspect_code",
    "aspect_name": "aspect_name",
    "nama_aspek": "aspect_name",
    "value": "value",
    "nilai": "value",
    "indeks": "indeks",
    "index": "indeks",
    "indeks_spbe": "indeks",
    "predikat": "predikat",
    "source_detail": "source_detail",
    "rincian_sumber": "source_detail",
    "note": "note",
    "catatan": "note",
    "keterangan": "note",
}
ASSESSMENT_ALIASES = {
    "resmi": "official",
    "mandiri": "self_assessment",
    "penilaian_mandiri": "self_assessment",
    "evaluasi_dokumen": "desk_evaluation",
    "evaluasi_wawancara": "interview_evaluation",
}


@dataclass(frozen=True)
class LevelSpec:
    level: str
    signal: str  # the column that tells this level apart
    value_column: str
    optional: tuple[str, ...]
    reference: tuple[str, ...]  # prefilled by the template; not input

    @property
    def required(self) -> tuple[str, ...]:
        return ("year", "assessment", self.signal, self.value_column)


SPECS = {
    "indicator": LevelSpec(
        "indicator", "indicator_no", "level", ("framework_id", "note", "indicator_name"), ("indicator_no", "indicator_name")
    ),
    "aspect": LevelSpec(
        "aspect", "aspect_code", "value", ("framework_id", "note", "aspect_name"), ("aspect_code", "aspect_name")
    ),
    "domain": LevelSpec(
        "domain", "domain_code", "value", ("framework_id", "note", "domain_name"), ("domain_code", "domain_name")
    ),
    "index": LevelSpec("index", "indeks", "indeks", ("framework_id", "note", "predikat", "source_detail"), ()),
}
SIGNALS = {spec.signal: spec.level for spec in SPECS.values()}


# -- reference data --------------------------------------------------------------------------------
@dataclass
class Reference:
    names: dict[str, str]  # instansi_id -> name
    by_name: dict[str, str]  # normalised name -> id
    by_code: dict[str, str]  # kemendagri code -> id
    assessment_kind: dict[str, str]
    frameworks: dict[str, Framework]

    def framework_for(self, year: int) -> Framework | None:
        for fw in self.frameworks.values():
            if fw.covers(year):
                return fw
        return None

    @property
    def first_year(self) -> int:
        return min(fw.first_year for fw in self.frameworks.values())

    @property
    def importable(self) -> list[str]:
        return sorted(a for a, kind in self.assessment_kind.items() if kind != "illustration")


def norm_name(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def load_reference() -> Reference:
    inst = db.run("instansi_list")
    names = dict(zip(inst["instansi_id"], inst["instansi_name"], strict=True))
    by_name = {norm_name(n): i for i, n in names.items()}
    by_code = {
        str(c).strip(): i
        for i, c in zip(inst["instansi_id"], inst["kemendagri_code"], strict=True)
        if isinstance(c, str) and c.strip()
    }
    kinds = db.run("import_assessments")
    return Reference(names, by_name, by_code, dict(zip(kinds["assessment"], kinds["kind"], strict=True)), frameworks())


def short_regulation(fw: Framework) -> str:
    return fw.regulation.split(" tentang")[0]


# -- validated rows -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    level: str  # index | domain | indicator (an 8/2026 aspect is stored as its top-level "domain")
    instansi_id: str
    year: int
    framework_id: str
    assessment: str
    code: str
    value: float
    sheet: str | None
    row: int
    predikat: str = ""
    source_detail: str = ""
    note: str = ""
    given: tuple[str, ...] = ()  # the text fields the file fills in (only those can be corrections)

    @property
    def key(self) -> tuple:
        return (self.level, self.instansi_id, self.year, self.assessment, self.code)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)$")


def parse_number(value) -> tuple[float | None, bool]:
    """(number, ok): None with ok=True for an empty cell; a decimal comma is read as a decimal point."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, True
    if isinstance(value, bool) or isinstance(value, dt.datetime | dt.date):
        return None, False
    if isinstance(value, int | float):
        x = float(value)
        return (x, True) if math.isfinite(x) else (None, False)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not NUMBER_RE.match(text):
        return None, False
    return float(text.replace(",", ".")), True


def parse_year(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = cell_text(value)
    return int(text) if re.fullmatch(r"\d{4}", text) else None


def code_text(value) -> str:
    """A code as written: 12, 12.0 and '12' are the same indicator; 'd1' is D1."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return cell_text(value).upper()


def kemendagri_text(value) -> str:
    if isinstance(value, float):
        return f"{value:.2f}" if not value.is_integer() else str(int(value))
    return cell_text(value)


class RowCheck:
    """Validates one data row of one table; collects every problem of the row, not just the first."""

    def __init__(
        self, ref: Reference, file_name: str, table: Table, spec: LevelSpec, columns: dict[str, int], number: int, cells: list
    ):
        self.ref, self.file, self.table, self.spec = ref, file_name, table, spec
        self.columns, self.number, self.cells = columns, number, cells
        self.problems: list[Problem] = []

    def raw(self, canonical: str):
        i = self.columns.get(canonical)
        return None if i is None else self.cells[i]

    def header(self, canonical: str) -> str:
        i = self.columns.get(canonical)
        return self.table.header[i] if i is not None else canonical

    def problem(self, code: str, column: str | None = None, value=None, severity: str = "error", **params) -> None:
        self.problems.append(
            Problem(
                code,
                self.file,
                self.table.sheet,
                self.number,
                self.header(column) if column else None,
                shown(value) if value is not None else None,
                tuple(params.items()),
                severity,
            )
        )

    def required_text(self, canonical: str) -> str | None:
        text = cell_text(self.raw(canonical))
        if not text:
            self.problem("empty_value_xlsx" if self.table.sheet else "empty_value", canonical)
            return None
        return text

    def instansi(self) -> str | None:
        found: dict[str, str] = {}
        given = False
        for col in IDENTIFIER_COLUMNS:
            if col not in self.columns:
                continue
            raw = self.raw(col)
            text = kemendagri_text(raw) if col == "kemendagri_code" else cell_text(raw)
            if not text:
                continue
            given = True
            iid = self._lookup(col, text)
            if iid:
                found[col] = iid
                continue
            names = list(self.ref.by_name)
            close = difflib.get_close_matches(norm_name(text), names, n=1, cutoff=0.85)
            close = close or difflib.get_close_matches(text.casefold(), list(self.ref.names), n=1, cutoff=0.85)
            if close:
                iid = self.ref.by_name.get(close[0], close[0])
                self.problem("unknown_instansi_suggest", col, raw, name=self.ref.names[iid], id=iid)
            else:
                self.problem("unknown_instansi", col, raw)
        if not given:
            first = next(c for c in IDENTIFIER_COLUMNS if c in self.columns)
            self.problem("empty_value_xlsx" if self.table.sheet else "empty_value", first)
            return None
        ids = sorted(set(found.values()))
        if len(ids) > 1:
            self.problem("instansi_disagree", None, None, first=ids[0], second=ids[1])
            return None
        return ids[0] if ids else None

    def _lookup(self, col: str, text: str) -> str | None:
        if col in ("instansi_id", "instansi") and text in self.ref.names:
            return text
        if col in ("instansi_id", "instansi") and text.lower() in self.ref.names:
            return text.lower()
        if col in ("instansi_name", "instansi") and norm_name(text) in self.ref.by_name:
            return self.ref.by_name[norm_name(text)]
        if col in ("kemendagri_code", "instansi") and text in self.ref.by_code:
            return self.ref.by_code[text]
        return None

    def year_and_framework(self) -> tuple[int | None, Framework | None]:
        raw = self.raw("year")
        if not cell_text(raw):
            self.required_text("year")
            return None, None
        year = parse_year(raw)
        if year is None:
            self.problem("bad_year", "year", raw)
            return None, None
        fw = self.ref.framework_for(year)
        if fw is None:
            self.problem("year_no_framework", "year", raw, first=self.ref.first_year)
            return None, None
        this_year = versions.utc_now().year
        if year > this_year:
            self.problem("year_future", "year", raw, current=this_year)
            return None, None
        given = cell_text(self.raw("framework_id")) if "framework_id" in self.columns else ""
        if given and given not in self.ref.frameworks:
            self.problem("unknown_framework", "framework_id", given, expected=", ".join(sorted(self.ref.frameworks)))
            return year, None
        if given and given != fw.framework_id:
            self.problem("framework_mismatch", "framework_id", given, expected=fw.framework_id, year=year)
            return year, None
        if fw.verified == "no":
            # the structure is from third-party summaries: storing levels or values under it would be a guess
            self.problem("framework_unverified", "year", raw, year=year, framework=short_regulation(fw))
            return year, None
        return year, fw

    def assessment(self) -> str | None:
        text = self.required_text("assessment")
        if text is None:
            return None
        code = text.strip().lower().replace(" ", "_").replace("-", "_")
        code = ASSESSMENT_ALIASES.get(code, code)
        kind = self.ref.assessment_kind.get(code)
        if kind == "illustration":
            self.problem("assessment_illustration", "assessment", self.raw("assessment"), expected=", ".join(self.ref.importable))
            return None
        if kind is None:
            self.problem("unknown_assessment", "assessment", self.raw("assessment"), expected=", ".join(self.ref.importable))
            return None
        return code

    def code(self, fw: Framework | None) -> tuple[str | None, str]:
        """(code, stored level) for the level's signal column."""
        spec = self.spec
        if spec.level == "index":
            return "", "index"
        raw = self.raw(spec.signal)
        text = code_text(raw)
        if not text:
            self.required_text(spec.signal)
            return None, spec.level
        if fw is None:
            return None, spec.level
        label = short_regulation(fw)
        if spec.level == "indicator":
            codes = [i.code for i in fw.indicators]
            if text not in codes:
                self.problem("unknown_indicator", spec.signal, raw, framework=label, first=codes[0], last=codes[-1])
                return None, "indicator"
            name_given = cell_text(self.raw("indicator_name")) if "indicator_name" in self.columns else ""
            expected = fw.item("indicator", text).name_id
            if name_given and norm_name(name_given) != norm_name(expected):
                other = self._other_framework(name_given, fw)
                if other is not None:  # e.g. the 59/2020 template dated 2026: its indicators are not 8/2026's
                    self.problem(
                        "indicator_other_framework",
                        "indicator_name",
                        name_given,
                        other=short_regulation(other),
                        year=self.raw("year"),
                        framework=label,
                    )
                    return None, "indicator"
                self.problem(
                    "indicator_name_mismatch", "indicator_name", name_given, severity="warning", expected=expected, number=text
                )
            return text, "indicator"
        if spec.level == "aspect" and fw.domains:
            self.problem("aspect_not_stored", spec.signal, raw, framework=label)
            return None, "domain"
        codes = [i.code for i in (fw.aspects if spec.level == "aspect" else fw.top_level)]
        if text not in codes:
            code_kind = "unknown_aspect" if spec.level == "aspect" else "unknown_domain"
            self.problem(code_kind, spec.signal, raw, framework=label, expected=", ".join(codes))
            return None, "domain"
        return text, "domain"

    def _other_framework(self, name: str, fw: Framework) -> Framework | None:
        """The framework whose indicator this name is, when it is not the year's framework."""
        wanted = norm_name(name)
        for other in self.ref.frameworks.values():
            if other.framework_id != fw.framework_id and any(norm_name(i.name_id) == wanted for i in other.indicators):
                return other
        return None

    def value(self, fw: Framework | None) -> float | None:
        spec = self.spec
        raw = self.raw(spec.value_column)
        if not cell_text(raw):
            self.required_text(spec.value_column)
            return None
        x, ok = parse_number(raw)
        if not ok or x is None:
            self.problem("not_a_number", spec.value_column, raw)
            return None
        low = fw.level_min if fw else min(f.level_min for f in self.ref.frameworks.values())
        high = fw.level_max if fw else max(f.level_max for f in self.ref.frameworks.values())
        label = short_regulation(fw) if fw else "-"
        if spec.level == "indicator":
            if not low <= x <= high:
                self.problem("level_out_of_scale", spec.value_column, raw, min=low, max=high, framework=label)
                return None
            if not x.is_integer() and not (fw is not None and fw.decimal_values):  # 8/2026 values may be decimal
                self.problem("level_not_whole", spec.value_column, raw, min=low, max=high)
                return None
            return x
        if not low <= x <= high:
            code = "index_out_of_range" if spec.level == "index" else "value_out_of_scale"
            self.problem(code, spec.value_column, raw, min=low, max=high, framework=label)
            return None
        return x

    def text(self, canonical: str) -> str:
        if canonical not in self.columns:
            return ""
        text = cell_text(self.raw(canonical))
        if len(text) > MAX_TEXT:
            self.problem("text_too_long", canonical, text, limit=MAX_TEXT)
            return ""
        if any(not ch.isprintable() and ch != "\n" for ch in text):
            self.problem("text_control", canonical, text)
            return ""
        return text

    def predikat(self, fw: Framework | None, value: float | None) -> str:
        given = self.text("predikat")
        if fw is None:
            return given
        band = fw.band_for(value) if value is not None else None
        if not given:
            return band.predikat if band else ""  # the framework's band for the value (its own rule)
        names = {b.predikat.casefold(): b.predikat for b in fw.bands} | {b.name_en.casefold(): b.predikat for b in fw.bands}
        canonical = names.get(given.casefold())
        if canonical is None:
            self.problem("unknown_predikat", "predikat", given, expected=", ".join(b.predikat for b in fw.bands))
            return ""
        if band and band.predikat != canonical:
            self.problem("predikat_mismatch", "predikat", given, severity="warning", expected=band.predikat)
        return canonical

    def check(self) -> Row | None:
        iid = self.instansi()
        year, fw = self.year_and_framework()
        assessment = self.assessment()
        code, stored_level = self.code(fw)
        value = self.value(fw)
        note = self.text("note")
        detail = self.text("source_detail")
        predikat = self.predikat(fw, value) if self.spec.level == "index" else ""
        if any(p.severity == "error" for p in self.problems):
            return None
        given = tuple(
            name
            for name in ("note", "source_detail", "predikat")
            if name in self.columns and cell_text(self.raw(name)) and (name != "predikat" or self.spec.level == "index")
        )
        return Row(
            stored_level,
            iid,
            year,
            fw.framework_id,
            assessment,
            code,
            value,
            self.table.sheet,
            self.number,
            predikat=predikat,
            source_detail=detail,
            note=note,
            given=given,
        )


def header_columns(table: Table, file_name: str) -> tuple[LevelSpec | None, dict[str, int], list[Problem]]:
    """The table's level and canonical column positions, or the problems with its header."""
    problems = []
    columns: dict[str, int] = {}

    def problem(code, column=None, value=None, **params):
        problems.append(Problem(code, file_name, table.sheet, table.header_row, column, value, tuple(params.items())))

    for i, name in enumerate(table.header):
        key = re.sub(r"[\s\-./]+", "_", name.replace("\ufeff", "").strip().lower()).strip("_")
        if not key:
            if any(cell_text(cells[i]) for _, cells in table.rows):
                problem("unnamed_column", value=f"#{i + 1}")
            continue
        canonical = ALIASES.get(key)
        if canonical is None:
            problem("unknown_column", name, shown(name), accepted=", ".join(sorted(set(ALIASES.values()))))
            continue
        if canonical in columns:
            problem("duplicate_column", name, shown(name), first=table.header[columns[canonical]])
            continue
        columns[canonical] = i
    signals = [s for s in SIGNALS if s in columns]
    if len(signals) > 1:
        problem("ambiguous_level", value=", ".join(table.header[columns[s]] for s in signals))
        return None, columns, problems
    if not signals:
        problem("no_level", expected=", ".join(SIGNALS))
        return None, columns, problems
    spec = SPECS[SIGNALS[signals[0]]]
    for col in spec.required:
        if col not in columns:
            problem("missing_column", col, level=spec.level, required=", ".join(spec.required))
    if not any(c in columns for c in IDENTIFIER_COLUMNS):
        problem("missing_identifier", "instansi", expected=", ".join(IDENTIFIER_COLUMNS))
    allowed = set(spec.required) | set(spec.optional) | set(IDENTIFIER_COLUMNS)
    for col, i in columns.items():
        if col not in allowed:
            problem(
                "column_not_for_level",
                table.header[i],
                shown(table.header[i]),
                level=spec.level,
                accepted=", ".join(sorted(allowed)),
            )
    return spec, columns, problems


def validate_tables(tables: list[Table], file_name: str, ref: Reference) -> tuple[list[Row], list[Problem]]:
    rows: list[Row] = []
    problems: list[Problem] = []
    seen: dict[tuple, Row] = {}
    for table in tables:
        spec, columns, header_problems = header_columns(table, file_name)
        problems += header_problems
        if spec is None or header_problems:
            continue
        inputs = [i for c, i in columns.items() if c not in spec.reference]
        for number, cells in table.rows:
            if all(not cell_text(cells[i]) for i in inputs):
                continue  # a template row left unfilled
            check = RowCheck(ref, file_name, table, spec, columns, number, cells)
            row = check.check()
            problems += check.problems
            if row is None:
                continue
            first = seen.get(row.key)
            if first is not None:
                code = "duplicate_row" if first.sheet == row.sheet else "duplicate_row_sheet"
                problems.append(
                    Problem(
                        code,
                        file_name,
                        table.sheet,
                        number,
                        None,
                        None,
                        (("first_row", first.row), ("first_sheet", first.sheet or "")),
                    )
                )
                continue
            seen[row.key] = row
            rows.append(row)
    if not rows and not any(p.severity == "error" for p in problems):
        problems.append(Problem("no_data", file_name))
    return rows, problems


# -- preview ---------------------------------------------------------------------------------------------
TEXT_FIELDS = ("note", "predikat", "source_detail")


@dataclass(frozen=True)
class Change:
    row: Row
    status: str  # added | changed | unchanged
    old: float | None
    published: float | None  # the published official figure for the same key, when there is one
    old_text: tuple[tuple[str, str], ...] = ()  # the stored note / predikat / source detail
    text_changes: tuple[str, ...] = ()  # the text fields this row corrects

    def kept_text(self, name: str) -> str:
        """The text to store: the file's where it gives one, else what is stored now."""
        if name in self.row.given:
            return getattr(self.row, name)
        return dict(self.old_text).get(name, "") or getattr(self.row, name)


@dataclass(frozen=True)
class Recomputed:
    instansi_id: str
    year: int
    assessment: str
    framework_id: str
    basis: str  # indicators | domains
    value: float | None
    missing: int
    reference: float | None  # the index for the same assessment after the import (uploaded or stored)
    official: float | None  # the official index held for the instansi and year

    @property
    def difference(self) -> float | None:
        return None if self.value is None or self.reference is None else self.value - self.reference

    @property
    def warn(self) -> bool:
        return self.difference is not None and abs(self.difference) > TOLERANCE + EPS


@lru_cache(maxsize=4)
def _published(seed_dir: str, stamp: tuple) -> dict[tuple, float]:
    out = {}
    specs = (
        ("index_results.csv", "index", "", "indeks"),
        ("domain_results.csv", "domain", "domain_code", "value"),
        ("indicator_results.csv", "indicator", "indicator_no", "level"),
    )
    for name, level, code_col, value_col in specs:
        path = Path(seed_dir) / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                if r["assessment"] == "official" and r.get(value_col, "") != "":
                    out[(level, r["instansi_id"], int(r["year"]), "official", r[code_col] if code_col else "")] = float(
                        r[value_col]
                    )
    return out


def published_official(seed_dir: Path = SEED_DIR) -> dict[tuple, float]:
    """The official figures as published (the seed files), by (level, instansi_id, year, 'official', code)."""
    stamp = tuple(
        (seed_dir / n).stat().st_mtime_ns
        for n in ("index_results.csv", "domain_results.csv", "indicator_results.csv")
        if (seed_dir / n).exists()
    )
    return _published(str(seed_dir), stamp)


@dataclass
class Plan:
    file_name: str
    sha256: str
    size: int
    data: bytes = field(repr=False)
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    recomputed: list[Recomputed] = field(default_factory=list)
    base_version: str | None = None
    names: dict[str, str] = field(default_factory=dict)
    validated: list[Problem] = field(default_factory=list)  # the read and validation findings, before the preview

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def confirmations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "confirm"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "info"]

    @property
    def findings(self) -> list[Problem]:
        """What the findings list shows: everything but the notes."""
        return [p for p in self.problems if p.severity != "info"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, status: str) -> int:
        return sum(1 for c in self.changes if c.status == status)

    # frames for people: numbers as text in the page's language
    def changes_frame(self, lang: str) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    t("import.col.status", lang): t(f"import.status.{c.status}", lang),
                    t("import.col.level", lang): t(f"import.level.{c.row.level}", lang),
                    t("import.col.instansi", lang): self.names.get(c.row.instansi_id, c.row.instansi_id),
                    t("import.col.year", lang): str(c.row.year),
                    t("import.col.assessment", lang): t(f"assessment.{c.row.assessment}", lang),
                    t("import.col.code", lang): c.row.code,
                    t("import.col.old", lang): fmt_num(c.old, lang, _digits(c)),
                    t("import.col.new", lang): fmt_num(c.row.value, lang, _digits(c)),
                    t("import.col.published", lang): fmt_num(c.published, lang, _digits(c)),
                    t("import.col.text_change", lang): "; ".join(
                        f"{t(f'import.text_field.{n}', lang)}: '{shown(dict(c.old_text).get(n, ''))}' → '{shown(getattr(c.row, n))}'"
                        for n in c.text_changes
                    ),
                    t("import.col.origin", lang): (f"{c.row.sheet} · " if c.row.sheet else "") + str(c.row.row),
                }
                for c in self.changes
            ]
        )

    def recomputed_frame(self, lang: str) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    t("import.col.instansi", lang): self.names.get(r.instansi_id, r.instansi_id),
                    t("import.col.year", lang): str(r.year),
                    t("import.col.assessment", lang): t(f"assessment.{r.assessment}", lang),
                    t("import.col.basis", lang): t(f"import.basis.{r.basis}", lang),
                    t("import.col.recomputed", lang): fmt_num(r.value, lang)
                    if r.value is not None
                    else t("import.missing_parts", lang, count=r.missing),
                    t("import.col.reference", lang): fmt_num(r.reference, lang),
                    t("import.col.difference", lang): fmt_delta(r.difference, lang, 3),
                    t("import.col.official", lang): fmt_num(r.official, lang),
                    t("import.col.check", lang): t(
                        "import.check.warn"
                        if r.warn
                        else ("import.check.ok" if r.difference is not None else "import.check.none"),
                        lang,
                    ),
                }
                for r in self.recomputed
            ]
        )

    def problems_frame(self, lang: str) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    t("import.col.severity", lang): t(f"import.severity.{p.severity}", lang),
                    t("import.col.sheet", lang): p.sheet or "",
                    t("import.col.row", lang): "" if p.row is None else str(p.row),
                    t("import.col.column", lang): p.column or "",
                    t("import.col.value", lang): p.value if p.value is not None else "",
                    t("import.col.message", lang): p.detail(lang),
                }
                for p in self.problems
            ]
        )

    def summary_lines(self, lang: str, limit: int = 500) -> list[str]:
        lines = [
            t("import.summary.file", lang, name=self.file_name, sha=self.sha256[:12], rows=len(self.rows)),
            t(
                "import.summary.counts",
                lang,
                added=self.count("added"),
                changed=self.count("changed"),
                unchanged=self.count("unchanged"),
            ),
        ]
        shown_changes = [c for c in self.changes if c.status != "unchanged"]
        for c in shown_changes[:limit]:
            digits = _digits(c)
            lines.append(
                "  "
                + t(
                    "import.summary.change",
                    lang,
                    status=t(f"import.status.{c.status}", lang),
                    level=t(f"import.level.{c.row.level}", lang),
                    instansi=self.names.get(c.row.instansi_id, c.row.instansi_id),
                    year=c.row.year,
                    assessment=t(f"assessment.{c.row.assessment}", lang),
                    code=c.row.code or "-",
                    old=fmt_num(c.old, lang, digits),
                    new=fmt_num(c.row.value, lang, digits),
                )
                + "".join(
                    f"; {t(f'import.text_field.{n}', lang)}: '{shown(dict(c.old_text).get(n, ''))}' → '{shown(getattr(c.row, n))}'"
                    for n in c.text_changes
                )
            )
        if len(shown_changes) > limit:
            lines.append("  " + t("import.summary.more", lang, count=len(shown_changes) - limit))
        for r in self.recomputed:
            key = "import.summary.recomputed_warn" if r.warn else "import.summary.recomputed"
            lines.append(
                t(
                    key,
                    lang,
                    instansi=self.names.get(r.instansi_id, r.instansi_id),
                    year=r.year,
                    assessment=t(f"assessment.{r.assessment}", lang),
                    basis=t(f"import.basis.{r.basis}", lang),
                    value=fmt_num(r.value, lang) if r.value is not None else t("import.missing_parts", lang, count=r.missing),
                    reference=fmt_num(r.reference, lang),
                    difference=fmt_delta(r.difference, lang),
                    official=fmt_num(r.official, lang),
                )
            )
        return lines


def preview(plan: Plan, ref: Reference) -> None:
    """Fill in what the rows would add or change, official conflicts, and the recomputed indices."""
    ids = sorted({r.instansi_id for r in plan.rows})
    current_frame = db.run("import_current", instansi_ids=ids)
    current = {
        (r.level, r.instansi_id, int(r.year), r.assessment, r.code): float(r.value)
        for r in current_frame.itertuples()
        if not pd.isna(r.value)
    }
    texts = {
        (r.level, r.instansi_id, int(r.year), r.assessment, r.code): tuple(
            (name, "" if pd.isna(getattr(r, name)) else str(getattr(r, name))) for name in TEXT_FIELDS
        )
        for r in current_frame.itertuples()
    }
    published = published_official()
    plan.names = {i: ref.names[i] for i in ids}
    for row in plan.rows:
        old = current.get(row.key)
        old_text = texts.get(row.key, ())
        stored = dict(old_text)
        corrected = tuple(n for n in row.given if row.key in texts and getattr(row, n) != stored.get(n, ""))
        value_same = old is not None and abs(old - row.value) <= EPS
        status = "added" if old is None else ("unchanged" if value_same and not corrected else "changed")
        pub = published.get(row.key) if row.assessment == "official" else None
        plan.changes.append(Change(row, status, old, pub, old_text, corrected))
        if pub is not None and not value_same and abs(pub - row.value) > EPS:
            plan.problems.append(
                Problem(
                    "official_conflict",
                    plan.file_name,
                    row.sheet,
                    row.row,
                    None,
                    shown(row.value),
                    (
                        ("instansi", ref.names[row.instansi_id]),
                        ("year", row.year),
                        ("what", row.code or "indeks"),
                        ("published", pub),
                        ("new", row.value),
                        ("difference", Signed(row.value - pub)),
                    ),
                    "confirm",
                )
            )
    after = dict(current)
    after.update({row.key: row.value for row in plan.rows})
    groups = defaultdict(set)
    for row in plan.rows:
        if row.level in ("indicator", "domain"):
            groups[(row.instansi_id, row.year, row.assessment, row.framework_id)].add(row.level)
    for (iid, year, assessment, fid), levels in sorted(groups.items()):
        fw = ref.frameworks[fid]
        reference = after.get(("index", iid, year, assessment, ""))
        official = after.get(("index", iid, year, "official", ""))
        for level in ("indicator", "domain"):
            if level not in levels:
                continue
            if level == "indicator":
                values = {i.code: after.get(("indicator", iid, year, assessment, i.code)) for i in fw.indicators}
                score = index_from_levels(fw, {k: v for k, v in values.items() if v is not None})
            else:
                values = {i.code: after.get(("domain", iid, year, assessment, i.code)) for i in fw.top_level}
                score = index_from_parts(fw, values)
            missing = sum(1 for v in values.values() if v is None)
            rec = Recomputed(
                iid,
                year,
                assessment,
                fid,
                "indicators" if level == "indicator" else "domains",
                score.value,
                missing,
                reference,
                official,
            )
            plan.recomputed.append(rec)
            if level == "indicator" and missing:
                plan.problems.append(
                    Problem(
                        "incomplete_levels",
                        plan.file_name,
                        params=(
                            ("instansi", ref.names[iid]),
                            ("year", year),
                            ("assessment", assessment),
                            ("count", len(values) - missing),
                            ("total", len(values)),
                            ("missing_codes", _code_list([k for k, v in values.items() if v is None])),
                        ),
                        severity="warning",
                    )
                )
            if rec.warn:
                plan.problems.append(
                    Problem(
                        "index_mismatch",
                        plan.file_name,
                        None,
                        None,
                        None,
                        None,
                        (
                            ("instansi", ref.names[iid]),
                            ("year", year),
                            ("assessment", assessment),
                            ("basis", rec.basis),
                            ("recomputed", rec.value),
                            ("reference", reference),
                            ("difference", Signed(rec.difference)),
                        ),
                        "confirm",  # applied only when confirmed, as an official change is
                    )
                )


def _code_list(codes: list[str], limit: int = 12) -> str:
    shown_codes = ", ".join(codes[:limit])
    return shown_codes + (f", … (+{len(codes) - limit})" if len(codes) > limit else "")


def plan_upload(data: bytes, file_name: str) -> Plan:
    """Read (under limits, in a child process), validate and preview an upload. Writes nothing."""
    file_name = PurePath(file_name).name or "upload"
    plan = Plan(file_name, hashlib.sha256(data).hexdigest(), len(data), data, base_version=versions.active_name())
    tables, problems = read_tables_limited(data, file_name)
    plan.problems += problems
    if plan.errors:
        return plan
    ref = load_reference()
    rows, problems = validate_tables(tables, file_name, ref)
    skipped = [p.sheet for p in plan.problems if p.code == "sheet_skipped"]
    if skipped and any(p.code == "no_data" for p in problems):
        problems = [
            Problem("no_data_skipped", file_name, params=(("sheets", ", ".join(f"'{n}'" for n in skipped)),))
            if p.code == "no_data"
            else p
            for p in problems
        ]
    plan.problems += problems
    plan.problems = collapse(plan.problems)
    if plan.errors:
        return plan
    plan.rows = rows
    plan.validated = list(plan.problems)
    preview(plan, ref)
    return plan


def replan(plan: Plan) -> Plan:
    """The same validated rows previewed again against the data served now (no second read of the file)."""
    if plan.errors:
        return plan  # refused on reading or validation: nothing to preview again
    fresh = Plan(
        plan.file_name,
        plan.sha256,
        plan.size,
        plan.data,
        rows=list(plan.rows),
        problems=list(plan.validated),
        base_version=versions.active_name(),
        validated=list(plan.validated),
    )
    if not fresh.errors:
        preview(fresh, load_reference())
    return fresh


# -- apply and rollback ---------------------------------------------------------------------------------
@dataclass
class Result:
    ok: bool
    action: str  # apply | rollback | none (nothing to change) | dry_run | refused
    version: str | None = None  # the version serving afterwards (None: the seeds only)
    previous_version: str | None = None
    plan: Plan | None = None
    problems: list[Problem] = field(default_factory=list)
    rows_added: int = 0
    rows_changed: int = 0

    @property
    def needs_confirmation(self) -> bool:
        return not self.ok and bool(self.problems) and all(p.severity != "error" for p in self.problems)

    @property
    def exit_code(self) -> int:
        if self.ok:
            return 0
        if self.needs_confirmation:
            return 3
        return 1 if any(p.code in ("store_rejected", "store_failed") for p in self.problems) else 2


def checkpoint(stage: str) -> None:
    """Test-only hooks: SPBE_TEST_CRASH_AT=<stage> exits at once; SPBE_TEST_PAUSE_AT=<stage>:<s> sleeps."""
    if os.environ.get("SPBE_TEST_CRASH_AT") == stage:
        os._exit(CRASH_EXIT)
    pause = os.environ.get("SPBE_TEST_PAUSE_AT", "")
    if pause.startswith(stage + ":"):
        print(f"SPBE_TEST paused at {stage}", file=sys.stderr, flush=True)
        time.sleep(float(pause.split(":", 1)[1]))


def _digits(c) -> int:
    """Decimals shown for a change: whole levels as 3, an 8/2026 decimal value as 1,26 (never rounded to a level)."""
    values = [v for v in (c.old, c.row.value, c.published) if v is not None and v == v]
    return 0 if c.row.level == "indicator" and all(float(v).is_integer() for v in values) else 2


def number_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.10g}"


def safe_label(text: str, limit: int = 80) -> str:
    """A file or person's name as stored in the sources table: printable, no markup characters."""
    text = "".join(ch for ch in str(text) if ch.isprintable() and ch not in "<>[]()`*_#|\\")
    return " ".join(text.split())[:limit] or "-"


def overlay_row(row: Row, source_id: str, change: Change | None = None) -> tuple[str, tuple, dict]:
    def text(name: str) -> str:
        return change.kept_text(name) if change is not None else getattr(row, name)

    common = {
        "instansi_id": row.instansi_id,
        "year": str(row.year),
        "framework_id": row.framework_id,
        "assessment": row.assessment,
        "source_id": source_id,
        "note": text("note"),
    }
    if row.level == "index":
        return (
            "index_results.csv",
            (row.instansi_id, str(row.year), row.assessment),
            common
            | {
                "indeks": number_text(row.value),
                "predikat": text("predikat"),
                "source_detail": text("source_detail"),
                "year_attributed": "no",
            },
        )
    if row.level == "domain":
        return (
            "domain_results.csv",
            (row.instansi_id, str(row.year), row.assessment, row.code),
            common | {"domain_code": row.code, "value": number_text(row.value)},
        )
    return (
        "indicator_results.csv",
        (row.instansi_id, str(row.year), row.assessment, row.code),
        common | {"indicator_no": row.code, "level": number_text(row.value)},
    )


OVERLAY_KEYS = {
    "index_results.csv": ("instansi_id", "year", "assessment"),
    "domain_results.csv": ("instansi_id", "year", "assessment", "domain_code"),
    "indicator_results.csv": ("instansi_id", "year", "assessment", "indicator_no"),
}


def version_files(plan: Plan, name: str, parent: str | None, user: str, now: dt.datetime, confirmed: bool) -> dict[str, bytes]:
    """Every file of the new version: the previous overlay with the new rows laid over it, and the record."""
    number = int(versions.VERSION_RE.match(name).group(1))
    source_id = f"IMPORT-{number:04d}"
    parent_dir = versions.version_dir(parent) if parent else None
    files: dict[str, bytes] = {}
    merged: dict[str, dict[tuple, dict]] = {}
    for file_name, key_cols in OVERLAY_KEYS.items():
        merged[file_name] = {tuple(r[c] for c in key_cols): r for r in versions.read_rows(parent_dir, file_name)}
    todo = [c for c in plan.changes if c.status != "unchanged"]
    for change in todo:
        file_name, key, row = overlay_row(change.row, source_id, change)
        merged[file_name][key] = row
    for file_name, rows in merged.items():
        ordered = [rows[k] for k in sorted(rows, key=lambda k: tuple(int(x) if x.isdigit() else x for x in k))]
        files[file_name] = versions.csv_text(versions.RESULT_COLUMNS[file_name], ordered).encode("utf-8")
    sources = versions.read_rows(parent_dir, "sources.csv")
    sources.append(
        {
            "source_id": source_id,
            "kind": IMPORT_SOURCE_KIND,
            "title": f"Impor data instansi: {safe_label(plan.file_name)}",
            "publisher": safe_label(user),
            "date": now.date().isoformat(),
            "url_or_reference": f"sha256:{plan.sha256}; {name}",
        }
    )
    files["sources.csv"] = versions.csv_text(versions.RESULT_COLUMNS["sources.csv"], sources).encode("utf-8")
    change_rows = [
        {
            "status": c.status,
            "level": c.row.level,
            "instansi_id": c.row.instansi_id,
            "year": c.row.year,
            "assessment": c.row.assessment,
            "code": c.row.code,
            "old": "" if c.old is None else number_text(c.old),
            "new": number_text(c.row.value),
            "published_official": "" if c.published is None else number_text(c.published),
            "sheet": c.row.sheet or "",
            "row": c.row.row,
        }
        for c in todo
    ]
    files["changes.csv"] = versions.csv_text(list(change_rows[0]) if change_rows else ["status"], change_rows).encode("utf-8")
    manifest = {
        "version": name,
        "parent": parent or "",
        "created_at": now.isoformat().replace("+00:00", "Z"),
        "user": user,
        "file_name": plan.file_name,
        "sha256": plan.sha256,
        "size": plan.size,
        "source_id": source_id,
        "rows_added": plan.count("added"),
        "rows_changed": plan.count("changed"),
        "rows_unchanged": plan.count("unchanged"),
        "official_changes": len(plan.confirmations),
        "official_changes_confirmed": confirmed,
    }
    files["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    files[f"upload/{safe_upload_name(plan.file_name)}"] = plan.data
    return files


def safe_upload_name(name: str) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", PurePath(name).name).strip("._") or "upload"
    return base[:120]


def switch_to(name: str | None, seeds: Seeds) -> None:
    """Build the store for a version, then point at it, then serve it (see the module docstring)."""
    target = db_path()
    with build_lock(target):
        tmp = None
        try:
            tmp = write_temp_store(seeds, target)
        except BaseException:
            for leftover in target.parent.glob(f".{target.name}.{os.getpid()}.tmp*"):
                leftover.unlink(missing_ok=True)
            raise
        checkpoint("store_built")
        versions.switch_pointer(name)
        checkpoint("pointer_switched")
        os.utime(tmp)  # newer than the pointer: ensure_db must not rebuild what is already current
        os.replace(tmp, target)
        checkpoint("store_replaced")


def _refused(code: str, plan: Plan | None = None, **params) -> Result:
    return Result(
        False,
        "refused",
        versions.active_name(),
        plan=plan,
        problems=[Problem(code, plan.file_name if plan else "", params=tuple(params.items()))],
    )


def _refusal(plan: Plan, confirm_official: bool, expected_base, confirm_index: bool = False) -> Result | None:
    if expected_base is not ANY and plan.base_version != expected_base:
        return _refused("changed_since_preview", plan)
    if plan.errors:
        return Result(False, "refused", plan.base_version, plan=plan, problems=plan.errors)
    confirmed = {"official_conflict": confirm_official, "index_mismatch": confirm_index}
    missing = [p for p in plan.confirmations if not confirmed.get(p.code, False)]
    if missing:
        return Result(False, "refused", plan.base_version, plan=plan, problems=missing)
    return None


def apply_upload(
    data: bytes, file_name: str, user: str, confirm_official: bool = False, expected_base=ANY, confirm_index: bool = False
) -> Result:
    """Validate and apply an upload; nothing is written unless every row is valid (and confirmed). Reads the file once."""
    ensure_db()
    return apply_plan(plan_upload(data, file_name), user, confirm_official, expected_base, confirm_index)


def apply_plan(plan: Plan, user: str, confirm_official: bool = False, expected_base=ANY, confirm_index: bool = False) -> Result:
    """Apply a plan made by plan_upload (e.g. the one the page previewed): the file is not read again; under the
    lock its rows are previewed again against the data served then."""
    user = safe_label(user or "-")
    refusal = _refusal(plan, confirm_official, expected_base, confirm_index)
    if refusal is not None:
        return refusal  # a bad file touches nothing, not even the lock file
    with versions.import_lock():
        versions.recover()
        ensure_db()
        plan = replan(plan)  # the data may have changed meanwhile
        refusal = _refusal(plan, confirm_official, expected_base, confirm_index)
        if refusal is not None:
            return refusal
        added, changed = plan.count("added"), plan.count("changed")
        if not added and not changed:
            return Result(True, "none", plan.base_version, plan.base_version, plan)
        now = versions.utc_now()
        name = versions.next_version_name(now)
        parent = plan.base_version
        versions.write_version(name, version_files(plan, name, parent, user, now, confirm_official), checkpoint)
        checkpoint("version_written")
        try:
            seeds = Seeds(SEED_DIR, versions.version_dir(name))
            switch_to(name, seeds)
        except SeedError as err:
            versions.remove_version(name)
            return _refused("store_rejected", plan, reason=str(err))
        except OSError as err:
            if versions.active_name() != name:
                versions.remove_version(name)
            return _refused("store_failed", plan, reason=str(err))
        versions.append_audit(
            {
                "ts": now.isoformat().replace("+00:00", "Z"),
                "action": "apply",
                "user": user,
                "file": plan.file_name,
                "sha256": plan.sha256,
                "rows_added": added,
                "rows_changed": changed,
                "rows_unchanged": plan.count("unchanged"),
                "official_changes": len(plan.confirmations),
                "version": name,
                "previous_version": parent or "",
            }
        )
        checkpoint("audited")
        return Result(True, "apply", name, parent, plan, rows_added=added, rows_changed=changed)


def apply_file(path, user: str, confirm_official: bool = False, confirm_index: bool = False) -> Result:
    """apply_upload for a file on disk (the API the CLI and scripts use)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        return Result(
            False, "refused", versions.active_name(), problems=[Problem("file_missing", path.name, value=shown(str(path)))]
        )
    return apply_upload(data, path.name, user, confirm_official, confirm_index=confirm_index)


def rollback(user: str) -> Result:
    """Serve again the version the active one was applied on (the seeds only if it was the first)."""
    user = safe_label(user or "-")
    with versions.import_lock():
        versions.recover()
        current = versions.active_name()
        if current is None:
            return _refused("nothing_to_roll_back")
        parent = versions.read_manifest(current).get("parent") or None
        try:
            seeds = Seeds(SEED_DIR, versions.version_dir(parent) if parent else None)
            switch_to(parent, seeds)
        except SeedError as err:
            return _refused("store_rejected", reason=str(err))
        except OSError as err:
            return _refused("store_failed", reason=str(err))
        versions.append_audit(
            {
                "ts": versions.utc_now().isoformat().replace("+00:00", "Z"),
                "action": "rollback",
                "user": user,
                "version": parent or "",
                "previous_version": current,
            }
        )
        checkpoint("audited")
        return Result(True, "rollback", parent, current)


# -- command line ------------------------------------------------------------------------------------------
def _parser(command: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=f"python -m spbe {command}", exit_on_error=False)
    if command == "import":
        p.add_argument("file")
        p.add_argument("--dry-run", action="store_true", help="validate and preview only; write nothing")
        p.add_argument(
            "--confirm-official-changes", action="store_true", help="apply values that differ from the published official figures"
        )
        p.add_argument(
            "--confirm-index-mismatch",
            action="store_true",
            help="apply an index that differs by more than 0.01 from the one its domains or levels give",
        )
    p.add_argument("--user", default=None, help="name recorded in the audit log (default: the login name)")
    p.add_argument("--lang", choices=("id", "en"), default=DEFAULT_LANG)
    return p


def _print_problems(problems: list[Problem], lang: str) -> None:
    for p in problems:
        print(f"{t(f'import.severity.{p.severity}', lang)}: {p.message(lang)}", file=sys.stderr)


def main(argv: list[str]) -> int:
    """python -m spbe import FILE [--dry-run] [--confirm-official-changes] [--confirm-index-mismatch] [--user NAME]
    [--lang id|en]
    python -m spbe rollback [--user NAME] [--lang id|en]

    Exit codes: 0 done (or valid, for --dry-run); 2 invalid input (nothing written); 3 official figures
    would change and --confirm-official-changes was not given, or an index differs from its parts and
    --confirm-index-mismatch was not given (nothing written); 1 the store could not be built.
    """
    command = argv[0] if argv else "import"
    try:
        args = _parser(command).parse_args(argv[1:])
    except (argparse.ArgumentError, SystemExit) as err:
        print(f"{err}\n{_parser(command).format_usage()}", file=sys.stderr)
        return 2
    lang = args.lang
    user = args.user or f"cli:{getpass.getuser()}"
    if command == "rollback":
        result = rollback(user)
        if not result.ok:
            _print_problems(result.problems, lang)
            return result.exit_code
        print(
            t(
                "import.cli.rolled_back",
                lang,
                previous=result.previous_version,
                version=result.version or t("import.seeds_only", lang),
            )
        )
        return 0

    path = Path(args.file)
    if args.dry_run:
        try:
            data = path.read_bytes()
        except OSError:
            _print_problems([Problem("file_missing", path.name, value=shown(str(path)))], lang)
            return 2
        ensure_db()
        plan = plan_upload(data, path.name)
        _print_problems(plan.problems, lang)
        if plan.errors:
            print(t("import.cli.invalid", lang, count=len(plan.errors)), file=sys.stderr)
            return 2
        print("\n".join(plan.summary_lines(lang)))
        print(t("import.cli.dry_run", lang))
        flags = {"official_conflict": args.confirm_official_changes, "index_mismatch": args.confirm_index_mismatch}
        return 3 if any(not flags.get(p.code, False) for p in plan.confirmations) else 0

    result = apply_file(path, user, confirm_official=args.confirm_official_changes, confirm_index=args.confirm_index_mismatch)
    plan = result.plan
    if plan is not None:
        _print_problems([p for p in plan.problems if p not in result.problems], lang)
    _print_problems(result.problems, lang)
    if not result.ok:
        if plan is not None and not plan.errors:
            print("\n".join(plan.summary_lines(lang)))
        if result.needs_confirmation:
            official = sum(p.code == "official_conflict" for p in result.problems)
            mismatch = sum(p.code == "index_mismatch" for p in result.problems)
            if official:
                print(t("import.cli.needs_confirmation", lang, count=official), file=sys.stderr)
            if mismatch:
                print(t("import.cli.needs_index_confirmation", lang, count=mismatch), file=sys.stderr)
        else:
            print(t("import.cli.invalid", lang, count=len(result.problems)), file=sys.stderr)
        return result.exit_code
    print("\n".join(plan.summary_lines(lang)))
    if result.action == "none":
        print(t("import.cli.nothing", lang))
    else:
        print(t("import.cli.applied", lang, version=result.version, added=result.rows_added, changed=result.rows_changed))
    return 0


# -- what the import page shows ------------------------------------------------------------------------------
def serving_label(lang: str) -> str:
    name = versions.active_name()
    if name is None:
        return t("import.page.state_seeds", lang)
    manifest = versions.read_manifest(name)
    detail = f"{name} · {manifest.get('file_name', '')} · {manifest.get('user', '')} · {manifest.get('created_at', '')}"
    detail = md_escape(detail)  # shown in markdown: a file name must not become a link
    return t("import.page.state", lang, version=detail)


def rollback_target() -> tuple[bool, str | None]:
    """(possible, the version a rollback would serve: None = the seeds only)."""
    name = versions.active_name()
    if name is None:
        return False, None
    return True, versions.read_manifest(name).get("parent") or None


def history_frame(lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("import.col.version", lang): h["version"],
                t("import.col.status", lang): t(f"import.version_status.{h['status']}", lang),
                t("import.col.when", lang): h.get("created_at", ""),
                t("import.col.who", lang): h.get("user", ""),
                t("import.col.file", lang): h.get("file_name", ""),
                t("import.col.added", lang): str(h.get("rows_added", "")),
                t("import.col.changed", lang): str(h.get("rows_changed", "")),
                t("import.col.sha256", lang): h.get("sha256", ""),
            }
            for h in versions.history()
        ]
    )


def audit_frame(lang: str) -> pd.DataFrame:
    known = {"apply", "rollback", "recovered"}
    return pd.DataFrame(
        [
            {
                t("import.col.when", lang): e.get("ts", ""),
                t("import.col.action", lang): t(f"import.action.{e['action']}", lang)
                if e.get("action") in known
                else str(e.get("action")),
                t("import.col.who", lang): e.get("user", ""),
                t("import.col.file", lang): e.get("file", ""),
                t("import.col.added", lang): str(e.get("rows_added", "")),
                t("import.col.changed", lang): str(e.get("rows_changed", "")),
                t("import.col.version", lang): e.get("version") or t("import.seeds_only", lang),
                t("import.col.sha256", lang): e.get("sha256", ""),
            }
            for e in reversed(versions.read_audit())
        ]
    )
