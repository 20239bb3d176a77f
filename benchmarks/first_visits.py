"""First visits on a fresh server: what a lecturer's first click costs after the demo wakes.

For each page, a server of its own is started (`streamlit run serve.py`, as the README's
command, which computes every page's defaults as it starts and then its warm links; it
is waited for until its ``/ready`` says both are done) and a new headless Chromium tab
opens that page first: the time from the request to the end of the page's first run as
the tab sees it (the app's own scripts loaded, the session connected, the run's elements
received). The home page is measured the same way, in the same run, and every page's
time is also given as a multiple of the home page's (the target: at most 2×).

    python -m benchmarks.first_visits            # every page, 3 fresh servers each
    python -m benchmarks.first_visits --script app.py   # without the warm-up, to compare

A second figure per page, "after home", is the same page opened right after the home
page on one fresh server: a lecturer who opens the demo's address and then a page.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from tests.browser_helpers import (
    QUIET_MS,
    ROOT,
    chromium,
    exceptions,
    open_tab,
    streamlit_server,
    wait_for_app,
    wait_until_warm,
)
from ui.ideas import IDEAS

HOME = "home"
WARM_UPS: list[float] = []  # seconds from the server answering to the end of its warm-up


def _visit(browser, url: str, page: str) -> float:
    tab = open_tab(browser)
    try:
        began = time.perf_counter()
        tab.goto(url if page == HOME else f"{url}/{page}")
        wait_for_app(tab, timeout_ms=120_000)
        seconds = time.perf_counter() - began - QUIET_MS / 1000  # the wait's quiet spell
        if exceptions(tab):
            raise SystemExit(f"{page}: the first visit shows an exception")
        return seconds
    finally:
        tab.context.close()


def first_visit(browser, root: Path, script: str, page: str, after_home: bool) -> float:
    """Seconds from the request to the end of the run of ``page``'s first visit on a
    fresh server (after one visit to the home page, when ``after_home``)."""
    with streamlit_server(root, script=script) as url:
        if script == "serve.py":
            WARM_UPS.append(wait_until_warm(url))
        if after_home:
            _visit(browser, url, HOME)
        return _visit(browser, url, page)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="fresh servers per page")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to serve")
    parser.add_argument(
        "--script", default="serve.py", choices=["serve.py", "app.py"], help="what to run"
    )
    args = parser.parse_args()
    pages = [HOME, *(Path(idea.path).stem for idea in IDEAS)]
    alone: dict[str, list[float]] = {page: [] for page in pages}
    after: dict[str, list[float]] = {page: [] for page in pages[1:]}
    began = time.perf_counter()
    with chromium() as browser:
        for _ in range(args.rounds):  # pages interleaved, so a busy spell hits all alike
            for page in pages:
                alone[page].append(first_visit(browser, args.root, args.script, page, False))
                if page != HOME:
                    after[page].append(first_visit(browser, args.root, args.script, page, True))
    home = statistics.median(alone[HOME])
    print(f"First visits on a fresh server (streamlit run {args.script}), median of "
          f"{args.rounds} ({time.perf_counter() - began:.0f} s in all)")  # fmt: skip
    if WARM_UPS:
        print(f"warm-up at server start: median {statistics.median(WARM_UPS):.1f} s "
              "before the warm-up (defaults and warm links) was done")  # fmt: skip
    print(f"{'page':<26}{'first visit':>12}{'× home':>8}{'after home':>12}{'× home':>8}")
    for page in pages:
        first = statistics.median(alone[page])
        line = f"{page:<26}{first:>11.2f}s{first / home:>7.1f}×"
        if page in after:
            then = statistics.median(after[page])
            line += f"{then:>11.2f}s{then / home:>7.1f}×"
        print(line)
    worst = max(statistics.median(alone[page]) for page in pages) / home
    print(f"worst page: {worst:.1f}× the home page's first visit (target: at most 2×)")


if __name__ == "__main__":
    main()
