"""Charts for the normalizing-inputs page: the data at each stage of normalizing, the cost's
contour ellipses with gradient descent's paths, κ per stage, and the training and test sets
after normalizing."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from charts import motion
from charts.common import LABEL_FONT_SIZE, POWER_OF_TEN_LABEL, finish, long_frame

# Plotting areas in px. Axes and titles come on top: a chart stays within the 358 px a
# 390 px phone leaves, and square, so equal units look equal.
STAGE_SIZE = 240
CONTOUR_SIZE = 270
# Sizes are of the plotting area (Streamlit's default "fit" would squeeze the square).
PAD = alt.AutoSizeParams(type="pad", contains="padding")
SET_COLOURS = alt.Scale(domain=["training", "test"], range=["#4c78a8", "#f58518"])
POINT_COLOUR = "#4c78a8"
LEVEL_COLOUR = "#9ecae9"  # the contour ellipses: pale, under the paths
MINIMUM_COLOUR = "#222222"
# The two runs of gradient descent on each contour panel, told apart by colour and marker.
RUN_STYLES = {"best": ("#e45756", "circle"), "shared": ("#5b3c99", "square")}
NOTE_COLOUR = "#31333f"  # Streamlit's text colour


def points_frame(sets: dict[str, np.ndarray], column: str) -> pd.DataFrame:
    """Long DataFrame of columns example, <column>, x1, x2 from {label: X (2, m)}."""
    return long_frame(
        {"example": range(X.shape[1]), column: label, "x1": X[0], "x2": X[1]}
        for label, X in sets.items()
    )


def path_frame(steps: np.ndarray, path: np.ndarray, excess: np.ndarray, run: str) -> pd.DataFrame:
    """Columns run, step, joined, w1, w2, excess from steps (k,) (increasing from 0), a path
    (k, 2) and J − J* (k,); joined marks the steps taken one after another from the start
    (0, 1, 2, …), which a line may join."""
    return pd.DataFrame({
        "run": run, "step": steps, "joined": steps == np.arange(len(steps)),
        "w1": path[:, 0], "w2": path[:, 1], "excess": excess,
    })  # fmt: skip


def ellipse_frame(ellipses: dict[float, np.ndarray]) -> pd.DataFrame:
    """Columns level, point, w1, w2 from {J − J*: points (k, 2)}, one ellipse per level
    (none: no rows)."""
    if not ellipses:
        return pd.DataFrame({"level": [], "point": [], "w1": [], "w2": []}, dtype=float)
    return long_frame(
        {"level": level, "point": range(len(points)), "w1": points[:, 0], "w2": points[:, 1]}
        for level, points in ellipses.items()
    )


def _domain(values: tuple[float, float]) -> alt.Scale:
    return alt.Scale(domain=[float(values[0]), float(values[1])], nice=False, zero=False)


def contour_chart(
    ellipses: pd.DataFrame,
    paths: pd.DataFrame,
    minimum: tuple[float, float],
    window: tuple[tuple[float, float], tuple[float, float]],
    title: str,
    axis_titles: tuple[str, str],
    run_styles: dict[str, str],
    lesson: list[str],
) -> alt.LayerChart:
    """The cost's contour ellipses, gradient descent's paths on top and w* as a cross, the
    runs named in the legend and the lesson under the title. "▶ play" and a slider under
    the plot replay the paths step by step in the browser (charts.motion), over the steps
    the paths table holds, with "step k of N" just above the plot.

    ellipses: columns level (J − J*), point, w1, w2 (ellipse_frame), one line per level.
    paths: columns run, step, joined, w1, w2, excess (path_frame); a line joins the steps
        marked ``joined`` (consecutive ones), later ones are dots. run_styles maps each run
        to "best" or "shared" (RUN_STYLES: colour and marker) in the legend's order. A path
        that leaves the window (divergence) is clipped at its edge.
    window: ((w1 low, w1 high), (w2 low, w2 high)), the plot's axes.
    lesson: lines written under the title.
    """
    x = alt.X("w1:Q", title=axis_titles[0], scale=_domain(window[0]))
    y = alt.Y("w2:Q", title=axis_titles[1], scale=_domain(window[1]))
    levels = (
        alt.Chart(ellipses)
        .mark_line(clip=True, strokeWidth=1.2, color=LEVEL_COLOUR)
        .encode(
            x=x,
            y=y,
            detail=alt.Detail("level:Q"),
            order=alt.Order("point:Q"),
            tooltip=[alt.Tooltip("level:Q", title="J − J* on this ellipse", format=".3~e")],
        )
    )
    runs = list(run_styles)
    legend = alt.Legend(title=None, columns=1, labelLimit=0)  # the runs, as the legend names them
    colour = alt.Color(
        "run:N",
        sort=runs,
        scale=alt.Scale(domain=runs, range=[RUN_STYLES[run_styles[r]][0] for r in runs]),
        legend=legend,
    )
    shape = alt.Shape(
        "run:N",
        sort=runs,
        scale=alt.Scale(domain=runs, range=[RUN_STYLES[run_styles[r]][1] for r in runs]),
        legend=legend,
    )
    tooltip = [
        alt.Tooltip("run:N"),
        alt.Tooltip("step:Q", format=","),
        alt.Tooltip("w1:Q", format=".4~g"),
        alt.Tooltip("w2:Q", format=".4~g"),
        alt.Tooltip("excess:Q", title="J − J*", format=".3~e"),
    ]
    path = alt.Chart(paths).encode(x=alt.X("w1:Q"), y=alt.Y("w2:Q"), color=colour)
    lines = (
        path.transform_filter("datum.joined")
        .mark_line(clip=True, strokeWidth=1.6)
        .encode(detail=alt.Detail("run:N"), order=alt.Order("step:Q"))
    )
    points = path.mark_point(clip=True, filled=True, size=26, opacity=0.9).encode(
        shape=shape, tooltip=tooltip
    )
    star = (
        alt.Chart(pd.DataFrame({"w1": [minimum[0]], "w2": [minimum[1]], "point": ["minimum w*"]}))
        .mark_point(shape="cross", size=150, filled=True, color=MINIMUM_COLOUR)
        .encode(
            x=alt.X("w1:Q"),
            y=alt.Y("w2:Q"),
            tooltip=[alt.Tooltip("point:N"), alt.Tooltip("w1:Q"), alt.Tooltip("w2:Q")],
        )
    )
    play = motion.Player(np.unique(paths["step"]), name="descent")
    chart = play.layer(
        levels, play.up_to_step(lines), play.up_to_step(points), star,
        play.counter(y=-4, baseline="bottom"),  # above the plot, clear of the paths
        width=CONTOUR_SIZE, autosize=PAD,
    )  # fmt: skip
    return finish(chart, _titled(title, lesson), height=CONTOUR_SIZE)


def _titled(title: str, lesson: list[str]) -> alt.TitleParams:
    # The chart's title with the lesson under it, in the axis labels' size and text colour.
    return alt.TitleParams(
        title, subtitle=lesson, subtitleFontSize=LABEL_FONT_SIZE, subtitleColor=NOTE_COLOUR
    )


def stage_chart(
    points: pd.DataFrame,
    title: str,
    axis_titles: tuple[str, str],
    domains: tuple[tuple[float, float], tuple[float, float]],
    lesson: list[str],
) -> alt.LayerChart:
    """One stage of the data (columns example, x1, x2) in a square plot with its own axes
    (domains: ((x1 low, high), (x2 low, high))), the axes through 0 dashed, and the
    lesson's lines under the title."""
    x = alt.X("x1:Q", title=axis_titles[0], scale=_domain(domains[0]))
    y = alt.Y("x2:Q", title=axis_titles[1], scale=_domain(domains[1]))
    dots = (
        alt.Chart(points)
        .mark_circle(clip=True, size=22, opacity=0.7, color=POINT_COLOUR)
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("example:Q", title="example i"),
                alt.Tooltip("x1:Q", format=",.4~g", title=axis_titles[0]),
                alt.Tooltip("x2:Q", format=",.4~g", title=axis_titles[1]),
            ],
        )
    )
    origin = pd.DataFrame({"zero": [0.0]})
    x_zero = alt.Chart(origin).mark_rule(color="#888", strokeDash=[3, 3]).encode(x="zero:Q")
    y_zero = alt.Chart(origin).mark_rule(color="#888", strokeDash=[3, 3]).encode(y="zero:Q")
    chart = alt.layer(x_zero, y_zero, dots, width=STAGE_SIZE, autosize=PAD)
    return finish(chart, _titled(title, lesson), height=STAGE_SIZE)


