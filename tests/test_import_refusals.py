"""Issue 12: refuse what would store something else than the file says, make incomplete data visible, and say
each finding once and truly (decimal comma, hidden sheets, merged cells, an index off its parts, another
framework's indicators, 46 of 47 levels, text corrections, repeated findings, skipped instruction sheets)."""

from __future__ import annotations

import hashlib
import io

import pytest

from spbe.imports import importer
from spbe.store import versions
from tests.import_samples import CILEGON, PATTERN_LEVELS, indicator_csv, state_snapshot, xlsx_file

IND = ["instansi", "year", "assessment", "indicator_no", "level"]


def refused_untouched(private, state, data: bytes, name: str, **kwargs) -> importer.Result:
    before = (hashlib.sha256(private.read_bytes()).hexdigest(), state_snapshot(state))
    result = importer.apply_upload(data, name, "penguji", **kwargs)
    assert not result.ok and result.action == "refused"
    assert (hashlib.sha256(private.read_bytes()).hexdigest(), state_snapshot(state)) == before
    return result


def codes(result) -> list[str]:
    return [p.code for p in result.problems]


# -- field count: the decimal comma in a comma CSV ----------------------------------------------------------
def test_decimal_comma_in_a_comma_csv_domain_value_is_refused_with_the_hint(private, tmp_path):
    data = (
        b"instansi,year,assessment,domain_code,domain_name,value,note\n"
        b"kota-cilegon,2024,self_assessment,D1,Tata Kelola,2,70,\n"  # Excel with Indonesian settings, saved as comma CSV
    )
    result = refused_untouched(private, tmp_path / "state", data, "koma.csv")
    assert codes(result) == ["field_count_comma"]
    en, id_ = result.problems[0].message("en"), result.problems[0].message("id")
    assert "row 2" in en and "8 fields but the header has 7" in en and "semicolon (;)" in en and "quote" in en
    assert "titik koma (;)" in id_


def test_decimal_comma_in_the_index_sheet_is_not_an_unknown_rating(private, tmp_path):
    data = b"instansi,year,assessment,indeks,predikat,source_detail,note\nkota-cilegon,2024,self_assessment,2,56,Baik,,\n"
    result = refused_untouched(private, tmp_path / "state", data, "indeks.csv")
    assert codes(result) == ["field_count_comma"], [p.message("en") for p in result.problems]


# -- hidden sheets and merged cells -----------------------------------------------------------------------
def _book(edit) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    data = book.create_sheet("indikator")
    data.append(IND)
    data.append([CILEGON, 2024, "self_assessment", 1, 3])
    edit(book)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("state,code", [("hidden", "sheet_hidden"), ("veryHidden", "sheet_veryhidden")])
def test_hidden_and_very_hidden_sheets_are_refused_by_name(private, tmp_path, state, code):
    def edit(book):
        other = book.create_sheet("lain")
        other.append(IND)
        other.append(["kota-serang", 2024, "self_assessment", 1, 5])  # another instansi's levels, out of sight
        other.sheet_state = state

    result = refused_untouched(private, tmp_path / "state", _book(edit), "tersembunyi.xlsx")
    assert codes(result) == [code]
    assert "sheet 'lain'" in result.problems[0].message("en") and "lembar 'lain'" in result.problems[0].message("id")


def test_merged_cells_are_refused_with_the_range_not_a_formula_hint(private, tmp_path):
    def edit(book):
        sheet = book["indikator"]
        sheet.append([None, 2024, "self_assessment", 2, 3])
        sheet.merge_cells("A2:A3")  # the instansi written once for two rows

    result = refused_untouched(private, tmp_path / "state", _book(edit), "gabung.xlsx")
    assert codes(result) == ["merged_cells"]
    message = result.problems[0].message("en")
    assert "value 'A2:A3'" in message and "Unmerge" in message and "formula" not in message


# -- an index off its own domains -------------------------------------------------------------------------
def test_an_index_that_differs_from_its_domains_by_one_needs_confirmation(private, tmp_path):
    lines = ["instansi;year;assessment;domain_code;value"] + [f"{CILEGON};2024;self_assessment;D{i};3" for i in range(1, 5)]
    domains = ("\n".join(lines) + "\n").encode()
    index = f"instansi;year;assessment;indeks\n{CILEGON};2024;self_assessment;4\n".encode()
    both = xlsx_file(
        {
            "domain": [x.split(";") for x in lines[:1]] + [[CILEGON, 2024, "self_assessment", f"D{i}", 3] for i in range(1, 5)],
            "indeks": [["instansi", "year", "assessment", "indeks"], [CILEGON, 2024, "self_assessment", 4]],
        }
    )
    assert domains and index
    result = refused_untouched(private, tmp_path / "state", both, "selisih.xlsx")
    assert codes(result) == ["index_mismatch"] and result.exit_code == 3
    assert "applied only on explicit confirmation" in result.problems[0].message("en")
    applied = importer.apply_upload(both, "selisih.xlsx", "penguji", confirm_index=True)
    assert applied.ok and applied.rows_added == 5


