"""Where things live. Paths come from the environment so tests and deployments can point elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "data"
QUERY_DIR = ROOT / "queries"


def db_path() -> Path:
    """The DuckDB store: $SPBE_DB, else data/spbe.duckdb."""
    return Path(os.environ.get("SPBE_DB") or SEED_DIR / "spbe.duckdb")


def state_dir() -> Path:
    """Writable local state (imports, OPD mappings, audit log): $SPBE_STATE_DIR, else data/local/."""
    return Path(os.environ.get("SPBE_STATE_DIR") or SEED_DIR / "local")
