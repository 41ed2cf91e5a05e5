"""The focus and its peers as the store holds them: the instansi list, a focus's evaluated years, the peer set."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from spbe.core import peer_set
from spbe.core.frameworks import framework_for_year
from spbe.core.view import Frame
from spbe.models.shared import per_store_version
from spbe.store import db


def instansi_table() -> pd.DataFrame:
    return db.run("instansi_list")


def official_years(instansi_id: str) -> list[int]:
    """Years with an official index for this instansi (the default year is the latest of them)."""
    trend = db.run("index_trend", instansi_id=instansi_id)
    return sorted(int(y) for y in trend.loc[trend["assessment"] == "official", "year"])


def peer_ids_for(frame: Frame, instansi: pd.DataFrame | None = None) -> list[str]:
    """The peer set (spbe.core.peer_set): same province, same category nationally, or the custom list; focus first."""
    instansi = instansi if instansi is not None else instansi_table()
    fw = framework_for_year(frame.year).framework_id
    return list(peer_set(frame.instansi, frame.peer_mode, instansi, frame.peer_ids, fw).ids)


def _plain(row: dict) -> dict:
    """NaN (a central agency's province) becomes None, so `if focus.get("province")` means what it says."""
    return {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}


ALL_GROUP = "*"  # the picker's "all instansi" entry
CENTRAL_GROUP = ""  # the central government's instansi (no province)


@dataclass(frozen=True)
class Picker:
    """The instansi list of one store version as the frame needs it on every run: every id (in store order), its row and label,
    its group (province or central government), each group's members in store order and the member a group
    opens on."""

    options: list[str]
    rows: dict[str, dict]  # the instansi table's row of each id (NaN as None)
    labels: dict[str, str]
    group_of: dict[str, str]
    members: dict[str, list[str]]
    lead: dict[str, int]


@per_store_version(maxsize=4)
def picker_lists() -> Picker:
    """The focus picker's lists, built once per store version and shared (never changed by a caller)."""
    _instansi = instansi_table()
    ids = _instansi["instansi_id"].tolist()
    names = _instansi["instansi_name"].tolist()
    provinces = [p if isinstance(p, str) and p else CENTRAL_GROUP for p in _instansi["province"].tolist()]
    categories = _instansi["category"].tolist()
    labels = {i: n + (f" · {p}" if p else "") for i, n, p in zip(ids, names, provinces, strict=True)}
    group_of = dict(zip(ids, provinces, strict=True))
    members: dict[str, list[str]] = {g: [] for g in sorted(set(provinces) - {CENTRAL_GROUP})}
    if CENTRAL_GROUP in provinces:
        members[CENTRAL_GROUP] = []
    lead: dict[str, int] = {ALL_GROUP: 0}
    for i, g, c in zip(ids, provinces, categories, strict=True):
        if c == "provinsi" and g not in lead:
            lead[g] = len(members[g])  # a province opens on its own government
        members[g].append(i)
    for g in members:
        lead.setdefault(g, 0)
    rows = {r["instansi_id"]: _plain(r) for r in _instansi.to_dict("records")}
    return Picker(ids, rows, labels, group_of, members, lead)
