"""Tables of figures on a page, formatted by the browser.

``st.dataframe(frame.style.format(...))`` renders the whole pandas Styler on every rerun:
7 ms for a table of 10 rows and 7 columns, in the one interpreter every session shares.
A number column's format is applied by the frontend instead, and the figures stay
numbers, so sorting a column by its header orders them by value.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st


def show_figures(frame: pd.DataFrame, formats: str | dict[str, str], where=st) -> None:
    """Draw ``frame`` without its index, each column named in ``formats`` (or, for one
    format, each float column) shown in its format: printf-style ("%.4g") or one of
    Streamlit's names ("percent")."""
    if isinstance(formats, str):
        formats = {column: formats for column in frame.select_dtypes("float").columns}
    shown = {column: st.column_config.NumberColumn(format=f) for column, f in formats.items()}
    where.dataframe(frame, hide_index=True, column_config=shown)
