"""Sumber & Metodologi: frameworks with their verification state, sources with links or decree numbers,
the caveats found in the data, and the full-dataset and DuckDB downloads."""

import dataclasses
import io

import pandas as pd

from spbe.core import pemdi
from spbe.models import methodology
from spbe.presentation.storyline import frame_for
from spbe.settings import db_path
from spbe.store import db
from tests.conftest import EveryTab, run_page


def test_frameworks_and_their_years():
    frameworks = db.run("framework_list").set_index("framework_id")
    assert dict(frameworks["verified"]) == {
        "permenpanrb-5-2018": "partial",
        "permenpanrb-59-2020": "yes",
        "permenpanrb-8-2026": "yes",  # read from the regulation's certified salinan (2026-12-02)
    }
    years = methodology.framework_of_years([2018, 2021, 2022, 2023, 2024, 2025])
    assert dict(zip(years["year"], years["framework_id"], strict=True)) == {
        2018: "permenpanrb-5-2018",
        2021: "permenpanrb-59-2020",
        2022: "permenpanrb-59-2020",
        2023: "permenpanrb-59-2020",
        2024: "permenpanrb-59-2020",
        2025: "permenpanrb-59-2020",
    }
    weights = methodology.weights_table(db.run("framework_weights"), "permenpanrb-59-2020")
    domains = weights[weights["level"] == "domain"]
    assert dict(zip(domains["code"], domains["weight_pct"], strict=True)) == {"D1": 13.0, "D2": 25.0, "D3": 16.5, "D4": 45.5}
    assert list(weights["code"])[:2] == ["D1", "A1"]  # aspects listed under their domain
    assert methodology.verified_key("no") == "sources.verified_no" and methodology.verified_key("???") == "sources.verified_no"
    spans = methodology.framework_spans(db.run("framework_list"))
    assert spans[0].startswith("2018–2020 PermenPANRB 5/2018") and spans[2].startswith("2026–… PermenPANRB 8/2026")


def test_sources_split_into_links_and_references():
    table = methodology.split_references(db.run("source_list")).set_index("source_id")
    assert table.loc["N1", "link"].startswith("https://faktabanten.co.id/")
    assert pd.isna(table.loc["R24", "link"]) and "KepmenPANRB 663/2024" in table.loc["R24", "reference"]
    assert "Berita Negara 2020 No. 994" in table.loc["P59", "reference"]


def test_caveats_found_in_the_data():
    inferred = db.run("inferred_year_results")
    # Since the 2018-2022 history was carried (R18, DS2122), no Banten value has an inferred year any more: Kota Serang
    # 2018 is R18's 2.41 and Provinsi Banten's 3.15 is its 2021 result (SOURCES.md, corrections to earlier files).
    assert inferred.empty
    noted = db.run("noted_domain_results")
    banyuasin = noted[noted["instansi_id"] == "kabupaten-banyuasin"].iloc[0]
    assert (banyuasin["year"], banyuasin["domain_code"], banyuasin["value"]) == (2023, "D4", 0.30)
    empty_d1 = noted[noted["value"].isna()]
    assert set(empty_d1["instansi_id"]) == {
        "kementerian-pertanian",
        "kementerian-energi-dan-sumber-daya-mineral",
        "provinsi-jawa-timur",
    }
    assert set(empty_d1["year"]) == {2024} and set(empty_d1["domain_code"]) == {"D1"}
    edges = db.run("band_edge_results")
    assert len(edges) == 40  # 2018-2024, with the DS1920 rows that carry no printed predikat
    lower = methodology.edge_rows_with_lower_predikat(edges)
    assert set(zip(lower["instansi_id"], lower["indeks"], lower["predikat"], strict=True)) == {
        ("kabupaten-nias-barat", 1.80, "Kurang"),
        ("kabupaten-pacitan", 3.50, "Baik"),
        ("kabupaten-luwu", 2.60, "Cukup"),
    }
    means = db.run("category_mean_check").set_index(["year", "scope"])
    assert means.loc[(2023, "kabupaten"), "printed_mean"] == 2.59
    assert round(means.loc[(2023, "kabupaten"), "plain_mean"], 3) == 2.624  # printed mean is not the plain mean
    assert (2023, "kabupaten") in set(
        methodology.mean_differences(db.run("category_mean_check")).set_index(["year", "scope"]).index
    )


