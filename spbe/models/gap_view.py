"""The page model of Analisis Kesenjangan: everything the page shows, loaded and decided here (no Streamlit).

The peer reference ("pembanding") is the semantic core's peer average (the other peers, the focus excluded,
labelled with the count); the largest-loss sentence is core.largest_gap against it (weighted points, the raw
gap beside it); the target is core.own_target (compared only with the result of its own year).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from spbe import core
from spbe.core import gaps, scoring, simulate
from spbe.core.frameworks import Framework, framework_for_year
from spbe.i18n import fmt_delta, fmt_num, t
from spbe.models.shared import per_store_version
from spbe.models.tables import labelled


@dataclass
class GapView:
    fw: Framework
    year: int
    focus: dict
    table: pd.DataFrame  # one row per instansi: domain values as columns, index, name, category, province
    peer_ids: list[str]
    peers: core.PeerSet
    printed: pd.DataFrame  # the national report's means of the year
    targets: pd.DataFrame
    target: core.TargetView | None
    peer_avg: core.PeerAverage
    peer_domains: dict
    trend: pd.DataFrame

    # The focus's domain values and indicator levels of every year: read when a later tab shows them (the
    # store's result cache keeps them for the view's store version), not for the domains tab shown first.
    @property
    def domain_rows(self) -> pd.DataFrame:
        from spbe.store import db

        return db.run("instansi_domain_values", instansi_id=self.focus["instansi_id"])

    @property
    def level_rows_all(self) -> pd.DataFrame:
        from spbe.store import db

        return db.run("indicator_levels", instansi_id=self.focus["instansi_id"])

    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.fw.top_level]

    @property
    def focus_row(self) -> pd.DataFrame:
        return self.table[self.table["instansi_id"] == self.focus["instansi_id"]]

    @property
    def focus_values(self) -> dict:
        row = self.focus_row
        return {c: row.iloc[0].get(c) for c in self.codes} if len(row) else {}

    @property
    def missing_codes(self) -> list[str]:
        return [c for c, v in self.focus_values.items() if core.is_missing(v)]

    @property
    def largest(self) -> core.Gap | None:
        """The domain losing the most weighted index points against the peer average (core.largest_gap)."""
        return core.largest_gap(self.fw, self.focus_values, self.peer_domains)

    @property
    def level_rows(self) -> pd.DataFrame:
        return self.level_rows_all[self.level_rows_all["framework_id"] == self.fw.framework_id]

    @property
    def same_year_target(self) -> core.TargetView | None:
        return self.target if self.target is not None and self.target.year == self.year else None


@per_store_version(maxsize=8)
def year_domain_table(year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every instansi's official domain values of the year, long (gap_domain_values) and as core's domain_table:
    the same for every focus, so built once per store version and year."""
    from spbe.store import db

    long = db.run("gap_domain_values", year=year, assessment="official")
    return long, gaps.domain_table(long)


def load_gap_view(frame) -> GapView:
    from spbe.models.focus import instansi_table, peer_ids_for
    from spbe.store import db

    year = frame.year
    focus = frame.instansi | {"instansi_id": frame.instansi_id}
    peer_ids = peer_ids_for(frame, instansi_table())
    peers = core.PeerSet(tuple(dict.fromkeys([frame.instansi_id, *peer_ids])), frame.peer_mode)
    long, table = year_domain_table(year)
    trend = db.run("index_trend", instansi_id=frame.instansi_id)
    official = trend[trend["assessment"] == "official"]
    results = {int(y): float(v) for y, v in zip(official["year"], official["indeks"], strict=True) if not core.is_missing(v)}
    targets = db.run("targets_for", instansi_id=frame.instansi_id)
    return GapView(
        fw=framework_for_year(year),
        year=year,
        focus=focus,
        table=table,
        peer_ids=peer_ids,
        peers=peers,
        printed=db.run("national_by_year", year=year),
        targets=targets,
        target=core.own_target(targets, frame.instansi_id, year, results),
        peer_avg=core.peer_average(db.run("index_by_year", year=year), peers),
        peer_domains=core.peer_domain_average(long, peers),
        trend=trend,
    )


# -- 1. benchmarks ----------------------------------------------------------------------------------
BENCH_COLUMNS = {
    "benchmark": "gap.col_benchmark",
    "domain_code": "gap.col_domain",
    "value": "gap.col_value",
    "n": "gap.col_rows",
    "how": "gap.col_how",
    "source_ids": "gap.col_source",
}


