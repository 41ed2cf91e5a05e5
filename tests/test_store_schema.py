"""The public schema is a contract with analysts: table names, leading columns and key figures."""

import pytest

from spbe.store import db

CONTRACT = {
    "index_results": [
        "instansi_id",
        "instansi_name",
        "category",
        "province",
        "year",
        "framework_id",
        "assessment",
        "indeks",
        "predikat",
        "source_id",
        "year_attributed",
        "kind",
        "source_detail",
        "note",
        "provenance",
        "predikat_basis",
    ],
    "domain_results": [
        "instansi_id",
        "instansi_name",
        "year",
        "framework_id",
        "assessment",
        "domain_code",
        "domain_name",
        "value",
        "source_id",
        "kind",
        "note",
        "provenance",
    ],
    "indicator_results": [
        "instansi_id",
        "instansi_name",
        "year",
        "framework_id",
        "assessment",
        "indicator_no",
        "indicator_name",
        "aspect_code",
        "domain_code",
        "level",
        "source_id",
        "kind",
        "note",
        "provenance",
    ],
    "national_results": [
        "year",
        "scope",
        "statistic",
        "domain_code",
        "value",
        "source_id",
        "series",
        "source_detail",
        "comment",
        "framework_id",
    ],
    "framework_items": ["framework_id", "level", "code", "parent_code", "name_id", "name_en", "weight_pct", "verified"],
    "targets": ["scope", "instansi_id"],
    "sources": ["source_id", "kind", "title", "publisher", "date", "url_or_reference"],
    "frameworks": ["framework_id", "regulation", "index_name", "first_year", "last_year"],
}


def sql(query, params=None):
    cur = db.connection().cursor()
    return cur.execute(query, params or []).fetchall()


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_public_table_starts_with_the_contract_columns(table):
    cols = [
        r[0]
        for r in sql(f"select column_name from information_schema.columns where table_name = '{table}' order by ordinal_position")
    ]
    assert cols[: len(CONTRACT[table])] == CONTRACT[table]


def test_cilegon_index_history():
    rows = sql(
        "select year, assessment, indeks, predikat from index_results where instansi_name = 'Kota Cilegon' order by year, assessment"
    )
    assert rows == [
        (2018, "official", 3.23, "Baik"),
        (2019, "official", 3.23, None),  # DS1920, unverified; no predikat printed
        (2021, "official", 2.03, "Cukup"),
        (2022, "official", 2.01, "Cukup"),
        (2022, "self_assessment", 3.00, "Baik"),
        (2023, "official", 2.30, "Cukup"),
        (2024, "official", 2.56, "Cukup"),
    ]


def test_cilegon_2024_d3_is_1_36():
    assert sql("select value from domain_results where instansi_id = 'kota-cilegon' and year = 2024 and domain_code = 'D3'") == [
        (1.36,)
    ]


def test_official_rows_2023_2024():
    assert sql("select count(*) from index_results where assessment = 'official' and year in (2023, 2024)") == [(1236,)]


def test_every_value_has_a_known_source_and_kind():
    unknown = sql("""
        with cited as (select distinct unnest(string_split(source_id, ';')) as source_id from index_results
                       union select distinct unnest(string_split(source_id, ';')) from domain_results
                       union select distinct unnest(string_split(source_id, ';')) from national_results
                       union select distinct unnest(string_split(source_id, ';')) from targets)
        select source_id from cited where source_id not in (select source_id from sources)""")
    assert unknown == []
    assert sql("select distinct kind from index_results order by kind") == [("official",), ("self-assessment",)]


def test_no_year_is_inferred_any_more():
    """The two Banten values once dated by their publication (Kota Serang 2.4, Provinsi Banten 3.15) now
    have their year from R18 and DS2122: Kota Serang 2018 is 2.41, Provinsi Banten 3.15 is 2021 (2022: 3.03)."""
    assert sql("select instansi_name, year from index_results where year_attributed") == []
    rows = sql(
        "select instansi_id, year, indeks from index_results where assessment = 'official' and "
        "((instansi_id = 'kota-serang' and year = 2018) or (instansi_id = 'provinsi-banten' and year in (2021, 2022))) order by all"
    )
    assert rows == [("kota-serang", 2018, 2.41), ("provinsi-banten", 2021, 3.15), ("provinsi-banten", 2022, 3.03)]


def test_national_series_2018_2024():
    rows = sql(
        "select year, value from national_results where scope = 'nasional' and domain_code is null "
        "and statistic = 'mean' and source_id = 'R24' and year <= 2024 order by year"
    )
    series = dict(rows)
    assert [series[y] for y in range(2018, 2025)] == [1.98, 2.18, 2.26, 2.24, 2.34, 2.79, 3.12]


def test_kemendagri_codes_for_banten():
    rows = dict(sql("select instansi_name, kemendagri_code from instansi where province = 'Banten'"))
    assert rows == {
        "Provinsi Banten": "36",
        "Kabupaten Pandeglang": "36.01",
        "Kabupaten Lebak": "36.02",
        "Kabupaten Tangerang": "36.03",
        "Kabupaten Serang": "36.04",
        "Kota Tangerang": "36.71",
        "Kota Cilegon": "36.72",
        "Kota Serang": "36.73",
        "Kota Tangerang Selatan": "36.74",
    }


def test_indicator_results_hold_the_2021_2022_levels():
    assert sql("select year, count(*), count(distinct instansi_id) from indicator_results group by year order by year") == [
        (2021, 517 * 47, 517),
        (2022, 554 * 47, 554),
    ]
    assert sql("select distinct assessment, source_id, provenance from indicator_results") == [
        ("official", "DS2122", "secondary_verified")
    ]


def test_national_domain_codes_carry_their_framework():
    """Layanan is D3 under 5/2018 and D4 under 59/2020: the row says which framework its code belongs to."""
    rows = dict(
        sql(
            "select year, framework_id from national_results where series = 'national_trend' and domain_code = 'D3' "
            "and year in (2018, 2021)"
        )
    )
    assert rows == {2018: "permenpanrb-5-2018", 2021: "permenpanrb-59-2020"}
