"""Crafted links in headless Chromium: a link's text is shown back in the notice as typed,
never rendered as a link or an image on the app's own page, wherever on the page it goes
(the refused-settings notice, presentation mode, the walkthrough)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser_helpers import exceptions, notices, wait_for_app

pytestmark = pytest.mark.browser

PAGE = "vanishing_exploding"
# (query string as a browser sends it, a phrase of the notice it must bring)
LINKS = {
    "a Markdown link": ("ve_L=[Log in again](https://evil.example/login)", "could not be used"),
    "a Markdown image": ("ve_a=![t](https://evil.example/p.png)", "could not be used"),
    "a bare address": ("ve_L=https://evil.example/login", "could not be used"),
    "a www address": ("ve_L=www.evil.example", "could not be used"),
    "an HTML image": ("ve_L=<img src=https://evil.example/x.png>", "could not be used"),
    "a link after a blank line": ("ve_L=a\n\n[x](//evil.example)", "could not be used"),
    "a link in backticks": ("ve_L=`` ` [x](//evil.example)", "could not be used"),
    "a link as the key": ("[x](//evil.example)=", "could not be used"),
    "a link repeated": ("ve_L=[x](//evil.example)&ve_L=![t](//evil.example/p.png)", "once"),
    "presentation mode": ("present=[x](//evil.example)", "true or false"),
    "a walkthrough step": ("step=[x](//evil.example)", "walkthrough step"),
}  # fmt: skip


def encoded(query: str) -> str:
    """The query string with each key and value percent-encoded, as a shared link has it."""
    return "&".join(
        "=".join(quote(part, safe="") for part in pair.split("=", 1)) for pair in query.split("&")
    )


@pytest.mark.parametrize("case", LINKS, ids=list(LINKS))
def test_a_links_text_never_becomes_a_link_or_an_image_on_the_page(app_url, page, case):
    query, phrase = LINKS[case]
    page.goto(f"{app_url}/{PAGE}?{encoded(query)}")
    wait_for_app(page)
    assert exceptions(page) == []
    assert any(phrase in notice for notice in notices(page)), notices(page)
    planted = page.evaluate(
        """() => [...document.querySelectorAll('a[href*="evil"], img[src*="evil"]')]
            .map((element) => element.outerHTML)"""
    )
    assert planted == []
    shown = " ".join(page.locator('[data-testid="stAlert"] code').all_inner_texts())
    assert "evil.exam" in shown  # the text is there, as code (cut to 40 characters)


def test_a_lecturers_link_in_presentation_mode_still_names_what_it_refused(app_url, page):
    """app.py draws the presentation toggle before the page, so it is in session state
    from a link's first run: the page's notice must not take that run for a later one."""
    page.goto(f"{app_url}/numerical_gradients?present=true&ng_zoom=7")
    wait_for_app(page)
    assert exceptions(page) == []
    refused = [notice for notice in notices(page) if "could not be used" in notice]
    assert len(refused) == 1 and "ng_zoom='7'" in refused[0], notices(page)
