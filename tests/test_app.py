"""The app's entry point and home page, run headless with Streamlit's AppTest."""

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
