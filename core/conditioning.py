"""Why normalizing helps: the cost of linear regression is a bowl whose shape is set by X.

The model is linear regression without a bias, ŷ = wᵀX, with the cost

    J(w) = (1/2m) ‖wᵀX − Y‖²  =  J* + ½ (w − w*)ᵀ H (w − w*),    H = (1/m) X Xᵀ

X: (n_x, m) inputs, one example per column.   Y: (1, m) targets.
w: (n_x, 1) weights (w = (w₁, w₂) in the contour plots).   H: (n_x, n_x), the Hessian of J,
constant because J is quadratic.   w*: (n_x, 1) the least-squares minimum, J* = J(w*).
λ_min ≤ … ≤ λ_max: the eigenvalues of H.   κ = λ_max / λ_min: the condition number.

The contours of J are ellipses whose axes lie along H's eigenvectors with lengths ∝ 1/√λ,
so κ says how elongated they are. Gradient descent w := w − α dw, with
dw = (1/m) X (wᵀX − Y)ᵀ = H (w − w*), multiplies the error w − w* by (1 − αλ) along each
eigenvector: it is stable only for α < 2/λ_max, and fastest at α = 2/(λ_max + λ_min), where
every error shrinks by at least (κ − 1)/(κ + 1) per step. The larger κ, the slower.

Steps to converge: the first k with ‖w_k − w*‖ ≤ tolerance · ‖w_0 − w*‖, that is the distance
to the minimum in the (w₁, w₂) plane has shrunk by the factor ``tolerance``.

No bias: for centred inputs (what normalizing gives) b decouples from w, because
∂²J/∂b∂w is the mean of x, which is 0; so two weights carry the whole picture. On raw inputs
leaving b out keeps the plot two-dimensional, and the features' non-zero means μ add μμᵀ to
H, which is part of what centring removes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from core._checks import as_matrix, positive_float, positive_int
from core.normalization import Normalizer

MAX_STEPS = 100_000
"""Most gradient-descent steps one call may take (a hosted page must stay responsive)."""

DIVERGENCE_FACTOR = 10.0
"""Gradient descent counts as diverged once ‖w_k − w*‖ exceeds this many times ‖w_0 − w*‖.

