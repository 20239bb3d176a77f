"""Charts of the weight-initialization page: each takes DataFrames and returns an Altair chart."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from charts.common import POWER_OF_TEN_LABEL, finish, long_frame
from core.datasets import Grid, TrainTestSplit
from core.propagation import RandomNetworkSignals

CLASS_COLORS = alt.Scale(domain=["0", "1"], range=["#1f5fa8", "#c0392b"])
# Fit the width to the page but take the height as the plot area's, so that legends placed
# below a chart do not squeeze it (Streamlit's default "fit" counts them in the height).
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


def activation_heatmap(histograms: pd.DataFrame, activation: str) -> alt.TopLevelMixin:
    """Share of A[l] per value bin, one row per layer (the CS231n figure as a heatmap).

    histograms: columns layer, low, high (bin edges of A), share (0…1), as
    ``histogram_frame`` makes it (ReLU's bins below 0 left out: A = max(0, Z) never falls
    there).
    """
    chart = (
        alt.Chart(histograms)
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
                title="share of units",
                scale=alt.Scale(type="sqrt", scheme="viridis"),
                legend=alt.Legend(format=".0%"),
            ),
            tooltip=[
                alt.Tooltip("layer:O", title="layer"),
                alt.Tooltip("low:Q", title="A from", format=".2f"),
                alt.Tooltip("high:Q", title="A to", format=".2f"),
                alt.Tooltip("share:Q", title="share", format=".1%"),
            ],
        )
    )
    height = max(180, 22 * histograms["layer"].nunique())
    return finish(
        chart.properties(autosize=FIT_WIDTH),
        "Distribution of the activations in each layer",
        height=height,
    )


def cost_curve(costs: pd.DataFrame) -> alt.TopLevelMixin:
    """J against the iteration on a log axis. costs: columns iteration, cost (> 0)."""
    chart = (
        alt.Chart(costs)
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
    return finish(chart, "Cost during training", height=320)


def decision_boundary(
    grid: pd.DataFrame, points: pd.DataFrame, step1: float, step2: float
) -> alt.TopLevelMixin:
    """Predicted probability of class 1 over the plane, with the data points on top.

    grid: columns x1, x2 (cell centres), probability. points: columns x1, x2, label
    ("0"/"1"), set ("train"/"test"). step1, step2: the width and height of a cell.
    """
    cells = (
        alt.Chart(grid)
        .transform_calculate(
            x1_low=f"datum.x1 - {step1 / 2}",
            x1_high=f"datum.x1 + {step1 / 2}",
            x2_low=f"datum.x2 - {step2 / 2}",
            x2_high=f"datum.x2 + {step2 / 2}",
        )
        .mark_rect(opacity=0.55)
        .encode(
            x=alt.X("x1_low:Q", title="x₁", scale=alt.Scale(zero=False, nice=False)),
            x2=alt.X2("x1_high:Q"),
            y=alt.Y("x2_low:Q", title="x₂", scale=alt.Scale(zero=False, nice=False)),
            y2=alt.Y2("x2_high:Q"),
            color=alt.Color(
                "probability:Q",
                title="ŷ = P(class 1)",
                scale=alt.Scale(domain=[0, 1], range=["#1f5fa8", "#f7f7f7", "#c0392b"]),
                legend=alt.Legend(orient="bottom", gradientLength=160),
            ),
            tooltip=[
                alt.Tooltip("x1:Q", title="x₁", format=".2f"),
                alt.Tooltip("x2:Q", title="x₂", format=".2f"),
                alt.Tooltip("probability:Q", title="ŷ", format=".3f"),
            ],
        )
    )
    dots = (
        alt.Chart(points)
        .mark_point(filled=True, size=36, strokeWidth=1.2)
        .encode(
            x=alt.X("x1:Q"),
            y=alt.Y("x2:Q"),
            fill=alt.Fill(
                "label:N", title="label y", scale=CLASS_COLORS, legend=alt.Legend(orient="right")
            ),
            shape=alt.Shape(
                "set:N",
                title="set",
                scale=alt.Scale(domain=["train", "test"], range=["circle", "triangle-up"]),
                legend=alt.Legend(
                    orient="right", symbolSize=80, symbolFillColor="gray", symbolStrokeColor="gray"
                ),
            ),
            stroke=alt.value("white"),
            tooltip=[
                alt.Tooltip("set:N"),
                alt.Tooltip("label:N"),
                alt.Tooltip("x1:Q", format=".2f"),
                alt.Tooltip("x2:Q", format=".2f"),
            ],
        )
    )
    chart = alt.layer(cells, dots).properties(autosize=FIT_WIDTH)
    return finish(chart, "Decision boundary: ŷ over the plane", height=300)


def weights_heatmap(weights: pd.DataFrame) -> alt.TopLevelMixin:
    """The entries of W[1], W[2], … side by side; one row per unit, so identical rows mean
    copies of one unit. weights: columns matrix ("W1", …), unit, input, value."""
    color = alt.Color("value:Q", title="weight", scale=alt.Scale(scheme="blueorange", domainMid=0))
    panels = [
        alt.Chart(weights[weights["matrix"] == name], title=f"{name} (units × inputs)")
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("input:O", title=f"input j (unit of layer {int(name[1:]) - 1})"),
            y=alt.Y("unit:O", title=f"unit i of layer {name[1:]}"),
            color=color,
            tooltip=[
                alt.Tooltip("matrix:N", title="matrix"),
                alt.Tooltip("unit:O"),
                alt.Tooltip("input:O"),
                alt.Tooltip("value:Q", title="weight", format=".4f"),
            ],
        )
        .properties(height=240)
        for name in weights["matrix"].unique()
    ]
    return finish(
        alt.hconcat(*panels).resolve_scale(color="shared"), "Weights after training", height=None
    )


def pairing_grid(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Small multiples, one row per activation and one column per method: the rms of each
    layer forward (Z[l]) and backward (dA[l]) on one log axis.

    frame: columns activation, method, pass, layer, rms (> 0, finite); the columns keep
    the order the methods first appear in.
    """
    chart = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=14), strokeWidth=2)
        .encode(
            x=alt.X("layer:Q", title="layer l", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y(
                "rms:Q",
                title="rms (log scale)",
                scale=alt.Scale(type="log"),
                axis=alt.Axis(labelExpr=POWER_OF_TEN_LABEL),
            ),
            color=alt.Color(
                "pass:N",
                title=None,
                legend=alt.Legend(orient="bottom", labelLimit=260),
                scale=alt.Scale(range=["#4c78a8", "#f58518"]),  # forward blue, backward orange
                sort="descending",  # forward first
            ),
            tooltip=[
                alt.Tooltip("activation:N"),
                alt.Tooltip("method:N"),
                alt.Tooltip("pass:N"),
                alt.Tooltip("layer:Q", title="layer l"),
                alt.Tooltip("rms:Q", format=".3~e"),
            ],
        )
        .properties(width=190, height=130)
        .facet(
            row=alt.Row("activation:N", title=None),
            column=alt.Column("method:N", title=None, sort=list(frame["method"].unique())),
        )
    )
    return finish(chart, "Which initialization for which activation: forward and back", height=None)


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