# -- the framework of the year -----------------------------------------------------------------------------
def test_the_59_2020_template_dated_2026_is_refused_saying_2026_needs_8_2026(private, tmp_path):
    from openpyxl import load_workbook

    from spbe.imports.templates import template_xlsx

    if versions.utc_now().year < 2026:
        pytest.skip("2026 has not begun")
    book = load_workbook(io.BytesIO(template_xlsx()))
    sheet = book["indikator"]
    sheet.delete_rows(22, sheet.max_row)  # cut down to 20 indicators, as many as 8/2026 has
    for r in range(2, 22):
        sheet.cell(r, 1, CILEGON)
        sheet.cell(r, 2, 2026)
        sheet.cell(r, 3, "self_assessment")
        sheet.cell(r, 6, 3)
    buf = io.BytesIO()
    book.save(buf)
    result = refused_untouched(private, tmp_path / "state", buf.getvalue(), "templat-2026.xlsx")
    assert set(codes(result)) <= {"indicator_other_framework", "framework_unverified"}, codes(result)
    message = result.problems[0].message("en")
    assert "8/2026" in message
    assert len(result.problems) == 1, "the 20 rows are one finding, naming the rows"
    assert "rows 2-21" in message


# -- incomplete data and text corrections ------------------------------------------------------------------
def test_46_of_47_levels_is_a_visible_warning(private):
    levels = dict(PATTERN_LEVELS)
    del levels["47"]
    plan = importer.plan_upload(indicator_csv(levels), "kurang.csv")
    assert plan.ok
    [warning] = [p for p in plan.warnings if p.code == "incomplete_levels"]
    assert "46 of 47 levels imported" in warning.message("en")
    assert "46 dari 47 tingkat indikator diimpor" in warning.message("id")
    assert "missing: 47" in warning.message("en")


def test_a_note_correction_is_a_change_that_is_applied(private):
    first = b"instansi,year,assessment,indeks,note\nkota-cilegon,2024,self_assessment,2.7,catatan lama\n"
    assert importer.apply_upload(first, "a.csv", "penguji").ok
    again = b"instansi,year,assessment,indeks,note\nkota-cilegon,2024,self_assessment,2.7,catatan baru\n"
    plan = importer.plan_upload(again, "b.csv")
    assert plan.count("changed") == 1 and plan.changes[0].text_changes == ("note",)
    assert "note: 'catatan lama' → 'catatan baru'" in "\n".join(plan.summary_lines("en"))
    frame = plan.changes_frame("en")
    assert frame["Text corrected"].tolist() == ["note: 'catatan lama' → 'catatan baru'"]
    result = importer.apply_plan(plan, "penguji")
    assert result.ok and result.rows_changed == 1
    rows = versions.read_rows(versions.version_dir(result.version), "index_results.csv")
    assert [r["note"] for r in rows if r["assessment"] == "self_assessment" and r["year"] == "2024"] == ["catatan baru"]


def test_predikat_and_source_detail_corrections_of_an_official_row_need_no_value_confirmation(private):
    from spbe.store import db

    trend = db.run("index_trend", instansi_id=CILEGON)
    row = trend[(trend["year"] == 2024) & (trend["assessment"] == "official")].iloc[0]
    value = f"{float(row['indeks']):.2f}"
    data = f"instansi,year,assessment,indeks,source_detail\n{CILEGON},2024,official,{value},Lampiran halaman 12\n".encode()
    plan = importer.plan_upload(data, "rincian.csv")
    assert plan.count("changed") == 1 and plan.changes[0].text_changes == ("source_detail",)
    assert not plan.confirmations  # the value is the published one
    result = importer.apply_plan(plan, "penguji")
    assert result.ok
    rows = versions.read_rows(versions.version_dir(result.version), "index_results.csv")
    [stored] = [r for r in rows if r["assessment"] == "official" and r["year"] == "2024"]
    assert stored["source_detail"] == "Lampiran halaman 12"
    assert stored["predikat"] == str(row["predikat"]), "a text the file does not give is kept, not blanked"


def test_an_unchanged_row_without_text_is_still_nothing_to_apply(private):
    assert importer.apply_upload(indicator_csv(), "a.csv", "penguji").ok
    again = importer.apply_upload(indicator_csv(), "a.csv", "penguji")
    assert again.ok and again.action == "none"


# -- messages ----------------------------------------------------------------------------------------------
def test_a_wrong_year_in_47_rows_is_one_finding_naming_the_rows(private):
    levels = "".join(f"kota-cilegon,1999,self_assessment,{i},3\n" for i in range(1, 48))
    plan = importer.plan_upload(("instansi,year,assessment,indicator_no,level\n" + levels).encode(), "tahun.csv")
    assert [p.code for p in plan.errors] == ["year_no_framework"]
    message = plan.errors[0].message("en")
    assert "rows 2-48" in message and "value '1999'" in message
    assert "baris 2-48" in plan.errors[0].message("id")


def test_a_data_sheet_named_keterangan_is_named_as_skipped(private):
    data = xlsx_file({"Keterangan": [IND, [CILEGON, 2024, "self_assessment", 1, 3]]})
    plan = importer.plan_upload(data, "keterangan.xlsx")
    assert [p.code for p in plan.errors] == ["no_data_skipped"]
    assert "'Keterangan'" in plan.errors[0].message("en") and "rename" in plan.errors[0].message("en")
    assert [p.code for p in plan.notes] == ["sheet_skipped"]


def test_simulasi_says_46_of_47_levels_instead_of_no_levels(private):
    from tests.conftest import run_every_tab

    levels = dict(PATTERN_LEVELS)
    del levels["47"]
    result = importer.apply_upload(indicator_csv(levels), "kurang.csv", "penguji")
    assert result.ok, [p.message("en") for p in result.problems]
    at = run_every_tab("pages/4_simulasi.py", lang="en", instansi=CILEGON, tahun="2024")
    warnings = [w.value for w in at.warning]
    assert any("46 of 47 levels imported" in w for w in warnings), warnings
    assert not at.exception, [e.message for e in at.exception]
