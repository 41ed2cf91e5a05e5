"""Tables as readers see them: columns named from the catalogue and cells written as the language writes them.

One helper for every page's table, so no page renames columns by hand and no table shows "2.5", "0.013",
"True" or "None" in the Indonesian interface. Downloads keep the numbers as numbers (spbe.export).
"""

from __future__ import annotations

import numbers
from functools import lru_cache

import numpy as np
import pandas as pd
from babel.numbers import format_decimal

from spbe.core import is_missing, round_half_up
from spbe.core.frameworks import predikat_name
from spbe.i18n import MISSING, norm_lang, t


def labelled(df: pd.DataFrame, columns: dict[str, str], lang: str) -> pd.DataFrame:
    """The listed columns only, in that order, renamed by their catalogue keys ({column: key})."""
    return df[list(columns)].rename(columns={c: t(key, lang) for c, key in columns.items()})


def cell(value, lang: str) -> str:
    """One cell in the reader's language: 2,56 / 0,013 / ya / –; integers (years, ranks, levels) stay whole."""
    if isinstance(value, (bool, np.bool_)):
        return t("common.yes" if value else "common.no", lang)
    if value is None or value is pd.NA or (isinstance(value, float) and is_missing(value)):
        return MISSING
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        rounded = round_half_up(value, 5)
        return format_decimal(rounded, format="0.00###", locale=norm_lang(lang))
    if norm_lang(lang) == "en" and str(value) in _predikat_terms():
        return predikat_name(str(value), lang)  # one way to write a predikat per language: "Fair", never "Cukup"
    return str(value)


@lru_cache(maxsize=1)
def _predikat_terms() -> frozenset[str]:
    from spbe.core.frameworks import frameworks

    return frozenset(b.predikat for fw in frameworks().values() for b in fw.bands)


def readable(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every cell as text in the reader's language (for on-screen tables; downloads keep numbers)."""
    out = df.copy()
    for col in out.columns:
        out[col] = [cell(v, lang) for v in out[col].tolist()]
    return out


def predikat_in_language(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A download's predikat cells written as the language writes them ("Fair" in English); numbers untouched."""
    if norm_lang(lang) != "en":
        return df
    terms = _predikat_terms()
    out = df.copy()
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = [predikat_name(v, lang) if isinstance(v, str) and v in terms else v for v in out[col].tolist()]
    return out
