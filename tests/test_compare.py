"""Perbandingan: the numbers the comparison charts carry (Banten 2023/2024 rankings, rank changes,
percentile, averages), the tile map positions, and the page for several instansi, languages and bad input."""

import base64
import json

import numpy as np
import pandas as pd
import pytest

from spbe.charts import dumbbell_figure, ranking_figure, tile_map_figure, tilemap
from spbe.models import compare
from spbe.store import db
from tests.conftest import run_every_tab, run_page

BANTEN_2024 = [
    ("kabupaten-tangerang", 3.91),
    ("kota-tangerang", 3.85),
    ("kabupaten-serang", 3.73),
    ("kabupaten-lebak", 3.52),
    ("kota-tangerang-selatan", 3.48),
    ("provinsi-banten", 3.47),
    ("kabupaten-pandeglang", 3.45),
    ("kota-serang", 2.61),
    ("kota-cilegon", 2.56),
]
BANTEN_2023 = [
    ("provinsi-banten", 3.39),
    ("kabupaten-tangerang", 3.37),
    ("kabupaten-serang", 3.23),
    ("kabupaten-lebak", 3.22),
    ("kota-tangerang-selatan", 3.18),
    ("kabupaten-pandeglang", 3.14),
    ("kota-tangerang", 2.97),
    ("kota-serang", 2.60),
    ("kota-cilegon", 2.30),
]
# Policy: the province is ranked together with its kabupaten/kota (the "nine Banten governments").
# rank_change > 0 = moved up. Computed from the two orders above.
BANTEN_RANK_CHANGE = {
    "provinsi-banten": (1, 6, -5),
    "kabupaten-tangerang": (2, 1, 1),
    "kabupaten-serang": (3, 3, 0),
    "kabupaten-lebak": (4, 4, 0),
    "kota-tangerang-selatan": (5, 5, 0),
    "kabupaten-pandeglang": (6, 7, -1),
    "kota-tangerang": (7, 2, 5),
    "kota-serang": (8, 8, 0),
    "kota-cilegon": (9, 9, 0),
}


def banten_ids():
    inst = db.run("instansi_list")
    return list(inst.loc[inst["province"] == "Banten", "instansi_id"])


