"""Impor Data: templates for everyone; upload, preview, apply and rollback for a signed-in admin.
Layout only: reading, validation, preview and the atomic apply live in spbe/imports/importer.py."""

import hashlib

import streamlit as st

from spbe.export import csv_bytes
from spbe.imports import importer
from spbe.imports.read import MAX_BYTES
from spbe.safe_text import md_escape
from spbe.store import versions
from spbe.web.auth import admin_gate, current_admin
from spbe.web.frame import page_frame
from spbe.web.import_ui import template_downloads

MAX_LISTED = 15  # findings listed in full above the table

frame = page_frame("impor")
lang = frame.lang
st.title(frame.t("page.impor"))
st.markdown(frame.t("import.page.intro"))

flash = st.session_state.pop("import_flash", None)
if flash:
    st.success(flash)
st.info(importer.serving_label(lang), icon=":material/inventory_2:")

# -- templates (no sign-in needed) ---------------------------------------------------------------------
template_downloads(frame)

# -- admin only from here ----------------------------------------------------------------------------
if not admin_gate(lang):
    st.stop()

generation = st.session_state.setdefault("import_upload_generation", 0)
limit_mb = MAX_BYTES // (1024 * 1024)
uploaded = st.file_uploader(
    frame.t("import.page.upload", limit_mb=limit_mb), key=f"import_upload_{generation}", max_upload_size=limit_mb
)
if uploaded is not None:
    data = uploaded.getvalue()
    # The file is read and validated once per upload (keyed by its sha256); when another import or a rollback
    # changed the data meanwhile, its validated rows are previewed again without reading the file again.
    plan_key = (hashlib.sha256(data).hexdigest(), uploaded.name)
    held = st.session_state.get("import_plan")
    if not held or held[0] != plan_key:
        with st.spinner(frame.t("import.page.checking")):
            held = (plan_key, importer.plan_upload(data, uploaded.name))
        st.session_state["import_plan"] = held
    elif held[1].base_version != versions.active_name():
        held = (plan_key, importer.replan(held[1]))
        st.session_state["import_plan"] = held
    plan = held[1]

    for note in plan.notes:  # e.g. an instruction sheet that was skipped, named
        st.caption(md_escape(note.message(lang)))
    if plan.errors:
        st.error(frame.t("import.page.invalid", count=len(plan.errors)))
    findings_list = plan.findings
    if findings_list:
        st.subheader(frame.t("import.page.problems"))
        for problem in findings_list[:MAX_LISTED]:
            st.markdown(f"- **{frame.t(f'import.severity.{problem.severity}')}** · {md_escape(problem.message(lang))}")
        if len(findings_list) > MAX_LISTED:
            st.caption(frame.t("import.page.more_in_table", count=len(findings_list) - MAX_LISTED))
        findings = plan.problems_frame(lang)
        st.dataframe(findings, hide_index=True, key="import_findings")
        st.download_button(
            frame.t("common.download_csv"),
            csv_bytes(findings),
            file_name="temuan_impor.csv",
            mime="text/csv",
            key="import_findings_csv",
        )
    if not plan.errors:
        st.subheader(frame.t("import.page.preview"))
        m = st.columns(3)
        m[0].metric(frame.t("import.col.added"), plan.count("added"))
        m[1].metric(frame.t("import.col.changed"), plan.count("changed"))
        m[2].metric(frame.t("import.col.unchanged"), plan.count("unchanged"))
        st.dataframe(plan.changes_frame(lang), hide_index=True, key="import_changes")
        if plan.recomputed:
            st.markdown(f"**{frame.t('import.page.recomputed')}**")
            st.caption(frame.t("import.page.recomputed_help"))
            st.dataframe(plan.recomputed_frame(lang), hide_index=True, key="import_recomputed")

        for warning in plan.warnings:
            if warning.code == "incomplete_levels":  # true wording: "46 of 47 levels imported"
                st.warning(md_escape(warning.detail(lang)), icon=":material/rule:")
        official = [p for p in plan.confirmations if p.code == "official_conflict"]
        mismatch = [p for p in plan.confirmations if p.code == "index_mismatch"]
        confirmed = confirmed_index = True
        if official:
            st.warning(frame.t("import.page.confirm_official_needed"), icon=":material/warning:")
            confirmed = st.checkbox(frame.t("import.page.confirm_official", count=len(official)), key="import_confirm_official")
        if mismatch:
            st.warning(frame.t("import.page.confirm_index_needed"), icon=":material/warning:")
            confirmed_index = st.checkbox(frame.t("import.page.confirm_index", count=len(mismatch)), key="import_confirm_index")
        nothing = not plan.count("added") and not plan.count("changed")
        if nothing:
            st.info(frame.t("import.page.no_changes"))
        ready = confirmed and confirmed_index
        if st.button(frame.t("import.page.apply"), type="primary", disabled=nothing or not ready, key="import_apply"):
            result = importer.apply_plan(  # the plan previewed above: the file is not read again
                plan,
                current_admin() or "-",
                confirm_official=bool(official) and confirmed,
                expected_base=plan.base_version,
                confirm_index=bool(mismatch) and confirmed_index,
            )
            if result.ok:
                st.session_state["import_flash"] = frame.t(
                    "import.page.applied", version=result.version, added=result.rows_added, changed=result.rows_changed
                )
                st.session_state["import_upload_generation"] = generation + 1
                st.session_state.pop("import_plan", None)
                st.rerun()
            st.error(frame.t("import.page.apply_failed"))
            for problem in result.problems:
                st.text(problem.message(lang))
            if any(p.code == "changed_since_preview" for p in result.problems):
                st.session_state.pop("import_plan", None)  # the next run previews against the data served now

# -- rollback and history ------------------------------------------------------------------------------
st.divider()
st.subheader(frame.t("import.page.rollback"))
possible, target = importer.rollback_target()
if not possible:
    st.caption(frame.t("import.page.nothing_to_roll_back"))
else:
    target_label = target or frame.t("import.seeds_only")
    st.caption(frame.t("import.page.rollback_help", target=target_label))
    sure = st.checkbox(frame.t("import.page.rollback_confirm", target=target_label), key="import_rollback_sure")
    if st.button(frame.t("import.page.rollback_button"), disabled=not sure, key="import_rollback"):
        result = importer.rollback(current_admin() or "-")
        if result.ok:
            st.session_state["import_flash"] = frame.t(
                "import.page.rolled_back", version=result.version or frame.t("import.seeds_only")
            )
            st.session_state.pop("import_rollback_sure", None)
            st.session_state.pop("import_plan", None)
            st.rerun()
        for problem in result.problems:
            st.error(md_escape(problem.message(lang)))

with st.expander(frame.t("import.page.history"), expanded=False):
    history = importer.history_frame(lang)
    if history.empty:
        st.caption(frame.t("import.page.no_history"))
    else:
        st.markdown(f"**{frame.t('import.page.versions')}**")
        st.dataframe(history, hide_index=True, key="import_history")
        st.markdown(f"**{frame.t('import.page.audit')}**")
        st.dataframe(importer.audit_frame(lang), hide_index=True, key="import_audit")
