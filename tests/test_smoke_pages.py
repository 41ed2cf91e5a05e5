"""Every page renders in AppTest on the shipped data without an exception (deep-link parameters included)."""

import pytest

from spbe.models.pages import PAGES
from tests.conftest import run_page


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.key)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_page_renders_without_exception(page, lang):
    at = run_page(page.script, lang=lang, instansi="kota-cilegon")
    assert not at.exception, [e.message for e in at.exception]
    assert at.title, "every page shows a title"


def test_unbuildable_store_shows_a_clear_error_instead_of_a_traceback(monkeypatch):
    from spbe.core.frameworks import SeedError
    from spbe.web import frame

    def broken():
        raise SeedError("index_results.csv row 9 (applied import): unknown instansi_id 'kota-x'")

    monkeypatch.setattr(frame, "ensure_db", broken)
    at = run_page("app.py")
    assert not at.exception
    assert "unknown instansi_id 'kota-x'" in at.error[0].value