def benchmark_labels(view: GapView, bench: pd.DataFrame, name: str, lang: str) -> dict[str, str]:
    category = t(f"category.{view.focus['category']}", lang)
    province = view.focus.get("province") or t("gap.no_province", lang)
    leader = bench.loc[bench["benchmark"] == "pemimpin", "label"].dropna()
    return {
        "focus": name,
        "pembanding": view.peer_avg.label(lang),
        "kategori_provinsi": t("gap.bench_kategori_provinsi", lang, category=category, province=province),
        "provinsi": t("gap.bench_provinsi", lang, province=province),
        "nasional": t("gap.bench_nasional", lang, category=category),
        "pemimpin": t("gap.bench_pemimpin", lang, leader=leader.iloc[0] if len(leader) else "–"),
        "target": t("gap.bench_target", lang),
    }


def benchmarks(view: GapView) -> pd.DataFrame:
    target = view.same_year_target
    return gaps.benchmarks(
        view.fw,
        view.table,
        view.focus,
        view.peer_ids,
        view.printed,
        target=target.value if target else None,
        target_source=target.source_id if target else None,
        peer_index=view.peer_avg,
    )


def benchmark_table(bench: pd.DataFrame, labels: dict, lang: str) -> pd.DataFrame:
    out = bench.copy()
    out["how"] = [
        t(f"gap.how_{h}", lang, n="" if core.is_missing(n) else int(n)) for h, n in zip(out["how"], out["n"], strict=True)
    ]
    out["benchmark"] = out["benchmark"].map(labels)
    return labelled(out, BENCH_COLUMNS, lang)


def target_text(view: GapView, name: str, lang: str) -> str:
    """The target in words: its own year's, or a goal ahead, or the latest past one against its own year's result."""
    tv, year = view.target, view.year
    if tv is None:
        held = gaps.targets_held(view.targets, view.focus["instansi_id"])
        held_text = ", ".join(f"{y}: {fmt_num(v, lang)}" for y, v in held) or t("gap.no_target_any", lang)
        return t("gap.no_target", lang, name=name, year=year, held=held_text)
    if tv.year == year:
        return t("gap.target_note", lang, name=name, year=year, value=fmt_num(tv.value, lang), source=tv.source_id)
    if tv.year > year:
        return t("gap.target_ahead", lang, name=name, target_year=tv.year, value=fmt_num(tv.value, lang), source=tv.source_id)
    actual = fmt_num(tv.actual, lang) if tv.actual is not None else "–"
    status = t(f"gap.target_status_{tv.status}", lang)
    return t(
        "gap.target_past",
        lang,
        name=name,
        target_year=tv.year,
        value=fmt_num(tv.value, lang),
        source=tv.source_id,
        actual=actual,
        status=status,
    )


def national_mean_note(view: GapView, lang: str) -> str | None:
    """When the national report's printed category mean differs (two decimals) from the mean of the rows held,
    say which one the "nasional" benchmark shows (provinsi 2024: printed 3,42, rows 3,406)."""
    ref = gaps.reference_domains(view.fw, view.table, view.focus, view.peer_ids, view.printed, "nasional")
    rows = view.table[view.table["category"] == view.focus.get("category")]
    held = [float(v) for v in rows["indeks"] if not core.is_missing(v)]
    shown = ref.get("printed_index")
    if shown is None or not held or core.printed(sum(held) / len(held)) == core.printed(shown):
        return None
    mean = sum(held) / len(held)
    detail = ", ".join(ref["source_ids"]) or "–"
    return t(
        "compare.printed_mean_differs",
        lang,
        printed=fmt_num(shown, lang),
        detail=detail,
        mean=fmt_num(mean, lang, 3),
        n=len(held),
        year=view.year,
    )


# -- 2. contributions to the index gap ------------------------------------------------------------------
CONTRIB_COLUMNS = {
    "domain_code": "gap.col_domain",
    "weight_pct": "gap.col_weight",
    "focus": "gap.col_focus",
    "reference": "gap.col_reference",
    "gap": "gap.col_gap",
    "contribution": "gap.col_contribution",
}


@dataclass
class Waterfall:
    reference: str
    contrib: pd.DataFrame
    source_ids: list
    ref_index: float | None
    focus_index: float | None


