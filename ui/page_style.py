"""The app's only CSS: a constant of this module, never a visitor's or a file's text."""

from __future__ import annotations

import streamlit as st

# A display formula (st.latex) sits in a box that clips what overflows it vertically, and
# a fraction's numerator reaches a few pixels above that box: its digits lost their tops.
# Padding inside the box leaves room for them.
CSS = "<style>.katex-display { padding-top: 0.3em; }</style>"
# On a projector every text grows, not only the charts': Streamlit sizes its text in rem,
# so a larger root font size scales body, captions, tables, metrics, the walkthrough's
# banner and (through em) formulas alike, 16 px body text to 20 px.
PRESENTATION_CSS = "<style>html { font-size: 20px; }</style>"


def style_page(presenting: bool = False) -> None:
    """Add the CSS to the page, with projector sizes when ``presenting``; a style-only
    st.html takes no room on it."""
    st.html(CSS + (PRESENTATION_CSS if presenting else ""))
