"""The app's entry point and home page, run headless with Streamlit's AppTest."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.ideas import IDEAS


def test_app_opens_on_the_home_page_with_all_six_ideas():
    at = AppTest.from_file("../app.py").run(timeout=30)
    assert not at.exception
    assert at.title[0].value == "Optimization Setup Lab"
    markdown = " ".join(block.value for block in at.markdown)
    for number, idea in enumerate(IDEAS, start=1):
        assert f"{number}. {idea.title}" in markdown


@pytest.mark.parametrize("idea", IDEAS, ids=lambda idea: idea.title)
def test_every_idea_page_opens_from_the_navigation(idea):
    at = AppTest.from_file("../app.py").run(timeout=30)
    at.switch_page(idea.path).run(timeout=60)
    assert not at.exception
    assert at.title[0].value.startswith(idea.title)


@pytest.mark.parametrize("path", ["pages/home.py", *(idea.path for idea in IDEAS)])
def test_every_page_starts_inside_the_apps_navigation(path):
    # Without it, a server's first visit to a deep link runs the page on its own,
    # with Streamlit's folder-based sidebar (ui/entry.py explains).
    source = (Path(__file__).resolve().parents[1] / path).read_text()
    assert "\nrun_inside_app()\n" in source
    assert source.index("run_inside_app()\n") < source.index("st.title(")


BLAS_THREADS = """
import json, sys
from streamlit.testing.v1 import AppTest
if sys.argv[1] == "app":
    assert not AppTest.from_file(sys.argv[2]).run(timeout=60).exception
else:
    import numpy  # noqa: F401  (numpy as any other program loads it)
from threadpoolctl import threadpool_info
print(json.dumps([pool["num_threads"] for pool in threadpool_info()]))
"""


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one core: one thread anyway")
def test_the_app_runs_numpy_on_one_blas_thread_whatever_the_environment_says():
    # As `streamlit run app.py` starts it: no BLAS setting in the environment.
    environment = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}

    def threads(how: str) -> list[int]:
        app = str(Path(__file__).resolve().parents[1] / "app.py")
        done = subprocess.run([sys.executable, "-c", BLAS_THREADS, how, app], env=environment,
                              capture_output=True, text=True, timeout=120, check=True)  # fmt: skip
        return json.loads(done.stdout.splitlines()[-1])

    assert max(threads("numpy alone")) > 1  # what the app would get without its setting
    assert threads("app") and set(threads("app")) == {1}
