"""Charts and the table of the numerical-gradients page: the secants against the tangent,
the lecture's secant picture, the estimates at one step, and the error-versus-ε curves.

Every chart colours a method the same way, and so do the page's formulas (COLORS): the
one-sided difference and its secant share a colour, and so do the two-sided difference and
its secant. Lines are named beside their right end, not in a legend.

Each chart is built from its structure alone and reads its tables by name (the
``*_tables`` functions make them): the current θ, ε and window travel in the tables, so
a slider move keeps the chart's spec and the browser swaps its tables in place.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import altair as alt
import numpy as np
import pandas as pd

from charts.common import POWER_OF_TEN_LABEL, finish, long_frame, span_layer
from core.finite_differences import (
    AboveTangent,
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
    "forward": "#d03b3b",  # dark enough for text in formulas (4.8:1)
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
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=[*columns, "truncation error"])
    return frame.rename_axis("method")  # a header for the index column too


# ---------------------------------------------------------------- labels beside the lines

# The height a chart here is given is its plot's (the band of labels, the labels' rows and
# the lines' labels are laid out in its pixels), and its width the container's.
_PLOT_HEIGHT = alt.AutoSizeParams(type="fit-x", contains="padding")


def _finish(chart: alt.TopLevelMixin, title: str, height: int) -> alt.TopLevelMixin:
    chart = finish(chart, title, height=height)
    chart.autosize = _PLOT_HEIGHT
    return chart


LABEL_SIZE = 13  # px of a label's font on a laptop (a projector's is larger)
_LINE_PX = 16  # px from one line of a label to the next
_LABEL_GAP = 6  # px between a line's end and its label


def _spread(wanted: list[float], heights: list[float], low: float, high: float) -> list[float]:
    """Centres (px from the top) of labels this tall, each as near its wanted centre as it
    can be with none overlapping and all within low … high: neighbours that would overlap
    move as one block, centred on where its members want to be."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    blocks: list[tuple[list[int], float]] = []  # (members top to bottom, the block's top)
    for i in order:
        members, top = [i], wanted[i] - heights[i] / 2
        while True:
            size = sum(heights[j] for j in members)
            top = min(max(top, low), high - size)
            if not blocks or blocks[-1][1] + sum(heights[j] for j in blocks[-1][0]) <= top:
                break
            before, _ = blocks.pop()
            members = before + members
            offsets = np.cumsum([0.0] + [heights[j] for j in members])[:-1]
            top = float(np.mean([wanted[j] - heights[j] / 2 - o
                                 for j, o in zip(members, offsets, strict=True)]))  # fmt: skip
        blocks.append((members, top))
    centres = [0.0] * len(wanted)
    for members, top in blocks:
        for j in members:
            centres[j] = top + heights[j] / 2
            top += heights[j]
    return centres


def _end_labels(ends: pd.DataFrame, to_px, from_px, height: float, x: float) -> pd.DataFrame:
    """One row per line of text of each label, at the right end x of its line, moved apart
    so that none overlaps another: ends has columns series, lines (the label's lines of
    text) and y (where its line ends, in data units; NaN: the label is not drawn). to_px
    and from_px map data units to px from the plot's top and back. Positions stay in data
    units, so a taller chart (a projector's) keeps them apart."""
    ends = ends[np.isfinite(ends["y"].astype(float))].reset_index(drop=True)
    heights = [len(lines) * _LINE_PX + _LABEL_GAP for lines in ends["lines"]]
    wanted = [min(max(to_px(y), 0.0), height) for y in ends["y"]]
    centres = _spread(wanted, heights, 0.0, height)
    rows = [
        {"x": x, "y": from_px(centre - (len(lines) - 1) * _LINE_PX / 2 + k * _LINE_PX),
         "text": text, "series": series, "line": k}
        for series, lines, centre in zip(ends["series"], ends["lines"], centres, strict=True)
        for k, text in enumerate(lines)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["x", "y", "text", "series", "line"])


_LABEL_COLORS = {**COLORS, "f": "#6b6b6b"}  # f's words darker than its pale line


def _inked(labels: pd.DataFrame) -> pd.DataFrame:
    """The labels of _end_labels with the colour each is drawn in (ink)."""
    return labels.assign(ink=labels["series"].map(_LABEL_COLORS))


def _label_layers(x: alt.X, y: alt.Y) -> list[alt.Chart]:
    """The labels of the table "labels" (_inked) beside the plot's right edge, in their
    line's colour (given as is, so no colour scale is shared with the lines): a label's
    first line, its name, in bold. x and y: encodings of the fields x and y on the chart's
    scales."""
    base = alt.Chart(alt.NamedData("labels")).encode(
        x=x, y=y, text=alt.Text("text:N"), color=alt.Color("ink:N", scale=None)
    )
    return [
        base.transform_filter(f"datum.line {test} 0").mark_text(
            align="left", dx=_LABEL_GAP, fontSize=LABEL_SIZE, fontWeight=weight
        )
        for test, weight in (("==", "bold"), (">", "normal"))
    ]


