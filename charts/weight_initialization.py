"""Charts of the weight-initialization page: each takes DataFrames and returns an Altair chart.

A decision boundary is drawn as one picture: the 60 × 60 grid of ŷ rendered to a PNG
(``probability_image``) and placed over the grid's extent by a Vega-Lite image mark,
with the points on top. 3,600 rect marks cost the browser far more, on every rerun.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd
from PIL import Image, ImageDraw

from charts import motion
from charts.common import (
    LABEL_FONT_SIZE,
    POWER_OF_TEN_LABEL,
    finish,
    long_frame,
    png_data_url,
)
from core.datasets import Grid, TrainTestSplit
from core.propagation import RandomNetworkSignals

CLASS_0, CLASS_1, UNDECIDED = "#1f5fa8", "#c0392b", "#f7f7f7"  # ŷ = 0, 1 and 0.5
CLASS_COLORS = alt.Scale(domain=["0", "1"], range=[CLASS_0, CLASS_1])
NAN_COLOR = (170, 170, 170)  # ŷ is NaN: the training overflowed
BOUNDARY_OPACITY = 0.55  # the ŷ picture as if painted at this opacity on white
# Fit the width to the page but take the height as the plot area's, so that legends placed
# below a chart do not squeeze it (Streamlit's default "fit" counts them in the height).
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
INK = "#262730"


# --------------------------------------------------------------- the ŷ picture


def _rgb(color: str) -> np.ndarray:
    return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)], float)


def probability_colors(probability: np.ndarray) -> np.ndarray:
    """RGB (…, 3) uint8 of ŷ in [0, 1]: CLASS_0 at 0, UNDECIDED at 0.5, CLASS_1 at 1,
    linearly between, at BOUNDARY_OPACITY on white; NaN grey (NAN_COLOR)."""
    p = np.clip(np.nan_to_num(probability, nan=0.5), 0.0, 1.0)[..., None]
    low, middle, high = _rgb(CLASS_0), _rgb(UNDECIDED), _rgb(CLASS_1)
    color = np.where(p < 0.5, low + (middle - low) * 2 * p, middle + (high - middle) * (2 * p - 1))
    color = 255 + BOUNDARY_OPACITY * (color - 255)
    color = np.where(np.isnan(probability)[..., None], NAN_COLOR, color)
    return np.rint(color).astype(np.uint8)


# ŷ in 64 levels and NaN: an 8-bit palette PNG is a fifth the size of an RGB one, and 64
# levels (a step of at most 4 in any colour channel) half the size of 255.
LEVELS = 64
_PALETTE = np.vstack([probability_colors(np.linspace(0, 1, LEVELS)), [NAN_COLOR]]).astype(np.uint8)


def probability_image(probability: np.ndarray) -> str:
    """A data: URL of a PNG of ŷ, one pixel per grid cell: probability has shape
    (k2, k1), row i the cells at the i-th x2 from the bottom (as ``Grid.X`` reshaped),
    so the picture is flipped to put the largest x2 on its top row."""
    levels = np.rint(np.clip(np.nan_to_num(probability), 0, 1) * (LEVELS - 1))
    index = np.where(np.isnan(probability), LEVELS, levels).astype(np.uint8)[::-1]
    image = Image.fromarray(np.ascontiguousarray(index), "P")
    image.putpalette(_PALETTE.ravel().tolist())
    return png_data_url(image)


POINTS_SCALE, _SUPERSAMPLE = 2, 4  # a points picture's pixels per px, and drawn 4× finer


def points_picture(
    points: pd.DataFrame, extent: tuple[float, float, float, float], box: tuple[int, int],
    size: float,
) -> str:  # fmt: skip
    """A data: URL of a transparent PNG of ``points`` (x1, x2, label) as filled dots of
    ``size`` px² in their class's colour, for a plot of ``box`` = (width, height) px
    spanning ``extent``, at POINTS_SCALE pixels per px (sharp on a high-density screen).
    One picture in place of hundreds of SVG marks, which every redraw of a small cell
    would style and paint again."""
    fine = _SUPERSAMPLE * POINTS_SCALE
    width, height = box[0] * fine, box[1] * fine
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    radius = np.sqrt(size / np.pi) * fine
    x = (points["x1"].to_numpy() - extent[0]) / (extent[1] - extent[0]) * width
    y = (extent[3] - points["x2"].to_numpy()) / (extent[3] - extent[2]) * height
    alpha = round(255 * 0.9)
    for cx, cy, label in zip(x, y, points["label"], strict=True):
        color = (*_rgb(CLASS_1 if label == "1" else CLASS_0).astype(int), alpha)
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=color)
    small = image.resize((box[0] * POINTS_SCALE, box[1] * POINTS_SCALE), Image.Resampling.LANCZOS)
    # 32 colours: the two classes' over their soft edges, a sixth of the RGBA file's size
    return png_data_url(small.quantize(colors=32, method=Image.Quantize.FASTOCTREE))


def grid_extent(grid: Grid) -> tuple[float, float, float, float]:
    """(x1_low, x1_high, x2_low, x2_high): the plane the grid's cells cover, each cell
    reaching half a step either side of its centre."""
    return (
        float(grid.x1[0] - grid.step1 / 2), float(grid.x1[-1] + grid.step1 / 2),
        float(grid.x2[0] - grid.step2 / 2), float(grid.x2[-1] + grid.step2 / 2),
    )  # fmt: skip


def boundary_frames(
    grid: Grid, iterations: Sequence[int], probabilities: Sequence[np.ndarray]
) -> pd.DataFrame:
    """One row per snapshot of a training: frame (0, 1, …), iteration, url (the ŷ
    picture, ``probability_image``) and the grid's extent x1_low, x1_high, x2_low,
    x2_high. probabilities: ŷ over ``grid.X`` after each of ``iterations``, shape (1, k²)."""
    k1, k2 = len(grid.x1), len(grid.x2)
    extent = corners(grid_extent(grid))
    return pd.DataFrame(
        {
            "frame": np.arange(len(iterations)),
            "iteration": np.asarray(iterations, int),
            "url": [probability_image(np.reshape(p, (k2, k1))) for p in probabilities],
        }
    ).assign(**extent)


BOUNDARY, LABEL = "boundary", "label"
"""The names of decision_boundary's tables: its picture (``boundary_frames``, one row)
and the lines written across it (``label_frame``). They travel beside the chart's spec,
which a slider's move leaves as it is."""