def condition_numbers_chart(kappas: pd.DataFrame) -> alt.LayerChart:
    """κ per stage of normalizing as bars on a log axis that starts at κ = 1 (a round
    valley), each labelled at its end; stages top to bottom in the table's order.

    kappas: columns stage, kappa (≥ 1) and label (the value as the page writes it).
    """
    order = list(kappas["stage"])
    # A decade of room past the longest bar for its label.
    top = 10.0 ** (np.ceil(np.log10(float(kappas["kappa"].max()))) + 1)
    x = alt.X(
        "kappa:Q",
        title="κ, log scale (1: a round valley)",
        scale=alt.Scale(type="log", domain=[1.0, top], nice=False),
        axis=alt.Axis(labelExpr=POWER_OF_TEN_LABEL, grid=False),
    )
    y = alt.Y("stage:N", title=None, sort=order, axis=alt.Axis(labelLimit=0))
    tooltip = [alt.Tooltip("stage:N"), alt.Tooltip("kappa:Q", title="κ", format=",.4~g")]
    # A log axis has no 0 to start a bar from: each bar runs from κ = 1.
    bars = (
        alt.Chart(kappas)
        .mark_bar(color=POINT_COLOUR)
        .encode(x=x, x2=alt.X2Datum(1.0), y=y, tooltip=tooltip)
    )
    labels = (
        alt.Chart(kappas)
        .mark_text(align="left", dx=4, fontSize=LABEL_FONT_SIZE)
        .encode(x=alt.X("kappa:Q"), y=alt.Y("stage:N", sort=order), text=alt.Text("label:N"))
    )
    # As wide as its column (shown with width "stretch"), axes and labels included; as tall
    # as its bars need.
    chart = alt.layer(bars, labels, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    return finish(chart, "Condition number κ after each stage", height=28 * len(order))


def train_test_chart(points: pd.DataFrame, names: tuple[str, str]) -> alt.Chart:
    """Normalized training and test examples (columns set, x1, x2) on equal, centred axes."""
    axis_titles = [f"normalized {name}" for name in names]
    half = 1.1 * float(np.max(np.abs(points[["x1", "x2"]].to_numpy()))) or 1.0
    scale = alt.Scale(domain=[-half, half], nice=False)
    chart = (
        alt.Chart(points)
        .mark_circle(size=30, opacity=0.7, clip=True)
        .encode(
            x=alt.X("x1:Q", title=axis_titles[0], scale=scale),
            y=alt.Y("x2:Q", title=axis_titles[1], scale=scale),
            color=alt.Color("set:N", title="set", scale=SET_COLOURS),
            tooltip=[
                alt.Tooltip("set:N"),
                alt.Tooltip("x1:Q", format=".3f"),
                alt.Tooltip("x2:Q", format=".3f"),
            ],
        )
        .properties(width=CONTOUR_SIZE, autosize=PAD)
    )
    return finish(chart, "Training and test sets after normalizing", height=CONTOUR_SIZE)
