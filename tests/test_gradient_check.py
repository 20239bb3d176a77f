"""core.gradient_check: the generic check against closed forms, the network check (by its
loop and by its fast path) against the course's loop written independently, planted bugs
caught and located, dropout, kinks, float32, bad input. test_gradient_check_fast.py
compares the two paths value by value."""

import numpy as np
import pytest

from core import gradient_check as gc
from core import network
from core.activations import ACTIVATIONS
from core.epsilon_sweep import SWEEP_EPSILONS, epsilon_sweep
from core.gradient_check_directions import random_directions
from core.initialization import initialize_parameters

DIMS = [4, 5, 3, 1]
M = 16


def he_network(layer_dims, seed, dtype=np.float64):
    """He-scaled random weights, small random biases, Gaussian X, random 0/1 labels."""
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        fan_in = layer_dims[l - 1]
        W = rng.standard_normal((layer_dims[l], fan_in)) * np.sqrt(2 / fan_in)
        parameters[f"W{l}"] = W.astype(dtype)
        parameters[f"b{l}"] = (0.1 * rng.standard_normal((layer_dims[l], 1))).astype(dtype)
    X = rng.standard_normal((layer_dims[0], M))
    Y = (rng.random((1, M)) < 0.5).astype(float)
    return parameters, X, Y


def course_loop(parameters, X, Y, activation, lambd, keep_prob, masks, epsilon):
    """The course's check, written independently: copy θ, nudge θᵢ, run everything, twice."""
    theta, layout = network.parameters_to_vector(parameters)
    settings = (X, Y, activation, lambd, keep_prob, masks)
    approx = np.zeros(theta.size)
    for i in range(theta.size):
        costs = []
        for sign in (1, -1):
            nudged = theta.copy()
            nudged[i] += sign * epsilon
            nudged_parameters = network.vector_to_parameters(nudged, layout)
            costs.append(network.compute_cost(nudged_parameters, *settings))
        approx[i] = (costs[0] - costs[1]) / (2 * epsilon)
    return approx


def corrupted_blocks(parameters, X, Y, bug, activation, lambd, keep_prob, masks):
    """The blocks whose analytic gradient the bug changes (found by comparing, not declared)."""
    settings = (X, Y, activation, lambd, keep_prob, masks)
    right = network.cost_and_gradients(parameters, *settings).grads
    wrong = network.cost_and_gradients(parameters, *settings, bug=bug).grads
    return {key[1:] for key in right if not np.allclose(right[key], wrong[key], rtol=1e-12)}


def masks_drawn_by_check(layer_dims, keep_prob, seed):
    # check_network draws its one fixed mask first from its rng
    rng = np.random.default_rng(seed)
    return network.dropout_masks(layer_dims, M, keep_prob, rng) if keep_prob < 1 else None


# ----------------------------------------------------------------------------- the formula


def test_verdict_bands_are_the_lectures_three_in_increasing_order():
    edges = [band.below for band in gc.VERDICT_BANDS]
    assert [band.verdict for band in gc.VERDICT_BANDS] == ["great", "suspicious", "bug"]
    assert edges == sorted(edges) and edges[-1] == np.inf
    assert gc.verdict_for(0.0) == "great"
    assert gc.verdict_for(np.nextafter(1e-7, 0)) == "great"
    assert gc.verdict_for(1e-7) == "suspicious"
    assert gc.verdict_for(1e-5) == "suspicious"  # the lecture's "double-check"
    assert gc.verdict_for(1e-3) == "bug"
    assert gc.verdict_for(1.0) == "bug"


@pytest.mark.parametrize("difference", [-1e-9, np.nan, np.inf])
def test_verdict_refuses_what_is_not_a_difference(difference):
    with pytest.raises(ValueError, match="difference"):
        gc.verdict_for(difference)


def test_relative_difference_is_the_lectures_formula():
    approx, exact = np.array([3.0, 4.0]), np.array([3.0, 0.0])
    assert gc.relative_difference(approx, exact) == pytest.approx(4.0 / (5.0 + 3.0))
    assert gc.relative_difference(np.zeros(3), np.zeros(3)) == 0.0
    assert gc.relative_difference(exact, exact) == 0.0


# ----------------------------------------------------------------------------- any cost


