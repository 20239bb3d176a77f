"""The running app in headless Chromium: a server, a browser, waiting for script runs,
and a page's controls and outputs, read and moved the way a visitor would, beside the
messages the server sent to draw them.

Used by the browser tests (fixtures in conftest.py) and by tests/screenshots.py.

Waiting follows Streamlit's own end-to-end tests (e2e_playwright/conftest.py,
``wait_for_app_run``): the app root carries ``data-test-connection-state`` and
``data-test-script-state``, and a run is over when the state is back to
``notRunning`` with no loading skeleton left. Theirs waits a fixed 210 ms first,
because the state turns ``running`` only some time after an interaction (widgets
debounce, the message makes a round trip). Here a small observer installed in every
tab counts the runs instead, so a wait after an interaction lasts until a run that
started *after* it has finished, then until the page has been quiet for a moment.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"  # ignored by git
CHROMIUM = "/usr/bin/chromium"  # Debian's package, installed by scripts/test.sh
CHROMIUM_FLAGS = [
    "--no-sandbox",  # tests run as root in CI
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # this machine refuses outside connections
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}
TIMEOUT_MS = 30_000  # a cold page at defaults takes a few seconds on a busy 2-core machine
UNSEEN_RUN_MS = 10_000  # how long rerun_after waits to see a run start (see there)
QUIET_MS = 150  # Streamlit's e2e tests give the frontend 100 ms after a run to draw

# Counts script runs as the app root's data-test-script-state changes, from the very
# first one: it is installed before any of the page's own scripts run.
_WATCH_RUNS = """
window.__scriptRuns = {started: 0, finished: 0, changedAt: performance.now()};
new MutationObserver((records) => {
  for (const record of records) {
    const state = record.target.getAttribute("data-test-script-state");
    if (state === record.oldValue) continue;
    const runs = window.__scriptRuns;
    if (state === "running") runs.started += 1;
    if (state === "notRunning") runs.finished += 1;
    runs.changedAt = performance.now();
  }
}).observe(document, {
  subtree: true, attributes: true, attributeOldValue: true,
  attributeFilter: ["data-test-script-state"],
});
"""

# True once at least `started` runs have begun, the last one has finished, nothing is
# still loading, and the state has not changed for `quietMs`. In a tab not opened with
# open_tab (no counter) only the state is checked, as in Streamlit's own tests.
_SETTLED = """
({started, quietMs}) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const runs = window.__scriptRuns ?? {started: Infinity, changedAt: -Infinity};
  return Boolean(app)
    && app.getAttribute("data-test-connection-state") === "CONNECTED"
    && app.getAttribute("data-test-script-state") === "notRunning"
    && runs.started >= started
    && document.querySelector('[data-testid="stSkeleton"]') === null
    && performance.now() - runs.changedAt >= quietMs;
}
"""


# ------------------------------------------------------------------ server and browser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(
    root: Path = ROOT, timeout_s: float = 60, script: str = "app.py"
) -> Iterator[str]:
    """`streamlit run app.py` (or `script`) in `root` on a free localhost port; yields its
    URL once it answers, stops it."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", script,
            "--server.port", str(port), "--server.address", "127.0.0.1",
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
        ],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while not _healthy(url):
            if server.poll() is not None:
                raise RuntimeError(f"streamlit exited with code {server.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start within {timeout_s:g} s")
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_warm(url: str, *, links: bool = True, timeout_s: float = 300) -> float:
    """Wait until serve.py's warm-up at ``url`` is done (its /ready: every page's defaults,
    and with ``links`` its warm links too); the seconds waited."""
    began = time.perf_counter()
    while True:
        try:
            with urllib.request.urlopen(f"{url}/ready", timeout=2) as answer:
                if not links or json.load(answer)["links"]:
                    return time.perf_counter() - began
        except OSError:  # 503 until the pages are warm (an HTTPError is an OSError)
            pass
        if time.perf_counter() - began > timeout_s:
            raise RuntimeError(f"{url} was not warm within {timeout_s:g} s")
        time.sleep(0.1)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def chromium() -> Iterator:
    """Headless Chromium (Debian's) driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield browser
        finally:
            browser.close()


def open_tab(browser):
    """A new tab in a fresh context (its own cookies, so its own Streamlit session)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(_WATCH_RUNS)
    return context.new_page()


