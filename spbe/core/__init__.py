"""The semantic core: every rule that decides a number the product shows, written once, free of Streamlit.

Pages, the storyline, the PowerPoint and PDF decks and the exports call these functions; none of them
re-derives a peer set, a rank, a peer average, a largest gap, a next predikat or a target. The
cross-surface test (tests/test_cross_surface.py) checks that every surface shows the same values.

Definitions (also stated on the Sumber page):
- Rounding: half-up to two decimals, as the official tables print (2.425 -> 2.43), for display and for
  anything compared on its printed value.
- Peer set: the focus's province (its provincial government and the kabupaten/kota in it), or its category
  nationally, or a custom list; a central agency's "province" peers are the central agencies. The focus
  is always a member.
- Rank: competition ranking on the printed (rounded half-up) index among the peers holding a value that
  year: equal printed values share the best rank, the next rank is skipped (1, 2, 2, 4). A rank is put
  into words only when at least MIN_COVERAGE of the peer set has a value.
- Peer average: the plain mean of the peers' values that year, the focus EXCLUDED, with the count: it
  answers "how do the others do". Its label says how many and that the focus is not in it.
- Largest gap: the domain whose shortfall against the peer average costs the most index points,
  weighted (weight x (focus - average) / 100); the raw gap is kept beside it.
- Next predikat: the band above the predikat of the row (printed, or derived from the bands of the
  year's framework), and the value where it starts.
- Own target: a target is compared with the result of its own year only; a target for a later year is a
  goal ahead ("needs +x to reach"), never "missed" against an earlier result.
- Change: only between two years of the same framework (an index measure); never across a framework break.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

MIN_COVERAGE = 0.8
# The national report's name for each instansi category (national_results.scope).
CATEGORY_SCOPE = {"pusat": "instansi_pusat", "provinsi": "provinsi", "kabupaten": "kabupaten", "kota": "kota"}
PEER_MODES = ("provinsi", "kategori", "pilih")
# How far a value can be trusted, best first (the store's provenance column). An unverified value (2019-2020, DS1920)
# looks different and says so on every surface that shows it.
UNVERIFIED = "secondary_unverified"
PROVENANCES = ("official_report", "secondary_verified", UNVERIFIED, "region_import")


# -- missing values and rounding -------------------------------------------------------------------
def is_missing(value) -> bool:
    """None, NaN, pandas NA or anything that is not a number."""
    if value is None or value is pd.NA:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def round_half_up(value, digits: int = 2) -> float | None:
    """As the official tables print: 2.425 -> 2.43, 2.205 -> 2.21 (the decimal text, not the binary float)."""
    if is_missing(value):
        return None
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def printed(value) -> float | None:
    """The two-decimal value the official tables print."""
    return round_half_up(value, 2)


# -- names ----------------------------------------------------------------------------------------
def short_regulation(regulation: str) -> str:
    """'PermenPANRB 59/2020 tentang ...' -> 'PermenPANRB 59/2020'."""
    return str(regulation).split(" tentang ")[0].strip()


def province_of(instansi: dict) -> str | None:
    """The instansi's province, or None for a central agency (a row may carry NaN rather than None)."""
    value = instansi.get("province")
    return value if isinstance(value, str) and value.strip() else None


# -- the peer set (the view itself is the URL state, spbe.core.view.Frame) ---------------------------------
@dataclass(frozen=True)
class PeerSet:
    ids: tuple[str, ...]  # the focus first
    mode: str  # provinsi | kategori | pilih | pusat (a central agency's home group)

    @property
    def others(self) -> tuple[str, ...]:
        return self.ids[1:]


def peer_set(focus: dict, mode: str, instansi: pd.DataFrame, custom_ids=(), framework_id: str | None = None) -> PeerSet:
    """The peer set of the focus (focus first, no repeats). With a framework, the group keeps only members
    evaluated at least once under it (instansi_list.evaluated_under): a body last evaluated in 2019 is no
    peer in 2024, and does not lower a year's coverage. A custom list is kept as chosen."""
    fid = focus["instansi_id"]
    province = province_of(focus)
    if framework_id and mode != "pilih" and "evaluated_under" in instansi:
        held = [framework_id in str(v).split(";") for v in instansi["evaluated_under"]]
        instansi = instansi[held]
    if mode == "pilih":
        ids, used = [fid, *custom_ids], "pilih"
    elif mode == "kategori":
        ids, used = list(instansi.loc[instansi["category"] == focus["category"], "instansi_id"]), "kategori"
    elif province:
        ids, used = list(instansi.loc[instansi["province"] == province, "instansi_id"]), "provinsi"
    else:
        ids, used = list(instansi.loc[instansi["category"] == "pusat", "instansi_id"]), "pusat"
    return PeerSet(tuple(dict.fromkeys([fid, *ids])), used)


