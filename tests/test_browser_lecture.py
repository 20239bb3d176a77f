"""The app in headless Chromium as a lecturer uses it: the walkthrough from its first step
to its last, presentation mode, and each chart's "Chart data (CSV)" download.

The steps come from panels.walkthrough.STEPS and the fonts from charts.common, never copied.
Screenshots of every step and of presentation mode go to test-artifacts/ (ignored by git).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from charts.common import LABEL_FONT_SIZE, PRESENTATION_SCALE, TITLE_FONT_SIZE
from panels.walkthrough import KEY as STEP
from panels.walkthrough import STEPS
from tests.browser_helpers import (
    Control,
    chart_heights,
    chart_pictures,
    chart_texts,
    charts_by_name,
    control_box,
    controls,
    download,
    exceptions,
    listen_to_server,
    move,
    page_url,
    rerun_after,
    save_screenshot,
    wait_for_app,
    wait_until,
)
from tests.tabs import TABBED
from ui.ideas import IDEAS
from ui.presentation import KEY as PRESENT

pytestmark = pytest.mark.browser

BANNER = "Lecture walkthrough · step"  # the caption at the top of panels.walkthrough's banner


def open_page(tab, url: str) -> None:
    tab.goto(url)
    wait_for_app(tab)
    assert exceptions(tab) == [], f"{url} shows an exception"


def idea_of(path: str):
    return next(idea for idea in IDEAS if idea.path == path)


def query(tab) -> dict[str, list[str]]:
    return parse_qs(urlparse(tab.url).query)


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# ------------------------------------------------------------------ the walkthrough


def banner(tab):
    """The walkthrough's bordered box: the innermost block holding its caption."""
    caption = tab.locator('[data-testid="stCaptionContainer"]').filter(has_text=BANNER)
    return tab.locator('[data-testid="stVerticalBlock"]').filter(has=caption).last


def press(tab, label: str, number: int) -> None:
    """Press the banner's Previous or Next and wait until step `number` is shown: a step on
    another page switches page, a run after the one the click started."""
    # The button shows its keyboard shortcut (← or →) after its label.
    button = banner(tab).get_by_role("button", name=re.compile(rf"\b{label}\b"))
    rerun_after(tab, button.click)
    caption = f"step {number} of {len(STEPS)} ·"
    tab.locator('[data-testid="stCaptionContainer"]').filter(has_text=caption).wait_for()
    wait_for_app(tab)


def assert_shows_step(tab, number: int) -> None:
    step = STEPS[number - 1]
    idea = idea_of(step.page)
    assert exceptions(tab) == [], f"step {number} shows an exception"
    text = plain(banner(tab).inner_text())
    assert f"{BANNER} {number} of {len(STEPS)} · {idea.title}" in text, text
    assert plain(step.moment) in text and plain(step.notice) in text, (number, text)
    url = urlparse(tab.url)
    assert query(tab)[STEP] == [str(number)], tab.url
    assert url.path == f"/{Path(step.page).stem}", tab.url
    assert tab.get_by_role("heading", level=1).all_inner_texts()[:1] == [idea.title]
    current = tab.locator('[data-testid="stSidebarNavLink"][aria-current="page"]')
    assert current.inner_text().splitlines()[-1].strip() == idea.title
    # The controls the step sets are the shown page's own: on it, or in a tab the step
    # leaves closed (a step may put such a control back to its default).
    closed = {key for part in closed_parts(step) for key in part}
    missing = [key for key in step.settings if control_box(tab, key).count() != 1]
    assert not set(missing) - closed, f"step {number}: no control {missing} on {idea.title}"


def closed_parts(step) -> list[tuple[str, ...]]:
    """The controls' keys of each tab of the step's page that the step leaves closed."""
    key, parts = TABBED.get(Path(step.page).stem, (None, {}))
    return [keys for label, keys in parts.items() if step.settings.get(key) != label]


def test_walkthrough_from_the_sidebar_through_every_step_to_the_end(app_url, page):
    """Start it, Next through every step; at each change of page, Previous once and back."""
    open_page(page, app_url)
    start = page.get_by_role("button", name="Start the lecture walkthrough")
    rerun_after(page, start.click)
    page.locator('[data-testid="stCaptionContainer"]').filter(has_text=BANNER).wait_for()
    wait_for_app(page)
    for number in range(1, len(STEPS) + 1):
        assert_shows_step(page, number)
        save_screenshot(page, f"walkthrough_step_{number:02d}")
        if number > 1 and STEPS[number - 1].page != STEPS[number - 2].page:
            press(page, "Previous", number - 1)
            assert_shows_step(page, number - 1)
            press(page, "Next", number)
            assert_shows_step(page, number)
        if number < len(STEPS):
            press(page, "Next", number + 1)
    assert banner(page).get_by_role("button", name="Next").is_disabled()  # the end


