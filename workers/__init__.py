"""Heavy core calls in a pool of worker processes, away from the interpreter every
session shares.

Streamlit runs each session's script in a thread of one Python process, so all sessions
share one interpreter: a training of 15,000 steps (about a second of pure Python and
small matrix products) would hold it while twenty other sessions wait.
``run(function, *args, **kwargs)`` hands such a call to a worker process and waits for
the result without holding the interpreter. The pages call it from inside their
``st.cache_data`` functions, so a result is computed once and shared by every session.

The pool is loky's ``ProcessPoolExecutor`` (joblib's executor), not the standard
library's: Streamlit runs every script as the module ``__main__``, and the standard
library's spawn and forkserver workers import ``__main__`` again as they start, which
here is a page of the app; loky's workers start clean. loky can also kill a stuck
worker (``shutdown(kill_workers=True)``), which the standard library can't before 3.14.

What a visitor sees when a worker fails:
- a worker dies (killed, out of memory): the pool is broken, every call waiting on it
  is made once more on a new pool;
- a worker hangs (stopped, or a call that never ends): after ``TIMEOUT_S`` the call
  raises ``Unavailable``, whose message the page shows, and the pool is replaced;
- no visitor waits longer than ``TIMEOUT_S`` for one try.

``LAB_WORKERS`` sets how many worker processes there are: a whole number from 0 to
MAX_WORKERS, 0 running every call in the server's own process (as a plain Streamlit
app does). Unset, or not such a number (with a logged warning): the usable cores, at
most MAX_WORKERS. ``function`` must be importable by name, and its arguments and result
must pickle; core's functions and results do.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import BrokenExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

import loky
from loky.process_executor import ShutdownExecutorError

ENVIRONMENT = "LAB_WORKERS"
MAX_WORKERS = 4
TIMEOUT_S = 20.0  # one try of one call, its wait in the queue included
# A worker idle this long exits, and a new one starts with the next call (under a second).
# Workers do not watch the server: if it is killed outright, this is how they end.
IDLE_S = 600.0
ONE_THREAD = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}

T = TypeVar("T")
_log = logging.getLogger(__name__)


class Unavailable(RuntimeError):
    """A call did not finish in time; the message says so in a visitor's words."""


def worker_count() -> int:
    """How many workers there are: ``LAB_WORKERS`` if it is a whole number from 0 to
    MAX_WORKERS, else the usable cores (at most MAX_WORKERS): more would take CPU from
    the server's own process, which every session needs."""
    cores = min(len(os.sched_getaffinity(0)), MAX_WORKERS)
    text = os.environ.get(ENVIRONMENT, "").strip()
    if not text:
        return cores
    if len(text) <= 2 and text.isascii() and text.isdigit() and int(text) <= MAX_WORKERS:
        return int(text)
    _log.warning(
        "%s=%r is not a whole number from 0 to %d; using %d workers.",
        ENVIRONMENT, text[:20], MAX_WORKERS, cores,
    )  # fmt: skip
    return cores


_pool: loky.ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()
_stopped = threading.Event()  # set by shutdown()


def run(function: Callable[..., T], /, *args, **kwargs) -> T:
    """``function(*args, **kwargs)``, computed in a worker process when there are any.

    Exceptions the function raises (a ``ValueError`` from core's checks) come back as
    they are. A call whose worker died is made once more on a new pool; a call that
    takes longer than TIMEOUT_S raises ``Unavailable``.
    """
    if worker_count() == 0:
        return function(*args, **kwargs)
    for attempt in (1, 2):
        pool = _the_pool()
        try:
            return pool.submit(function, *args, **kwargs).result(timeout=TIMEOUT_S)
        except (BrokenExecutor, ShutdownExecutorError):  # a worker died, or another call
            # found its pool stuck and replaced it
            _replace(pool, "a worker process died")
            if attempt == 2:
                raise Unavailable(
                    "The computation's worker process stopped twice in a row. "
                    "Please try again in a moment."
                ) from None
        except FutureTimeout:
            _replace(pool, f"a call took longer than {TIMEOUT_S:g} s")
            raise Unavailable(
                f"The computation took longer than {TIMEOUT_S:g} s and was stopped: the "
                "server is busy or a worker is stuck. Please try again in a moment."
            ) from None
    raise AssertionError("unreachable")


def _the_pool() -> loky.ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _stopped.is_set():
            raise Unavailable("The server is stopping. Please reload the page in a moment.")
        if _pool is None:
            _pool = loky.ProcessPoolExecutor(
                max_workers=worker_count(), timeout=IDLE_S, env=ONE_THREAD
            )
        return _pool


def shutdown() -> None:
    """Stop the workers now, as the server stops. A server started by `streamlit run
    app.py` ends them as its interpreter exits; one started as an ``st.App`` (serve.py)
    calls this from its lifespan, or they would wait IDLE_S before they end."""
    global _pool
    with _pool_lock:
        _stopped.set()  # no call starts a new pool from now on
        pool, _pool = _pool, None
    if pool is not None:  # waits for the kill: the process may end right after
        pool.shutdown(wait=True, kill_workers=True)


def _replace(pool: loky.ProcessPoolExecutor, why: str) -> None:
    """Kill ``pool``'s workers and let the next call start a new pool, once per pool
    however many calls saw it fail."""
    global _pool
    with _pool_lock:
        if _pool is not pool:
            return  # another call has replaced it already
        _pool = None
    _log.warning("Replacing the worker pool: %s.", why)
    pool.shutdown(wait=False, kill_workers=True)
