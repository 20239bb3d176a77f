"""Fixtures for the real-browser tests: a Streamlit server and headless Chromium."""

from __future__ import annotations

import pytest

from tests.browser_helpers import chromium, open_tab, streamlit_server


@pytest.fixture(scope="session")
def app_url():
    """`streamlit run app.py` on a free localhost port, shared by a worker's tests."""
    with streamlit_server() as url:
        yield url


@pytest.fixture
def fresh_app_url():
    """A server of the test's own, for what can only happen on a server's first visit."""
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser):
    """A tab in a fresh context: its own Streamlit session, run-counting installed."""
    tab = open_tab(browser)
    yield tab
    tab.context.close()


@pytest.fixture
def open_tab_in(browser):
    """Further tabs, each with its own session (a link opened elsewhere); closed after."""
    tabs = []

    def opener():
        tabs.append(open_tab(browser))
        return tabs[-1]

    yield opener
    for tab in tabs:
        tab.context.close()
