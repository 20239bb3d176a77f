"""Drawing a chart on a page: full width, its data as a CSV download, projector fonts.

Every chart goes through ``show`` so that all of them behave alike: the chart's own
toolbar (on hover, top right) saves it as PNG, the button under it downloads the tables
it draws, and presentation mode enlarges its fonts.
"""

from __future__ import annotations

import altair as alt
import streamlit as st

from charts.common import chart_data, drawn_spec
from ui.presentation import presenting


def show(chart: alt.TopLevelMixin, name: str, where=st, width: str = "stretch") -> None:
    """Draw ``chart`` in ``where`` (st, a column or a container) with a CSV download.

    ``name`` is the file name of the download and must be unique on the page; ``width``
    is "content" for charts drawn at their own size (square contour plots).
    """
    where.vega_lite_chart(drawn_spec(chart, presenting()), width=width)
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
