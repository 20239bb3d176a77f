"""The formula parser: values and derivatives against handwritten numpy and numerical
differences, refusals with their messages, and fuzzing for anything but a ValueError."""

from __future__ import annotations

import ast
import builtins
import contextlib
import warnings
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core.finite_differences import (
    METHODS,
    complex_step_derivative,
    error_sweep,
    two_sided_difference,
)
from core.formula import MAX_CHARACTERS, Formula, parse_formula


def sigmoid(theta):
    return 1 / (1 + np.exp(-theta))


# (text, f, f′) written out by hand; every one is analytic on θ > 0.
ANALYTIC_EXAMPLES = [
    ("theta**3", lambda t: t**3, lambda t: 3 * t**2),
    (
        "sin(theta)*exp(theta)",
        lambda t: np.sin(t) * np.exp(t),
        lambda t: (np.cos(t) + np.sin(t)) * np.exp(t),
    ),
    ("log(1+theta**2)", lambda t: np.log(1 + t**2), lambda t: 2 * t / (1 + t**2)),
    ("tanh(theta)", np.tanh, lambda t: 1 / np.cosh(t) ** 2),
    ("x^3", lambda t: t**3, lambda t: 3 * t**2),
    ("θ^2", lambda t: t**2, lambda t: 2 * t),
    ("2*theta - 1/theta", lambda t: 2 * t - 1 / t, lambda t: 2 + 1 / t**2),
    ("sqrt(theta)", np.sqrt, lambda t: 0.5 / np.sqrt(t)),
    ("cos(theta)", np.cos, lambda t: -np.sin(t)),
    ("tan(theta)", np.tan, lambda t: 1 / np.cos(t) ** 2),
    ("arctan(theta)", np.arctan, lambda t: 1 / (1 + t**2)),
    (
        "sinh(theta) - cosh(theta)",
        lambda t: np.sinh(t) - np.cosh(t),
        lambda t: np.cosh(t) - np.sinh(t),
    ),
    ("log10(theta)", np.log10, lambda t: 1 / (t * np.log(10))),
    ("sigmoid(theta)", sigmoid, lambda t: sigmoid(t) * (1 - sigmoid(t))),
    ("1/(1+exp(-theta))", sigmoid, lambda t: sigmoid(t) * (1 - sigmoid(t))),
    ("exp(-theta^2/2)", lambda t: np.exp(-(t**2) / 2), lambda t: -t * np.exp(-(t**2) / 2)),
    ("theta^theta", lambda t: t**t, lambda t: t**t * (np.log(t) + 1)),
    ("2^theta", lambda t: 2**t, lambda t: 2**t * np.log(2)),
    ("e^theta", np.exp, np.exp),
    ("-theta^2", lambda t: -(t**2), lambda t: -2 * t),
    (
        "pi*theta^2 + 1e-3*theta - .5",
        lambda t: np.pi * t**2 + 1e-3 * t - 0.5,
        lambda t: 2 * np.pi * t + 1e-3,
    ),
    ("theta^-1.5", lambda t: t**-1.5, lambda t: -1.5 * t**-2.5),
]

# Not complex-differentiable; checked at θ away from their kinks.
NON_ANALYTIC_EXAMPLES = [
    ("abs(theta)", np.abs, np.sign),
    ("max(theta, 0)", lambda t: np.maximum(t, 0), lambda t: (t > 0).astype(float)),
    ("relu(theta)", lambda t: np.maximum(t, 0), lambda t: (t > 0).astype(float)),
    (
        "max(sin(θ), cos(θ))",
        lambda t: np.maximum(np.sin(t), np.cos(t)),
        lambda t: np.where(np.sin(t) > np.cos(t), np.cos(t), -np.sin(t)),
    ),
    ("abs(theta^3 - 1)", lambda t: np.abs(t**3 - 1), lambda t: np.sign(t**3 - 1) * 3 * t**2),
]

POSITIVE_THETA = np.array([0.3, 0.7, 1.3, 2.1])
MIXED_THETA = np.array([-1.7, -0.4, 0.6, 1.9])

ALL_EXAMPLES = ANALYTIC_EXAMPLES + NON_ANALYTIC_EXAMPLES
example_ids = [text for text, _, _ in ALL_EXAMPLES]
analytic_ids = [text for text, _, _ in ANALYTIC_EXAMPLES]


