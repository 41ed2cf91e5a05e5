"""Ikhtisar (overview): where the focus instansi stands, on one screen. Layout only; logic in spbe/overview.py."""

import html

import streamlit as st

from spbe import db
from spbe.charts import predikat_label, sparkline_figure
from spbe.frame import instansi_table, page_frame
from spbe.i18n import fmt_num, t
from spbe.overview import build_overview, key_messages, metric_delta
from spbe.ui import chart_block

frame = page_frame("ikhtisar")
lang = frame.lang
st.title(f"{frame.t('page.ikhtisar')}: {frame.name}")

instansi = instansi_table()
history = db.run("index_history", instansi_ids=[frame.instansi_id])
targets = db.run("targets_for", instansi_id=frame.instansi_id)
sources = set(db.run("source_list")["source_id"])
official_years = sorted(
    int(y) for y in history.loc[(history["assessment"] == "official") & (history["year"] <= frame.year), "year"]
)
year_rows = db.run("index_by_year", year=official_years[-1]) if official_years else None
ov = build_overview(frame.instansi, frame.year, history, year_rows, instansi, targets, sources)

place = t(f"category.{ov.category}", lang) + (f" · {ov.province}" if ov.province else "")
if not frame.large:
    st.caption(html.escape(place))
if ov.card_year is None:
    st.info(frame.t("overview.no_value_at_all", name=frame.name, year=frame.year))
elif ov.card_year != frame.year:
    st.info(frame.t("overview.no_value_selected", name=frame.name, year=frame.year, card_year=ov.card_year))

if ov.card_year is not None:
    row1 = st.columns(4)
    delta = metric_delta(ov.change, lang)
    row1[0].metric(
        frame.t("overview.card_index", year=ov.card_year),
        fmt_num(ov.value, lang),
        delta=frame.t("overview.card_index_delta", delta=delta, prev_year=ov.previous_year) if delta else None,
        delta_color="off" if not ov.change else "normal",
        border=True,
        help=frame.t("overview.help_index", source=ov.source_id)
        + (" " + frame.t("common.year_attributed") if ov.year_attributed else "")
        + ("" if ov.same_framework else " " + frame.t("overview.msg_framework_differs")),
    )
    row1[1].metric(
        frame.t("overview.card_predikat", year=ov.card_year),
        predikat_label(ov.predikat, lang),
        border=True,
        help=frame.t("overview.help_predikat"),
    )
    ranking = ov.group_ranking
    group_title = (
        frame.t("overview.card_rank_province", province=ov.province, year=ov.card_year)
        if ov.group_kind == "province"
        else frame.t("overview.card_rank_pusat", year=ov.card_year)
    )
    if ranking is not None and ranking.complete_enough and ov.group_rank is not None:
        row1[2].metric(
            group_title,
            frame.t("overview.rank_value", rank=ov.group_rank, n=ranking.count),
            border=True,
            help=frame.t("overview.help_rank", peers=ranking.peer_count, held=ranking.count),
        )
    else:
        row1[2].metric(
            group_title,
            "–",
            border=True,
            help=frame.t(
                "overview.rank_not_computed", have=ranking.count if ranking else 0, total=ranking.peer_count if ranking else 0
            ),
        )
    category_plural = frame.t(f"overview.plural_{ov.category}")
    pct = ov.category_percentile
    row1[3].metric(
        frame.t("overview.card_percentile", category=category_plural, year=ov.card_year),
        fmt_num(pct.percentile, lang, 0) if pct else "–",
        border=True,
        help=frame.t("overview.help_percentile", rank=pct.rank, n=pct.n, lower=pct.lower, category=category_plural)
        if pct
        else frame.t("overview.percentile_not_computed"),
    )
    if pct and not frame.large:
        row1[3].caption(
            frame.t(
                "overview.percentile_caption",
                rank=pct.rank,
                n=pct.n,
                category=category_plural,
                pct=fmt_num(pct.percentile, lang, 0),
            )
        )

    row2 = st.columns(3)
    if ov.next_band is None:
        row2[0].metric(frame.t("overview.card_next"), "–", border=True, help=frame.t("overview.next_top"))
    else:
        row2[0].metric(
            frame.t("overview.card_next"),
            frame.t("overview.next_edge_value") if ov.on_band_edge else fmt_num(ov.distance_to_next, lang),
            border=True,
            help=frame.t("overview.help_next"),
        )
        row2[0].caption(
            frame.t(
                "overview.next_caption", band=predikat_label(ov.next_band.predikat, lang), edge=fmt_num(ov.next_band.lower, lang)
            )
            + (" " + frame.t("overview.next_edge_note") if ov.on_band_edge else "")
        )
    tg = ov.target
    if tg is None:
        row2[1].metric(frame.t("overview.card_target_none"), "–", border=True, help=frame.t("overview.target_none"))
    else:
        row2[1].metric(
            frame.t("overview.card_target", year=tg.year),
            fmt_num(tg.value, lang),
            border=True,
            delta=frame.t("overview.target_delta", gap=metric_delta(tg.gap, lang), actual_year=tg.compared_year)
            if tg.gap is not None
            else None,
            delta_color="normal",
            help=frame.t("overview.help_target", source=tg.source_id, kind=tg.kind),
        )
    sv = ov.self_vs_official
    if sv is None:
        row2[2].metric(frame.t("overview.card_self_none"), "–", border=True, help=frame.t("overview.self_none"))
    else:
        row2[2].metric(
            frame.t("overview.card_self", year=sv.year),
            frame.t("overview.self_value", own=fmt_num(sv.self_assessment, lang), official=fmt_num(sv.official, lang)),
            delta=frame.t("overview.self_delta", diff=metric_delta(sv.difference, lang)),
            delta_color="off",
            border=True,
            help=frame.t("overview.help_self", sources=", ".join(sv.source_ids)),
        )

messages = key_messages(ov, lang)
if messages:
    st.subheader(frame.t("overview.key_messages"))
    st.markdown("\n".join(f"- {html.escape(m)}" for m in messages))

official = history[history["assessment"] == "official"]
if not official.empty:
    st.subheader(frame.t("overview.sparkline_title"))
    spark_data = official[["year", "indeks", "predikat", "source_id", "year_attributed", "note"]].rename(
        columns={
            "year": frame.t("trend.col_year"),
            "indeks": frame.t("common.index"),
            "predikat": frame.t("common.predikat"),
            "source_id": frame.t("common.source"),
            "year_attributed": frame.t("trend.col_year_inferred"),
            "note": frame.t("trend.col_note"),
        }
    )
    chart_block(
        sparkline_figure(official, lang, frame.large),
        spark_data,
        official["source_id"].tolist(),
        lang,
        key=f"ikhtisar_spark_{frame.instansi_id}",
    )
    if not frame.large:
        st.caption(frame.t("overview.sparkline_caption"))
