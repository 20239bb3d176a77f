"""Charts and the table of the numerical-gradients page: the secant picture, the estimates
at one step, and the error-versus-ε curves.

Both charts colour a method the same way: the one-sided difference and its secant share a
colour, and so do the two-sided difference and its secant.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from charts.common import POWER_OF_TEN_LABEL, finish, long_frame
from core.finite_differences import (
    ErrorSweep,
    MethodErrors,
    SecantGeometry,
    is_exact_for_f,
    spans_kink,
)

_HALO = {"color": "white", "stroke": "white", "strokeWidth": 4, "strokeJoin": "round"}
COLORS = {
    "f": "#9e9e9e",
    "tangent": "#222222",
    "forward": "#e45756",
    "central": "#4c78a8",
    "complex_step": "#54a24b",
    "richardson": "#b279a2",
}
"""Colour of each series: f, the tangent, and each method of core.finite_differences."""

METHOD_NAMES = {
    "forward": "one-sided",
    "central": "two-sided",
    "complex_step": "complex step",
    "richardson": "Richardson",
}

_DECADES = [10.0**k for k in range(-16, 1, 2)]


def _scale(frame: pd.DataFrame, label: str) -> alt.Scale:
    """Colours for the label column, in the frame's order, each series in its fixed colour."""
    legend = frame.drop_duplicates(label)
    return alt.Scale(domain=list(legend[label]), range=[COLORS[s] for s in legend["series"]])


def _color(frame: pd.DataFrame, label: str, title: str | None) -> alt.Color:
    """Colour by the label column, with a legend below the chart."""
    return alt.Color(
        label,
        type="nominal",
        title=title,
        sort=None,
        scale=_scale(frame, label),
        legend=alt.Legend(
            orient="bottom",
            direction="vertical",
            labelLimit=500,
            titleLimit=500,
            symbolStrokeWidth=3,
        ),
    )


QUOTIENTS = {
    "forward": ("(f(θ+ε) − f(θ)) / ε", "O(ε)"),
    "central": ("(f(θ+ε) − f(θ−ε)) / 2ε", "O(ε²)"),
    "complex_step": ("Im f(θ+iε) / ε", "O(ε²), no round-off"),
    "richardson": ("(4·D(ε/2) − D(ε)) / 3", "O(ε⁴)"),
}
"""Each method's quotient (D is the two-sided one) and its truncation error."""


def number(value: float, digits: int = 12) -> str:
    """value to that many significant digits, or "undefined" when it is NaN or infinite."""
    return f"{value:.{digits}g}" if math.isfinite(value) else "undefined"


def short(value: float) -> str:
    """A step or an error to one significant digit: 0.01, 0.0003, 5e-6."""
    return f"{value:.1g}".replace("e-0", "e-") if math.isfinite(value) else "undefined"


def tex(text: str, subtracted: bool = False) -> str:
    """A formatted number for LaTeX: 1e-12 becomes 10^{-12}, 3e-5 becomes 3·10^{-5}.

    subtracted: the number follows a minus sign, so a negative one gets parentheses.
    """
    if text == "undefined":
        return r"\text{undefined}"
    mantissa, _, exponent = text.partition("e")
    power = rf"10^{{{int(exponent)}}}" if exponent else ""
    shown = mantissa if not power else power if mantissa == "1" else rf"{mantissa} \cdot {power}"
    return rf"\left({shown}\right)" if subtracted and text.startswith("-") else shown


