"""Sumber & Metodologi: frameworks with their verification state, sources with links or decree numbers,
the caveats found in the data, and the full-dataset and DuckDB downloads."""

import io

import pandas as pd

from spbe import db, methodology
from spbe.settings import db_path
from tests.conftest import run_page


def test_frameworks_and_their_years():
    frameworks = db.run("framework_list").set_index("framework_id")
    assert dict(frameworks["verified"]) == {
        "permenpanrb-5-2018": "partial",
        "permenpanrb-59-2020": "yes",
        "permenpanrb-8-2026": "no",
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
    assert set(zip(inferred["instansi_id"], inferred["year"], strict=True)) == {("kota-serang", 2018), ("provinsi-banten", 2022)}
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
    assert len(edges) == 12
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
    for lang, heading in (("id", "Kerangka evaluasi"), ("en", "Evaluation frameworks")):
        at = run_page("pages/8_sumber.py", lang=lang)
        assert not at.exception, [e.message for e in at.exception]
        assert heading in [h.value for h in at.header]
        assert len(at.get("download_button")) == 3
        assert len(at.expander) >= 5
    labels = [e.label for e in at.expander]
    assert "Values exactly on a rating band edge (12 values; 3 with the band below as rating)" in labels
    text = " ".join(m.value for m in at.markdown)
    assert "Not verified" in text and "Partly verified" in text
