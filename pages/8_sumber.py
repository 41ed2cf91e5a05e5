"""Sumber & Metodologi: sources and trust levels, frameworks, caveats found in the data (one tab each), and downloads. Layout only;
content from spbe/models/methodology.py and the query files."""

import html

import streamlit as st

from spbe.core import pemdi
from spbe.i18n import fmt_num, fmt_pct
from spbe.models import methodology
from spbe.models.compare import MIN_COVERAGE
from spbe.models.tables import labelled
from spbe.web.frame import page_frame
from spbe.web.ui import lazy_expander, section_tabs, term_strip

frame = page_frame("sumber")
lang = frame.lang
st.title(frame.t("page.sumber"))
term_strip(frame)  # each term's first use links to its glossary entry
st.caption(frame.t("sources.intro"))

page = methodology.sources_page(frame)  # the same for every focus: built once per store version and language
view = page.view


def show_sources():  # where the values come from and how far each can be trusted
    st.subheader(frame.t("sources.trust_title"))
    st.caption(frame.t("sources.trust_intro"))
    st.markdown("\n".join(f"- **{name}**: {text}" for name, text in methodology.trust_levels(lang)))
    st.markdown(f"**{frame.t('sources.coverage_title')}**")
    st.markdown("\n".join(f"- {line}" for line in methodology.seed_coverage_lines(lang)))
    st.dataframe(page.coverage, hide_index=True)

    st.subheader(frame.t("sources.sources_title"))
    st.caption(frame.t("sources.sources_intro"))
    source_table = page.sources
    link = frame.t("sources.col_link")
    st.dataframe(
        source_table,
        hide_index=True,
        height=36 * (len(source_table) + 1) + 4,
        column_config={link: st.column_config.LinkColumn(link, display_text=r"https?://(?:www\.)?([^/]+)/.*")},
    )


def show_frameworks():  # the rules of each evaluation year: weights, bands, level names
    st.caption(frame.t("sources.frameworks_intro"))
    for fw in view.frameworks.itertuples():
        first, last = methodology.years_in_force(fw.first_year, fw.last_year)
        st.subheader(html.escape(fw.regulation))
        span = (
            frame.t("sources.years_in_force", first=first, last=last)
            if last
            else frame.t("sources.years_in_force_open", first=first)
        )
        state = frame.t(methodology.verified_key(fw.verified))
        st.markdown(
            f"**{span}** · {frame.t('sources.index_name')}: {html.escape(fw.index_name)} · "
            f"{frame.t('sources.structure')}: {html.escape(methodology.structure_text(fw.structure, lang))}  \n"
            f"{frame.t('sources.verified')}: **{state}** · {frame.t('common.source')}: {html.escape(fw.source_ids)}"
        )
        if fw.note:
            st.caption(f"{frame.t('sources.data_note')}: {html.escape(fw.note)}")
        left, middle, right = st.columns([4, 3, 3])
        with left:
            st.markdown(f"**{frame.t('sources.weights')}**")
            st.dataframe(page.weights[fw.framework_id], hide_index=True)
        with middle:
            st.markdown(f"**{frame.t('sources.bands')}**")
            st.dataframe(page.bands[fw.framework_id], hide_index=True)
            st.caption(frame.t("sources.band_rule_pemdi" if fw.framework_id == pemdi.FRAMEWORK_ID else "sources.band_rule"))
        with right:
            st.markdown(f"**{frame.t('sources.level_names')}**")
            own = page.levels[fw.framework_id]
            if own.empty:
                st.caption(frame.t("sources.no_level_names"))
            else:
                st.dataframe(own, hide_index=True)
    st.markdown(f"**{frame.t('sources.years_table')}**")
    years_cols = {"year": "trend.col_year", "regulation": "trend.col_framework", "verified": "sources.verified"}
    st.dataframe(labelled(page.years_used, years_cols, lang), hide_index=True)

    pfw = pemdi.framework()
    st.subheader(frame.t("sources.pemdi_title"))
    st.markdown(frame.t("sources.pemdi_intro"))
    st.warning(frame.t("sources.pemdi_misprint"), icon=":material/report:")
    left, right = st.columns([4, 5])
    with left:
        st.markdown(f"**{frame.t('sources.pemdi_weights')}**")
        st.dataframe(page.pemdi_weights, hide_index=True)
    with right:
        st.markdown(f"**{frame.t('sources.pemdi_edges')}**")
        st.dataframe(page.pemdi_bands, hide_index=True)
        st.caption(frame.t("sources.band_rule_pemdi"))
    with lazy_expander(frame.t("sources.pemdi_external"), key="sumber_more_1") as shown:
        if shown:  # drawn only when opened
            st.caption(frame.t("sources.pemdi_external_text"))
            st.dataframe(methodology.pemdi_external_display(pfw, lang), hide_index=True)
    with lazy_expander(frame.t("sources.pemdi_criteria"), key="sumber_more_2") as shown:
        if shown:  # drawn only when opened
            st.dataframe(methodology.pemdi_criteria_display(pfw, lang), hide_index=True)