def quadratic(seed=0, n=6):
    """J(θ) = ½ θᵀAθ + cᵀθ with A symmetric; ∇J(θ) = Aθ + c in closed form."""
    rng = np.random.default_rng(seed)
    B = rng.standard_normal((n, n))
    A, c = B + B.T, rng.standard_normal(n)
    theta = rng.standard_normal(n)
    return (lambda t: float(0.5 * t @ A @ t + c @ t)), theta, A @ theta + c


def test_gradient_check_passes_the_closed_form_gradient_of_a_quadratic():
    J, theta, d_theta = quadratic()
    result = gc.gradient_check(J, theta, d_theta)
    assert result.difference < 1e-9
    assert result.verdict == "great"
    assert result.epsilon == gc.DEFAULT_EPSILON
    assert result.evaluations == 2 * theta.size
    np.testing.assert_allclose(result.approx, d_theta, rtol=1e-8)


def test_gradient_check_points_at_the_one_wrong_component():
    J, theta, d_theta = quadratic()
    wrong = d_theta.copy()
    wrong[3] += 0.5
    result = gc.gradient_check(J, theta, wrong)
    assert result.verdict == "bug"
    assert result.worst[0].name == "θ[3]"
    assert result.worst[0].error == pytest.approx(0.5, rel=1e-6)
    assert result.worst[0].analytic == wrong[3]


def test_gradient_check_with_a_layout_reports_each_block():
    parameters, X, Y = he_network(DIMS, seed=1)
    theta, layout = network.parameters_to_vector(parameters)
    grads = network.cost_and_gradients(parameters, X, Y, "tanh").grads
    d_theta = network.gradients_to_vector(grads, layout)
    d_theta[layout["b2"].start] *= 3

    def J(theta):
        return network.compute_cost(network.vector_to_parameters(theta, layout), X, Y, "tanh")

    result = gc.gradient_check(J, theta, d_theta, layout=layout)
    assert set(result.per_block) == {"W1", "b1", "W2", "b2", "W3", "b3"}
    assert max(result.per_block, key=result.per_block.get) == "b2"
    assert result.worst[0].name == "b2[0, 0]"
    assert result.per_block["W1"] < 1e-7


def test_gradient_check_never_changes_the_callers_arrays():
    J, theta, d_theta = quadratic()
    theta_before, d_theta_before = theta.copy(), d_theta.copy()
    gc.gradient_check(J, theta, d_theta)
    np.testing.assert_array_equal(theta, theta_before)
    np.testing.assert_array_equal(d_theta, d_theta_before)

    def vandal(t):
        t[0] = 99.0  # a cost that writes into its argument
        return 0.0

    with pytest.raises(ValueError, match="read-only"):
        gc.gradient_check(vandal, theta, d_theta)
    np.testing.assert_array_equal(theta, theta_before)


def test_gradient_check_keeps_float32_and_warns_why_a_correct_gradient_fails():
    J, theta, d_theta = quadratic()
    result = gc.gradient_check(J, theta.astype(np.float32), d_theta.astype(np.float32), 1e-7)
    assert result.difference > 1e-3  # a correct gradient scored as broken
    assert any("float32" in warning and "round-off" in warning for warning in result.warnings)
    assert gc.gradient_check(J, theta, d_theta).warnings == ()


@pytest.mark.parametrize("epsilon", [0.0, -1e-5, np.nan, np.inf, "1e-5"])
def test_gradient_check_refuses_a_bad_epsilon(epsilon):
    J, theta, d_theta = quadratic()
    with pytest.raises(ValueError, match="ε"):
        gc.gradient_check(J, theta, d_theta, epsilon=epsilon)


def test_gradient_check_refuses_a_shape_mismatch():
    J, theta, d_theta = quadratic()
    with pytest.raises(ValueError, match=r"same shape; got \(6,\) and \(5,\)"):
        gc.gradient_check(J, theta, d_theta[:5])


@pytest.mark.parametrize(
    "cost, message",
    [
        (lambda t: np.nan, "returned nan"),
        (lambda t: np.inf, "returned inf"),
        (lambda t: t, "scalar"),
        (lambda t: np.array([[1.0]]), "scalar"),
        (lambda t: "J", "scalar"),
        (lambda t: 1j, "real"),
    ],
)
def test_gradient_check_refuses_a_cost_that_is_not_one_finite_number(cost, message):
    _, theta, d_theta = quadratic()
    with pytest.raises(ValueError, match=message):
        gc.gradient_check(cost, theta, d_theta)


