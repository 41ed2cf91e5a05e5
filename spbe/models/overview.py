"""The facts behind the Ikhtisar cards and key messages, computed from the data for any instansi and year.

Only what the data supports is claimed: a rank is put into words only when the peer set is covered
(compare.MIN_COVERAGE); a statement found only in a source's note (e.g. "Lowest in Banten province in
2022 (SEED)") is quoted as that source's statement, not recomputed as if the data proved it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from spbe import core
from spbe.core import pemdi
from spbe.core.frameworks import Band, framework_for_year
from spbe.i18n import fmt_delta, fmt_num, fmt_pct, t
from spbe.models import compare

Target = core.TargetView  # one definition of a target and how it is compared (spbe/core.py)


@dataclass(frozen=True)
class HistoryPoint:
    year: int
    value: float
    predikat: str | None
    framework_id: str
    regulation: str
    provenance: str | None


@dataclass(frozen=True)
class SelfVsOfficial:
    year: int
    official: float
    self_assessment: float
    source_ids: tuple[str, ...]

    @property
    def difference(self) -> float:
        """Self-assessment minus official: positive when the instansi rated itself higher."""
        return round(self.self_assessment - self.official, 2)


@dataclass
class Overview:
    instansi_id: str
    name: str
    category: str
    province: str | None
    selected_year: int
    card_year: int | None = None  # latest official year at or before the selected year
    value: float | None = None
    predikat: str | None = None
    source_id: str | None = None
    year_attributed: bool = False
    previous_year: int | None = None
    previous_value: float | None = None
    group_kind: str = "province"  # "province", or "pusat" for a central agency (it has no province)
    group_ranking: compare.Ranking | None = None
    category_ranking: compare.Ranking | None = None
    category_percentile: compare.Percentile | None = None
    next_band: Band | None = None
    distance_to_next: float | None = None
    on_band_edge: bool = False
    target: Target | None = None
    self_vs_official: SelfVsOfficial | None = None
    provenance: str | None = None
    predikat_basis: str | None = None
    history: list[HistoryPoint] = field(default_factory=list)  # official values up to the card year
    level_year: int | None = None  # latest year (up to the card year) with official indicator levels
    all_at_level_one: list[tuple[str, int]] = field(default_factory=list)  # (domain code, indicators) all at level 1

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous_value is None:
            return None
        return round(self.value - self.previous_value, 2)

    @property
    def group_rank(self) -> int | None:
        return self.group_ranking.rank_of(self.instansi_id) if self.group_ranking else None


def group_ids(focus: dict, instansi: pd.DataFrame, framework_id: str | None = None) -> tuple[str, list[str]]:
    """The instansi's home group: its province's governments, or all central agencies for a central agency."""
    peers = core.peer_set(focus, "provinsi", instansi, framework_id=framework_id)
    return ("province" if peers.mode == "provinsi" else "pusat"), list(peers.ids)


def build_overview(
    focus: dict,
    year: int,
    history: pd.DataFrame,
    year_rows: pd.DataFrame | None,
    instansi: pd.DataFrame,
    targets: pd.DataFrame,
    source_ids: set[str] | None = None,
    levels: pd.DataFrame | None = None,
    shared: bool = False,
) -> Overview:
    """All card facts for the focus instansi as of the selected year.

    history: index_history rows of the focus (every year and assessment); year_rows: index_by_year of the
    card year (None when the focus has no official value up to the selected year). shared: year_rows are the
    store's index_by_year rows of the card year, so the rankings shared by the group's members are used.
    """
    ov = Overview(
        focus["instansi_id"],
        focus.get("instansi_name", focus["instansi_id"]),
        focus["category"],
        compare.province_of(focus),
        year,
    )
    official = history[(history["assessment"] == "official") & (history["year"] <= year)].sort_values("year")
    pairs = history[history["year"] <= year].pivot_table(index="year", columns="assessment", values="indeks", aggfunc="first")
    if {"official", "self_assessment"} <= set(pairs.columns):
        both = pairs.dropna(subset=["official", "self_assessment"])
        if len(both):
            y = int(both.index.max())
            srcs = history[history["year"] == y]["source_id"].str.split(";").explode()
            ov.self_vs_official = SelfVsOfficial(
                y, float(both.loc[y, "official"]), float(both.loc[y, "self_assessment"]), tuple(dict.fromkeys(srcs))
            )
    if official.empty:
        return ov
    last = official.iloc[-1]
    ov.card_year = int(last["year"])
    ov.value = float(last["indeks"])
    ov.predikat = last["predikat"] if pd.notna(last["predikat"]) else None
    ov.source_id = str(last["source_id"])
    ov.year_attributed = bool(last["year_attributed"])
    ov.provenance = last.get("provenance")
    ov.predikat_basis = last.get("predikat_basis")
    ov.history = [
        HistoryPoint(
            int(r["year"]),
            float(r["indeks"]),
            r["predikat"] if isinstance(r["predikat"], str) else None,
            str(r["framework_id"]),
            core.short_regulation(framework_for_year(int(r["year"])).regulation),
            r.get("provenance"),
        )
        for r in official.to_dict("records")
        if not core.is_missing(r["indeks"])
    ]
    prev = core.previous_comparable(official, ov.card_year)  # a change never crosses a framework break
    if prev is not None:
        ov.previous_year, ov.previous_value = int(prev["year"]), float(prev["indeks"])

    fw = framework_for_year(ov.card_year)
    nxt = core.next_predikat(fw, ov.predikat, ov.value)
    if nxt is not None:
        ov.next_band = nxt
        distance = round(nxt.lower - ov.value, 2)
        # A printed value on the edge with the lower predikat: the unrounded value sits just below the edge.
        ov.on_band_edge = distance <= 0
        ov.distance_to_next = max(distance, 0.0)

    results = {int(r["year"]): float(r["indeks"]) for r in official.to_dict("records") if not core.is_missing(r["indeks"])}
    ov.target = core.own_target(targets, ov.instansi_id, ov.card_year, results)
    if levels is not None and not levels.empty:
        _level_facts(ov, levels)
    if year_rows is not None:
        ov.group_kind, ids = group_ids(focus, instansi, fw.framework_id)
        cat_ids = list(core.peer_set(focus, "kategori", instansi, framework_id=fw.framework_id).ids)
        if shared:  # the same core rankings, computed once per group and year (spbe.models.shared)
            from spbe.models.shared import category_rank_table, year_ranking

            ov.group_ranking = year_ranking(ov.card_year, ids, ov.instansi_id)
            ov.category_ranking = year_ranking(ov.card_year, cat_ids, ov.instansi_id)
            if ov.category_ranking.complete_enough:
                ov.category_percentile = compare.percentile_in_table(
                    category_rank_table(ov.card_year, ov.category), ov.instansi_id
                )
        else:
            ov.group_ranking = compare.peer_ranking(year_rows, ids)
            ov.category_ranking = compare.peer_ranking(year_rows, cat_ids)
            if ov.category_ranking.complete_enough:
                rows = compare.category_rows(year_rows, ov.category)
                ov.category_percentile = compare.percentile_in_group(rows, ov.instansi_id)
    return ov


def _level_facts(ov: Overview, levels: pd.DataFrame) -> None:
    """The latest official indicator levels up to the card year: domains whose every indicator is at level 1."""
    own = levels[(levels["assessment"] == "official") & (levels["year"] <= ov.card_year)]
    if own.empty:
        return
    ov.level_year = int(own["year"].max())
    latest = own[own["year"] == ov.level_year]
    for code, part in latest.groupby("domain_code", sort=True):
        if len(part) > 1 and (part["level"] == 1).all():
            ov.all_at_level_one.append((str(code), len(part)))


def load_overview(frame) -> tuple[Overview, pd.DataFrame]:
    """The page model of Ikhtisar: the overview and the focus's official history (for the sparkline)."""
    from spbe.store import db

    instansi = db.run("instansi_list")
    history = db.run("index_history", instansi_ids=[frame.instansi_id])
    official_years = sorted(
        int(y) for y in history.loc[(history["assessment"] == "official") & (history["year"] <= frame.year), "year"]
    )
    year_rows = db.run("index_by_year", year=official_years[-1]) if official_years else None
    ov = build_overview(
        frame.instansi,
        frame.year,
        history,
        year_rows,
        instansi,
        db.run("targets_for", instansi_id=frame.instansi_id),
        levels=db.run("indicator_levels", instansi_id=frame.instansi_id),
        shared=True,
    )
    return ov, history[history["assessment"] == "official"]


