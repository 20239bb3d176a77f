"""core.gradient_check_fast: the fast path gives the course's loop's numbers, value by value.

check_network's fast path moves one row of Z[l] per nudge, carries on only the examples
whose activation moved, folds a ReLU-like last hidden layer into W[L] where no unit can
cross 0, and runs the networks of many directions together. Each path is compared with
check_network(method="loop"), two whole forward passes per component, which
test_gradient_check.py compares with loops written independently."""

import numpy as np
import pytest

from core import gradient_check as gc
from core import gradient_check_fast as fast
from core.activations import ACTIVATIONS, KINKED_ACTIVATIONS
from tests.test_gradient_check import DIMS, he_network, zero_bias_network

KINKED = list(KINKED_ACTIVATIONS)
FAST_PATH_DIMS = [[3, 1], DIMS, [3, 4, 4, 3, 1]]  # output only; fold at layer 2; fold at 3


def fast_and_loop(parameters, X, Y, seed=0, **options):
    """check_network by the fast path and by the loop, each with an rng seeded alike."""
    return [
        gc.check_network(
            parameters, X, Y, rng=np.random.default_rng(seed), method=method, **options
        )
        for method in ("fast", "loop")
    ]


def assert_same_check(fast_result, loop_result, dtype):
    """dθ_approx to the loop's own round-off (float64), or within the 1e-3 that float32's
    round-off allows at ε = 1e-2; the same components, kinks, blocks and warnings."""
    tolerance = 1e-9 if dtype == np.float64 else 1e-3
    gap = np.linalg.norm(fast_result.approx - loop_result.approx)
    assert gap <= tolerance * np.linalg.norm(loop_result.approx)
    # the same dθ; dθ·u is summed in another order
    np.testing.assert_allclose(fast_result.analytic, loop_result.analytic, rtol=1e-12)
    if loop_result.indices is None:
        assert fast_result.indices is None
    else:
        np.testing.assert_array_equal(fast_result.indices, loop_result.indices)
    assert fast_result.evaluations == loop_result.evaluations
    assert set(fast_result.per_block) == set(loop_result.per_block)
    assert (fast_result.kinks is None) == (loop_result.kinks is None)
    if loop_result.kinks is not None:
        assert fast_result.kinks.names == loop_result.kinks.names
        assert fast_result.kinks.crossings == loop_result.kinks.crossings
    assert (fast_result.fresh_mask_difference is None) == (
        loop_result.fresh_mask_difference is None
    )
    if loop_result.fresh_mask_difference is not None:  # the same masks, drawn in one order
        assert fast_result.fresh_mask_difference == pytest.approx(
            loop_result.fresh_mask_difference, rel=tolerance, abs=tolerance
        )
    assert len(fast_result.warnings) == len(loop_result.warnings)


@pytest.mark.parametrize("layer_dims", FAST_PATH_DIMS, ids=str)
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("bug", [None, "dW2_doubled", "activation_derivative_wrong"])
@pytest.mark.parametrize("lambd, keep_prob", [(0.0, 1.0), (0.7, 0.8)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_full_check_equals_the_loop_and_its_kinks(
    layer_dims, activation, bug, lambd, keep_prob, dtype
):
    if bug == "dW2_doubled" and len(layer_dims) < 3:
        bug = "db1_not_averaged"  # a one-layer network has no W2
    parameters, X, Y = he_network(layer_dims, seed=31, dtype=dtype)
    epsilon = gc.DEFAULT_EPSILON if dtype == np.float64 else 1e-2
    fast_result, loop_result = fast_and_loop(
        parameters, X, Y, seed=3, activation=activation, lambd=lambd, keep_prob=keep_prob,
        epsilon=epsilon, bug=bug,
    )  # fmt: skip
    assert_same_check(fast_result, loop_result, dtype)


@pytest.mark.parametrize("layer_dims", FAST_PATH_DIMS[1:], ids=str)
@pytest.mark.parametrize("activation", KINKED)
@pytest.mark.parametrize("epsilon", [gc.DEFAULT_EPSILON, 0.1])
@pytest.mark.parametrize("seed", range(4))
def test_full_check_near_kinks_equals_the_loop_and_counts_every_crossing(
    layer_dims, activation, epsilon, seed
):
    # b = 0: a layer dead for an example leaves the next Z at exactly 0, and ε = 0.1 puts
    # many units within reach of 0, so most nudged networks take the path near a kink
    parameters, X, Y = zero_bias_network(layer_dims, seed)
    fast_result, loop_result = fast_and_loop(
        parameters, X, Y, activation=activation, epsilon=epsilon
    )
    assert_same_check(fast_result, loop_result, np.float64)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("mode", ["full", "directions"])
def test_chunks_of_one_equal_the_loop(activation, mode, monkeypatch):
    monkeypatch.setattr(fast, "_CHUNK_BYTES", 1)  # a chunk per row, per group, per direction
    parameters, X, Y = he_network([3, 4, 4, 3, 1], seed=32)
    fast_result, loop_result = fast_and_loop(
        parameters, X, Y, activation=activation, lambd=0.7, keep_prob=0.8, mode=mode
    )
    assert_same_check(fast_result, loop_result, np.float64)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("keep_prob", [1.0, 0.8])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sample_mode_equals_the_loop_at_its_coordinates(activation, keep_prob, dtype):
    parameters, X, Y = he_network([3, 4, 4, 3, 1], seed=33, dtype=dtype)
    epsilon = gc.DEFAULT_EPSILON if dtype == np.float64 else 1e-2
    fast_result, loop_result = fast_and_loop(
        parameters, X, Y, seed=4, activation=activation, keep_prob=keep_prob, epsilon=epsilon,
        mode="sample", k=3,
    )  # fmt: skip
    assert_same_check(fast_result, loop_result, dtype)


@pytest.mark.parametrize("layer_dims", FAST_PATH_DIMS, ids=str)
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("bug", [None, "db1_not_averaged"])
@pytest.mark.parametrize("lambd, keep_prob", [(0.0, 1.0), (0.7, 0.8)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_directions_equal_the_loop_along_the_same_directions(
    layer_dims, activation, bug, lambd, keep_prob, dtype
):
    parameters, X, Y = he_network(layer_dims, seed=34, dtype=dtype)
    epsilon = gc.DEFAULT_EPSILON if dtype == np.float64 else 1e-2
    fast_result, loop_result = fast_and_loop(
        parameters, X, Y, seed=5, activation=activation, lambd=lambd, keep_prob=keep_prob,
        epsilon=epsilon, bug=bug, mode="directions", k=7,
    )  # fmt: skip
    assert_same_check(fast_result, loop_result, dtype)
