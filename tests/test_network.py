"""core.network: backprop against finite differences, the cost against a naive formula,
flattening round trips, dropout, training and predictions."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import activations, network
from core.activations import ACTIVATIONS

LAYER_SIZES = [[3, 1], [3, 4, 1], [4, 5, 3, 1], [2, 6, 6, 4, 1]]


def random_parameters(layer_dims, rng, dtype=np.float64):
    return {
        key: value
        for l in range(1, len(layer_dims))
        for key, value in (
            (f"W{l}", rng.standard_normal((layer_dims[l], layer_dims[l - 1])).astype(dtype)),
            (f"b{l}", 0.1 * rng.standard_normal((layer_dims[l], 1)).astype(dtype)),
        )
    }


def random_data(n_x, m, rng):
    X = rng.standard_normal((n_x, m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    return X, Y


def naive_numerical_gradient(parameters, X, Y, activation, lambd, keep_prob, masks, epsilon):
    """The course's loop: copy θ, nudge one coordinate each way, run the whole network."""
    theta, layout = network.parameters_to_vector(parameters)
    approx = np.zeros_like(theta)
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += epsilon
        minus[i] -= epsilon
        J_plus = network.compute_cost(
            network.vector_to_parameters(plus, layout), X, Y, activation, lambd, keep_prob, masks
        )
        J_minus = network.compute_cost(
            network.vector_to_parameters(minus, layout), X, Y, activation, lambd, keep_prob, masks
        )
        approx[i] = (J_plus - J_minus) / (2 * epsilon)
    return approx


def relative_difference(a, b):
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("layer_dims", LAYER_SIZES, ids=str)
@pytest.mark.parametrize("lambd, keep_prob", [(0.0, 1.0), (0.7, 1.0), (0.7, 0.6)])
def test_backprop_matches_finite_differences(activation, layer_dims, lambd, keep_prob):
    rng = np.random.default_rng(len(layer_dims) * 7 + ACTIVATIONS.index(activation))
    parameters = random_parameters(layer_dims, rng)
    X, Y = random_data(layer_dims[0], 9, rng)
    masks = network.dropout_masks(layer_dims, 9, keep_prob, rng) if keep_prob < 1 else None
    result = network.cost_and_gradients(parameters, X, Y, activation, lambd, keep_prob, masks)
    _, layout = network.parameters_to_vector(parameters)
    d_theta = network.gradients_to_vector(result.grads, layout)
    approx = naive_numerical_gradient(
        parameters, X, Y, activation, lambd, keep_prob, masks, epsilon=1e-6
    )
    assert relative_difference(approx, d_theta) < 1e-7


def test_cost_matches_naive_cross_entropy_with_l2():
    rng = np.random.default_rng(1)
    parameters = random_parameters([3, 4, 1], rng)
    X, Y = random_data(3, 20, rng)
    lambd = 0.3
    A1 = np.maximum(parameters["W1"] @ X + parameters["b1"], 0)
    A2 = 1 / (1 + np.exp(-(parameters["W2"] @ A1 + parameters["b2"])))
    m = X.shape[1]
    expected = -np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) + lambd / (2 * m) * (
        np.sum(parameters["W1"] ** 2) + np.sum(parameters["W2"] ** 2)
    )
    cost = network.cost_and_gradients(parameters, X, Y, "relu", lambd).cost
    assert cost == pytest.approx(expected, rel=1e-12)


def test_cost_stays_finite_when_the_output_saturates():
    parameters = {"W1": np.array([[1000.0]]), "b1": np.zeros((1, 1))}
    X, Y = np.array([[1.0, -1.0]]), np.array([[0.0, 1.0]])
    cost = network.cost_and_gradients(parameters, X, Y).cost
    assert cost == pytest.approx(1000.0)  # each example costs |z| = 1000 nats


def test_gradients_come_in_layer_order():
    rng = np.random.default_rng(2)
    parameters = random_parameters([3, 4, 2, 1], rng)
    grads = network.cost_and_gradients(parameters, *random_data(3, 5, rng)).grads
    assert list(grads) == ["dW1", "db1", "dW2", "db2", "dW3", "db3"]
    for key, value in grads.items():
        assert value.shape == parameters[key[1:]].shape


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_forward_keeps_the_parameters_dtype(dtype):
    rng = np.random.default_rng(3)
    parameters = random_parameters([3, 4, 1], rng, dtype)
    X = rng.standard_normal((3, 5)).astype(dtype)
    A_L, _ = network.forward_propagation(X, parameters, "tanh")
    assert A_L.dtype == dtype


