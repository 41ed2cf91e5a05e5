"""Ikhtisar: the card facts and key messages computed from the data for Kota Cilegon and others, and the
page's metric values in both languages, for other instansi, other years and bad input."""

import pytest

from spbe.models.overview import build_overview, key_messages, metric_delta
from spbe.store import db
from tests.conftest import run_page


def overview(instansi_id, year):
    instansi = db.run("instansi_list")
    focus = instansi.set_index("instansi_id").loc[instansi_id].to_dict() | {"instansi_id": instansi_id}
    history = db.run("index_history", instansi_ids=[instansi_id])
    official = history[(history["assessment"] == "official") & (history["year"] <= year)]
    year_rows = db.run("index_by_year", year=int(official["year"].max())) if len(official) else None
    levels = db.run("indicator_levels", instansi_id=instansi_id)
    return build_overview(
        focus, year, history, year_rows, instansi, db.run("targets_for", instansi_id=instansi_id), levels=levels
    )


def test_cilegon_2024_cards():
    ov = overview("kota-cilegon", 2024)
    assert (ov.card_year, ov.value, ov.predikat, ov.source_id) == (2024, 2.56, "Cukup", "R24")
    assert (ov.previous_year, ov.previous_value, ov.change) == (2023, 2.30, 0.26)
    assert ov.group_kind == "province" and ov.province == "Banten"
    assert (ov.group_rank, ov.group_ranking.count) == (9, 9) and ov.group_ranking.is_last("kota-cilegon")
    assert (ov.category_percentile.rank, ov.category_percentile.n) == (82, 93)
    assert ov.next_band.predikat == "Baik" and ov.distance_to_next == 0.04 and not ov.on_band_edge
    assert (ov.target.year, ov.target.value, ov.target.actual, ov.target.gap, ov.target.source_id) == (
        2023,
        3.00,
        2.30,
        -0.70,
        "N1",
    )
    assert ov.target.status == "missed" and ov.target.compared_year == 2023  # compared with its own year only
    sv = ov.self_vs_official
    assert (sv.year, sv.official, sv.self_assessment, sv.difference) == (2022, 2.01, 3.00, 0.99)
    assert (ov.level_year, ov.all_at_level_one) == (2022, [("D2", 10)])


def test_cilegon_key_messages_in_both_languages():
    ov = overview("kota-cilegon", 2024)
    id_msgs = key_messages(ov, "id")
    assert 2 <= len(id_msgs) <= 5
    assert id_msgs[0] == "2024: indeks 2,56, peringkat 9 dari 9 di Banten (terendah)."
    assert id_msgs[1] == "2022: semua 10 indikator Tata Kelola SPBE (D2) berada di level 1, level terendah."
    assert id_msgs[2] == "2022: hasil resmi 2,01, penilaian mandiri 3,00; penilaian mandiri 0,99 lebih tinggi."
    assert not [m for m in id_msgs if "Lowest" in m or "SEED" in m]  # no English data note quoted as a source
    history = id_msgs[4]
    assert history.startswith(
        "PermenPANRB 5/2018: 3,23 (2018) → 3,23 (2019, belum terverifikasi); PermenPANRB 59/2020: 2,03 (2021)"
    )
    assert "tidak dibandingkan" in history
    en_msgs = key_messages(ov, "en")
    assert en_msgs[0] == "2024: index 2.56, rank 9 of 9 in Banten (lowest)."
    assert en_msgs[2] == "2022: official 2.01 vs self-assessment 3.00; the self-assessment overstated it by 0.99."


def test_cilegon_2022_is_ranked_last_in_banten_from_the_2022_rows():
    """2022 now holds all nine Banten governments (DS2122): 'lowest in Banten' is computed, not quoted."""
    ov = overview("kota-cilegon", 2022)
    assert (ov.card_year, ov.value, ov.change, ov.previous_year) == (2022, 2.01, -0.02, 2021)
    assert ov.group_ranking.complete_enough and (ov.group_rank, ov.group_ranking.count) == (9, 9)
    assert key_messages(ov, "id")[0] == "2022: indeks 2,01, peringkat 9 dari 9 di Banten (terendah)."
    assert ov.provenance == "secondary_verified" and ov.predikat_basis == "derived"


def test_no_official_value_up_to_the_year():
    ov = overview("kota-cilegon", 2017)
    assert ov.card_year is None and ov.value is None and key_messages(ov, "id") == []


def test_a_change_never_crosses_the_framework_break():
    ov = overview("kota-cilegon", 2021)  # the latest earlier value, 2019, is under 5/2018
    assert ov.previous_year is None and ov.change is None
    assert not [m for m in key_messages(ov, "id", limit=9) if "→ 2021:" in m]
    ov = overview("kota-serang", 2023)
    assert (ov.previous_year, ov.previous_value, ov.value, ov.change) == (2022, 2.49, 2.60, 0.11)


