"""Numerical gradients: one-sided and two-sided differences, their geometry and their error."""

import math

import streamlit as st

from charts.numerical_gradients import (
    METHOD_NAMES,
    error_chart,
    estimate_frame,
    number,
    secant_chart,
    secant_frames,
    short,
    sweep_frames,
    tex,
)
from core.finite_differences import error_sweep, is_exact_for_f, secant_geometry
from core.formula import MAX_CHARACTERS, parse_formula
from ui.charts import show
from ui.entry import run_inside_app
from ui.links import SharedLink
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


run_inside_app()
st.title("Numerical gradients")
link = SharedLink()
st.write(
    "A derivative is the slope of a tangent, but a computer can only measure the slopes of "
    "secants. Step ε to one side of θ and the secant's slope is off by an amount that "
    "shrinks like ε; step both ways and the first-order errors cancel, leaving one that "
    "shrinks like ε². Make ε too small, though, and round-off takes over."
)
formula = formula_controls()
theta, epsilon, dtype, half_width = step_controls()
try:
    formula.check_domain(theta)
except ValueError as error:
    st.error(f"{markdown_plain(error)} Choose another θ or another function.")
    link.report()
    st.stop()
try:
    formula.check_domain([theta - epsilon, theta + epsilon])
except ValueError as error:
    st.warning(f"{error} The differences that step there are undefined: choose a smaller ε.")

g = geometry(formula.text, theta, epsilon, half_width)
at_epsilon = {d: sweep(formula.text, theta, d, (epsilon,)) for d in DIGITS}
curves = {d: sweep(formula.text, theta, d) for d in DIGITS}
digits = min(15, 6 - math.floor(math.log10(epsilon)))  # enough to see f move by ε
t, e, fp = number(theta, 15), short(epsilon), number(g.f_plus, digits)

st.latex(rf"f(\theta) = {formula.latex},\qquad f'(\theta) = {formula.derivative_latex}")
lecture, live = st.columns([2, 3])
lecture.markdown("**The lecture's two quotients**")
lecture.latex(r"\frac{f(\theta+\varepsilon)-f(\theta)}{\varepsilon} = f'(\theta) + O(\varepsilon)")
lecture.latex(
    r"\frac{f(\theta+\varepsilon)-f(\theta-\varepsilon)}{2\varepsilon}"
    r" = f'(\theta) + O(\varepsilon^2)"
)
live.markdown(f"**With θ = {t} and ε = {e}**, in float64, against f′(θ) = {number(g.derivative)}")
fm, f0 = number(g.f_minus, digits), number(g.f_theta, digits)
live.markdown(f"f(θ+ε) = f({t}+{e}) = {fp}  ·  f(θ) = {f0}  ·  f(θ−ε) = f({t}−{e}) = {fm}")
live.latex(rf"\frac{{{tex(fp)} - {tex(f0, True)}}}{{{tex(e)}}} = {tex(number(g.one_sided))}")
live.latex(
    rf"\frac{{{tex(fp)} - {tex(fm, True)}}}{{2 \cdot {tex(e)}}} = {tex(number(g.two_sided))}"
)

st.markdown(f"**Estimates of f′(θ) at θ = {t}, ε = {e}**")
st.table(estimate_frame(at_epsilon, DIGITS))
notes = "D is the two-sided quotient. Error = |estimate − f′(θ)|; ≤ means within round-off."
if not formula.is_analytic:
    notes += (
        " The complex step is not applicable: abs, max and ReLU are not complex-differentiable "
        "(they drop the imaginary part). At their kink f′ is taken as sign(0) = step(0) = 0."
    )
st.caption(notes)

left, right = st.columns(2)
apart = epsilon >= half_width / 15  # are θ−ε, θ and θ+ε apart on the picture?
show(secant_chart(*secant_frames(g, apart)), "secants", left)
if not apart:
    left.caption(
        f"At ε = {e} the secants hide under the tangent at this zoom: raise ε towards 0.3 or "
        "narrow the window to see the lecture's two triangles."
    )
chosen = curves[dtype]
central = chosen.methods["central"]
central_exact = is_exact_for_f(chosen, "central")
turning = central.theoretical_best_epsilon if central_exact else central.best_epsilon
show(error_chart(*sweep_frames(chosen), epsilon, e, turning), f"error_vs_epsilon_{dtype}", right)
right.caption(
    f"In {dtype}. Left of the two-sided curve's bottom round-off dominates, right of it "
    "truncation. Dashed lines: each method's theoretical best ε; diamonds: the measured "
    "bottom of each curve; slopes are fitted on the truncation side."
)

one, two = (at_epsilon["float64"].methods[m].absolute_error[0] for m in ("forward", "central"))
notice = f"At ε = {e} in float64 the one-sided error is {number(one, 3)} and the two-sided "
notice += f"error {number(two, 3)}."
forward = chosen.methods["forward"]
if math.isnan(forward.truncation_slope) and not is_exact_for_f(chosen, "forward"):
    notice += (
        " The one-sided error does not shrink with ε, the mark of a kink at θ where no derivative "
        "exists, and a gradient check fails there honestly."
    )
elif central_exact:
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
notice += (
    f" At best, the two-sided error is {short(best64)} in float64 but {short(best32)} in float32."
)
st.info(notice)

link.report()
