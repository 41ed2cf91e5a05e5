"""Streamlit pieces every chart uses: the chart itself, its data table, downloads and source note."""

from __future__ import annotations

import html
from collections.abc import Callable
from contextlib import contextmanager

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from spbe import charts
from spbe.core.frameworks import Framework
from spbe.export import csv_bytes, xlsx_bytes
from spbe.i18n import LANGS, t
from spbe.models import glossary as gl
from spbe.models.tables import predikat_in_language, readable
from spbe.safe_text import md_escape
from spbe.store import db


def view_key(frame) -> tuple:
    """What a page model or figure of the frame's view depends on: the URL's view and the store version read."""
    return (frame.lang, frame.instansi_id, frame.year, frame.peer_mode, tuple(frame.peer_ids), frame.large, db.pinned_version())


@st.cache_data(max_entries=64, show_spinner=False)
def _model(name: str, key: tuple, _build):
    return _build()


# Perbandingan's model holds every year's rows of every instansi (~2 MB pickled at shipped scale, ten times that at
# x10): fewer of those are kept, so the cache stays well inside a replica's memory limit.
@st.cache_data(max_entries=8, show_spinner=False)
def _big_model(name: str, key: tuple, _build):
    return _build()


@st.cache_resource(max_entries=128, show_spinner=False)
def _figure(name: str, key: tuple, _build):
    return _build()


def cached_model(frame, name: str, build: Callable, big: bool = False):
    """build() once per view (view_key) and name; every later run of the same view, in any session, gets a copy
    (st.cache_data), so a page that changes what it gets cannot change what another session sees. big: a model
    of several MB (few are kept)."""
    return (_big_model if big else _model)(name, view_key(frame), build)


def cached_figure(frame, name: str, build: Callable) -> go.Figure:
    """A figure built once per view and name, shared by every session without copying (st.cache_resource):
    st.plotly_chart only reads it; whoever gets one must not change it (build the change into build())."""
    return _figure(name, view_key(frame), lambda: charts.fit_margins(build()))


def source_note(source_ids, lang: str) -> str:
    """One line naming the documents behind a chart (ids as in data/sources.csv, ';' or list)."""
    if isinstance(source_ids, str):
        source_ids = source_ids.split(";")
    ids = list(dict.fromkeys(s.strip() for group in source_ids for s in str(group).split(";") if s and s.strip()))
    if len(ids) > 3:  # a many-peer chart: one line of ids, the titles are on the Sources page
        return f"{t('common.source', lang)}: " + t("common.source_many", lang, ids=", ".join(ids))
    sources = db.run("source_list").set_index("source_id")
    parts = []
    for sid in ids:
        if sid in sources.index:
            row = sources.loc[sid]
            parts.append(f"{sid}: {row['title']} ({row['publisher']}, {row['date']})")
        else:
            parts.append(sid)
    return f"{t('common.source', lang)}: " + "; ".join(parts)


