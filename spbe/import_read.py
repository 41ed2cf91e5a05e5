"""Kept for imports elsewhere: reading an upload now lives in spbe.imports.read (stage 1 of the import)."""

from spbe.imports.read import *  # noqa: F403
from spbe.imports.read import LAST_READ, MAX_BYTES, Problem, Table, read_tables, read_tables_limited  # noqa: F401
