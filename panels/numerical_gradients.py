"""The numerical-gradients page's controls, its cached calls into core.finite_differences and
its sentences: the chosen f, θ, ε and precision, the numbers put into the lecture's two
quotients, and what the error at this ε says."""

import math
from typing import NamedTuple

import streamlit as st

from charts.numerical_gradients import METHOD_NAMES, number, short
from core.finite_differences import (
    ErrorSweep,
    SecantGeometry,
    error_sweep,
    is_exact_for_f,
    secant_geometry,
)
from core.formula import MAX_CHARACTERS, Formula, parse_formula
from ui.presentation import secondary
from ui.text import markdown_plain

PRESETS = {"θ³": "theta**3", "sin θ": "sin(theta)", "exp θ": "exp(theta)", "log θ": "log(theta)",
           "max(θ, 0)": "max(theta, 0)", "|θ|": "abs(theta)", "typed formula": None}  # fmt: skip
# Steps and window widths as the text shown (and kept in the URL): 1e-16, 3e-16, …, 0.3, 1.
EPSILONS = [short(float(f"{m}e{k}")) for k in range(-16, 0) for m in (1, 3)] + ["1"]
HALF_WIDTHS = ["0.01", "0.03", "0.1", "0.3", "1", "2", "3"]
DIGITS = {"float64": 12, "float32": 7}  # significant digits worth showing


@st.cache_data(max_entries=64, show_spinner=False)
def sweep(text: str, theta: float, dtype: str, epsilons: tuple[float, ...] | None = None):
    formula = parse_formula(text)
    methods = tuple(m for m in METHOD_NAMES if formula.is_analytic or m != "complex_step")
    return error_sweep(formula.f, formula.df, theta, epsilons, dtype, methods)


@st.cache_data(max_entries=64, show_spinner=False)
def geometry(text: str, theta: float, epsilon: float, half_width: float):
    formula = parse_formula(text)
    return secant_geometry(formula.f, formula.df, theta, epsilon, half_width)


def formula_controls():
    """The chosen f as a Formula; a refused typed formula falls back to the last good one."""
    choice = st.sidebar.selectbox(
        "Function f(θ)", list(PRESETS), key="ng_f", bind="query-params",
        help="θ³ is the lecture's example; max(θ, 0) and |θ| have a kink at 0.",
    )  # fmt: skip
    text = PRESETS[choice] or st.sidebar.text_input(
        "Formula in θ", "sin(3*theta) + theta**2/2", max_chars=MAX_CHARACTERS, key="ng_formula",
        bind="query-params", help="θ (or theta, x), + − * / ^, pi, e and functions such as "
        "sin, exp, log, sqrt, tanh, sigmoid, abs, relu, max(θ, 0).",
    )  # fmt: skip
    try:
        formula = parse_formula(text)
    except ValueError as error:
        last = st.session_state.get("ng_last_good", PRESETS["θ³"])
        st.error(
            f"Could not use that formula: {markdown_plain(error)} Showing the last good "
            f"formula: {markdown_plain(last)}"
        )
        return parse_formula(last)
    st.session_state["ng_last_good"] = text
    return formula


def step_controls() -> tuple[float, float, str, float]:
    """θ, ε, the precision of the error curves, and the picture's half-width."""
    theta = st.sidebar.slider(
        "θ, the point", -3.0, 3.0, 1.0, 0.05, key="ng_theta", bind="query-params",
        help="Where the derivative is taken. The lecture uses θ = 1.",
    )  # fmt: skip
    epsilon = st.sidebar.select_slider(
        "ε, the step (log scale)", EPSILONS, "0.01", key="ng_eps", bind="query-params",
        help="From 1e-16 to 1 in half-decades. The lecture uses ε = 0.01.",
    )  # fmt: skip
    dtype = st.sidebar.segmented_control(
        "Precision of the error curves", list(DIGITS), default="float64", required=True,
        key="ng_dtype", bind="query-params", help="float64 keeps ~16 digits, float32 ~7.",
    )  # fmt: skip
    half_width = secondary().select_slider(
        "Picture window: θ ± …", HALF_WIDTHS, "1", key="ng_zoom",
        bind="query-params", help="Drag or scroll on the picture to pan and zoom it as well.",
    )  # fmt: skip
    return theta, float(epsilon), dtype, float(half_width)


