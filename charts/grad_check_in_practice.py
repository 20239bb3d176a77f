"""Charts for the grad-check-in-practice page: one per rule of thumb.

Every chart of a relative difference draws it on a log axis over the lecture's verdict
bands (great, suspicious, bug), whose edges come from ``core.gradient_check`` and whose
colours are the app's one verdict palette (``charts.common.VERDICT_COLORS``); each band
is named on the chart, right of the plot. Lines are named where they run, not in a
legend, wherever their names fit. The ``*_frame`` functions reshape core's results into
the DataFrames the charts take.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from charts.common import BAND_OPACITY, POWER_OF_TEN_LABEL, VERDICT_COLORS, finish, long_frame
from core.check_practice import CheckCost, DropoutSweep, RegularizationSweep, TrainingChecks
from core.gradient_check import VERDICT_BANDS, verdict_for
from core.network import bug_label

FLOOR = 1e-16
"""Differences below this (an exact 0 included) are drawn at it: a log axis has no 0."""
TOP = 5.0  # a relative difference is at most 1: the axis ends far enough above for a point at 1
HEIGHT = 440  # of every chart, title and axes included: under the page's title, tabs and
# headline it still ends on a laptop's first screen (900 px)
CORRECT, BUGGY, OTHER, KINK = "#4c78a8", "#e45756", "#8c8c8c", "#7b3fa0"
_DIFFERENCE_TITLE = "difference (log scale)"
_LOG_AXIS = alt.Axis(labelExpr=POWER_OF_TEN_LABEL, title=_DIFFERENCE_TITLE)
_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def power_of_ten(value: float) -> str:
    """A difference as it reads on a chart or in a headline, to two digits: 7.1·10⁻³,
    0.25 as 2.5·10⁻¹, 1.0 as 1.0."""
    mantissa, exponent = f"{value:.1e}".split("e")
    power = int(exponent)
    return mantissa if power == 0 else f"{mantissa}·10{str(power).translate(_SUPERSCRIPTS)}"


def _floor(values) -> np.ndarray:
    return np.maximum(np.asarray(values, dtype=float), FLOOR)


def _bottom(values: pd.Series) -> float:
    """The lowest decade to show: below the smallest value, and low enough for all three
    bands to be visible."""
    great_edge = VERDICT_BANDS[0].below
    smallest = min(float(values.min()), great_edge / 10)
    return 10.0 ** math.floor(math.log10(smallest))


def band_frame(bottom: float) -> pd.DataFrame:
    """The verdict bands from ``bottom`` up to TOP: columns verdict, low, high, middle (the
    height of its name, the band's middle on the log axis) and meaning."""
    rows, low = [], bottom
    for band in VERDICT_BANDS:
        high = min(band.below, TOP)
        middle = math.sqrt(low * min(high, 1.0))
        rows.append({"verdict": band.verdict, "low": low, "high": high, "middle": middle,
                     "meaning": band.meaning})  # fmt: skip
        low = high
    return pd.DataFrame(rows)


def _bands(bottom: float | alt.NamedData, y_scale: alt.Scale) -> list[alt.Chart]:
    """The verdict bands as pale strips across the chart, and their names just right of
    the plot, each at its band's middle (on the log axis): from ``bottom`` (band_frame),
    or from a named table of band_frame's."""
    table = bottom if isinstance(bottom, alt.NamedData) else band_frame(bottom)
    colors = alt.Scale(domain=list(VERDICT_COLORS), range=list(VERDICT_COLORS.values()))
    strips = (
        alt.Chart(table)
        .mark_rect(opacity=BAND_OPACITY)
        .encode(
            y=alt.Y("low:Q", scale=y_scale, axis=_LOG_AXIS),
            y2=alt.Y2("high:Q"),
            fill=alt.Fill("verdict:N", scale=colors, legend=None),
            tooltip=[alt.Tooltip("meaning:N", title="verdict band")],
        )
    )
    names = (
        alt.Chart(table)
        .mark_text(align="left", dx=6, fontSize=12, fontWeight="bold")
        .encode(
            x=alt.value("width"),
            y=alt.Y("middle:Q", scale=y_scale),
            text=alt.Text("verdict:N"),
            # fill, not color: a text's colour is its fill, and the strips' fill scale is
            # this one, where a color scale would merge with the lines'
            fill=alt.Fill("verdict:N", scale=colors, legend=None),
        )
    )
    return [strips, names]


def _difference_y(frame: pd.DataFrame, field: str = "difference") -> tuple[alt.Y, alt.Scale]:
    bottom = _bottom(frame[field])
    scale = alt.Scale(type="log", domain=[bottom, TOP], nice=False, clamp=True)
    return alt.Y(f"{field}:Q", scale=scale, axis=_LOG_AXIS), scale


def _color(domain: Sequence[str], values: Sequence) -> alt.Scale:
    return alt.Scale(domain=list(domain), range=list(values))


def _names(
    frame: pd.DataFrame, x: alt.X, y: alt.Y, color: alt.Color, *, above: bool, align: str
) -> alt.Chart:
    """A line's name written beside the line: ``frame`` holds the point each name sits at
    (its x and y fields, ``name``, and the colour field), just above or under it."""
    return (
        alt.Chart(frame)
        .mark_text(
            align=align,
            baseline="bottom" if above else "top",
            dy=-7 if above else 7,
            dx=-4 if align == "right" else 4,
            fontSize=12,
            fontWeight="bold",
        )
        .encode(x=x, y=y, text=alt.Text("name:N"), color=color)
    )


_RULE = "#222222"  # the current setting's rule


CURRENT = "current"
"""The name of lambda_chart's and dropout_chart's table of the slider's setting
(``current_frame``): their rule reads it, so that a move keeps the chart's spec."""


def current_frame(field: str, value: float) -> pd.DataFrame:
    """One row: the slider's setting as ``field``, where a chart's dark rule stands."""
    return pd.DataFrame({field: [float(value)]})


def _current(x: alt.X) -> alt.Chart:
    """A dark rule at the slider's setting, the table CURRENT, on the x axis ``x``."""
    return alt.Chart(alt.NamedData(CURRENT)).mark_rule(color=_RULE, strokeWidth=2).encode(x=x)


# ----------------------------------------------------------------------------- 1 · the cost

COST_SERIES = {
    "loop": "course's loop (measured)",
    "theory": "theory 2P·t_J / t_step",
    "batched": "batched checker (measured)",
}
COST_NAMES = {"loop": "the course's loop", "theory": "2P·t_J / t_step", "batched": "batched"}
"""What each line is called on the chart, at its right end."""
_COST_COLORS = ("#e45756", "#222222", "#4c78a8")


def cost_frame(costs: Sequence[CheckCost]) -> pd.DataFrame:
    """One row per network and series: P, the ratio check / step, and the seconds."""
    rows = []
    for cost in costs:
        widths = " → ".join(str(n) for n in cost.layer_dims)
        for key, ratio, seconds in (
            ("loop", cost.loop_ratio, cost.loop_seconds),
            ("theory", cost.theory_ratio, cost.evaluations * cost.cost_seconds),
            ("batched", cost.batched_ratio, cost.batched_seconds),
        ):
            rows.append(
                {
                    "P": cost.parameters,
                    "series": COST_SERIES[key],
                    "name": COST_NAMES[key],
                    "ratio": ratio,
                    "check_ms": 1e3 * seconds,
                    "step_ms": 1e3 * cost.step_seconds,
                    "network": widths,
                }
            )
    return pd.DataFrame(rows)


CHOSEN = "chosen"
"""The name of cost_chart's table of the network on the page's slider (``chosen_frame``):
it travels beside the chart's spec, which a move of the slider leaves as it is."""


def chosen_frame(frame: pd.DataFrame, chosen_P: int) -> pd.DataFrame:
    """The course's loop at the network of ``chosen_P`` parameters, its figure as ``name``
    ("337 steps"): cost_chart's rule and label."""
    chosen = frame[(frame["P"] == chosen_P) & (frame["series"] == COST_SERIES["loop"])]
    return chosen.assign(name=[f"{ratio:,.0f} steps" for ratio in chosen["ratio"]])


def cost_chart(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """How many training steps one check costs, against the parameter count, log-log.

    frame: columns P, series (a COST_SERIES value), name (a COST_NAMES value), ratio,
    check_ms, step_ms, network.
    The network on the page's slider, the named table CHOSEN (``chosen_frame``), is
    marked with a rule; the course's loop is labelled there with its figure, the page's
    headline.
    """
    x = alt.X("P:Q", scale=alt.Scale(type="log"), title="parameters P (log scale)",
              axis=alt.Axis(format="~s"))  # fmt: skip
    y = alt.Y("ratio:Q", scale=alt.Scale(type="log"), axis=alt.Axis(format="~s"),
              title="steps per check (log scale)")  # fmt: skip
    color = alt.Color("series:N", scale=_color(COST_SERIES.values(), _COST_COLORS), legend=None)
    dash = alt.StrokeDash(
        "series:N",
        legend=None,
        scale=alt.Scale(domain=list(COST_SERIES.values()), range=[[1, 0], [6, 4], [1, 0]]),
    )
    lines = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=50), strokeWidth=2.5)
        .encode(
            x=x,
            y=y,
            color=color,
            strokeDash=dash,
            tooltip=[
                alt.Tooltip("network:N"),
                alt.Tooltip("P:Q", format=","),
                alt.Tooltip("series:N"),
                alt.Tooltip("ratio:Q", title="steps per check", format=",.0f"),
                alt.Tooltip("check_ms:Q", title="one check (ms)", format=",.1f"),
                alt.Tooltip("step_ms:Q", title="one step (ms)", format=".3f"),
            ],
        )
    )
    last = frame[(frame["P"] == frame["P"].max()) & (frame["series"] != COST_SERIES["theory"])]
    # the theory runs close under the loop at the right: its name goes under it, further left
    sizes = sorted(frame["P"].unique())
    middle = sizes[min(2, len(sizes) - 1)]
    theory = frame[(frame["P"] == middle) & (frame["series"] == COST_SERIES["theory"])]
    chosen = alt.Chart(alt.NamedData(CHOSEN))
    figure = chosen.mark_text(align="right", dx=-8, dy=-12, fontSize=14, fontWeight="bold").encode(
        x=x, y=y, text=alt.Text("name:N"), color=color
    )
    chart = alt.layer(
        lines,
        _names(last, x, y, color, above=True, align="right"),
        _names(theory, x, y, color, above=False, align="left"),
        chosen.mark_rule(color=_RULE, strokeWidth=2).encode(x=x),
        figure,
    )
    return finish(chart, "Training steps one check costs", height=HEIGHT)


