"""Shareable links: every control is bound to the URL with ``bind="query-params"``.

Streamlit already ignores a query parameter a widget cannot accept (garbage, out of
range, an unknown option) and drops it from the URL. ``SharedLink`` tells the visitor
that it happened, so a mistyped or stale link opens the defaults with a short notice
instead of silently doing something else:

    link = SharedLink()      # first thing on the page: remembers the URL as it came
    ...                      # widgets with key=... and bind="query-params"
    link.report()            # last thing: notes the values that were refused
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import streamlit as st

_DROPPED = "link_dropped"  # session state: the values mend_link took out


def mend_link(page, renamed: Mapping[str, Mapping[str, str]]) -> None:
    """Reopen ``page`` without the link's values that no control can take, and with the
    values an older version of a control took under another name renamed.

    An empty value or an infinite number is never a setting, and some of Streamlit's own
    widgets raise on them as they read the URL (a number input on "inf"), before a page
    could refuse them. ``renamed`` maps a key to {old value: the option it is now}, so a
    link shared before an option was renamed still opens what it did. app.py calls this
    before the page runs; the page's SharedLink reports what was dropped with the rest.
    """
    requested = st.query_params.to_dict()
    dropped = {key: text for key, text in requested.items() if _unusable(text)}
    mended = {
        key: renamed.get(key, {}).get(text, text)
        for key, text in requested.items()
        if key not in dropped
    }
    if dropped or mended != requested:
        st.session_state[_DROPPED] = dropped
        st.switch_page(page, query_params=mended)


class SharedLink:
    def __init__(self) -> None:
        self.dropped = st.session_state.pop(_DROPPED, {})
        self.requested = {**st.query_params.to_dict(), **self.dropped}
        # Only a link's first run can refuse it. Afterwards the URL follows the controls,
        # and a preset or walkthrough step that puts one back to its default (so that
        # Streamlit drops its value from the URL) has refused nothing.
        self.opening = not any(key in st.session_state for key in self.requested)
        self._notice = st.empty()

    def report(self) -> list[str]:
        """Show a notice for link values the page refused; return their keys."""
        kept = st.query_params.to_dict()
        refused = [*self.dropped] + [
            key
            for key, text in self.requested.items()
            if self.opening
            and key not in kept
            and key not in self.dropped
            and key in st.session_state
            and not _same_value(text, st.session_state[key])
        ]
        if refused:
            shown = ", ".join(f"{key}={self.requested[key]!r}" for key in refused[:6])
            self._notice.info(
                f"Some settings in the link could not be used and were reset to their "
                f"defaults: {shown}.",
                icon=":material/link_off:",
            )
        return refused


def _same_value(text: str, value: object) -> bool:
    # A parameter dropped because it equals the default is not a refusal.
    if isinstance(value, bool):
        return text.lower() == str(value).lower()
    if isinstance(value, (int, float)):
        try:
            return math.isclose(float(text), float(value), rel_tol=1e-9, abs_tol=1e-300)
        except ValueError:
            return False
    return text == str(value)


def _unusable(text: str) -> bool:
    if not text.strip():
        return True
    try:
        return not math.isfinite(float(text))
    except ValueError:
        return False