def test_dropout_masks_keep_the_expected_fraction_and_skip_the_output():
    rng = np.random.default_rng(4)
    masks = network.dropout_masks([5, 400, 300, 1], 50, 0.8, rng)
    assert sorted(masks) == [1, 2]
    assert masks[1].shape == (400, 50)
    assert masks[2].mean() == pytest.approx(0.8, abs=0.01)


def test_same_mask_gives_same_cost_and_fresh_masks_do_not():
    rng = np.random.default_rng(5)
    dims = [3, 8, 8, 1]
    parameters = random_parameters(dims, rng)
    X, Y = random_data(3, 10, rng)
    masks = network.dropout_masks(dims, 10, 0.5, rng)
    J1 = network.compute_cost(parameters, X, Y, "relu", 0.0, 0.5, masks)
    J2 = network.compute_cost(parameters, X, Y, "relu", 0.0, 0.5, masks)
    other = network.dropout_masks(dims, 10, 0.5, rng)
    J3 = network.compute_cost(parameters, X, Y, "relu", 0.0, 0.5, other)
    assert J1 == J2
    assert J1 != J3


def test_inverted_dropout_keeps_the_expected_activation():
    rng = np.random.default_rng(6)
    dims = [2, 2000, 1]
    parameters = random_parameters(dims, rng)
    X = rng.standard_normal((2, 1))
    _, plain = network.forward_propagation(X, parameters, "relu")
    masks = network.dropout_masks(dims, 1, 0.5, rng)
    _, dropped = network.forward_propagation(X, parameters, "relu", 0.5, masks)
    assert dropped.A[1].mean() == pytest.approx(plain.A[1].mean(), rel=0.1)


@pytest.mark.parametrize("bug", sorted(network.PLANTED_BUGS))
def test_every_planted_bug_changes_the_gradient_in_its_setting(bug):
    rng = np.random.default_rng(7)
    dims = [3, 5, 4, 1]
    parameters = random_parameters(dims, rng)
    X, Y = random_data(3, 12, rng)
    masks = network.dropout_masks(dims, 12, 0.7, rng)
    kwargs = {"activation": "tanh", "lambd": 0.7, "keep_prob": 0.7, "masks": masks}
    right = network.cost_and_gradients(parameters, X, Y, **kwargs).grads
    wrong = network.cost_and_gradients(parameters, X, Y, bug=bug, **kwargs).grads
    changed = {key[1:] for key in right if not np.allclose(right[key], wrong[key])}
    declared = set(network.PLANTED_BUGS[bug].blocks)
    if "*" in declared:
        assert changed
    else:
        assert changed == declared


@pytest.mark.parametrize(
    "bug, setting", [("l2_missing_in_dW", {"lambd": 0.0}), ("dropout_mask_forgotten", {})]
)
def test_setting_dependent_bugs_change_nothing_without_their_setting(bug, setting):
    rng = np.random.default_rng(8)
    parameters = random_parameters([3, 4, 1], rng)
    X, Y = random_data(3, 6, rng)
    right = network.cost_and_gradients(parameters, X, Y, **setting).grads
    wrong = network.cost_and_gradients(parameters, X, Y, bug=bug, **setting).grads
    for key in right:
        np.testing.assert_array_equal(right[key], wrong[key])


def test_unknown_bug_is_refused_with_the_list():
    rng = np.random.default_rng(9)
    parameters = random_parameters([3, 1], rng)
    with pytest.raises(ValueError, match="choose one of dW2_doubled"):
        network.cost_and_gradients(parameters, *random_data(3, 4, rng), bug="typo")


@settings(max_examples=40, deadline=None)
@given(
    layer_dims=st.lists(st.integers(1, 6), min_size=1, max_size=4).map(lambda h: [*h, 1]),
    seed=st.integers(0, 2**32 - 1),
)
def test_flatten_then_unflatten_gives_back_the_parameters(layer_dims, seed):
    rng = np.random.default_rng(seed)
    parameters = random_parameters(layer_dims, rng)
    theta, layout = network.parameters_to_vector(parameters)
    assert theta.shape == (sum(v.size for v in parameters.values()),)
    restored = network.vector_to_parameters(theta, layout)
    assert list(restored) == list(parameters)
    for key in parameters:
        np.testing.assert_array_equal(restored[key], parameters[key])
    theta[:] = 0  # restored arrays are copies
    assert all(np.array_equal(restored[k], parameters[k]) for k in parameters)


