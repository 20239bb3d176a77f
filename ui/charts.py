"""Drawing a chart on a page: full width, its data as a CSV download, projector fonts.

Every chart goes through ``show`` so that all of them behave alike: the chart's own
toolbar (on hover, top right) saves it as PNG, the button under it downloads the tables
it draws, and presentation mode enlarges its fonts.

``show`` takes the chart builder and its tables rather than a chart: building an Altair
chart and its spec costs tens of milliseconds, and a rerun draws every chart of its
section although a control changes one or two. ``chart_spec`` caches the spec with
``st.cache_data`` by builder and tables, so the same chart is built once for every
session.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from types import FunctionType

import altair as alt
import pandas as pd
import streamlit as st

from charts.common import spec_data, vega_lite_spec
from ui.presentation import presenting


def _by_name(build: FunctionType) -> str:
    # Functions have no hash of their own in st.cache_data; a builder is its name.
    return f"{build.__module__}.{build.__qualname__}"


def _by_content(table: pd.DataFrame) -> bytes:
    # A digest of the pickled table: a tenth of the time of st.cache_data's own hash of a
    # DataFrame (1.3 ms for a table of a few thousand rows, on every rerun of every chart).
    # Equal tables pickle alike, so a table drawn before finds its spec.
    return hashlib.blake2b(pickle.dumps(table, pickle.HIGHEST_PROTOCOL)).digest()


@st.cache_data(
    max_entries=256,
    show_spinner=False,
    hash_funcs={FunctionType: _by_name, pd.DataFrame: _by_content},
)
def chart_spec(build: Callable[..., alt.TopLevelMixin], args: tuple, kwargs: dict,
               present: bool) -> dict:  # fmt: skip
    """The Vega-Lite spec of ``build(*args, **kwargs)``, with projector fonts when
    ``present``; its tables stay DataFrames, which Streamlit sends as Arrow."""
    return vega_lite_spec(build(*args, **kwargs), present)


def show(
    build: Callable[..., alt.TopLevelMixin],
    *args,
    name: str,
    where=st,
    width: str = "stretch",
    **kwargs,
) -> None:
    """Draw the chart ``build(*args, **kwargs)`` in ``where`` (st, a column or a
    container), with a CSV download of its tables.

    ``name`` is the file name of the download and must be unique on the page; ``width``
    is "content" for charts drawn at their own size (square contour plots).
    """
    spec = chart_spec(build, args, kwargs, presenting())
    where.vega_lite_chart(spec, width=width)
    where.download_button(
        "Chart data (CSV)",
        data=lambda: spec_data(spec).to_csv(index=False),  # built only when clicked
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv_{name}",
        on_click="ignore",
        type="tertiary",
        icon=":material/download:",
        help="The tables this chart draws. The toolbar shown on hover saves it as PNG.",
    )
