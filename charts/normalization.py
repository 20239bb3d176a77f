"""Charts for the normalizing-inputs page: the three stages of the data, the cost
contours with gradient descent's path, and the training and test sets after normalizing."""

from __future__ import annotations

import warnings

import altair as alt
import numpy as np
import pandas as pd

from charts.common import LABEL_FONT_SIZE, POWER_OF_TEN_LABEL, finish, long_frame

STAGE_SIZE = 220  # px: the three stage panels are square, so equal units look equal
CONTOUR_SIZE = 360
# Sizes are of the plotting area: legends and axes come on top (Streamlit's default "fit"
# would squeeze the square plot to make room for them).
PAD = alt.AutoSizeParams(type="pad", contains="padding")
SET_COLOURS = alt.Scale(domain=["training", "test"], range=["#4c78a8", "#f58518"])


def points_frame(sets: dict[str, np.ndarray], column: str) -> pd.DataFrame:
    """Long DataFrame of columns example, <column>, x1, x2 from {label: X (2, m)}."""
    return long_frame(
        {"example": range(X.shape[1]), column: label, "x1": X[0], "x2": X[1]}
        for label, X in sets.items()
    )


def path_frame(path: np.ndarray, excess: np.ndarray, run: str) -> pd.DataFrame:
    """Columns run, step, w1, w2, excess from a path (k + 1, 2) and its J − J* (k + 1,)."""
    return pd.DataFrame(
        {"run": run, "step": range(len(path)), "w1": path[:, 0], "w2": path[:, 1], "excess": excess}
    )


def grid_frame(w1: np.ndarray, w2: np.ndarray, excess: np.ndarray) -> pd.DataFrame:
    """Columns w1, w2, excess from the axes and J − J* of shape (len(w2), len(w1))."""
    W1, W2 = np.meshgrid(w1, w2)
    return pd.DataFrame({"w1": W1.ravel(), "w2": W2.ravel(), "excess": excess.ravel()})


def _symmetric_domain(values: pd.Series | np.ndarray) -> list[float]:
    # Both axes of a panel share one range centred at 0, so a unit is as long across as up.
    half = 1.1 * float(np.max(np.abs(values))) or 1.0
    return [-half, half]


def stages_chart(
    points: pd.DataFrame, names: tuple[str, str], units: tuple[str, str]
) -> alt.HConcatChart:
    """Three square panels of the columns example, stage, x1, x2: one per stage, in order of
    appearance (raw, centred, scaled). Hovering an example highlights it in every panel, so
    one example can be followed through the two steps."""
    hover = alt.selection_point(
        name="example", fields=["example"], on="pointerover", nearest=True, empty=False
    )
    on_hover = {"param": hover.name, "empty": False}
    raw, centred, scaled = points["stage"].unique()
    axis_titles = {
        raw: [
            f"{name} ({unit})" if unit not in ("", name) else name
            for name, unit in zip(names, units, strict=True)
        ],
        centred: [f"{name} − μ{i}" for i, name in zip("₁₂", names, strict=True)],
        scaled: [f"({name} − μ{i}) / σ{i}" for i, name in zip("₁₂", names, strict=True)],
    }
    panels = []
    for stage, (x_title, y_title) in axis_titles.items():
        data = points[points["stage"] == stage]
        scale = alt.Scale(domain=_symmetric_domain(data[["x1", "x2"]].to_numpy()), nice=False)
        panels.append(
            alt.Chart(data, title=stage)
            .mark_circle(clip=True)
            .encode(
                x=alt.X("x1:Q", title=x_title, scale=scale),
                y=alt.Y("x2:Q", title=y_title, scale=scale),
                # Conditions written out: alt.condition's dict costs a schema lookup.
                size=alt.SizeValue(28, condition={**on_hover, "value": 160}),
                color=alt.ColorValue("#4c78a8", condition={**on_hover, "value": "#e45756"}),
                tooltip=[
                    alt.Tooltip("example:Q", title="example i"),
                    alt.Tooltip("x1:Q", format=",.4~g", title=x_title),
                    alt.Tooltip("x2:Q", format=",.4~g", title=y_title),
                ],
            )
            .add_params(hover)
            .properties(width=STAGE_SIZE, height=STAGE_SIZE)
        )
    with warnings.catch_warnings():
        # Altair merges the three copies of `hover` into one parameter that listens in every
        # panel, which is the point (the link); it warns about doing so.
        warnings.filterwarnings("ignore", "Automatically deduplicated", UserWarning)
        chart = alt.hconcat(*panels, spacing=30, autosize=PAD)
    title = "The training set in three stages (each panel: equal units across and up)"
    return finish(chart, title, height=None)


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
        title="condition number κ (log scale; 1 is a round valley)",
        scale=alt.Scale(type="log", domain=[1.0, top], nice=False),
        axis=alt.Axis(labelExpr=POWER_OF_TEN_LABEL, grid=False),
    )
    y = alt.Y("stage:N", title=None, sort=order, axis=alt.Axis(labelLimit=0))
    tooltip = [alt.Tooltip("stage:N"), alt.Tooltip("kappa:Q", title="κ", format=",.4~g")]
    # A log axis has no 0 to start a bar from: each bar runs from κ = 1.
    bars = (
        alt.Chart(kappas)
        .mark_bar(color="#4c78a8")
        .encode(x=x, x2=alt.X2Datum(1.0), y=y, tooltip=tooltip)
    )
    labels = (
        alt.Chart(kappas)
        .mark_text(align="left", dx=4, fontSize=LABEL_FONT_SIZE)
        .encode(x=alt.X("kappa:Q"), y=alt.Y("stage:N", sort=order), text=alt.Text("label:N"))
    )
    chart = alt.layer(bars, labels, width=STAGE_SIZE, autosize=PAD)  # fits a 390 px phone
    return finish(chart, "Condition number κ after each stage", height=28 * len(order))