def test_gradient_check_refuses_a_theta_with_nan_before_calling_the_cost():
    J, theta, d_theta = quadratic()
    theta[2] = np.nan
    with pytest.raises(ValueError, match="θ contains NaN"):
        gc.gradient_check(J, theta, d_theta)


def test_gradient_check_refuses_a_layout_of_another_size():
    J, theta, d_theta = quadratic()
    _, layout = network.parameters_to_vector(he_network(DIMS, seed=0)[0])
    with pytest.raises(ValueError, match="layout"):
        gc.gradient_check(J, theta, d_theta, layout=layout)


# ----------------------------------------------------------------------------- the network


@pytest.mark.parametrize("layer_dims", [[3, 1], DIMS, [2, 6, 6, 4, 1]], ids=str)
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("lambd, keep_prob", [(0.0, 1.0), (0.7, 1.0), (0.7, 0.8)])
@pytest.mark.parametrize("method", gc.METHODS)
def test_full_check_gives_the_same_numerical_gradient_as_the_course_loop(
    layer_dims, activation, lambd, keep_prob, method
):
    parameters, X, Y = he_network(layer_dims, seed=2)
    result = gc.check_network(
        parameters,
        X,
        Y,
        activation=activation,
        lambd=lambd,
        keep_prob=keep_prob,
        rng=np.random.default_rng(5),
        method=method,
    )
    masks = masks_drawn_by_check(layer_dims, keep_prob, seed=5)
    settings = (activation, lambd, keep_prob, masks, gc.DEFAULT_EPSILON)
    reference = course_loop(parameters, X, Y, *settings)
    assert np.linalg.norm(result.approx - reference) <= 1e-9 * np.linalg.norm(reference)
    np.testing.assert_array_equal(result.indices, np.arange(reference.size))
    assert result.verdict == "great"


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("lambd", [0.0, 0.7])
@pytest.mark.parametrize("keep_prob", [1.0, 0.8])
@pytest.mark.parametrize("seed", range(3))
def test_correct_network_at_random_initialization_scores_great_with_default_epsilon(
    activation, lambd, keep_prob, seed
):
    parameters, X, Y = he_network(DIMS, seed)
    result = gc.check_network(
        parameters, X, Y, activation=activation, lambd=lambd, keep_prob=keep_prob
    )
    assert result.difference < 1e-7
    assert result.verdict == "great"
    assert max(result.per_block.values()) < 1e-7


BUG_SETTINGS = [
    (bug, activation, lambd)
    for bug in network.PLANTED_BUGS
    for activation in ACTIVATIONS
    for lambd in (0.0, 0.7)
    if not (bug == "l2_missing_in_dW" and lambd == 0.0)  # it needs λ > 0
]


@pytest.mark.parametrize("bug, activation, lambd", BUG_SETTINGS)
@pytest.mark.parametrize("seed", range(2))
def test_every_planted_bug_is_caught_and_located(bug, activation, lambd, seed):
    keep_prob = 0.8 if bug == "dropout_mask_forgotten" else 1.0  # it needs dropout
    parameters, X, Y = he_network(DIMS, seed)
    result = gc.check_network(
        parameters,
        X,
        Y,
        activation=activation,
        lambd=lambd,
        keep_prob=keep_prob,
        bug=bug,
        rng=np.random.default_rng(seed),
    )
    masks = masks_drawn_by_check(DIMS, keep_prob, seed)
    touched = corrupted_blocks(parameters, X, Y, bug, activation, lambd, keep_prob, masks)
    assert result.difference > 1e-3
    assert result.verdict == "bug"
    assert max(result.per_block, key=result.per_block.get) in touched
    assert result.worst[0].name.split("[")[0] in touched
    for name in set(result.per_block) - touched:
        assert result.per_block[name] < 1e-7


@pytest.mark.parametrize("bug, block", [("dW2_doubled", "W2"), ("db1_not_averaged", "b1")])
def test_a_single_block_bug_has_the_largest_difference_in_its_block(bug, block):
    parameters, X, Y = he_network(DIMS, seed=3)
    result = gc.check_network(parameters, X, Y, activation="relu", bug=bug)
    assert max(result.per_block, key=result.per_block.get) == block
    assert result.worst[0].name.startswith(block + "[")
    if bug == "dW2_doubled":  # the claimed derivative is twice the true one
        assert result.worst[0].analytic == pytest.approx(2 * result.worst[0].approx, rel=1e-6)


