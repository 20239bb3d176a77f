"""Helpers for the real-browser tests (the fixtures are in conftest.py)."""

from __future__ import annotations

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def wait_for_app(tab, timeout_ms: int = 30_000) -> None:
    """Wait until Streamlit is connected and its script run has finished.

    The same attributes Streamlit's own end-to-end tests wait on: the app root's
    connection state and script state, never a fixed sleep.
    """
    tab.wait_for_selector(
        '[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=timeout_ms
    )
    tab.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms
    )


def save_screenshot(tab, name: str) -> Path:
    """Write a full-page screenshot to test-artifacts/ (ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path
