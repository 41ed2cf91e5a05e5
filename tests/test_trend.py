"""Tren: gaps stay gaps (Kota Serang 2018 then 2023), framework breaks and bands per framework, inferred
years drawn open, national mean and targets as references, domains matched by name; and the page."""

import json

import pandas as pd
import pytest

from spbe.charts import domain_trend_figure, trend_figure, trend_table
from spbe.core import history as tr
from spbe.store import db
from tests.conftest import run_every_tab

BANTEN = ["provinsi-banten", "kota-serang", "kota-cilegon", "kabupaten-serang", "kota-tangerang"]


def trace(fig_or_spec, name):
    data = fig_or_spec["data"] if isinstance(fig_or_spec, dict) else [t.to_plotly_json() for t in fig_or_spec.data]
    hits = [t for t in data if t.get("name") == name]
    assert hits, f"no trace named {name!r}: {[t.get('name') for t in data]}"
    return hits[0]


def points(tr_json):
    return dict(zip(tr_json["x"], tr_json["y"], strict=True))


def test_missing_years_are_gaps_not_bridged():
    history = db.run("index_history", instansi_ids=["kota-serang"])
    fig = trend_figure(history, db.run("national_series"), db.run("targets_for", instansi_id="kota-serang"), "kota-serang", "id")
    serang = trace(fig, "Kota Serang")
    assert serang["connectgaps"] is False
    y = points(serang)
    assert (y[2018], y[2019], y[2021], y[2022], y[2023], y[2024]) == (2.41, 2.41, 2.97, 2.49, 2.60, 2.61)
    assert y[2020] is None, "Banten was not evaluated in 2020: the line must break, not bridge"
    assert y[2020.5] is None  # and the framework change (5/2018 -> 59/2020) is a break too
    notes = [a.text for a in fig.layout.annotations if a.x == 2020]
    assert "tidak dievaluasi" in notes


def test_unverified_2019_is_drawn_open_with_a_hover_note_and_a_legend():
    history = db.run("index_history", instansi_ids=["kota-cilegon"])
    fig = trend_figure(
        history, db.run("national_series"), db.run("targets_for", instansi_id="kota-cilegon"), "kota-cilegon", "en"
    )
    cilegon = trace(fig, "Kota Cilegon")
    symbols = dict(zip(cilegon["x"], cilegon["marker"]["symbol"], strict=True))
    hover = dict(zip(cilegon["x"], cilegon["hovertext"], strict=True))
    assert symbols[2019] == "circle-open" and symbols[2018] == "circle" and symbols[2022] == "circle"
    assert "unverified" in hover[2019] and "DS1920" in hover[2019]
    assert "derived from the bands" in hover[2022]  # the 2022 predikat is derived, not printed
    assert trace(fig, "Unverified (open marker, 2019-2020)")  # explained in the legend
    y = points(cilegon)
    assert (y[2018], y[2019], y[2021], y[2022], y[2023], y[2024]) == (3.23, 3.23, 2.03, 2.01, 2.30, 2.56)


def test_inferred_year_is_drawn_open_with_a_hover_note():
    """No held value has an inferred year any more; the mechanism stays for imports that need it."""
    history = db.run("index_history", instansi_ids=["kota-serang"])
    history.loc[history["year"] == 2023, "year_attributed"] = True
    fig = trend_figure(history, db.run("national_series"), db.run("targets_for", instansi_id="kota-serang"), "kota-serang", "en")
    serang = trace(fig, "Kota Serang")
    symbols = dict(zip(serang["x"], serang["marker"]["symbol"], strict=True))
    hover = dict(zip(serang["x"], serang["hovertext"], strict=True))
    assert symbols[2023] == "circle-open" and symbols[2024] == "circle"
    assert "inferred" in hover[2023]
    assert trace(fig, "Year inferred (open marker)")