@pytest.mark.parametrize(
    "bug, setting", [("l2_missing_in_dW", {"lambd": 0.0}), ("dropout_mask_forgotten", {})]
)
def test_a_bug_outside_its_setting_changes_nothing_and_passes(bug, setting):
    parameters, X, Y = he_network(DIMS, seed=4)
    assert gc.check_network(parameters, X, Y, bug=bug, **setting).verdict == "great"


@pytest.mark.parametrize("method", gc.METHODS)
def test_sample_mode_checks_k_coordinates_of_every_block(method):
    parameters, X, Y = he_network(DIMS, seed=5)
    result = gc.check_network(
        parameters, X, Y, activation="tanh", mode="sample", k=3, method=method
    )
    _, layout = network.parameters_to_vector(parameters)
    sizes = {block.name: block.size for block in layout.blocks}
    assert result.evaluations == 2 * sum(min(3, size) for size in sizes.values())
    for block in layout.blocks:
        inside = (result.indices >= block.start) & (result.indices < block.stop)
        assert inside.sum() == min(3, block.size)
    reference = course_loop(parameters, X, Y, "tanh", 0.0, 1.0, None, gc.DEFAULT_EPSILON)
    np.testing.assert_allclose(result.approx, reference[result.indices], rtol=1e-8, atol=1e-12)
    assert set(result.per_block) == set(sizes)
    assert result.difference < 1e-7


def test_sample_mode_locates_a_planted_bug():
    parameters, X, Y = he_network(DIMS, seed=6)
    result = gc.check_network(parameters, X, Y, bug="dW2_doubled", mode="sample", k=4)
    assert result.verdict == "bug"
    assert max(result.per_block, key=result.per_block.get) == "W2"


def test_directions_mode_uses_two_evaluations_per_direction_and_passes_correct_code():
    parameters, X, Y = he_network(DIMS, seed=7)
    result = gc.check_network(parameters, X, Y, lambd=0.7, mode="directions", k=10)
    assert result.evaluations == 20
    assert result.indices is None and result.per_block == {}
    assert result.approx.shape == result.analytic.shape == (10,)
    assert result.difference < 1e-7


@pytest.mark.parametrize("bug", sorted(network.PLANTED_BUGS))
def test_directions_mode_catches_every_planted_bug(bug):
    parameters, X, Y = he_network(DIMS, seed=8)
    result = gc.check_network(
        parameters, X, Y, lambd=0.7, keep_prob=0.8, bug=bug, mode="directions", k=10
    )
    assert result.difference > 1e-3


