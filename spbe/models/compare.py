"""Rankings, rank changes, percentiles and averages for a peer set: pure functions over data frames.

Policies (shown on the Perbandingan page and the Sumber page):
- Ranks use the printed two-decimal index, the value the official tables publish. Equal printed values
  share the best rank and the next rank is skipped (1, 2, 2, 4: "competition" ranking).
- A province is ranked together with its kabupaten and kota: the founding story counts "the nine Banten
  governments" (Provinsi Banten and its eight kabupaten/kota). Its row keeps its category so it can be told apart.
- A rank is only claimed in words ("last of nine") when at least MIN_COVERAGE of the peer set has a value
  that year; otherwise the page shows what exists and says how many are missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from spbe.core import CATEGORY_SCOPE as NATIONAL_SCOPE  # noqa: E402, F401

# One definition each, in the semantic core (spbe/core.py); re-exported for the modules that import them here.
from spbe.core import MIN_COVERAGE, Ranking, peer_ranking, province_of, rank_table  # noqa: E402, F401


def rank_changes(before: pd.DataFrame, after: pd.DataFrame, peer_ids: list[str]) -> pd.DataFrame:
    """Each peer's value and rank in two rounds (each ranked within its own round) and the change.

    rank_change > 0 means the instansi moved up (a smaller rank number). An instansi missing in one round
    keeps its other values; its change is left empty rather than guessed.
    """
    first = peer_ranking(before, peer_ids).table
    second = peer_ranking(after, peer_ids).table
    cols = ["instansi_id", "instansi_name", "category", "indeks", "predikat", "rank", "n"]
    cols += ["predikat_basis"] if "predikat_basis" in first and "predikat_basis" in second else []
    merged = first[cols].merge(second[cols], on=["instansi_id"], how="outer", suffixes=("_before", "_after"))
    merged["instansi_name"] = merged["instansi_name_after"].fillna(merged["instansi_name_before"])
    merged["category"] = merged["category_after"].fillna(merged["category_before"])
    merged["change"] = (merged["indeks_after"] - merged["indeks_before"]).round(2)
    merged["rank_change"] = merged["rank_before"] - merged["rank_after"]
    out = merged[
        [
            "instansi_id",
            "instansi_name",
            "category",
            "indeks_before",
            "rank_before",
            "predikat_before",
            "indeks_after",
            "rank_after",
            "predikat_after",
            "change",
            "rank_change",
        ]
        + (["predikat_basis_after"] if "predikat_basis_after" in merged else [])
    ]
    out = out.sort_values(["rank_after", "instansi_name"], na_position="last").reset_index(drop=True)
    for col in ("rank_before", "rank_after", "rank_change"):
        out[col] = out[col].astype("Int64")
    return out


@dataclass(frozen=True)
class Percentile:
    percentile: float  # share of the other members of the group with a lower value, 0-100
    rank: int
    n: int
    lower: int  # how many have a strictly lower printed value


def percentile_in_group(group_rows: pd.DataFrame, instansi_id: str) -> Percentile | None:
    """Where one instansi stands in a group (e.g. all kota nationally): share of the others scoring lower."""
    return percentile_in_table(rank_table(group_rows), instansi_id)


def percentile_in_table(table: pd.DataFrame, instansi_id: str) -> Percentile | None:
    """percentile_in_group on the group's rank_table (e.g. shared.category_rank_table, ranked once per year)."""
    hit = table[table["instansi_id"] == instansi_id]
    if hit.empty:
        return None
    value = round(float(hit["indeks"].iloc[0]), 2)
    lower = int((table["indeks"].round(2) < value).sum())
    n = len(table)
    pct = 100.0 * lower / (n - 1) if n > 1 else 100.0
    return Percentile(pct, int(hit["rank"].iloc[0]), n, lower)


def category_rows(year_rows: pd.DataFrame, category: str) -> pd.DataFrame:
    return year_rows[year_rows["category"] == category]


@dataclass(frozen=True)
class Average:
    value: float
    label_key: str  # catalogue key naming what the average is
    source_ids: tuple[str, ...]
    detail: str  # e.g. "R24 Tabel 8" or "computed from 9 rows"
    count: int | None = None

    def detail_in(self, lang: str) -> str:
        """The place in the source as the language writes it: 'R24 Tabel 8' / 'R24 Table 8'."""
        return re.sub(r"\bTabel\b", "Table", self.detail) if lang == "en" else self.detail


