"""Small chart helpers shared by the page chart modules."""

from __future__ import annotations

import functools
import hashlib
import importlib
import pickle
import threading
from collections.abc import Callable, Iterable, Mapping

import altair as alt
import numpy as np
import pandas as pd
from streamlit import dataframe_util

import workers
from workers.shared import BoundedCache

TITLE_FONT_SIZE = 16
LABEL_FONT_SIZE = 13
PRESENTATION_SCALE = 1.6  # font sizes on a projector, relative to a laptop screen


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


MEMO_SIZE = 128  # charts kept, over every builder and session (a few MB at most)


_memo = BoundedCache(MEMO_SIZE)


def memoized(builder: Callable[..., alt.TopLevelMixin]) -> Callable[..., alt.TopLevelMixin]:
    """The chart builder, returning the chart it built before from equal arguments.

    Building an Altair chart and its spec costs tens of milliseconds, and a rerun redraws
    every chart although a control changes one or two: in one process serving many
    sessions that was most of a rerun. The key is a digest of the pickled arguments, so
    equal tables give the same chart and different ones never do. A new chart is built
    in a worker process (``workers``) with its spec, so the interpreter every session
    shares only unpickles them; arguments that cannot be pickled are built here, afresh
    each time. The chart is shared, so nobody may change it (Altair's ``properties`` and
    ``to_dict`` copy) or the tables passed in.
    """

    @functools.wraps(builder)
    def build(*args, **kwargs) -> alt.TopLevelMixin:
        try:
            call = pickle.dumps(
                (builder.__module__, builder.__qualname__, args, sorted(kwargs.items())),
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        except (pickle.PicklingError, TypeError, AttributeError):
            return builder(*args, **kwargs)
        key = hashlib.blake2b(call).digest()
        if (chart := _memo.get(key)) is not None:
            return chart
        chart, spec = workers.run(_built_and_drawn, call)  # the arguments pickled once
        _drawn.put((id(chart), False), (chart, spec))
        _memo.put(key, chart)
        return chart

    return build


def _built_and_drawn(call: bytes) -> tuple[alt.TopLevelMixin, dict]:
    # In a worker: the memoized builder's own body on the pickled call its key was made
    # from, then the spec drawn_spec would make.
    module, name, args, kwargs = pickle.loads(call)
    build = functools.reduce(getattr, name.split("."), importlib.import_module(module))
    chart = build.__wrapped__(*args, **dict(kwargs))
    return chart, _arrow_spec(vega_lite_spec(chart))


# ---------------------------------------------------------------- specs as sent


# Altair's data transformers and themes are process-wide settings: one conversion at a time.
_conversion_lock = threading.Lock()


def _keep_frame(data: pd.DataFrame, datasets: dict) -> dict:
    # An Altair data transformer: the table stays a DataFrame, sent as Arrow by Streamlit.
    name = f"data-{len(datasets)}"
    datasets[name] = data
    return {"name": name}


alt.data_transformers.register("keep_frame", _keep_frame)


def vega_lite_spec(chart: alt.TopLevelMixin) -> dict:
    """The chart as a Vega-Lite dict whose ``datasets`` are the chart's DataFrames.

    What ``st.altair_chart`` does, less the JSON-schema validation of the whole spec,
    which is most of the cost of drawing a chart and runs under a lock shared by every
    session. The chart builders' specs are validated by the tests instead
    (tests/test_chart_specs.py).
    """
    datasets: dict[str, pd.DataFrame] = {}
    with (
        _conversion_lock,
        alt.theme.enable("none"),
        alt.data_transformers.enable("keep_frame", datasets=datasets),
    ):
        spec = chart.to_dict(validate=False)
    spec["datasets"] = {**spec.get("datasets", {}), **datasets}
    return spec


def _arrow_spec(spec: dict) -> dict:
    # Streamlit passes bytes through as Arrow IPC, and copies the spec's top level before
    # it changes anything, so one spec serves every session.
    tables = spec["datasets"].items()
    spec["datasets"] = {
        name: dataframe_util.convert_anything_to_arrow_bytes(table) for name, table in tables
    }
    return spec


# The spec of each chart as sent, its tables already Arrow bytes, by the chart's identity:
# a memoized builder hands the same chart to every rerun that draws it from the same
# tables, so neither the spec nor its tables are made again.
_drawn = BoundedCache(MEMO_SIZE)  # (id of the chart, presenting) → (the chart, its spec)


def drawn_spec(chart: alt.TopLevelMixin, present: bool) -> dict:
    """The chart's spec as Streamlit sends it (tables as Arrow bytes), with projector fonts
    when ``present``; made once per chart and shared by every session."""
    key = (id(chart), present)
    kept = _drawn.get(key)
    if kept is not None and kept[0] is chart:  # the id of a chart still alive
        return kept[1]
    spec = _arrow_spec(
        fit_for_projector(vega_lite_spec(enlarge(chart))) if present else vega_lite_spec(chart)
    )
    _drawn.put(key, (chart, spec))
    return spec


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
    as much taller (when it has a height of its own), so the larger text still fits."""
    height = getattr(chart, "height", alt.Undefined)
    taller = {"height": round(height * scale)} if isinstance(height, int | float) else {}
    return chart.properties(config=_config(chart, scale), **taller)


def fit_for_projector(spec: dict, scale: float = PRESENTATION_SCALE) -> dict:
    """The spec (a Vega-Lite dict, changed in place) ready for larger fonts where the
    config's cannot reach: every font size a mark sets itself ``scale`` times larger, and
    legends laid out in several columns stacked in one, so their longer labels still fit
    beside each other's chart. Tables under ``datasets`` are left alone."""

    def visit(node) -> None:
        if isinstance(node, dict):
            mark = node.get("mark")
            if isinstance(mark, dict) and isinstance(mark.get("fontSize"), int | float):
                mark["fontSize"] = round(mark["fontSize"] * scale)
            legend = node.get("legend")
            if isinstance(legend, dict) and legend.get("columns", 1) > 1:
                legend["columns"] = 1
            for key, child in node.items():
                if key != "datasets":
                    visit(child)
        elif isinstance(node, list):
            for child in node:
                visit(child)

    visit(spec)
    return spec


def _config(chart: alt.TopLevelMixin, scale: float) -> alt.Config:
    """The chart's config: fonts ``scale`` times the usual size, heatmap labels on their
    cells."""
    # One properties() call instead of a configure_* chain: each step copies the chart,
    # and copying a layered chart re-merges its layers (tens of ms per copy).
    config = alt.Config() if chart.config is alt.Undefined else chart.config.copy()
    title, label = round(TITLE_FONT_SIZE * scale), round(LABEL_FONT_SIZE * scale)
    config["title"] = alt.TitleConfig(fontSize=title, anchor="start")
    config["axis"] = alt.AxisConfig(labelFontSize=label, titleFontSize=label)
    # Streamlit's theme pushes every axis's end labels inward (labelFlush); on a heatmap's
    # rows or columns that sets the first label off its cell.
    config["axisBand"] = alt.AxisConfig(labelFlush=False)
    config["legend"] = alt.LegendConfig(
        labelFontSize=label, titleFontSize=label, labelLimit=round(220 * scale)
    )
    config["header"] = alt.HeaderConfig(labelFontSize=label, titleFontSize=label)
    return config


def chart_data(chart: alt.TopLevelMixin) -> pd.DataFrame:
    """Every table a chart draws, stacked, with a ``chart_part`` column naming its part
    (not ``layer``, which many tables use for the network's layer number).

    Walks layers, concatenations and facets; a table shared by several parts is
    written once. Parts without inline data (a rule at a constant) add nothing.
    """
    frames: list[pd.DataFrame] = []
    seen: set[int] = set()

    def visit(part, path: str) -> None:
        data = getattr(part, "data", alt.Undefined)
        if isinstance(data, pd.DataFrame) and id(data) not in seen:
            seen.add(id(data))
            frames.append(data.assign(chart_part=path))
        for attribute in ("layer", "hconcat", "vconcat", "concat"):
            for index, child in enumerate(_items(getattr(part, attribute, alt.Undefined))):
                visit(child, f"{path}{attribute}{index + 1}/")
        spec = getattr(part, "spec", alt.Undefined)
        if spec is not alt.Undefined:
            visit(spec, path)

    visit(chart, "")
    if not frames:
        return pd.DataFrame()
    table = pd.concat(frames, ignore_index=True, sort=False)
    table["chart_part"] = table["chart_part"].str.rstrip("/").replace("", "chart")
    return table


def _items(value) -> list:
    return list(value) if isinstance(value, list) else []