def test_dataset_downloads():
    sheets = pd.read_excel(io.BytesIO(methodology.dataset_xlsx()), sheet_name=None)
    assert set(sheets) == set(methodology.DATASET_SHEETS)
    index = sheets["indeks"]
    assert len(index) == len(db.run("dataset_export"))
    cilegon = index[(index["instansi_id"] == "kota-cilegon") & (index["year"] == 2024)].iloc[0]
    assert (cilegon["indeks"], cilegon["d1"], cilegon["d4"], cilegon["source_id"]) == (2.56, 2.5, 3.31, "R24")
    csv = pd.read_csv(io.BytesIO(methodology.dataset_csv()), encoding="utf-8-sig")
    assert len(csv) == len(index) and list(csv.columns) == list(index.columns)
    store = methodology.store_bytes()
    assert store == db_path().read_bytes() and store[8:12] == b"DUCK"


def test_page_renders_in_both_languages_with_its_downloads():
    for lang, tabs in (
        ("id", ["Sumber & kepercayaan", "Kerangka evaluasi", "Hal yang perlu diingat"]),
        ("en", ["Sources & trust", "Evaluation frameworks", "Caveats"]),
    ):
        at = run_page("pages/8_sumber.py", lang=lang)
        assert not at.exception, [e.message for e in at.exception]
        assert [tab.label for tab in at.tabs] == tabs
        assert len(at.get("download_button")) == 3  # below the tabs: always there
        # the first tab draws two tables (coverage, sources); the frameworks' dozen wait until their tab is opened
        assert len(at.dataframe) == 2
    runs = []
    for label in tabs:  # every tab, every "more" expander open (their content is drawn only when opened), as a reader does
        at = run_page("pages/8_sumber.py", lang="en", bagian=label)
        assert not at.exception, [e.message for e in at.exception]
        closed = [e.label for e in at.expander]
        for n in range(1, 8):
            at.session_state[f"sumber_more_{n}"] = True
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        assert [e.label for e in at.expander] == closed and len(at.get("download_button")) == 3
        runs.append(at)
    at = EveryTab(runs)
    labels = [e.label for e in at.expander]
    assert len(labels) >= 5
    assert "Values exactly on a rating band edge (40 values; 3 with the band below as rating)" in labels
    assert len(runs[1].dataframe) > 10  # the frameworks' weights, bands and level names, the years, 8/2026's tables
    text = " ".join(m.value for m in at.markdown)
    assert "Verified: read from the official text" in text and "Partly verified" in text
    # issue 10: the three trust levels (plus region import) and what each results source covers
    for phrase in ("Official report", "Secondary, verified", "Secondary, unverified", "Region import"):
        assert phrase in text
    assert "2021-2022: DS2122, verified against 21 published values" in text
    assert "2019-2020: DS1920, unverified" in text and "2018: official report R18" in text
    # issue 14: 8/2026 weights, bands, the edge rule and the indicator-13 misprint
    assert "Pemdi Index (PermenPANRB 8/2026): weights, predikat, edge rule" in [h.value for h in at.subheader]
    warnings = " ".join(w.value for w in at.warning)
    assert "Indicator 13" in warnings and "5 %" in warnings and "4 %" in warnings
    captions = " ".join(c.value for c in at.caption)
    assert "an edge belongs to the band below" in captions
    # issue 11: the band rule stated exactly (printed predikat shown; the six rows where it differs named)
    assert "Nias Barat 1.80 Kurang, Pacitan 3.50 Baik, Luwu 2.60 Cukup" in captions
    assert "Kota Serang, Nias Barat, Boven Digoel" in captions
    assert "bands apply to the unrounded value" not in captions
    # the caveat says which year follows which value, never "the official rating follows the unrounded value" alone
    assert "In 2024 the official rating follows the unrounded value" in captions
    assert "In 2023 three rows follow the printed value (Kota Serang 2.60 Baik from 2.5994" in captions


