"""Import stage 1, read: an uploaded results file (CSV or .xlsx) into plain tables, refusing what cannot be read.

Nothing here knows about instansi or frameworks: it turns bytes into header + rows with the row
numbers a person sees in a spreadsheet, or into Problems that say precisely why it cannot.
Every Problem names the file, and where known the sheet, row, column and value; its text comes
from the catalogue (spbe/locale/import.toml, keys import.problem.<code>) in either language.

A hostile file must not be able to take the server down, so reading happens under limits
(read_tables_limited, what the importer calls):
    1. in this process, cheaply: the size, the kind, and for .xlsx the zip directory (entry count,
       uncompressed sizes), each sheet's declared <dimension>, its row count (streamed, never held),
       merged cells and hidden sheets, and the shared-strings size; a file over a limit is refused here;
    2. then the actual parse runs in a child process (python -m spbe.imports.read) with an address-space
       cap (RLIMIT_AS), a CPU cap (RLIMIT_CPU) and a wall-time cap; past either it is killed and the file
       is refused with a message saying which limit.
"""

from __future__ import annotations

import csv
import html
import io
import os
import pickle
import re
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath

from spbe.i18n import fmt_delta, fmt_num, t

MAX_BYTES = 5 * 1024 * 1024  # a full 47-indicator file for every instansi and year is far below this
MAX_ROWS = 100_000  # data rows per file
MAX_COLUMNS = 64  # columns read per sheet (a template has 7)
MAX_SHEET_ROWS = 120_000  # <row> elements per sheet, blank ones included
MAX_CELLS = 1_500_000  # cells per file
MAX_ZIP_ENTRIES = 200
MAX_PART_BYTES = 64 * 1024 * 1024  # uncompressed size of any one part of an .xlsx
MAX_UNZIPPED_BYTES = 128 * 1024 * 1024  # all parts together
MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell; any text longer is refused before validation
PARSE_CPU_SECONDS = 25.0  # CPU time for the child that parses (a 60,000-row .xlsx needs about 9 s)
PARSE_SECONDS = 60.0  # wall time for it: more than the CPU cap, so a busy machine does not refuse a good file
PARSE_MEMORY_MB = 160  # address space the child may add after its imports (its resident peak stays under 300 MB)
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
    severity: str = "error"  # error: nothing is written | confirm: needs explicit confirmation | warning | info
    rows: str | None = None  # "2-48": the same finding in many rows, said once (row is the first of them)

    def where(self, lang: str) -> str:
        parts = [t("import.where.file", lang, name=self.file)] if self.file else []
        if self.sheet:
            parts.append(t("import.where.sheet", lang, name=self.sheet))
        if self.rows:
            parts.append(t("import.where.rows", lang, rows=self.rows))
        elif self.row is not None:
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


def row_ranges(rows: list[int]) -> str:
    """[2, 3, 4, 7, 9, 10] -> '2-4, 7, 9-10'."""
    parts, start, prev = [], None, None
    for r in sorted(set(rows)) + [None]:
        if start is not None and (r is None or r != prev + 1):
            parts.append(str(start) if start == prev else f"{start}-{prev}")
            start = None
        if r is not None and start is None:
            start = r
        prev = r
    return ", ".join(parts)


COLLAPSE_ANY_VALUE = {"indicator_other_framework", "framework_unverified"}


def _collapse_key(p: Problem) -> tuple:
    value = None if p.code in COLLAPSE_ANY_VALUE else p.value
    params = tuple(kv for kv in p.params if p.code not in COLLAPSE_ANY_VALUE or kv[0] not in ("expected", "number"))
    return (p.code, p.file, p.sheet, p.column, value, params, p.severity, p.row is None)


def collapse(problems: list[Problem]) -> list[Problem]:
    """The same finding (code, sheet, column, value, details) in several rows becomes one, naming the rows.
    For findings whose value differs row by row by nature (another framework's indicator names) the value
    is left out of the one finding."""
    groups: dict[tuple, list[Problem]] = {}
    for p in problems:
        groups.setdefault(_collapse_key(p), []).append(p)
    out, done = [], set()
    for p in problems:
        key = _collapse_key(p)
        if key in done:
            continue
        done.add(key)
        same = groups[key]
        if len(same) > 1 and p.row is not None:
            rows = [q.row for q in same]
            value = p.value if len({q.value for q in same}) == 1 else None
            params = p.params if len({q.params for q in same}) == 1 else key[5]
            out.append(replace(p, row=min(rows), rows=row_ranges(rows), value=value, params=params))
        else:
            out += same
    return out


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
    skipped = any(p.code == "sheet_skipped" for p in problems)  # then "no data" names the skipped sheets
    if not any(p.severity == "error" for p in problems) and not any(tb.header for tb in tables) and not skipped:
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


