"""The running app in headless Chromium: pages load and navigate without errors."""

import pytest

from tests.browser_helpers import save_screenshot, wait_for_app
from ui.ideas import IDEAS

pytestmark = pytest.mark.browser


def test_home_page_loads_in_a_real_browser(app_url, page):
    page.goto(app_url)
    wait_for_app(page)
    assert page.get_by_role("heading", name="Optimization Setup Lab").is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    save_screenshot(page, "home")


@pytest.mark.parametrize("idea", IDEAS, ids=lambda idea: idea.path)
def test_sidebar_navigation_opens_each_idea(app_url, page, idea):
    page.goto(app_url)
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_text(idea.title, exact=True).click()
    page.get_by_role("heading", name=idea.title).first.wait_for()
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
