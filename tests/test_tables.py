"""One table helper for every page: catalogue column names, cells as the language writes them."""

import numpy as np
import pandas as pd
import pytest

from spbe.models.tables import cell, labelled, readable


@pytest.mark.parametrize(
    ("value", "id_text", "en_text"),
    [
        (2.5, "2,50", "2.50"),
        (0.013, "0,013", "0.013"),
        (2.55545, "2,55545", "2.55545"),
        (np.int64(2024), "2024", "2024"),
        (True, "ya", "yes"),
        (np.False_, "tidak", "no"),
        (None, "–", "–"),
        (float("nan"), "–", "–"),
        (pd.NA, "–", "–"),
        ("Kota Cilegon", "Kota Cilegon", "Kota Cilegon"),
    ],
)
def test_cells_in_each_language(value, id_text, en_text):
    assert cell(value, "id") == id_text and cell(value, "en") == en_text


def test_readable_table_has_no_english_or_python_words_in_indonesian():
    df = pd.DataFrame({"a": [2.5, None], "b": [True, False], "c": [np.int64(3), pd.NA]})
    shown = readable(df, "id")
    text = " ".join(shown.astype(str).to_numpy().ravel())
    assert "2,50" in text and "ya" in text and "tidak" in text
    for word in ("None", "nan", "True", "False", "<NA>", "2.5"):
        assert word not in text


def test_labelled_keeps_and_names_the_listed_columns_in_order():
    df = pd.DataFrame({"year": [2024], "value": [2.56], "hidden": ["x"]})
    out = labelled(df, {"value": "trend.col_value", "year": "trend.col_year"}, "id")
    assert list(out.columns) == ["Nilai", "Tahun"]
