"""Charts for the grad-check-in-practice page: one per rule of thumb.

Every chart of a relative difference draws it on a log axis over the lecture's verdict
bands (great, suspicious, bug), whose edges come from ``core.gradient_check``. The
``*_frame`` functions reshape core's results into the DataFrames the charts take.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from charts.common import POWER_OF_TEN_LABEL, finish, long_frame
from core.check_practice import CheckCost, DropoutSweep, RegularizationSweep, TrainingChecks
from core.gradient_check import VERDICT_BANDS, verdict_for
from core.network import bug_label

FLOOR = 1e-16
"""Differences below this (an exact 0 included) are drawn at it: a log axis has no 0."""
TOP = 5.0  # a relative difference is at most 1: the axis ends far enough above for a point at 1
BAND_COLORS = {"great": "#54a24b", "suspicious": "#f2b701", "bug": "#e45756"}
CORRECT, BUGGY, OTHER, KINK = "#4c78a8", "#e45756", "#b0b0b0", "#7b3fa0"
_DIFFERENCE_TITLE = "difference (log scale)"
_LOG_AXIS = alt.Axis(labelExpr=POWER_OF_TEN_LABEL, title=_DIFFERENCE_TITLE)


def _floor(values) -> np.ndarray:
    return np.maximum(np.asarray(values, dtype=float), FLOOR)


def _bottom(values: pd.Series) -> float:
    """The lowest decade to show: below the smallest value, and low enough for all three
    bands to be visible."""
    great_edge = VERDICT_BANDS[0].below
    smallest = min(float(values.min()), great_edge / 10)
    return 10.0 ** math.floor(math.log10(smallest))


def _bands(bottom: float, y_scale: alt.Scale) -> alt.Chart:
    """The verdict bands as shaded strips across the chart, named in a legend of their own
    (fill, so that the lines' colours keep theirs)."""
    rows, low = [], bottom
    for band in VERDICT_BANDS:
        high = min(band.below, TOP)
        rows.append({"verdict": band.verdict, "low": low, "high": high, "meaning": band.meaning})
        low = high
    fill = alt.Fill(
        "verdict:N",
        title="verdict band",
        sort=None,
        scale=alt.Scale(domain=list(BAND_COLORS), range=list(BAND_COLORS.values())),
        legend=alt.Legend(orient="right", symbolOpacity=0.35),
    )
    return (
        alt.Chart(pd.DataFrame(rows))
        .mark_rect(opacity=0.12)
        .encode(
            y=alt.Y("low:Q", scale=y_scale, axis=_LOG_AXIS),
            y2=alt.Y2("high:Q"),
            fill=fill,
            tooltip=[alt.Tooltip("meaning:N", title="verdict band")],
        )
    )


def _difference_y(frame: pd.DataFrame, field: str = "difference") -> tuple[alt.Y, alt.Scale]:
    bottom = _bottom(frame[field])
    scale = alt.Scale(type="log", domain=[bottom, TOP], nice=False, clamp=True)
    return alt.Y(f"{field}:Q", scale=scale, axis=_LOG_AXIS), scale


def _color(domain: Sequence[str], values: Sequence) -> alt.Scale:
    return alt.Scale(domain=list(domain), range=list(values))


def _legend() -> alt.Legend:
    return alt.Legend(
        orient="right", labelLimit=320, title=None, symbolType="stroke", symbolStrokeWidth=3
    )


def _current(value: float) -> alt.Chart:
    """A dark rule at the current setting on the x axis (the axis title names it: a text
    layer would cost as much again to draw)."""
    return (
        alt.Chart(alt.Data(values=[{}]))
        .mark_rule(color="#222222", strokeWidth=2)
        .encode(x=alt.X(datum=value, type="quantitative"))
    )


# ----------------------------------------------------------------------------- 1 · the cost

COST_SERIES = {
    "loop": "course's loop (measured)",
    "theory": "theory 2P·t_J / t_step",
    "batched": "batched checker (measured)",
}
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
                    "ratio": ratio,
                    "check_ms": 1e3 * seconds,
                    "step_ms": 1e3 * cost.step_seconds,
                    "network": widths,
                }
            )
    return pd.DataFrame(rows)


