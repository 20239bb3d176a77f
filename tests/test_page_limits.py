"""Every page of the lecture (ui.ideas.IDEAS) with every slider, number input and select
slider at its maximum: one rerun finishes in time, stays within the memory budget and
shows no exception. Run with -s to see the figures.

The product's targets are 2 s and 200 MB per request. The time asserted is the CPU time
the rerun costs this process, under 4 s: the tests share a two-core machine with other
work, which can stretch wall time several-fold (the wall time is printed beside it).
Caches are cleared before each measured run, so the page computes everything at
maximum, as a first visitor would.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path
from typing import NamedTuple

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from benchmarks.page_reruns import _controls, _maximum
from ui.ideas import IDEAS

ROOT = Path(__file__).resolve().parents[1]
SECONDS = 4.0
MEGABYTES = 200


class Timing(NamedTuple):
    cpu: float  # seconds of CPU used by this process (the script runs in a thread of it)
    wall: float


def run(at: AppTest) -> Timing:
    """Rerun the page with empty caches; the time it took."""
    st.cache_data.clear()
    cpu, wall = time.process_time(), time.perf_counter()
    at.run()
    timing = Timing(time.process_time() - cpu, time.perf_counter() - wall)
    assert not at.exception, at.exception[0].message
    return timing


def all_at_maximum(at: AppTest) -> list[str]:
    """Move every numeric control to its maximum; the keys of those that were not there.

    Every control must be bounded: an unbounded input would let a link ask for any size.
    """
    moved = []
    for widget in _controls(at):
        assert _maximum(widget) is not None, f"{widget.key} has no maximum"
        if widget.value != _maximum(widget):
            widget.set_value(_maximum(widget))
            moved.append(widget.key)
    return moved


@pytest.mark.parametrize("idea", IDEAS, ids=[Path(idea.path).stem for idea in IDEAS])
def test_page_at_maximum_settings_reruns_in_time_and_memory(idea):
    at = AppTest.from_file(str(ROOT / idea.path), default_timeout=60)
    at.run()  # at defaults: imports and first-visit work are not what is measured
    assert not at.exception, at.exception[0].message
    moved = all_at_maximum(at)
    timing = run(at)
    # A control may only appear at some setting (a fragment, a mode): move it too.
    for _ in range(3):
        newly_moved = all_at_maximum(at)
        if not newly_moved:
            break
        moved += newly_moved
        timing = run(at)
    assert not all_at_maximum(at), "controls keep appearing"
    tracemalloc.start()
    try:
        run(at)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    megabytes = peak / 2**20
    print(
        f"\n{idea.path}: {len(moved)} controls at maximum ({', '.join(moved) or 'none'}); "
        f"one rerun {timing.cpu:.2f} s of CPU, {timing.wall:.2f} s of wall time (target 2 s); "
        f"peak traced memory {megabytes:.0f} MB"
    )
    assert timing.cpu < SECONDS
    assert megabytes < MEGABYTES
