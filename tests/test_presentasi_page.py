"""The Presentasi page in AppTest: each slide has its own URL, a bad ?slide= warns and falls back to slide 1,
next/previous move through the storyline, presenter mode shows the slide only."""

from __future__ import annotations

from tests.conftest import run_page

PAGE = "pages/6_presentasi.py"


def titles(at) -> list[str]:
    return [t.value for t in at.title]


def test_a_deep_link_opens_its_slide():
    at = run_page(PAGE, lang="id", instansi="kota-cilegon", tahun="2024", slide="3")
    assert not at.exception, [e.message for e in at.exception]
    assert titles(at) == ["Posisi di antara pembanding"]
    assert at.query_params["slide"] == "3"
    assert at.query_params["instansi"] == "kota-cilegon"


def test_a_bad_slide_number_warns_and_shows_slide_1():
    at = run_page(PAGE, lang="en", instansi="kota-cilegon", tahun="2024", slide="99")
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("'slide'" in w and "'99'" in w and "1 to 7" in w for w in warnings), warnings
    assert titles(at) == ["SPBE index of Kota Cilegon, 2024"]
    assert at.query_params["slide"] == "1"


def test_next_and_previous_move_through_the_storyline():
    at = run_page(PAGE, lang="id", instansi="kota-cilegon", tahun="2024", slide="1")
    assert at.button(key="slide_previous").disabled
    at.button(key="slide_next").click().run()
    assert titles(at) == ["Perkembangan Indeks SPBE Kota Cilegon"]
    assert at.query_params["slide"] == "2"
    at.button(key="slide_previous").click().run()
    assert at.query_params["slide"] == "1"


def test_last_slide_has_no_next():
    at = run_page(PAGE, lang="id", instansi="kota-cilegon", tahun="2024", slide="7")
    assert at.button(key="slide_next").disabled
    assert titles(at) == ["Siapa memegang indikator apa, Kota Cilegon"]


def test_a_slide_without_data_says_why():
    at = run_page(PAGE, lang="en", instansi="kota-serang", tahun="2024", slide="5")
    assert not at.exception
    # the page shows slide text through md_escape: compare the text as read
    assert any("No self-assessment of Kota Serang is recorded" in i.value.replace("\\", "") for i in at.info)


def test_downloads_are_offered_outside_presenter_mode_only():
    normal = run_page(PAGE, lang="id", instansi="kota-cilegon", tahun="2024", slide="2")
    presenting = run_page(PAGE, lang="id", instansi="kota-cilegon", tahun="2024", slide="2", besar="1")
    assert {"download_pptx", "download_pdf"} <= {b.key for b in normal.get("download_button")}
    assert not {"download_pptx", "download_pdf"} & {b.key for b in presenting.get("download_button")}
    assert not presenting.exception
