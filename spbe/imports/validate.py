"""Import stage 2, validate: a table's columns name its level; every row is checked against the instansi list,
the framework of its year and the assessment stages, and becomes a Row or Problems (spbe.imports.read has
turned the file into tables)."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass

from spbe.core.frameworks import Framework, frameworks
from spbe.imports.read import Problem, Table, shown
from spbe.store import db, versions

MAX_TEXT = 500

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
