"""Results of a slow computation by key, made once, shared by every session, and made
ahead of time in a worker nobody else wants."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import workers

_log = logging.getLogger(__name__)
Between = Callable[[float, str], None]  # (fraction done, what is under way)
POLL_S = 0.05


class BoundedCache:
    """A thread-safe dict that keeps the ``size`` entries used last, for caches shared by
    every session of the server. None is never kept: ``get`` returns it for a miss."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


class Shared:
    """``get(key)`` returns the kept result (never None), waits for one under way, or
    computes it with ``compute(key, between)``. ``prefetch(keys)`` computes keys in a
    background thread, newest request first, so that the setting a visitor is likely to
    pick next (the neighbouring values of a slider) is ready when they do.

    ``compute`` calls ``between(done, text)`` between pieces of its work. For a visitor it
    draws their progress bar; for a prefetch it waits until a worker is free (see
    ``workers.idle``), so prefetching only ever uses a worker nobody else wants, and a
    server without workers never prefetches. Once a visitor asks for a key being
    prefetched, the prefetch stops waiting and the visitor waits for it.
    """

    def __init__(self, compute: Callable[[Hashable, Between], object], size: int,
                 backlog: int = 4) -> None:  # fmt: skip
        self.compute, self.backlog = compute, backlog
        self._kept = BoundedCache(size)
        self._under_way: dict = {}  # key → Event set when it is kept (or has failed)
        self._asked: set = set()  # keys under way that a visitor waits for
        self._wanted: list = []  # keys to prefetch, newest last
        self._lock = threading.Lock()
        self._more = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None

    def get(self, key: Hashable, between: Between = lambda done, text: None):
        while True:
            with self._lock:  # kept, under way or ours: decided at once
                if (result := self._kept.get(key)) is not None:
                    return result
                event = self._under_way.get(key)
                if event is None:
                    self._under_way[key] = event = threading.Event()
                    break
                self._asked.add(key)
            event.wait()  # computed elsewhere; if that failed, the loop computes it here
        return self._computed(key, event, between)

    def kept(self, key: Hashable) -> bool:
        return self._kept.get(key) is not None

    def prefetch(self, keys) -> None:
        if workers.worker_count() == 0:
            return
        with self._lock:
            for key in keys:
                if self._kept.get(key) is None and key not in self._under_way:
                    self._wanted = [*(k for k in self._wanted if k != key), key]
            del self._wanted[: -self.backlog]  # older requests: their visitor moved on
            if self._wanted and self._thread is None:
                self._thread = threading.Thread(target=self._prefetching, daemon=True)
                self._thread.start()
            self._more.notify()

    def _computed(self, key, event: threading.Event, between: Between):
        try:
            result = self.compute(key, between)
            with self._lock:  # kept before it stops being under way
                self._kept.put(key, result)
            return result
        finally:
            with self._lock:
                del self._under_way[key]
                self._asked.discard(key)
            event.set()

    def _prefetching(self) -> None:
        while True:
            with self._lock:
                while not self._wanted:
                    self._more.wait()
                key = self._wanted.pop()
                if self._kept.get(key) is not None or key in self._under_way:
                    continue
                self._under_way[key] = event = threading.Event()

            def between(done: float, text: str, key=key) -> None:
                while not workers.idle() and key not in self._asked:
                    threading.Event().wait(POLL_S)

            try:
                self._computed(key, event, between)
            except Exception:  # computed again, and reported, when a visitor asks for it
                _log.warning("A prefetch failed: %r", key, exc_info=True)
