import math
import warnings

import numpy as np
import pytest
from scipy import linalg

from core import conditioning
from core.datasets import house_prices
from core.normalization import Normalizer


def regression_data(n_x: int = 2, m: int = 50, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, [[1.0], [3.0], [0.5], [2.0]][:n_x], (n_x, m))
    Y = np.array([[1.5, -2.0, 0.7, 3.0][:n_x]]) @ X + rng.normal(0.0, 0.3, (1, m))
    return X, Y


def direct_cost(X: np.ndarray, Y: np.ndarray, w: np.ndarray) -> float:
    """J(w) = (1/2m) Σᵢ (wᵀx⁽ⁱ⁾ − y⁽ⁱ⁾)², one example at a time."""
    m = X.shape[1]
    return math.fsum((float(w @ X[:, i]) - Y[0, i]) ** 2 for i in range(m)) / (2 * m)


@pytest.fixture(scope="module")
def houses():
    data = house_prices(500, np.random.default_rng(0))
    return data.X, data.Y, Normalizer().fit_transform(data.X)


@pytest.mark.parametrize("n_x, m", [(2, 3), (2, 100), (3, 40), (4, 10)])
def test_hessian_is_mean_of_outer_products(n_x, m):
    X, _ = regression_data(n_x, m)
    expected = sum(np.outer(X[:, i], X[:, i]) for i in range(m)) / m
    np.testing.assert_allclose(conditioning.hessian(X), expected, rtol=1e-12)


@pytest.mark.parametrize("n_x, m, seed", [(2, 3, 0), (2, 100, 1), (3, 40, 2), (4, 10, 3)])
def test_condition_number_matches_numpy_cond_of_hessian(n_x, m, seed):
    X, _ = regression_data(n_x, m, seed)
    expected = np.linalg.cond((X @ X.T) / m)
    assert conditioning.condition_number(X) == pytest.approx(expected, rel=1e-9)


def test_singular_hessian_has_infinite_condition_number_and_never_converges():
    X = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])  # w₂ does not change J at all
    Y = np.array([[1.0, 2.0, 3.0]])
    assert conditioning.condition_number(X) == math.inf
    alpha = 0.5 * conditioning.learning_rate_stability_limit(X)
    assert conditioning.steps_to_converge(X, Y, alpha, w0=[0.0, 1.0]) is None
    assert conditioning.gradient_descent_path(X, Y, alpha, w0=[0.0, 1.0]).steps_to_tolerance is None


def test_raw_house_prices_are_ill_conditioned_and_normalized_ones_are_not(houses):
    X, _, X_normalized = houses
    assert conditioning.condition_number(X) > 1e5
    assert conditioning.condition_number(X_normalized) < 5


def test_learning_rates_follow_from_extreme_eigenvalues():
    X, _ = regression_data(3, 40)
    lambdas = linalg.eigvalsh(X @ X.T / 40)
    assert conditioning.best_stable_learning_rate(X) == pytest.approx(
        2 / (lambdas[0] + lambdas[-1])
    )
    assert conditioning.learning_rate_stability_limit(X) == pytest.approx(2 / lambdas[-1])


def test_least_squares_solution_solves_the_normal_equations():
    X, Y = regression_data(3, 40)
    w_star = conditioning.least_squares_solution(X, Y)
    assert w_star.shape == (3, 1)
    np.testing.assert_allclose(w_star, linalg.solve(X @ X.T, X @ Y.T, assume_a="pos"), rtol=1e-10)


def test_cost_quadratic_matches_a_direct_loop_over_examples():
    X, Y = regression_data(2, 30)
    quadratic = conditioning.cost_quadratic(X, Y)
    W = np.array([[-1.0, 4.0, 0.3, 2.0, 1.5], [-5.0, 1.0, 0.0, -2.0, -0.7]])
    for w, J in zip(W.T, quadratic.costs(W), strict=True):
        assert pytest.approx(direct_cost(X, Y, w), rel=1e-10) == J


def test_cost_quadratic_is_smallest_at_the_least_squares_solution(houses):
    X, Y, _ = houses
    quadratic = conditioning.cost_quadratic(X, Y)
    w_star = conditioning.least_squares_solution(X, Y)
    np.testing.assert_allclose(quadratic.w_star, w_star, rtol=1e-12)
    assert quadratic.J_star == pytest.approx(direct_cost(X, Y, w_star.ravel()), rel=1e-10)
    offsets = np.random.default_rng(3).normal(size=(2, 50)) * [[0.01], [10.0]]
    assert np.all(quadratic.costs(w_star + offsets) > quadratic.J_star)


