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


# -- the package's folders are its layers: each imports only from the layers below it ------------------------------
SPBE = ROOT / "spbe"
FOUNDATION = {"settings", "i18n", "safe_text", "export"}  # top-level modules every layer may use
BELOW = {  # layer -> the layers it may import (besides itself and the foundation)
    "core": set(),
    "store": {"core"},
    "imports": {"core", "store"},
    "models": {"core", "store"},
    "charts": {"core"},
    "presentation": {"core", "store", "models", "charts"},
    "web": {"core", "store", "imports", "models", "charts", "presentation"},
}
SPBE_IMPORT = re.compile(r"^\s*(?:from\s+spbe\.(\w+)|from\s+spbe\s+import\s+([\w, ]+)|import\s+spbe\.(\w+))", re.M)
STREAMLIT_IMPORT = re.compile(r"^\s*(?:import|from)\s+streamlit\b", re.M)
LAYER_MODULES = [p for layer in BELOW for p in sorted((SPBE / layer).rglob("*.py"))]


def imported_layers(text: str) -> set[str]:
    found = set()
    for dotted, names, plain in SPBE_IMPORT.findall(text):
        found.update([dotted or plain] if (dotted or plain) else [n.strip().split(" as ")[0] for n in names.split(",")])
    return found - FOUNDATION


@pytest.mark.parametrize("path", LAYER_MODULES, ids=lambda p: str(p.relative_to(SPBE)))
def test_layers_import_only_below(path):
    layer = path.relative_to(SPBE).parts[0]
    wrong = imported_layers(path.read_text(encoding="utf-8")) - BELOW[layer] - {layer}
    assert not wrong, f"spbe/{path.relative_to(SPBE)} ({layer}) imports {sorted(wrong)}: allowed {sorted(BELOW[layer])}"


@pytest.mark.parametrize(
    "path", [p for p in LAYER_MODULES if p.relative_to(SPBE).parts[0] != "web"], ids=lambda p: str(p.relative_to(SPBE))
)
def test_only_the_web_layer_uses_streamlit(path):
    assert not STREAMLIT_IMPORT.search(path.read_text(encoding="utf-8")), f"spbe/{path.relative_to(SPBE)} imports streamlit"


def test_every_module_sits_in_a_layer():
    loose = {p.stem for p in SPBE.glob("*.py")} - FOUNDATION - {"__init__", "__main__"}
    assert not loose, f"modules outside the layer folders: {sorted(loose)}"


def test_the_layer_check_catches_a_wrong_import():
    assert imported_layers("from spbe.web import ui\nfrom spbe import core, i18n\n") == {"web", "core"}
    assert imported_layers("    from spbe.models.focus import peer_ids_for\n") == {"models"}
