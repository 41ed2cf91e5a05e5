"""Every page URL parameter that reaches markdown is escaped: a markdown link, image or HTML sent through
any parameter renders as the characters typed, never as a live link, image or tag (issue 12)."""

from __future__ import annotations

import re

import pytest

from spbe.models.pages import PAGES
from spbe.safe_text import md_escape
from tests.conftest import run_page

LINK = "[Sesi habis - klik](https://evil.example/login)"
IMAGE = "![x](https://evil.example/x.png)"
HTML = '<img src="https://evil.example/h.png"><a href="https://evil.example/a">klik</a>'
PAYLOADS = {"link": LINK, "image": IMAGE, "html": HTML}

FRAME_PARAMS = ("lang", "instansi", "tahun", "peer", "peers", "besar", "tema")
PAGE_PARAMS = {
    "kesenjangan": ("acuan",),
    "simulasi": ("target", "usaha", "bacaan", "ilustrasi"),
    "presentasi": ("slide", "catatan"),
}

LIVE = [
    (re.compile(r"(?<!\\)\]\("), "a markdown link ']('"),
    (re.compile(r"(?<!\\)!(?<!\\)\["), "a markdown image '!['"),
    (re.compile(r"(?<!\\)<\s*(img|a|script|iframe)\b", re.I), "an HTML tag"),
    (re.compile(r"https?\\?://", re.I), "a bare URL that GFM would autolink (it does so after escapes)"),
]


def rendered_markdown(at) -> list[str]:
    """The markdown source of every text element of the run (main area and sidebar)."""
    kinds = ("markdown", "caption", "warning", "info", "error", "success", "title", "header", "subheader")
    out = []
    for kind in kinds:
        out += [str(e.value) for e in at.get(kind)]
    return out


def live_constructs(texts: list[str]) -> list[tuple[str, str]]:
    return [(what, text) for text in texts for pattern, what in LIVE if "evil" in text and pattern.search(text)]


@pytest.mark.parametrize("payload", list(PAYLOADS), ids=str)
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.key)
def test_no_live_link_image_or_html_from_any_url_parameter(page, payload):
    value = PAYLOADS[payload]
    params = {name: value for name in FRAME_PARAMS + PAGE_PARAMS.get(page.key, ())}
    at = run_page(page.script, **params)
    assert not at.exception, [e.message for e in at.exception]
    texts = rendered_markdown(at)
    warned = [x for x in texts if "evil" in x]
    assert warned, f"{page.key}: the bad parameter values should be named in a warning"
    assert not live_constructs(texts), live_constructs(texts)


@pytest.mark.parametrize("name", ["tahun", "target", "usaha", "slide", "acuan"])
def test_the_warning_shows_the_value_as_typed(name):
    page = {"target": "simulasi", "usaha": "simulasi", "slide": "presentasi", "acuan": "kesenjangan"}.get(name, "tren")
    spec = next(p for p in PAGES if p.key == page)
    at = run_page(spec.script, **{name: LINK})
    warnings = [w.value for w in at.warning if "evil" in w.value]
    assert warnings, f"no warning names ?{name}="
    assert md_escape(LINK[:28]) in warnings[0]  # the escaped form, exactly: removing the escape fails this test
    assert LINK not in warnings[0]


@pytest.mark.parametrize(("params", "fallback"), [({"tema": "ungu"}, "'Sistem'"), ({"peers": "atlantis"}, "'hanya pembanding")])
def test_a_bad_parameter_names_what_is_used_instead(params, fallback):
    # Seen in the browser: "Dipakai nilai bawaan ''." said nothing about what the page did instead.
    at = run_page(PAGES[1].script, lang="id", instansi="kota-cilegon", tahun="2024", **params)
    warnings = [w.value for w in at.warning if next(iter(params.values())) in w.value]
    assert warnings and fallback in warnings[0] and "''" not in warnings[0], warnings