def page_url(app_url: str, page_path: str, query: dict[str, str] | None = None) -> str:
    """The address of a page script (as in ui.ideas), e.g. .../vanishing_exploding?ve_a=1.2."""
    url = f"{app_url}/{Path(page_path).stem}"
    return f"{url}?{urlencode(query)}" if query else url


# ------------------------------------------------------------------ waiting for runs


def wait_for_app(tab, timeout_ms: int = TIMEOUT_MS) -> None:
    """After a page load: wait until connected and the first script run has finished."""
    _wait_until_settled(tab, started=1, timeout_ms=timeout_ms)


def rerun_after(tab, action: Callable[[], object], timeout_ms: int = TIMEOUT_MS) -> None:
    """Do `action` (an interaction) and wait until the script run it caused has finished.

    Every bound control reruns the script (or its fragment).
    The tab must come from open_tab, which counts the runs.
    """
    started = tab.evaluate("window.__scriptRuns.started")
    action()
    try:
        _wait_until_settled(tab, started=started + 1, timeout_ms=min(timeout_ms, UNSEEN_RUN_MS))
    except PlaywrightTimeoutError:
        # A fragment rerun served from caches can start and finish within one React
        # commit, so the app root's state never reads "running" and no start is counted:
        # after UNSEEN_RUN_MS, settle for the app being idle (the caller's own checks
        # then say whether the move did what it should).
        _wait_until_settled(tab, started=started, timeout_ms=timeout_ms)


def _wait_until_settled(tab, started: int, timeout_ms: int) -> None:
    tab.wait_for_function(
        _SETTLED, arg={"started": started, "quietMs": QUIET_MS}, timeout=timeout_ms
    )


def wait_until(tab, condition: Callable[[], bool], timeout_ms: int = 3_000) -> bool:
    """Poll `condition` until it holds (True) or `timeout_ms` passes (False)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        if time.monotonic() > deadline:
            return False
        tab.wait_for_timeout(50)
    return True


# ------------------------------------------------------------------ controls

# The widget inside each keyed element container, by Streamlit's test ids. Select
# sliders are sliders too (stSlider); toggles and checkboxes are both stCheckbox.
_KINDS = {
    "stSlider": "slider",
    "stSelectbox": "selectbox",
    "stButtonGroup": "segmented",
    "stRadio": "radio",
    "stCheckbox": "toggle",
    "stNumberInput": "number",
    "stTextInput": "text",
}

_READ_CONTROLS = """
(kinds) => [...document.querySelectorAll('[data-testid="stElementContainer"][class*="st-key-"], '
                                         + '[data-testid="stTabs"][class*="st-key-"]')]
  .flatMap((box) => {
    const key = [...box.classList].find((name) => name.startsWith("st-key-")).slice(7);
    if (box.dataset.testid === "stTabs") return [[key, "tabs", true]];  // keyed tabs: a choice
    const ids = Object.keys(kinds).map((id) => `[data-testid="${id}"]`);
    const widget = box.querySelector(ids.join());
    if (!widget) return [];
    const disabled = widget.querySelector('[data-testid="stWidgetLabel"][disabled]') !== null;
    return [[key, kinds[widget.dataset.testid], !disabled]];
  })
"""

# What a control shows: a slider's value text, a select box's choice, the chosen
# option of a segmented control or radio group, whether a toggle is on, a field's text.
_READ_VALUE = """
(box) => {
  if (box.dataset.testid === "stTabs") {
    return box.querySelector('[role="tab"][aria-selected="true"]').innerText.trim();
  }
  const range = box.querySelector('input[type="range"]');
  if (range) return range.getAttribute("aria-valuetext") ?? range.value;
  const field = box.querySelector(
    'input[role="combobox"], input[type="text"], input[type="number"], textarea');
  if (field) return field.value;
  const toggle = box.querySelector('input[type="checkbox"]');
  if (toggle) return String(toggle.checked);
  const chosen = [...box.querySelectorAll('[role="radio"], input[type="radio"]')]
    .filter((option) => option.checked || option.getAttribute("aria-checked") === "true");
  return chosen.map((option) => (option.closest("label") ?? option).innerText.trim()).join("|");
}
"""


class Control(NamedTuple):
    key: str  # the widget's key, which is also its query parameter
    kind: str  # "slider", "selectbox", "segmented", "radio", "toggle", "number", "text", "tabs"
    enabled: bool


def controls(tab) -> list[Control]:
    """The page's keyed controls, in page order (sidebar first)."""
    return [Control(*found) for found in tab.evaluate(_READ_CONTROLS, _KINDS)]