def plain_differences(parameters, X, Y, vectors, activation, lambd, keep_prob, masks, epsilon):
    """(J(θ + ε·v) − J(θ − ε·v)) / 2ε for each row v of ``vectors``, one whole forward pass
    per evaluation."""
    theta, layout = network.parameters_to_vector(parameters)
    differences = []
    for v in vectors:
        costs = []
        for sign in (1, -1):
            nudged = network.vector_to_parameters(
                theta + (sign * epsilon * v).astype(theta.dtype), layout
            )
            costs.append(network.compute_cost(nudged, X, Y, activation, lambd, keep_prob, masks))
        differences.append((costs[0] - costs[1]) / (2 * epsilon))
    return np.array(differences)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("lambd, keep_prob", [(0.0, 1.0), (0.7, 0.8)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("method", gc.METHODS)
def test_directions_mode_is_the_two_sided_difference_along_random_unit_vectors(
    activation, lambd, keep_prob, dtype, method
):
    parameters, X, Y = he_network(DIMS, seed=34, dtype=dtype)
    epsilon = gc.DEFAULT_EPSILON if dtype == np.float64 else 1e-2
    settings = dict(activation=activation, lambd=lambd, keep_prob=keep_prob)
    result = gc.check_network(
        parameters, X, Y, epsilon=epsilon, mode="directions", k=7, rng=np.random.default_rng(5),
        method=method, **settings,
    )  # fmt: skip
    # the check draws its mask first, then the directions, from the same rng
    rng = np.random.default_rng(5)
    masks = network.dropout_masks(DIMS, M, keep_prob, rng) if keep_prob < 1 else None
    theta, layout = network.parameters_to_vector(parameters)
    directions = np.array(list(random_directions(7, theta.size, dtype, rng)))
    assert directions.dtype == dtype
    np.testing.assert_allclose(np.linalg.norm(directions, axis=1), 1, rtol=1e-6)
    X, Y = X.astype(dtype), Y.astype(dtype)
    reference = plain_differences(parameters, X, Y, directions, *settings.values(), masks, epsilon)
    tolerance = 1e-9 if dtype == np.float64 else 1e-3  # float32: its round-off at ε = 1e-2
    assert np.linalg.norm(result.approx - reference) <= tolerance * np.linalg.norm(reference)
    claimed = network.cost_and_gradients(parameters, X, Y, **settings, masks=masks)
    d_theta = network.gradients_to_vector(claimed.grads, layout).astype(np.float64)
    np.testing.assert_allclose(result.analytic, directions.astype(np.float64) @ d_theta)


def test_directions_are_unit_vectors_so_dtheta_dot_u_is_bounded_by_the_gradient_norm():
    parameters, X, Y = he_network(DIMS, seed=9)
    result = gc.check_network(parameters, X, Y, mode="directions", k=50)
    grads = network.cost_and_gradients(parameters, X, Y).grads
    _, layout = network.parameters_to_vector(parameters)
    norm = np.linalg.norm(network.gradients_to_vector(grads, layout))
    assert np.all(np.abs(result.analytic) <= norm * (1 + 1e-12))


@pytest.mark.parametrize("method", gc.METHODS)
def test_dropout_passes_with_a_fixed_mask_and_fails_with_a_fresh_one(method):
    parameters, X, Y = he_network(DIMS, seed=10)
    result = gc.check_network(parameters, X, Y, activation="tanh", keep_prob=0.8, method=method)
    assert result.verdict == "great"
    assert result.fresh_mask_difference > 0.5
    assert any("fresh mask" in warning for warning in result.warnings)
    assert gc.check_network(parameters, X, Y).fresh_mask_difference is None


def kinked_network(activation):
    """A network whose unit 0 of layer 1 sits exactly at Z = 0 for example 0."""
    parameters, X, Y = he_network(DIMS, seed=11)
    parameters["b1"][0, 0] = -parameters["W1"][0] @ X[:, 0]
    return parameters, X, Y


def kinks_by_brute_force(parameters, X, Y, activation, epsilon):
    """The coordinates whose ±ε networks disagree on the sign of some hidden Z."""
    theta, layout = network.parameters_to_vector(parameters)
    names = []
    for i in range(theta.size):
        signs = []
        for sign in (1, -1):
            nudged = theta.copy()
            nudged[i] += sign * epsilon
            _, cache = network.forward_propagation(
                X, network.vector_to_parameters(nudged, layout), activation
            )
            signs.append([Z > 0 for Z in cache.Z[1:-1]])
        if any(np.any(a != b) for a, b in zip(*signs, strict=True)):
            names.append(layout.coordinate_name(i))
    return names


@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
@pytest.mark.parametrize("method", gc.METHODS)
def test_relu_kinks_are_reported_where_a_pre_activation_crosses_zero(activation, method):
    parameters, X, Y = kinked_network(activation)
    result = gc.check_network(parameters, X, Y, activation=activation, method=method)
    expected = kinks_by_brute_force(parameters, X, Y, activation, gc.DEFAULT_EPSILON)
    assert expected  # the setup really puts a unit on the kink
    assert list(result.kinks.names) == expected
    assert result.kinks.crossings >= len(expected)
    assert result.kinks.difference_without < 1e-7
    assert any("kink" in warning for warning in result.warnings)


def zero_bias_network(layer_dims, seed):
    """As initialize_parameters starts a network: He weights, b = 0; 16 examples."""
    rng = np.random.default_rng(seed)
    parameters = initialize_parameters(layer_dims, "he", rng)
    X = rng.standard_normal((layer_dims[0], 16))
    return parameters, X, (rng.random((1, 16)) < 0.5).astype(float)


@pytest.mark.parametrize("seed", range(20))
def test_a_correct_zero_bias_relu_network_passes_once_its_kinks_are_left_out(seed):
    # With b = 0 a layer dead for every example puts the next Z exactly on the kink.
    result = gc.check_network(*zero_bias_network([4, 5, 3, 1], seed), activation="relu")
    assert result.difference < 1e-7 or result.kinks.count > 0
    assert result.kinks.difference_without < 1e-7
    assert max(result.per_block.values()) < 1e-7
    kinked_blocks = {name.split("[")[0] for name in result.kinks.names}
    assert set(result.per_block) >= {"W1", "b1"} - kinked_blocks


@pytest.mark.parametrize("seed", range(12))
def test_kinks_never_outrank_the_block_a_bug_is_in(seed):
    parameters, X, Y = zero_bias_network([3, 4, 4, 4, 1], seed)
    result = gc.check_network(parameters, X, Y, activation="relu", bug="dW2_doubled")
    assert max(result.per_block, key=result.per_block.get) == "W2"


def test_kinks_are_counted_in_directions_mode_too():
    parameters, X, Y = kinked_network("relu")
    result = gc.check_network(parameters, X, Y, mode="directions", k=10)
    assert result.kinks.count == 10  # every direction moves the unit sitting on 0
    assert all(name.startswith("u") for name in result.kinks.names)


def test_kinks_are_not_reported_for_smooth_activations():
    parameters, X, Y = kinked_network("tanh")
    assert gc.check_network(parameters, X, Y, activation="tanh").kinks is None


def test_a_smooth_random_network_meets_no_kink():
    parameters, X, Y = he_network(DIMS, seed=12)
    kinks = gc.check_network(parameters, X, Y).kinks
    assert kinks.count == 0 and kinks.crossings == 0


def test_float32_parameters_are_checked_in_float32_with_a_warning():
    parameters, X, Y = he_network(DIMS, seed=13, dtype=np.float32)
    result = gc.check_network(parameters, X, Y, activation="tanh", epsilon=1e-7)
    assert result.difference > 1e-3  # correct code, yet it looks broken
    assert any("float32" in warning and "2ε" in warning for warning in result.warnings)
    parameters64 = {key: value.astype(np.float64) for key, value in parameters.items()}
    assert gc.check_network(parameters64, X, Y, activation="tanh").warnings == ()


@pytest.mark.parametrize("method", gc.METHODS)
def test_float32_check_matches_a_float32_course_loop(method):
    parameters, X, Y = he_network(DIMS, seed=14, dtype=np.float32)
    X32, Y32 = X.astype(np.float32), Y.astype(np.float32)
    result = gc.check_network(parameters, X, Y, activation="tanh", epsilon=1e-3, method=method)
    reference = course_loop(parameters, X32, Y32, "tanh", 0.0, 1.0, None, 1e-3)
    assert np.linalg.norm(result.approx - reference) <= 1e-3 * np.linalg.norm(reference)


def test_check_network_never_changes_what_it_is_given():
    for dtype in (np.float64, np.float32):
        parameters, X, Y = he_network(DIMS, seed=15, dtype=dtype)
        before = ({key: value.copy() for key, value in parameters.items()}, X.copy(), Y.copy())
        gc.check_network(parameters, X, Y, lambd=0.7, keep_prob=0.8, bug="dW2_doubled")
        for key, value in parameters.items():
            np.testing.assert_array_equal(value, before[0][key])
            assert value.dtype == dtype
        np.testing.assert_array_equal(X, before[1])
        np.testing.assert_array_equal(Y, before[2])


def test_the_result_carries_the_cost_meter():
    parameters, X, Y = he_network(DIMS, seed=16)
    result = gc.check_network(parameters, X, Y)
    P = sum(value.size for value in parameters.values())
    assert result.evaluations == 2 * P
    assert result.seconds > 0 and result.backward_seconds > 0
    assert result.epsilon == gc.DEFAULT_EPSILON and result.mode == "full"
    assert len(result.worst) == gc.WORST_COUNT


def test_the_check_is_repeatable_with_the_default_rng():
    parameters, X, Y = he_network(DIMS, seed=17)
    first = gc.check_network(parameters, X, Y, keep_prob=0.8, mode="sample", k=2)
    second = gc.check_network(parameters, X, Y, keep_prob=0.8, mode="sample", k=2)
    np.testing.assert_array_equal(first.indices, second.indices)
    np.testing.assert_array_equal(first.approx, second.approx)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"epsilon": 0.0}, "ε"),
        ({"epsilon": -1e-5}, "ε"),
        ({"epsilon": np.nan}, "ε"),
        ({"epsilon": np.inf}, "ε"),
        ({"mode": "fast"}, "mode"),
        ({"method": "slow"}, "method"),
        ({"mode": "sample", "k": 0}, "k"),
        ({"keep_prob": 0.0}, "keep_prob"),
        ({"keep_prob": 1.5}, "keep_prob"),
        ({"bug": "typo"}, "planted bug"),
        ({"activation": "softmax"}, "activation"),
        ({"lambd": -1.0}, "λ"),
    ],
)
def test_check_network_refuses_bad_options(options, message):
    parameters, X, Y = he_network(DIMS, seed=18)
    with pytest.raises(ValueError, match=message):
        gc.check_network(parameters, X, Y, **options)