def plain_mean(rows: pd.DataFrame, value: str = "indeks") -> float | None:
    held = rows[value].dropna()
    return float(held.mean()) if len(held) else None


def category_averages(year: int) -> pd.DataFrame:
    """The averages printed in the national report tables for one year (national_by_year, category rows)."""
    from spbe.store import db

    rows = db.run("national_by_year", year=year)
    return rows[rows["series"] == "category_average"].reset_index(drop=True)


def national_category_average(averages: pd.DataFrame, category: str, domain_code: str | None = None) -> Average | None:
    """The national mean printed for the category (category_average series), or None when not printed."""
    scope = NATIONAL_SCOPE.get(category)
    if scope is None or averages.empty:
        return None
    want = (averages["scope"] == scope) & (averages["statistic"] == "mean")
    want &= averages["domain_code"].isna() if domain_code is None else averages["domain_code"] == domain_code
    hit = averages[want]
    if hit.empty:
        return None
    row = hit.iloc[0]
    return Average(float(row["value"]), f"category.{category}", (str(row["source_id"]),), str(row["source_detail"]))


def ranking_window(table: pd.DataFrame, focus_id: str, head: int = 5, around: int = 5, tail: int = 5) -> pd.DataFrame:
    """A long ranking cut to the top, the focus's neighbourhood and the bottom (rows keep their rank)."""
    if len(table) <= head + 2 * around + 1 + tail:
        return table
    keep = set(range(head)) | set(range(len(table) - tail, len(table)))
    focus_pos = table.index[table["instansi_id"] == focus_id]
    if len(focus_pos):
        pos = int(focus_pos[0])
        keep |= set(range(max(0, pos - around), min(len(table), pos + around + 1)))
    return table.loc[sorted(keep)]


def previous_round(years: list[int], year: int, coverage_by_year: dict[int, float]) -> int | None:
    """The latest round before year whose coverage of the peer set allows a ranking, or None. Never a round of
    another measure: no change or rank shift from the Indeks SPBE (to 2025) to the Indeks Pemdi (2026-)."""
    from spbe.core.pemdi import measure_of_year

    measure = measure_of_year(year)
    earlier = [
        y for y in sorted(years) if y < year and coverage_by_year.get(y, 0.0) >= MIN_COVERAGE and measure_of_year(y) == measure
    ]
    return earlier[-1] if earlier else None


