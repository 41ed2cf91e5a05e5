"""Helpers for the import tests: a private store and state folder, dumps to compare, sample files.

Also usable by other tests (e.g. an e2e load drill): good_indicator_csv() makes a valid file.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

CILEGON = "kota-cilegon"
# Levels for the 47 indicators of PermenPANRB 59/2020: a test pattern, not anyone's real result.
PATTERN_LEVELS = {str(i): 1 + (i * 7) % 4 for i in range(1, 48)}


def make_private_store(tmp_path: Path, monkeypatch, seed_store: Path) -> Path:
    """A copy of the session's seed-only store with its own (empty) state folder; env points at both."""
    from spbe.store import db

    target = tmp_path / "store" / "spbe.duckdb"
    target.parent.mkdir(parents=True)
    shutil.copyfile(seed_store, target)  # a fresh mtime: newer than the seeds, so not stale
    monkeypatch.setenv("SPBE_DB", str(target))
    monkeypatch.setenv("SPBE_STATE_DIR", str(tmp_path / "state"))
    db.clear_caches()
    return target


def open_fresh(path: Path) -> duckdb.DuckDBPyConnection:
    """A connection to the file now at path (not DuckDB's cached instance of an older file there)."""
    con = duckdb.connect(":memory:")
    con.execute(f"attach '{path}' as s (read_only)")
    con.execute("use s")
    return con


def dump_store(path: Path) -> str:
    """Every table but build_info as sorted CSV text: equal dumps mean equal data."""
    con = open_fresh(path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_catalog = 's' order by table_name"
            ).fetchall()
        ]
        parts = []
        for table in tables:
            if table == "build_info":
                continue
            frame = con.execute(f"select * from {table}").df()
            frame = frame.sort_values(list(frame.columns), na_position="first").reset_index(drop=True) if len(frame) else frame
            parts.append(f"## {table}\n{frame.to_csv(index=False)}")
        return "\n".join(parts)
    finally:
        con.close()


def state_snapshot(folder: Path) -> dict[str, str]:
    """Every file under the state folder with a hash of its content ({} when the folder is absent)."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()
    } | {str(p.relative_to(folder)) + "/": "dir" for p in folder.rglob("*") if p.is_dir()}


def store_leftovers(store: Path) -> list[str]:
    return sorted(p.name for p in store.parent.iterdir() if p.name.endswith(".tmp") or ".tmp." in p.name)


def indicator_csv(
    levels: dict[str, object] | None = None,
    instansi: str = CILEGON,
    year: int = 2024,
    assessment: str = "self_assessment",
    sep: str = ",",
) -> bytes:
    levels = PATTERN_LEVELS if levels is None else levels
    lines = [sep.join(["instansi", "year", "assessment", "indicator_no", "level"])]
    lines += [sep.join([instansi, str(year), assessment, str(k), str(v)]) for k, v in levels.items()]
    return ("\n".join(lines) + "\n").encode("utf-8")


def index_csv(value: str, instansi: str = CILEGON, year: int = 2024, assessment: str = "self_assessment") -> bytes:
    return f"instansi;year;assessment;indeks\n{instansi};{year};{assessment};{value}\n".encode()


def xlsx_file(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx with the given sheets (first list = header row)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def cli_env(**extra) -> dict[str, str]:
    env = dict(os.environ)
    env.update({k: str(v) for k, v in extra.items()})
    env.pop("SPBE_TEST_CRASH_AT", None) if "SPBE_TEST_CRASH_AT" not in extra else None
    return env


def run_cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """`python -m spbe ARGS` from the project root, in the test's environment (its SPBE_DB and state)."""
    return subprocess.run(
        [sys.executable, "-m", "spbe", *args],
        cwd=Path(__file__).resolve().parents[1],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
