"""The light/dark switch is URL state (?tema=terang|gelap): kept by the frame, carried by links to other
pages, a bad value warned about; Streamlit's own ?embed_options= (which applies the theme at load) is left
to Streamlit and never set by the app."""

from __future__ import annotations

from spbe.core.view import THEME_EMBED, Frame
from tests.conftest import run_page

PAGE = "pages/6_presentasi.py"


def test_theme_in_the_url_is_kept_and_offered_in_the_sidebar():
    at = run_page(PAGE, lang="id", instansi="kota-cilegon", tahun="2024", tema="gelap")
    assert not at.exception
    assert at.query_params["tema"] == "gelap"
    assert "embed_options" not in at.query_params
    labels = [getattr(w.proto, "label", "") for w in at.get("button_group")]
    assert "Tema" in labels


def test_no_theme_means_the_viewers_system_setting():
    at = run_page(PAGE, lang="id", instansi="kota-cilegon", tahun="2024")
    assert "tema" not in at.query_params


def test_a_bad_theme_is_warned_about_and_ignored():
    at = run_page(PAGE, lang="en", instansi="kota-cilegon", tahun="2024", tema="ungu")
    assert not at.exception
    assert any("'tema'" in w.value and "'ungu'" in w.value for w in at.warning)
    # the default is named ("System"), never an empty pair of quotes
    assert any("'System'" in w.value for w in at.warning) and not any("''" in w.value for w in at.warning)
    assert "tema" not in at.query_params


def test_links_carry_the_theme_but_not_streamlits_switch():
    frame = Frame("tren", "id", "kota-cilegon", 2024, "provinsi", [], False, theme="gelap")
    params = frame.url_params()
    assert params["tema"] == "gelap" and "embed_options" not in params
    assert THEME_EMBED == {"terang": "light_theme", "gelap": "dark_theme"}
    assert "tema" not in Frame("tren", "id", "kota-cilegon", 2024, "provinsi", [], False).url_params()
