"""The floor of this stack for the benchmark: a Streamlit page with a sidebar (the focus instansi and year
pickers, links to the floor's pages) and one small Plotly chart that follows the focus. Nothing else.

Kept out of pages/ so it never appears in the app. spbe/dev/bench.py renders it in AppTest beside the real pages,
and serves it (with a copy of itself as a second page, in a temporary folder) in headless Chromium, so every
page's time is reported as a multiple of this one measured in the same run. The sidebar has the same two
selectboxes as the app's frame, so the same readiness check applies to both.
"""

import hashlib
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

HERE = Path(__file__).resolve()
FLOOR_PAGE = "floor-b" if HERE.parent.name == "pages" else "floor-a"
# The labels read "<name> · <province>", as the app's own instansi picker writes them.
NAMES = [
    "Kota Cilegon",
    "Kota Serang",
    "Kabupaten Serang",
    "Kota Tangerang",
    "Kabupaten Lebak",
    "Kabupaten Pandeglang",
    "Kabupaten Tangerang",
    "Kota Tangerang Selatan",
    "Provinsi Banten",
]
LABELS = [f"{n} · Banten" for n in NAMES]

st.set_page_config(page_title=f"{FLOOR_PAGE} · bench floor", layout="wide")
focus = st.sidebar.selectbox("Instansi fokus", LABELS, key="floor_instansi")
year = st.sidebar.selectbox("Tahun", [2024, 2023, 2022, 2021], key="floor_year")
main = HERE.parent.parent / "floor_app.py" if FLOOR_PAGE == "floor-b" else HERE
if main.name == "floor_app.py":  # served as the two-page floor app (bench.py writes it): link both pages
    for script in [main, *sorted((main.parent / "pages").glob("*.py"))]:
        st.sidebar.page_link(str(script.relative_to(main.parent)), label=script.stem)

seed = int(hashlib.sha256(f"{focus}{year}".encode()).hexdigest()[:8], 16)
y = [2.0 + ((seed >> (4 * k)) % 16) / 10 for k in range(4)]
fig = go.Figure(go.Scatter(x=[2021, 2022, 2023, 2024], y=y, mode="lines+markers"))
fig.update_layout(height=300, margin=dict(l=10, r=10, t=10, b=10))
st.plotly_chart(fig)
