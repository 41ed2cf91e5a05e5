"""A corpus of bad import files (CSV and XLSX): each is refused with its precise message (file, sheet, row,
column, value, what was expected) in both languages, and neither the store nor the state folder changes.
Also the good shapes that must be accepted: BOM, semicolons with decimal commas, names, Kemendagri codes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from spbe.imports import importer
from spbe.imports.read import MAX_BYTES
from tests.import_samples import (
    PATTERN_LEVELS,
    dump_store,
    index_csv,
    indicator_csv,
    make_private_store,
    state_snapshot,
    xlsx_file,
)

H = "instansi,year,assessment,indicator_no,level\n"
OK = "kota-cilegon,2024,self_assessment,1,3\n"
NEXT_YEAR = dt.datetime.now(dt.UTC).year + 1


def _csv(text: str) -> bytes:
    return text.encode("utf-8")


def _xlsx_indicator(rows: list[list], sheet: str = "indikator") -> bytes:
    return xlsx_file({sheet: [["instansi", "year", "assessment", "indicator_no", "level"], *rows]})


def _formula_xlsx() -> bytes:
    """An .xlsx whose level cell holds a formula that was never calculated (no cached value)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "indikator"
    sheet.append(["instansi", "year", "assessment", "indicator_no", "level"])
    sheet.append(["kota-cilegon", 2024, "self_assessment", 1, "=1+2"])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


