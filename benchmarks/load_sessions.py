"""Twenty people on one server at once: script runs, errors, latency and memory.

Run from the project root (needs Playwright and Debian's Chromium, as the browser tests):

    OPENBLAS_NUM_THREADS=1 python -m benchmarks.load_sessions [--sessions 20]
        [--seconds 60] [--pause 2] [--url http://host:port [--pid PID ...]]
        [--client browser|protocol [--browsers K [--tour]]] [--lockstep] [--alone]

With --client protocol no browser is used: each session is a websocket speaking
Streamlit's own protocol (benchmarks/protocol_client.py), and the time is measured from
sending the rerun to the server's `script_finished` for the run it caused. With
--browsers K, K of the sessions are Chromium tabs all the same, timed as below and also
reported apart: twenty tabs drawing charts on the server's own machine take its CPU
(on 2 cores they left the server 0.12–0.23 cores), so the server is loaded by
twenty sessions while only a few need drawing. With --tour as well, each tab visits
every page in turn (a new session on each, so twenty sessions keep moving), and its
figures are also given per page: with --browsers 1, one person in a lecture hall whose
own browser draws their results while twenty sessions load the server. With --alone,
one tab visits each page in turn for --seconds (try --seconds 20 --pause 0.5) and the
report gives, per page, the times one person sees and the CPU the browser spends on
each run.

Without --url it starts `streamlit run serve.py` (the README's command) on a free port,
with one BLAS thread like the tests, waits until its warm-up is done (every page's
defaults and its warm links: serving/warm_up.py), and stops it afterwards. One headless
Chromium opens a browser context per session (each its own Streamlit session), each on a
page of the lecture in turn (ui.ideas.IDEAS), and every session moves a random slider of
its page one step with the keyboard (ArrowRight, or ArrowLeft at the end of its range),
waits for the script run it caused to finish, pauses, and moves again, until the time is
up. Sessions keep people's rhythm: each makes its first move at a random moment within
the first pause and then pauses ½ to 1½ times --pause at random. With --lockstep all
twenty move at the same instant and pause exactly --pause, so their runs keep arriving
together: the harshest case, kept for comparison. The default pause, 2 s, is a brisk
person's: move a slider, watch the chart redraw, read what changed, move again; it is
the schedule the issue's targets are judged on (1 s and --lockstep are stress cases
beyond it).

With --url, the server is the process listening on the URL's port, or the processes
given with --pid. Behind HAProxy (scripts/serve.sh) give every replica's, as the script
prints them: memory and CPU are then summed over the replicas and their workers, and
each session lands on a replica as a new visitor does.

Reported:
  * script runs completed, errors (runs that show an exception; must be 0) and moves
    whose run did not finish within 30 s;
  * the time from the key press to the painted result of the run it caused, median and
    95th percentile, overall and per page: measured in the tab, from just before the key
    press to the first frame painted after the app root's data-test-script-state turned
    from running to notRunning (a MutationObserver records the turn and, two animation
    frames later, the paint; the run's elements are on screen, though Vega may still be
    drawing a chart), and the part of it before the run started; the same with one
    session alone, for comparison. A fragment's rerun served from caches may never show
    "running": a run the server reports finished (script_finished on the tab's
    websocket) while the tab stays idle counts too, timed two frames after the report;
  * the server's resident memory, its worker processes' included (VmRSS from /proc,
    summed, sampled every 0.2 s): its peak with
    one session moving sliders after it has opened every page once, its peak with all
    sessions, and (peak with all − peak with one) / (sessions − 1), the memory each
    extra session costs, caches filled by its settings included; and its RSS once the
    other sessions have closed;
  * the server's CPU use while all sessions move (cores, from /proc), in its own process
    and in its workers (workers/): near one core in its own process it is the bottleneck
    (its script runs share one Python interpreter).

Targets (issue 6), at the default 2 s pause: no errors, 95th percentile under 1 s, under
20 MB per extra session; the last line of the report says whether each was met.
The browsers run on the same machine as the server and take CPU from it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import sys
import threading
import time
from collections import defaultdict
from contextlib import nullcontext
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
RUN_TIMEOUT_MS = 30_000
OPEN_TIMEOUT_MS = 120_000

# Counts script runs and notes when the last one finished, from the first run on, and
# when the first frame after it was painted: a callback of the frame after that one runs
# once it is on screen, with the run's elements (Vega may still be drawing a chart).
WATCH_RUNS = """
window.__load = {started: 0, finished: 0, startedAt: 0, finishedAt: 0, changedAt: 0,
                 paintedFor: 0, paintedAt: 0};