EXTENT = ("x1_low", "x1_high", "x2_low", "x2_high")
"""The columns a picture's row gives its place on the plane in (``corners``)."""


def corners(extent: tuple[float, float, float, float]) -> dict[str, float]:
    """A picture's place on the plane, by EXTENT column, from (x1_low, x1_high, x2_low,
    x2_high)."""
    return {name: float(value) for name, value in zip(EXTENT, extent, strict=True)}


def _placed(picture: alt.Chart, x1: alt.Scale, x2: alt.Scale, axis, **aria) -> alt.Chart:
    """An image mark drawing each row's ``url`` over its EXTENT corners on the plane."""
    return picture.mark_image(aspect=False, **aria).encode(
        x=alt.X("x1_low:Q", title="x₁", scale=x1, axis=axis), x2="x1_high:Q",
        y=alt.Y("x2_low:Q", title="x₂", scale=x2, axis=axis), y2="x2_high:Q", url="url:N",
    )  # fmt: skip


def extent_of(frames: pd.DataFrame) -> tuple[float, float, float, float]:
    """(x1_low, x1_high, x2_low, x2_high): the grid's extent in ``boundary_frames``."""
    first = frames.iloc[0]
    return tuple(float(first[name]) for name in EXTENT)


def label_frame(label: Sequence[str], box: tuple[int, int], grow: float = 1.0) -> pd.DataFrame:
    """The lines written across the middle of a plot of ``box`` = (width, height) px: one
    row (none without a label) with ``text``, the lines one under another, and ``top``,
    ``bottom``, the white band's edges in px. grow: the plot drawn larger (a projector)."""
    middle, half = box[1] / 2, (9 * len(label) + 6) * grow
    rows = [{"text": "\n".join(label), "top": middle - half, "bottom": middle + half}]
    return pd.DataFrame(rows if label else [], columns=["text", "top", "bottom"])


