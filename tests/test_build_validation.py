"""Bad seed input fails the build with a message naming file, row and value; the old store stays."""

import csv
import shutil

import pytest

from spbe.core.frameworks import SeedError
from spbe.settings import SEED_DIR
from spbe.store.build import build, ensure_db, is_stale


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(SEED_DIR, folder, ignore=shutil.ignore_patterns("*.duckdb*", "local", "*.lock"))
    return folder


def append(path, row):
    with path.open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, fieldnames=header, lineterminator="\n").writerow(row)


def rows_in(path):
    with path.open(encoding="utf-8") as f:
        return sum(1 for _ in f)


def test_unknown_framework_fails_with_row_and_value(seeds, tmp_path):
    path = seeds / "index_results.csv"
    append(
        path,
        dict(
            instansi_id="kota-cilegon",
            year=2019,
            framework_id="permenpanrb-99-2099",
            assessment="official",
            indeks="2.0",
            predikat="Cukup",
            source_id="R24",
            year_attributed="no",
        ),
    )
    with pytest.raises(SeedError, match=rf"index_results.csv row {rows_in(path)}: unknown framework_id 'permenpanrb-99-2099'"):
        build(seeds, tmp_path / "x.duckdb", overlay=None)


def test_level_7_fails(seeds, tmp_path):
    append(
        seeds / "indicator_results.csv",
        dict(
            instansi_id="kota-cilegon",
            year=2024,
            framework_id="permenpanrb-59-2020",
            assessment="self_assessment",
            indicator_no="3",
            level="7",
            source_id="SEED",
        ),
    )
    with pytest.raises(SeedError, match=r"indicator_results.csv row 2: column 'level' holds '7', expected 1 to 5"):
        build(seeds, tmp_path / "x.duckdb", overlay=None)


@pytest.mark.parametrize(
    "change, message",
    [
        (dict(instansi_id="kota-atlantis"), "unknown instansi_id 'kota-atlantis'"),
        (dict(year="20x4"), "column 'year' holds '20x4'"),
        (dict(year="2019"), "does not cover the year 2019"),
        (dict(indeks="2,5"), "column 'indeks' holds '2,5', expected a number"),
        (dict(indeks="7"), "column 'indeks' holds '7', expected 0 to 5"),
        (dict(predikat="Hebat"), "predikat 'Hebat' is not a band"),
        (dict(source_id="X9"), "unknown source 'X9'"),
        (dict(source_id=""), "every value needs its source"),
        (dict(assessment="guess"), "column 'assessment' holds 'guess'"),
        (dict(assessment="official", year="2024"), "duplicate of an earlier row"),
        (dict(provenance="trust me"), "column 'provenance' holds 'trust me'"),
        (dict(predikat_basis=""), "a predikat needs its basis"),
        (dict(predikat_basis="guessed"), "column 'predikat_basis' holds 'guessed'"),
    ],
)
def test_bad_index_rows_fail_precisely(seeds, tmp_path, change, message):
    row = dict(
        instansi_id="kota-cilegon",
        year="2025",
        framework_id="permenpanrb-59-2020",
        assessment="self_assessment",
        indeks="2.5",
        predikat="Cukup",
        source_id="SEED",
        year_attributed="no",
        provenance="secondary_unverified",
        predikat_basis="derived",
    )
    row.update(change)
    append(seeds / "index_results.csv", row)
    with pytest.raises(SeedError, match=message):
        build(seeds, tmp_path / "x.duckdb", overlay=None)


def test_weights_not_summing_to_100_fail(seeds, tmp_path):
    path = seeds / "framework_items.csv"
    text = path.read_text(encoding="utf-8").replace(
        "permenpanrb-59-2020,indicator,47,A8,", "permenpanrb-59-2020,indicator,47,A8,", 1
    )
    text = text.replace(",3.00,service,yes\n", ",3.50,service,yes\n", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SeedError, match=r"aspect A8 has weight 18 but its children \[.*\] sum to 18.5"):
        build(seeds, tmp_path / "x.duckdb", overlay=None)
    # consistent all the way up (indicator 47, A8 and D4 each half a point heavier), the total is still wrong
    text = text.replace("permenpanrb-59-2020,aspect,A8,D4,", "permenpanrb-59-2020,aspect,A8,D4,", 1)
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("permenpanrb-59-2020,aspect,A8,"):
            lines[i] = line.replace(",18,", ",18.5,", 1)
        if line.startswith("permenpanrb-59-2020,domain,D4,"):
            lines[i] = line.replace(",45.5,", ",46,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(SeedError, match="domain weights sum to 100.5, expected 100"):
        build(seeds, tmp_path / "x.duckdb", overlay=None)


def test_parent_weight_must_equal_the_sum_of_its_children(seeds, tmp_path):
    """D2 = 24 with aspects summing to 25 is refused."""
    path = seeds / "framework_items.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("permenpanrb-59-2020,domain,D2,"):
            lines[i] = line.replace(",25,", ",24,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(
        SeedError, match=r"permenpanrb-59-2020 domain D2 has weight 24 but its children \['A2', 'A3', 'A4'\] sum to 25"
    ):
        build(seeds, tmp_path / "x.duckdb", overlay=None)


def test_failed_build_leaves_the_previous_store(seeds, tmp_path):
    target = tmp_path / "x.duckdb"
    build(seeds, target, overlay=None)
    before = target.read_bytes()
    append(
        seeds / "indicator_results.csv",
        dict(
            instansi_id="kota-cilegon",
            year=2024,
            framework_id="permenpanrb-59-2020",
            assessment="official",
            indicator_no="48",
            level="3",
            source_id="R24",
        ),
    )
    with pytest.raises(SeedError, match="has no indicator '48'"):
        build(seeds, target, overlay=None)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_store_is_rebuilt_when_absent_or_older_than_seeds(seeds, tmp_path, monkeypatch):
    monkeypatch.setenv("SPBE_STATE_DIR", str(tmp_path / "state"))
    target = tmp_path / "auto.duckdb"
    assert is_stale(target, seeds)
    ensure_db(target, seeds)
    assert target.exists() and not is_stale(target, seeds)
    import os

    # An edited seed is newer than the store: age the store rather than dating a seed in the future.
    earlier = (seeds / "targets.csv").stat().st_mtime - 10
    os.utime(target, (earlier, earlier))
    assert is_stale(target, seeds)
    ensure_db(target, seeds)
    assert not is_stale(target, seeds)


def test_build_is_deterministic(seeds, tmp_path):
    import duckdb

    dumps = []
    for name in ("a.duckdb", "b.duckdb"):
        build(seeds, tmp_path / name, overlay=None)
        con = duckdb.connect(str(tmp_path / name), read_only=True)
        dumps.append(
            [
                con.execute(f"select * from {t} order by all").fetchall()
                for t in ("index_results", "domain_results", "national_results", "framework_items", "instansi")
            ]
        )
        con.close()
    assert dumps[0] == dumps[1]
