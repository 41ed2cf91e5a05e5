"""The planner views on the real indicator levels (DS2122, 2021-2022): which year a view uses, points lost per
indicator, the 2021->2022 waterfall that explains Kota Cilegon's 2.03 -> 2.01 exactly, the peer heatmap and
"learn from a neighbour" among Banten's nine, and the points at stake per OPD."""

from fractions import Fraction

import pandas as pd
import pytest

from spbe.core import gaps, scoring
from spbe.core.frameworks import framework_for_year
from spbe.models import compare, opd
from spbe.store import db

FW = framework_for_year(2022)
CILEGON = "kota-cilegon"
TATA_KELOLA = [str(n) for n in range(11, 21)]  # D2, indicators 11-20


def cilegon_rows() -> pd.DataFrame:
    return db.run("indicator_levels", instansi_id=CILEGON)


def cilegon_levels(year: int) -> dict[str, int]:
    return gaps.levels_for(cilegon_rows(), year, "official")


def exact_index(levels: dict[str, int]) -> Fraction:
    return sum(Fraction(str(i.weight_pct)) * levels[i.code] for i in FW.indicators) / 100


def banten_ids() -> list[str]:
    instansi = db.run("instansi_list")
    return list(instansi.loc[instansi["province"] == "Banten", "instansi_id"])


def names() -> dict[str, str]:
    return db.run("instansi_list").set_index("instansi_id")["instansi_name"].to_dict()


# -- which levels a view uses ------------------------------------------------------------------------------
def test_a_2023_or_2024_view_uses_the_2022_levels():
    for year in (2023, 2024):
        basis = gaps.level_basis(cilegon_rows(), year)
        assert (basis.year, basis.assessment, basis.requested_year) == (2022, "official", year)
        assert not basis.same_year and basis.complete and basis.previous_year == 2021
        assert basis.source_ids == ("DS2122",) and basis.kind == "official" and not basis.illustrative
    basis = gaps.level_basis(cilegon_rows(), 2021)
    assert basis.year == 2021 and basis.same_year and basis.previous_year is None
    assert gaps.level_basis(cilegon_rows(), 2020) is None  # 5/2018 has no 47 indicators, and no levels
    assert gaps.level_basis(db.run("indicator_levels", instansi_id="kabupaten-nduga"), 2024) is None


def test_2022_levels_recompute_to_the_published_index():
    for year, published in ((2021, 2.03), (2022, 2.01)):
        index = scoring.index_from_levels(FW, cilegon_levels(year)).value
        assert round(index, 2) == published


# -- points lost -------------------------------------------------------------------------------------------
def test_points_lost_per_indicator_sorted_and_adding_up_to_the_headroom():
    levels = cilegon_levels(2022)
    lost = gaps.indicator_points_lost(FW, levels, "id")
    assert len(lost) == 47
    assert list(lost["points_lost"]) == sorted(lost["points_lost"], reverse=True)
    assert lost["points_lost"].sum() == pytest.approx(5 - scoring.index_from_levels(FW, levels).value, abs=1e-12)
    by_code = lost.set_index("indicator_code")
    for code in TATA_KELOLA:  # all ten at level 1 in 2022: each loses 4 x 2.5 / 100
        assert by_code.loc[code, "level"] == 1
        assert by_code.loc[code, "points_lost"] == pytest.approx(0.10)
        assert by_code.loc[code, "domain_code"] == "D2"
    assert by_code.loc["11", "label"] == "11 Arsitektur SPBE"
    assert by_code.loc["43", "points_lost"] == pytest.approx(0.12)  # A8 (3.00 %) at level 1: the top loss
    assert lost.iloc[0]["indicator_code"] == "43"


def test_aspect_points_lost_add_up_too():
    aspects = gaps.aspect_values(FW, cilegon_levels(2022), "en")
    assert aspects["points_lost"].sum() == pytest.approx(5 - 2.007, abs=1e-12)
    assert aspects.set_index("aspect_code").loc["A2", "points_lost"] == pytest.approx(0.40)  # 4 indicators at 1


# -- what changed 2021 -> 2022 -----------------------------------------------------------------------------
def test_tata_kelola_was_at_level_1_in_2022():
    levels = cilegon_levels(2022)
    assert [levels[c] for c in TATA_KELOLA] == [1] * 10


