"""Issue 12, item 7: a review broke the code in these ways and no test failed. Each now has a test that fails
when the code is broken that way."""

from __future__ import annotations

import csv
import hashlib
import io
import os

import pandas as pd
import pytest

from spbe.imports import importer
from spbe.safe_text import md_escape
from spbe.store import db, versions
from tests.import_samples import CILEGON, state_snapshot


def test_a_level_6_upload_gets_the_file_row_column_report_not_a_crash(private):
    data = b"instansi,year,assessment,indicator_no,level\nkota-cilegon,2024,self_assessment,5,6\n"
    plan = importer.plan_upload(data, "enam.csv")  # must not raise
    [problem] = plan.errors
    assert problem.code == "level_out_of_scale"
    assert problem.message("en").startswith("file 'enam.csv', row 2, column 'level', value '6'")
    assert "whole number from 1 to 5" in problem.message("en")


def test_a_changed_official_domain_value_is_not_applied_without_confirmation(private, tmp_path):
    published = db.run("domain_by_year", year=2024).query("instansi_id == @CILEGON").set_index("domain_code")["value"]
    changed = round(float(published["D1"]) + 0.5, 2)
    data = f"instansi;year;assessment;domain_code;value\n{CILEGON};2024;official;D1;{changed}\n".encode()
    before = (hashlib.sha256(private.read_bytes()).hexdigest(), state_snapshot(tmp_path / "state"))
    result = importer.apply_upload(data, "domain-resmi.csv", "penguji")
    assert not result.ok and result.exit_code == 3
    conflicts = [p for p in result.problems if p.code == "official_conflict"]
    assert len(conflicts) == 1 and "(D1)" in conflicts[0].message("en")
    assert {p.code for p in result.problems} <= {"official_conflict", "index_mismatch"}  # the index no longer adds up
    assert (hashlib.sha256(private.read_bytes()).hexdigest(), state_snapshot(tmp_path / "state")) == before
    only_index = importer.apply_upload(data, "domain-resmi.csv", "penguji", confirm_index=True)
    assert not only_index.ok and "official_conflict" in [p.code for p in only_index.problems]
    assert importer.apply_upload(data, "domain-resmi.csv", "penguji", confirm_official=True, confirm_index=True).ok


def test_a_self_assessment_at_domain_level_never_reaches_the_official_domain_table(private):
    """domain_by_year (the Perbandingan heatmap) holds official values only: a self-assessment import of
    distinctive domain values must not appear in it."""
    official = db.run("domain_by_year", year=2024).query("instansi_id == @CILEGON").set_index("domain_code")["value"]
    mine = {"D1": 4.87, "D2": 4.76, "D3": 4.65, "D4": 4.54}
    lines = ["instansi;year;assessment;domain_code;value"] + [f"{CILEGON};2024;self_assessment;{k};{v}" for k, v in mine.items()]
    result = importer.apply_upload(("\n".join(lines) + "\n").encode(), "mandiri.csv", "penguji", confirm_index=True)
    assert result.ok, [p.message("en") for p in result.problems]
    db.clear_caches()
    rows = db.run("domain_by_year", year=2024).query("instansi_id == @CILEGON")
    assert len(rows) == 4 and rows.set_index("domain_code")["value"].to_dict() == official.to_dict()
    assert not set(mine.values()) & set(rows["value"].round(2))
    every = db.run("domain_by_year", year=2024)
    assert every.groupby(["instansi_id", "domain_code"]).size().max() == 1, "one official row per instansi and domain"


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_the_dataset_csv_download_neutralises_formula_starts(private, start):
    from spbe.models import methodology

    note = f'{start}HYPERLINK("https://evil.example","klik")'
    data = io.StringIO()
    writer = csv.writer(data)
    writer.writerow(["instansi", "year", "assessment", "indeks", "note"])
    writer.writerow([CILEGON, 2024, "self_assessment", "2.7", note])
    assert importer.apply_upload(data.getvalue().encode(), "rumus.csv", "penguji").ok
    db.clear_caches()
    methodology._dataset_csv.cache_clear() if hasattr(methodology._dataset_csv, "cache_clear") else None
    frame = pd.read_csv(io.BytesIO(methodology.dataset_csv()), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    notes = frame.loc[
        (frame["instansi_id"] == CILEGON) & (frame["assessment"] == "self_assessment") & (frame["year"] == "2024"), "note"
    ]
    assert notes.tolist() == ["'" + note], notes.tolist()
    assert not any(
        str(v).startswith(("=", "+", "-", "@")) for col in frame.columns for v in frame[col] if isinstance(v, str) and "evil" in v
    )


def test_an_apply_switches_to_a_new_store_file_and_never_writes_into_the_live_one(private):
    """A reader that opened the store before the apply keeps reading the old, whole file: the new one is
    built beside it and renamed over it (a new inode), never copied into it."""
    old_inode = os.stat(private).st_ino
    old_bytes = private.read_bytes()
    with open(private, "rb") as reader:
        data = b"instansi,year,assessment,indeks\nkota-cilegon,2024,self_assessment,2.7\n"
        assert importer.apply_upload(data, "baru.csv", "penguji").ok
        assert os.stat(private).st_ino != old_inode, "the store file was written in place"
        assert reader.read() == old_bytes, "a reader of the old file saw it change"
    assert private.read_bytes() != old_bytes
    leftovers = [p.name for p in private.parent.iterdir() if ".tmp" in p.name]
    assert not leftovers


def test_the_serving_label_escapes_the_file_name_exactly(private):
    name = "[Sesi habis](https://evil.example) ![x](https://evil.example/x.png).csv"
    data = b"instansi,year,assessment,indeks\nkota-cilegon,2024,self_assessment,2.7\n"
    result = importer.apply_upload(data, name, "penguji")
    assert result.ok
    label = importer.serving_label("en")
    manifest = versions.read_manifest(result.version)
    assert md_escape(manifest["file_name"]) in label  # exactly the escaped form: no stripping of backslashes
    assert "](" not in label and "![" not in label


@pytest.mark.parametrize(("held", "peers", "complete"), [(4, 5, True), (8, 10, True), (3, 4, False), (7, 9, False)])
def test_a_peer_set_at_exactly_80_percent_coverage_is_ranked(held, peers, complete):
    from spbe.core import MIN_COVERAGE, peer_ranking

    assert MIN_COVERAGE == 0.8
    ids = [f"i{n}" for n in range(peers)]
    rows = pd.DataFrame(
        {
            "instansi_id": ids[:held],
            "instansi_name": ids[:held],
            "indeks": [2.0 + n / 10 for n in range(held)],
            "predikat": ["Baik"] * held,
        }
    )
    ranking = peer_ranking(rows, ids)
    assert ranking.coverage == pytest.approx(held / peers)
    assert ranking.complete_enough is complete