# ----------------------------------------------------------------------------- 2 · components


def block_frame(per_block: Mapping[str, float]) -> pd.DataFrame:
    """One row per block W1, b1, …: its difference (floored), verdict and the difference
    as the chart writes it beside its dot."""
    return pd.DataFrame(
        {
            "block": list(per_block),
            "difference": _floor(list(per_block.values())),
            "verdict": [verdict_for(value) for value in per_block.values()],
            "label": [power_of_ten(value) for value in per_block.values()],
        }
    )


def block_chart(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """The difference of each block as a dot over the verdict bands, its value beside it.

    frame: columns block (in θ's order), difference, verdict, label.
    """
    y, scale = _difference_y(frame)
    x = alt.X("block:N", sort=None, title="block of θ", axis=alt.Axis(labelAngle=0))
    color = alt.Color(
        "verdict:N",
        legend=None,
        scale=alt.Scale(domain=list(VERDICT_COLORS), range=list(VERDICT_COLORS.values())),
    )
    dots = (
        alt.Chart(frame)
        .mark_point(filled=True, size=160, opacity=1, stroke="#333333", strokeWidth=1)
        .encode(
            x=x,
            y=y,
            color=color,
            tooltip=[
                alt.Tooltip("block:N"),
                alt.Tooltip("difference:Q", format=".2e"),
                alt.Tooltip("verdict:N"),
            ],
        )
    )
    values = (
        alt.Chart(frame)
        .mark_text(align="left", dx=10, fontSize=12, color="#222222")
        .encode(x=x, y=alt.Y("difference:Q", scale=scale), text=alt.Text("label:N"))
    )
    chart = alt.layer(*_bands(_bottom(frame["difference"]), scale), dots, values)
    return finish(chart, "The difference of each block of dθ", height=HEIGHT)


# ----------------------------------------------------------------------------- 3 · regularization

CODES = {"correct": "correct dW (with (λ/m)·W)", "buggy": "bug: (λ/m)·W left out of dW"}


def lambda_frame(sweep: RegularizationSweep) -> pd.DataFrame:
    """One row per λ and code: λ and the difference (floored)."""
    return long_frame(
        {"lambda": sweep.lambdas, "code": CODES[key], "name": CODES[key],
         "difference": _floor(getattr(sweep, key))}
        for key in CODES
    )  # fmt: skip


def lambda_chart(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """The difference against λ for both codes, log-log, with the slider's λ marked by a
    rule (the table CURRENT, ``current_frame("lambda", λ)``) and each line named at its
    right end.

    frame: columns lambda, code (a CODES value), name (the same), difference.
    """
    y, scale = _difference_y(frame)
    x = alt.X("lambda:Q", scale=alt.Scale(type="log"), title="λ (log scale) · rule: your λ",
              axis=alt.Axis(format="~g"))  # fmt: skip
    color = alt.Color("code:N", scale=_color(CODES.values(), (CORRECT, BUGGY)), legend=None)
    lines = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=40), strokeWidth=2.5)
        .encode(
            x=x,
            y=y,
            color=color,
            tooltip=[
                alt.Tooltip("code:N"),
                alt.Tooltip("lambda:Q", title="λ", format="~g"),
                alt.Tooltip("difference:Q", format=".2e"),
            ],
        )
    )
    ends = frame[frame["lambda"] == frame["lambda"].max()]
    chart = alt.layer(
        *_bands(_bottom(frame["difference"]), scale),
        lines,
        _names(ends, x, alt.Y("difference:Q", scale=scale), color, above=True, align="right"),
        _current(x),
    )
    return finish(chart, "Checking dW with and without the L2 term", height=HEIGHT)


