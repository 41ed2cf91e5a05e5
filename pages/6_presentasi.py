"""Placeholder until this page's issue lands."""

import streamlit as st

from spbe.frame import page_frame

frame = page_frame("presentasi")
st.title(frame.t("page.presentasi"))