def _boundary_layers(
    frames: alt.NamedData, points: pd.DataFrame, box: tuple[int, int],
    extent: tuple[float, float, float, float], label: alt.NamedData,
    *, axes: bool, point_size: float, play: motion.Player | None = None, grow: float = 1.0,
) -> list[alt.Chart]:  # fmt: skip
    """The ŷ picture (the table ``frames``' one row, or the row ``play`` is at), the
    points over it and the label across the middle (the table ``label``, from
    ``label_frame``: a band and its lines, drawn when it has a row), in a plot of ``box``
    = (width, height) px (``plot_box``) spanning ``extent`` (``extent_of``), with axes,
    a legend and tooltips when ``axes``."""
    axis = alt.Axis() if axes else None
    x1 = alt.Scale(domain=list(extent[:2]), nice=False)
    x2 = alt.Scale(domain=list(extent[2:]), nice=False)
    picture = _placed(alt.Chart(frames), x1, x2, axis)
    if play:
        picture = play.at_step(picture, field="frame")
    if axes:  # the chart up close: test points as triangles, and tooltips
        dots = (
            alt.Chart(points)
            .mark_point(filled=True, size=point_size, strokeWidth=0.8, opacity=0.9)
            .encode(
                x=alt.X("x1:Q", scale=x1, axis=axis),
                y=alt.Y("x2:Q", scale=x2, axis=axis),
                fill=alt.Fill("label:N", title="label y", scale=CLASS_COLORS, legend=alt.Legend()),
                shape=alt.Shape(  # the toggle that shows test points says they are triangles
                    "set:N",
                    scale=alt.Scale(domain=["train", "test"], range=["circle", "triangle-up"]),
                    legend=None,
                ),
                stroke=alt.value("white"),
                tooltip=[
                    alt.Tooltip("set:N"),
                    alt.Tooltip("label:N"),
                    alt.Tooltip("x1:Q", title="x₁", format=".2f"),
                    alt.Tooltip("x2:Q", title="x₂", format=".2f"),
                ],
            )
        )
    else:  # a small cell: the training points, one picture of dots (see points_picture)
        row = {"url": points_picture(points, extent, box, point_size), **corners(extent)}
        dots = _placed(alt.Chart(alt.InlineData(values=[row])), x1, x2, axis, aria=False)
    width, middle = box[0], box[1] / 2
    written = alt.Chart(label)
    # Hidden from screen readers, as an empty table's marks would be an unlabelled graphic:
    # the chart's description says that a label is written when ŷ is flat.
    band = written.mark_rect(fill="white", opacity=0.85, cornerRadius=3, aria=False).encode(
        x=alt.value(6), x2=alt.value(width - 6),
        y=alt.Y("top:Q", scale=None, axis=None), y2=alt.Y2("bottom:Q"),
    )  # fmt: skip
    text = written.mark_text(
        fontSize=LABEL_FONT_SIZE - 1, fontWeight="bold", color=INK, lineHeight=17 * grow,
        baseline="middle", lineBreak="\n", aria=False,
    ).encode(x=alt.value(width / 2), y=alt.value(middle), text=alt.Text("text:N"))  # fmt: skip
    return [picture, dots, band, text]


BOUNDARY_SIZE = 270
"""decision_boundary's longer side, in px."""