# ----------------------------------------------------------------------------- 4 · dropout

MASKS = {"fresh": "a fresh mask at every evaluation", "fixed": "one mask, kept fixed"}


def dropout_frame(sweep: DropoutSweep) -> pd.DataFrame:
    """One row per keep_prob and way of masking: keep_prob and the difference (floored)."""
    return long_frame(
        {"keep_prob": sweep.keep_probs, "mask": mask, "name": mask,
         "difference": _floor(getattr(sweep, key))}
        for key, mask in MASKS.items()
    )  # fmt: skip


def dropout_chart(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """The difference of correct code against keep_prob, fresh and fixed masks, each line
    named at its left end (the fresh masks' under their line, which runs along the top),
    the slider's keep_prob marked by a rule (the table CURRENT,
    ``current_frame("keep_prob", keep_prob)``).

    frame: columns keep_prob, mask (a MASKS value), name (the same), difference.
    """
    y, scale = _difference_y(frame)
    x = alt.X("keep_prob:Q", title="keep_prob (1 = no dropout) · rule: your keep_prob",
              scale=alt.Scale(zero=False, nice=False, padding=8))  # fmt: skip
    color = alt.Color("mask:N", scale=_color(MASKS.values(), (BUGGY, CORRECT)), legend=None)
    lines = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=40), strokeWidth=2.5)
        .encode(
            x=x,
            y=y,
            color=color,
            tooltip=[
                alt.Tooltip("mask:N"),
                alt.Tooltip("keep_prob:Q", format=".2f"),
                alt.Tooltip("difference:Q", format=".2e"),
            ],
        )
    )
    starts = frame[frame["keep_prob"] == frame["keep_prob"].min()]
    fresh = starts["mask"] == MASKS["fresh"]
    y_named = alt.Y("difference:Q", scale=scale)
    chart = alt.layer(
        *_bands(_bottom(frame["difference"]), scale),
        lines,
        _names(starts[fresh], x, y_named, color, above=False, align="left"),
        _names(starts[~fresh], x, y_named, color, above=True, align="left"),
        _current(x),
    )
    return finish(chart, "The check of correct code under dropout", height=HEIGHT)


