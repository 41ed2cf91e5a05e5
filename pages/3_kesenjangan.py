"""Analisis Kesenjangan: where the focus instansi loses index points and against whom; aspect and indicator
views when levels were imported; self-assessment against the official result. Layout only: logic in spbe.gaps."""

import streamlit as st

from spbe import core, db, gap_charts, gaps, scoring, simulate
from spbe.frame import instansi_table, page_frame, peer_ids_for
from spbe.frameworks import framework_for_year
from spbe.i18n import fmt_delta, fmt_num, t
from spbe.ui import chart_block

frame = page_frame("kesenjangan")
requested_reference = st.query_params.get("acuan")
lang, year = frame.lang, frame.year
fw = framework_for_year(year)
reference, reference_ok = gaps.parse_reference(requested_reference)
if not reference_ok:
    frame.warn_bad_param(
        "acuan",
        str(requested_reference),
        frame.t("gap.expected_reference", options=", ".join(gaps.REFERENCES)),
        gaps.DEFAULT_REFERENCE,
    )

st.title(frame.t("gap.title", name=frame.name, year=year))
st.caption(frame.t("gap.framework", year=year, regulation=fw.regulation))
if fw.verified != "yes":
    st.warning(frame.t("gap.framework_unverified"), icon=":material/warning:")

focus = frame.instansi | {"instansi_id": frame.instansi_id}
category_label = t(f"category.{focus['category']}", lang)
province = focus.get("province") or frame.t("gap.no_province")
table = gaps.domain_table(db.run("gap_domain_values", year=year, assessment="official"))
peer_ids = peer_ids_for(frame, instansi_table())
printed = db.run("year_national_results", year=year)
targets = db.run("targets_for", instansi_id=frame.instansi_id)
target = gaps.own_target(targets, frame.instansi_id, year)
codes = [i.code for i in fw.top_level]
x_labels = {c: c for c in codes} | {"index": frame.t("gap.x_index")}
focus_in_year = table[table["instansi_id"] == frame.instansi_id]

# -- 1. domains against benchmarks -----------------------------------------------------------------
st.header(frame.t("gap.domains_header"))
if focus_in_year.empty:
    st.info(frame.t("gap.no_domain_values", name=frame.name, year=year), icon=":material/info:")