# (case id, file name, bytes, problem code, row, column, value, sheet, a phrase of the English message)
BAD = [
    ("empty", "kosong.csv", b"", "empty", None, None, None, None, "the file is empty"),
    ("whitespace_only", "spasi.csv", b" \r\n\r\n", "empty", None, None, None, None, "the file is empty"),
    ("header_only", "judul.csv", _csv(H), "no_data", None, None, None, None, "only column names"),
    (
        "level_7",
        "l7.csv",
        _csv(H + OK + "kota-cilegon,2024,self_assessment,2,7\n"),
        "level_out_of_scale",
        3,
        "level",
        "7",
        None,
        "expected a whole number from 1 to 5",
    ),
    (
        "level_0",
        "l0.csv",
        _csv(H + "kota-cilegon,2024,self_assessment,2,0\n"),
        "level_out_of_scale",
        2,
        "level",
        "0",
        None,
        "outside the PermenPANRB 59/2020 scale",
    ),
    (
        "level_2.5",
        "l25.csv",
        _csv(H + OK + OK.replace(",1,3", ",2,2.5")),
        "level_not_whole",
        3,
        "level",
        "2.5",
        None,
        "a whole number from 1 to 5",
    ),
    (
        "level_decimal_comma",
        "l25b.csv",
        _csv(H.replace(",", ";") + "kota-cilegon;2024;self_assessment;4;2,5\n"),
        "level_not_whole",
        2,
        "level",
        "2,5",
        None,
        "a whole number",
    ),
    (
        "level_word",
        "tiga.csv",
        _csv(H + "kota-cilegon,2024,self_assessment,1,tiga\n"),
        "not_a_number",
        2,
        "level",
        "tiga",
        None,
        "not a number",
    ),
    (
        "unknown_instansi",
        "atlantis.csv",
        _csv(H + "Kota Atlantis,2024,self_assessment,1,3\n"),
        "unknown_instansi",
        2,
        "instansi",
        "Kota Atlantis",
        None,
        "unknown instansi",
    ),
    (
        "misspelt_instansi",
        "typo.csv",
        _csv(H + OK + "Kota Cilgon,2024,self_assessment,2,3\n"),
        "unknown_instansi_suggest",
        3,
        "instansi",
        "Kota Cilgon",
        None,
        "Did you mean 'Kota Cilegon' (kota-cilegon)?",
    ),
    (
        "unknown_indicator",
        "i48.csv",
        _csv(H + "kota-cilegon,2024,self_assessment,48,3\n"),
        "unknown_indicator",
        2,
        "indicator_no",
        "48",
        None,
        "expected 1 to 47",
    ),
    (
        "year_before_frameworks",
        "y2015.csv",
        _csv(H + "kota-cilegon,2015,self_assessment,1,3\n"),
        "year_no_framework",
        2,
        "year",
        "2015",
        None,
        "start in 2018",
    ),
    (
        "year_future",
        "y_next.csv",
        _csv(H + f"kota-cilegon,{NEXT_YEAR},self_assessment,1,3\n"),
        "year_future",
        2,
        "year",
        str(NEXT_YEAR),
        None,
        "has not happened yet",
    ),
    (
        "year_text",
        "ytext.csv",
        _csv(H + "kota-cilegon,20x4,self_assessment,1,3\n"),
        "bad_year",
        2,
        "year",
        "20x4",
        None,
        "four-digit year",
    ),
    (
        "unknown_assessment",
        "final.csv",
        _csv(H + "kota-cilegon,2024,final,1,3\n"),
        "unknown_assessment",
        2,
        "assessment",
        "final",
        None,
        "expected one of desk_evaluation, interview_evaluation, official, self_assessment",
    ),
    (
        "illustration",
        "ilus.csv",
        _csv(H + "kota-cilegon,2024,illustration,1,3\n"),
        "assessment_illustration",
        2,
        "assessment",
        "illustration",
        None,
        "cannot be imported",
    ),
    (
        "unknown_framework",
        "fw.csv",
        _csv(
            "instansi,year,assessment,framework_id,indicator_no,level\nkota-cilegon,2024,self_assessment,permenpanrb-1-2000,1,3\n"
        ),
        "unknown_framework",
        2,
        "framework_id",
        "permenpanrb-1-2000",
        None,
        "unknown framework",
    ),
    (
        "framework_of_another_year",
        "fw2.csv",
        _csv(
            "instansi,year,assessment,framework_id,indicator_no,level\nkota-cilegon,2024,self_assessment,permenpanrb-5-2018,1,3\n"
        ),
        "framework_mismatch",
        2,
        "framework_id",
        "permenpanrb-5-2018",
        None,
        "evaluated under permenpanrb-59-2020",
    ),
    (
        "duplicate_row",
        "dup.csv",
        _csv(H + OK + "kota-cilegon,2024,self_assessment,2,3\n" + OK),
        "duplicate_row",
        4,
        None,
        None,
        None,
        "already in row 2",
    ),
    (
        "missing_level_column",
        "nolevel.csv",
        _csv("instansi,year,assessment,indicator_no\nkota-cilegon,2024,self_assessment,1\n"),
        "missing_column",
        1,
        "level",
        None,
        None,
        "a required column is missing",
    ),
    (
        "no_level_signal",
        "score.csv",
        _csv("instansi,year,assessment,score\nkota-cilegon,2024,self_assessment,3\n"),
        "unknown_column",
        1,
        "score",
        "score",
        None,
        "unknown column name",
    ),
    (
        "no_instansi_column",
        "noinst.csv",
        _csv("year,assessment,indicator_no,level\n2024,self_assessment,1,3\n"),
        "missing_identifier",
        1,
        "instansi",
        None,
        None,
        "no column names the instansi",
    ),
    (
        "latin1",
        "latin1.csv",
        "instansi,year,assessment,indicator_no,level,note\nkota-cilegon,2024,self_assessment,1,3,Sudah "
        "dicek oleh Bapak Andrés\n".encode("latin-1"),
        "not_utf8",
        2,
        None,
        None,
        None,
        "byte 0xE9 at position",
    ),
    ("utf16", "utf16.csv", (H + OK).encode("utf-16"), "utf16", None, None, None, None, "UTF-16"),
    ("too_large", "besar.csv", _csv(H) + b"#" * (MAX_BYTES + 1), "too_large", None, None, None, None, "over the 5.00 MB limit"),
    ("index_5.5", "idx55.csv", index_csv("5,5"), "index_out_of_range", 2, "indeks", "5,5", None, "expected 1 to 5"),
    ("index_0.5", "idx05.csv", index_csv("0.5"), "index_out_of_range", 2, "indeks", "0.5", None, "expected 1 to 5"),
    ("index_word", "idxw.csv", index_csv("dua"), "not_a_number", 2, "indeks", "dua", None, "not a number"),
    (
        "unknown_domain",
        "d5.csv",
        _csv("instansi;year;assessment;domain_code;value\nkota-cilegon;2024;self_assessment;D5;3\n"),
        "unknown_domain",
        2,
        "domain_code",
        "D5",
        None,
        "expected one of D1, D2, D3, D4",
    ),
    (
        "domain_value_out_of_scale",
        "d6.csv",
        _csv("instansi;year;assessment;domain_code;value\nkota-cilegon;2024;self_assessment;D1;6,1\n"),
        "value_out_of_scale",
        2,
        "value",
        "6,1",
        None,
        "expected 1 to 5",
    ),
    (
        "aspect_of_59_2020",
        "aspek.csv",
        _csv("instansi,year,assessment,aspect_code,value\nkota-cilegon,2024,self_assessment,A2,3\n"),
        "aspect_not_stored",
        2,
        "aspect_code",
        "A2",
        None,
        "aspect values are not stored",
    ),
    (
        "unquoted_decimal_comma",
        "koma.csv",
        _csv("instansi,year,assessment,domain_code,value\nkota-cilegon,2024,self_assessment,D1,2,5\n"),
        "field_count_comma",
        2,
        None,
        None,
        None,
        "decimal comma",
    ),
    (
        "unclosed_quote",
        "kutip.csv",
        _csv(H + OK + '"kota-cilegon,2024,self_assessment,2,3\n'),
        "csv_syntax",
        3,
        None,
        None,
        None,
        "unclosed quotation mark",
    ),
    (
        "two_names_disagree",
        "dua.csv",
        _csv("instansi_id,instansi_name,year,assessment,indicator_no,level\nkota-cilegon,Kota Serang,2024,self_assessment,1,3\n"),
        "instansi_disagree",
        2,
        None,
        None,
        None,
        "'kota-cilegon' and 'kota-serang'",
    ),
    (
        "empty_assessment",
        "nopen.csv",
        _csv(H + "kota-cilegon,2024,,1,3\n"),
        "empty_value",
        2,
        "assessment",
        None,
        None,
        "a required value is empty",
    ),
    (
        "control_character_in_note",
        "ctrl.csv",
        _csv("instansi,year,assessment,indicator_no,level,note\nkota-cilegon,2024,self_assessment,1,3,ok\x07\n"),
        "text_control",
        2,
        "note",
        "ok\\x07",
        None,
        "control characters",
    ),
    (
        "two_levels_in_one_table",
        "campur.csv",
        _csv("instansi,year,assessment,indicator_no,level,indeks\nkota-cilegon,2024,self_assessment,1,3,2.5\n"),
        "ambiguous_level",
        1,
        None,
        "indicator_no, indeks",
        None,
        "one level of data",
    ),
    ("ods_file", "hasil.ods", b"PK\x03\x04not really", "unsupported_type", None, None, ".ods", None, "expected .csv or .xlsx"),
    ("old_xls", "hasil.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old_xls", None, None, None, None, ".xls"),
    (
        "xlsx_named_csv",
        "excel.csv",
        _xlsx_indicator([["kota-cilegon", 2024, "self_assessment", 1, 3]]),
        "csv_is_zip",
        None,
        None,
        None,
        None,
        "holds an Excel workbook",
    ),
    # Excel
    (
        "xlsx_level_7",
        "l7.xlsx",
        _xlsx_indicator(
            [
                ["kota-cilegon", 2024, "self_assessment", 1, 3],
                ["kota-cilegon", 2024, "self_assessment", 2, 3],
                ["kota-cilegon", 2024, "self_assessment", 3, 3],
                ["kota-cilegon", 2024, "self_assessment", 4, 7],
            ]
        ),
        "level_out_of_scale",
        5,
        "level",
        "7",
        "indikator",
        "expected a whole number from 1 to 5",
    ),
    (
        "xlsx_level_2.5",
        "l25.xlsx",
        _xlsx_indicator([["kota-cilegon", 2024, "self_assessment", 1, 2.5]]),
        "level_not_whole",
        2,
        "level",
        "2.5",
        "indikator",
        "a whole number",
    ),
    ("xlsx_not_a_workbook", "palsu.xlsx", _csv(H + OK), "xlsx_not_zip", None, None, None, None, "not a valid Excel workbook"),
    (
        "xlsx_truncated",
        "rusak.xlsx",
        _xlsx_indicator([["kota-cilegon", 2024, "self_assessment", 1, 3]])[:300],
        "xlsx_unreadable",
        None,
        None,
        None,
        None,
        "cannot be read",
    ),
    ("xlsx_header_only", "kosong.xlsx", _xlsx_indicator([]), "no_data", None, None, None, None, "only column names"),
    (
        "xlsx_year_as_date",
        "tgl.xlsx",
        _xlsx_indicator([["kota-cilegon", dt.datetime(2024, 1, 1), "self_assessment", 1, 3]]),
        "bad_year",
        2,
        "year",
        "2024-01-01 00:00:00",
        "indikator",
        "four-digit year",
    ),
    (
        "xlsx_boolean_level",
        "bool.xlsx",
        _xlsx_indicator([["kota-cilegon", 2024, "self_assessment", 1, True]]),
        "not_a_number",
        2,
        "level",
        "TRUE",
        "indikator",
        "not a number",
    ),
    (
        "xlsx_uncalculated_formula",
        "rumus.xlsx",
        _formula_xlsx(),
        "empty_value_xlsx",
        2,
        "level",
        None,
        "indikator",
        "If the cell holds a formula",
    ),
    (
        "xlsx_duplicate_across_sheets",
        "dua_lembar.xlsx",
        xlsx_file(
            {
                "a": [["instansi", "year", "assessment", "indicator_no", "level"], ["kota-cilegon", 2024, "official", 1, 3]],
                "b": [["instansi", "year", "assessment", "indicator_no", "level"], ["kota-cilegon", 2024, "official", 1, 4]],
            }
        ),
        "duplicate_row_sheet",
        2,
        None,
        None,
        "b",
        "already in sheet 'a' row 2",
    ),
    (
        "xlsx_unknown_instansi_code",
        "kode.xlsx",
        xlsx_file({"indeks": [["kemendagri_code", "year", "assessment", "indeks"], [99.99, 2024, "official", 3.1]]}),
        "unknown_instansi",
        2,
        "kemendagri_code",
        "99.99",
        "indeks",
        "unknown instansi",
    ),
]


