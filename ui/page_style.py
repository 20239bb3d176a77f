"""The app's only CSS: a constant of this module, never a visitor's or a file's text."""

from __future__ import annotations

import streamlit as st

# A display formula (st.latex) sits in a box that clips what overflows it vertically, and
# a fraction's numerator reaches a few pixels above that box: its digits lost their tops.
# Padding inside the box leaves room for them.
CSS = "<style>.katex-display { padding-top: 0.3em; }</style>"


def style_page() -> None:
    """Add the CSS to the page; a style-only st.html takes no room on it."""
    st.html(CSS)
