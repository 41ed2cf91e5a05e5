"""The floor of this stack for the benchmark: a Streamlit page with one small Plotly chart and nothing else.

Kept out of pages/ so it never appears in the app; spbe/bench.py renders it in the same run as the real
pages and reports every page's time as a multiple of this one.
"""

import plotly.graph_objects as go
import streamlit as st

fig = go.Figure(go.Scatter(x=[2021, 2022, 2023, 2024], y=[2.03, 2.01, 2.30, 2.56], mode="lines+markers"))
fig.update_layout(height=300, margin=dict(l=10, r=10, t=10, b=10))
st.plotly_chart(fig)
