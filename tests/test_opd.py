"""OPD ownership: the default suggestion follows the issue's rules, the mapping is validated, saved
atomically (the previous version kept), a broken saved file is not used and not lost, points at stake."""

import io
import os

import openpyxl
import pandas as pd
import pytest

from spbe.core.frameworks import framework_for_year
from spbe.models import opd

FW = framework_for_year(2024)


@pytest.fixture()
def state(tmp_path, monkeypatch):
    monkeypatch.setenv("SPBE_STATE_DIR", str(tmp_path / "state"))
    return tmp_path / "state"


def owner_of(mapping, no):
    return mapping.set_index("indicator_no").loc[str(no), "opd"]


def test_default_follows_the_rules_generic_names():
    m = opd.default_mapping(FW, "kota-serang")
    assert len(m) == 47 and set(m["status"]) == {"saran"}
    assert owner_of(m, 32) == "Bappeda"  # planning
    assert {owner_of(m, n) for n in (33, 34, 38)} == {"BPKPAD"}  # budgeting, finance, regional assets
    assert owner_of(m, 35) == "Bagian Pengadaan Barang dan Jasa"
    assert {owner_of(m, n) for n in (25, 36, 41)} == {"BKPSDM"}  # competence, personnel, staff performance
    assert owner_of(m, 37) == "Dinas Perpustakaan dan Kearsipan (DPK)"
    assert owner_of(m, 39) == "Inspektorat"
    assert owner_of(m, 40) == "Bagian Organisasi"
    assert owner_of(m, 44) == "Bagian Hukum"
    assert [owner_of(m, n) for n in (45, 46, 47)] == ["DPMPTSP", "Disdukcapil", "Dinas Kesehatan"]
    assert owner_of(m, 16) == "Diskominfo"  # the rest
    assert m["reason_id"].str.len().min() > 10


def test_cilegon_gets_its_own_agency_names():
    m = opd.default_mapping(FW, "kota-cilegon")
    assert owner_of(m, 32) == "Bappedalitbang" and owner_of(m, 36) == "BKSDM" and owner_of(m, 16) == "DKISP"
    assert owner_of(m, 39) == "Inspektorat"


def test_no_suggestion_for_another_framework():
    assert opd.default_mapping(framework_for_year(2019), "kota-cilegon").empty
    assert opd.load_mapping(framework_for_year(2019), "kota-cilegon").origin == "none"


def test_validation_names_every_problem():
    m = opd.default_mapping(FW, "kota-serang")[["indicator_no", "opd", "target_level"]].copy()
    m["target_level"] = m["target_level"].astype(object)
    m.loc[0, "opd"] = "   "
    m.loc[1, "opd"] = "x" * 200
    m.loc[2, "target_level"] = 7
    m.loc[3, "target_level"] = "2.5"
    m.loc[4, "indicator_no"] = "99"
    m.loc[5, "indicator_no"] = "1"
    m.loc[6, "opd"] = "Dinas\x07"
    _, problems = opd.validate_mapping(FW, m)
    codes = sorted(p.code for p in problems)
    assert codes == sorted(
        [
            "opd_empty",
            "opd_too_long",
            "bad_target",
            "bad_target",
            "unknown_indicator",
            "duplicate_indicator",
            "opd_bad_chars",
            "missing_indicator",
            "missing_indicator",
        ]
    )
    assert opd.validate_mapping(FW, pd.DataFrame({"x": [1]}))[1][0].code == "missing_column"


def test_save_is_atomic_keeps_previous_and_loads_back(state):
    m = opd.default_mapping(FW, "kota-cilegon")[["indicator_no", "opd", "target_level"]].copy()
    m.loc[m["indicator_no"] == "14", "opd"] = "Bagian Tata Pemerintahan"
    m.loc[m["indicator_no"] == "42", "target_level"] = 4
    path = opd.save_mapping(FW, "kota-cilegon", m)
    assert path == state / "opd" / "kota-cilegon.csv"
    loaded = opd.load_mapping(FW, "kota-cilegon")
    assert loaded.origin == "saved" and not loaded.problems
    assert owner_of(loaded.mapping, 14) == "Bagian Tata Pemerintahan"
    assert loaded.mapping.set_index("indicator_no").loc["42", "target_level"] == 4
    m.loc[m["indicator_no"] == "14", "opd"] = "Bagian Organisasi"
    opd.save_mapping(FW, "kota-cilegon", m)
    previous = pd.read_csv(state / "opd" / "kota-cilegon.prev.csv", dtype=str)
    assert previous.set_index("indicator_no").loc["14", "opd"] == "Bagian Tata Pemerintahan"
    assert not [p for p in os.listdir(state / "opd") if p.endswith(".tmp")]