def waterfall(view: GapView, reference: str) -> Waterfall:
    ref = gaps.reference_domains(view.fw, view.table, view.focus, view.peer_ids, view.printed, reference)
    contrib = gaps.gap_contributions(view.fw, view.focus_values, ref["values"])
    return Waterfall(
        reference,
        contrib,
        ref["source_ids"],
        gaps.computed_index(view.fw, ref["values"]),
        gaps.computed_index(view.fw, view.focus_values),
    )


def contrib_table(wf: Waterfall, lang: str) -> pd.DataFrame:
    name = "name_id" if lang == "id" else "name_en"
    return labelled(wf.contrib, {"domain_code": "gap.col_domain", name: "gap.col_name"} | CONTRIB_COLUMNS, lang)


def largest_loss_text(view: GapView, name: str, lang: str) -> str:
    """core.largest_gap against the peer average: weighted index points, the raw gap beside them."""
    gap, reference = view.largest, view.peer_avg.label(lang)
    if gap is None:
        return t("gap.no_loss", lang, name=name, reference=reference)
    return t(
        "gap.largest_loss",
        lang,
        domain=gap.domain_code,
        name=view.fw.item("domain", gap.domain_code).name(lang) if _has(view.fw, gap.domain_code) else gap.domain_code,
        points=fmt_delta(gap.points, lang, 3),
        raw=fmt_delta(gap.raw, lang),
        reference=reference,
    )


def _has(fw: Framework, code: str) -> bool:
    return any(i.code == code for i in fw.top_level)


# -- 3. aspects and indicators ------------------------------------------------------------------------
ASPECT_COLUMNS = {
    "aspect_code": "gap.col_aspect",
    "domain_code": "gap.col_domain",
    "name": "gap.col_name",
    "weight_pct": "gap.col_weight",
    "value": "gap.col_aspect_value",
    "missing": "gap.col_missing",
    "points_lost": "gap.col_points_lost",
}
LOST_COLUMNS = {
    "indicator_code": "gap.col_indicator",
    "label": "gap.col_short_name",
    "indicator_name": "gap.col_name",
    "aspect_code": "gap.col_aspect",
    "aspect_name": "gap.col_aspect_name",
    "domain_code": "gap.col_domain",
    "domain_name": "gap.col_domain_name",
    "weight_pct": "gap.col_weight",
    "level": "gap.col_level",
    "level_name": "gap.col_level_name",
    "points_lost": "gap.col_points_lost",
}
CHANGE_COLUMNS = {
    "indicators": "gap.col_indicator",
    "label": "gap.col_short_name",
    "indicator_name": "gap.col_name",
    "aspect_code": "gap.col_aspect",
    "domain_code": "gap.col_domain",
    "points": "gap.col_points_change",
}
DOMAIN_PAIR_COLUMNS = {
    "year": "gap.col_year",
    "domain_code": "gap.col_domain",
    "official": "gap.col_official",
    "self_assessment": "gap.col_self",
    "difference": "gap.col_difference",
}
LEVEL_PAIR_COLUMNS = {
    "official": "gap.col_official",
    "self_assessment": "gap.col_self",
    "difference": "gap.col_difference",
    "code": "gap.col_item",
}
INDEX_PAIR_COLUMNS = {
    "year": "gap.col_year",
    "official": "gap.col_official",
    "self_assessment": "gap.col_self",
    "difference": "gap.col_difference",
}


def levels_caption(basis, lang: str) -> str:
    trust = t(f"core.provenance_{basis.provenance}", lang) if basis.provenance in core.PROVENANCES else None
    return t(
        "gap.levels_source",
        lang,
        assessment=t(f"assessment.{basis.assessment}", lang),
        year=basis.year,
        sources=", ".join(basis.source_ids) or "–",
        trust=trust or t("gap.trust_unknown", lang),
    )


def assessments_held(view: GapView) -> list[str]:
    held = view.level_rows[view.level_rows["year"] <= view.year]
    return simulate.ordered_assessments(held["assessment"].unique().tolist())


def lost_total_text(lost: pd.DataFrame, basis, lang: str, top: int = 15) -> str:
    index = scoring.index_from_levels(basis.framework, basis.levels).value
    return t(
        "gap.lost_total",
        lang,
        n=min(top, len(lost)),
        total=fmt_num(lost["points_lost"].sum(), lang, 3),
        top=basis.framework.level_max,
        index=fmt_num(index, lang, 3),
    )


def level_change(view: GapView, basis):
    """The indicator-by-indicator change from the previous year with complete levels, or None."""
    previous = basis.previous_year
    if previous is None or not basis.complete:
        return None
    before = gaps.levels_for(view.level_rows, previous, basis.assessment)
    if not all(i.code in before for i in basis.framework.indicators):
        return None
    return gaps.indicator_change_waterfall(basis.framework, before, basis.levels)