def decision_boundary(
    points: pd.DataFrame, extent: tuple[float, float, float, float], size: int = BOUNDARY_SIZE
) -> alt.TopLevelMixin:
    """Predicted probability of class 1 over the plane, with the data points on top, in
    equal units on both axes (``plot_box``: circles stay round), ``size`` px on the longer.

    points: columns x1, x2, label ("0"/"1"), set ("train"/"test"). extent: the grid's
    (``extent_of``). The picture and the lines written across it are the tables BOUNDARY
    (``boundary_frames``, one row) and LABEL (``label_frame`` of ``plot_box``'s box).
    """
    width, height = box = plot_box(extent, size)
    layers = _boundary_layers(alt.NamedData(BOUNDARY), points, box, extent,
                              alt.NamedData(LABEL), axes=True, point_size=30)  # fmt: skip
    # The ŷ legend, drawn by two invisible points on the picture's colour scale.
    legend = (
        alt.Chart(pd.DataFrame({"probability": [0.0, 1.0]}))
        .mark_point(opacity=0)
        .encode(
            color=alt.Color(
                "probability:Q",
                title="ŷ = P(class 1)",
                scale=alt.Scale(
                    domain=[0, 0.5, 1],
                    range=[_hex(probability_colors(np.array(p))) for p in (0.0, 0.5, 1.0)],
                    interpolate="rgb",
                ),
                legend=alt.Legend(gradientLength=160),
            ),
            x=alt.value(0),
            y=alt.value(0),
        )
    )
    # "pad": the plot is width × height and the legends go around it (Streamlit's default
    # "fit" would squeeze the plot to make room for them).
    chart = alt.layer(*layers[:2], legend, *layers[2:]).properties(
        width=width, autosize=alt.AutoSizeParams(type="pad")
    )
    return finish(chart, "Decision boundary: ŷ over the plane", height=height)


def plot_box(extent: tuple[float, float, float, float], size: int) -> tuple[int, int]:
    """(width, height) in px of a plot of ``extent`` (``extent_of``) with one unit as long
    on both axes, ``size`` on the longer side."""
    dx, dy = extent[1] - extent[0], extent[3] - extent[2]
    return (size, round(size * dy / dx)) if dx >= dy else (round(size * dx / dy), size)


def _hex(rgb: np.ndarray) -> str:
    return "#" + "".join(f"{int(c):02x}" for c in rgb)


CELL_FRAMES, CELL_COSTS, CELL_LABEL = CELL_TABLES = "frames", "costs", "label"
"""The tables of one cell of ``six_cells`` (``cell_tables``), each named by its cell there
(``cell_table``)."""
CELL_PLAYED = 16
"""Frames a cell's player counts: its training's snapshots kept for drawing
(``frame_iterations``), one a frame."""


def cell_tables(
    frames: pd.DataFrame, costs: pd.DataFrame, title: str, label: Sequence[str], size: int
) -> dict[str, pd.DataFrame]:
    """One cell's tables of ``six_cells`` by name (CELL_FRAMES, …), from one training:
    its pictures (``frames``, from ``boundary_frames`` at the kept snapshots, at most
    CELL_PLAYED) over the player's frames (``motion.frame_table``: frame, step, counter
    "step 1,000 of 15,000"), with the cell's ``title``; its ``costs`` (``cost_frame``)
    with the first frame each is drawn at; and the ``label`` written across the boundary
    (``label_frame``). The current setting lives in them, not in the chart's spec: a
    slider's move keeps the spec."""
    played = motion.frame_table(frames["iteration"], CELL_PLAYED)
    pictures = played.merge(frames.drop(columns="frame"), how="left", left_on="step",
                            right_on="iteration")  # fmt: skip
    box = plot_box(extent_of(frames), size)
    return {
        CELL_FRAMES: pictures.assign(title=title),
        CELL_COSTS: costs.assign(frame=motion.first_frames(played, costs["iteration"])),
        CELL_LABEL: label_frame(label, box, size / CELL_SIZE),
    }


def cell_table(table: str, cell: int) -> str:
    """The name of cell ``cell``'s (0 to 5) table ``table`` (CELL_FRAMES, CELL_COSTS or
    CELL_LABEL, from ``cell_tables``) in ``six_cells``."""
    return f"{table}_{cell + 1}"