def control_box(tab, key: str):
    return tab.locator(
        f'[data-testid="stElementContainer"].st-key-{key}, [data-testid="stTabs"].st-key-{key}'
    )


def value_of(tab, key: str) -> str:
    return control_box(tab, key).evaluate(_READ_VALUE)


def values(tab) -> dict[str, str]:
    return {control.key: value_of(tab, control.key) for control in controls(tab)}


def move(tab, control: Control) -> None:
    """One step away from the current setting, as a visitor would; waits for the rerun."""
    box = control_box(tab, control.key)
    # In the middle of the screen: a select box's list does not open at the bottom edge.
    box.evaluate("(element) => element.scrollIntoView({block: 'center'})")
    if control.kind == "slider":  # the keyboard: focus the thumb, one arrow key
        thumb = box.get_by_role("slider").first
        at_end = thumb.evaluate("(input) => Number(input.value) >= Number(input.max)")
        arrow = "ArrowLeft" if at_end else "ArrowRight"
        rerun_after(tab, lambda: (thumb.focus(), thumb.press(arrow)))
    elif control.kind == "selectbox":
        box.get_by_role("button", name="Open").click()
        options = tab.get_by_role("listbox").get_by_role("option")
        options.first.wait_for()
        chosen = options.evaluate_all(
            "(all) => all.findIndex((o) => o.getAttribute('aria-selected') === 'true')"
        )
        rerun_after(tab, options.nth(_next(chosen, options.count())).click)
    elif control.kind in ("segmented", "radio"):
        options = box.get_by_role("radio")
        chosen = options.evaluate_all(
            "(all) => all.findIndex((o) => o.checked || o.getAttribute('aria-checked') === 'true')"
        )
        option = options.nth(_next(chosen, options.count()))
        if control.kind == "radio":  # the input itself is hidden; its label takes the click
            option = option.locator("xpath=ancestor::label[1]")
        rerun_after(tab, option.click)
    elif control.kind == "toggle":  # likewise
        rerun_after(tab, box.locator("label").first.click)
    elif control.kind == "tabs":  # keyed tabs bound to the URL: the next tab
        options = box.get_by_role("tab")
        chosen = options.evaluate_all(
            "(all) => all.findIndex((o) => o.getAttribute('aria-selected') === 'true')"
        )
        rerun_after(tab, options.nth(_next(chosen, options.count())).click)
    else:
        raise ValueError(f"no move for a {control.kind} control ({control.key})")


def _next(index: int, count: int) -> int:
    return (index + 1) % count


# ------------------------------------------------------------------ outputs

# Elements that show results, not controls: st.markdown / st.write / st.latex,
# metrics, tables, alerts, captions and headings (a page's headline carries its figure;
# widget labels are not among them).
OUTPUTS = ", ".join(
    f'[data-testid="{test_id}"]'
    for test_id in ("stMarkdown", "stMetric", "stTable", "stAlert", "stCaptionContainer",
                    "stHeading")
)  # fmt: skip
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:[eE][-+−]?\d+)?")


def shown_numbers(tab) -> list[str]:
    """Every number in the page's outputs, in page order."""
    texts = tab.locator(OUTPUTS).all_inner_texts()
    return [number for text in texts for number in _NUMBER.findall(text)]


def chart_pictures(tab) -> list[str]:
    """What each chart has drawn: its SVG, or its canvas as a data URL."""
    return tab.locator('[data-testid="stVegaLiteChart"]').evaluate_all(
        """(charts) => charts.map((chart) => {
            const canvas = chart.querySelector("canvas");
            const svg = chart.querySelector("svg.marks");
            return canvas ? canvas.toDataURL() : svg ? svg.outerHTML : "";
        })"""
    )


def chart_texts(tab) -> list[list[tuple[str, str, float]]]:
    """Per chart, (role, text, font size in px) of every text Vega drew in its SVG. The
    role is the part drawing it ("axis-label", "axis-title", "title-text", "legend-label",
    "mark" for a text mark...). Empty for a chart drawn on a canvas."""
    return tab.locator('[data-testid="stVegaLiteChart"]').evaluate_all(
        """(charts) => charts.map((chart) =>
            [...chart.querySelectorAll("svg.marks text")].map((text) => [
                [...text.closest('[class*="role-"]').classList]
                    .find((name) => name.startsWith("role-")).slice(5),
                text.textContent,
                parseFloat(text.getAttribute("font-size")),
            ]))"""
    )