else:
    st.markdown(frame.t("gap.domains_intro", name=frame.name))
    missing = [c for c in codes if gaps.is_missing(focus_in_year.iloc[0].get(c))]
    if missing:
        st.warning(frame.t("gap.missing_domain", codes=", ".join(missing), name=frame.name), icon=":material/warning:")
    bench = gaps.benchmarks(
        fw,
        table,
        focus,
        peer_ids,
        printed,
        target=target["value"] if target else None,
        target_source=target["source_id"] if target else None,
    )
    leader = bench.loc[bench["benchmark"] == "pemimpin", "label"].dropna()
    labels = {
        "focus": frame.name,
        "pembanding": frame.t("gap.bench_pembanding"),
        "kategori_provinsi": frame.t("gap.bench_kategori_provinsi", category=category_label, province=province),
        "provinsi": frame.t("gap.bench_provinsi", province=province),
        "nasional": frame.t("gap.bench_nasional", category=category_label),
        "pemimpin": frame.t("gap.bench_pemimpin", leader=leader.iloc[0] if len(leader) else "–"),
        "target": frame.t("gap.bench_target"),
    }
    fig = gap_charts.benchmark_figure(bench, labels, x_labels, lang, frame.large)
    shown = gaps.benchmark_display(
        bench,
        labels,
        lambda how, n: frame.t(f"gap.how_{how}", n=n),
        {
            "benchmark": frame.t("gap.col_benchmark"),
            "domain_code": frame.t("gap.col_domain"),
            "value": frame.t("gap.col_value"),
            "n": frame.t("gap.col_rows"),
            "how": frame.t("gap.col_how"),
            "source_ids": frame.t("gap.col_source"),
        },
    )
    chart_block(
        fig, shown, bench["source_ids"].dropna().tolist() + [fw.source_ids], lang, key=f"gap_bench_{frame.instansi_id}_{year}"
    )
    if target:
        st.caption(
            frame.t(
                "gap.target_note", name=frame.name, year=year, value=fmt_num(target["value"], lang), source=target["source_id"]
            )
        )
    else:
        held = gaps.targets_held(targets, frame.instansi_id)
        st.caption(
            frame.t(
                "gap.no_target",
                name=frame.name,
                year=year,
                held=", ".join(f"{y}: {fmt_num(v, lang)}" for y, v in held) or frame.t("gap.no_target_any"),
            )
        )

    # -- 2. contributions to the index gap ------------------------------------------------------------
    st.header(frame.t("gap.waterfall_header"))
    st.markdown(frame.t("gap.waterfall_intro"))
    reference = (
        st.segmented_control(
            frame.t("gap.reference"),
            gaps.REFERENCES,
            default=reference,
            key="gap_reference",
            format_func=lambda r: frame.t(f"gap.ref_{r}"),
        )
        or reference
    )
    st.query_params["acuan"] = reference
    ref = gaps.reference_domains(fw, table, focus, peer_ids, printed, reference)
    focus_values = {c: focus_in_year.iloc[0].get(c) for c in codes}
    contrib = gaps.gap_contributions(fw, focus_values, ref["values"])
    ref_index, focus_index = gaps.computed_index(fw, ref["values"]), gaps.computed_index(fw, focus_values)
    ref_name = labels.get(reference) if reference != "pemimpin" else labels["pemimpin"]
    if ref_index is None or focus_index is None:
        st.info(frame.t("gap.ref_unavailable", year=year), icon=":material/info:")
    else:
        fig = gap_charts.waterfall_figure(
            contrib,
            frame.t("gap.wf_reference", label=frame.t(f"gap.ref_{reference}"), value=fmt_num(ref_index, lang, 3)),
            frame.t("gap.wf_focus", name=frame.name, value=fmt_num(focus_index, lang, 3)),
            ref_index,
            focus_index,
            x_labels,
            lang,
            frame.large,
        )
        shown = contrib.rename(
            columns={
                "domain_code": frame.t("gap.col_domain"),
                "weight_pct": frame.t("gap.col_weight"),
                "focus": frame.t("gap.col_focus"),
                "reference": frame.t("gap.col_reference"),
                "gap": frame.t("gap.col_gap"),
                "contribution": frame.t("gap.col_contribution"),
            }
        ).drop(columns=["name_en" if lang == "id" else "name_id"])
        chart_block(
            fig, shown, ref["source_ids"] + [fw.source_ids], lang, key=f"gap_waterfall_{frame.instansi_id}_{year}_{reference}"
        )
        loss = gaps.largest_loss(contrib)
        if loss is not None:
            st.markdown(
                frame.t(
                    "gap.largest_loss",
                    domain=loss["domain_code"],
                    name=loss["name_en"] if lang == "en" else loss["name_id"],
                    points=fmt_delta(loss["contribution"], lang, 3),
                    reference=ref_name,
                )
            )
        else:
            st.markdown(frame.t("gap.no_loss", name=frame.name, reference=ref_name))

# -- 3. aspects and indicators: real levels (2021-2022 for every instansi evaluated, or a region's import) --
st.header(frame.t("gap.indicators_header"))
all_level_rows = db.run("indicator_levels", instansi_id=frame.instansi_id)
level_rows = all_level_rows[all_level_rows["framework_id"] == fw.framework_id]
basis = gaps.level_basis(all_level_rows, year)
if basis is None:
    st.info(frame.t("gap.no_indicators", name=frame.name), icon=":material/info:")
    st.page_link(
        "pages/7_impor.py", label=frame.t("gap.import_link"), icon=":material/upload_file:", query_params=frame.url_params()
    )