def test_pemdi_tables():
    fw = pemdi.framework()
    weights = methodology.pemdi_indicator_weights(fw, "id")
    assert len(weights) == 20 and weights.iloc[12]["Bobot (%)"] == "5"
    bands = methodology.pemdi_bands_display(fw, "en")
    assert list(bands.iloc[:, 1])[1] == "1.5 < Indeks Pemdi < 2.50"
    assert list(bands.iloc[:, 3]) == ["[1.00, 1.50]", "(1.50, 2.50]", "(2.50, 3.50]", "(3.50, 4.00]", "(4.00, 5.00]"]
    external = methodology.pemdi_external_display(fw, "en")
    assert len(external) == 15 and "IPS < 1.8" in list(external.iloc[:, 4])
    assert len(methodology.pemdi_criteria_display(fw, "en")) == 100
    shown = methodology.bands_display(db.run("predikat_band_list"), "permenpanrb-8-2026", "id")
    assert list(shown.iloc[:, 1]) == ["≥ 1,00", "> 1,50", "> 2,50", "> 3,50", "> 4,00"]
    assert list(shown.iloc[:, 2]) == ["≤ 1,50", "≤ 2,50", "≤ 3,50", "≤ 4,00", "≤ 5,00"]


def test_coverage_by_trust_level():
    cov = methodology.coverage_display(db.run("provenance_coverage"), "en").set_index("Year")
    assert cov.loc[2018, "Trust level"] == "Official report" and cov.loc[2018, "Official index values"] == 616
    assert cov.loc[2021, "Trust level"] == "Secondary, verified" and cov.loc[2021, "Indicator levels"] == 24299
    assert cov.loc[2022, "Indicator levels"] == 26038  # 24,299 + 26,038 = 50,337
    assert cov.loc[2019, "Trust level"] == "Secondary, unverified"
    assert cov.loc[2024, "Main source"] == "R24"


def _same_page(a: methodology.SourcesPage, b: methodology.SourcesPage) -> None:
    for f in dataclasses.fields(methodology.SourcesPage):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y, check_exact=True)
        elif isinstance(x, dict):
            assert x.keys() == y.keys()
            for k in x:
                pd.testing.assert_frame_equal(x[k], y[k], check_exact=True)
        elif f.name == "view":
            for g in dataclasses.fields(methodology.SourcesView):
                u, v = getattr(x, g.name), getattr(y, g.name)
                if isinstance(u, pd.DataFrame):
                    pd.testing.assert_frame_equal(u, v, check_exact=True)
                else:
                    assert u == v
        else:
            assert x == y


def test_sources_page_memo_equals_the_uncached_build_and_follows_the_store_version(monkeypatch):
    """The page's tables are built once per store version and language: the memo gives what an uncached build
    gives, the same object to every focus, and a new build after a store switch (an import)."""
    for lang in ("id", "en"):
        frame = frame_for("kota-cilegon", 2024, lang)
        memo = methodology.sources_page(frame)
        _same_page(memo, methodology.build_sources_page(frame))
        assert methodology.sources_page(frame_for("kabupaten-lebak", 2023, lang)) is memo  # no focus in it
    monkeypatch.setattr(db, "pinned_version", lambda path=None: ("another store version",))
    switched = methodology.sources_page(frame_for("kota-cilegon", 2024, "id"))
    assert switched is not memo and switched.view is not memo.view


def test_level_scales_are_named_in_the_language_not_by_their_codes():
    # Seen on the Indonesian Sumber page: the level-name table's scale column read "process" and "service".
    levels = db.run("level_name_list")
    for lang, words in (("id", {"penerapan dan kebijakan", "layanan"}), ("en", {"policies and processes", "services"})):
        shown = methodology.levels_display(levels, "permenpanrb-59-2020", lang)
        scales = set(shown.iloc[:, 0])
        assert scales == words, scales
    assert set(methodology.levels_display(levels, "permenpanrb-8-2026", "id").iloc[:, 0]) == {"semua indikator"}


def test_framework_structure_and_counts_are_written_in_the_language():
    # Seen on the Indonesian Sumber page: "Struktur: 3 domains, 7 aspects, 35 indicators", and "None" in the
    # weights table's indicator column for a domain row (the data grid's English word for a missing value).
    assert methodology.structure_text("4 domains, 8 aspects, 47 indicators", "id") == "4 domain, 8 aspek, 47 indikator"
    assert methodology.structure_text("7 aspects, 20 indicators", "en") == "7 aspects, 20 indicators"
    assert methodology.structure_text("written otherwise", "id") == "written otherwise"  # the data as it is
    spans = methodology.framework_spans(db.run("framework_list"), "id")
    assert "47 indikator" in spans[1] and "indicators" not in " ".join(spans)
    weights = methodology.weights_display(db.run("framework_weights"), "permenpanrb-59-2020", "id")
    counts = weights.iloc[:, 2].tolist()
    assert counts[0] == "–" and all(isinstance(c, str) for c in counts) and "None" not in counts