def quadratic_form(H: np.ndarray, centre: np.ndarray, points: np.ndarray) -> np.ndarray:
    """½ (w − w*)ᵀ H (w − w*) at each row of points, one point at a time."""
    return np.array([0.5 * (w - centre) @ H @ (w - centre) for w in points])


@pytest.mark.parametrize("level", [1e-6, 0.37, 80_000.0])
@pytest.mark.parametrize("inputs", ["raw", "normalized", "random"])
def test_contour_ellipse_points_lie_on_the_level_set(houses, inputs, level):
    X, _, X_normalized = houses
    X = {"raw": X, "normalized": X_normalized, "random": regression_data(2, 40)[0]}[inputs]
    H = conditioning.hessian(X)
    centre = np.array([0.15, 13.0])
    points = conditioning.contour_ellipse(H, centre, level, points=97)
    assert points.shape == (97, 2)
    np.testing.assert_allclose(quadratic_form(H, centre, points), level, rtol=1e-9)
    np.testing.assert_array_equal(points[0], points[-1])  # the line closes


def test_contour_ellipse_axes_lie_along_the_eigenvectors_with_half_lengths_from_lambda():
    H = np.array([[5.0, 2.0], [2.0, 2.0]])  # eigenvalues 1 and 6
    lambdas, Q = np.linalg.eigh(H)
    points = conditioning.contour_ellipse(H, [1.0, -1.0], 3.0, points=5)  # t = 0, π/2, …
    offsets = points - [1.0, -1.0]
    np.testing.assert_allclose(np.linalg.norm(offsets[:4], axis=1),
                               np.sqrt(2 * 3.0 / np.tile(lambdas, 2)))  # fmt: skip
    np.testing.assert_allclose(np.abs(offsets[0] @ Q[:, 0]), np.sqrt(6.0 / lambdas[0]))
    np.testing.assert_allclose(offsets[0] @ Q[:, 1], 0.0, atol=1e-12)


@pytest.mark.parametrize(
    "H, centre, level, message",
    [
        (np.eye(3), [0.0, 0.0], 1.0, r"symmetric \(2, 2\) matrix"),
        (np.array([[1.0, 2.0], [0.0, 1.0]]), [0.0, 0.0], 1.0, "symmetric"),
        (np.array([[1.0, 1.0], [1.0, 1.0]]), [0.0, 0.0], 1.0, "singular.*parallel lines"),
        (np.eye(2), [0.0, np.nan], 1.0, "w_star must hold 2 finite numbers"),
        (np.eye(2), [0.0, 0.0], 0.0, "level must be greater than 0"),
    ],
)
def test_contour_ellipse_refuses_what_has_no_ellipse(H, centre, level, message):
    with pytest.raises(ValueError, match=message):
        conditioning.contour_ellipse(H, centre, level)


@pytest.mark.parametrize("data", ["random", "raw houses"])
def test_gradient_descent_at_steps_matches_the_steps_taken_one_by_one(houses, data):
    X, Y = regression_data(2, 60, seed=4) if data == "random" else houses[:2]
    alpha = conditioning.best_stable_learning_rate(X)
    taken = conditioning.gradient_descent_path(X, Y, alpha, [0.5, -2.0], 300, 1e-12)
    steps = np.array([0, 1, 2, 7, 50, len(taken.path) - 1])
    seen = conditioning.gradient_descent_at_steps(X, Y, alpha, steps, [0.5, -2.0])
    np.testing.assert_array_equal(seen.steps, steps)
    start = np.linalg.norm(taken.path[0] - taken.minimum)
    np.testing.assert_allclose(seen.path, taken.path[steps], rtol=0, atol=1e-9 * start)
    np.testing.assert_allclose(seen.costs, taken.costs[steps], rtol=1e-9)
    assert not seen.diverged


