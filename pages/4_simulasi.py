"""Placeholder until this page's issue lands."""

import streamlit as st

from spbe.frame import page_frame

frame = page_frame("simulasi")
st.title(frame.t("page.simulasi"))
