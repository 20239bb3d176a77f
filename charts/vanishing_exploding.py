"""Charts for the vanishing & exploding gradients page.

Three pictures: the deep linear network's |A[l]| in powers of ten with the float
ranges as labelled bands, per-layer magnitudes of a random network (simulation against
theory) on a log axis, and the distribution of A[l] layer by layer as a heatmap, drawn
as one image (up to 200 × 41 cells). The ``*_frames`` functions reshape core's results
into the tables the charts read by name (``ui.charts.show``'s ``tables``): each builder
takes only what a slider move leaves alone, so a move swaps the tables and keeps the
spec. Everything that follows the setting is in the tables: the points, the rules and
their labels, the scales' extent (drawn by an invisible layer the scale takes in), the
finding under the title and the heatmap's picture.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd
from PIL import Image

from charts.common import (
    BAND_OPACITY,
    EXPONENT,
    LABEL_FONT_SIZE,
    finish,
    long_frame,
    png_data_url,
    raised,
    span_layer,
)
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


_FROM_THE_DATA = alt.Scale(nice=False, zero=False)  # a scale spanning its data (and extent)
# A finding's baseline above the plot, and the title's gap above it, in pixels: as far
# as Streamlit's theme sets a subtitle from the plot, and Vega's subtitle from its title.
_FINDING_Y, _FINDING_PADDING = -22, 3


def _with_finding(layers: list, title: str, *, height: int):
    """The layers under ``title`` with the chart's finding where a subtitle goes, from the
    one-row table "finding" (column text): a subtitle is part of the spec, a text mark's
    text is not. The mark sits just above the plot, and Vega puts the title above
    everything drawn; both start at the plot's left edge."""
    finding = (
        alt.Chart(alt.NamedData("finding"))
        .mark_text(align="left", baseline="bottom", fontSize=LABEL_FONT_SIZE)
        .encode(x=alt.value(0), y=alt.value(_FINDING_Y), text=alt.Text("text", type="nominal"))
    )
    heading = alt.TitleParams(title, frame="group", offset=_FINDING_PADDING)
    return finish(alt.layer(*layers, finding), heading, height=height)


def finding_frame(text: str) -> pd.DataFrame:
    """The one-row table of a chart's finding ("explodes: ×1.5 per layer")."""
    return pd.DataFrame({"text": [text]})


