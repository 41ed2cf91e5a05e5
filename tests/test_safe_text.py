"""The one escaping helper: markdown specials, HTML, autolinks and line breaks from user-controlled text."""

from __future__ import annotations

import re

import pytest

from spbe.safe_text import WORD_JOINER, html_escape, md_escape


@pytest.mark.parametrize(
    "raw",
    [
        "[Sesi habis - klik](https://evil.example/login)",
        "![x](https://evil.example/x.png)",
        "<img src=x onerror=alert(1)>",
        "**tebal** _miring_ `kode` # judul | a | b |",
        ":red[merah] :material/warning: $x^2$ ~~coret~~",
        "Dinas Komunikasi & Informatika (Diskominfo)",
    ],
)
def test_every_markdown_special_is_escaped(raw):
    out = md_escape(raw)
    unescaped = re.findall(r"(?<!\\)[\[\]()!*_`#|<>:$~&]", out.replace(WORD_JOINER, ""))
    assert not unescaped, (out, unescaped)
    # reading back: removing the escapes and the joiners gives exactly what was typed
    assert re.sub(r"\\(.)", r"\1", out).replace(WORD_JOINER, "") == raw


@pytest.mark.parametrize("raw", ["https://evil.example/a", "http://x.example", "www.evil.example", "admin@evil.example"])
def test_bare_urls_and_addresses_are_broken_for_gfm_autolinks(raw):
    out = md_escape(raw).replace("\\", "")
    assert not re.search(r"https?://|www\.|@[\w-]+\.", out)


def test_line_breaks_cannot_start_a_heading_or_list():
    assert "\n" not in md_escape("a\n# judul\n- item\r\nb")


def test_none_and_numbers():
    assert md_escape(None) == "" and md_escape(2.5) == "2\\.5"


def test_html_escape_for_hover_text():
    assert html_escape('<a href="https://evil.example">x</a>') == "&lt;a href=&quot;https://evil.example&quot;&gt;x&lt;/a&gt;"
