"""The Presentasi page in AppTest: each slide has its own URL, a bad ?slide= warns and falls back to slide 1,
next/previous move through the storyline, presenter mode is a URL state (?presentasi=1) entered and left by
buttons, independent of projector text (?besar=1), with the downloads still at hand; the speaker's view
(?catatan=1) holds the notes and the next slide."""

from __future__ import annotations

from tests.conftest import run_page

PAGE = "pages/6_presentasi.py"


def titles(at) -> list[str]:
    return [t.value for t in at.title]


def button_keys(at) -> set[str]:
    return {b.key for b in at.button}


def test_a_deep_link_opens_its_slide():
    at = run_page(PAGE, lang="id", instansi="kota-cilegon", tahun="2024", slide="4")
    assert not at.exception, [e.message for e in at.exception]
    assert titles(at) == ["Posisi di antara pembanding"]
    assert at.query_params["slide"] == "4"
    assert at.query_params["instansi"] == "kota-cilegon"


def test_a_bad_slide_number_warns_and_shows_slide_1():
    at = run_page(PAGE, lang="en", instansi="kota-cilegon", tahun="2024", slide="99")
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("'slide'" in w and "'99'" in w and "1 to 8" in w for w in warnings), warnings
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
    at = run_page(PAGE, lang="id", instansi="kota-cilegon", tahun="2024", slide="8")
    assert at.button(key="slide_next").disabled
    assert titles(at) == ["Siapa memegang indikator apa, Kota Cilegon"]


def test_the_why_slide_follows_the_trend():
    at = run_page(PAGE, lang="id", instansi="kota-cilegon", tahun="2024", slide="3")
    assert not at.exception
    assert [x.replace("\\", "") for x in titles(at)] == ["Mengapa 2021 → 2022 berubah: poin per indikator, Kota Cilegon"]


def test_a_slide_without_data_says_why():
    at = run_page(PAGE, lang="en", instansi="kota-serang", tahun="2024", slide="6")
    assert not at.exception
    # the page shows slide text through md_escape: compare the text as read
    assert any("No self-assessment of Kota Serang is recorded" in i.value.replace("\\", "") for i in at.info)


def test_presenter_mode_is_entered_and_left_by_its_buttons():
    at = run_page(PAGE, lang="id", instansi="kota-cilegon", tahun="2024", slide="2")
    assert "presentasi" not in at.query_params
    assert "present_start" in button_keys(at) and "present_exit" not in button_keys(at)
    at.button(key="present_start").click().run()
    assert at.query_params["presentasi"] == "1"
    assert at.query_params["slide"] == "2" and "besar" not in at.query_params  # text size is its own choice
    assert "present_exit" in button_keys(at) and "present_start" not in button_keys(at)
    at.button(key="slide_next").click().run()
    assert at.query_params["slide"] == "3" and at.query_params["presentasi"] == "1"  # paging keeps the mode
    at.button(key="present_exit").click().run()
    assert "presentasi" not in at.query_params
    assert at.query_params["slide"] == "3"
    assert "present_start" in button_keys(at)
    assert not at.exception


def test_projector_text_alone_is_not_presenter_mode():
    at = run_page(PAGE, lang="id", instansi="kota-cilegon", tahun="2024", slide="2", besar="1")
    assert "present_start" in button_keys(at) and "present_exit" not in button_keys(at)
    both = run_page(PAGE, lang="id", instansi="kota-cilegon", tahun="2024", slide="2", besar="1", presentasi="1")
    assert "present_exit" in button_keys(both)
    assert both.query_params["besar"] == "1" and both.query_params["presentasi"] == "1"


def test_downloads_stay_reachable_in_presenter_mode():
    normal = run_page(PAGE, lang="id", instansi="kota-cilegon", tahun="2024", slide="2")
    presenting = run_page(PAGE, lang="id", instansi="kota-cilegon", tahun="2024", slide="2", presentasi="1")
    assert {"download_pptx", "download_pdf"} <= {b.key for b in normal.get("download_button")}
    assert {"download_pptx", "download_pdf"} <= {b.key for b in presenting.get("download_button")}
    assert not presenting.exception


def test_speaker_view_shows_the_notes_and_the_next_slide():
    at = run_page(PAGE, lang="en", instansi="kota-cilegon", tahun="2024", slide="2", catatan="1")
    assert not at.exception
    assert titles(at) == ["How the SPBE index of Kota Cilegon has moved"]
    text = " ".join(m.value for m in at.markdown)
    assert "Official index by year" in text.replace("\\", "")  # the notes
    assert "Next: slide 3" in text and "Why 2021 → 2022 moved" in text.replace("\\", "")
    assert "present_start" not in button_keys(at)  # the speaker's view is not the room's view