def cost_frame(costs: np.ndarray, max_points: int = 600) -> pd.DataFrame:
    """iteration, cost: at most ~max_points evenly spaced rows plus the last one, keeping only
    finite positive costs (a log axis cannot show the others)."""
    step = max(1, len(costs) // max_points)
    rows = pd.DataFrame({"iteration": np.arange(len(costs)), "cost": costs})
    rows = pd.concat([rows.iloc[::step], rows.iloc[[-1]]]).drop_duplicates("iteration")
    return rows[np.isfinite(rows["cost"]) & (rows["cost"] > 0)]


def grid_frame(grid: Grid, probability: np.ndarray) -> pd.DataFrame:
    """x1, x2, probability for every cell centre of grid; probability has shape (1, k²)."""
    return pd.DataFrame({"x1": grid.X[0], "x2": grid.X[1], "probability": probability[0]})


def points_frame(data: TrainTestSplit, *, with_test: bool) -> pd.DataFrame:
    """x1, x2, label ("0"/"1") and set ("train"/"test") of every point to draw."""
    sets = [("train", data.X_train, data.Y_train)]
    if with_test:
        sets.append(("test", data.X_test, data.Y_test))
    return long_frame(
        {"x1": X[0], "x2": X[1], "label": Y[0].astype(int).astype(str), "set": name}
        for name, X, Y in sets
    )


def weights_frame(parameters: dict[str, np.ndarray], names: tuple[str, ...]) -> pd.DataFrame:
    """matrix, unit (row i), input (column j), value for the weight matrices named."""
    return long_frame(
        {
            "matrix": name,
            "unit": np.indices(parameters[name].shape)[0].ravel() + 1,
            "input": np.indices(parameters[name].shape)[1].ravel() + 1,
            "value": parameters[name].ravel(),
        }
        for name in names
    )
