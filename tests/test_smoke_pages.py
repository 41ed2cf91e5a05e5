"""Every page renders in AppTest on the shipped data without an exception (deep-link parameters included)."""

import pytest

from spbe.pages import PAGES
from tests.conftest import run_page


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.key)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_page_renders_without_exception(page, lang):
    at = run_page(page.script, lang=lang, instansi="kota-cilegon")
    assert not at.exception, [e.message for e in at.exception]
    assert at.title, "every page shows a title"
