"""The app's pages and navigation, and how a page makes sure it runs inside them.

Streamlit still honours its older multipage mode when a folder named ``pages/`` sits
beside the entry point: until some script run has called ``st.navigation``, a visit to
a deep link such as ``/vanishing_exploding`` runs ``pages/vanishing_exploding.py`` on
its own, without app.py, so the page has the wrong sidebar and layout
(streamlit/streamlit#10276). A lecturer's link is often the first visit after the
hosted demo wakes up, so every page starts with ``run_inside_app()``. A page started
the old way calls ``st.navigation`` with the app's pages (its first call in the process
ends the old mode for every session) and reruns, this time through app.py, which keeps
the page and its query parameters.

tests/test_browser.py checks both on fresh servers: that a first visit to a deep link
gets the app's navigation, and that Streamlit still has the old mode (when that test
fails, ``run_inside_app`` can go).
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

from ui.ideas import IDEAS

ROOT = Path(__file__).resolve().parents[1]
_THROUGH_APP = "through_app"  # session state: this script run went through app.py


def pages() -> dict[str, st.Page]:
    """Home and the six ideas' pages, by their path from ui.ideas ("home" for Home)."""
    home = st.Page(ROOT / "pages/home.py", title="Home", icon=":material/home:", default=True)
    return {"home": home} | {
        idea.path: st.Page(ROOT / idea.path, title=idea.title, icon=idea.icon) for idea in IDEAS
    }


def navigation() -> tuple[st.Page, str]:
    """app.py's navigation: the page to run, and its path from ui.ideas ("home" for Home)."""
    st.session_state[_THROUGH_APP] = True
    by_path = pages()
    home, *ideas = by_path.values()
    page = st.navigation({"": [home], "The six ideas": ideas})
    path = next(path for path, p in by_path.items() if p.url_path == page.url_path)
    return page, path


def run_inside_app() -> None:
    """Rerun through app.py when Streamlit started this page without it (see above).

    app.py's ``navigation`` leaves a mark in session state that the page takes, so every
    run is checked on its own (AppTest, for one, starts each run in the old mode). A page
    that is itself the script Streamlit runs (``__main__``: a test of the page alone) has
    no app to run inside.
    """
    if st.session_state.pop(_THROUGH_APP, False) or not _app_is_main():
        return
    st.navigation(list(pages().values()), position="hidden")
    st.rerun()


def _app_is_main() -> bool:
    # Streamlit runs the script it was started with as the module __main__.
    main = getattr(sys.modules["__main__"], "__file__", None)
    return main is not None and Path(main).resolve() == ROOT / "app.py"
