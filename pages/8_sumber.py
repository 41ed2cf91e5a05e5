"""Sumber & Metodologi: frameworks, sources, caveats found in the data, and downloads. Layout only;
content from spbe/methodology.py and the query files."""

import html

import streamlit as st

from spbe import db, methodology, pemdi
from spbe import trend as tr
from spbe.compare import MIN_COVERAGE
from spbe.frame import page_frame
from spbe.i18n import fmt_num, fmt_pct

frame = page_frame("sumber")
lang = frame.lang
st.title(frame.t("page.sumber"))
st.caption(frame.t("sources.intro"))

# -- frameworks --------------------------------------------------------------------------------
st.header(frame.t("sources.frameworks_title"))
st.caption(frame.t("sources.frameworks_intro"))
frameworks = db.run("framework_list")
weights = db.run("framework_weights")
bands = db.run("predikat_band_list")
levels = db.run("level_name_list")
for fw in frameworks.itertuples():
    first, last = methodology.years_in_force(fw.first_year, fw.last_year)
    st.subheader(html.escape(fw.regulation))
    span = (
        frame.t("sources.years_in_force", first=first, last=last) if last else frame.t("sources.years_in_force_open", first=first)
    )
    state = frame.t(methodology.verified_key(fw.verified))
    st.markdown(
        f"**{span}** · {frame.t('sources.index_name')}: {html.escape(fw.index_name)} · "
        f"{frame.t('sources.structure')}: {html.escape(fw.structure)}  \n"
        f"{frame.t('sources.verified')}: **{state}** · {frame.t('common.source')}: {html.escape(fw.source_ids)}"
    )
    if fw.note:
        st.caption(f"{frame.t('sources.data_note')}: {html.escape(fw.note)}")
    left, middle, right = st.columns([4, 3, 3])
    with left:
        st.markdown(f"**{frame.t('sources.weights')}**")
        st.dataframe(methodology.weights_display(weights, fw.framework_id, lang), hide_index=True)
    with middle:
        st.markdown(f"**{frame.t('sources.bands')}**")
        st.dataframe(methodology.bands_display(bands, fw.framework_id, lang), hide_index=True)
        st.caption(frame.t("sources.band_rule_pemdi" if fw.framework_id == pemdi.FRAMEWORK_ID else "sources.band_rule"))
    with right:
        st.markdown(f"**{frame.t('sources.level_names')}**")
        own = methodology.levels_display(levels, fw.framework_id, lang)
        if own.empty:
            st.caption(frame.t("sources.no_level_names"))
        else:
            st.dataframe(own, hide_index=True)
st.markdown(f"**{frame.t('sources.years_table')}**")
years_used = methodology.framework_of_years(frame.years).drop(columns="framework_id")
years_used["verified"] = [frame.t(methodology.verified_key(v)) for v in years_used["verified"]]
years_used.columns = [frame.t("trend.col_year"), frame.t("trend.col_framework"), frame.t("sources.verified")]
st.dataframe(years_used, hide_index=True)

# -- PermenPANRB 8/2026 (Indeks Pemdi) ---------------------------------------------------------------
pfw = pemdi.framework()
st.subheader(frame.t("sources.pemdi_title"))
st.markdown(frame.t("sources.pemdi_intro"))
st.warning(frame.t("sources.pemdi_misprint"), icon=":material/report:")
left, right = st.columns([4, 5])
with left:
    st.markdown(f"**{frame.t('sources.pemdi_weights')}**")
    st.dataframe(methodology.pemdi_indicator_weights(pfw, lang), hide_index=True)
with right:
    st.markdown(f"**{frame.t('sources.pemdi_edges')}**")
    st.dataframe(methodology.pemdi_bands_display(pfw, lang), hide_index=True)
    st.caption(frame.t("sources.band_rule_pemdi"))
with st.expander(frame.t("sources.pemdi_external")):
    st.caption(frame.t("sources.pemdi_external_text"))
    st.dataframe(methodology.pemdi_external_display(pfw, lang), hide_index=True)