else:
    held = level_rows[level_rows["year"] <= year]
    assessments = simulate.ordered_assessments(held["assessment"].unique().tolist())
    if len(assessments) > 1:
        assessment = (
            st.segmented_control(
                frame.t("gap.assessment_pick"),
                assessments,
                default=basis.assessment,
                key="gap_assessment",
                format_func=lambda a: t(f"assessment.{a}", lang),
            )
            or basis.assessment
        )
        basis = gaps.level_basis(all_level_rows, year, assessment)
    assessment, levels, illustrative = basis.assessment, basis.levels, basis.illustrative
    sources = list(basis.source_ids)
    assessment_name = t(f"assessment.{assessment}", lang)
    trust = frame.t(f"core.provenance_{basis.provenance}") if basis.provenance in core.PROVENANCES else None
    st.caption(
        frame.t(
            "gap.levels_source",
            assessment=assessment_name,
            year=basis.year,
            sources=", ".join(sources) or "–",
            trust=trust or frame.t("gap.trust_unknown"),
        )
    )
    if not basis.same_year:
        st.info(
            frame.t("gap.levels_other_year", year=year, basis=basis.year, held=", ".join(str(y) for y in basis.years_held)),
            icon=":material/info:",
        )
    index_from_levels = scoring.index_from_levels(fw, levels).value if basis.complete else None

    # aspects
    aspects = gaps.aspect_values(fw, levels, lang)
    st.subheader(frame.t("gap.aspect_title", year=basis.year))
    fig = gap_charts.aspect_bars_figure(aspects, lang, frame.large)
    if illustrative:
        gap_charts.mark_illustrative(fig, frame.t("gap.chart_illustration"), frame.large)
    chart_block(
        fig,
        aspects.rename(
            columns={
                "aspect_code": frame.t("gap.col_aspect"),
                "domain_code": frame.t("gap.col_domain"),
                "name": frame.t("gap.col_name"),
                "weight_pct": frame.t("gap.col_weight"),
                "value": frame.t("gap.col_aspect_value"),
                "missing": frame.t("gap.col_missing"),
                "points_lost": frame.t("gap.col_points_lost"),
            }
        ),
        sources,
        lang,
        key=f"gap_aspects_{frame.instansi_id}_{basis.year}_{assessment}",
        illustrative=illustrative,
    )

    # points lost per indicator
    lost = gaps.indicator_points_lost(fw, levels, lang)
    st.subheader(frame.t("gap.lost_title", year=basis.year))
    st.markdown(frame.t("gap.lost_intro", top=fw.level_max))
    if not lost.empty:
        fig = gap_charts.points_lost_figure(lost, frame.t("gap.lost_x"), lang, frame.large, top=15)
        if illustrative:
            gap_charts.mark_illustrative(fig, frame.t("gap.chart_illustration"), frame.large)
        chart_block(
            fig,
            lost.rename(
                columns={
                    "indicator_code": frame.t("gap.col_indicator"),
                    "label": frame.t("gap.col_short_name"),
                    "indicator_name": frame.t("gap.col_name"),
                    "aspect_code": frame.t("gap.col_aspect"),
                    "aspect_name": frame.t("gap.col_aspect_name"),
                    "domain_code": frame.t("gap.col_domain"),
                    "domain_name": frame.t("gap.col_domain_name"),
                    "weight_pct": frame.t("gap.col_weight"),
                    "level": frame.t("gap.col_level"),
                    "level_name": frame.t("gap.col_level_name"),
                    "points_lost": frame.t("gap.col_points_lost"),
                }
            ),
            sources,
            lang,
            key=f"gap_lost_{frame.instansi_id}_{basis.year}_{assessment}",
            illustrative=illustrative,
        )
        if index_from_levels is not None:
            st.caption(
                frame.t(
                    "gap.lost_total",
                    n=min(15, len(lost)),
                    total=fmt_num(lost["points_lost"].sum(), lang, 3),
                    top=fw.level_max,
                    index=fmt_num(index_from_levels, lang, 3),
                )
            )

    # what changed from the previous year with levels
    previous = basis.previous_year
    if previous is not None and basis.complete:
        before = gaps.levels_for(level_rows, previous, assessment)
        wf_fw = basis.framework
        if all(i.code in before for i in wf_fw.indicators):
            wf = gaps.indicator_change_waterfall(wf_fw, before, levels)
            st.subheader(frame.t("gap.change_title", before=previous, after=basis.year))
            st.markdown(
                frame.t(
                    "gap.change_intro",
                    name=frame.name,
                    before=previous,
                    after=basis.year,
                    start=fmt_num(wf.start, lang, 4),
                    end=fmt_num(wf.end, lang, 4),
                    start_printed=fmt_num(wf.start, lang),
                    end_printed=fmt_num(wf.end, lang),
                    delta=fmt_delta(wf.delta, lang, 3),
                    changed=wf.changed,
                )
            )
            group_labels = {"others_gain": frame.t("gap.others_gain"), "others_loss": frame.t("gap.others_loss")}
            fig = gap_charts.indicator_waterfall_figure(
                wf,
                wf_fw,
                frame.t("gap.change_start", year=previous),
                frame.t("gap.change_end", year=basis.year),
                group_labels,
                lang,
                frame.large,
            )
            if illustrative:
                gap_charts.mark_illustrative(fig, frame.t("gap.chart_illustration"), frame.large)
            wf_table = wf.table(wf_fw, lang)
            wf_table["label"] = [
                group_labels[k].format(n=len(c.split(", "))) if k in group_labels else lab
                for k, lab, c in zip(wf_table["key"], wf_table["label"], wf_table["indicators"], strict=True)
            ]
            chart_block(
                fig,
                wf_table.drop(columns="key").rename(
                    columns={
                        "indicators": frame.t("gap.col_indicator"),
                        "label": frame.t("gap.col_short_name"),
                        "indicator_name": frame.t("gap.col_name"),
                        "aspect_code": frame.t("gap.col_aspect"),
                        "domain_code": frame.t("gap.col_domain"),
                        "level_before": frame.t("gap.col_level_year", year=previous),
                        "level_after": frame.t("gap.col_level_year", year=basis.year),
                        "points": frame.t("gap.col_points_change"),
                    }
                ),
                sources,
                lang,
                key=f"gap_change_{frame.instansi_id}_{previous}_{basis.year}_{assessment}",
                illustrative=illustrative,
            )
            if wf.grouped:
                st.caption(frame.t("gap.change_grouped", grouped=wf.grouped, changed=wf.changed, shown=wf.max_bars - 2))
            st.caption(frame.t("gap.change_rounding"))

    # every indicator, every year
    matrix = gaps.indicator_year_matrix(fw, level_rows[level_rows["year"] <= year], assessment, lang)
    if not matrix.empty:
        st.subheader(frame.t("gap.heatmap_title"))
        fig = gap_charts.heatmap_figure(matrix, fw, lang, frame.large)
        if illustrative:
            gap_charts.mark_illustrative(fig, frame.t("gap.chart_illustration"), frame.large)
        chart_block(
            fig,
            matrix,
            sources,
            lang,
            key=f"gap_heatmap_{frame.instansi_id}_{assessment}",
            illustrative=illustrative,
        )

