"""Charts for the vanishing & exploding gradients page.

Three pictures: the deep linear network's |A[l]| in powers of ten with the float
ranges shaded, per-layer magnitudes of a random network (simulation against theory)
on a log axis, and the distribution of A[l] layer by layer as a heatmap. The
``*_frames`` functions reshape core's results into the DataFrames the charts take.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from charts.common import EXPONENT, finish, long_frame, raised
from core.propagation import DeepLinearSignal, RandomNetworkSignals

DTYPE_COLORS = alt.Scale(domain=["float32", "float64"], range=["#e45756", "#b279a2"])
_DASHES = {"simulated": [1, 0], "theory": [6, 4]}
_PALETTE = ("#4c78a8", "#f58518", "#54a24b")
_BROKEN = "#d62728"  # rules where a simulated signal overflowed or became exactly 0
_LABEL_WIDTH = 0.25  # a rule's label spans about this share of the x range
# Log axes label only 1, 2 and 5 times a power of ten (Vega labels 600, 70, 8 otherwise):
# 0.5, 10, 200 as they are, 10²⁰ and 5·10⁻⁷ with the power raised.
_DECADE = f"floor({EXPONENT} + 1e-9)"  # log(1000) / LN10 is 2.9999999999999996
_MANTISSA = f"datum.value / pow(10, {_DECADE})"
_SCIENTIFIC = f"replace(round({_MANTISSA}) + '·', '1·', '') + '10' + " + raised(f"'' + {_DECADE}")
_LOG_AXIS = alt.Axis(
    labelExpr=f"indexof([1, 2, 5], round({_MANTISSA})) < 0 "
    f"|| abs({_MANTISSA} - round({_MANTISSA})) > 1e-6 ? '' : "
    f"datum.value >= 1e4 || datum.value < 1e-3 ? {_SCIENTIFIC} : format(datum.value, '~g')"
)


def linear_depth_chart(signal: pd.DataFrame, bands: pd.DataFrame, marks: pd.DataFrame):
    """log10 |A[l]| against the layer l, with the float types' limits.

    signal: columns layer, log10_A, value (the magnitude as text, for the tooltip).
    bands: columns dtype, region, low, high: log10 ranges a dtype cannot hold exactly
        (±inf allowed); they are cut to the plotted range, so only the ones the signal
        comes near appear.
    marks: columns dtype, layer, label: the first layer where a dtype gives out.
    """
    low = min(signal["log10_A"].min(), 0.0)
    high = max(signal["log10_A"].max(), 0.0)
    pad = max(0.06 * (high - low), 0.25)
    low, high = low - pad, high + pad
    y_scale = alt.Scale(domain=[low, high], nice=False, zero=False)
    last = int(signal["layer"].max())
    x = alt.X(
        "layer:Q",
        title="layer l",
        scale=alt.Scale(domain=[0, max(last, 1)], nice=False),
        axis=alt.Axis(tickMinStep=1, format="d"),
    )
    y_axis = alt.Axis(
        labelExpr="'10' + " + raised("'' + datum.value"),  # its values are log10 |A[l]|
        tickMinStep=1,
        title="|A[l]| = aˡ · x  (powers of ten)",
    )

    shown = bands.assign(low=bands["low"].clip(low, high), high=bands["high"].clip(low, high))
    shown = shown[shown["high"] > shown["low"]]
    band_layer = (
        alt.Chart(shown)
        .mark_rect(opacity=0.15)
        .encode(
            y=alt.Y("low:Q", scale=y_scale),
            y2=alt.Y2("high:Q"),
            color=alt.Color("dtype:N", scale=DTYPE_COLORS, title="outside the range of"),
            tooltip=[alt.Tooltip("region:N", title="region")],
        )
    )
    line = (
        alt.Chart(signal)
        .mark_line(point=len(signal) <= 40, color="#4c78a8", strokeWidth=2.5)
        .encode(
            x=x,
            y=alt.Y("log10_A:Q", scale=y_scale, axis=y_axis),
            tooltip=[
                alt.Tooltip("layer:Q", title="layer l"),
                alt.Tooltip("value:N", title="|A[l]|"),
                alt.Tooltip("log10_A:Q", title="log₁₀ |A[l]|", format=".2f"),
            ],
        )
    )
    # Labels are stacked down from the top so that neighbouring rules stay readable.
    marks = marks.assign(
        label_y=[high - (i + 0.6) * 0.07 * (high - low) for i in range(len(marks))]
    )
    rules = _rules(
        marks,
        last,
        y=alt.Y("label_y:Q", scale=y_scale),
        color=alt.Color("dtype:N", scale=DTYPE_COLORS),
        dash=[4, 3],
    )
    # Layers with nothing to draw are left out: each costs a re-render's worth of time.
    chart = alt.layer(*([band_layer] if len(shown) else []), line, *rules)
    return finish(chart, "The deep linear network: ŷ through depth", height=380)


def per_layer_chart(
    frame: pd.DataFrame, marks: pd.DataFrame, *, depth: int, title: str, y_title: str
):
    """Per-layer magnitudes on a log axis: simulation solid with points, theory dashed.

    frame: columns layer, quantity, source ("simulated" or "theory"), value; rows whose
        value cannot sit on a log axis (0, inf, NaN) should be left out beforehand.
    marks: columns layer, label: layers where the signal broke (overflow, exact zero).
    depth: the number of layers L; the x axis spans 1 … L even where values are missing.
    """
    # One legend entry per line: colour by quantity, dash by source, merged on one field.
    frame = frame.assign(series=frame["quantity"] + ", " + frame["source"])
    series = frame.drop_duplicates("series")
    palette = dict(zip(frame["quantity"].unique(), _PALETTE, strict=False))
    legend = alt.Legend(
        orient="bottom", columns=2, labelLimit=260, symbolType="stroke", symbolStrokeWidth=2.5
    )
    base = alt.Chart(frame).encode(
        x=alt.X("layer:Q", title="layer l", scale=alt.Scale(domain=[1, depth], nice=False)),
        y=alt.Y("value:Q", title=y_title, scale=alt.Scale(type="log"), axis=_LOG_AXIS),
        color=alt.Color(
            "series:N",
            title=None,
            legend=legend,
            scale=alt.Scale(
                domain=list(series["series"]), range=list(series["quantity"].map(palette))
            ),
        ),
        strokeDash=alt.StrokeDash(
            "series:N",
            title=None,
            legend=legend,
            scale=alt.Scale(
                domain=list(series["series"]), range=list(series["source"].map(_DASHES))
            ),
        ),
        tooltip=[
            alt.Tooltip("layer:Q", title="layer l"),
            alt.Tooltip("quantity:N"),
            alt.Tooltip("source:N"),
            alt.Tooltip("value:Q", format=".3~e"),
        ],
    )
    lines = base.mark_line(strokeWidth=2)
    points = base.transform_filter("datum.source == 'simulated'").mark_point(filled=True, size=24)
    marks = marks.assign(pixel_y=[12 + 18 * i for i in range(len(marks))])
    rules = _rules(
        marks, depth, y=alt.Y("pixel_y:Q", scale=None), color=alt.ColorValue(_BROKEN), dash=[1, 0]
    )
    return finish(alt.layer(lines, points, *rules), title, height=340)


def _rules(marks: pd.DataFrame, last: int, *, y: alt.Y, color, dash: list[int]) -> list:
    """A vertical rule at each marks.layer, labelled with marks.label (none if no marks).

    The label sits right of its rule, or left of it in the right part of the x range
    (up to ``last``) so that it is not cut off at the edge. Rules closer together than
    a label is wide (float32's subnormal and 0 at l = 127 and 150) would run through
    each other's labels, so such a group labels all its rules beside its outermost one.
    """
    if marks.empty:
        return []
    layer = marks["layer"].sort_values()
    group = (layer.diff() > _LABEL_WIDTH * last).cumsum()
    ends = layer.groupby(group).agg(["min", "max"]).loc[group].set_axis(layer.index)
    right = ends["max"] > 0.6 * last
    marks = marks.assign(right=right, label_x=ends["min"].where(right, ends["max"]))
    base = alt.Chart(marks).encode(color=color)
    rules = base.mark_rule(strokeWidth=2, strokeDash=dash).encode(
        x=alt.X("layer:Q"), tooltip=[alt.Tooltip("label:N", title="where it breaks")]
    )
    labels = base.mark_text(
        align=alt.ExprRef("datum.right ? 'right' : 'left'"),
        dx=alt.ExprRef("datum.right ? -5 : 5"),
        fontSize=13,
    ).encode(x=alt.X("label_x:Q"), y=y, text=alt.Text("label:N"))
    return [rules, labels]


def histogram_chart(frame: pd.DataFrame, *, depth: int, value_title: str):
    """The share of A[l] in each value bin, per layer: x = layer, y = value, colour = share.

    frame: columns layer, low, high (the bin's edges), fraction (0 … 1); depth: L.
    """
    chart = (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=alt.X(
                "x0:Q", title="layer l", scale=alt.Scale(domain=[0.5, depth + 0.5], nice=False)
            ),
            x2=alt.X2("x1:Q"),
            y=alt.Y("low:Q", title=value_title),
            y2=alt.Y2("high:Q"),
            color=alt.Color(
                "fraction:Q",
                title="share of units",
                scale=alt.Scale(type="sqrt", scheme="viridis", zero=True),
                legend=alt.Legend(format=".0%"),
            ),
            tooltip=[
                alt.Tooltip("layer:Q", title="layer l"),
                alt.Tooltip("low:Q", title="A from", format=".2f"),
                alt.Tooltip("high:Q", title="A to", format=".2f"),
                alt.Tooltip("fraction:Q", title="share", format=".1%"),
            ],
        )
        .transform_calculate(x0="datum.layer - 0.5", x1="datum.layer + 0.5")
    )
    return finish(chart, "How A[l] is distributed, layer by layer", height=320)


def power_of_ten(log10_value: float, *, latex: bool = True) -> str:
    """A magnitude given by its log10, as 38.44 or as 1.01 × 10^352 (beyond any float)."""
    if -2 <= log10_value < 4:
        return f"{10**log10_value:.4g}"
    k = math.floor(log10_value)
    mantissa = 10 ** (log10_value - k)
    if round(mantissa, 2) >= 10:  # 9.996 would print as 10.00
        mantissa, k = mantissa / 10, k + 1
    return rf"{mantissa:.2f} \times 10^{{{k}}}" if latex else f"{mantissa:.2f}e{k}"


def linear_frames(signal: DeepLinearSignal) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(signal, bands, marks) for ``linear_depth_chart``; bands are each dtype's limits."""
    frame = pd.DataFrame({"layer": signal.layers, "log10_A": signal.log10_A})
    frame["value"] = [power_of_ten(v, latex=False) for v in signal.log10_A]
    bands, marks = [], []
    for dtype, limits in signal.limits.items():
        info = np.finfo(dtype)
        bands.append((dtype, f"{dtype} overflows to inf", math.log10(info.max), math.inf))
        bands.append((dtype, f"{dtype} subnormal, then 0", -math.inf, math.log10(info.tiny)))
        for what, layer in (
            ("inf", limits.overflow_layer),
            ("subnormal", limits.subnormal_layer),
            ("0", limits.underflow_layer),
        ):
            if layer is not None:
                marks.append((dtype, layer, f"{dtype}: {what} at l = {layer}"))
    return (
        frame,
        pd.DataFrame(bands, columns=["dtype", "region", "low", "high"]),
        pd.DataFrame(marks, columns=["dtype", "layer", "label"]),
    )


def _long(s: RandomNetworkSignals, columns: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """(layer, quantity, source, value) rows of the named per-layer arrays of s, keeping
    only values a log axis can show (no 0, inf or NaN)."""
    frame = long_frame(
        {"layer": s.layers, "quantity": q, "source": src, "value": getattr(s, n)}
        for n, (q, src) in columns.items()
    )
    return frame[np.isfinite(frame["value"]) & (frame["value"] > 0)]


def _breaks(nonfinite: int | None, zero: int | None, dtype: str) -> pd.DataFrame:
    rows = [(nonfinite, f"{dtype}: inf/NaN at layer {nonfinite}"), (zero, f"0 at layer {zero}")]
    return pd.DataFrame([r for r in rows if r[0] is not None], columns=["layer", "label"])


def forward_frames(s: RandomNetworkSignals) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(frame, marks) of the forward pass for ``per_layer_chart``."""
    frame = _long(
        s, {"Z_rms": ("rms of Z[l]", "simulated"), "Z_rms_theory": ("rms of Z[l]", "theory")}
    )
    return frame, _breaks(s.forward_nonfinite_layer, s.forward_zero_layer, s.dtype)


def backward_frames(s: RandomNetworkSignals) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(frame, marks) of the backward pass for ``per_layer_chart``."""
    frame = _long(
        s,
        {
            "dA_rms": ("rms of dA[l]", "simulated"),
            "dA_rms_theory": ("rms of dA[l]", "theory"),
            "dW_norm": ("Frobenius norm of dW[l]", "simulated"),
        },
    )
    if s.forward_nonfinite_layer is not None:  # nothing came back: say why, once
        lost = f"{s.dtype}: none, Z[{s.forward_nonfinite_layer}] overflowed"
        return frame, pd.DataFrame({"layer": [s.depth], "label": [lost]})
    return frame, _breaks(s.backward_nonfinite_layer, s.backward_zero_layer, s.dtype)


def histogram_frame(s: RandomNetworkSignals) -> pd.DataFrame:
    """(layer, low, high, fraction) for ``histogram_chart``, one row per layer and bin;
    a layer with no finite activation (lost to overflow) has no rows and stays blank.
    Only the bins A[l] can fall in are drawn (``reachable_bins``: ReLU's start at 0)."""
    edges, bins = s.bin_edges, s.reachable_bins
    return pd.DataFrame(
        [
            (l, edges[b], edges[b + 1], row[b])
            for l, row in zip(s.layers, s.A_histogram, strict=True)
            if row.sum() > 0
            for b in bins
        ],
        columns=["layer", "low", "high", "fraction"],
    )
