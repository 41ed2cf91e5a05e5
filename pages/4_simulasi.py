"""Simulasi: level-steps from the published domain values, goal-seek to a target, and a what-if on indicator
levels (imported, or an explicitly chosen illustration). Layout only: logic in spbe.simulate."""

import streamlit as st

from spbe import core, db, gap_charts, gaps, pemdi, simulate
from spbe.frame import page_frame
from spbe.frameworks import framework_for_year
from spbe.i18n import fmt_delta, fmt_num, t
from spbe.ui import chart_block

frame = page_frame("simulasi")
raw = {k: st.query_params.get(k) for k in ("target", "usaha", "bacaan", "ilustrasi")}
lang, year = frame.lang, frame.year
fw = framework_for_year(year)
st.title(frame.t("simulate.title", name=frame.name, year=year))
band_names = {b.predikat: b.name(lang) for b in fw.bands}

target_kind, target_number, target_ok = simulate.parse_target(raw["target"])
if not target_ok:
    frame.warn_bad_param("target", str(raw["target"]), frame.t("simulate.expected_target"), "next")

domain_rows = db.run("instansi_domain_values", instansi_id=frame.instansi_id)
official = domain_rows[(domain_rows["year"] == year) & (domain_rows["assessment"] == "official")]
domain_values = {r.domain_code: (None if gaps.is_missing(r.value) else float(r.value)) for r in official.itertuples()}
trend = db.run("index_trend", instansi_id=frame.instansi_id)
published = trend[(trend["year"] == year) & (trend["assessment"] == "official")]
published_index = float(published["indeks"].iloc[0]) if len(published) else None
published_predikat = published["predikat"].iloc[0] if len(published) else None
sources = official["source_id"].dropna().unique().tolist() + [fw.source_ids]

if not fw.indicators:
    st.info(frame.t("simulate.no_structure", regulation=fw.regulation), icon=":material/info:")
    st.stop()

# The real indicator levels: this year's when held, else the latest earlier year of the framework (2022 for an
# instansi of the 2021-2022 dataset viewed in 2023 or 2024, which have domain values only).
all_level_rows = db.run("indicator_levels", instansi_id=frame.instansi_id)
basis = gaps.level_basis(all_level_rows, year)
levels_complete = basis is not None and basis.complete
if basis is not None and not basis.complete:  # an incomplete import is said, never silently ignored (issue 12)
    st.warning(
        t(
            "import.incomplete_on_page",
            lang,
            count=len(basis.levels),
            total=len(basis.framework.indicators),
            assessment=t(f"assessment.{basis.assessment}", lang),
            year=basis.year,
        ),
        icon=":material/rule:",
    )
levels = basis.levels if levels_complete else {}
level_year = basis.year if levels_complete else None
levels_illustrative = basis.illustrative if levels_complete else False
level_sources = list(basis.source_ids) if levels_complete else []
has_domains = bool(domain_values) and all(domain_values.get(i.code) is not None for i in fw.top_level)
domain_mode = has_domains and not (levels_complete and basis.same_year)  # the year has domain values only
if not has_domains and not levels_complete:
    st.info(frame.t("simulate.no_domains", name=frame.name, year=year), icon=":material/info:")
    st.stop()
if levels_complete and not basis.same_year:
    st.info(
        frame.t(
            "simulate.levels_other_year" if domain_mode else "simulate.levels_other_year_no_domains",
            year=year,
            basis=level_year,
            name=frame.name,
            assessment=t(f"assessment.{basis.assessment}", lang),
        ),
        icon=":material/info:",
    )
levels_start = simulate.start_index_from_levels(fw, levels) if levels_complete else None
level_trend = trend[(trend["year"] == level_year) & (trend["assessment"] == "official")] if levels_complete else trend.iloc[0:0]
level_published = float(level_trend["indeks"].iloc[0]) if len(level_trend) else None
level_predikat = level_trend["predikat"].iloc[0] if len(level_trend) else None


def band_name(value) -> str:
    band = fw.band_for(value)
    return band.name(lang) if band else "–"