def example_theta(text: str) -> np.ndarray:
    return POSITIVE_THETA if parse_formula(text).is_analytic else MIXED_THETA


# ---------------------------------------------------------------- values and derivatives


@pytest.mark.parametrize(("text", "f", "df"), ALL_EXAMPLES, ids=example_ids)
def test_formula_value_matches_handwritten_numpy(text, f, df):
    theta = example_theta(text)
    np.testing.assert_allclose(parse_formula(text).f(theta), f(theta), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize(("text", "f", "df"), ALL_EXAMPLES, ids=example_ids)
def test_formula_derivative_matches_closed_form(text, f, df):
    theta = example_theta(text)
    np.testing.assert_allclose(parse_formula(text).df(theta), df(theta), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(("text", "f", "df"), ANALYTIC_EXAMPLES, ids=analytic_ids)
def test_analytic_formula_derivative_matches_complex_step(text, f, df):
    formula = parse_formula(text)
    numerical = complex_step_derivative(formula.f, POSITIVE_THETA, 1e-20)
    np.testing.assert_allclose(formula.df(POSITIVE_THETA), numerical, rtol=1e-12)


@pytest.mark.parametrize(("text", "f", "df"), ALL_EXAMPLES, ids=example_ids)
def test_formula_derivative_matches_central_difference(text, f, df):
    formula = parse_formula(text)
    theta = example_theta(text)
    numerical = two_sided_difference(formula.f, theta, 1e-6)
    np.testing.assert_allclose(formula.df(theta), numerical, rtol=1e-7, atol=1e-8)


@pytest.mark.parametrize(
    ("text", "value_at_2"),
    [
        ("-theta^2", -4.0),  # unary minus binds looser than the power
        ("2^3^2", 512.0),  # power is right-associative
        ("2**3**2", 512.0),
        ("theta^-1", 0.5),
        ("2^-theta^2", 2.0**-4),
        ("1 - theta - theta", -3.0),  # minus is left-associative
        ("8/theta/2", 2.0),
        ("--theta", 2.0),
        ("+theta", 2.0),
        ("2*theta^2", 8.0),
        ("(1+theta)*3", 9.0),
        ("1e-3*theta", 0.002),
        (".5*theta", 1.0),
        ("1.5e+1", 15.0),
        ("pi", np.pi),
        ("e", np.e),
        (" theta **\t2 ", 4.0),
    ],
)
def test_precedence_associativity_and_numbers_follow_the_grammar(text, value_at_2):
    assert parse_formula(text).f(2.0) == pytest.approx(value_at_2, rel=1e-15)


def test_variable_may_be_called_theta_greek_theta_or_x():
    formulas = [parse_formula(text) for text in ("theta^2 + 1", "θ^2 + 1", "x^2 + 1")]
    assert [formula.variable for formula in formulas] == ["theta", "θ", "x"]
    assert [formula.latex for formula in formulas] == [r"\theta^{2} + 1"] * 2 + ["x^{2} + 1"]
    for formula in formulas:
        assert formula.f(3.0) == 10.0


def test_formula_without_variable_answers_with_thetas_shape_and_dtype():
    formula = parse_formula("2*pi")
    theta = np.zeros((2, 3), dtype=np.float32)
    assert formula.f(theta).shape == (2, 3)
    assert formula.f(theta).dtype == np.float32
    assert formula.df(1.0) == 0.0
    assert formula.variable == "theta"


@pytest.mark.parametrize("text", [text for text, _, _ in ALL_EXAMPLES])
def test_float32_theta_stays_float32(text):
    formula = parse_formula(text)
    theta = example_theta(text).astype(np.float32)
    assert formula.f(theta).dtype == np.float32
    assert formula.df(theta).dtype == np.float32


@pytest.mark.parametrize(
    ("text", "latex", "derivative_latex"),
    [
        ("theta**3", r"\theta^{3}", r"3 \theta^{2}"),
        ("theta*1 + 0", r"\theta", "1"),
        ("0*pi + theta^1", r"\theta", "1"),
        # 0·u stays when u depends on θ: it is undefined where u is (0·ln θ at θ = 0).
        ("0*sin(theta) + theta^1", r"0 \sin\left(\theta\right) + \theta", "1"),
        ("2*3 + theta", r"6 + \theta", "1"),
        ("2*theta - 1/theta", r"2 \theta - \frac{1}{\theta}", r"2 + \frac{1}{\theta^{2}}"),
        ("sqrt(theta)", r"\sqrt{\theta}", r"\frac{1}{2 \sqrt{\theta}}"),
        ("abs(theta)", r"\left|\theta\right|", r"\operatorname{sign}\left(\theta\right)"),
        (
            "relu(θ)",
            r"\operatorname{ReLU}\left(\theta\right)",
            r"\mathbf{1}\left[\theta > 0\right]",
        ),
        ("2^theta", r"2^{\theta}", r"2^{\theta} \cdot \ln\left(2\right)"),
        ("(theta+1)^2", r"\left(\theta + 1\right)^{2}", r"2 \left(\theta + 1\right)"),
        ("1e-5*theta", r"1 \times 10^{-5} \theta", r"1 \times 10^{-5}"),
    ],
)
def test_latex_shows_the_simplified_tree(text, latex, derivative_latex):
    formula = parse_formula(text)
    assert formula.latex == latex
    assert formula.derivative_latex == derivative_latex


# ---------------------------------------------------------------- analytic or not


@pytest.mark.parametrize(("text", "f", "df"), ALL_EXAMPLES, ids=example_ids)
def test_is_analytic_is_false_exactly_for_abs_relu_and_max(text, f, df):
    analytic = (text, f, df) in ANALYTIC_EXAMPLES
    assert parse_formula(text).is_analytic is analytic


@pytest.mark.parametrize("text", ["abs(theta)", "relu(theta)", "max(theta, 0)", "1 + max(2, θ)"])
def test_non_analytic_formula_refuses_complex_input(text):
    formula = parse_formula(text)
    with pytest.raises(
        ValueError, match=r"not complex-differentiable.*complex step does not apply"
    ):
        formula.f(np.array([1.0 + 1e-20j]))


def test_constant_abs_leaves_the_formula_analytic():
    # abs(-2) is the constant 2: nothing non-analytic touches θ.
    formula = parse_formula("theta * abs(-2)")
    assert formula.is_analytic
    assert formula.f(np.array([1.0 + 1e-20j]))[0].imag == pytest.approx(2e-20)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_parsed_formula_runs_through_the_error_sweep_keeping_its_dtype(dtype):
    formula = parse_formula("sin(theta)*exp(theta)")
    sweep = error_sweep(formula.f, formula.df, 1.0, dtype=dtype)
    assert sweep.methods["central"].truncation_slope == pytest.approx(2, abs=0.1)
    assert sweep.methods["complex_step"].best_error <= 4 * sweep.machine_epsilon * 4


def test_non_analytic_formula_sweeps_without_the_complex_step_and_refuses_it():
    formula = parse_formula("abs(theta - 3)")
    without = tuple(method for method in METHODS if method != "complex_step")
    sweep = error_sweep(formula.f, formula.df, 1.0, methods=without)
    central = sweep.methods["central"]
    assert np.isnan(central.truncation_slope)  # |θ − 3| is linear near θ = 1: no truncation
    assert central.best_error < 1e-12
    with pytest.raises(ValueError, match="complex step does not apply"):
        error_sweep(formula.f, formula.df, 1.0, methods=("complex_step",))


# ---------------------------------------------------------------- domain


@pytest.mark.parametrize(
    ("text", "theta", "message"),
    [
        ("log(theta)", -1.0, r"^f\(θ\) at θ = -1: log is undefined \(its argument -1 is not"),
        ("log10(theta - 1)", 1.0, "log10 is undefined"),
        ("sqrt(theta)", -4.0, "sqrt is undefined .*-4 is negative"),
        ("1/theta", 0.0, r"^f\(θ\) at θ = 0: division by zero"),
        ("sqrt(theta)", 0.0, r"^f′\(θ\) at θ = 0: division by zero"),
        ("exp(theta)", 1000.0, "exp overflows float64"),
        ("theta^0.5", -2.0, r"negative base \(-2\) to a non-integer power \(0.5\)"),
        ("theta^-1", 0.0, r"0 to a negative power \(-1\)"),
        ("log(theta)", np.array([1.0, 2.0, -3.0]), "at θ = -3"),
        ("log(x)", -1.0, r"^f\(x\) at x = -1"),
        ("1/exp(theta)", 1000.0, r"^f′"),  # f = 0 is fine there; only f′ is NaN
    ],
)
def test_check_domain_names_the_failing_step_and_theta(text, theta, message):
    with pytest.raises(ValueError, match=message):
        parse_formula(text).check_domain(theta)


def test_check_domain_in_float32_reports_float32_overflow():
    with pytest.raises(ValueError, match="exp overflows float32"):
        parse_formula("exp(theta)").check_domain(np.float32(100.0))


def test_check_domain_passes_inside_the_domain():
    parse_formula("log(theta) + sqrt(theta) + 1/theta").check_domain(np.linspace(0.1, 5, 50))


def test_check_domain_refuses_non_finite_theta():
    with pytest.raises(ValueError, match="real and finite"):
        parse_formula("theta").check_domain(np.nan)


def test_f_is_nan_outside_the_domain_without_numpy_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(parse_formula("log(theta)").f(-1.0))
        assert np.isinf(parse_formula("1/theta").f(0.0))


def test_non_numeric_theta_is_refused():
    with pytest.raises(ValueError, match="number"):
        parse_formula("theta").f("1")


# ---------------------------------------------------------------- refusals


INJECTIONS = [
    ("__import__('os').system('id')", "unknown name '__import__'; allowed: θ"),
    ("theta.real", "no attribute access"),
    ("theta.__class__", "no attribute access"),
    ("theta[0]", "square brackets"),
    ("[t for t in x]", "square brackets"),
    ("lambda: 1", "unknown name 'lambda'"),
    ("'theta'", "quotes are not allowed"),
    ('"theta"', "quotes are not allowed"),
    ("foo(theta)", "unknown name 'foo'; allowed: .*sin"),
    ("os", "unknown name 'os'"),
    ("theta if theta else 0", "unknown name 'if'"),
    ("9**9**9**9", "power towers are limited to 2 levels"),
    ("theta; 1", "unexpected character ';'"),
    ("θ @ θ", "unexpected character '@'"),
    ("{theta}", "unexpected character '{'"),
]

REFUSALS = [
    *INJECTIONS,
    ("", "empty"),
    ("   ", "empty"),
    ("theta+" * 40, f"at most {MAX_CHARACTERS}"),
    ("(theta", r"'\(' at position 0 is never closed"),
    ("theta)", r"'\)' at position 5 has no matching"),
    ("sin(theta", "never closed"),
    ("theta theta", "missing operator between 'theta' and 'theta'"),
    ("2θ", "missing operator between '2' and 'θ'"),
    ("sin(2 theta)", "missing operator"),
    ("theta +", "before the end of the formula"),
    ("()", r"but found '\)'"),
    ("theta, 1", "',' at position 5 may only separate"),
    ("(1, 2)", "',' may only separate"),
    ("theta + x", "uses both 'theta' and 'x'"),
    ("sin", r"sin is a function: write sin\(θ\)"),
    ("sin(theta, 1)", "sin takes one argument"),
    ("max(theta)", "max takes two arguments"),
    ("pi(2)", "'pi' is not a function"),
    ("theta(2)", "'theta' is not a function"),
    ("theta**9**9", "exponent 3.8742e\\+08 is too large"),
    ("theta^1001", "within ±1000"),
    ("2^(3^(4^5))", "too large"),
    ("exp(1000)", "exp overflows"),
    ("exp(700)*exp(700)", "the product overflows"),
    ("1/0", "division by zero"),
    ("log(-1)", "log is undefined"),
    ("(-8)^(1/3)", "negative base"),
    ("(-2)^theta", "constant base .* must be positive"),
    ("0^theta", "must be positive"),
    ("1e999", "the number 1e999 is too large"),
    ("1+" * 60 + "1", "more than 100 tokens"),
    ("(" * 31 + "theta" + ")" * 31, "parentheses are nested more than 30 deep"),
    ("theta" + "+theta" * 30, "nested more than 30 operations deep"),
]


@pytest.mark.parametrize(("text", "message"), REFUSALS)
def test_parse_refuses_with_a_message_naming_the_problem(text, message):
    with pytest.raises(ValueError, match=message):
        parse_formula(text)


def test_parse_refuses_non_text():
    with pytest.raises(ValueError, match="must be text"):
        parse_formula(42)


def test_injection_is_refused_while_parsing_before_any_evaluation():
    # Refusals cost a few microseconds each (about 3 µs for a 180-character injection on
    # the development machine); here we only check that no numpy operation ever ran.
    with (
        mock.patch("core.formula._evaluate") as evaluate,
        mock.patch("core.formula._apply") as apply,
    ):
        for text, message in INJECTIONS:
            with pytest.raises(ValueError, match=message):
                parse_formula(text)
    evaluate.assert_not_called()
    apply.assert_not_called()


def test_parser_never_calls_eval_exec_compile_or_ast(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("the formula parser must not use Python's own parser")

    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, forbidden)
    monkeypatch.setattr(ast, "parse", forbidden)
    for text, f, _ in ALL_EXAMPLES:
        formula = parse_formula(text)
        assert formula.f(1.5) == pytest.approx(f(1.5))
        assert formula.df(1.5) is not None


# ---------------------------------------------------------------- property tests

_atoms = st.sampled_from(["theta", "0.5", "2", "3", ".25", "1e-1", "pi", "e"])


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    # Each form stays finite and differentiable for θ in [0.5, 2]: log and sqrt get a
    # positive argument, division a denominator of at least 1.
    unary = st.sampled_from(
        ["sin({})", "cos({})", "exp({})", "tanh({})", "arctan({})", "sigmoid({})",
         "sinh({})", "cosh({})", "log(1 + ({})^2)", "sqrt(1 + ({})^2)", "-({})", "({})^2",
         "({})**3"]
    )  # fmt: skip
    binary = st.sampled_from(["({}) + ({})", "({}) - ({})", "({}) * ({})", "({}) / (1 + ({})^2)"])
    return st.one_of(
        st.builds(str.format, unary, children),
        st.builds(str.format, binary, children, children),
    )


expressions = st.recursive(_atoms, _combine, max_leaves=5)


@settings(max_examples=300, deadline=None, database=None)
@given(text=expressions, theta=st.floats(0.5, 2.0))
def test_random_formula_derivative_agrees_with_central_difference(text, theta):
    assume(len(text) <= 100)
    try:
        formula = parse_formula(text)
    except ValueError as refusal:  # a constant part such as exp(exp(exp(2))) overflows
        assert "constant part" in str(refusal)
        assume(False)
    epsilon = 1e-5
    with np.errstate(all="ignore"):
        values = formula.f(np.array([theta - epsilon, theta, theta + epsilon]))
        exact = formula.df(theta)
    assume(np.all(np.isfinite(values)) and np.isfinite(exact))
    assume(np.max(np.abs(values)) < 1e6)
    numerical = two_sided_difference(formula.f, theta, epsilon)
    # Truncation ≈ f‴ε²/6 and round-off ≈ u|f|/ε, both well under 1e-5 of the scale here.
    assert numerical == pytest.approx(exact, rel=1e-5, abs=1e-5 * (1 + np.max(np.abs(values))))


_pieces = st.sampled_from(
    [*"θx0123456789.eE+-*/^(),[]{}'\"_:;@!#$%&|<>=~` \t\\",
     "theta", "sin", "max", "log", "pi", "**", "__", "__import__", "lambda", "os", "class",
     ".real", "1e", "1e999", "(", ")", "abs", "relu", "for", "in", "\n", "\x00", "é", "θθ"]
)  # fmt: skip


@settings(
    max_examples=2000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(text=st.lists(_pieces, max_size=40).map("".join))
def test_fuzzed_text_gives_a_formula_or_a_value_error_and_nothing_else(text):
    try:
        formula = parse_formula(text)
    except ValueError:
        return
    assert isinstance(formula, Formula)
    theta = np.array([-1.5, 0.0, 0.5, 2.0])
    assert np.shape(formula.f(theta)) == theta.shape
    assert np.shape(formula.df(theta)) == theta.shape
    with contextlib.suppress(ValueError):  # a domain problem is a fine answer too
        formula.check_domain(theta)
