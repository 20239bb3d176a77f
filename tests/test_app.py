"""The app's entry point and home page, run headless with Streamlit's AppTest."""

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
