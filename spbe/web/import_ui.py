"""The Impor page's template downloads (no sign-in needed): the 59/2020 and 8/2026 templates with their
instructions. Streamlit widgets only; the templates themselves are spbe.imports.templates."""

from __future__ import annotations

from functools import partial

import streamlit as st

from spbe.core.frameworks import frameworks
from spbe.imports import importer
from spbe.imports.templates import DEFAULT_FRAMEWORK, PEMDI_FRAMEWORK, instruction_lines, template_csv, template_xlsx


def template_downloads(frame) -> None:
    lang = frame.lang
    fw = frameworks()[DEFAULT_FRAMEWORK]
    with st.expander(frame.t("import.page.templates"), expanded=False):
        st.caption(frame.t("import.page.templates_help", count=len(fw.indicators), framework=importer.short_regulation(fw)))
        cols = st.columns(4)
        cols[0].download_button(
            frame.t("import.page.download_xlsx"),
            template_xlsx,  # built on click, not on every rerun
            file_name="templat_impor_spbe.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="tpl_xlsx",
        )
        for col, level in zip(cols[1:], ("indicator", "domain", "index"), strict=True):
            col.download_button(
                frame.t(f"import.page.download_csv_{level}"),
                partial(template_csv, level),
                file_name=f"templat_{level}.csv",
                mime="text/csv",
                key=f"tpl_{level}",
            )
        st.markdown(f"**{frame.t('import.page.instructions')}**")
        st.text("\n".join(instruction_lines(fw, lang)))
        st.caption(frame.t("import.page.cli"))
    with st.expander(frame.t("pemdi.template.title"), expanded=False):  # PermenPANRB 8/2026 (2026 onward)
        st.caption(frame.t("pemdi.template.help"))
        pcols = st.columns(2)
        pcols[0].download_button(
            frame.t("pemdi.template.download_xlsx"),
            partial(template_xlsx, PEMDI_FRAMEWORK),
            file_name="templat_impor_indeks_pemdi_2026.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="tpl_pemdi_xlsx",
        )
        pcols[1].download_button(
            frame.t("pemdi.template.download_csv"),
            partial(template_csv, "indicator", PEMDI_FRAMEWORK),
            file_name="templat_indikator_pemdi_2026.csv",
            mime="text/csv",
            key="tpl_pemdi_csv",
        )
        st.text("\n".join(instruction_lines(frameworks()[PEMDI_FRAMEWORK], lang)))
