"""Small chart helpers shared by the page chart modules."""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Iterable, Mapping

import altair as alt
import numpy as np
import pandas as pd

TITLE_FONT_SIZE = 16
LABEL_FONT_SIZE = 13
PRESENTATION_SCALE = 1.6  # font sizes on a projector, relative to a laptop screen

# One visual language on every page: the lecture's verdict bands in one palette (the
# difference's "great", "suspicious" and "bug"), pale behind data and full on marks;
# legends under their chart; chart titles in sentence case.
VERDICT_COLORS = {"great": "#54a24b", "suspicious": "#f58518", "bug": "#e45756"}
INCONCLUSIVE_COLOR = "#8c8c8c"
BAND_OPACITY = 0.18  # a band behind the data: the palette's colour, this opaque
LEGEND_ORIENT = "bottom"


def raised(text: str) -> str:
    """A Vega expression: the string ``text`` (an expression) with its digits and minus
    signs as superscripts, "-12" as "⁻¹²"."""
    for digit, superscript in zip("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻", strict=True):
        text = f"replace({text}, regexp('{digit}', 'g'), '{superscript}')"
    return text


EXPONENT = "log(datum.value) / LN10"
"""log10 of a tick's value, in Vega's expression language."""
_AT_A_POWER = f"abs({EXPONENT} - round({EXPONENT})) < 1e-6"
_ROUNDED = f"'' + round({EXPONENT})"
POWER_OF_TEN_LABEL = f"{_AT_A_POWER} ? '10' + {raised(_ROUNDED)} : ''"
"""A log axis's (or legend's) label expression: 10⁻⁸ at each power of ten, none between."""