def test_check_network_refuses_data_that_does_not_fit():
    parameters, X, Y = he_network(DIMS, seed=19)
    with pytest.raises(ValueError, match="features"):
        gc.check_network(parameters, X[:3], Y)
    with pytest.raises(ValueError, match="keys"):
        gc.check_network({"W1": parameters["W1"]}, X, Y)


def test_check_network_refuses_a_network_that_overflows():
    parameters, X, Y = he_network(DIMS, seed=20)
    parameters["W1"] = parameters["W1"] * 1e308
    with pytest.raises(ValueError, match="overflow"):
        gc.check_network(parameters, X, Y)


def test_full_mode_refuses_a_huge_network_and_suggests_the_cheap_modes():
    rng = np.random.default_rng(21)
    parameters = {
        "W1": rng.standard_normal((500, 401)),
        "b1": np.zeros((500, 1)),
        "W2": rng.standard_normal((1, 500)) * 0.01,
        "b2": np.zeros((1, 1)),
    }
    X, Y = rng.standard_normal((401, 2)), np.array([[0.0, 1.0]])
    with pytest.raises(ValueError, match="mode='sample' or mode='directions'"):
        gc.check_network(parameters, X, Y)
    assert gc.check_network(parameters, X, Y, mode="directions", k=2).evaluations == 4


