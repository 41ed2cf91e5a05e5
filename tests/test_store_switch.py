"""A store switch (an import applied, a rollback) must never give one page render data of two versions:
every page is rendered with the store replaced after each of its queries in turn (tools/store_switch_probe.py)
and each render must equal the page on the old data or on the new data."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import store_switch_probe  # noqa: E402


@pytest.fixture
def private_store(tmp_path, monkeypatch):
    monkeypatch.setenv("SPBE_DB", str(tmp_path / "spbe.duckdb"))
    monkeypatch.setenv("SPBE_STATE_DIR", str(tmp_path / "state"))
    return tmp_path


def test_no_page_render_mixes_two_store_versions(private_store):
    found = store_switch_probe.probe(private_store)
    assert any(v is not None for v in found.values()), "the probe's import must change some page, or it tests nothing"
    mixed = {page: points for page, points in found.items() if points}
    assert not mixed, mixed
