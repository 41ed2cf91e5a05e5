"""Reading an uploaded results file (CSV or .xlsx) into plain tables, refusing what cannot be read.

Nothing here knows about instansi or frameworks: it turns bytes into header + rows with the row
numbers a person sees in a spreadsheet, or into Problems that say precisely why it cannot.
Every Problem names the file, and where known the sheet, row, column and value; its text comes
from the catalogue (spbe/locale/import.toml, keys import.problem.<code>) in either language.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from spbe.i18n import fmt_delta, fmt_num, t

MAX_BYTES = 5 * 1024 * 1024  # a full 47-indicator file for every instansi and year is far below this
MAX_ROWS = 100_000
MAX_SHOWN_VALUE = 60
INSTRUCTION_SHEETS = {"petunjuk", "instructions", "instruksi", "panduan", "readme", "keterangan"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls
UTF8_BOM = b"\xef\xbb\xbf"


class Signed(float):
    """A difference: shown with its sign (+0,05 / −0,02) in messages."""


CODED_PARAMS = {"assessment": "assessment", "basis": "import.basis", "level": "import.level"}  # codes shown by name


def _param_text(key: str, value, lang: str):
    if key in CODED_PARAMS and isinstance(value, str):
        return t(f"{CODED_PARAMS[key]}.{value}", lang)
    if isinstance(value, Signed):
        return fmt_delta(float(value), lang)
    if isinstance(value, float):
        return fmt_num(value, lang, 2)
    return value


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or to confirm, or worth a warning) in an upload, with where it is."""

    code: str
    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    params: tuple[tuple[str, object], ...] = ()
    severity: str = "error"  # error: nothing is written | confirm: needs explicit confirmation | warning

    def where(self, lang: str) -> str:
        parts = [t("import.where.file", lang, name=self.file)] if self.file else []
        if self.sheet:
            parts.append(t("import.where.sheet", lang, name=self.sheet))
        if self.row is not None:
            parts.append(t("import.where.row", lang, row=self.row))
        if self.column:
            parts.append(t("import.where.column", lang, name=self.column))
        if self.value is not None:
            parts.append(t("import.where.value", lang, value=self.value))
        return ", ".join(parts)

    def detail(self, lang: str) -> str:
        values = {k: _param_text(k, v, lang) for k, v in self.params}
        return t(f"import.problem.{self.code}", lang, **values)

    def message(self, lang: str) -> str:
        where = self.where(lang)
        return f"{where}: {self.detail(lang)}" if where else self.detail(lang)


def shown(value) -> str:
    """A cell value as quoted in a message: one line, control characters visible, cut at a sane length."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()  # as Excel shows it
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return text if len(text) <= MAX_SHOWN_VALUE else text[: MAX_SHOWN_VALUE - 1] + "…"


@dataclass
class Table:
    """One sheet (or the CSV): its header as written and its data rows with spreadsheet row numbers."""

    sheet: str | None
    header: list[str]
    header_row: int
    rows: list[tuple[int, list]] = field(default_factory=list)


def file_kind(data: bytes, file_name: str) -> tuple[str | None, Problem | None]:
    """'csv' or 'xlsx' from the name and the content, or a Problem saying why neither fits."""
    suffix = PurePath(file_name).suffix.lower()
    if suffix == ".xls" or data.startswith(OLE_MAGIC):
        return None, Problem("old_xls", file_name)
    if suffix in (".csv", ".txt"):
        if data.startswith(ZIP_MAGIC):
            return None, Problem("csv_is_zip", file_name)
        return "csv", None
    if suffix == ".xlsx":
        if not data.startswith(ZIP_MAGIC):
            return None, Problem("xlsx_not_zip", file_name)
        return "xlsx", None
    return None, Problem("unsupported_type", file_name, value=shown(suffix or file_name), params=(("suffix", suffix or "-"),))


def read_tables(data: bytes, file_name: str) -> tuple[list[Table], list[Problem]]:
    """The tables in an uploaded file, or the problems that stop it being read at all."""
    if len(data) > MAX_BYTES:
        size = len(data) / 1024 / 1024
        return [], [Problem("too_large", file_name, params=(("size_mb", size), ("limit_mb", MAX_BYTES / 1024 / 1024)))]
    if not data.strip(b" \t\r\n" + UTF8_BOM):
        return [], [Problem("empty", file_name)]
    kind, problem = file_kind(data, file_name)
    if problem:
        return [], [problem]
    tables, problems = (read_csv_tables if kind == "csv" else read_xlsx_tables)(data, file_name)
    if not problems and not any(tb.header for tb in tables):
        problems.append(Problem("empty", file_name))
    return tables, problems


# -- CSV ---------------------------------------------------------------------------------------------
def decode_text(data: bytes, file_name: str) -> tuple[str | None, Problem | None]:
    """UTF-8 text (a UTF-8 BOM is fine); UTF-16 and other encodings are refused with the spot."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > 2:
        return None, Problem("utf16", file_name)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, Problem("binary", file_name, row=line)
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        return None, Problem("not_utf8", file_name, row=line, params=(("byte", f"0x{data[err.start]:02X}"), ("position", col)))


