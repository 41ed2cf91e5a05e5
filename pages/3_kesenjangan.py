"""Analisis Kesenjangan: where the focus instansi loses index points and against whom; aspect and indicator
views when levels are held; self-assessment against the official result. Layout over spbe.models.gap_view; one
section per tab, only the open one drawn (?bagian=)."""

import streamlit as st

from spbe.charts import gap_charts
from spbe.core import gaps
from spbe.i18n import fmt_num, t
from spbe.models import gap_view as gv
from spbe.models.tables import labelled
from spbe.web.frame import page_frame
from spbe.web.ui import cached_figure, cached_model, chart_block, messages, section_tabs, term_strip

frame = page_frame("kesenjangan")
requested_reference = st.query_params.get("acuan")
lang, year, fid = frame.lang, frame.year, frame.instansi_id
reference, reference_ok = gaps.parse_reference(requested_reference)
if not reference_ok:
    expected = frame.t("gap.expected_reference", options=", ".join(gaps.REFERENCES))
    frame.warn_bad_param("acuan", str(requested_reference), expected, gaps.DEFAULT_REFERENCE)
view = cached_model(frame, "gap", lambda: gv.load_gap_view(frame))
fw = view.fw

st.title(frame.t("gap.title", name=frame.name, year=year))
term_strip(frame)  # each term's first use links to its glossary entry
st.caption(frame.t("gap.framework", year=year, regulation=fw.regulation))
if fw.verified != "yes":
    st.warning(frame.t("gap.framework_unverified"), icon=":material/warning:")
x_labels = {c: c for c in view.codes} | {"index": frame.t("gap.x_index")}
illustration = frame.t("gap.chart_illustration")


def block(fig, table, sources, key, illustrative=False):
    if illustrative:
        gap_charts.mark_illustrative(fig, illustration, frame.large)
    chart_block(fig, table, sources, lang, key=key, illustrative=illustrative)


def show_domains():  # 1. domains against benchmarks
    st.header(frame.t("gap.domains_header"))
    if view.focus_row.empty:
        return st.info(frame.t("gap.no_domain_values", name=frame.name, year=year), icon=":material/info:")
    st.markdown(frame.t("gap.domains_intro", name=frame.name))
    if view.missing_codes:
        st.warning(frame.t("gap.missing_domain", codes=", ".join(view.missing_codes), name=frame.name), icon=":material/warning:")
    bench = cached_model(frame, "gap_bench_rows", lambda: gv.benchmarks(view))  # once per view, not per rerun
    labels = gv.benchmark_labels(view, bench, frame.name, lang)
    fig = cached_figure(frame, "gap_bench", lambda: gap_charts.benchmark_figure(bench, labels, x_labels, lang, frame.large))
    sources = bench["source_ids"].dropna().tolist() + [fw.source_ids]
    block(fig, gv.benchmark_table(bench, labels, lang), sources, f"gap_bench_{fid}_{year}")
    st.markdown(gv.largest_loss_text(view, frame.name, lang))  # core.largest_gap against the peer average
    st.caption(gv.target_text(view, frame.name, lang))
    national_note = gv.national_mean_note(view, lang)  # the printed category mean differs from the mean of the rows
    if national_note:
        st.caption(national_note)


def show_waterfall():  # 2. contributions to the index gap
    st.header(frame.t("gap.waterfall_header"))
    messages(frame, [("markdown", frame.t("gap.waterfall_plain")), ("detail", frame.t("gap.waterfall_intro"))])
    options = dict(default=reference, key="gap_reference", format_func=lambda r: frame.t(f"gap.ref_{r}"))
    chosen = st.segmented_control(frame.t("gap.reference"), gaps.REFERENCES, **options) or reference
    st.query_params["acuan"] = chosen
    wf = gv.waterfall(view, chosen)
    if wf.ref_index is None or wf.focus_index is None:
        return st.info(frame.t("gap.ref_unavailable", year=year), icon=":material/info:")
    start = frame.t("gap.wf_reference", label=frame.t(f"gap.ref_{chosen}"), value=fmt_num(wf.ref_index, lang))
    end = frame.t("gap.wf_focus", name=frame.name, value=fmt_num(wf.focus_index, lang))
    fig = gap_charts.waterfall_figure(wf.contrib, start, end, wf.ref_index, wf.focus_index, x_labels, lang, frame.large)
    block(fig, gv.contrib_table(wf, lang), wf.source_ids + [fw.source_ids], f"gap_waterfall_{fid}_{year}_{chosen}")


def levels_basis():  # 3. aspects and indicators: real levels (2021-2022 for every instansi evaluated, or an import)
    st.header(frame.t("gap.indicators_header"))
    basis = gaps.level_basis(view.level_rows_all, year)
    if basis is None:
        st.info(frame.t("gap.no_indicators", name=frame.name), icon=":material/info:")
        link = dict(label=frame.t("gap.import_link"), icon=":material/upload_file:", query_params=frame.url_params())
        st.page_link("pages/7_impor.py", **link)
        return None
    assessments = gv.assessments_held(view)
    if len(assessments) > 1:
        label, fmt = frame.t("gap.assessment_pick"), lambda a: t(f"assessment.{a}", lang)
        pick = st.segmented_control(label, assessments, default=basis.assessment, key="gap_assessment", format_func=fmt)
        basis = gaps.level_basis(view.level_rows_all, year, pick or basis.assessment)
    st.caption(gv.levels_caption(basis, lang))
    if not basis.same_year:
        held = ", ".join(str(y) for y in basis.years_held)
        st.info(frame.t("gap.levels_other_year", year=year, basis=basis.year, held=held), icon=":material/info:")
    return basis