def _mb(n: int) -> float:
    return n / 1024 / 1024


def _size_text(n: int) -> str:
    return f"{_mb(n):.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} B"


def _too_long(file_name: str, sheet: str | None, row: int, column: str | None, text: str) -> Problem:
    return Problem(
        "cell_too_long",
        file_name,
        sheet,
        row,
        column,
        shown(text[:40]),
        (("size", _size_text(len(text.encode("utf-8")))), ("limit", MAX_CELL_CHARS)),
    )


def read_csv_tables(data: bytes, file_name: str) -> tuple[list[Table], list[Problem]]:
    text, problem = decode_text(data, file_name)
    if problem:
        return [], [problem]
    header_line = ""
    for ln in io.StringIO(text):
        if ln.strip() and not ln.lstrip().startswith("#"):
            header_line = ln
            break
    delimiter = _delimiter(header_line)
    csv.field_size_limit(MAX_BYTES + 1)  # a long field is reported as too long, not as a syntax error
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
            long = next((i for i, c in enumerate(cells) if len(c) > MAX_CELL_CHARS), None)
            if long is not None:
                column = table.header[long] if long < width else None
                problems.append(_too_long(file_name, None, row, column, cells[long]))
                continue
            if len(cells) > width:
                # even an empty extra field: a decimal comma in a comma CSV shifts every later value
                hint = "field_count_comma" if delimiter == "," else "field_count"
                problems.append(Problem(hint, file_name, row=row, params=(("found", len(cells)), ("expected", width))))
                continue
            cells = (cells + [""] * width)[:width]
            table.rows.append((row, cells))
    except csv.Error as err:
        return [], [Problem("csv_syntax", file_name, row=start, params=(("reason", str(err)),))]
    return ([table] if table else []), problems


# -- Excel -------------------------------------------------------------------------------------------
def is_instruction_sheet(title: str) -> bool:
    return title.strip().casefold() in INSTRUCTION_SHEETS


