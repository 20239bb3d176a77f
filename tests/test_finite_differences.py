"""Numerical derivatives against closed-form derivatives, and the ε sweep against theory."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from core.finite_differences import (
    METHODS,
    above_tangent,
    complex_step_derivative,
    error_sweep,
    has_kink,
    is_exact_for_f,
    kink_between,
    nearest_kink,
    one_sided_difference,
    richardson_difference,
    secant_geometry,
    spans_kink,
    two_sided_difference,
)


def cube(theta):
    return theta**3


def cube_derivative(theta):
    return 3 * theta**2


# ---------------------------------------------------------------- the lecture's numbers


def test_one_sided_difference_of_cube_gives_lecture_3_0301():
    # (1.01³ − 1)/0.01 = 3 + 3ε + ε² = 3.0301, an error of 0.0301.
    assert one_sided_difference(cube, 1.0, 0.01) == pytest.approx(3.0301, abs=1e-12)
    assert one_sided_difference(cube, 1.0, 0.01) - 3 == pytest.approx(0.0301, abs=1e-12)


def test_two_sided_difference_of_cube_gives_lecture_3_0001():
    # (1.01³ − 0.99³)/0.02 = 3 + ε² = 3.0001, an error of 0.0001.
    assert two_sided_difference(cube, 1.0, 0.01) == pytest.approx(3.0001, abs=1e-12)
    assert two_sided_difference(cube, 1.0, 0.01) - 3 == pytest.approx(0.0001, abs=1e-12)


def test_backward_difference_of_cube_is_3_minus_3_epsilon_plus_epsilon_squared():
    epsilon = 0.01
    expected = 3 - 3 * epsilon + epsilon**2
    assert one_sided_difference(cube, 1, epsilon, "backward") == pytest.approx(expected, abs=1e-12)


# ---------------------------------------------------------------- orders of accuracy


def backward_difference(f, theta, epsilon):
    return one_sided_difference(f, theta, epsilon, "backward")


@pytest.mark.parametrize(
    ("difference", "epsilon", "expected_ratio"),
    [
        (one_sided_difference, 1e-3, 2.0),  # O(ε)
        (backward_difference, 1e-3, 2.0),
        (two_sided_difference, 1e-3, 4.0),  # O(ε²)
        (complex_step_derivative, 1e-3, 4.0),
        (richardson_difference, 0.05, 16.0),  # O(ε⁴), with ε large enough to beat round-off
    ],
)
def test_halving_epsilon_divides_error_by_two_to_the_order(difference, epsilon, expected_ratio):
    error = abs(difference(np.sin, 1.0, epsilon) - np.cos(1.0))
    error_at_half = abs(difference(np.sin, 1.0, epsilon / 2) - np.cos(1.0))
    assert error / error_at_half == pytest.approx(expected_ratio, rel=0.02)


@pytest.mark.parametrize(
    ("f", "df"),
    [(np.sin, np.cos), (np.exp, np.exp), (cube, cube_derivative)],
    ids=["sin", "exp", "cube"],
)
@pytest.mark.parametrize("theta", [0.3, 1.0, 2.5])
def test_complex_step_is_exact_to_a_few_ulps_at_tiny_step(f, df, theta):
    exact = df(theta)
    estimate = complex_step_derivative(f, theta, 1e-20)
    assert abs(estimate - exact) <= 4 * np.spacing(abs(exact))


def test_complex_step_in_float32_runs_in_complex64():
    estimate = complex_step_derivative(np.sin, np.float32(1.0), 1e-20)
    assert estimate.dtype == np.float32
    assert abs(estimate - np.cos(np.float32(1.0))) <= 4 * np.spacing(np.float32(0.54))


def test_complex_step_refuses_a_function_that_drops_the_imaginary_part():
    with pytest.raises(ValueError, match="dropped the imaginary part"):
        complex_step_derivative(np.abs, 1.0, 1e-20)


def test_richardson_is_exact_for_a_cubic_up_to_round_off():
    # D(ε) = 3 + ε² exactly for θ³ at 1, so 4·D(ε/2) − D(ε) = 9 leaves no truncation.
    assert richardson_difference(cube, 1.0, 0.1) == pytest.approx(3.0, abs=1e-13)


# ---------------------------------------------------------------- arrays and dtypes


@pytest.mark.parametrize(
    "difference",
    [one_sided_difference, two_sided_difference, complex_step_derivative, richardson_difference],
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_differences_work_elementwise_and_keep_the_dtype(difference, dtype):
    theta = np.linspace(-1, 2, 12, dtype=dtype).reshape(3, 4)
    estimate = difference(np.sin, theta, 1e-3)
    assert estimate.shape == (3, 4)
    assert estimate.dtype == dtype
    one_at_a_time = [difference(np.sin, value, 1e-3) for value in theta.ravel()]
    np.testing.assert_array_equal(estimate.ravel(), one_at_a_time)


def test_integer_theta_is_differenced_in_float64():
    assert two_sided_difference(cube, 1, 0.01).dtype == np.float64


def test_epsilon_array_broadcasts_against_theta():
    epsilons = np.array([1e-1, 1e-2, 1e-3])
    estimate = two_sided_difference(cube, 1.0, epsilons)
    np.testing.assert_allclose(estimate, 3 + epsilons**2, rtol=1e-10)


@pytest.mark.parametrize("epsilon", [0.0, -0.01, np.nan, np.inf, -np.inf])
@pytest.mark.parametrize(
    "difference",
    [one_sided_difference, two_sided_difference, complex_step_derivative, richardson_difference],
)
def test_bad_step_is_refused_with_a_hint(difference, epsilon):
    with pytest.raises(ValueError, match=r"positive and finite.*such as 1e-2"):
        difference(cube, 1.0, epsilon)


def test_step_that_rounds_to_zero_in_float32_is_refused():
    with pytest.raises(ValueError, match="float32"):
        two_sided_difference(cube, np.float32(1.0), 1e-50)


def test_non_numeric_step_is_refused():
    with pytest.raises(ValueError, match="positive real number"):
        two_sided_difference(cube, 1.0, "0.01")


def test_unknown_direction_is_refused():
    with pytest.raises(ValueError, match="'forward' or 'backward'"):
        one_sided_difference(cube, 1.0, 0.01, direction="sideways")


# ---------------------------------------------------------------- the ε sweep


@pytest.fixture(scope="module")
def sweeps():
    return {
        (name, dtype.__name__): error_sweep(f, df, 1.0, dtype=dtype)
        for name, f, df in [("sin", np.sin, np.cos), ("cube", cube, cube_derivative)]
        for dtype in (np.float64, np.float32)
    }


@pytest.mark.parametrize("function", ["sin", "cube"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(
    ("method", "slope"),
    [("forward", 1), ("backward", 1), ("central", 2), ("complex_step", 2), ("richardson", 4)],
)
def test_sweep_truncation_slope_matches_the_order(sweeps, function, dtype, method, slope):
    errors = sweeps[(function, dtype)].methods[method]
    if function == "cube" and method == "richardson":
        # Richardson is exact for a cubic: there is no truncation part to fit.
        assert np.isnan(errors.truncation_slope)
    else:
        assert errors.truncation_slope == pytest.approx(slope, abs=0.1)


@pytest.mark.parametrize("function", ["sin", "cube"])
@pytest.mark.parametrize("method", ["forward", "backward", "central", "complex_step"])
def test_sweep_best_step_in_float64_is_within_tenfold_of_theory(sweeps, function, method):
    errors = sweeps[(function, "float64")].methods[method]
    ratio = errors.best_epsilon / errors.theoretical_best_epsilon
    assert 0.1 <= ratio <= 10


def test_sweep_richardson_best_step_for_sine_is_within_tenfold_of_theory(sweeps):
    errors = sweeps[("sin", "float64")].methods["richardson"]
    assert 0.1 <= errors.best_epsilon / errors.theoretical_best_epsilon <= 10
    assert errors.best_error < 1e-12


def test_sweep_theory_matches_the_brief_in_float64(sweeps):
    methods = sweeps[("cube", "float64")].methods
    assert methods["forward"].theoretical_best_epsilon == pytest.approx(1.49e-8, rel=0.01)
    assert methods["central"].theoretical_best_epsilon == pytest.approx(6.06e-6, rel=0.01)
    assert methods["central"].theoretical_best_error == pytest.approx(3.67e-11, rel=0.01)
    assert methods["richardson"].theoretical_best_epsilon == pytest.approx(7.4e-4, rel=0.01)


def test_sweep_measured_best_errors_in_float64_are_the_lecture_orders(sweeps):
    # forward ≈ 1e-8, central ≈ 4e-11 (times the scale of f), complex step ≈ machine ε.
    methods = sweeps[("cube", "float64")].methods
    assert 1e-9 <= methods["forward"].best_error <= 1e-7
    assert 1e-12 <= methods["central"].best_error <= 1e-10
    assert methods["complex_step"].best_error <= 4 * np.finfo(np.float64).eps * 3


@pytest.mark.parametrize("function", ["sin", "cube"])
def test_sweep_float32_central_is_best_near_5e_3_with_error_near_1e_5(sweeps, function):
    central = sweeps[(function, "float32")].methods["central"]
    assert 5e-4 <= central.best_epsilon <= 5e-2
    assert 1e-6 <= central.best_error <= 1e-4


def test_sweep_complex_step_reaches_machine_precision_in_both_dtypes(sweeps):
    for dtype in ("float64", "float32"):
        sweep = sweeps[("sin", dtype)]
        assert sweep.methods["complex_step"].best_error <= 2 * sweep.machine_epsilon


def test_sweep_float32_errors_are_far_worse_than_float64(sweeps):
    for method in METHODS:
        best_64 = sweeps[("sin", "float64")].methods[method].best_error
        best_32 = sweeps[("sin", "float32")].methods[method].best_error
        assert best_32 > 100 * best_64


def test_sweep_table_has_one_row_per_epsilon_and_consistent_errors(sweeps):
    sweep = sweeps[("sin", "float64")]
    assert sweep.epsilons.shape == (161,)
    assert np.all(np.diff(sweep.epsilons) > 0)
    for errors in sweep.methods.values():
        for column in (errors.estimate, errors.absolute_error, errors.relative_error):
            assert column.shape == sweep.epsilons.shape
        np.testing.assert_allclose(errors.relative_error, errors.absolute_error / np.cos(1.0))


def test_sweep_clips_zero_error_to_the_floor_instead_of_minus_infinity():
    # A linear function's differences are exact for many ε: log(0) must not appear.
    sweep = error_sweep(lambda theta: 2 * theta, lambda theta: 2 + 0 * theta, 1.0)
    for errors in sweep.methods.values():
        assert np.all(errors.absolute_error >= sweep.error_floor)
        assert np.isnan(errors.truncation_slope)  # no truncation to fit
    assert sweep.error_floor == pytest.approx(np.finfo(np.float64).eps)


def test_sweep_marks_steps_outside_the_domain_as_nan():
    # √θ at θ = 0.5: θ − ε < 0 for ε > 0.5 gives NaN, which becomes a gap, not a crash.
    sweep = error_sweep(np.sqrt, lambda theta: 0.5 / np.sqrt(theta), 0.5, methods=("central",))
    errors = sweep.methods["central"]
    assert np.all(np.isnan(errors.absolute_error[sweep.epsilons > 0.5]))
    assert np.isfinite(errors.best_error)
    assert errors.truncation_slope == pytest.approx(2, abs=0.1)


def test_sweep_refuses_a_function_that_leaves_the_dtype():
    with pytest.raises(ValueError, match="turned float32 input into float64"):
        error_sweep(lambda theta: np.sin(theta.astype(np.float64)), np.cos, 1.0, dtype=np.float32)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"dtype": np.float16}, "float64 or np.float32"),
        ({"methods": ("forward", "secant")}, "methods must be chosen"),
        ({"methods": ()}, "methods must be chosen"),
        ({"theta": np.array([1.0, 2.0])}, "single number"),
        ({"theta": np.inf}, "finite"),
        ({"epsilons": [1e-3, -1.0]}, "positive and finite"),
        ({"epsilons": np.ones((2, 2))}, "1-D array"),
    ],
)
def test_sweep_refuses_bad_arguments(arguments, message):
    with pytest.raises(ValueError, match=message):
        error_sweep(np.sin, np.cos, **{"theta": 1.0, **arguments})


def test_sweep_refuses_a_theta_where_the_derivative_is_infinite():
    with pytest.raises(ValueError, match="not finite"):
        error_sweep(np.sqrt, lambda theta: 0.5 / np.sqrt(theta), 0.0)


# ---------------------------------------------------------------- exact methods


def test_richardson_is_exact_for_a_cube_but_central_is_not(sweeps):
    sweep = sweeps[("cube", "float64")]
    assert is_exact_for_f(sweep, "richardson")
    assert not is_exact_for_f(sweep, "central")
    assert not is_exact_for_f(sweeps[("sin", "float64")], "richardson")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_every_difference_is_exact_for_a_straight_line(dtype):
    sweep = error_sweep(lambda theta: 2 * theta + 1, lambda theta: 2 + 0 * theta, 1.0, dtype=dtype)
    assert all(is_exact_for_f(sweep, method) for method in sweep.methods)


def test_at_a_kink_no_difference_is_exact_even_one_that_matches_the_convention():
    # |θ| at θ = 0: the forward difference is 1 for every ε, against the convention f′(0) = 0;
    # the central one is (ε − ε)/2ε = 0, the convention by symmetry, yet f′(0) does not exist.
    sweep = error_sweep(np.abs, np.sign, 0.0, methods=("forward", "central"))
    assert sweep.kink == 0.0 and sweep.kink_distance == 0.0
    assert sweep.methods["central"].absolute_error[0] == sweep.error_floor  # it "passes"
    assert not is_exact_for_f(sweep, "forward")
    assert not is_exact_for_f(sweep, "central")


def relu(theta):
    return np.maximum(theta, 0.0)


def step(theta):
    return (theta > 0).astype(float)


@pytest.mark.parametrize(
    ("f", "low", "high", "where"),
    [
        (np.abs, -0.05, 0.15, 0.0),
        (relu, -0.9, 0.3, 0.0),
        (lambda t: np.abs(t - 1.02), 0.9, 1.1, 1.02),
        (lambda t: t**3 + 0.01 * np.abs(t - 1 / 3), 0.0, 1.0, 1 / 3),  # a gentle kink
    ],
    ids=["abs", "relu", "abs at 1.02", "gentle kink at 1/3"],
)
def test_kink_between_finds_a_kink_strictly_inside(f, low, high, where):
    assert kink_between(f, low, high) == pytest.approx(where, abs=1e-8)


@pytest.mark.parametrize(
    ("f", "low", "high"),
    [(np.sin, -3.0, 3.0), (np.exp, 0.0, 3.0), (cube, 0.5, 1.5), (np.abs, 0.0, 0.2)],
    ids=["sin", "exp", "cube", "kink at the edge"],
)
def test_kink_between_finds_none_where_f_is_smooth_inside(f, low, high):
    assert np.isnan(kink_between(f, low, high))


def test_nearest_kink_prefers_the_closer_of_two_kinks_over_the_sharper():
    def f(theta):
        return 3 * np.abs(theta) + np.abs(theta - 0.5)  # slope jumps by 6 at 0, by 2 at 0.5

    assert nearest_kink(f, 0.4, 1.0) == pytest.approx(0.5, abs=1e-8)
    assert nearest_kink(f, 0.1, 1.0) == pytest.approx(0.0, abs=1e-8)
    assert np.isnan(nearest_kink(f, 0.2, 0.1))  # neither within θ ± 0.1


@pytest.mark.parametrize(
    ("f", "df", "theta", "distance"),
    [
        (relu, step, 0.05, 0.05),  # Richardson's slope was fitted as 4.32 across the kink at 0
        (lambda t: np.abs(t - 1) + t**3, lambda t: np.sign(t - 1) + 3 * t**2, 1.3, 0.3),  # 1.89
    ],
    ids=["relu at 0.05", "kink at 1, θ = 1.3"],
)
def test_sweep_fits_no_slope_across_a_kink(f, df, theta, distance):
    sweep = error_sweep(f, df, theta, methods=("central", "richardson"))
    assert sweep.kink_distance == pytest.approx(distance)
    for errors in sweep.methods.values():
        assert not errors.fit_range[1] >= sweep.kink_distance  # NaN (no fit) or short of it
    assert not abs(sweep.methods["richardson"].truncation_slope - 4) > 0.5  # NaN or ≈ 4


def test_sweep_of_a_smooth_f_finds_no_kink():
    sweep = error_sweep(cube, cube_derivative, 1.0)
    assert np.isnan(sweep.kink) and sweep.kink_distance == np.inf


def test_a_difference_is_exact_for_abs_only_until_its_window_reaches_the_kink():
    sweep = error_sweep(np.abs, np.sign, 0.05, methods=("forward", "backward", "central"))
    assert sweep.kink == 0.0
    assert is_exact_for_f(sweep, "central")  # for ε < 0.05; not beyond (spans_kink)
    assert spans_kink(sweep, "central", 0.1) and not spans_kink(sweep, "central", 0.03)
    assert spans_kink(sweep, "backward", 0.1) and not spans_kink(sweep, "forward", 0.1)
    assert not spans_kink(sweep, "complex_step", 0.1)
    assert two_sided_difference(np.abs, 0.05, 0.1) == pytest.approx(0.5)  # θ/ε, not f′ = 1


@pytest.mark.parametrize(
    ("f", "theta"),
    [(np.abs, 0.0), (lambda t: np.maximum(t, 0.0), 0.0), (lambda t: np.maximum(-t, 0.0), 0.0)],
    ids=["abs at 0", "relu at 0", "relu(-θ) at 0"],
)
def test_a_kink_is_found_where_the_slopes_from_both_sides_stay_apart(f, theta):
    assert has_kink(f, theta)


@pytest.mark.parametrize(
    ("f", "theta"),
    [
        (np.abs, -0.3),  # a kink within reach of a large ε, but not at θ
        (cube, 0.0),  # f″(0) = 0: both one-sided slopes tend to 0
        (np.sin, 1.0),
        (lambda t: 1e8 + t, 1.0),  # round-off grows like 1/ε: no kink
        (lambda t: t**2, 1e-4),  # a large f″ beside a small f′
        (lambda t: np.abs(t - 5e-5), 0.0),  # a kink closer than the wider probe step
    ],
    ids=["abs at -0.3", "cube at 0", "sin", "line far from 0", "parabola near 0", "near kink"],
)
def test_no_kink_is_found_where_f_is_differentiable(f, theta):
    assert not has_kink(f, theta)


# ---------------------------------------------------------------- the secant picture


def test_secant_geometry_of_cube_has_the_lecture_slopes():
    epsilon = 0.01
    geometry = secant_geometry(cube, cube_derivative, 1.0, epsilon, half_width=1.0)
    assert geometry.derivative == 3.0
    assert geometry.one_sided == pytest.approx(3 + 3 * epsilon + epsilon**2, rel=1e-12)
    assert geometry.two_sided == pytest.approx(3 + epsilon**2, rel=1e-12)
    assert geometry.backward == pytest.approx(3 - 3 * epsilon + epsilon**2, rel=1e-12)
    assert geometry.two_sided == pytest.approx((geometry.one_sided + geometry.backward) / 2)
    assert (geometry.f_minus, geometry.f_theta, geometry.f_plus) == pytest.approx(
        (0.99**3, 1.0, 1.01**3), rel=1e-15
    )


def test_secant_lines_pass_through_their_triangle_corners():
    # With θ ± ε on the grid, each line meets f exactly where the lecture draws it.
    theta, epsilon = 0.5, 0.25
    geometry = secant_geometry(np.exp, np.exp, theta, epsilon, half_width=1.0, n=9)
    grid = geometry.grid
    np.testing.assert_allclose(grid, np.linspace(-0.5, 1.5, 9))
    np.testing.assert_allclose(geometry.curve, np.exp(grid))
    at = {t: int(np.argmin(np.abs(grid - t))) for t in (theta - epsilon, theta, theta + epsilon)}
    assert geometry.tangent[at[theta]] == pytest.approx(np.exp(theta))
    assert geometry.one_sided_secant[at[theta]] == pytest.approx(np.exp(theta))
    assert geometry.one_sided_secant[at[theta + epsilon]] == pytest.approx(np.exp(theta + epsilon))
    assert geometry.two_sided_secant[at[theta - epsilon]] == pytest.approx(np.exp(theta - epsilon))
    assert geometry.two_sided_secant[at[theta + epsilon]] == pytest.approx(np.exp(theta + epsilon))
    slope = np.diff(geometry.tangent) / np.diff(grid)
    np.testing.assert_allclose(slope, np.exp(theta))


def test_secant_geometry_leaves_nan_where_f_is_undefined_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        geometry = secant_geometry(np.log, lambda theta: 1 / theta, 0.5, 0.6, half_width=1.0)
    assert np.isnan(geometry.f_minus) and np.isnan(geometry.two_sided)
    assert np.all(np.isnan(geometry.curve[geometry.grid < 0]))
    assert np.all(np.isfinite(geometry.curve[geometry.grid > 0]))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"theta": np.nan}, "finite number"),
        ({"theta": np.array([1.0, 2.0])}, "single finite number"),
        ({"epsilon": 0.0}, "epsilon must be positive"),
        ({"half_width": -1.0}, "half_width must be positive"),
        ({"n": 1}, "n must be a whole number"),
        ({"n": 10**6}, "n must be a whole number"),
        ({"n": 3.5}, "n must be a whole number"),
    ],
)
def test_secant_geometry_refuses_bad_arguments(arguments, message):
    with pytest.raises(ValueError, match=message):
        secant_geometry(
            np.sin, np.cos, **{"theta": 1.0, "epsilon": 0.1, "half_width": 1.0, **arguments}
        )


# ---------------------------------------------------------------- the picture above the tangent


def test_above_the_tangent_the_cube_is_its_taylor_remainder_and_secants_tilt_by_their_error():
    # θ³ at θ = 1: f(t) − (1 + 3(t − 1)) = 3(t − 1)² + (t − 1)³ exactly; the one-sided secant
    # tilts by D₊ − f′ = 3ε + ε² and the two-sided one by D − f′ = ε².
    epsilon = 0.01
    picture = above_tangent(secant_geometry(cube, cube_derivative, 1.0, epsilon, 2 * epsilon))
    d = picture.grid - 1.0
    np.testing.assert_allclose(picture.curve, 3 * d**2 + d**3, atol=1e-15)
    assert picture.one_sided_error == pytest.approx(3 * epsilon + epsilon**2, rel=1e-10)
    assert picture.two_sided_error == pytest.approx(epsilon**2, rel=1e-8)
    expected = [3 * epsilon**2 - epsilon**3, 0.0, 3 * epsilon**2 + epsilon**3]
    np.testing.assert_allclose(picture.heights, expected, rtol=1e-10)
    np.testing.assert_allclose(np.diff(picture.one_sided_secant) / np.diff(picture.grid),
                               picture.one_sided_error, rtol=1e-6)  # fmt: skip


def test_above_the_tangent_each_secant_passes_through_its_points():
    theta, epsilon = 0.5, 0.25
    picture = above_tangent(secant_geometry(np.exp, np.exp, theta, epsilon, 1.0, n=9))
    at = {t: int(np.argmin(np.abs(picture.grid - t))) for t in (0.25, 0.5, 0.75)}
    below, zero, above = picture.heights
    assert zero == 0.0 and picture.one_sided_secant[at[0.5]] == 0.0
    assert picture.one_sided_secant[at[0.75]] == pytest.approx(above)
    assert picture.two_sided_secant[at[0.25]] == pytest.approx(below)
    assert picture.two_sided_secant[at[0.75]] == pytest.approx(above)
    assert picture.curve[at[0.75]] == pytest.approx(above)  # f itself, measured the same way


def test_above_the_tangent_a_tiny_step_shows_float64_rounding_not_a_curve():
    # At ε = 1e-9 f's own curvature (3ε² ≈ 3e-18) is far below float64's spacing near 1
    # (2.2e-16): what tilts the one-sided secant is rounding, and its tilt is its error.
    picture = above_tangent(secant_geometry(cube, cube_derivative, 1.0, 1e-9, 2e-9))
    assert np.max(np.abs(picture.curve)) <= np.spacing(1.0)
    assert picture.one_sided_error == pytest.approx(
        float(one_sided_difference(cube, 1.0, 1e-9)) - 3.0
    )
    assert abs(picture.heights[2]) <= 2 * np.spacing(1.0)


def test_above_the_tangent_is_nan_where_f_is_undefined_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        picture = above_tangent(secant_geometry(np.log, lambda t: 1 / t, 0.5, 0.6, 1.2))
    assert np.isnan(picture.heights[0]) and np.isnan(picture.two_sided_error)
    assert np.all(np.isnan(picture.two_sided_secant))
    assert np.all(np.isnan(picture.curve[picture.grid < 0]))
