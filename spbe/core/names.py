"""Instansi names as the sources print them, resolved to the project's stable instansi_id.

Two steps, in this order:
1. the reviewed alias file data/instansi_aliases.csv (abbreviations such as "Kep.", "NTB", "D.I.",
   renamed regencies, bodies that no longer exist and have their own id);
2. otherwise the printed name with its government prefix expanded ("Pemerintah Kab. X" ->
   "Kabupaten X") compared with the canonical names, ignoring case, spaces and punctuation
   ("Kota KotaMobagu" = "Kota Kotamobagu").
A name that neither step resolves is None: the carry script refuses it and a test lists it.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

ALIAS_FILE = "instansi_aliases.csv"
RELATIONS = ("same", "renamed", "own_id")
_PREFIXES = (
    (re.compile(r"^Pemerintah Kab\.\s*", re.I), "Kabupaten "),
    (re.compile(r"^Pemerintah Kabupaten\s+", re.I), "Kabupaten "),
    (re.compile(r"^Pemerintah Kota\s+", re.I), "Kota "),
    (re.compile(r"^Pemerintah Provinsi\s+", re.I), "Provinsi "),
)


def expand_prefix(name: str) -> str:
    """'Pemerintah Kab. Serang' -> 'Kabupaten Serang'; other names unchanged."""
    name = " ".join(name.split())
    for pattern, replacement in _PREFIXES:
        if pattern.match(name):
            return pattern.sub(replacement, name, count=1)
    return name


def name_key(name: str) -> str:
    """The comparison key: prefix expanded, lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", expand_prefix(name).lower())


def read_aliases(seed_dir: Path) -> list[dict]:
    with (seed_dir / ALIAS_FILE).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class NameResolver:
    """Resolves printed names against the instansi list and the reviewed aliases."""

    def __init__(self, instansi: list[dict], aliases: list[dict]):
        self.by_key: dict[str, str] = {}
        for r in instansi:
            self.by_key.setdefault(name_key(r["instansi_name"]), r["instansi_id"])
        self.aliases = {a["name_in_source"]: a["instansi_id"] for a in aliases}

    def resolve(self, printed: str) -> str | None:
        if printed in self.aliases:
            return self.aliases[printed]
        return self.by_key.get(name_key(printed))

    def unresolved(self, printed_names) -> list[str]:
        return sorted({n for n in printed_names if self.resolve(n) is None})