def test_a_walkthrough_link_opens_its_step(app_url, page):
    open_page(page, f"{app_url}/?{STEP}=7")
    page.locator('[data-testid="stCaptionContainer"]').filter(has_text=BANNER).wait_for()
    wait_for_app(page)
    assert_shows_step(page, 7)


# ------------------------------------------------------------------ presentation mode

LABEL_PX = (LABEL_FONT_SIZE, round(LABEL_FONT_SIZE * PRESENTATION_SCALE))  # laptop, projector
TITLE_PX = (TITLE_FONT_SIZE, round(TITLE_FONT_SIZE * PRESENTATION_SCALE))
FOLDED = "More settings"  # ui.presentation.secondary's expander


def drawn_fonts(tab) -> list[set[float]]:
    """Per chart, the font sizes of its axis labels, then per chart those of its title."""
    texts = chart_texts(tab)
    return [
        {size for role, _, size in chart if role == part}
        for part in ("axis-label", "title-text")
        for chart in texts
    ]


def expected_fonts(tab, presenting: bool) -> list[set[float]]:
    count = len(chart_pictures(tab))
    return [{LABEL_PX[presenting]}] * count + [{TITLE_PX[presenting]}] * count


def not_enlarged(laptop: list, projector: list) -> list:
    """Texts drawn once in both modes (by part and text) that presentation mode did not
    make larger: legends, and labels that marks draw inside the chart, as well."""
    missed = []
    for small, large in zip(laptop, projector, strict=True):
        once = [
            {(role, text): size for role, text, size in chart if text.strip()}
            for chart in (small, large)
        ]
        counts = [Counter((role, text) for role, text, _ in chart) for chart in (small, large)]
        missed += [
            (part, once[0][part], once[1][part])
            for part in once[0].keys() & once[1].keys()
            if counts[0][part] == counts[1][part] == 1 and once[1][part] <= once[0][part]
        ]
    return missed


def folded_away(tab) -> dict[str, bool]:
    """The controls inside a "More settings" expander, each with whether it is open."""
    inside = {}
    for control in controls(tab):
        box = control_box(tab, control.key)
        expander = box.locator("xpath=ancestor::*[@data-testid='stExpander']")
        if expander.count() and FOLDED in expander.first.inner_text():
            inside[control.key] = box.evaluate("(box) => box.closest('details').open")
    return inside


def presentation_toggle_is_on(tab) -> bool:
    return control_box(tab, PRESENT).locator('input[type="checkbox"]').is_checked()


def test_a_folded_control_still_reruns_its_section_only(app_url, page):
    """On a projector numerical gradients' window control is folded into the sidebar's
    "More settings"; the picture's fragment draws it there (Streamlit 1.67's fragments
    draw into containers outside them), so a move of it redraws the picture alone, as on
    a laptop, and the control stays one control."""
    frames = listen_to_server(page)
    open_page(page, page_url(app_url, "pages/numerical_gradients.py", {PRESENT: "true"}))
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    page.locator('[data-testid="stSidebar"]').get_by_text(FOLDED).click()
    zoom = control_box(page, "ng_zoom")
    before = zoom.locator('[data-testid="stSliderThumbValue"]').inner_text()
    frames.clear()
    thumb = zoom.locator("input[type=range]").first
    rerun_after(page, lambda: (thumb.focus(), thumb.press("ArrowLeft")))
    assert zoom.locator('[data-testid="stSliderThumbValue"]').inner_text() != before
    assert set(charts_by_name(frames)) == {"secants"}
    assert page.locator(".st-key-ng_zoom").count() == 1
    assert exceptions(page) == []