# ----------------------------------------------------------------------------- 5 · along training

TRAINING_LINES = {
    "correct": ("correct code", CORRECT, [1, 0]),
    "without": ("kinks left out", "#72b7b2", [5, 3]),
    "late": ("{bug}", BUGGY, [1, 0]),
    "other": ("other planted bugs", OTHER, [1, 0]),
}
"""Each line of training_chart: its legend label (short: two columns of them fit a phone),
colour and dash."""


TRAINING_TABLES = ("lines", "kinks", "ends", "bands")
"""The names of training_chart's tables, in the order training_frames makes them."""


def training_frames(checks: TrainingChecks, late: str) -> dict[str, pd.DataFrame]:
    """training_chart's tables by name (TRAINING_TABLES): the lines, the kinks, the two
    labelled points and the verdict bands from under the lowest difference. ``late`` is
    the bug drawn in its own colour (its first and last checks are labelled with their
    difference, whose band gives the verdict), the other bugs share a grey one."""
    series = [("correct", "", checks.correct), ("without", "", checks.correct_without_kinks)]
    series += [("late", late, checks.bugs[late])]
    series += [("other", bug, values) for bug, values in checks.bugs.items() if bug != late]
    lines = long_frame(
        {
            "iteration": checks.iterations,
            "line": TRAINING_LINES[key][0].format(bug=bug_label(bug)),
            "kind": key,
            "bug": bug_label(bug),
            "difference": _floor(values),
            "J": checks.costs,
        }
        for key, bug, values in series
    )
    met = checks.kinked > 0
    kinks = pd.DataFrame(
        {
            "iteration": checks.iterations[met],
            "difference": _floor(checks.correct[met]),
            "kinked": checks.kinked[met],
            "crossings": checks.crossings[met],
            "label": [str(n) for n in checks.kinked[met]],
        }
    )
    values = checks.bugs[late][[0, -1]]
    ends = pd.DataFrame(
        {
            "iteration": checks.iterations[[0, -1]],
            "difference": _floor(values),
            "label": [power_of_ten(v) for v in values],
            "align": ["left", "right"],
        }
    )
    bands = band_frame(_bottom(lines["difference"]))
    return dict(zip(TRAINING_TABLES, (lines, kinks, ends, bands), strict=True))