def png_data_url(image) -> str:
    """A Pillow image as a PNG ``data:`` URL, for a Vega-Lite image mark: a heatmap of
    thousands of cells drawn as one picture, fetched from nowhere (a hall may have no
    internet)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def long_frame(parts: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """The parts one under another in one table. Each part maps every column to a
    sequence (all of the part's length) or to one value for all of its rows (a label).

    The same table as concatenating a DataFrame per part, but built once: with pandas'
    Arrow-backed strings every frame with a label column costs a third of a millisecond,
    in the interpreter every session shares.
    """
    parts = list(parts)
    rows = [next((len(value) for value in part.values() if np.ndim(value)), 1) for part in parts]

    def column(name: str) -> np.ndarray:
        pieces = [part[name] for part in parts]
        return np.concatenate(
            [
                np.asarray(v) if np.ndim(v) else np.repeat(v, n)
                for v, n in zip(pieces, rows, strict=True)
            ]
        )

    return pd.DataFrame({name: column(name) for name in parts[0]})


# Altair's data transformers and themes are process-wide settings: one conversion at a time.
_conversion_lock = threading.Lock()


def _keep_frame(data: pd.DataFrame, datasets: dict) -> dict:
    # An Altair data transformer: the table stays a DataFrame, sent as Arrow by Streamlit.
    # A table drawn by several layers is sent once, and Vega reads it once for all of them.
    name = next((name for name, kept in datasets.items() if kept is data), None)
    if name is None:
        name = f"data-{len(datasets)}"
        datasets[name] = data
    return {"name": name}


alt.data_transformers.register("keep_frame", _keep_frame)


def vega_lite_spec(chart: alt.TopLevelMixin, present: bool = False) -> dict:
    """The chart as a Vega-Lite dict whose ``datasets`` are the chart's DataFrames, with
    projector fonts when ``present``.

    What ``st.altair_chart`` does, less the JSON-schema validation of the whole spec,
    which is most of the cost of drawing a chart. The chart builders' specs are validated
    by the tests instead (tests/test_chart_specs.py).
    """
    datasets: dict[str, pd.DataFrame] = {}
    with (
        _conversion_lock,
        alt.theme.enable("none"),
        alt.data_transformers.enable("keep_frame", datasets=datasets),
    ):
        spec = (enlarge(chart) if present else chart).to_dict(validate=False)
    spec["datasets"] = {**spec.get("datasets", {}), **datasets}
    _quiet_decorations(spec)
    return fit_for_projector(spec) if present else spec


def named_tables(spec: dict) -> set[str]:
    """The names of the tables a spec's parts draw (``{"data": {"name": ...}}``), whether
    its ``datasets`` hold them or they are to come beside it (``alt.NamedData``)."""
    return {
        part["data"]["name"]
        for part in _parts(spec)
        if isinstance(part.get("data"), dict) and "name" in part["data"]
    }


def _quiet_decorations(spec: dict) -> None:
    """Hide from screen readers the marks that draw no data (a rule at a constant, a
    label's text): their SVG has nothing to say, and axe counts such an unlabelled
    graphic as an image without alternative text. The chart's ``description`` speaks
    for the whole chart."""

    for part in _parts(spec):
        mark = part.get("mark")
        if mark is not None and not _draws_a_field(part.get("encoding", {})):
            part["mark"] = {"type": mark, "aria": False} if isinstance(mark, str) else {
                **mark, "aria": False}  # fmt: skip


def _parts(node):
    """Every dict in a spec, depth first, outside its ``datasets`` (tables are data).
    Each is yielded before its children are visited, so a caller may set its keys."""
    if isinstance(node, dict):
        yield node
        for key, child in node.items():
            if key != "datasets":
                yield from _parts(child)
    elif isinstance(node, list):
        for child in node:
            yield from _parts(child)


def _draws_a_field(encoding: dict) -> bool:
    return any(isinstance(channel, dict) and "field" in channel for channel in encoding.values())


def span_layer(table: str, **channels) -> alt.Chart:
    """Invisible points at the rows of the table named ``table`` (the corners of the range
    to plot), on the given channels: the scales the chart's layers share take them in, so
    a range that follows the setting comes from a table, not from a number in the spec."""
    return (
        alt.Chart(alt.NamedData(table)).mark_point(opacity=0, size=0, aria=False).encode(**channels)
    )


def finish(
    chart: alt.TopLevelMixin, title: str | list[str], *, height: int | None = 320
) -> alt.TopLevelMixin:
    """Give a chart its title, height, readable fonts and heatmap labels on their cells
    (the one place they are set).

    A title given as a list is drawn one line per item: short lines fit a half-width chart
    on a projector, where a long one is cut off with "…".

    height=None leaves the height to the parts, for concatenated and faceted charts,
    which have no height of their own.

    Sets them on the chart it is given, a builder's new chart, and returns it: Altair's
    ``properties`` would copy it, and copying a layered chart merges its layers' parameters
    again, which was half the time of building one.
    """
    chart.title = title
    chart.config = _config(chart, 1.0)
    if height is not None:
        chart.height = height
    return chart


def enlarge(chart: alt.TopLevelMixin, scale: float = PRESENTATION_SCALE) -> alt.TopLevelMixin:
    """The same chart with every title, axis and legend font ``scale`` times larger, and
    as much taller (when it has a height of its own; a square one as much wider too), so
    the larger text still fits."""
    height = getattr(chart, "height", alt.Undefined)
    width = getattr(chart, "width", alt.Undefined)
    taller = {"height": round(height * scale)} if isinstance(height, int | float) else {}
    if isinstance(width, int | float) and width == height:  # a square plot stays square
        taller["width"] = round(width * scale)
    return chart.properties(config=_config(chart, scale), **taller)


def fit_for_projector(spec: dict, scale: float = PRESENTATION_SCALE) -> dict:
    """The spec (a Vega-Lite dict, changed in place) ready for larger fonts where the
    config's cannot reach: every font size a mark sets itself and every label limit a
    legend sets itself ``scale`` times larger, and legends laid out in several columns
    stacked in one, so their longer labels still fit beside each other's chart. Tables
    under ``datasets`` are left alone."""

    for part in _parts(spec):
        mark = part.get("mark")
        if isinstance(mark, dict) and isinstance(mark.get("fontSize"), int | float):
            mark["fontSize"] = round(mark["fontSize"] * scale)
        title = part.get("title")
        if isinstance(title, dict) and isinstance(title.get("subtitleFontSize"), int | float):
            title["subtitleFontSize"] = round(title["subtitleFontSize"] * scale)
        legend = part.get("legend")
        if isinstance(legend, dict) and legend.get("columns", 1) > 1:
            legend["columns"] = 1
        if isinstance(legend, dict) and isinstance(legend.get("labelLimit"), int | float):
            legend["labelLimit"] = round(legend["labelLimit"] * scale)  # as its font
    return spec


def _config(chart: alt.TopLevelMixin, scale: float) -> alt.Config:
    """The chart's config: fonts ``scale`` times the usual size, heatmap labels on their
    cells."""
    # One properties() call instead of a configure_* chain: each step copies the chart,
    # and copying a layered chart re-merges its layers (tens of ms per copy).
    config = alt.Config() if chart.config is alt.Undefined else chart.config.copy()
    title, label = round(TITLE_FONT_SIZE * scale), round(LABEL_FONT_SIZE * scale)
    config["title"] = alt.TitleConfig(fontSize=title, subtitleFontSize=label, anchor="start")
    config["axis"] = alt.AxisConfig(labelFontSize=label, titleFontSize=label)
    # Streamlit's theme pushes every axis's end labels inward (labelFlush); on a heatmap's
    # rows or columns that sets the first label off its cell.
    config["axisBand"] = alt.AxisConfig(labelFlush=False)
    # Room for the longest legend label ("Frobenius norm of dW[l], simulated", 34
    # characters) at every scale: 220 px cut it short on a projector.
    config["legend"] = alt.LegendConfig(
        labelFontSize=label, titleFontSize=label, labelLimit=round(300 * scale),
        orient=LEGEND_ORIENT,
    )  # fmt: skip
    config["header"] = alt.HeaderConfig(labelFontSize=label, titleFontSize=label)
    return config


def spec_data(spec: dict) -> pd.DataFrame:
    """Every table a chart's spec (``vega_lite_spec``) draws, stacked, with a
    ``chart_part`` column naming its part (not ``layer``, which many tables use for the
    network's layer number): "chart" for the whole chart's, "layer2" or "hconcat1/layer3"
    for a part's.

    Walks layers, concatenations and facets; a table shared by several parts is
    written once. Parts without a table of their own (a rule at a constant) add nothing.
    """
    tables = spec.get("datasets", {})
    frames: list[pd.DataFrame] = []
    seen: set[int] = set()  # tables by identity: Altair names a shared one once per part

    def visit(part: dict, path: str) -> None:
        data = part.get("data")
        table = tables.get(data.get("name")) if isinstance(data, dict) else None
        if isinstance(table, pd.DataFrame) and id(table) not in seen:  # not Altair's "empty"
            seen.add(id(table))
            frames.append(table.assign(chart_part=path or "chart"))
        for key in ("layer", "hconcat", "vconcat", "concat"):
            for index, child in enumerate(part.get(key, [])):
                visit(child, f"{path}/{key}{index + 1}".lstrip("/"))
        if isinstance(part.get("spec"), dict):
            visit(part["spec"], path)

    visit(spec, "")
    return pd.concat(frames, ignore_index=True, sort=False) if frames else pd.DataFrame()