def test_self_assessment_is_a_distinct_marker_and_national_references_are_drawn():
    history = db.run("index_history", instansi_ids=["kota-cilegon"])
    fig = trend_figure(
        history, db.run("national_series"), db.run("targets_for", instansi_id="kota-cilegon"), "kota-cilegon", "id"
    )
    own = trace(fig, "Kota Cilegon: Penilaian mandiri")
    assert own["marker"]["symbol"] == "diamond-open" and list(own["x"]) == [2022] and list(own["y"]) == [3.00]
    official = points(trace(fig, "Kota Cilegon"))
    assert (official[2021], official[2022], official[2023], official[2024]) == (2.03, 2.01, 2.30, 2.56)
    national = points(trace(fig, "Rata-rata nasional"))
    assert [national[y] for y in range(2018, 2025)] == [1.98, 2.18, 2.26, 2.24, 2.34, 2.79, 3.12]
    assert national[2020.5] is None  # the national line breaks between 5/2018 and 59/2020
    targets = trace(fig, "Target nasional")
    assert sorted(zip(targets["x"], targets["y"], strict=True)) == [(2018, 2.6), (2023, 2.6), (2024, 2.6), (2024, 2.85)]


def test_predikat_bands_follow_each_years_framework_including_2026():
    segments = tr.framework_segments(list(range(2018, 2028)))
    assert [(s.first, s.last) for s in segments] == [(2018, 2020), (2021, 2025), (2026, 2027)]
    assert [s.regulation for s in segments] == ["PermenPANRB 5/2018", "PermenPANRB 59/2020", "PermenPANRB 8/2026"]
    assert [b.lower for b in segments[1].bands] == [1.0, 1.8, 2.6, 3.5, 4.2]
    assert [b.lower for b in segments[2].bands] == [1.0, 1.5, 2.5, 3.5, 4.0]
    # A 2026 point gets the 8/2026 bands as its background, a separate segment and a break before it.
    history = db.run("index_history", instansi_ids=["kota-cilegon"])
    extra = history.iloc[[-1]].assign(year=2026, framework_id="permenpanrb-8-2026", indeks=2.7, predikat="Baik")
    fig = trend_figure(
        pd.concat([history, extra]),
        db.run("national_series"),
        db.run("targets_for", instansi_id="kota-cilegon"),
        "kota-cilegon",
        "id",
    )
    band_edges_2026 = sorted({s.y0 for s in fig.layout.shapes if s.type == "rect" and s.x0 == 2025.5})
    assert band_edges_2026 == [1.0, 1.5, 2.5, 3.5, 4.0]
    assert {s.x0 for s in fig.layout.shapes if s.type == "line"} == {2020.5, 2025.5}
    y = points(trace(fig, "Kota Cilegon"))
    assert y[2025] is None and y[2025.5] is None and y[2026] == 2.7


def test_many_peers_become_one_bundle_without_joining_instansi():
    ids = list(db.run("instansi_list").query("category == 'kota'")["instansi_id"])
    history = db.run("index_history", instansi_ids=ids)
    fig = trend_figure(
        history, db.run("national_series"), db.run("targets_for", instansi_id="kota-cilegon"), "kota-cilegon", "en"
    )
    bundle = trace(fig, "Peers (92 instansi)")
    assert bundle["y"].count(None) >= 92  # one separator per instansi at least
    assert "Kota Cilegon" in [t.name for t in fig.data]


def test_trend_table_is_what_the_chart_draws():
    history = db.run("index_history", instansi_ids=["kota-cilegon"])
    national = db.run("national_series")
    targets = db.run("targets_for", instansi_id="kota-cilegon")
    table = trend_table(history, national, targets, "en")
    assert len(table) == len(history) + 7 + 4  # 5 Cilegon values, 7 national years, 4 national targets
    row = table[(table["Series"] == "Kota Cilegon") & (table["Kind of value"] == "Self-assessment")].iloc[0]
    assert (row["Year"], row["Value"], row["Source"]) == (2022, 3.00, "SEED")


def test_domains_are_matched_by_name_across_frameworks():
    table = tr.domain_trend_table(db.run("national_series"), db.run("domain_history", instansi_id="kota-cilegon"), "Kota Cilegon")
    assert tr.domain_order(table) == ["kebijakan internal", "tata kelola", "manajemen", "layanan"]
    layanan = tr.domain_codes_by_framework(table, "layanan")
    assert layanan == [("permenpanrb-5-2018", "D3", 2018, 2020), ("permenpanrb-59-2020", "D4", 2021, 2024)]
    assert tr.domain_codes_by_framework(table, "manajemen") == [("permenpanrb-59-2020", "D3", 2021, 2024)]
    fig = domain_trend_figure(table, "id", focus_name="Kota Cilegon")
    national_layanan = [t for t in fig.data if t.name == "Rata-rata nasional"][3]
    y = dict(zip(national_layanan.x, national_layanan.y, strict=True))
    assert (y[2020], y[2020.5], y[2021]) == (2.48, None, 2.81)
    assert {s.x0 for s in fig.layout.shapes} == {2020.5}