def _frame(x: tuple[float, float], y: tuple[float, float]) -> pd.DataFrame:
    return pd.DataFrame({"x": [float(x[0]), float(x[1])], "y": [float(y[0]), float(y[1])]})


_THIN_PX = 0.2  # px a dropped point of a curve may stand off the line through the kept ones


def thinned(x: np.ndarray, y: np.ndarray, tolerance: float) -> np.ndarray:
    """Which points of the curve (x, y) to draw: the fewest (Douglas–Peucker, vertical
    distance) such that each one dropped lies within tolerance, in y's units, of the
    straight line through its kept neighbours, so the line drawn looks the same. The ends of
    each finite run are kept, and the first point of each gap (NaN), which breaks the line."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    finite = np.isfinite(y)
    keep = ~finite & ~np.r_[False, ~finite[:-1]]
    at = np.flatnonzero(finite)
    for run in np.split(at, np.flatnonzero(np.diff(at) > 1) + 1) if at.size else []:
        keep[[run[0], run[-1]]] = True
        pending = [(run[0], run[-1])]
        while pending:
            a, b = pending.pop()
            if b - a < 2:
                continue
            inner = slice(a + 1, b)
            line = y[a] + (y[b] - y[a]) * (x[inner] - x[a]) / (x[b] - x[a])
            gap = np.abs(y[inner] - line)
            worst = int(np.argmax(gap))
            if gap[worst] > tolerance:
                keep[a + 1 + worst] = True
                pending += [(a, a + 1 + worst), (a + 1 + worst, b)]
    return keep


def _linear_px(low: float, high: float, height: float):
    """px from the plot's top of a value on a linear axis from low to high, and back."""
    return (
        lambda value: height * (high - value) / (high - low),
        lambda px: high - px / height * (high - low),
    )


def _log_px(low: float, high: float, height: float):
    """px from the plot's top of a value on a log axis from low to high, and back."""
    top, bottom = math.log10(high), math.log10(low)
    return (
        lambda value: height * (top - math.log10(value)) / (top - bottom),
        lambda px: 10 ** (top - px / height * (top - bottom)),
    )


# ---------------------------------------------------------------- the secants, magnified

TANGENT_HEIGHT = 300  # pixels of the hero picture's plot
_REACH = 2  # the hero picture spans θ ± 2ε


def signed(value: float) -> str:
    """A difference to three significant digits with its sign: +0.0301, -0.00415."""
    return f"{value:+.3g}" if math.isfinite(value) else "undefined"


