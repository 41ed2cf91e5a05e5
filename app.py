"""Ikhtisar (overview): the focus instansi's index over the years. Layout only; logic lives in spbe/."""

import streamlit as st

from spbe import db
from spbe.charts import index_trend_figure
from spbe.frame import page_frame
from spbe.ui import chart_block

frame = page_frame("ikhtisar")
st.title(f"{frame.t('page.ikhtisar')}: {frame.name}")

trend = db.run("index_trend", instansi_id=frame.instansi_id)
fig = index_trend_figure(trend, frame.lang, frame.large)
chart_block(fig, trend, trend["source_id"].tolist(), frame.lang, key=f"trend_{frame.instansi_id}")
