"""The app's only CSS: a constant of this module, never a visitor's or a file's text."""

from __future__ import annotations

import streamlit as st

CSS = """<style>
/* A display formula (st.latex) sits in a box that clips what overflows it vertically, and
   a fraction's numerator reaches a few pixels above that box: its digits lost their tops.
   Padding inside the box leaves room for them. */
.katex-display { padding-top: 0.3em; }
/* On a phone a formula of thirty symbols is wider than the screen: set formulas smaller
   there (the pages also break long ones over lines, so none is ever cut). */
@media (max-width: 640px) {
  .katex-display > .katex { font-size: 0.95em; }
}
/* Weight initialization's six cells are one chart of fixed size, three to a row: on a
   screen narrower than that, the picture shrinks to fit (Vega's SVG has a viewBox). */
.st-key-wi_six svg.marks { max-width: 100%; height: auto; }
/* Streamlit greys its captions by opacity (2.8:1 to 3.9:1 on white), short of the 4.5:1
   contrast that small text needs; this grey, fully opaque, reads 7:1. */
[data-testid="stCaptionContainer"] { opacity: 1; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #555761; }
/* The walkthrough's banner stays in sight while a step shows its section, on a screen
   tall and wide enough to spare the room (sticky: the box that holds the keyed banner). */
@media (min-width: 700px) and (min-height: 600px) {
  [data-testid="stLayoutWrapper"]:has(> .st-key-walkthrough) {
    position: sticky; top: 3.75rem; z-index: 100;
  }
  .st-key-walkthrough { background: #ffffff; box-shadow: 0 2px 8px rgba(0, 0, 0, 0.12); }
}
</style>"""
# On a projector every text grows, not only the charts': Streamlit sizes its text in rem,
# so a larger root font size scales body, captions, tables, metrics, the walkthrough's
# banner and (through em) formulas alike, 16 px body text to 20 px.
PRESENTATION_CSS = "<style>html { font-size: 20px; }</style>"


def style_page(presenting: bool = False) -> None:
    """Add the CSS to the page, with projector sizes when ``presenting``; a style-only
    st.html takes no room on it."""
    st.html(CSS + (PRESENTATION_CSS if presenting else ""))
