"""The page model of Simulasi: the start (published domain values, or indicator levels), the next predikat and
the own target from the semantic core, and the words and tables of the page (no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from spbe import core
from spbe.core import gaps, simulate
from spbe.core.frameworks import Band, Framework, framework_for_year
from spbe.i18n import fmt_delta, fmt_num, t
from spbe.models.tables import labelled


@dataclass
class SimulationView:
    fw: Framework
    year: int
    domain_values: dict
    published_index: float | None
    published_predikat: str | None
    sources: list
    basis: object | None  # gaps.LevelBasis
    levels_complete: bool
    has_domains: bool
    trend: pd.DataFrame
    own: core.TargetView | None

    # Cached copies (st.cache_data) hold the framework in force in `year`, not a copy of it: no framework to pickle,
    # and memos keyed on the framework object (simulate.domain_readings) keep hitting.
    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "fw"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, fw=framework_for_year(state["year"]))

    @property
    def levels(self) -> dict:
        return self.basis.levels if self.levels_complete else {}

    @property
    def level_year(self) -> int | None:
        return self.basis.year if self.levels_complete else None

    @property
    def levels_illustrative(self) -> bool:
        return self.basis.illustrative if self.levels_complete else False

    @property
    def level_sources(self) -> list:
        return list(self.basis.source_ids) if self.levels_complete else []

    @property
    def domain_mode(self) -> bool:
        """The year has domain values only (no levels of its own): plan on the domain values."""
        return self.has_domains and not (self.levels_complete and self.basis.same_year)

    @property
    def start(self) -> float | None:
        return simulate.start_index(self.fw, self.domain_values) if self.has_domains else None

    @property
    def levels_start(self) -> float | None:
        return simulate.start_index_from_levels(self.fw, self.levels) if self.levels_complete else None

    def _level_row(self):
        rows = self.trend[(self.trend["year"] == self.level_year) & (self.trend["assessment"] == "official")]
        return rows.iloc[0] if self.levels_complete and len(rows) else None

    @property
    def level_published(self) -> float | None:
        row = self._level_row()
        return float(row["indeks"]) if row is not None else None

    @property
    def next_band(self) -> Band | None:
        """core.next_predikat from where the focus stands in the year picked (domain values, else levels)."""
        row = self._level_row()
        level_predikat = row["predikat"] if row is not None and isinstance(row["predikat"], str) else None
        predikat = self.published_predikat if self.domain_mode else (level_predikat or self.published_predikat)
        start = self.start if self.domain_mode else self.levels_start
        return core.next_predikat(self.fw, predikat if isinstance(predikat, str) else None, start)


def load_simulation_view(frame) -> SimulationView:
    from spbe.store import db

    year = frame.year
    fw = framework_for_year(year)
    domain_rows = db.run("instansi_domain_values", instansi_id=frame.instansi_id)
    official = domain_rows[(domain_rows["year"] == year) & (domain_rows["assessment"] == "official")]
    values = {r.domain_code: (None if core.is_missing(r.value) else float(r.value)) for r in official.itertuples()}
    trend = db.run("index_trend", instansi_id=frame.instansi_id)
    published = trend[(trend["year"] == year) & (trend["assessment"] == "official")]
    # The real indicator levels: this year's when held, else the latest earlier year of the framework (2022 for an
    # instansi of the 2021-2022 dataset viewed in 2023 or 2024, which have domain values only).
    basis = gaps.level_basis(db.run("indicator_levels", instansi_id=frame.instansi_id), year)
    results = {
        int(r.year): float(r.indeks)
        for r in trend[trend["assessment"] == "official"].itertuples()
        if not core.is_missing(r.indeks)
    }
    return SimulationView(
        fw=fw,
        year=year,
        domain_values=values,
        published_index=float(published["indeks"].iloc[0]) if len(published) else None,
        published_predikat=published["predikat"].iloc[0] if len(published) else None,
        sources=official["source_id"].dropna().unique().tolist() + [fw.source_ids],
        basis=basis,
        levels_complete=basis is not None and basis.complete,
        has_domains=bool(values) and all(values.get(i.code) is not None for i in fw.top_level),
        trend=trend,
        own=core.own_target(db.run("targets_for", instansi_id=frame.instansi_id), frame.instansi_id, year, results),
    )


# -- words ------------------------------------------------------------------------------------------
def edge_text(band: Band, lang: str) -> str:
    """Where a band starts, as its printed edge reads: '≥ 2,60', or '> 2,50' for a strict lower edge (8/2026)."""
    return f"{'≥' if band.lower_inclusive else '>'} {fmt_num(band.lower, lang)}"


def target_labels(view: SimulationView, lang: str) -> dict[str, str]:
    nxt, own = view.next_band, view.own
    return {
        "next": t("simulate.target_next", lang, band=nxt.name(lang), edge=edge_text(nxt, lang))
        if nxt
        else t("simulate.target_next_none", lang),
        "own": t("simulate.target_own", lang, value=fmt_num(own.value, lang), year=own.year, source=own.source_id)
        if own
        else t("simulate.target_own_none", lang),
        "number": t("simulate.target_number", lang),
    }


def target_kinds(view: SimulationView, wanted: str) -> tuple[str, list[str]]:
    """The kind of target to start from (own -> next -> number when one is not available) and the kinds offered."""
    if wanted == "own" and view.own is None:
        wanted = "next"
    if wanted == "next" and view.next_band is None:
        wanted = "number"
    kinds = [k for k in simulate.TARGET_KINDS if (k != "own" or view.own) and (k != "next" or view.next_band)]
    return wanted, kinds


def whatif_text(fw: Framework, result: pd.DataFrame, lang: str) -> str:
    row = result[result["level"] == "index"].iloc[0]
    names = {b.predikat: b.name(lang) for b in fw.bands}
    return t(
        "simulate.whatif_result",
        lang,
        before=fmt_num(row["before"], lang, 4),
        after=fmt_num(row["after"], lang, 4),
        band_before=names.get(row["band_before"], "–"),
        band_after=names.get(row["band_after"], "–"),
    )


def moved_text(result: pd.DataFrame, base_levels: dict, changed: dict, lang: str) -> str | None:
    """'I1: 1→2, ... · +0,0123' for the levels the reader changed, or None."""
    changes = {k: v for k, v in changed.items() if v != base_levels.get(k)}
    if not changes:
        return None
    delta = result.loc[result["level"] == "index", "delta"].iloc[0]
    return ", ".join(f"{k}: {base_levels[k]}→{v}" for k, v in changes.items()) + " · " + fmt_delta(delta, lang, 4)


def start_levels_text(view: SimulationView, lang: str) -> str:
    """The levels start in words, naming as many indicators as the year's framework has (47, or 20 under 8/2026)."""
    band = view.fw.band_for(view.levels_start) if view.levels_start is not None else None
    return t(
        "simulate.start_levels",
        lang,
        n=len(view.fw.indicators),
        assessment=t(f"assessment.{view.basis.assessment}", lang),
        year=view.level_year,
        sources=", ".join(view.level_sources) or "–",
        computed=fmt_num(view.levels_start, lang, 4),
        published=fmt_num(view.level_published, lang),
        predikat=band.name(lang) if band else "–",
    )