def test_presentation_mode_enlarges_chart_fonts_and_folds_secondary_controls(
    app_url, page, open_tab_in
):
    idea = idea_of("pages/numerical_gradients.py")
    open_page(page, page_url(app_url, idea.path))
    assert wait_until(page, lambda: drawn_fonts(page) == expected_fonts(page, False), 5_000), (
        drawn_fonts(page)
    )
    laptop_texts, laptop_heights = chart_texts(page), chart_heights(page)
    keys = [control.key for control in controls(page)]
    assert folded_away(page) == {}
    assert page.locator('[data-testid="stExpander"]').filter(has_text=FOLDED).count() == 0

    move(page, Control(PRESENT, "toggle", True))
    assert query(page)[PRESENT] == ["true"]
    assert wait_until(page, lambda: drawn_fonts(page) == expected_fonts(page, True), 5_000), (
        drawn_fonts(page)
    )
    assert not_enlarged(laptop_texts, chart_texts(page)) == []
    heights = chart_heights(page)
    assert all(tall > short for short, tall in zip(laptop_heights, heights, strict=True))
    secondary = folded_away(page)
    assert secondary and not any(secondary.values()), secondary  # inside, and closed
    assert not any(control_box(page, key).is_visible() for key in secondary)
    assert sorted(control.key for control in controls(page)) == sorted(keys)  # folded
    save_screenshot(page, f"presenting_{Path(idea.path).stem}")

    # A lecturer's link, in a new session, and the walkthrough keeping the mode across pages.
    elsewhere = open_tab_in()
    first, second = next(
        (number, number + 1)
        for number in range(1, len(STEPS))
        if STEPS[number - 1].page == idea.path and STEPS[number].page != idea.path
    )
    open_page(elsewhere, page_url(app_url, idea.path, {PRESENT: "true", STEP: str(first)}))
    assert presentation_toggle_is_on(elsewhere)
    press(elsewhere, "Next", second)
    assert_shows_step(elsewhere, second)
    assert query(elsewhere)[PRESENT] == ["true"] and presentation_toggle_is_on(elsewhere)
    assert wait_until(
        elsewhere, lambda: drawn_fonts(elsewhere) == expected_fonts(elsewhere, True), 5_000
    ), drawn_fonts(elsewhere)
    assert folded_away(elsewhere) and not any(folded_away(elsewhere).values())
    save_screenshot(elsewhere, f"presenting_{Path(STEPS[second - 1].page).stem}")


# ------------------------------------------------------------------ CSV downloads