def test_gradient_descent_at_steps_reaches_the_closed_form_step_count_in_millions(houses):
    X, Y, _ = houses  # raw: κ in the millions, so millions of steps
    alpha = conditioning.best_stable_learning_rate(X)
    k = conditioning.steps_to_converge(X, Y, alpha, tolerance=1e-3)
    assert k > 1_000_000
    seen = conditioning.gradient_descent_at_steps(X, Y, alpha, np.array([0, k - 1, k]))
    w_star = conditioning.least_squares_solution(X, Y).ravel()
    start, before, at = np.linalg.norm(seen.path - w_star, axis=1)
    assert before > 1e-3 * start >= at


def test_gradient_descent_at_steps_cuts_a_diverging_run_where_the_loop_stops():
    X, Y = regression_data(2, 40, seed=2)
    alpha = 1.5 * conditioning.learning_rate_stability_limit(X)
    taken = conditioning.gradient_descent_path(X, Y, alpha, max_steps=100)
    seen = conditioning.gradient_descent_at_steps(X, Y, alpha, np.arange(100))
    assert seen.diverged and taken.diverged
    assert len(seen.steps) == len(taken.path)
    start = np.linalg.norm(taken.path[0] - taken.minimum)
    np.testing.assert_allclose(seen.path, taken.path, rtol=1e-9, atol=1e-12 * start)


@pytest.mark.parametrize(
    "steps", [np.array([0, 2, 1]), np.array([0.0, 1.0]), np.array([-1, 0]), np.array([], int),
              np.array([0, 10**10]), np.array([[0, 1]])],
    ids=["unsorted", "floats", "negative", "empty", "beyond 1e9", "2-D"],
)  # fmt: skip
def test_gradient_descent_at_steps_refuses_steps_that_are_no_step_numbers(steps):
    X, Y = regression_data(2, 10)
    with pytest.raises(ValueError, match="steps must be a 1-D array of increasing whole"):
        conditioning.gradient_descent_at_steps(X, Y, 0.1, steps)


def test_gradient_descent_path_at_best_rate_converges_as_theory_predicts():
    X, Y = regression_data(2, 100, seed=5)
    kappa = conditioning.condition_number(X)
    alpha = conditioning.best_stable_learning_rate(X)
    tolerance = 1e-6
    result = conditioning.gradient_descent_path(X, Y, alpha, w0=[5.0, 5.0], tolerance=tolerance)
    assert not result.diverged
    # With two weights both directions shrink by exactly (κ − 1)/(κ + 1) per step at α*.
    rho = (kappa - 1) / (kappa + 1)
    assert result.steps_to_tolerance == math.ceil(math.log(tolerance) / math.log(rho))
    assert result.path.shape == (result.steps_to_tolerance + 1, 2)
    np.testing.assert_allclose(result.path[0], [5.0, 5.0])
    np.testing.assert_allclose(result.path[-1], result.minimum, atol=1e-5)
    np.testing.assert_allclose(result.minimum, linalg.lstsq(X.T, Y.ravel())[0], rtol=1e-10)
    assert result.costs[-1] == pytest.approx(result.minimum_cost, rel=1e-6)
    assert np.all(np.diff(result.costs) <= 1e-12)


def test_gradient_descent_path_costs_match_direct_costs():
    X, Y = regression_data(2, 20, seed=6)
    result = conditioning.gradient_descent_path(X, Y, 0.05, max_steps=30)
    for w, cost in zip(result.path[::7], result.costs[::7], strict=True):
        assert cost == pytest.approx(direct_cost(X, Y, w), rel=1e-10)


def test_gradient_descent_above_stability_limit_reports_divergence_without_warnings():
    X, Y = regression_data(2, 50)
    alpha = 1.05 * conditioning.learning_rate_stability_limit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = conditioning.gradient_descent_path(X, Y, alpha, max_steps=100_000)
    assert result.diverged
    assert result.steps_to_tolerance is None
    assert len(result.path) < 1_000  # stopped early, not after max_steps
    assert np.all(np.isfinite(result.path)) and np.all(np.isfinite(result.costs))
    assert conditioning.steps_to_converge(X, Y, alpha) is None


def test_gradient_descent_below_stability_limit_never_diverges():
    X, Y = regression_data(2, 50)
    alpha = 0.99 * conditioning.learning_rate_stability_limit(X)
    result = conditioning.gradient_descent_path(X, Y, alpha, max_steps=5_000, tolerance=1e-3)
    assert not result.diverged
    assert result.steps_to_tolerance is not None


