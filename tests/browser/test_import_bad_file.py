"""A bad file uploaded in the browser: the page says precisely what is wrong, row by row, offers no apply, and
nothing is written (store file and state folder untouched). The happy path is in test_import_flow.py."""

from __future__ import annotations

import pytest

from spbe.dev import e2e
from spbe.i18n import t
from spbe.imports import importer
from tests.browser.conftest import page_path, title_prefix

pytestmark = pytest.mark.browser

UPLOAD_INPUT = '[data-testid="stFileUploaderDropzoneInput"]'
# Row 2: a level above the scale; row 3: an instansi that does not exist.
BAD_CSV = b"""instansi,year,assessment,indicator_no,level
kota-cilegon,2024,self_assessment,1,7
kota-atlantis,2024,self_assessment,2,3
"""


def main_has(tab, text: str) -> None:
    tab.wait_for_function("text => document.querySelector('[data-testid=\"stMain\"]').innerText.includes(text)", arg=text)
    e2e.wait_quiet(tab)
    e2e.wait_idle(tab)


def state_files(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def test_bad_file_is_refused_with_precise_findings_and_nothing_written(live_server, page, tmp_path):
    server = live_server.server
    store_before = server.db_path.stat()
    expected = importer.plan_upload(BAD_CSV, "buruk.csv")
    assert sorted(p.code for p in expected.errors) == ["level_out_of_scale", "unknown_instansi"]

    page.goto(live_server.url(page_path("impor"), lang="id", instansi="kota-cilegon"))
    e2e.wait_page(page, title_prefix("impor", "id"))
    page.get_by_label(t("auth.name", "id")).fill("admin")
    page.get_by_label(t("auth.password", "id")).fill(live_server.admin_password)
    page.get_by_role("button", name=t("auth.sign_in", "id"), exact=True).click()
    page.wait_for_selector(UPLOAD_INPUT, state="attached")
    state_before = state_files(server.state_dir)

    bad = tmp_path / "buruk.csv"
    bad.write_bytes(BAD_CSV)
    page.locator(UPLOAD_INPUT).set_input_files(str(bad))
    main_has(page, t("import.page.invalid", "id", count=2))

    text = e2e.main_text(page)
    for problem in expected.problems:
        assert problem.message("id") in text, f"the page does not say: {problem.message('id')!r}"
    assert t("import.page.preview", "id") not in text
    assert page.get_by_role("button", name=t("import.page.apply", "id")).count() == 0, "no apply for a refused file"
    assert not e2e.exception_texts(page)
    assert not page.page_errors, page.page_errors

    after = server.db_path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (store_before.st_ino, store_before.st_mtime_ns), "the store was rewritten"
    assert state_files(server.state_dir) == state_before, "the state folder changed"
