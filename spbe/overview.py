"""The facts behind the Ikhtisar cards and key messages, computed from the data for any instansi and year.

Only what the data supports is claimed: a rank is put into words only when the peer set is covered
(compare.MIN_COVERAGE); a statement found only in a source's note (e.g. "Lowest in Banten province in
2022 (SEED)") is quoted as that source's statement, not recomputed as if the data proved it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from spbe import compare, core
from spbe.frameworks import Band, framework_for_year
from spbe.i18n import fmt_delta, fmt_num, fmt_pct, t


@dataclass(frozen=True)
class Target:
    year: int
    value: float
    source_id: str
    kind: str
    actual: float | None  # the official index of the target's year, when held
    gap: float | None  # actual - target (negative: short of the target)
    compared_year: int | None  # the year of the value the gap uses


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


@dataclass(frozen=True)
class SourceStatement:
    year: int
    source_id: str
    text: str


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
    same_framework: bool = True
    group_kind: str = "province"  # "province", or "pusat" for a central agency (it has no province)
    group_ranking: compare.Ranking | None = None
    category_ranking: compare.Ranking | None = None
    category_percentile: compare.Percentile | None = None
    next_band: Band | None = None
    distance_to_next: float | None = None
    on_band_edge: bool = False
    target: Target | None = None
    self_vs_official: SelfVsOfficial | None = None
    statements: list[SourceStatement] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous_value is None:
            return None
        return round(self.value - self.previous_value, 2)

    @property
    def group_rank(self) -> int | None:
        return self.group_ranking.rank_of(self.instansi_id) if self.group_ranking else None


def group_ids(focus: dict, instansi: pd.DataFrame) -> tuple[str, list[str]]:
    """The instansi's home group: its province's governments, or all central agencies for a central agency."""
    peers = core.peer_set(focus, "provinsi", instansi)
    return ("province" if peers.mode == "provinsi" else "pusat"), list(peers.ids)


STATEMENT_RE = re.compile(r"^(?P<text>.+?)\s*\((?P<sid>[A-Za-z0-9\-]+)\)$")


def source_statements(rows: pd.DataFrame, source_ids: set[str]) -> list[SourceStatement]:
    """Clauses of official rows' notes that end with a cited source id, e.g. 'Lowest in Banten ... (SEED)'."""
    out = []
    for r in rows[(rows["assessment"] == "official") & rows["note"].notna()].itertuples():
        for clause in str(r.note).split(";"):
            m = STATEMENT_RE.match(clause.strip())
            if m and m.group("sid") in source_ids:
                out.append(SourceStatement(int(r.year), m.group("sid"), m.group("text").strip()))
    return out


def pick_target(targets: pd.DataFrame, instansi_id: str, card_year: int | None, official: pd.DataFrame) -> Target | None:
    """The instansi's own target: the one for the card year, else the next one ahead, else the latest past one."""
    own = targets[(targets["scope"] == "instansi") & (targets["instansi_id"] == instansi_id)].sort_values("year")
    if own.empty or card_year is None:
        return None
    same = own[own["year"] == card_year]
    ahead = own[own["year"] > card_year]
    row = same.iloc[0] if len(same) else (ahead.iloc[0] if len(ahead) else own.iloc[-1])
    by_year = dict(zip(official["year"].astype(int), official["indeks"], strict=False))
    year = int(row["year"])
    if year in by_year:
        actual, compared = float(by_year[year]), year
    elif year > card_year:  # a target still ahead: measure from the latest value
        actual, compared = float(by_year[card_year]), card_year
    else:
        actual, compared = None, None
    gap = round(actual - float(row["target_indeks"]), 2) if actual is not None else None
    return Target(year, float(row["target_indeks"]), str(row["source_id"]), str(row["kind"]), actual, gap, compared)


def build_overview(
    focus: dict,
    year: int,
    history: pd.DataFrame,
    year_rows: pd.DataFrame | None,
    instansi: pd.DataFrame,
    targets: pd.DataFrame,
    source_ids: set[str],
) -> Overview:
    """All card facts for the focus instansi as of the selected year.

    history: index_history rows of the focus (every year and assessment); year_rows: index_by_year of the
    card year (None when the focus has no official value up to the selected year).
    """
    ov = Overview(
        focus["instansi_id"],
        focus.get("instansi_name", focus["instansi_id"]),
        focus["category"],
        compare.province_of(focus),
        year,
    )
    official = history[(history["assessment"] == "official") & (history["year"] <= year)].sort_values("year")
    ov.statements = source_statements(history[history["year"] <= year], source_ids)
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
    if len(official) > 1:
        prev = official.iloc[-2]
        ov.previous_year, ov.previous_value = int(prev["year"]), float(prev["indeks"])
        ov.same_framework = prev["framework_id"] == last["framework_id"]

    fw = framework_for_year(ov.card_year)
    current = next((b for b in fw.bands if b.predikat == ov.predikat), None) or fw.band_for(ov.value)
    above = [b for b in fw.bands if current and b.rank == current.rank + 1]
    if above:
        ov.next_band = above[0]
        distance = round(above[0].lower - ov.value, 2)
        # A printed value on the edge with the lower predikat: the unrounded value sits just below the edge.
        ov.on_band_edge = distance <= 0
        ov.distance_to_next = max(distance, 0.0)

    ov.target = pick_target(targets, ov.instansi_id, ov.card_year, official)
    if year_rows is not None:
        ov.group_kind, ids = group_ids(focus, instansi)
        ov.group_ranking = compare.peer_ranking(year_rows, ids)
        cat_ids = list(instansi.loc[instansi["category"] == ov.category, "instansi_id"])
        ov.category_ranking = compare.peer_ranking(year_rows, cat_ids)
        if ov.category_ranking.complete_enough:
            ov.category_percentile = compare.percentile_in_group(compare.category_rows(year_rows, ov.category), ov.instansi_id)
    return ov


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
    if not ov.same_framework:
        text += " " + t("overview.msg_framework_differs", lang)
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


def statement_messages(ov: Overview, lang: str) -> list[str]:
    return [t("overview.msg_statement", lang, year=s.year, source=s.source_id, text=s.text) for s in ov.statements]


def target_message(ov: Overview, lang: str) -> str | None:
    tg = ov.target
    if tg is None or tg.gap is None:
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


def key_messages(ov: Overview, lang: str, limit: int = 4) -> list[str]:
    """2-4 sentences from the data, most telling first: standing, self vs official, source statements, change."""
    candidates = [
        position_message(ov, lang),
        self_message(ov, lang),
        *statement_messages(ov, lang),
        change_message(ov, lang),
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
    from spbe.charts import predikat_label

    if ov.card_year is None:
        return []
    out = []
    delta = metric_delta(ov.change, lang)
    help_index = t("overview.help_index", lang, source=ov.source_id)
    if ov.year_attributed:
        help_index += " " + t("common.year_attributed", lang)
    if not ov.same_framework:
        help_index += " " + t("overview.msg_framework_differs", lang)
    out.append(
        Card(
            t("overview.card_index", lang, year=ov.card_year),
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
            t("overview.help_predikat", lang),
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
