import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays
from scipy import stats

from core.normalization import Normalizer, normalize_train_test

# Finite values of bounded magnitude whose squares stay normal floats (see Normalizer's note).
finite_matrices = arrays(
    np.float64,
    array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=8),
    elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False).filter(
        lambda x: x == 0 or abs(x) > 1e-100
    ),
)


def python_statistics(X: np.ndarray) -> tuple[list[float], list[float]]:
    """μ and σ per row by explicit, exactly rounded Python sums (an independent reference)."""
    mus, sigmas = [], []
    for row in X.tolist():
        mu = math.fsum(row) / len(row)
        mus.append(mu)
        sigmas.append(math.sqrt(math.fsum((x - mu) ** 2 for x in row) / len(row)))
    return mus, sigmas


@pytest.mark.parametrize("shape", [(1, 2), (3, 5), (2, 200), (7, 3)])
def test_normalizer_statistics_match_explicit_python_sums(shape):
    X = np.random.default_rng(0).normal(5.0, 3.0, shape)
    normalizer = Normalizer().fit(X)
    mus, sigmas = python_statistics(X)
    np.testing.assert_allclose(normalizer.mu_, np.array(mus).reshape(-1, 1), rtol=1e-13)
    np.testing.assert_allclose(normalizer.sigma_, np.array(sigmas).reshape(-1, 1), rtol=1e-12)
    np.testing.assert_allclose(normalizer.variance_, normalizer.sigma_**2, rtol=1e-12)
    assert normalizer.mu_.shape == normalizer.sigma_.shape == (shape[0], 1)
    assert (normalizer.n_features_, normalizer.n_samples_) == shape


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
def test_normalizer_transform_matches_scipy_zscore_with_ddof_zero(dtype, rtol):
    X = np.random.default_rng(1).normal(
        [[1000.0], [3.0], [-0.01]], [[300.0], [1.0], [0.002]], (3, 50)
    )
    X = X.astype(dtype)
    Z = Normalizer().fit_transform(X)
    assert Z.dtype == dtype
    np.testing.assert_allclose(
        Z, stats.zscore(X.astype(np.float64), axis=1, ddof=0), rtol=rtol, atol=rtol
    )


def test_normalizer_statistics_are_float64_for_float32_input():
    X = np.random.default_rng(2).normal(1e4, 1.0, (2, 1000)).astype(np.float32)
    normalizer = Normalizer().fit(X)
    assert normalizer.mu_.dtype == normalizer.sigma_.dtype == np.float64
    np.testing.assert_allclose(normalizer.mu_, X.astype(np.float64).mean(axis=1, keepdims=True))


def test_normalizer_integer_input_becomes_float64():
    Z = Normalizer().fit_transform(np.array([[1, 2, 3], [10, 20, 60]]))
    assert Z.dtype == np.float64
    np.testing.assert_allclose(Z.mean(axis=1), 0.0, atol=1e-15)


def test_normalizer_reuses_training_statistics_on_new_data():
    X_train = np.array([[0.0, 2.0, 4.0], [10.0, 10.0, 40.0]])
    X_new = np.array([[2.0, 6.0], [20.0, 0.0]])
    normalizer = Normalizer().fit(X_train)
    mu, sigma = X_train.mean(axis=1, keepdims=True), X_train.std(axis=1, keepdims=True)
    np.testing.assert_allclose(normalizer.transform(X_new), (X_new - mu) / sigma)


@settings(max_examples=60, deadline=None)
@given(finite_matrices)
def test_normalizer_round_trip_recovers_input(X):
    normalizer = Normalizer().fit(X)
    scale = max(1.0, float(np.abs(X).max()))
    np.testing.assert_allclose(
        normalizer.inverse_transform(normalizer.transform(X)), X, atol=1e-9 * scale
    )


