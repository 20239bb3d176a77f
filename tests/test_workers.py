"""Heavy calls in worker processes: the same results as here, errors passed back, and a
dead worker never takes a page down."""

import os

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


def _exit_unless_in(pid: int) -> str:
    """Kills the worker it runs in; returns in the process ``pid``."""
    if os.getpid() != pid:
        os._exit(1)
    return "computed here"


def test_a_dead_worker_leaves_the_call_to_this_process_and_the_pool_unused(monkeypatch):
    monkeypatch.setattr(workers, "_pool", workers.Pool(1))  # a pool of this test's own
    assert workers.run(_exit_unless_in, os.getpid()) == "computed here"
    assert workers.run(os.getpid) == os.getpid()  # from now on, here
    assert workers._pool.broken


def test_what_a_call_prints_does_not_garble_its_answer():
    assert workers.run(print, "to stderr, not into the answer") is None
    assert workers.run(sum, [1, 2, 3]) == 6


@pytest.mark.parametrize(
    "setting, expected",
    [("0", 0), ("3", 3), ("", None), ("nine", None), ("99", None), ("-1", None)],
)
def test_the_worker_count_comes_from_the_environment_within_bounds(monkeypatch, setting, expected):
    monkeypatch.setenv(workers.ENVIRONMENT, setting)
    cores = min(len(os.sched_getaffinity(0)), workers.MAX_WORKERS)
    assert workers.worker_count() == (cores if expected is None else expected)
