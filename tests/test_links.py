"""ui.links.SharedLink: a link's settings reopen; refused ones get a notice."""

import pytest
from streamlit.testing.v1 import AppTest

from core.network import PLANTED_BUGS
from ui.links import ECHO_CHARACTERS, echo, refusal_notice, url_integer, url_toggle


def page_with_bound_controls():
    import streamlit as st

    from ui.links import SharedLink

    link = SharedLink()
    st.slider("a", 0.5, 1.5, 1.0, 0.05, key="a", bind="query-params")
    st.slider("L", 2, 2000, 10, key="L", bind="query-params")
    st.selectbox("activation", ["relu", "tanh"], key="act", bind="query-params")
    st.toggle("wrong statistics", key="wrong", bind="query-params")
    link.report()


def run_with(query):
    at = AppTest.from_function(page_with_bound_controls)
    at.query_params.update(query)
    return at.run()


def test_link_settings_reopen_the_same_controls():
    at = run_with({"a": "1.5", "L": "50", "act": "tanh", "wrong": "true"})
    assert [at.slider(key="a").value, at.slider(key="L").value] == [1.5, 50]
    assert at.selectbox(key="act").value == "tanh"
    assert at.toggle(key="wrong").value is True
    assert not at.info


def test_link_values_equal_to_the_defaults_give_no_notice():
    assert not run_with({"a": "1.0", "L": "10", "act": "relu"}).info


@pytest.mark.parametrize(
    "query", [{"a": "9"}, {"L": "abc"}, {"act": "__import__('os')"}, {"wrong": "maybe"}]
)
def test_garbage_in_a_link_opens_defaults_with_a_notice(query):
    at = run_with(query)
    assert not at.exception
    assert at.slider(key="a").value == 1.0 and at.slider(key="L").value == 10
    assert "could not be used" in at.info[0].value
    assert next(iter(query)) in at.info[0].value


@pytest.mark.parametrize(
    "page, query",
    [
        ("vanishing_exploding", {"ve_seed": "inf"}),
        ("normalizing_inputs", {"ni_seed": "-inf"}),
        ("numerical_gradients", {"ng_dtype": ""}),
        ("gradient_checking", {"gc_mode": " "}),
        ("grad_check_in_practice", {"gp_act": ""}),
        ("weight_initialization", {"wi_seed": "nan"}),
    ],
)
def test_a_value_no_control_can_take_is_dropped_before_a_widget_reads_it(page, query):
    # Streamlit's number input raises on an infinite link value; an empty choice is None.
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params.update(query)
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception and not at.error
    key = next(iter(query))
    assert key not in at.query_params
    assert any("could not be used" in info.value and key in info.value for info in at.info)


@pytest.mark.parametrize(("page", "key"), [("gradient_checking", "gc_bug"),
                                           ("grad_check_in_practice", "gp_guess")])  # fmt: skip
def test_a_link_with_a_planted_bugs_old_code_name_still_opens_that_bug(page, key):
    # Links once held the code name (dW2_doubled); the select now shows and links the words.
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params[key] = "dW2_doubled"
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    assert at.selectbox(key=key).value == PLANTED_BUGS["dW2_doubled"].label
    assert not any("could not be used" in info.value for info in at.info)


def test_a_repeated_key_is_refused_with_all_its_values_named():
    # Without app.py's mend_link Streamlit's slider refuses the three values as one.
    at = run_with({"L": ["5", "inf", "7"]})
    assert at.slider(key="L").value == 10
    assert "` L='5', 'inf', '7' `" in at.info[0].value
    assert "more than once" in at.info[0].value


# ---------------------------------------------------------------- a link's text, shown back


def code_span(markdown: str) -> str:
    """What a code span shows (CommonMark: the fences, and one space each side, go)."""
    fence = len(markdown) - len(markdown.lstrip("`"))
    assert markdown.startswith("`" * fence + " ") and markdown.endswith(" " + "`" * fence)
    inside = markdown[fence + 1 : -fence - 1]
    assert "`" * fence not in inside  # nothing inside closes the span early
    return inside


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("[Log in again](https://evil.example/login)", "[Log in again](https://evil.example/log…"),
        ("![t](https://evil.example/p.png)", "![t](https://evil.example/p.png)"),
        ("a`b``c", "a`b``c"),
        ("`", "`"),
        ("two\nlines\n\n# heading", "two\\nlines\\n\\n# heading"),
        ("\u202eevil", "\\u202eevil"),
        ("θ = ３", "θ = ３"),
        ("", ""),
    ],
)
def test_echo_shows_a_links_text_as_typed_in_one_code_span_on_one_line(text, shown):
    markdown = echo(text)
    assert code_span(markdown) == shown
    assert "\n" not in markdown and len(code_span(markdown)) <= ECHO_CHARACTERS


def test_echo_cuts_long_text_to_the_limit_with_an_ellipsis():
    assert code_span(echo("0" * 5_000 + "3")) == "0" * (ECHO_CHARACTERS - 1) + "…"
    assert code_span(echo("7" * ECHO_CHARACTERS)) == "7" * ECHO_CHARACTERS


@pytest.mark.parametrize(
    ("text", "number"),
    [("1", 1), ("16", 16), ("07", 7), ("0", None), ("17", None), ("007", None),
     ("0" * 5_000 + "3", None), ("３", None), ("٣", None), ("²", None), ("+3", None),
     ("-3", None), ("3e0", None), ("3.0", None), (" 3", None), ("3_0", None), ("", None)],
)  # fmt: skip
def test_url_integer_takes_plain_digits_within_bounds_only(text, number):
    assert url_integer(text, 1, 16) == number


def test_the_refusal_notice_names_each_refused_value():
    notice = refusal_notice({"ve_L": ["abc"], "ve_a": ["9"]})
    assert notice == (
        "Some settings in the link could not be used and were reset to their defaults: "
        "` ve_L='abc' `, ` ve_a='9' `."
    )


def test_the_refusal_notice_names_every_value_of_a_repeated_key_and_says_why():
    notice = refusal_notice({"ve_L": ["5", "inf", "7"]})
    assert "` ve_L='5', 'inf', '7' `." in notice
    assert notice.endswith(
        "A setting given more than once is refused as a whole: each takes one value."
    )


def test_the_refusal_notice_names_six_settings_and_counts_the_rest():
    notice = refusal_notice({f"k{i}": [str(i)] for i in range(9)})
    assert "` k5='5' ` and 3 more." in notice and "k6" not in notice
    assert "more than once" not in notice


@pytest.mark.parametrize(
    ("text", "taken"),
    [("true", True), ("False", True), ("TRUE", True), ("1", False), ("yes", False), ("", False)],
)
def test_url_toggle_takes_true_or_false_in_any_case_only(text, taken):
    assert url_toggle(text) is taken
