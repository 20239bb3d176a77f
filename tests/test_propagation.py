"""core.propagation against direct arithmetic, exact rationals, scipy and finite differences."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from numpy.polynomial.hermite_e import hermegauss
from scipy import integrate

from core import propagation
from core.activations import ACTIVATIONS, activate, activation_derivative
from core.initialization import DISTRIBUTIONS, initialize_layer
from core.propagation import (
    DTYPES,
    HISTOGRAM_BINS,
    MAX_LINEAR_DEPTH,
    deep_linear_signal,
    gradient_variance_gain,
    preactivation_variance,
    simulate_random_network,
)

# ----------------------------------------------------------------- deep linear network


@pytest.mark.parametrize("a", [0.5, 0.9, 1.0, 1.5, 3.0])
@pytest.mark.parametrize("x", [1.0, 2.5, 1e-3])
def test_log_magnitudes_match_direct_powers(a, x):
    signal = deep_linear_signal(a, 30, x)
    direct = a ** np.arange(30) * x
    np.testing.assert_allclose(10.0**signal.log10_A, direct, rtol=1e-12)
    np.testing.assert_array_equal(signal.layers, np.arange(30))
    assert 10.0**signal.log10_y_hat == pytest.approx(a**29 * x, rel=1e-12)


def test_lecture_numbers_for_ten_layers():
    # L = 10: nine layers of a·I, so ŷ = a⁹.
    assert 10.0 ** deep_linear_signal(1.5, 10).log10_y_hat == pytest.approx(38.443359375)
    assert 10.0 ** deep_linear_signal(0.5, 10).log10_y_hat == pytest.approx(1.953125e-3)


def test_very_deep_magnitudes_stay_finite_in_log_space():
    signal = deep_linear_signal(1.5, MAX_LINEAR_DEPTH)
    assert np.isfinite(signal.log10_A).all()
    assert signal.log10_y_hat == pytest.approx((MAX_LINEAR_DEPTH - 1) * math.log10(1.5))


def _first_layer_by_repeated_multiplication(a: float, dtype: str, reached) -> int:
    value, a, l = np.array(1.0, dtype), np.array(a, dtype), 0
    with np.errstate(all="ignore"):
        while not reached(value):
            value, l = value * a, l + 1
    return l


@pytest.mark.parametrize(("dtype", "expected"), [("float32", 219), ("float64", 1751)])
def test_one_point_five_overflows_where_repeated_multiplication_does(dtype, expected):
    limits = deep_linear_signal(1.5, 2000).limits[dtype]
    assert limits.overflow_layer == expected
    assert expected == _first_layer_by_repeated_multiplication(1.5, dtype, np.isinf)
    assert limits.underflow_layer is None and limits.subnormal_layer is None


@pytest.mark.parametrize(
    ("dtype", "subnormal", "zero"), [("float32", 127, 150), ("float64", 1023, 1075)]
)
def test_one_half_underflows_where_repeated_multiplication_does(dtype, subnormal, zero):
    limits = deep_linear_signal(0.5, 2000).limits[dtype]
    smallest_normal = np.finfo(dtype).smallest_normal
    assert limits.subnormal_layer == subnormal
    assert subnormal == _first_layer_by_repeated_multiplication(
        0.5, dtype, lambda v: v < smallest_normal
    )
    assert limits.underflow_layer == zero
    assert zero == _first_layer_by_repeated_multiplication(0.5, dtype, lambda v: v == 0)
    assert limits.overflow_layer is None


def _first_layer_exactly(a: Fraction, crossed) -> int:
    value, l = Fraction(1), 0
    while not crossed(value):
        value, l = value * a, l + 1
    return l


@pytest.mark.parametrize("a", [Fraction(5, 4), Fraction(3, 2), Fraction(2), Fraction(7, 2)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_overflow_layer_matches_exact_rational_powers(a, dtype):
    info = np.finfo(dtype)
    # The largest float plus half an ulp: from there round-to-nearest gives inf.
    rounds_to_inf = Fraction(2) ** info.maxexp * (1 - Fraction(1, 2 ** (info.nmant + 2)))
    expected = _first_layer_exactly(a, lambda v: v >= rounds_to_inf)
    assert deep_linear_signal(float(a), MAX_LINEAR_DEPTH).limits[dtype].overflow_layer == expected


@pytest.mark.parametrize("a", [Fraction(3, 4), Fraction(1, 2), Fraction(1, 3), Fraction(9, 10)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_underflow_layer_matches_exact_rational_powers(a, dtype):
    half_tiniest = Fraction(float(np.finfo(dtype).smallest_subnormal)) / 2
    expected = _first_layer_exactly(a, lambda v: v <= half_tiniest)
    signal = deep_linear_signal(float(a), MAX_LINEAR_DEPTH)
    assert signal.limits[dtype].underflow_layer == expected


def test_float32_gives_out_before_float64():
    for a in (0.3, 0.8, 1.2, 4.0):
        limits = deep_linear_signal(a, MAX_LINEAR_DEPTH).limits
        for event in ("overflow_layer", "underflow_layer"):
            layer32, layer64 = getattr(limits["float32"], event), getattr(limits["float64"], event)
            assert (layer32 is None) == (layer64 is None)
            assert layer32 is None or layer32 < layer64


@pytest.mark.parametrize(
    ("a", "L", "x", "match"),
    [
        (0.0, 10, 1.0, r"a \(the diagonal"),
        (-1.5, 10, 1.0, r"in \(0, 100\]"),
        (101.0, 10, 1.0, r"in \(0, 100\]"),
        (math.nan, 10, 1.0, "finite number"),
        ("1.5", 10, 1.0, "must be a number"),
        (1.5, 0, 1.0, "at least 1"),
        (1.5, 10_001, 1.0, "at most 10000"),
        (1.5, 2.5, 1.0, "whole number"),
        (1.5, 10, 0.0, r"x \(the input\)"),
        (1.5, 10, math.inf, "finite number"),
    ],
)
def test_bad_deep_linear_inputs_are_refused(a, L, x, match):
    with pytest.raises(ValueError, match=match):
        deep_linear_signal(a, L, x)


# ----------------------------------------------------------------- mean-field theory


def _gaussian_mean_by_scipy(f, q: float) -> float:
    """E[f(z)], z ~ N(0, q), by adaptive quadrature in units of the standard deviation."""
    if q == 0:
        return float(f(0.0))
    sd = math.sqrt(q)
    # Breakpoints where g changes on its own scale (|z·sd| ≈ 1), so quad sees the spike.
    kinks = sorted({0.0, *(k / sd for k in (-20, -5, -1, 1, 5, 20) if abs(k / sd) < 12)})
    return integrate.quad(
        lambda t: float(f(sd * t)) * math.exp(-t * t / 2) / math.sqrt(2 * math.pi),
        -12,
        12,
        points=kinks,
        limit=500,
        epsabs=1e-15,
        epsrel=1e-12,
    )[0]


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("q", [0.0, 1e-4, 0.3, 1.0, 25.0, 512.0, 1e5])
def test_mean_field_maps_match_scipy_quadrature(activation, q):
    def g2(z):
        return float(activate(np.array(z), activation)) ** 2

    def g_prime2(z):
        return float(activation_derivative(np.array(z), activation)) ** 2

    expected_q = 1.7 * _gaussian_mean_by_scipy(g2, q)
    assert preactivation_variance(activation, 1.7, q) == pytest.approx(expected_q, rel=1e-8)
    if q > 0:  # at q = 0 ReLU's g′ is its kink value, not the average (1 + s²)/2
        expected_chi = 1.7 * _gaussian_mean_by_scipy(g_prime2, q)
        assert gradient_variance_gain(activation, 1.7, q) == pytest.approx(expected_chi, rel=1e-8)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
@pytest.mark.parametrize("q", [0.01, 0.5, 1.0])
def test_smooth_maps_match_gauss_hermite_where_it_converges(activation, q):
    nodes, weights = hermegauss(150)
    z = math.sqrt(q) * nodes
    E_g2 = weights @ activate(z, activation) ** 2 / math.sqrt(2 * math.pi)
    E_gp2 = weights @ activation_derivative(z, activation) ** 2 / math.sqrt(2 * math.pi)
    assert preactivation_variance(activation, 1.0, q) == pytest.approx(E_g2, rel=1e-10)
    assert gradient_variance_gain(activation, 1.0, q) == pytest.approx(E_gp2, rel=1e-10)


@pytest.mark.parametrize(
    ("activation", "E_g2_over_q"), [("linear", 1.0), ("relu", 0.5), ("leaky_relu", 0.50005)]
)
@pytest.mark.parametrize("q", [1e-3, 1.0, 1e6])
def test_piecewise_linear_maps_are_the_closed_forms(activation, E_g2_over_q, q):
    assert preactivation_variance(activation, 2.0, q) == pytest.approx(2 * E_g2_over_q * q)
    assert gradient_variance_gain(activation, 2.0, q) == pytest.approx(2 * E_g2_over_q)


@pytest.mark.parametrize("q", [1e-3, 1.0, 50.0])
def test_he_keeps_relu_exactly_at_the_edge_of_chaos(q):
    assert gradient_variance_gain("relu", 2.0, q) == pytest.approx(1.0, rel=1e-14)
    assert preactivation_variance("relu", 2.0, q) == pytest.approx(q, rel=1e-14)


def test_tanh_edge_of_chaos_is_at_unit_weight_variance():
    assert gradient_variance_gain("tanh", 1.0, 1e-10) == pytest.approx(1.0, rel=1e-8)
    assert gradient_variance_gain("tanh", 1.0, 0.5) < 1.0  # ordered side for q > 0
    assert gradient_variance_gain("tanh", 1.2, 1e-6) > 1.0  # chaotic above σ_w² = 1


def test_xavier_tanh_gain_climbs_towards_one_with_depth():
    q, chi = 1.0, []
    for _ in range(200):
        chi.append(gradient_variance_gain("tanh", 1.0, q))
        q = preactivation_variance("tanh", 1.0, q)
    assert np.all(np.diff(chi) > 0)
    assert chi[0] == pytest.approx(0.4644, abs=1e-4)
    assert 0.99 < chi[-1] < 1.0


@pytest.mark.parametrize(
    ("arguments", "match"),
    [
        (("softmax", 1.0, 1.0), "Unknown activation"),
        (("tanh", -1.0, 1.0), "sigma_w2"),
        (("tanh", math.nan, 1.0), "sigma_w2"),
        (("tanh", 1.0, -0.5), r"q \(the variance of Z\)"),
        (("tanh", 1.0, math.inf), r"q \(the variance of Z\)"),
    ],
)
def test_bad_mean_field_inputs_are_refused(arguments, match):
    for function in (preactivation_variance, gradient_variance_gain):
        with pytest.raises(ValueError, match=match):
            function(*arguments)


# ----------------------------------------------------------------- random networks


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("method", ["he", "xavier"])
@pytest.mark.parametrize("distribution", DISTRIBUTIONS)
def test_simulated_variances_follow_the_mean_field_recursion(activation, method, distribution):
    # Averaged over 6 networks: one network of width n fluctuates by ~1/√n per layer.
    # The theory sees Var(W) only, so uniform weights follow it as normal ones do.
    runs = [
        simulate_random_network(
            6, 256, activation, method, np.random.default_rng(seed), distribution=distribution
        )
        for seed in range(6)
    ]
    Z_var = np.mean([run.Z_rms**2 for run in runs], axis=0)
    dA_var = np.mean([run.dA_rms**2 for run in runs], axis=0)
    np.testing.assert_allclose(Z_var, runs[0].Z_rms_theory ** 2, rtol=0.2)
    np.testing.assert_allclose(dA_var, runs[0].dA_rms_theory ** 2, rtol=0.2)


def test_he_relu_neither_explodes_nor_vanishes_over_fifty_layers():
    run = simulate_random_network(50, 256, "relu", "he", np.random.default_rng(0), m=32)
    assert 0.1 < run.Z_rms[-1] / run.Z_rms[0] < 10
    assert 0.1 < run.dA_rms[0] / run.dA_rms[-1] < 10
    np.testing.assert_allclose(run.Z_rms_theory, math.sqrt(2.0))
    np.testing.assert_allclose(run.dA_rms_theory, 1.0)


@pytest.mark.parametrize(("scale", "direction"), [(1.0, 1), (0.01, -1)])
def test_plain_random_relu_weights_explode_or_vanish(scale, direction):
    # σ_w² = n·scale² = 256 or 0.0256: the variance changes ×128 or ×0.0128 per layer.
    run = simulate_random_network(50, 256, "relu", "random", np.random.default_rng(0), scale, m=32)
    assert direction * np.log10(run.Z_rms[-1] / run.Z_rms[0]) > 40
    assert direction * np.log10(run.dA_rms[0] / run.dA_rms[-1]) > 40
    assert run.forward_nonfinite_layer is None and run.forward_zero_layer is None


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("dtype", DTYPES)
def test_overflow_is_reported_where_the_dtype_gives_out_not_raised(dtype):
    run = simulate_random_network(
        200, 128, "relu", "random", np.random.default_rng(0), 10.0, m=16, dtype=dtype
    )
    beyond = np.flatnonzero(run.Z_rms_theory > np.finfo(dtype).max)[0] + 1
    assert abs(run.forward_nonfinite_layer - beyond) <= 2
    assert np.isfinite(run.Z_rms[: run.forward_nonfinite_layer - 1]).all()
    assert run.backward_nonfinite_layer is not None


def test_a_float32_weight_gradient_past_its_range_counts_as_overflow():
    # Linear layers that multiply the signal by 100: dW[l] = dZ[l] A[l−1]ᵀ / m is ~1e41
    # in every layer, while A[l−1] and dA[l] of the middle layers are float32 numbers.
    runs = {
        dtype: simulate_random_network(
            21, 64, "linear", "random", np.random.default_rng(0), 12.5, m=8, dtype=dtype
        )
        for dtype in DTYPES
    }
    middle = slice(2, 17)  # layers 3 … 17
    float32, float64 = runs["float32"], runs["float64"]
    assert np.isfinite(float32.Z_rms[middle]).all() and np.isfinite(float32.dA_rms[middle]).all()
    assert (float64.dW_norm[middle] > np.finfo(np.float32).max).all()
    assert np.isinf(float32.dW_norm[middle]).all() and float32.backward_nonfinite_layer >= 17
    assert np.isfinite(float64.dW_norm).all() and float64.backward_nonfinite_layer is None


@pytest.mark.filterwarnings("error")
def test_float32_gradients_underflow_to_zero_and_it_is_reported():
    run = simulate_random_network(
        50, 128, "relu", "random", np.random.default_rng(0), 0.01, m=16, dtype="float32"
    )
    assert run.forward_zero_layer is not None and run.backward_zero_layer is not None
    assert run.Z_rms[run.forward_zero_layer - 1] == 0.0
    float64 = simulate_random_network(50, 128, "relu", "random", np.random.default_rng(0), 0.01)
    assert float64.forward_zero_layer is None and float64.backward_zero_layer is None


def test_zero_initialization_kills_the_signal_at_once():
    run = simulate_random_network(5, 16, "tanh", "zeros", np.random.default_rng(0))
    assert run.forward_zero_layer == 1
    assert run.backward_zero_layer == 4  # dA[4] = W[5]ᵀ dZ[5] = 0
    assert not run.Z_rms.any() and not run.Z_rms_theory.any()


@pytest.mark.parametrize("dtype", DTYPES)
def test_same_seed_gives_the_same_simulation(dtype):
    def run():
        return simulate_random_network(
            12, 32, "tanh", "glorot", np.random.default_rng(7), 1.3, m=8, dtype=dtype
        )

    first, second = run(), run()
    for field in ("Z_rms", "A_mean", "A_std", "A_histogram", "dA_rms", "dW_norm"):
        np.testing.assert_array_equal(getattr(first, field), getattr(second, field))


@pytest.mark.parametrize("distribution", DISTRIBUTIONS)
def test_float32_and_float64_agree_while_both_are_in_range(distribution):
    # One seed, one network: the dtype changes only the arithmetic.
    runs = [
        simulate_random_network(
            10,
            64,
            "tanh",
            "xavier",
            np.random.default_rng(3),
            dtype=dtype,
            distribution=distribution,
        )
        for dtype in DTYPES
    ]
    np.testing.assert_allclose(runs[0].Z_rms, runs[1].Z_rms, rtol=1e-4)
    np.testing.assert_allclose(runs[0].dW_norm, runs[1].dW_norm, rtol=1e-3)


def test_uniform_weights_are_the_default_and_recorded():
    run = simulate_random_network(4, 16, "relu", "he", np.random.default_rng(0))
    assert run.distribution == "uniform"
    normal = simulate_random_network(
        4, 16, "relu", "he", np.random.default_rng(0), distribution="normal"
    )
    assert normal.distribution == "normal" and not np.array_equal(run.Z_rms, normal.Z_rms)


def test_checkpointing_gives_the_same_simulation_as_keeping_every_layer(monkeypatch):
    def run():
        return simulate_random_network(17, 48, "tanh", "he", np.random.default_rng(4), m=24)

    kept = run()
    monkeypatch.setattr(propagation, "KEPT_ACTIVATIONS_BYTES", 0)  # keep every 5th A[l]
    checkpointed = run()
    for field in ("Z_rms", "A_mean", "A_std", "A_histogram", "dA_rms", "dW_norm"):
        np.testing.assert_array_equal(getattr(kept, field), getattr(checkpointed, field))


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_histograms_share_edges_and_hold_every_activation(activation):
    run = simulate_random_network(8, 64, activation, "he", np.random.default_rng(0), 3.0)
    assert run.A_histogram.shape == (8, HISTOGRAM_BINS)
    assert run.bin_edges.shape == (HISTOGRAM_BINS + 1,)
    np.testing.assert_allclose(run.A_histogram.sum(axis=1), 1.0)
    np.testing.assert_array_equal(run.layers, np.arange(1, 9))


@pytest.mark.parametrize(
    ("activation", "method", "scale", "low", "high"),
    [
        ("tanh", "random", 1.0, 0.6, 0.85),  # σ_w² = 64: |Z| ≈ 7.6 ≫ 2.65 = atanh(0.99)
        ("sigmoid", "random", 0.001, 0.0, 0.0),  # A ≈ 0.5, the linear middle
        ("relu", "he", 1.0, 0.4, 0.6),  # about half the units dead
        ("linear", "he", 1.0, 0.0, 0.0),
    ],
)
def test_saturated_fraction_tells_flat_from_live_units(activation, method, scale, low, high):
    run = simulate_random_network(6, 64, activation, method, np.random.default_rng(0), scale)
    assert low <= run.saturated_fraction[1:].min() and run.saturated_fraction.max() <= high


def test_activation_mean_and_std_describe_a_layer():
    run = simulate_random_network(3, 256, "relu", "he", np.random.default_rng(0), m=256)
    # A[1] = relu(Z[1]) with Z[1] ~ N(0, 2): E[A] = √2/√(2π) = 1/√π and E[A²] = 1.
    assert run.A_mean[0] == pytest.approx(1 / math.sqrt(math.pi), rel=0.02)
    assert run.A_std[0] == pytest.approx(math.sqrt(1 - 1 / math.pi), rel=0.02)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "linear", "leaky_relu"])
@pytest.mark.parametrize("distribution", DISTRIBUTIONS)
@pytest.mark.parametrize("kept_bytes", [None, 0])
def test_backward_pass_matches_central_differences(
    activation, distribution, kept_bytes, monkeypatch
):
    # J = (1/m) Σ dA[L] ∗ A[L] has ∂J/∂W[l] = dW[l]. The network is rebuilt the way
    # simulate_random_network draws it: layer seeds, then X, then dA[L], W[l] in float32.
    # With no memory to keep every A[l], depth 7 is three recomputed segments.
    # ε = 1e-4, not 1e-6: through 7 sigmoids dW[l] is ~1e-5 while J is ~1, so J's
    # round-off over 2ε would be ~1e-5 of dW at ε = 1e-6; the ε² truncation is ~1e-8.
    if kept_bytes is not None:
        monkeypatch.setattr(propagation, "KEPT_ACTIVATIONS_BYTES", kept_bytes)
    depth, width, m, epsilon = 7, 3, 4, 1e-4
    run = simulate_random_network(
        depth, width, activation, "glorot", np.random.default_rng(5), 1.5, m=m,
        distribution=distribution,
    )  # fmt: skip
    rng = np.random.default_rng(5)
    seeds = rng.integers(2**63, size=depth)
    X, G = rng.standard_normal((width, m)), rng.standard_normal((width, m))
    Ws = [
        initialize_layer(
            width, width, "glorot", np.random.default_rng(int(s)), 1.5,
            distribution=distribution, dtype="float32",
        ).W.astype(np.float64)
        for s in seeds
    ]  # fmt: skip

    def J(Ws, first=0, A=X):
        for W in Ws[first:]:
            A = activate(W @ A, activation)
        return np.sum(G * A) / m

    for l in range(1, depth + 1):
        dW = np.zeros((width, width))
        for index in np.ndindex(dW.shape):
            plus, minus = [W.copy() for W in Ws], [W.copy() for W in Ws]
            plus[l - 1][index] += epsilon
            minus[l - 1][index] -= epsilon
            dW[index] = (J(plus) - J(minus)) / (2 * epsilon)
        assert run.dW_norm[l - 1] == pytest.approx(np.linalg.norm(dW), rel=1e-6)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"depth": 0}, r"depth \(L\) must be at least 1"),
        ({"depth": 201}, "at most 200"),
        ({"width": 513}, r"width \(n\) must be at most 512"),
        ({"width": 8.0}, "whole number"),
        ({"m": 0}, r"m \(the batch size\)"),
        ({"m": 1025}, "at most 1024"),
        ({"activation": "softmax"}, "choose one of linear, relu"),
        ({"method": "lecun"}, "choose one of zeros, random"),
        ({"scale": -1.0}, "scale must be"),
        ({"dtype": "float16"}, "choose one of float32, float64"),
        ({"distribution": "gaussian"}, "choose one of normal, uniform"),
    ],
)
def test_bad_simulation_inputs_are_refused(changes, match):
    arguments = {
        "depth": 3,
        "width": 8,
        "activation": "relu",
        "method": "he",
        "rng": np.random.default_rng(0),
        "scale": 1.0,
        "m": 4,
        "dtype": "float64",
        "distribution": "uniform",
    } | changes
    with pytest.raises(ValueError, match=match):
        simulate_random_network(**arguments)


# ----------------------------------------------------------------- the simulation's helpers


def _exact_log_product_norm(dZ: np.ndarray, A: np.ndarray) -> float:
    """log ‖dZ Aᵀ‖_F by forming dZ Aᵀ in exact rationals: no rounding, no overflow."""
    dZ_, A_ = [[[Fraction(float(v)) for v in row] for row in M] for M in (dZ, A)]
    squared = sum(sum(a * b for a, b in zip(u, v, strict=True)) ** 2 for u in dZ_ for v in A_)
    return (math.log(squared.numerator) - math.log(squared.denominator)) / 2


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    ("dZ_scale", "A_scale"), [(1.0, 1.0), (1e-3, 50.0), (1e30, 1e-30), (1e-20, 1e-19)]
)
def test_weight_gradient_norm_matches_the_formed_product(dtype, dZ_scale, A_scale):
    # ‖dW‖_F from the m × m Gram matrices against dW = dZ Aᵀ / m formed exactly; the
    # extreme scales would overflow or underflow the Gram matrices without rescaling.
    rng = np.random.default_rng(0)
    dZ = (dZ_scale * rng.standard_normal((5, 3))).astype(dtype)
    A = (A_scale * rng.standard_normal((4, 3))).astype(dtype)
    norm = propagation._weight_gradient_norm(dZ, A)
    assert math.log(norm) == pytest.approx(_exact_log_product_norm(dZ, A) - math.log(3), abs=1e-12)
    if dZ_scale == A_scale == 1.0:
        assert norm == pytest.approx(np.linalg.norm(dZ.astype(float) @ A.T.astype(float)) / 3)


def test_weight_gradient_norm_of_extreme_float64_factors():
    rng = np.random.default_rng(1)
    dZ, A = 1e200 * rng.standard_normal((6, 2)), 1e-250 * rng.standard_normal((5, 2))
    norm = propagation._weight_gradient_norm(dZ, A)
    assert math.log(norm) == pytest.approx(_exact_log_product_norm(dZ, A) - math.log(2), abs=1e-12)


@pytest.mark.parametrize(
    ("dZ_entry", "A_entry", "expected"),
    [
        (0.0, 1.0, 0.0),
        (math.inf, 1.0, math.inf),
        (math.inf, 0.0, math.nan),
        (math.nan, 1.0, math.nan),
    ],
)
def test_weight_gradient_norm_passes_zero_inf_and_nan_through(dZ_entry, A_entry, expected):
    dZ, A = np.full((3, 2), dZ_entry), np.full((4, 2), A_entry)
    with np.errstate(all="ignore"):
        formed = np.linalg.norm(dZ @ A.T) / 2
    norm = propagation._weight_gradient_norm(dZ, A)
    np.testing.assert_equal([norm, formed], [expected, expected])


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_derivative_from_the_output_is_the_derivative(activation, dtype):
    Z = np.array(
        [-np.inf, -1e30, -40.0, -3.0, -1e-3, -1e-45, -0.0, 0.0, 1e-45, 0.5, 2.0, 40.0, 1e30,
         np.inf, np.nan],
    ).astype(dtype)  # fmt: skip
    with np.errstate(all="ignore"):
        from_output = propagation._DERIVATIVE_FROM_OUTPUT[activation](activate(Z, activation))
        np.testing.assert_array_equal(from_output, activation_derivative(Z, activation))
    assert from_output.dtype == Z.dtype


@pytest.mark.parametrize(("low", "high"), [(-4.0, 4.0), (-1.0, 1.0), (0.0, 1.0)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_bin_shares_match_numpy_histogram(low, high, dtype):
    A = np.random.default_rng(2).normal(low / 2 + high / 2, high - low, (64, 40)).astype(dtype)
    A[0, :3] = [low, high, np.nan]
    A[1, :2] = [-np.inf, np.inf]
    shares = propagation._bin_shares(A, low, high)
    counts, _ = np.histogram(np.clip(A, low, high), bins=HISTOGRAM_BINS, range=(low, high))
    np.testing.assert_array_equal(shares, counts / A.size)


# ----------------------------------------------------------------- the one rule (depth_trend)


@pytest.mark.parametrize(
    ("last", "verdict"),
    [(2.0, "keeps"), (0.5, "keeps"), (2.01, "explodes"), (0.499, "vanishes"), (1.0, "keeps")],
)
def test_depth_trend_keeps_within_a_factor_of_two_either_way(last, verdict):
    trend = propagation.depth_trend(np.array([1.0, 1.1, 0.9, last]))
    assert propagation.SCALE_TOLERANCE == 2.0
    assert trend.verdict == verdict and trend.ratio == pytest.approx(last)
    assert trend.per_layer == pytest.approx(last ** (1 / 3))


@pytest.mark.parametrize(
    ("ratio", "verdict"),
    [(2.0, "keeps"), (0.5, "keeps"), (1.0, "keeps"), (2.01, "explodes"), (0.499, "vanishes")],
)
def test_the_rule_on_a_log_ratio_is_the_rule_of_depth_trend(ratio, verdict):
    assert propagation.scale_verdict(math.log(ratio)) == verdict
    trend = propagation.depth_trend(np.array([1.0, ratio]))
    assert trend.verdict == verdict
    assert propagation.scale_verdict(math.log(ratio), tolerance=3.0) == "keeps"


@pytest.mark.parametrize(
    ("a", "L", "verdict"),
    [(1.5, 10, "explodes"), (0.5, 10, "vanishes"), (1.0, 2000, "keeps"), (1.05, 10, "keeps"),
     (1.05, 16, "explodes"), (1.5, 2000, "explodes"), (0.5, 2000, "vanishes")],
)  # fmt: skip
def test_the_deep_linear_verdict_judges_y_hat_over_x_by_the_one_rule(a, L, verdict):
    # 1.05¹⁵ ≈ 2.08 passes ×2, 1.05⁹ ≈ 1.55 does not; 1.5¹⁹⁹⁹ is far past any float
    signal = deep_linear_signal(a, L, x=3.0)
    assert signal.verdict == verdict
    if abs((L - 1) * math.log10(a)) < 300:
        assert propagation.depth_trend(np.array([3.0, 3.0 * a ** (L - 1)])).verdict == verdict


def test_a_geometric_signal_is_exponential_and_its_extrapolation_is_exact():
    values = 0.7 ** np.arange(30)
    trend = propagation.depth_trend(values)
    assert trend.verdict == "vanishes" and trend.exponential is True
    assert trend.extrapolated == pytest.approx(values[-1]) and trend.per_layer == pytest.approx(0.7)


def test_a_power_law_decay_is_not_exponential():
    # 1/√l, tanh with the course's Xavier: the first half's rate overshoots the last layer
    values = 1 / np.sqrt(np.arange(1, 31))
    trend = propagation.depth_trend(values)
    assert trend.verdict == "vanishes" and trend.exponential is False
    assert trend.extrapolated < trend.last / 2


def test_tanh_with_xavier_fades_slowly_and_relu_with_xavier_exponentially():
    def forward(activation):
        net = simulate_random_network(30, 100, activation, "xavier", np.random.default_rng(0))
        return propagation.depth_trend(net.Z_rms)

    tanh, relu = forward("tanh"), forward("relu")
    assert tanh.verdict == relu.verdict == "vanishes"
    assert tanh.exponential is False and tanh.last > 2 * tanh.extrapolated
    assert relu.exponential is True


def test_depth_trend_of_ratios_beyond_float64_neither_overflows_nor_raises():
    trend = propagation.depth_trend(np.array([1e-300, 1e-100, 1e100, 1e300]))
    assert trend.verdict == "explodes" and trend.ratio == math.inf
    assert math.isfinite(trend.per_layer) and trend.per_layer == pytest.approx(1e200)


def test_two_or_three_layers_are_too_few_to_call_exponential():
    assert propagation.depth_trend(np.array([1.0, 5.0])).exponential is None
    assert propagation.depth_trend(np.array([1.0, 5.0, 25.0])).exponential is None


@pytest.mark.parametrize(
    ("values", "match"),
    [([1.0], "at least 2"), ([1.0, 0.0], "finite and positive"), ([1.0, np.inf], "finite")],
)
def test_depth_trend_refuses_what_it_cannot_judge(values, match):
    with pytest.raises(ValueError, match=match):
        propagation.depth_trend(np.array(values))


def test_the_input_batch_rms_is_recorded():
    net = simulate_random_network(3, 64, "relu", "he", np.random.default_rng(0))
    rng = np.random.default_rng(0)
    rng.integers(2**63, size=3)  # the layers' seeds come first
    X = rng.standard_normal((64, 64))
    assert net.X_rms == pytest.approx(np.sqrt(np.mean(X**2)))
