"""The gap, what-if and OPD pages in AppTest: shipped data (no indicator levels) for Cilegon and another
instansi in both languages, bad URL parameters, and a store with imported indicator levels."""

import csv

import pytest

from spbe.charts import gap_charts
from spbe.core import simulate
from spbe.core.frameworks import framework_for_year
from tests.conftest import run_every_tab, run_page
from tests.test_compare import decode, plotly_specs

PAGES = ("pages/3_kesenjangan.py", "pages/4_simulasi.py", "pages/5_opd.py")


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption]
    for kind in (at.info, at.warning, at.success, at.error):
        parts += [m.value for m in kind]
    return "\n".join(parts)


@pytest.mark.parametrize("script", PAGES)
@pytest.mark.parametrize("instansi", ["kota-cilegon", "kabupaten-lebak"])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_pages_render(script, instansi, lang):
    at = run_every_tab(script, lang=lang, instansi=instansi, tahun="2024")
    assert not at.exception, [e.message for e in at.exception]
    assert at.title


def test_gap_page_uses_the_2022_levels_for_2024_and_shows_the_overstatement():
    at = run_every_tab("pages/3_kesenjangan.py", lang="en", instansi="kota-cilegon", tahun="2024")
    body = texts(at)
    assert "2024 holds no indicator levels (they exist for 2021 and 2022; 2023-2024 have domain values only)" in body
    assert "use the 2022 indicator levels" in body
    assert "Indicator levels: Official 2022, source DS2122 (secondary, verified)." in body
    assert "2022: self-assessment 3.00, official 2.01, difference +0.99 (overstated)" in body
    assert "The largest loss: D4" in body
    headers = [s.value for s in at.subheader]
    assert "Index points lost per indicator, 2022" in headers and "What changed 2021→2022, indicator by indicator" in headers


def test_gap_page_for_an_instansi_without_levels():
    at = run_every_tab("pages/3_kesenjangan.py", lang="en", instansi="kabupaten-nduga", tahun="2024")
    assert not at.exception, [e.message for e in at.exception]
    assert "No indicator levels are held for Kabupaten Nduga" in texts(at)


def test_gap_page_waterfall_explains_2_03_to_2_01():
    at = run_every_tab("pages/3_kesenjangan.py", lang="id", instansi="kota-cilegon", tahun="2022")
    assert not at.exception, [e.message for e in at.exception]
    body = texts(at)
    assert "2,0270 (2021, dibulatkan 2,03) → 2,0070 (2022, dibulatkan 2,01), selisih −0,020" in body
    assert "24 indikator berubah" in body
    specs = plotly_specs(at)
    waterfall = next(s for s in specs if s["data"][0].get("orientation") == "h" and s["data"][0].get("base") is not None)
    bar = waterfall["data"][0]
    ys, widths = decode(bar["y"]), decode(bar["x"])
    assert ys[0] == "Indeks 2021" and ys[-1] == "Indeks 2022"
    assert widths[0] == pytest.approx(2.027) and widths[-1] == pytest.approx(2.007)
    colours = bar["marker"]["color"]
    steps = [w if c == gap_charts.GAIN_COLOUR else -w for w, c in zip(widths[1:-1], colours[1:-1], strict=True)]
    assert 2.027 + sum(steps) == pytest.approx(2.007, abs=1e-9)  # the bars add up to the 2022 index
    assert len(steps) <= 12 and "19 Pelaksanaan Tim Koordinasi SP…" in ys  # short label; the full name in hover
    assert bar["text"][0] == "2,03" and bar["text"][-1] == "2,01"


def test_gap_page_year_without_domain_values():
    at = run_every_tab("pages/3_kesenjangan.py", lang="id", instansi="kota-cilegon", tahun="2020")
    assert "Tidak ada nilai domain resmi untuk Kota Cilegon pada tahun 2020" in texts(at)
    assert not at.exception


def test_gap_page_bad_reference_warns_and_falls_back():
    at = run_every_tab("pages/3_kesenjangan.py", lang="en", instansi="kota-cilegon", acuan="bogus")
    assert any("'acuan'" in w.value and "bogus" in w.value for w in at.warning)
    assert not at.exception


