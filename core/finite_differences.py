"""Numerical derivatives of f at θ, and how their error depends on the step ε.

For a step ε > 0 and the exact derivative f′(θ):

    forward       D₊(ε) = (f(θ+ε) − f(θ)) / ε          = f′ + f″ε/2 + O(ε²)
    backward      D₋(ε) = (f(θ) − f(θ−ε)) / ε          = f′ − f″ε/2 + O(ε²)
    central       D(ε)  = (f(θ+ε) − f(θ−ε)) / (2ε)     = f′ + f‴ε²/6 + O(ε⁴)
    complex step  Im f(θ+iε) / ε                       = f′ − f‴ε²/6 + O(ε⁴)
    Richardson    R(ε)  = (4·D(ε/2) − D(ε)) / 3        = f′ + O(ε⁴)

The lecture's example: f(θ) = θ³ at θ = 1 with ε = 0.01 gives D₊ = 3 + 3ε + ε² = 3.0301
and D = 3 + ε² = 3.0001, against f′(1) = 3.

θ is a scalar or an array of any shape and f must work elementwise (numpy ufuncs), so
each difference is taken elementwise and shaped like θ broadcast with ε. The arithmetic
runs in θ's floating dtype (float64 for integer θ); ε is cast to that dtype.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
from numpy.typing import ArrayLike

ScalarFunction = Callable[[np.ndarray], np.ndarray]
Direction = Literal["forward", "backward"]
Method = Literal["forward", "backward", "central", "complex_step", "richardson"]
METHODS: tuple[str, ...] = get_args(Method)

TRUNCATION_ORDER: dict[str, int] = {
    "forward": 1,
    "backward": 1,
    "central": 2,
    "complex_step": 2,
    "richardson": 4,
}
"""p in "truncation error ∝ ε^p" for each method."""


def _as_real_floating(theta: ArrayLike) -> np.ndarray:
    """θ as a real floating array (integers become float64)."""
    theta = np.asarray(theta)
    if theta.dtype == bool or np.issubdtype(theta.dtype, np.integer):
        return theta.astype(np.float64)
    if not np.issubdtype(theta.dtype, np.floating):
        raise ValueError(
            f"θ must be a real number or an array of real numbers; got dtype {theta.dtype}."
        )
    return theta


def _as_step(epsilon: ArrayLike, dtype: np.dtype, name: str = "epsilon") -> np.ndarray:
    """ε cast to dtype, refused unless every entry is positive and finite there."""
    raw = np.asarray(epsilon)
    if raw.dtype == bool or not (
        np.issubdtype(raw.dtype, np.integer) or np.issubdtype(raw.dtype, np.floating)
    ):
        raise ValueError(f"{name} must be a positive real number such as 1e-2; got {epsilon!r}.")
    with np.errstate(over="ignore"):
        step = raw.astype(dtype)
    good = np.isfinite(step) & (step > 0)
    if not np.all(good):
        bad = raw.flat[int(np.argmin(good.ravel()))]
        raise ValueError(
            f"{name} must be positive and finite in {np.dtype(dtype).name}, a small step such "
            f"as 1e-2; got {bad!r}."
        )
    return step


def one_sided_difference(
    f: ScalarFunction, theta: ArrayLike, epsilon: ArrayLike, direction: Direction = "forward"
) -> np.ndarray:
    """(f(θ+ε) − f(θ))/ε, or (f(θ) − f(θ−ε))/ε for direction="backward"; error O(ε)."""
    if direction not in get_args(Direction):
        raise ValueError(f"direction must be 'forward' or 'backward'; got {direction!r}.")
    theta = _as_real_floating(theta)
    epsilon = _as_step(epsilon, theta.dtype)
    if direction == "forward":
        return (f(theta + epsilon) - f(theta)) / epsilon
    return (f(theta) - f(theta - epsilon)) / epsilon


def two_sided_difference(f: ScalarFunction, theta: ArrayLike, epsilon: ArrayLike) -> np.ndarray:
    """(f(θ+ε) − f(θ−ε)) / 2ε, the lecture's two-sided difference; error O(ε²)."""
    theta = _as_real_floating(theta)
    epsilon = _as_step(epsilon, theta.dtype)
    return (f(theta + epsilon) - f(theta - epsilon)) / (2 * epsilon)


