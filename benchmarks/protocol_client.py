"""A Streamlit client without a browser, for the load benchmark (`--client protocol`).

It speaks the app's own websocket protocol, as the frontend does: it connects to
``/_stcore/stream`` (subprotocol "streamlit"; with no Origin header the server needs no
XSRF token, which it only checks before reading a login cookie), sends a BackMsg
``rerun_script`` and reads ForwardMsgs until a script run finishes (``script_finished``
other than "finished early for a rerun": a run the script or a newer request cut short
is followed by another). The first rerun names the page by its URL path (``page_name``, with an
empty ``page_script_hash``), as the frontend does when a link opens a page; later ones
name it by the hash the server sent back (``navigation.page_script_hash``), with every
slider's current value in ``widget_states`` (``double_array_value``, or for a
select slider ``string_array_value`` with the option's text) and the query string the
frontend's URL would carry (each bound slider away from its default). Widgets it does
not move keep their values on the server.

A session costs the client a socket and a few protobuf parses per run, so twenty of
them leave the CPU to the server: the latencies are the server's own (plus loopback),
without the time a browser takes to draw the result (except for the tabs that
``--browsers`` adds, which are timed as load_sessions times its tabs).

What a run shows is read from its deltas: sliders (``element.slider``) to move next,
and exceptions (``element.exception``), which count as errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlparse

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

RUN_TIMEOUT_S = 30
OPEN_TIMEOUT_S = 120
_FINISHED_WITH_COMPILE_ERROR = ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR
_FINISHED_EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


@dataclass
class Slider:
    id: str
    low: float
    high: float
    step: float
    default: list[float]
    value: list[float]  # what this client last sent (or the default)
    query_key: str  # the query parameter it is bound to ("" if none)
    options: list[str]  # a select slider's options: its value here is an index
    set_by_app: bool  # the script set the value (session state): the client takes it

    def shown(self) -> str:
        """The value as the frontend writes it into the URL."""
        if self.options:
            return self.options[int(self.value[0])]
        return ",".join(f"{value:g}" for value in self.value)


@dataclass
class Run:
    """What one request (a rerun, plus any reruns the script asked for) brought."""

    started_s: float | None = None  # after the request: the script began running
    finished_s: float | None = None  # after the request: the (last) run finished
    scripts_finished: int = 0
    exceptions: list[str] = field(default_factory=list)
    sliders: list[Slider] = field(default_factory=list)


class ProtocolSession:
    """One Streamlit session over a websocket, on one page."""

    def __init__(self, app_url: str, page_path: str):
        parsed = urlparse(app_url)
        self.stream_url = f"ws://{parsed.netloc}{parsed.path.rstrip('/')}/_stcore/stream"
        self.page_name = Path(page_path).stem  # the page's URL path, as in page_url
        self.page_hash = ""  # the server's name for the page, once it has told us
        self.sliders: dict[str, Slider] = {}  # by widget id, with the values sent
        self._socket = None

    async def open(self) -> Run:
        """Connect and run the page once (its first visit may take a while)."""
        import websockets

        self._socket = await websockets.connect(
            self.stream_url,
            subprotocols=["streamlit"],
            max_size=None,  # charts arrive as large messages
            ping_interval=None,  # a busy server must not look like a dead one
            open_timeout=OPEN_TIMEOUT_S,
        )
        return await self.rerun(timeout_s=OPEN_TIMEOUT_S)

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()

    async def rerun(self, timeout_s: float = RUN_TIMEOUT_S) -> Run:
        """Send a rerun with the sliders' values; wait until the script stops running."""
        message = BackMsg()
        state = message.rerun_script
        if self.page_hash:
            state.page_script_hash = self.page_hash
        else:
            state.page_name = self.page_name
        state.query_string = urlencode(
            {
                slider.query_key: slider.shown()
                for slider in self.sliders.values()
                if slider.query_key and slider.value != slider.default
            }
        )
        for slider in self.sliders.values():
            widget = state.widget_states.widgets.add()
            widget.id = slider.id
            if slider.options:  # a select slider sends its option's text
                widget.string_array_value.data.append(slider.shown())
            else:
                widget.double_array_value.data.extend(slider.value)
        sent = time.perf_counter()
        await self._socket.send(message.SerializeToString())
        run = await asyncio.wait_for(self._receive(sent), timeout_s)
        sliders = {}  # the page's sliders as this run drew them, with the values sent
        for slider in run.sliders:
            known = self.sliders.get(slider.id)
            if known is not None and not slider.set_by_app:
                slider.value = [min(max(v, slider.low), slider.high) for v in known.value]
            sliders[slider.id] = slider
        self.sliders = sliders
        return run

    async def _receive(self, sent: float) -> Run:
        run = Run()
        while True:
            message = ForwardMsg()
            message.ParseFromString(await self._socket.recv())
            kind = message.WhichOneof("type")
            if kind == "new_session" and not self.page_hash:
                self.page_hash = message.new_session.page_script_hash
            elif kind == "navigation":
                self.page_hash = message.navigation.page_script_hash
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                _read_element(message.delta.new_element, run)
            elif kind == "session_status_changed":
                running = message.session_status_changed.script_is_running
                if running and run.started_s is None:
                    run.started_s = time.perf_counter() - sent
            elif kind == "script_finished" and run.started_s is not None:
                run.scripts_finished += 1
                if message.script_finished == _FINISHED_WITH_COMPILE_ERROR:
                    run.exceptions.append("the script did not compile")
                if message.script_finished != _FINISHED_EARLY_FOR_RERUN:
                    run.finished_s = time.perf_counter() - sent
                    return run

    def move_a_slider(self, rng: random.Random) -> bool:
        """Move a random enabled slider one step (back at the end of its range)."""
        movable = [
            slider
            for slider in self.sliders.values()
            if slider.high > slider.low and len(slider.value) == 1
        ]
        if not movable:
            return False
        slider = rng.choice(movable)
        value = slider.value[0]
        left = value >= slider.high or (value > slider.low and rng.random() < 0.3)
        moved = value - slider.step if left else value + slider.step
        moved = round(moved, 12)  # 0.6, not 0.6000000000000001
        slider.value = [min(max(moved, slider.low), slider.high)]
        return True