# -- 4. self-assessment against the official result --------------------------------------------------
st.header(frame.t("gap.self_header"))
trend = db.run("index_trend", instansi_id=frame.instansi_id)
index_pairs = gaps.self_vs_official_index(trend)
if index_pairs.empty:
    st.info(frame.t("gap.self_none", name=frame.name), icon=":material/info:")
else:
    for r in index_pairs.itertuples():
        direction = "over" if r.difference > 0 else ("under" if r.difference < 0 else "equal")
        st.markdown(
            frame.t(
                "gap.self_index_summary",
                year=r.year,
                own=fmt_num(r.self_assessment, lang),
                official=fmt_num(r.official, lang),
                difference=fmt_delta(r.difference, lang),
                direction=frame.t(f"gap.{direction}"),
            )
        )
    sources = trend.loc[trend["year"].isin(index_pairs["year"]), "source_id"].tolist()
    fig = gap_charts.dumbbell_figure(
        index_pairs.assign(item=index_pairs["year"].astype(str)),
        "item",
        t("assessment.official", lang),
        t("assessment.self_assessment", lang),
        lang,
        frame.large,
        x_range=(fw.level_min, fw.level_max),
    )
    chart_block(
        fig,
        index_pairs.rename(
            columns={
                "year": frame.t("gap.col_year"),
                "official": frame.t("gap.col_official"),
                "self_assessment": frame.t("gap.col_self"),
                "difference": frame.t("gap.col_difference"),
            }
        ),
        sources,
        lang,
        key=f"gap_self_index_{frame.instansi_id}",
    )

