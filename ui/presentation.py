"""Presentation mode, for a projector: larger chart fonts, secondary controls tucked away.

The toggle lives in the sidebar on every page and in the URL (``?present=true``), so a
lecturer's link opens in presentation mode. Pages put the controls a lecture does not
need in ``secondary()``: in presentation mode that is a closed "More settings"
expander instead of the sidebar itself.
"""

from __future__ import annotations

import streamlit as st

from charts.common import PRESENTATION_SCALE
from ui.links import echo

KEY = "present"


def presentation_toggle() -> bool:
    """The sidebar toggle, kept in the URL by hand rather than with ``bind``: page switches
    drop the URL's parameters, and a bound parameter may not be written back."""
    if KEY not in st.session_state:
        text = st.query_params.get(KEY, "false")
        if text not in ("true", "false"):
            st.info(
                f"The link's {echo(f'{KEY}={text!r}')} could not be used: it is true or false.",
                icon=":material/link_off:",
            )
        st.session_state[KEY] = text == "true"
    on = st.sidebar.toggle(
        "Presentation mode",
        key=KEY,
        help="Larger chart fonts for a projector; secondary controls folded away.",
    )
    if on:
        st.query_params[KEY] = "true"
    else:
        st.query_params.pop(KEY, None)
    return on


def requested() -> bool:
    """Whether this run is in presentation mode, before the toggle is drawn: as the
    toggle left it, or as the link asks on a session's first run."""
    if KEY in st.session_state:
        return bool(st.session_state[KEY])
    return st.query_params.get(KEY) == "true"


def presenting() -> bool:
    return bool(st.session_state.get(KEY, False))


def font_scale() -> float:
    """How many times the usual size the charts' fonts are: PRESENTATION_SCALE on a
    projector. For what a chart's config cannot enlarge (a text's position, a cell's size)."""
    return PRESENTATION_SCALE if presenting() else 1.0


def secondary(where=None):
    """Where a page draws its secondary controls: ``where`` (default the sidebar), or,
    in presentation mode, a closed expander in the sidebar (a page's narrow column would
    squeeze its title)."""
    if presenting():
        return st.sidebar.expander("More settings", icon=":material/tune:")
    return st.sidebar if where is None else where
