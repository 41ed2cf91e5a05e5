"""Glosarium (glossary): what the words on the other pages mean, in the language; numbers from the framework
data. Layout only: spbe.models.glossary holds the entries, spbe.web.glossary draws them with their anchors."""

import streamlit as st

from spbe.web.frame import page_frame
from spbe.web.glossary import glossary_page

frame = page_frame("glosarium")
st.title(frame.t("page.glosarium"))
st.markdown(frame.t("glossary.intro"))
glossary_page(frame)
