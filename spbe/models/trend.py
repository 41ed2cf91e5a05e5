"""The Tren page model: the focus's history, its peers, the national series and targets, loaded once per run.
The rules of a series over the years (gaps, framework breaks, domains matched by name) live in spbe.core.history."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from spbe.core import UNVERIFIED
from spbe.core.frameworks import framework_for_year
from spbe.core.history import Restatement, domain_trend_table, missing_year_spans, restatements, span_text
from spbe.models.shared import per_store_version


# -- the Tren page model ------------------------------------------------------------------------------
@dataclass
class TrendView:
    """Everything the Tren page lays out, loaded once per run (the page itself never queries the store)."""

    peer_ids: list[str]
    history: pd.DataFrame  # index_history of the focus and its peers
    national: pd.DataFrame  # national_series
    targets: pd.DataFrame  # targets_for the focus
    gap_notes: list[tuple[str, str]]  # (instansi name, missing year spans)
    inferred: pd.DataFrame  # official rows with an inferred year, among the named instansi

    @property
    def peer_count(self) -> int:
        return len(self.peer_ids) - 1

    @property
    def sources(self) -> list[str]:
        nat_targets = self.targets.loc[self.targets["scope"] == "nasional", "source_id"]
        return [*self.history["source_id"], *self.national["source_id"], *nat_targets]


@per_store_version(maxsize=4)
def national_restatements() -> list[Restatement]:
    """core's restatements of the national series: the same for every focus, so found once per store version."""
    from spbe.store import db

    return restatements(db.run("national_series"), db.run("national_report_means"))


def load_trend_view(frame, max_named: int) -> TrendView:
    from spbe.models.focus import peer_ids_for
    from spbe.store import db

    ids = peer_ids_for(frame)
    history = db.run("index_history", instansi_ids=ids)
    national = db.run("national_series")
    official = history[history["assessment"] == "official"]
    named = ids if len(ids) - 1 <= max_named else [frame.instansi_id]
    years_of: dict[str, tuple[str, list]] = {}  # plain columns: a boolean mask per named instansi costs ~0.5 ms each
    for iid, name, year in zip(official["instansi_id"], official["instansi_name"], official["year"], strict=True):
        years_of.setdefault(iid, (name, []))[1].append(year)
    gap_notes = []
    for iid in named:
        name, years = years_of.get(iid, (None, []))
        spans = missing_year_spans(years)
        if spans:
            gap_notes.append((str(name), span_text(spans)))
    return TrendView(
        peer_ids=ids,
        history=history,
        national=national,
        targets=db.run("targets_for", instansi_id=frame.instansi_id),
        gap_notes=gap_notes,
        inferred=official[official["year_attributed"].astype(bool) & official["instansi_id"].isin(named)],
    )


@dataclass
class DomainTrendView:
    """The domain trends of the focus and the national means: only the Tren page's domain tab shows them."""

    focus_domains: pd.DataFrame  # domain_history of the focus
    domains: pd.DataFrame  # domain_trend_table
    restated: list[Restatement]


def load_domain_trend(frame) -> DomainTrendView:
    """Loaded apart from the TrendView, as the rank history is: the index tab, shown first, needs none of it."""
    from spbe.store import db

    focus_domains = db.run("domain_history", instansi_id=frame.instansi_id)
    return DomainTrendView(
        focus_domains=focus_domains,
        domains=domain_trend_table(db.run("national_series"), focus_domains, frame.name),
        restated=national_restatements(),
    )


def load_rank_history(frame, history: pd.DataFrame) -> pd.DataFrame:
    """rank_history of the focus in its category nationally, over the years of its official index in history
    (TrendView.history). Loaded apart from the TrendView: only the Tren page's rank tab shows it."""
    from spbe.store import db

    official = history[(history["assessment"] == "official") & (history["instansi_id"] == frame.instansi_id)]
    return rank_history(
        frame.instansi | {"instansi_id": frame.instansi_id},
        db.run("instansi_list"),
        {int(y): db.run("index_by_year", year=int(y)) for y in sorted(set(official["year"]))},
    )


def rank_history(focus: dict, instansi: pd.DataFrame, rows_by_year: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """The focus's rank in its category nationally, year by year ("82 of 93 cities"): the core's peer set and
    ranking per year; a rank is claimed only where the year covers enough of the category (core.MIN_COVERAGE)."""
    from spbe import core

    out = []
    for year, rows in sorted(rows_by_year.items()):
        fw = framework_for_year(year)
        peers = core.peer_set(focus, "kategori", instansi, framework_id=fw.framework_id)
        ranking = core.peer_ranking(rows, peers.ids)
        rank = ranking.rank_of(focus["instansi_id"])
        mine = rows[rows["instansi_id"] == focus["instansi_id"]]
        out.append(
            dict(
                year=year,
                unverified=bool(len(mine)) and mine.iloc[0].get("provenance") == UNVERIFIED,
                framework_id=fw.framework_id,
                rank=rank if ranking.complete_enough else None,
                n=ranking.count,
                peer_count=ranking.peer_count,
                claimed=ranking.complete_enough and rank is not None,
            )
        )
    return pd.DataFrame(out, columns=["year", "unverified", "framework_id", "rank", "n", "peer_count", "claimed"])


RANK_TABLE_COLUMNS = {
    "year": "trend.col_year",
    "rank": "trend.col_rank",
    "n": "trend.col_rank_n",
    "peer_count": "trend.col_rank_peers",
    "framework_id": "trend.col_framework",
}
DOMAIN_TABLE_COLUMNS = {
    "series": "trend.col_series",
    "year": "trend.col_year",
    "domain_code": "trend.col_code",
    "domain_name": "trend.col_domain",
    "value": "trend.col_value",
    "framework_id": "trend.col_framework",
    "source_id": "common.source",
    "note": "trend.col_note",
}


def domain_table_for_display(domains: pd.DataFrame, focus_name: str, lang: str) -> pd.DataFrame:
    from spbe.i18n import t
    from spbe.models.tables import labelled

    shown = domains.assign(
        series=[t("trend.national_mean", lang) if s == "national" else focus_name for s in domains["series"]],
        domain_name=domains["domain_name_en" if lang == "en" else "domain_name_id"],
    )
    return labelled(shown, DOMAIN_TABLE_COLUMNS, lang)