def complex_step_derivative(f: ScalarFunction, theta: ArrayLike, h: ArrayLike) -> np.ndarray:
    """Im f(θ + ih) / h (Squire & Trapp 1998); error O(h²) and no subtraction.

    With nothing subtracted there is no cancellation, so h can be tiny (1e-20) and the
    result is f′(θ) to machine precision. It needs f analytic and written for complex
    input: abs, max and ReLU are not, and np.real or a comparison silently drop the
    imaginary part. f is evaluated in complex128 for float64 θ and complex64 for float32.
    """
    theta = _as_real_floating(theta)
    h = _as_step(h, theta.dtype, "h")
    value = f(theta + 1j * h)
    if not np.iscomplexobj(value):
        raise ValueError(
            "f returned real numbers for a complex input, so it dropped the imaginary part "
            "(abs, max, ReLU and np.real do). The complex step needs f built from analytic "
            "functions such as sin, exp, log and powers; use two_sided_difference instead."
        )
    return np.imag(value) / h


def richardson_difference(f: ScalarFunction, theta: ArrayLike, epsilon: ArrayLike) -> np.ndarray:
    """R(ε) = (4·D(ε/2) − D(ε)) / 3 with D the two-sided difference; error O(ε⁴).

    D(ε) = f′ + cε² + O(ε⁴), so four times D(ε/2) minus D(ε) cancels the ε² term.
    """
    theta = _as_real_floating(theta)
    epsilon = _as_step(epsilon, theta.dtype)
    return (
        4 * two_sided_difference(f, theta, epsilon / 2) - two_sided_difference(f, theta, epsilon)
    ) / 3


def _forward(f: ScalarFunction, theta: ArrayLike, epsilon: ArrayLike) -> np.ndarray:
    return one_sided_difference(f, theta, epsilon, "forward")


def _backward(f: ScalarFunction, theta: ArrayLike, epsilon: ArrayLike) -> np.ndarray:
    return one_sided_difference(f, theta, epsilon, "backward")


_ESTIMATORS: dict[str, Callable[[ScalarFunction, ArrayLike, ArrayLike], np.ndarray]] = {
    "forward": _forward,
    "backward": _backward,
    "central": two_sided_difference,
    "complex_step": complex_step_derivative,
    "richardson": richardson_difference,
}

DEFAULT_EPSILONS = np.logspace(-16, 0, 161)
DEFAULT_EPSILONS.flags.writeable = False
"""ε from 1e-16 to 1, ten points per decade (read-only)."""

MAX_EPSILONS = 1001
"""Largest ε grid error_sweep accepts (its smoothing compares every pair of steps)."""

# Round-off makes the error curve jagged: some steps are lucky and land near zero. The
# best step and the fit range are read off a running median over ±1/2 decade of ε.
_SMOOTHING_HALF_WIDTH_DECADES = 0.5
# The truncation slope is fitted where the typical error is at least this many times the
# best one (so round-off is at most about a tenth of it) ...
_FIT_ABOVE_BEST = 10.0
# ... and the relative error is at most this (so the leading truncation term dominates).
_FIT_MAX_RELATIVE_ERROR = 0.1
_FIT_MIN_POINTS = 4


@dataclass(frozen=True)
class MethodErrors:
    """How one method's error depends on ε; arrays have shape (n_ε,), like ErrorSweep.epsilons.

    truncation_order: p in "truncation error ∝ ε^p".
    estimate: the method's f′(θ) for each ε, computed in the sweep's dtype (held as float64).
    absolute_error: |estimate − f′(θ)|, raised to ErrorSweep.error_floor where smaller (so a
        log axis has no −∞) and NaN where the estimate is NaN or infinite (f undefined or
        overflowing at θ ± ε).
    relative_error: absolute_error / |f′(θ)| (divided by 1 when f′(θ) = 0).
    typical_error: running median of absolute_error over ±1/2 decade of ε, which irons out
        steps whose round-off happens to cancel.
    best_epsilon, best_error: where typical_error is smallest (the largest such ε on ties),
        and its value there.
    truncation_slope: slope of log absolute_error against log ε over fit_range, right of
        the best ε and left of f's nearest kink, where truncation dominates; ≈
        truncation_order. NaN when there is no such range, e.g. when the method is exact
        for f (Richardson on a cubic) or f has a kink at θ.
    fit_range: the (smallest, largest) ε of that fit, or (NaN, NaN).
    theoretical_best_epsilon, theoretical_best_error: see error_sweep.
    """

    truncation_order: int
    estimate: np.ndarray
    absolute_error: np.ndarray
    relative_error: np.ndarray
    typical_error: np.ndarray
    best_epsilon: float
    best_error: float
    truncation_slope: float
    fit_range: tuple[float, float]
    theoretical_best_epsilon: float
    theoretical_best_error: float