def change_intro(change, name: str, previous: int, after: int, lang: str) -> str:
    return t(
        "gap.change_intro",
        lang,
        name=name,
        before=previous,
        after=after,
        start=fmt_num(change.start, lang, 4),
        end=fmt_num(change.end, lang, 4),
        start_printed=fmt_num(change.start, lang),
        end_printed=fmt_num(change.end, lang),
        delta=fmt_delta(change.delta, lang, 3),
        changed=change.changed,
    )


def change_table(wf, fw: Framework, previous: int, after: int, group_labels: dict, lang: str) -> pd.DataFrame:
    table = wf.table(fw, lang)
    table["label"] = [
        group_labels[k].format(n=len(c.split(", "))) if k in group_labels else lab
        for k, lab, c in zip(table["key"], table["label"], table["indicators"], strict=True)
    ]
    out = labelled(table, {k: v for k, v in CHANGE_COLUMNS.items() if k != "points"}, lang)
    out[t("gap.col_level_year", lang, year=previous)] = table["level_before"].tolist()
    out[t("gap.col_level_year", lang, year=after)] = table["level_after"].tolist()
    out[t("gap.col_points_change", lang)] = table["points"].tolist()
    return out


# -- 4. self-assessment against the official result -------------------------------------------------------
@dataclass
class SelfCheck:
    index_pairs: pd.DataFrame
    index_sources: list
    domain_pairs: pd.DataFrame
    domain_sources: list
    level_pairs: pd.DataFrame | None
    level_sources: list
    illustrative: bool

    @property
    def has_detail(self) -> bool:
        return not self.domain_pairs.empty or (self.level_pairs is not None and not self.level_pairs.empty)

    @property
    def summary(self) -> dict:
        pairs = self.level_pairs if self.level_pairs is not None and not self.level_pairs.empty else self.domain_pairs
        return gaps.calibration_summary(pairs)


def self_check(view: GapView) -> SelfCheck:
    year, trend, level_rows = view.year, view.trend, view.level_rows
    index_pairs = gaps.self_vs_official_index(trend)
    domain_pairs = gaps.self_vs_official_domains(view.domain_rows)
    domain_pairs = domain_pairs[domain_pairs["year"] == year]
    level_pairs = gaps.self_vs_official_levels(view.fw, level_rows, year) if not level_rows.empty else None
    pair_rows = level_rows[(level_rows["year"] == year) & level_rows["assessment"].isin(["official", "self_assessment"])]
    dr = view.domain_rows
    return SelfCheck(
        index_pairs,
        trend.loc[trend["year"].isin(index_pairs["year"]), "source_id"].tolist() if not index_pairs.empty else [],
        domain_pairs,
        dr.loc[dr["year"] == year, "source_id"].dropna().unique().tolist(),
        level_pairs,
        level_rows["source_id"].dropna().unique().tolist(),
        bool((pair_rows["kind"] == "illustration").any()),
    )


def level_pair_table(pairs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Aspect and indicator pairs: the item columns named, the level and parent columns kept as they are."""
    return pairs.rename(columns={c: t(k, lang) for c, k in LEVEL_PAIR_COLUMNS.items()})


def index_pair_lines(pairs: pd.DataFrame, lang: str) -> list[str]:
    out = []
    for r in pairs.itertuples():
        direction = "over" if r.difference > 0 else ("under" if r.difference < 0 else "equal")
        out.append(
            t(
                "gap.self_index_summary",
                lang,
                year=r.year,
                own=fmt_num(r.self_assessment, lang),
                official=fmt_num(r.official, lang),
                difference=fmt_delta(r.difference, lang),
                direction=t(f"gap.{direction}", lang),
            )
        )
    return out


def calibration_lines(summary: dict, lang: str) -> list[str]:
    if not summary["n"]:
        return []
    lines = [
        t(
            "gap.calibration",
            lang,
            n=summary["n"],
            over=summary["over"],
            under=summary["under"],
            equal=summary["equal"],
            mean=fmt_delta(summary["mean_difference"], lang),
        )
    ]
    if summary["largest_over"]:
        item = summary["largest_over"]
        code = item.get("code", item.get("domain_code"))
        lines.append(t("gap.calibration_largest", lang, code=code, difference=fmt_delta(item["difference"], lang)))
    return lines