def estimate_frame(results: dict[str, ErrorSweep], digits: dict[str, int]) -> pd.DataFrame:
    """One row per method: its quotient, estimate and error in each dtype, its order.

    results: a sweep over the single current ε for each dtype name; digits: how many
    significant digits of an estimate to show for each. A method missing from a sweep is
    "not applicable"; an error at the sweep's floor is shown as "≤ floor". A method whose
    window holds f's kink (core.finite_differences.spans_kink), or every method when the
    kink is at θ, has no order: its O(ε^p) needs a smooth f.
    """
    first = next(iter(results.values()))
    exact = [number(first.derivative, 12), "0"] * len(results)
    rows = {"exact f′(θ)": ["f′(θ)", *exact, "none"]}
    columns = ["quotient"]
    for dtype in results:
        columns += [f"{dtype} estimate", f"{dtype} error"]
    for method, (quotient, order) in QUOTIENTS.items():
        cells = []
        for dtype, sweep in results.items():
            found = sweep.methods.get(method)
            if found is None:
                cells += ["not applicable", "—"]
                continue
            error, floor = found.absolute_error[0], sweep.error_floor
            shown = f"≤ {floor:.3g}" if error == floor else number(error, 3)
            cells += [number(found.estimate[0], digits[dtype]), shown]
        if method not in first.methods:
            pass  # not applicable: no order to take away
        elif first.kink == first.theta:
            order = f"not {order.split(',')[0]}: no f′ at a kink"
        elif spans_kink(first, method, first.epsilons[0]):
            order = f"not {order.split(',')[0]}: kink at {first.kink:.6g} inside"
        rows[METHOD_NAMES[method]] = [quotient, *cells, order]
    return pd.DataFrame.from_dict(rows, orient="index", columns=[*columns, "truncation error"])


PICTURE_HEIGHT = 460  # pixels of the secant picture's plot (on a laptop)
LINE_WIDTH = 2.5  # pixels of its lines
_PAD = 0.05  # share of f's range left above and below it


def picture_range(curve: np.ndarray, points: np.ndarray) -> tuple[float, float]:
    """The vertical range of the secant picture: f over the window and at θ, θ ± ε, padded."""
    values = np.concatenate([np.asarray(curve, float), np.asarray(points, float)])
    values = values[np.isfinite(values)]
    if not values.size:
        return -1.0, 1.0
    low, high = float(values.min()), float(values.max())
    pad = _PAD * (high - low) or 1.0
    return low - pad, high + pad


def hidden_secants(g: SecantGeometry) -> list[str]:
    """The secants ("one-sided", "two-sided") that lie within a line width of the tangent
    everywhere on the picture of g: drawn, they cannot be told from it."""
    low, high = picture_range(g.curve, [g.f_minus, g.f_theta, g.f_plus])
    within = LINE_WIDTH / PICTURE_HEIGHT * (high - low)
    shown = (g.tangent >= low) & (g.tangent <= high)
    hidden = []
    for name, secant in (("one-sided", g.one_sided_secant), ("two-sided", g.two_sided_secant)):
        with np.errstate(invalid="ignore"):
            gap = np.abs(secant - g.tangent)[shown]
        if np.all(np.isfinite(gap)) and np.max(gap, initial=0.0) < within:
            hidden.append(name)
    return hidden