domain_rows = db.run("instansi_domain_values", instansi_id=frame.instansi_id)
domain_pairs = gaps.self_vs_official_domains(domain_rows)
domain_pairs = domain_pairs[domain_pairs["year"] == year]
level_pairs = gaps.self_vs_official_levels(fw, level_rows, year) if not level_rows.empty else None
pair_rows = level_rows[(level_rows["year"] == year) & level_rows["assessment"].isin(["official", "self_assessment"])]
pair_illustrative = bool((pair_rows["kind"] == "illustration").any())
if domain_pairs.empty and (level_pairs is None or level_pairs.empty):
    if not index_pairs.empty:
        st.caption(frame.t("gap.self_no_detail", name=frame.name, year=year))
else:
    columns = {
        "official": frame.t("gap.col_official"),
        "self_assessment": frame.t("gap.col_self"),
        "difference": frame.t("gap.col_difference"),
        "code": frame.t("gap.col_item"),
    }
    if not domain_pairs.empty:
        st.subheader(frame.t("gap.self_domains_title", year=year))
        fig = gap_charts.dumbbell_figure(
            domain_pairs, "domain_code", t("assessment.official", lang), t("assessment.self_assessment", lang), lang, frame.large
        )
        chart_block(
            fig,
            domain_pairs.rename(columns=columns),
            domain_rows.loc[domain_rows["year"] == year, "source_id"].dropna().unique().tolist(),
            lang,
            key=f"gap_self_domains_{frame.instansi_id}_{year}",
        )
    if level_pairs is not None and not level_pairs.empty:
        st.subheader(frame.t("gap.self_levels_title", year=year))
        fig = gap_charts.dumbbell_figure(
            gaps.dumbbell_labels(fw, level_pairs, lang),
            "label",
            t("assessment.official", lang),
            t("assessment.self_assessment", lang),
            lang,
            frame.large,
        )
        if pair_illustrative:
            gap_charts.mark_illustrative(fig, frame.t("gap.chart_illustration"), frame.large)
        chart_block(
            fig,
            level_pairs.rename(columns=columns),
            level_rows["source_id"].dropna().unique().tolist(),
            lang,
            key=f"gap_self_levels_{frame.instansi_id}_{year}",
            illustrative=bool(pair_illustrative),
        )
    summary = gaps.calibration_summary(level_pairs if level_pairs is not None and not level_pairs.empty else domain_pairs)
    if summary["n"]:
        st.markdown(
            frame.t(
                "gap.calibration",
                n=summary["n"],
                over=summary["over"],
                under=summary["under"],
                equal=summary["equal"],
                mean=fmt_delta(summary["mean_difference"], lang),
            )
        )
        if summary["largest_over"]:
            item = summary["largest_over"]
            st.markdown(
                frame.t(
                    "gap.calibration_largest",
                    code=item.get("code", item.get("domain_code")),
                    difference=fmt_delta(item["difference"], lang),
                )
            )
