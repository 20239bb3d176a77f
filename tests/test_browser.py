"""The running app in headless Chromium, page by page as a visitor meets it.

Every page in ui.ideas.IDEAS is covered without naming its controls: the tests find
the keyed sliders and choice controls on the page, move them with keyboard and mouse,
and read what the page shows. A new page is tested as soon as it is listed in IDEAS.
Screenshots of every page at its defaults go to test-artifacts/ (ignored by git).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.browser_helpers import (
    _WATCH_RUNS,
    Control,
    chart_pictures,
    charts_by_name,
    controls,
    exceptions,
    listen_to_server,
    move,
    notices,
    open_tab,
    page_url,
    rerun_after,
    save_screenshot,
    sent_elements,
    shown_numbers,
    streamlit_server,
    value_of,
    values,
    wait_for_app,
    wait_until,
)
from ui.ideas import IDEAS

pytestmark = pytest.mark.browser

REFUSED = "could not be used"  # ui.links.SharedLink's notice
# A "select" in the sense, most specific first: a page's select boxes and
# segmented controls, then radio groups and toggles for a page that has neither.
CHOICES = ("selectbox", "segmented", "radio", "toggle", "tabs")


def by_idea(idea) -> str:
    return Path(idea.path).stem


def open_page(tab, url: str) -> None:
    tab.goto(url)
    wait_for_app(tab)
    assert exceptions(tab) == [], f"{url} shows an exception"


def movable(tab, skip: set[str]) -> list[Control]:
    return [control for control in controls(tab) if control.enabled and control.key not in skip]


def sliders(tab, skip: set[str] = frozenset()) -> list[Control]:
    return [control for control in movable(tab, skip) if control.kind == "slider"]


def choices(tab, skip: set[str] = frozenset()) -> list[Control]:
    found = movable(tab, skip)
    return [control for kind in CHOICES for control in found if control.kind == kind]


def move_until_numbers_and_a_chart_change(tab, candidates: list[Control]) -> Control:
    """Move the candidates one at a time until one changes a shown number and a chart.

    A move that swaps controls in or out (a data source switched to upload, say) is
    undone by reopening the page as it was: the others' settings must stay in the link.
    """
    assert candidates, "the page has no such control"
    tried = []
    for control in candidates:
        numbers, pictures, url = shown_numbers(tab), chart_pictures(tab), tab.url
        keys = [other.key for other in controls(tab)]
        move(tab, control)
        assert exceptions(tab) == [], f"moving {control.key} raised"
        # Tabs show other controls by design; any other control that does is undone.
        if control.kind != "tabs" and [other.key for other in controls(tab)] != keys:
            tried.append(f"{control.key}: changed the page's controls")
            open_page(tab, url)
            continue
        # Vega draws a new spec asynchronously, a moment after the run has finished.
        chart_changed = wait_until(tab, lambda p=pictures: chart_pictures(tab) != p, 5_000)
        numbers_changed = shown_numbers(tab) != numbers
        if chart_changed and numbers_changed:
            return control
        tried.append(f"{control.key}: numbers {numbers_changed}, chart {chart_changed}")
    pytest.fail("no control changed both a number and a chart: " + "; ".join(tried))


@pytest.fixture(scope="session")
def app_wide_keys(app_url, browser) -> set[str]:
    """Controls app.py puts on every page (presentation mode, say), found on the home
    page: the page tests move the page's own controls."""
    tab = open_tab(browser)
    try:
        open_page(tab, app_url)
        return {control.key for control in controls(tab)}
    finally:
        tab.context.close()


def test_home_page_loads_in_a_real_browser(app_url, page):
    open_page(page, app_url)
    assert page.get_by_role("heading", name="Optimization Setup Lab").is_visible()
    save_screenshot(page, "home")


def test_sidebar_navigation_opens_every_idea_in_turn(app_url, page):
    open_page(page, app_url)
    navigation = page.locator('[data-testid="stSidebarNav"]')
    for idea in IDEAS:
        link = navigation.get_by_text(idea.title, exact=True)
        rerun_after(page, link.click)
        assert page.get_by_role("heading", name=idea.title).first.is_visible(), idea.title
        assert exceptions(page) == [], idea.title
        assert page.url == page_url(app_url, idea.path)


@pytest.mark.parametrize("idea", IDEAS, ids=by_idea)
def test_page_opens_at_defaults_and_a_garbage_link_gives_defaults_and_a_notice(
    app_url, page, app_wide_keys, idea
):
    open_page(page, page_url(app_url, idea.path))
    assert page.get_by_role("heading", name=idea.title).first.is_visible()
    pictures = chart_pictures(page)
    assert pictures and all(
        "<path" in picture or picture.startswith("data:") for picture in pictures
    )
    assert REFUSED not in " ".join(notices(page))
    save_screenshot(page, by_idea(idea))
    defaults = values(page)
    own = sliders(page, app_wide_keys)[:1] + choices(page, app_wide_keys)[:1]
    garbage = {control.key: "banana" for control in own}
    assert len(garbage) == 2, f"a slider and a choice control expected, found {defaults}"

    open_page(page, page_url(app_url, idea.path, garbage))
    assert values(page) == defaults
    notice = " ".join(notices(page))
    assert REFUSED in notice
    assert all(f"{key}='banana'" in notice for key in garbage), notice