def _read_element(element, run: Run) -> None:
    kind = element.WhichOneof("type")
    if kind == "exception":
        exception = element.exception
        run.exceptions.append(f"{exception.type}: {exception.message}"[:200])
    elif kind == "slider" and not element.slider.disabled:
        proto = element.slider
        low, high, step = proto.min, proto.max, proto.step
        if proto.options:  # a select slider: the value is an option's index
            low, high, step = 0, len(proto.options) - 1, 1
        default, value = list(proto.default), list(proto.value)
        if proto.options and proto.set_value:  # the option's text, in raw_value
            value = [proto.options.index(text) for text in proto.raw_value]
        run.sliders.append(
            Slider(
                id=proto.id,
                low=low,
                high=high,
                step=step,
                default=default,
                value=value if proto.set_value else default,
                query_key=proto.query_param_key,
                options=list(proto.options),
                set_by_app=proto.set_value,
            )
        )


# ------------------------------------------------------------------ the benchmark


async def move_sliders(session, page: str, until: float, pause_s: float, seed: int, results,
                       lockstep: bool = False):  # fmt: skip
    """Move random sliders one step at a time until `until` (time.monotonic()), pausing as
    ``load_sessions.pauses`` says."""
    from benchmarks.load_sessions import pauses

    rng = random.Random(seed)
    waits = pauses(random.Random(-1 - seed), pause_s, lockstep)
    await asyncio.sleep(next(waits))
    while time.monotonic() < until:
        if not session.move_a_slider(rng):
            results.errors.append(f"{page}: no slider to move")
            return
        try:
            run = await session.rerun()
        except (TimeoutError, OSError) as error:  # a run that never finished, mostly
            results.failures.append(f"{page}: {type(error).__name__} {error}"[:200])
            return  # its reply may still come: this session's count ends here
        results.latencies[page].append(run.finished_s)
        results.waits.append(run.started_s)
        results.errors.extend(f"{page}: {exception}" for exception in run.exceptions)
        await asyncio.sleep(next(waits))


async def open_session(url: str, page: str, results, opening: asyncio.Semaphore | None = None):
    async with opening or asyncio.Semaphore():
        session = ProtocolSession(url, page)
        run = await session.open()
    results.errors.extend(f"{page} (opening): {exception}" for exception in run.exceptions)
    return session