@pytest.fixture(scope="module")
def applied_state(store, tmp_path_factory):
    """A private store with one import already applied, so the state folder has content to protect."""
    tmp_path = tmp_path_factory.mktemp("validation")
    with pytest.MonkeyPatch.context() as mp:
        target = make_private_store(tmp_path, mp, store)
        first = importer.apply_upload(indicator_csv(), "awal.csv", "penguji")
        assert first.ok, [p.message("en") for p in first.problems]
        yield target, tmp_path / "state", dump_store(target), state_snapshot(tmp_path / "state")


def test_the_corpus_is_large_and_distinct():
    ids = [case[0] for case in BAD]
    assert len(ids) == len(set(ids)) >= 20
    assert len({case[2] for case in BAD}) == len(BAD), "every bad file has distinct content"
    assert sum(case[1].endswith(".xlsx") for case in BAD) >= 8
    assert len({case[3] for case in BAD}) >= 30, "the corpus covers many different problems"


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_bad_file_is_refused_with_its_precise_message_and_nothing_changes(case, applied_state, monkeypatch):
    _, file_name, data, code, row, column, value, sheet, phrase = case
    target, state, dump_before, state_before = applied_state
    monkeypatch.setenv("SPBE_DB", str(target))
    monkeypatch.setenv("SPBE_STATE_DIR", str(state))

    result = importer.apply_upload(data, file_name, "penguji")

    assert not result.ok and result.action == "refused"
    assert result.exit_code == 2
    matching = [p for p in result.problems if p.code == code]
    assert matching, f"expected {code}, got {[p.message('en') for p in result.problems]}"
    problem = matching[0]
    en, id_ = problem.message("en"), problem.message("id")
    assert f"file '{file_name}'" in en and f"berkas '{file_name}'" in id_
    if sheet is not None:
        assert f"sheet '{sheet}'" in en and f"lembar '{sheet}'" in id_
    if row is not None:
        assert f"row {row}" in en and f"baris {row}" in id_
    if column is not None:
        assert f"column '{column}'" in en and f"kolom '{column}'" in id_
    if value is not None:
        assert f"value '{value}'" in en and f"nilai '{value}'" in id_
    assert phrase in en, en
    assert id_ != en, "the Indonesian message is its own text"

    assert dump_store(target) == dump_before
    assert state_snapshot(state) == state_before