@dataclass(frozen=True)
class ErrorSweep:
    """Errors of several methods over a grid of ε, for one θ and one dtype.

    theta: θ as represented in dtype; derivative: the exact f′(θ) (float64).
    dtype: "float64" or "float32"; machine_epsilon: u of that dtype.
    epsilons: the steps, shape (n_ε,), ascending, as represented in dtype.
    error_floor: u/2 · |f′(θ)|, half a unit of round-off; smaller errors are shown as it.
    methods: MethodErrors for each method name.
    kink: where f has its kink nearest θ within θ ± the largest step (θ itself when f has
        one there), NaN when f is smooth there (nearest_kink). Steps that reach it leave
        the O(ε^p) rules, which need f smooth between θ − ε and θ + ε.
    """

    theta: float
    derivative: float
    dtype: str
    machine_epsilon: float
    epsilons: np.ndarray
    error_floor: float
    methods: dict[str, MethodErrors]
    kink: float = float("nan")

    @property
    def kink_distance(self) -> float:
        """|kink − θ|: steps this large or larger reach f's kink; inf when there is none."""
        return abs(self.kink - self.theta) if np.isfinite(self.kink) else float("inf")


def _theoretical_best(method: str, machine_epsilon: float) -> tuple[float, float]:
    """(best ε, best error) for a function whose value and derivatives are of order 1.

    A difference of order p has truncation error ≈ ε^p and round-off ≈ u/ε (u = machine
    epsilon), so the total is smallest at ε* = u^(1/(p+1)) where it is ≈ u^(p/(p+1)).
    The complex step subtracts nothing: its error falls to u once ε² ≤ u, so ε* = √u is
    the largest step that reaches it (any smaller step does as well).
    """
    u = machine_epsilon
    if method == "complex_step":
        return float(np.sqrt(u)), u
    p = TRUNCATION_ORDER[method]
    return float(u ** (1 / (p + 1))), float(u ** (p / (p + 1)))