def show_indicators():
    if (basis := levels_basis()) is None:
        return
    levels, illustrative, sources = basis.levels, basis.illustrative, list(basis.source_ids)
    tail = f"{fid}_{basis.year}_{basis.assessment}"
    aspects = gaps.aspect_values(fw, levels, lang)
    st.subheader(frame.t("gap.aspect_title", year=basis.year))
    fig = gap_charts.aspect_bars_figure(aspects, lang, frame.large)
    block(fig, labelled(aspects, gv.ASPECT_COLUMNS, lang), sources, f"gap_aspects_{tail}", illustrative)
    lost = gaps.indicator_points_lost(fw, levels, lang)
    st.subheader(frame.t("gap.lost_title", year=basis.year))
    st.markdown(frame.t("gap.lost_intro", top=fw.level_max))
    if not lost.empty:
        fig = gap_charts.points_lost_figure(lost, frame.t("gap.lost_x"), lang, frame.large, top=15)
        block(fig, labelled(lost, gv.LOST_COLUMNS, lang), sources, f"gap_lost_{tail}", illustrative)
        if basis.complete:
            st.caption(gv.lost_total_text(lost, basis, lang))


def show_level_history():
    if (basis := levels_basis()) is None:
        return
    assessment, illustrative, sources = basis.assessment, basis.illustrative, list(basis.source_ids)
    change = gv.level_change(view, basis)  # what changed from the previous year with levels
    if change is not None:
        wf_fw, previous, after = basis.framework, basis.previous_year, basis.year
        st.subheader(frame.t("gap.change_title", before=previous, after=after))
        st.markdown(gv.change_intro(change, frame.name, previous, after, lang))
        group_labels = {"others_gain": frame.t("gap.others_gain"), "others_loss": frame.t("gap.others_loss")}
        ends = frame.t("gap.change_start", year=previous), frame.t("gap.change_end", year=after)
        fig = gap_charts.indicator_waterfall_figure(change, wf_fw, *ends, group_labels, lang, frame.large)
        table = gv.change_table(change, wf_fw, previous, after, group_labels, lang)
        block(fig, table, sources, f"gap_change_{fid}_{previous}_{after}_{assessment}", illustrative)
        if change.grouped:
            st.caption(frame.t("gap.change_grouped", grouped=change.grouped, changed=change.changed, shown=change.max_bars - 2))
        st.caption(frame.t("gap.change_rounding"))
    matrix = gaps.indicator_year_matrix(fw, view.level_rows[view.level_rows["year"] <= year], assessment, lang)
    if not matrix.empty:  # every indicator, every year
        st.subheader(frame.t("gap.heatmap_title"))
        fig = gap_charts.heatmap_figure(matrix, fw, lang, frame.large)
        block(fig, matrix, sources, f"gap_heatmap_{fid}_{assessment}", illustrative)


def show_self_check():  # 4. self-assessment against the official result
    st.header(frame.t("gap.self_header"))
    check = gv.self_check(view)
    names = t("assessment.official", lang), t("assessment.self_assessment", lang)
    if check.index_pairs.empty:
        st.info(frame.t("gap.self_none", name=frame.name), icon=":material/info:")
    else:
        for line in gv.index_pair_lines(check.index_pairs, lang):
            st.markdown(line)
        pairs = check.index_pairs.assign(item=check.index_pairs["year"].astype(str))
        fig = gap_charts.dumbbell_figure(pairs, "item", *names, lang, frame.large, x_range=(fw.level_min, fw.level_max))
        block(fig, labelled(check.index_pairs, gv.INDEX_PAIR_COLUMNS, lang), check.index_sources, f"gap_self_index_{fid}")
    if not check.has_detail:
        if not check.index_pairs.empty:
            st.caption(frame.t("gap.self_no_detail", name=frame.name, year=year))
        return
    if not check.domain_pairs.empty:
        st.subheader(frame.t("gap.self_domains_title", year=year))
        fig = gap_charts.dumbbell_figure(check.domain_pairs, "domain_code", *names, lang, frame.large)
        table = labelled(check.domain_pairs, gv.DOMAIN_PAIR_COLUMNS, lang)
        block(fig, table, check.domain_sources, f"gap_self_domains_{fid}_{year}")
    if check.level_pairs is not None and not check.level_pairs.empty:
        st.subheader(frame.t("gap.self_levels_title", year=year))
        shown = gaps.dumbbell_labels(fw, check.level_pairs, lang)
        fig = gap_charts.dumbbell_figure(shown, "label", *names, lang, frame.large)
        table = gv.level_pair_table(check.level_pairs, lang)
        block(fig, table, check.level_sources, f"gap_self_levels_{fid}_{year}", check.illustrative)
    for line in gv.calibration_lines(check.summary, lang):
        st.markdown(line)


parts = {"gap.tab_domains": show_domains} | ({} if view.focus_row.empty else {"gap.tab_waterfall": show_waterfall})
parts |= {"gap.tab_indicators": show_indicators, "gap.tab_level_history": show_level_history}
section_tabs(lang, "bagian", parts | {"gap.tab_self": show_self_check})