# ----------------------------------------------------------------------------- the formula's terms


def test_difference_terms_are_the_three_norms_of_the_lectures_formula():
    approx, exact = np.array([3.0, 4.0, 0.0]), np.array([0.0, 4.0, 0.0])
    terms = gc.difference_terms(approx, exact)
    assert terms.numerator == pytest.approx(3.0)
    assert terms.approx_norm == pytest.approx(5.0)
    assert terms.analytic_norm == pytest.approx(4.0)
    assert terms.difference == pytest.approx(3.0 / 9.0)
    assert terms.difference == gc.relative_difference(approx, exact)
    assert gc.difference_terms(np.zeros(2), np.zeros(2)) == (0.0, 0.0, 0.0, 0.0)


# ----------------------------------------------------------------------------- the ε sweep


def test_epsilon_sweep_is_check_network_at_every_epsilon_of_its_grid():
    parameters, X, Y = he_network(DIMS, seed=22)
    epsilons = (1e-3, 1e-9, 1e-6)
    sweep = epsilon_sweep(parameters, X, Y, epsilons, activation="tanh", mode="sample", k=2)
    np.testing.assert_array_equal(sweep.epsilons, sorted(epsilons))
    for epsilon, difference in zip(sweep.epsilons, sweep.differences, strict=True):
        alone = gc.check_network(
            parameters, X, Y, activation="tanh", epsilon=epsilon, mode="sample", k=2
        )
        assert difference == alone.difference  # the same coordinates, drawn from seed 0
        assert sweep.difference_at(epsilon) == alone.difference
    assert sweep.dtype == "float64" and sweep.mode == "sample"
    assert sweep.components == 2 * 6 - 1  # 2 per block, b3 has 1
    np.testing.assert_array_equal(sweep.without_kinks, sweep.differences)  # tanh: no kinks
    assert not sweep.kinked.any()