def cost_chart(frame: pd.DataFrame, chosen_P: int) -> alt.TopLevelMixin:
    """How many training steps one check costs, against the parameter count, log-log.

    frame: columns P, series (a COST_SERIES value), ratio, check_ms, step_ms, network.
    chosen_P: the network on the page's slider, marked with a rule.
    """
    dash = alt.StrokeDash(
        "series:N",
        legend=None,
        scale=alt.Scale(domain=list(COST_SERIES.values()), range=[[1, 0], [6, 4], [1, 0]]),
    )
    lines = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=50), strokeWidth=2.5)
        .encode(
            x=alt.X(
                "P:Q",
                scale=alt.Scale(type="log"),
                title=f"parameters P (log scale) · rule at P = {chosen_P:,}",
                axis=alt.Axis(format="~s"),
            ),
            y=alt.Y(
                "ratio:Q",
                scale=alt.Scale(type="log"),
                axis=alt.Axis(format="~s"),
                title="steps per check (log scale)",
            ),
            color=alt.Color(
                "series:N", scale=_color(COST_SERIES.values(), _COST_COLORS), legend=_legend()
            ),
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
    chart = alt.layer(lines, _current(chosen_P))
    return finish(chart, "One gradient check costs this many training steps", height=380)


# ----------------------------------------------------------------------------- 2 · components


def block_frame(per_block: Mapping[str, float]) -> pd.DataFrame:
    """One row per block W1, b1, …: its difference (floored) and verdict."""
    return pd.DataFrame(
        {
            "block": list(per_block),
            "difference": _floor(list(per_block.values())),
            "verdict": [verdict_for(value) for value in per_block.values()],
        }
    )


def block_chart(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """The difference of each block as a bar, over the verdict bands.

    frame: columns block (in θ's order), difference, verdict.
    """
    y, scale = _difference_y(frame)
    bars = (
        alt.Chart(frame)
        .mark_bar(size=28, stroke="#333333", strokeWidth=0.5)
        .encode(
            x=alt.X("block:N", sort=None, title="block of θ", axis=alt.Axis(labelAngle=0)),
            y=y,
            y2=alt.Y2(datum=_bottom(frame["difference"])),
            color=alt.Color(
                "verdict:N",
                legend=None,
                scale=alt.Scale(domain=list(BAND_COLORS), range=list(BAND_COLORS.values())),
            ),
            tooltip=[
                alt.Tooltip("block:N"),
                alt.Tooltip("difference:Q", format=".2e"),
                alt.Tooltip("verdict:N"),
            ],
        )
    )
    chart = alt.layer(_bands(_bottom(frame["difference"]), scale), bars)
    return finish(chart, "The difference of each block of dθ", height=380)


# ----------------------------------------------------------------------------- 3 · regularization

CODES = {"correct": "correct dW (with (λ/m)·W)", "buggy": "bug: (λ/m)·W left out of dW"}


def lambda_frame(sweep: RegularizationSweep) -> pd.DataFrame:
    """One row per λ and code: λ and the difference (floored)."""
    return long_frame(
        {"lambda": sweep.lambdas, "code": CODES[key], "difference": _floor(getattr(sweep, key))}
        for key in CODES
    )


def lambda_chart(frame: pd.DataFrame, lambd: float) -> alt.TopLevelMixin:
    """The difference against λ for both codes, log-log, with the current λ marked.

    frame: columns lambda, code (a CODES value), difference.
    """
    y, scale = _difference_y(frame)
    lines = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=40), strokeWidth=2.5)
        .encode(
            x=alt.X(
                "lambda:Q",
                scale=alt.Scale(type="log"),
                title=f"λ (log scale) · rule at {lambd:g}",
                axis=alt.Axis(format="~g"),
            ),
            y=y,
            color=alt.Color(
                "code:N", scale=_color(CODES.values(), (CORRECT, BUGGY)), legend=_legend()
            ),
            tooltip=[
                alt.Tooltip("code:N"),
                alt.Tooltip("lambda:Q", title="λ", format="~g"),
                alt.Tooltip("difference:Q", format=".2e"),
            ],
        )
    )
    chart = alt.layer(_bands(_bottom(frame["difference"]), scale), lines, _current(lambd))
    return finish(chart, "The check of dW with and without the L2 term, against λ", height=380)


