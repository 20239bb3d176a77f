"""Shareable links: every control is bound to the URL with ``bind="query-params"``.

Streamlit already ignores a query parameter a widget cannot accept (garbage, out of
range, an unknown option) and drops it from the URL. ``SharedLink`` tells the visitor
that it happened, so a mistyped or stale link opens the defaults with a short notice
instead of silently doing something else:

    link = SharedLink()      # first thing on the page: remembers the URL as it came
    ...                      # widgets with key=... and bind="query-params"
    link.report()            # last thing: notes the values that were refused

A link is anybody's text. A notice shows it back only through ``echo`` (as typed, never
as Markdown: a link's ``[Log in](https://…)`` must not become a link on the app's own
page), and numbers the app reads from the URL itself go through ``url_integer``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping

import streamlit as st

_DROPPED = "link_dropped"  # session state: the values mend_link took out, key → values
ECHO_CHARACTERS = 40  # of a visitor's text shown back in a notice
SHOWN_SETTINGS = 6  # refused settings a notice names; it counts the rest
_BACKTICKS = re.compile("`+")


def echo(text: str) -> str:
    """``text`` as Markdown that shows it as typed: a code span, in which nothing is a
    link, an image, a heading or formatting. Characters that are not printable (line
    breaks, which would end the span's paragraph; direction marks) are written as their
    escapes, and text over ECHO_CHARACTERS characters is cut, ending in "…"."""
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    if len(shown) > ECHO_CHARACTERS:
        shown = shown[: ECHO_CHARACTERS - 1] + "…"
    # A span opened with more backticks than any run inside it is closed only by as many;
    # the spaces, one of which Markdown strips on each side, let the text start or end
    # with a backtick.
    fence = "`" * (1 + max(map(len, _BACKTICKS.findall(shown)), default=0))
    return f"{fence} {shown} {fence}"


def url_integer(text: str, low: int, high: int) -> int | None:
    """The whole number ``text`` writes, if it lies in [low, high]; else None.

    Only ASCII digits count, no more of them than ``high`` has: no sign, exponent,
    spaces, underscores or other scripts' digits (Python's int() takes "+3", " 3", "3_0"
    and "３", and raises on more than 4,300 digits).
    """
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(high))):
        return None
    number = int(text)
    return number if low <= number <= high else None


def url_toggle(text: str) -> bool:
    """Whether a toggle or checkbox bound to the URL takes the link's ``text``: "true" or
    "false" in any case, as Streamlit reads it."""
    return text.lower() in ("true", "false")


# A number as Streamlit writes a control's value into the URL ("0.65", "-0.25", "1e-06"):
# ASCII digits, a minus sign at most, a few dozen characters. float() would also take
# "+3", " 3", "3_0", "３" and "0…03" with thousands of zeros; a control's link never holds them.
PLAIN_NUMBER = re.compile(r"-?[0-9]{1,16}(\.[0-9]{1,17})?(e[-+]?[0-9]{1,3})?")


def mend_link(
    page,
    renamed: Mapping[str, Mapping[str, str]],
    numbers: Callable[[], Collection[str]] = frozenset,
) -> None:
    """Reopen ``page`` without the link's values that no control can take, and with the
    values an older version of a control took under another name renamed.

    An empty value or an infinite number is never a setting, and some of Streamlit's own
    widgets raise on them as they read the URL (a number input on "inf"), before a page
    could refuse them. A key given more than once (``?ve_L=5&ve_L=7``) is no setting
    either, as a whole: every control here takes one value, and Streamlit's widgets
    differ in which one they would keep. ``renamed`` maps a key to {old value: the
    option it is now}, so a link shared before an option was renamed still opens what it
    did. ``numbers()`` gives the keys of the controls that take a number, whose values
    must be PLAIN_NUMBERs (asked only when the link has values). app.py calls this before
    the page runs; the page's SharedLink reports what was dropped with the rest.
    """
    requested = {key: st.query_params.get_all(key) for key in st.query_params}
    numeric = numbers() if requested else frozenset()
    dropped = {
        key: values
        for key, values in requested.items()
        if len(values) != 1
        or _unusable(values[0])
        or (key in numeric and not PLAIN_NUMBER.fullmatch(values[0]))
    }
    kept = {key: values[0] for key, values in requested.items() if key not in dropped}
    mended = {key: renamed.get(key, {}).get(text, text) for key, text in kept.items()}
    if dropped or mended != kept:
        st.session_state[_DROPPED] = dropped
        st.switch_page(page, query_params=mended)


def lazy_tabs(
    key: str,
    parts: Mapping[str, Collection[str]],
    defaults: Mapping[str, object],
    usable: Callable[[str, str], bool],
) -> list:
    """Tabs bound to the URL as ``key`` (the open tab's label), of which a page runs only
    the open one's part (``if tab.open:``): what a closed tab would compute and draw costs
    nothing, on a visit or a rerun. ``parts`` maps each tab's label to its controls' keys;
    ``defaults[key]`` is the tab open by default, ``defaults[control]`` each control's.

    A link without ``key`` (shared before the page had tabs) opens the first tab it holds a
    setting of. The widgets of the tabs left closed do not read the link in this run, so
    their values are checked here with ``usable(control, text)``: one no control would
    take is dropped and the control's default put in its place, which the page's
    SharedLink then reports.
    """
    if key not in st.session_state and key not in st.query_params:
        linked = [label for label, keys in parts.items() if set(keys) & set(st.query_params)]
        if linked:
            st.session_state[key] = linked[0]
    tabs = st.tabs(list(parts), key=key, default=defaults[key], on_change="rerun",
                   bind="query-params")  # fmt: skip
    for keys, tab in zip(parts.values(), tabs, strict=True):
        for control in keys if not tab.open else ():
            text = st.query_params.get(control)
            if text is not None and not usable(control, text):
                del st.query_params[control]
                st.session_state[control] = defaults[control]
    return tabs


class SharedLink:
    def __init__(self) -> None:
        # Read here, forgotten once reported: a page that reruns itself before its end
        # (st.rerun, to split its work) still names them in the run that reports.
        self.dropped = st.session_state.get(_DROPPED, {})
        self.requested = {key: st.query_params.get_all(key) for key in st.query_params}
        self.requested |= self.dropped
        # Only a link's first run can refuse it. Afterwards the URL follows the controls,
        # and a preset or walkthrough step that puts one back to its default (so that
        # Streamlit drops its value from the URL) has refused nothing.
        # The presentation toggle (drawn by app.py before every page) is in session state
        # from a link's first run on: it says nothing about whether this run is one.
        from ui.presentation import KEY as PRESENT  # here: ui.presentation imports echo

        self.opening = not any(key in st.session_state for key in self.requested if key != PRESENT)
        self._notice = st.empty()

    def report(self) -> list[str]:
        """Show a notice for link values the page refused; return their keys."""
        st.session_state.pop(_DROPPED, None)
        kept = st.query_params.to_dict()
        refused = [*self.dropped] + [
            key
            for key, values in self.requested.items()
            if self.opening
            and key not in kept
            and key not in self.dropped
            and key in st.session_state
            and not _same_value((values or [""])[-1], st.session_state[key])
        ]
        if refused:
            self._notice.info(
                refusal_notice({key: self.requested[key] for key in refused}),
                icon=":material/link_off:",
            )
        return refused


def refusal_notice(refused: Mapping[str, list[str]]) -> str:
    """The notice for the refused settings, key → the values the link gave it, each
    quoted and shown as typed (``echo``), the first SHOWN_SETTINGS of them by name."""
    shown = ", ".join(
        echo(f"{key}={', '.join(map(repr, values))}")
        for key, values in list(refused.items())[:SHOWN_SETTINGS]
    )
    more = len(refused) - SHOWN_SETTINGS
    notice = (
        "Some settings in the link could not be used and were reset to their defaults: "
        f"{shown}{f' and {more} more' if more > 0 else ''}."
    )
    if any(len(values) > 1 for values in refused.values()):
        notice += " A setting given more than once is refused as a whole: each takes one value."
    return notice


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
