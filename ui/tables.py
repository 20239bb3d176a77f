"""Tables of figures on a page, their numbers written out in Python.

``st.dataframe(frame.style.format(...))`` renders the whole pandas Styler on every rerun:
7 ms for a table of 10 rows and 7 columns, in the one interpreter every session shares.
Writing each number as text takes 2 ms and shows the same digits.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st


def show_figures(frame: pd.DataFrame, formats: str | dict[str, str], where=st) -> None:
    """Draw ``frame`` without its index, each column named in ``formats`` (or, for one
    format, each float column) written with its ``str.format`` pattern, right-aligned."""
    if isinstance(formats, str):
        formats = {column: formats for column in frame.select_dtypes("float").columns}
    written = frame.copy()
    for column, pattern in formats.items():
        written[column] = [pattern.format(x) for x in frame[column]]
    right = {column: st.column_config.TextColumn(alignment="right") for column in formats}
    where.dataframe(written, hide_index=True, column_config=right)