def test_layout_names_each_block_and_coordinate():
    parameters = random_parameters([3, 4, 1], np.random.default_rng(10))
    _, layout = network.parameters_to_vector(parameters)
    assert [b.name for b in layout.blocks] == ["W1", "b1", "W2", "b2"]
    assert [(b.start, b.stop) for b in layout.blocks] == [(0, 12), (12, 16), (16, 20), (20, 21)]
    assert layout["W2"].shape == (1, 4)
    assert layout.coordinate_name(5) == "W1[1, 2]"  # row-major, like ravel
    assert layout.coordinate_name(20) == "b2[0, 0]"


def test_vector_of_wrong_length_is_refused():
    _, layout = network.parameters_to_vector(random_parameters([3, 1], np.random.default_rng(0)))
    with pytest.raises(ValueError, match="1-D vector of 4 numbers"):
        network.vector_to_parameters(np.zeros(5), layout)


def test_training_lowers_the_cost_and_fits_a_separable_set():
    rng = np.random.default_rng(11)
    X = rng.standard_normal((2, 200))
    Y = (X[0:1] + X[1:2] > 0).astype(float)
    parameters = random_parameters([2, 4, 1], rng)
    before = {k: v.copy() for k, v in parameters.items()}
    seen = []
    result = network.train(
        X,
        Y,
        parameters,
        activation="tanh",
        learning_rate=0.5,
        num_iterations=600,
        progress=lambda i, J: seen.append(i),
        progress_every=200,
    )
    assert result.costs.shape == (601,)
    assert result.costs[-1] < 0.25 * result.costs[0]
    assert network.accuracy(X, Y, result.parameters, "tanh") > 0.95
    assert seen == [0, 200, 400, 600]
    for key in parameters:  # the caller's parameters are untouched
        np.testing.assert_array_equal(parameters[key], before[key])


def test_snapshots_slice_a_run_into_the_shorter_runs_exactly():
    rng = np.random.default_rng(15)
    X, Y = random_data(3, 20, rng)
    parameters = random_parameters([3, 4, 1], rng)
    run = network.train(X, Y, parameters, learning_rate=0.5, num_iterations=50, snapshot_every=10)
    assert len(run.snapshots) == 6 and run.iterations == 50
    for steps in (10, 30, 50):
        alone = network.train(X, Y, parameters, learning_rate=0.5, num_iterations=steps)
        sliced = run.after(steps)
        np.testing.assert_array_equal(sliced.costs, alone.costs)
        for key in parameters:
            np.testing.assert_array_equal(sliced.parameters[key], alone.parameters[key])
    for key in parameters:  # the start is snapshot 0
        np.testing.assert_array_equal(run.after(0).parameters[key], parameters[key])


@pytest.mark.parametrize("steps", [15, 60, -10])
def test_a_run_refuses_to_stop_between_its_snapshots(steps):
    rng = np.random.default_rng(16)
    run = network.train(
        *random_data(3, 5, rng), random_parameters([3, 2, 1], rng), num_iterations=50,
        snapshot_every=10,
    )  # fmt: skip
    with pytest.raises(ValueError, match="in steps of 10"):
        run.after(steps)


def test_one_training_step_is_one_gradient_step():
    rng = np.random.default_rng(12)
    parameters = random_parameters([3, 2, 1], rng)
    X, Y = random_data(3, 7, rng)
    grads = network.cost_and_gradients(parameters, X, Y, "relu", 0.1).grads
    stepped = network.train(
        X, Y, parameters, learning_rate=0.3, num_iterations=1, lambd=0.1
    ).parameters
    for key in parameters:
        np.testing.assert_allclose(stepped[key], parameters[key] - 0.3 * grads["d" + key])