@pytest.mark.parametrize("idea", IDEAS, ids=by_idea)
def test_a_slider_and_a_choice_change_numbers_and_a_chart_and_the_link_reopens_them(
    app_url, page, open_tab_in, app_wide_keys, idea
):
    open_page(page, page_url(app_url, idea.path))
    moved = [
        move_until_numbers_and_a_chart_change(page, sliders(page, app_wide_keys)),
        move_until_numbers_and_a_chart_change(page, choices(page, app_wide_keys)),
    ]
    settings, numbers = values(page), shown_numbers(page)
    link = page.url
    # Every moved control still shown is in the link (a tab shows its own controls only).
    shown = {control.key for control in controls(page)}
    assert all(f"{control.key}=" in link for control in moved if control.key in shown), link

    elsewhere = open_tab_in()  # a new session, as when the link is shared
    open_page(elsewhere, link)
    assert values(elsewhere) == settings
    assert shown_numbers(elsewhere) == numbers
    assert REFUSED not in " ".join(notices(elsewhere))


def test_weight_initializations_iterations_redraw_the_training_up_close_not_the_six(app_url, page):
    """The six run the course's 15,000 steps (their ▶ plays them); the iterations slider
    is the training up close's, in the page's fragment. A move of it sends that part's
    two charts and none of the six."""
    frames = listen_to_server(page)
    open_page(page, page_url(app_url, "pages/weight_initialization.py"))
    up_close = page.get_by_test_id("stMetric").nth(2).inner_text()  # J at the end
    frames.clear()
    thumb = page.locator(".st-key-wi_iter input[type=range]").first
    rerun_after(page, lambda: (thumb.focus(), thumb.press("ArrowLeft")))
    assert value_of(page, "wi_iter") == "14900"
    assert set(charts_by_name(frames)) == {"cost_curve", "decision_boundary"}
    assert page.get_by_test_id("stMetric").nth(2).inner_text() != up_close
    assert exceptions(page) == []


def test_gradient_checkings_epsilon_redraws_the_check_not_its_settings(app_url, page):
    """ε (and the precision) rerun the part of the page that follows them: the verdict,
    the five charts and the sections under them. The planted bug, the network and how the
    check runs, the headings and the cost meter stay as they are, so a move of ε sends
    none of their elements."""
    frames = listen_to_server(page)
    open_page(page, page_url(app_url, "pages/gradient_checking.py"))
    verdict = page.get_by_test_id("stCaptionContainer").first.inner_text()
    frames.clear()
    thumb = page.locator(".st-key-gc_eps input[type=range]").first
    rerun_after(page, lambda: (thumb.focus(), thumb.press("ArrowLeft")))
    assert value_of(page, "gc_eps") == "3e-6"
    assert set(charts_by_name(frames)) == {
        "verdict", "per_block", "theta", "coordinates", "epsilon_sweep"
    }  # fmt: skip
    sent = sent_elements(frames)
    settings = {"gc_bug", "gc_case", "gc_data", "gc_hidden", "gc_act", "gc_init", "gc_seed",
                "gc_lambda", "gc_keep", "gc_cost", "gc_mode", "gc_k"}  # fmt: skip
    assert not [kind for kind, key in sent if key in settings]
    assert ("slider", "gc_eps") in sent
    assert not [kind for kind, _ in sent if kind in ("heading", "metric")]
    assert page.get_by_test_id("stCaptionContainer").first.inner_text() != verdict
    assert exceptions(page) == []


def test_weight_initializations_six_are_one_chart_whose_play_plays_them_together(app_url, page):
    """The six cells are one Vega view (one clock, one ▶): its play moves every cell's
    counter in step, and each ends at the course's 15,000."""
    open_page(page, page_url(app_url, "pages/weight_initialization.py"))
    six = page.locator(".st-key-wi_six [data-testid='stVegaLiteChart']")
    assert six.count() == 1 and six.locator("svg.marks").count() == 1

    def counters() -> list[str]:
        texts = six.locator("svg.marks text").all_text_contents()
        return [text for text in texts if text.startswith("step ")]

    end = ["step 15,000 of 15,000"] * 6
    assert counters() == end
    six.get_by_label("▶ play").check()
    assert wait_until(page, lambda: (shown := counters()) != end and len(set(shown)) == 1)
    assert wait_until(page, lambda: counters() == end, 6_000)  # 16 frames at 6 a second
    assert exceptions(page) == []


