"""Students pressing ▶: the server's CPU while their tabs play the pages' motion.

The motion (charts/motion.py) plays in Vega, in each visitor's browser, so pressing ▶
must cost the server nothing. This opens ``--tabs`` Chromium tabs on the pages with a
▶ (spread over them), lets them settle, then measures the server's CPU (its process and
its workers, from /proc) and the script runs the tabs start, side by side in one run:

1. for ``--seconds`` with every tab open and idle;
2. for ``--seconds`` right after every ▶ in every tab is pressed.

    python -m benchmarks.play_load                 # 10 tabs, 15 s each phase
    python -m benchmarks.play_load --tabs 20 --seconds 30
"""

from __future__ import annotations

import argparse
import os
import time

from benchmarks.load_sessions import _cpu_seconds, _listening_server
from charts.motion import PLAY_LABEL
from tests.browser_helpers import (
    _WATCH_RUNS,
    chromium,
    page_url,
    streamlit_server,
    wait_for_app,
)

PAGES = ("pages/normalizing_inputs.py", "pages/weight_initialization.py")

# Every ▶ checkbox Vega bound on the page (a bound input's label holds PLAY_LABEL).
_PLAY_ALL = """(label) => {
  const boxes = [...document.querySelectorAll('.vega-bind')]
    .filter((bind) => bind.textContent.includes(label))
    .map((bind) => bind.querySelector('input[type=checkbox]'));
  boxes.forEach((box) => { if (!box.checked) box.click(); });
  return boxes.length;
}"""


def _server_cpu(pids: list[int]) -> float:
    own, workers = _cpu_seconds(pids)
    return own + workers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tabs", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=15.0, help="each phase")
    args = parser.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # the server inherits it
    with streamlit_server() as url, chromium() as browser:
        pids = _listening_server(int(url.rsplit(":", 1)[1]))
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        context.add_init_script(_WATCH_RUNS)
        tabs = []
        for number in range(args.tabs):
            tab = context.new_page()
            tab.goto(page_url(url, PAGES[number % len(PAGES)]))
            wait_for_app(tab, timeout_ms=120_000)
            tabs.append(tab)
        time.sleep(2)  # every chart drawn, no run under way

        def measure() -> tuple[float, int]:
            runs = sum(tab.evaluate("window.__scriptRuns.started") for tab in tabs)
            cpu = _server_cpu(pids)
            time.sleep(args.seconds)
            runs = sum(tab.evaluate("window.__scriptRuns.started") for tab in tabs) - runs
            return _server_cpu(pids) - cpu, runs

        idle_cpu, idle_runs = measure()
        pressed = sum(tab.evaluate(_PLAY_ALL, PLAY_LABEL) for tab in tabs)
        if pressed == 0:
            raise SystemExit(f"no {PLAY_LABEL!r} control found on {', '.join(PAGES)}")
        play_cpu, play_runs = measure()
        context.close()
    print(f"{args.tabs} tabs on {', '.join(PAGES)}; {args.seconds:g} s per phase, one run")
    print(f"{'':<34}{'server CPU':>12}{'script runs':>13}")
    print(f"{'idle, every tab open':<34}{idle_cpu:>11.2f}s{idle_runs:>13}")
    print(f"{f'{pressed} ▶ pressed, playing':<34}{play_cpu:>11.2f}s{play_runs:>13}")
    print(f"server CPU while playing: {play_cpu - idle_cpu:+.2f} s against idle")


if __name__ == "__main__":
    main()
