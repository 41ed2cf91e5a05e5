"""Kepemilikan OPD: which regional agency owns each indicator gap, the index points at stake per OPD, the
mapping (a suggestion until the region saves its own; edits need the admin sign-in) and the action plan
download. Layout only: logic in spbe.models.opd."""

import streamlit as st

from spbe import core
from spbe.charts import gap_charts
from spbe.i18n import fmt_num, t
from spbe.models import compare, opd
from spbe.models.tables import labelled, readable
from spbe.presentation.action_plan import plan_steps, workbook
from spbe.web.auth import admin_gate
from spbe.web.frame import page_frame
from spbe.web.ui import cached_figure, cached_model, chart_block, messages, term_strip

frame = page_frame("opd")
lang, year = frame.lang, frame.year
# Cached per view and saved mapping (a save or restore changes the stamp): the tables are built once per view.
stamp = opd.mapping_stamp(frame.instansi_id)
view = cached_model(frame, f"opd_view:{stamp}", lambda: opd.load_opd_view(frame, compare.LOW_LEVEL_MAX))
fw, loaded = view.fw, view.loaded
st.title(frame.t("opd.title", name=frame.name))
term_strip(frame)  # each term's first use links to its glossary entry
st.markdown(frame.t("opd.intro"))


def problem_lines(problems) -> str:
    return "\n".join(f"- {frame.t(f'opd.problem_{p.code}', **p.values)}" for p in problems)


if loaded.origin == "none":
    st.info(frame.t("opd.no_framework", regulation=fw.regulation, year=year), icon=":material/info:")
    st.stop()
if loaded.problems:
    st.error(frame.t("opd.saved_invalid", name=frame.name) + "\n" + problem_lines(loaded.problems), icon=":material/error:")
if loaded.origin == "saved":
    st.success(frame.t("opd.origin_saved", name=frame.name, file=opd.saved_path(frame.instansi_id).name), icon=":material/save:")
else:
    st.warning(frame.t("opd.origin_default", name=frame.name), icon=":material/lightbulb:")
if frame.instansi.get("category") == "pusat":
    st.caption(frame.t("opd.central_note"))
if st.session_state.pop("opd_flash", None):
    st.success(st.session_state.pop("opd_flash_text", ""), icon=":material/check_circle:")

basis, levels, illustrative, level_sources = view.basis, view.levels, view.illustrative, view.level_sources
if basis is not None:
    trust = frame.t(f"core.provenance_{basis.provenance}") if basis.provenance in core.PROVENANCES else None
    st.caption(
        frame.t(
            "opd.levels_from",
            assessment=t(f"assessment.{basis.assessment}", lang),
            year=basis.year,
            sources=", ".join(level_sources) or "–",
            trust=trust or frame.t("gap.trust_unknown"),
        )
    )
    if not basis.same_year:
        st.info(frame.t("opd.levels_other_year", year=year, basis=basis.year), icon=":material/info:")
    if illustrative:
        st.warning(frame.t("opd.levels_illustrative"), icon=":material/science:")
else:
    st.info(frame.t("opd.levels_none", name=frame.name, year=year), icon=":material/info:")