A stable step never moves w farther from w* than where it started (no factor |1 − αλ|
exceeds 1), so crossing this line proves divergence, long before anything overflows.
"""


def _regression_data(X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    X = as_matrix(X).astype(np.float64)
    Y = as_matrix(Y, "Y").astype(np.float64)
    m = X.shape[1]
    if Y.shape != (1, m):
        raise ValueError(
            f"Y must have shape (1, m) = (1, {m}), one target per column of X; got {Y.shape}."
        )
    return X, Y


def hessian(X: np.ndarray) -> np.ndarray:
    """H = (1/m) X Xᵀ, shape (n_x, n_x): the curvature of J, for X of shape (n_x, m)."""
    X = as_matrix(X).astype(np.float64)
    with np.errstate(over="ignore"):
        H = X @ X.T / X.shape[1]
    if not np.all(np.isfinite(H)):
        raise ValueError(
            "X's entries are too large to square in float64; rescale X (normalize it) first."
        )
    return H


def _eigenvalues(X: np.ndarray) -> np.ndarray:
    # H is symmetric positive semi-definite: eigvalsh is exact for that, and clipping
    # removes the tiny negative values rounding can produce for a singular H.
    lambdas = np.clip(np.linalg.eigvalsh(hessian(X)), 0.0, None)
    if lambdas[-1] == 0.0:
        raise ValueError("X is all zeros, so J does not depend on w; pass X with non-zero values.")
    return lambdas


def condition_number(X: np.ndarray) -> float:
    """κ = λ_max / λ_min of H = (1/m) X Xᵀ; infinite when H is singular."""
    lambdas = _eigenvalues(X)
    return float(lambdas[-1] / lambdas[0]) if lambdas[0] > 0 else float("inf")


class StageConditionNumbers(NamedTuple):
    """κ of H = (1/m) X Xᵀ after neither, either or both of normalizing's two steps.

    raw : X as given.   centred : X − μ only.   scaled : X / σ only (not centred).
    normalized : (X − μ) / σ, both steps.   μ and σ are those of the X passed in.
    """

    raw: float
    centred: float
    scaled: float
    normalized: float


def condition_numbers_by_stage(X: np.ndarray) -> StageConditionNumbers:
    """κ of the inputs raw, centred only, scaled only and normalized, for X of shape (n_x, m).

    Centring removes μμᵀ from H = Σ + μμᵀ (Σ the covariance); scaling evens out the
    features' spreads. Each can lower κ without the other, and by very different factors.
    """
    X = as_matrix(X).astype(np.float64)
    steps = ((False, False), (True, False), (False, True), (True, True))
    return StageConditionNumbers(
        *(
            condition_number(Normalizer(with_mean, with_std).fit_transform(X))
            for with_mean, with_std in steps
        )
    )


def correlation(X: np.ndarray) -> np.ndarray:
    """The features' correlation matrix, (n_x, n_x), for X of shape (n_x, m).

    ρ_jk = Σ_jk / (σ_j σ_k), with Σ = (1/m)(X − μ)(X − μ)ᵀ. It is H of the normalized
    inputs, so it is the shape normalizing leaves: with two features H's eigenvalues are
    1 ± ρ and κ = (1 + |ρ|)/(1 − |ρ|), which is 1 (a round valley) only for ρ = 0.
    A constant feature (σ kept at 1 by ``Normalizer``) gets a row and column of zeros.
    """
    return hessian(Normalizer().fit_transform(X))


def best_stable_learning_rate(X: np.ndarray) -> float:
    """α* = 2 / (λ_max + λ_min): the fixed step that makes gradient descent on J fastest."""
    lambdas = _eigenvalues(X)
    return float(2.0 / (lambdas[-1] + lambdas[0]))


def learning_rate_stability_limit(X: np.ndarray) -> float:
    """2 / λ_max: gradient descent on J converges for α below this and diverges above it."""
    return float(2.0 / _eigenvalues(X)[-1])


def least_squares_solution(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """w* = argmin J(w) = (X Xᵀ)⁻¹ X Yᵀ, shape (n_x, 1) (the shortest one if H is singular).

    Solved by least squares on Xᵀ rather than by inverting X Xᵀ, whose condition number is
    the square of X's and would lose the digits that raw data already strains.
    """
    X, Y = _regression_data(X, Y)
    w_star, *_ = np.linalg.lstsq(X.T, Y.T, rcond=None)
    return w_star


class Quadratic(NamedTuple):
    """J written around its minimum: J(w) = J* + ½ (w − w*)ᵀ H (w − w*).

    H : (n_x, n_x), (1/m) X Xᵀ.   w_star : (n_x, 1), w*.   J_star : J(w*).
    """

    H: np.ndarray
    w_star: np.ndarray
    J_star: float

    def costs(self, W: np.ndarray) -> np.ndarray:
        """J at every column of W (n_x, k): shape (k,)."""
        # Expanding around w* avoids the cancellation of the expanded form
        # ½wᵀHw − wᵀXYᵀ/m + YYᵀ/2m near the minimum.
        D = np.asarray(W, dtype=np.float64) - self.w_star
        return self.J_star + 0.5 * np.sum(D * (self.H @ D), axis=0)


def cost_quadratic(X: np.ndarray, Y: np.ndarray) -> Quadratic:
    """J(w) = (1/2m) ‖wᵀX − Y‖² as H, w* and J*, for X (n_x, m) and Y (1, m)."""
    X, Y = _regression_data(X, Y)
    w_star = least_squares_solution(X, Y)
    residual = w_star.T @ X - Y
    J_star = float(np.sum(residual**2) / (2 * X.shape[1]))
    return Quadratic(hessian(X), w_star, J_star)


def contour_ellipse(
    H: np.ndarray, w_star: np.ndarray, level: float, points: int = 361
) -> np.ndarray:
    """The level set J − J* = level of a quadratic in two weights, as points (points, 2).

    With H = Q diag(λ₁, λ₂) Qᵀ, the set ½ (w − w*)ᵀ H (w − w*) = level is the ellipse

        w(t) = w* + Q (√(2·level/λ₁) cos t, √(2·level/λ₂) sin t),   0 ≤ t ≤ 2π,

    whose axes lie along H's eigenvectors with half-lengths √(2·level/λ). The first point
    is repeated last, so a line through the points closes the ellipse. H must be
    positive definite: a singular H has two parallel lines for a level set.
    """
    H = as_matrix(H, "H").astype(np.float64)
    if H.shape != (2, 2) or not np.allclose(H, H.T, rtol=1e-12, atol=0.0):
        raise ValueError(f"H must be a symmetric (2, 2) matrix; got shape {H.shape}.")
    centre = np.asarray(w_star, dtype=np.float64).reshape(-1)
    if centre.shape != (2,) or not np.all(np.isfinite(centre)):
        raise ValueError(f"w_star must hold 2 finite numbers; got {w_star!r}.")
    level = positive_float(level, "level")
    points = positive_int(points, "points", maximum=100_000)
    lambdas, Q = np.linalg.eigh(H)
    if lambdas[0] <= 0.0:
        raise ValueError(
            "H is singular (an eigenvalue is 0), so J's level sets are parallel lines, not "
            "ellipses; pass inputs whose features are not linearly dependent."
        )
    t = np.linspace(0.0, 2.0 * np.pi, points)
    t[-1] = 0.0  # exactly the first point again: the line closes
    circle = np.vstack([np.cos(t), np.sin(t)])  # (2, points)
    return (centre[:, None] + Q @ (np.sqrt(2.0 * level / lambdas)[:, None] * circle)).T


def _initial_weights(w0: np.ndarray | None, n_x: int) -> np.ndarray:
    if w0 is None:
        return np.zeros((n_x, 1))
    w0 = np.asarray(w0, dtype=np.float64)
    if w0.size != n_x or not np.all(np.isfinite(w0)):
        raise ValueError(f"w0 must hold {n_x} finite numbers, one per feature; got {w0!r}.")
    return w0.reshape(n_x, 1)


@dataclass(frozen=True)
class GradientDescentPath:
    """Where gradient descent went on J, and whether it got to the minimum.

    path : (k + 1, n_x), w_0, w_1, …, w_k one per row (k = steps taken).
    costs : (k + 1,), J(w_0), …, J(w_k).
    minimum : (n_x,), w*.   minimum_cost : J*.   learning_rate : α.
    steps_to_tolerance : the first k with ‖w_k − w*‖ ≤ tolerance · ‖w_0 − w*‖, or None
        if it was not reached within max_steps (or gradient descent diverged).
    diverged : True once ‖w_k − w*‖ exceeded DIVERGENCE_FACTOR · ‖w_0 − w*‖; the run stops there.
    """

    path: np.ndarray
    costs: np.ndarray
    minimum: np.ndarray
    minimum_cost: float
    learning_rate: float
    steps_to_tolerance: int | None
    diverged: bool


def gradient_descent_path(
    X: np.ndarray,
    Y: np.ndarray,
    learning_rate: float,
    w0: np.ndarray | None = None,
    max_steps: int = 1_000,
    tolerance: float = 1e-3,
) -> GradientDescentPath:
    """Run w := w − α dw from w0 (default 0) until converged, diverged or max_steps taken.

    dw = (1/m) X (wᵀX − Y)ᵀ. Stops at the first step within ``tolerance`` (see the module
    docstring). Divergence is a result, not an error: it is reported and the run stops.
    """
    X, Y = _regression_data(X, Y)
    alpha = positive_float(learning_rate, "learning_rate")
    tolerance = positive_float(tolerance, "tolerance", below=1.0)
    max_steps = positive_int(max_steps, "max_steps", maximum=MAX_STEPS)
    quadratic = cost_quadratic(X, Y)
    H, w_star = quadratic.H, quadratic.w_star
    # dw = (1/m) X (wᵀX − Y)ᵀ = H w − (1/m) X Yᵀ: a step then costs O(n_x²), not O(n_x·m).
    XY = X @ Y.T / X.shape[1]

    w = _initial_weights(w0, X.shape[0])
    distance = start_distance = float(np.linalg.norm(w - w_star))
    path = [w]
    while distance > tolerance * start_distance and len(path) - 1 < max_steps:
        dw = H @ w - XY
        w = w - alpha * dw
        path.append(w)
        distance = float(np.linalg.norm(w - w_star))
        if distance > DIVERGENCE_FACTOR * start_distance:
            break
    converged = distance <= tolerance * start_distance

    W = np.hstack(path)
    return GradientDescentPath(
        path=W.T,
        costs=quadratic.costs(W),
        minimum=w_star.ravel(),
        minimum_cost=quadratic.J_star,
        learning_rate=alpha,
        steps_to_tolerance=len(path) - 1 if converged else None,
        diverged=distance > DIVERGENCE_FACTOR * start_distance,
    )


class DescentSnapshots(NamedTuple):
    """Gradient descent seen at chosen steps only.

    steps : (k,) the step numbers, increasing.   path : (k, n_x), w at each of them.
    costs : (k,), J there.   diverged : True when the run was cut at its first step beyond
    DIVERGENCE_FACTOR · ‖w_0 − w*‖ (the last step kept), as ``gradient_descent_path`` does.
    """

    steps: np.ndarray
    path: np.ndarray
    costs: np.ndarray
    diverged: bool


def gradient_descent_at_steps(
    X: np.ndarray,
    Y: np.ndarray,
    learning_rate: float,
    steps: np.ndarray,
    w0: np.ndarray | None = None,
) -> DescentSnapshots:
    """Where gradient descent w := w − α dw is after each of ``steps`` steps, without
    taking them: J is quadratic, so with H = Q diag(λ) Qᵀ

        w_k = w* + Q diag((1 − αλ)^k) Qᵀ (w_0 − w*),

    which puts step 22 million as close as step 22. Steps are whole numbers ≥ 0, at most
    10⁹, increasing. A diverging run is cut as in ``gradient_descent_path``.
    """
    X, Y = _regression_data(X, Y)
    alpha = positive_float(learning_rate, "learning_rate")
    k = np.asarray(steps)
    if (
        k.ndim != 1 or k.size == 0 or not np.issubdtype(k.dtype, np.integer)
        or k[0] < 0 or k[-1] > 10**9 or np.any(np.diff(k) <= 0)
    ):  # fmt: skip
        raise ValueError(
            "steps must be a 1-D array of increasing whole numbers from 0 to 10⁹; got "
            f"{steps!r}. Use e.g. np.unique(np.geomspace(1, 1e6, 200).astype(int))."
        )
    quadratic = cost_quadratic(X, Y)
    lambdas, Q = np.linalg.eigh(quadratic.H)
    c = Q.T @ (_initial_weights(w0, X.shape[0]) - quadratic.w_star)  # (n_x, 1)
    with np.errstate(over="ignore", invalid="ignore"):
        # (1 − αλ)^k per step (rows) and eigenvector (columns); a float power of a
        # negative base is exact in sign for the whole-number exponents used here.
        factors = (1.0 - alpha * lambdas)[None, :] ** k.astype(np.float64)[:, None]
        D = Q @ (factors.T * c)  # (n_x, k): w_k − w*
        distance = np.linalg.norm(D, axis=0)
    start = float(np.linalg.norm(c))
    beyond = np.flatnonzero(~(distance <= DIVERGENCE_FACTOR * start))
    # Keep the first step beyond the line, as the loop does, unless it overflowed.
    kept = beyond[0] + bool(np.isfinite(distance[beyond[0]])) if beyond.size else k.size
    W = quadratic.w_star + D[:, :kept]
    return DescentSnapshots(k[:kept], W.T, quadratic.costs(W), bool(beyond.size))


def steps_to_converge(
    X: np.ndarray,
    Y: np.ndarray,
    learning_rate: float,
    w0: np.ndarray | None = None,
    tolerance: float = 1e-3,
) -> int | None:
    """The steps gradient descent needs to get within tolerance, without running it.

    Gradient descent on a quadratic has a closed form: w_k − w* = (I − αH)^k (w_0 − w*).
    With H = Q diag(λ) Qᵀ and c = Qᵀ(w_0 − w*),

        ‖w_k − w*‖² = Σⱼ cⱼ² (1 − αλⱼ)^(2k),

    which never grows when every |1 − αλⱼ| < 1, so bisection finds the first k with
    ‖w_k − w*‖ ≤ tolerance · ‖w_0 − w*‖, even when that k is in the millions (raw data).
    Returns None when α ≥ 2/λ_max or some λ is 0 (H singular): a direction never shrinks.
    """
    X, Y = _regression_data(X, Y)
    alpha = positive_float(learning_rate, "learning_rate")
    tolerance = positive_float(tolerance, "tolerance", below=1.0)
    quadratic = cost_quadratic(X, Y)
    lambdas, Q = np.linalg.eigh(quadratic.H)
    c = Q.T @ (_initial_weights(w0, X.shape[0]) - quadratic.w_star)
    c_squared = (c**2).ravel()
    if not np.any(c_squared > 0):
        return 0
    rates = np.abs(1.0 - alpha * lambdas)
    if np.any(rates >= 1.0):
        return None
    # A factor of exactly 0 (α = 1/λ) kills its direction in one step; tiny keeps log finite.
    log_rates = np.log(np.maximum(rates, np.finfo(np.float64).tiny))
    target = tolerance**2 * c_squared.sum()

    def within_tolerance(k: int) -> bool:
        return float(np.sum(c_squared * np.exp(2 * k * log_rates))) <= target

    # Once every factor^k ≤ tolerance the sum is ≤ tolerance² Σ cⱼ², so this k is enough
    # (+1 for rounding); k = 0 is not, since tolerance < 1.
    low, high = 0, int(np.ceil(np.max(np.log(tolerance) / log_rates))) + 1
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if within_tolerance(middle) else (middle, high)
    return high


class LinearFit(NamedTuple):
    """A fitted linear regression with a bias, ŷ = wᵀx + b.

    w : (n_x, 1) weights.   b : the bias, in the target's units.
    """

    w: np.ndarray
    b: float

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Ŷ = wᵀX + b, shape (1, m), for X of shape (n_x, m)."""
        X = as_matrix(X)
        if X.shape[0] != self.w.shape[0]:
            raise ValueError(
                f"X has {X.shape[0]} features, but this fit has {self.w.shape[0]} weights; "
                "pass X of shape (n_x, m), normalized the same way as the training set."
            )
        return self.w.T @ X + self.b


