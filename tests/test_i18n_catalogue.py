"""One catalogue for the whole interface: every key the code asks for exists, every key in the catalogue is
used, both languages are filled with the same {placeholders}, and numbers and dates follow the language.

A failure lists the exact keys (with the file and line that uses them, or the toml file that defines them),
so whoever added them can fix them.

What counts as a use of a key (scanned with ast in app.py, pages/ and spbe/):
- t("area.key"), frame.t("area.key"), t('area.key', lang): the literal must exist;
- t(f"assessment.{code}"): an f-string with a literal prefix must match at least one key, and counts as a
  use of every key with that prefix;
- any other string literal equal to a key (e.g. a dict of label keys), or an f-string prefix outside t()
  (e.g. f"page.{key}"), counts as a use.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import string
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

from spbe.i18n import LANGS, LOCALE_DIR, catalogue, fmt_date, fmt_delta, fmt_num, fmt_pct, plotly_separators
from spbe.settings import SEED_DIR

ROOT = Path(__file__).resolve().parents[1]
KEY_CHARS = set(string.ascii_letters + string.digits + "_.-")


def code_files() -> list[Path]:
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "spbe").rglob("*.py"))]
    return [f for f in files if f.exists()]


def _is_t_call(node: ast.Call) -> bool:
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "t") or (isinstance(func, ast.Attribute) and func.attr == "t")


def _prefix(node: ast.JoinedStr) -> str | None:
    first = node.values[0] if node.values else None
    if isinstance(first, ast.Constant) and isinstance(first.value, str) and "." in first.value:
        return first.value
    return None


def scan() -> tuple[list[tuple[str, int, str]], list[tuple[str, int, str]], set[str], set[str]]:
    """(literal keys asked of t(), prefixes asked of t(), every other string literal, every other f-string prefix)."""
    asked, asked_prefixes, literals, prefixes = [], [], set(), set()
    for path in code_files():
        rel = str(path.relative_to(ROOT))
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        in_t_call = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _is_t_call(node) and node.args:
                arg = node.args[0]
                in_t_call.add(id(arg))
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    asked.append((rel, arg.lineno, arg.value))
                elif isinstance(arg, ast.JoinedStr) and _prefix(arg):
                    asked_prefixes.append((rel, arg.lineno, _prefix(arg)))
        for node in ast.walk(tree):
            if id(node) in in_t_call:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and set(node.value) <= KEY_CHARS:
                literals.add(node.value)
            elif isinstance(node, ast.JoinedStr) and _prefix(node):
                prefixes.add(_prefix(node))
    return asked, asked_prefixes, literals, prefixes


def keys_by_file() -> dict[str, str]:
    """Which toml file defines each key (the catalogue merges them)."""
    out = {}

    def walk(prefix, node, origin):
        for key, value in node.items():
            full = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict) and value and set(value) <= set(LANGS):
                out[full] = origin
            elif isinstance(value, dict):
                walk(full, value, origin)

    for path in sorted(LOCALE_DIR.glob("*.toml")):
        with path.open("rb") as f:
            walk("", tomllib.load(f), path.name)
    return out


def grouped(items) -> str:
    by_place = defaultdict(list)
    for place, key in items:
        by_place[place].append(key)
    return "\n".join(f"  {place}: {', '.join(sorted(set(keys)))}" for place, keys in sorted(by_place.items()))


def test_every_key_the_code_asks_for_exists():
    keys = set(catalogue())
    asked, asked_prefixes, _, _ = scan()
    missing = [(f"{file}:{line}", key) for file, line, key in asked if key not in keys]
    dead_prefixes = [
        (f"{file}:{line}", f"{prefix}*") for file, line, prefix in asked_prefixes if not any(k.startswith(prefix) for k in keys)
    ]
    assert not missing + dead_prefixes, "keys used in code but not in spbe/locale/*.toml:\n" + grouped(missing + dead_prefixes)


def test_every_catalogue_key_is_used():
    asked, asked_prefixes, literals, prefixes = scan()
    used = {key for _, _, key in asked} | literals
    all_prefixes = {p for _, _, p in asked_prefixes} | prefixes
    origin = keys_by_file()
    unused = [(origin.get(k, "?"), k) for k in catalogue() if k not in used and not any(k.startswith(p) for p in all_prefixes)]
    assert not unused, "catalogue keys no code uses (remove them or use them):\n" + grouped(unused)


def test_both_languages_are_filled_with_the_same_placeholders():
    origin = keys_by_file()
    empty, mismatched = [], []
    for key, entry in catalogue().items():
        if any(not (entry.get(lang) or "").strip() for lang in LANGS):
            empty.append((origin[key], key))
            continue
        fields = {lang: {f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f is not None} for lang in LANGS}
        if fields["id"] != fields["en"]:
            mismatched.append((origin[key], f"{key} (id {sorted(fields['id'])} / en {sorted(fields['en'])})"))
    assert not empty, "keys with an empty language:\n" + grouped(empty)
    assert not mismatched, "keys whose placeholders differ between id and en:\n" + grouped(mismatched)


def test_the_scanner_sees_literal_and_prefixed_keys():
    # Guards the scanner itself: a known literal use and a known prefixed use must be found.
    asked, asked_prefixes, literals, prefixes = scan()
    assert ("spbe/web/presenter.py", "present.previous") in {(f, k) for f, _, k in asked}
    assert "assessment." in {p for _, _, p in asked_prefixes}
    assert "page." in prefixes  # PageSpec.title_key builds f"page.{key}"


# -- data names in both languages ----------------------------------------------------------------
def _seed(name: str) -> list[dict]:
    with (SEED_DIR / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize(
    ("file", "columns"),
    [
        ("predikat_bands.csv", ("predikat", "name_en")),
        ("level_names.csv", ("name_id", "name_en")),
        ("assessments.csv", ("name_id", "name_en")),
    ],
)
def test_predikat_level_and_assessment_names_exist_in_both_languages(file, columns):
    gaps = [r for r in _seed(file) if not all(r[c].strip() for c in columns)]
    assert not gaps, f"{file}: rows without both names: {gaps}"


def test_domain_and_aspect_names_exist_in_both_languages():
    gaps = [
        (r["framework_id"], r["code"])
        for r in _seed("framework_items.csv")
        if r["level"] in ("domain", "aspect") and not (r["name_id"].strip() and r["name_en"].strip())
    ]
    assert not gaps, f"framework_items.csv: domains/aspects without both names: {gaps}"


def test_indicator_names_exist_in_both_languages():
    gaps = [
        (r["framework_id"], r["code"])
        for r in _seed("framework_items.csv")
        if r["level"] == "indicator" and not (r["name_id"].strip() and r["name_en"].strip())
    ]
    assert not gaps, f"framework_items.csv: indicators without an English name: {gaps}"


# -- numbers and dates ---------------------------------------------------------------------------
def test_numbers_follow_the_language():
    assert fmt_num(2.01, "id") == "2,01" and fmt_num(2.01, "en") == "2.01"
    assert fmt_num(1234.5, "id") == "1.234,50" and fmt_num(1234.5, "en") == "1,234.50"
    assert fmt_num(2.555, "id", 3) == "2,555"
    assert fmt_delta(-0.02, "id") == "−0,02" and fmt_delta(0.26, "en") == "+0.26"
    assert fmt_pct(45.5, "id", 1) == "45,5 %"
    assert fmt_num(None, "id") == "–" and fmt_num(float("nan"), "en") == "–"
    assert plotly_separators("id") == ",." and plotly_separators("en") == ".,"


def test_dates_follow_the_language():
    day = dt.date(2026, 11, 28)
    assert fmt_date(day, "id") == "28 November 2026"
    assert fmt_date(day, "en") == "28 November 2026"
    assert fmt_date(dt.date(2026, 8, 17), "id") == "17 Agustus 2026"
    assert fmt_date(dt.date(2026, 8, 17), "en") == "17 August 2026"


def test_the_national_distribution_never_claims_all_of_a_category():
    """2022 holds 86 of 93 cities: the title says 'with a value', never 'all' (the caption gives the count)."""
    from spbe.i18n import t

    for lang in ("id", "en"):
        title = t("compare.distribution_title", lang, name="Kota Cilegon", category="kota", year=2022)
        assert "semua" not in title and "all " not in title
        assert "2022" in title
        intro = t("compare.intro", lang, name="Kota Cilegon", peers="se-Banten", category="kota", year=2022)
        assert "semua" not in intro and "all " not in intro