def training_lines(late: str) -> list[str]:
    """training_chart's lines by their legend labels, in the legend's order."""
    return [TRAINING_LINES[kind][0].format(bug=bug_label(late)) for kind in TRAINING_LINES]


def training_chart(late: str):
    """The difference along a training run (log y), each check that met a kink labelled
    with how many of its components did, and the late bug's first and last checks with
    their difference. ``late``: the bug drawn in its own colour. It draws the tables
    training_frames makes:

    lines: columns iteration, line (legend label, training_lines), kind (a TRAINING_LINES
    key), bug (the planted bug's label in quotes, core.network.bug_label, or ""),
    difference, J.
    kinks: the checks of the correct code that met a kink: iteration, difference, kinked
    (components), crossings, label; the title's second line keys them while there are some.
    ends: the late bug's first and last checks: iteration, difference, label, align.
    bands: the verdict bands (band_frame), which span the y axis.

    The spec depends on ``late`` alone: a move of the run's controls swaps the tables.
    """
    lines, kinks = alt.NamedData("lines"), alt.NamedData("kinks")
    # No domains: the bands span the y axis, the lines run from iteration 0 to the last.
    scale = alt.Scale(type="log", nice=False)
    y = alt.Y("difference:Q", scale=scale, axis=_LOG_AXIS)
    x = alt.X("iteration:Q", title="training iteration", scale=alt.Scale(nice=False, padding=24))
    names = training_lines(late)
    styles = list(TRAINING_LINES.values())
    drawn = (
        alt.Chart(lines)
        .mark_line(point=alt.OverlayMarkDef(size=30), strokeWidth=2.5)
        .encode(
            x=x,
            y=y,
            detail=alt.Detail("bug:N"),
            color=alt.Color(
                "line:N",
                sort=None,
                scale=_color(names, [style[1] for style in styles]),
                legend=alt.Legend(title=None, symbolType="stroke", symbolStrokeWidth=3, columns=2),
            ),
            strokeDash=alt.StrokeDash(
                "line:N",
                legend=None,
                scale=_color(names, [style[2] for style in styles]),
            ),
            tooltip=[
                alt.Tooltip("line:N"),
                alt.Tooltip("bug:N", title="planted bug"),
                alt.Tooltip("iteration:Q", format=","),
                alt.Tooltip("difference:Q", format=".2e"),
                alt.Tooltip("J:Q", format=".4f"),
            ],
        )
    )
    labels = (
        alt.Chart(kinks)
        .mark_text(dy=-12, fontSize=12, fontWeight="bold", color=KINK)
        .encode(
            x=x,
            y=alt.Y("difference:Q", scale=scale),
            text=alt.Text("label:N"),
            tooltip=[
                alt.Tooltip("iteration:Q", format=","),
                alt.Tooltip("kinked:Q", title="components across a kink"),
                alt.Tooltip("crossings:Q", title="unit·example crossings"),
            ],
        )
    )
    late_labels = [
        alt.Chart(alt.NamedData("ends"))
        .transform_filter(alt.datum.align == align)
        .mark_text(align=align, baseline="top", dy=8, fontSize=12, fontWeight="bold", color=BUGGY)
        .encode(x=x, y=alt.Y("difference:Q", scale=scale), text=alt.Text("label:N"))
        for align in ("left", "right")
    ]
    chart = alt.layer(*_bands(alt.NamedData("bands"), scale), drawn, labels, *late_labels)
    # The key to the kinks' numbers while there are some: an empty table is left out.
    title = "The check along a training run"
    keyed = f"length(data('kinks')) ? ['{title}', 'purple: components that met a kink'] : '{title}'"
    return finish(chart, alt.TitleParams(alt.expr(keyed)), height=HEIGHT)
