"""Make sure a page runs inside app.py's navigation, even on a server's very first visit.

Streamlit still honours its older multipage mode when a folder named ``pages/`` sits
beside the entry point: until some run has called ``st.navigation``, a visit to a deep
link such as ``/vanishing_exploding`` runs ``pages/vanishing_exploding.py`` on its own,
without app.py, so the page has the wrong sidebar and layout (streamlit/streamlit#10276
describes the flag). A lecturer's link is often the first visit after the hosted demo
wakes up, so every page starts with ``run_inside_app()``: if it finds itself started
the old way, it switches Streamlit to ``st.navigation`` and reruns through app.py,
which keeps the page and its query parameters.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def run_inside_app() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False  # what app.py's st.navigation would set
        st.rerun()