def test_predict_thresholds_the_probability_at_one_half():
    parameters = {"W1": np.array([[1.0]]), "b1": np.zeros((1, 1))}
    X = np.array([[-2.0, -0.1, 0.1, 2.0]])
    np.testing.assert_array_equal(network.predict(X, parameters), [[0, 0, 1, 1]])
    assert network.accuracy(X, np.array([[0, 1, 1, 1]]), parameters) == 0.75


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda p, X, Y: ({**p, "W1": p["W1"][:, :2]}, X, Y), "W2 has|expects"),
        (lambda p, X, Y: ({k: v for k, v in p.items() if k != "b2"}, X, Y), "keys W1, b1"),
        (lambda p, X, Y: (p, X[:2], Y), "X has 2 features, but W1 expects 3"),
        (lambda p, X, Y: (p, X, Y[:, :3]), r"Y must have shape \(1, m\)"),
        (lambda p, X, Y: (p, X, Y + 0.5), "labels 0 and 1"),
        (lambda p, X, Y: (p, X[0], Y), "must be 2-D"),
        (lambda p, X, Y: (p, np.where(X > 1, np.nan, X), Y), "NaN or infinite"),
    ],
)
def test_bad_inputs_are_refused_with_a_message(change, message):
    rng = np.random.default_rng(13)
    parameters = random_parameters([3, 4, 1], rng)
    X, Y = random_data(3, 6, rng)
    X[0, 0] = 2.0
    with pytest.raises(ValueError, match=message):
        network.cost_and_gradients(*change(parameters, X, Y))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"num_iterations": 0}, "at least 1"),
        ({"num_iterations": 10**9}, "at most"),
        ({"learning_rate": -1.0}, "positive"),
        ({"keep_prob": 0.0}, r"keep_prob must be in \(0, 1\]"),
        ({"keep_prob": 0.5}, "needs an rng"),
        ({"lambd": float("nan")}, "finite"),
        ({"activation": "swish"}, "choose one of linear"),
        ({"snapshot_every": 10**6}, "snapshot_every must be at most"),
    ],
)
def test_bad_training_settings_are_refused(kwargs, message):
    rng = np.random.default_rng(14)
    parameters = random_parameters([3, 2, 1], rng)
    with pytest.raises(ValueError, match=message):
        network.train(*random_data(3, 4, rng), parameters, **kwargs)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("lambd", [0.0, 0.7])
@pytest.mark.parametrize("dims", [[2, 1], [3, 6, 1], [2, 10, 5, 1]])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_fused_training_loop_takes_the_textbook_steps(activation, lambd, dims, dtype):
    """train without dropout runs the fused loop (b folded into W, buffers reused); the
    textbook loop (forward and backward propagation, θ := θ − α·dθ) gives the same J at
    every iteration and the same θ after 300 steps. Both train float32 input in float64."""
    rng = np.random.default_rng(17)
    parameters = random_parameters(dims, rng, dtype)
    X, Y = random_data(dims[0], 40, rng)
    X = X.astype(dtype)
    run = network.train(
        X, Y, parameters, activation=activation, learning_rate=0.2, num_iterations=300,
        lambd=lambd, snapshot_every=100,
    )  # fmt: skip
    theta = {key: np.array(value, dtype=np.float64) for key, value in parameters.items()}
    steps = network._textbook_steps(X, Y, theta, activation, 0.2, lambd)
    costs = [next(steps) for _ in range(301)]  # J before each of the 300 steps, and after
    np.testing.assert_allclose(run.costs, costs, rtol=1e-10, atol=1e-13)
    for key in parameters:
        np.testing.assert_allclose(run.parameters[key], theta[key], rtol=1e-9, atol=1e-12)
        assert run.parameters[key].dtype == np.float64
        assert run.parameters[key].flags.c_contiguous
        assert run.parameters[key].shape == parameters[key].shape


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu", "linear"])
def test_activations_written_in_place_equal_the_plain_ones(activation):
    Z = np.random.default_rng(18).standard_normal((4, 7))
    Z[0, 0] = 0.0  # ReLU′ at exactly 0 is 0 in both
    A = activations.activate_into(Z, activation, np.empty_like(Z))
    np.testing.assert_array_equal(A, activations.activate(Z, activation))
    derivative = activations.derivative_into(Z, A, activation, np.empty_like(Z))
    np.testing.assert_allclose(
        derivative, activations.activation_derivative(Z, activation), rtol=1e-15, atol=1e-15
    )


def test_every_planted_bug_has_its_own_short_label_and_quoted_labels_read_as_words():
    labels = [bug.label for bug in network.PLANTED_BUGS.values()]
    assert len(set(labels)) == len(labels) and all(0 < len(label) <= 40 for label in labels)
    assert all("_" not in label for label in labels)  # words, not identifiers
    assert network.bug_label("dW2_doubled") == "“dW[2] doubled”"
    assert network.bug_label("none") == "none" and network.bug_label("") == ""
    by_label = network.BUG_BY_LABEL
    assert all(network.PLANTED_BUGS[name].label == label for label, name in by_label.items())
    assert set(by_label.values()) == set(network.PLANTED_BUGS)
    assert "none" not in by_label  # the selects' "no bug" option
