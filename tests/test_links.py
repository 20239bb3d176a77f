"""ui.links.SharedLink: a link's settings reopen; refused ones get a notice."""

import pytest
from streamlit.testing.v1 import AppTest

from core.network import PLANTED_BUGS


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