def test_gradient_descent_stops_at_max_steps_when_not_converged():
    X, Y = regression_data(2, 50)
    result = conditioning.gradient_descent_path(X, Y, 1e-4, max_steps=25)
    assert result.steps_to_tolerance is None and not result.diverged
    assert result.path.shape == (26, 2) and result.costs.shape == (26,)


def test_gradient_descent_starting_at_the_minimum_needs_no_steps():
    X, Y = regression_data(2, 50)
    w_star = conditioning.least_squares_solution(X, Y)
    result = conditioning.gradient_descent_path(X, Y, 0.1, w0=w_star)
    assert result.steps_to_tolerance == 0 and result.path.shape == (1, 2)
    assert conditioning.steps_to_converge(X, Y, 0.1, w0=w_star) == 0


@pytest.mark.parametrize("tolerance", [1e-2, 1e-4, 1e-7])
@pytest.mark.parametrize("rate_fraction", [0.3, 0.7, 0.95])
def test_steps_to_converge_closed_form_matches_running_gradient_descent(tolerance, rate_fraction):
    X, Y = regression_data(3, 60, seed=7)
    alpha = rate_fraction * conditioning.learning_rate_stability_limit(X)
    simulated = conditioning.gradient_descent_path(
        X, Y, alpha, w0=[1.0, -2.0, 0.5], max_steps=100_000, tolerance=tolerance
    ).steps_to_tolerance
    closed_form = conditioning.steps_to_converge(
        X, Y, alpha, w0=[1.0, -2.0, 0.5], tolerance=tolerance
    )
    assert simulated is not None
    assert abs(closed_form - simulated) <= 1


def test_normalized_house_prices_need_far_fewer_steps_than_raw(houses):
    X, Y, X_normalized = houses
    raw_steps = conditioning.steps_to_converge(X, Y, conditioning.best_stable_learning_rate(X))
    normalized_steps = conditioning.steps_to_converge(
        X_normalized, Y, conditioning.best_stable_learning_rate(X_normalized)
    )
    assert normalized_steps < 30
    assert raw_steps > 1_000 * normalized_steps
    # Running gradient descent agrees: normalized converges at once, raw is nowhere near.
    normalized_run = conditioning.gradient_descent_path(
        X_normalized, Y, conditioning.best_stable_learning_rate(X_normalized)
    )
    raw_run = conditioning.gradient_descent_path(
        X, Y, conditioning.best_stable_learning_rate(X), max_steps=2_000
    )
    assert normalized_run.steps_to_tolerance == normalized_steps
    assert raw_run.steps_to_tolerance is None and not raw_run.diverged


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"learning_rate": 0.0}, "learning_rate must be greater than 0"),
        ({"learning_rate": float("nan")}, "learning_rate must be a finite number"),
        ({"max_steps": 100_001}, "max_steps must be at most 100000"),
        ({"max_steps": 0}, "max_steps must be at least 1"),
        ({"tolerance": 1.0}, "tolerance must be less than 1"),
        ({"w0": [1.0, 2.0, 3.0]}, "w0 must hold 2 finite numbers"),
        ({"w0": [1.0, np.inf]}, "w0 must hold 2 finite numbers"),
    ],
)
def test_gradient_descent_path_refuses_bad_settings_with_advice(kwargs, message):
    X, Y = regression_data(2, 10)
    arguments = {"learning_rate": 0.1} | kwargs
    with pytest.raises(ValueError, match=message):
        conditioning.gradient_descent_path(X, Y, **arguments)


def test_targets_must_have_one_value_per_example():
    X, Y = regression_data(2, 10)
    with pytest.raises(ValueError, match=r"Y must have shape \(1, m\) = \(1, 10\)"):
        conditioning.least_squares_solution(X, Y[:, :9])
    with pytest.raises(ValueError, match=r"must be 2-D.*reshape"):
        conditioning.cost_quadratic(X, Y.ravel())


def test_all_zero_inputs_are_refused():
    with pytest.raises(ValueError, match="X is all zeros"):
        conditioning.condition_number(np.zeros((2, 5)))


def test_inputs_too_large_to_square_are_refused():
    with pytest.raises(ValueError, match=r"too large to square.*rescale"):
        conditioning.hessian(np.full((2, 3), 1e200))


