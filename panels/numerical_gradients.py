"""The numerical-gradients page's controls, its cached calls into core.finite_differences and
its sentences: the chosen f, θ, ε and precision, the numbers put into the lecture's two
quotients, and what the error at this ε says."""

import math
from decimal import Decimal
from typing import NamedTuple

import streamlit as st

from charts.numerical_gradients import METHOD_NAMES, hidden_secants, number, short
from core.finite_differences import (
    ErrorSweep,
    SecantGeometry,
    error_sweep,
    has_kink,
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
# Every control's starting value, by widget key: the widgets and the walkthrough read it.
DEFAULTS = {
    "ng_f": "θ³", "ng_formula": "sin(3*theta) + theta**2/2", "ng_theta": 1.0, "ng_eps": "0.01",
    "ng_dtype": "float64", "ng_zoom": "1",
}  # fmt: skip


@st.cache_data(max_entries=64, show_spinner=False)
def sweep(text: str, theta: float, dtype: str, epsilons: tuple[float, ...] | None = None):
    formula = parse_formula(text)
    methods = tuple(m for m in METHOD_NAMES if formula.is_analytic or m != "complex_step")
    return error_sweep(formula.f, formula.df, theta, epsilons, dtype, methods)


@st.cache_data(max_entries=64, show_spinner=False)
def kink(text: str, theta: float) -> bool:
    """Whether f has a kink at θ (core.finite_differences.has_kink)."""
    return has_kink(parse_formula(text).f, theta)


@st.cache_data(max_entries=64, show_spinner=False)
def geometry(text: str, theta: float, epsilon: float, half_width: float):
    formula = parse_formula(text)
    return secant_geometry(formula.f, formula.df, theta, epsilon, half_width)


def formula_controls():
    """The chosen f as a Formula; a refused typed formula falls back to the last good one."""
    choice = st.sidebar.selectbox(
        "Function f(θ)", list(PRESETS), list(PRESETS).index(DEFAULTS["ng_f"]), key="ng_f",
        bind="query-params",
        help="θ³ is the lecture's example; max(θ, 0) and |θ| have a kink at 0.",
    )  # fmt: skip
    text = PRESETS[choice] or st.sidebar.text_input(
        "Formula in θ", DEFAULTS["ng_formula"], max_chars=MAX_CHARACTERS, key="ng_formula",
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
        "θ, the point", -3.0, 3.0, DEFAULTS["ng_theta"], 0.05, key="ng_theta", bind="query-params",
        help="Where the derivative is taken. The lecture uses θ = 1.",
    )  # fmt: skip
    epsilon = st.sidebar.select_slider(
        "ε, the step (log scale)", EPSILONS, DEFAULTS["ng_eps"], key="ng_eps", bind="query-params",
        help="From 1e-16 to 1 in half-decades. The lecture uses ε = 0.01.",
    )  # fmt: skip
    dtype = st.sidebar.segmented_control(
        "Precision of the error curves", list(DIGITS), default=DEFAULTS["ng_dtype"], required=True,
        key="ng_dtype", bind="query-params", help="float64 keeps ~16 digits, float32 ~7.",
    )  # fmt: skip
    half_width = secondary().select_slider(
        "Picture window: θ ± …", HALF_WIDTHS, DEFAULTS["ng_zoom"], key="ng_zoom",
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
    """f(θ+ε), f(θ) and f(θ−ε) to the same decimal place, fine enough that subtracting the
    written values gives both quotients to the digits shown. At a tiny ε the differences
    cancel most of f's digits, so this shows f's float64 value far past its 17th digit:
    the round-off the quotient divides by ε is in those digits."""
    e = short(g.epsilon)
    values = (g.f_plus, g.f_theta, g.f_minus)
    differences = [abs(g.f_plus - g.f_theta), abs(g.f_plus - g.f_minus)]
    leading = [_decade(d) for d in differences if d > 0 and math.isfinite(d)]
    place = min(leading) - DIGITS["float64"] if leading else _decade(max(map(abs, values))) - 16
    for finer in range(_MAX_EXTRA_PLACES):  # a guard digit more while a last digit differs
        written = [_to_place(value, place - finer) for value in values]
        if _quotients_written(*written, e) == (number(g.one_sided), number(g.two_sided)):
            break
    return Shown(number(g.theta, 15), e, *written)


_MAX_EXTRA_PLACES = 6
_BESIDE = 30  # digits the two-sided numerator may have to fit in the column beside the lecture's


def fits_beside(f_plus: str, f_minus: str) -> bool:
    """Whether the quotients written with these numbers fit beside the lecture's (at a tiny
    ε the digits that show the round-off need the page's full width)."""
    return len(f_plus) + len(f_minus) <= _BESIDE


def _decade(value: float) -> int:
    return math.floor(math.log10(value)) if value > 0 and math.isfinite(value) else 0


def _to_place(value: float, place: int) -> str:
    # value rounded to the decimal place 10^place, as significant digits (at least one).
    if not math.isfinite(value) or value == 0:
        return number(value)
    return number(value, min(60, max(1, _decade(abs(value)) - place + 1)))


def _quotients_written(f_plus: str, f_theta: str, f_minus: str, e: str) -> tuple[str, str]:
    """Both quotients as the page writes them, worked out in decimal from the written
    numbers (what a reader checking the page by hand gets)."""

    def quotient(a: str, b: str, steps: int) -> str:
        if "undefined" in (a, b):
            return "undefined"
        return number(float((Decimal(a) - Decimal(b)) / (steps * Decimal(e))))

    return quotient(f_plus, f_theta, 1), quotient(f_plus, f_minus, 2)


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


def picture_caption(
    text: str, theta: float, epsilon: float, half_width: float, kink: bool, straight: bool
) -> str | None:
    """What the secant picture cannot show at this ε and window, and how to see it.

    kink: f has no derivative at θ; straight: the one-sided quotient is exact for f (a
    straight line), so the secants are the tangent at every ε.
    """
    e, g = short(epsilon), geometry(text, theta, epsilon, half_width)
    if epsilon > half_width:
        wide_enough = next(width for width in HALF_WIDTHS if float(width) >= epsilon)
        return (
            f"At ε = {e} the points θ ± ε lie outside the window θ ± {half_width:g}, where f is "
            f"not drawn: widen the window to θ ± {wide_enough} or more to see the secants meet f."
        )
    apart = points_apart(epsilon, half_width)
    points = "" if apart else " " + _points_advice(epsilon)
    slopes = f"{number(g.one_sided)} and {number(g.two_sided)}"
    if kink:
        return (
            "f has a kink at θ, so it has no tangent there: the black line only has the slope "
            f"the formula's f′ gives at θ by convention ({number(g.derivative, 6)}). The secants' "
            f"slopes, {slopes}, do not close in on one value as ε shrinks.{points}"
        )
    hidden = hidden_secants(g)
    if not hidden:
        return None if apart else f"At ε = {e} θ ± ε stand too close to θ to label.{points}"
    which = "both secants lie" if len(hidden) == 2 else f"the {hidden[0]} secant lies"
    against = (
        f"slopes {slopes}"
        if len(hidden) == 2
        else f"slope {number(getattr(g, hidden[0].replace('-', '_')))}"
    )
    caption = (
        f"At ε = {e} {which} within a line width of the tangent on this picture ({against} "
        f"against f′(θ) = {number(g.derivative, 6)})."
    )
    if straight:
        caption += " For this f they are the tangent at every ε."
    elif parting := _parting_width(text, theta, epsilon, half_width, hidden):
        caption += f" Narrow the window to θ ± {parting} to see the gap."
    elif epsilon < 0.3:
        caption += (
            " Narrowing the window shrinks the gap along with the picture, so no window parts "
            "them: raise ε towards 0.3 to see it."
        )
    return caption + points


def _points_advice(epsilon: float) -> str:
    # The widest window in which θ − ε, θ and θ + ε stand apart, if any.
    fitting = [width for width in HALF_WIDTHS if points_apart(epsilon, float(width))]
    if not fitting:
        return "No window of the picture sets the points θ ± ε apart at this ε."
    return f"At θ ± {fitting[-1]} the points θ ± ε and the lecture's two triangles stand apart."


def _parting_width(
    text: str, theta: float, epsilon: float, half_width: float, hidden: list[str]
) -> str | None:
    """The window, nearest to the current one, where none of the hidden secants is."""
    parting = [
        width
        for width in HALF_WIDTHS
        if float(width) >= epsilon
        and not set(hidden) & set(hidden_secants(geometry(text, theta, epsilon, float(width))))
    ]
    return min(parting, key=lambda w: abs(math.log(float(w) / half_width)), default=None)


def error_caption(dtype: str, sides: tuple[str, ...]) -> str:
    """How to read the error chart, for the sides it has (charts.error_sides)."""
    if not sides:
        return (
            f"In {dtype}. At a kink no method's error shrinks with ε and round-off does not "
            "lift it either: the chart has no truncation side, no round-off side and no best "
            "step to mark."
        )
    caption = f"In {dtype}. "
    if len(sides) == 2:
        caption += "Left of the two-sided curve's bottom round-off dominates, right of it "
        caption += "truncation. "
    return caption + (
        "Dashed lines: the theoretical best ε of each method whose error falls with ε; "
        "diamonds: the measured bottom of its curve; slopes are fitted on the truncation side."
    )


def turning_point(chosen: ErrorSweep) -> float:
    """The step splitting the error chart into its round-off and truncation sides: the
    two-sided curve's bottom, or its theoretical best step when it has no truncation error."""
    central = chosen.methods["central"]
    exact = is_exact_for_f(chosen, "central")
    return central.theoretical_best_epsilon if exact else central.best_epsilon


def error_notice(
    at_epsilon: dict[str, ErrorSweep],
    curves: dict[str, ErrorSweep],
    dtype: str,
    epsilon: float,
    kink: bool = False,
) -> str:
    """Both errors at this ε in the chosen dtype, which side of the best step it is on, and
    the best of each dtype; kink: f has no derivative at θ, so there is no best step."""
    e, chosen = short(epsilon), curves[dtype]
    one, two = (at_epsilon[dtype].methods[m].absolute_error[0] for m in ("forward", "central"))
    notice = f"At ε = {e} in {dtype} the one-sided error is {number(one, 3)} and the two-sided "
    notice += f"error {number(two, 3)}."
    if kink:
        return notice + (
            " f has a kink at θ, where no derivative exists: the quotients keep their values "
            "as ε shrinks instead of closing in on one slope, and their errors are measured "
            "against the value the formula's f′ takes there by convention. A gradient check "
            "fails there honestly."
        )
    central = chosen.methods["central"]
    if is_exact_for_f(chosen, "central"):
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
