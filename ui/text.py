"""Visitor text (file names, column names, typed formulas) shown as itself.

Streamlit renders st.error, st.info and friends as Markdown and st.latex as TeX, so a
column called ``area_m2`` or a formula with ``**`` would otherwise turn into italics,
bold or a KaTeX error. These escape such text for the one place it goes.
"""

from __future__ import annotations

import re

# What turns text into emphasis, code, links, HTML, headings, tables, strike-through or
# LaTeX (and, with [ ], Streamlit's :color[…] directives) in Streamlit's Markdown.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")
_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "~": r"\textasciitilde{}",
}


def markdown_plain(text: object) -> str:
    """``text`` with the characters that format Markdown backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def latex_text(text: object) -> str:
    """``text`` made safe inside ``\\text{…}`` of st.latex."""
    return "".join(_LATEX_SPECIAL.get(character, character) for character in str(text))
