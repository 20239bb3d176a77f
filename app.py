"""Optimization Setup Lab: the entry point. Run with `streamlit run app.py`."""

import streamlit as st

from core.network import PLANTED_BUGS
from ui.ideas import IDEAS
from ui.links import mend_link
from ui.page_style import style_page
from ui.presentation import presentation_toggle
from ui.walkthrough import walkthrough

st.set_page_config(page_title="Optimization Setup Lab", page_icon=":material/tune:", layout="wide")
style_page()

home = st.Page("pages/home.py", title="Home", icon=":material/home:", default=True)
pages = {idea.path: st.Page(idea.path, title=idea.title, icon=idea.icon) for idea in IDEAS}
page = st.navigation({"": [home], "The six ideas": list(pages.values())})
# Links from before the planted bugs' selects showed words held the bugs' code names.
OLD_BUG_NAMES = {name: bug.label for name, bug in PLANTED_BUGS.items()}
mend_link(page, renamed={"gc_bug": OLD_BUG_NAMES, "gp_guess": OLD_BUG_NAMES})
presentation_toggle()
walkthrough(next((path for path, p in pages.items() if p.url_path == page.url_path), "home"))
page.run()