start = simulate.start_index(fw, domain_values) if has_domains else None
if domain_mode:
    band = fw.band_for(start)
    st.markdown(
        frame.t(
            "simulate.start",
            computed=fmt_num(start, lang, 5),
            published=fmt_num(published_index, lang),
            predikat=band_names.get(published_predikat) or (band.name(lang) if band else "–"),
        )
    )
    start_table = simulate.domain_start_table(fw, domain_values, lang)
    start_table["value"] = [fmt_num(v, lang) for v in start_table["value"]]
    start_table["weight_pct"] = [fmt_num(v, lang, 1) for v in start_table["weight_pct"]]
    start_table = start_table.rename(
        columns={
            "domain_code": frame.t("simulate.col_domain"),
            "name": frame.t("simulate.col_name"),
            "value": frame.t("simulate.col_value"),
            "weight_pct": frame.t("simulate.col_weight"),
        }
    )
    st.dataframe(start_table, hide_index=True)

    # -- level-steps from the domain values -----------------------------------------------------------
    st.header(frame.t("simulate.steps_header"))
    st.markdown(frame.t("simulate.steps_intro"))
    steps = simulate.level_step_table(fw, domain_values)
    for note in simulate.domain_notes(fw, domain_values):
        if note["kind"] == "inconsistent":
            st.warning(
                frame.t("simulate.inconsistent_domain", domain=note["domain"], value=fmt_num(note["value"], lang)),
                icon=":material/warning:",
            )
        else:
            st.info(
                frame.t(
                    "simulate.mixed_domain",
                    domain=note["domain"],
                    value=fmt_num(note["value"], lang),
                    n=note["n"],
                    groups=", ".join(f"{g} ({fmt_num(w, lang)} %)" for g, w in note["groups"]),
                    ranges=", ".join(f"{g} {lo}-{hi}" for g, lo, hi in note["ranges"]),
                ),
                icon=":material/info:",
            )
    steps_shown = simulate.step_table_display(steps).rename(
        columns={
            "domain_code": frame.t("simulate.col_domain"),
            "group": frame.t("simulate.col_group"),
            "aspects": frame.t("simulate.col_aspects"),
            "indicators": frame.t("simulate.col_indicators"),
            "n_indicators": frame.t("simulate.col_n"),
            "indicator_weight_pct": frame.t("simulate.col_ind_weight"),
            "step_worth": frame.t("simulate.col_worth"),
            "domain_value": frame.t("simulate.col_value"),
            "implied_level_sum": frame.t("simulate.col_sum"),
            "headroom_steps": frame.t("simulate.col_headroom"),
            "headroom_points_max": frame.t("simulate.col_headroom_points"),
            "readings": frame.t("simulate.col_readings"),
        }
    )
    st.subheader(frame.t("simulate.headroom_chart"))
    fig = gap_charts.headroom_figure(
        steps, {"x": frame.t("simulate.headroom_x"), "bar_text": frame.t("simulate.headroom_bar")}, lang, frame.large
    )
    chart_block(fig, steps_shown, sources, lang, key=f"sim_headroom_{frame.instansi_id}_{year}")
else:
    st.markdown(
        frame.t(
            "simulate.start_levels",
            assessment=t(f"assessment.{basis.assessment}", lang),
            year=level_year,
            sources=", ".join(level_sources) or "–",
            computed=fmt_num(levels_start, lang, 4),
            published=fmt_num(level_published, lang),
            predikat=band_name(levels_start),
        )
    )

with st.expander(frame.t("simulate.worth_header")):
    worth = simulate.step_worth_table(fw)
    st.dataframe(
        worth.rename(
            columns={
                "domain_code": frame.t("simulate.col_domain"),
                "aspect_code": frame.t("simulate.col_aspect"),
                "aspect_name_id" if lang == "id" else "aspect_name_en": frame.t("simulate.col_aspect_name"),
                "n_indicators": frame.t("simulate.col_n"),
                "step_worth_max": frame.t("simulate.col_worth"),
            }
        ).drop(
            columns=[
                "aspect_name_en" if lang == "id" else "aspect_name_id",
                "indicator_weight_min",
                "indicator_weight_max",
                "step_worth_min",
            ]
        ),
        hide_index=True,
    )