@pytest.mark.parametrize("idea", IDEAS, ids=by_idea)
def test_first_visit_to_a_page_link_gets_the_apps_navigation_and_wide_layout(
    fresh_app_url, page, idea
):
    """The first request a new server gets is a deep link (a lecturer's link that wakes
    the hosted demo): the page must still run inside app.py, not on its own under
    Streamlit's automatic pages/ navigation, which lists file names in a narrow layout."""
    open_page(page, page_url(fresh_app_url, idea.path))
    navigation = page.locator('[data-testid="stSidebarNav"]')
    section = navigation.locator('[data-testid="stNavSectionHeader"]')
    section.filter(has_text="The six ideas").wait_for()  # after the page's rerun, if any
    wait_for_app(page)
    links = navigation.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()
    titles = [text.splitlines()[-1].strip() for text in links]  # after the icon's name
    assert titles == ["Home", *(other.title for other in IDEAS)]
    assert page.get_by_role("heading", name=idea.title).first.is_visible()
    main = page.locator('[data-testid="stMain"]').bounding_box()
    block = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
    # The centered layout caps the content at 46rem (736 px); the wide one fills stMain.
    assert block["width"] > main["width"] - 2, (block, main)
    save_screenshot(page, f"first_visit_{by_idea(idea)}", full_page=False)


CANARY_APP = """
import streamlit as st
pages = [st.Page("pages/home.py", default=True), st.Page("pages/other.py")]
page = st.navigation(pages)
st.sidebar.write("navigation of app.py")
page.run()
"""


def test_streamlit_still_runs_a_first_deep_link_without_the_entry_point(tmp_path, page):
    """Why every page starts with ui.entry.run_inside_app: on a fresh server, Streamlit
    runs a deep link's file from pages/ on its own, without the entry point's
    st.navigation (streamlit/streamlit#10276). When this test fails, Streamlit has
    changed: the first visit then goes through app.py by itself, and run_inside_app
    can go."""
    (tmp_path / "pages").mkdir()
    (tmp_path / "app.py").write_text(CANARY_APP)
    (tmp_path / "pages" / "home.py").write_text("import streamlit as st\nst.write('home')\n")
    (tmp_path / "pages" / "other.py").write_text("import streamlit as st\nst.write('deep')\n")
    with streamlit_server(tmp_path) as url:
        page.goto(f"{url}/other")
        wait_for_app(page)
        page.get_by_text("deep", exact=True).wait_for()  # the page ran
        assert page.get_by_text("navigation of app.py").count() == 0


def _worker_pids(server_port: int) -> list[int]:
    """The pids of the worker processes (workers/) of the server on ``server_port``."""
    commands = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            commands[int(entry.name)] = (int(stat[1]), command)  # (parent, command line)
    server = next(pid for pid, (_, cmd) in commands.items() if f"port {server_port}" in cmd)
    return [pid for pid, (parent, cmd) in commands.items() if parent == server and "loky" in cmd]


def test_a_worker_killed_while_three_visitors_wait_leaves_every_page_working(
    fresh_app_url, open_tab_in
):
    """kill -9 of a worker process while three visitors' trainings run: each page still
    finishes within 30 s without an exception, and a later visitor is served."""
    port = int(fresh_app_url.rsplit(":", 1)[1])
    path = "pages/weight_initialization.py"
    visitors = [open_tab_in() for _ in range(3)]
    for seed, tab in enumerate(visitors, start=700):
        tab.goto(page_url(fresh_app_url, path, {"wi_seed": str(seed)}), wait_until="commit")
    deadline = time.monotonic() + 30
    while not (pids := _worker_pids(port)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pids, "no worker process started"
    time.sleep(0.3)  # their trainings under way
    os.kill(pids[0], signal.SIGKILL)
    for tab in [*visitors, open_tab_in()]:
        if tab not in visitors:  # the later visitor
            tab.goto(page_url(fresh_app_url, path, {"wi_seed": "703"}))
        wait_for_app(tab, timeout_ms=30_000)
        # The six train over several runs, and the page's last part comes after them: a
        # busy machine may leave the app idle between two of those runs.
        tab.get_by_text("Train accuracy").first.wait_for(timeout=30_000)
        assert exceptions(tab) == []
    assert pids[0] not in _worker_pids(port)  # replaced


def test_no_page_asks_for_anything_beyond_the_app_itself(app_url, browser):
    """A lecture hall without internet: every request a page makes goes to the app's own
    server (the favicon included, which a Material icon would fetch from Google)."""
    context = browser.new_context()
    context.add_init_script(_WATCH_RUNS)
    elsewhere: list[str] = []

    def only_the_app(route) -> None:
        url = route.request.url
        if url.startswith((app_url, "data:", "blob:")):
            route.continue_()
        else:
            elsewhere.append(url)
            route.abort()

    context.route("**/*", only_the_app)
    tab = context.new_page()
    try:
        for path in ["pages/home.py", *(idea.path for idea in IDEAS)]:
            open_page(tab, page_url(app_url, path) if path != "pages/home.py" else app_url)
        assert elsewhere == []
    finally:
        context.close()


def test_the_home_cards_keep_their_order_on_a_phone(app_url, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script(_WATCH_RUNS)
    tab = context.new_page()
    try:
        open_page(tab, app_url)
        titles = [f"{number}. {idea.title}" for number, idea in enumerate(IDEAS, start=1)]
        tops = [tab.get_by_text(title, exact=True).bounding_box()["y"] for title in titles]
        assert tops == sorted(tops) and len(set(tops)) == len(IDEAS)  # one under another, 1–6
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
