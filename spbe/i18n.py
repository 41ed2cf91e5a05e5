"""Interface text in Bahasa Indonesia and English, and numbers and dates as each language writes them.

The catalogue is the TOML files in spbe/locale/ (one per area, merged into one key space):
    [trend]
    title = { id = "Tren Indeks", en = "Index trend" }
gives the key "trend.title". A key defined twice, or missing a language, is an error.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal

LANGS = ("id", "en")
DEFAULT_LANG = "id"
LOCALE_DIR = Path(__file__).with_name("locale")
MISSING = "–"  # shown for a missing value; the page says why next to it


class CatalogueError(ValueError):
    pass


def _flatten(prefix: str, node: dict, out: dict, origin: str) -> None:
    for key, value in node.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and set(value) <= set(LANGS) and value:
            if set(value) != set(LANGS):
                raise CatalogueError(f"{origin}: key {full!r} lacks {sorted(set(LANGS) - set(value))}")
            if full in out:
                raise CatalogueError(f"{origin}: key {full!r} is defined twice")
            out[full] = value
        elif isinstance(value, dict):
            _flatten(full, value, out, origin)
        else:
            raise CatalogueError(f"{origin}: key {full!r} is not an {{id, en}} pair")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALE_DIR.glob("*.toml")):
        with path.open("rb") as f:
            _flatten("", tomllib.load(f), out, path.name)
    return out


def t(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """The text for key in lang, with {placeholders} filled; KeyError for an unknown key."""
    entry = catalogue()[key]
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**values) if values else text


def norm_lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def is_missing(value) -> bool:
    from spbe.core import is_missing as core_is_missing

    return core_is_missing(value)


def fmt_num(value, lang: str = DEFAULT_LANG, digits: int = 2) -> str:
    """2.01 -> '2,01' (id) or '2.01' (en); missing -> '–'."""
    if is_missing(value):
        return MISSING
    from spbe.core import round_half_up  # one rounding rule: half up, as the official tables print

    return _format_rounded(repr(round_half_up(value, digits)), digits, norm_lang(lang))


@lru_cache(maxsize=65536)
def _format_rounded(number: str, digits: int, lang: str) -> str:
    """Babel's formatting of an already rounded number, remembered: it parses the pattern and looks the locale up
    on every call (~0.2 ms), and a chart's labels and hover texts format hundreds of numbers per run."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(Decimal(number), format=pattern, locale=lang)


def fmt_delta(value, lang: str = DEFAULT_LANG, digits: int = 2) -> str:
    """A signed change: '+0,26' / '-0,02' (a true minus sign reads better on a projector)."""
    if is_missing(value):
        return MISSING
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return sign + fmt_num(abs(value), lang, digits)


def fmt_pct(value, lang: str = DEFAULT_LANG, digits: int = 0) -> str:
    if is_missing(value):
        return MISSING
    return fmt_num(value, lang, digits) + " %"


def fmt_date(day: dt.date, lang: str = DEFAULT_LANG) -> str:
    """28 November 2026 in both languages (babel's long format per locale)."""
    return format_date(day, format="d MMMM y", locale=norm_lang(lang))


def plotly_separators(lang: str) -> str:
    """Plotly's layout.separators: decimal then thousands character."""
    return ",." if norm_lang(lang) == "id" else ".,"