def linear_depth_chart():
    """log10 |A[l]| against the layer l, with the float types' limits as bands.

    log |A[l]| is straight in l, so the line leaves two corners empty, and the lesson is
    written there: a rising line's top-left, a falling one's bottom-left, which lie inside
    the bands it runs into. Each limit the line crosses gets a row of text there, in its
    type's colour, and a dashed rule from the axis the line starts at up to the crossing.

    Tables (``linear_frames``): signal, bands, marks, extent and finding.
    """
    y_scale = _FROM_THE_DATA  # the extent's, padded around the line
    x = alt.X(
        "layer",
        type="quantitative",
        title="layer l",
        scale=_FROM_THE_DATA,
        axis=alt.Axis(tickMinStep=1, format="d"),
    )
    y_axis = alt.Axis(
        labelExpr="'10' + " + raised("'' + datum.value"),  # its values are log10 |A[l]|
        tickMinStep=1,
        title="|A[l]| = aˡ · x  (powers of ten)",
    )
    color = alt.Color("dtype", type="nominal", scale=DTYPE_COLORS, legend=None)  # rows name them
    band_layer = (
        alt.Chart(alt.NamedData("bands"))
        .mark_rect(opacity=BAND_OPACITY, aria=False)  # the description names the bands
        .encode(
            y=alt.Y("low", type="quantitative", scale=y_scale),
            y2=alt.Y2("high"),
            color=color,
            tooltip=[alt.Tooltip("region", type="nominal", title="region")],
        )
    )
    signal = alt.Chart(alt.NamedData("signal")).encode(
        x=x,
        y=alt.Y("log10_A", type="quantitative", scale=y_scale, axis=y_axis),
        tooltip=[
            alt.Tooltip("layer", type="quantitative", title="layer l"),
            alt.Tooltip("value", type="nominal", title="|A[l]|"),
            alt.Tooltip("log10_A", type="quantitative", title="log₁₀ |A[l]|", format=".2f"),
        ],
    )
    line = signal.mark_line(color=_LINE_COLOR, strokeWidth=2.5)
    # A point per layer while they stand apart (up to 40 layers; the table says when), in
    # the theme's colour, as Vega-Lite's points on a line (``point=True``) were.
    points = signal.transform_filter("datum.dotted").mark_point(filled=True, opacity=1)
    marks = alt.Chart(alt.NamedData("marks"))
    rules = marks.mark_rule(strokeWidth=2, strokeDash=[4, 3], aria=False).encode(
        x=alt.X("layer", type="quantitative"),
        y=alt.Y("start", type="quantitative", scale=y_scale),
        y2=alt.Y2("edge"),
        color=color,
        tooltip=[alt.Tooltip("label", type="nominal", title="where it breaks")],
    )
    rows = marks.mark_text(align="left", baseline="middle", dx=6, fontSize=13).encode(
        x=alt.datum(0),
        y=alt.Y("row_y", type="quantitative", scale=y_scale),
        text=alt.Text("label", type="nominal"),
        # fill, not color: a layer's color channels share one scale
        fill=alt.Fill("dtype", type="nominal", scale=_DTYPE_TEXT, legend=None),
    )
    layers = [
        band_layer,
        line,
        points,
        rules,
        rows,
        span_layer("extent", x=alt.X("layer:Q"), y=alt.Y("log10_A:Q")),
    ]
    return _with_finding(layers, "The deep linear network's |A[l]|", height=380)


def per_layer_chart(series: tuple[tuple[str, str], ...], *, title: str, y_title: str):
    """Per-layer magnitudes on a log axis: simulation solid with points, theory dashed,
    thicker and drawn over it (where they agree the simulation shows between the dashes).

    series: the (quantity, source) pairs the chart draws, in the legend's order
        (``FORWARD`` or ``BACKWARD``); source is "simulated" or "theory".
    Tables (``forward_frames``, ``backward_frames``): points, breaks, extent, finding.
    """
    # One legend entry per line: colour by quantity, dash by source, merged on one field.
    names = [f"{quantity}, {source}" for quantity, source in series]
    quantities = list(dict.fromkeys(quantity for quantity, _ in series))
    palette = dict(zip(quantities, _PALETTE, strict=False))
    # Symbols 36 px long, so a dash [6, 4] shows as dashes and not as one short stroke;
    # one entry a row, so that the legend fits a phone.
    legend = alt.Legend(columns=1, symbolType="stroke", symbolSize=1300, symbolStrokeWidth=2.5)
    colors = [
        _THEORY_SHADES[palette[quantity]] if source == "theory" else palette[quantity]
        for quantity, source in series
    ]
    base = alt.Chart(alt.NamedData("points")).encode(
        x=alt.X("layer", type="quantitative", title="layer l", scale=_FROM_THE_DATA),
        y=alt.Y(
            "value", type="quantitative", title=y_title, scale=alt.Scale(type="log"), axis=_LOG_AXIS
        ),
        color=alt.Color(
            "series",
            type="nominal",
            title=None,
            legend=legend,
            scale=alt.Scale(domain=names, range=colors),
        ),
        strokeDash=alt.StrokeDash(
            "series",
            type="nominal",
            title=None,
            legend=legend,
            scale=alt.Scale(domain=names, range=[_DASHES[source] for _, source in series]),
        ),
        tooltip=[
            alt.Tooltip("layer", type="quantitative", title="layer l"),
            alt.Tooltip("quantity", type="nominal"),
            alt.Tooltip("source", type="nominal"),
            alt.Tooltip("value", type="quantitative", format=".3~e"),
        ],
    )
    simulated = base.transform_filter("datum.source == 'simulated'")
    lines = simulated.mark_line(strokeWidth=_SIMULATED_WIDTH)
    points = simulated.mark_point(filled=True, size=16)
    theory = base.transform_filter("datum.source == 'theory'").mark_line(strokeWidth=_THEORY_WIDTH)
    breaks = alt.Chart(alt.NamedData("breaks")).encode(color=alt.ColorValue(_BROKEN))
    rules = breaks.mark_rule(strokeWidth=2, aria=False).encode(
        x=alt.X("layer", type="quantitative"),
        tooltip=[alt.Tooltip("label", type="nominal", title="where it breaks")],
    )
    labels = breaks.mark_text(
        align=alt.ExprRef("datum.right ? 'right' : 'left'"),
        dx=alt.ExprRef("datum.right ? -5 : 5"),
        fontSize=13,
    ).encode(
        x=alt.X("label_x", type="quantitative"),
        y=alt.Y("pixel_y", type="quantitative", scale=None),
        text=alt.Text("label", type="nominal"),
    )
    layers = [lines, points, theory, rules, labels, span_layer("extent", x=alt.X("layer:Q"))]
    return _with_finding(layers, title, height=440)