with st.expander(frame.t("sources.pemdi_criteria")):
    st.dataframe(methodology.pemdi_criteria_display(pfw, lang), hide_index=True)

# -- sources -----------------------------------------------------------------------------------
st.header(frame.t("sources.sources_title"))
st.caption(frame.t("sources.sources_intro"))
source_table = methodology.sources_display(db.run("source_list"), lang)
link = frame.t("sources.col_link")
st.dataframe(
    source_table,
    hide_index=True,
    height=36 * (len(source_table) + 1) + 4,
    column_config={link: st.column_config.LinkColumn(link, display_text=r"https?://(?:www\.)?([^/]+)/.*")},
)

# -- trust levels and coverage ---------------------------------------------------------------------
st.header(frame.t("sources.trust_title"))
st.caption(frame.t("sources.trust_intro"))
st.markdown("\n".join(f"- **{name}**: {text}" for name, text in methodology.trust_levels(lang)))
st.markdown(f"**{frame.t('sources.coverage_title')}**")
st.markdown("\n".join(f"- {line}" for line in methodology.seed_coverage_lines(lang)))
st.dataframe(methodology.coverage_display(db.run("provenance_coverage"), lang), hide_index=True)

# -- caveats -----------------------------------------------------------------------------------
st.header(frame.t("sources.caveats_title"))
st.markdown(f"- {frame.t('sources.caveat_indicator')}")
items = "; ".join(methodology.framework_spans(frameworks))
st.markdown(f"- {html.escape(frame.t('sources.caveat_frameworks', items=items))}")
st.markdown(f"- {frame.t('sources.caveat_ranking', pct=fmt_pct(MIN_COVERAGE * 100, lang))}")

inferred = db.run("inferred_year_results")
with st.expander(frame.t("sources.caveat_inferred", n=len(inferred))):
    st.caption(frame.t("sources.caveat_inferred_text"))
    st.dataframe(inferred, hide_index=True)
noted = db.run("noted_domain_results")
with st.expander(frame.t("sources.caveat_domain", n=len(noted))):
    st.caption(frame.t("sources.caveat_domain_text"))
    st.dataframe(noted, hide_index=True)
edges = db.run("band_edge_results")
with st.expander(frame.t("sources.caveat_edges", n=len(edges), lower=len(methodology.edge_rows_with_lower_predikat(edges)))):
    st.caption(frame.t("sources.caveat_edges_text"))
    st.dataframe(edges, hide_index=True)
with st.expander(frame.t("sources.caveat_means")):
    st.caption(frame.t("sources.caveat_means_text"))
    st.dataframe(
        db.run("category_mean_check"),
        hide_index=True,
        column_config={c: st.column_config.NumberColumn(format="%.3f") for c in ("plain_mean", "difference")},
    )
restated = tr.restatements(db.run("national_series"), db.run("national_report_means"))
if restated:
    with st.expander(frame.t("sources.caveat_restated")):
        for r in restated:
            values = ", ".join(f"{code} {fmt_num(v, lang)}" for code, v in r.other_values.items())
            text = frame.t("sources.caveat_restated_item", year=r.year, used=r.used_source, other=r.other_detail, values=values)
            st.markdown(f"- {html.escape(text)}")

# -- downloads ---------------------------------------------------------------------------------
st.header(frame.t("sources.downloads_title"))
st.caption(frame.t("sources.downloads_intro"))
downloads = (
    ("sources.download_dataset_csv", methodology.dataset_csv, "spbe_dataset.csv", "text/csv", "dl_dataset_csv"),
    (
        "sources.download_dataset_xlsx",
        methodology.dataset_xlsx,
        "spbe_dataset.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "dl_dataset_xlsx",
    ),
    ("sources.download_duckdb", methodology.store_bytes, "spbe.duckdb", "application/octet-stream", "dl_duckdb"),
)
for col, (label_key, make_bytes, name, mime, key) in zip(st.columns(3), downloads, strict=True):
    # Files are made on click (on_click="ignore": no rerun), not on every render.
    col.download_button(
        frame.t(label_key), make_bytes, file_name=name, mime=mime, key=key, on_click="ignore", icon=":material/download:"
    )
