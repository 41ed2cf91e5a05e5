"""The benchmark's second reference: the shared page frame (sidebar, URL state) and a title, nothing else.

Not a page of the app (kept out of pages/). spbe/dev/bench.py renders it beside the real pages, so a page's time
can be split into what every page pays for the frame and what the page itself adds.
"""

import streamlit as st

from spbe.web.frame import page_frame

frame = page_frame("ikhtisar")
st.title(frame.t("page.ikhtisar"))
