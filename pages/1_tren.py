"""Tren: the index over all years for the focus and its peers, and the domain trends. Layout only."""

import html

import streamlit as st

from spbe import compare, db, pemdi
from spbe import trend as tr
from spbe.charts import MAX_PEER_LINES, domain_trend_figure, trend_figure, trend_table
from spbe.frame import instansi_table, page_frame
from spbe.i18n import fmt_num
from spbe.ui import chart_block

frame = page_frame("tren")
lang = frame.lang
st.title(f"{frame.t('page.tren')}: {frame.name}")
if not frame.large:
    st.caption(frame.t("trend.intro", name=html.escape(frame.name)))

ids = compare.peer_set(frame, instansi_table())
history = db.run("index_history", instansi_ids=ids)
national = db.run("national_series")
targets = db.run("targets_for", instansi_id=frame.instansi_id)
peer_count = len(ids) - 1
if peer_count > MAX_PEER_LINES:
    st.info(frame.t("trend.peers_bundled", n=peer_count))

st.subheader(frame.t("trend.index_title"))
fig = trend_figure(history, national, targets, frame.instansi_id, lang, frame.large)
table = trend_table(history, national, targets, lang)
sources = [*history["source_id"], *national["source_id"], *targets.loc[targets["scope"] == "nasional", "source_id"]]
chart_block(fig, table, sources, lang, key=f"tren_index_{frame.instansi_id}")
if pemdi.measure_note(history["year"], lang):  # Indeks SPBE and Indeks Pemdi: two measures, never one line
    st.info(pemdi.measure_note(history["year"], lang))

if not frame.large:
    st.caption(frame.t("trend.legend_note"))
    with st.expander(frame.t("trend.history_title")):
        st.markdown(frame.t("trend.history_note"))
official = history[history["assessment"] == "official"]
named_ids = ids if peer_count <= MAX_PEER_LINES else [frame.instansi_id]
gaps = []
for iid in named_ids:
    rows = official[official["instansi_id"] == iid]
    spans = tr.missing_year_spans(rows["year"])
    if spans:
        gaps.append(frame.t("trend.gaps_item", name=rows["instansi_name"].iloc[0], years=tr.span_text(spans)))
if gaps:
    st.caption(html.escape(frame.t("trend.gaps_note", details="; ".join(gaps))))
inferred = official[official["year_attributed"].astype(bool) & official["instansi_id"].isin(named_ids)]
if len(inferred):
    details = "; ".join(f"{r.instansi_name} {r.year} = {fmt_num(r.indeks, lang)} ({r.source_id})" for r in inferred.itertuples())
    st.caption(html.escape(frame.t("trend.inferred_note", details=details)))

st.subheader(frame.t("trend.domain_title"))
focus_domains = db.run("domain_history", instansi_id=frame.instansi_id)
domains = tr.domain_trend_table(national, focus_domains, frame.name)
if focus_domains.empty:
    st.info(frame.t("trend.domain_missing_focus", name=frame.name))
dfig = domain_trend_figure(domains, lang, frame.large, focus_name=frame.name)
name_col = "domain_name_en" if lang == "en" else "domain_name_id"
dtable = domains.assign(series=[frame.t("trend.national_mean") if s == "national" else frame.name for s in domains["series"]])
dtable = dtable[["series", "year", "domain_code", name_col, "value", "framework_id", "source_id", "note"]].rename(
    columns={
        "series": frame.t("trend.col_series"),
        "year": frame.t("trend.col_year"),
        "domain_code": frame.t("trend.col_code"),
        name_col: frame.t("trend.col_domain"),
        "value": frame.t("trend.col_value"),
        "framework_id": frame.t("trend.col_framework"),
        "source_id": frame.t("common.source"),
        "note": frame.t("trend.col_note"),
    }
)
chart_block(dfig, dtable, domains["source_id"].tolist(), lang, key=f"tren_domain_{frame.instansi_id}")
if not frame.large:
    st.caption(frame.t("trend.domain_intro"))
    for r in tr.restatements(national, db.run("national_report_means")):
        values = ", ".join(f"{code} {fmt_num(v, lang)}" for code, v in r.other_values.items())
        st.caption(frame.t("trend.domain_restated", year=r.year, used=r.used_source, other=r.other_detail, values=values))
    empty = focus_domains[focus_domains["value"].isna()]
    if len(empty):
        details = "; ".join(f"{r.year} {r.domain_code}: {r.note}" for r in empty.itertuples())
        st.caption(html.escape(frame.t("trend.domain_empty_cells", details=details)))