def test_simulation_cilegon_to_baik_in_two_steps():
    at = run_every_tab("pages/4_simulasi.py", lang="en", instansi="kota-cilegon", tahun="2024")
    body = texts(at)
    # issue 13: plain words on the page (two decimals, as printed), the exact values under "Technical detail"
    assert "Official index **2.56** (Fair)" in body and "weight / 100 = 2.55545." in body
    assert "2 steps reach the target 2.60: index 2.56 → **2.61** (Good)" in body
    assert "The plan's exact values: index 2.55545 → 2.60545." in body
    assert "2.55545" not in " ".join(e.value for e in [*at.success, *at.markdown]), "no raw interval in the plain words"
    assert any(x.label == "Technical detail" for x in at.expander)
    assert "A7 4-28, A8 0-22" in body


def test_simulation_unreachable_and_bad_parameters():
    at = run_every_tab("pages/4_simulasi.py", lang="id", instansi="kota-cilegon", tahun="2024", target="5.01")
    assert any("tidak dapat dicapai" in e.value for e in at.error)
    at = run_every_tab("pages/4_simulasi.py", lang="en", instansi="kota-cilegon", target="x", usaha="D2:zero")
    assert any("'target'" in w.value for w in at.warning) and any("'usaha'" in w.value for w in at.warning)
    assert not at.exception


def test_simulation_effort_from_the_url_changes_the_plan():
    at = run_every_tab("pages/4_simulasi.py", lang="en", instansi="kota-cilegon", tahun="2024", usaha="D2:5,A7:5")
    body = texts(at)
    assert "2 steps reach the target 2.60: index 2.56 → **2.60**" in body
    assert "The plan's exact values: index 2.55545 → 2.60045." in body
    assert "only some splits" in body


def test_simulation_plan_on_the_2022_levels_for_2024():
    at = run_every_tab("pages/4_simulasi.py", lang="en", instansi="kota-cilegon", tahun="2024")
    assert not at.exception, [e.message for e in at.exception]
    body = texts(at)
    assert "2023-2024 have domain values only; the plan uses the 2022 indicator levels (Official)." in body
    assert "2 steps reach the target 2.60: index 2.56 → **2.61** (Good)" in body  # domain plan kept
    assert "The plan's exact values: index 2.55545 → 2.60545." in body
    assert "20 steps reach the target 2.60: index 2.01 → **2.60** (Good)" in body  # on the real levels
    assert "The plan's exact values: index 2.00700 → 2.60200." in body
    assert "Index from the levels = **2.0070** (Fair)" in body
    headers = [s.value for s in at.subheader]
    assert "Plan from the 2024 domain values" in headers and "Plan on the 2022 indicator levels" in headers
    assert not [t for t in at.toggle if t.key == "sim_illustrative"]  # real levels: no illustration toggle


def test_simulation_in_2022_plans_on_the_levels_only():
    at = run_every_tab("pages/4_simulasi.py", lang="id", instansi="kota-cilegon", tahun="2022")
    assert not at.exception, [e.message for e in at.exception]
    body = texts(at)
    assert "20 langkah mencapai target 2,60: indeks 2,01 → **2,60** (Baik)" in body
    assert "Nilai persis rencana: indeks 2,00700 → 2,60200." in body  # under "Detail teknis" (issue 13)
    assert "hanya punya nilai domain" not in body
    assert "Langkah level: di mana poin indeks masih bisa diraih" not in [h.value for h in at.header]


def test_simulation_illustration_is_labelled():
    at = run_every_tab("pages/4_simulasi.py", lang="en", instansi="kabupaten-nduga", tahun="2024", ilustrasi="1")
    assert any(w.value.startswith("ILLUSTRATION") for w in at.warning)
    assert not at.exception


def test_opd_page_shows_the_suggestion_and_the_points_at_stake():
    at = run_page("pages/5_opd.py", lang="id", instansi="kota-cilegon", tahun="2024")
    assert not at.exception, [e.message for e in at.exception]
    assert any("SARAN bawaan" in w.value for w in at.warning)
    body = texts(at)
    assert "Level saat ini: Resmi 2022, sumber DS2122 (sekunder, terverifikasi)." in body
    assert "memakai level indikator 2022" in body
    assert "SARAN bawaan dasbor" in body and "opd_default_mapping.csv" not in body  # issue 13: no file names
    assert "Semua OPD: 2,993 poin = 5 − indeks dari level. Terbesar: DKISP" in body
    assert "Poin indeks yang dipertaruhkan per OPD, level 2022" in [s.value for s in at.subheader]