def secant_frames(
    g: SecantGeometry, labelled: bool, kink: bool = False, across: float = math.nan
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The frames secant_chart draws, from the geometry; labelled: name the points θ ± ε;
    kink: f has no derivative at θ, so the line of slope f′(θ) is no tangent; across: where
    f has a kink inside θ ± ε, which the two-sided secant spans (NaN: none)."""
    line = f"no tangent at a kink: slope f′ = {g.derivative:.8g} by convention"
    spanning = f" across the kink at {across:.6g}" if math.isfinite(across) else ""
    lines = [
        ("f(θ)", "f", g.curve),
        (line if kink else f"tangent · slope {g.derivative:.8g}", "tangent", g.tangent),
        (f"one-sided secant · slope {g.one_sided:.8g}", "forward", g.one_sided_secant),
        (f"two-sided secant{spanning} · slope {g.two_sided:.8g}", "central", g.two_sided_secant),
    ]
    curves = long_frame(
        {"theta": g.grid, "value": values, "curve": label, "series": series}
        for label, series, values in lines
    ).replace([math.inf, -math.inf], math.nan)  # f's poles and domain edges become gaps
    left, right = g.theta - g.epsilon, g.theta + g.epsilon
    triangles = pd.DataFrame({
        "theta": [left, right, g.theta, right],
        "base": [g.f_minus, g.f_minus, g.f_theta, g.f_theta],
        "top": [g.f_minus, g.f_plus, g.f_theta, g.f_plus],
        "triangle": ["big: θ−ε … θ+ε"] * 2 + ["small: θ … θ+ε"] * 2,
        "series": ["central"] * 2 + ["forward"] * 2,
    })  # fmt: skip
    points = pd.DataFrame({
        "theta": [left, g.theta, right],
        "value": [g.f_minus, g.f_theta, g.f_plus],
        "label": ["θ−ε" if labelled else "", "θ", "θ+ε" if labelled else ""],
    })  # fmt: skip
    return curves, triangles, points


def method_label(sweep: ErrorSweep, method: str, kink: bool = False) -> str:
    """The method's name and its fitted truncation slope, for a legend; kink: f has no
    derivative at θ, so no method can be exact or converge there."""
    errors = sweep.methods[method]
    name = METHOD_NAMES[method]
    if kink:
        return f"{name} · no derivative to converge to (kink)"
    if math.isfinite(errors.truncation_slope):
        return f"{name} · slope ≈ {errors.truncation_slope:.2f} (theory {errors.truncation_order})"
    if not is_exact_for_f(sweep, method):
        return f"{name} · no clean slope"
    if spans_kink(sweep, method, sweep.epsilons[-1]):
        return f"{name} · exact until ε reaches the kink at {sweep.kink:.6g}"
    return f"{name} · exact for this f"


def has_round_off_side(errors: MethodErrors) -> bool:
    """Whether the method's error rises again as ε shrinks below its best step: its typical
    error at the smallest step is ten times its best or more."""
    typical = errors.typical_error[np.isfinite(errors.typical_error)]
    return bool(typical.size and typical[0] >= 10 * errors.best_error)


def has_truncation_side(errors: MethodErrors) -> bool:
    """Whether the method's error falls like ε^p as ε shrinks: a slope could be fitted."""
    return math.isfinite(errors.truncation_slope)


def error_sides(sweep: ErrorSweep, kink: bool = False) -> tuple[str, ...]:
    """The sides the error chart has, to be labelled: "round-off" where some method's error
    rises as ε shrinks, "truncation" where some method's error falls with ε. None at a
    kink, where the errors neither fall nor rise."""
    if kink:
        return ()
    methods = sweep.methods.values()
    return tuple(
        side
        for side, has in (("round-off", has_round_off_side), ("truncation", has_truncation_side))
        if any(has(errors) for errors in methods)
    )


def sweep_frames(sweep: ErrorSweep, kink: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The frames error_chart draws: each method's errors (finite ones), and the best steps
    of the methods whose curve has a truncation side to be best against (none at a kink)."""
    labels = {method: method_label(sweep, method, kink) for method in sweep.methods}
    errors = long_frame(
        {
            "epsilon": sweep.epsilons, "error": result.absolute_error,
            "method": labels[method], "series": method,
        }
        for method, result in sweep.methods.items()
    ).dropna()  # fmt: skip
    best = pd.DataFrame([
        {
            "method": labels[method], "series": method,
            "theory_epsilon": result.theoretical_best_epsilon,
            "best_epsilon": result.best_epsilon, "best_error": result.best_error,
        }
        for method, result in sweep.methods.items()
        if has_truncation_side(result) and not kink
    ], columns=list(_BEST_COLUMNS)).astype(_BEST_COLUMNS)  # typed even when empty  # fmt: skip
    return errors, best


_BEST_COLUMNS = {"method": str, "series": str, "theory_epsilon": float, "best_epsilon": float,
                 "best_error": float}  # fmt: skip


def secant_chart(
    curves: pd.DataFrame,
    triangles: pd.DataFrame,
    points: pd.DataFrame,
    title: str = "Secants and tangent at θ",
) -> alt.TopLevelMixin:
    """f, its tangent and the two secants around θ, with the lecture's two triangles shaded.

    curves: columns theta, value, curve (legend label), series (a COLORS key), one row per
    grid point and curve. triangles: columns theta, base, top, triangle, series; two rows
    per triangle (its left and right ends: base is the horizontal side, top the secant).
    points: columns theta, value, label (θ−ε, θ, θ+ε on f). title: the chart's title.
    The vertical range fits f over the window; lines leaving it are clipped.
    """
    low, high = picture_range(curves.loc[curves["series"] == "f", "value"], points["value"])
    x = alt.X("theta:Q", title="θ", scale=alt.Scale(zero=False, padding=16))
    y_scale = alt.Scale(domain=[low, high], zero=False)

    def y(field: str) -> alt.Y:
        return alt.Y(field, type="quantitative", title="f(θ)", scale=y_scale)

    lines = (
        alt.Chart(curves)
        .mark_line(clip=True, strokeWidth=LINE_WIDTH)
        .encode(
            x=x,
            y=y("value"),
            color=_color(curves, "curve", None),
            strokeDash=alt.StrokeDash("dash:N", scale=None, legend=None),
            tooltip=[
                alt.Tooltip("curve:N", title="line"),
                alt.Tooltip("theta:Q", title="θ", format=".6g"),
                alt.Tooltip("value:Q", title="value", format=".8g"),
            ],
        )
        .transform_calculate(dash="datum.series === 'f' ? [1, 0] : [6, 3]")
    )
    by_series = alt.Scale(domain=list(COLORS), range=list(COLORS.values()))
    shading = (
        alt.Chart(triangles)
        .mark_area(clip=True, fillOpacity=0.22, strokeWidth=1.5, strokeOpacity=0.9)
        .encode(
            x=x,
            y=y("base"),
            y2=alt.Y2("top"),
            fill=alt.Fill("series:N", scale=by_series, legend=None),
            stroke=alt.Stroke("series:N", scale=by_series, legend=None),
            detail=alt.Detail("triangle:N"),
            tooltip=[alt.Tooltip("triangle:N", title="triangle")],
        )
    )
    marks = alt.Chart(points).encode(
        x=x,
        y=y("value"),
        tooltip=[
            alt.Tooltip("label:N", title="point"),
            alt.Tooltip("theta:Q", title="θ", format=".8g"),
            alt.Tooltip("value:Q", title="f", format=".10g"),
        ],
    )
    dots = marks.mark_point(filled=True, size=70, color="#222222", clip=True)
    names = marks.mark_text(dy=-14, fontSize=14, clip=True).encode(text=alt.Text("label:N"))
    chart = alt.layer(shading, lines, dots, names).interactive()
    return finish(chart, title, height=PICTURE_HEIGHT)


def error_chart(
    errors: pd.DataFrame,
    best: pd.DataFrame,
    epsilon: float,
    epsilon_text: str,
    turning_point: float,
    sides: tuple[str, ...] = ("round-off", "truncation"),
    kink_distance: float = math.inf,
    kink_text: str = "",
) -> alt.TopLevelMixin:
    """Absolute error against ε on log-log axes, one line per method.

    errors: columns epsilon, error, method (legend label), series (a COLORS key); rows with
    no finite error left out. best: one row per method that has a best step, with method,
    series, theory_epsilon (the theoretical best step, drawn as a dashed rule), best_epsilon
    and best_error (the measured bottom of the curve, drawn as a diamond). epsilon: the
    current step (a solid rule), labelled "your ε = " + epsilon_text. turning_point: the
    step that splits the chart into its round-off side (left) and truncation side (right),
    where the labels "← round-off dominates" and "truncation dominates →" sit; sides: which
    of the two the curves have (from error_sides), the only labels drawn. kink_distance:
    the step from which θ ± ε holds f's kink (a dotted rule, labelled kink_text on its left,
    where there is room, with the truncation label kept left of it); inf when the steps
    reach none.
    """
    fitted = "truncation" in sides
    color = _color(errors, "method", "method · fitted slope" if fitted else "method")
    by_method = alt.Color("method", type="nominal", scale=_scale(errors, "method"), legend=None)
    x_axis = alt.Axis(values=_DECADES, labelExpr=POWER_OF_TEN_LABEL)
    # Rows of labels 24 px apart (a projector's larger font fits) need eight decades of
    # headroom above the largest error to stay clear of the curves; one row needs five.
    room = 1e8 if sides else 1e5
    headroom = {"domainMax": float(errors["error"].max()) * room} if len(errors) else {}
    y_scale = alt.Scale(type="log", **headroom)

    def x(field: str) -> alt.X:
        return alt.X(field, type="quantitative", title="step ε (log scale)",
                     scale=alt.Scale(type="log"), axis=x_axis)  # fmt: skip

    def y(field: str) -> alt.Y:
        return alt.Y(field, type="quantitative", scale=y_scale, title="absolute error (log scale)",
                     axis=alt.Axis(labelExpr=POWER_OF_TEN_LABEL))  # fmt: skip

    lines = (
        alt.Chart(errors)
        .mark_line(point=alt.OverlayMarkDef(size=12), strokeWidth=2)
        .encode(
            x=x("epsilon"),
            y=y("error"),
            color=color,
            tooltip=[
                alt.Tooltip("method:N"),
                alt.Tooltip("epsilon:Q", title="ε", format=".2e"),
                alt.Tooltip("error:Q", title="absolute error", format=".3e"),
            ],
        )
    )
    theory = (
        alt.Chart(best)
        .mark_rule(strokeDash=[5, 4], strokeWidth=1.5)
        .encode(
            x=x("theory_epsilon"),
            color=by_method,
            tooltip=[
                alt.Tooltip("method:N"),
                alt.Tooltip("theory_epsilon:Q", title="theoretical best ε", format=".1e"),
            ],
        )
    )
    measured = (
        alt.Chart(best)
        .mark_point(shape="diamond", filled=True, size=140, stroke="white", strokeWidth=1)
        .encode(
            x=x("best_epsilon"),
            y=y("best_error"),
            color=by_method,
            tooltip=[
                alt.Tooltip("method:N"),
                alt.Tooltip("best_epsilon:Q", title="measured best ε", format=".1e"),
                alt.Tooltip("best_error:Q", title="error there", format=".1e"),
            ],
        )
    )
    one_row = alt.Data(values=[{}])  # marks placed by datum, with no data of their own
    current = alt.Chart(one_row).encode(x=alt.X(datum=epsilon, type="quantitative"))
    current_rule = current.mark_rule(color="#222222", strokeWidth=2)
    current_label = current.mark_text(
        align="left" if epsilon < 1e-2 else "right", dx=5 if epsilon < 1e-2 else -5,
        fontSize=13, fontWeight="bold", text=f"your ε = {epsilon_text}", clip=True,
    ).encode(y=alt.YValue(60 if sides else 12))  # below the side labels, if any  # fmt: skip
    # The truncation side can be too narrow for its label, so that one ends at the largest
    # step, a row lower, with its arrow still pointing away from the turning point.
    largest = float(errors["epsilon"].max()) if len(errors) else turning_point
    largest = min(largest, kink_distance)
    # Each side label is drawn twice: first as a white halo, so that the rules it crosses
    # (your ε, a theoretical best) do not strike through its words.
    side_labels = [
        alt.Chart(one_row)
        .mark_text(align=align, dx=dx, fontSize=14, fontStyle="italic", text=text, clip=True,
                   **look)
        .encode(x=alt.X(datum=x_at, type="quantitative"), y=alt.YValue(y_at))
        for side, text, (x_at, align, dx, y_at) in (
            ("round-off", "← round-off dominates", (turning_point, "right", -6, 12)),
            ("truncation", "truncation dominates →", (largest, "right", -4, 36)),
        )
        if side in sides
        for look in (_HALO, {"color": "#555555"})
    ]  # fmt: skip
    kink_marks = []
    if math.isfinite(kink_distance) and kink_distance > 0:
        at_kink = alt.Chart(one_row).encode(x=alt.X(datum=kink_distance, type="quantitative"))
        kink_marks = [
            at_kink.mark_rule(color="#555555", strokeDash=[2, 3], strokeWidth=2),
            at_kink.mark_text(align="right", dx=-4, fontSize=13, text=kink_text, clip=True,
                              color="#555555").encode(y=alt.YValue(84)),
        ]  # fmt: skip
    chart = alt.layer(lines, theory, measured, current_rule, current_label, *side_labels,
                      *kink_marks)  # fmt: skip
    return finish(chart, "Error against the step ε", height=460)