def test_cilegon_waterfall_explains_2_03_to_2_01_exactly():
    before, after = cilegon_levels(2021), cilegon_levels(2022)
    wf = gaps.indicator_change_waterfall(FW, before, after)
    # The indices from the levels (unrounded): 2.0270 and 2.0070, printed 2.03 and 2.01.
    assert wf.start_exact == exact_index(before) == Fraction(2027, 1000)
    assert wf.end_exact == exact_index(after) == Fraction(2007, 1000)
    assert wf.start == pytest.approx(scoring.index_from_levels(FW, before).value, abs=1e-12)
    assert wf.end == pytest.approx(scoring.index_from_levels(FW, after).value, abs=1e-12)
    assert (round(wf.start, 2), round(wf.end, 2)) == (2.03, 2.01)
    # The bars sum exactly from the 2021 index to the 2022 index.
    assert sum((b.points_exact for b in wf.bars), Fraction(0)) == wf.end_exact - wf.start_exact == Fraction(-2, 100)
    assert sum(b.points for b in wf.bars) == pytest.approx(2.007 - 2.027, abs=1e-12)
    # 24 indicators changed: more than 12 bars, so the 10 largest keep a bar and the rest are grouped.
    assert wf.changed == 24 and len(wf.bars) <= 12 and wf.grouped == 14
    own = {b.key: b for b in wf.bars if not b.grouped}
    assert set(own) == {"12", "19", "20", "37", "38", "41", "42", "43", "45", "46"}
    assert own["19"].level_before == 4 and own["19"].level_after == 1
    assert own["19"].points_exact == Fraction(-75, 1000)  # -3 levels x 2.5 %
    assert own["42"].points_exact == Fraction(9, 100)  # +3 levels x 3 %
    groups = {b.key: b for b in wf.bars if b.grouped}
    assert all(b.points_exact > 0 for b in groups.values() if b.key == "others_gain")
    assert all(b.points_exact < 0 for b in groups.values() if b.key == "others_loss")
    assert sum(len(b.indicator_codes) for b in groups.values()) == 14
    assert [b.key for b in wf.bars][-2:] == ["others_gain", "others_loss"]


def test_waterfall_without_grouping_has_one_bar_per_changed_indicator():
    before, after = cilegon_levels(2021), cilegon_levels(2022)
    wf = gaps.indicator_change_waterfall(FW, before, after, max_bars=50)
    assert wf.grouped == 0 and len(wf.bars) == 24
    for b in wf.bars:
        weight = Fraction(str(FW.item("indicator", b.key).weight_pct))
        assert b.points_exact == weight * (after[b.key] - before[b.key]) / 100
    assert [int(b.key) for b in wf.bars] == sorted(int(b.key) for b in wf.bars)  # framework order
    table = wf.table(FW, "en")
    assert len(table) == 24 and table["points"].sum() == pytest.approx(-0.02, abs=1e-12)


def test_waterfall_refuses_incomplete_levels():
    before = dict(cilegon_levels(2021))
    del before["7"]
    with pytest.raises(ValueError, match="indicator 7"):
        gaps.indicator_change_waterfall(FW, before, cilegon_levels(2022))


# -- peers: heatmap and learn from a neighbour ---------------------------------------------------------
def test_peer_level_matrix_is_47_by_the_nine_with_the_focus_first():
    year_levels = db.run("peer_official_levels", year=2022, instansi_ids=banten_ids())
    ranking = compare.peer_ranking(db.run("index_by_year", year=2022), banten_ids())
    order, windowed = compare.level_heatmap_order(ranking.table, CILEGON, banten_ids(), set(year_levels["instansi_id"]))
    assert not windowed and order[0] == CILEGON and sorted(order) == sorted(banten_ids())
    matrix = compare.peer_level_matrix(FW, year_levels, order)
    assert matrix.shape == (47, 9) and list(matrix.columns) == order
    assert list(matrix.index) == [i.code for i in FW.indicators]
    assert [int(v) for v in matrix.loc[TATA_KELOLA, CILEGON]] == [1] * 10


def test_a_long_peer_set_is_cut_to_the_ranking_window():
    instansi = db.run("instansi_list")
    kota = list(instansi.loc[instansi["category"] == "kota", "instansi_id"])
    year_levels = db.run("peer_official_levels", year=2022, instansi_ids=kota)
    ranking = compare.peer_ranking(db.run("index_by_year", year=2022), kota)
    order, windowed = compare.level_heatmap_order(ranking.table, CILEGON, kota, set(year_levels["instansi_id"]))
    assert windowed and order[0] == CILEGON and len(order) <= 5 + 11 + 5  # top 5, the focus ± 5, bottom 5