def domain_matrix(domain_rows: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """instansi x domain values (rows in the given instansi order, missing cells stay empty)."""
    rows = domain_rows[domain_rows["instansi_id"].isin(order)]
    wide = rows.pivot_table(index="instansi_id", columns="domain_code", values="value", aggfunc="first", dropna=False)
    return wide.reindex([i for i in order if i in set(rows["instansi_id"])])


def coverage_by_year(rows_by_year: dict[int, pd.DataFrame], peer_ids: list[str]) -> dict[int, float]:
    """Share of the peer set with an official value, per year."""
    peers = set(peer_ids)
    return {y: (len(set(rows["instansi_id"]) & peers) / len(peers) if peers else 0.0) for y, rows in rows_by_year.items()}


# -- tables as the charts show them (column names in the reader's language) -------------------------
def ranking_table_for_display(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    from spbe.i18n import t

    return pd.DataFrame(
        {
            t("compare.col_rank", lang): table["rank"],
            t("compare.col_name", lang): table["instansi_name"],
            t("compare.col_category", lang): [t(f"category.{c}", lang) for c in table["category"]],
            t("common.index", lang): table["indeks"],
            t("common.predikat", lang): [
                predikat_text(p, b, lang)
                for p, b in zip(table["predikat"], table.get("predikat_basis", [None] * len(table)), strict=True)
            ],
            t("common.source", lang): table["source_id"],
            t("compare.col_detail", lang): table["source_detail"],
        }
    )


def changes_table_for_display(changes: pd.DataFrame, before: int, after: int, lang: str) -> pd.DataFrame:
    from spbe.i18n import t

    return pd.DataFrame(
        {
            t("compare.col_name", lang): changes["instansi_name"],
            t("compare.col_before", lang, year=before): changes["indeks_before"],
            t("compare.col_rank_before", lang, year=before): changes["rank_before"],
            t("compare.col_before", lang, year=after): changes["indeks_after"],
            t("compare.col_rank_before", lang, year=after): changes["rank_after"],
            t("compare.col_predikat_year", lang, year=after): changes["predikat_after"],
            t("compare.col_change", lang): changes["change"],
            t("compare.col_rank_change", lang): changes["rank_change"],
        }
    )


# -- indicator levels of the focus and its peers (the 47 official levels of 2021-2022) -------------------
# The rule for "the focus is low on an indicator" (learn from a neighbour): its level is 1 or 2, the two
# lowest levels of the scale (59/2020: Rintisan/Terkelola for processes, Informasi/Interaksi for services),
# whatever the peers do. An indicator is listed only when at least one peer reached a higher level.
LOW_LEVEL_MAX = 2


def is_low_level(level) -> bool:
    """Whether the focus is low on an indicator with this level (level <= LOW_LEVEL_MAX); missing is not low."""
    return level is not None and not pd.isna(level) and float(level) <= LOW_LEVEL_MAX


def _indicator_order(fw) -> list[str]:
    return [i.code for i in fw.indicators]


def peer_level_matrix(fw, year_levels: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """indicator (rows, framework order) x instansi (columns in the given order, those holding levels only):
    each one's level that year; a missing level stays empty. year_levels: instansi_id, indicator_code, level."""
    rows = year_levels[year_levels["instansi_id"].isin(order)]
    present = set(rows["instansi_id"])
    held = [i for i in order if i in present]
    rows = rows.drop_duplicates(["indicator_code", "instansi_id"])
    wide = rows.pivot(index="indicator_code", columns="instansi_id", values="level")
    wide.index = wide.index.astype(str)
    return wide.reindex(index=_indicator_order(fw), columns=held)


def level_heatmap_order(
    ranking: pd.DataFrame, focus_id: str, peer_ids: list[str], with_levels: set[str]
) -> tuple[list[str], bool]:
    """The columns of the indicator heatmap: the focus first, then the peers holding levels in ranking order
    (best first). A long peer set (more than ranking_window keeps) is cut to the same window as the ranking
    chart: top 5, the focus's neighbours, bottom 5; returns (ids, whether it was cut)."""
    window = ranking_window(ranking, focus_id)
    windowed = len(window) < len(ranking)
    ranked = [i for i in window["instansi_id"] if i != focus_id and i in with_levels]
    unranked = [] if windowed else [i for i in peer_ids if i in with_levels and i != focus_id and i not in ranked]
    return [focus_id, *ranked, *unranked], windowed


def learn_from_neighbours(fw, year_levels: pd.DataFrame, focus_id: str, peer_ids: list[str], names: dict) -> pd.DataFrame:
    """For each indicator where the focus is low (is_low_level), the peers that reached a higher level that
    year, named with their level (highest first, then by name). One row per indicator, sorted by the index
    points the focus could gain by reaching the best peer's level ((best - focus) x weight / 100), then by
    indicator number. Indicators where no peer is higher are left out: there is no one to learn from."""
    from spbe.core.pemdi import as_level  # 8/2026 values may be decimals: never int() them

    matrix = peer_level_matrix(fw, year_levels, list(dict.fromkeys([focus_id, *peer_ids])))
    columns = [
        "indicator_code",
        "aspect_code",
        "domain_code",
        "weight_pct",
        "focus_level",
        "best_level",
        "points_to_best",
        "n_higher",
        "n_peers",
        "peers",
    ]
    if focus_id not in matrix.columns:
        return pd.DataFrame(columns=columns)
    others = [c for c in matrix.columns if c != focus_id]
    focus_col = matrix[focus_id].to_numpy(dtype=float)
    peer_values = matrix[others].to_numpy(dtype=float)  # indicators x peers, NaN where missing
    peer_names = [names.get(p, p) for p in others]
    rows = []
    for pos, ind in enumerate(fw.indicators):
        mine = focus_col[pos]
        if not is_low_level(mine):
            continue
        mine = as_level(mine)  # 8/2026 values may be decimals: never int() them
        row = peer_values[pos]
        held = ~pd.isna(row)
        higher = sorted(
            ((others[k], peer_names[k], as_level(row[k])) for k in range(len(others)) if held[k] and row[k] > mine),
            key=lambda h: (-h[2], h[1]),
        )
        if not higher:
            continue
        best = higher[0][2]
        aspect = fw.item("aspect", ind.parent_code)
        rows.append(
            dict(
                indicator_code=ind.code,
                aspect_code=aspect.code,
                domain_code=aspect.parent_code or aspect.code,
                weight_pct=ind.weight_pct,
                focus_level=mine,
                best_level=best,
                points_to_best=(best - mine) * ind.weight_pct / 100,
                n_higher=len(higher),
                n_peers=int(held.sum()),
                peers=higher,
                _order=pos,
            )
        )
    out = pd.DataFrame(rows, columns=[*columns, "_order"])
    out = out.sort_values(["points_to_best", "_order"], ascending=[False, True], kind="mergesort")
    return out.drop(columns="_order").reset_index(drop=True)


def neighbour_long_table(learn: pd.DataFrame, weight_by_code: dict | None = None) -> pd.DataFrame:
    """learn_from_neighbours as one row per indicator and higher peer (for the table view and download):
    the peer's level and the points the focus would gain at that level."""
    rows = []
    for r in learn.itertuples():
        for pid, name, level in r.peers:
            rows.append(
                dict(
                    indicator_code=r.indicator_code,
                    aspect_code=r.aspect_code,
                    domain_code=r.domain_code,
                    focus_level=r.focus_level,
                    instansi_id=pid,
                    instansi_name=name,
                    peer_level=level,
                    points_at_peer_level=(level - r.focus_level) * r.weight_pct / 100,
                )
            )
    return pd.DataFrame(
        rows,
        columns=[
            "indicator_code",
            "aspect_code",
            "domain_code",
            "focus_level",
            "instansi_id",
            "instansi_name",
            "peer_level",
            "points_at_peer_level",
        ],
    )


# -- the page model ----------------------------------------------------------------------------------
def printed_mean_note(average: Average | None, rows: pd.DataFrame, year: int, lang: str) -> str | None:
    """Where the national report's printed category mean differs (at two decimals) from the plain mean of the
    rows held, a sentence saying which one the screen shows (LPNK 2024: printed 3,82, rows 3,803)."""
    from spbe.core import printed
    from spbe.i18n import fmt_num, t

    mean = plain_mean(rows)
    if average is None or mean is None or printed(mean) == printed(average.value):
        return None
    return t(
        "compare.printed_mean_differs",
        lang,
        printed=fmt_num(average.value, lang),
        detail=average.detail_in(lang),
        mean=fmt_num(mean, lang, 3),
        n=int(rows["indeks"].notna().sum()),
        year=year,
    )


def predikat_text(predikat, basis, lang: str) -> str | None:
    """A predikat as a table cell: a derived one (2021-2022, from the bands) says so; a printed one as printed."""
    from spbe.core import predikat_written
    from spbe.i18n import t

    return predikat_written(predikat, lang, basis, t("core.predikat_derived", lang))


@dataclass
class CompareView:
    """What Perbandingan shows for the frame's focus, year and peer set (loaded once; the page is layout)."""

    instansi: pd.DataFrame
    names: dict
    peer_ids: list[str]
    rows_by_year: dict
    year_rows: pd.DataFrame
    ranking: Ranking
    shown: pd.DataFrame  # the ranking window
    peer_average: object  # core.PeerAverage: the other peers (focus excluded)
    national_avg: Average | None
    category_rows: pd.DataFrame
    category_ranking: Ranking
    domain_rows: pd.DataFrame
    level_basis: object | None  # gaps.LevelBasis of official levels (the peers' levels: peer_levels, its own tab)

    def missing_names(self, limit: int = 12) -> str:
        ids = self.ranking.missing_ids
        return ", ".join(self.names[i] for i in ids[:limit]) + (" …" if len(ids) > limit else "")


def load_compare_view(frame) -> CompareView:
    from spbe import core
    from spbe.core import gaps
    from spbe.models.focus import instansi_table, peer_ids_for
    from spbe.models.shared import category_ranking, instansi_names, year_ranking
    from spbe.store import db

    year, focus = frame.year, frame.instansi
    instansi = instansi_table()
    peer_ids = peer_ids_for(frame, instansi)
    rows_by_year = {y: db.run("index_by_year", year=y) for y in frame.years}
    year_rows = rows_by_year[year]
    ranking = year_ranking(year, peer_ids, frame.instansi_id)  # core.peer_ranking, shared by the set's members
    peers = core.peer_set(
        {**focus, "instansi_id": frame.instansi_id}, "pilih", instansi, tuple(p for p in peer_ids if p != frame.instansi_id)
    )
    basis = gaps.level_basis(db.run("indicator_levels", instansi_id=frame.instansi_id), year, "official")
    return CompareView(
        instansi=instansi,
        names=instansi_names(),
        peer_ids=peer_ids,
        rows_by_year=rows_by_year,
        year_rows=year_rows,
        ranking=ranking,
        shown=ranking_window(ranking.table, frame.instansi_id),
        peer_average=core.peer_average(year_rows, peers),
        national_avg=national_category_average(category_averages(year), focus["category"]),
        category_rows=category_rows(year_rows, focus["category"]),
        category_ranking=category_ranking(year, focus["category"]),
        domain_rows=db.run("domain_by_year", year=year),
        level_basis=basis,
    )


LEARN_COLUMNS = {
    "indicator_code": "compare.col_indicator",
    "indicator_name": "compare.col_indicator_name",
    "aspect_code": "compare.col_aspect",
    "domain_code": "compare.col_domain",
    "focus_level": "compare.col_focus_level",
    "instansi_name": "compare.col_name",
    "peer_level": "compare.level",
    "points_at_peer_level": "compare.col_gain_at_peer",
}
TILE_COLUMNS = {
    "instansi_name": "compare.col_name",
    "col": "compare.col_col",
    "row": "compare.col_row",
    "indeks": "common.index",
    "predikat": "common.predikat",
    "source_id": "common.source",
}


def learn_table(learn: pd.DataFrame, fw, focus_name: str, lang: str) -> pd.DataFrame:
    """Learn from a neighbour as one row per indicator and higher peer (table view and download)."""
    from spbe.i18n import t
    from spbe.models.tables import labelled

    long = neighbour_long_table(learn)
    long.insert(1, "indicator_name", [fw.item("indicator", c).name(lang) for c in long["indicator_code"]])
    out = labelled(long, {k: v for k, v in LEARN_COLUMNS.items() if k != "focus_level"}, lang)
    out.insert(4, t("compare.col_focus_level", lang, name=focus_name), long["focus_level"].tolist())
    return out


def tile_display(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    from spbe.models.tables import labelled

    basis = table["predikat_basis"] if "predikat_basis" in table else [None] * len(table)
    shown = table.assign(predikat=[predikat_text(p, b, lang) for p, b in zip(table["predikat"], basis, strict=True)])
    return labelled(shown, TILE_COLUMNS, lang)


# -- words and section parts of the page (no Streamlit) ---------------------------------------------
def _names_list(names: list[str], limit: int = 12) -> str:
    return ", ".join(names[:limit]) + (" …" if len(names) > limit else "")


def peers_text(mode: str, province: str | None, category_plural: str, lang: str) -> str:
    from spbe.i18n import t

    if mode == "provinsi":
        return t("compare.peers_province", lang, province=province) if province else t("compare.peers_pusat", lang)
    if mode == "kategori":
        return t("compare.peers_category", lang, category=category_plural)
    return t("compare.peers_custom", lang)


def change_rounds(view: CompareView, years: list[int], year: int) -> tuple[int | None, int | None]:
    """(the previous round of the same framework with enough coverage, the previous round of any framework):
    a change is shown only between two rounds of the same framework (never across a framework break)."""
    from spbe.core.frameworks import framework_for_year

    coverage = coverage_by_year(view.rows_by_year, view.peer_ids)
    fid = framework_for_year(year).framework_id
    same = [y for y in years if framework_for_year(y).framework_id == fid]
    return previous_round(same, year, coverage), previous_round(years, year, coverage)


@dataclass
class DomainHeat:
    matrix: pd.DataFrame
    domain_names: dict
    notes: dict
    table: pd.DataFrame
    sources: list


def domain_heat(view: CompareView, year: int, lang: str) -> DomainHeat:
    from spbe.core.frameworks import framework_for_year
    from spbe.i18n import t

    order = list(view.shown["instansi_id"]) if view.ranking.count else []
    matrix = domain_matrix(view.domain_rows, order)
    held = view.domain_rows[view.domain_rows["instansi_id"].isin(order)]
    notes = {(r.instansi_id, r.domain_code): r.note for r in held.itertuples() if isinstance(r.note, str) and r.note}
    table = matrix.reset_index().rename(columns={"instansi_id": t("compare.col_name", lang)})
    table[t("compare.col_name", lang)] = table[t("compare.col_name", lang)].map(view.names)
    names = {d.code: d.name(lang) for d in framework_for_year(year).top_level}
    return DomainHeat(matrix, names, notes, table, held["source_id"].tolist())


@dataclass
class PeerLevels:
    year: int
    fw: object
    matrix: pd.DataFrame
    table: pd.DataFrame
    sources: list
    note: str
    learn: pd.DataFrame


def peer_levels(view: CompareView, focus_id: str, lang: str) -> PeerLevels | None:
    """The official indicator levels of the focus and its peers (heatmap, note) and learn-from-a-neighbour."""
    from spbe.i18n import t

    basis = view.level_basis
    if basis is None:
        return None
    from spbe.store import db

    peer_ids, names = view.peer_ids, view.names
    # only the peers' levels: a national peer set reads ~550 instansi, a province's 9 (not the whole year); read
    # here, not in load_compare_view: only this tab shows them
    year_levels = db.run("peer_official_levels", year=basis.year, instansi_ids=list(peer_ids))
    with_levels = set(year_levels["instansi_id"])
    ranked = peer_ranking(view.rows_by_year.get(basis.year, view.year_rows.iloc[0:0]), peer_ids)
    order, windowed = level_heatmap_order(ranked.table, focus_id, peer_ids, with_levels)
    matrix = peer_level_matrix(basis.framework, year_levels, order)
    table = matrix.rename(columns=names).reset_index().rename(columns={"indicator_code": t("compare.col_indicator", lang)})
    note = t("compare.levels_note", lang)
    if windowed:
        note += " " + t(
            "compare.levels_window", lang, n=len([p for p in peer_ids if p in with_levels]), shown=len(matrix.columns)
        )
    no_levels = [names.get(p, p) for p in peer_ids if p not in with_levels]
    if no_levels:
        note += " " + t("compare.levels_missing", lang, year=basis.year, missing=_names_list(no_levels))
    others = [p for p in peer_ids if p != focus_id]
    return PeerLevels(
        basis.year,
        basis.framework,
        matrix,
        table,
        year_levels.loc[year_levels["instansi_id"].isin(order), "source_id"].dropna().unique().tolist(),
        note,
        learn_from_neighbours(basis.framework, year_levels, focus_id, others, names),
    )


def learn_markdown(learn: pd.DataFrame, fw, focus_name: str, lang: str, limit: int = 10) -> str:
    """The first rows of learn-from-a-neighbour as a Markdown table (names escaped)."""
    from spbe.core.gaps import short_indicator_name
    from spbe.i18n import fmt_delta, t
    from spbe.safe_text import md_escape

    keys = ("compare.col_indicator", None, "compare.col_best", "compare.col_gain", "compare.col_higher_peers")
    header = [md_escape(focus_name) if k is None else t(k, lang) for k in keys]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in learn.head(limit).itertuples():
        peers = ", ".join(f"{md_escape(n)} ({lv})" for _, n, lv in r.peers[:5])
        if len(r.peers) > 5:
            peers += " " + t("compare.learn_more", lang, n=len(r.peers) - 5)
        lines.append(
            f"| {md_escape(short_indicator_name(fw, r.indicator_code, lang))} ({r.domain_code}) "
            f"| {r.focus_level} | {r.best_level} | {fmt_delta(r.points_to_best, lang, 3)} | {peers} |"
        )
    return "\n".join(lines)


def distribution_caption(view: CompareView, focus_id: str, focus_name: str, category_plural: str, year: int, lang: str):
    from spbe.i18n import fmt_num, t

    pct = percentile_in_group(view.category_rows, focus_id)
    row = view.category_rows[view.category_rows["instansi_id"] == focus_id]
    if not pct:
        return t("compare.distribution_no_focus", lang, name=focus_name, year=year)
    return t(
        "compare.distribution_caption",
        lang,
        n=pct.n,
        category=category_plural,
        year=year,
        name=focus_name,
        value=fmt_num(row["indeks"].iloc[0], lang),
        rank=pct.rank,
        pct=fmt_num(pct.percentile, lang, 0),
    )