def fit_linear_regression(X: np.ndarray, Y: np.ndarray) -> LinearFit:
    """Least squares with a bias: (w, b) = argmin (1/2m) ‖wᵀX + b − Y‖².

    Unlike J above (no bias, to keep two weights for the contours) this is the model one
    would actually use to predict, so a test error means what it says. Solved by least
    squares on the columns of [Xᵀ 1].
    """
    X, Y = _regression_data(X, Y)
    design = np.vstack([X, np.ones((1, X.shape[1]))])
    theta, *_ = np.linalg.lstsq(design.T, Y.T, rcond=None)
    return LinearFit(w=theta[:-1], b=float(theta[-1, 0]))


def root_mean_squared_error(Y_hat: np.ndarray, Y: np.ndarray) -> float:
    """√((1/m) Σᵢ (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)²) for Y_hat and Y of the same shape (1, m).

    An error below 64 machine-ε times max |y| is the round-off of an exact fit, not an
    error, and comes out as 0 (so a ratio to it is never a ratio to noise).
    """
    Y_hat = as_matrix(Y_hat, "Y_hat")
    Y = as_matrix(Y, "Y")
    if Y_hat.shape != Y.shape:
        raise ValueError(
            f"Y_hat has shape {Y_hat.shape} but Y has {Y.shape}; pass one prediction per target."
        )
    rmse = float(np.sqrt(np.mean((Y_hat - Y) ** 2)))
    round_off = 64 * np.finfo(np.float64).eps * float(np.max(np.abs(Y)))
    return 0.0 if rmse <= round_off else rmse
