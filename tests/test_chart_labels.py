"""Issue 13 item 4: labels that cannot collide. Kesenjangan's benchmark bars label only the focus and the
leader (never side by side), and its four grey references differ by shade and by fill pattern; the national
mean of Perbandingan's histogram is named in the legend, not written over the bars."""

from __future__ import annotations

import pandas as pd

from spbe.charts import distribution_figure
from spbe.charts.gap_charts import BENCH_COLOURS, BENCH_LABELLED, BENCH_PATTERNS, benchmark_figure
from spbe.store import db

ORDER = ("focus", "pembanding", "kategori_provinsi", "provinsi", "nasional", "pemimpin")


def _bench() -> pd.DataFrame:
    # Kesenjangan's case from the issue: two references 3,40 and 3,39 side by side
    values = {"focus": 2.56, "pembanding": 3.50, "kategori_provinsi": 3.12, "provinsi": 3.40, "nasional": 3.39, "pemimpin": 3.91}
    return pd.DataFrame([{"benchmark": b, "domain_code": "index", "value": v} for b, v in values.items()])


def test_only_bars_that_are_never_neighbours_carry_a_label():
    labels = {b: b for b in ORDER} | {"target": "target"}
    fig = benchmark_figure(_bench(), labels, {"index": "Indeks"}, "id")
    labelled = [tr.name for tr in fig.data if tr.text is not None and any(tr.text)]
    assert labelled == ["focus", "pemimpin"]
    positions = [ORDER.index(n) for n in labelled]
    assert all(abs(a - b) > 1 for a in positions for b in positions if a != b), "two labelled bars side by side"
    assert set(BENCH_LABELLED) == {"focus", "pemimpin"}
    bars = {tr.name: tr for tr in fig.data}
    assert "3,40" not in str(bars["provinsi"].text) and "3,39" not in str(bars["nasional"].text)


def test_the_grey_references_differ_by_shade_and_pattern():
    greys = ["pembanding", "kategori_provinsi", "provinsi", "nasional"]
    shades = [int(BENCH_COLOURS[g][1:3], 16) for g in greys]
    assert min(abs(a - b) for a in shades for b in shades if a is not b) >= 0x20, "greys too close to tell apart"
    assert len({BENCH_PATTERNS[g] for g in greys}) == len(greys), "each grey has its own fill pattern"
    fig = benchmark_figure(_bench(), {b: b for b in ORDER}, {"index": "Indeks"}, "id")
    patterns = {tr.name: tr.marker.pattern.shape for tr in fig.data}
    assert len({patterns[g] for g in greys}) == len(greys)


def test_the_national_mean_is_in_the_legend_not_on_the_bars():
    rows = db.run("index_by_year", year=2024)
    kota = rows[rows["category"] == "kota"]
    focus = kota[kota["instansi_id"] == "kota-cilegon"].iloc[0]
    fig = distribution_figure(kota, focus, "Kota Cilegon 2,56", ("Rata-rata nasional kota", 3.39), "id")
    assert not [a for a in fig.layout.annotations if "Rata-rata nasional" in str(a.text)], "the mean's label sits on the bars"
    legend = [tr.name for tr in fig.data if tr.showlegend is not False]
    assert "Rata-rata nasional kota: 3,39" in legend


