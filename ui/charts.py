"""Drawing a chart on a page: full width, its data as a CSV download, projector fonts.

Every chart goes through ``show`` so that all of them behave alike: the chart's own
toolbar (on hover, top right) saves it as PNG, the button under it downloads the tables
it draws, and presentation mode enlarges its fonts.
"""

from __future__ import annotations

import threading

import altair as alt
import pandas as pd
import streamlit as st
from streamlit import dataframe_util

from charts.common import BoundedCache, chart_data, enlarge, fit_for_projector
from ui.presentation import presenting


def show(chart: alt.TopLevelMixin, name: str, where=st, width: str = "stretch") -> None:
    """Draw ``chart`` in ``where`` (st, a column or a container) with a CSV download.

    ``name`` is the file name of the download and must be unique on the page; ``width``
    is "content" for charts drawn at their own size (square contour plots).
    """
    where.vega_lite_chart(_drawn_spec(chart, presenting()), width=width)
    where.download_button(
        "Chart data (CSV)",
        data=lambda: chart_data(chart).to_csv(index=False),  # built only when clicked
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv_{name}",
        on_click="ignore",
        type="tertiary",
        icon=":material/download:",
        help="The tables this chart draws. The toolbar shown on hover saves it as PNG.",
    )


# Altair's data transformers and themes are process-wide settings: one conversion at a time.
_conversion_lock = threading.Lock()


def _keep_frame(data: pd.DataFrame, datasets: dict) -> dict:
    # An Altair data transformer: the table stays a DataFrame, sent as Arrow by Streamlit.
    name = f"data-{len(datasets)}"
    datasets[name] = data
    return {"name": name}


alt.data_transformers.register("keep_frame", _keep_frame)


# The spec of each chart as sent, its tables already Arrow bytes, by the chart's identity:
# a memoized builder (charts.common.memoized) hands the same chart to every rerun that
# draws it from the same tables, so neither the spec nor its tables are made again.
_drawn = BoundedCache()  # (id of the chart, presenting) → (the chart, its spec)


def _drawn_spec(chart: alt.TopLevelMixin, present: bool) -> dict:
    key = (id(chart), present)
    kept = _drawn.get(key)
    if kept is not None and kept[0] is chart:  # the id of a chart still alive
        return kept[1]
    spec = fit_for_projector(vega_lite_spec(enlarge(chart))) if present else vega_lite_spec(chart)
    tables = spec["datasets"].items()
    # Streamlit passes bytes through as Arrow IPC, and copies the spec's top level before
    # it changes anything, so one spec serves every session.
    spec["datasets"] = {
        name: dataframe_util.convert_anything_to_arrow_bytes(table) for name, table in tables
    }
    _drawn.put(key, (chart, spec))
    return spec


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