def start_text(view: SimulationView, lang: str) -> str:
    band = view.fw.band_for(view.start)
    names = {b.predikat: b.name(lang) for b in view.fw.bands}
    return t(
        "simulate.start",
        lang,
        published=fmt_num(view.published_index, lang),
        predikat=names.get(view.published_predikat) or (band.name(lang) if band else "–"),
    )


def start_messages(view: SimulationView, lang: str) -> list[tuple[str, str]]:
    """The starting point in plain words; the unrounded index computed from the domain values as a detail."""
    return [
        ("markdown", start_text(view, lang)),
        ("detail", t("simulate.start_detail", lang, computed=fmt_num(view.start, lang, 5))),
    ]


def feasible_text(view: SimulationView, lang: str) -> str:
    """The unrounded indices the published domain values allow, derived from their level splits."""
    values = simulate.feasible_start_indices(view.fw, view.domain_values)
    return ", ".join(fmt_num(float(v), lang, 5) for v in values)


def domain_note_lines(view: SimulationView, lang: str) -> list[tuple[str, str]]:
    """(kind, text) for each domain whose value is inconsistent or mixes weights."""
    out = []
    for note in simulate.domain_notes(view.fw, view.domain_values):
        if note["kind"] == "inconsistent":
            out.append(
                ("warning", t("simulate.inconsistent_domain", lang, domain=note["domain"], value=fmt_num(note["value"], lang)))
            )
        else:
            text = t(
                "simulate.mixed_domain",
                lang,
                domain=note["domain"],
                value=fmt_num(note["value"], lang),
                n=note["n"],
                groups=", ".join(f"{g} ({fmt_num(w, lang)} %)" for g, w in note["groups"]),
                ranges=", ".join(f"{g} {lo}-{hi}" for g, lo, hi in note["ranges"]),
            )
            out.append(("info", text))
    return out