def chart_heights(tab) -> list[float]:
    """The height each chart takes on the page, in px."""
    return tab.locator('[data-testid="stVegaLiteChart"]').evaluate_all(
        "(charts) => charts.map((chart) => chart.getBoundingClientRect().height)"
    )


def exceptions(tab) -> list[str]:
    return tab.locator('[data-testid="stException"]').all_inner_texts()


def notices(tab) -> list[str]:
    return tab.locator('[data-testid="stAlert"]').all_inner_texts()


# ------------------------------------------------------------------ what the server sends


def listen_to_server(tab) -> list[bytes]:
    """Collect every message the server sends this tab from now on (call before goto).

    Each is a serialized ForwardMsg, Streamlit's protocol: the elements of each script run
    as the browser receives them, a chart with the tables it draws.
    """
    frames: list[bytes] = []

    def on_socket(socket) -> None:
        socket.on("framereceived", lambda frame: isinstance(frame, bytes) and frames.append(frame))

    tab.on("websocket", on_socket)
    return frames


def _new_elements(frames: list[bytes]):
    """(delta path, element) for each element the server sent in ``frames``, in order."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    for frame in frames:
        message = ForwardMsg.FromString(frame)
        assert message.WhichOneof("type") != "ref_hash", "a message came from the browser's cache"
        if message.WhichOneof("type") == "delta" and message.delta.HasField("new_element"):
            yield tuple(message.metadata.delta_path), message.delta.new_element


def charts_by_name(frames: list[bytes]) -> dict[str, list]:
    """The tables each chart drew (DataFrames, in the order Vega-Lite names them), by the
    name ui.charts.show gives it: its spec's ``usermeta.name``.

    Charts are read from the latest message for each place on the page.
    """
    import json

    import pyarrow as pa

    elements = dict(_new_elements(frames))  # delta path → element, the latest run's
    tables = {}
    for element in elements.values():
        if element.WhichOneof("type") == "vega_lite_chart":
            chart = element.vega_lite_chart
            name = json.loads(chart.spec)["usermeta"]["name"]
            tables[name] = [
                pa.ipc.open_stream(dataset.data.data).read_pandas() for dataset in chart.datasets
            ]
    return tables


def sent_elements(frames: list[bytes]) -> list[tuple[str, str | None]]:
    """Every element the server sent in ``frames``: its kind (the element's field in
    Streamlit's protocol: "slider", "heading", "metric", …) and, for a widget given a
    key, the key (a widget's id ends with it: "$$ID-<hash>-<key>")."""
    sent = []
    for _, element in _new_elements(frames):
        kind = element.WhichOneof("type")
        widget_id = getattr(getattr(element, kind), "id", "")
        key = widget_id.split("-", 2)[2] if widget_id.startswith("$$ID-") else None
        sent.append((kind, None if key == "None" else key))
    return sent


def download(tab, key: str) -> Path:
    """Click the download button with this key and wait for its file; the file's path."""
    with tab.expect_download() as started:
        # The button is drawn twice, with and without its tooltip; one of them is shown.
        control_box(tab, key).locator("button:visible").click()
    return Path(started.value.path())


# ------------------------------------------------------------------ screenshots


def save_screenshot(tab, name: str, directory: Path = ARTIFACTS, full_page: bool = True) -> Path:
    """Write a screenshot of the page to directory/name.png.

    The app scrolls inside its own main area, not the document, so Playwright's
    full_page option sees one screen only: for the whole page the viewport is made
    as tall as the content for the shot.
    """
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    size = tab.viewport_size
    if full_page:
        height = tab.evaluate(
            """() => Math.max(...['stMain', 'stSidebarContent'].map((id) =>
                document.querySelector(`[data-testid="${id}"]`)?.scrollHeight ?? 0))"""
        )
        tab.set_viewport_size({"width": size["width"], "height": min(max(height, 1), 16_000)})
        _next_frame(tab)
    try:
        tab.screenshot(path=str(path))
    finally:
        tab.set_viewport_size(size)
    return path


def _next_frame(tab) -> None:
    tab.evaluate(
        "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
