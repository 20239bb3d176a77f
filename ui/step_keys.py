"""The walkthrough's two browser-side jobs that no public Streamlit element does.

A presenter's remote sends PageUp and PageDown, and a button takes one keyboard shortcut
(the walkthrough's Previous and Next take ← and →); and a step should bring the part of
the page it is about into view by itself, where a link would need a click.

``follow_step`` mounts a small ``st.components.v2`` component, with no iframe and no
markup, whose JavaScript (a constant of this module, never a visitor's text) does both:
once per step it scrolls the step's header (its anchor) to the top, below the banner,
and while the walkthrough runs, PageUp/PageDown anywhere outside a text field, slider
or list ask for the previous or next step.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

KEY = "walkthrough_keys"

# Runs in the page itself. `data`: {"step": n, "anchor": "…" or ""}. A header's anchor is
# its element's id; the page draws it after the banner, so the script waits for it.
JS = """
const TAKEN = 'input, textarea, select, [contenteditable="true"], [role="slider"],'
  + ' [role="combobox"], [role="listbox"], [role="tab"]';
const MOVES = { PageDown: "next", PageUp: "previous" };

// The section may appear only after the page has computed (20 s at most), and charts
// above it draw later and push it down: the view follows it for 4 s after it appears,
// until the visitor scrolls or presses a key themselves, or a newer step takes over.
function bringIntoView(anchor) {
  const started = performance.now();
  const mine = (window.labScrolls = (window.labScrolls ?? 0) + 1);  // a newer step's wins
  let left = false;
  let foundAt = null;  // when the section first appeared: a page may compute for a while
  const leave = () => { left = true; };
  const events = ["wheel", "touchmove", "keydown", "mousedown"];
  events.forEach((name) => window.addEventListener(name, leave, { once: true, passive: true }));
  const seek = () => {
    const now = performance.now();
    const over = foundAt ? now - foundAt > 4000 : now - started > 20000;
    if (left || window.labScrolls !== mine || over) {
      events.forEach((name) => window.removeEventListener(name, leave));
      return;
    }
    const target = anchor ? document.getElementById(anchor) : null;
    const banner = document.querySelector(".st-key-walkthrough");
    const holder = banner && banner.parentElement;
    if (target) {
      foundAt = foundAt ?? now;
      const sticky = holder && getComputedStyle(holder).position === "sticky";
      const margin = (sticky ? holder.offsetHeight : 0) + 72;
      if (Math.abs(target.getBoundingClientRect().top - margin) > 4) {
        target.style.scrollMarginTop = margin + "px";
        target.scrollIntoView({ block: "start" });
      }
    } else if (!anchor && banner && now - started < 100) {
      banner.scrollIntoView({ block: "end" });
    }
    requestAnimationFrame(seek);
  };
  seek();
}

export default function ({ data, setTriggerValue }) {
  if (window.labShownStep !== data.step) {
    window.labShownStep = data.step;
    bringIntoView(data.anchor);
  }
  const onKey = (event) => {
    const move = MOVES[event.key];
    if (!move || event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) {
      return;
    }
    if (event.target instanceof Element && event.target.closest(TAKEN)) return;
    event.preventDefault();
    setTriggerValue("move", move);
  };
  window.addEventListener("keydown", onKey);
  return () => window.removeEventListener("keydown", onKey);
}
"""

_keys = st.components.v2.component("lab_step_keys", js=JS)


def follow_step(number: int, anchor: str, go: Callable[[int], None]) -> None:
    """Bring step ``number``'s section (header ``anchor``, or the page's top for "") into
    view once, and call ``go`` with the previous or next step's number on PageUp or
    PageDown."""
    _keys(
        key=KEY,
        data={"step": number, "anchor": anchor},
        height=0,
        on_move_change=lambda: _moved(number, go),
    )


def _moved(number: int, go: Callable[[int], None]) -> None:
    move = st.session_state[KEY].get("move")
    if move in ("next", "previous"):
        go(number + (1 if move == "next" else -1))