def _running_median(log_epsilons: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Median of the finite values within ±_SMOOTHING_HALF_WIDTH_DECADES of each ε."""
    near = np.abs(log_epsilons[:, None] - log_epsilons[None, :]) <= _SMOOTHING_HALF_WIDTH_DECADES
    neighbours = np.where(near, values[None, :], np.nan)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows give NaN, as wanted
        return np.nanmedian(neighbours, axis=1)


def _method_errors(
    method: str,
    estimate: np.ndarray,
    epsilons: np.ndarray,
    derivative: float,
    error_floor: float,
    machine_epsilon: float,
    smooth_below: float = float("inf"),
) -> MethodErrors:
    nan = float("nan")
    scale = abs(derivative) or 1.0
    with np.errstate(invalid="ignore"):
        absolute_error = np.abs(estimate - derivative)
        absolute_error = np.where(
            np.isfinite(absolute_error), np.maximum(absolute_error, error_floor), np.nan
        )
    relative_error = absolute_error / scale
    log_epsilons = np.log10(epsilons)
    typical_error = _running_median(log_epsilons, absolute_error)
    best_epsilon, best_error = nan, nan
    slope, fit_range = nan, (nan, nan)
    if not np.all(np.isnan(typical_error)):
        best_error = float(np.nanmin(typical_error))
        best_index = int(np.flatnonzero(typical_error == best_error)[-1])
        best_epsilon = float(epsilons[best_index])
        with np.errstate(invalid="ignore"):
            window = (
                (np.arange(epsilons.size) > best_index)
                & (typical_error >= _FIT_ABOVE_BEST * best_error)
                & (typical_error / scale <= _FIT_MAX_RELATIVE_ERROR)
                & np.isfinite(absolute_error)
                & (epsilons < smooth_below)  # truncation is only defined where f is smooth
            )
        if np.count_nonzero(window) >= _FIT_MIN_POINTS:
            slope = float(np.polyfit(log_epsilons[window], np.log10(absolute_error[window]), 1)[0])
            fit_range = (float(epsilons[window].min()), float(epsilons[window].max()))
    theoretical_epsilon, theoretical_error = _theoretical_best(method, machine_epsilon)
    return MethodErrors(
        truncation_order=TRUNCATION_ORDER[method],
        estimate=estimate,
        absolute_error=absolute_error,
        relative_error=relative_error,
        typical_error=typical_error,
        best_epsilon=best_epsilon,
        best_error=best_error,
        truncation_slope=slope,
        fit_range=fit_range,
        theoretical_best_epsilon=theoretical_epsilon,
        theoretical_best_error=theoretical_error,
    )


def error_sweep(
    f: ScalarFunction,
    df: ScalarFunction,
    theta: float,
    epsilons: ArrayLike | None = None,
    dtype: type[np.floating] | np.dtype = np.float64,
    methods: tuple[str, ...] = METHODS,
) -> ErrorSweep:
    """Error of each method against the exact f′(θ) over a grid of steps ε, in one dtype.

    error(ε) = |D_method(ε) − f′(θ)|: truncation (∝ ε^p) falls as ε shrinks while
    round-off (≈ u·|f|/ε, u the dtype's machine epsilon) rises, so the log-log curve is
    a V whose bottom is the best step. Theory for a function whose value and derivatives
    are of order 1 (otherwise scale by them): forward and backward ε* ≈ √u with error ≈ √u,
    central ε* ≈ u^(1/3) with error ≈ u^(2/3), Richardson ε* ≈ u^(1/5) with error
    ≈ u^(4/5); the complex step has no round-off term and reaches u for ε ≤ √u.

    θ and ε are cast to dtype (float64 or float32) before f sees them, and f (written with
    numpy ufuncs and Python-number constants) must keep that dtype, so the round-off
    measured is the dtype's; the complex step runs in complex128 or complex64. f′ is the
    float64 reference, taken at θ as represented in dtype. The sweep is vectorised: f is
    called on the whole ε grid at once. f's kink nearest θ, if the largest step reaches
    one, is found in float64 (ErrorSweep.kink), and no slope is fitted across it.

    theta: a real scalar. epsilons: positive steps, shape (n_ε,), default DEFAULT_EPSILONS;
    they are sorted ascending. methods: names from METHODS.
    """
    if dtype not in (np.float64, np.float32, np.dtype(np.float64), np.dtype(np.float32)):
        raise ValueError(f"dtype must be np.float64 or np.float32; got {dtype!r}.")
    dtype = np.dtype(dtype)
    unknown = [method for method in methods if method not in METHODS]
    if unknown or not methods:
        raise ValueError(f"methods must be chosen from {', '.join(METHODS)}; got {methods!r}.")
    if np.ndim(theta) != 0:
        raise ValueError(f"θ must be a single number for a sweep; got shape {np.shape(theta)}.")
    theta_in_dtype = _as_real_floating(theta).astype(dtype)
    if not np.isfinite(theta_in_dtype):
        raise ValueError(f"θ must be finite in {dtype.name}; got {theta!r}.")
    epsilons = DEFAULT_EPSILONS if epsilons is None else np.asarray(epsilons)
    if epsilons.ndim != 1 or not 1 <= epsilons.size <= MAX_EPSILONS:
        raise ValueError(
            f"epsilons must be a 1-D array of 1 to {MAX_EPSILONS} steps; got shape "
            f"{epsilons.shape}."
        )
    epsilons = np.unique(_as_step(epsilons, dtype, "epsilons"))

    with np.errstate(all="ignore"):
        derivative = float(np.asarray(df(theta_in_dtype.astype(np.float64))))
    if not np.isfinite(derivative):
        raise ValueError(
            f"f′({float(theta_in_dtype):g}) is not finite; choose a θ where f is differentiable."
        )
    machine_epsilon = float(np.finfo(dtype).eps)
    error_floor = machine_epsilon / 2 * (abs(derivative) or 1.0)

    shown_epsilons = epsilons.astype(np.float64)
    kink = nearest_kink(f, float(theta_in_dtype), float(shown_epsilons[-1]))
    smooth_below = abs(kink - float(theta_in_dtype)) if np.isfinite(kink) else np.inf
    results = {}
    for method in methods:
        with np.errstate(all="ignore"):
            estimate = np.asarray(_ESTIMATORS[method](f, theta_in_dtype, epsilons))
        if estimate.dtype != dtype:
            raise ValueError(
                f"f turned {dtype.name} input into {estimate.dtype.name}; write f with numpy "
                "ufuncs and Python-number constants so the sweep measures "
                f"{dtype.name} round-off."
            )
        results[method] = _method_errors(
            method,
            estimate.astype(np.float64),
            shown_epsilons,
            derivative,
            error_floor,
            machine_epsilon,
            smooth_below,
        )
    return ErrorSweep(
        theta=float(theta_in_dtype),
        derivative=derivative,
        dtype=dtype.name,
        machine_epsilon=machine_epsilon,
        epsilons=shown_epsilons,
        error_floor=error_floor,
        methods=results,
        kink=kink,
    )


# A method is exact for f when even its largest step errs by no more than round-off:
# this many error floors (u/2·|f′(θ)|) leaves room for the u·|f|/ε of a step of order 1.
_EXACT_WITHIN_FLOORS = 1000.0


def is_exact_for_f(sweep: ErrorSweep, method: str) -> bool:
    """Whether the method's truncation error vanishes for this f, leaving only round-off.

    True when its truncation slope could not be fitted (MethodErrors.truncation_slope is
    NaN) and its error at the largest step with a finite error that stays short of f's
    kink (ErrorSweep.kink) is within 1000 error floors: Richardson on a cubic, every
    difference on a straight line, the two-sided one on |θ| while ε < |θ|. A method whose
    error stays large instead (a difference across a kink) is not exact.
    """
    errors = sweep.methods[method]
    finite = np.isfinite(errors.absolute_error) & (sweep.epsilons < sweep.kink_distance)
    if not np.isnan(errors.truncation_slope) or not np.any(finite):
        return False
    largest_step_error = errors.absolute_error[finite][-1]
    return bool(largest_step_error <= _EXACT_WITHIN_FLOORS * sweep.error_floor)


KINK_PROBE_STEPS = (1e-4, 1e-6)
"""The two steps has_kink compares the right and left slopes at."""


def has_kink(f: ScalarFunction, theta: float) -> bool:
    """Whether f has a kink at θ, so that f′(θ) does not exist.

        D₊(ε) − D₋(ε) = (f(θ+ε) − 2f(θ) + f(θ−ε)) / ε = f″(θ)·ε + O(ε³)

    shrinks with ε where f is smooth; across a kink it tends to the jump in slope instead
    (|θ| at 0: 1 − (−1) = 2). Measured in float64 at ε = 1e-4 and 1e-6: a kink when the
    gap keeps its size (within a factor 2) as ε shrinks a hundredfold, and is more than
    1e-3 of the slopes themselves, so that neither round-off (which grows like 1/ε) nor a
    large f″ at a point close to a kink counts. θ: a real scalar; NaN slopes (f undefined
    beside θ) give False.
    """
    gaps, slopes = [], 0.0
    with np.errstate(all="ignore"):
        for epsilon in KINK_PROBE_STEPS:
            right = float(one_sided_difference(f, float(theta), epsilon, "forward"))
            left = float(one_sided_difference(f, float(theta), epsilon, "backward"))
            gaps.append(abs(right - left))
            slopes = abs(right) + abs(left)
    wide, narrow = gaps
    if not (np.isfinite(wide) and np.isfinite(narrow)) or narrow <= 1e-3 * slopes:
        return False
    return bool(wide / 2 <= narrow <= 2 * wide)


# kink_between scans f on this many points, then zooms in on the largest change of slope,
# this many points at a time, until the interval is this narrow (relative to |θ| or 1).
_KINK_SCAN_POINTS = 1001
_KINK_ZOOM_POINTS = 41
_KINK_RESOLUTION = 1e-9


def kink_between(f: ScalarFunction, low: float, high: float) -> float:
    """Where f has a kink strictly between low and high, or NaN when it has none there.

    The slope between neighbouring points changes by about f″·h where f is smooth and by
    the jump in slope at a kink, however small h: zoom in on the largest change until
    the interval is narrower than 1e-9, then confirm with has_kink at the simplest decimal
    inside it (0 for |θ|). With several kinks, the one with the largest change of slope.
    """
    inside = (float(low), float(high))
    points = _KINK_SCAN_POINTS
    with np.errstate(all="ignore"):
        while high - low > _KINK_RESOLUTION * max(1.0, abs(low), abs(high)):
            t = np.linspace(low, high, points)
            slopes = np.diff(np.asarray(f(t), dtype=np.float64)) / np.diff(t)
            changes = np.abs(np.diff(slopes))
            if not np.any(np.isfinite(changes)):
                return float("nan")
            at = int(np.nanargmax(np.where(np.isfinite(changes), changes, np.nan)))
            low, high, points = float(t[at]), float(t[at + 2]), _KINK_ZOOM_POINTS
    where = _simplest_between(low, high)
    if inside[0] < where < inside[1] and has_kink(f, where):
        return where
    return float("nan")


def _simplest_between(low: float, high: float) -> float:
    # The number in [low, high] with the fewest decimals: a kink at 0 is shown as 0.
    middle = (low + high) / 2
    for decimals in range(17):
        if low <= (candidate := round(middle, decimals)) <= high:
            return candidate + 0.0  # no −0
    return middle


def nearest_kink(f: ScalarFunction, theta: float, reach: float) -> float:
    """Where f has the kink nearest θ strictly within θ ± reach (θ itself when f has a kink
    there), or NaN when f is smooth on that window (kink_between, narrowed while a kink
    closer to θ is found)."""
    found = kink_between(f, theta - reach, theta + reach)
    for _ in range(8):  # each pass keeps a kink strictly closer to θ
        if not np.isfinite(found) or found == theta:
            break
        distance = abs(found - theta)
        closer = kink_between(f, theta - distance, theta + distance)
        if not np.isfinite(closer):
            break
        found = closer
    return found


_WINDOWS = {"forward": (0, 1), "backward": (-1, 0), "central": (-1, 1), "richardson": (-1, 1)}


def spans_kink(sweep: ErrorSweep, method: str, epsilon: float) -> bool:
    """Whether the method's quotient at step ε reads f on both sides of the sweep's kink:
    the kink lies strictly inside its window (θ … θ+ε forward, θ−ε … θ backward, θ ± ε
    central and Richardson). The complex step reads f at θ only."""
    if method not in _WINDOWS or not np.isfinite(sweep.kink):
        return False
    left, right = _WINDOWS[method]
    return bool(sweep.theta + left * epsilon < sweep.kink < sweep.theta + right * epsilon)


MAX_GRID_POINTS = 10_000
"""Largest grid secant_geometry accepts."""


@dataclass(frozen=True)
class SecantGeometry:
    """The lecture's picture at θ: f, its tangent and the two secants, on a grid of θ.

    theta, epsilon: the point and the step. f_minus, f_theta, f_plus: f(θ−ε), f(θ), f(θ+ε).
    derivative: f′(θ), the tangent's slope. one_sided: (f(θ+ε) − f(θ))/ε, the slope of the
    secant over the small triangle θ…θ+ε. backward: (f(θ) − f(θ−ε))/ε, the slope of the
    secant over θ−ε…θ. two_sided: (f(θ+ε) − f(θ−ε))/2ε, the slope of the secant over the
    big triangle θ−ε…θ+ε, the average of one_sided and backward.
    grid: θ values, shape (n,), evenly spaced over [θ − half_width, θ + half_width].
    curve: f on the grid, NaN or ±inf where f is undefined; tangent, one_sided_secant,
    two_sided_secant: the three straight lines on the grid, each shape (n,).
    """

    theta: float
    epsilon: float
    f_minus: float
    f_theta: float
    f_plus: float
    derivative: float
    one_sided: float
    backward: float
    two_sided: float
    grid: np.ndarray
    curve: np.ndarray
    tangent: np.ndarray
    one_sided_secant: np.ndarray
    two_sided_secant: np.ndarray


def secant_geometry(
    f: ScalarFunction,
    df: ScalarFunction,
    theta: float,
    epsilon: float,
    half_width: float,
    n: int = 401,
) -> SecantGeometry:
    """f, its tangent at θ and both secants, sampled on n points of θ ± half_width.

        tangent           y = f(θ) + f′(θ)·(t − θ)
        one-sided secant  y = f(θ) + D₊(ε)·(t − θ)         through (θ, f(θ)) and (θ+ε, f(θ+ε))
        two-sided secant  y = f(θ−ε) + D(ε)·(t − θ + ε)    through (θ−ε, f(θ−ε)) and (θ+ε, f(θ+ε))

    Everything is float64. f may be undefined on part of the grid (NaN there, no warning).
    theta: a finite real number; epsilon, half_width: positive and finite; n: 2 … 10,000.
    """
    if np.ndim(theta) != 0 or not np.isfinite(_as_real_floating(theta)):
        raise ValueError(f"θ must be a single finite number; got {theta!r}.")
    theta = float(theta)
    epsilon = float(_as_step(epsilon, np.dtype(np.float64)))
    half_width = float(_as_step(half_width, np.dtype(np.float64), "half_width"))
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 2 <= n <= MAX_GRID_POINTS:
        raise ValueError(f"n must be a whole number from 2 to {MAX_GRID_POINTS}; got {n!r}.")
    grid = np.linspace(theta - half_width, theta + half_width, int(n))
    with np.errstate(all="ignore"):
        f_minus, f_theta, f_plus = (
            float(f(np.float64(t))) for t in (theta - epsilon, theta, theta + epsilon)
        )
        derivative = float(df(np.float64(theta)))
        one_sided = float(one_sided_difference(f, theta, epsilon))
        backward = float(one_sided_difference(f, theta, epsilon, "backward"))
        two_sided = float(two_sided_difference(f, theta, epsilon))
        curve = np.asarray(f(grid), dtype=np.float64)
        tangent = f_theta + derivative * (grid - theta)
        one_sided_secant = f_theta + one_sided * (grid - theta)
        two_sided_secant = f_minus + two_sided * (grid - (theta - epsilon))
    return SecantGeometry(
        theta=theta,
        epsilon=epsilon,
        f_minus=f_minus,
        f_theta=f_theta,
        f_plus=f_plus,
        derivative=derivative,
        one_sided=one_sided,
        backward=backward,
        two_sided=two_sided,
        grid=grid,
        curve=curve,
        tangent=tangent,
        one_sided_secant=one_sided_secant,
        two_sided_secant=two_sided_secant,
    )


@dataclass(frozen=True)
class AboveTangent:
    """The secant picture with the tangent line subtracted: every height is measured from
    the tangent T(t) = f(θ) + f′(θ)·(t − θ), so the tangent is the flat line 0 and each
    secant's slope is its quotient's error.

        f             r(t)  = f(t) − T(t)                          ≈ f″(θ)·(t − θ)²/2
        one-sided     s₊(t) = (D₊(ε) − f′(θ))·(t − θ)              through (θ, 0), (θ+ε, r₊)
        two-sided     s(t)  = r₋ + (D(ε) − f′(θ))·(t − θ + ε)      through (θ−ε, r₋), (θ+ε, r₊)

    with r₋ = r(θ−ε) and r₊ = r(θ+ε). The secants' heights are written from their slopes
    rather than as differences of the lines, so only f's own round-off shows: at a tiny ε
    r(t) is float64's noise in f, and the secants tilt by what that noise leaves.

    grid: t, shape (n,); curve, one_sided_secant, two_sided_secant: r, s₊, s on the grid,
    shape (n,), NaN where f is undefined. heights: r at θ−ε, θ, θ+ε, shape (3,).
    one_sided_error, two_sided_error: D₊(ε) − f′(θ) and D(ε) − f′(θ), signed.
    """

    grid: np.ndarray
    curve: np.ndarray
    one_sided_secant: np.ndarray
    two_sided_secant: np.ndarray
    heights: np.ndarray
    one_sided_error: float
    two_sided_error: float


def above_tangent(g: SecantGeometry) -> AboveTangent:
    """The picture g with its tangent subtracted (AboveTangent), in float64."""
    theta, epsilon, slope = g.theta, g.epsilon, g.derivative
    with np.errstate(all="ignore"):
        below = (g.f_minus - g.f_theta) + slope * epsilon  # r(θ−ε)
        above = (g.f_plus - g.f_theta) - slope * epsilon  # r(θ+ε)
        one_sided_error, two_sided_error = g.one_sided - slope, g.two_sided - slope
        offset = g.grid - theta
        return AboveTangent(
            grid=g.grid,
            curve=(g.curve - g.f_theta) - slope * offset,
            one_sided_secant=one_sided_error * offset,
            two_sided_secant=below + two_sided_error * (offset + epsilon),
            heights=np.array([below, 0.0, above]),
            one_sided_error=float(one_sided_error),
            two_sided_error=float(two_sided_error),
        )
