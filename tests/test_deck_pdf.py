"""The PDF handout: one page per slide between a cover and a sources page, the stamp on every page, the
numbers as the language writes them. Text is read back with a small pure-Python extractor (zlib and the
fonts' ToUnicode maps), so the test needs no PDF library."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import re
import zlib

import pytest

from spbe.presentation.deck_pdf import deck_pdf, page_count
from spbe.presentation.storyline import assemble, build_storyline, frame_for, load_story_data

DAY = dt.date(2026, 11, 28)


# -- a minimal text extractor for reportlab's output ---------------------------------------------
OBJ_RE = re.compile(rb"(\d+) 0 obj\b(.*?)endobj", re.S)
REF = rb"(\d+) 0 R"
STRING_RE = re.compile(rb"\((?:\\.|[^\\)])*\)", re.S)
TOKEN_RE = re.compile(
    rb"/([^\s/\[\]()<>]+)\s+[\d.]+\s+Tf|\[((?:\((?:\\.|[^\\)])*\)|[^\]])*)\]\s*TJ|(\((?:\\.|[^\\)])*\))\s*Tj|\bET\b|T\*|\bT[dD]\b",
    re.S,
)


def _stream(body: bytes) -> bytes:
    head, _, rest = body.partition(b"stream")
    data = rest.lstrip(b"\r\n").rsplit(b"endstream", 1)[0].rstrip(b"\r\n")
    for name in re.findall(rb"/(ASCII85Decode|FlateDecode)", head):
        if name == b"ASCII85Decode":
            data = base64.a85decode(data.strip().removeprefix(b"<~").removesuffix(b"~>"))
        else:
            data = zlib.decompress(data)
    return data


def _cmap(data: bytes) -> dict[int, str]:
    out = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            out[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for a, b, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            for k, code in enumerate(range(int(a, 16), int(b, 16) + 1)):
                out[code] = chr(int(dst, 16) + k)
    return out


def _literal(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    escapes = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while i < len(raw):
        if raw[i] != 0x5C:
            out.append(raw[i])
            i += 1
            continue
        nxt = raw[i + 1]
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8) & 0xFF)
            i += 1 + len(octal.group(0))
        else:
            out.append(escapes.get(nxt, nxt))
            i += 2
    return bytes(out)


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, in page order, lines separated by newlines."""
    objs = {int(m.group(1)): m.group(2) for m in OBJ_RE.finditer(pdf)}
    root = next(b for b in objs.values() if re.search(rb"/Type\s*/Pages\b", b))
    kids = [int(k) for k in re.findall(REF, re.search(rb"/Kids\s*\[(.*?)\]", root, re.S).group(1))]
    texts = []
    for pid in kids:
        page = objs[pid]
        ref = re.search(rb"/Font\s+" + REF, page)
        fonts = objs[int(ref.group(1))] if ref else re.search(rb"/Font\s*<<(.*?)>>", page, re.S).group(1)
        maps = {}
        for name, font_ref in re.findall(rb"/([^\s/]+)\s+" + REF, fonts):
            unicode_ref = re.search(rb"/ToUnicode\s+" + REF, objs[int(font_ref)])
            maps[name] = _cmap(_stream(objs[int(unicode_ref.group(1))])) if unicode_ref else None
        contents = re.findall(REF, re.search(rb"/Contents\s+(\[.*?\]|\d+ 0 R)", page, re.S).group(1))
        data = b"\n".join(_stream(objs[int(c)]) for c in contents)
        font, parts = None, []
        for m in TOKEN_RE.finditer(data):
            if m.group(1):
                font = m.group(1)
            elif m.group(0) in (b"ET", b"T*", b"Td", b"TD"):
                parts.append("\n")
            else:
                for s in STRING_RE.findall(m.group(2)) if m.group(2) is not None else [m.group(3)]:
                    raw, cmap = _literal(s[1:-1]), maps.get(font)
                    parts.append("".join(cmap.get(x, "\ufffd") for x in raw) if cmap else raw.decode("cp1252", "replace"))
        texts.append("".join(parts))
    return texts


def flat(text: str) -> str:
    return " ".join(text.split())