def plotly_specs(at):
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def decode(values):
    """Plotly sends numpy arrays as typed base64 blocks; lists stay lists."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return values


def test_banten_2024_ranking_from_kabupaten_tangerang_to_kota_cilegon():
    ranking = compare.peer_ranking(db.run("index_by_year", year=2024), banten_ids())
    table = ranking.table
    assert len(table) == 9 and ranking.peer_count == 9 and ranking.complete_enough
    assert list(zip(table["instansi_id"], table["indeks"], strict=True)) == BANTEN_2024
    assert list(table["rank"]) == list(range(1, 10))
    assert ranking.is_first("kabupaten-tangerang") and ranking.is_last("kota-cilegon")


def test_banten_2023_order():
    table = compare.peer_ranking(db.run("index_by_year", year=2023), banten_ids()).table
    assert list(zip(table["instansi_id"], table["indeks"], strict=True)) == BANTEN_2023


def test_banten_rank_changes_2023_to_2024():
    changes = compare.rank_changes(db.run("index_by_year", year=2023), db.run("index_by_year", year=2024), banten_ids())
    got = {r.instansi_id: (r.rank_before, r.rank_after, r.rank_change) for r in changes.itertuples()}
    assert got == BANTEN_RANK_CHANGE
    cilegon = changes.set_index("instansi_id").loc["kota-cilegon"]
    assert (cilegon["indeks_before"], cilegon["indeks_after"], cilegon["change"]) == (2.30, 2.56, 0.26)


def test_ties_share_the_best_rank_and_skip_the_next():
    rows = pd.DataFrame({"instansi_id": list("abcd"), "instansi_name": list("abcd"), "indeks": [3.1, 2.5, 3.1, 2.0]})
    table = compare.rank_table(rows)
    assert dict(zip(table["instansi_id"], table["rank"], strict=True)) == {"a": 1, "c": 1, "b": 3, "d": 4}
    # Ties are on the printed two decimals: 3.104 and 3.1 print the same.
    rows.loc[0, "indeks"] = 3.104
    assert compare.rank_table(rows).set_index("instansi_id").loc["a", "rank"] == 1
    assert compare.rank_table(rows).set_index("instansi_id").loc["c", "rank"] == 1


def test_incomplete_year_is_not_a_ranking():
    ranking = compare.peer_ranking(db.run("index_by_year", year=2025), banten_ids())
    assert ranking.count == 1 and ranking.peer_count == 9  # Provinsi Banten's 2025 monitoring value only
    assert not ranking.complete_enough
    assert "kabupaten-tangerang" in ranking.missing_ids
    assert compare.peer_ranking(db.run("index_by_year", year=2020), banten_ids()).count == 0  # not evaluated


def test_previous_round_needs_coverage():
    ids = banten_ids()
    rows = {y: db.run("index_by_year", year=y) for y in (2018, 2020, 2021, 2022, 2023, 2024, 2025)}
    cover = compare.coverage_by_year(rows, ids)
    assert cover[2024] == 1.0 and cover[2022] == 1.0 and cover[2020] == 0.0
    assert cover[2025] == pytest.approx(1 / 9)
    assert compare.previous_round(list(rows), 2024, cover) == 2023
    assert compare.previous_round(list(rows), 2023, cover) == 2022
    assert compare.previous_round([2020, 2021], 2021, cover) is None  # 2020: no Banten value


def test_cilegon_percentile_among_kota_2024():
    year_rows = db.run("index_by_year", year=2024)
    pct = compare.percentile_in_group(compare.category_rows(year_rows, "kota"), "kota-cilegon")
    assert (pct.rank, pct.n, pct.lower) == (82, 93, 11)
    assert pct.percentile == pytest.approx(100 * 11 / 92)
    assert compare.percentile_in_group(compare.category_rows(year_rows, "kota"), "kabupaten-lebak") is None


def test_national_category_averages_come_from_the_printed_tables():
    avg = compare.national_category_average(compare.category_averages(2024), "kota")
    assert (avg.value, avg.source_ids, avg.detail) == (3.39, ("R24",), "R24 Tabel 8")
    pusat = compare.national_category_average(compare.category_averages(2024), "pusat")
    assert pusat.value == 3.71 and pusat.detail == "R24 Tabel 6"
    assert compare.national_category_average(compare.category_averages(2022), "kota") is None
    banten = compare.peer_ranking(db.run("index_by_year", year=2024), banten_ids()).table
    assert compare.plain_mean(banten) == pytest.approx(sum(v for _, v in BANTEN_2024) / 9)


def test_ranking_window_keeps_top_focus_and_bottom():
    table = compare.peer_ranking(
        db.run("index_by_year", year=2024), list(db.run("instansi_list").query("category == 'kabupaten'")["instansi_id"])
    ).table
    focus = table.iloc[200]["instansi_id"]
    window = compare.ranking_window(table, focus)
    assert len(window) == 5 + 11 + 5
    assert focus in set(window["instansi_id"]) and window["rank"].iloc[0] == 1
    assert window["instansi_id"].iloc[-1] == table["instansi_id"].iloc[-1]
    short = compare.peer_ranking(db.run("index_by_year", year=2024), banten_ids()).table
    assert len(compare.ranking_window(short, "kota-cilegon")) == 9


def test_ranking_and_dumbbell_figures_carry_the_numbers():
    ids = banten_ids()
    table = compare.peer_ranking(db.run("index_by_year", year=2024), ids).table
    fig = ranking_figure(table, "kota-cilegon", [("Rata-rata Banten (dihitung)", 3.40), ("Rata-rata nasional kota", 3.39)], "id")
    bars = {y: x for trace in fig.data if trace.name for x, y in zip(trace.x, trace.y, strict=True)}
    assert bars["1. Kabupaten Tangerang"] == 3.91 and bars["<b>9. Kota Cilegon</b>"] == 2.56
    colours = {trace.name: trace.marker.color for trace in fig.data if trace.name}
    assert colours == {"Cukup": "#E69F00", "Baik": "#56B4E9", "Sangat Baik": "#0072B2"}
    notes = [a.text for a in fig.layout.annotations]
    assert "Rata-rata Banten (dihitung): 3,40" in notes and "Rata-rata nasional kota: 3,39" in notes
    # Centred on a line near the right edge, a long label ran past the chart on a projector and read "3,5": each
    # label now runs away from the nearer edge (seen at 1280x720, large text, and on a phone).
    assert {a.xanchor for a in fig.layout.annotations} == {"right"}
    low = ranking_figure(table, "kota-cilegon", [("Rata-rata", 1.9)], "id")
    assert [a.xanchor for a in low.layout.annotations] == ["left"]
    changes = compare.rank_changes(db.run("index_by_year", year=2023), db.run("index_by_year", year=2024), ids)
    dumbbell = dumbbell_figure(changes, "kota-cilegon", 2023, 2024, "id")
    texts = [tx for trace in dumbbell.data if trace.mode == "text" for tx in trace.text]
    assert "▲5  (7 → 2)" in texts and "▼5  (1 → 6)" in texts and "=  (9 → 9)" in texts


def test_a_ranking_without_printed_predikat_draws_every_bar_and_marks_unverified_values():
    # Seen on Perbandingan for 2019: one bar ("3. Kota Cilegon", the focus's outline) for nine ranks. DS1920 prints no
    # predikat, and bars were drawn per predikat only. Every row is drawn now; the unverified values are hatched and
    # say so in the legend and the hover.
    from spbe.i18n import t

    table = compare.peer_ranking(db.run("index_by_year", year=2019), banten_ids()).table
    assert len(table) == 9 and table["predikat"].isna().all() and (table["provenance"] == "secondary_unverified").all()
    for lang in ("id", "en"):
        fig = ranking_figure(table, "kota-cilegon", [("Rata-rata", 2.86)], lang)
        named = [trace for trace in fig.data if trace.name]
        assert sum(len(trace.x) for trace in named) == 9
        assert [trace.name for trace in named] == [
            f"{t('present.no_predikat', lang).capitalize()} ({t('overview.unverified_short', lang)})"
        ]
        assert list(named[0].marker.pattern.shape) == ["/"] * 9
        assert all(t("trend.unverified_value", lang) in h for h in named[0].hovertext)
    # a year with printed predikat and official values is drawn as before: no hatching, no extra legend entry
    fig = ranking_figure(compare.peer_ranking(db.run("index_by_year", year=2024), banten_ids()).table, "kota-cilegon", [], "id")
    assert all(set(trace.marker.pattern.shape) == {""} for trace in fig.data if trace.name)


def test_tile_positions_cover_banten_west_to_east():
    names = db.run("instansi_list")
    tiles = tilemap.positions_for("Banten", set(names["instansi_id"]))
    assert {t.instansi_id for t in tiles} == set(banten_ids())
    col = {t.instansi_id: t.col for t in tiles}
    assert col["kota-cilegon"] < col["kota-serang"] < col["kabupaten-tangerang"] < col["kota-tangerang"]
    assert col["kabupaten-pandeglang"] < col["kabupaten-lebak"] <= col["kota-tangerang-selatan"]
    # Pandeglang is the westernmost government of Banten (Ujung Kulon): west of Cilegon too
    kabkota = {i: c for i, c in col.items() if i != "provinsi-banten"}
    assert col["kabupaten-pandeglang"] == min(kabkota.values()) and col["kabupaten-pandeglang"] < col["kota-cilegon"]
    province = next(t for t in tiles if t.group == "provinsi")
    assert (
        province.instansi_id == "provinsi-banten" and province.col > max(c for i, c in col.items() if i != "provinsi-banten") + 1
    )
    assert tilemap.positions_for("Jawa Timur") is None and tilemap.positions_for(None) is None
    table = tilemap.tile_table(tiles, db.run("index_by_year", year=2024), names).set_index("instansi_id")
    assert (table.loc["kota-cilegon", "indeks"], table.loc["kota-cilegon", "predikat"]) == (2.56, "Cukup")
    fig = tile_map_figure(table.reset_index(), "kota-cilegon", "id", wrap=tilemap.wrap_name)
    assert len(fig.layout.shapes) == 9 and any("<b>2,56</b>" in a.text for a in fig.layout.annotations)


def test_bad_tile_file_is_refused(tmp_path):
    bad = tmp_path / "tile_positions_x.csv"
    bad.write_text("instansi_id,province,col,row,group\na,X,0,0,kabupaten_kota\nb,X,0,0,kabupaten_kota\n", encoding="utf-8")
    with pytest.raises(tilemap.TilePositionError, match="already holds 'a'"):
        tilemap.load_positions(bad)
    bad.write_text("instansi_id,province,col,row,group\na,X,one,0,kabupaten_kota\n", encoding="utf-8")
    with pytest.raises(tilemap.TilePositionError, match="whole numbers"):
        tilemap.load_positions(bad)
    assert tilemap.wrap_name("Kota Tangerang Selatan") == ["Kota", "Tangerang", "Selatan"]


# -- the page --------------------------------------------------------------------------------------
def test_page_cilegon_2024_shows_all_five_charts_with_the_numbers():
    at = run_every_tab("pages/2_perbandingan.py", instansi="kota-cilegon", tahun="2024")
    assert not at.exception, [e.message for e in at.exception]
    specs = plotly_specs(at)
    assert len(specs) == 6  # ranking, change, domain heatmap, indicator heatmap, distribution, tile map
    ranking = {
        y: x
        for tr in specs[0]["data"]
        if tr.get("type") == "bar" and tr.get("name")
        for x, y in zip(decode(tr["x"]), decode(tr["y"]), strict=True)
    }
    assert ranking["<b>9. Kota Cilegon</b>"] == 2.56 and ranking["1. Kabupaten Tangerang"] == 3.91
    assert [s.value for s in at.subheader][:2] == ["Peringkat 2024", "Perubahan 2023 → 2024"]
    assert any("Peta petak Banten 2024" == s.value for s in at.subheader)
    assert not at.warning


def test_page_in_english_and_for_a_central_agency():
    at = run_every_tab("pages/2_perbandingan.py", instansi="kementerian-pertanian", tahun="2024", lang="en")
    assert not at.exception, [e.message for e in at.exception]
    assert any("central agency without a province" in i.value for i in at.info)  # no tile map, and why
    # ranking, change, domain heatmap, indicator heatmap (2022 levels); no national distribution: since the store
    # carries the 2018-2022 history, 141 central agencies have ids and 92 of them a 2024 value (below 80 %)
    assert len(plotly_specs(at)) == 4
    assert any("92 of 141 central agencies" in i.value for i in at.info)
    heat = next(s for s in plotly_specs(at) if s["data"][0].get("type") == "heatmap")
    assert "–" in [tx for tr in heat["data"] if tr.get("mode") == "text" for tx in tr["text"]]  # its empty 2024 D1


def test_page_for_a_kabupaten_outside_banten_by_category():
    at = run_every_tab("pages/2_perbandingan.py", instansi="kabupaten-banyuwangi", tahun="2024", peer="kategori")
    assert not at.exception, [e.message for e in at.exception]
    assert any("berada di Jawa Timur" in i.value for i in at.info)
    assert any("ditampilkan 5 teratas" in c.value for c in at.caption)  # 392 kabupaten cut to a window


def test_page_with_a_thin_year_and_a_bad_parameter():
    at = run_every_tab("pages/2_perbandingan.py", instansi="kota-cilegon", tahun="2025", peer="nonsense")
    assert not at.exception, [e.message for e in at.exception]
    warnings = " ".join(w.value for w in at.warning)
    assert "peer" in warnings and "nonsense" in warnings
    assert "Hanya 1 dari 9" in warnings
    assert any("perubahan peringkat tidak dihitung" in i.value for i in at.info)


def test_page_shows_no_change_across_the_framework_break():
    at = run_every_tab("pages/2_perbandingan.py", instansi="kota-cilegon", tahun="2021", lang="en")
    assert not at.exception, [e.message for e in at.exception]
    assert any("(2019) used another assessment framework" in i.value for i in at.info)


def test_page_indicator_heatmap_and_learn_from_a_neighbour_banten_2022():
    at = run_every_tab("pages/2_perbandingan.py", instansi="kota-cilegon", tahun="2022", lang="en")
    assert not at.exception, [e.message for e in at.exception]
    subheaders = [s.value for s in at.subheader]
    assert "The 47 indicator levels: Kota Cilegon and its peers, 2022" in subheaders
    assert "Learn from a neighbour, 2022" in subheaders
    heat = next(
        s
        for s in plotly_specs(at)
        if s["data"][0].get("type") == "heatmap" and len(s["data"][0]["y"]) == 47  # indicators x peers
    )
    cells = heat["data"][0]
    assert len(cells["x"]) == 9 and cells["x"][0] == "<b>Kota<br>Cilegon</b>"  # the focus first, in bold
    assert cells["y"][10] == "11 SPBE Architecture"
    z = cells["z"]
    if isinstance(z, dict):  # a typed array: bdata with its shape
        z = np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"]).reshape([int(n) for n in str(z["shape"]).split(",")])
    assert [row[0] for row in np.asarray(z)[10:20]] == [1] * 10  # Tata Kelola 11-20 all at level 1
    assert any(sh["line"]["color"] == "#CC0066" for sh in heat["layout"]["shapes"])  # the focus column framed
    table = next(m.value for m in at.markdown if m.value.startswith("| Indicator"))
    assert "| 43 Open data services (D4) | 1 | 5 | +0.120 | Provinsi Banten (5)" in table


def test_page_without_levels_has_no_indicator_heatmap():
    at = run_every_tab("pages/2_perbandingan.py", instansi="kabupaten-nduga", tahun="2024", lang="en")
    assert not at.exception, [e.message for e in at.exception]
    assert not any("indicator levels" in s.value for s in at.subheader)


def test_the_open_tab_is_in_the_url_and_survives_a_language_switch():
    at = run_page("pages/2_perbandingan.py", instansi="kota-cilegon", tahun="2024", bagian="Peta petak")
    assert not at.exception, [e.message for e in at.exception]
    assert [s.value for s in at.subheader] == ["Peta petak Banten 2024"]  # only the open tab is drawn
    assert len(at.get("plotly_chart")) == 1
    at.button_group(key="frame_lang").set_value("en").run()  # the sidebar's language switch
    assert not at.exception, [e.message for e in at.exception]
    assert [s.value for s in at.subheader] == ["Tile map of Banten 2024"]  # the same tab, in English
    assert at.session_state["bagian"] == "Tile map"
    at.run()
    assert at.query_params["bagian"] == "Tile map" and at.query_params["lang"] == "en"  # and so is the URL
    at = run_page("pages/2_perbandingan.py", instansi="kota-cilegon", tahun="2024", bagian="no such tab")
    assert not at.exception and [s.value for s in at.subheader] == ["Peringkat 2024"]  # unknown: the first tab