# -- goal-seek ---------------------------------------------------------------------------------------
st.header(frame.t("simulate.goal_header"))
# The target is set from where the focus stands in the year picked (its published domain values), or from
# the levels when the year has them; the next predikat follows the semantic core's rule.
current_start = start if domain_mode else levels_start
current_predikat = published_predikat if domain_mode else (level_predikat or published_predikat)
next_band = core.next_predikat(fw, current_predikat if isinstance(current_predikat, str) else None, current_start)
own = gaps.own_target(
    db.run("targets_for", instansi_id=frame.instansi_id), frame.instansi_id, year
) or simulate.latest_own_target(db.run("targets_for", instansi_id=frame.instansi_id), frame.instansi_id)
if target_kind == "own" and own is None:
    st.info(frame.t("simulate.no_own", name=frame.name), icon=":material/info:")
    target_kind = "next"
if target_kind == "next" and next_band is None:
    target_kind = "number"
kind_labels = {
    "next": frame.t("simulate.target_next", band=next_band.name(lang), value=fmt_num(next_band.lower, lang))
    if next_band
    else frame.t("simulate.target_next_none"),
    "own": frame.t("simulate.target_own", value=fmt_num(own["value"], lang), year=own["year"], source=own["source_id"])
    if own
    else frame.t("simulate.target_own_none"),
    "number": frame.t("simulate.target_number"),
}
kinds = [k for k in simulate.TARGET_KINDS if (k != "own" or own) and (k != "next" or next_band)]
target_kind = st.radio(
    frame.t("simulate.target_kind"),
    kinds,
    index=kinds.index(target_kind),
    format_func=kind_labels.__getitem__,
    key="sim_target_kind",
)
if target_kind == "number":
    default_number = target_number or (next_band.lower if next_band else float(fw.level_max))
    target_value = st.number_input(
        frame.t("simulate.target_value"),
        min_value=0.0,
        max_value=10.0,
        value=float(default_number),
        step=0.01,
        format="%.2f",
        key="sim_target_number",
    )
    st.query_params["target"] = f"{target_value:g}"
elif target_kind == "own":
    target_value = own["value"]
    st.query_params["target"] = "own"
else:
    target_value = next_band.lower
    st.query_params["target"] = "next"

# Effort keys: the weight groups of the domain values (they also name indicators in a levels plan), or the
# aspects when only a levels plan is made.
effort_keys = simulate.effort_keys(fw, domain_values, "domains" if domain_mode else "levels")
efforts, bad_effort = simulate.parse_effort(raw["usaha"], effort_keys)
if bad_effort:
    frame.warn_bad_param("usaha", ",".join(bad_effort), frame.t("simulate.expected_effort", keys=", ".join(effort_keys)), "1")
with st.expander(frame.t("simulate.effort_header"), expanded=bool(efforts)):
    st.caption(frame.t("simulate.effort_intro"))
    cols = st.columns(min(len(effort_keys), 5))
    for n, key in enumerate(effort_keys):
        efforts[key] = cols[n % len(cols)].number_input(
            frame.t("simulate.effort_label", group=key),
            min_value=0.1,
            max_value=1000.0,
            value=float(efforts.get(key, 1.0)),
            step=0.5,
            key=f"sim_effort_{key}",
        )
st.query_params["usaha"] = simulate.format_effort(efforts)
if not st.query_params["usaha"]:
    del st.query_params["usaha"]
every = False
if domain_mode:
    every = st.checkbox(frame.t("simulate.every_reading"), value=raw["bacaan"] == "semua", key="sim_every")
    if every:
        st.query_params["bacaan"] = "semua"
st.caption(frame.t("simulate.rule"))