def show_caveats():  # what the data itself says to keep in mind
    st.markdown(f"- {frame.t('sources.caveat_indicator')}")
    items = "; ".join(page.spans)
    st.markdown(f"- {html.escape(frame.t('sources.caveat_frameworks', items=items))}")
    st.markdown(f"- {frame.t('sources.caveat_ranking', pct=fmt_pct(MIN_COVERAGE * 100, lang))}")

    inferred, noted, edges = view.inferred, view.noted, view.edges
    with lazy_expander(frame.t("sources.caveat_inferred", n=len(inferred)), key="sumber_more_3") as shown:
        if shown:  # drawn only when opened
            st.caption(frame.t("sources.caveat_inferred_text"))
            st.dataframe(inferred, hide_index=True)
    with lazy_expander(frame.t("sources.caveat_domain", n=len(noted)), key="sumber_more_4") as shown:
        if shown:  # drawn only when opened
            st.caption(frame.t("sources.caveat_domain_text"))
            st.dataframe(noted, hide_index=True)
    with lazy_expander(
        frame.t("sources.caveat_edges", n=len(edges), lower=page.lower_edges),
        key="sumber_more_5",
    ) as shown:
        if shown:  # drawn only when opened
            st.caption(frame.t("sources.caveat_edges_text"))
            st.dataframe(edges, hide_index=True)
    with lazy_expander(frame.t("sources.caveat_means"), key="sumber_more_6") as shown:
        if shown:  # drawn only when opened
            st.caption(frame.t("sources.caveat_means_text"))
            st.dataframe(
                view.mean_check,
                hide_index=True,
                column_config={c: st.column_config.NumberColumn(format="%.3f") for c in ("plain_mean", "difference")},
            )
    if view.restated:
        with lazy_expander(frame.t("sources.caveat_restated"), key="sumber_more_7") as shown:
            if shown:  # drawn only when opened
                for r in view.restated:
                    values = ", ".join(f"{code} {fmt_num(v, lang)}" for code, v in r.other_values.items())
                    text = frame.t(
                        "sources.caveat_restated_item", year=r.year, used=r.used_source, other=r.other_detail, values=values
                    )
                    st.markdown(f"- {html.escape(text)}")


# one tab per section, only the open one drawn (?bagian=): the frameworks' dozen tables cost nothing until opened
section_tabs(
    lang,
    "bagian",
    {"sources.tab_sources": show_sources, "sources.tab_frameworks": show_frameworks, "sources.tab_caveats": show_caveats},
)

st.subheader(frame.t("sources.downloads_title"))
st.caption(frame.t("sources.downloads_intro"))
for col, (label_key, make_bytes, name, mime, key) in zip(st.columns(3), methodology.download_specs(), strict=True):
    # Files are made on click (on_click="ignore": no rerun), not on every render.
    col.download_button(
        frame.t(label_key), make_bytes, file_name=name, mime=mime, key=key, on_click="ignore", icon=":material/download:"
    )