def test_every_problem_is_reported_not_just_the_first():
    data = _csv(H + "Kota Atlantis,2015,final,99,9\n")
    plan = importer.plan_upload(data, "banyak.csv")
    codes = {p.code for p in plan.errors}
    assert {"unknown_instansi", "year_no_framework", "unknown_assessment", "level_out_of_scale"} <= codes


# -- accepted shapes ------------------------------------------------------------------------------------------
def test_utf8_bom_and_semicolons_with_decimal_commas_are_accepted():
    data = b"\xef\xbb\xbf" + _csv(
        "instansi;year;assessment;domain_code;value\n"
        "kota-cilegon;2024;self_assessment;D1;2,5\n"
        "kota-cilegon;2024;self_assessment;d2;3,25\n"
    )
    plan = importer.plan_upload(data, "bom.csv")
    assert plan.ok, [p.message("en") for p in plan.problems]
    assert [(r.code, r.value) for r in plan.rows] == [("D1", 2.5), ("D2", 3.25)]


def test_instansi_by_exact_name_and_by_kemendagri_code():
    data = _csv("instansi,year,assessment,indeks\nKota  cilegon,2024,self_assessment,2.9\n36.72,2023,self_assessment,2.4\n")
    plan = importer.plan_upload(data, "nama.csv")
    assert plan.ok, [p.message("en") for p in plan.problems]
    assert {r.instansi_id for r in plan.rows} == {"kota-cilegon"}


