"""Drawing a chart on a page: full width, described for screen readers, projector fonts.

Every chart goes through ``show`` so that all of them behave alike: the chart's own
toolbar (on hover, top right) enlarges it and saves it as SVG or PNG, its ``description``
is the SVG's alternative text, presentation mode enlarges its fonts, and its tables join
the page's one download (``page_data_button``).

``show`` takes the chart builder and its tables rather than a chart: building an Altair
chart and its spec costs tens of milliseconds, and a rerun draws every chart of its
section although a control changes one or two. ``chart_spec`` caches the spec with
``st.cache_data`` by builder and arguments, so the same chart is built once for every
session.

A chart that a slider redraws takes its tables by name instead (``tables``): its builder
reads them as ``alt.NamedData(name)`` and builds from its other arguments alone, which a
move leaves as they are (no number of the current setting in a title, a domain, a rule's
``datum`` or the description). Its spec is then the same before and after the move: the
server takes it from the cache without building, and the browser keeps the chart and
swaps its tables in place, where a changed spec would rebuild the whole Vega view
(a tenth of a second of the browser's CPU per chart).
"""

from __future__ import annotations

import hashlib
import io
import pickle
import zipfile
from collections.abc import Callable, Mapping
from types import FunctionType

import altair as alt
import pandas as pd
import streamlit as st

from charts.common import named_tables, spec_data, vega_lite_spec
from ui.presentation import presenting

# The specs drawn on the page since its last full run, by chart name: the page's download.
DRAWN = "lab_drawn_charts"


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
               present: bool) -> tuple[dict, frozenset[str]]:  # fmt: skip
    """The Vega-Lite spec of ``build(*args, **kwargs)``, with projector fonts when
    ``present``, and the names of the tables it reads that are to come beside it; its own
    tables stay DataFrames, which Streamlit sends as Arrow."""
    spec = vega_lite_spec(build(*args, **kwargs), present)
    return spec, frozenset(named_tables(spec) - set(spec["datasets"]))


def show(
    build: Callable[..., alt.TopLevelMixin],
    *args,
    name: str,
    description: str,
    where=st,
    width: str = "stretch",
    tables: Mapping[str, pd.DataFrame] | None = None,
    **kwargs,
) -> None:
    """Draw the chart ``build(*args, **kwargs)`` in ``where`` (st, a column or a
    container).

    ``name`` names the chart's tables in the page's download and must be unique on the
    page; ``description`` says what the chart shows (its findings, not its title) to a
    reader who cannot see it; ``width`` is "content" for charts drawn at their own size
    (square contour plots); ``tables`` are the tables the chart reads by name
    (``alt.NamedData``), sent beside its spec rather than built into it.
    """
    if not description.strip():
        raise ValueError(f"chart {name!r} needs a description: what it shows, in words")
    spec, needed = chart_spec(build, args, kwargs, presenting())
    if needed != set(tables or {}):  # a table misnamed would draw nothing, silently
        raise ValueError(
            f"chart {name!r} reads the tables {sorted(needed)} and was given {sorted(tables or {})}"
        )
    spec = {
        **spec,
        # An empty table is left out: Vega draws its layers from an empty one all the same,
        # and the page's download has no part for it.
        "datasets": {**spec["datasets"], **{k: t for k, t in (tables or {}).items() if len(t)}},
        "description": description,
        "usermeta": {"name": name},  # Vega-Lite's field for an app's own notes
    }
    where.vega_lite_chart(spec, width=width)
    st.session_state.setdefault(DRAWN, {})[name] = spec


def forget_drawn() -> None:
    """Start a page's download afresh: call before a full run draws its charts."""
    st.session_state[DRAWN] = {}


def page_data(drawn: dict[str, dict]) -> bytes:
    """A zip of one CSV per chart in ``drawn`` (name → spec; ``spec_data``)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, spec in drawn.items():
            archive.writestr(f"{name}.csv", spec_data(spec).to_csv(index=False))
    return buffer.getvalue()


def page_data_button(file_stem: str) -> None:
    """One button for the tables of every chart on the page, built only when clicked."""
    # The click runs the callable outside the page's script run, where session state is
    # out of reach: it gets the page's dict itself, which a fragment's rerun still fills.
    drawn = st.session_state.get(DRAWN)
    if drawn:
        st.download_button(
            "Download this page's data (CSV, zipped)",
            data=lambda: page_data(drawn),
            file_name=f"{file_stem}-data.zip",
            mime="application/zip",
            key="page_data",
            on_click="ignore",
            type="tertiary",
            icon=":material/download:",
            help="One CSV file per chart: the tables it draws. A chart's own menu (on "
            "hover) saves the picture.",
        )
