"""Every page where a lecture happens, in headless Chromium: the experiment on the first
screen of a laptop, nothing cut off on a phone, and nothing in the way of a screen reader.

- 1440×900: each idea page shows a chart that starts in the top 450 px and ends on the
  first screen (issue: experiment first).
- 390×844: no element wider than the screen, and no formula whose box hides part of it.
- axe-core (from the npm registry, fetched by scripts/fetch_axe.py) finds no serious or
  critical violation from the app, and no table without header text; Streamlit's own
  navigation list is the one exception.
- Every chart carries a description as its alternative text, not just its title.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.fetch_axe import AXE
from tests.browser_helpers import _WATCH_RUNS, exceptions, page_url, save_screenshot, wait_for_app
from ui.ideas import IDEAS

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
HERO_TOP = 450  # px from the page's top: where the first screen's chart must start

# Streamlit's sidebar navigation puts its links' <li> in a <div> inside the <ul> (a bare
# st.navigation app shows the same two violations): markup of Streamlit's, not the app's.
STREAMLIT_NAVIGATION = {"list", "listitem"}
NAVIGATION = '[data-testid="stSidebarNav"]'


def tab_at(browser, viewport: dict, user_agent: str | None = None):
    context = browser.new_context(viewport=viewport, user_agent=user_agent)
    context.add_init_script(_WATCH_RUNS)
    return context.new_page()


def open_page(tab, url: str) -> None:
    tab.goto(url)
    wait_for_app(tab)
    assert exceptions(tab) == [], f"{url} shows an exception"
    # Vega draws a chart after its element mounts: wait until every chart has its SVG.
    tab.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]
                 .every((chart) => chart.querySelector('svg'))""",
        timeout=20_000,
    )


