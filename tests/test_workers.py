"""Heavy calls in worker processes: the same results as here, errors passed back, and a
dead or stuck worker never takes a page down nor keeps a visitor waiting for good."""

import logging
import os
import signal
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import workers
from core import network
from tests.test_network import random_data, random_parameters


def test_a_call_runs_in_another_process_and_gives_the_same_result():
    rng = np.random.default_rng(21)
    X, Y = random_data(2, 50, rng)
    parameters = random_parameters([2, 6, 3, 1], rng)
    kwargs = {"learning_rate": 0.3, "num_iterations": 400, "snapshot_every": 100}
    there = workers.run(network.train, X, Y, parameters, **kwargs)
    here = network.train(X, Y, parameters, **kwargs)
    assert workers.run(os.getpid) != os.getpid()
    np.testing.assert_array_equal(there.costs, here.costs)
    for key in parameters:
        np.testing.assert_array_equal(there.parameters[key], here.parameters[key])
        np.testing.assert_array_equal(
            there.after(200).parameters[key], here.after(200).parameters[key]
        )


def test_core_errors_come_back_with_their_message():
    rng = np.random.default_rng(22)
    with pytest.raises(ValueError, match="num_iterations must be at least 1"):
        workers.run(network.train, *random_data(2, 5, rng), random_parameters([2, 1], rng),
                    num_iterations=0)  # fmt: skip


def test_a_training_made_in_pieces_is_the_training_made_at_once():
    rng = np.random.default_rng(23)
    X, Y = random_data(3, 30, rng)
    start = random_parameters([3, 4, 1], rng)
    kwargs = {"learning_rate": 0.4, "snapshot_every": 10}
    whole = network.train(X, Y, start, num_iterations=60, **kwargs)
    first = network.train(X, Y, start, num_iterations=20, **kwargs)
    joined = first.extended(network.train(X, Y, first.parameters, num_iterations=40, **kwargs))
    np.testing.assert_array_equal(joined.costs, whole.costs)
    assert len(joined.snapshots) == len(whole.snapshots) == 7
    for steps in (0, 20, 30, 60):
        for key in start:
            np.testing.assert_array_equal(
                joined.after(steps).parameters[key], whole.after(steps).parameters[key]
            )
    with pytest.raises(ValueError, match="same snapshot_every"):
        first.extended(network.train(X, Y, first.parameters, num_iterations=10))


def _report_then_sleep(folder: str, seconds: float) -> int:
    """Writes the worker's pid into ``folder``, then works for ``seconds``."""
    Path(folder, str(os.getpid())).touch()
    time.sleep(seconds)
    return os.getpid()


def _report_then_stop(folder: str) -> None:
    Path(folder, str(os.getpid())).touch()
    os.kill(os.getpid(), signal.SIGSTOP)  # as `kill -STOP` from outside would


def _state(pid: int) -> str:
    """The process's state letter from /proc ("T" stopped, "Z" dead), or "gone"."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return "gone"


@pytest.fixture
def two_workers(monkeypatch):
    monkeypatch.setenv(workers.ENVIRONMENT, "2")
    monkeypatch.setattr(workers, "_pool", None)  # a pool of this test's own
    yield
    if workers._pool is not None:
        workers._pool.shutdown(wait=False, kill_workers=True)


def test_a_worker_killed_while_three_calls_wait_costs_them_one_retry(two_workers, tmp_path):
    results, started = [], time.perf_counter()

    def visitor() -> None:
        results.append(workers.run(_report_then_sleep, str(tmp_path), 1.0))

    visitors = [threading.Thread(target=visitor) for _ in range(3)]
    for thread in visitors:
        thread.start()
    while not any(tmp_path.iterdir()):  # a worker has started a call
        time.sleep(0.05)
    victim = int(next(tmp_path.iterdir()).name)
    os.kill(victim, signal.SIGKILL)
    for thread in visitors:
        thread.join(timeout=30)
    assert len(results) == 3 and victim not in results  # each made again, elsewhere
    assert time.perf_counter() - started < 30
    assert workers.run(os.getpid) not in (os.getpid(), victim)  # later visitors: a new pool


def test_a_stopped_worker_times_out_with_a_message_and_is_replaced(
    two_workers, monkeypatch, tmp_path
):
    monkeypatch.setattr(workers, "TIMEOUT_S", 2.0)
    with pytest.raises(workers.Unavailable, match="longer than 2 s"):
        workers.run(_report_then_stop, str(tmp_path))
    stuck = int(next(tmp_path.iterdir()).name)
    assert workers.run(os.getpid) != stuck  # the next call is served by a new pool
    deadline = time.monotonic() + 10
    while _state(stuck) not in ("gone", "Z") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _state(stuck) in ("gone", "Z")  # killed, not left stopped


def test_what_a_call_prints_does_not_garble_its_answer():
    assert workers.run(print, "to stdout, not into the answer") is None
    assert workers.run(sum, [1, 2, 3]) == 6


def test_no_workers_runs_the_call_here(monkeypatch):
    monkeypatch.setenv(workers.ENVIRONMENT, "0")
    assert workers.run(os.getpid) == os.getpid()


@pytest.mark.parametrize(
    "setting, expected",
    [("0", 0), ("3", 3), (" 2 ", 2), ("", None), ("nine", None), ("99", None), ("-1", None),
     ("²", None), ("３", None), ("1e0", None), ("0" * 5000 + "1", None)],
)  # fmt: skip
def test_the_worker_count_comes_from_the_environment_within_bounds(
    monkeypatch, caplog, setting, expected
):
    monkeypatch.setenv(workers.ENVIRONMENT, setting)
    cores = min(len(os.sched_getaffinity(0)), workers.MAX_WORKERS)
    with caplog.at_level(logging.WARNING, logger="workers"):
        assert workers.worker_count() == (cores if expected is None else expected)
    refused = expected is None and setting.strip() != ""
    assert ("is not a whole number" in caplog.text) == refused


def test_an_idle_worker_exits_and_the_next_call_starts_another(two_workers, monkeypatch):
    monkeypatch.setattr(workers, "IDLE_S", 1.0)
    first = workers.run(os.getpid)
    deadline = time.monotonic() + 20
    while _state(first) not in ("gone", "Z") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _state(first) in ("gone", "Z")  # also how an orphaned worker ends
    assert workers.run(sum, [2, 3]) == 5


def test_shutdown_ends_every_worker_and_no_call_starts_new_ones(two_workers, monkeypatch):
    # What serve.py's lifespan does as the server stops: without it, a server started as
    # an st.App left its workers behind for IDLE_S.
    monkeypatch.setattr(workers, "_stopped", threading.Event())  # this test's own
    pids = {workers.run(os.getpid) for _ in range(4)}
    assert pids and all(_state(pid) not in ("gone", "Z") for pid in pids)
    workers.shutdown()
    assert all(_state(pid) in ("gone", "Z") for pid in pids)
    with pytest.raises(workers.Unavailable, match="stopping"):
        workers.run(os.getpid)
    assert workers._pool is None
