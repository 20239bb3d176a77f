"""core.initialization against closed forms, scipy, and its own documented promises."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from core.activations import ACTIVATIONS, activate
from core.datasets import course_circles
from core.initialization import (
    DTYPES,
    MAX_DEPTH,
    MAX_LAYER_SIZE,
    METHOD_NAMES,
    METHODS,
    PRESETS,
    SYMMETRY_TOLERANCE,
    gain,
    glorot_std,
    he_std,
    hidden_unit_spread,
    init_std,
    initialize_layer,
    initialize_parameters,
    symmetry_broken,
    uniform_bound,
)
from core.network import train

# σ of each method written out independently, for fan_in = n[l−1] and fan_out = n[l].
REFERENCE_STD = {
    "zeros": lambda fan_in, fan_out, scale: 0.0,
    "random": lambda fan_in, fan_out, scale: scale,
    "xavier": lambda fan_in, fan_out, scale: scale / np.sqrt(fan_in),
    "glorot": lambda fan_in, fan_out, scale: scale * np.sqrt(2 / (fan_in + fan_out)),
    "he": lambda fan_in, fan_out, scale: scale * np.sqrt(2 / fan_in),
}


@pytest.mark.parametrize("layer_dims", [[2, 1], [2, 10, 5, 1], [784, 128, 64, 10], [3] * 12])
@pytest.mark.parametrize("method", METHODS)
def test_parameters_have_the_lecture_shapes_and_zero_biases(layer_dims, method):
    parameters = initialize_parameters(layer_dims, method, np.random.default_rng(0))
    L = len(layer_dims) - 1
    assert list(parameters) == [f"{kind}{l}" for l in range(1, L + 1) for kind in "Wb"]
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        assert W.shape == (layer_dims[l], layer_dims[l - 1]) and W.dtype == np.float64
        assert b.shape == (layer_dims[l], 1) and b.dtype == np.float64
        assert not b.any()


@pytest.mark.parametrize("method", ["random", "xavier", "glorot", "he"])
@pytest.mark.parametrize("scale", [1.0, 0.01, 10.0])
def test_large_layer_empirical_std_matches_the_formula(method, scale):
    # 2000 × 1500 = 3e6 draws: the sample std is within ~0.05 % of σ; n[l] ≠ n[l−1]
    # tells Xavier (fan-in) and Glorot (fan average) apart.
    W, _ = initialize_layer(1500, 2000, method, np.random.default_rng(1), scale)
    expected = REFERENCE_STD[method](1500, 2000, scale)
    assert W.std() == pytest.approx(expected, rel=0.01)
    assert abs(W.mean()) < 0.01 * expected


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("fan_in", "fan_out"), [(1, 1), (2, 10), (300, 7), (4096, 4096)])
def test_init_std_matches_the_closed_forms(method, fan_in, fan_out):
    for scale in (1.0, 0.5, 3.0):
        expected = REFERENCE_STD[method](fan_in, fan_out, scale)
        assert init_std(method, fan_in, fan_out, scale) == pytest.approx(expected, rel=1e-12)


def test_he_weights_are_normally_distributed():
    W, _ = initialize_layer(400, 300, "he", np.random.default_rng(2))
    sigma = math.sqrt(2 / 400)
    assert stats.kstest(W.ravel() / sigma, "norm").pvalue > 0.01


def test_scale_multiplies_the_standard_deviation_not_the_variance():
    unit = initialize_parameters([50, 40, 30], "xavier", np.random.default_rng(3))
    tripled = initialize_parameters([50, 40, 30], "xavier", np.random.default_rng(3), scale=3.0)
    for key in ("W1", "W2"):
        np.testing.assert_allclose(tripled[key], 3.0 * unit[key], rtol=1e-15)


def test_xavier_with_the_relu_gain_is_he():
    xavier = initialize_parameters([20, 30, 5], "xavier", np.random.default_rng(4), gain("relu"))
    he = initialize_parameters([20, 30, 5], "he", np.random.default_rng(4))
    for key in he:
        np.testing.assert_allclose(xavier[key], he[key], rtol=1e-14)


@pytest.mark.parametrize("method", METHODS)
def test_same_seed_gives_the_same_weights(method):
    first = initialize_parameters([6, 5, 4, 1], method, np.random.default_rng(42), 0.7)
    second = initialize_parameters([6, 5, 4, 1], method, np.random.default_rng(42), 0.7)
    assert all(np.array_equal(first[key], second[key]) for key in first)


def test_different_seeds_give_different_weights():
    first = initialize_parameters([6, 5], "he", np.random.default_rng(1))
    second = initialize_parameters([6, 5], "he", np.random.default_rng(2))
    assert not np.array_equal(first["W1"], second["W1"])


def test_zeros_make_every_unit_of_a_layer_identical():
    parameters = initialize_parameters([2, 10, 5, 1], "zeros", np.random.default_rng(0), 5.0)
    for l in (1, 2, 3):
        W = parameters[f"W{l}"]
        assert not W.any()
        assert (W[0] == W).all()  # identical rows: the units can never become different


def test_zeros_draw_nothing_from_rng():
    rng = np.random.default_rng(0)
    initialize_parameters([4, 3, 2], "zeros", rng)
    assert rng.random() == np.random.default_rng(0).random()


@pytest.mark.parametrize(
    ("activation", "expected"),
    [
        ("linear", 1.0),
        ("sigmoid", 1.0),
        ("tanh", 5.0 / 3.0),
        ("relu", math.sqrt(2.0)),
        ("leaky_relu", math.sqrt(2.0 / (1.0 + 0.01**2))),
    ],
)
def test_gain_matches_pytorch_calculate_gain(activation, expected):
    assert gain(activation) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("slope", [0.0, 0.01, 0.2, 1.0])
def test_leaky_relu_gain_uses_the_negative_slope(slope):
    assert gain("leaky_relu", slope) == pytest.approx(math.sqrt(2 / (1 + slope**2)))


@pytest.mark.parametrize("activation", ["linear", "relu", "leaky_relu"])
def test_gain_restores_unit_second_moment_for_piecewise_linear_units(activation):
    # gain² · E[g(z)²] = 1 for z ~ N(0, 1), integrated by scipy.
    second_moment = integrate.quad(
        lambda z: float(activate(np.array(z), activation)) ** 2 * stats.norm.pdf(z),
        -np.inf,
        np.inf,
    )[0]
    assert gain(activation) ** 2 * second_moment == pytest.approx(1.0, rel=1e-7)


def test_every_activation_has_a_gain():
    assert all(gain(activation) > 0 for activation in ACTIVATIONS)


def test_naming_table_shows_both_conventions():
    assert tuple(METHOD_NAMES) == METHODS
    xavier, glorot, he = METHOD_NAMES["xavier"], METHOD_NAMES["glorot"], METHOD_NAMES["he"]
    assert xavier.course == "Xavier"
    assert "LeCun" in xavier.pytorch and "lecun_normal" in xavier.keras
    assert "√(1 / n[l−1])" in xavier.formula
    assert "xavier_normal_" in glorot.pytorch and "glorot_normal" in glorot.keras
    assert "√(2 / (n[l−1] + n[l]))" in glorot.formula
    assert "kaiming_normal_" in he.pytorch and "he_normal" in he.keras


def test_the_largest_documented_network_is_accepted():
    parameters = initialize_parameters([2] * (MAX_DEPTH + 1), "he", np.random.default_rng(0))
    assert len(parameters) == 2 * MAX_DEPTH
    W, _ = initialize_layer(MAX_LAYER_SIZE, 1, "he", np.random.default_rng(0))
    assert W.shape == (1, MAX_LAYER_SIZE)


@pytest.mark.parametrize(
    ("layer_dims", "match"),
    [
        ([3], "between 2 and 201 sizes"),
        ([], "between 2 and 201 sizes"),
        ([2] * 202, "between 2 and 201 sizes"),
        ([3, 0, 1], r"layer_dims\[1\].*at least 1"),
        ([3, -2, 1], "at least 1"),
        ([3, 2.5, 1], "whole number"),
        ([3, True, 1], "whole number"),
        ([3, 4097], "at most 4096"),
        ([4096, 4096, 4096], "weights; at most"),
        ("abc", "list of layer sizes"),
        (5, "list of layer sizes"),
    ],
)
def test_bad_layer_dims_are_refused_with_what_is_allowed(layer_dims, match):
    with pytest.raises(ValueError, match=match):
        initialize_parameters(layer_dims, "he", np.random.default_rng(0))


def test_unknown_method_lists_the_known_ones():
    with pytest.raises(ValueError, match="zeros, random, xavier, glorot, he"):
        initialize_parameters([2, 1], "lecun", np.random.default_rng(0))


@pytest.mark.parametrize("scale", [-1.0, math.nan, math.inf, 1001.0, "1", True])
def test_bad_scale_is_refused(scale):
    with pytest.raises(ValueError, match="scale must be"):
        initialize_parameters([2, 1], "random", np.random.default_rng(0), scale)


def test_unknown_activation_has_no_gain():
    with pytest.raises(ValueError, match="Unknown activation 'softmax'"):
        gain("softmax")


# ------------------------------------------------------------ presets and symmetry


def test_presets_are_the_six_course_choices_with_their_sigma():
    sigma = {
        name: init_std(preset.method, 10, 5, preset.std_scale()) for name, preset in PRESETS.items()
    }
    assert sigma == pytest.approx(
        {
            "zeros": 0.0,
            "random × 0.01": 0.01,
            "random × 10": 10.0,
            "Xavier": math.sqrt(1 / 10),
            "Glorot": math.sqrt(2 / 15),
            "He": math.sqrt(2 / 10),
        }
    )


@pytest.mark.parametrize("name", list(PRESETS))
@pytest.mark.parametrize("v", [0.0, 0.25, 2.0, 100.0])
def test_variance_multiplier_multiplies_the_variance(name, v):
    preset = PRESETS[name]
    base = init_std(preset.method, 7, 3, preset.std_scale(1.0))
    assert init_std(preset.method, 7, 3, preset.std_scale(v)) ** 2 == pytest.approx(v * base**2)


def test_variance_multiplier_two_turns_the_course_xavier_into_he():
    assert init_std("xavier", 8, 4, PRESETS["Xavier"].std_scale(2.0)) == pytest.approx(
        init_std("he", 8, 4)
    )


@pytest.mark.parametrize("v", [-1.0, math.nan, math.inf, 1e4, "2", True])
def test_bad_variance_multiplier_is_refused(v):
    with pytest.raises(ValueError, match="variance multiplier"):
        PRESETS["He"].std_scale(v)


def brute_force_spread(parameters, l):
    # The largest gap between two units j, k of layer l over everything they own.
    W, b, W_next = parameters[f"W{l}"], parameters[f"b{l}"], parameters[f"W{l + 1}"]
    n = W.shape[0]
    return max(
        max(
            np.abs(W[j] - W[k]).max(),
            abs(b[j, 0] - b[k, 0]),
            np.abs(W_next[:, j] - W_next[:, k]).max(),
        )
        for j in range(n)
        for k in range(n)
    )


@pytest.mark.parametrize("method", ["random", "he", "glorot"])
def test_hidden_unit_spread_is_the_largest_gap_between_two_units(method):
    parameters = initialize_parameters([3, 4, 6, 2, 1], method, np.random.default_rng(1))
    parameters["b2"] = np.random.default_rng(2).standard_normal((6, 1))
    spread = hidden_unit_spread(parameters)
    assert spread.shape == (3,)
    np.testing.assert_allclose(spread, [brute_force_spread(parameters, l) for l in (1, 2, 3)])


def circles_data():
    split = course_circles(np.random.default_rng(0))
    return split.X_train, split.Y_train


def test_zeros_never_break_symmetry_under_training():
    X, Y = circles_data()
    parameters = initialize_parameters([2, 10, 5, 1], "zeros", np.random.default_rng(0))
    trained = train(X, Y, parameters, learning_rate=0.5, num_iterations=200).parameters
    assert not hidden_unit_spread(trained).any()  # ReLU′(0) = 0: the hidden weights stay 0
    assert not symmetry_broken(trained)


def test_a_constant_start_stays_symmetric_even_when_the_weights_move():
    X, Y = circles_data()
    parameters = {
        key: np.full_like(W, 0.5)
        for key, W in initialize_parameters(
            [2, 10, 5, 1], "zeros", np.random.default_rng(0)
        ).items()
    }
    trained = train(X, Y, parameters, activation="tanh", learning_rate=0.5, num_iterations=200)
    assert np.ptp(trained.parameters["W1"]) > 0.01  # the weights did change…
    assert hidden_unit_spread(trained.parameters).max() <= SYMMETRY_TOLERANCE  # …all alike
    assert not symmetry_broken(trained.parameters)


def test_random_weights_break_symmetry():
    parameters = initialize_parameters([2, 10, 5, 1], "he", np.random.default_rng(0))
    assert symmetry_broken(parameters)


def test_a_network_without_hidden_layers_has_nothing_to_break():
    parameters = initialize_parameters([2, 1], "he", np.random.default_rng(0))
    assert hidden_unit_spread(parameters).shape == (0,)
    assert not symmetry_broken(parameters)


def test_nan_weights_count_as_broken_symmetry():
    parameters = initialize_parameters([2, 3, 1], "zeros", np.random.default_rng(0))
    parameters["W1"][0, 0] = np.nan
    assert np.isnan(hidden_unit_spread(parameters)[0])
    assert symmetry_broken(parameters)


@pytest.mark.parametrize(
    "parameters",
    [
        {},
        {"W1": np.zeros((3, 2))},
        {"W1": np.zeros((3, 2)), "b1": np.zeros((2, 1))},
        {
            "W1": np.zeros((3, 2)),
            "b1": np.zeros((3, 1)),
            "W2": np.zeros((1, 4)),
            "b2": np.zeros((1, 1)),
        },
    ],
)
def test_hidden_unit_spread_refuses_a_malformed_parameter_dict(parameters):
    with pytest.raises(ValueError, match="must be"):
        hidden_unit_spread(parameters)


# ------------------------------------------------------------ uniform weights


@pytest.mark.parametrize("method", ["random", "xavier", "glorot", "he"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_uniform_weights_keep_the_method_std_within_sqrt3_sigma(method, dtype):
    # U(−a, a) with a = √3·σ: 8e5 draws put the sample std within ~0.1 % of σ and the
    # largest |W| within ~1e-5·a of the bound.
    W, b = initialize_layer(
        800, 1000, method, np.random.default_rng(1), 0.5, distribution="uniform", dtype=dtype
    )
    sigma = REFERENCE_STD[method](800, 1000, 0.5)
    assert W.dtype == b.dtype == np.dtype(dtype)
    assert W.std(dtype=np.float64) == pytest.approx(sigma, rel=0.01)
    assert abs(W.mean(dtype=np.float64)) < 0.01 * sigma
    a = math.sqrt(3) * sigma
    assert uniform_bound(sigma) == pytest.approx(a, rel=1e-15)
    assert a * (1 - 1e-4) < np.abs(W).max() <= a * (1 + 1e-6)


def test_uniform_weights_are_uniformly_distributed():
    W, _ = initialize_layer(400, 300, "he", np.random.default_rng(2), distribution="uniform")
    a = uniform_bound(math.sqrt(2 / 400))
    assert stats.kstest(W.ravel(), "uniform", args=(-a, 2 * a)).pvalue > 0.01


@pytest.mark.parametrize(("fan_in", "fan_out"), [(3, 7), (784, 128)])
def test_uniform_bounds_are_pytorchs(fan_in, fan_out):
    # kaiming_uniform_(nonlinearity="relu"): gain·√(3/fan_in) with gain √2;
    # xavier_uniform_: gain·√(6/(fan_in + fan_out)) with gain 1.
    assert uniform_bound(he_std(fan_in)) == pytest.approx(math.sqrt(2) * math.sqrt(3 / fan_in))
    assert uniform_bound(glorot_std(fan_in, fan_out)) == pytest.approx(
        math.sqrt(6 / (fan_in + fan_out))
    )


@pytest.mark.parametrize("dtype", DTYPES)
def test_normal_weights_are_drawn_in_the_requested_dtype(dtype):
    W, b = initialize_layer(800, 1000, "he", np.random.default_rng(3), dtype=dtype)
    assert W.dtype == b.dtype == np.dtype(dtype) and not b.any()
    assert W.std(dtype=np.float64) == pytest.approx(math.sqrt(2 / 800), rel=0.01)


def test_default_is_the_course_normal_draw():
    default = initialize_layer(20, 10, "he", np.random.default_rng(4)).W
    explicit = initialize_layer(
        20, 10, "he", np.random.default_rng(4), distribution="normal", dtype="float64"
    ).W
    reference = math.sqrt(2 / 20) * np.random.default_rng(4).standard_normal((10, 20))
    np.testing.assert_array_equal(default, explicit)
    np.testing.assert_array_equal(default, reference)


def test_uniform_parameters_stay_within_each_layers_bound():
    dims = [30, 20, 10, 1]
    parameters = initialize_parameters(
        dims, "glorot", np.random.default_rng(5), distribution="uniform"
    )
    for l in range(1, len(dims)):
        a = uniform_bound(glorot_std(dims[l - 1], dims[l]))
        assert np.abs(parameters[f"W{l}"]).max() <= a and not parameters[f"b{l}"].any()


def test_uniform_zeros_draw_nothing_from_rng():
    rng = np.random.default_rng(0)
    W, _ = initialize_layer(4, 3, "zeros", rng, distribution="uniform", dtype="float32")
    assert not W.any() and W.dtype == np.float32
    assert rng.random() == np.random.default_rng(0).random()


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"distribution": "gaussian"}, "choose one of normal, uniform"),
        ({"dtype": "float16"}, "choose one of float32, float64"),
    ],
)
def test_unknown_distribution_or_dtype_lists_the_known_ones(options, match):
    with pytest.raises(ValueError, match=match):
        initialize_layer(2, 1, "he", np.random.default_rng(0), **options)


def test_constant_parameters_fill_every_weight_and_zero_the_biases():
    from core.initialization import constant_parameters

    parameters = constant_parameters([2, 10, 5, 1], 0.5)
    assert [parameters[f"W{l}"].shape for l in (1, 2, 3)] == [(10, 2), (5, 10), (1, 5)]
    assert all(
        (parameters[f"W{l}"] == 0.5).all() and not parameters[f"b{l}"].any() for l in (1, 2, 3)
    )
    for c in (np.nan, np.inf, 1e4, "0.5", True):
        with pytest.raises(ValueError, match="c must be"):
            constant_parameters([2, 3, 1], c)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_a_constant_start_learns_as_one_unit_per_layer(activation):
    """Copies learn, but compute what a network of one unit per layer computes: collapse
    each layer's copies into one unit (incoming row, outgoing column summed) and the
    predictions agree."""
    from core.initialization import constant_parameters
    from core.network import predict_probability

    X, Y = circles_data()
    run = train(X, Y, constant_parameters([2, 10, 5, 1], 0.5), activation=activation,
                learning_rate=0.01, num_iterations=500)  # fmt: skip
    p = run.parameters
    assert run.costs[-1] < run.costs[0]  # it learns…
    assert hidden_unit_spread(p).max() <= SYMMETRY_TOLERANCE  # …as copies
    narrow = {
        "W1": p["W1"][:1], "b1": p["b1"][:1],
        "W2": p["W2"][:1].sum(axis=1, keepdims=True), "b2": p["b2"][:1],
        "W3": p["W3"].sum(axis=1, keepdims=True), "b3": p["b3"],
    }  # fmt: skip
    np.testing.assert_allclose(
        predict_probability(X, narrow, activation),
        predict_probability(X, p, activation),
        atol=1e-12,
    )


def test_uniform_names_and_pairings_name_what_they_say():
    from core.initialization import PAIRINGS, UNIFORM_NAMES

    assert set(UNIFORM_NAMES) == set(METHODS) - {"zeros"}
    assert "kaiming_uniform_" in UNIFORM_NAMES["he"][0] and UNIFORM_NAMES["he"][1] == "he_uniform"
    assert "xavier_uniform_" in UNIFORM_NAMES["glorot"][0]
    assert UNIFORM_NAMES["xavier"][1] == "lecun_uniform"
    assert not any("normal" in name for names in UNIFORM_NAMES.values() for name in names)
    for words in ("He √(2/n[l−1]) for ReLU", "Xavier √(1/n[l−1]) for tanh", "Glorot"):
        assert words in PAIRINGS