def as_csv_reads_it(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as it comes back from a CSV file: the same text round trip as the download."""
    return pd.read_csv(io.StringIO(frame.to_csv(index=False)))


@pytest.mark.parametrize("stem", ["vanishing_exploding", "numerical_gradients"])
def test_the_pages_download_holds_the_tables_every_chart_draws(app_url, page, stem):
    """The page's one download is a zip of a CSV per chart, named as ui.charts.show names
    it; each holds, part by part (its chart_part column), the tables the browser received
    to draw that chart: same columns, same rows, same values."""
    idea = next(idea for idea in IDEAS if Path(idea.path).stem == stem)
    frames = listen_to_server(page)
    open_page(page, page_url(app_url, idea.path))
    drawn = charts_by_name(frames)
    assert len(drawn) == len(chart_pictures(page)) > 0, list(drawn)
    with zipfile.ZipFile(download(page, "page_data")) as archive:
        assert sorted(archive.namelist()) == sorted(f"{name}.csv" for name in drawn)
        for name, tables in drawn.items():
            csv = pd.read_csv(archive.open(f"{name}.csv"))
            distinct = []  # a table drawn by several layers is sent once per layer
            for table in map(as_csv_reads_it, tables):
                if not any(table.equals(other) for other in distinct):
                    distinct.append(table)
            assert set(csv.columns) - {"chart_part"} == set().union(*(t.columns for t in distinct))
            assert len(csv) == sum(len(table) for table in distinct), name
            parts = [part for _, part in csv.groupby("chart_part", sort=False)]
            assert len(parts) == len(distinct), name
            for part, table in zip(parts, distinct, strict=True):
                written = as_csv_reads_it(part[table.columns])  # other parts' columns dropped
                pd.testing.assert_frame_equal(
                    written, table, check_dtype=False, check_exact=False, rtol=1e-12
                )


def test_arrow_keys_move_between_steps_but_not_while_a_slider_has_the_focus(app_url, page):
    number = next(n for n, step in enumerate(STEPS, 1) if "ve_L" in step.settings)
    open_page(page, page_url(app_url, STEPS[number - 1].page, {STEP: str(number)}))

    def at_step(wanted: int) -> bool:
        return wait_until(page, lambda: query(page).get(STEP) == [str(wanted)], 15_000)

    page.keyboard.press("ArrowRight")
    assert at_step(number + 1)
    wait_for_app(page)
    page.keyboard.press("ArrowLeft")
    assert at_step(number)
    wait_for_app(page)
    thumb = control_box(page, "ve_L").get_by_role("slider").first
    before = thumb.input_value()
    rerun_after(page, lambda: (thumb.focus(), thumb.press("ArrowRight")))
    assert thumb.input_value() != before  # the slider moved…
    assert query(page).get(STEP) == [str(number)]  # …and the step stayed


# The first step with a section on each page that has one.
SECTION_STEPS = list(
    {step.page: n for n, step in reversed(list(enumerate(STEPS, 1))) if step.section}.values()
)


@pytest.mark.parametrize("number", SECTION_STEPS, ids=str)
def test_a_step_brings_its_section_into_view_under_the_banner(app_url, page, number):
    """No click: the step's header is on screen, below the banner, which stays in sight."""
    step = STEPS[number - 1]
    open_page(page, page_url(app_url, step.page, {STEP: str(number)}))
    header = page.locator(f"[id='{step.section}']")
    height = page.viewport_size["height"]

    def in_view() -> bool:
        box = header.bounding_box()
        return box is not None and 0 <= box["y"] < height * 0.6

    assert wait_until(page, in_view, 25_000), header.bounding_box()  # a page may train first
    shown = banner(page).bounding_box()
    assert shown["y"] >= 0 and shown["y"] + shown["height"] <= header.bounding_box()["y"]


def test_page_down_and_page_up_move_between_steps_as_a_presenters_remote_does(app_url, page):
    number = 2
    open_page(page, page_url(app_url, STEPS[number - 1].page, {STEP: str(number)}))

    def at_step(wanted: int) -> bool:
        return wait_until(page, lambda: query(page).get(STEP) == [str(wanted)], 15_000)

    page.keyboard.press("PageDown")
    assert at_step(number + 1)
    wait_for_app(page)
    page.keyboard.press("PageUp")
    assert at_step(number)


def test_presentation_mode_enlarges_every_text_and_folds_the_sidebar(app_url, browser):
    """At 1920×1080 with ?present=true: body text of 20 px or more, every other text as
    much larger as the body, and the sidebar folded so the page has the whole width."""

    def measured(present: bool) -> dict[str, float]:
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        tab = context.new_page()
        try:
            query = {PRESENT: "true"} if present else {}
            open_page(tab, page_url(app_url, "pages/gradient_checking.py", query))
            sizes = tab.evaluate(
                """() => {
                  const main = document.querySelector('[data-testid=stMain]');
                  const px = (selector) => parseFloat(getComputedStyle(
                    main.querySelector(selector)).fontSize);
                  return {body: px('[data-testid=stMarkdownContainer] p'),
                          caption: px('[data-testid=stCaptionContainer]'),
                          metric: px('[data-testid=stMetricValue]'),
                          table: px('td')};
                }"""
            )
            sidebar = tab.locator('[data-testid="stSidebar"]').bounding_box()
            sizes["sidebar shown"] = max(0.0, sidebar["x"] + sidebar["width"])
            return sizes
        finally:
            context.close()

    laptop, projector = measured(False), measured(True)
    assert projector["body"] >= 20 > laptop["body"]
    for text in ("caption", "metric", "table"):
        assert projector[text] >= 1.2 * laptop[text], text
    assert laptop["sidebar shown"] > 0 and projector["sidebar shown"] == 0


@pytest.mark.parametrize("present", [False, True], ids=["laptop", "projector"])
def test_no_chart_text_is_cut_short(app_url, browser, present):
    """Vega ends a label that passes its limit with "…": no legend or axis of the pages
    whose legends hold the longest labels may lose its end, on a laptop or a projector."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    tab = context.new_page()
    try:
        for path in ("pages/vanishing_exploding.py", "pages/gradient_checking.py"):
            open_page(tab, page_url(app_url, path, {PRESENT: "true"} if present else None))
            wait_until(tab, lambda: len(chart_texts(tab)) > 0, 5_000)
            cut = [text for texts in chart_texts(tab) for _, text, _ in texts if text.endswith("…")]
            assert cut == [], (path, cut)
    finally:
        context.close()