# -- rank -------------------------------------------------------------------------------------------
def rank_table(rows: pd.DataFrame, value: str = "indeks") -> pd.DataFrame:
    """Rows with a value, best first, with rank (competition ranking on the printed value) and n."""
    held = rows[[not is_missing(v) for v in rows[value]]].copy() if len(rows) else rows.copy()
    held["_printed"] = [printed(v) for v in held[value]]
    held = held.sort_values(["_printed", "instansi_name"], ascending=[False, True], kind="mergesort")
    held["rank"] = held["_printed"].rank(method="min", ascending=False).astype(int) if len(held) else []
    held["n"] = len(held)
    return held.drop(columns="_printed").reset_index(drop=True)


@dataclass(frozen=True)
class Ranking:
    table: pd.DataFrame  # ranked rows with a value (rank, n)
    peer_count: int  # members of the peer set, with or without a value
    missing_ids: tuple[str, ...]  # peers without a value that year

    @property
    def count(self) -> int:
        return len(self.table)

    @property
    def coverage(self) -> float:
        return self.count / self.peer_count if self.peer_count else 0.0

    @property
    def complete_enough(self) -> bool:
        return self.peer_count > 1 and self.coverage >= MIN_COVERAGE

    def rank_of(self, instansi_id: str) -> int | None:
        hit = self.table.loc[self.table["instansi_id"] == instansi_id, "rank"]
        return int(hit.iloc[0]) if len(hit) else None

    def is_last(self, instansi_id: str) -> bool:
        rank = self.rank_of(instansi_id)
        return rank is not None and rank == int(self.table["rank"].max())

    def is_first(self, instansi_id: str) -> bool:
        return self.rank_of(instansi_id) == 1


def peer_ranking(year_rows: pd.DataFrame, peer_ids) -> Ranking:
    """Rank the peer set on one year's rows (one official row per instansi)."""
    peers = list(dict.fromkeys(peer_ids))
    table = rank_table(year_rows[year_rows["instansi_id"].isin(peers)])
    held = set(table["instansi_id"])
    return Ranking(table, len(peers), tuple(p for p in peers if p not in held))


# -- peer average -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PeerAverage:
    value: float | None
    count: int  # peers with a value (the focus never among them)
    peer_count: int  # peers in the set, the focus not counted
    focus_included: bool = False

    def label(self, lang: str) -> str:
        from spbe.i18n import t

        return t("core.peer_average_label", lang, n=self.count)


def peer_average(year_rows: pd.DataFrame, peers: PeerSet, value: str = "indeks") -> PeerAverage:
    """The mean of the other peers' values that year (the focus excluded), with how many."""
    others = year_rows[year_rows["instansi_id"].isin(peers.others)].drop_duplicates("instansi_id")
    vals = [float(v) for v in others[value] if not is_missing(v)]
    return PeerAverage(sum(vals) / len(vals) if vals else None, len(vals), len(peers.others))


# -- largest gap ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Gap:
    domain_code: str
    points: float  # weighted: weight x (focus - reference) / 100, negative = a loss
    raw: float  # focus - reference on the 1-5 scale


def domain_gaps(fw, focus_values: dict, reference_values: dict) -> list[Gap]:
    """Every domain's gap against the reference, weighted and raw (domains missing on either side left out)."""
    out = []
    for dom in fw.top_level:
        f, r = focus_values.get(dom.code), reference_values.get(dom.code)
        if is_missing(f) or is_missing(r):
            continue
        raw = float(f) - float(r)
        out.append(Gap(dom.code, dom.weight_pct * raw / 100, raw))
    return out


def largest_gap(fw, focus_values: dict, reference_values: dict) -> Gap | None:
    """The domain costing the most weighted index points against the reference, or None if none loses."""
    losses = [g for g in domain_gaps(fw, focus_values, reference_values) if g.points < 0]
    return min(losses, key=lambda g: (g.points, g.domain_code)) if losses else None


def peer_domain_average(domain_rows: pd.DataFrame, peers: PeerSet) -> dict[str, float]:
    """Per domain, the mean over the other peers holding a value (the same rule as peer_average)."""
    others = domain_rows[domain_rows["instansi_id"].isin(peers.others)]
    out = {}
    for code, part in others.groupby("domain_code"):
        vals = [float(v) for v in part.drop_duplicates("instansi_id")["value"] if not is_missing(v)]
        if vals:
            out[str(code)] = sum(vals) / len(vals)
    return out


# -- predikat, bands, next predikat -------------------------------------------------------------------
def predikat_written(predikat, lang: str, basis=None, derived_text: str | None = None) -> str | None:
    """A predikat as written on every surface (frameworks.predikat_name: "Cukup" / "Fair"); a derived one
    (2021-2022) carries derived_text in brackets. None for a missing predikat."""
    from spbe.core.frameworks import predikat_name

    name = predikat_name(predikat, lang)
    if name is not None and str(basis or "") == "derived" and derived_text:
        return f"{name} ({derived_text})"
    return name


