"""Charts and tables of the gradient-checking page: the verdict on the lecture's three bands,
the difference per block as dots on the same bands, numerical against analytical values per
component, the worst components, and the difference against ε.

Every picture draws the bands alike: edges from ``core.gradient_check.VERDICT_BANDS``,
the app's one palette (``charts.common.VERDICT_COLORS``), pale behind the data
(``BAND_OPACITY``), each band named on the chart. The ``*_frame`` functions turn core's
results into the DataFrames the charts take.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from charts.common import (
    BAND_OPACITY,
    INCONCLUSIVE_COLOR,
    POWER_OF_TEN_LABEL,
    VERDICT_COLORS,
    finish,
    long_frame,
)
from core.epsilon_sweep import EpsilonSweep
from core.gradient_check import VERDICT_BANDS, GradientCheckResult
from core.network import Layout
from core.round_off_verdicts import block_verdicts

MARKDOWN_COLORS = {"great": "green", "suspicious": "orange", "bug": "red", "inconclusive": "gray"}
"""The palette's colours by their names in Streamlit's markdown (:green[…])."""
DTYPE_COLORS = {"float64": "#4c78a8", "float32": "#b279a2"}
FLOOR = 1e-16
"""The bottom of every log axis: a difference of exactly 0 is drawn here (its tooltip says 0)."""
MAX_POINTS = 1500
"""Most components the scatter draws (the worst third of them, then an even spread)."""
ROW_LABELS = 64
"""Width in px of the row names left of the verdict bar (θ) and the per-block dots (W[1],
b[1], …): the same in both, so that their log axes line up when one stands above the
other; wide enough for "W[1]" in a projector's larger font."""

_VERDICT_SCALE = alt.Scale(domain=list(VERDICT_COLORS), range=list(VERDICT_COLORS.values()))
_DECADES = [10.0**k for k in range(-16, 1, 2)]
_AXIS = alt.Axis(values=_DECADES, labelExpr=POWER_OF_TEN_LABEL)
_INK = "#222222"  # marks and labels that are not a band's


def sci(value: float) -> str:
    """A difference to two significant digits: 2.7e-11, 0.00045 as 4.5e-4, 0 as 0."""
    if value == 0:
        return "0"
    return f"{value:.1e}".replace("e-0", "e-").replace("e+00", "")


def number(value: float) -> str:
    """A norm or a derivative to three significant digits."""
    return f"{value:.3g}"


# ----------------------------------------------------------------------------- frames


def band_frame(low: float = FLOOR, high: float = 1.0) -> pd.DataFrame:
    """The lecture's bands cut to [low, high]: verdict, low, high, middle (on a log axis),
    meaning. A relative difference never exceeds 1, so the last band ends there."""
    rows, start = [], 0.0
    for band in VERDICT_BANDS:
        lo, hi = max(start, low), min(band.below, high)
        if lo < hi:
            rows.append({"verdict": band.verdict, "low": lo, "high": hi, "meaning": band.meaning})
        start = band.below
    frame = pd.DataFrame(rows)
    frame["middle"] = np.sqrt(frame["low"] * frame["high"])
    return frame


def lecture_name(block: str) -> str:
    """A block of θ as the lecture writes it: "W2" as "W[2]"."""
    return f"{block[0]}[{block[1:]}]"


def block_frame(result: GradientCheckResult, layout: Layout) -> pd.DataFrame:
    """One row per block of θ: block, name (as the lecture writes it), difference, shown
    (clipped to FLOOR for the log axis), label, verdict (as the θ bar judges it: its band,
    or "inconclusive" where round-off alone could make it), text (the label drawn beside
    the dot), leftwards (whether it reads leftwards: near the axis' right end), outlined,
    outline (its colour: dark or none).

    Outlined are the blocks judged a bug; where there are none but the check is a bug or
    suspicious, the block with the largest difference. Otherwise nothing is outlined.
    """
    frame = pd.DataFrame({"block": list(result.per_block), "difference": result.per_block.values()})
    frame["name"] = frame["block"].map(lecture_name)
    frame["shown"] = frame["difference"].clip(lower=FLOOR)
    frame["label"] = frame["difference"].map(sci)
    frame["verdict"] = frame["block"].map(block_verdicts(result, layout))
    round_off = frame["verdict"] == "inconclusive"
    frame["text"] = frame["label"].where(~round_off, frame["label"] + ", round-off")
    frame["leftwards"] = frame["shown"] >= VERDICT_BANDS[-2].below  # in the bug band
    outlined = frame["verdict"] == "bug"
    if not outlined.any() and result.verdict in ("bug", "suspicious"):
        outlined = frame.index == frame["difference"].idxmax()
    frame["outlined"] = outlined
    frame["outline"] = np.where(outlined, _INK, "transparent")
    return frame


