"""ui.text: visitor text shown as itself in Markdown and in st.latex."""

from streamlit.testing.v1 import AppTest

from ui.text import latex_text, markdown_plain


def test_markdown_plain_escapes_emphasis_links_and_directives():
    assert markdown_plain("__import__") == r"\_\_import\_\_"
    assert markdown_plain("**bold** [x](y) :red[z]") == r"\*\*bold\*\* \[x\](y) :red\[z\]"


def test_latex_text_escapes_what_breaks_text_mode():
    assert latex_text("area_m2 {50%} #1 & $") == r"area\_m2 \{50\%\} \#1 \& \$"
    assert latex_text("a\\b^c~") == r"a\textbackslash{}b\textasciicircum{}c\textasciitilde{}"


def show_markdown_and_latex():
    import streamlit as st

    from ui.text import latex_text, markdown_plain

    st.error(markdown_plain("unknown name '__import__' in **x**"))
    st.latex(rf"\text{{{latex_text('area_m2')}}} = 1")


def test_escaped_text_reaches_streamlit_unchanged_in_meaning():
    at = AppTest.from_function(show_markdown_and_latex).run()
    assert not at.exception
    assert at.error[0].value == r"unknown name '\_\_import\_\_' in \*\*x\*\*"
    assert r"\text{area\_m2} = 1" in at.latex[0].value