def band_named(fw, predikat: str | None):
    return next((b for b in fw.bands if b.predikat == predikat), None)


def next_predikat(fw, predikat: str | None, value=None):
    """The band above the row's predikat (printed or derived); without a predikat, above the value's band.
    None at the top band or when neither is known."""
    current = band_named(fw, predikat) if predikat else (fw.band_for(float(value)) if not is_missing(value) else None)
    if current is None:
        return None
    above = [b for b in fw.bands if b.rank == current.rank + 1]
    return above[0] if above else None


# -- targets --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TargetView:
    year: int
    value: float
    source_id: str
    kind: str
    compared_year: int | None  # the result year it is compared with (its own year), None when ahead/unknown
    actual: float | None
    status: str  # "met" | "missed" | "ahead" | "no_result"

    @property
    def gap(self) -> float | None:
        return None if self.actual is None else round(self.actual - self.value, 2)


def own_target(targets: pd.DataFrame, instansi_id: str, year: int, results_by_year: dict[int, float]) -> TargetView | None:
    """The instansi's target for the year, else the next one ahead (a goal), else the latest past one.
    A target is compared only with the result of its own year, never with an earlier one."""
    own = targets[(targets["scope"] == "instansi") & (targets["instansi_id"] == instansi_id)].sort_values("year")
    if own.empty:
        return None
    same, ahead = own[own["year"] == year], own[own["year"] > year]
    row = same.iloc[0] if len(same) else (ahead.iloc[0] if len(ahead) else own.iloc[-1])
    ty, value = int(row["year"]), float(row["target_indeks"])
    actual = results_by_year.get(ty)
    if ty > year and actual is None:
        status, compared = "ahead", None
    elif actual is None or is_missing(actual):
        status, compared, actual = "no_result", None, None
    else:
        status, compared = ("met" if printed(actual) >= printed(value) else "missed"), ty
    return TargetView(ty, value, str(row["source_id"]), str(row["kind"]), compared, actual, status)


# -- change over time -------------------------------------------------------------------------------
def previous_comparable(official: pd.DataFrame, year: int) -> pd.Series | None:
    """The latest official row before the year under the same framework, or None."""
    mine = official[official["year"] == year]
    if mine.empty:
        return None
    fw = mine.iloc[0]["framework_id"]
    before = official[(official["year"] < year) & (official["framework_id"] == fw)].sort_values("year")
    return before.iloc[-1] if len(before) else None


# -- the headline numbers of a view, as every surface must show them ---------------------------------
@dataclass(frozen=True)
class Facts:
    instansi_id: str
    year: int
    framework_id: str
    index: float | None  # the printed (two-decimal) index of the focus that year
    predikat: str | None
    predikat_basis: str | None
    provenance: str | None
    rank: int | None  # None when the peer set's coverage is too thin to claim a rank
    ranked_count: int  # peers holding a value that year (the focus included)
    peer_count: int
    peer_average: PeerAverage
    largest_gap: Gap | None  # against the peer average, weighted
    next_predikat: str | None
    next_edge: float | None


def facts(
    focus: dict,
    year: int,
    year_rows: pd.DataFrame,
    domain_rows: pd.DataFrame,
    instansi: pd.DataFrame,
    fw,
    peer_mode: str = "provinsi",
    custom_ids=(),
) -> Facts:
    """Index, rank, peer average, largest gap and next predikat of the focus in one year (official rows)."""
    fid = focus["instansi_id"]
    peers = peer_set(focus, peer_mode, instansi, custom_ids, fw.framework_id)
    mine = year_rows[year_rows["instansi_id"] == fid]
    row = mine.iloc[0] if len(mine) else None
    index = printed(row["indeks"]) if row is not None else None
    predikat = row["predikat"] if row is not None and isinstance(row["predikat"], str) else None
    ranking = peer_ranking(year_rows, peers.ids)
    mine_domains = domain_rows[domain_rows["instansi_id"] == fid]
    own_domains = dict(zip(mine_domains["domain_code"].astype(str), mine_domains["value"], strict=True))
    gap = largest_gap(fw, own_domains, peer_domain_average(domain_rows, peers)) if own_domains else None
    nxt = next_predikat(fw, predikat, index) if index is not None else None
    return Facts(
        fid,
        int(year),
        fw.framework_id,
        index,
        predikat,
        row.get("predikat_basis") if row is not None else None,
        row.get("provenance") if row is not None else None,
        ranking.rank_of(fid) if ranking.complete_enough else None,
        ranking.count,
        ranking.peer_count,
        peer_average(year_rows, peers),
        gap,
        nxt.predikat if nxt else None,
        nxt.lower if nxt else None,
    )