def coordinate_frame(
    result: GradientCheckResult, layout: Layout, max_points: int = MAX_POINTS
) -> pd.DataFrame:
    """One row per checked component: component, block, approx, analytic, error.

    Directions mix all blocks: their block is "direction u". Beyond ``max_points``
    components, the worst third by error and an even spread of the rest are kept.
    """
    error = np.abs(result.approx - result.analytic)
    kept = np.arange(len(error))
    if len(kept) > max_points:
        order = np.argsort(-error, kind="stable")
        worst, rest = order[: max_points // 3], np.sort(order[max_points // 3 :])
        spread = rest[np.linspace(0, len(rest) - 1, max_points - len(worst)).astype(int)]
        kept = np.sort(np.concatenate([worst, spread]))
    if result.indices is None:
        names = [f"u{i}" for i in kept]
        blocks = ["direction u"] * len(kept)
    else:
        indices = result.indices[kept]
        names = [layout.coordinate_name(int(i)) for i in indices]
        starts = [block.start for block in layout.blocks]
        owner = np.searchsorted(starts, indices, side="right") - 1
        blocks = [layout.blocks[j].name for j in owner]
    return pd.DataFrame(
        {
            "component": names,
            "block": blocks,
            "approx": result.approx[kept],
            "analytic": result.analytic[kept],
            "error": error[kept],
        }
    )


NOT_CHECKED = "not checked"
_JUDGED_COLORS = {**VERDICT_COLORS, "inconclusive": INCONCLUSIVE_COLOR}
_THETA_COLORS = {**_JUDGED_COLORS, NOT_CHECKED: "#d8d8d8"}


def theta_frame(result: GradientCheckResult, layout: Layout) -> pd.DataFrame:
    """One row per block of θ, in θ's order: block, lo and hi (its slice), size, middle,
    named (whether its name fits inside it: a twentieth of θ or wider), difference, label,
    verdict (its band, or "not checked" where the check has no difference for it;
    "inconclusive" where round-off alone could make it, see
    ``core.round_off_verdicts.block_verdicts``), key (the verdict in the legend's order,
    "0 great" … "4 not checked") and color (the verdict's). Numbers are floats: an int64
    column reaches the browser's chart as a BigInt, which it cannot draw."""
    verdicts = block_verdicts(result, layout)
    order = list(_THETA_COLORS)
    rows = []
    for block in layout.blocks:
        difference = result.per_block.get(block.name)
        checked = difference is not None
        verdict = verdicts[block.name] if checked else NOT_CHECKED
        rows.append({
            "block": block.name, "lo": float(block.start), "hi": float(block.stop),
            "size": float(block.size),
            "middle": (block.start + block.stop) / 2,
            "named": block.size >= layout.size / 20,
            "difference": difference if checked else np.nan,
            "label": sci(difference) if checked else NOT_CHECKED,
            "verdict": verdict,
            "key": f"{order.index(verdict)} {verdict}",
            "color": _THETA_COLORS[verdict],
        })  # fmt: skip
    return pd.DataFrame(rows)


def chosen_frame(index: int) -> pd.DataFrame:
    """The coordinate taken apart, as theta_chart's rule: at (the middle of its cell)."""
    return pd.DataFrame({"at": [index + 0.5]})


def theta_chart(size: float) -> alt.TopLevelMixin:
    """θ as one bar, W[1] | b[1] | W[2] | … side by side, each block as long as it has
    parameters and coloured by its band: a broken block stands out in red.

    size: θ's number of coordinates P, the axis' end. Its tables: "theta" (from
    theta_frame) and "chosen" (from chosen_frame: the coordinate taken apart below,
    marked with a rule).
    """
    x = alt.X(
        "lo", type="quantitative", title="coordinate i of θ",
        scale=alt.Scale(domain=[0, float(size)], nice=False),
    )  # fmt: skip
    tooltip = [
        alt.Tooltip("block:N"), alt.Tooltip("size:Q", title="parameters"),
        alt.Tooltip("label:N", title="difference"), alt.Tooltip("verdict:N"),
    ]  # fmt: skip
    theta = alt.Chart(alt.NamedData("theta"))
    bar = theta.mark_rect(stroke="white", strokeWidth=1.5).encode(
        x=x,
        x2=alt.X2("hi"),
        # The legend lists only the bands present, in the bands' order: its entries are
        # the keys in the table ("0 great" …, sorted as written), each coloured by its row.
        color=alt.Color(
            "key",
            type="nominal",
            scale=alt.Scale(range=alt.FieldRange(field="color")),
            legend=alt.Legend(title="block's band", labelExpr="substring(datum.label, 2)"),
        ),
        tooltip=tooltip,
    )
    # a name fits in a block a twentieth of θ or wider; the tooltip names the others
    names = (
        theta.transform_filter("datum.named")
        .mark_text(fontSize=13, fontWeight="bold", color="white")
        .encode(x=alt.X("middle", type="quantitative"), text=alt.Text("block", type="nominal"))
    )
    at = (
        alt.Chart(alt.NamedData("chosen"))
        .mark_rule(color=_INK, strokeWidth=3, aria=False)
        .encode(x=alt.X("at", type="quantitative"))
    )
    title = ["θ = [W1 | b1 | W2 | …], one bar", "each block coloured by its difference's band"]
    # the height holds the two title lines, the axis and the legend too
    return finish(alt.layer(bar, names, at), title, height=240)


def worst_frame(result: GradientCheckResult) -> pd.DataFrame:
    """The worst components, as text: component, dθ_approx, dθ, absolute error |dθ_approx − dθ|."""
    return pd.DataFrame(
        [
            {
                "component": component.name,
                "dθ_approx (two-sided)": f"{component.approx:.8g}",
                "dθ (backprop)": f"{component.analytic:.8g}",
                "absolute error": sci(component.error),
            }
            for component in result.worst
        ]
    )


WITHOUT_KINKS = "without kink crossings"


def sweep_frame(sweeps: dict[str, EpsilonSweep]) -> pd.DataFrame:
    """The curves sweep_chart draws: epsilon, difference, shown, dtype, curve, series (its
    name in the legend), kinked.

    One "all checked components" curve per dtype, named by its dtype, and a "without kink
    crossings" curve ("float64 without kink crossings") where some component crossed a
    ReLU kink at some ε.
    """
    parts = []
    for dtype, sweep in sweeps.items():
        curves = {"all checked components": (dtype, sweep.differences)}
        if sweep.kinked.any():
            curves[WITHOUT_KINKS] = (f"{dtype} {WITHOUT_KINKS}", sweep.without_kinks)
        for curve, (series, values) in curves.items():
            parts.append(
                {
                    "epsilon": sweep.epsilons,
                    "difference": values,
                    "dtype": dtype,
                    "curve": curve,
                    "series": series,
                    "kinked": sweep.kinked,
                }
            )
    frame = long_frame(parts)
    frame["shown"] = frame["difference"].clip(lower=FLOOR)
    return frame


def check_mark(result: GradientCheckResult, dtype: str) -> pd.DataFrame:
    """The page's own check as one point for the ε sweep: epsilon, difference, shown,
    dtype, label (its difference and what it checked, for the tooltip)."""
    what = "directions" if result.indices is None else "coordinates"
    label = f"{sci(result.difference)} ({len(result.approx):,} {what})"
    return pd.DataFrame({
        "epsilon": [result.epsilon], "difference": [result.difference],
        "shown": [max(result.difference, FLOOR)], "dtype": [dtype], "label": [label],
    })  # fmt: skip


def is_u_shaped(differences: np.ndarray) -> bool:
    """Whether a curve of differences against ε falls to a bottom inside the range and
    rises again on both sides, tenfold or more."""
    values = np.asarray(differences, dtype=float)
    if values.size < 3 or not np.all(np.isfinite(values)):
        return False
    bottom = int(np.argmin(values))
    lowest = max(values[bottom], FLOOR)
    return 0 < bottom < values.size - 1 and min(values[0], values[-1]) >= 10 * lowest


def epsilon_marks(marks: dict[str, float]) -> pd.DataFrame:
    """Rules on the sweep: one row per distinct ε with its labels joined ("your ε = …")."""
    frame = pd.DataFrame({"label": list(marks), "epsilon": list(marks.values())})
    frame = frame.groupby("epsilon", sort=True, as_index=False).agg({"label": " = ".join})
    frame["row"] = range(len(frame))
    return frame


_ROW_DECADES = 0.55  # between the rows of the sweep's rule labels, on its log y axis
_DECADES_PER_CHARACTER = 0.15  # a bold 13 px label on a projector, on the sweep's ε axis


def _no_room_right(epsilon: float, label: str, largest: float) -> bool:
    # Whether a label starting at ε would run past the largest ε of the axis.
    return math.log10(largest / epsilon) < _DECADES_PER_CHARACTER * len(label)


def sweep_tables(
    curves: pd.DataFrame, bands: pd.DataFrame, marks: pd.DataFrame, check: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """sweep_chart's tables, placed on its axes: "curves" (from sweep_frame), "bands" (from
    band_frame, cut to the plotted range, each name's height in middle), "marks" (from
    epsilon_marks, with at, the height of its label's row, and leftwards, whether the label
    reads leftwards from its rule) and "check" (from check_mark).

    The y axis runs from two decades under the lowest difference (room for the rule labels'
    rows along the bottom) to 1: the bands span it exactly, so it is the axis' extent.
    """
    bottom = float(min(curves["shown"].min(), check["shown"].min()))
    low = max(FLOOR, 10.0 ** (math.floor(math.log10(bottom)) - 2))
    shown = bands.assign(low=bands["low"].clip(lower=low))
    shown = shown[shown["low"] < shown["high"]]
    # Each name at the middle of its band above the rule labels' rows, which a long rule
    # label crosses into the names' margin on a phone.
    rows_top = low * 10 ** (0.3 + _ROW_DECADES * len(marks))
    above = shown["low"].clip(lower=rows_top).where(shown["high"] > rows_top * 3)
    shown = shown.assign(middle=np.sqrt(above.fillna(shown["low"]) * shown["high"]))
    # Along the bottom, one row (half a decade) per rule, below the curves; a label with no
    # room right of its rule reads leftwards from it, so it stays inside the chart.
    largest = float(curves["epsilon"].max())
    marks = marks.assign(
        at=low * 10 ** (0.3 + _ROW_DECADES * marks["row"]),
        leftwards=[_no_room_right(row.epsilon, row.label, largest) for row in marks.itertuples()],
    )
    return {"curves": curves, "bands": shown, "marks": marks, "check": check}


def sweep_series(curves: pd.DataFrame) -> tuple[str, ...]:
    """The sweep's curves by their names in the legend, in its order: each precision, then
    the same without the components that crossed a kink, where there are some."""
    series = [f"{dtype}{suffix}" for dtype in DTYPE_COLORS for suffix in ("", " " + WITHOUT_KINKS)]
    return tuple(name for name in series if name in set(curves["series"]))


# ----------------------------------------------------------------------------- charts


def _row_axis(**labels) -> alt.Axis:
    # Row names left of the plot, ROW_LABELS wide in both hero charts.
    return alt.Axis(title=None, ticks=False, domain=False, grid=False, labelFontWeight="bold",
                    minExtent=ROW_LABELS, maxExtent=ROW_LABELS, **labels)  # fmt: skip


def verdict_mark(result: GradientCheckResult) -> pd.DataFrame:
    """The check as verdict_chart's dot, one row: difference, shown (within the axis),
    verdict, text (its label) and leftwards (whether the label reads leftwards: from 1e-4
    on, where the right side has less room)."""
    shown = min(max(result.difference, FLOOR), 1.0)
    return pd.DataFrame({
        "difference": [result.difference], "shown": [shown], "verdict": [result.verdict],
        "text": [f"this check: {sci(result.difference)}"], "leftwards": [shown >= 1e-4],
    })  # fmt: skip


# The bands' colours and grey for what round-off alone could make: one scale wherever a
# verdict is drawn, so that Vega-Lite shares it between the bands and the data.
_JUDGED_SCALE = alt.Scale(domain=list(_JUDGED_COLORS), range=list(_JUDGED_COLORS.values()))


def _labels(data: alt.Chart, dx: int, **mark) -> list[alt.Chart]:
    # A label beside each mark, rightwards, or leftwards where the row's leftwards says so.
    def one(leftwards: bool) -> alt.Chart:
        return data.transform_filter(f"{'' if leftwards else '!'}datum.leftwards").mark_text(
            align="right" if leftwards else "left", dx=-dx if leftwards else dx, **mark
        )

    return [one(False), one(True)]


def verdict_chart(bands: pd.DataFrame) -> alt.TopLevelMixin:
    """The three bands, pale, as one bar on a log axis, each named, and the check's
    difference as a dot in its verdict's colour, labelled.

    bands: from band_frame; its table "check": from verdict_mark ("inconclusive" is grey).
    The bar's row is named θ (all of it), as wide as block_chart's names, so the two axes
    line up.
    """
    low, high = float(bands["low"].min()), float(bands["high"].max())
    x = alt.X(
        "low:Q",
        title=None,  # the title says what the axis holds: the block chart under it names it
        scale=alt.Scale(type="log", domain=[low, high], nice=False),
        axis=_AXIS,
    )
    # The bar's height as 0 … 1, in two strips: the band names along the top, the check's
    # dot and label below them, so that the dot never covers a name.
    height = alt.Scale(domain=[0, 1], nice=False, zero=False)
    at_dot = 0.3
    axis = _row_axis(values=[at_dot], labelExpr="'θ'")  # every layer's, or none shows

    def row(value: float) -> alt.Y:
        return alt.Y(datum=value, type="quantitative", scale=height, axis=axis, title=None)

    base = alt.Chart(bands)
    strip = base.mark_rect(opacity=BAND_OPACITY).encode(
        x=x,
        x2=alt.X2("high:Q"),
        y=row(0.0),
        y2=alt.Y2(datum=1.0),
        fill=alt.Fill("verdict:N", scale=_JUDGED_SCALE, legend=None),
        tooltip=[alt.Tooltip("verdict:N"), alt.Tooltip("meaning:N")],
    )
    names = base.mark_text(fontSize=14, fontWeight="bold").encode(
        x=alt.X("middle:Q"),
        y=row(0.75),
        text=alt.Text("verdict:N"),
        color=alt.Color("verdict:N", scale=_JUDGED_SCALE, legend=None),  # each in its own
    )
    # The label goes to the roomier side of the dot (the row's leftwards).
    marked = alt.Chart(alt.NamedData("check")).encode(
        x=alt.X("shown", type="quantitative"), y=row(at_dot)
    )
    dot = marked.mark_point(
        shape="circle", size=260, filled=True, opacity=1, strokeWidth=2, stroke=_INK, aria=False
    ).encode(fill=alt.Fill("verdict", type="nominal", scale=_JUDGED_SCALE, legend=None))
    labels = _labels(marked.encode(text=alt.Text("text", type="nominal")), 14, fontSize=14,
                     fontWeight="bold", color=_INK, aria=False)  # fmt: skip
    chart = alt.layer(strip, names, dot, *labels)
    # the height holds the title and the axis too: the bar itself is about 70 px
    return finish(chart, "The difference on the lecture's bands", height=165)


BLOCK_TITLE = ["Difference within each block", "ringed: the block standing out"]


def block_chart(bands: pd.DataFrame, rows: int) -> alt.TopLevelMixin:
    """The difference within each block (W[1], b[1], …) as a dot per row, on the log axis
    of verdict_chart, over the same bands drawn pale; its number beside each dot.

    bands: from band_frame; rows: how many blocks; its table "blocks": from block_frame.
    Each dot has its block's verdict colour (grey where round-off alone could make it);
    the block that stands out is ringed.
    """
    x_scale = alt.Scale(type="log", domain=[FLOOR, 1.0], nice=False)
    background = (
        alt.Chart(bands)
        .mark_rect(opacity=BAND_OPACITY)
        .encode(
            x=alt.X("low:Q", scale=x_scale),
            x2=alt.X2("high:Q"),
            color=alt.Color("verdict:N", scale=_JUDGED_SCALE, legend=None),
        )
    )
    x = alt.X("shown", type="quantitative", scale=x_scale, axis=_AXIS,
              title="difference within the block (log scale)")  # fmt: skip
    y = alt.Y("name", type="nominal", sort=None, axis=_row_axis())
    blocks = alt.Chart(alt.NamedData("blocks")).encode(x=x, y=y)
    dots = blocks.mark_circle(size=200, opacity=1, strokeWidth=2.5).encode(
        color=alt.Color("verdict", type="nominal", scale=_JUDGED_SCALE, legend=None),
        stroke=alt.Stroke("outline", type="nominal", scale=None),
        tooltip=[
            alt.Tooltip("block", type="nominal"),
            alt.Tooltip("label", type="nominal", title="difference"),
            alt.Tooltip("verdict", type="nominal"),
        ],
    )
    # Level, beside the dot: rightwards, or leftwards near the axis' right end.
    labels = _labels(blocks.encode(text=alt.Text("text", type="nominal")), 13, fontSize=13,
                     color=_INK)  # fmt: skip
    chart = alt.layer(background, dots, *labels)
    # the height holds the two title lines and the axis too: 30 px a row
    return finish(chart, BLOCK_TITLE, height=100 + 30 * rows)


def diagonal_frame(points: pd.DataFrame) -> pd.DataFrame:
    """coordinate_chart's line y = x from the smallest value of either kind to the largest:
    analytic, approx."""
    low = float(min(points["approx"].min(), points["analytic"].min()))
    high = float(max(points["approx"].max(), points["analytic"].max()))
    return pd.DataFrame({"analytic": [low, high], "approx": [low, high]})


def coordinate_chart(directions: bool = False) -> alt.TopLevelMixin:
    """Numerical against analytical value per component, with the line y = x.

    Its tables: "points" (from coordinate_frame) and "diagonal" (from diagonal_frame). A
    correct gradient puts every point on the line; a broken block leaves it (dW doubled: a
    line of slope 1/2). directions: the components are random directions u (dθ·u against
    the two-sided difference along u).
    """
    x_title = "backprop dθ·u" if directions else "backprop dθᵢ"
    y_title = "two-sided, along u" if directions else "two-sided dθ_approx[i]"
    axis = alt.Axis(format=".3~g")  # 0.02 and 5.55e-12 alike
    x = alt.X("analytic", type="quantitative", title=x_title, scale=alt.Scale(zero=False),
              axis=axis)  # fmt: skip
    y = alt.Y("approx", type="quantitative", title=y_title, scale=alt.Scale(zero=False),
              axis=axis)  # fmt: skip
    line = (
        alt.Chart(alt.NamedData("diagonal"))
        .mark_line(color="#888888", strokeDash=[6, 4], strokeWidth=1.5)
        .encode(x=x, y=y)
    )
    points = (
        alt.Chart(alt.NamedData("points"))
        .mark_circle(size=45, opacity=0.75)
        .encode(
            x=x,
            y=y,
            color=alt.Color("block", type="nominal", sort=None, title="block"),
            tooltip=[
                alt.Tooltip("component", type="nominal"),
                alt.Tooltip("approx", type="quantitative", title="two-sided difference",
                            format=".8g"),
                alt.Tooltip("analytic", type="quantitative", title="backprop", format=".8g"),
                alt.Tooltip("error", type="quantitative", title="|difference|", format=".2e"),
            ],
        )
    )  # fmt: skip
    # the zoom's name fixed, so that every build of the chart writes the same spec
    chart = alt.layer(line, points).interactive(name="zoom")
    title = ["Numerical against analytical", "per component, y = x dashed"]
    return finish(chart, title, height=360)


def sweep_chart(series: tuple[str, ...], sampled: int) -> alt.TopLevelMixin:
    """The difference against ε on log-log axes, one curve per dtype, over the bands.

    Its tables, from sweep_tables: "curves", "bands" (each named right of the plot),
    "marks" (drawn as labelled vertical rules, one label row each along the bottom) and
    "check" (the page's own check, which may have checked other components than the sweep,
    drawn as a diamond and keyed in the title: a label beside or under it ran into the
    curves). series: the curves' names in the legend, from sweep_series, which names the
    precisions and, where some component crossed a kink, the dashed curves; sampled:
    coordinates per block the sweep checks at each ε, named in the title.
    """
    # No domain of its own: the bands span the axis (sweep_tables), and every mark lies on them.
    y_scale = alt.Scale(type="log", nice=False)
    x_scale = alt.Scale(type="log")
    x_axis = alt.Axis(values=[10.0**k for k in range(-12, 0)], labelExpr=POWER_OF_TEN_LABEL)
    bands = alt.Chart(alt.NamedData("bands"))
    background = bands.mark_rect(opacity=BAND_OPACITY).encode(
        y=alt.Y("low", type="quantitative", scale=y_scale),
        y2=alt.Y2("high"),
        # fill, not color: the curves' colour scale stays their own
        fill=alt.Fill("verdict", type="nominal", scale=_VERDICT_SCALE, legend=None),
        tooltip=[alt.Tooltip("meaning", type="nominal", title="verdict band")],
    )
    band_names = bands.mark_text(align="left", dx=6, fontSize=12, fontWeight="bold").encode(
        x=alt.value("width"),  # just right of the plot, clear of the curves
        y=alt.Y("middle", type="quantitative", scale=y_scale),
        text=alt.Text("verdict", type="nominal"),
        fill=alt.Fill("verdict", type="nominal", scale=_VERDICT_SCALE, legend=None),
    )
    # One legend for colour and dash (both by series): the precisions, and the dashed
    # curves without the components that crossed a kink, in a grid of solid | dashed.
    dashed = [name.endswith(WITHOUT_KINKS) for name in series]
    legend = alt.Legend(
        title="precision", columns=2 if any(dashed) else len(series),
        symbolType="stroke", symbolStrokeWidth=2.5, symbolSize=400,  # a piece of each line
    )  # fmt: skip
    lines = (
        alt.Chart(alt.NamedData("curves"))
        .mark_line(point=alt.OverlayMarkDef(size=40, filled=True), strokeWidth=2.5)
        .encode(
            x=alt.X(
                "epsilon", type="quantitative", title="step ε (log scale)", scale=x_scale,
                axis=x_axis,
            ),
            y=alt.Y(
                "shown", type="quantitative", title="relative difference (log scale)",
                scale=y_scale,
                axis=alt.Axis(
                    labelExpr=POWER_OF_TEN_LABEL, values=[10.0**k for k in range(-16, 1)]
                ),
            ),
            color=alt.Color(
                "series", type="nominal",
                scale=alt.Scale(
                    domain=list(series), range=[DTYPE_COLORS[name.split()[0]] for name in series]
                ),
                legend=legend,
            ),
            strokeDash=alt.StrokeDash(
                "series", type="nominal",
                scale=alt.Scale(
                    domain=list(series), range=[[5, 4] if d else [1, 0] for d in dashed]
                ),
                legend=legend,
            ),
            tooltip=[
                alt.Tooltip("dtype", type="nominal"),
                alt.Tooltip("curve", type="nominal"),
                alt.Tooltip("epsilon", type="quantitative", title="ε", format=".0e"),
                alt.Tooltip("difference", type="quantitative", title="difference", format=".2e"),
                alt.Tooltip("kinked", type="quantitative", title="components across a kink"),
            ],
        )
    )  # fmt: skip
    marks = alt.Chart(alt.NamedData("marks")).encode(
        x=alt.X("epsilon", type="quantitative", scale=x_scale)
    )
    rules = marks.mark_rule(color=_INK, strokeWidth=1.5, strokeDash=[3, 3]).encode(
        tooltip=[alt.Tooltip("label", type="nominal")]
    )
    labels = _labels(
        marks.encode(
            y=alt.Y("at", type="quantitative", scale=y_scale),
            text=alt.Text("label", type="nominal"),
        ),
        4, fontSize=13, fontWeight="bold", color=_INK,
    )  # fmt: skip
    here = alt.Chart(alt.NamedData("check")).encode(
        x=alt.X("epsilon", type="quantitative", scale=x_scale),
        y=alt.Y("shown", type="quantitative", scale=y_scale),
        tooltip=[alt.Tooltip("label", type="nominal", title="the check above")],
    )
    diamond = here.mark_point(
        shape="diamond", size=220, filled=True, color=_INK, stroke="white", strokeWidth=1.5
    )
    chart = alt.layer(background, band_names, lines, rules, *labels, diamond)
    title = [
        "The difference against ε",
        f"curves: {sampled} sampled coordinates per block",
        "◆ the check above",
    ]
    # the height holds three title lines, the axis and a legend of two rows: the plot
    # keeps about 20 px a decade
    return finish(chart, title, height=560)