def test_invalid_save_writes_nothing(state):
    m = opd.default_mapping(FW, "kota-cilegon")[["indicator_no", "opd", "target_level"]].copy()
    m.loc[0, "opd"] = ""
    with pytest.raises(opd.MappingError) as err:
        opd.save_mapping(FW, "kota-cilegon", m)
    assert [p.code for p in err.value.problems] == ["opd_empty"]
    assert not (state / "opd" / "kota-cilegon.csv").exists()


def test_broken_saved_file_is_reported_and_kept(state):
    (state / "opd").mkdir(parents=True)
    bad = state / "opd" / "kota-cilegon.csv"
    bad.write_text("framework_id,indicator_no,opd,target_level\npermenpanrb-59-2020,1,,9\n", encoding="utf-8")
    loaded = opd.load_mapping(FW, "kota-cilegon")
    assert loaded.origin == "default" and {p.code for p in loaded.problems} >= {"opd_empty", "bad_target", "missing_indicator"}
    assert bad.exists()


def test_path_tricks_are_refused(state):
    for bad in ("../etc/passwd", "Kota Cilegon", "", "a/b"):
        with pytest.raises(ValueError):
            opd.saved_path(bad)


def test_owner_table_points_at_stake_only_with_levels():
    m = opd.default_mapping(FW, "kota-cilegon")
    no_levels = opd.owner_table(FW, m)
    assert no_levels["current_level"].isna().all() and no_levels["points_to_top"].isna().all()
    summary = opd.opd_summary(no_levels).set_index("opd")
    assert summary.loc["BPKPAD", "step_worth_sum"] == pytest.approx(3 * 0.0275)
    assert pd.isna(summary.loc["BPKPAD", "points_to_top"])
    m2 = m.copy()
    m2.loc[m2["indicator_no"] == "33", "target_level"] = 4
    levels = {i.code: 2 for i in FW.indicators}
    owners = opd.owner_table(FW, m2, levels)
    row = owners.set_index("indicator_no").loc["33"]
    assert row["points_to_top"] == pytest.approx(2.75 * 3 / 100)
    assert row["points_to_target"] == pytest.approx(2.75 * 2 / 100)
    summary = opd.opd_summary(owners).set_index("opd")
    assert summary.loc["BPKPAD", "points_to_top"] == pytest.approx(3 * 2.75 * 3 / 100)
    assert summary.loc["BPKPAD", "points_to_target"] == pytest.approx(0.055)


def test_action_plan_workbook_one_sheet_per_opd_and_formulas_neutralised():
    from spbe.export import xlsx_bytes

    m = opd.default_mapping(FW, "kota-cilegon")
    m.loc[m["indicator_no"] == "1", "opd"] = '=HYPERLINK("x")'
    m.loc[m["indicator_no"] == "2", "opd"] = "Bagian [Umum]: Sub/Bagian*?"
    owners = opd.owner_table(FW, m)
    sheets = opd.action_plan_sheets(owners, opd.opd_summary(owners), {"opd": "OPD"}, "Ringkasan", "Semua indikator")
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(sheets)))
    assert book.sheetnames[:2] == ["Ringkasan", "Semua indikator"]
    assert len(book.sheetnames) == 2 + owners["opd"].nunique()
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in book.sheetnames)
    values = [c.value for row in book["Semua indikator"].iter_rows() for c in row]
    assert '\'=HYPERLINK("x")' in values and '=HYPERLINK("x")' not in values


def test_mapping_stamp_changes_with_every_save(state):
    """Cached OPD views and decks are keyed on the saved mapping's stamp: a save or a restore changes it."""
    assert opd.mapping_stamp("kota-cilegon") is None
    m = opd.default_mapping(FW, "kota-cilegon")[["indicator_no", "opd", "target_level"]].copy()
    opd.save_mapping(FW, "kota-cilegon", m)
    first = opd.mapping_stamp("kota-cilegon")
    m.loc[m["indicator_no"] == "14", "opd"] = "Dinas Uji Coba"
    opd.save_mapping(FW, "kota-cilegon", m)  # at once, same size or not: another stamp
    second = opd.mapping_stamp("kota-cilegon")
    assert first is not None and second is not None and first != second
    opd.save_mapping(FW, "kota-cilegon", opd.default_mapping(FW, "kota-cilegon"))
    assert opd.mapping_stamp("kota-cilegon") == first
