"""The formula simplifier keeps the domain: a simplified formula is undefined exactly where
the formula as typed is, and equal to it elsewhere. The reference evaluates the typed
formula's own tree with numpy, operation by operation, with no simplification at all."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from core.formula import parse_formula

THETA = np.array([-3.0, -1.0, -0.5, -1e-300, 0.0, 1e-300, 0.5, 1.0, 2.0, 3.0, 50.0, 800.0])
UNARY = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "arctan": np.arctan, "exp": np.exp,
    "log": np.log, "log10": np.log10, "sqrt": np.sqrt, "sinh": np.sinh, "cosh": np.cosh,
    "tanh": np.tanh, "sigmoid": lambda u: 1 / (1 + np.exp(-u)), "abs": np.abs,
    "relu": lambda u: np.maximum(u, 0.0),
}  # fmt: skip
BINARY = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "^": np.power}
CONSTANTS = {"pi": np.pi, "e": np.e}


# A tree is a leaf ("theta", a number or a constant's name) or (operator, *children), the
# operator a function name, "neg", "max" or one of BINARY.
leaf = st.one_of(
    st.just("theta"),
    st.sampled_from(["0", "1", "2", "0.5", "3"]),
    st.sampled_from(list(CONSTANTS)),
)


def _grow(children):
    return st.one_of(
        st.tuples(st.sampled_from([*UNARY, "neg"]), children),
        st.tuples(st.sampled_from([*BINARY, "max"]), children, children),
    )


trees = st.recursive(leaf, _grow, max_leaves=6)


def text_of(tree) -> str:
    """The tree as a formula, every operand in parentheses."""
    if isinstance(tree, str):
        return tree
    op, *args = tree
    inner = [text_of(arg) for arg in args]
    if op == "neg":
        return f"-({inner[0]})"
    if op in BINARY:
        return f"({inner[0]}) {op} ({inner[1]})"
    return f"{op}({', '.join(inner)})"


def plain(tree, theta: np.ndarray):
    """The tree's value at θ, each operation done as typed."""
    if isinstance(tree, str):
        if tree == "theta":
            return theta
        return CONSTANTS[tree] if tree in CONSTANTS else float(tree)
    op, *args = tree
    values = [plain(arg, theta) for arg in args]
    if op == "neg":
        return np.negative(values[0])
    if op == "max":
        return np.maximum(*values)
    return (BINARY.get(op) or UNARY[op])(*values)


def divides_by_zero(tree, theta: np.ndarray) -> np.ndarray:
    """Where the tree divides by zero: undefined (check_domain says so), though IEEE
    arithmetic gives ±∞ there, whose sign 0 − θ and −θ do not share at θ = 0 (+0 against
    −0), and which tanh, say, turns into a finite 1 or −1."""
    if isinstance(tree, str):
        return np.zeros(theta.shape, bool)
    op, *args = tree
    found = np.zeros(theta.shape, bool)
    for arg in args:
        found |= divides_by_zero(arg, theta)
    if op == "/":
        found |= np.broadcast_to(plain(args[1], theta) == 0, theta.shape)
    return found


@settings(max_examples=600, deadline=None, database=None)
@given(tree=trees)
@example(tree=("tanh", ("/", "1", ("-", "0", "theta"))))  # ±1 at θ = 0, as IEEE's sign says
def test_the_simplified_formula_is_the_typed_one_wherever_defined_and_undefined_elsewhere(tree):
    text = text_of(tree)
    try:
        formula = parse_formula(text)
    except ValueError:
        return  # a refusal names its reason (an undefined constant part, a limit)
    with np.errstate(all="ignore"):
        typed = np.broadcast_to(plain(tree, THETA), THETA.shape)
        simplified = formula.f(THETA)
    with np.errstate(all="ignore"):
        compared = ~divides_by_zero(tree, THETA)  # undefined there, whatever IEEE gives
    defined = np.isfinite(typed) & compared
    np.testing.assert_array_equal(np.isfinite(simplified) & compared, defined, err_msg=text)
    np.testing.assert_allclose(simplified[defined], typed[defined], rtol=1e-9, err_msg=text)


@pytest.mark.parametrize(
    ("text", "theta", "reason"),
    [
        ("0/theta", 0.0, "division by zero"),
        ("0*log(theta)", 0.0, "log is undefined"),
        ("log(theta)*0", 0.0, "log is undefined"),
        ("0*(1/theta)", 0.0, "division by zero"),
        ("0/sqrt(theta)", -1.0, "sqrt is undefined"),
    ],
)
def test_zero_times_or_over_an_undefined_part_is_undefined_not_zero(text, theta, reason):
    formula = parse_formula(text)
    with np.errstate(all="ignore"):
        assert np.isnan(formula.f(theta))
    assert formula.f(2.0) == 0.0  # where the part is defined, the product is 0
    with pytest.raises(ValueError, match=f"^f\\(θ\\) at θ = {theta:g}: {reason}"):
        formula.check_domain(theta)


@pytest.mark.parametrize("text", ["0/0", "0/(2-2)", "theta + 0/0", "0*theta/0"])
def test_zero_over_zero_is_refused_with_the_reason(text):
    with pytest.raises(ValueError, match="fails: division by zero"):
        parse_formula(text)


def test_zero_times_or_over_a_constant_is_zero():
    for text in ("0*pi", "0/pi", "pi*0", "0*log(2) + theta"):
        formula = parse_formula(text)
        assert formula.latex in ("0", r"\theta"), text


def open_typed_formula(text: str, theta: str) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params.update({"ng_f": "typed formula", "ng_formula": text, "ng_theta": theta})
    at.switch_page("pages/numerical_gradients.py").run()
    assert not at.exception
    return at


@pytest.mark.parametrize(
    ("text", "reason"), [("0/theta", "division by zero"), ("0*log(theta)", "log is undefined")]
)
def test_the_page_says_where_zero_times_an_undefined_part_is_undefined(text, reason):
    at = open_typed_formula(text, "0")
    errors = [error.value for error in at.error]
    assert len(errors) == 1 and f"at θ = 0: {reason}" in errors[0], errors
    assert "Choose another θ or another function" in errors[0]


def test_the_page_refuses_zero_over_zero_and_keeps_the_last_good_formula():
    at = open_typed_formula("0/0", "1")
    errors = [error.value for error in at.error]
    assert len(errors) == 1 and "division by zero" in errors[0], errors
    assert errors[0].startswith("Could not use that formula")
    assert at.metric or at.table  # the page went on with the last good formula