def load_measure_lines(frame) -> list[str]:
    """Indeks Pemdi beside the SPBE cards (never merged): the lines Ikhtisar shows above them."""
    from spbe.core import pemdi
    from spbe.store import db

    history = db.run("index_history", instansi_ids=[frame.instansi_id])
    return pemdi.pemdi_lines(history, frame.year, frame.name, frame.lang)


# -- words -----------------------------------------------------------------------------------------
def group_label(ov: Overview, lang: str) -> str:
    if ov.group_kind == "province":
        return t("overview.in_province", lang, province=ov.province)
    return t("overview.among_pusat", lang)


def position_message(ov: Overview, lang: str) -> str | None:
    if ov.value is None:
        return None
    value = fmt_num(ov.value, lang)
    ranking = ov.group_ranking
    if ranking is not None and ranking.complete_enough and ov.group_rank is not None:
        extreme = ""
        if ranking.is_last(ov.instansi_id):
            extreme = t("overview.msg_lowest", lang)
        elif ranking.is_first(ov.instansi_id):
            extreme = t("overview.msg_highest", lang)
        return t(
            "overview.msg_position",
            lang,
            year=ov.card_year,
            value=value,
            rank=ov.group_rank,
            n=ranking.count,
            group=group_label(ov, lang),
            extreme=extreme,
        )
    have = ranking.count if ranking else 0
    total = ranking.peer_count if ranking else 0
    return t(
        "overview.msg_position_unranked",
        lang,
        year=ov.card_year,
        value=value,
        have=have,
        total=total,
        group=group_label(ov, lang),
    )


