"""core.initialization against closed forms, scipy, and its own documented promises."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from core.activations import ACTIVATIONS, activate
from core.initialization import (
    MAX_DEPTH,
    MAX_LAYER_SIZE,
    METHOD_NAMES,
    METHODS,
    gain,
    init_std,
    initialize_layer,
    initialize_parameters,
)

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