class Shown(NamedTuple):
    """θ, ε and f at θ+ε, θ, θ−ε as the quotients on the page write them."""

    theta: str
    epsilon: str
    f_plus: str
    f_theta: str
    f_minus: str


def shown_numbers(g: SecantGeometry) -> Shown:
    digits = min(15, 6 - math.floor(math.log10(g.epsilon)))  # enough to see f move by ε
    values = (number(value, digits) for value in (g.f_plus, g.f_theta, g.f_minus))
    return Shown(number(g.theta, 15), short(g.epsilon), *values)


def estimates_caption(formula: Formula) -> str:
    notes = "D is the two-sided quotient. Error = |estimate − f′(θ)|; ≤ means within round-off."
    if not formula.is_analytic:
        notes += (
            " The complex step is not applicable: abs, max and ReLU are not complex-differentiable "
            "(they drop the imaginary part). At their kink f′ is taken as sign(0) = step(0) = 0."
        )
    return notes


def points_apart(epsilon: float, half_width: float) -> bool:
    """Whether θ−ε, θ and θ+ε stand apart on the picture, so they can be labelled."""
    return epsilon >= half_width / 15


def window_caption(epsilon: float, half_width: float) -> str | None:
    """Why the picture cannot show the lecture's triangles at this ε and window, if it cannot."""
    e = short(epsilon)
    if not points_apart(epsilon, half_width):
        return (
            f"At ε = {e} the secants hide under the tangent at this zoom: raise ε towards 0.3 or "
            "narrow the window to see the lecture's two triangles."
        )
    if epsilon > half_width:
        wide_enough = next(width for width in HALF_WIDTHS if float(width) >= epsilon)
        return (
            f"At ε = {e} the points θ ± ε lie outside the window θ ± {half_width:g}, where f is "
            f"not drawn: widen the window to θ ± {wide_enough} or more to see the secants meet f."
        )
    return None


def turning_point(chosen: ErrorSweep) -> float:
    """The step splitting the error chart into its round-off and truncation sides: the
    two-sided curve's bottom, or its theoretical best step when it has no truncation error."""
    central = chosen.methods["central"]
    exact = is_exact_for_f(chosen, "central")
    return central.theoretical_best_epsilon if exact else central.best_epsilon


def error_notice(
    at_epsilon: dict[str, ErrorSweep], curves: dict[str, ErrorSweep], dtype: str, epsilon: float
) -> str:
    """Both errors at this ε, which side of the best step it is on, and the best of each dtype."""
    e, chosen = short(epsilon), curves[dtype]
    one, two = (at_epsilon["float64"].methods[m].absolute_error[0] for m in ("forward", "central"))
    notice = f"At ε = {e} in float64 the one-sided error is {number(one, 3)} and the two-sided "
    notice += f"error {number(two, 3)}."
    forward, central = chosen.methods["forward"], chosen.methods["central"]
    if math.isnan(forward.truncation_slope) and not is_exact_for_f(chosen, "forward"):
        notice += (
            " The one-sided error does not shrink with ε, the mark of a kink at θ where no "
            "derivative exists, and a gradient check fails there honestly."
        )
    elif is_exact_for_f(chosen, "central"):
        notice += f" For this f the two-sided quotient has no truncation error in {dtype}."
    elif epsilon > central.best_epsilon:
        notice += (
            f" In {dtype} this ε is on the truncation side: shrinking it helps until about "
            f"{short(central.best_epsilon)}, where the two-sided error bottoms out near "
            f"{short(central.best_error)}."
        )
    else:
        notice += (
            f" In {dtype} this ε is past the best step (about {short(central.best_epsilon)}): "
            "round-off dominates, and a smaller ε only makes the error larger."
        )
    best64, best32 = (curves[d].methods["central"].best_error for d in DIGITS)
    return notice + (
        f" At best, the two-sided error is {short(best64)} in float64 but {short(best32)} in "
        "float32."
    )