def test_fit_linear_regression_matches_scipy_least_squares_with_an_intercept():
    X, Y = regression_data(3, 40)
    Y = Y + 7.0
    fit = conditioning.fit_linear_regression(X, Y)
    design = np.hstack([X.T, np.ones((40, 1))])
    theta, *_ = linalg.lstsq(design, Y.ravel())
    np.testing.assert_allclose(fit.w.ravel(), theta[:3], rtol=1e-10)
    assert fit.b == pytest.approx(theta[3], rel=1e-10)
    np.testing.assert_allclose(fit.predict(X), (design @ theta).reshape(1, -1), rtol=1e-10)


def test_root_mean_squared_error_is_the_root_of_the_mean_squared_residual():
    Y = np.array([[1.0, 2.0, 3.0, 4.0]])
    Y_hat = np.array([[1.0, 4.0, 3.0, 0.0]])
    assert conditioning.root_mean_squared_error(Y_hat, Y) == pytest.approx(math.sqrt(20 / 4))


def test_root_mean_squared_error_of_an_exact_fit_is_zero_not_its_round_off():
    Y = np.array([[1e6, 2e6, 3e6]])
    assert conditioning.root_mean_squared_error(Y * (1 + 1e-15), Y) == 0.0
    assert conditioning.root_mean_squared_error(Y + 1e-3, Y) == pytest.approx(1e-3)


def test_linear_fit_and_error_refuse_mismatched_shapes_with_advice():
    X, Y = regression_data(2, 20)
    fit = conditioning.fit_linear_regression(X, Y)
    with pytest.raises(ValueError, match="2 weights"):
        fit.predict(np.ones((3, 5)))
    with pytest.raises(ValueError, match="one prediction per target"):
        conditioning.root_mean_squared_error(np.ones((1, 3)), np.ones((1, 4)))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_condition_numbers_by_stage_match_numpy_on_hand_centred_and_scaled_inputs(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal([[50.0], [-3.0]], [[20.0], [0.5]], (2, 80))
    mu, sigma = X.mean(axis=1, keepdims=True), X.std(axis=1, keepdims=True)
    stages = conditioning.condition_numbers_by_stage(X)
    for kappa, inputs in zip(stages, (X, X - mu, X / sigma, (X - mu) / sigma), strict=True):
        assert kappa == pytest.approx(np.linalg.cond(inputs @ inputs.T / 80), rel=1e-9)


def test_each_step_of_normalizing_lowers_kappa_of_the_house_prices_by_the_lectures_figures():
    # 200 houses of seed 0, the page's defaults: 3.3e6 raw, 7.5e5 centred, 28 scaled, 2.5 both.
    data = house_prices(200, np.random.default_rng(0))
    stages = conditioning.condition_numbers_by_stage(data.X)
    expected = {"raw": 3.26e6, "centred": 7.53e5, "scaled": 27.8, "normalized": 2.50}
    assert stages._asdict() == pytest.approx(expected, rel=0.01)


@pytest.mark.parametrize("n_x, seed", [(2, 0), (3, 1), (4, 2)])
def test_correlation_matches_numpy_corrcoef(n_x, seed):
    X, _ = regression_data(n_x, 60, seed)
    np.testing.assert_allclose(conditioning.correlation(X), np.corrcoef(X), atol=1e-12)


@pytest.mark.parametrize("rho", [-0.9, -0.43, 0.0, 0.3, 0.8])
def test_two_normalized_features_have_kappa_set_by_their_correlation_alone(rho):
    rng = np.random.default_rng(3)
    Z = rng.normal(size=(2, 500))
    X = np.array([[1e3, 0.0], [0.0, 1e-2]]) @ np.vstack([Z[0], rho * Z[0] + Z[1]]) + 7.0
    r = conditioning.correlation(X)[0, 1]
    kappa = conditioning.condition_numbers_by_stage(X).normalized
    assert kappa == pytest.approx((1 + abs(r)) / (1 - abs(r)), rel=1e-9)


def test_a_constant_feature_has_no_correlation_to_measure():
    X = np.vstack([np.arange(10.0), np.full(10, 4.0)])
    np.testing.assert_array_equal(conditioning.correlation(X), [[1.0, 0.0], [0.0, 0.0]])
