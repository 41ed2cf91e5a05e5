"""Hostile files built in code (issue 12): each is refused within seconds and with bounded memory, with a message
that says which limit, and nothing is written (the store file's sha256 and the state folder are unchanged).

Each file is checked in a fresh Python process that reports its own numbers: wall time of apply_upload, the
peak RSS of the parsing child (RUSAGE_CHILDREN; a fresh process has no other children) and how much the
process's own peak RSS grew during the call. Limits set here: 10 s, 300 MB child, 100 MB parent growth."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from spbe.imports import read as import_read
from tests.import_samples import state_snapshot, xlsx_file

ROOT = Path(__file__).resolve().parents[1]
MAX_SECONDS = 10.0
MAX_CHILD_MB = 300.0
MAX_PARENT_GROWTH_MB = 100.0
HEADER = ["instansi", "year", "assessment", "indicator_no", "level", "note"]

MEASURE = r"""
import json, resource, sys, time
from pathlib import Path
from spbe.imports import importer
path = Path(sys.argv[1])
data = path.read_bytes()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.monotonic()
result = importer.apply_upload(data, path.name, "penguji")
seconds = time.monotonic() - started
print(json.dumps({
    "ok": result.ok,
    "codes": [p.code for p in result.problems],
    "en": [p.message("en") for p in result.problems][:3],
    "seconds": seconds,
    "parent_growth_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024,
    "child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""


def _rewrite(data: bytes, edit) -> bytes:
    """The same .xlsx with its parts passed through edit(name, bytes) -> bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, edit(info.filename, src.read(info.filename)))
    return out.getvalue()


def _small_book() -> bytes:
    return xlsx_file({"indikator": [HEADER, ["kota-cilegon", 2024, "self_assessment", 1, 3, ""]]})


def declared_whole_sheet() -> bytes:
    """9.8 KB-class workbook whose sheet declares A1:XFD1048576 (16,384 columns × 1,048,576 rows)."""

    def edit(name, body):
        if name.startswith("xl/worksheets/sheet"):
            body = body.replace(b'<dimension ref="A1:F2"/>', b'<dimension ref="A1:XFD1048576"/>')
            assert b"XFD1048576" in body
        return body

    return _rewrite(_small_book(), edit)


def _sheet_with_rows(rows: int) -> bytes:
    """A workbook whose one sheet has a header, one data row and then `rows` blank <row> elements, streamed."""
    book = _small_book()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if not info.filename.startswith("xl/worksheets/sheet"):
                dst.writestr(info.filename, body)
                continue
            head, tail = body.split(b"</sheetData>")
            head = head.replace(b'<dimension ref="A1:F2"/>', b"")
            with dst.open(info.filename, "w", force_zip64=True) as f:
                f.write(head)
                step = 100_000
                for start in range(0, rows, step):  # rows without r=: numbered by position, and they compress well
                    f.write(b"<row/>" * min(step, rows - start))
                f.write(b"</sheetData>" + tail)
    return out.getvalue()


def millions_of_blank_rows() -> bytes:
    return _sheet_with_rows(6_000_000)


def many_blank_rows_small_part() -> bytes:
    """200,000 blank rows: under the part-size limit, over the row limit (counted while streaming)."""
    return _sheet_with_rows(200_000)


def _shared_string(size: int) -> bytes:
    """A workbook whose note cell (F2) points at a shared string of `size` characters (openpyxl writes inline
    strings, so the sharedStrings part, its relationship and content type are added here)."""
    sst = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    sst += b' count="1" uniqueCount="1"><si><t>' + b"a" * size + b"</t></si></sst>"

    def edit(name, body):
        if name == "xl/_rels/workbook.xml.rels":
            rel = (
                b'<Relationship Id="rIdSST" Target="sharedStrings.xml" '
                b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
            )
            body = body.replace(b"</Relationships>", rel + b"</Relationships>")
        if name == "[Content_Types].xml":
            override = (
                b'<Override PartName="/xl/sharedStrings.xml" '
                b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            )
            body = body.replace(b"</Types>", override + b"</Types>")
        if name.startswith("xl/worksheets/sheet"):
            body = re.sub(rb'<c r="F2"[^>]*>.*?</c>', b'<c r="F2" t="s"><v>0</v></c>', body)
            assert b'<c r="F2" t="s">' in body
        return body

    book = _rewrite(xlsx_file({"indikator": [HEADER, ["kota-cilegon", 2024, "self_assessment", 1, 3, "catatan"]]}), edit)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr("xl/sharedStrings.xml", sst)
    return out.getvalue()


def huge_shared_string() -> bytes:
    return _shared_string(100_000_000)  # 100 MB of text that compresses to about 100 KB


def long_shared_string() -> bytes:
    return _shared_string(5_000_000)  # under the shared-strings limit: the child reads it and says "too long"


def long_note_csv() -> bytes:
    note = "x" * int(4.9 * 1024 * 1024)
    return ("instansi,year,assessment,indicator_no,level,note\nkota-cilegon,2024,self_assessment,1,3," + note + "\n").encode()


CASES = {
    "declared_A1_XFD1048576": ("dimensi.xlsx", declared_whole_sheet, "xlsx_dimension_too_large", "16384 columns × 1048576 rows"),
    "six_million_blank_rows": ("kosong.xlsx", millions_of_blank_rows, "sheet_too_many_rows", "more than 120000 rows"),
    "200k_blank_rows": ("kosong2.xlsx", many_blank_rows_small_part, "sheet_too_many_rows", "more than 120000 rows"),
    "huge_shared_string": ("teks.xlsx", huge_shared_string, "xlsx_unzipped_too_large", "unpacks to"),
    "long_shared_string": ("teks2.xlsx", long_shared_string, "cell_too_long", "text too long (4.8 MB, limit 32767"),
    "long_note_csv": ("catatan.csv", long_note_csv, "cell_too_long", "text too long (4.9 MB, limit 32767"),
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_file_is_refused_fast_with_bounded_memory_and_nothing_written(case, private, tmp_path):
    file_name, build, code, phrase = CASES[case]
    data = build()
    assert len(data) < import_read.MAX_BYTES, f"{case}: {len(data)} bytes; the limits must hold for files under 5 MB"
    upload = tmp_path / file_name
    upload.write_bytes(data)
    state = tmp_path / "state"
    store_before, state_before = sha256(private), state_snapshot(state)

    run = subprocess.run([sys.executable, "-c", MEASURE, str(upload)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    print(case, f"{len(data) / 1024:.1f} KB", report)

    assert not report["ok"] and code in report["codes"], report
    assert any(phrase in m for m in report["en"]), report["en"]
    assert report["seconds"] <= MAX_SECONDS, report
    assert report["child_mb"] <= MAX_CHILD_MB, report
    assert report["parent_growth_mb"] <= MAX_PARENT_GROWTH_MB, report
    assert sha256(private) == store_before
    assert state_snapshot(state) == state_before


def test_a_child_that_runs_out_of_time_is_stopped_and_said_so():
    """The wall-time cap itself: a parse given 0.05 s is stopped and the message names the limit."""
    tables, problems = import_read.read_tables_limited(_small_book(), "lambat.xlsx", seconds=0.05)
    assert not tables and [p.code for p in problems] == ["parse_timeout"]
    assert "reading the file took more than" in problems[0].message("en")


def test_a_child_that_runs_out_of_memory_is_stopped_and_said_so():
    """The memory cap itself: a parse given too little address space fails cleanly with the limit named."""
    tables, problems = import_read.read_tables_limited(long_shared_string(), "besar.xlsx", memory_mb=4)
    assert not tables and [p.code for p in problems] == ["parse_memory"], [p.message("en") for p in problems]
    assert "more than 4 MB of memory" in problems[0].message("en")


def test_the_file_is_read_once_per_upload_and_apply_reuses_the_plan(private, monkeypatch):
    """Issue 12: the page parsed an upload three times (preview, then twice on apply)."""
    from spbe.imports import importer
    from tests.import_samples import indicator_csv

    calls = []
    real = importer.read_tables_limited
    monkeypatch.setattr("spbe.imports.plan.read_tables_limited", lambda *a, **k: calls.append(1) or real(*a, **k))
    plan = importer.plan_upload(indicator_csv(), "sekali.csv")
    result = importer.apply_plan(plan, "penguji", expected_base=plan.base_version)
    assert result.ok, [p.message("en") for p in result.problems]
    assert len(calls) == 1