new MutationObserver((records) => {
  for (const record of records) {
    const state = record.target.getAttribute("data-test-script-state");
    if (state === "running" && record.oldValue !== "running") {
      window.__load.started += 1;
      window.__load.startedAt = performance.now();
    }
    if (state === "notRunning" && record.oldValue === "running") {
      window.__load.finished += 1;
      window.__load.finishedAt = performance.now();
      const run = window.__load.finished;
      requestAnimationFrame(() => requestAnimationFrame(() => {
        window.__load.paintedFor = run;
        window.__load.paintedAt = performance.now();
      }));
    }
    window.__load.changedAt = performance.now();
  }
}).observe(document, {
  subtree: true, attributes: true, attributeOldValue: true,
  attributeFilter: ["data-test-script-state"],
});
"""

# A run that started after `started` runs has finished, and no other is under way.
# How often the waits below ask the tab, in ms. Playwright's default asks at every
# animation frame, which keeps the tab drawing 60 frames a second while it waits: CPU the
# benchmark would count as the page's. The times themselves are taken in the tab.
POLL_MS = 50

RUN_FINISHED = """
(started) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const runs = window.__load;
  return Boolean(app && runs) && runs.started > started && runs.finished >= runs.started
    && app.getAttribute("data-test-script-state") === "notRunning";
}
"""

# No run under way, and none started or ended for the last quietMs. A page's first visit
# on a fresh server runs its script twice (the second run starts just after the first
# ends), and a key press during a run restarts it without a new start to count.
IDLE = """
(quietMs) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const runs = window.__load;
  return Boolean(app && runs) && runs.finished >= runs.started
    && app.getAttribute("data-test-script-state") === "notRunning"
    && performance.now() - runs.changedAt >= quietMs;
}
"""

# Once a run has finished after `finished` runs had: how many runs have started, when
# the last one did, and when its result was painted (see WATCH_RUNS). A run the tab never
# showed as running (see ServerRuns) is timed by two frames from now instead.
PAINTED = """
async (finished) => {
  const runs = window.__load;
  const frame = () => new Promise((done) => requestAnimationFrame(done));
  if (runs.finished > finished) {
    while (runs.paintedFor < runs.finished) await frame();
    return [runs.started, runs.startedAt, runs.paintedAt];
  }
  await frame();
  await frame();
  return [runs.started, runs.startedAt, performance.now()];
}
"""

# Focus a random Streamlit slider a person could move (shown, not in a closed expander, and
# enabled; sliders and select sliders are <input type="range"> in an stSlider; a played
# chart's own scrub slider is one too, but it reruns nothing) and say which arrow key moves
# it one step: right, or left at the end of its range and now and then. Null when there is
# none yet.
FOCUS_A_SLIDER = r"""
([pick, turn]) => {
  const sliders = [...document.querySelectorAll('[data-testid="stSlider"] input[type="range"]')]
    .filter((slider) => slider.checkVisibility() && !slider.closest("details:not([open])")
                        && !slider.disabled);
  if (sliders.length === 0) return null;
  const slider = sliders[Math.floor(pick * sliders.length)];
  slider.focus();
  const [value, low, high] = [slider.value, slider.min, slider.max].map(Number);
  const left = value >= high || (value > low && turn < 0.3);
  const widget = slider.closest('[class*="st-key-"]');
  return {key: left ? "ArrowLeft" : "ArrowRight",
          slider: widget ? widget.className.match(/st-key-(\S+)/)[1] : "",
          started: window.__load.started, finished: window.__load.finished,
          pressedAt: performance.now()};
}
"""


# ------------------------------------------------------------------ memory


def _family(pids: list[int]) -> list[int]:
    """The processes and every process below them (the servers' workers), from /proc."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                children[int(stat.read().rsplit(")", 1)[1].split()[1])].append(int(entry))
        except OSError:  # it ended meanwhile
            continue
    family, todo = [], list(pids)
    while todo:
        family.append(todo.pop())
        todo.extend(children[family[-1]])
    return family


def _rss_bytes(pids: list[int]) -> int:
    """Resident memory of the servers and their workers (shared pages counted in each)."""
    total = 0
    for member in _family(pids):
        try:
            with open(f"/proc/{member}/status") as status:
                total += next(
                    int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:")
                )
        except (OSError, StopIteration):  # ended meanwhile, or a zombie
            if member in pids:
                raise RuntimeError(f"no VmRSS for process {member}") from None
    return total


def _cpu_seconds(pids: list[int]) -> tuple[float, float] | None:
    """CPU time used so far (user + system) by the servers' own processes and by the
    processes below them (their workers), from /proc."""
    if not pids:
        return None
    return _used(pids), _used(sorted(set(_family(pids)) - set(pids)))


def _used(pids: list[int]) -> float:
    """CPU seconds (user + system) used so far by these processes, from /proc."""
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()  # after "pid (name)"
        except OSError:  # it ended meanwhile
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _browser_cpu(servers: list[int]) -> float:
    """CPU seconds used so far by the Chromium processes this one started (browser,
    renderers, GPU and utility processes). Playwright's driver is left out: it is not the
    browser, and it copies every websocket frame to this script for ServerRuns."""
    ours = set(_family([os.getpid()])) - {os.getpid()} - set(_family(servers))
    return _used(sorted(pid for pid in ours if _name(pid).startswith("chrom")))


def _name(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as comm:
            return comm.read().strip()
    except OSError:  # it ended meanwhile
        return ""


def _listening_pid(port: int) -> int | None:
    """The process listening on a local TCP port, from /proc (Linux), or None."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as lines:
                for line in list(lines)[1:]:
                    fields = line.split()
                    if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                        inodes.add(f"socket:[{fields[9]}]")  # 0A: LISTEN
        except FileNotFoundError:
            continue
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}") in inodes:
                    return int(pid)
        except OSError:
            continue
    return None


def _listening_server(port: int) -> list[int]:
    """The server listening on a local TCP port, as --pid would name it. Nothing when
    that is HAProxy (scripts/serve.sh), which says nothing of the replicas behind it."""
    pid = _listening_pid(port)
    if pid is None:
        return []
    with open(f"/proc/{pid}/comm") as name:
        if name.read().strip() == "haproxy":
            print("HAProxy listens there: to measure the servers, give --pid every replica's "
                  "process (scripts/serve.sh prints them)")  # fmt: skip
            return []
    return [pid]


class MemorySampler:
    """Samples the processes' summed RSS in a thread; peak() since the last reset()."""

    def __init__(self, pids: list[int], every_s: float = 0.2):
        self.pids, self.every_s = pids, every_s
        self._peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self._peak = max(self._peak, _rss_bytes(self.pids))
            self._stop.wait(self.every_s)

    def __enter__(self) -> MemorySampler:
        if self.pids:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def reset(self) -> None:
        self._peak = _rss_bytes(self.pids) if self.pids else 0

    def peak(self) -> int | None:
        return self._peak if self.pids else None


# ------------------------------------------------------------------ sessions


class Results:
    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = defaultdict(list)  # page → seconds
        self.by_slider: dict[str, list[float]] = defaultdict(list)  # slider's key → seconds
        self.errors: list[str] = []  # runs that showed an exception
        self.failures: list[str] = []  # moves whose run did not finish in time
        self.waits: list[float] = []  # seconds from key press to the (last) run's start

    def every(self) -> list[float]:
        """Every run's time, all pages together."""
        return [value for values in self.latencies.values() for value in values]

    def merge(self, other: Results) -> None:
        """Adds another set of sessions' runs to these."""
        for page, values in other.latencies.items():
            self.latencies[page].extend(values)
        for key, values in other.by_slider.items():
            self.by_slider[key].extend(values)
        self.errors.extend(other.errors)
        self.failures.extend(other.failures)
        self.waits.extend(other.waits)


class ServerRuns:
    """Counts the script runs the server says it finished for one tab (script_finished
    messages on its websocket, other than a run cut short for a newer one). A fragment's
    rerun served from caches can start and end within one React commit, so the app
    root's state never reads "running": only this says such a run took place."""

    SMALL = 1024  # bytes: a script_finished message is a few dozen; charts are far larger

    def __init__(self, tab) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._message, self._cut_short = ForwardMsg, ForwardMsg.FINISHED_EARLY_FOR_RERUN
        self.finished = 0
        self._changed = asyncio.Event()
        tab.on("websocket", lambda socket: socket.on("framereceived", self._on_frame))

    def _on_frame(self, frame) -> None:
        if not isinstance(frame, bytes) or len(frame) > self.SMALL:
            return  # not parsed: this process shares the machine it measures
        message = self._message.FromString(frame)
        if message.WhichOneof("type") == "script_finished":
            self.finished += message.script_finished != self._cut_short
            self._changed.set()

    async def beyond(self, count: int) -> None:
        """Returns once the server has finished more than ``count`` runs for the tab."""
        while self.finished <= count:
            self._changed.clear()
            await self._changed.wait()


async def run_finished(tab, runs: ServerRuns, move: dict, finished: int) -> bool:
    """Wait until the run a key press caused has finished in the tab: the app root's
    state turned from running to notRunning after ``move["started"]`` runs, or, for a
    run too quick to show that, the server has finished a run since it had ``finished``
    and the tab, two frames later, is idle. False after RUN_TIMEOUT_MS."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    seen = asyncio.ensure_future(
        tab.wait_for_function(
            RUN_FINISHED, arg=move["started"], timeout=RUN_TIMEOUT_MS, polling=POLL_MS
        )
    )
    told = asyncio.ensure_future(runs.beyond(finished))
    try:
        await asyncio.wait({seen, told}, return_when=asyncio.FIRST_COMPLETED)
        if seen.done():
            seen.result()  # raises if it timed out
        else:  # the tab had two frames to take the server's messages in
            await tab.evaluate("new Promise((done) => requestAnimationFrame(() => "
                               "requestAnimationFrame(done)))")  # fmt: skip
            await tab.wait_for_function(IDLE, arg=0, timeout=RUN_TIMEOUT_MS, polling=POLL_MS)
        return True
    except PlaywrightTimeout:
        return False
    finally:
        told.cancel()
        seen.cancel()


async def open_session(browser, url: str, opening: asyncio.Semaphore | None = None):
    """A new context (its own Streamlit session) on url, once its first run is over: the
    context, its tab, and the tab's ServerRuns.

    Opening is not what is measured: `opening` limits how many open at once, and the
    first visit to a page may take a while on a busy machine.
    """
    async with opening or asyncio.Semaphore():
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        await context.add_init_script(WATCH_RUNS)
        tab = await context.new_page()
        runs = ServerRuns(tab)
        await tab.goto(url, timeout=OPEN_TIMEOUT_MS)
        await tab.wait_for_function(RUN_FINISHED, arg=0, timeout=OPEN_TIMEOUT_MS)
        await tab.wait_for_function(IDLE, arg=1000, timeout=OPEN_TIMEOUT_MS)
    return context, tab, runs


def pauses(rng: random.Random, pause_s: float, lockstep: bool):
    """The waits of one session: before its first move, then after each run.

    In lockstep every session moves at the same instant and pauses exactly ``pause_s``;
    otherwise, as people do, each starts at a random moment within the first pause and
    pauses a random ½ to 1½ times ``pause_s`` (the same on average).
    """
    yield 0.0 if lockstep else rng.uniform(0.0, pause_s)
    while True:
        yield pause_s if lockstep else rng.uniform(0.5, 1.5) * pause_s


async def move_sliders(opened, page: str, until: float, pause_s: float, seed: int, results,
                       lockstep: bool = False):  # fmt: skip
    """Move random sliders one step at a time until `until` (time.monotonic()) in a tab
    (``opened`` as open_session returns it)."""
    from playwright.async_api import Error as PlaywrightError

    _, tab, runs = opened
    rng = random.Random(seed)
    waits = pauses(random.Random(-1 - seed), pause_s, lockstep)
    await asyncio.sleep(next(waits))
    while time.monotonic() < until:
        try:
            await tab.wait_for_function(IDLE, arg=0, timeout=RUN_TIMEOUT_MS, polling=POLL_MS)
            move = await tab.evaluate(FOCUS_A_SLIDER, [rng.random(), rng.random()])
            for _ in range(100):  # a first visit may still be switching to app.py's navigation
                if move:
                    break
                await asyncio.sleep(0.1)
                move = await tab.evaluate(FOCUS_A_SLIDER, [rng.random(), rng.random()])
            else:
                results.errors.append(f"{page}: no slider to move")
                return
            finished = runs.finished
            await tab.keyboard.press(move["key"])
            if not await run_finished(tab, runs, move, finished):
                limit = RUN_TIMEOUT_MS / 1000
                results.failures.append(f"{page}: no run finished within {limit:g} s")
                continue
            started, started_at, painted_at = await tab.evaluate(PAINTED, move["finished"])
            shown = await tab.locator('[data-testid="stException"]').all_inner_texts()
        except PlaywrightError as error:
            results.failures.append(f"{page}: {str(error).splitlines()[0][:200]}")
            continue
        results.latencies[page].append((painted_at - move["pressedAt"]) / 1000)
        results.by_slider[move["slider"]].append(results.latencies[page][-1])
        if started > move["started"]:  # its start was seen
            results.waits.append((started_at - move["pressedAt"]) / 1000)
        if shown:
            results.errors.append(f"{page}: {shown[0][:200]}")
        await asyncio.sleep(next(waits))


async def launch_chromium(stack: contextlib.AsyncExitStack):
    """Headless Chromium, as the browser tests start it; closed when ``stack`` closes."""
    from playwright.async_api import async_playwright

    from tests.browser_helpers import CHROMIUM, CHROMIUM_FLAGS

    playwright = await stack.enter_async_context(async_playwright())
    browser = await playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
    )
    stack.push_async_callback(browser.close)
    return browser


async def load(url: str, pids: list[int], sessions: int, seconds: float, pause_s: float,
               lockstep: bool):  # fmt: skip
    sys.path.insert(0, str(ROOT))
    from tests.browser_helpers import page_url
    from ui.ideas import IDEAS

    pages = [IDEAS[i % len(IDEAS)].path for i in range(sessions)]
    results, warm_up = Results(), Results()  # all sessions; the first one alone
    async with contextlib.AsyncExitStack() as stack:
        browser = await launch_chromium(stack)
        with MemorySampler(pids) as memory:
            # One session opens every page once (imports, first runs), then moves sliders.
            first = await open_session(browser, page_url(url, IDEAS[-1].path))
            for idea in IDEAS[:-1]:
                await first[0].close()
                first = await open_session(browser, page_url(url, idea.path))
            await first[0].close()
            first = await open_session(browser, page_url(url, pages[0]))
            memory.reset()
            one_until = time.monotonic() + min(seconds, 20)
            await move_sliders(first, pages[0], one_until, pause_s, 0, warm_up)
            one_session = memory.peak()
            # Then all of them at once, the first one included.
            opening = asyncio.Semaphore(4)
            opened = await asyncio.gather(
                *(open_session(browser, page_url(url, page), opening) for page in pages[1:])
            )
            tabs = [first, *opened]
            memory.reset()
            cpu_before, wall_before = _cpu_seconds(pids), time.monotonic()
            until = wall_before + seconds
            await asyncio.gather(
                *(
                    move_sliders(tab, page, until, pause_s, seed, results, lockstep)
                    for seed, (tab, page) in enumerate(zip(tabs, pages, strict=True))
                )
            )
            all_sessions = memory.peak()
            busy = _cpu_seconds(pids), time.monotonic()
            for extra, *_ in opened:
                await extra.close()
            await asyncio.sleep(10)  # the server drops a session once its socket closes
            memory.reset()
            after = memory.peak()
            await first[0].close()
    verdict = report(results, sessions, seconds, pause_s, lockstep, one_session, all_sessions)
    cores_note = f"(this machine has {os.cpu_count()}; the rest went to the browsers and others)"
    report_server(after, busy, (cpu_before, wall_before), cores_note, warm_up, pages[0])
    print(verdict)


REST_S = 3.0  # how long a tab rests, before its moves, to measure what it costs at rest


async def alone(url: str, pids: list[int], seconds: float, pause_s: float) -> None:
    """One Chromium tab on each page in turn, moving sliders for ``seconds``: what one
    person sees, and the CPU their browser spends on each run.

    A page whose charts play (charts.motion) costs the browser CPU at rest as well: Vega's
    clock ticks at every frame, playing or not. That is measured first, over REST_S with
    the tab untouched, and printed on its own; the CPU per run is what the moves cost
    beyond it (over the whole time, pauses included)."""
    from tests.browser_helpers import page_url
    from ui.ideas import IDEAS

    print(f"one Chromium tab per page, {seconds:g} s each, {pause_s:g} s pause on average")
    print(f"{'page':36s}{'runs':>6s}{'median s':>10s}{'p95 s':>9s}{'browser CPU s/run':>19s}"
          f"{'at rest, cores':>16s}")  # fmt: skip
    async with contextlib.AsyncExitStack() as stack:
        browser = await launch_chromium(stack)
        for idea in IDEAS:
            opened = await open_session(browser, page_url(url, idea.path))
            await asyncio.sleep(1.0)  # the first run's charts drawn
            before, began = _browser_cpu(pids), time.monotonic()
            await asyncio.sleep(REST_S)
            rest = (_browser_cpu(pids) - before) / (time.monotonic() - began)
            results, before, began = Results(), _browser_cpu(pids), time.monotonic()
            await move_sliders(opened, idea.path, time.monotonic() + seconds, pause_s, 0, results)
            used = _browser_cpu(pids) - before - rest * (time.monotonic() - began)
            per_run = used / max(len(results.every()), 1)
            times = results.every() or [float("nan")]
            print(f"{idea.path:36s}{len(results.every()):6d}{statistics.median(times):10.3f}"
                  f"{_p95(times):9.3f}{per_run:19.3f}{rest:16.3f}")  # fmt: skip
            print("    by slider, median s (runs): " + ", ".join(
                f"{key} {statistics.median(values):.2f} ({len(values)})"
                for key, values in sorted(results.by_slider.items())
            ))  # fmt: skip
            for problem in (results.errors + results.failures)[:3]:
                print(f"    {problem}")
            await opened[0].close()
    print("(browser CPU: Chromium's processes; per run, beyond what the tab costs at rest)")


def report_server(after, busy, before, cores_note: str, warm_up, first_page: str) -> None:
    """The server's memory after the sessions closed, its CPU use, and one session alone."""
    if after is not None:
        print(f"server RSS 10 s after the other sessions closed: {after / 2**20:.0f} MB")
        wall = busy[1] - before[1]
        own, workers = ((now - then) / wall for now, then in zip(busy[0], before[0], strict=True))
        print(
            f"server CPU while all sessions moved: {own + workers:.2f} cores on average, "
            f"{own:.2f} in its own process and {workers:.2f} in its workers {cores_note}"
        )
    alone = warm_up.latencies[first_page]
    if alone:
        print(
            f"for comparison, {first_page} with 1 session: {len(alone)} runs, median "
            f"{statistics.median(alone):.3f} s, 95th percentile {_p95(alone):.3f} s"
        )


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else 0


def report(results, sessions, seconds, pause_s, lockstep, one_session, all_sessions) -> str:
    """Prints the figures; returns the targets line (see ``targets``), printed last."""
    every = results.every()
    rhythm = "in lockstep" if lockstep else "on average, each session starting at random"
    print(f"{sessions} sessions for {seconds:g} s, {pause_s:g} s pause after each run {rhythm}")
    print(f"script runs completed: {len(every)}")
    print(f"errors (exceptions shown): {len(results.errors)}")
    for error in results.errors[:5]:
        print(f"    {error}")
    limit = RUN_TIMEOUT_MS / 1000
    print(f"moves whose run did not finish within {limit:g} s: {len(results.failures)}")
    for failure in results.failures[:3]:
        print(f"    {failure}")
    if every:
        print(
            "key press to result (a tab: painted; a protocol session: script_finished): median "
            f"{statistics.median(every):.3f} s, 95th percentile {_p95(every):.3f} s, worst "
            f"{max(every):.3f} s; of which from key press to the run's start: median "
            f"{statistics.median(results.waits):.3f} s"
        )
    print_pages(results.latencies)
    if one_session is None:
        print("server memory: unknown (pass --pid, or run the server on this machine)")
        return targets(results, every, float("nan"))
    extra, mb = mb_per_session(one_session, all_sessions, sessions), 2**20
    print(
        f"server peak RSS (with its workers): {one_session / mb:.0f} MB with 1 session, "
        f"{all_sessions / mb:.0f} MB with {sessions}; {extra:.1f} MB per extra session"
    )
    return targets(results, every, extra)


def print_pages(latencies: dict[str, list[float]], indent: str = "") -> None:
    """A table of runs, median and 95th percentile per page."""
    print(f"{indent}{'page':36s}{'runs':>6s}{'median s':>10s}{'p95 s':>9s}")
    for page, values in sorted(latencies.items()):
        median = statistics.median(values)
        print(f"{indent}{page:36s}{len(values):6d}{median:10.3f}{_p95(values):9.3f}")


def mb_per_session(one_session: int | None, all_sessions: int | None, sessions: int) -> float:
    """(peak with all − peak with one) / (sessions − 1), in MB; NaN when not measured."""
    if one_session is None or all_sessions is None:
        return float("nan")
    return (all_sessions - one_session) / max(sessions - 1, 1) / 2**20


TARGETS = {"errors": 0, "p95_s": 1.0, "mb_per_session": 20.0}  # issue 6


def targets(results, every: list[float], mb_per_session: float) -> str:
    """One line: each of the issue's targets, met or missed, with this run's figure."""
    errors = len(results.errors) + len(results.failures)
    p95 = _p95(every) if every else float("inf")
    checks = [
        (f"{errors} errors", errors <= TARGETS["errors"]),
        (f"p95 {p95:.2f} s < {TARGETS['p95_s']:g} s", p95 < TARGETS["p95_s"]),
    ]
    if mb_per_session == mb_per_session:  # not NaN: the server's memory was measured
        checks.append((f"{mb_per_session:.1f} MB < {TARGETS['mb_per_session']:g} MB per extra "
                       "session", mb_per_session < TARGETS["mb_per_session"]))  # fmt: skip
    return "targets: " + "; ".join(f"{text}: {'met' if ok else 'MISSED'}" for text, ok in checks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long all move")
    parser.add_argument("--pause", type=float, default=2.0, help="seconds between moves")
    parser.add_argument(
        "--lockstep",
        action="store_true",
        help="every session moves at the same instant and pauses exactly --pause (default: "
        "each starts at a random moment and pauses ½ to 1½ times --pause)",
    )
    parser.add_argument("--url", help="a running server; default: start one")
    parser.add_argument(
        "--pid",
        type=int,
        nargs="+",
        action="extend",
        default=[],
        help="the server's process, or every replica's behind a load balancer (summed); "
        "default: the process listening on the URL's port",
    )
    parser.add_argument(
        "--client",
        choices=("browser", "protocol"),
        default="browser",
        help="browser: Chromium tabs; protocol: Streamlit's websocket protocol, no browser "
        "(benchmarks/protocol_client.py)",
    )
    parser.add_argument(
        "--alone",
        action="store_true",
        help="instead: one Chromium tab on each page in turn for --seconds (try --seconds 20 "
        "--pause 0.5): the time one person sees, and the browser's CPU per run",
    )
    parser.add_argument(
        "--browsers",
        type=int,
        default=0,
        help="with --client protocol: how many of the sessions are Chromium tabs instead",
    )
    parser.add_argument(
        "--tour",
        action="store_true",
        help="with --browsers: each tab visits every page in turn, in a new session each "
        "(a person in a lecture hall, whose own browser draws while others load the server)",
    )
    args = parser.parse_args()
    if args.tour and not args.browsers:
        parser.error("--tour goes with --browsers")
    if args.browsers and args.client != "protocol":
        parser.error("--browsers goes with --client protocol (the browser client is all tabs)")
    if not 0 <= args.browsers < args.sessions:
        parser.error(f"--browsers must be from 0 to {args.sessions - 1}, fewer than --sessions")
    sys.path.insert(0, str(ROOT))
    from tests.browser_helpers import streamlit_server, wait_until_warm

    if args.url:
        server = nullcontext(args.url.rstrip("/"))
    else:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # the server inherits it
        server = streamlit_server(script="serve.py")
    with server as url:
        if not args.url:
            print(f"warm-up at server start: {wait_until_warm(url):.1f} s")
        pids = args.pid or _listening_server(urlparse(url).port or 80)
        settings = (url, pids, args.sessions, args.seconds, args.pause, args.lockstep)
        if args.alone:
            asyncio.run(alone(url, pids, args.seconds, args.pause))
        elif args.client == "protocol":
            from benchmarks import protocol_client

            asyncio.run(protocol_client.load(*settings, browsers=args.browsers, tour=args.tour))
        else:
            asyncio.run(load(*settings))


if __name__ == "__main__":
    main()
