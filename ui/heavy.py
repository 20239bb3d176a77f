"""Heavy core calls as a page makes them: in a worker process (``workers.run``), and a
clear message instead of a traceback when the server cannot finish one in time."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

import workers

T = TypeVar("T")


def compute(function: Callable[..., T], /, *args, **kwargs) -> T:
    """``workers.run(function, *args, **kwargs)``; if the call times out, its message is
    shown and this run of the page (or of its fragment) stops there."""
    try:
        return workers.run(function, *args, **kwargs)
    except workers.Unavailable as error:
        st.error(str(error), icon=":material/hourglass_disabled:")
        st.stop()
