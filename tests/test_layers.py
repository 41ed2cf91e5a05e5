"""The layers hold: pages and app.py are layout over page models (spbe), never querying the store."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
MAX_LINES = 170
DB_IMPORT = re.compile(r"^\s*(from\s+spbe\s+import\s+[^\n]*\bdb\b|from\s+spbe\.db\s+import|import\s+spbe\.db\b)", re.M)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_no_page_queries_the_store(path):
    text = path.read_text(encoding="utf-8")
    assert "db.run" not in text, f"{path.name} queries the store: move the load into a page model in spbe/"
    assert not DB_IMPORT.search(text), f"{path.name} imports spbe.store.db"


@pytest.mark.parametrize("path", [p for p in PAGES if p.parent.name == "pages"], ids=lambda p: p.name)
def test_pages_stay_thin(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines (at most {MAX_LINES}): move logic into spbe/"
