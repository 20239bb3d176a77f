"""Charts for the normalizing-inputs page: the data at each stage of normalizing, the cost's
contour ellipses with gradient descent's paths, κ per stage, and the training and test sets
after normalizing."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from charts import motion
from charts.common import LABEL_FONT_SIZE, POWER_OF_TEN_LABEL, finish, long_frame, span_layer

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


def path_frame(
    steps: np.ndarray, path: np.ndarray, excess: np.ndarray, run: str, style: str,
    frames: pd.DataFrame,
) -> pd.DataFrame:  # fmt: skip
    """Columns run, order, step, frame, joined, w1, w2, excess from steps (k,) (increasing
    from 0), a path (k, 2) and J − J* (k,); order is the run's style's place in RUN_STYLES
    (the legend's order), frame the first frame of ``frames`` (motion.frame_table) that
    shows the step, and joined marks the steps taken one after another from the start
    (0, 1, 2, …), which a line may join."""
    return pd.DataFrame({
        "run": run, "order": list(RUN_STYLES).index(style), "step": steps,
        "frame": motion.first_frames(frames, steps), "joined": steps == np.arange(len(steps)),
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


def minimum_frame(
    w_star: tuple[float, float], window: tuple[tuple[float, float], tuple[float, float]]
) -> pd.DataFrame:
    """One row: w* (columns point, w1, w2) and the plot's window ((w1 low, high), (w2 low,
    high)) as columns w1_low, w1_high, w2_low, w2_high."""
    (w1_low, w1_high), (w2_low, w2_high) = window
    return pd.DataFrame({
        "point": ["minimum w*"], "w1": [w_star[0]], "w2": [w_star[1]], "w1_low": [w1_low],
        "w1_high": [w1_high], "w2_low": [w2_low], "w2_high": [w2_high],
    })  # fmt: skip


def lesson_frame(lines: list[str], scale: float = 1.0) -> pd.DataFrame:
    """One row: the lesson's lines as one text (text), one line under another, and y, the
    px above the plot of its first line's bottom that puts its last line just above the
    step counter, in fonts ``scale`` times the usual size (PRESENTATION_SCALE on a
    projector)."""
    font = round(LABEL_FONT_SIZE * scale)
    line = font + 2  # Vega's line height: a text's lines go down from its first
    last = COUNTER_Y - font - round(6 * scale)
    return pd.DataFrame({"text": ["\n".join(lines)], "y": [last - (len(lines) - 1) * line]})


COUNTER_Y = -4  # the bottom of the step counter, in px from the plot's top


# The tables contour_chart reads by name (ui.charts.show's tables).
ELLIPSES, PATHS, MINIMUM, LESSON, FRAMES = "ellipses", "paths", "minimum", "lesson", "frames"


def _window_end(axis: str, end: str) -> alt.ExprRef:
    # An end of the window, read from the MINIMUM table's one row (0 until it arrives).
    return alt.ExprRef(f"length(data('{MINIMUM}')) ? data('{MINIMUM}')[0].{axis}_{end} : 0")


def _window_scale(axis: str) -> alt.Scale:
    return alt.Scale(
        domain=[_window_end(axis, "low"), _window_end(axis, "high")], nice=False, zero=False
    )


def contour_chart(title: str, axis_titles: tuple[str, str]) -> alt.LayerChart:
    """The cost's contour ellipses, gradient descent's paths on top and w* as a cross, the
    runs named in the legend and the lesson above the plot. "▶ play" and a slider under
    the plot replay the paths step by step in the browser (charts.motion), with "step k of
    N" just above the plot. It draws the tables named

    ELLIPSES: columns level (J − J*), point, w1, w2 (ellipse_frame), one line per level.
    PATHS: columns run, order, step, frame, joined, w1, w2, excess (path_frame); a line
        joins the steps marked ``joined`` (consecutive ones), later ones are dots. Each
        run's style (RUN_STYLES: colour and marker) is the one at its ``order``, the
        legend's order. A path that leaves the window (divergence) is clipped at its edge.
    MINIMUM: w* and the window, the plot's axes (minimum_frame).
    LESSON: the lines written above the plot (lesson_frame).
    FRAMES: the player's motion.frame_table over motion.AT_MOST frames.

    The spec depends on the title and axis titles alone: a slider's move swaps the tables.
    """
    x = alt.X("w1:Q", title=axis_titles[0], scale=_window_scale("w1"))
    y = alt.Y("w2:Q", title=axis_titles[1], scale=_window_scale("w2"))
    levels = (
        alt.Chart(alt.NamedData(ELLIPSES))
        .mark_line(clip=True, strokeWidth=1.2, color=LEVEL_COLOUR)
        .encode(
            x=x,
            y=y,
            detail=alt.Detail("level:Q"),
            order=alt.Order("point:Q"),
            tooltip=[alt.Tooltip("level:Q", title="J − J* on this ellipse", format=".3~e")],
        )
    )
    styles = RUN_STYLES.values()
    legend = alt.Legend(title=None, columns=1, labelLimit=0)  # the runs, as the legend names them
    in_order = alt.EncodingSortField(field="order", op="min")  # the runs' names are data
    colour = alt.Color(
        "run:N", sort=in_order, scale=alt.Scale(range=[c for c, _ in styles]), legend=legend
    )
    shape = alt.Shape(
        "run:N", sort=in_order, scale=alt.Scale(range=[s for _, s in styles]), legend=legend
    )
    tooltip = [
        alt.Tooltip("run:N"),
        alt.Tooltip("step:Q", format=","),
        alt.Tooltip("w1:Q", format=".4~g"),
        alt.Tooltip("w2:Q", format=".4~g"),
        alt.Tooltip("excess:Q", title="J − J*", format=".3~e"),
    ]
    path = alt.Chart(alt.NamedData(PATHS)).encode(x=alt.X("w1:Q"), y=alt.Y("w2:Q"), color=colour)
    lines = (
        path.transform_filter("datum.joined")
        .mark_line(clip=True, strokeWidth=1.6)
        .encode(detail=alt.Detail("run:N"), order=alt.Order("step:Q"))
    )
    points = path.mark_point(clip=True, filled=True, size=26, opacity=0.9).encode(
        shape=shape, tooltip=tooltip
    )
    star = (
        alt.Chart(alt.NamedData(MINIMUM))
        .mark_point(shape="cross", size=150, filled=True, color=MINIMUM_COLOUR)
        .encode(
            x=alt.X("w1:Q"),
            y=alt.Y("w2:Q"),
            tooltip=[alt.Tooltip("point:N"), alt.Tooltip("w1:Q"), alt.Tooltip("w2:Q")],
        )
    )
    # Above the plot, clear of the paths: the lesson, and under it the counter.
    above = {"x": 0, "align": "left", "baseline": "bottom"}
    top = f"length(data('{LESSON}')) ? data('{LESSON}')[0].y : 0"
    written = {"lineBreak": "\n", "fontSize": LABEL_FONT_SIZE, "color": NOTE_COLOUR}
    lesson = (
        alt.Chart(alt.NamedData(LESSON))
        .mark_text(**above, **written, y=alt.ExprRef(top))
        .encode(text=alt.Text("text:N"))
    )
    play = motion.Player(motion.AT_MOST, name="descent", scrub="frame")
    counter = play.counter(**above, y=COUNTER_Y, table=alt.NamedData(FRAMES))
    chart = play.layer(
        levels, play.up_to_step(lines, "frame"), play.up_to_step(points, "frame"), star,
        lesson, counter, width=CONTOUR_SIZE, autosize=PAD,
    )  # fmt: skip
    # The title over the plot, as the lesson under it (not over the axis' title).
    return finish(chart, alt.TitleParams(title, frame="group"), height=CONTOUR_SIZE)


def _titled(title: str, lesson: list[str]) -> alt.TitleParams:
    # The chart's title with the lesson under it, in the axis labels' size and text colour.
    return alt.TitleParams(
        title, subtitle=lesson, subtitleFontSize=LABEL_FONT_SIZE, subtitleColor=NOTE_COLOUR
    )


# The tables stage_chart and train_test_chart read by name (ui.charts.show's tables).
POINTS, WINDOW = "points", "window"


def window_frame(domains: tuple[tuple[float, float], tuple[float, float]]) -> pd.DataFrame:
    """One row: a plot's axes ((x1 low, high), (x2 low, high)) as columns x1_low, x1_high,
    x2_low, x2_high, the table WINDOW."""
    (x1_low, x1_high), (x2_low, x2_high) = domains
    return pd.DataFrame({"x1_low": [float(x1_low)], "x1_high": [float(x1_high)],
                         "x2_low": [float(x2_low)], "x2_high": [float(x2_high)]})  # fmt: skip


_WINDOW_SCALE = alt.Scale(nice=False, zero=False)  # the window's span: _window's


def _window(axis_titles: tuple[str, str] | list[str]) -> alt.Chart:
    """An unseen rectangle over the WINDOW table's axes: the axes span it, the data's
    layers lying inside it, so that the spec keeps no number of the data."""
    return (
        alt.Chart(alt.NamedData(WINDOW))
        .mark_rect(opacity=0, aria=False)
        .encode(
            x=alt.X("x1_low:Q", title=axis_titles[0], scale=_WINDOW_SCALE),
            x2=alt.X2("x1_high"),
            y=alt.Y("x2_low:Q", title=axis_titles[1], scale=_WINDOW_SCALE),
            y2=alt.Y2("x2_high"),
        )
    )


def stage_chart(title: str, axis_titles: tuple[str, str], lesson: list[str]) -> alt.LayerChart:
    """One stage of the data in a square plot with its own axes, the axes through 0
    dashed, and the lesson's lines under the title. It draws the tables named POINTS
    (columns example, x1, x2) and WINDOW (its axes, window_frame): a move of a slider that
    changes the data swaps them and keeps the spec."""
    x = alt.X("x1:Q", title=axis_titles[0], scale=_WINDOW_SCALE)
    y = alt.Y("x2:Q", title=axis_titles[1], scale=_WINDOW_SCALE)
    dots = (
        alt.Chart(alt.NamedData(POINTS))
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
    chart = alt.layer(_window(axis_titles), x_zero, y_zero, dots, width=STAGE_SIZE, autosize=PAD)
    return finish(chart, _titled(title, lesson), height=STAGE_SIZE)


KAPPAS = "kappas"  # the table condition_numbers_chart reads by name


def kappa_frame(stages: tuple[str, ...], kappas, labels: list[str]) -> pd.DataFrame:
    """Columns stage, kappa (≥ 1), label (κ as the page writes it) and room: a decade past
    the longest bar's, rounded up to a power of ten, where the axis ends (its label's room)."""
    kappas = np.asarray(kappas, dtype=float)
    room = 10.0 ** (np.ceil(np.log10(kappas.max())) + 1)
    return pd.DataFrame({"stage": stages, "kappa": kappas, "label": labels, "room": room})


def condition_numbers_chart(stages: tuple[str, ...]) -> alt.LayerChart:
    """κ per stage of normalizing as bars on a log axis that starts at κ = 1 (a round
    valley), each labelled at its end; ``stages`` top to bottom. It draws the table KAPPAS
    (kappa_frame), whose ``room`` ends the axis.
    """
    kappas = alt.Chart(alt.NamedData(KAPPAS))
    order = list(stages)
    x = alt.X(
        "kappa:Q",
        title="κ, log scale (1: a round valley)",
        scale=alt.Scale(type="log", domainMin=1.0, nice=False),
        axis=alt.Axis(labelExpr=POWER_OF_TEN_LABEL, grid=False),
    )
    y = alt.Y("stage:N", title=None, sort=order, axis=alt.Axis(labelLimit=0))
    tooltip = [alt.Tooltip("stage:N"), alt.Tooltip("kappa:Q", title="κ", format=",.4~g")]
    # A log axis has no 0 to start a bar from: each bar runs from κ = 1.
    bars = kappas.mark_bar(color=POINT_COLOUR).encode(
        x=x, x2=alt.X2Datum(1.0), y=y, tooltip=tooltip
    )
    labels = kappas.mark_text(align="left", dx=4, fontSize=LABEL_FONT_SIZE).encode(
        x=alt.X("kappa:Q"), y=alt.Y("stage:N", sort=order), text=alt.Text("label:N")
    )
    # The axis ends at the room past the longest bar: an invisible point there.
    room = span_layer(KAPPAS, x=alt.X("room:Q"), y=alt.Y("stage:N", sort=order))
    # As wide as its column (shown with width "stretch"), axes and labels included; as tall
    # as its bars need.
    chart = alt.layer(
        bars, labels, room, autosize=alt.AutoSizeParams(type="fit-x", contains="padding")
    )
    return finish(chart, "Condition number κ after each stage", height=28 * len(order))


def test_set_tables(points: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """train_test_chart's tables by name: the examples (columns set, x1, x2) and the
    window, both axes from −half to half, half 1.1 times the farthest coordinate."""
    half = 1.1 * float(np.max(np.abs(points[["x1", "x2"]].to_numpy()))) or 1.0
    return {POINTS: points, WINDOW: window_frame(((-half, half), (-half, half)))}


def train_test_chart(names: tuple[str, str]) -> alt.LayerChart:
    """Normalized training and test examples on equal, centred axes: the tables
    test_set_tables makes, so that a move of the data's sliders keeps the spec."""
    axis_titles = [f"normalized {name}" for name in names]
    dots = (
        alt.Chart(alt.NamedData(POINTS))
        .mark_circle(size=30, opacity=0.7, clip=True)
        .encode(
            x=alt.X("x1:Q", title=axis_titles[0], scale=_WINDOW_SCALE),
            y=alt.Y("x2:Q", title=axis_titles[1], scale=_WINDOW_SCALE),
            color=alt.Color("set:N", title="set", scale=SET_COLOURS),
            tooltip=[
                alt.Tooltip("set:N"),
                alt.Tooltip("x1:Q", format=".3f"),
                alt.Tooltip("x2:Q", format=".3f"),
            ],
        )
    )
    chart = alt.layer(_window(axis_titles), dots, width=CONTOUR_SIZE, autosize=PAD)
    return finish(chart, "Training and test sets after normalizing", height=CONTOUR_SIZE)