def self_message(ov: Overview, lang: str) -> str | None:
    s = ov.self_vs_official
    if s is None:
        return None
    diff = s.difference
    key = "overview.msg_self_higher" if diff > 0 else ("overview.msg_self_lower" if diff < 0 else "overview.msg_self_equal")
    return t(
        key,
        lang,
        year=s.year,
        official=fmt_num(s.official, lang),
        own=fmt_num(s.self_assessment, lang),
        diff=fmt_num(abs(diff), lang),
    )


def change_message(ov: Overview, lang: str) -> str | None:
    if ov.change is None:
        return None
    text = t(
        "overview.msg_change",
        lang,
        prev_year=ov.previous_year,
        prev=fmt_num(ov.previous_value, lang),
        year=ov.card_year,
        value=fmt_num(ov.value, lang),
        delta=fmt_delta(ov.change, lang),
    )
    return text


def percentile_message(ov: Overview, lang: str) -> str | None:
    p = ov.category_percentile
    if p is None or ov.group_kind == "pusat":  # for a central agency the group rank already says this
        return None
    return t(
        "overview.msg_percentile",
        lang,
        year=ov.card_year,
        category=t(f"overview.plural_{ov.category}", lang),
        rank=p.rank,
        n=p.n,
        pct=fmt_pct(p.percentile, lang),
    )


def target_message(ov: Overview, lang: str) -> str | None:
    tg = ov.target
    if tg is None:
        return None
    if tg.status == "ahead":
        return t("overview.msg_target_ahead", lang, year=tg.year, target=fmt_num(tg.value, lang), source=tg.source_id)
    if tg.gap is None:
        return None
    key = "overview.msg_target_met" if tg.gap >= 0 else "overview.msg_target_short"
    return t(
        key,
        lang,
        year=tg.year,
        target=fmt_num(tg.value, lang),
        source=tg.source_id,
        actual_year=tg.compared_year,
        actual=fmt_num(tg.actual, lang),
        gap=fmt_num(abs(tg.gap), lang),
    )


def levels_message(ov: Overview, lang: str) -> str | None:
    """'2022: all 10 Tata Kelola SPBE (D2) indicators were at level 1' — the weakest domain, from the levels."""
    if not ov.all_at_level_one:
        return None
    fw = framework_for_year(ov.level_year)
    parts = [
        t("overview.level_one_part", lang, n=n, domain=fw.item("domain", code).name(lang), code=code)
        for code, n in ov.all_at_level_one
    ]
    return t("overview.msg_all_level_one", lang, year=ov.level_year, parts=", ".join(parts))


def history_message(ov: Overview, lang: str) -> str | None:
    """The record under each framework, never compared across the break."""
    if len(ov.history) < 2:
        return None
    runs: list[list[HistoryPoint]] = []
    for p in ov.history:
        if runs and runs[-1][-1].framework_id == p.framework_id:
            runs[-1].append(p)
        else:
            runs.append([p])
    texts = []
    for run in runs:
        values = " → ".join(
            f"{fmt_num(p.value, lang)} ({p.year}{', ' + t('overview.unverified_short', lang) if p.provenance == core.UNVERIFIED else ''})"
            for p in run
        )
        texts.append(t("overview.history_run", lang, regulation=run[0].regulation, values=values))
    text = "; ".join(texts) + "."
    if len(runs) > 1:
        text += " " + t("overview.history_not_compared", lang)
    return text


