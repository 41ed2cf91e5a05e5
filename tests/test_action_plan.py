"""The action-plan workbook read back with openpyxl: the goal-seek steps on Kota Cilegon's real 2022 levels
are present per OPD, numbers are numbers, sheet names are unique, readable and at most 31 characters,
the header is frozen, filtered and styled, and the region's own columns are there and empty."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from spbe.core import simulate
from spbe.core.frameworks import framework_for_year
from spbe.models import opd
from spbe.presentation import action_plan
from spbe.store import db

FW = framework_for_year(2022)
LONG_NAMES = [
    "Dinas Perpustakaan dan Kearsipan (DPK)",
    "Bagian Pengadaan Barang dan Jasa Sekretariat Daerah Kota",
    "Bagian Pengadaan Barang dan Jasa Sekretariat Daerah Kabupaten",
    "DKISP",
    "Badan/Kantor: [lama]",
]


def cilegon_levels(year: int = 2022) -> dict[str, int]:
    rows = db.run("indicator_levels", instansi_id="kota-cilegon")
    return {
        r.indicator_code: int(r.level) for r in rows[(rows["year"] == year) & (rows["assessment"] == "official")].itertuples()
    }


@pytest.fixture(scope="module")
def plan():
    mapping = opd.load_mapping(FW, "kota-cilegon").mapping
    return action_plan.plan_steps(FW, cilegon_levels(), mapping, lang="id")


@pytest.fixture(scope="module")
def book(plan):
    data = action_plan.workbook(plan, "id", "Rencana aksi SPBE Kota Cilegon: tingkat indikator 2022")
    return openpyxl.load_workbook(io.BytesIO(data))


def table(ws) -> pd.DataFrame:
    """The step table of a sheet: the styled header row and the rows below it."""
    rows = list(ws.iter_rows(values_only=True))
    top = next(i for i, row in enumerate(rows) if row[0] in ("Urutan", "No indikator", "Singkatan"))
    return pd.DataFrame(rows[top + 1 :], columns=rows[top])


def test_the_plan_is_the_simulators_goal_seek_on_the_2022_levels(plan):
    expected = simulate.goal_seek_from_levels(FW, cilegon_levels(), 2.60)
    assert plan.status == "reached" and plan.target == pytest.approx(2.60) and plan.target_name == "Baik"
    assert plan.start_index == pytest.approx(2.007)  # the 47 real levels of 2022 (printed 2,01)
    assert [str(n) for n in plan.steps["indicator_no"]] == [s.key for s in expected.steps]
    assert int(plan.steps["steps"].sum()) == expected.total_steps
    assert plan.steps["cumulative_index"].iloc[-1] == pytest.approx(expected.end_index)
    assert plan.steps["opd"].notna().all()


def test_plan_steps_are_in_the_workbook_per_opd(plan, book):
    whole = table(book["Rencana"])
    assert list(whole["No indikator"]) == [int(n) for n in plan.steps["indicator_no"]]
    assert list(whole["Tingkat saat ini"]) == list(plan.steps["current_level"])
    assert list(whole["Tingkat target"]) == list(plan.steps["target_level"])
    assert whole["Indeks kumulatif"].iloc[-1] == pytest.approx(plan.end_index)
    names = action_plan.opd_sheets(plan.opds, ["Ringkasan", "Rencana"])
    for owner, part in plan.steps.groupby("opd"):
        sheet = book[names[owner].sheet]
        assert sheet["A1"].value.endswith(owner) or sheet["A1"].value == owner  # full name in the header row
        rows = table(sheet)
        assert sorted(rows["No indikator"]) == sorted(int(n) for n in part["indicator_no"])


def test_numeric_cells_are_numbers_and_work_columns_are_empty(book):
    ws = book["Rencana"]
    rows = table(ws)
    for column in ("Urutan", "No indikator", "Tingkat saat ini", "Tingkat target", "Kenaikan (tingkat)"):
        assert all(isinstance(v, int) for v in rows[column]), column
    for column in ("Poin indeks", "Indeks kumulatif"):
        assert all(isinstance(v, int | float) for v in rows[column]), column
    for column in ("Penanggung jawab", "Tenggat", "Status", "Bukti dukung"):
        assert rows[column].isna().all(), column
    summary = table(book["Ringkasan"])
    assert all(isinstance(v, int) for v in summary["Jumlah kenaikan"])
    assert sum(summary["Jumlah kenaikan"]) == int(rows["Kenaikan (tingkat)"].sum())


def test_header_frozen_filtered_styled_and_columns_sized(book):
    for ws in book.worksheets:
        assert ws.freeze_panes is not None, ws.title
        assert ws.auto_filter.ref, ws.title
    ws = book["Rencana"]
    header_row = int(ws.freeze_panes[1:]) - 1
    assert ws.cell(header_row, 1).font.bold and ws.cell(header_row, 1).fill.fgColor.rgb.endswith("1F4E79")
    assert ws.column_dimensions["D"].width >= 50  # the indicator name is readable


def test_sheet_names_unique_readable_and_short(book):
    names = book.sheetnames
    assert len(names) == len({n.lower() for n in names})
    assert all(len(n) <= 31 for n in names)
    sheets = action_plan.opd_sheets(LONG_NAMES, ["Ringkasan", "Rencana"])
    assert sheets["Dinas Perpustakaan dan Kearsipan (DPK)"].sheet == "DPK"
    assert sheets["Dinas Perpustakaan dan Kearsipan (DPK)"].full_name == "Dinas Perpustakaan dan Kearsipan (DPK)"
    made = [s.sheet for s in sheets.values()]
    assert len(made) == len({m.lower() for m in made}) and all(len(m) <= 31 for m in made)
    assert not any(ch in m for m in made for ch in "[]:*?/\\")
    assert not any(m.endswith("Kearsipa") for m in made)  # cut at a word boundary, never mid-word
    assert made[1].startswith("Bag. Pengadaan Barang dan Jasa") and made[2].endswith("(2)")


def test_without_levels_the_workbook_says_why_and_holds_no_steps():
    mapping = opd.load_mapping(FW, "kota-cilegon").mapping
    plan = action_plan.plan_steps(FW, {}, mapping, lang="en")
    assert plan.status == "no_data" and plan.steps.empty
    book = openpyxl.load_workbook(io.BytesIO(action_plan.workbook(plan, "en", "Plan")))
    assert book.sheetnames[:2] == ["Summary", "Plan"]
    assert "not held" in book["Summary"]["A2"].value


def test_opd_names_that_look_like_formulas_stay_text():
    fw_mapping = opd.load_mapping(FW, "kota-cilegon").mapping.copy()
    fw_mapping["opd"] = '=HYPERLINK("http://example.invalid")'
    plan = action_plan.plan_steps(FW, cilegon_levels(), fw_mapping, lang="id")
    book = openpyxl.load_workbook(io.BytesIO(action_plan.workbook(plan, "id", "Rencana")))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(c.data_type == "f" for c in cells)
    assert all(len(n) <= 31 and not any(ch in n for ch in "[]:*?/\\") for n in book.sheetnames)


def test_the_opd_page_offers_the_plan_download():
    from tests.conftest import run_page

    at = run_page("pages/5_opd.py", lang="id", instansi="kota-cilegon", tahun="2024")
    assert not at.exception, [e.message for e in at.exception]
    assert "opd_download" in {b.key for b in at.get("download_button")}


def test_an_8_2026_plan_carries_what_each_target_level_requires():
    """Issue 14: under PermenPANRB 8/2026 each plan row says what its target level requires (our summary of the
    Lampiran criteria); a 59/2020 plan has no such column."""
    fw = framework_for_year(2026)
    levels = {i.code: 1 for i in fw.indicators}  # a test start, not anyone's result
    plan = action_plan.plan_steps(fw, levels, opd.load_mapping(fw, "kota-cilegon").mapping, lang="id")
    assert plan.status == "reached" and len(plan.steps)
    for row in plan.steps.itertuples():
        expected = fw.criteria[(str(row.indicator_no), int(row.target_level))].criteria("id")
        assert row.criteria == expected and expected
    sheet = openpyxl.load_workbook(io.BytesIO(action_plan.workbook(plan, "id", "uji"))).worksheets[1]
    shown = table(sheet)
    assert "Yang dibutuhkan untuk tingkat target (ringkasan; Lampiran PermenPANRB 8/2026 yang mengikat)" in shown.columns
    book_59 = openpyxl.load_workbook(
        io.BytesIO(action_plan.workbook(action_plan.plan_steps(FW, cilegon_levels(), pd.DataFrame()), "id", "x"))
    )
    assert not any("Yang dibutuhkan" in str(c) for row in book_59.worksheets[1].iter_rows(values_only=True) for c in row)