# Elements wider than the screen, and formulas whose box hides part of them (cut off, or
# out of sight in a box that scrolls).
_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const main = document.querySelector('[data-testid=stMain]');
  const wide = [...main.querySelectorAll('*')].filter((element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 1 || box.left < -1)
      && !element.closest('[data-testid=stDataFrame]')  // a grid that scrolls by design
      && !element.closest('[role=tablist]')  // Streamlit's tab strip scrolls sideways too
      && !element.ownerSVGElement  // inside a chart's SVG, which clips it: the SVG counts
      // a slider's own range input, clipped to nothing, reaching past its track near the end
      && !(element.matches('input[type=range]') && element.closest('[data-testid=stSlider]'))
      && !element.closest('.katex-mathml');  // KaTeX's copy for screen readers, clipped
  }).slice(0, 5).map((element) =>
    `${element.tagName}.${element.className} ${Math.round(element.getBoundingClientRect().right)}`);
  // A formula is cut when a piece of it (KaTeX's .base boxes) lies outside what shows it:
  // its element's box, or the display block's own box when that clips or scrolls.
  const cut = [...main.querySelectorAll('.katex-display')].filter((display) => {
    let {left, right} = display.closest('[data-testid=stElementContainer]')
      .getBoundingClientRect();
    if (getComputedStyle(display).overflowX !== 'visible') {
      const own = display.getBoundingClientRect();
      left = Math.max(left, own.left);
      right = Math.min(right, own.right);
    }
    right = Math.min(right, width);
    return [...display.querySelectorAll('.katex-html .base')].some((piece) => {
      const box = piece.getBoundingClientRect();
      return box.right > right + 2 || box.left < left - 2;
    });
  }).map((display) => display.querySelector('.katex-mathml')?.textContent.slice(0, 60));
  return {page: document.documentElement.scrollWidth, width, wide, cut};
}"""


@pytest.mark.parametrize("path", ["pages/home.py", *(idea.path for idea in IDEAS)])
def test_nothing_is_cut_off_on_a_phone(app_url, browser, path):
    tab = tab_at(browser, PHONE)
    try:
        open_page(tab, app_url if path == "pages/home.py" else page_url(app_url, path))
        found = tab.evaluate(_OVERFLOW)
        save_screenshot(tab, f"phone_{Path(path).stem}")
        assert found["page"] <= PHONE["width"], found
        assert found["wide"] == [], found
        assert found["cut"] == [], f"formulas cut off at {PHONE['width']} px: {found['cut']}"
    finally:
        tab.context.close()


PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)

_SIX = """() => {
  const svg = document.querySelector('.st-key-wi_six svg.marks');
  const titles = [...svg.querySelectorAll('text')].filter((t) => / · \\d+%$/.test(t.textContent));
  const rows = new Set(titles.map((t) => Math.round(t.getBoundingClientRect().top)));
  return {scale: svg.getBoundingClientRect().width / Number(svg.getAttribute('width')),
          right: svg.getBoundingClientRect().right, titles: titles.length, rows: rows.size,
          width: document.documentElement.clientWidth};
}"""


@pytest.mark.parametrize(
    ("viewport", "user_agent", "rows", "least"),
    [(PHONE, PHONE_AGENT, 3, 0.9), (PHONE, None, 2, 0.5), (LAPTOP, None, 2, 1.0)],
    ids=["phone", "narrow window", "laptop"],
)
def test_the_six_fit_the_screen_two_to_a_row_on_a_phone(
    app_url, browser, viewport, user_agent, rows, least
):
    """The six are one chart: a phone gets it two cells to a row, drawn nearly full size;
    a narrow window of a laptop's browser gets three to a row, shrunk to fit; a laptop
    three to a row, full size."""
    tab = tab_at(browser, viewport, user_agent)
    try:
        open_page(tab, page_url(app_url, "pages/weight_initialization.py"))
        six = tab.evaluate(_SIX)
        assert six["titles"] == 6 and six["rows"] == rows, six
        assert least <= six["scale"] <= 1.0 + 1e-6 and six["right"] <= six["width"] + 1, six
    finally:
        tab.context.close()


@pytest.mark.parametrize("path", ["pages/home.py", *(idea.path for idea in IDEAS)])
def test_on_a_laptop_the_experiment_comes_first_and_axe_finds_nothing_serious(
    app_url, browser, path
):
    """An idea page's first screen holds a chart; axe finds nothing serious on any page;
    every chart is described (one page load for the three)."""
    tab = tab_at(browser, LAPTOP)
    try:
        open_page(tab, app_url if path == "pages/home.py" else page_url(app_url, path))
        if path != "pages/home.py":
            boxes = tab.evaluate(
                """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].map(
                     (chart) => { const box = chart.getBoundingClientRect();
                                  const y = window.scrollY;
                                  return [box.top + y, box.bottom + y]; })"""
            )
            save_screenshot(tab, f"laptop_{Path(path).stem}", full_page=False)
            assert any(top <= HERO_TOP and bottom <= LAPTOP["height"] for top, bottom in boxes), (
                f"no chart starts in the top {HERO_TOP} px and ends on the first screen: {boxes}"
            )
        tab.add_script_tag(path=str(AXE))
        violations = tab.evaluate(
            """async (navigation) => (await axe.run(document, {resultTypes: ['violations']}))
                 .violations.filter((v) => ['serious', 'critical'].includes(v.impact)
                                           || v.id === 'empty-table-header')
                 .map((v) => ({id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')),
                               inNavigation: v.nodes.every((n) =>
                                 document.querySelector(n.target.join(' '))
                                   ?.closest(navigation))}))""",
            NAVIGATION,
        )
        ours = [
            v for v in violations if not (v["id"] in STREAMLIT_NAVIGATION and v["inNavigation"])
        ]
        assert ours == [], ours
        charts = tab.evaluate(
            """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].map(
                 (chart) => { const title = chart.querySelector('.role-title-text');
                   // Vega labels the chart's own element, the SVG's parent.
                   return {role: chart.getAttribute('role'),
                           label: chart.getAttribute('aria-label') ?? '',
                           title: title?.textContent ?? ''}; })"""
        )
        for chart in charts:
            assert chart["role"] == "graphics-document", chart
            assert len(chart["label"]) > len(chart["title"]) + 10, chart  # more than its title
    finally:
        tab.context.close()