def key_messages(ov: Overview, lang: str, limit: int = 5) -> list[str]:
    """Up to five sentences from the data, most telling first: standing, the weakest domain from the levels,
    self vs official, change within the framework, the record under each framework, target, percentile."""
    candidates = [
        position_message(ov, lang),
        levels_message(ov, lang),
        self_message(ov, lang),
        change_message(ov, lang),
        history_message(ov, lang),
        target_message(ov, lang),
        percentile_message(ov, lang),
    ]
    return [c for c in candidates if c][:limit]


def metric_delta(value: float | None, lang: str) -> str | None:
    """A change as st.metric wants it: a leading ASCII '-' marks a fall (the arrow and colour follow it)."""
    if value is None:
        return None
    text = fmt_delta(value, lang)
    return text.replace("−", "-", 1)


# Card labels wrap instead of being cut to "Persentil nasional (kota, 2…"; in projector mode the values
# are the largest text on the screen (the frame's large-text rule otherwise shrinks them to body size).
METRIC_CSS = """
<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *, [data-testid="stMetricDelta"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
</style>
"""
# A phone (narrow screen): the cards two to a row and compact, the first row of cards, then the chart, then the
# other cards and the key messages (flex order within the main column), so the headline number and the first
# chart are on the first screen.
PHONE_CSS = """
<style>
@media (max-width: 640px) {
  h1 { font-size: 1.6rem !important; padding-top: 0 !important; }
  [data-testid="stMainBlockContainer"] { padding-top: 4.5rem !important; }
  .st-key-ov_cards_first, [class*="st-key-ov_cards_more"] { gap: 0.4rem; }
  .st-key-ov_cards_first [data-testid="stHorizontalBlock"],
  [class*="st-key-ov_cards_more"] [data-testid="stHorizontalBlock"] { flex-flow: row wrap !important; gap: 0.4rem !important; }
  .st-key-ov_cards_first [data-testid="stColumn"], [class*="st-key-ov_cards_more"] [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 0.4rem) !important; min-width: calc(50% - 0.4rem) !important; width: calc(50% - 0.4rem) !important; }
  .st-key-ov_cards_first [data-testid="stMetric"], [class*="st-key-ov_cards_more"] [data-testid="stMetric"] {
    padding: 0.35rem 0.5rem !important; }
  .st-key-ov_cards_first [data-testid="stMetricValue"], [class*="st-key-ov_cards_more"] [data-testid="stMetricValue"] {
    font-size: 1.5rem !important; }
  .st-key-ov_cards_first [data-testid="stMetricLabel"] p, [class*="st-key-ov_cards_more"] [data-testid="stMetricLabel"] p {
    font-size: 0.8rem !important; }
  [data-testid="stLayoutWrapper"]:has(> .st-key-ov_chart), .st-key-ov_chart { order: 1; }
  [data-testid="stLayoutWrapper"]:has(> [class*="st-key-ov_cards_more"]), [class*="st-key-ov_cards_more"],
  [data-testid="stLayoutWrapper"]:has(> .st-key-ov_messages), .st-key-ov_messages { order: 2; }
}
</style>
"""
LARGE_METRIC_CSS = """
<style>
[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p { font-size: 2.4rem !important; line-height: 1.15; }
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p { font-size: 1.05rem !important; }
[data-testid="stMetricDelta"] [data-testid="stMarkdownContainer"] p { font-size: 1.05rem !important; }
</style>
"""


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    help: str
    delta: str | None = None
    delta_color: str = "normal"
    caption: str | None = None  # small print under the card (left out in projector mode)


