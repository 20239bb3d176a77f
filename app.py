"""Optimization Setup Lab: the entry point. Run with `streamlit run app.py`."""

import streamlit as st

from ui.ideas import IDEAS

st.set_page_config(page_title="Optimization Setup Lab", page_icon=":material/tune:", layout="wide")

home = st.Page("pages/home.py", title="Home", icon=":material/home:", default=True)
ideas = [st.Page(idea.path, title=idea.title, icon=idea.icon) for idea in IDEAS]
st.navigation({"": [home], "The six ideas": ideas}).run()
