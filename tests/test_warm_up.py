"""serve.py: every page is opened once at its defaults as the server starts, and /ready
says when that is done."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from benchmarks.load_sessions import _family, _listening_pid
from panels import weight_initialization
from serving.warm_up import HOME, links, pages, visit
from tests.browser_helpers import streamlit_server
from ui.entry import pages as navigation_pages
from ui.ideas import IDEAS


def test_the_warm_up_visits_home_and_every_idea_page_in_the_navigation():
    assert pages() == [HOME, *(Path(idea.path).stem for idea in IDEAS)]
    assert len(pages()) == len(navigation_pages())


def test_the_warm_links_are_every_other_alpha_and_v_as_their_sliders_write_them():
    page = "weight_initialization"
    rates = [f"wi_lr={rate:g}" for rate in weight_initialization.RATES]
    multipliers = [f"wi_v={v:g}" for v in weight_initialization.MULTIPLIERS]
    assert links() == [(page, query) for query in rates + multipliers if query not in
                       ("wi_lr=0.01", "wi_v=1")]  # fmt: skip


def ready(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{url}/ready", timeout=5) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused)


@pytest.mark.browser  # a server of its own, as the browser tests start
def test_ready_answers_503_while_warming_and_200_once_every_page_ran():
    with streamlit_server(script="serve.py") as url:
        answers = [ready(url)]
        deadline = time.monotonic() + 240
        while answers[-1][0] != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
            answers.append(ready(url))
        assert answers[-1][0] == 200 and answers[-1][1]["warm"], answers[-1]
        # Every page's run takes long enough that the first answer comes before the end.
        assert answers[0] == (503, {"warm": False, "links": False}), answers[0]
        while not answers[-1][1]["links"] and time.monotonic() < deadline:
            time.sleep(0.2)
            answers.append(ready(url))
        assert answers[-1] == (200, {"warm": True, "links": True}), answers[-1]
        # A warm link's six trainings are cached: its visit runs once, not cut short to
        # train; the same link from another seed has to train, and is.
        base = url.removeprefix("http://")
        assert visit(base, "weight_initialization", "wi_lr=0.03") == 0
        assert visit(base, "weight_initialization", "wi_lr=0.03&wi_seed=7") >= 1
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as health:
            assert health.status == 200
        server = _listening_pid(int(url.rsplit(":", 1)[1]))
        started = set(_family([server])) - {server}  # its worker processes, warmed up
        assert started
    # Stopped, the server takes them along: an st.App's workers would otherwise outlive it.
    deadline = time.monotonic() + 10
    while (left := [pid for pid in started if Path(f"/proc/{pid}").exists()]) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.2)
    assert not left, f"worker processes left behind: {left}"