def chart_block(fig: go.Figure, data: pd.DataFrame, source_ids, lang: str, key: str, illustrative: bool = False) -> None:
    """A chart with its source note and, on request, its table view and the CSV/Excel download of exactly the
    data shown (one control per chart: the table and the downloads are drawn only while it is open)."""
    if illustrative:
        st.warning(t("common.illustration_banner", lang), icon=":material/science:")
    # Figures from cached_figure are fitted when built; any other is fitted here (a no-op on a fitted figure).
    st.plotly_chart(
        charts.fit_margins(fig),
        key=f"chart_{key}",
        config={"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2, "filename": key}},
    )
    st.caption(html.escape(source_note(source_ids, lang)))
    with lazy_expander(t("common.show_table", lang), key=f"table_{key}") as shown:
        if shown:
            st.dataframe(readable(data, lang), hide_index=True)
            table_downloads(data, lang, key)


@contextmanager
def lazy_expander(label: str, key: str):
    """An expander whose content runs only while it is open (Streamlit reruns the page when it opens or closes).
    Yields whether it is open; content written under `if open:` costs nothing, server or browser, when closed."""
    box = st.expander(label, key=key, on_change="rerun")
    with box:
        yield bool(box.open)


def section_tabs(lang: str, key: str, parts: dict[str, Callable[[], None]]) -> None:
    """A page's sections as tabs ({label key: function drawing the section}), of which only the open one is
    drawn; the open tab is bound to the URL parameter `key`, so a copied link opens the same tab.

    The URL holds the open tab's label, which depends on the language: after a language switch the label of the
    other language is carried over to the same tab in the new one, so the reader stays on the section."""
    label_keys = list(parts)
    labels = [t(k, lang) for k in label_keys]
    # Session state outlives a page switch: the tab open on the page before (Kesenjangan's "Domain") would open
    # the same-labelled tab here (Tren's "Domain") and be written into this page's URL. Its owner says whose it is.
    owner, page_tabs = f"_{key}_page", "|".join(label_keys)
    if st.session_state.get(owner) != page_tabs:
        if key in st.session_state:
            del st.session_state[key]
        st.session_state[owner] = page_tabs
    current = st.session_state.get(key) or st.query_params.get(key)
    if current and current not in labels:
        for other in LANGS:
            theirs = [t(k, other) for k in label_keys]
            if current in theirs:
                st.session_state[key] = labels[theirs.index(current)]
                break
    for draw, tab in zip(parts.values(), st.tabs(labels, key=key, bind="query-params"), strict=True):
        if tab.open:
            with tab:
                draw()


def table_downloads(data: pd.DataFrame, lang: str, key: str) -> None:
    """CSV and Excel of exactly the table given, in one row (the workbook is built only when asked for)."""
    data = predikat_in_language(data, lang)
    with st.container(horizontal=True):
        st.download_button(
            t("common.download_csv", lang),
            csv_bytes(data),
            file_name=f"{key}.csv",
            mime="text/csv",
            key=f"csv_{key}",
            icon=":material/download:",
        )
        # The workbook is built only when asked for: it costs ~50 ms per chart on every rerun otherwise.
        st.download_button(
            t("common.download_xlsx", lang),
            lambda: xlsx_bytes(data),
            file_name=f"{key}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"xlsx_{key}",
            icon=":material/download:",
        )


def whatif_grid_config(fw: Framework, lang: str) -> dict:
    """The what-if editor's column configuration (Simulasi)."""
    return {
        "indicator_code": st.column_config.TextColumn(t("simulate.col_indicator", lang)),
        "indicator_name": st.column_config.TextColumn(t("simulate.col_indicator_name", lang), width="large"),
        "aspect_code": st.column_config.TextColumn(t("simulate.col_aspect", lang)),
        "level": st.column_config.NumberColumn(t("simulate.col_level", lang)),
        "new_level": st.column_config.NumberColumn(
            t("simulate.col_new_level", lang), min_value=fw.level_min, max_value=fw.level_max, step=1, required=True
        ),
    }


def term_strip(frame) -> None:
    """'Istilah: indeks · predikat · ...' under the page's title: the first use of each term on the page links
    to its glossary entry (a new tab that keeps this view's URL parameters)."""
    links = gl.page_terms(frame.page, frame.year, frame.lang)
    if not links:
        return
    params = frame.url_params()
    parts = [f"[{md_escape(link.label)}]({gl.href(params, link.anchor)})" for link in links]
    st.caption(f"{frame.t('glossary.strip')}: " + " · ".join(parts), help=frame.t("glossary.strip_help"))


ICONS = {
    "success": ":material/check_circle:",
    "warning": ":material/warning:",
    "error": ":material/error:",
    "info": ":material/info:",
}


def messages(frame, items: list[tuple[str, str]], rule: str | None = None) -> None:
    """(kind, text) lines in plain words, each as its Streamlit element (success, warning, caption, markdown, ...);
    the "detail" ones (exact values, method; and `rule`) together in one closed "Detail teknis" expander."""
    details = [text for kind, text in items if kind == "detail"] + ([rule] if rule else [])
    for kind, text in items:
        if kind != "detail":
            getattr(st, kind)(text, **({"icon": ICONS[kind]} if kind in ICONS else {}))
    if details:
        with st.expander(frame.t("common.technical_detail"), icon=":material/calculate:"):
            for text in details:
                st.caption(text)