def test_low_rule():
    assert compare.LOW_LEVEL_MAX == 2
    assert compare.is_low_level(1) and compare.is_low_level(2) and not compare.is_low_level(3)
    assert not compare.is_low_level(None) and not compare.is_low_level(float("nan"))


def test_learn_from_a_neighbour_names_the_banten_peers_higher_on_11_to_20():
    year_levels = db.run("peer_official_levels", year=2022, instansi_ids=banten_ids())
    peers = [p for p in banten_ids() if p != CILEGON]
    learn = compare.learn_from_neighbours(FW, year_levels, CILEGON, peers, names())
    by_code = learn.set_index("indicator_code")
    banten = year_levels[year_levels["instansi_id"].isin(peers)]
    for code in TATA_KELOLA:
        rows = banten[banten["indicator_code"] == code]
        expected = {(names()[i], int(lv)) for i, lv in zip(rows["instansi_id"], rows["level"], strict=True) if lv > 1}
        assert expected, code  # someone in Banten is above level 1 on every Tata Kelola indicator
        got = by_code.loc[code]
        assert {(n, lv) for _, n, lv in got["peers"]} == expected
        assert got["focus_level"] == 1 and got["best_level"] == max(lv for _, lv in expected)
        assert got["points_to_best"] == pytest.approx((got["best_level"] - 1) * 2.5 / 100)
        levels_listed = [lv for _, _, lv in got["peers"]]
        assert levels_listed == sorted(levels_listed, reverse=True)
    # indicator 11: only Provinsi Banten (3) and Kota Tangerang (2) are above Cilegon's 1
    assert [(n, lv) for _, n, lv in by_code.loc["11", "peers"]] == [("Provinsi Banten", 3), ("Kota Tangerang", 2)]
    # sorted by the points Cilegon could gain, then indicator order
    keys = list(zip(-learn["points_to_best"].round(9), [int(c) for c in learn["indicator_code"]], strict=True))
    assert keys == sorted(keys)
    # only indicators where Cilegon is low (level <= 2)
    mine = cilegon_levels(2022)
    assert all(mine[c] <= compare.LOW_LEVEL_MAX for c in learn["indicator_code"])
    long = compare.neighbour_long_table(learn)
    assert len(long) == learn["n_higher"].sum()
    assert (long["peer_level"] > long["focus_level"]).all()


def test_learn_from_a_neighbour_without_focus_levels_is_empty():
    year_levels = db.run("peer_official_levels", year=2022, instansi_ids=["kabupaten-nduga", *banten_ids()])
    learn = compare.learn_from_neighbours(FW, year_levels, "kabupaten-nduga", banten_ids(), names())
    assert learn.empty


# -- OPD --------------------------------------------------------------------------------------------------
def test_points_at_stake_per_opd_add_up_to_the_headroom():
    levels = cilegon_levels(2022)
    owners = opd.owner_table(FW, opd.default_mapping(FW, CILEGON), levels)
    stakes = opd.opd_points_at_stake(owners)
    assert stakes["points_to_top"].sum() == pytest.approx(5 - 2.007, abs=1e-12)
    assert stakes["share"].sum() == pytest.approx(1.0)
    assert list(stakes["points_to_top"]) == sorted(stakes["points_to_top"], reverse=True)
    top = stakes.iloc[0]
    assert top["opd"] == "DKISP"  # the SPBE office owns most of D1-D2 in the suggestion
    dkisp = owners[owners["opd"] == "DKISP"]
    assert top["points_to_top"] == pytest.approx(dkisp["points_to_top"].sum())
    assert top["n_low"] == int((dkisp["current_level"] <= 2).sum())


def test_points_at_stake_leave_out_an_opd_with_a_missing_level():
    levels = dict(cilegon_levels(2022))
    del levels["13"]  # Bappedalitbang's
    owners = opd.owner_table(FW, opd.default_mapping(FW, CILEGON), levels)
    stakes = opd.opd_points_at_stake(owners)
    assert "Bappedalitbang" not in set(stakes["opd"])