def show_plan(plan, mode: str, plan_sources: list, key: str, illustrative: bool) -> None:
    """The plan's status, chart and table (domain-value plan or indicator-level plan)."""
    values = dict(
        target=fmt_num(target_value, lang),
        start=fmt_num(plan.start_index, lang, 5),
        max=fmt_num(plan.max_index, lang, 5),
        top=fmt_num(fw.level_max, lang),
    )
    if plan.status == "already":
        st.success(frame.t("simulate.status_already", **values), icon=":material/check_circle:")
    elif plan.status == "reached":
        st.success(
            frame.t(
                "simulate.status_reached",
                steps=plan.total_steps,
                end=fmt_num(plan.end_index, lang, 5),
                predikat=plan.end_band.name(lang) if plan.end_band else "–",
                **values,
            ),
            icon=":material/check_circle:",
        )
        if any(v != 1 for v in efforts.values()):
            st.caption(frame.t("simulate.effort_total", effort=fmt_num(plan.total_effort, lang)))
        if plan.total_steps > 1:
            biggest = simulate.largest_step_worth(fw)
            if biggest < plan.needed:
                st.caption(
                    frame.t("simulate.one_step_short", worth=fmt_num(biggest, lang, 4), needed=fmt_num(plan.needed, lang, 5))
                )
        if mode == "domains":
            if plan.split_dependent:
                st.warning(frame.t("simulate.split_dependent"), icon=":material/warning:")
            if plan.rounding_dependent:
                st.warning(
                    frame.t("simulate.rounding_dependent", lowest=fmt_num(plan.lowest_start_index, lang, 5)),
                    icon=":material/warning:",
                )
            if plan.holds_for_every_reading:
                st.caption(frame.t("simulate.holds", lowest=fmt_num(plan.lowest_start_index, lang, 5), start=values["start"]))
    elif plan.status == "no_data":
        st.error(frame.t("simulate.status_no_data", missing=", ".join(plan.missing)), icon=":material/error:")
    else:
        st.error(frame.t(f"simulate.status_{plan.status}", **values), icon=":material/error:")
    if plan.status != "reached":
        return
    table = plan.table().rename(
        columns={
            "key": frame.t("simulate.col_key"),
            "domain_code": frame.t("simulate.col_domain"),
            "aspects": frame.t("simulate.col_aspects"),
            "indicators": frame.t("simulate.col_indicators"),
            "steps": frame.t("simulate.col_steps"),
            "step_worth": frame.t("simulate.col_worth"),
            "gain": frame.t("simulate.col_gain"),
            "effort": frame.t("simulate.col_effort"),
            "from_level": frame.t("simulate.col_from"),
            "to_level": frame.t("simulate.col_to"),
        }
    )
    if mode == "domains":
        table = table.drop(columns=[frame.t("simulate.col_from"), frame.t("simulate.col_to")])
    else:
        table.insert(1, frame.t("simulate.col_indicator_full"), [fw.item("indicator", s.key).name(lang) for s in plan.steps])
    st.subheader(frame.t("simulate.plan_chart"))
    if mode == "levels":
        labels = [
            frame.t(
                "simulate.plan_step_label_levels",
                code=s.key,
                name=gaps.short_indicator_name(fw, s.key, lang, width=12).split(" ", 1)[1],
                start=s.from_level,
                end=s.to_level,
            )
            for s in plan.steps
        ]
    else:
        labels = [frame.t("simulate.plan_step_label", group=s.key, steps=s.steps) for s in plan.steps]
    fig = gap_charts.plan_figure(
        plan, fw, labels, frame.t("simulate.plan_start"), frame.t("simulate.plan_end"), lang, frame.large
    )
    if illustrative:
        gap_charts.mark_illustrative(fig, frame.t("gap.chart_illustration"), frame.large)
    chart_block(fig, table, plan_sources, lang, key=key, illustrative=illustrative)


if domain_mode:
    st.subheader(frame.t("simulate.plan_domains_title", year=year))
    plan = simulate.goal_seek_from_domains(fw, domain_values, target_value, effort=efforts, every_reading=every)
    show_plan(plan, "domains", sources, f"sim_plan_{frame.instansi_id}_{year}", False)
if levels_complete:
    st.subheader(frame.t("simulate.plan_levels_title", year=level_year))
    if not basis.same_year:
        st.caption(frame.t("simulate.levels_other_year_short", year=year, basis=level_year))
    level_plan = simulate.goal_seek_from_levels(fw, levels, target_value, effort=efforts)
    show_plan(
        level_plan,
        "levels",
        [*level_sources, fw.source_ids],
        f"sim_plan_levels_{frame.instansi_id}_{level_year}",
        levels_illustrative,
    )
    if fw.framework_id == pemdi.FRAMEWORK_ID and level_plan.steps:  # 8/2026: what each step's level requires
        st.markdown(f"**{frame.t('pemdi.plan_criteria_title')}**")
        st.dataframe(pemdi.plan_criteria_frame(level_plan, lang), hide_index=True)

