"""Issue 13 item 6: viewer pages speak plainly. Outside an expander no page shows the method's jargon
("pemrograman dinamis"), raw unrounded values such as "2,55545", formulas (Σ), file or SQL names or the admin
set-up; such detail sits in a closed expander ("Detail teknis" / "Technical detail")."""

from __future__ import annotations

import re

import pytest

from spbe.i18n import t
from spbe.models.pages import BY_KEY
from tests.conftest import run_every_tab, run_page

TECHNICAL = re.compile(
    r"pemrograman dinamis|dynamic programming|\d[.,]\d{5,}|Σ|\.csv\b|\.duckdb\b|\bSQL\b|\bselect\b|SPBE_ADMIN|secrets\.toml",
    re.IGNORECASE,
)
VIEWER = ["ikhtisar", "tren", "perbandingan", "kesenjangan", "simulasi", "opd", "presentasi"]
KINDS = ("title", "header", "subheader", "markdown", "caption", "info", "success", "warning", "error")


def _texts(node) -> list[str]:
    return [str(e.value) for kind in KINDS for e in getattr(node, kind)]


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("key", VIEWER)
def test_technical_detail_only_in_an_expander(key, lang):
    at = run_every_tab(BY_KEY[key].script, lang=lang, instansi="kota-cilegon", tahun="2024")
    assert not at.exception
    tucked = {text for x in at.expander for text in _texts(x)}
    plain = [text for text in _texts(at) if text not in tucked]
    found = [(TECHNICAL.search(text).group(0), text[:120]) for text in plain if TECHNICAL.search(text)]
    assert not found, f"{key} ({lang}) shows technical detail outside an expander: {found}"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_simulasi_keeps_the_exact_values_in_technical_detail(lang):
    at = run_every_tab(BY_KEY["simulasi"].script, lang=lang, instansi="kota-cilegon", tahun="2024")
    detail = [x for x in at.expander if x.label == t("common.technical_detail", lang)]
    assert detail, "no 'Detail teknis' expander"
    inside = " ".join(text for x in detail for text in _texts(x))
    assert "2,55545" in inside if lang == "id" else "2.55545" in inside
    assert ("pemrograman dinamis" if lang == "id" else "dynamic programming") in inside


def test_opd_indicator_table_writes_numbers_as_indonesian():
    at = run_page(BY_KEY["opd"].script, lang="id", instansi="kota-cilegon", tahun="2024")
    table = next(d.value for d in at.dataframe if t("opd.col_worth", "id") in d.value.columns)
    cells = [str(v) for v in table[t("opd.col_worth", "id")]]
    assert cells and all("," in c and "." not in c for c in cells if c != "–"), cells[:5]
