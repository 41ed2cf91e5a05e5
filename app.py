"""Ikhtisar (overview): where the focus instansi stands, on one screen. Layout over spbe.models.overview's page model."""

import html

import streamlit as st

from spbe.charts import sparkline_figure
from spbe.i18n import t
from spbe.models.overview import (
    LARGE_METRIC_CSS,
    METRIC_CSS,
    PHONE_CSS,
    card_rows,
    cards,
    key_messages,
    load_measure_lines,
    load_overview,
)
from spbe.web.frame import page_frame
from spbe.web.ui import cached_figure, cached_model, chart_block, term_strip

frame = page_frame("ikhtisar")
lang = frame.lang
st.title(f"{frame.t('page.ikhtisar')}: {frame.name}")
term_strip(frame)  # each term's first use links to its glossary entry

ov, official = cached_model(frame, "overview", lambda: load_overview(frame))

place = t(f"category.{ov.category}", lang) + (f" · {ov.province}" if ov.province else "")
if not frame.large:
    st.caption(html.escape(place))
if ov.card_year is None:
    st.info(frame.t("overview.no_value_at_all", name=frame.name, year=frame.year))
elif ov.card_year != frame.year:
    st.info(frame.t("overview.no_value_selected", name=frame.name, year=frame.year, card_year=ov.card_year))
for line in load_measure_lines(frame):
    st.info(html.escape(line), icon=":material/swap_horiz:")  # Indeks Pemdi beside the SPBE cards, never merged

if ov.card_year is not None:
    st.html(METRIC_CSS + PHONE_CSS + (LARGE_METRIC_CSS if frame.large else ""))
    remaining = cards(ov, lang)
    for row, size in enumerate(card_rows(len(remaining), frame.large)):
        # on a phone the first row comes first, then the chart, then the other cards (PHONE_CSS)
        with st.container(key="ov_cards_first" if row == 0 else f"ov_cards_more_{row}"):
            for column, card in zip(st.columns(size), remaining[:size], strict=True):
                column.metric(card.label, card.value, delta=card.delta, delta_color=card.delta_color, help=card.help, border=True)
                if card.caption and not frame.large:
                    column.caption(card.caption)
        remaining = remaining[size:]

messages = key_messages(ov, lang)
if messages:
    with st.container(key="ov_messages"):
        st.subheader(frame.t("overview.key_messages"))
        st.markdown("\n".join(f"- {html.escape(m)}" for m in messages))

if not official.empty:
    with st.container(key="ov_chart"):  # on a phone: right after the first row of cards
        st.subheader(frame.t("overview.sparkline_title"))
        spark_data = official[["year", "indeks", "predikat", "source_id", "provenance", "note"]].rename(
            columns={
                "year": frame.t("trend.col_year"),
                "indeks": frame.t("common.index"),
                "predikat": frame.t("common.predikat"),
                "source_id": frame.t("common.source"),
                "provenance": frame.t("trend.col_provenance"),
                "note": frame.t("trend.col_note"),
            }
        )
        chart_block(
            cached_figure(frame, "sparkline", lambda: sparkline_figure(official, lang, frame.large)),
            spark_data,
            official["source_id"].tolist(),
            lang,
            key=f"ikhtisar_spark_{frame.instansi_id}",
        )
        if not frame.large:
            st.caption(frame.t("overview.sparkline_caption"))