def _delimiter(line: str) -> str:
    """The separator used in the header line: ';' (Excel with Indonesian settings), ',' or tab."""
    counts = {d: len(re.findall(re.escape(d) + r'(?=(?:[^"]*"[^"]*")*[^"]*$)', line)) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _is_comment(cells: list) -> bool:
    return bool(cells) and isinstance(cells[0], str) and cells[0].lstrip().startswith("#")


def _is_blank(cells: list) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def read_csv_tables(data: bytes, file_name: str) -> tuple[list[Table], list[Problem]]:
    text, problem = decode_text(data, file_name)
    if problem:
        return [], [problem]
    lines = text.splitlines()
    header_line = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")), "")
    delimiter = _delimiter(header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    table: Table | None = None
    problems: list[Problem] = []
    start = 1
    try:
        for cells in reader:
            row = start
            start = reader.line_num + 1
            if _is_blank(cells) or _is_comment(cells):
                continue
            if table is None:
                table = Table(None, [c.strip() for c in cells], row)
                continue
            if len(table.rows) >= MAX_ROWS:
                return [], [Problem("too_many_rows", file_name, params=(("limit", MAX_ROWS),))]
            width = len(table.header)
            if len(cells) > width and not _is_blank(cells[width:]):
                hint = "field_count_comma" if delimiter == "," else "field_count"
                problems.append(Problem(hint, file_name, row=row, params=(("found", len(cells)), ("expected", width))))
                continue
            cells = (cells + [""] * width)[:width]
            table.rows.append((row, cells))
    except csv.Error as err:
        return [], [Problem("csv_syntax", file_name, row=start, params=(("reason", str(err)),))]
    return ([table] if table else []), problems


# -- Excel -------------------------------------------------------------------------------------------
def read_xlsx_tables(data: bytes, file_name: str) -> tuple[list[Table], list[Problem]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as err:
        return [], [Problem("xlsx_unreadable", file_name, params=(("reason", shown(err)),))]
    except Exception as err:  # openpyxl raises its own exception types for damaged parts
        return [], [Problem("xlsx_unreadable", file_name, params=(("reason", shown(err)),))]
    tables, problems = [], []
    try:
        for sheet in book.worksheets:
            if sheet.title.strip().casefold() in INSTRUCTION_SHEETS:
                continue
            table: Table | None = None
            for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
                cells = [v.strip() if isinstance(v, str) else v for v in values]
                if _is_blank(cells):
                    continue
                if table is None:
                    header = ["" if c is None else str(c).strip() for c in cells]
                    table = Table(sheet.title, header, number)
                    continue
                if len(table.rows) >= MAX_ROWS:
                    return [], [Problem("too_many_rows", file_name, sheet=sheet.title, params=(("limit", MAX_ROWS),))]
                width = len(table.header)
                if len(cells) > width and not _is_blank(cells[width:]):
                    problems.append(
                        Problem(
                            "unnamed_column",
                            file_name,
                            sheet=sheet.title,
                            row=number,
                            value=shown(next(c for c in cells[width:] if c not in (None, ""))),
                        )
                    )
                    continue
                table.rows.append((number, (cells + [None] * width)[:width]))
            if table is not None:
                tables.append(table)
    except Exception as err:  # a damaged sheet part shows up only while reading it
        return [], [Problem("xlsx_unreadable", file_name, params=(("reason", shown(err)),))]
    finally:
        book.close()
    return tables, problems