def read_xlsx_tables(data: bytes, file_name: str) -> tuple[list[Table], list[Problem]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except MemoryError:
        raise  # the child's memory cap: said as such by read_tables_limited
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as err:
        return [], [Problem("xlsx_unreadable", file_name, params=(("reason", shown(err)),))]
    except Exception as err:  # openpyxl raises its own exception types for damaged parts
        return [], [Problem("xlsx_unreadable", file_name, params=(("reason", shown(err)),))]
    tables, problems = [], []
    cells_read = 0
    try:
        for sheet in book.worksheets:
            if is_instruction_sheet(sheet.title):
                problems.append(Problem("sheet_skipped", file_name, sheet=sheet.title, severity="info"))
                continue
            table: Table | None = None
            declared_cols, declared_rows = sheet.max_column, sheet.max_row
            max_col = min(declared_cols if isinstance(declared_cols, int) and declared_cols > 0 else MAX_COLUMNS, MAX_COLUMNS)
            max_row = min(
                declared_rows if isinstance(declared_rows, int) and declared_rows > 0 else MAX_SHEET_ROWS, MAX_SHEET_ROWS
            )
            rows = sheet.iter_rows(min_row=1, max_row=max_row + 1, max_col=max_col, values_only=True)
            for number, values in enumerate(rows, start=1):
                if number > MAX_SHEET_ROWS:
                    return [], [Problem("sheet_too_many_rows", file_name, sheet=sheet.title, params=(("limit", MAX_SHEET_ROWS),))]
                cells = [v.strip() if isinstance(v, str) else v for v in values]
                while cells and (cells[-1] is None or cells[-1] == ""):
                    cells.pop()  # a row is as wide as its last value (the declared dimension may be wider)
                if _is_blank(cells):
                    continue
                cells_read += len(cells)
                if cells_read > MAX_CELLS:
                    return [], [Problem("too_many_cells", file_name, sheet=sheet.title, params=(("limit", MAX_CELLS),))]
                long = next((i for i, c in enumerate(cells) if isinstance(c, str) and len(c) > MAX_CELL_CHARS), None)
                if long is not None:
                    header = table.header if table else []
                    column = header[long] if long < len(header) else None
                    problems.append(_too_long(file_name, sheet.title, number, column, cells[long]))
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
    except MemoryError:
        raise
    except Exception as err:  # a damaged sheet part shows up only while reading it
        return [], [Problem("xlsx_unreadable", file_name, params=(("reason", shown(err)),))]
    finally:
        book.close()
    return tables, problems


# -- reading under limits ------------------------------------------------------------------------------
_ATTR_RE = re.compile(rb'([A-Za-z_:][\w:.-]*)\s*=\s*"([^"]*)"')
_SHEET_TAG_RE = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_REL_TAG_RE = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="([^"]*)"')
_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([^"]*)"')
_ROW_RE = re.compile(rb"<(?:\w+:)?row[\s>/]")
_REF_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
CHUNK = 1024 * 1024


def _attrs(tag: bytes) -> dict[str, str]:
    return {
        k.decode().split(":")[-1] if k != b"r:id" else "r:id": html.unescape(v.decode("utf-8", "replace"))
        for k, v in _ATTR_RE.findall(tag)
    }


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _ref_size(ref: str) -> tuple[int, int] | None:
    """(columns, rows) a dimension reference like A1:XFD1048576 spans; None if it cannot be read."""
    last = ref.split(":")[-1].strip()
    m = _REF_RE.match(last)
    return (_column_number(m.group(1)), int(m.group(2))) if m else None


@dataclass
class SheetScan:
    name: str
    part: str
    state: str = "visible"
    dimension: str | None = None
    rows: int = 0
    merged: list[str] = field(default_factory=list)


def _scan_part(book: zipfile.ZipFile, part: str, scan: SheetScan) -> None:
    """Stream one sheet part: the declared dimension, the number of <row> elements, merged ranges."""
    tail = b""
    with book.open(part) as f:
        while True:
            chunk = f.read(CHUNK)
            if not chunk:
                break
            block = tail + chunk
            if scan.dimension is None:
                m = _DIMENSION_RE.search(block)
                if m:
                    scan.dimension = m.group(1).decode("ascii", "replace")
            cut = max(len(block) - 200, 0)  # elements straddling the boundary are counted in the next block
            scan.rows += len(_ROW_RE.findall(block, 0, cut)) if chunk else 0
            if len(scan.merged) < 20:
                scan.merged += [m.decode("ascii", "replace") for m in _MERGE_RE.findall(block, 0, cut)]
            tail = block[cut:]
            if scan.rows > MAX_SHEET_ROWS:
                return
    scan.rows += len(_ROW_RE.findall(tail))
    scan.merged += [m.decode("ascii", "replace") for m in _MERGE_RE.findall(tail)]


def prescan_xlsx(data: bytes, file_name: str) -> tuple[list[SheetScan], list[Problem]]:
    """Check an .xlsx's structure against the limits without parsing it; bounded time and memory."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        infos = book.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        return [], [Problem("xlsx_unreadable", file_name, params=(("reason", shown(err)),))]
    if len(infos) > MAX_ZIP_ENTRIES:
        return [], [Problem("xlsx_too_many_parts", file_name, params=(("count", len(infos)), ("limit", MAX_ZIP_ENTRIES)))]
    total = sum(i.file_size for i in infos)
    big = max(infos, key=lambda i: i.file_size, default=None)
    if big is not None and big.file_size > MAX_PART_BYTES or total > MAX_UNZIPPED_BYTES:
        return [], [
            Problem(
                "xlsx_unzipped_too_large",
                file_name,
                value=shown(big.filename),
                params=(
                    ("size", _size_text(total)),
                    ("limit", _size_text(MAX_UNZIPPED_BYTES)),
                    ("part_limit", _size_text(MAX_PART_BYTES)),
                ),
            )
        ]
    names = {i.filename for i in infos}
    for i in infos:
        if i.filename.lower().endswith("sharedstrings.xml") and i.file_size > MAX_SHARED_STRINGS_BYTES:
            return [], [
                Problem(
                    "shared_strings_too_large",
                    file_name,
                    params=(("size", _size_text(i.file_size)), ("limit", _size_text(MAX_SHARED_STRINGS_BYTES))),
                )
            ]
    try:
        workbook = book.read("xl/workbook.xml") if "xl/workbook.xml" in names else b""
        rels = book.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        return [], [Problem("xlsx_unreadable", file_name, params=(("reason", shown(err)),))]
    targets = {}
    for tag in _REL_TAG_RE.findall(rels):
        a = _attrs(tag)
        target = a.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[a.get("Id", "")] = os.path.normpath(target).replace(os.sep, "/")
    sheets = []
    for tag in _SHEET_TAG_RE.findall(workbook):
        a = _attrs(tag)
        part = targets.get(a.get("r:id", a.get("id", "")), "")
        sheets.append(SheetScan(a.get("name", "?"), part, a.get("state", "visible")))
    problems: list[Problem] = []
    for scan in sheets:
        if scan.state in ("hidden", "veryHidden"):
            problems.append(Problem(f"sheet_{scan.state.lower()}", file_name, sheet=scan.name))
            continue
        if is_instruction_sheet(scan.name) or scan.part not in names:
            continue
        try:
            _scan_part(book, scan.part, scan)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as err:
            return [], [Problem("xlsx_unreadable", file_name, sheet=scan.name, params=(("reason", shown(err)),))]
        size = _ref_size(scan.dimension) if scan.dimension else None
        if size and (size[0] > MAX_COLUMNS or size[1] > MAX_SHEET_ROWS):
            problems.append(
                Problem(
                    "xlsx_dimension_too_large",
                    file_name,
                    sheet=scan.name,
                    value=shown(scan.dimension),
                    params=(("columns", size[0]), ("rows", size[1]), ("max_columns", MAX_COLUMNS), ("max_rows", MAX_SHEET_ROWS)),
                )
            )
        elif scan.rows > MAX_SHEET_ROWS:
            problems.append(Problem("sheet_too_many_rows", file_name, sheet=scan.name, params=(("limit", MAX_SHEET_ROWS),)))
        for ref in scan.merged[:5]:
            problems.append(Problem("merged_cells", file_name, sheet=scan.name, value=shown(ref)))
    return sheets, problems


def _address_space() -> int:
    try:
        return int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 256 * 1024 * 1024


def _child_limits(memory_mb: int, cpu_s: float) -> None:
    """Cap what the parse may add to the child's address space (imports done first), and its CPU time."""
    import resource

    import openpyxl.reader.excel  # noqa: F401 - imported before the cap, so the cap is what the parse may use

    limit = _address_space() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = int(cpu_s) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _child_main() -> int:
    """python -m spbe.imports.read FILE_NAME MEMORY_MB CPU_S: bytes on stdin, pickled (tables, problems) on stdout."""
    file_name, memory_mb, cpu_s = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    data = sys.stdin.buffer.read()
    _child_limits(memory_mb, cpu_s)
    try:
        result = read_tables(data, file_name)
    except MemoryError:
        return 3
    try:
        payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        return 3
    sys.stdout.buffer.write(payload)
    sys.stdout.buffer.flush()
    return 0


@dataclass
class ReadStats:
    """What the last limited read took (for tests and the benchmark)."""

    seconds: float = 0.0
    child_peak_mb: float | None = None
    stage: str = ""  # prescan | child | refused_early


LAST_READ = ReadStats()


def read_tables_limited(
    data: bytes,
    file_name: str,
    seconds: float = PARSE_SECONDS,
    memory_mb: int = PARSE_MEMORY_MB,
    cpu_seconds: float = PARSE_CPU_SECONDS,
) -> tuple[list[Table], list[Problem]]:
    """read_tables with every limit enforced: prescan here, then the parse in a capped child process."""
    started = time.monotonic()
    LAST_READ.seconds, LAST_READ.child_peak_mb, LAST_READ.stage = 0.0, None, "refused_early"
    if len(data) > MAX_BYTES:
        return read_tables(data, file_name)  # says too_large without reading further
    if not data.strip(b" \t\r\n" + UTF8_BOM):
        return [], [Problem("empty", file_name)]
    kind, problem = file_kind(data, file_name)
    if problem:
        return [], [problem]
    early: list[Problem] = []
    if kind == "xlsx":
        LAST_READ.stage = "prescan"
        _, early = prescan_xlsx(data, file_name)
        if any(p.severity == "error" for p in early):
            LAST_READ.seconds = time.monotonic() - started
            return [], early
    LAST_READ.stage = "child"
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")  # no per-thread buffers in the child
    root = str(Path(__file__).resolve().parents[2])  # the project folder (spbe/imports/read.py)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "spbe.imports.read", file_name, str(memory_mb), str(min(cpu_seconds, seconds))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=root,
            env=env,
        )
    except OSError as err:
        return [], [Problem("parse_failed", file_name, params=(("reason", shown(err)),))]
    try:
        out, err = proc.communicate(data, timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        LAST_READ.seconds = time.monotonic() - started
        return [], [Problem("parse_timeout", file_name, params=(("seconds", int(seconds)),))]
    finally:
        LAST_READ.child_peak_mb = _child_peak_mb()
    LAST_READ.seconds = time.monotonic() - started
    if proc.returncode != 0 or not out:
        memory = proc.returncode in (3, -9) or b"MemoryError" in err
        if proc.returncode in (-24, -9) and not memory:  # SIGXCPU / SIGKILL: the CPU cap
            return [], [Problem("parse_timeout", file_name, params=(("seconds", int(min(cpu_seconds, seconds))),))]
        if memory:
            return [], [Problem("parse_memory", file_name, params=(("limit_mb", memory_mb),))]
        reason = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        return [], [
            Problem("xlsx_unreadable" if kind == "xlsx" else "parse_failed", file_name, params=(("reason", shown(reason[0])),))
        ]
    tables, problems = pickle.loads(out)  # noqa: S301 - our own child's output
    return tables, early + problems


def _child_peak_mb() -> float | None:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux
    except (ImportError, OSError):
        return None


if __name__ == "__main__":
    # run the child through the package module, so what it pickles is spbe.imports.read.Problem, not __main__.Problem
    from spbe.imports.read import _child_main as child_main

    sys.exit(child_main())