# -- tables -----------------------------------------------------------------------------------------
START_COLUMNS = {
    "domain_code": "simulate.col_domain",
    "name": "simulate.col_name",
    "value": "simulate.col_value",
    "weight_pct": "simulate.col_weight",
}
STEP_COLUMNS = {
    "domain_code": "simulate.col_domain",
    "group": "simulate.col_group",
    "aspects": "simulate.col_aspects",
    "indicators": "simulate.col_indicators",
    "n_indicators": "simulate.col_n",
    "indicator_weight_pct": "simulate.col_ind_weight",
    "step_worth": "simulate.col_worth",
    "domain_value": "simulate.col_value",
    "implied_level_sum": "simulate.col_sum",
    "headroom_steps": "simulate.col_headroom",
    "headroom_points_max": "simulate.col_headroom_points",
    "readings": "simulate.col_readings",
}
PLAN_COLUMNS = {
    "key": "simulate.col_key",
    "domain_code": "simulate.col_domain",
    "aspects": "simulate.col_aspects",
    "indicators": "simulate.col_indicators",
    "steps": "simulate.col_steps",
    "step_worth": "simulate.col_worth",
    "gain": "simulate.col_gain",
    "effort": "simulate.col_effort",
    "from_level": "simulate.col_from",
    "to_level": "simulate.col_to",
}
WHATIF_COLUMNS = {
    "level": "simulate.col_level",
    "code": "simulate.col_item",
    "before": "simulate.col_before",
    "after": "simulate.col_after",
    "delta": "simulate.col_delta",
    "band_before": "simulate.col_band_before",
    "band_after": "simulate.col_band_after",
}


@dataclass
class StepsSection:
    """The level-steps section's words and tables, one value so the page caches the section per view."""

    start_lines: list
    start_table: pd.DataFrame
    note_lines: list
    steps_table: pd.DataFrame
    headroom: pd.DataFrame  # simulate.joint_headroom: only what one split of the levels allows
    labels: dict  # the headroom chart's axis and bar texts


def steps_section(view: SimulationView, lang: str) -> StepsSection:
    steps = simulate.level_step_table(view.fw, view.domain_values)
    return StepsSection(
        start_messages(view, lang),
        start_table(view, lang),
        domain_note_lines(view, lang),
        step_table(steps, lang),
        simulate.joint_headroom(view.fw, view.domain_values),
        {"x": t("simulate.headroom_x", lang), "bar_text": t("simulate.headroom_bar", lang)},
    )


def start_table(view: SimulationView, lang: str) -> pd.DataFrame:
    table = simulate.domain_start_table(view.fw, view.domain_values, lang)
    table["value"] = [fmt_num(v, lang) for v in table["value"]]
    table["weight_pct"] = [fmt_num(v, lang, 1) for v in table["weight_pct"]]
    return labelled(table, START_COLUMNS, lang)


def step_table(steps: pd.DataFrame, lang: str) -> pd.DataFrame:
    return labelled(simulate.step_table_display(steps), STEP_COLUMNS, lang)


def worth_table(fw: Framework, lang: str) -> pd.DataFrame:
    name = "aspect_name_id" if lang == "id" else "aspect_name_en"
    columns = {
        "domain_code": "simulate.col_domain",
        "aspect_code": "simulate.col_aspect",
        name: "simulate.col_aspect_name",
        "n_indicators": "simulate.col_n",
        "step_worth_max": "simulate.col_worth",
    }
    return labelled(simulate.step_worth_table(fw), columns, lang)


def plan_table(plan, fw: Framework, mode: str, lang: str) -> pd.DataFrame:
    table = plan.table()
    columns = {k: v for k, v in PLAN_COLUMNS.items() if k in table and (mode != "domains" or k not in ("from_level", "to_level"))}
    out = labelled(table, columns, lang)
    if mode != "domains":
        out.insert(1, t("simulate.col_indicator_full", lang), [fw.item("indicator", s.key).name(lang) for s in plan.steps])
    return out