def test_restated_2023_national_domain_means_are_found():
    restated = tr.restatements(db.run("national_series"), db.run("national_report_means"))
    assert len(restated) == 1
    r = restated[0]
    assert (r.year, r.used_source, r.other_detail) == (2023, "R24 Tabel 4", "R23 Tabel 4")
    assert r.other_values == {"D1": 2.91, "D2": 2.27, "D3": 1.65, "D4": 3.45}


@pytest.mark.parametrize(
    ("years", "spans"), [([2018, 2023, 2024], [(2019, 2022)]), ([2023, 2024], []), ([2021, 2023], [(2022, 2022)])]
)
def test_missing_year_spans(years, spans):
    assert tr.missing_year_spans(years) == spans


def test_page_kota_serang_shows_the_2020_gap():
    at = run_every_tab("pages/1_tren.py", instansi="kota-serang", tahun="2024")
    assert not at.exception, [e.message for e in at.exception]
    specs = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    assert len(specs) == 3  # index, rank over the years, domains
    y = points(trace(specs[0], "Kota Serang"))
    assert y[2018] == 2.41 and y[2020] is None and y[2021] == 2.97
    captions = " ".join(c.value for c in at.caption)
    assert "Kota Serang (2020)" in captions
    assert any("PermenPANRB 5/2018" in m.value for m in at.markdown)  # the history note in its expander


def test_page_in_english_for_a_central_agency_and_with_a_bad_year():
    at = run_every_tab("pages/1_tren.py", instansi="kementerian-pertanian", tahun="1999", lang="en")
    assert not at.exception, [e.message for e in at.exception]
    assert any("tahun" in w.value and "1999" in w.value for w in at.warning)
    specs = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    assert trace(specs[0], "Kementerian Pertanian")
    assert any("Peers (" in (t.get("name") or "") for t in specs[0]["data"])  # the other central agencies, bundled
    assert any("D1 empty cell" in c.value for c in at.caption)  # its 2024 D1 stays empty and says why


def test_rank_over_the_years_in_the_category_never_joins_across_a_framework():
    from spbe.charts import rank_history_figure
    from spbe.models.trend import rank_history

    instansi = db.run("instansi_list")
    focus = instansi.set_index("instansi_id").loc["kota-cilegon"].to_dict() | {"instansi_id": "kota-cilegon"}
    years = [2018, 2019, 2021, 2022, 2023, 2024]
    ranks = rank_history(focus, instansi, {y: db.run("index_by_year", year=y) for y in years}).set_index("year")
    assert (ranks.loc[2024, "rank"], ranks.loc[2024, "n"]) == (82, 93)  # "82 of 93 cities"
    assert (ranks.loc[2018, "rank"], ranks.loc[2018, "n"]) == (4, 90)
    assert ranks.loc[2019, "unverified"] and not ranks.loc[2018, "unverified"]
    fig = rank_history_figure(ranks.reset_index(), "kota", "id")
    line = fig.data[0]
    by_x = dict(zip(line.x, line.y, strict=True))
    assert by_x[2020.5] is None  # the line breaks between PermenPANRB 5/2018 and 59/2020
    assert "82 dari 93" in line.text
    assert dict(zip(line.x, line.marker.symbol, strict=True))[2019] == "circle-open"
    assert fig.layout.yaxis.range[0] > fig.layout.yaxis.range[1]  # rank 1 at the top


def test_trend_shows_the_own_target_and_where_the_next_predikat_starts():
    history = db.run("index_history", instansi_ids=["kota-cilegon"])
    fig = trend_figure(
        history, db.run("national_series"), db.run("targets_for", instansi_id="kota-cilegon"), "kota-cilegon", "id"
    )
    target = trace(fig, "Target Kota Cilegon")
    assert list(target["x"]) == [2023] and list(target["y"]) == [3.00]
    assert any(a.text == "Baik mulai 2,60" for a in fig.layout.annotations)