def tangent_frames(
    a: AboveTangent, g: SecantGeometry, kink: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The frames tangent_chart draws, from the picture with its tangent subtracted (a) and
    the picture itself (g): the four lines over θ ± 2ε, the points θ−ε, θ, θ+ε, and each
    line's label. kink: f has no derivative at θ, so the flat line is no tangent."""
    step = (a.grid - g.theta) / g.epsilon
    ends = [0, -1]  # the tangent and the secants are straight: their ends draw them whole
    lines = long_frame(
        {"step": step[kept], "t": a.grid[kept], "height": values[kept], "series": series}
        for series, values, kept in (
            ("f", a.curve, slice(None)), ("tangent", np.zeros_like(a.grid), ends),
            ("forward", a.one_sided_secant, ends), ("central", a.two_sided_secant, ends),
        )
    ).replace([math.inf, -math.inf], math.nan)  # fmt: skip
    points = pd.DataFrame({
        "step": [-1.0, 0.0, 1.0], "t": [g.theta - g.epsilon, g.theta, g.theta + g.epsilon],
        "height": a.heights, "label": ["θ−ε", "θ", "θ+ε"],
    })  # fmt: skip
    slope = f"slope {number(g.derivative, 6)}"
    names = pd.DataFrame({
        "series": ["f", "tangent", "forward", "central"],
        "lines": [
            ["f"],
            ["f′ by convention", slope] if kink else ["tangent", slope],
            ["one-sided", f"off by {signed(a.one_sided_error)}"],
            ["two-sided", f"off by {signed(a.two_sided_error)}"],
        ],
    })  # fmt: skip
    return lines, points, names


def _padded(values: np.ndarray, share: float = 0.08) -> tuple[float, float]:
    values = values[np.isfinite(values)]
    low, high = (float(values.min()), float(values.max())) if values.size else (-1.0, 1.0)
    pad = share * (high - low) or max(abs(high), 1e-300)
    return low - pad, high + pad


_OFFSET_LABEL = (
    "datum.value == 0 ? 'θ' : (datum.value > 0 ? 'θ+' : 'θ−') "
    "+ (abs(datum.value) == 1 ? '' : abs(datum.value)) + 'ε'"
)


def tangent_tables(
    a: AboveTangent, g: SecantGeometry, kink: bool = False
) -> dict[str, pd.DataFrame]:
    """The tables tangent_chart reads, by name: "lines", "points" (tangent_frames, f's
    curve thinned to the points the picture needs), "labels" (each line's name beside its
    right end, moved apart) and "frame" (the plot's corners: θ ± 2ε across, the heights
    padded up and down)."""
    lines, points, names = tangent_frames(a, g, kink)
    low, high = _padded(np.concatenate([lines["height"].to_numpy(float),
                                        points["height"].to_numpy(float), [0.0]]))  # fmt: skip
    curve = (lines["series"] == "f").to_numpy()
    tolerance = _THIN_PX * (high - low) / TANGENT_HEIGHT
    keep = ~curve
    keep[curve] = thinned(lines["step"][curve], lines["height"][curve], tolerance)
    ends = lines.dropna(subset=["height"]).groupby("series", sort=False)["height"].last()
    to_px, from_px = _linear_px(low, high, TANGENT_HEIGHT)
    labels = _end_labels(names.assign(y=names["series"].map(ends).astype(float)),
                         to_px, from_px, TANGENT_HEIGHT, float(_REACH))  # fmt: skip
    return {  # in the order the layers draw them, as the page's download lists them
        "frame": _frame((-_REACH, _REACH), (low, high)),
        "lines": lines[keep].reset_index(drop=True),
        "points": points,
        "labels": _inked(labels),
    }


def tangent_chart(title: str = "Secants against the tangent") -> alt.TopLevelMixin:
    """The secants against the tangent: heights above the tangent line over θ ± 2ε, so the
    tangent is flat and each secant's tilt is its error, at any ε. It reads the tables of
    tangent_tables.

    lines: columns step ((t − θ)/ε), t, height, series (a COLORS key); points: step, t,
    height, label (θ−ε, θ, θ+ε); labels: x, y, text, series, line, ink, drawn beside the
    right end of each line; frame: x, y, the plot's corners.
    """
    x_scale = alt.Scale(domain=[-_REACH, _REACH], nice=False)
    x_axis = alt.Axis(values=list(range(-_REACH, _REACH + 1)), labelExpr=_OFFSET_LABEL)

    def x(field: str) -> alt.X:
        return alt.X(field, type="quantitative", title="t, in steps of ε from θ", scale=x_scale,
                     axis=x_axis)  # fmt: skip

    y_scale = alt.Scale(nice=False, zero=False)  # the frame's corners set its range

    def y(field: str) -> alt.Y:
        return alt.Y(field, type="quantitative", scale=y_scale, title="height above the tangent",
                     axis=alt.Axis(format="~g"))  # fmt: skip

    by_series = alt.Scale(domain=list(COLORS), range=list(COLORS.values()))
    tooltip = [
        alt.Tooltip("series:N", title="line"),
        alt.Tooltip("t:Q", title="t", format=".12g"),
        alt.Tooltip("height:Q", title="height above the tangent", format=".3g"),
    ]
    lines = alt.NamedData("lines")
    # f first and wider, so that where it is the tangent (at a tiny ε) it shows around it.
    curve = (
        alt.Chart(lines)
        .transform_filter("datum.series === 'f'")
        .mark_line(clip=True, strokeWidth=2 * LINE_WIDTH, color=COLORS["f"])
        .encode(x=x("step"), y=y("height"), tooltip=tooltip)
    )
    drawn = (
        alt.Chart(lines)
        .transform_filter("datum.series !== 'f'")
        .mark_line(clip=True, strokeWidth=LINE_WIDTH)
        .encode(
            x=x("step"),
            y=y("height"),
            color=alt.Color("series:N", scale=by_series, legend=None),
            strokeDash=alt.StrokeDash("dash:N", scale=None, legend=None),
            tooltip=tooltip,
        )
        .transform_calculate(dash="datum.series === 'tangent' ? [1, 0] : [6, 3]")
    )
    dots = (
        alt.Chart(alt.NamedData("points"))
        .mark_point(filled=True, size=60, color="#222222", clip=True)
        .encode(
            x=x("step"),
            y=y("height"),
            tooltip=[alt.Tooltip("label:N", title="point"),
                     alt.Tooltip("t:Q", title="t", format=".12g"),
                     alt.Tooltip("height:Q", title="height above the tangent", format=".3g")],
        )
    )  # fmt: skip
    chart = alt.layer(span_layer("frame", x=x("x"), y=y("y")), curve, drawn, dots,
                      *_label_layers(x("x"), y("y")))  # fmt: skip
    return _finish(chart, title, TANGENT_HEIGHT)


# ---------------------------------------------------------------- the lecture's picture

PICTURE_HEIGHT = 400  # pixels of the secant picture's plot (on a laptop)
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
    ends = [0, -1]  # the tangent and the secants are straight: their ends draw them whole
    curves = long_frame(
        {"theta": g.grid[kept], "value": values[kept], "curve": label, "series": series}
        for (label, series, values), kept in zip(
            lines, [slice(None), ends, ends, ends], strict=True
        )
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


_PICTURE_NAMES = {"f": "f", "tangent": "tangent", "forward": "one-sided", "central": "two-sided"}


def secant_tables(
    g: SecantGeometry, labelled: bool, kink: bool = False, across: float = math.nan
) -> dict[str, pd.DataFrame]:
    """The tables secant_chart reads, by name: "curves", "triangles" and "points"
    (secant_frames, f's curve thinned to the points the picture needs), "labels" (each
    line's name where it leaves the plot on the right, moved apart) and "frame" (the
    plot's corners: the window across, f's range padded up and down)."""
    curves, triangles, points = secant_frames(g, labelled, kink, across)
    low, high = picture_range(curves.loc[curves["series"] == "f", "value"], points["value"])
    curve = (curves["series"] == "f").to_numpy()
    keep = ~curve
    tolerance = _THIN_PX * (high - low) / PICTURE_HEIGHT
    keep[curve] = thinned(curves["theta"][curve], curves["value"][curve], tolerance)
    straight = ~curve
    curves.loc[straight, ["theta", "value"]] = _cut(curves[straight], low, high)
    inside = curves[(curves["value"] >= low) & (curves["value"] <= high)]
    ends = inside.groupby("series", sort=False)["value"].last()  # where each line leaves
    to_px, from_px = _linear_px(low, high, PICTURE_HEIGHT)
    labels = _end_labels(
        pd.DataFrame({"series": list(_PICTURE_NAMES),
                      "lines": [[name] for name in _PICTURE_NAMES.values()],
                      "y": [ends.get(series, math.nan) for series in _PICTURE_NAMES]}),
        to_px, from_px, PICTURE_HEIGHT, float(g.grid[-1]),
    )  # fmt: skip
    return {  # in the order the layers draw them, as the page's download lists them
        "frame": _frame((g.grid[0], g.grid[-1]), (low, high)),
        "triangles": triangles,
        "curves": curves[keep].reset_index(drop=True),
        "points": points,
        "labels": _inked(labels),
    }


def _cut(ends: pd.DataFrame, low: float, high: float) -> np.ndarray:
    """The straight lines given by their two ends (rows in pairs: theta, value), cut to
    the part of each between heights low and high, which is all the clipped picture shows
    of it (NaN when it shows none): the frame's corners, not a line's far ends, then set
    the vertical range."""
    cut = ends[["theta", "value"]].to_numpy(float).copy()
    for first in range(0, len(cut), 2):
        (t0, v0), (t1, v1) = cut[first], cut[first + 1]
        if not (np.isfinite(v0) and np.isfinite(v1)):
            continue
        if v0 == v1:
            inside = low <= v0 <= high
            cut[first : first + 2, 1] = v0 if inside else math.nan
            continue
        # where the line meets low and high, as shares of the way from its first end
        a, b = sorted(((low - v0) / (v1 - v0), (high - v0) / (v1 - v0)))
        a, b = max(a, 0.0), min(b, 1.0)
        if a > b:
            cut[first : first + 2, 1] = math.nan
            continue
        cut[first : first + 2] = [[t0 + s * (t1 - t0), v0 + s * (v1 - v0)] for s in (a, b)]
    return cut


def secant_chart(title: str = "Secants and tangent at θ") -> alt.TopLevelMixin:
    """f, its tangent and the two secants around θ, with the lecture's two triangles shaded
    and each line named beside its right end. It reads the tables of secant_tables.

    curves: columns theta, value, curve (the line's name and slope, for its tooltip),
    series (a COLORS key), one row per grid point and curve. triangles: columns theta,
    base, top, triangle, series; two rows per triangle (its left and right ends: base is
    the horizontal side, top the secant). points: columns theta, value, label (θ−ε, θ,
    θ+ε on f). labels: x, y, text, series, line, ink. frame: x, y, the plot's corners: the
    vertical range fits f over the window; lines leaving it are clipped, and named where
    they leave it.
    """
    x_scale = alt.Scale(nice=False, zero=False)  # the frame's corners set both ranges

    def x_of(field: str) -> alt.X:
        return alt.X(field, type="quantitative", title="θ", scale=x_scale)

    x = x_of("theta")
    y_scale = alt.Scale(zero=False, nice=False)

    def y(field: str) -> alt.Y:
        return alt.Y(field, type="quantitative", title="f(θ)", scale=y_scale)

    by_series = alt.Scale(domain=list(COLORS), range=list(COLORS.values()))
    lines = (
        alt.Chart(alt.NamedData("curves"))
        .mark_line(clip=True, strokeWidth=LINE_WIDTH)
        .encode(
            x=x,
            y=y("value"),
            color=alt.Color("series:N", scale=by_series, legend=None),
            detail=alt.Detail("curve:N"),
            strokeDash=alt.StrokeDash("dash:N", scale=None, legend=None),
            tooltip=[
                alt.Tooltip("curve:N", title="line"),
                alt.Tooltip("theta:Q", title="θ", format=".6g"),
                alt.Tooltip("value:Q", title="value", format=".8g"),
            ],
        )
        .transform_calculate(dash="datum.series === 'f' ? [1, 0] : [6, 3]")
    )
    shading = (
        alt.Chart(alt.NamedData("triangles"))
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
    marks = alt.Chart(alt.NamedData("points")).encode(
        x=x,
        y=y("value"),
        tooltip=[
            alt.Tooltip("label:N", title="point"),
            alt.Tooltip("theta:Q", title="θ", format=".8g"),
            alt.Tooltip("value:Q", title="f", format=".10g"),
        ],
    )
    dots = marks.mark_point(filled=True, size=70, color="#222222", clip=True)
    # Never clipped ("θ+ε" at the window's edge was cut in half), on a white halo.
    names = [
        marks.mark_text(dy=-14, fontSize=14, fontWeight="bold", **look).encode(text="label:N")
        for look in (_HALO, {})
    ]
    chart = alt.layer(span_layer("frame", x=x_of("x"), y=y("y")), shading, lines, dots, *names,
                      *_label_layers(x_of("x"), y("y")))  # fmt: skip
    return _finish(chart, title, PICTURE_HEIGHT)


# ---------------------------------------------------------------- the error against ε


def method_detail(sweep: ErrorSweep, method: str, kink: bool = False) -> str:
    """What the method's error does as ε shrinks, in a few words for its label: its fitted
    truncation slope, or why it has none; kink: f has no derivative at θ, so no method can
    be exact or converge there."""
    errors = sweep.methods[method]
    if kink:
        return "no f′ to converge to"
    if math.isfinite(errors.truncation_slope):
        return f"slope ≈ {errors.truncation_slope:.2f}"
    if not is_exact_for_f(sweep, method):
        return "no clean slope"
    if spans_kink(sweep, method, sweep.epsilons[-1]):
        return f"exact short of kink at {sweep.kink:.6g}"
    return "exact for this f"


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


LECTURE_METHODS = ("forward", "central")


def sweep_frames(
    sweep: ErrorSweep, kink: bool = False, methods: tuple[str, ...] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The frames error_chart draws: each method's errors (finite ones), with its name and
    detail (method_detail) for its label, and the best steps of the methods whose curve
    has a truncation side to be best against (none at a kink). methods: the ones drawn
    (default: all the sweep has)."""
    drawn = {m: r for m, r in sweep.methods.items() if methods is None or m in methods}
    errors = long_frame(
        {
            "epsilon": sweep.epsilons, "error": result.absolute_error,
            "method": METHOD_NAMES[method], "detail": method_detail(sweep, method, kink),
            "series": method,
        }
        for method, result in drawn.items()
    ).dropna()  # fmt: skip
    best = pd.DataFrame([
        {
            "method": METHOD_NAMES[method], "series": method,
            "theory_epsilon": result.theoretical_best_epsilon,
            "best_epsilon": result.best_epsilon, "best_error": result.best_error,
        }
        for method, result in drawn.items()
        if has_truncation_side(result) and not kink
    ], columns=list(_BEST_COLUMNS)).astype(_BEST_COLUMNS)  # typed even when empty  # fmt: skip
    return errors, best


_BEST_COLUMNS = {"method": str, "series": str, "theory_epsilon": float, "best_epsilon": float,
                 "best_error": float}  # fmt: skip

ERROR_HEIGHT = 330  # pixels of the error chart's plot: 20 decades at 16 px each
# Labels in a band along the plot's top, in rows: they must not overlap at the narrowest
# plot (a phone's, with the lines' labels beside it); a wider one (a laptop's) gets the
# long wording where it fits as well.
_NARROW, _WIDE = 190.0, 300.0  # px of the plot's width
_ROW_PX = 22
_BAND_SIZE = 13
_EDGE_PX = 4  # px kept between a label and a rule or the plot's edge
_MIN_DECADES = 4  # the error axis spans at least this many, so it has powers of ten to read


class _BandLabel(NamedTuple):
    """A label in the band: its long and short wording, where it may go (anchors, each a
    share of the plot's width, with the side the text extends to), and its look."""

    texts: tuple[str, str]
    anchors: tuple[tuple[float, str], ...]
    look: dict


def _text_px(text: str, size: float = _BAND_SIZE) -> float:
    return 0.6 * size * len(text)  # an upper bound for the app's sans-serif


def _span(text: str, anchor: float, side: str, width: float) -> tuple[float, float]:
    """The px the text takes from the plot's left, anchored at that share of its width,
    on that side of the anchor ("left", "right" or "center")."""
    at, size = anchor * width, _text_px(text)
    if side == "center":
        return at - size / 2, at + size / 2
    if side == "left":
        return at - _EDGE_PX - size, at - _EDGE_PX
    return at + _EDGE_PX, at + _EDGE_PX + size


def _fits(span: tuple[float, float], width: float, taken: list[tuple[float, float]]) -> bool:
    left, right = span
    clear = all(right + 2 * _EDGE_PX <= a or left >= b + 2 * _EDGE_PX for a, b in taken)
    return left >= 0 and right <= width and clear


def _band_rows(labels: list[_BandLabel]) -> list[tuple[int, float, str, bool]]:
    """(row, anchor, side, long) for each label: the first row and anchor where its short
    wording fits at the narrowest plot, and whether its long wording fits there too at a
    wide one. Both only get more room as the plot widens, so they hold at any width."""
    narrow: dict[int, list] = {}
    spots = []
    for label in labels:
        short_text = label.texts[1]
        spot = next(
            (
                (row, anchor, side)
                for row in range(len(labels))
                for anchor, side in label.anchors
                if _fits(_span(short_text, anchor, side, _NARROW), _NARROW, narrow.get(row, []))
            ),
            (len(labels), *label.anchors[0]),  # nowhere: a row of its own, cut at the edge
        )
        narrow.setdefault(spot[0], []).append(_span(short_text, *spot[1:], _NARROW))
        spots.append(spot)
    wide: dict[int, list] = {}
    placed = []
    for label, (row, anchor, side) in zip(labels, spots, strict=True):
        long_span = _span(label.texts[0], anchor, side, _WIDE)
        long = _fits(long_span, _WIDE, wide.get(row, []))
        wide.setdefault(row, []).append(
            long_span if long else _span(label.texts[1], anchor, side, _WIDE)
        )
        placed.append((row, anchor, side, long))
    return placed


_ALIGN = {"left": "right", "right": "left", "center": "center"}  # the text's, by its side
_DX = {"left": -_EDGE_PX, "right": _EDGE_PX, "center": 0}
_SIDE_LOOK = {"fontStyle": "italic", "fontWeight": "normal", "ink": "#555555"}
_YOURS_LOOK = {"fontStyle": "normal", "fontWeight": "bold", "ink": "#222222"}
_KINK_LOOK = {"fontStyle": "normal", "fontWeight": "normal", "ink": "#555555"}


def _band_table(labels: list[_BandLabel], low: float, high: float) -> tuple[pd.DataFrame, float]:
    """The band's labels, one row each (x: the step at its anchor; down: its row's centre
    as a share of the plot's height; align and dx: its text's; long, short and wide: its
    wordings, and whether the long one fits a wide plot; fontStyle, fontWeight, ink: its
    look), and the band's height in px."""
    rows = []
    for label, (row, anchor, side, long) in zip(labels, _band_rows(labels), strict=True):
        long_text, short_text = label.texts
        rows.append({
            "x": 10 ** (math.log10(low) + anchor * (math.log10(high) - math.log10(low))),
            "down": _share_down(_ROW_PX * row + _ROW_PX / 2 + 2),
            "align": _ALIGN[side], "dx": _DX[side], "long": long_text, "short": short_text,
            "wide": bool(long and long_text != short_text), "row": row, **label.look,
        })  # fmt: skip
    table = pd.DataFrame(rows, columns=["x", "down", "align", "dx", "long", "short", "wide",
                                        "row", *_SIDE_LOOK])  # fmt: skip
    band_rows = int(table["row"].max()) + 1 if len(table) else 0
    return table, band_rows * _ROW_PX + 2 * _EDGE_PX


def _band_layers(x: alt.X) -> list[alt.Chart]:
    """The band's text marks, from the table "band" (_band_table): each label on a white
    halo, in the long wording where the plot is wide enough for it."""
    base = (
        alt.Chart(alt.NamedData("band"))
        .transform_calculate(words=f"width >= {_WIDE:g} && datum.wide ? datum.long : datum.short")
        .encode(x=x, y=alt.YValue(alt.ExprRef("height * datum.down")), text=alt.Text("words:N"))
    )
    per_label = {
        "align": alt.ExprRef("datum.align"),
        "dx": alt.ExprRef("datum.dx"),
        "fontStyle": alt.ExprRef("datum.fontStyle"),
        "fontWeight": alt.ExprRef("datum.fontWeight"),
    }
    text = {"fontSize": _BAND_SIZE, "baseline": "middle", **per_label}
    return [
        base.mark_text(**text, **_HALO),
        base.mark_text(**text).encode(color=alt.Color("ink:N", scale=None)),
    ]


def _share_down(px: float) -> float:
    """px from the top of the error chart's plot on a laptop, as a share of its height: a
    projector's taller plot and larger font move the band's rows apart alike."""
    return px / ERROR_HEIGHT


def _share(value: float, low: float, high: float) -> float:
    """Where value sits on a log axis from low to high, as a share of its length."""
    return (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low))


def error_tables(
    errors: pd.DataFrame,
    best: pd.DataFrame,
    epsilon: float,
    epsilon_text: str,
    turning_point: float,
    sides: tuple[str, ...] = ("round-off", "truncation"),
    kink_distance: float = math.inf,
    kink_text: str = "",
) -> dict[str, pd.DataFrame]:
    """The tables error_chart reads, by name, from sweep_frames' errors and best.

    epsilon: the current step (a solid rule), labelled "your ε = " + epsilon_text.
    turning_point: the step that splits the chart into its round-off side (left) and
    truncation side (right); sides: which of the two the curves have (from error_sides),
    the only ones labelled. kink_distance: the step from which θ ± ε holds f's kink (a
    dotted rule, labelled kink_text); inf when the steps reach none.

    The labels sit in a band along the top, in rows where they do not overlap ("band"),
    and the rules ("rules": x, kind "yours" or "kink"; and each best row's theoretical
    step) start below it (their column down: a share of the plot's height), so no label
    runs into a rule. "labels" name each line beside its right end; "frame" holds the
    plot's corners: the steps across, the errors with room for the band above them.
    """
    steps = [*errors["epsilon"], epsilon]
    low_x, high_x = float(min(steps)), float(max(steps))
    share = lambda value: _share(value, low_x, high_x)  # noqa: E731
    turning = share(turning_point) if math.isfinite(turning_point) else None
    side_labels = {
        "round-off": _BandLabel(("← round-off dominates", "← round-off"), ((turning, "left"),),
                                _SIDE_LOOK),
        "truncation": _BandLabel(("truncation dominates →", "truncation →"),
                                 ((turning, "right"), (1.0, "left")), _SIDE_LOOK),
    }  # fmt: skip
    labels = [side_labels[side] for side in sides if turning is not None]
    yours = f"your ε = {epsilon_text}"
    at = share(epsilon)  # over its rule, or beside it where the plot's edge is too close
    labels.append(_BandLabel((yours, yours), ((at, "center"), (at, "left"), (at, "right")),
                             _YOURS_LOOK))  # fmt: skip
    rules = [{"x": epsilon, "kind": "yours"}]
    if math.isfinite(kink_distance) and low_x < kink_distance <= high_x:
        labels.append(_BandLabel((kink_text, "kink →"),
                                 ((share(kink_distance), "left"), (share(kink_distance), "right")),
                                 _KINK_LOOK))  # fmt: skip
        rules.append({"x": kink_distance, "kind": "kink"})
    band, band_px = _band_table(labels, low_x, high_x)

    # The y range: the errors, with the band above them and room below the lowest.
    finite = errors["error"].to_numpy(float) if len(errors) else np.array([1e-16, 1.0])
    top = math.log10(finite.max())
    bottom = min(math.log10(finite.min()) - 0.6, top - _MIN_DECADES)
    lifted = band_px + 10  # px from the plot's top to the largest error
    top = (ERROR_HEIGHT * top - lifted * bottom) / (ERROR_HEIGHT - lifted)
    low_y, high_y = 10.0**bottom, 10.0**top

    to_px, from_px = _log_px(low_y, high_y, ERROR_HEIGHT)
    last = errors.groupby("series", sort=False).last()
    ends = pd.DataFrame({
        "series": list(last.index),
        "lines": [list(pair) for pair in zip(last["method"], last["detail"], strict=True)],
        "y": last["error"].to_numpy(float),
    })  # fmt: skip
    down = _share_down(band_px)
    inside = best["theory_epsilon"].between(low_x, high_x)  # a rule off the plot is not drawn
    return {  # in the order the layers draw them, as the page's download lists them
        "frame": _frame((low_x, high_x), (low_y, high_y)),
        "errors": errors,
        "best": best.assign(theory_epsilon=best["theory_epsilon"].where(inside), down=down),
        "rules": pd.DataFrame(rules).assign(down=down),
        "band": band,
        "labels": _inked(_end_labels(ends, to_px, from_px, ERROR_HEIGHT, high_x)),
    }


def error_chart(theory: bool = True, title: str = "Error against the step ε") -> alt.TopLevelMixin:
    """Absolute error against ε on log-log axes, one line per method, each named beside its
    right end with its detail. It reads the tables of error_tables.

    errors: columns epsilon, error, method (its name), detail (a few words on its slope),
    series (a COLORS key); rows with no finite error left out. best: one row per method
    that has a best step, with method, series, theory_epsilon (the theoretical best step,
    a dashed rule when theory) and best_epsilon and best_error (the measured bottom of the
    curve, a diamond), and down. rules: x, kind ("yours": the current step, solid;
    "kink": where θ ± ε starts to hold f's kink, dotted), down. band: the labels along the
    top; labels: the lines' names; frame: the plot's corners.
    """
    x_scale = alt.Scale(type="log", nice=False)  # the frame's corners set both ranges
    x_axis = alt.Axis(values=_DECADES, labelExpr=POWER_OF_TEN_LABEL)

    def x(field: str) -> alt.X:
        return alt.X(field, type="quantitative", title="step ε (log scale)", scale=x_scale,
                     axis=x_axis)  # fmt: skip

    y_scale = alt.Scale(type="log", nice=False)

    def y(field: str) -> alt.Y:
        return alt.Y(field, type="quantitative", scale=y_scale, title="absolute error (log scale)",
                     axis=alt.Axis(labelExpr=POWER_OF_TEN_LABEL))  # fmt: skip

    by_series = alt.Color("series:N", scale=alt.Scale(domain=list(COLORS),
                          range=list(COLORS.values())), legend=None)  # fmt: skip
    lines = (
        alt.Chart(alt.NamedData("errors"))
        .mark_line(point=alt.OverlayMarkDef(size=12), strokeWidth=2)
        .encode(
            x=x("epsilon"),
            y=y("error"),
            color=by_series,
            tooltip=[
                alt.Tooltip("method:N"),
                alt.Tooltip("epsilon:Q", title="ε", format=".2e"),
                alt.Tooltip("error:Q", title="absolute error", format=".3e"),
            ],
        )
    )
    below_band = {"y": alt.YValue(alt.ExprRef("height * datum.down")),
                  "y2": alt.Y2Value("height")}  # fmt: skip
    best = alt.NamedData("best")
    layers = [span_layer("frame", x=x("x"), y=y("y")), lines]
    if theory:
        layers.append(
            alt.Chart(best)
            .mark_rule(strokeDash=[5, 4], strokeWidth=1.5)
            .encode(
                x=x("theory_epsilon"),
                color=by_series,
                tooltip=[alt.Tooltip("method:N"),
                         alt.Tooltip("theory_epsilon:Q", title="theoretical best ε", format=".1e")],
                **below_band,
            )
        )  # fmt: skip
    measured = (
        alt.Chart(best)
        .mark_point(shape="diamond", filled=True, size=140, stroke="white", strokeWidth=1)
        .encode(
            x=x("best_epsilon"),
            y=y("best_error"),
            color=by_series,
            tooltip=[
                alt.Tooltip("method:N"),
                alt.Tooltip("best_epsilon:Q", title="measured best ε", format=".1e"),
                alt.Tooltip("best_error:Q", title="error there", format=".1e"),
            ],
        )
    )
    rules = alt.Chart(alt.NamedData("rules")).encode(x=x("x"), **below_band)
    yours = rules.transform_filter("datum.kind === 'yours'").mark_rule(
        color="#222222", strokeWidth=2, aria=False
    )
    kink = rules.transform_filter("datum.kind === 'kink'").mark_rule(
        color="#555555", strokeDash=[2, 3], strokeWidth=2, aria=False
    )
    chart = alt.layer(*layers, measured, yours, kink, *_band_layers(x("x")),
                      *_label_layers(x("x"), y("y")))  # fmt: skip
    return _finish(chart, title, ERROR_HEIGHT)