def plan_labels(plan, fw: Framework, mode: str, lang: str) -> list[str]:
    if mode == "levels":
        return [
            t(
                "simulate.plan_step_label_levels",
                lang,
                code=s.key,
                name=gaps.short_indicator_name(fw, s.key, lang, width=12).split(" ", 1)[1],
                start=s.from_level,
                end=s.to_level,
            )
            for s in plan.steps
        ]
    return [t("simulate.plan_step_label", lang, group=s.key, steps=s.steps) for s in plan.steps]


def whatif_table(result: pd.DataFrame, lang: str) -> pd.DataFrame:
    name = "name_id" if lang == "id" else "name_en"
    columns = {"level": "simulate.col_level", "code": "simulate.col_item", name: "gap.col_name"}
    columns |= {"weight_pct": "gap.col_weight"} | {k: v for k, v in WHATIF_COLUMNS.items() if k not in ("level", "code")}
    return labelled(result, columns, lang)


# -- the plan in words ------------------------------------------------------------------------------
ICONS = {
    "success": ":material/check_circle:",
    "warning": ":material/warning:",
    "error": ":material/error:",
    "info": ":material/info:",
}


def plan_messages(view: SimulationView, plan, mode: str, target_value, efforts: dict, lang: str) -> list[tuple[str, str]]:
    """(kind, text) of a plan's status: kind is success | warning | error | caption (a Streamlit element)."""
    fw = view.fw
    values = dict(
        target=fmt_num(target_value, lang),
        start=fmt_num(plan.start_index, lang),  # plain: two decimals, as the index is printed; exact values in the detail
        max=fmt_num(plan.max_index, lang),
        top=fmt_num(fw.level_max, lang),
    )
    if plan.status == "already":
        return [("success", t("simulate.status_already", lang, **values))]
    if plan.status == "no_data":
        return [("error", t("simulate.status_no_data", lang, missing=", ".join(plan.missing)))]
    if plan.status != "reached":
        return [("error", t(f"simulate.status_{plan.status}", lang, **values))]
    predikat = plan.end_band.name(lang) if plan.end_band else "–"
    end = fmt_num(plan.end_index, lang)
    out = [("success", t("simulate.status_reached", lang, steps=plan.total_steps, end=end, predikat=predikat, **values))]
    exact = t("simulate.exact_values", lang, start=fmt_num(plan.start_index, lang, 5), end=fmt_num(plan.end_index, lang, 5))
    out.append(("detail", exact))
    if any(v != 1 for v in efforts.values()):
        out.append(("caption", t("simulate.effort_total", lang, effort=fmt_num(plan.total_effort, lang))))
    biggest = simulate.largest_step_worth(fw)
    if plan.total_steps > 1 and biggest < plan.needed:
        worth, needed = fmt_num(biggest, lang, 4), fmt_num(plan.needed, lang, 5)
        out.append(("detail", t("simulate.one_step_short", lang, worth=worth, needed=needed)))
    if mode == "domains":
        if plan.split_dependent:
            out.append(("warning", t("simulate.split_dependent", lang)))
        if plan.rounding_dependent:
            out.append(("warning", t("simulate.rounding_dependent", lang)))
            out.append(("detail", t("simulate.rounding_detail", lang, lowest=fmt_num(plan.lowest_start_index, lang, 5))))
        if plan.holds_for_every_reading:
            out.append(("detail", t("simulate.holds", lang, values=feasible_text(view, lang))))
    return out


def level_notices(view: SimulationView, name: str, lang: str) -> list[tuple[str, str]]:
    """(kind, text): '46 of 47 levels imported' when a set is incomplete (said, never silently ignored, issue 12),
    and which year's levels a plan for another year uses."""
    out, basis = [], view.basis
    if basis is not None and not basis.complete:
        assessment = t(f"assessment.{basis.assessment}", lang)
        total = len(basis.framework.indicators)
        count = len(basis.levels)
        out.append(
            ("warning", t("import.incomplete_on_page", lang, count=count, total=total, assessment=assessment, year=basis.year))
        )
    if view.levels_complete and not basis.same_year:
        key = "simulate.levels_other_year" if view.domain_mode else "simulate.levels_other_year_no_domains"
        assessment = t(f"assessment.{basis.assessment}", lang)
        out.append(("info", t(key, lang, year=view.year, basis=view.level_year, name=name, assessment=assessment)))
    return out