def contour_axes(
    path: pd.DataFrame, minimum: tuple[float, float], *, equal_aspect: bool, points: int = 72
) -> tuple[np.ndarray, np.ndarray]:
    """Weight values for the cost grid: a window around w* holding a converging path
    (columns w1, w2), with a margin. With equal_aspect both axes get the same span."""
    w_star = np.asarray(minimum, dtype=float)
    reach = np.abs(path[["w1", "w2"]].to_numpy() - w_star).max(axis=0)
    reach = 1.3 * np.where(reach > 0, reach, np.abs(w_star) + 1.0)
    if equal_aspect:
        reach[:] = reach.max()
    w1 = np.linspace(w_star[0] - reach[0], w_star[0] + reach[0], points)
    w2 = np.linspace(w_star[1] - reach[1], w_star[1] + reach[1], points)
    return w1, w2


def contour_chart(
    grid: pd.DataFrame,
    paths: pd.DataFrame,
    minimum: tuple[float, float],
    title: str,
    axis_titles: tuple[str, str],
) -> alt.LayerChart:
    """J − J* as a log-coloured heatmap with every power of ten drawn as a light level band,
    gradient descent's paths on top, and the minimum w* as a diamond.

    grid: columns w1, w2 (cell centres of an evenly spaced grid) and excess = J − J*.
    paths: columns run, step, w1, w2, excess; a path that leaves the window (divergence) is
    clipped at its edge.
    """
    w1_half = np.diff(np.unique(grid["w1"]))[0] / 2
    w2_half = np.diff(np.unique(grid["w2"]))[0] / 2
    cells = grid[grid["excess"] > 0].assign(
        w1=grid["w1"] - w1_half,
        w2=grid["w2"] - w2_half,
        w1_end=grid["w1"] + w1_half,
        w2_end=grid["w2"] + w2_half,
    )
    # A cell just above a power of ten belongs to that level set: together they draw its contour.
    level = np.log10(cells["excess"])
    cells["on_level"] = (level - np.floor(level)) < 0.12
    x = alt.X("w1:Q", title=axis_titles[0], scale=_edges(cells["w1"], cells["w1_end"]))
    y = alt.Y("w2:Q", title=axis_titles[1], scale=_edges(cells["w2"], cells["w2_end"]))
    heat = (
        alt.Chart(cells)
        .mark_rect()
        .encode(
            x=x,
            x2=alt.X2("w1_end:Q"),
            y=y,
            y2=alt.Y2("w2_end:Q"),
            color=alt.Color(
                "excess:Q",
                title="J − J*",
                scale=alt.Scale(type="log", scheme="blues", reverse=True),
                legend=alt.Legend(
                    labelExpr=POWER_OF_TEN_LABEL, orient="bottom", gradientLength=200
                ),
                condition={"test": "datum.on_level", "value": "white"},
            ),
            tooltip=[alt.Tooltip("excess:Q", title="J − J*", format=".3~e")],
        )
    )
    path = (
        alt.Chart(paths)
        .mark_line(point=alt.OverlayMarkDef(size=18), strokeWidth=1.5, clip=True)
        .encode(
            x=alt.X("w1:Q"),
            y=alt.Y("w2:Q"),
            order=alt.Order("step:Q"),
            color=alt.Color(
                "run:N",
                title="gradient descent",
                scale=alt.Scale(range=["#f58518", "#54a24b"]),
                legend=alt.Legend(orient="top", direction="vertical", labelLimit=0),
            ),
            tooltip=[
                alt.Tooltip("run:N"),
                alt.Tooltip("step:Q"),
                alt.Tooltip("w1:Q", format=".4~g"),
                alt.Tooltip("w2:Q", format=".4~g"),
                alt.Tooltip("excess:Q", title="J − J*", format=".3~e"),
            ],
        )
    )
    star = (
        alt.Chart(pd.DataFrame({"w1": [minimum[0]], "w2": [minimum[1]], "point": ["minimum w*"]}))
        .mark_point(shape="diamond", size=160, filled=True, color="#e45756")
        .encode(
            x=alt.X("w1:Q"),
            y=alt.Y("w2:Q"),
            tooltip=[alt.Tooltip("point:N"), alt.Tooltip("w1:Q"), alt.Tooltip("w2:Q")],
        )
    )
    chart = alt.layer(heat, path, star, width=CONTOUR_SIZE, autosize=PAD)
    chart = chart.resolve_scale(color="independent")
    return finish(chart, title, height=CONTOUR_SIZE)


def _edges(low: pd.Series, high: pd.Series) -> alt.Scale:
    return alt.Scale(domain=[float(low.min()), float(high.max())], nice=False, zero=False)


def train_test_chart(points: pd.DataFrame, names: tuple[str, str]) -> alt.Chart:
    """Normalized training and test examples (columns set, x1, x2) on equal, centred axes."""
    axis_titles = [f"normalized {name}" for name in names]
    scale = alt.Scale(domain=_symmetric_domain(points[["x1", "x2"]].to_numpy()), nice=False)
    chart = (
        alt.Chart(points)
        .mark_circle(size=36, opacity=0.7, clip=True)
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