# -- tests ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def handouts():
    out = {}
    for lang in ("id", "en"):
        story = build_storyline(frame_for("kota-cilegon", 2024, lang), today=DAY)
        pdf = deck_pdf(story)
        out[lang] = (story, pdf, [flat(p) for p in page_texts(pdf)])
    return out


def test_the_file_is_a_complete_pdf(handouts):
    _, pdf, _ = handouts["id"]
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


def test_one_page_per_slide_between_cover_and_sources(handouts):
    for story, _, pages in handouts.values():
        assert len(pages) == page_count(story) == 10
        for number, slide in enumerate(story.slides, start=1):
            page = pages[number]
            assert flat(f"{number}. {slide.title}") in page
            assert flat(slide.headline) in page  # printed as written: the arrow "→" included, never "–"


def test_cover_holds_the_stamp(handouts):
    story, _, pages = handouts["id"]
    cover = pages[0]
    for line in story.stamp_lines():
        assert flat(line) in cover
    assert "Dibuat: 28 November 2026" in cover
    assert "Pembanding: se-Provinsi Banten (9 instansi)" in cover


def test_every_page_is_footed_with_the_stamp_and_page_number(handouts):
    for lang, (story, _, pages) in handouts.items():
        for n, page in enumerate(pages, start=1):
            assert flat(story.footer()) in page
            assert (f"Halaman {n} dari 10" if lang == "id" else f"Page {n} of 10") in page


def test_numbers_follow_the_language(handouts):
    _, _, id_pages = handouts["id"]
    _, _, en_pages = handouts["en"]
    assert "2,56 · Cukup" in id_pages[1] and "2.56 · Fair" in en_pages[1]
    assert "−1,25" in id_pages[5] and "−1.25" in en_pages[5]  # a true minus sign survives into the PDF
    assert "2,56" not in en_pages[1]


def test_rank_page_lists_all_nine_banten_governments(handouts):
    _, _, pages = handouts["id"]
    for name in ("Kabupaten Tangerang", "Kota Tangerang Selatan", "Provinsi Banten", "Kota Cilegon"):
        assert name in pages[4]


def test_speaker_notes_and_data_are_printed(handouts):
    story, _, pages = handouts["en"]
    assert "Speaker notes" in pages[2] and "Data shown" in pages[2]
    assert flat(story.slide(2).notes) in pages[2]


def test_simulation_page_is_labelled(handouts):
    _, _, pages = handouts["id"]
    assert "SIMULASI: hitungan dari nilai resmi, bukan hasil resmi" in pages[7]


def test_sources_page_lists_titles(handouts):
    _, _, pages = handouts["en"]
    assert "Data sources" in pages[-1]
    assert "R24: Laporan Evaluasi SPBE Tahun 2024" in pages[-1]


def test_markup_in_names_is_printed_not_interpreted():
    frame = frame_for("kota-cilegon", 2024, "id")
    data = load_story_data(frame)
    instansi = data.instansi.copy()
    instansi.loc[instansi["instansi_id"] == "kota-cilegon", "instansi_name"] = "Kota <b>Cilegon</b> & Co"
    story = assemble(frame, dataclasses.replace(data, instansi=instansi), DAY)
    pages = [flat(p) for p in page_texts(deck_pdf(story))]
    assert "Kota <b>Cilegon</b> & Co" in pages[0]


def test_the_arrow_is_printed_as_an_arrow(handouts):
    _, _, pages = handouts["id"]
    assert "2021: 2,03 → 2022: 2,01." in pages[3]  # the "why 2,03 → 2,01" page
    assert "→" in pages[2] and "2018: 3,23 → 2024: 2,56" in pages[2]


def test_change_page_prints_points_per_indicator(handouts):
    _, _, pages = handouts["id"]
    page = pages[3]
    assert "Mengapa 2021 → 2022 berubah" in page
    assert "−0,075" in page and "Tingkat Kematangan Pelaksanaan Tim Koordinasi SPBE" in page


def test_font_falls_back_to_the_shipped_vera_without_dejavu(monkeypatch, tmp_path):
    from spbe.presentation import deck_pdf as module

    monkeypatch.setattr(module, "DEJAVU_DIRS", (tmp_path,))
    regular, bold, has_arrow = module.font_files()
    assert regular.name == "Vera.ttf" and bold.name == "VeraBd.ttf" and not has_arrow
