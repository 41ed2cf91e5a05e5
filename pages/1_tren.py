"""Tren: the index over all years for the focus and its peers, and the domain trends. Layout over spbe.models.trend's page model."""

import html

import streamlit as st

from spbe.charts import MAX_PEER_LINES, domain_trend_figure, rank_history_figure, trend_figure, trend_table
from spbe.core import pemdi
from spbe.i18n import fmt_num
from spbe.models.tables import labelled
from spbe.models.trend import (
    RANK_TABLE_COLUMNS,
    domain_table_for_display,
    load_domain_trend,
    load_rank_history,
    load_trend_view,
)
from spbe.web.frame import page_frame
from spbe.web.ui import cached_figure, cached_model, chart_block, section_tabs, term_strip

frame = page_frame("tren")
lang = frame.lang
st.title(f"{frame.t('page.tren')}: {frame.name}")
term_strip(frame)  # each term's first use links to its glossary entry
if not frame.large:
    st.caption(frame.t("trend.intro", name=html.escape(frame.name)))

view = cached_model(frame, "trend", lambda: load_trend_view(frame, MAX_PEER_LINES))
if view.peer_count > MAX_PEER_LINES:
    st.info(frame.t("trend.peers_bundled", n=view.peer_count))


def show_index():  # the index over the years, the focus and its peers
    st.subheader(frame.t("trend.index_title"))
    fig = cached_figure(
        frame, "trend", lambda: trend_figure(view.history, view.national, view.targets, frame.instansi_id, lang, frame.large)
    )
    table = trend_table(view.history, view.national, view.targets, lang)
    chart_block(fig, table, view.sources, lang, key=f"tren_index_{frame.instansi_id}")
    note = pemdi.measure_note(view.history["year"], lang)
    if note:  # Indeks SPBE and Indeks Pemdi: two measures, never one line
        st.info(note)

    if not frame.large:
        st.caption(frame.t("trend.legend_note"))
        with st.expander(frame.t("trend.history_title")):
            st.markdown(frame.t("trend.history_note"))
    if view.gap_notes:
        details = "; ".join(frame.t("trend.gaps_item", name=name, years=years) for name, years in view.gap_notes)
        st.caption(html.escape(frame.t("trend.gaps_note", details=details)))
    if len(view.inferred):
        details = "; ".join(
            f"{r.instansi_name} {r.year} = {fmt_num(r.indeks, lang)} ({r.source_id})" for r in view.inferred.itertuples()
        )
        st.caption(html.escape(frame.t("trend.inferred_note", details=details)))


def show_rank():  # the rank among the category nationally, year by year
    st.subheader(frame.t("trend.rank_title", category=frame.t(f"overview.plural_{frame.instansi['category']}")))
    ranks = cached_model(frame, "trend_ranks", lambda: load_rank_history(frame, view.history))
    if ranks["claimed"].any():
        plural = frame.t(f"overview.plural_{frame.instansi['category']}")
        rank_table = labelled(ranks, RANK_TABLE_COLUMNS, lang)
        own_sources = view.history.loc[view.history["instansi_id"] == frame.instansi_id, "source_id"].tolist()
        rfig = rank_history_figure(ranks, plural, lang, frame.large)
        chart_block(rfig, rank_table, own_sources, lang, key=f"tren_rank_{frame.instansi_id}")
        if not frame.large:
            st.caption(frame.t("trend.rank_caption"))
    else:
        st.info(frame.t("trend.rank_none", name=frame.name), icon=":material/info:")


def show_domains():  # the domain values over the years
    st.subheader(frame.t("trend.domain_title"))
    dview = cached_model(frame, "trend_domains", lambda: load_domain_trend(frame))  # this tab's own model
    if dview.focus_domains.empty:
        st.info(frame.t("trend.domain_missing_focus", name=frame.name))
    dfig = domain_trend_figure(dview.domains, lang, frame.large, focus_name=frame.name)
    dtable = domain_table_for_display(dview.domains, frame.name, lang)
    chart_block(dfig, dtable, dview.domains["source_id"].tolist(), lang, key=f"tren_domain_{frame.instansi_id}")
    if not frame.large:
        st.caption(frame.t("trend.domain_intro"))
        for r in dview.restated:
            values = ", ".join(f"{code} {fmt_num(v, lang)}" for code, v in r.other_values.items())
            st.caption(frame.t("trend.domain_restated", year=r.year, used=r.used_source, other=r.other_detail, values=values))
        empty = dview.focus_domains[dview.focus_domains["value"].isna()]
        if len(empty):
            details = "; ".join(f"{r.year} {r.domain_code}: {r.note}" for r in empty.itertuples())
            st.caption(html.escape(frame.t("trend.domain_empty_cells", details=details)))


# one tab per section, only the open one drawn (?bagian=)
section_tabs(lang, "bagian", {"trend.tab_index": show_index, "trend.tab_rank": show_rank, "trend.tab_domains": show_domains})
