"""Walkthrough in Chromium: sign in (wrong, then right password), upload an Excel file, preview, apply,
see the new data on the Ikhtisar page, roll back, see the published data again.

Runs its own server (own store, own state, SPBE_ADMIN_PASSWORD set) so the session server's data stay
untouched. Screenshots of every step are kept in /tmp/spbe-browser-artifacts/import_flow/.
"""

from __future__ import annotations

import json

import pytest

from spbe.core.frameworks import frameworks
from spbe.core.scoring import index_from_levels
from spbe.dev import e2e
from spbe.i18n import fmt_num, t
from spbe.web.auth import ENV_SECRET
from tests.browser.conftest import ARTIFACTS, page_path, title_prefix
from tests.import_samples import PATTERN_LEVELS, xlsx_file

pytestmark = pytest.mark.browser

PASSWORD = "uji-browser-rahasia"
SHOTS = ARTIFACTS / "import_flow"
UPLOAD_INPUT = '[data-testid="stFileUploaderDropzoneInput"]'


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory, chromium_executable):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ENV_SECRET, PASSWORD)
        with e2e.streamlit_server(tmp_path_factory.mktemp("import_flow")) as server:
            yield server


@pytest.fixture
def upload_file(tmp_path):
    """Kota Cilegon 2024 self-assessment: 47 indicator levels (a test pattern) and the index they give."""
    index = round(index_from_levels(frameworks()["permenpanrb-59-2020"], PATTERN_LEVELS).value, 2)
    indicators = [["instansi", "year", "assessment", "indicator_no", "level"]] + [
        ["Kota Cilegon", 2024, "self_assessment", int(k), v] for k, v in PATTERN_LEVELS.items()
    ]
    index_sheet = [["instansi", "year", "assessment", "indeks"], ["kota-cilegon", 2024, "self_assessment", index]]
    path = tmp_path / "cilegon_mandiri_2024.xlsx"
    path.write_bytes(xlsx_file({"indikator": indicators, "indeks": index_sheet}))
    return path, index


def settle(tab) -> None:
    e2e.wait_idle(tab)
    e2e.wait_quiet(tab, quiet_ms=600)
    e2e.wait_idle(tab)


def shot(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def wait_text(tab, text: str) -> None:
    tab.wait_for_function("text => document.querySelector('[data-testid=\"stMain\"]').innerText.includes(text)", arg=text)
    settle(tab)


def sign_in(tab, name: str, password: str) -> None:
    tab.get_by_label(t("auth.name", "id")).fill(name)
    tab.get_by_label(t("auth.password", "id")).fill(password)
    tab.get_by_role("button", name=t("auth.sign_in", "id"), exact=True).click()


def test_sign_in_upload_preview_apply_see_it_elsewhere_and_roll_back(admin_server, browser, upload_file):
    path, index = upload_file
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    errors: list[str] = []
    admin, reader = context.new_page(), context.new_page()
    for tab in (admin, reader):
        tab.set_default_timeout(60_000)
        tab.on("pageerror", lambda err: errors.append(str(err)))
    try:
        overview = admin_server.url(page_path("ikhtisar"), lang="id", instansi="kota-cilegon", tahun="2024")
        reader.goto(overview)
        e2e.wait_page(reader, title_prefix("ikhtisar", "id"))
        published = e2e.figure_fingerprint(reader)
        shot(reader, "00_overview_published")

        admin.goto(admin_server.url(page_path("impor"), lang="id", instansi="kota-cilegon"))
        e2e.wait_page(admin, title_prefix("impor", "id"))
        wait_text(admin, t("auth.title", "id"))
        assert admin.locator(UPLOAD_INPUT).count() == 0, "no upload before signing in"
        shot(admin, "01_sign_in_form")

        sign_in(admin, "admin", "bukan-ini")
        wait_text(admin, t("auth.wrong", "id"))
        assert admin.locator(UPLOAD_INPUT).count() == 0
        shot(admin, "02_wrong_password")

        sign_in(admin, "admin", PASSWORD)
        wait_text(admin, t("auth.signed_in_as", "id", name="admin"))
        admin.wait_for_selector(UPLOAD_INPUT, state="attached")
        shot(admin, "03_signed_in")

        admin.locator(UPLOAD_INPUT).set_input_files(str(path))
        wait_text(admin, t("import.page.preview", "id"))
        text = e2e.main_text(admin)
        assert t("import.page.recomputed", "id") in text
        # no findings: in particular no warning that the file's index differs from the one its levels give
        assert t("import.page.problems", "id") not in text and t("import.severity.warning", "id") not in text
        metrics = admin.locator('[data-testid="stMetric"]').all_inner_texts()
        assert any(m.startswith(t("import.col.added", "id")) and m.strip().endswith("48") for m in metrics), metrics
        shot(admin, "04_preview")

        admin.get_by_role("button", name=t("import.page.apply", "id")).click()
        wait_text(admin, "Diterapkan sebagai versi v0001-")
        assert "cilegon_mandiri_2024.xlsx" in e2e.main_text(admin) and "admin" in e2e.main_text(admin)
        shot(admin, "05_applied")

        reader.reload()
        e2e.wait_page(reader, title_prefix("ikhtisar", "id"))
        with_import = e2e.figure_fingerprint(reader)
        assert with_import != published, "the overview shows the imported data"
        assert any(fmt_num(index, "id") in m for m in with_import["metrics"]), with_import["metrics"]
        shot(reader, "06_overview_with_import")

        admin.get_by_text(t("import.page.rollback_confirm", "id", target=t("import.seeds_only", "id"))).click()
        settle(admin)
        admin.get_by_role("button", name=t("import.page.rollback_button", "id")).click()
        wait_text(admin, t("import.page.rolled_back", "id", version=t("import.seeds_only", "id")))
        shot(admin, "07_rolled_back")

        reader.reload()
        e2e.wait_page(reader, title_prefix("ikhtisar", "id"))
        assert e2e.figure_fingerprint(reader) == published, "after the rollback the published data are back"
        shot(reader, "08_overview_after_rollback")

        for tab in (admin, reader):
            assert not e2e.exception_texts(tab)
        assert not errors, errors
        audit = [json.loads(line) for line in (admin_server.state_dir / "imports" / "audit.jsonl").read_text().splitlines()]
        assert [(e["action"], e["user"]) for e in audit] == [("apply", "admin"), ("rollback", "admin")]
    finally:
        context.close()