@settings(max_examples=60, deadline=None)
@given(finite_matrices)
def test_normalizer_output_has_zero_mean_and_unit_std_per_feature(X):
    Z = Normalizer().fit_transform(X)
    magnitude = np.abs(X).max(axis=1)
    spread = X.std(axis=1)
    # Features whose spread is far above rounding of their magnitude must come out standardized.
    standardized = spread > 1e-6 * magnitude
    np.testing.assert_allclose(Z.mean(axis=1)[standardized], 0.0, atol=1e-7)
    np.testing.assert_allclose(Z.std(axis=1)[standardized], 1.0, rtol=1e-6)
    constant = np.ptp(X, axis=1) == 0
    np.testing.assert_allclose(Z[constant], 0.0, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(finite_matrices, st.booleans(), st.booleans())
def test_normalizer_never_mutates_its_input(X, with_mean, with_std):
    original = X.copy()
    normalizer = Normalizer(with_mean=with_mean, with_std=with_std)
    Z = normalizer.fit_transform(X)
    back = normalizer.inverse_transform(X)
    normalizer.transform(X)
    np.testing.assert_array_equal(X, original)
    assert not np.shares_memory(Z, X) and not np.shares_memory(back, X)


@pytest.mark.parametrize("value", [0.0, 7.5, -1e6, 0.1])
def test_normalizer_constant_feature_keeps_scale_one(value):
    X = np.array([[1.0, 2.0, 3.0, 4.0], [value] * 4])
    normalizer = Normalizer().fit(X)
    assert normalizer.sigma_[1, 0] == 1.0
    assert normalizer.variance_[1, 0] <= 1e-20 * max(1.0, value**2)
    Z = normalizer.transform(X)
    np.testing.assert_allclose(Z[1], 0.0, atol=1e-15 * max(1.0, abs(value)))
    assert np.all(np.isfinite(Z))


def test_normalizer_feature_with_rounding_noise_only_counts_as_constant():
    x = 0.1 + np.array([0.0, 1.0, 0.0]) * np.spacing(0.1)  # one ulp apart: noise, not signal
    normalizer = Normalizer().fit(np.vstack([x, [1.0, 2.0, 3.0]]))
    assert normalizer.sigma_[0, 0] == 1.0
    assert normalizer.sigma_[1, 0] != 1.0


def test_normalizer_single_example_is_only_centred():
    X = np.array([[3.0], [-2.0]])
    normalizer = Normalizer().fit(X)
    np.testing.assert_array_equal(normalizer.sigma_, np.ones((2, 1)))
    np.testing.assert_array_equal(normalizer.transform(X), np.zeros((2, 1)))


@pytest.mark.parametrize(
    "with_mean, with_std, expected",
    [
        (True, True, lambda X, mu, sigma: (X - mu) / sigma),
        (False, True, lambda X, mu, sigma: X / sigma),
        (True, False, lambda X, mu, sigma: X - mu),
        (False, False, lambda X, mu, sigma: X),
    ],
)
def test_normalizer_flags_choose_centring_and_scaling_like_standard_scaler(
    with_mean, with_std, expected
):
    X = np.random.default_rng(3).normal(4.0, 2.0, (3, 20))
    mu, sigma = X.mean(axis=1, keepdims=True), X.std(axis=1, keepdims=True)
    normalizer = Normalizer(with_mean=with_mean, with_std=with_std).fit(X)
    Z = normalizer.transform(X)
    np.testing.assert_allclose(Z, expected(X, mu, sigma), rtol=1e-12)
    np.testing.assert_allclose(normalizer.inverse_transform(Z), X, rtol=1e-12)
    np.testing.assert_allclose(normalizer.mu_, mu, rtol=1e-12)
    np.testing.assert_allclose(normalizer.sigma_, sigma, rtol=1e-12)


def test_normalizer_refit_replaces_the_statistics():
    normalizer = Normalizer().fit(np.zeros((3, 4)) + 1.0)
    normalizer.fit(np.array([[1.0, 3.0]]))
    assert normalizer.n_features_ == 1
    np.testing.assert_array_equal(normalizer.mu_, [[2.0]])


@pytest.mark.parametrize(
    "X, message",
    [
        (np.array([1.0, 2.0, 3.0]), r"must be 2-D with shape \(n_x, m\).*reshape"),
        (np.empty((2, 0)), r"is empty.*at least one example"),
        (np.array([[1.0, np.nan]]), r"NaN or infinite.*remove or impute"),
        (np.array([[1.0, np.inf]]), r"NaN or infinite.*remove or impute"),
        (np.array([["a", "b"]]), r"must hold numbers"),
    ],
)
def test_normalizer_fit_refuses_bad_input_with_advice(X, message):
    with pytest.raises(ValueError, match=message):
        Normalizer().fit(X)


def test_normalizer_transform_refuses_wrong_number_of_features():
    normalizer = Normalizer().fit(np.ones((3, 5)))
    with pytest.raises(
        ValueError, match=r"X has 2 features, but this Normalizer was fitted with 3"
    ):
        normalizer.transform(np.ones((2, 5)))
    with pytest.raises(ValueError, match=r"X has 2 features.*fitted with 3"):
        normalizer.inverse_transform(np.ones((2, 5)))


def test_normalizer_transform_suggests_transposing_examples_in_rows():
    normalizer = Normalizer().fit(np.ones((3, 5)))
    with pytest.raises(ValueError, match=r"looks transposed: pass X\.T"):
        normalizer.transform(np.ones((4, 3)))


@pytest.mark.parametrize("method", ["transform", "inverse_transform"])
def test_normalizer_refuses_use_before_fit(method):
    with pytest.raises(ValueError, match=r"not fitted yet; call fit\(X_train\) first"):
        getattr(Normalizer(), method)(np.ones((2, 3)))


def test_normalizer_transform_refuses_nan_and_one_dimensional_input():
    normalizer = Normalizer().fit(np.ones((1, 3)))
    with pytest.raises(ValueError, match="NaN or infinite"):
        normalizer.transform(np.array([[np.nan]]))
    with pytest.raises(ValueError, match="must be 2-D"):
        normalizer.transform(np.ones(3))


def test_normalize_train_test_with_training_statistics_keeps_the_test_shift():
    rng = np.random.default_rng(4)
    X_train = rng.normal(0.0, 1.0, (2, 400))
    X_test = rng.normal(3.0, 1.0, (2, 100))  # a test set of larger values than training
    right = normalize_train_test(X_train, X_test)
    np.testing.assert_array_equal(right.mu_test, right.mu_train)
    np.testing.assert_array_equal(right.sigma_test, right.sigma_train)
    np.testing.assert_allclose(right.X_test, (X_test - right.mu_train) / right.sigma_train)
    assert np.all(right.X_test.mean(axis=1) > 2.5)


def test_normalize_train_test_with_own_statistics_erases_the_test_shift():
    rng = np.random.default_rng(4)
    X_train = rng.normal(0.0, 1.0, (2, 400))
    X_test = rng.normal(3.0, 1.0, (2, 100))
    wrong = normalize_train_test(X_train, X_test, use_train_statistics=False)
    np.testing.assert_allclose(wrong.mu_test, X_test.mean(axis=1, keepdims=True))
    np.testing.assert_allclose(wrong.sigma_test, X_test.std(axis=1, keepdims=True))
    np.testing.assert_allclose(wrong.X_test.mean(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(wrong.X_test.std(axis=1), 1.0)
    np.testing.assert_allclose(wrong.X_train, normalize_train_test(X_train, X_test).X_train)


def test_normalize_train_test_refuses_mismatched_features():
    with pytest.raises(ValueError, match=r"X_test has 3 features, but X_train has 2"):
        normalize_train_test(np.ones((2, 4)), np.ones((3, 4)))