def _placed(breaks: pd.DataFrame, last: int) -> pd.DataFrame:
    """The breaks (layer, label) with where their rules' labels go: label_x, right (the
    label left of its rule, in the right part of the x range up to ``last``, so that it
    is not cut off at the edge) and pixel_y (a row each, from the top).

    Rules closer together than a label is wide (a pass that overflows in one layer and is
    exactly 0 a few layers on) would run through each other's labels, so such a group
    labels all its rules beside its outermost one.
    """
    layer = breaks["layer"].sort_values()
    group = (layer.diff() > _LABEL_WIDTH * last).cumsum()
    ends = layer.groupby(group).agg(["min", "max"]).loc[group].set_axis(layer.index)
    right = ends["max"] > 0.6 * last
    return breaks.assign(
        right=right,
        label_x=ends["min"].where(right, ends["max"]),
        pixel_y=[12 + 18 * i for i in range(len(breaks))],
    )


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


def histogram_chart(*, value_title: str):
    """The share of A[l] in each value bin, per layer: x = layer, y = value, colour = share.

    Drawn as one image (``_heatmap_png``): up to 200 layers × 41 bins would be 8,200 rect
    marks for the browser to lay out on every rerun. The colour legend is drawn from two
    invisible points at 0 and the largest share; a transparent column per layer carries
    the tooltip (the layer's most common bin).

    value_title: the y axis's title. Tables (``histogram_frames``): image, legend, columns.
    """
    x = alt.X("x0", type="quantitative", title="layer l", scale=_FROM_THE_DATA)
    y = alt.Y("low", type="quantitative", title=value_title, scale=_FROM_THE_DATA)
    image = (
        alt.Chart(alt.NamedData("image"))
        .mark_image(aspect=False, smooth=False)
        .encode(x=x, x2="x1:Q", y=y, y2="high:Q", url=alt.Url("url", type="nominal"))
    )
    color = alt.Color(
        "fraction",
        type="quantitative",
        title="share of units",
        scale=alt.Scale(
            type="sqrt", range=list(_VIRIDIS), interpolate="rgb", zero=True, nice=False
        ),
        legend=alt.Legend(format=".0%"),
    )
    legend = alt.Chart(alt.NamedData("legend")).mark_point(opacity=0).encode(color=color, x=x, y=y)
    columns = (
        alt.Chart(alt.NamedData("columns"))
        .mark_rect(opacity=0)
        .encode(
            x=x,
            x2="x1:Q",
            tooltip=[
                alt.Tooltip("layer", type="quantitative", title="layer l"),
                alt.Tooltip("low", type="quantitative", title="most units from A =", format=".2f"),
                alt.Tooltip("high", type="quantitative", title="to", format=".2f"),
                alt.Tooltip("fraction", type="quantitative", title="share there", format=".1%"),
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


def linear_frames(signal: DeepLinearSignal, finding: str = "") -> dict[str, pd.DataFrame]:
    """The tables of ``linear_depth_chart``, by name (those that hold rows: a line that
    stays in range has no bands and no marks).

    signal: layer, log10_A, value (the magnitude as text, for the tooltip), dotted (a
        point per layer while there are up to 40).
    bands: dtype, region, low, high: the log10 ranges a dtype cannot hold exactly, cut
        to the plotted range, so only the ones the signal comes near appear.
    marks: dtype, layer, label, edge (the log10 magnitude of the limit), start, row_y:
        the first layer where a dtype gives out, its rule from the axis the line starts
        at (start) to the limit, and its row of text in the corner the line leaves empty.
    extent: layer, log10_A: the plotted range's corners, the line's padded.
    finding: text: the line's verdict, under the title ("explodes: ×1.5 per layer").
    """
    frame = pd.DataFrame({"layer": signal.layers, "log10_A": signal.log10_A})
    frame["value"] = [power_of_ten(v, latex=False) for v in signal.log10_A]
    frame["dotted"] = len(frame) <= 40
    low = min(frame["log10_A"].min(), 0.0)
    high = max(frame["log10_A"].max(), 0.0)
    pad = max(0.06 * (high - low), 0.25)
    low, high = low - pad, high + pad
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
    bands = pd.DataFrame(bands, columns=["dtype", "region", "low", "high"])
    bands = bands.assign(low=bands["low"].clip(low, high), high=bands["high"].clip(low, high))
    marks = pd.DataFrame(marks, columns=["dtype", "layer", "label", "edge"])
    rising = bool(frame["log10_A"].iloc[-1] > frame["log10_A"].iloc[0])
    # The limit nearest the corner first: the highest of a rising line's at the top.
    marks = marks.sort_values("edge", ascending=not rising, kind="stable", ignore_index=True)
    step = 0.07 * (high - low) * (-1 if rising else 1)
    marks["start"] = low if rising else high
    marks["row_y"] = [(high if rising else low) + (i + 0.6) * step for i in range(len(marks))]
    return {
        "signal": frame,
        "bands": bands[bands["high"] > bands["low"]],
        "marks": marks,
        "extent": pd.DataFrame({"layer": [0, max(signal.L - 1, 1)], "log10_A": [low, high]}),
        "finding": finding_frame(finding),
    }


# What each pass's chart draws: core's per-layer array → (quantity, source), in the
# legend's order.
_FORWARD_ARRAYS = {
    "Z_rms": ("rms of Z[l]", "simulated"),
    "Z_rms_theory": ("rms of Z[l]", "theory"),
}
_BACKWARD_ARRAYS = {
    "dA_rms": ("rms of dA[l]", "simulated"),
    "dA_rms_theory": ("rms of dA[l]", "theory"),
    "dW_norm": ("Frobenius norm of dW[l]", "simulated"),
}
FORWARD, BACKWARD = (tuple(arrays.values()) for arrays in (_FORWARD_ARRAYS, _BACKWARD_ARRAYS))
"""The series of the forward and the backward chart, for ``per_layer_chart``."""


def _long(s: RandomNetworkSignals, columns: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """(layer, quantity, source, series, value) rows of the named per-layer arrays of s,
    keeping only values a log axis can show (no 0, inf or NaN)."""
    frame = long_frame(
        {
            "layer": s.layers,
            "quantity": q,
            "source": src,
            "series": f"{q}, {src}",
            "value": getattr(s, n),
        }
        for n, (q, src) in columns.items()
    )
    return frame[np.isfinite(frame["value"]) & (frame["value"] > 0)]


def _pass_frames(
    s: RandomNetworkSignals, arrays: dict, breaks: list[tuple[int | None, str]], finding: str
) -> dict[str, pd.DataFrame]:
    # The tables of a pass's chart: its lines, its breaks (those that happened) placed,
    # the x range 1 … L even where values are missing, and its finding.
    breaks = pd.DataFrame([b for b in breaks if b[0] is not None], columns=["layer", "label"])
    return {
        "points": _long(s, arrays),
        "breaks": _placed(breaks, s.depth),
        "extent": pd.DataFrame({"layer": [1, s.depth]}),
        "finding": finding_frame(finding),
    }


def _breaks(nonfinite: int | None, zero: int | None, dtype: str) -> list[tuple[int | None, str]]:
    return [(nonfinite, f"{dtype}: inf/NaN at layer {nonfinite}"), (zero, f"0 at layer {zero}")]


def forward_frames(s: RandomNetworkSignals, finding: str = "") -> dict[str, pd.DataFrame]:
    """The forward pass's tables for ``per_layer_chart`` (series ``FORWARD``), by name:
    points (layer, quantity, source, series, value), breaks (layer, label and where the
    label goes: label_x, right, pixel_y) where the signal overflowed or became exactly 0
    (left out if it did neither), extent (layer: 1 and L) and finding (text: the verdict
    under the title)."""
    breaks = _breaks(s.forward_nonfinite_layer, s.forward_zero_layer, s.dtype)
    return _pass_frames(s, _FORWARD_ARRAYS, breaks, finding)


def backward_frames(s: RandomNetworkSignals, finding: str = "") -> dict[str, pd.DataFrame]:
    """The backward pass's tables for ``per_layer_chart`` (series ``BACKWARD``), as
    ``forward_frames``'s; after a forward overflow one break at layer L says why nothing
    came back."""
    if s.forward_nonfinite_layer is not None:  # nothing came back: say why, once
        breaks = [(s.depth, f"{s.dtype}: none, Z[{s.forward_nonfinite_layer}] overflowed")]
    else:
        breaks = _breaks(s.backward_nonfinite_layer, s.backward_zero_layer, s.dtype)
    return _pass_frames(s, _BACKWARD_ARRAYS, breaks, finding)


def histogram_cells(s: RandomNetworkSignals) -> pd.DataFrame:
    """(layer, low, high, fraction): one row per layer and bin, the share of A[l] there;
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


def histogram_frames(s: RandomNetworkSignals) -> dict[str, pd.DataFrame]:
    """The tables of ``histogram_chart``, by name (columns left out if every layer was
    lost to overflow).

    image: url (the PNG of ``histogram_cells``, a data: URL), x0, x1, low, high: where
        it lies, layers 0.5 … L + 0.5 and the bins' ends.
    legend: fraction (0 and the largest share), x0, low: the colour scale's extent.
    columns: layer, low, high, fraction, x0, x1: each layer's most common bin.
    """
    cells = histogram_cells(s)
    edges = s.bin_edges[s.reachable_bins.start :]
    grid = cells.pivot(index="low", columns="layer", values="fraction")
    grid = grid.reindex(index=edges[:-1], columns=range(1, s.depth + 1))
    top = max(float(cells["fraction"].max()), 1e-12) if len(cells) else 1.0
    image = pd.DataFrame(
        {
            "url": [_heatmap_png(grid.to_numpy(float), top)],
            "x0": [0.5],
            "x1": [s.depth + 0.5],
            "low": [edges[0]],
            "high": [edges[-1]],
        }
    )
    legend = pd.DataFrame({"fraction": [0.0, top], "x0": [0.5, 0.5], "low": edges[[0, 0]]})
    busiest = cells.loc[cells.groupby("layer")["fraction"].idxmax()] if len(cells) else cells
    columns = busiest.assign(x0=busiest["layer"] - 0.5, x1=busiest["layer"] + 0.5)
    return {"image": image, "legend": legend, "columns": columns}