def test_indonesian_column_names_and_comment_lines():
    data = _csv(
        "# diisi oleh Diskominfo\ntahun,nama_instansi,penilaian,indikator,tingkat,catatan\n"
        "2024,Kota Cilegon,mandiri,1,3,dokumen ada\n"
    )
    plan = importer.plan_upload(data, "indo.csv")
    assert plan.ok, [p.message("en") for p in plan.problems]
    row = plan.rows[0]
    assert (row.assessment, row.code, row.value, row.note) == ("self_assessment", "1", 3.0, "dokumen ada")


def test_many_instansi_and_years_in_one_file():
    data = _csv(
        H + "kota-cilegon,2023,self_assessment,1,2\nkota-serang,2024,official,1,3\nkabupaten-lebak,2022,desk_evaluation,5,4\n"
    )
    plan = importer.plan_upload(data, "banyak.csv")
    assert plan.ok
    assert len(plan.rows) == 3 and plan.count("added") == 3


def test_a_2026_aspect_file_is_stored_as_the_top_level():
    this_year = dt.datetime.now(dt.UTC).year
    if this_year < 2026:
        pytest.skip("no 2026 evaluation year yet")
    data = _csv("instansi,year,assessment,aspect_code,value\nkota-cilegon,2026,self_assessment,3,2.5\n")
    plan = importer.plan_upload(data, "pemdi.csv")
    assert plan.ok, [p.message("en") for p in plan.problems]
    assert (plan.rows[0].level, plan.rows[0].framework_id, plan.rows[0].code) == ("domain", "permenpanrb-8-2026", "3")


