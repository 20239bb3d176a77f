"""Heavy core calls in worker processes, away from the interpreter every session shares.

Streamlit runs each session's script in a thread of one Python process, so all sessions
share one interpreter and one core: a training of 15,000 steps on one page used to hold
it for seconds while twenty other sessions waited (and took 30 s and more itself, its
turns shared with theirs). ``run(function, *args)`` sends such a call to one of a few
worker processes and waits without holding the interpreter: the server keeps answering
other sessions on one core while the call runs on another.

A worker is ``python -m workers.serve``: it imports core and the chart builders once
(with numpy, pandas and Altair), then answers
pickled calls on its stdin with pickled results on its stdout, one at a time, until its
stdin closes. (multiprocessing's own pools are not used: they re-run the ``__main__``
module in every worker, and under ``streamlit run`` that is the app itself.)
``function`` must be importable by name (a function of ``core``), and its arguments and
result must pickle; numpy arrays and core's results do.

``LAB_WORKERS`` sets how many workers there are (default: the usable cores, at most 4;
0 runs every call in the server's own process). They all start on first use. If one dies,
the call runs here instead and no worker is used again by this process: a page never
fails because a worker did.
"""

from __future__ import annotations

import logging
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ENVIRONMENT = "LAB_WORKERS"
MAX_WORKERS = 4
ROOT = Path(__file__).resolve().parents[1]

T = TypeVar("T")
_log = logging.getLogger(__name__)


def worker_count() -> int:
    """How many workers there are: ``LAB_WORKERS`` if set, else the usable cores (at most
    MAX_WORKERS). More would take CPU from the server's own process, which every session
    needs: with 20 sessions on 2 cores, 4 workers made the runs wait longer to start."""
    text = os.environ.get(ENVIRONMENT, "").strip()
    if text.isdigit() and int(text) <= MAX_WORKERS:
        return int(text)
    if text:
        _log.warning("%s=%r is not a whole number from 0 to %d; using the cores.", ENVIRONMENT,
                     text, MAX_WORKERS)  # fmt: skip
    return min(len(os.sched_getaffinity(0)), MAX_WORKERS)


class WorkerDied(Exception):
    """The worker process ended or garbled its answer."""


class Worker:
    """One ``python -m workers.serve`` process and its two pipes."""

    def __init__(self) -> None:
        paths = [path for path in sys.path if path and Path(path).is_dir()]  # as in this process
        environment = os.environ | {"PYTHONPATH": os.pathsep.join([str(ROOT), *paths])}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "workers.serve"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT, env=environment,
        )  # fmt: skip

    def call(self, function: Callable[..., T], args: tuple, kwargs: dict) -> T:
        request = pickle.dumps((function, args, kwargs), pickle.HIGHEST_PROTOCOL)  # whole, or
        try:  # nothing: a half-written request would garble the next one
            self.process.stdin.write(request)
            self.process.stdin.flush()
            succeeded, value = pickle.load(self.process.stdout)  # waits without the GIL
        except Exception as error:  # a closed pipe, or an answer cut short or garbled
            raise WorkerDied(f"worker {self.process.pid}: {error!r}") from error
        if not succeeded:
            raise value
        return value

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


class Pool:
    """``size`` workers, each serving one call at a time; a call waits for a free one."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._started = [Worker() for _ in range(size)]  # all at once: a fixed cost, paid
        self._idle: queue.LifoQueue[Worker] = queue.LifoQueue()  # before the first visitor
        for worker in self._started:
            self._idle.put(worker)
        self.broken = False

    def run(self, function: Callable[..., T], args: tuple, kwargs: dict) -> T:
        worker = self._idle.get()
        try:
            value = worker.call(function, args, kwargs)
        except WorkerDied:
            self._break(worker)
            raise
        except BaseException:
            self._idle.put(worker)  # the function raised: the worker is fine
            raise
        self._idle.put(worker)
        return value

    def idle(self) -> bool:
        """Whether a call now would not wait for a worker."""
        return not self._idle.empty()

    def _break(self, dead: Worker) -> None:
        _log.warning("A worker process died; heavy calls now run in the server's process.")
        self.broken = True
        for worker in self._started:
            if worker is not dead:
                worker.stop()
        dead.stop()


_pool: Pool | None = None
_pool_lock = threading.Lock()


def run(function: Callable[..., T], /, *args, **kwargs) -> T:
    """``function(*args, **kwargs)``, computed in a worker process when there is one.

    Exceptions the function raises (a ``ValueError`` from core's checks) come back as
    they are; only a worker's death makes the call run in this process instead.
    """
    pool = _the_pool()
    if pool.size == 0 or pool.broken:
        return function(*args, **kwargs)
    try:
        return pool.run(function, args, kwargs)
    except WorkerDied:
        return function(*args, **kwargs)


def idle() -> bool:
    """Whether a call now would find a worker free (with no workers: never)."""
    pool = _the_pool()
    return not pool.broken and pool.idle()


def _the_pool() -> Pool:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = Pool(worker_count())
        return _pool
