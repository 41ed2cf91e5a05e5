"""The storyline: slide order, the published numbers each slide shows, missing data said not invented,
slide URLs validated, and the same slide data behind screen, deck and handout."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from statistics import mean

import pandas as pd
import pytest

from spbe.charts import fit_margins
from spbe.presentation.storyline import (
    SLIDE_KEYS,
    Deck,
    assemble,
    build_storyline,
    display_table,
    frame_for,
    load_story_data,
    rank_rows_to_show,
    slide_number,
)
from spbe.settings import SEED_DIR

DAY = dt.date(2026, 11, 28)


def seed_rows(name: str) -> list[dict]:
    with (SEED_DIR / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def banten_2024() -> dict[str, float]:
    province = {r["instansi_id"] for r in seed_rows("instansi.csv") if r["province"] == "Banten"}
    return {
        r["instansi_id"]: float(r["indeks"])
        for r in seed_rows("index_results.csv")
        if r["instansi_id"] in province and r["year"] == "2024" and r["assessment"] == "official"
    }


@pytest.fixture(scope="module")
def cilegon():
    return {lang: build_storyline(frame_for("kota-cilegon", 2024, lang), today=DAY) for lang in ("id", "en")}


def test_slides_come_in_the_planned_order(cilegon):
    for story in cilegon.values():
        assert tuple(s.key for s in story.slides) == SLIDE_KEYS
        assert [s.number for s in story.slides] == list(range(1, 9))


def test_slide_1_shows_the_published_index_predikat_and_framework(cilegon):
    slide = cilegon["id"].slide(1)
    assert slide.chart.series[0].values[0] == 2.56
    assert slide.headline == "2,56 · predikat Cukup (Indeks SPBE, PermenPANRB 59/2020)"
    assert cilegon["en"].slide(1).headline == "2.56 · rated Fair (Indeks SPBE, PermenPANRB 59/2020)"
    data = slide.data.set_index("kind")
    # the peer average is the mean of the OTHER eight Banten values (spbe.core), as on Analisis Kesenjangan
    others = [v for k, v in banten_2024().items() if k != "kota-cilegon"]
    assert len(banten_2024()) == 9 and len(others) == 8
    assert slide.data.loc[1, "value"] == pytest.approx(mean(others)) == pytest.approx(3.5025)
    assert slide.data.loc[1, "label"] == "Rata-rata 8 pembanding (tanpa instansi fokus)"
    assert list(slide.data["value"].iloc[2:]) == [3.39, 3.12]
    assert set(data.index) == {"official", "computed"}
    assert slide.chart.series[0].labels[0] == "2,56 · Cukup"
    assert "P59" in slide.source_ids and "R24" in slide.source_ids


def test_slide_2_trend_keeps_official_line_and_self_assessment_apart(cilegon):
    slide = cilegon["id"].slide(2)
    chart = slide.chart
    # 2018-2024: 2020 is a labelled gap (Banten was not evaluated), never interpolated
    assert chart.categories == ("2018", "2019", "2020\n(tidak dievaluasi)", "2021", "2022", "2023", "2024")
    old, new, unverified, own = chart.series
    # one line per framework, the break (5/2018 -> 59/2020) drawn before 2021 and never bridged
    assert old.values == (3.23, None, None, None, None, None, None) and old.mode == "line"
    assert new.values == (None, None, None, 2.03, 2.01, 2.30, 2.56) and new.mode == "line"
    assert chart.breaks == (3,)
    # 2019 (DS1920) is secondary and unverified: an open marker of its own, off the line, in the legend
    assert unverified.values == (None, 3.23, None, None, None, None, None) and unverified.mode == "markers"
    assert unverified.kind == "unverified" and "DS1920" in unverified.name
    assert own.values == (None, None, None, None, 3.00, None, None) and own.mode == "markers"
    # a change across frameworks is not given as a comparable delta; predikat are not compared at all
    assert slide.headline == "2018: 3,23 → 2024: 2,56 (kerangka berbeda: bukan selisih yang sebanding)"
    assert "5/2018" in slide.message and "59/2020" in slide.message and "2019" in slide.message
    assert "2020" in slide.notes and "tidak disambung" in slide.notes
    shown = display_table(slide).set_index("Tahun")
    assert shown.loc["2021", "Predikat"] == "Cukup (turunan)"  # 2021-2022 predikat derived from the bands
    assert shown.loc["2019", "Asal data"] == "sekunder, belum terverifikasi"
    assert shown.loc["2024", "Predikat"] == "Cukup"


def test_trend_stops_at_the_focus_year():
    story = build_storyline(frame_for("kota-cilegon", 2023, "id"), today=DAY)
    assert story.slide(2).chart.categories[-1] == "2023"
    assert 2024 not in set(story.slide(2).data["year"])


def test_a_missing_year_is_a_gap_never_a_bridge():
    frame = frame_for("kota-cilegon", 2024, "id")
    data = load_story_data(frame)
    holed = data.trend[~((data.trend["year"] == 2022) & (data.trend["assessment"] == "official"))]
    story = assemble(frame, dataclasses.replace(data, trend=holed), DAY)
    slide = story.slide(2)
    assert slide.chart.series[1].values == (None, None, None, 2.03, None, 2.30, 2.56)
    assert "2022" in slide.chart.categories[4] and "tidak dievaluasi" in slide.chart.categories[4]
    assert "2020, 2022" in slide.notes and "tidak disambung" in slide.notes


def test_slide_3_ranks_cilegon_last_of_nine_in_banten(cilegon):
    slide = cilegon["id"].slide("rank")
    assert slide.headline == "Peringkat 9 dari 9, se-Provinsi Banten (9 instansi)"
    assert slide.chart.categories[-1] == "9. Kota Cilegon" and slide.chart.highlight == 8
    assert list(slide.chart.series[0].values) == sorted(banten_2024().values(), reverse=True)


def test_competition_rank_shares_ties():
    from spbe import core

    rows = pd.DataFrame({"instansi_id": list("abcd"), "instansi_name": list("abcd"), "indeks": [3.5, 3.2, 3.2, 2.0]})
    assert list(core.rank_table(rows)["rank"]) == [1, 2, 2, 4]


def test_a_national_peer_set_is_cut_around_the_focus():
    story = build_storyline(frame_for("kota-cilegon", 2024, "id", peer_mode="kategori"), today=DAY)
    slide = story.slide("rank")
    assert len(slide.chart.categories) <= 15
    assert "Kota Cilegon" in slide.data["instansi_name"].tolist()
    ranks = list(slide.data["rank"])
    assert ranks[0] == 1 and ranks == sorted(ranks)  # tied published values share a rank (two kota tie at 4)
    assert slide.headline.startswith("Peringkat 82 dari 93")
    assert slide.message and "93" in slide.message
    ranked = pd.DataFrame({"instansi_id": [f"x{i}" for i in range(40)], "rank": range(1, 41)})
    shown = rank_rows_to_show(ranked, "x20")
    assert list(shown["rank"]) == [1, 2, 3, 4, 5, 19, 20, 21, 22, 23, 39, 40]


def test_a_central_agency_is_ranked_among_central_agencies():
    story = build_storyline(frame_for("badan-informasi-geospasial", 2024, "en"), today=DAY)
    assert "central agencies" in story.peer_label
    assert story.slide("rank").headline.startswith("Rank ")


def test_slide_4_domain_gaps_against_peer_average_and_best(cilegon):
    slide = cilegon["id"].slide("domains")
    focus, average, best = slide.chart.series
    assert focus.values == (2.50, 2.00, 1.36, 3.31)
    assert best.values[0] == 5.00
    # the largest loss in weighted index points (D4: 45.5 % x -0.7625), not the largest raw gap (D2: -1.25)
    assert slide.headline == (
        "Kehilangan poin terbesar: Layanan SPBE, −0,347 poin indeks berbobot terhadap rata-rata pembanding (selisih nilai −0,76)"
    )


def test_a_missing_domain_value_stays_missing():
    story = build_storyline(frame_for("kementerian-pertanian", 2024, "id"), today=DAY)
    slide = story.slide("domains")
    assert slide.chart.series[0].values[0] is None
    assert slide.message and "Kebijakan Internal SPBE" in slide.message


def test_slide_5_self_assessment_from_another_year_is_said_so(cilegon):
    slide = cilegon["id"].slide("self_vs_official")
    assert slide.chart.categories == ("2022",)
    assert [s.values for s in slide.chart.series] == [(2.01,), (3.00,)]
    assert "2024" in slide.message


def test_slide_5_without_any_self_assessment_invents_nothing():
    slide = build_storyline(frame_for("kota-serang", 2024, "id"), today=DAY).slide("self_vs_official")
    assert slide.chart is None and slide.data.empty
    assert slide.message.startswith("Tidak ada penilaian mandiri Kota Serang")


def test_no_official_value_for_the_year_leaves_slides_empty_with_a_reason():
    frame = frame_for("kota-cilegon", 2024, "en")
    data = load_story_data(frame)
    without = data.year_index[data.year_index["instansi_id"] != "kota-cilegon"]
    story = assemble(frame, dataclasses.replace(data, year_index=without), DAY)
    for number in (1, 4, 7):
        assert story.slide(number).chart is None, number
        assert story.slide(number).message
    assert "No official index of Kota Cilegon" in story.slide(1).message


def test_slide_6_is_the_simulators_cheapest_path_and_labelled_a_simulation(cilegon):
    slide = cilegon["id"].slide("next_predikat")
    now, target, after = slide.chart.series[0].values
    assert (now, target) == (2.56, 2.60)
    assert after == pytest.approx(2.60545)  # 2.55545 from the rounded domains + 2 steps of 0.025 on D2
    assert slide.headline == "2 kenaikan satu tingkat indikator cukup untuk predikat Baik: D2 Tata Kelola SPBE ×2"
    assert slide.label.startswith("SIMULASI")
    assert list(slide.data["kind"]) == ["official", "target", "simulation"]


def test_slide_6_at_the_top_band_says_there_is_no_next_one():
    slide = build_storyline(frame_for("kabupaten-banyuwangi", 2024, "en"), today=DAY).slide("next_predikat")
    assert slide.chart is None and "top rating" in slide.message


def test_slide_7_opd_owners_from_the_suggested_mapping(cilegon):
    slide = cilegon["id"].slide("opd")
    assert slide.chart.categories[0] == "DKISP"
    assert slide.data.loc[0, "n_indicators"] == 29
    assert slide.data["n_indicators"].sum() == 47
    assert "saran bawaan" in slide.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, (1, True)),
        ("", (1, True)),
        ("3", (3, True)),
        ("8", (8, True)),
        ("0", (1, False)),
        ("9", (1, False)),
        ("-1", (1, False)),
        ("2.5", (1, False)),
        ("abc", (1, False)),
        ("3<script>", (1, False)),
    ],
)
def test_slide_url_parameter_is_validated(raw, expected):
    assert slide_number(raw, 8) == expected


def test_stamp_names_instansi_year_peers_date_and_sources(cilegon):
    story = cilegon["id"]
    assert story.footer() == "Kota Cilegon · 2024 · pembanding: se-Provinsi Banten (9 instansi) · dibuat 28 November 2026"
    assert cilegon["en"].stamp_lines()[-1] == "Generated: 28 November 2026"
    assert {"R24", "P59", "SEED", "N1", "R23", "R18", "DS1920", "DS2122"} == set(story.sources["source_id"])
    assert any(line.startswith("R24: Laporan Evaluasi SPBE Tahun 2024") for line in story.source_lines())


def test_display_tables_are_in_the_language(cilegon):
    id_table = display_table(cilegon["id"].slide(1))
    en_table = display_table(cilegon["en"].slide(1))
    assert list(id_table.columns) == ["Keterangan", "Nilai", "Predikat", "Jenis nilai", "Sumber"]
    assert list(en_table.columns) == ["Item", "Value", "Rating", "Kind of value", "Source"]
    assert id_table.iloc[0, 1] == "2,56" and en_table.iloc[0, 1] == "2.56"
    assert display_table(cilegon["id"].slide("domains")).iloc[1, -1] == "−1,25"


def test_every_slide_draws_with_the_language_separators(cilegon):
    for lang, story in cilegon.items():
        for slide in story.slides:
            fig = slide.figure(large=True)
            assert fig is not None
            assert fig.layout.separators == (",." if lang == "id" else ".,")


def test_names_from_data_are_escaped_in_screen_figures():
    frame = frame_for("kota-cilegon", 2024, "id")
    data = load_story_data(frame)
    instansi = data.instansi.copy()
    instansi.loc[instansi["instansi_id"] == "kota-cilegon", "instansi_name"] = "Kota <b>Cilegon</b> & co"
    year_index = data.year_index.copy()
    year_index.loc[year_index["instansi_id"] == "kota-cilegon", "instansi_name"] = "Kota <b>Cilegon</b> & co"
    story = assemble(frame, dataclasses.replace(data, instansi=instansi, year_index=year_index), DAY)
    fig = story.slide(1).figure()
    first = fig.data[0].x[0]
    assert "&lt;b&gt;Cilegon&lt;/b&gt;" in first and "&amp; co" in first
    assert "<b>" not in first
    rank = story.slide("rank").figure()
    assert "9. Kota &lt;b&gt;Cilegon&lt;/b&gt; &amp; co" in list(rank.data[0].y)
    assert story.slide(1).title == "Indeks SPBE Kota <b>Cilegon</b> & co 2024"  # raw in the model, escaped where shown


def test_slide_3_explains_2_03_to_2_01_indicator_by_indicator(cilegon):
    slide = cilegon["id"].slide(3)
    assert slide.key == "change"
    assert slide.title == "Mengapa 2021 → 2022 berubah: poin per indikator, Kota Cilegon"
    assert slide.headline.startswith("2021: 2,03 → 2022: 2,01.")
    values = slide.chart.series[0].values
    # the bars (largest changes and one bar for the rest) add up to the change computed from the 47 levels
    assert sum(values) == pytest.approx(2.007 - 2.027)
    # the ten largest changes named, the other fourteen summed in two bars (gains, losses)
    assert len(values) == 12
    assert slide.chart.categories[-2:] in (
        ("8 indikator lain yang naik (jumlah)", "6 indikator lain yang turun (jumlah)"),
        ("6 indikator lain yang turun (jumlah)", "8 indikator lain yang naik (jumlah)"),
    )
    assert "45 Layanan Publik Sektor 1 (4 → 1)" in slide.chart.categories
    data = slide.data.set_index("indicator_code")
    assert len(data) == 24  # indicators whose level moved
    assert data.loc["19", ["level_before", "level_after"]].tolist() == [4, 1]
    assert data.loc["19", "points"] == pytest.approx(-0.075)  # 3 levels x 2.50 % / 100
    assert data["points"].sum() == pytest.approx(-0.020)
    assert "D2 Tata Kelola SPBE: −0,200; 10 dari 10 indikator di tingkat 1 pada 2022" in slide.notes
    assert "DS2122" in slide.source_ids


def test_the_why_slide_uses_the_one_waterfall_definition(cilegon):
    """The slide draws spbe.core.gaps.indicator_change_waterfall (as the Kesenjangan page does): same bars, same sums."""
    from spbe.core import gaps
    from spbe.core.frameworks import framework_for_year
    from spbe.store import db

    fw = framework_for_year(2022)
    rows = db.run("indicator_levels", instansi_id="kota-cilegon")
    by_year = {y: {r.indicator_code: int(r.level) for r in rows[rows["year"] == y].itertuples()} for y in (2021, 2022)}
    waterfall = gaps.indicator_change_waterfall(fw, by_year[2021], by_year[2022], max_bars=12)
    slide = cilegon["en"].slide("change")
    assert sorted(slide.chart.series[0].values) == sorted(b.points for b in waterfall.bars)
    assert waterfall.start == pytest.approx(2.027) and waterfall.end == pytest.approx(2.007)


def test_no_levels_for_two_years_leaves_the_change_slide_empty_with_a_reason():
    story = build_storyline(frame_for("kota-cilegon", 2021, "en"), today=DAY)
    slide = story.slide("change")
    assert slide.chart is None and "two consecutive years" in slide.message


def _same_slide(a, b) -> None:
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y, check_exact=True)
        elif f.name != "large_figure":
            assert x == y, f.name


@pytest.mark.parametrize("iid,year,lang", [("kota-cilegon", 2024, "id"), ("kota-serang", 2022, "en")])
def test_lazy_deck_builds_one_slide_and_each_is_the_assembled_one(iid, year, lang):
    """The page's deck builds a slide only when shown (slide 6's goal-seek not for slide 1) and every slide, figure
    and the whole storyline equal what assemble() gives."""
    frame = frame_for(iid, year, lang)
    deck = Deck(frame, load_story_data(frame))
    first = deck.slide(1)
    assert list(deck._slides) == [1]
    story = assemble(frame, load_story_data(frame), DAY)
    _same_slide(first, story.slides[0])
    for number in range(1, deck.total + 1):
        _same_slide(deck.slide(number), story.slides[number - 1])
        if story.slides[number - 1].chart is not None:
            assert deck.figure(number, True, None) is deck.figure(number, True, None)  # built once
            # the screen figure is the assembled one with margins fitted to its labels (charts.fit_margins)
            assembled = fit_margins(story.slides[number - 1].figure(large=True))
            assert deck.figure(number, True, None).to_json() == assembled.to_json()
    whole = deck.storyline(DAY)
    assert whole.title == story.title and whole.stamp_lines() == story.stamp_lines()
    pd.testing.assert_frame_equal(whole.sources, story.sources)
    assert deck.total == len(story.slides) == len(SLIDE_KEYS)


def test_the_deck_says_a_2019_value_is_unverified_as_the_page_does():
    # The page hatched 2019's ranking and labelled the card; the deck's index and rank slides drew the same DS1920
    # values as plain bars, and the index bar read "3,23 · nan". Each unverified bar carries a star that the slide's
    # message explains.
    from spbe.i18n import fmt_num, t
    from spbe.presentation.storyline import frame_for
    from spbe.presentation.storyline.slides import build_storyline

    for lang in ("id", "en"):
        slides = {s.key: s for s in build_storyline(frame_for("kota-cilegon", 2019, lang)).slides}
        short = t("present.unverified_short", lang)
        index, rank = slides["index"].chart.series[0], slides["rank"].chart.series[0]
        assert index.labels[0] == f"{fmt_num(3.23, lang)} *"  # short: a projector's chart cut the long one
        assert all(label.endswith(" *") for label in rank.labels) and len(rank.labels) == 9
        for key in ("index", "rank"):
            assert slides[key].message.startswith("* ") and short in slides[key].message and "DS1920" in slides[key].notes
    official = {s.key: s for s in build_storyline(frame_for("kota-cilegon", 2024, "id")).slides}
    assert official["index"].message is None and not any("*" in lb for lb in official["rank"].chart.series[0].labels)
