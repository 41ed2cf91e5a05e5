"""One definition per number: for every Banten instansi and every year with data, the index, rank, peer
average, largest-gap domain and next predikat are the same on every surface as spbe.core.facts computes
them: Ikhtisar, Perbandingan, Analisis Kesenjangan and Simulasi (their page models), every slide, the
PowerPoint and the PDF; and the pages rendered in AppTest show the same numbers."""

from __future__ import annotations

import io
import re

import pytest

from spbe import core
from spbe.core.frameworks import framework_for_year
from spbe.i18n import fmt_delta, fmt_num
from spbe.models.overview import load_overview
from spbe.presentation.storyline import build_storyline, frame_for
from spbe.store import db

BANTEN = [
    "provinsi-banten",
    "kabupaten-pandeglang",
    "kabupaten-lebak",
    "kabupaten-tangerang",
    "kabupaten-serang",
    "kota-tangerang",
    "kota-cilegon",
    "kota-serang",
    "kota-tangerang-selatan",
]
YEARS = [2018, 2019, 2021, 2022, 2023, 2024]  # Banten was not evaluated in 2020


def facts(iid: str, year: int) -> core.Facts:
    instansi = db.run("instansi_list")
    focus = instansi.set_index("instansi_id").loc[iid].to_dict() | {"instansi_id": iid}
    return core.facts(
        focus, year, db.run("index_by_year", year=year), db.run("domain_by_year", year=year), instansi, framework_for_year(year)
    )


@pytest.fixture(scope="module")
def all_facts():
    return {(i, y): facts(i, y) for i in BANTEN for y in YEARS}


def test_every_banten_instansi_has_a_value_each_year_held(all_facts):
    missing = [(i, y) for (i, y), f in all_facts.items() if f.index is None]
    assert missing == []
    assert all(f.rank is not None and f.ranked_count == 9 for f in all_facts.values())
    assert all_facts[("kota-cilegon", 2024)].peer_average.count == 8  # the focus is never in its own peer average
    assert all_facts[("kota-cilegon", 2024)].peer_average.value == pytest.approx(3.5025)
    assert all_facts[("kota-cilegon", 2024)].largest_gap.domain_code == "D4"
    assert all_facts[("kota-serang", 2023)].next_predikat == "Sangat Baik"  # printed 2,60 Baik: the next is Sangat Baik


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("iid", BANTEN)
def test_ikhtisar_and_every_slide_agree_with_the_core(iid, year, all_facts):
    f = all_facts[(iid, year)]
    frame = frame_for(iid, year, "id")
    ov, _ = load_overview(frame)
    assert ov.card_year == year and core.printed(ov.value) == f.index
    assert ov.group_rank == f.rank
    assert (ov.next_band.predikat if ov.next_band else None) == f.next_predikat

    # Perbandingan, Analisis Kesenjangan, Simulasi: the page models the pages lay out
    from spbe.models import compare, gap_view, simulate_view

    cmp = compare.load_compare_view(frame)
    assert cmp.ranking.rank_of(iid) == f.rank and cmp.ranking.count == f.ranked_count
    assert cmp.peer_average.value == pytest.approx(f.peer_average.value) and cmp.peer_average.count == f.peer_average.count
    gv = gap_view.load_gap_view(frame)
    assert gv.peer_avg.value == pytest.approx(f.peer_average.value) and gv.peer_avg.count == f.peer_average.count
    assert (gv.largest.domain_code if gv.largest else None) == (f.largest_gap.domain_code if f.largest_gap else None)
    if f.largest_gap is not None:
        assert gv.largest.points == pytest.approx(f.largest_gap.points)
    sim = simulate_view.load_simulation_view(frame)
    if sim.has_domains or sim.levels_complete:  # otherwise Simulasi says it has nothing to simulate from
        assert (sim.next_band.predikat if sim.next_band else None) == f.next_predikat

    story = build_storyline(frame)
    index = story.slide("index")
    assert core.printed(index.chart.series[0].values[0]) == f.index
    computed = index.data[index.data["kind"] == "computed"]
    assert len(computed) == 1 and computed["value"].iloc[0] == pytest.approx(f.peer_average.value)
    assert computed["label"].iloc[0] == f.peer_average.label("id")

    rank = story.slide("rank")
    shown = rank.data.set_index("instansi_id")
    assert int(shown.loc[iid, "rank"]) == f.rank
    assert rank.headline.startswith(f"Peringkat {f.rank} dari {f.ranked_count}")

    domains = story.slide("domains")
    if f.largest_gap is None:
        assert domains.chart is None or "Kehilangan poin terbesar" not in domains.headline
    else:
        name = framework_for_year(year).item("domain", f.largest_gap.domain_code).name("id")
        assert domains.headline.startswith(f"Kehilangan poin terbesar: {name}, {fmt_delta(f.largest_gap.points, 'id', 3)}")

    nxt = story.slide("next_predikat")
    if f.next_predikat is None:
        assert "tertinggi" in nxt.headline
    else:
        assert f.next_predikat in " ".join([nxt.headline, nxt.notes, " ".join(map(str, nxt.data.get("label", [])))])