# ----------------------------------------------------------------------------- 4 · dropout

MASKS = {"fresh": "a fresh mask at every evaluation", "fixed": "one mask, kept fixed"}


def dropout_frame(sweep: DropoutSweep) -> pd.DataFrame:
    """One row per keep_prob and way of masking: keep_prob and the difference (floored)."""
    return long_frame(
        {"keep_prob": sweep.keep_probs, "mask": mask, "difference": _floor(getattr(sweep, key))}
        for key, mask in MASKS.items()
    )


def dropout_chart(frame: pd.DataFrame, keep_prob: float) -> alt.TopLevelMixin:
    """The difference of correct code against keep_prob, fresh and fixed masks.

    frame: columns keep_prob, mask (a MASKS value), difference.
    """
    y, scale = _difference_y(frame)
    lines = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=40), strokeWidth=2.5)
        .encode(
            x=alt.X(
                "keep_prob:Q",
                title=f"keep_prob (1 = no dropout) · rule at {keep_prob:.2f}",
                scale=alt.Scale(zero=False, nice=False, padding=8),
            ),
            y=y,
            color=alt.Color(
                "mask:N", scale=_color(MASKS.values(), (BUGGY, CORRECT)), legend=_legend()
            ),
            tooltip=[
                alt.Tooltip("mask:N"),
                alt.Tooltip("keep_prob:Q", format=".2f"),
                alt.Tooltip("difference:Q", format=".2e"),
            ],
        )
    )
    chart = alt.layer(_bands(_bottom(frame["difference"]), scale), lines, _current(keep_prob))
    return finish(chart, "The check of correct code under dropout", height=380)


# ----------------------------------------------------------------------------- 5 · along training

TRAINING_LINES = {
    "correct": ("correct code", CORRECT, [1, 0]),
    "without": ("correct code, kinks left out", "#72b7b2", [5, 3]),
    "late": ("planted bug {bug}", BUGGY, [1, 0]),
    "other": ("the other planted bugs", OTHER, [1, 0]),
}
"""Each line of training_chart: its legend label, colour and dash."""


def training_frames(checks: TrainingChecks, late: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The lines and the kinks of training_chart; ``late`` is the bug drawn in its own
    colour, the other bugs share a grey one."""
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
    return lines, kinks


def training_chart(lines: pd.DataFrame, kinks: pd.DataFrame) -> alt.TopLevelMixin:
    """The difference along a training run (log y), each check that met a kink labelled
    with how many of its components did.

    lines: columns iteration, line (legend label), kind (a TRAINING_LINES key), bug (the
    planted bug's label in quotes, core.network.bug_label, or ""), difference, J.
    kinks: the checks of the correct code that met a kink: iteration, difference, kinked
    (components), crossings, label.
    """
    y, scale = _difference_y(lines)
    last = int(lines["iteration"].max())
    x = alt.X(
        "iteration:Q", title="training iteration", scale=alt.Scale(domain=[0, last], padding=24)
    )
    legend = lines.drop_duplicates("line")
    styles = [TRAINING_LINES[kind] for kind in legend["kind"]]
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
                scale=_color(legend["line"], [style[1] for style in styles]),
                legend=_legend(),
            ),
            strokeDash=alt.StrokeDash(
                "line:N",
                legend=None,
                scale=_color(legend["line"], [style[2] for style in styles]),
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
    chart = alt.layer(_bands(_bottom(lines["difference"]), scale), drawn, labels)
    title = "The check along a training run"
    if len(kinks):
        title = [title, "purple numbers: components of the correct code's check that met a kink"]
    return finish(chart, title, height=400)
