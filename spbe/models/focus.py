"""The focus and its peers as the store holds them: the instansi list, a focus's evaluated years, the peer set."""

from __future__ import annotations

import pandas as pd

from spbe.core import peer_set
from spbe.core.frameworks import framework_for_year
from spbe.core.view import Frame
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