def six_cells(
    points: pd.DataFrame,
    extent: tuple[float, float, float, float],
    cost_domain: tuple[float, float],
    iterations: int,
    names: Sequence[str],
    size: int = 144,
    columns: int = 3,
) -> alt.TopLevelMixin:
    """The six initializations' trainings in small, side by side (``columns`` to a row),
    played together by one ▶ under them. Each cell (``names``, in order) is its decision
    boundary at each of its snapshots (the training ``points`` on top, its label across
    the middle) over its cost curve up to that snapshot, from 0 to ``iterations`` across
    and on a log axis spanning ``cost_domain`` (the same for every cell, so that the cells
    compare), titled with the method and its result, or "…: to train" while its tables
    are not there yet. It shows the end of the trainings until played. Cell i's training
    is in the tables ``cell_table(…, i)`` of its ``cell_tables``. One Vega view for the
    six: one clock, and a first visit draws it 0.2 s sooner than six charts.
    extent: the grid's (``extent_of``).
    size: a boundary's longer side in px (``CELL_SIZE``, larger on a projector: the fonts
    grow there, and a concatenated chart's parts do not grow with them)."""
    play = motion.Player(CELL_PLAYED, name="frame", per_second=CELL_SPEED, scrub="frame")
    width, height = box = plot_box(extent, size)
    grow = size / CELL_SIZE
    x = alt.X(
        "iteration:Q",
        title=None,
        scale=alt.Scale(domain=[0, iterations], nice=False),
        axis=alt.Axis(labels=False, ticks=False, tickCount=3),  # the counter says it
    )
    y = alt.Y(
        "cost:Q",
        title=None,
        scale=alt.Scale(type="log", domain=list(cost_domain), nice=False),
        axis=alt.Axis(labelExpr=POWER_OF_TEN_LABEL, tickCount=4),
    )
    tooltip = [
        alt.Tooltip("iteration:Q", format=","),
        alt.Tooltip("cost:Q", title="J", format=".4g"),
    ]
    cells, titles = [], []
    for cell, name in enumerate(names):
        frames = alt.NamedData(cell_table(CELL_FRAMES, cell))
        label = alt.NamedData(cell_table(CELL_LABEL, cell))
        boundary = alt.layer(
            *_boundary_layers(frames, points, box, extent, label, axes=False, point_size=9,
                              play=play, grow=grow),
            width=width, height=height,
        )  # fmt: skip
        costs = alt.Chart(alt.NamedData(cell_table(CELL_COSTS, cell)))
        line = costs.mark_line(color=INK, strokeWidth=1.5, clip=True)
        curve = play.up_to_step(line.encode(x=x, y=y, tooltip=tooltip), field="frame")
        counter = play.counter(x=width - 2, y=2, align="right", font_size=11, table=frames)
        cells.append((boundary, alt.layer(curve, counter, width=width, height=round(52 * grow))))
        # The title is the frames table's, so that a move keeps the spec; 4 px from the
        # panels, the usual gap (a concatenated chart's title sits ~25 px above them).
        table = f"data('{frames.name}')"
        waiting = json.dumps(f"{name}: to train", ensure_ascii=False)
        title = alt.expr(f"length({table}) ? {table}[0].title : {waiting}")
        titles.append(alt.TitleParams(title, offset=4))
    chart = play.grid(cells, titles, columns=columns, spacing=round(18 * grow))
    return finish(chart, alt.Undefined, height=None)


CELL_SIZE = 144
"""A training cell's boundary, in px: two rows of cells and their ▶ fit a laptop's first
screen beside the controls."""
CELL_SPEED = 6
"""Snapshots a second when a cell plays: its 16 take under 3 s."""


# --------------------------------------------------------------- the chosen method


def activation_heatmap(histograms: pd.DataFrame, activation: str) -> alt.TopLevelMixin:
    """Share of A[l] per value bin, one row per layer (the CS231n figure as a heatmap), on
    a log colour scale: ReLU's spike at 0 (half the units) would swamp a linear one.

    histograms: columns layer, low, high (bin edges of A), share (0…1), as
    ``histogram_frame`` makes it (ReLU's bins below 0 left out: A = max(0, Z) never falls
    there). Empty bins stay blank: no unit's A is there.
    """
    chart = (
        alt.Chart(histograms)
        .transform_filter("datum.share > 0")  # log(0): nothing to colour
        # each cell reaches 5 % into the next, so no hairline gaps show between them
        .transform_calculate(reach="datum.high + 0.05 * (datum.high - datum.low)")
        .mark_rect(clip=True)
        .encode(
            x=alt.X(
                "low:Q",
                title=f"activation A[l] = {activation}(Z[l])",
                scale=alt.Scale(domain=[histograms["low"].min(), histograms["high"].max()]),
            ),
            x2=alt.X2("reach:Q"),
            y=alt.Y("layer:O", title="layer l"),
            color=alt.Color(
                "share:Q",
                title="share of units (log scale)",
                scale=alt.Scale(type="log", scheme="viridis"),
                legend=alt.Legend(format=".1~%", gradientLength=200, titleLimit=400),
            ),
            tooltip=[
                alt.Tooltip("layer:O", title="layer"),
                alt.Tooltip("low:Q", title="A from", format=".2f"),
                alt.Tooltip("high:Q", title="A to", format=".2f"),
                alt.Tooltip("share:Q", title="share", format=".2%"),
            ],
        )
    )
    height = max(180, 22 * histograms["layer"].nunique())
    return finish(
        chart.properties(autosize=FIT_WIDTH),
        "Distribution of the activations in each layer",
        height=height,
    )


