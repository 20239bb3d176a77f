"""The numerical-gradients page's controls, its cached calls into core.finite_differences and
its sentences: the chosen f, θ, ε and precision, the headline errors, the numbers put into
the lecture's two quotients, what each chart shows, and what the error at this ε says."""

import math
from decimal import Decimal
from typing import NamedTuple

import streamlit as st

from charts.numerical_gradients import COLORS, METHOD_NAMES, hidden_secants, number, short, tex
from core.finite_differences import (
    AboveTangent,
    ErrorSweep,
    SecantGeometry,
    above_tangent,
    error_sweep,
    has_kink,
    is_exact_for_f,
    secant_geometry,
    spans_kink,
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


def formula_control(where=st) -> Formula:
    """The chosen f, drawn in where; a refused typed formula falls back to the last good one."""
    choice = where.selectbox(
        "Function f(θ)", list(PRESETS), list(PRESETS).index(DEFAULTS["ng_f"]), key="ng_f",
        bind="query-params",
        help="θ³ is the lecture's example; max(θ, 0) and |θ| have a kink at 0.",
    )  # fmt: skip
    text = PRESETS[choice] or where.text_input(
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


def epsilon_control(where=st) -> float:
    """ε, the step, from 1e-16 to 1 in half-decades, drawn in where."""
    epsilon = where.select_slider(
        "ε, the step (log scale)", EPSILONS, DEFAULTS["ng_eps"], key="ng_eps",
        bind="query-params", help="From 1e-16 to 1 in half-decades. The lecture uses ε = 0.01.",
    )  # fmt: skip
    return float(epsilon)


def theta_control() -> float:
    """θ, the point, in the sidebar (the lecture keeps it at 1)."""
    return st.sidebar.slider(
        "θ, the point", -3.0, 3.0, DEFAULTS["ng_theta"], 0.05, key="ng_theta", bind="query-params",
        help="Where the derivative is taken. The lecture uses θ = 1.",
    )  # fmt: skip


def dtype_control(where=st) -> str:
    """The precision of the error curves and of the headline errors, drawn in where."""
    return where.segmented_control(
        "Precision of the error curves", list(DIGITS), default=DEFAULTS["ng_dtype"], required=True,
        key="ng_dtype", bind="query-params", help="float64 keeps ~16 digits, float32 ~7.",
    )  # fmt: skip


def window_control(where=st) -> float:
    """The half-width of the lecture's picture, drawn in where (a secondary control:
    folded away on a projector)."""
    half_width = secondary(where).select_slider(
        "Picture window: θ ± …", HALF_WIDTHS, DEFAULTS["ng_zoom"], key="ng_zoom",
        bind="query-params", help="How much of f around θ the lecture's picture shows.",
    )  # fmt: skip
    return float(half_width)


HERO_REACH = 2.0
"""The hero picture spans θ ± HERO_REACH·ε (charts.numerical_gradients draws it so)."""


def hero_geometry(text: str, theta: float, epsilon: float) -> tuple[SecantGeometry, AboveTangent]:
    """The secant picture over θ ± 2ε, and the same with its tangent subtracted."""
    g = geometry(text, theta, epsilon, HERO_REACH * epsilon)
    return g, above_tangent(g)


class Headline(NamedTuple):
    """The hero's number: both errors at ε, and how the two-sided one compares.

    delta: None when there is nothing to compare; color and arrow: st.metric's
    delta_color and delta_arrow for it (a smaller error is good news, drawn green).
    """

    label: str
    value: str
    delta: str | None
    color: str
    arrow: str


_SAME_WITHIN = 1.05  # errors within 5 % of each other are "about the same"


def headline(here: ErrorSweep, f_theta: float) -> Headline:
    """The one-sided and two-sided errors at the sweep's single step, in its dtype, and how
    many times smaller the two-sided one is. An error no larger than the round-off of a
    quotient at this step (round_off) has no ratio: it is noise. f_theta: f(θ)."""
    one, two = (here.methods[m].absolute_error[0] for m in ("forward", "central"))
    floor = here.error_floor
    label = f"Error at ε = {short(here.epsilons[0])}, {here.dtype}: one-sided → two-sided"
    value = f"{_headline_error(one, floor)} → {_headline_error(two, floor)}"
    if not (math.isfinite(one) and math.isfinite(two)):
        return Headline(label, value, None, "off", "off")
    noise = round_off(here, f_theta)
    if one <= noise and two <= noise:
        return Headline(label, value, "both: round-off only", "off", "off")
    if two <= noise:
        return Headline(label, value, "two-sided: round-off only", "normal", "down")
    if one <= noise:
        return Headline(label, value, "one-sided: round-off only", "inverse", "up")
    if one / two >= _SAME_WITHIN:
        return Headline(label, value, f"{_ratio(one / two)} smaller", "normal", "down")
    if two / one >= _SAME_WITHIN:
        return Headline(label, value, f"{_ratio(two / one)} larger", "inverse", "up")
    return Headline(label, value, "about the same", "off", "off")


_ROUNDINGS = 4  # a quotient's round-off is a few roundings of f, divided by the step


def round_off(here: ErrorSweep, f_theta: float) -> float:
    """The error a difference quotient can get from round-off alone at the sweep's single
    step ε: a few units of the dtype's rounding of f(θ), over ε (u·|f(θ)|/ε), and never
    less than the sweep's error floor."""
    epsilon = float(here.epsilons[0])
    return max(_ROUNDINGS * here.machine_epsilon * abs(f_theta) / epsilon, here.error_floor)


def _ratio(ratio: float) -> str:
    # 3.2×, 301×, 4,500×; a million and more as a power of ten: 2·10⁷×.
    if ratio < 1e6:
        return f"{_times(ratio)}×"
    mantissa, exponent = f"{ratio:.0e}".split("e")
    return f"{mantissa}·10{str(int(exponent)).translate(_SUPERSCRIPTS)}×"


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _headline_error(error: float, floor: float) -> str:
    # Three significant digits; an error at the sweep's floor is at most the floor.
    return f"≤ {floor:.2g}" if error == floor else number(error, 3)


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


def function_latex(formula: Formula) -> str:
    """f and f′, one under the other (a typed formula can be long)."""
    return (
        rf"\begin{{aligned}} f(\theta) &= {formula.latex} \\ "
        rf"f'(\theta) &= {formula.derivative_latex} \end{{aligned}}"
    )


QUOTIENT_LATEX = {
    "forward": r"\frac{f(\theta+\varepsilon)-f(\theta)}{\varepsilon}",
    "central": r"\frac{f(\theta+\varepsilon)-f(\theta-\varepsilon)}{2\varepsilon}",
}


def colored(method: str, latex: str) -> str:
    """latex in the colour the charts draw the method's lines in."""
    return rf"\color{{{COLORS[method]}}}{{{latex}}}"


def lecture_latex(method: str) -> str:
    """The lecture's quotient for the method ("forward" or "central") and its order."""
    order = r"O(\varepsilon)" if method == "forward" else r"O(\varepsilon^2)"
    return rf"{colored(method, QUOTIENT_LATEX[method])} = f'(\theta) + {order}"


_DIGITS_PER_LINE = 18  # a long value goes on over lines of this many characters (a phone's)


def _long_number(text: str) -> str:
    # A number for a row of an aligned block, its digits continued on the rows below.
    pieces = [text[i : i + _DIGITS_PER_LINE] for i in range(0, len(text), _DIGITS_PER_LINE)]
    if "e" in text or len(pieces) == 1:
        return tex(text)
    return r" \\ &\hphantom{{}={}}".join(pieces)


def _difference(a: str, b: str) -> str:
    # a − b exactly, in decimal, as the numbers are written.
    if "undefined" in (a, b):
        return "undefined"
    return format(Decimal(a) - Decimal(b), "g")


def live_latex(shown: Shown, g: SecantGeometry, method: str) -> str:
    """The quotient worked out with these numbers, a row per step, so that a phone's
    width holds every row: f's values (long ones over several rows), their difference,
    the difference over the step, the result. Subtracting and dividing the numbers as
    written gives the result to the digits shown."""
    if method == "forward":
        other, name, steps, result = shown.f_theta, r"f(\theta)", tex(shown.epsilon), g.one_sided
    else:
        other, name = shown.f_minus, r"f(\theta-\varepsilon)"
        steps, result = rf"2 \cdot {tex(shown.epsilon)}", g.two_sided
    difference = tex(_difference(shown.f_plus, other))
    rows = [
        rf"f(\theta+\varepsilon) &= {_long_number(shown.f_plus)}",
        rf"{name} &= {_long_number(other)}",
        rf"f(\theta+\varepsilon) - {name} &= {difference}",
        rf"{colored(method, QUOTIENT_LATEX[method])} &= \frac{{{difference}}}{{{steps}}}",
        rf"&= {colored(method, tex(number(result)))}",
    ]
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


def tangent_caption(curves64: ErrorSweep, epsilon: float, kink: bool) -> str:
    """How to read the hero picture, and at a step on the round-off side of the float64
    two-sided curve's bottom, what tilts the secants there."""
    caption = (
        "Heights are measured from the line of slope f′(θ) through f(θ), the tangent, so it "
        "is drawn flat and each secant's tilt is its quotient's error."
    )
    if not kink and epsilon < curves64.methods["central"].best_epsilon:
        caption += (
            " At this ε round-off dominates: f(θ ± ε), and θ ± ε itself, are rounded to "
            "float64, and at this scale the rounding is as large as the secants' tilt."
        )
    return caption


def tangent_description(kink: bool) -> str:
    """What the hero picture shows, for a screen reader (its numbers are on the lines'
    labels and in the headline)."""
    line = "the line of slope f′(θ) by convention" if kink else "the tangent"
    return (
        f"f and the one-sided and two-sided secants over θ ± 2ε, with heights measured from "
        f"{line}, which is drawn flat, and dots at θ − ε, θ and θ + ε: each secant's tilt is "
        "its quotient's error, written beside its right end."
    )


def error_description(sweep: ErrorSweep, methods: tuple[str, ...], theory: bool = False) -> str:
    """What an error chart of these methods shows, for a screen reader (where each curve
    bottoms out is in its caption, error_caption); theory: the chart draws each method's
    theoretical best step (error_chart's theory)."""
    names = [METHOD_NAMES[method] for method in methods]
    dashed = (
        "a dashed rule at the theoretical best ε of each method whose error falls with ε, "
        if theory
        else ""
    )
    return (
        f"Absolute error against the step ε in {sweep.dtype}, both on log scales from "
        f"{short(sweep.epsilons[0])} to {short(sweep.epsilons[-1])}: one line per method "
        f"({', '.join(names)}), named beside its right end with its fitted slope, a diamond at "
        f"the bottom of each curve that has one, {dashed}and a rule at your ε."
    )


def bottoms(sweep: ErrorSweep, methods: tuple[str, ...]) -> str:
    """Where each method's error bottoms out (its diamond on the error chart), or that it
    has no truncation side to bottom out on."""
    parts = []
    for method in methods:
        errors, name = sweep.methods[method], METHOD_NAMES[method]
        if math.isfinite(errors.truncation_slope):
            parts.append(
                f"the {name} error bottoms out near {short(errors.best_error)} at ε ≈ "
                f"{short(errors.best_epsilon)}"
            )
        else:
            parts.append(f"the {name} error has no truncation side to bottom out on")
    return "; ".join(parts)


def picture_description() -> str:
    """What the lecture's picture shows, for a screen reader (its slopes are in its
    caption, picture_slopes)."""
    return (
        "f around θ over the chosen window, the line of slope f′(θ) through f(θ), and the "
        "one-sided and two-sided secants, with the lecture's two triangles shaded and dots "
        "at θ − ε, θ and θ + ε."
    )


def picture_slopes(g: SecantGeometry, epsilon: float) -> str:
    """The slopes of the lines the lecture's picture draws, and whose step they are at:
    the visitor's ε, or the picture's own when it is drawn at a larger step."""
    whose = "your" if g.epsilon == epsilon else "the picture's"
    return (
        f"Slopes at {whose} ε = {short(g.epsilon)}: f′(θ) = {number(g.derivative, 6)}, "
        f"one-sided secant {number(g.one_sided, 6)}, two-sided secant {number(g.two_sided, 6)}."
    )


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


def tangent_below(curves64: ErrorSweep) -> float:
    """The step below which both secants are the tangent (both quotients exact for f: a
    straight line, up to a kink): inf without a kink, its distance from θ with one, and 0
    when they are not exact."""
    exact = all(is_exact_for_f(curves64, method) for method in ("forward", "central"))
    return curves64.kink_distance if exact else 0.0


def picture_epsilon(
    text: str, theta: float, epsilon: float, half_width: float, smooth_below: float
) -> float:
    """The step the secant picture is drawn at: ε itself, unless a secant lies within a
    line width of the tangent there; then the smallest larger step of the ε control at
    which both secants part from it, short of the window's edge and of f's kink
    (smooth_below). ε when there is none."""
    if epsilon > half_width or not hidden_secants(geometry(text, theta, epsilon, half_width)):
        return epsilon
    larger = [step for step in map(float, EPSILONS) if epsilon < step <= half_width]
    for step in (step for step in larger if step < smooth_below):
        if not hidden_secants(geometry(text, theta, step, half_width)):
            return step
    return epsilon


def picture_caption(
    text: str,
    theta: float,
    epsilon: float,
    drawn: float,
    half_width: float,
    kink: bool,
    straight_below: float = 0.0,
    across: float = math.nan,
) -> str:
    """What the secant picture, drawn at step `drawn`, shows about the step ε, and how to
    see what it cannot, then the slopes of its lines (picture_slopes) unless it has given
    all three already.

    kink: f has no derivative at θ; straight_below: the secants are the tangent at every
    step below this (tangent_below); across: where f has a kink inside θ ± ε (NaN: none),
    which the two-sided secant spans.
    """
    e, g = short(epsilon), geometry(text, theta, drawn, half_width)
    slopes_at = picture_slopes(g, epsilon)
    if epsilon > half_width:
        wide_enough = next(width for width in HALF_WIDTHS if float(width) >= epsilon)
        return (
            f"At ε = {e} the points θ ± ε lie outside the window θ ± {half_width:g}, where f is "
            f"not drawn: widen the window to θ ± {wide_enough} or more to see the secants meet "
            f"f. {slopes_at}"
        )
    apart = points_apart(drawn, half_width)
    points = "" if apart else " " + _points_advice(drawn)
    slopes = f"{number(g.one_sided)} and {number(g.two_sided)}"
    if kink:
        return (
            "f has a kink at θ, so it has no tangent there: the black line only has the slope "
            f"the formula's f′ gives at θ by convention ({number(g.derivative, 6)}). The secants' "
            f"slopes, {slopes}, do not close in on one value as ε shrinks.{points}"
        )
    if math.isfinite(across):
        return (
            f"The two-sided secant spans f's kink at {across:.6g}, so its slope, "
            f"{number(g.two_sided, 6)}, mixes the slopes on both sides of the kink: it is no "
            f"tangent (f′(θ) = {number(g.derivative, 6)}). Below ε = {abs(across - theta):.6g} "
            f"the kink is outside θ ± ε.{points} {slopes_at}"
        )
    if drawn != epsilon:
        return f"{_enlarged_caption(text, theta, epsilon, drawn)}{points} {slopes_at}"
    hidden = hidden_secants(g)
    if not hidden:
        if apart:
            return f"The triangles are the lecture's: small θ … θ+ε, big θ−ε … θ+ε. {slopes_at}"
        return f"At ε = {e} θ ± ε stand too close to θ to label.{points} {slopes_at}"
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
    if epsilon < straight_below:
        caption += " For this f they are the tangent at every ε"
        if math.isfinite(straight_below):
            caption += f" short of the kink, ε < {straight_below:.6g}"
        caption += "."
    elif parting := _parting_width(text, theta, epsilon, half_width, hidden):
        caption += f" Narrow the window to θ ± {parting} to see the gap."
    else:
        caption += " No larger step that fits this window parts them: widen the window."
    return caption + points + ("" if len(hidden) == 2 else f" {slopes_at}")


def _enlarged_caption(text: str, theta: float, epsilon: float, drawn: float) -> str:
    """What the larger step the picture is drawn at does to each error, and why it is drawn
    there."""
    why = (
        f"The picture is drawn at ε = {short(drawn)}: at your ε = {short(epsilon)} the secants "
        "lie within a line width of the tangent. The numbers above stay at your ε."
    )
    both, curve = sweep(text, theta, "float64", (epsilon, drawn)), sweep(text, theta, "float64")
    growth = []
    for method, name in (("forward", "one-sided"), ("central", "two-sided")):
        errors = both.methods[method].absolute_error
        truncation = epsilon > curve.methods[method].best_epsilon  # not round-off
        if errors.size == 2 and truncation and errors[0] > _ROUND_OFF_FLOORS * both.error_floor:
            order = both.methods[method].truncation_order
            growth.append(
                f"the {name} error by {_times(errors[1] / errors[0])} "
                f"(O({'ε²' if order == 2 else 'ε'}) predicts {_times((drawn / epsilon) ** order)})"
            )
    if not growth:
        return why
    steps = f"{_times(drawn / epsilon)} times the step, ε = {short(drawn)},"
    return f"{steps} multiplies {' and '.join(growth)}. {why}"


# An error within this many error floors (u/2·|f′|) of zero is round-off, no truncation.
_ROUND_OFF_FLOORS = 1000.0


def _times(ratio: float) -> str:
    # A ratio as a whole number with thousands separators, or two digits below 10.
    return f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.2g}"


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


def error_caption(
    dtype: str,
    sides: tuple[str, ...],
    chosen: ErrorSweep | None = None,
    methods: tuple[str, ...] = (),
    theory: bool = False,
) -> str:
    """How to read an error chart, for the sides it has (charts.error_sides), where the
    steps start to reach f's kink and where the curves of these methods bottom out
    (chosen: the chart's sweep), and its dashed lines (theory: it draws each method's
    theoretical best step)."""
    if not sides:
        return (
            f"In {dtype}. At a kink no method's error shrinks with ε and round-off does not "
            "lift it either: the chart has no truncation side, no round-off side and no best "
            "step to mark."
        )
    caption = f"In {dtype}. "
    if chosen is not None and 0 < chosen.kink_distance < math.inf:
        caption += (
            f"From the dotted line at ε = {chosen.kink_distance:.6g} on, θ ± ε holds f's kink at "
            f"{chosen.kink:.6g}: the errors there come from the kink, not from truncation. "
        )
    caption += "Diamonds: the bottom of each curve, its best step"
    caption += f" ({bottoms(chosen, methods)}). " if chosen is not None and methods else ". "
    if theory:
        caption += "Dashed lines: the theoretical best ε of each method whose error falls with ε. "
    orders = "1 one-sided, 2 two-sided and complex step, 4 Richardson" if theory else (
        "1 one-sided, 2 two-sided")  # fmt: skip
    return caption + f"Slopes are fitted on the truncation side (theory: {orders})."


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
    g: SecantGeometry | None = None,
) -> str:
    """Both errors at this ε in the chosen dtype, then why: a kink at θ (where g, the
    geometry at ε, gives the slopes on either side), a kink inside θ ± ε, or the side of
    the best step ε is on, and the best of each dtype."""
    e, chosen, here = short(epsilon), curves[dtype], at_epsilon[dtype]
    one, two = (here.methods[m].absolute_error[0] for m in ("forward", "central"))
    one_text, two_text = (_error_text(error, here.error_floor) for error in (one, two))
    notice = f"At ε = {e} in {dtype} the one-sided error is {one_text} and the two-sided "
    notice += f"error {two_text}."
    if kink and g is not None:
        return notice + _at_a_kink(g, two, passes=two <= _ROUND_OFF_FLOORS * here.error_floor)
    if spans_kink(here, "central", epsilon):
        return notice + (
            f" f has a kink at {here.kink:.6g}, inside θ ± ε, so the two-sided secant mixes the "
            "slopes on both sides of it instead of closing in on the tangent: O(ε²) holds only "
            "for f smooth on θ ± ε. A ReLU unit whose input lies within ε of 0 breaks a real "
            f"gradient check this way. Below ε = {here.kink_distance:.6g} the kink is outside."
        )
    central = chosen.methods["central"]
    if is_exact_for_f(chosen, "central"):
        notice += f" For this f the two-sided quotient has no truncation error in {dtype}"
        if math.isfinite(chosen.kink_distance):
            notice += f" until ε reaches {chosen.kink_distance:.6g}, the kink at {chosen.kink:.6g}"
        notice += "."
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


def _error_text(error: float, floor: float) -> str:
    # As the table writes it: an error at the sweep's floor is "at most" the floor.
    return f"at most {floor:.3g}" if error == floor else number(error, 3)


def _at_a_kink(g: SecantGeometry, error: float, passes: bool) -> str:
    """What a gradient check meets at a kink at θ: the two-sided quotient averages the
    slopes on both sides, and backprop's f′ is a convention; error: the two-sided error;
    passes: it is round-off."""
    convention = number(g.derivative, 6)
    said = (
        f" f has a kink at θ, so f′(θ) does not exist: the secants' slopes are "
        f"{number(g.one_sided, 6)} on the right and {number(g.backward, 6)} on the left, and "
        f"the two-sided quotient is their average, {number(g.two_sided, 6)}."
    )
    if passes:
        return said + (
            f" That average equals the f′ = {convention} backprop uses here by convention, so "
            "a gradient check passes; at a lopsided kink such as ReLU's it fails."
        )
    return said + (
        f" Backprop uses f′ = {convention} here by convention, so a gradient check fails by "
        f"{number(error, 3)} although the code is correct."
    )
