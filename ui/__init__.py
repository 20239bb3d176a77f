"""Streamlit helpers shared by the pages: the list of ideas and small widgets."""