def test_epsilon_sweep_of_a_correct_float64_network_is_a_u():
    parameters, X, Y = he_network(DIMS, seed=23)
    sweep = epsilon_sweep(parameters, X, Y, activation="tanh")
    np.testing.assert_array_equal(sweep.epsilons, SWEEP_EPSILONS)
    bottom = int(np.argmin(sweep.differences))
    assert 0 < bottom < len(sweep.epsilons) - 1
    assert sweep.best_difference < 1e-9 < sweep.differences[0]  # round-off at ε = 1e-12
    assert sweep.differences[-1] > 1e3 * sweep.best_difference  # truncation at ε = 0.1
    # left of the bottom round-off grows like 1/ε: a slope of −1 on log-log axes
    left = slice(0, bottom - 1)
    slope = np.polyfit(np.log10(sweep.epsilons[left]), np.log10(sweep.differences[left]), 1)[0]
    assert slope == pytest.approx(-1.0, abs=0.25)
    assert sweep.best_epsilon > gc.COURSE_EPSILON  # the course's ε sits on the round-off side
    assert sweep.difference_at(gc.COURSE_EPSILON) > 10 * sweep.best_difference


def test_epsilon_sweep_in_float32_fails_a_correct_gradient_at_the_courses_epsilon():
    parameters, X, Y = he_network(DIMS, seed=24, dtype=np.float32)
    sweep = epsilon_sweep(parameters, X, Y, (gc.COURSE_EPSILON, 1e-2), activation="tanh")
    assert sweep.dtype == "float32"
    assert sweep.difference_at(gc.COURSE_EPSILON) > 1e-2
    assert gc.verdict_for(sweep.difference_at(gc.COURSE_EPSILON)) == "bug"


def test_epsilon_sweep_reports_kinks_and_the_difference_without_them():
    parameters, X, Y = he_network(DIMS, seed=25)
    sweep = epsilon_sweep(parameters, X, Y, (1e-6, 0.3), activation="relu")
    alone = gc.check_network(parameters, X, Y, activation="relu", epsilon=0.3)
    assert sweep.kinked[-1] == alone.kinks.count > 0
    assert sweep.without_kinks[-1] == alone.kinks.difference_without
    assert sweep.kinked[0] == 0


def test_epsilon_sweep_with_a_planted_bug_never_gets_out_of_the_bug_band():
    parameters, X, Y = he_network(DIMS, seed=26)
    sweep = epsilon_sweep(parameters, X, Y, activation="tanh", bug="dW2_doubled")
    assert sweep.best_difference > 1e-3


def test_epsilon_sweep_draws_one_seed_from_its_rng_for_every_check():
    parameters, X, Y = he_network(DIMS, seed=27)
    options = {"activation": "tanh", "mode": "directions", "k": 3}
    first = epsilon_sweep(parameters, X, Y, (1e-6, 1e-4), rng=np.random.default_rng(5), **options)
    again = epsilon_sweep(parameters, X, Y, (1e-6, 1e-4), rng=np.random.default_rng(5), **options)
    np.testing.assert_array_equal(first.differences, again.differences)
    seed = int(np.random.default_rng(5).integers(2**63))
    alone = gc.check_network(
        parameters, X, Y, epsilon=1e-4, rng=np.random.default_rng(seed), **options
    )
    assert first.difference_at(1e-4) == alone.difference


@pytest.mark.parametrize(
    "epsilons, message",
    [((), "1 to"), (tuple(np.logspace(-9, -2, 51)), "1 to"), ((0.0,), "ε"), ((1e-5, 2.0), "ε"),
     (("1e-5",), "ε")],
)  # fmt: skip
def test_epsilon_sweep_refuses_a_bad_grid(epsilons, message):
    parameters, X, Y = he_network(DIMS, seed=28)
    with pytest.raises(ValueError, match=message):
        epsilon_sweep(parameters, X, Y, epsilons)


def test_difference_at_refuses_an_epsilon_off_the_grid():
    parameters, X, Y = he_network(DIMS, seed=29)
    sweep = epsilon_sweep(parameters, X, Y, (1e-5,), activation="tanh")
    with pytest.raises(ValueError, match="not on the sweep's grid"):
        sweep.difference_at(3e-5)


def test_fresh_mask_false_skips_only_the_fresh_mask_comparison():
    parameters, X, Y = he_network(DIMS, seed=30)
    with_fresh = gc.check_network(parameters, X, Y, activation="tanh", keep_prob=0.8)
    without = gc.check_network(parameters, X, Y, activation="tanh", keep_prob=0.8, fresh_mask=False)
    assert with_fresh.fresh_mask_difference > 1e-3 and without.fresh_mask_difference is None
    assert without.difference == with_fresh.difference
    assert not any("fresh mask" in warning for warning in without.warnings)