COSTS = "costs"
"""The name of cost_curve's table (``cost_frame``)."""


def cost_curve() -> alt.TopLevelMixin:
    """J against the iteration on a log axis, from the table COSTS: columns iteration,
    cost (> 0)."""
    chart = (
        alt.Chart(alt.NamedData(COSTS))
        .mark_line()
        .encode(
            x=alt.X("iteration:Q", title="iteration", scale=alt.Scale(nice=False)),
            y=alt.Y("cost:Q", title="cost J (log scale)", scale=alt.Scale(type="log")),
            tooltip=[
                alt.Tooltip("iteration:Q", format=","),
                alt.Tooltip("cost:Q", title="J", format=".4g"),
            ],
        )
    )
    return finish(chart, "Cost during training", height=300)


def weights_heatmap(weights: pd.DataFrame, limit: float) -> alt.TopLevelMixin:
    """The entries of one weight matrix W[l], one row per unit i and one column per input
    j, so identical rows mean copies of one unit; each cell labelled with its value while
    there are at most ``LABELLED_INPUTS`` columns. The colours run from −limit (blue)
    through 0 (white) to +limit (orange), the same for every matrix given the same limit.

    weights: columns matrix (one name, "W1"), unit, input, value.
    """
    name = weights["matrix"].iloc[0]
    layer, units, inputs = int(name[1:]), weights["unit"].max(), weights["input"].max()
    limit = limit if limit > 0 else 1.0  # all zeros: any scale draws them white
    base = alt.Chart(weights).encode(
        x=alt.X(
            "input:O", title=f"input j (unit of layer {layer - 1})", axis=alt.Axis(labelAngle=0)
        ),
        y=alt.Y("unit:O", title=f"unit i of layer {layer}"),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(
            "value:Q",
            title="weight",
            scale=alt.Scale(scheme="blueorange", domain=[-limit, limit], clamp=True),
            legend=alt.Legend(gradientLength=160),
        ),
        tooltip=[
            alt.Tooltip("unit:O", title="unit i"),
            alt.Tooltip("input:O", title="input j"),
            alt.Tooltip("value:Q", title="weight", format=".4f"),
        ],
    )
    layers = [cells]
    if inputs <= LABELLED_INPUTS:
        layers.append(
            base.mark_text(fontSize=11).encode(
                text=alt.Text("value:Q", format=".1f"),
                color=alt.condition(
                    f"abs(datum.value) > {0.6 * limit}", alt.value("white"), alt.value(INK)
                ),
            )
        )
    chart = alt.layer(*layers).properties(autosize=FIT_WIDTH)
    title = [f"W[{layer}] after training", f"{units} units × {inputs} inputs"]
    return finish(chart, title, height=26 * int(units))


LABELLED_INPUTS = 10
"""Weight matrices with more inputs than this have unlabelled cells (too narrow on a phone)."""


