"""How long a page takes to rerun after a control change, at defaults and at maximum.

Run from the project root:  python -m benchmarks.page_reruns [page-file ...]

Every page is driven headless with Streamlit's AppTest through app.py's navigation:
open it (cold: caches empty), change each slider, number input or select slider by
one step from its default (each change is a rerun that may miss the cache, as in real
use), then move every control to its maximum at once and change one control there.
Times are wall-clock medians of the measured reruns on this machine; the targets
(see the dashboard issues) are 300 ms at defaults and 2 s at maximum.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60


def _timed_run(at: AppTest) -> float:
    start = time.perf_counter()
    at.run(timeout=TIMEOUT)
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"the page raised: {at.exception[0].message}")
    return elapsed


def _controls(at: AppTest):
    """The page's enabled numeric and ordinal controls, with a key, in page order."""
    for widget in [*at.slider, *at.number_input, *at.select_slider]:
        if getattr(widget, "key", None) and not widget.disabled:
            yield widget


def _option(widget, label: str):
    """The select slider's option shown as label: AppTest knows options only as shown."""
    current = widget.value
    candidates = [label]
    for convert in (int, float, type(current)):
        with contextlib.suppress(TypeError, ValueError):
            candidates.insert(0, convert(label))
    for candidate in candidates:
        with contextlib.suppress(TypeError, ValueError):
            if str(widget.format_func(candidate)) == label:
                return candidate
    raise ValueError(f"cannot tell which option of {widget.key} is shown as {label!r}")


def _one_step(widget):
    """The value one step away from the current one, staying inside the range."""
    if hasattr(widget, "options") and widget.options:  # select slider
        options = widget.options
        index = options.index(str(widget.format_func(widget.value)))
        return _option(widget, options[index + 1 if index + 1 < len(options) else index - 1])
    step = widget.step or 1
    value = widget.value
    if isinstance(value, (tuple, list)):
        return value
    return value + step if value + step <= widget.max else value - step


def _maximum(widget):
    if hasattr(widget, "options") and widget.options:
        return _option(widget, widget.options[-1])
    return widget.max


def _set(widget, value):
    return widget.set_value(value)


def measure(page: str) -> dict[str, float]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run(timeout=TIMEOUT)
    at.switch_page(page)
    cold = _timed_run(at)
    changes = []
    for widget in list(_controls(at)):
        key = widget.key
        default = widget.value
        _set(widget, _one_step(widget))
        changes.append(_timed_run(at))
        current = next(w for w in _controls(at) if w.key == key)
        _set(current, default)
        _timed_run(at)
    for widget in list(_controls(at)):
        _set(widget, _maximum(widget))
    at_max = _timed_run(at)
    max_changes = []
    for widget in list(_controls(at))[:3]:
        _set(widget, _one_step(widget))
        max_changes.append(_timed_run(at))
    return {
        "open, cold": cold,
        "change, median": statistics.median(changes) if changes else 0.0,
        "change, worst": max(changes) if changes else 0.0,
        "all at max": at_max,
        "change at max, worst": max(max_changes) if max_changes else 0.0,
    }


def main(pages: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    from ui.ideas import IDEAS

    pages = pages or ["pages/home.py", *(idea.path for idea in IDEAS)]
    rows = [(page, measure(page)) for page in pages]
    headers = list(rows[0][1])
    print("Seconds per script run (AppTest, this machine):")
    print(f"{'page':36s}" + "".join(f"{h:>22s}" for h in headers))
    for page, figures in rows:
        print(f"{page:36s}" + "".join(f"{figures[h]:22.3f}" for h in headers))


if __name__ == "__main__":
    main(sys.argv[1:])
