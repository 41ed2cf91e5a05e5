"""Simulasi: level-steps from the published domain values, goal-seek to a target, and a what-if on indicator
levels (imported, or an explicitly chosen illustration). Layout over spbe.models.simulate_view's page model."""

import streamlit as st

from spbe.charts import gap_charts
from spbe.core import pemdi, simulate
from spbe.models import simulate_view as sv
from spbe.web import ui
from spbe.web.frame import page_frame
from spbe.web.ui import chart_block, lazy_expander, messages, section_tabs, term_strip, whatif_grid_config

frame = page_frame("simulasi")
raw = {k: st.query_params.get(k) for k in ("target", "usaha", "bacaan", "ilustrasi")}
lang, year, fid = frame.lang, frame.year, frame.instansi_id
view = ui.cached_model(frame, "sim_view", lambda: sv.load_simulation_view(frame))  # built once per view
fw, basis, domain_values = view.fw, view.basis, view.domain_values
st.title(frame.t("simulate.title", name=frame.name, year=year))
term_strip(frame)  # each term's first use links to its glossary entry
illustration = frame.t("gap.chart_illustration")
target_kind, target_number, target_ok = simulate.parse_target(raw["target"])
if not target_ok:
    frame.warn_bad_param("target", str(raw["target"]), frame.t("simulate.expected_target"), "next")
if not fw.indicators:
    st.info(frame.t("simulate.no_structure", regulation=fw.regulation), icon=":material/info:")
    st.stop()
if not view.has_domains and not view.levels_complete:
    st.info(frame.t("simulate.no_domains", name=frame.name, year=year), icon=":material/info:")
    st.stop()
messages(frame, sv.level_notices(view, frame.name, lang))  # which year's levels are used; an incomplete import said

# Effort keys: the weight groups of the domain values, or the aspects when only a levels plan is made.
effort_keys = simulate.effort_keys(fw, domain_values, "domains" if view.domain_mode else "levels")
efforts, bad_effort = simulate.parse_effort(raw["usaha"], effort_keys)
if bad_effort:
    frame.warn_bad_param("usaha", ",".join(bad_effort), frame.t("simulate.expected_effort", keys=", ".join(effort_keys)), "1")


def show_steps():  # level-steps from the domain values (or the levels' start)
    if view.domain_mode:
        part = ui.cached_model(frame, "sim_steps", lambda: sv.steps_section(view, lang))  # words and tables: once per view
        messages(frame, part.start_lines)  # plain words; the computed unrounded index as a detail
        st.dataframe(part.start_table, hide_index=True)
        st.header(frame.t("simulate.steps_header"))  # level-steps from the domain values
        messages(frame, [("markdown", frame.t("simulate.steps_plain")), ("detail", frame.t("simulate.steps_intro"))])
        for kind, text in part.note_lines:
            (st.warning if kind == "warning" else st.info)(text, icon=f":material/{kind}:")
        st.subheader(frame.t("simulate.headroom_chart"))
        fig = ui.cached_figure(
            frame, "sim_headroom", lambda: gap_charts.headroom_figure(part.headroom, part.labels, lang, frame.large)
        )
        chart_block(fig, part.steps_table, view.sources, lang, key=f"sim_headroom_{fid}_{year}")
    else:
        st.markdown(sv.start_levels_text(view, lang))
    with lazy_expander(frame.t("simulate.worth_header"), key="sim_worth") as shown:
        if shown:
            st.dataframe(sv.worth_table(fw, lang), hide_index=True)


def show_plan(plan, mode: str, plan_sources: list, key: str, illustrative: bool, target_value: float) -> None:
    """The plan's status, chart and table (domain-value plan or indicator-level plan)."""
    messages(frame, sv.plan_messages(view, plan, mode, target_value, efforts, lang))  # exact values in "Detail teknis"
    if plan.status != "reached":
        return
    st.subheader(frame.t("simulate.plan_chart"))
    ends = frame.t("simulate.plan_start"), frame.t("simulate.plan_end")
    fig = gap_charts.plan_figure(plan, fw, sv.plan_labels(plan, fw, mode, lang), *ends, lang, frame.large)
    if illustrative:
        gap_charts.mark_illustrative(fig, illustration, frame.large)
    chart_block(fig, sv.plan_table(plan, fw, mode, lang), plan_sources, lang, key=key, illustrative=illustrative)