def test_next_predikat_follows_the_printed_predikat():
    """Kota Serang 2023 prints 2,60 Baik (unrounded 2.5994): the next predikat is Sangat Baik on every surface."""
    ov = overview("kota-serang", 2023)
    assert ov.predikat == "Baik" and ov.next_band.predikat == "Sangat Baik" and ov.distance_to_next == 0.90


def test_central_agency_is_ranked_among_central_agencies():
    ov = overview("kementerian-pertanian", 2024)
    assert ov.province is None and ov.group_kind == "pusat"
    assert ov.group_ranking.count == 92 and ov.group_rank is not None  # 2024 rows among every central agency held
    assert (
        ov.group_ranking.peer_count == 101
    )  # evaluated under 59/2020 (incl. LIPI, LAPAN in 2021), not the 2018-2019-only bodies
    assert ov.category_percentile.n == 92
    assert "di antara instansi pusat" in key_messages(ov, "id")[0]


def test_band_edge_value_with_the_lower_predikat():
    ov = overview("kabupaten-luwu", 2024)
    assert (ov.value, ov.predikat) == (2.60, "Cukup")
    assert ov.next_band.predikat == "Baik" and ov.on_band_edge and ov.distance_to_next == 0.0


def test_target_met_and_target_ahead():
    ov = overview("kabupaten-serang", 2024)
    assert (ov.target.year, ov.target.value, ov.target.actual, ov.target.gap) == (2024, 3.50, 3.73, 0.23)
    assert any("tercapai" in m for m in key_messages(ov, "id", limit=6))
    ov = overview("kabupaten-serang", 2023)  # the 2024 target is still ahead: never compared with the 2023 value
    assert (ov.target.year, ov.target.status, ov.target.compared_year, ov.target.gap) == (2024, "ahead", None, None)
    assert "Target 2024 (N6): 3,50; hasil 2024 belum ada." in key_messages(ov, "id", limit=9)


def test_top_band_has_no_next_predikat():
    ov = overview("kabupaten-banyuwangi", 2024)
    assert ov.predikat == "Memuaskan" and ov.next_band is None


@pytest.mark.parametrize(("value", "lang", "text"), [(-0.02, "id", "-0,02"), (0.26, "en", "+0.26"), (None, "id", None)])
def test_metric_delta_uses_an_ascii_minus_for_streamlit(value, lang, text):
    assert metric_delta(value, lang) == text


# -- the page --------------------------------------------------------------------------------------
def metrics(at):
    return {m.label: m.value for m in at.metric}


def test_page_cilegon_indonesian():
    at = run_page("app.py", instansi="kota-cilegon", tahun="2024", lang="id")
    assert not at.exception, [e.message for e in at.exception]
    shown = metrics(at)
    assert shown["Indeks SPBE 2024"] == "2,56"
    assert shown["Predikat 2024"] == "Cukup"
    assert shown["Peringkat di Banten 2024"] == "9 dari 9"
    assert shown["Persentil kota 2024"] == "12"
    assert shown["Jarak ke predikat Baik"] == "0,04"
    assert shown["Target instansi 2023"] == "3,00"
    assert shown["Mandiri vs resmi (2022)"] == "3,00 vs 2,01"
    assert "peringkat 9 dari 9 di Banten (terendah)" in at.markdown[-1].value or any(
        "peringkat 9 dari 9 di Banten (terendah)" in md.value for md in at.markdown
    )
    assert len(at.get("plotly_chart")) == 1  # the sparkline


def test_page_cilegon_english_large_text():
    at = run_page("app.py", instansi="kota-cilegon", lang="en", besar="1")
    assert not at.exception, [e.message for e in at.exception]
    shown = metrics(at)
    assert shown["SPBE index 2024"] == "2.56" and shown["Rank in Banten 2024"] == "9 of 9"
    assert shown["Self vs official (2022)"] == "3.00 vs 2.01"
    assert not [c for c in at.caption if "Rank 82 of 93" in c.value]  # projector mode drops the small print


@pytest.mark.parametrize("instansi", ["kementerian-pertanian", "kabupaten-banyuwangi", "provinsi-jawa-timur"])
def test_page_for_other_instansi(instansi):
    at = run_page("app.py", instansi=instansi, tahun="2024")
    assert not at.exception, [e.message for e in at.exception]
    assert metrics(at)["Indeks SPBE 2024"] not in ("", "–")


def test_page_year_without_a_value_and_a_bad_instansi():
    at = run_page("app.py", instansi="kota-serang", tahun="2020")
    assert not at.exception
    assert any("memakai 2019" in i.value for i in at.info)  # Banten was not evaluated in 2020
    assert metrics(at)["Indeks SPBE 2019 · belum terverifikasi"] == "2,41"  # DS1920: said on the card
    at = run_page("app.py", instansi="<script>", tahun="2024")
    assert not at.exception
    assert any("instansi" in w.value for w in at.warning)
    assert metrics(at)["Indeks SPBE 2024"] == "2,56"  # fell back to Kota Cilegon