# -- what-if on indicator levels -------------------------------------------------------------------------
st.header(frame.t("simulate.whatif_header"))
illustrative = levels_illustrative
if levels_complete:
    base_levels = levels
    st.markdown(
        frame.t(
            "simulate.start_levels",
            assessment=t(f"assessment.{basis.assessment}", lang),
            year=level_year,
            sources=", ".join(level_sources) or "–",
            computed=fmt_num(levels_start, lang, 4),
            published=fmt_num(level_published, lang),
            predikat=band_name(levels_start),
        )
    )
else:
    st.info(frame.t("simulate.whatif_none", name=frame.name, year=year), icon=":material/info:")
    st.page_link(
        "pages/7_impor.py", label=frame.t("gap.import_link"), icon=":material/upload_file:", query_params=frame.url_params()
    )
    illustrative = st.toggle(frame.t("simulate.illustrative_toggle"), value=raw["ilustrasi"] == "1", key="sim_illustrative")
    if illustrative:
        st.query_params["ilustrasi"] = "1"
    base_levels = simulate.illustrative_levels(fw, domain_values) if illustrative and has_domains else {}
    left_out = [i.code for i in fw.top_level if i.code not in simulate.domains_with_levels(fw, base_levels)]
    if illustrative and left_out:
        st.warning(frame.t("simulate.illustrative_missing", codes=", ".join(left_out)), icon=":material/warning:")

if base_levels:
    if illustrative:
        st.warning(frame.t("simulate.illustrative_note"), icon=":material/science:")
    st.markdown(frame.t("simulate.whatif_intro"))
    editor_key = f"sim_levels_{frame.instansi_id}_{level_year or year}_{'ill' if illustrative else basis.assessment}"
    grid = simulate.level_grid(fw, base_levels, lang)
    edited = st.data_editor(
        grid,
        hide_index=True,
        disabled=["indicator_code", "indicator_name", "aspect_code", "level"],
        key=editor_key,
        column_config={
            "indicator_code": st.column_config.TextColumn(frame.t("simulate.col_indicator")),
            "indicator_name": st.column_config.TextColumn(frame.t("simulate.col_indicator_name"), width="large"),
            "aspect_code": st.column_config.TextColumn(frame.t("simulate.col_aspect")),
            "level": st.column_config.NumberColumn(frame.t("simulate.col_level")),
            "new_level": st.column_config.NumberColumn(
                frame.t("simulate.col_new_level"), min_value=fw.level_min, max_value=fw.level_max, step=1, required=True
            ),
        },
    )
    changed, error = simulate.levels_from_grid(fw, edited)
    if error:
        st.error(frame.t("simulate.level_error", error=error), icon=":material/error:")
    else:
        result = simulate.what_if(fw, base_levels, changed)
        row = result[result["level"] == "index"].iloc[0]
        st.markdown(
            frame.t(
                "simulate.whatif_result",
                before=fmt_num(row["before"], lang, 4),
                after=fmt_num(row["after"], lang, 4),
                band_before=band_names.get(row["band_before"], "–"),
                band_after=band_names.get(row["band_after"], "–"),
            )
        )
        shown = result.rename(
            columns={
                "code": frame.t("simulate.col_item"),
                "before": frame.t("simulate.col_before"),
                "after": frame.t("simulate.col_after"),
                "delta": frame.t("simulate.col_delta"),
                "band_before": frame.t("simulate.col_band_before"),
                "band_after": frame.t("simulate.col_band_after"),
            }
        ).drop(columns=["name_en" if lang == "id" else "name_id"])
        st.subheader(frame.t("simulate.whatif_chart"))
        fig = gap_charts.whatif_figure(
            result,
            frame.t("simulate.col_before"),
            frame.t("simulate.col_after"),
            lang,
            frame.large,
            x_labels={"index": frame.t("gap.x_index")},
        )
        if illustrative:
            gap_charts.mark_illustrative(fig, frame.t("gap.chart_illustration"), frame.large)
        chart_block(
            fig,
            shown,
            sources if illustrative else level_sources,
            lang,
            key=f"sim_whatif_{frame.instansi_id}_{level_year or year}",
            illustrative=illustrative,
        )
        changes = {k: v for k, v in changed.items() if v != base_levels.get(k)}
        if changes:
            st.caption(
                ", ".join(f"{k}: {base_levels[k]}→{v}" for k, v in changes.items()) + " · " + fmt_delta(row["delta"], lang, 4)
            )