def _pptx_text(data: bytes) -> str:
    from pptx import Presentation

    prs = Presentation(io.BytesIO(data))
    parts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if getattr(shape, "has_text_frame", False):
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_chart", False):  # the chart's categories are what a viewer reads on the axis
                parts.extend(str(c) for plot in shape.chart.plots for c in plot.categories)
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return " ".join(parts)


def _pdf_text(data: bytes) -> str:
    from tests.test_deck_pdf import flat, page_texts

    return " ".join(flat(p) for p in page_texts(data))


@pytest.mark.parametrize("year", [2018, 2022, 2024])
@pytest.mark.parametrize("iid", ["kota-cilegon", "kota-serang", "provinsi-banten"])
def test_powerpoint_and_pdf_say_the_same(iid, year, all_facts):
    from spbe.presentation.deck_pdf import deck_pdf
    from spbe.presentation.deck_pptx import deck_pptx

    f = all_facts[(iid, year)]
    story = build_storyline(frame_for(iid, year, "id"))
    for text in (_pptx_text(deck_pptx(story)), _pdf_text(deck_pdf(story))):
        text = re.sub(r"\s+", " ", text)
        assert f"Peringkat {f.rank} dari {f.ranked_count}" in text
        assert fmt_num(f.index, "id") in text
        assert f.peer_average.label("id") in text
        if f.largest_gap is not None:
            assert fmt_delta(f.largest_gap.points, "id", 3) in text


@pytest.mark.parametrize(("iid", "year"), [("kota-cilegon", 2024), ("kota-serang", 2023)])
def test_the_pages_show_the_same_numbers(iid, year, all_facts):
    """Rendered in AppTest: the rank on Ikhtisar and Perbandingan, the peer average label on Kesenjangan and
    Perbandingan, and the next predikat on Ikhtisar and Simulasi are the core's."""
    import json

    from tests.conftest import run_every_tab, run_page

    f = all_facts[(iid, year)]

    def text(at):
        parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
        parts += [f"{m.label} {m.value}" for m in at.metric]
        parts += [json.dumps(json.loads(el.proto.spec), ensure_ascii=False) for el in at.get("plotly_chart")]
        return " ".join(parts)

    home = run_page("app.py", instansi=iid, tahun=str(year))
    assert not home.exception
    assert f"{f.rank} dari {f.ranked_count}" in text(home)
    assert f.next_predikat in " ".join(m.label for m in home.metric)
    compare_page = run_page("pages/2_perbandingan.py", instansi=iid, tahun=str(year))
    assert not compare_page.exception
    shown = text(compare_page)
    assert f.peer_average.label("id") in shown or fmt_num(f.peer_average.value, "id") in shown
    gap_page = run_page("pages/3_kesenjangan.py", instansi=iid, tahun=str(year))
    assert not gap_page.exception
    assert fmt_delta(f.largest_gap.points, "id", 3) in text(gap_page)
    sim_page = run_every_tab("pages/4_simulasi.py", instansi=iid, tahun=str(year))
    assert not sim_page.exception
    assert f.next_predikat in text(sim_page) + " ".join(r.value for r in sim_page.radio)