async def load(url: str, pids: list[int], sessions: int, seconds: float, pause_s: float,
               lockstep: bool, browsers: int = 0, tour: bool = False):  # fmt: skip
    """As load_sessions.load, with protocol sessions instead of browser tabs; with
    ``browsers``, that many of the sessions (the 2nd, 3rd, …: each on a different page
    while there are pages) are Chromium tabs instead, timed from the key press to the
    painted result, as load_sessions does. The report's figures and per-page table are
    then the protocol sessions'; the tabs' have a line of their own; the targets line
    counts every run of both. With ``tour``, each tab visits every page in turn (see
    ``_tour``) and the tabs' figures are also given per page."""
    from benchmarks import load_sessions as bench
    from tests.browser_helpers import page_url
    from ui.ideas import IDEAS

    pages = [IDEAS[i % len(IDEAS)].path for i in range(sessions)]
    tab_pages = pages[1 : 1 + browsers]  # main() checks that 0 <= browsers < sessions
    results, warm_up = bench.Results(), bench.Results()  # all sessions; the first alone
    seen = bench.Results()  # the browser tabs' runs (also counted in results)
    async with contextlib.AsyncExitStack() as chromium:  # closes the browser, if any
        with bench.MemorySampler(pids) as memory:
            # One session opens every page once (imports, first runs), then moves sliders.
            for idea in IDEAS:
                session = await open_session(url, idea.path, warm_up)
                await session.close()
            first = await open_session(url, pages[0], warm_up)
            memory.reset()
            one_until = time.monotonic() + min(seconds, 20)
            await move_sliders(first, pages[0], one_until, pause_s, 0, warm_up)
            one_session = memory.peak()
            # Then all of them at once, the first one included.
            browser = await bench.launch_chromium(chromium) if browsers else None
            tabs = [await bench.open_session(browser, page_url(url, page)) for page in tab_pages]
            opening = asyncio.Semaphore(4)
            others = await asyncio.gather(
                *(open_session(url, page, results, opening) for page in pages[1 + browsers :])
            )
            protocol = [(0, first), *enumerate(others, 1 + browsers)]  # (seed, session)
            memory.reset()
            cpu_before, wall_before = bench._cpu_seconds(pids), time.monotonic()
            own_before = time.process_time()
            until = wall_before + seconds
            await asyncio.gather(
                *(
                    _tour(browser, url, tab, page, until, pause_s, seed, seen, lockstep)
                    if tour
                    else bench.move_sliders(tab, page, until, pause_s, seed, seen, lockstep)
                    for seed, (tab, page) in enumerate(zip(tabs, tab_pages, strict=True), 1)
                ),
                *(
                    move_sliders(session, pages[seed], until, pause_s, seed, results, lockstep)
                    for seed, session in protocol
                ),
            )
            all_sessions = memory.peak()
            busy = bench._cpu_seconds(pids), time.monotonic()
            own = (time.process_time() - own_before) / (busy[1] - wall_before)
            for session in others:
                await session.close()
            await chromium.aclose()  # before measuring what the server keeps
            await asyncio.sleep(10)  # the server drops a session once its socket closes
            memory.reset()
            after = memory.peak()
            await first.close()
    print("client: the Streamlit protocol over websockets, no browser" if not browsers else
          f"client: the Streamlit protocol over websockets, and {browsers} sessions in "
          f"headless Chromium; runs, times and pages below are the {sessions - browsers} "
          "protocol sessions', the tabs' come after them")  # fmt: skip
    verdict = bench.report(results, sessions, seconds, pause_s, lockstep, one_session, all_sessions)
    for error in warm_up.errors[:5]:
        print(f"    while warming up: {error}")
    if browsers:
        _report_browsers(seen, browsers, tour)
        results.merge(seen)
        mb = bench.mb_per_session(one_session, all_sessions, sessions)
        verdict = bench.targets(results, results.every(), mb) + " (every run, tabs' included)"
    cores_note = f"(this client's: {own:.2f} cores{', its browser not counted' * bool(browsers)})"
    bench.report_server(after, busy, (cpu_before, wall_before), cores_note, warm_up, pages[0])
    print(verdict)


async def _tour(browser, url: str, opened, page: str, until: float, pause_s: float, seed: int,
                results, lockstep: bool) -> None:  # fmt: skip
    """A Chromium tab (``opened``, as load_sessions.open_session returns it, on ``page``)
    that visits every page of the lecture in turn, starting with its own, moving sliders
    on each for an equal share of the time until ``until``. Each visit is a new session,
    opened once the one before has closed, so the number of sessions moving sliders stays
    the same (the server keeps a closed session's state for a while, for a reconnection).
    A visit that cannot open counts as a failure and ends the tour."""
    from playwright.async_api import Error as PlaywrightError

    from benchmarks import load_sessions as bench
    from tests.browser_helpers import page_url

    for k, (path, leave) in enumerate(tour_plan(page, time.monotonic(), until)):
        if k:
            await opened[0].close()
            try:
                opened = await bench.open_session(browser, page_url(url, path))
            except PlaywrightError as error:  # on a machine too busy to open it in time
                results.failures.append(f"{path} (opening): {str(error).splitlines()[0][:200]}")
                return
        await bench.move_sliders(opened, path, leave, pause_s, seed * 100 + k, results, lockstep)


def tour_plan(page: str, began: float, until: float) -> list[tuple[str, float]]:
    """Every page of the lecture (ui.ideas.IDEAS) in turn, from ``page`` on and round to
    the one before it, each with the moment to leave it: equal shares of began … until."""
    from ui.ideas import IDEAS

    paths = [idea.path for idea in IDEAS]
    start = paths.index(page)
    share = (until - began) / len(paths)
    tour = paths[start:] + paths[:start]
    return [(path, began + (k + 1) * share) for k, path in enumerate(tour)]


def _report_browsers(seen, browsers: int, per_page: bool = False) -> None:
    """The runs timed in the Chromium tabs, to the first frame painted after each run
    (load_sessions.WATCH_RUNS); with ``per_page``, also page by page."""
    from benchmarks import load_sessions as bench

    times = seen.every()
    if not times:
        print(f"in the {browsers} Chromium tabs: no run finished")
        return
    print(
        f"in the {browsers} Chromium tabs: {len(times)} runs, {len(seen.errors)} errors, "
        f"{len(seen.failures)} unfinished; key press to the painted result: median "
        f"{statistics.median(times):.3f} s, 95th percentile {bench._p95(times):.3f} s"
    )
    if per_page:
        bench.print_pages(seen.latencies, indent="    ")
