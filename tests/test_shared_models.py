"""The work shared by every view (spbe.models.shared): equal to the computation it replaces, and never served
from another store version (an import switches the version)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from spbe import core
from spbe.core.frameworks import framework_for_year
from spbe.core.history import restatements
from spbe.models import compare, gap_view, shared, trend
from spbe.store import db


def _instansi() -> pd.DataFrame:
    return db.run("instansi_list")


def _assert_same_ranking(got: core.Ranking, want: core.Ranking) -> None:
    pd.testing.assert_frame_equal(got.table, want.table)
    assert (got.peer_count, got.missing_ids) == (want.peer_count, want.missing_ids)


@pytest.mark.parametrize("year", [2024, 2022, 2019])
@pytest.mark.parametrize("mode", ["provinsi", "kategori"])
def test_year_ranking_is_core_peer_ranking(year, mode):
    instansi = _instansi()
    fw = framework_for_year(year).framework_id
    rows = db.run("index_by_year", year=year)
    # a few of every category, and some without a value that year (their own rank is missing)
    sample = [
        *instansi.groupby("category").head(3)["instansi_id"],
        *instansi.loc[~instansi["instansi_id"].isin(rows["instansi_id"]), "instansi_id"].head(3),
    ]
    for iid in sample:
        focus = instansi[instansi["instansi_id"] == iid].iloc[0].to_dict()
        ids = core.peer_set(focus, mode, instansi, framework_id=fw).ids
        _assert_same_ranking(shared.year_ranking(year, ids, iid), core.peer_ranking(rows, ids))


def test_year_ranking_keeps_a_custom_order():
    rows = db.run("index_by_year", year=2024)
    ids = ["kota-cilegon", "provinsi-banten", "kabupaten-lebak", "kota-serang", "kabupaten-nduga"]
    _assert_same_ranking(shared.year_ranking(2024, ids, "kota-cilegon"), core.peer_ranking(rows, ids))
    backwards = ["kota-cilegon", *reversed(ids[1:])]
    _assert_same_ranking(shared.year_ranking(2024, backwards, "kota-cilegon"), core.peer_ranking(rows, backwards))


def test_shared_tables_equal_their_computation():
    instansi = _instansi()
    for year in (2024, 2021):
        rows = db.run("index_by_year", year=year)
        for category in instansi["category"].unique():
            ids = list(instansi.loc[instansi["category"] == category, "instansi_id"])
            _assert_same_ranking(shared.category_ranking(year, category), core.peer_ranking(rows, ids))
            want = core.rank_table(compare.category_rows(rows, category))
            pd.testing.assert_frame_equal(shared.category_rank_table(year, category), want)
        long = db.run("gap_domain_values", year=year, assessment="official")
        got_long, got_table = gap_view.year_domain_table(year)
        pd.testing.assert_frame_equal(got_long, long)
        pd.testing.assert_frame_equal(got_table, core.gaps.domain_table(long))
    assert shared.instansi_names() == instansi.set_index("instansi_id")["instansi_name"].to_dict()
    assert trend.national_restatements() == restatements(db.run("national_series"), db.run("national_report_means"))


def test_a_store_switch_is_never_served_the_old_version(tmp_path, monkeypatch):
    calls = []

    @shared.per_store_version(maxsize=2)
    def version_seen(x):
        calls.append(x)
        return db.pinned_version()

    first = version_seen(1)
    assert version_seen(1) == first and calls == [1]  # the same version: computed once
    other = tmp_path / "other.duckdb"
    shutil.copy(db.pinned_version()[0], other)
    monkeypatch.setenv("SPBE_DB", str(other))  # as an import moves a new store file into place
    assert version_seen(1) == db.store_version(other) != first and calls == [1, 1]
    version_seen(2)
    version_seen(3)
    assert version_seen.cache_len() == 2  # bounded


def test_the_shared_results_follow_a_store_switch(tmp_path, monkeypatch):
    import duckdb

    before = shared.instansi_names()
    other = tmp_path / "renamed.duckdb"
    shutil.copy(db.pinned_version()[0], other)
    con = duckdb.connect(str(other))
    con.execute("update instansi set instansi_name = 'Kota Cilegon (renamed)' where instansi_id = 'kota-cilegon'")
    con.close()
    monkeypatch.setenv("SPBE_DB", str(other))
    assert shared.instansi_names()["kota-cilegon"] == "Kota Cilegon (renamed)" != before["kota-cilegon"]