def test_margins_are_fitted_to_the_labels_so_plotly_draws_once():
    import plotly.graph_objects as go

    from spbe.charts import _MAX_FITTED_LEFT, fit_margins, style_layout

    names = ["A7 · Layanan Administrasi Pemerintahan", "A2 · Perencanaan"]
    fig = go.Figure(go.Bar(x=[3.4, 1.0], y=names, orientation="h"), style_layout("id"))
    fig.update_layout(xaxis_title="Indeks SPBE")
    before = fig.to_plotly_json()["data"]
    fit_margins(fig)
    # room for the longest label (~240 px at 14 px) and for two text lines under the axis; never less than set
    assert 180 <= fig.layout.margin.l <= _MAX_FITTED_LEFT
    assert fig.layout.margin.b >= 2 * 14 * 1.35
    assert fig.layout.margin.r == 10 and fig.to_plotly_json()["data"] == before
    again = fig.layout.margin.to_plotly_json()
    assert fit_margins(fig).layout.margin.to_plotly_json() == again  # a second call changes nothing

    wide = go.Figure(go.Bar(x=[1.0], y=["x" * 200], orientation="h"), style_layout("id"))
    assert fit_margins(wide).layout.margin.l == _MAX_FITTED_LEFT  # a phone keeps room for the bars

    numbers = go.Figure(go.Scatter(x=[2021, 2022], y=[2.03, 2.01]), style_layout("id", large=True))
    numbers.update_layout(margin=dict(l=120))
    assert fit_margins(numbers).layout.margin.l == 120  # a margin set wider is kept
    hidden = go.Figure(go.Scatter(x=[1], y=[1]), style_layout("id"))
    hidden.update_yaxes(visible=False)
    assert fit_margins(hidden).layout.margin.l == 10


def test_a_waterfall_prints_its_ends_as_the_text_prints_an_index():
    # Seen on Simulasi: the text said "indeks 2,01 → 2,60" and the plan chart beside it "2,007 → 2,602", the unrounded
    # values that belong under "Detail teknis". The ends are indices (two decimals); the steps keep three.
    from spbe.charts.gap_charts import waterfall_figure

    contrib = pd.DataFrame({"domain_code": ["D1", "D2"], "contribution": [-0.146, 0.0025]})
    fig = waterfall_figure(contrib, "Rata-rata pembanding", "Kota Cilegon", 2.0065, 1.8625, {}, "id")
    texts = list(fig.data[0].text)
    assert texts == ["2,01", "−0,146", "+0,003", "1,86"], texts


def test_the_plan_chart_turns_its_step_labels_where_they_do_not_fit_and_its_target_reads_in_dark_mode():
    # Seen on a phone: nine level steps printed level over each other ("11 · 1→2 ... 42 · 4→5" unreadable); and in
    # dark mode the target's "2,60" was white text on its light box, and its black line did not show. Plotly's automatic angle turns labels only when
    # they do not fit (a desk screen keeps them level); the target's text is black on its box in both themes.
    from types import SimpleNamespace

    from spbe.charts.gap_charts import plan_figure
    from spbe.core.frameworks import framework_for_year

    fw = framework_for_year(2022)
    steps = [SimpleNamespace(gain=g) for g in (0.025, 0.03, 0.12)]
    plan = SimpleNamespace(start_index=2.007, end_index=2.182, target=2.6, steps=steps, end_band=fw.band_for(2.182))
    fig = plan_figure(
        plan,
        fw,
        ["<b>11</b> · 1→2<br>Arsitektur", "<b>42</b> · 4→5<br>Layanan", "<b>43</b> · 1→5<br>Data"],
        "Awal",
        "Hasil",
        "id",
    )
    assert fig.layout.xaxis.tickangle is None  # Plotly's "auto"
    target = [a for a in fig.layout.annotations if a.text == "2,60"]
    assert len(target) == 1 and target[0].font.color == "#000000" and target[0].bgcolor.startswith("rgba(255,255,255")
    from spbe.charts import TARGET_COLOUR

    assert [s.line.color for s in fig.layout.shapes if s.y0 == 2.6 and s.line.width == 2] == [TARGET_COLOUR]  # not black


def test_a_target_mark_shows_in_dark_mode_too():
    # Seen in dark mode on Kesenjangan (2023, target 3,00 from N1): the target's mark was a black line, invisible on
    # the dark background. It is drawn in the targets' colour, as the trend chart's targets are.
    from spbe.charts import TARGET_COLOUR

    bench = pd.concat([_bench(), pd.DataFrame([{"benchmark": "target", "domain_code": "index", "value": 3.0}])])
    fig = benchmark_figure(bench, {b: b for b in ORDER} | {"target": "Target"}, {"index": "Indeks"}, "id")
    target = next(tr for tr in fig.data if tr.name == "Target")
    assert target.marker.line.color == TARGET_COLOUR and list(target.text) == ["3,00"]
