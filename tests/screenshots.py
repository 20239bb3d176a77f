"""The README's screenshots: the first screen of a page at 1440×900 as a visitor sees it,
in docs/.

Run from the project root after changing a page (it starts its own server and headless
Chromium, as the browser tests do, and stops them afterwards):

    python -m tests.screenshots                  # the pages below
    python -m tests.screenshots weight_initialization home   # any page, by its file name
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.browser_helpers import (
    _WATCH_RUNS,
    ROOT,
    chromium,
    exceptions,
    save_screenshot,
    streamlit_server,
    wait_for_app,
)
from ui.ideas import IDEAS

DOCS = ROOT / "docs"
PAGES = tuple(Path(idea.path).stem for idea in IDEAS)  # every idea page, as the README shows


def main(pages: list[str]) -> None:
    with streamlit_server() as app_url, chromium() as browser:
        for name in pages:
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            context.add_init_script(_WATCH_RUNS)
            tab = context.new_page()
            tab.goto(app_url if name == "home" else f"{app_url}/{name}")
            wait_for_app(tab)
            tab.wait_for_timeout(3000)  # a page that trains over several runs, then charts
            wait_for_app(tab)
            if exceptions(tab):
                raise SystemExit(f"{name} shows an exception; no screenshot written")
            path = save_screenshot(tab, name, DOCS, full_page=False)
            print(path.relative_to(ROOT))
            tab.context.close()


if __name__ == "__main__":
    main(sys.argv[1:] or list(PAGES))