st.header(frame.t("opd.summary_header"))
stakes, summary, sources = view.stakes, view.summary, view.sources
mapping_note = frame.t("opd.mapping_suggestion") if loaded.origin == "default" else frame.t("opd.mapping_saved")
if stakes is not None and not stakes.empty:
    title = frame.t("opd.chart_stake_year", year=basis.year)
    st.subheader(title)
    stake = frame.t("opd.stake_intro", top=fw.level_max, mapping=mapping_note)
    messages(frame, [("markdown", stake), ("detail", frame.t("opd.stake_formula", top=fw.level_max))])

    def stake_figure():
        fig = gap_charts.opd_figure(stakes, "points_to_top", frame.t("opd.chart_stake"), lang, frame.large)
        if illustrative:
            gap_charts.mark_illustrative(fig, frame.t("gap.chart_illustration"), frame.large)
        return fig

    fig = cached_figure(frame, f"opd_stake:{stamp}", stake_figure)
    stakes_shown = cached_model(
        frame, f"opd_stakes_shown:{stamp}", lambda: opd.stakes_display(stakes, lang, compare.LOW_LEVEL_MAX)
    )
    chart_block(
        fig,
        stakes_shown,
        sources,
        lang,
        key=f"opd_stake_{frame.instansi_id}_{basis.year}",
        illustrative=illustrative,
    )
    top = stakes.iloc[0]
    st.caption(
        frame.t(
            "opd.stake_total",
            total=fmt_num(stakes["points_to_top"].sum(), lang, 3),
            top=fw.level_max,
            opd=top["opd"],
            points=fmt_num(top["points_to_top"], lang, 3),
            share=fmt_num(100 * top["share"], lang, 0) if top["share"] is not None else "–",
        )
    )
else:
    title = frame.t("opd.chart_worth")
    st.subheader(title)
    st.caption(mapping_note)
    fig = cached_figure(
        frame, f"opd_summary:{stamp}", lambda: gap_charts.opd_figure(summary, "step_worth_sum", title, lang, frame.large)
    )
    chart_block(
        fig,
        labelled(summary, opd.SUMMARY_COLUMNS, lang),
        sources,
        lang,
        key=f"opd_summary_{frame.instansi_id}_{year}",
        illustrative=illustrative,
    )

st.header(frame.t("opd.detail_header"))
if illustrative:
    st.warning(t("common.illustration_banner", lang), icon=":material/science:")
owners_shown = cached_model(frame, f"opd_owners_shown:{stamp}", lambda: readable(opd.owners_display(view, lang), lang))
st.dataframe(owners_shown, hide_index=True)  # 0,013 as the language writes it

st.header(frame.t("opd.download_header"))
st.download_button(
    frame.t("opd.download"),
    # built on click, not on every rerun: the goal-seek steps on these levels, per OPD (spbe.presentation.action_plan)
    lambda: workbook(
        plan_steps(fw, levels, loaded.mapping, lang=lang), lang, frame.t("actionplan.title", name=frame.name, year=year)
    ),
    file_name=f"rencana-aksi-{frame.instansi_id}-{year}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="opd_download",
)

st.header(frame.t("opd.edit_header"))
if admin_gate(lang):
    st.caption(frame.t("opd.edit_intro", low=fw.level_min, high=fw.level_max))
    editable = loaded.mapping[["indicator_no", "opd", "target_level"]].copy()
    edited = st.data_editor(
        editable,
        hide_index=True,
        disabled=["indicator_no"],
        key=f"opd_editor_{frame.instansi_id}",
        column_config={
            "indicator_no": st.column_config.TextColumn(frame.t("opd.col_no")),
            "opd": st.column_config.TextColumn(frame.t("opd.col_opd"), max_chars=opd.MAX_OPD_CHARS, width="large"),
            "target_level": st.column_config.NumberColumn(
                frame.t("opd.col_target"), min_value=fw.level_min, max_value=fw.level_max, step=1
            ),
        },
    )
    left, right = st.columns(2)
    if left.button(frame.t("opd.save"), type="primary", key="opd_save"):
        try:
            opd.save_mapping(fw, frame.instansi_id, edited)
        except opd.MappingError as err:
            st.error(frame.t("opd.save_failed") + "\n" + problem_lines(err.problems), icon=":material/error:")
        else:
            st.session_state["opd_flash"] = True
            st.session_state["opd_flash_text"] = frame.t("opd.saved_ok", n=len(edited))
            st.rerun()
    if right.button(frame.t("opd.restore"), key="opd_restore"):
        opd.save_mapping(fw, frame.instansi_id, opd.default_mapping(fw, frame.instansi_id))
        st.session_state["opd_flash"] = True
        st.session_state["opd_flash_text"] = frame.t("opd.restored", name=frame.name)
        st.rerun()