def pairing_chart(frame: pd.DataFrame, domain: tuple[float, float]) -> alt.TopLevelMixin:
    """One network of the pairing grid: the rms of each layer forward (Z[l]) and backward
    (dA[l]) on a log axis spanning ``domain`` (the same for every network of the grid).

    frame: columns activation, method, pass, layer, rms (> 0, finite), of one activation
    and one method.
    """
    activation, method = frame["activation"].iloc[0], frame["method"].iloc[0]
    chart = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=14), strokeWidth=2, clip=True)
        .encode(
            x=alt.X("layer:Q", title="layer l", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y(
                "rms:Q",
                title="rms (log scale)",
                scale=alt.Scale(type="log", domain=list(domain)),
                axis=alt.Axis(labelExpr=POWER_OF_TEN_LABEL),
            ),
            color=alt.Color(
                "pass:N",
                scale=alt.Scale(
                    domain=["forward: rms of Z[l]", "backward: rms of dA[l]"],
                    range=["#4c78a8", "#f58518"],  # forward blue, backward orange
                ),
                legend=None,  # six legends would repeat the caption above the grid
            ),
            tooltip=[
                alt.Tooltip("activation:N"),
                alt.Tooltip("method:N"),
                alt.Tooltip("pass:N"),
                alt.Tooltip("layer:Q", title="layer l"),
                alt.Tooltip("rms:Q", format=".3~e"),
            ],
        )
        .properties(autosize=FIT_WIDTH)
    )
    return finish(chart, f"{activation} with {method}", height=150)


# --------------------------------------------------------------- DataFrames from core results


def histogram_frame(signals: RandomNetworkSignals) -> pd.DataFrame:
    """One row per layer and bin A[l] can fall in (``reachable_bins``) of
    ``signals.A_histogram``: layer, low, high, share."""
    reachable = signals.reachable_bins
    layers, bins = np.indices((signals.depth, len(reachable)))
    bins = bins + reachable.start
    return pd.DataFrame(
        {
            "layer": signals.layers[layers.ravel()],
            "low": signals.bin_edges[bins.ravel()],
            "high": signals.bin_edges[bins.ravel() + 1],
            "share": signals.A_histogram[layers.ravel(), bins.ravel()],
        }
    )


def variance_table(signals: RandomNetworkSignals) -> pd.DataFrame:
    """Per layer: the Var(W) the method implies, Var(Z) from theory and measured, and how
    much of A[l] sits where g is flat. Var(Z) is the mean of Z² (E[Z] = 0 here)."""
    return pd.DataFrame(
        {
            "layer l": signals.layers,
            "Var(W[l]) = σ²": signals.sigma_w2 / signals.width,
            "σ_w² = n·Var(W)": signals.sigma_w2,
            "Var(Z[l]) theory": signals.Z_rms_theory**2,
            "Var(Z[l]) measured": signals.Z_rms**2,
            "std of A[l]": signals.A_std,
            "share in flat part of g": signals.saturated_fraction,
        }
    )


def cost_frame(costs: np.ndarray, max_points: int = 300) -> pd.DataFrame:
    """iteration, cost: at most ~max_points evenly spaced rows plus the last one, keeping only
    finite positive costs (a log axis cannot show the others)."""
    step = max(1, len(costs) // max_points)
    rows = pd.DataFrame({"iteration": np.arange(len(costs)), "cost": costs})
    rows = pd.concat([rows.iloc[::step], rows.iloc[[-1]]]).drop_duplicates("iteration")
    return rows[np.isfinite(rows["cost"]) & (rows["cost"] > 0)]


def points_frame(data: TrainTestSplit, *, with_test: bool) -> pd.DataFrame:
    """x1, x2, label ("0"/"1") and set ("train"/"test") of every point to draw."""
    sets = [("train", data.X_train, data.Y_train)]
    if with_test:
        sets.append(("test", data.X_test, data.Y_test))
    return long_frame(
        {"x1": X[0], "x2": X[1], "label": Y[0].astype(int).astype(str), "set": name}
        for name, X, Y in sets
    )


def weights_frame(parameters: dict[str, np.ndarray], name: str) -> pd.DataFrame:
    """matrix, unit (row i, from 1), input (column j, from 1), value of the weight matrix
    named (``"W1"``)."""
    W = parameters[name]
    units, inputs = np.indices(W.shape)
    return pd.DataFrame(
        {"matrix": name, "unit": units.ravel() + 1, "input": inputs.ravel() + 1, "value": W.ravel()}
    )
