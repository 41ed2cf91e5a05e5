"""2026 (PermenPANRB 8/2026) import: the new template filled for Kota Cilegon imports through the CLI; files made
for the other framework are refused with a message naming the framework the year needs, the store unchanged.

The values below are a test self-assessment (not a real result): no 2026 result exists for any Banten instansi."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import duckdb
import openpyxl

from spbe.imports.templates import PEMDI_FRAMEWORK, template_csv, template_xlsx
from tests.import_samples import run_cli as cli
from tests.import_samples import state_snapshot

ROOT = Path(__file__).resolve().parents[1]
# 20 test values (decimals allowed in 8/2026); sum(weight x value) = 188, so the Indeks Pemdi is 1.88
VALUES = [2, 2, 1.5, 2, 1, 1, 1, 1, 2, 2, 1, 2, 3, 2.5, 2, 2, 3, 1, 2, 2]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def filled_xlsx(framework_id: str, year: int, values, index: float | None = None) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx(framework_id)))
    ws = wb["indikator"]
    head = [c.value for c in ws[1]]
    for row, value in zip(range(2, 2 + len(values)), values, strict=True):
        ws.cell(row, head.index("instansi") + 1, "Kota Cilegon")
        ws.cell(row, head.index("year") + 1, year)
        ws.cell(row, head.index("assessment") + 1, "self_assessment")
        ws.cell(row, head.index("level") + 1, value)
    if index is not None:
        ws = wb["indeks"]
        head = [c.value for c in ws[1]]
        for col, value in (("instansi", "kota-cilegon"), ("year", year), ("assessment", "self_assessment"), ("indeks", index)):
            ws.cell(2, head.index(col) + 1, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_template_2026_has_the_20_indicators_weights_and_criteria():
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx(PEMDI_FRAMEWORK)))
    assert wb.sheetnames == ["petunjuk", "indikator", "aspek", "indeks", "panduan"]
    names = [r[4] for r in wb["indikator"].iter_rows(min_row=2, values_only=True)]
    assert len(names) == 20 and names[0] == "Tingkat Kematangan Tata Kelola Pemdi"
    guide = list(wb["panduan"].iter_rows(values_only=True))
    head = guide[0]
    assert head[:4] == ("no", "aspek", "indikator", "bobot_persen") and "level_3" in head and "level_3_en" in head
    assert sum(r[3] for r in guide[1:]) == 100 and guide[13][3] == 5  # indicator 13: 5 % (Tabel 1)
    assert "SDI" in guide[5][head.index("level_2")]  # indicator 5 shows its external score range
    text = template_csv("indicator", PEMDI_FRAMEWORK).decode("utf-8-sig")
    assert "PermenPANRB 8/2026" in text and "level 5" in text


def test_cilegon_2026_self_assessment_imports_with_decimals(private, tmp_path):
    out = cli("import", write(tmp_path, "cilegon-2026.xlsx", filled_xlsx(PEMDI_FRAMEWORK, 2026, VALUES, 1.88)), "--lang", "en")
    assert out.returncode == 0, out.stderr
    assert "Added: 21" in out.stdout
    assert "Kota Cilegon 2026 (Self-assessment) = 1.88" in out.stdout
    assert "3: – → 1.50" in out.stdout  # a decimal value is shown as entered, never rounded to a level
    con = duckdb.connect(str(private), read_only=True)
    try:
        levels = con.execute(
            "select indicator_no, level from indicator_results where instansi_id = 'kota-cilegon' and year = 2026 "
            "and framework_id = 'permenpanrb-8-2026' order by indicator_no"
        ).fetchall()
        index = con.execute(
            "select framework_id, indeks, predikat from index_results where instansi_id = 'kota-cilegon' and year = 2026"
        ).fetchall()
        old = con.execute(
            "select count(*) from index_results where instansi_id = 'kota-cilegon' and year < 2026 and framework_id <> 'permenpanrb-8-2026'"
        ).fetchone()[0]
    finally:
        con.close()
    assert [v for _, v in levels] == VALUES
    assert index == [("permenpanrb-8-2026", 1.88, "Cukup")]
    assert old >= 6  # the Indeks SPBE history stays beside it


def test_csv_template_2026_imports(private, tmp_path):
    lines = template_csv("indicator", PEMDI_FRAMEWORK).decode("utf-8-sig").splitlines()
    body = []
    n = 0
    for line in lines:
        if line.startswith(",,,") and n < 20:
            line = f"kota-cilegon,2026,self_assessment{line[2:].rstrip(',')},{VALUES[n]},"
            n += 1
        body.append(line)
    out = cli("import", write(tmp_path, "cilegon-2026.csv", "\n".join(body).encode("utf-8")), "--dry-run", "--lang", "en")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Added: 20" in out.stdout and "= 1.88" in out.stdout


def test_59_2020_file_dated_2026_is_refused_naming_8_2026(private, tmp_path):
    before = sha256(private)
    path = write(tmp_path, "lama-2026.xlsx", filled_xlsx("permenpanrb-59-2020", 2026, [3] * 47))
    out = cli("import", path, "--lang", "en")
    assert out.returncode == 2
    assert "2026 is evaluated under PermenPANRB 8/2026" in out.stderr
    assert "PermenPANRB 59/2020" in out.stderr
    out = cli("import", path)
    assert out.returncode == 2 and "2026 dievaluasi dengan PermenPANRB 8/2026" in out.stderr
    assert sha256(private) == before and state_snapshot(tmp_path / "state") == {}


def test_8_2026_file_dated_2025_is_refused_naming_59_2020(private, tmp_path):
    before = sha256(private)
    path = write(tmp_path, "baru-2025.xlsx", filled_xlsx(PEMDI_FRAMEWORK, 2025, [3] * 20))
    out = cli("import", path, "--lang", "en")
    assert out.returncode == 2
    assert "2025 is evaluated under PermenPANRB 59/2020" in out.stderr and "PermenPANRB 8/2026" in out.stderr
    assert sha256(private) == before and state_snapshot(tmp_path / "state") == {}


def test_decimal_values_refused_before_2026(private, tmp_path):
    before = sha256(private)
    data = b"instansi,year,assessment,indicator_no,level\nkota-cilegon,2024,self_assessment,3,1.26\n"
    out = cli("import", write(tmp_path, "desimal-2024.csv", data), "--lang", "en")
    assert out.returncode == 2 and "a maturity level is a whole number" in out.stderr
    assert sha256(private) == before
