"""Read-only access to the DuckDB store through the SQL files in queries/.

Each file holds one statement and a header comment naming its parameters:
    -- params: $instansi_id, $year      (or "-- params: none")
The loader refuses a call whose parameters differ from the header, and a file whose body uses
parameters the header does not declare. One read-only connection per version of the store file
(path, inode, mtime) and a cursor per query, because a DuckDB connection is not thread-safe.
Results are cached per file version, so an applied import (a new file moved into place) is seen
by the next query without serving stale rows.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from spbe.settings import QUERY_DIR, db_path

PARAM_RE = re.compile(r"\$([a-z_][a-z0-9_]*)")
HEADER_RE = re.compile(r"^--\s*params:\s*(.*)$", re.MULTILINE)


class QueryError(ValueError):
    """A query file or a call to it is wrong; the message says which and how."""


@dataclass(frozen=True)
class QueryFile:
    name: str
    sql: str
    params: tuple[str, ...]
    description: str


def _strip_comments_and_strings(sql: str) -> str:
    sql = re.sub(r"--[^\n]*", " ", sql)
    sql = re.sub(r"/\*.*?\*/", " ", sql, flags=re.DOTALL)
    return re.sub(r"'(?:[^']|'')*'", "''", sql)


def parse_query(name: str, text: str) -> QueryFile:
    header = HEADER_RE.search(text)
    if not header:
        raise QueryError(f"queries/{name}.sql: no '-- params:' header line")
    declared_text = header.group(1).strip()
    declared = () if declared_text == "none" else tuple(p.strip().lstrip("$") for p in declared_text.split(",") if p.strip())
    used = set(PARAM_RE.findall(_strip_comments_and_strings(text)))
    if set(declared) != used:
        raise QueryError(f"queries/{name}.sql: header declares {sorted(declared)} but the statement uses {sorted(used)}")
    body = _strip_comments_and_strings(text).strip().rstrip(";")
    if ";" in body:
        raise QueryError(f"queries/{name}.sql: holds more than one statement")
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    description = first.lstrip("-").strip() if first.startswith("--") else ""
    return QueryFile(name, text, declared, description)


@lru_cache(maxsize=256)
def _load(path: str, mtime_ns: int) -> QueryFile:
    p = Path(path)
    return parse_query(p.stem, p.read_text(encoding="utf-8"))


def load_query(name: str, query_dir: Path = QUERY_DIR) -> QueryFile:
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise QueryError(f"query name {name!r} is not a file name in queries/")
    path = query_dir / f"{name}.sql"
    if not path.exists():
        raise QueryError(f"queries/{name}.sql does not exist")
    return _load(str(path), path.stat().st_mtime_ns)


def all_queries(query_dir: Path = QUERY_DIR) -> list[QueryFile]:
    return [load_query(p.stem, query_dir) for p in sorted(query_dir.glob("*.sql"))]


# -- connections -------------------------------------------------------------------------------
_lock = threading.Lock()
_connections: dict[str, tuple[tuple, duckdb.DuckDBPyConnection]] = {}
_results: OrderedDict = OrderedDict()
_RESULT_CACHE_SIZE = 512
# Bounded in bytes too: a few whole-dataset results would otherwise hold hundreds of MB per process. A result
# of up to half the budget is kept: a per-year table that a page reads on every run (e.g. every instansi's
# indicator levels of one year, 39 MB at ten times national scale) would otherwise be queried again on every
# rerun, ~1-3 s each time the focus changes (bench: Perbandingan at x10).
_RESULT_CACHE_BYTES = 96 * 1024 * 1024
_result_bytes: dict = {}  # size of each cached result
_cached_total = 0


def store_version(path: Path | None = None) -> tuple:
    """Identifies one version of the store file: a rebuild moves a new inode into place."""
    path = path or db_path()
    st = path.stat()
    return (str(path), st.st_ino, st.st_mtime_ns, st.st_size)


def _open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the file now at path.

    duckdb.connect(path) hands back its cached instance for that path while any earlier connection is
    alive, i.e. the replaced file's old inode; a fresh in-memory instance attaching the file opens the
    current one. The file is made the default database so cursors see its tables unqualified.
    """
    con = duckdb.connect(":memory:")
    quoted = str(path).replace("'", "''")
    con.execute(f"attach '{quoted}' as store (read_only)")
    con.execute("use store")
    con.execute("detach memory")
    return con


def _current(path: Path) -> tuple[tuple, duckdb.DuckDBPyConnection]:
    """The store version now at path and a read-only connection to exactly that version."""
    with _lock:
        for _ in range(5):
            version = store_version(path)
            held = _connections.get(str(path))
            if held and held[0] == version:
                return held
            con = _open_read_only(path)
            if store_version(path) == version:  # not replaced while we opened it
                _connections[str(path)] = (version, con)
                # The old connection is left to the garbage collector: a reader may still be using it.
                return version, con
            con.close()
        raise RuntimeError(f"the store {path} keeps changing; try again")


_pinned = threading.local()


def pin_store(path: Path | None = None) -> tuple:
    """Serve every later query of this thread from the store version current now.

    A Streamlit script run happens in one thread; the frame pins at its start, so an import applied
    halfway through a render cannot give one page data of two versions. The next run pins afresh.
    """
    path = path or db_path()
    version, con = _current(path)
    _pinned.value = (str(path), version, con)
    return version


def pinned_version(path: Path | None = None) -> tuple:
    """The store version this thread reads (pinned by the frame, else the current one): a cache key part."""
    return _resolve(path or db_path())[0]


def unpin_store() -> None:
    _pinned.value = None


def _resolve(path: Path) -> tuple[tuple, duckdb.DuckDBPyConnection]:
    pinned = getattr(_pinned, "value", None)
    if pinned and pinned[0] == str(path):
        return pinned[1], pinned[2]
    return _current(path)


def connection(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """The read-only connection for the store version this thread reads (pinned, else current)."""
    return _resolve(path or db_path())[1]


def run(name: str, path: Path | None = None, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with exactly its declared parameters; cached per store version."""
    q = load_query(name)
    if set(params) != set(q.params):
        raise QueryError(f"queries/{name}.sql takes {sorted(q.params)}, was given {sorted(params)}")
    version, con = _resolve(path or db_path())
    key = (version, name, tuple(sorted((k, repr(v)) for k, v in params.items())))
    with _lock:
        hit = _results.get(key)
        if hit is not None:
            _results.move_to_end(key)
            return hit.copy()
    cur = con.cursor()
    try:
        frame = cur.execute(q.sql, params).df() if params else cur.execute(q.sql).df()
    finally:
        cur.close()
    size = int(frame.memory_usage(index=True, deep=True).sum())
    global _cached_total
    with _lock:
        if size <= _RESULT_CACHE_BYTES // 2 and key not in _results:  # a very large result is served, not kept
            _results[key] = frame
            _result_bytes[key] = size
            _cached_total += size
        while len(_results) > _RESULT_CACHE_SIZE or _cached_total > _RESULT_CACHE_BYTES:
            old_key, _ = _results.popitem(last=False)
            _cached_total -= _result_bytes.pop(old_key, 0)
    return frame.copy()


def clear_caches() -> None:
    unpin_store()
    with _lock:
        _results.clear()
        _result_bytes.clear()
        global _cached_total
        _cached_total = 0
        for _, con in _connections.values():
            try:
                con.close()
            except duckdb.Error:
                pass
        _connections.clear()
    _load.cache_clear()