def test_filled_excel_template_is_accepted_and_the_unchanged_template_is_no_data():
    from openpyxl import load_workbook

    from spbe.imports.templates import template_xlsx

    blank = importer.plan_upload(template_xlsx(), "templat.xlsx")
    assert [p.code for p in blank.errors] == ["no_data_skipped"]  # names the skipped instruction sheet
    book = load_workbook(io.BytesIO(template_xlsx()))
    sheet = book["indikator"]
    assert sheet.max_row == 48, "the 47 indicators of 59/2020 are prefilled"
    for r in range(2, 49):
        sheet.cell(r, 1, "Kota Cilegon")
        sheet.cell(r, 2, 2024)
        sheet.cell(r, 3, "self_assessment")
        sheet.cell(r, 6, PATTERN_LEVELS[str(sheet.cell(r, 4).value)])
    buf = io.BytesIO()
    book.save(buf)
    plan = importer.plan_upload(buf.getvalue(), "terisi.xlsx")
    assert plan.ok, [p.message("en") for p in plan.problems]
    assert len(plan.rows) == 47


def test_csv_templates_carry_instructions_and_the_prefilled_indicators():
    from spbe.imports.templates import template_csv

    data = template_csv("indicator")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "# TEMPLAT IMPOR" in text and "# SPBE EVALUATION RESULTS IMPORT TEMPLATE" in text
    assert "kota-cilegon,2024,self_assessment,1," in text, "an example row in the instructions"
    assert text.count("\n,,,") == 47, "47 rows with only the number and name filled"
    assert [p.code for p in importer.plan_upload(data, "t.csv").errors] == ["no_data"]


def test_indicator_name_that_does_not_match_its_number_is_a_warning(applied_state, monkeypatch):
    # On the store with Cilegon's 47 self-assessment levels of 2024 applied (applied_state), so the one level
    # uploaded leaves none missing: the name is the only finding. Explicit, not left to which tests ran before
    # on the same worker (the module fixture's environment used to leak into it).
    target, state, _, _ = applied_state
    monkeypatch.setenv("SPBE_DB", str(target))
    monkeypatch.setenv("SPBE_STATE_DIR", str(state))
    data = _csv(
        "instansi,year,assessment,indicator_no,indicator_name,level\n"
        "kota-cilegon,2024,self_assessment,1,Tingkat Kematangan Audit Keamanan SPBE,3\n"
    )
    plan = importer.plan_upload(data, "geser.csv")
    assert plan.ok
    assert [p.code for p in plan.warnings] == ["indicator_name_mismatch"]


def test_a_damaged_zip_inside_a_real_xlsx_name_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    plan = importer.plan_upload(buf.getvalue(), "zip.xlsx")
    assert [p.code for p in plan.errors] == ["xlsx_unreadable"]


def test_upload_text_is_kept_as_data_never_markup():
    """A note that looks like HTML or a formula is stored as text; the preview tables are plain data."""
    data = _csv(
        "instansi,year,assessment,indicator_no,level,note\n"
        "kota-cilegon,2024,self_assessment,1,3,<script>alert(1)</script>\n"
        'kota-cilegon,2024,self_assessment,2,3,=HYPERLINK("http://x")\n'
    )
    plan = importer.plan_upload(data, "<b>nakal</b>.csv")
    assert plan.ok
    assert plan.rows[0].note == "<script>alert(1)</script>"
    assert importer.safe_label("<b>nakal</b>.csv") == "bnakal/b.csv"
