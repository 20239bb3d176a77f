"""Normalizing inputs: subtract the training mean, divide by the training standard deviation.

``Normalizer`` learns μ and σ from the training set and reuses them on every later set;
``normalize_train_test`` shows what changes when the test set is normalized with its own
statistics instead (the mistake the lecture warns about).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from core._checks import as_matrix


def _is_constant_feature(variance: np.ndarray, mu: np.ndarray, m: int) -> np.ndarray:
    # A two-pass variance of a constant feature is not exactly 0 but rounding noise bounded
    # by m·ε·σ² + (m·ε·|μ|)² (Chan, Golub & LeVeque); sklearn's StandardScaler uses the same bound.
    epsilon = np.finfo(np.float64).eps
    return variance <= m * epsilon * variance + (m * epsilon * mu) ** 2


class Normalizer:
    """Standardize each feature with the mean and standard deviation of the training set.

    For a training set X of shape (n_x, m) whose column x⁽ⁱ⁾ (shape (n_x, 1)) is example i,

        μ = (1/m) Σᵢ x⁽ⁱ⁾,    σ² = (1/m) Σᵢ (x⁽ⁱ⁾ − μ)²,    x_norm = (x − μ) / σ

    where μ, σ² and σ have shape (n_x, 1), squares and divisions act feature by feature, and
    σ² is the population variance (ddof = 0), as in sklearn's ``StandardScaler``. ``fit``
    learns μ and σ on the training set; ``transform`` applies those same μ and σ to any set
    (training, dev, test, a new input) so that all of them go through one transformation.

    A constant feature (σ² = 0, or so small against the feature's magnitude that it is
    rounding noise) keeps σ = 1: it is only centred, and becomes 0 rather than 0/0.

    Parameters
    ----------
    with_mean : subtract μ in ``transform`` (False: keep each feature's location).
    with_std : divide by σ in ``transform`` (False: keep each feature's scale).

    Attributes (set by ``fit``; μ and σ are learned whatever the flags, so they can be shown)
    ----------
    mu_ : (n_x, 1) float64, the training mean μ.
    variance_ : (n_x, 1) float64, the training variance σ² as measured (0 for a constant feature).
    sigma_ : (n_x, 1) float64, σ = √σ², or 1 for a constant feature.
    n_features_ : int, n_x.
    n_samples_ : int, m.

    Statistics are computed in float64; ``transform`` and ``inverse_transform`` return new
    arrays of the input's float dtype (integers become float64) and never modify their input.
    σ² is computed as written, so deviations |x − μ| should lie within about 1e±150, where
    their squares are ordinary float64 numbers.
    """

    mu_: np.ndarray
    variance_: np.ndarray
    sigma_: np.ndarray
    n_features_: int
    n_samples_: int

    def __init__(self, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = with_mean
        self.with_std = with_std

    def __repr__(self) -> str:
        return f"Normalizer(with_mean={self.with_mean}, with_std={self.with_std})"

    def fit(self, X: np.ndarray) -> Normalizer:
        """Learn μ and σ from the training set X of shape (n_x, m); return self."""
        X = as_matrix(X).astype(np.float64)
        n_x, m = X.shape
        mu = X.mean(axis=1, keepdims=True)
        variance = ((X - mu) ** 2).mean(axis=1, keepdims=True)
        self.mu_ = mu
        self.variance_ = variance
        self.sigma_ = np.where(_is_constant_feature(variance, mu, m), 1.0, np.sqrt(variance))
        self.n_features_ = n_x
        self.n_samples_ = m
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        """(X − μ) / σ with the training μ and σ; X has shape (n_x, m') for any m'."""
        X = self._fitted_input(X)
        mu, sigma = self._shift_and_scale()
        return ((X.astype(np.float64) - mu) / sigma).astype(X.dtype, copy=False)

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        """fit(X), then transform(X)."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X: np.ndarray) -> np.ndarray:
        """X·σ + μ: back to the original units, undoing ``transform``."""
        X = self._fitted_input(X)
        mu, sigma = self._shift_and_scale()
        return (X.astype(np.float64) * sigma + mu).astype(X.dtype, copy=False)

    def _fitted_input(self, X: np.ndarray) -> np.ndarray:
        if not hasattr(self, "mu_"):
            raise ValueError("This Normalizer is not fitted yet; call fit(X_train) first.")
        X = as_matrix(X)
        n_x = self.n_features_
        if X.shape[0] != n_x:
            hint = " It looks transposed: pass X.T." if X.shape[1] == n_x else ""
            raise ValueError(
                f"X has {X.shape[0]} features, but this Normalizer was fitted with {n_x}; "
                f"pass X of shape ({n_x}, m), one example per column.{hint}"
            )
        return X

    def _shift_and_scale(self) -> tuple[np.ndarray, np.ndarray]:
        # The flags decide what transform applies, not what fit learns (as in StandardScaler).
        mu = self.mu_ if self.with_mean else np.zeros_like(self.mu_)
        sigma = self.sigma_ if self.with_std else np.ones_like(self.sigma_)
        return mu, sigma


class TrainTestNormalization(NamedTuple):
    """Both sets after normalizing, and the statistics each was normalized with.

    X_train : (n_x, m_train), normalized with μ_train, σ_train.
    X_test : (n_x, m_test), normalized with μ_test, σ_test.
    mu_train, sigma_train : (n_x, 1), the training set's statistics.
    mu_test, sigma_test : (n_x, 1), the statistics applied to the test set: the training
        set's (right) or the test set's own (wrong).
    """

    X_train: np.ndarray
    X_test: np.ndarray
    mu_train: np.ndarray
    sigma_train: np.ndarray
    mu_test: np.ndarray
    sigma_test: np.ndarray


def normalize_train_test(
    X_train: np.ndarray, X_test: np.ndarray, *, use_train_statistics: bool = True
) -> TrainTestNormalization:
    """Normalize a training and a test set, the test set with the training μ and σ or its own.

    With ``use_train_statistics=True`` (right) both sets go through the same map
    x ↦ (x − μ_train) / σ_train, so a test example keeps its place relative to the training
    examples. With False (wrong) the test set is centred and scaled by its own μ_test, σ_test:
    it always lands at mean 0 and standard deviation 1, even when its examples are larger,
    smaller or more spread out than the training ones, and a model trained on the
    normalized training set then sees inputs that mean something else.
    """
    X_train = as_matrix(X_train, "X_train")
    X_test = as_matrix(X_test, "X_test")
    if X_test.shape[0] != X_train.shape[0]:
        raise ValueError(
            f"X_test has {X_test.shape[0]} features, but X_train has {X_train.shape[0]}; "
            "both need one row per feature, in the same order."
        )
    train = Normalizer().fit(X_train)
    test = train if use_train_statistics else Normalizer().fit(X_test)
    return TrainTestNormalization(
        X_train=train.transform(X_train),
        X_test=test.transform(X_test),
        mu_train=train.mu_,
        sigma_train=train.sigma_,
        mu_test=test.mu_,
        sigma_test=test.sigma_,
    )