def test_opd_page_without_levels():
    at = run_page("pages/5_opd.py", lang="en", instansi="kabupaten-nduga", tahun="2024")
    assert not at.exception, [e.message for e in at.exception]
    assert "No indicator levels are held for Kabupaten Nduga" in texts(at)


# -- a store with imported indicator levels -----------------------------------------------------------
@pytest.fixture()
def levels_store(tmp_path, monkeypatch):
    """Cilegon 2024 official levels consistent with R24's domain values, a self-assessment one level higher
    on A8, and 2023 levels: marked as a test fixture, built into a separate store."""
    from spbe.store import db
    from spbe.store.build import build

    fw = framework_for_year(2024)
    official = simulate.illustrative_levels(fw, {"D1": 2.50, "D2": 2.00, "D3": 1.36, "D4": 3.31})
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    with open(overlay / "indicator_results.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["instansi_id", "year", "framework_id", "assessment", "indicator_no", "level", "source_id", "note"])
        for code, level in official.items():
            w.writerow(["kota-cilegon", 2024, fw.framework_id, "official", code, level, "R24", "test fixture"])
            own = min(level + 1, 5) if fw.item("indicator", code).parent_code == "A8" else level
            w.writerow(["kota-cilegon", 2024, fw.framework_id, "self_assessment", code, own, "R24", "test fixture"])
            w.writerow(["kota-cilegon", 2023, fw.framework_id, "official", code, max(level - 1, 1), "R23", "test fixture"])
    target = tmp_path / "levels.duckdb"
    build(target=target, overlay=overlay)
    monkeypatch.setenv("SPBE_DB", str(target))
    db.clear_caches()
    yield target
    db.clear_caches()


def test_gap_page_with_levels_shows_heatmap_and_calibration(levels_store):
    at = run_every_tab("pages/3_kesenjangan.py", lang="en", instansi="kota-cilegon", tahun="2024")
    assert not at.exception, [e.message for e in at.exception]
    body = texts(at)
    assert "No indicator-level data" not in body
    headers = [s.value for s in at.subheader]
    assert "Each indicator's level by year" in headers and "Index points lost per indicator, 2024" in headers
    assert "What changed 2023→2024, indicator by indicator" in headers
    assert "Of 55 comparable items: 7 overstated, 0 understated, 48 equal" in body


def test_simulation_with_levels_plans_on_named_indicators(levels_store):
    at = run_every_tab("pages/4_simulasi.py", lang="en", instansi="kota-cilegon", tahun="2024")
    assert not at.exception, [e.message for e in at.exception]
    body = texts(at)
    assert "the 47 indicator levels (Official 2024, source R24)" in body
    assert "steps reach the target 2.60" in body


def test_opd_page_with_levels_shows_points_at_stake(levels_store):
    at = run_page("pages/5_opd.py", lang="en", instansi="kota-cilegon", tahun="2024")
    assert not at.exception, [e.message for e in at.exception]
    assert "Current levels: Official 2024, source R24" in texts(at)
    assert "Index points at stake per OPD, 2024 levels" in [s.value for s in at.subheader]


def test_opd_restore_needs_sign_in_and_saves(monkeypatch, tmp_path):
    monkeypatch.setenv("SPBE_ADMIN_PASSWORD", "kunci-uji-opd")
    monkeypatch.setenv("SPBE_STATE_DIR", str(tmp_path / "state"))
    at = run_page("pages/5_opd.py", lang="en", instansi="kota-serang", tahun="2024")
    assert not [b for b in at.button if b.key == "opd_restore"]  # no edit controls before sign-in
    at.text_input(key="auth_name").input("admin")
    at.text_input(key="auth_password").input("kunci-uji-opd")
    from spbe.i18n import t

    next(b for b in at.button if b.label == t("auth.sign_in", "en")).click()
    at.run()
    restore = [b for b in at.button if b.key == "opd_restore"]
    assert restore, [b.label for b in at.button]
    restore[0].click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert (tmp_path / "state" / "opd" / "kota-serang.csv").exists()
    assert any("This mapping was saved for Kota Serang" in s.value for s in at.success)
