"""A slow result made once for every session, waited for while under way, and made
ahead of time in a worker nobody else wants."""

import threading
import time

import pytest

import workers
from workers.shared import Shared


class Counting:
    """A compute function that counts its calls and can be held back or made to fail."""

    def __init__(self) -> None:
        self.calls: list = []
        self.release = threading.Event()
        self.release.set()
        self.fail = False

    def __call__(self, key, between):
        self.calls.append(key)
        between(0.0, "starting")
        self.release.wait(10)
        if self.fail:
            raise ValueError(f"cannot make {key}")
        return {"key": key}


def test_a_result_is_made_once_and_then_kept():
    compute = Counting()
    shared = Shared(compute, size=2)
    first = shared.get("a")
    assert shared.get("a") is first and compute.calls == ["a"]
    shared.get("b"), shared.get("c")  # "a" is the least recently used: dropped
    assert not shared.kept("a") and shared.kept("b") and shared.kept("c")


def test_visitors_asking_for_a_result_under_way_wait_for_it_instead_of_making_it_again():
    compute = Counting()
    compute.release.clear()
    shared = Shared(compute, size=4)
    results = []
    threads = [threading.Thread(target=lambda: results.append(shared.get("k"))) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    compute.release.set()
    for thread in threads:
        thread.join(10)
    assert compute.calls == ["k"] and len(results) == 3
    assert all(result is results[0] for result in results)


def test_a_failure_reaches_the_visitor_and_the_next_request_tries_again():
    compute = Counting()
    compute.fail = True
    shared = Shared(compute, size=4)
    with pytest.raises(ValueError, match="cannot make x"):
        shared.get("x")
    compute.fail = False
    assert shared.get("x") == {"key": "x"} and compute.calls == ["x", "x"]


def test_prefetched_keys_are_made_in_the_background_newest_first():
    compute = Counting()
    shared = Shared(compute, size=8, backlog=2)
    compute.release.clear()
    shared.prefetch(["p", "q", "r"])  # a backlog of 2: "p" is dropped
    deadline = time.monotonic() + 10
    while not compute.calls and time.monotonic() < deadline:
        time.sleep(0.01)
    compute.release.set()
    while not (shared.kept("q") and shared.kept("r")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert compute.calls == ["r", "q"] and not shared.kept("p")
    assert shared.get("r") == {"key": "r"} and compute.calls == ["r", "q"]  # not made again


def test_a_server_without_workers_never_prefetches(monkeypatch):
    monkeypatch.setenv(workers.ENVIRONMENT, "0")
    compute = Counting()
    shared = Shared(compute, size=8)
    shared.prefetch(["p"])
    time.sleep(0.2)
    assert compute.calls == [] and not shared.kept("p")
