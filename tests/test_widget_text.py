"""Streamlit's own English widget texts have an Indonesian replacement, the sidebar's pickers carry
Indonesian placeholders and no "Select all" bulk option, and the translator runs only in Indonesian."""

from __future__ import annotations

import re

from spbe.web import widget_text
from tests.conftest import run_page


def test_every_known_english_text_has_an_indonesian_replacement():
    exact = widget_text.exact_texts("id")
    for english in widget_text.KNOWN_ENGLISH:
        assert english in exact, english
        assert exact[english] and exact[english] != english, english


def test_patterns_rewrite_numbers_into_indonesian():
    for pattern, replacement in widget_text.pattern_texts("id"):
        re.compile(pattern)
        assert "$1" in replacement
    per_file = dict(widget_text.pattern_texts("id"))[r"^(.+) per file( • .*)?$"]
    assert per_file.startswith("Maksimal $1 per berkas")


def test_translator_only_for_indonesian():
    script = widget_text.translator_html("id")
    assert "MutationObserver" in script and "Tidak ada hasil" in script and "Pilih semua" in script
    assert widget_text.translator_html("en") is None


def test_sidebar_pickers_have_indonesian_placeholders_and_no_bulk_option():
    at = run_page("pages/6_presentasi.py", lang="id", instansi="kota-cilegon", tahun="2024", peer="pilih")
    assert not at.exception
    picker = at.multiselect(key="frame_peers")
    assert picker.proto.placeholder == "Pilih instansi pembanding"
    assert at.selectbox(key="frame_instansi").proto.placeholder == "Ketik untuk mencari instansi"
    assert at.selectbox(key="frame_year").proto.placeholder == "Pilih satu"
