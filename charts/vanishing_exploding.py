"""Charts for the vanishing & exploding gradients page.

Three pictures: the deep linear network's |A[l]| in powers of ten with the float
ranges as labelled bands, per-layer magnitudes of a random network (simulation against
theory) on a log axis, and the distribution of A[l] layer by layer as a heatmap, drawn
as one image (up to 200 × 41 cells). The ``*_frames`` functions reshape core's results
into the DataFrames the charts take.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd
from PIL import Image

from charts.common import BAND_OPACITY, EXPONENT, finish, long_frame, png_data_url, raised
from core.propagation import DeepLinearSignal, RandomNetworkSignals

DTYPE_COLORS = alt.Scale(domain=["float32", "float64"], range=["#e45756", "#b279a2"])
# The same hues darker, for text: 5:1 or more against white and both bands together.
_DTYPE_TEXT = alt.Scale(domain=["float32", "float64"], range=["#a52225", "#6e4265"])
_DASHES = {"simulated": [1, 0], "theory": [6, 4]}
_PALETTE = ("#4c78a8", "#f58518", "#54a24b")
# The theory's dashes in a darker shade of its quantity's colour, so that they stand out
# where they lie on the simulation.
_THEORY_SHADES = {"#4c78a8": "#1d3557", "#f58518": "#8a4a00", "#54a24b": "#25561f"}
_THEORY_WIDTH, _SIMULATED_WIDTH = 3.0, 2.0  # theory drawn over the simulation, thicker
_LINE_COLOR = "#4c78a8"
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


def linear_depth_chart(
    signal: pd.DataFrame, bands: pd.DataFrame, marks: pd.DataFrame, *, verdict: str = ""
):
    """log10 |A[l]| against the layer l, with the float types' limits as bands.

    log |A[l]| is straight in l, so the line leaves two corners empty, and the lesson is
    written there: a rising line's top-left, a falling one's bottom-left, which lie inside
    the bands it runs into. Each limit the line crosses gets a row of text there, in its
    type's colour, and a dashed rule from the axis the line starts at up to the crossing.

    signal: columns layer, log10_A, value (the magnitude as text, for the tooltip).
    bands: columns dtype, region, low, high: log10 ranges a dtype cannot hold exactly
        (±inf allowed); they are cut to the plotted range, so only the ones the signal
        comes near appear.
    marks: columns dtype, layer, label, edge: the first layer where a dtype gives out,
        and the log10 magnitude it crosses there.
    verdict: the line's verdict, written under the title ("explodes: ×1.5 per layer").
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
    color = alt.Color("dtype:N", scale=DTYPE_COLORS, legend=None)  # the rows name them

    shown = bands.assign(low=bands["low"].clip(low, high), high=bands["high"].clip(low, high))
    shown = shown[shown["high"] > shown["low"]]
    band_layer = (
        alt.Chart(shown)
        .mark_rect(opacity=BAND_OPACITY)
        .encode(
            y=alt.Y("low:Q", scale=y_scale),
            y2=alt.Y2("high:Q"),
            color=color,
            tooltip=[alt.Tooltip("region:N", title="region")],
        )
    )
    line = (
        alt.Chart(signal)
        .mark_line(point=len(signal) <= 40, color=_LINE_COLOR, strokeWidth=2.5)
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
    layers = [*([band_layer] if len(shown) else []), line]
    if len(marks):
        rising = bool(signal["log10_A"].iloc[-1] > signal["log10_A"].iloc[0])
        # The limit nearest the corner first: the highest of a rising line's at the top.
        marks = marks.sort_values("edge", ascending=not rising, kind="stable")
        step = 0.07 * (high - low) * (-1 if rising else 1)
        start = high if rising else low
        marks = marks.assign(
            row_y=[start + (i + 0.6) * step for i in range(len(marks))],
            start=low if rising else high,
        )
        base = alt.Chart(marks)
        rules = base.mark_rule(strokeWidth=2, strokeDash=[4, 3]).encode(
            x="layer:Q",
            y=alt.Y("start:Q", scale=y_scale),
            y2="edge:Q",
            color=color,
            tooltip=[alt.Tooltip("label:N", title="where it breaks")],
        )
        rows = base.mark_text(align="left", baseline="middle", dx=6, fontSize=13).encode(
            x=alt.datum(0),
            y=alt.Y("row_y:Q", scale=y_scale),
            text="label:N",
            # fill, not color: a layer's color channels share one scale
            fill=alt.Fill("dtype:N", scale=_DTYPE_TEXT, legend=None),
        )
        layers += [rules, rows]
    title = alt.TitleParams("The deep linear network's |A[l]|", subtitle=verdict)
    return finish(alt.layer(*layers), title if verdict else title.text, height=380)


def per_layer_chart(
    frame: pd.DataFrame,
    marks: pd.DataFrame,
    *,
    depth: int,
    title: str,
    y_title: str,
    verdict: str = "",
):
    """Per-layer magnitudes on a log axis: simulation solid with points, theory dashed,
    thicker and drawn over it (where they agree the simulation shows between the dashes).

    frame: columns layer, quantity, source ("simulated" or "theory"), value; rows whose
        value cannot sit on a log axis (0, inf, NaN) should be left out beforehand.
    marks: columns layer, label: layers where the signal broke (overflow, exact zero).
    depth: the number of layers L; the x axis spans 1 … L even where values are missing.
    verdict: the chart's finding, written under its title ("the gradient vanishes: …").
    """
    # One legend entry per line: colour by quantity, dash by source, merged on one field.
    frame = frame.assign(series=frame["quantity"] + ", " + frame["source"])
    series = frame.drop_duplicates("series")
    palette = dict(zip(frame["quantity"].unique(), _PALETTE, strict=False))
    # Symbols 36 px long, so a dash [6, 4] shows as dashes and not as one short stroke;
    # one entry a row, so that the legend fits a phone.
    legend = alt.Legend(columns=1, symbolType="stroke", symbolSize=1300, symbolStrokeWidth=2.5)
    colors = [
        _THEORY_SHADES[palette[q]] if source == "theory" else palette[q]
        for q, source in zip(series["quantity"], series["source"], strict=True)
    ]
    base = alt.Chart(frame).encode(
        x=alt.X("layer:Q", title="layer l", scale=alt.Scale(domain=[1, depth], nice=False)),
        y=alt.Y("value:Q", title=y_title, scale=alt.Scale(type="log"), axis=_LOG_AXIS),
        color=alt.Color(
            "series:N",
            title=None,
            legend=legend,
            scale=alt.Scale(domain=list(series["series"]), range=colors),
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
    simulated = base.transform_filter("datum.source == 'simulated'")
    lines = simulated.mark_line(strokeWidth=_SIMULATED_WIDTH)
    points = simulated.mark_point(filled=True, size=16)
    theory = base.transform_filter("datum.source == 'theory'").mark_line(strokeWidth=_THEORY_WIDTH)
    marks = marks.assign(pixel_y=[12 + 18 * i for i in range(len(marks))])
    rules = _rules(
        marks, depth, y=alt.Y("pixel_y:Q", scale=None), color=alt.ColorValue(_BROKEN), dash=[1, 0]
    )
    heading = alt.TitleParams(title, subtitle=verdict) if verdict else title
    return finish(alt.layer(lines, points, theory, *rules), heading, height=440)


def _rules(marks: pd.DataFrame, last: int, *, y: alt.Y, color, dash: list[int]) -> list:
    """A vertical rule at each marks.layer, labelled with marks.label (none if no marks).

    The label sits right of its rule, or left of it in the right part of the x range
    (up to ``last``) so that it is not cut off at the edge. Rules closer together than
    a label is wide (a pass that overflows in one layer and is exactly 0 a few layers on)
    would run through each other's labels, so such a group labels all its rules beside
    its outermost one.
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


# Viridis at eleven even steps (d3's, as Vega's "viridis" scheme), interpolated in RGB
# by both the image and the legend, so their colours agree.
_VIRIDIS = ("#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c",
            "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725")  # fmt: skip
_CELL_PIXELS = (800, 400)  # the image is at least this many pixels wide and tall


def _viridis(t: np.ndarray) -> np.ndarray:
    """RGB (…, 3) uint8 of t in [0, 1] on ``_VIRIDIS``, linearly between its stops."""
    stops = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in _VIRIDIS], float)
    position = np.clip(t, 0, 1) * (len(stops) - 1)
    below = np.minimum(position.astype(int), len(stops) - 2)
    share = (position - below)[..., None]
    return np.rint(stops[below] * (1 - share) + stops[below + 1] * share).astype(np.uint8)


def _heatmap_png(shares: np.ndarray, top: float) -> str:
    """A data: URL of a PNG of shares (bins, layers), first bin at the bottom, each cell
    a block of pixels, coloured on a square-root scale from 0 to ``top``; NaN cells
    (layers lost to overflow) transparent."""
    bins, layers = shares.shape
    rgba = np.zeros((bins, layers, 4), np.uint8)
    rgba[..., :3] = _viridis(np.sqrt(np.nan_to_num(shares) / top))
    rgba[..., 3] = np.where(np.isnan(shares), 0, 255)
    image = Image.fromarray(rgba[::-1], "RGBA")  # row 0 of a picture is its top
    scale = (-(-_CELL_PIXELS[0] // layers), -(-_CELL_PIXELS[1] // bins))
    image = image.resize((layers * scale[0], bins * scale[1]), Image.Resampling.NEAREST)
    return png_data_url(image)


def histogram_chart(frame: pd.DataFrame, *, depth: int, value_title: str):
    """The share of A[l] in each value bin, per layer: x = layer, y = value, colour = share.

    Drawn as one image (``_heatmap_png``): up to 200 layers × 41 bins would be 8,200 rect
    marks for the browser to lay out on every rerun. The colour legend is drawn from two
    invisible points at 0 and the largest share; a transparent column per layer carries
    the tooltip (the layer's most common bin).

    frame: columns layer, low, high (the bin's edges), fraction (0 … 1); depth: L.
    """
    edges = np.unique(np.concatenate([frame["low"], frame["high"]]))
    grid = frame.pivot(index="low", columns="layer", values="fraction")
    grid = grid.reindex(index=edges[:-1], columns=range(1, depth + 1))
    top = max(float(frame["fraction"].max()), 1e-12) if len(frame) else 1.0
    x = alt.X("x0:Q", title="layer l", scale=alt.Scale(domain=[0.5, depth + 0.5], nice=False))
    y = alt.Y("low:Q", title=value_title, scale=alt.Scale(domain=[edges[0], edges[-1]],
                                                          nice=False, zero=False))  # fmt: skip
    place = pd.DataFrame({"x0": [0.5], "x1": [depth + 0.5], "low": [edges[0]],
                          "high": [edges[-1]]})  # fmt: skip
    image = (
        alt.Chart(place)
        .mark_image(url=_heatmap_png(grid.to_numpy(float), top), aspect=False, smooth=False)
        .encode(x=x, x2="x1:Q", y=y, y2="high:Q")
    )
    color = alt.Color(
        "fraction:Q",
        title="share of units",
        scale=alt.Scale(
            type="sqrt", domain=[0, top], range=list(_VIRIDIS), interpolate="rgb", zero=True
        ),
        legend=alt.Legend(format=".0%"),
    )
    legend = (
        alt.Chart(pd.DataFrame({"fraction": [0.0, top]}))
        .mark_point(opacity=0)
        .encode(color=color, x=alt.datum(1), y=alt.datum(float(edges[0])))
    )
    busiest = frame.loc[frame.groupby("layer")["fraction"].idxmax()] if len(frame) else frame
    columns = (
        alt.Chart(busiest.assign(x0=busiest["layer"] - 0.5, x1=busiest["layer"] + 0.5))
        .mark_rect(opacity=0)
        .encode(
            x=x,
            x2="x1:Q",
            tooltip=[
                alt.Tooltip("layer:Q", title="layer l"),
                alt.Tooltip("low:Q", title="most units from A =", format=".2f"),
                alt.Tooltip("high:Q", title="to", format=".2f"),
                alt.Tooltip("fraction:Q", title="share there", format=".1%"),
            ],
        )
    )
    chart = alt.layer(image, legend, columns)
    return finish(chart, "How A[l] is distributed, layer by layer", height=380)


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def power_of_ten(log10_value: float, *, latex: bool = True) -> str:
    """A magnitude given by its log10, as 38.44 or as 1.01 × 10^352 (beyond any float):
    in LaTeX, or else in plain text, 1.01 × 10³⁵²."""
    if -2 <= log10_value < 4:
        return f"{10**log10_value:.4g}"
    k = math.floor(log10_value)
    mantissa = 10 ** (log10_value - k)
    if round(mantissa, 2) >= 10:  # 9.996 would print as 10.00
        mantissa, k = mantissa / 10, k + 1
    if latex:
        return rf"{mantissa:.2f} \times 10^{{{k}}}"
    return f"{mantissa:.2f} × 10{str(k).translate(_SUPERSCRIPTS)}"


def linear_frames(signal: DeepLinearSignal) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(signal, bands, marks) for ``linear_depth_chart``; bands are each dtype's limits."""
    frame = pd.DataFrame({"layer": signal.layers, "log10_A": signal.log10_A})
    frame["value"] = [power_of_ten(v, latex=False) for v in signal.log10_A]
    bands, marks = [], []
    for dtype, limits in signal.limits.items():
        info = np.finfo(dtype)
        # the log10 magnitudes each limit sits at: the largest finite number, the smallest
        # normal one, half the smallest subnormal (below it values round to 0)
        edge = {
            "inf": math.log10(info.max),
            "subnormal": math.log10(info.tiny),
            "0": math.log10(info.smallest_subnormal) - math.log10(2.0),
        }
        bands.append((dtype, f"{dtype} overflows to inf", edge["inf"], math.inf))
        bands.append((dtype, f"{dtype} subnormal, then 0", -math.inf, edge["subnormal"]))
        for what, layer in (
            ("inf", limits.overflow_layer),
            ("subnormal", limits.subnormal_layer),
            ("0", limits.underflow_layer),
        ):
            if layer is not None:
                marks.append((dtype, layer, f"{dtype}: {what} at l = {layer}", edge[what]))
    return (
        frame,
        pd.DataFrame(bands, columns=["dtype", "region", "low", "high"]),
        pd.DataFrame(marks, columns=["dtype", "layer", "label", "edge"]),
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
