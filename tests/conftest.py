"""Shared fixtures: a store built in code from the seeds into a temporary folder, state kept apart,
caches cleared between tests (AppTest shares them across tests otherwise)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def store(tmp_path_factory) -> Path:
    """The real seeds built into a temporary DuckDB file; SPBE_DB and SPBE_STATE_DIR point there."""
    from spbe.store.build import build

    folder = tmp_path_factory.mktemp("store")
    os.environ["SPBE_DB"] = str(folder / "spbe.duckdb")
    os.environ["SPBE_STATE_DIR"] = str(folder / "state")
    return build(target=folder / "spbe.duckdb", overlay=None)


@pytest.fixture(autouse=True)
def clear_caches():
    from spbe.store import db

    db.clear_caches()
    try:
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()
    except Exception:  # streamlit not importable in a pure-logic run
        pass
    yield
    db.clear_caches()


def run_page(script: str, timeout: float = 60, **query_params):
    """Run one page in AppTest with the given URL parameters; returns the AppTest after the run."""
    from streamlit.testing.v1 import AppTest

    # Start from the entry point so page links resolve as on a server, then switch to the page.
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if script != "app.py":
        at.switch_page(script)
    for key, value in query_params.items():
        at.query_params[key] = value
    at.run()
    return at


@pytest.fixture
def private(tmp_path, monkeypatch, store):
    """A private copy of the session store and its own state folder (import tests write to it)."""
    from tests.import_samples import make_private_store

    return make_private_store(tmp_path, monkeypatch, store)


class EveryTab:
    """A page run once per section tab (the open tab named in the URL, as a copied link does), its elements
    gathered in tab order: `.subheader`, `.info`, `.get("plotly_chart")`, ... as on one long page. Elements
    outside the tabs (title, frame warnings) appear once per run."""

    def __init__(self, runs: list):
        self.runs = runs

    def __getattr__(self, name: str) -> list:
        return [el for at in self.runs for el in getattr(at, name)]

    def get(self, kind: str) -> list:
        return [el for at in self.runs for el in at.get(kind)]


def run_every_tab(script: str, tab_key: str = "bagian", timeout: float = 60, **query_params) -> EveryTab:
    """Run a page with its first section tab open, then once more with each other tab open (?bagian=<label>)."""
    first = run_page(script, timeout=timeout, **query_params)
    labels = [tab.label for tab in first.tabs]
    if first.exception or not labels:
        return EveryTab([first])
    return EveryTab([first] + [run_page(script, timeout=timeout, **query_params, **{tab_key: lb}) for lb in labels[1:]])
