"""Issue 12 in the browser: an upload with 46 of the 47 levels shows a warning that says so in the preview,
and a workbook with a hidden sheet is refused naming the sheet; nothing is written."""

from __future__ import annotations

import io

import pytest

from spbe.dev import e2e
from spbe.i18n import t
from tests.browser.conftest import page_path, title_prefix
from tests.browser.test_import_bad_file import UPLOAD_INPUT, main_has, state_files
from tests.import_samples import PATTERN_LEVELS, indicator_csv

pytestmark = pytest.mark.browser


def sign_in(page, live_server) -> None:
    page.goto(live_server.url(page_path("impor"), lang="id", instansi="kota-cilegon"))
    e2e.wait_page(page, title_prefix("impor", "id"))
    page.get_by_label(t("auth.name", "id")).fill("admin")
    page.get_by_label(t("auth.password", "id")).fill(live_server.admin_password)
    page.get_by_role("button", name=t("auth.sign_in", "id"), exact=True).click()
    page.wait_for_selector(UPLOAD_INPUT, state="attached")


def hidden_sheet_book() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    data = book.create_sheet("indikator")
    data.append(["instansi", "year", "assessment", "indicator_no", "level"])
    data.append(["kota-cilegon", 2024, "self_assessment", 1, 3])
    other = book.create_sheet("rahasia")
    other.append(["instansi", "year", "assessment", "indicator_no", "level"])
    other.append(["kota-serang", 2024, "self_assessment", 1, 5])
    other.sheet_state = "veryHidden"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_46_of_47_is_a_visible_warning_and_a_hidden_sheet_is_refused(live_server, page, tmp_path):
    server = live_server.server
    sign_in(page, live_server)
    store_before = server.db_path.stat()
    state_before = state_files(server.state_dir)

    levels = dict(PATTERN_LEVELS)
    del levels["47"]
    partial = tmp_path / "kurang.csv"
    partial.write_bytes(indicator_csv(levels, year=2023))
    page.locator(UPLOAD_INPUT).set_input_files(str(partial))
    main_has(page, t("import.page.preview", "id"))
    main_has(page, "46 dari 47 tingkat indikator diimpor")

    hidden = tmp_path / "tersembunyi.xlsx"
    hidden.write_bytes(hidden_sheet_book())
    page.locator(UPLOAD_INPUT).set_input_files(str(hidden))
    main_has(page, t("import.page.invalid", "id", count=1))
    text = e2e.main_text(page)
    assert "lembar 'rahasia'" in text and "sangat tersembunyi" in text
    assert page.get_by_role("button", name=t("import.page.apply", "id")).count() == 0
    assert not e2e.exception_texts(page) and not page.page_errors

    after = server.db_path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (store_before.st_ino, store_before.st_mtime_ns)
    assert state_files(server.state_dir) == state_before
