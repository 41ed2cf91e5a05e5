"""The 2018-2022 record and the 47 indicator levels of 2021-2022 (issue 10): every number checked against
the regulation's arithmetic, the independently published values and the national report."""

import csv
from collections import defaultdict

import pytest

from spbe import core
from spbe.core import scoring
from spbe.core.frameworks import frameworks
from spbe.core.names import NameResolver, read_aliases
from spbe.settings import SEED_DIR
from spbe.store import db

P59 = "permenpanrb-59-2020"


def sql(query, params=None):
    return db.connection().cursor().execute(query, params or []).fetchall()


def seed(name):
    with (SEED_DIR / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def levels_by_row():
    out = defaultdict(dict)
    for iid, year, no, level in sql(
        "select instansi_id, year, indicator_no, level from indicator_results where assessment = 'official'"
    ):
        out[(iid, year)][str(no)] = level
    return out


def test_50337_official_levels_and_the_rounds_held():
    assert sql("select count(*) from indicator_results where assessment = 'official'") == [(50_337,)]
    counts = dict(sql("select year, count(*) from index_results where assessment = 'official' group by year"))
    assert counts[2018] >= 600 and counts[2019] == 615 and counts[2020] == 131
    assert counts[2021] == 517 and counts[2022] == 554


def test_every_instansi_years_levels_recompute_to_its_stored_domains_and_index(levels_by_row):
    fw = frameworks()[P59]
    index = {
        (i, y): v
        for i, y, v in sql(
            "select instansi_id, year, indeks from index_results where assessment = 'official' and year in (2021, 2022)"
        )
    }
    domains = defaultdict(dict)
    for i, y, code, v in sql(
        "select instansi_id, year, domain_code, value from domain_results where assessment = 'official' and year in (2021, 2022)"
    ):
        domains[(i, y)][code] = v
    assert len(levels_by_row) == 1071
    wrong = []
    for key, levels in levels_by_row.items():
        assert len(levels) == 47, key
        if core.printed(scoring.index_from_levels(fw, levels).value) != index[key]:
            wrong.append((key, "index"))
        for dom in fw.top_level:
            if core.printed(scoring.domain_index(fw, dom.code, levels).value) != domains[key][dom.code]:
                wrong.append((key, dom.code))
    assert wrong == []


def test_the_21_published_values_reproduce(levels_by_row):
    fw = frameworks()[P59]
    checks = seed("published_checks_2021_2022.csv")
    assert len(checks) == 21
    for c in checks:
        key = (c["instansi_id"], int(c["year"]))
        from_levels = core.printed(scoring.index_from_levels(fw, levels_by_row[key]).value)
        assert from_levels == float(c["published_indeks"]), (c, from_levels)


def test_lampung_utara_2022_rounds_half_up_as_printed(levels_by_row):
    """2.425 is printed 2,43 by the official tables: half up, not half even."""
    fw = frameworks()[P59]
    value = scoring.index_from_levels(fw, levels_by_row[("kabupaten-lampung-utara", 2022)]).value
    assert abs(value - 2.425) < 1e-9
    assert core.printed(value) == 2.43


def test_2018_mean_is_the_reported_national_1_98():
    (mean,) = sql("select avg(indeks) from index_results where year = 2018 and assessment = 'official'")[0]
    (national,) = sql(
        "select value from national_results where series = 'national_trend' and year = 2018 and domain_code is null"
    )[0]
    assert national == 1.98
    assert abs(mean - national) <= 0.01


def test_banten_has_no_2020_value():
    rows = sql("select instansi_id from index_results where province = 'Banten' and year = 2020")
    assert rows == []
    assert len(sql("select instansi_id from instansi where province = 'Banten'")) == 9


def test_provenance_per_round():
    rows = sql(
        "select year, provenance, count(*) from index_results where assessment = 'official' and year <= 2024 group by all order by all"
    )
    by_year = defaultdict(set)
    for year, prov, _ in rows:
        by_year[year].add(prov)
    assert by_year[2018] == {"official_report"}
    assert by_year[2019] == {"secondary_unverified"} and by_year[2020] == {"secondary_unverified"}
    assert by_year[2021] == {"secondary_verified"} and by_year[2022] == {"secondary_verified"}
    assert by_year[2023] == {"official_report"} and by_year[2024] == {"official_report"}


def test_2021_2022_predikat_is_derived_from_the_bands_on_the_rounded_index():
    fw = frameworks()[P59]
    rows = sql(
        "select indeks, predikat, predikat_basis, source_id from index_results where year in (2021, 2022) and assessment = 'official'"
    )
    for indeks, predikat, basis, source in rows:
        assert predikat == fw.band_for(indeks).predikat
        if source == "DS2122":
            assert basis == "derived"


def test_every_printed_name_resolves_to_its_instansi_id():
    instansi = seed("instansi.csv")
    resolver = NameResolver(instansi, read_aliases(SEED_DIR))
    # 2018-2022 names (R18, DS1920, DS2122); the R23/R24 names were mapped by the research team (SOURCES.md).
    rows = [r for r in seed("index_results.csv") if int(r["year"]) <= 2022] + seed("indicator_levels_2021_2022.csv")
    unmatched = resolver.unresolved(r["name_in_source"] for r in rows if r["name_in_source"])
    assert unmatched == []
    wrong = [
        (r["name_in_source"], r["instansi_id"])
        for r in rows
        if r["name_in_source"] and resolver.resolve(r["name_in_source"]) != r["instansi_id"]
    ]
    assert wrong == []


def test_alias_file_is_reviewed_and_consistent():
    ids = {r["instansi_id"] for r in seed("instansi.csv")}
    for a in read_aliases(SEED_DIR):
        assert a["relation"] in ("same", "renamed", "own_id"), a
        assert a["instansi_id"] in ids, a
        assert a["basis"], a  # every alias says why
    abbreviations = {a["name_in_source"] for a in read_aliases(SEED_DIR)}
    assert {"Pemerintah Provinsi NTB", "Pemerintah D.I. Yogyakarta", "Pemerintah Kab. Ogan Komering Ulu Sel."} <= abbreviations


def test_no_personal_names_are_carried():
    for name in ("index_results.csv", "domain_results.csv", "indicator_levels_2021_2022.csv", "instansi_aliases.csv"):
        header = seed(name)[0].keys()
        assert not [h for h in header if "asesor" in h.lower() or "assessor" in h.lower() or "nama" in h.lower()], name


def test_cilegon_2022_tata_kelola_all_at_level_1(levels_by_row):
    levels = levels_by_row[("kota-cilegon", 2022)]
    assert [levels[str(n)] for n in range(11, 21)] == [1] * 10
    assert sql("select value from domain_results where instansi_id = 'kota-cilegon' and year = 2022 and domain_code = 'D2'") == [
        (1.0,)
    ]


@pytest.mark.parametrize(
    ("value", "digits", "id_text", "en_text"),
    [(2.205, 2, "2,21", "2.21"), (0.0825, 3, "0,083", "0.083"), (2.425, 2, "2,43", "2.43"), (2.55545, 5, "2,55545", "2.55545")],
)
def test_display_rounds_half_up_as_the_official_tables(value, digits, id_text, en_text):
    from spbe.i18n import fmt_num

    assert fmt_num(value, "id", digits) == id_text and fmt_num(value, "en", digits) == en_text
    assert core.round_half_up(value, digits) == float(en_text)


def test_ikhtisar_trend_marks_the_unverified_2019_value():
    """The overview's own trend chart, not only Tren, shows 2019 (DS1920, unverified) as an open marker with a legend
    and a hover note. Read from the chart the page sends: this test once checked a figure the page did not draw, and
    the page's chart drew 2019 as a plain filled marker."""
    import json

    from spbe.i18n import t
    from tests.conftest import run_page

    for lang in ("id", "en"):
        at = run_page("app.py", lang=lang, instansi="kota-cilegon", tahun="2024")
        assert not at.exception, [e.message for e in at.exception]
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        line = spec["data"][0]
        hover = [h for h in line["hovertext"] if h]  # "2019: 3,23 (...)", one per drawn year
        symbols = {h.split(":")[0]: m for h, m in zip(line["hovertext"], line["marker"]["symbol"], strict=True) if h}
        assert symbols["2019"] == "circle-open" and symbols["2018"] == "circle" and symbols["2022"] == "circle"
        assert t("trend.unverified_value", lang) in next(h for h in hover if h.startswith("2019"))
        assert t("trend.unverified_legend", lang) in [d.get("name") for d in spec["data"]]


def test_ikhtisar_index_card_says_an_unverified_value_is_unverified():
    """The first card of a 2019 view (3,23, DS1920) says so on the card, in projector mode too, not only under its
    "?" (seen on the page: a plain 3,23 beside verified-looking cards); an official year's card is unchanged."""
    from spbe.i18n import t
    from tests.conftest import run_page

    for lang in ("id", "en"):
        for large in ("0", "1"):
            at = run_page("app.py", lang=lang, instansi="kota-cilegon", tahun="2019", besar=large)
            assert not at.exception, [e.message for e in at.exception]
            card = at.metric[0]
            assert card.value == ("3,23" if lang == "id" else "3.23")
            assert card.label.endswith(f" · {t('overview.unverified_short', lang)}")
    at = run_page("app.py", lang="id", instansi="kota-cilegon", tahun="2024")
    assert at.metric[0].label == "Indeks SPBE 2024"
