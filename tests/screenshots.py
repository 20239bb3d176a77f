"""The README's screenshots: the first screen of a page as a visitor sees it, in docs/.

Run from the project root after changing a page (it starts its own server and headless
Chromium, as the browser tests do, and stops them afterwards):

    python -m tests.screenshots                  # the pages below
    python -m tests.screenshots weight_initialization home   # any page, by its file name
"""

from __future__ import annotations

import sys

from tests.browser_helpers import (
    ROOT,
    chromium,
    exceptions,
    open_tab,
    save_screenshot,
    streamlit_server,
    wait_for_app,
)

DOCS = ROOT / "docs"
PAGES = ("home", "vanishing_exploding", "numerical_gradients")


def main(pages: list[str]) -> None:
    with streamlit_server() as app_url, chromium() as browser:
        for name in pages:
            tab = open_tab(browser)
            tab.goto(app_url if name == "home" else f"{app_url}/{name}")
            wait_for_app(tab)
            if exceptions(tab):
                raise SystemExit(f"{name} shows an exception; no screenshot written")
            path = save_screenshot(tab, name, DOCS, full_page=False)
            print(path.relative_to(ROOT))
            tab.context.close()


if __name__ == "__main__":
    main(sys.argv[1:] or list(PAGES))
