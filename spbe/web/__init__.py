"""Web: the Streamlit adapters (frame, sidebar, widgets, sign-in, presenter controls, import page)."""