def cards(ov: Overview, lang: str) -> list[Card]:
    """The seven overview cards in reading order, every text from the catalogue, every number formatted."""
    from spbe.core.frameworks import predikat_label

    if ov.card_year is None:
        return []
    out = []
    delta = metric_delta(ov.change, lang)
    help_index = t("overview.help_index", lang, source=ov.source_id)
    if ov.year_attributed:
        help_index += " " + t("common.year_attributed", lang)
    if ov.provenance and ov.provenance != "official_report":
        help_index += " " + t("overview.help_provenance", lang, trust=t(f"core.provenance_{ov.provenance}", lang))
    # from 2026 the card holds the Indeks Pemdi, another measure: named as such (spbe.core.pemdi)
    label = (
        t("overview.card_index", lang, year=ov.card_year)
        if pemdi.measure_of_year(ov.card_year) != "indeks_pemdi"
        else f"{pemdi.measure_label(pemdi.FRAMEWORK_ID, lang)} {ov.card_year}"
    )
    if ov.provenance == core.UNVERIFIED:  # said on the card itself, not only under its "?" (2019-2020, DS1920)
        label += f" · {t('overview.unverified_short', lang)}"
    out.append(
        Card(
            label,
            fmt_num(ov.value, lang),
            help_index,
            t("overview.card_index_delta", lang, delta=delta, prev_year=ov.previous_year) if delta else None,
            "normal" if ov.change else "off",
        )
    )
    out.append(
        Card(
            t("overview.card_predikat", lang, year=ov.card_year),
            predikat_label(ov.predikat, lang),
            t("overview.predikat_derived_caption" if ov.predikat_basis == "derived" else "overview.help_predikat", lang),
            caption=t("core.predikat_derived", lang) if ov.predikat_basis == "derived" else None,
        )
    )

    ranking = ov.group_ranking
    title = (
        t("overview.card_rank_province", lang, province=ov.province, year=ov.card_year)
        if ov.group_kind == "province"
        else t("overview.card_rank_pusat", lang, year=ov.card_year)
    )
    if ranking is not None and ranking.complete_enough and ov.group_rank is not None:
        out.append(
            Card(
                title,
                t("overview.rank_value", lang, rank=ov.group_rank, n=ranking.count),
                t("overview.help_rank", lang, peers=ranking.peer_count, held=ranking.count),
            )
        )
    else:
        have, total = (ranking.count, ranking.peer_count) if ranking else (0, 0)
        out.append(Card(title, "–", t("overview.rank_not_computed", lang, have=have, total=total)))

    plural = t(f"overview.plural_{ov.category}", lang)
    pct = ov.category_percentile
    label = t("overview.card_percentile", lang, category=plural, year=ov.card_year)
    if pct:
        out.append(
            Card(
                label,
                fmt_num(pct.percentile, lang, 0),
                t("overview.help_percentile", lang, rank=pct.rank, n=pct.n, lower=pct.lower, category=plural),
                caption=t(
                    "overview.percentile_caption",
                    lang,
                    rank=pct.rank,
                    n=pct.n,
                    category=plural,
                    pct=fmt_num(pct.percentile, lang, 0),
                ),
            )
        )
    else:
        out.append(Card(label, "–", t("overview.percentile_not_computed", lang)))

    if ov.next_band is None:
        out.append(Card(t("overview.card_next", lang), "–", t("overview.next_top", lang)))
    else:
        caption = t(
            "overview.next_caption",
            lang,
            band=predikat_label(ov.next_band.predikat, lang),
            edge=fmt_num(ov.next_band.lower, lang),
        )
        if ov.on_band_edge:
            caption += " " + t("overview.next_edge_note", lang)
        value = t("overview.next_edge_value", lang) if ov.on_band_edge else fmt_num(ov.distance_to_next, lang)
        label = t("overview.card_next_band", lang, band=predikat_label(ov.next_band.predikat, lang))
        out.append(Card(label, value, t("overview.help_next", lang), caption=caption))

    tg = ov.target
    if tg is None:
        out.append(Card(t("overview.card_target_none", lang), "–", t("overview.target_none", lang)))
    else:
        gap = (
            t("overview.target_delta", lang, gap=metric_delta(tg.gap, lang), actual_year=tg.compared_year)
            if tg.gap is not None
            else None
        )
        out.append(
            Card(
                t("overview.card_target", lang, year=tg.year),
                fmt_num(tg.value, lang),
                t("overview.help_target", lang, source=tg.source_id, kind=tg.kind),
                gap,
            )
        )

    sv = ov.self_vs_official
    if sv is None:
        out.append(Card(t("overview.card_self_none", lang), "–", t("overview.self_none", lang)))
    else:
        out.append(
            Card(
                t("overview.card_self", lang, year=sv.year),
                t("overview.self_value", lang, own=fmt_num(sv.self_assessment, lang), official=fmt_num(sv.official, lang)),
                t("overview.help_self", lang, sources=", ".join(sv.source_ids)),
                t("overview.self_delta", lang, diff=metric_delta(sv.difference, lang)),
                "off",
            )
        )
    return out


def card_rows(count: int, large: bool) -> list[int]:
    """Cards per row: 4 then 3 on a screen; 3, 2, 2 on a projector, where each value must stay whole."""
    sizes, left = [], count
    pattern = [3, 2, 2, 2] if large else [4, 3, 4, 4]
    for size in pattern:
        if left <= 0:
            break
        sizes.append(min(size, left))
        left -= size
    return sizes