def show_goal(target_kind: str = target_kind):  # goal-seek: the next predikat (core.next_predikat), own target, a number
    st.header(frame.t("simulate.goal_header"))
    next_band, own = view.next_band, view.own
    if target_kind == "own" and own is None:
        st.info(frame.t("simulate.no_own", name=frame.name), icon=":material/info:")
    target_kind, kinds = sv.target_kinds(view, target_kind)
    kind_labels = sv.target_labels(view, lang)
    radio = dict(index=kinds.index(target_kind), format_func=kind_labels.__getitem__, key="sim_target_kind")
    target_kind = st.radio(frame.t("simulate.target_kind"), kinds, **radio)
    if target_kind == "number":
        default_number = target_number or (next_band.lower if next_band else float(fw.level_max))
        box = dict(min_value=0.0, max_value=10.0, value=float(default_number), step=0.01, format="%.2f", key="sim_target_number")
        target_value = st.number_input(frame.t("simulate.target_value"), **box)
        st.query_params["target"] = f"{target_value:g}"
    else:
        target_value = own.value if target_kind == "own" else next_band.lower
        st.query_params["target"] = target_kind
    with st.expander(frame.t("simulate.effort_header"), expanded=bool(efforts)):
        st.caption(frame.t("simulate.effort_intro"))
        cols = st.columns(min(len(effort_keys), 5))
        for n, key in enumerate(effort_keys):
            label, value = frame.t("simulate.effort_label", group=key), float(efforts.get(key, 1.0))
            efforts[key] = cols[n % len(cols)].number_input(
                label, min_value=0.1, max_value=1000.0, value=value, step=0.5, key=f"sim_effort_{key}"
            )
    st.query_params["usaha"] = simulate.format_effort(efforts)
    if not st.query_params["usaha"]:
        del st.query_params["usaha"]
    every = view.domain_mode and st.checkbox(frame.t("simulate.every_reading"), value=raw["bacaan"] == "semua", key="sim_every")
    if every:
        st.query_params["bacaan"] = "semua"
    messages(frame, [("caption", frame.t("simulate.rule_plain"))], rule=frame.t("simulate.rule"))
    if view.domain_mode:
        st.subheader(frame.t("simulate.plan_domains_title", year=year))
        plan = simulate.goal_seek_from_domains(fw, domain_values, target_value, effort=efforts, every_reading=every)
        show_plan(plan, "domains", view.sources, f"sim_plan_{fid}_{year}", False, target_value)
    if view.levels_complete:
        st.subheader(frame.t("simulate.plan_levels_title", year=view.level_year))
        if not basis.same_year:
            st.caption(frame.t("simulate.levels_other_year_short", year=year, basis=view.level_year))
        level_plan = simulate.goal_seek_from_levels(fw, view.levels, target_value, effort=efforts)
        key = f"sim_plan_levels_{fid}_{view.level_year}"
        show_plan(level_plan, "levels", [*view.level_sources, fw.source_ids], key, view.levels_illustrative, target_value)
        if fw.framework_id == pemdi.FRAMEWORK_ID and level_plan.steps:  # 8/2026: what each step's level requires
            st.markdown(f"**{frame.t('pemdi.plan_criteria_title')}**")
            st.dataframe(pemdi.plan_criteria_frame(level_plan, lang), hide_index=True)


def show_whatif():  # what-if on indicator levels
    st.header(frame.t("simulate.whatif_header"))
    illustrative = view.levels_illustrative
    if view.levels_complete:
        base_levels = view.levels
        st.markdown(sv.start_levels_text(view, lang))
    else:
        st.info(frame.t("simulate.whatif_none", name=frame.name, year=year), icon=":material/info:")
        link = frame.t("gap.import_link")
        st.page_link("pages/7_impor.py", label=link, icon=":material/upload_file:", query_params=frame.url_params())
        illustrative = st.toggle(frame.t("simulate.illustrative_toggle"), value=raw["ilustrasi"] == "1", key="sim_illustrative")
        if illustrative:
            st.query_params["ilustrasi"] = "1"
        base_levels = simulate.illustrative_levels(fw, domain_values) if illustrative and view.has_domains else {}
        left_out = [i.code for i in fw.top_level if i.code not in simulate.domains_with_levels(fw, base_levels)]
        if illustrative and left_out:
            st.warning(frame.t("simulate.illustrative_missing", codes=", ".join(left_out)), icon=":material/warning:")
    if base_levels:
        if illustrative:
            st.warning(frame.t("simulate.illustrative_note"), icon=":material/science:")
        st.markdown(frame.t("simulate.whatif_intro"))
        editor_key = f"sim_levels_{fid}_{view.level_year or year}_{'ill' if illustrative else basis.assessment}"
        edited = st.data_editor(
            simulate.level_grid(fw, base_levels, lang),
            hide_index=True,
            disabled=["indicator_code", "indicator_name", "aspect_code", "level"],
            key=editor_key,
            column_config=whatif_grid_config(fw, lang),
        )
        changed, error = simulate.levels_from_grid(fw, edited)
        if error:
            st.error(frame.t("simulate.level_error", error=error), icon=":material/error:")
        else:
            result = simulate.what_if(fw, base_levels, changed)
            st.markdown(sv.whatif_text(fw, result, lang))
            st.subheader(frame.t("simulate.whatif_chart"))
            names = frame.t("simulate.col_before"), frame.t("simulate.col_after")
            fig = gap_charts.whatif_figure(result, *names, lang, frame.large, x_labels={"index": frame.t("gap.x_index")})
            if illustrative:
                gap_charts.mark_illustrative(fig, illustration, frame.large)
            sources = view.sources if illustrative else view.level_sources
            key = f"sim_whatif_{fid}_{view.level_year or year}"
            chart_block(fig, sv.whatif_table(result, lang), sources, lang, key=key, illustrative=illustrative)
            moved = sv.moved_text(result, base_levels, changed, lang)
            if moved:
                st.caption(moved)


parts = {"simulate.tab_steps": show_steps, "simulate.tab_goal": show_goal, "simulate.tab_whatif": show_whatif}
section_tabs(lang, "bagian", parts)
