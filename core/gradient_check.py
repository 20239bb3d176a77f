"""Gradient checking: is backpropagation's dθ really the gradient of J?

Flatten W[1], b[1], …, W[L], b[L] into one vector θ and dW[1], db[1], … into dθ in the
same order. For every coordinate i the two-sided difference

    dθ_approx[i] = (J(θ + ε·eᵢ) − J(θ − ε·eᵢ)) / 2ε

is within O(ε²) of ∂J/∂θᵢ, and the whole check is one number,

    difference = ‖dθ_approx − dθ‖₂ / (‖dθ_approx‖₂ + ‖dθ‖₂)     (0 when both norms are 0),

read against the lecture's three bands, stated once in ``VERDICT_BANDS``.

``gradient_check`` runs this loop for any cost J(θ). ``check_network`` runs it for the
network of ``core.network``: J(θ) is a closure over its forward pass, and the loop goes
along coordinates eᵢ or random unit directions u. It adds what the lecture warns about: a
difference per block (W1, b1, …) to find the bug, planted bugs, a fixed dropout mask (and
what a fresh mask per evaluation would do), ReLU kinks and float32. By default it takes
the loop's costs from ``core.gradient_check_fast``, the same numbers in a fraction of the
time. ``epsilon_sweep`` repeats the check over a grid of ε: the U-shaped curve of
truncation against round-off that ``DEFAULT_EPSILON`` rests on.

Choosing ε (``DEFAULT_EPSILON`` = 1e-5), by measurement. The difference of correct float64
networks at random initialization (He-scaled weights): median, worst, and how many checks
met a kink. (a) 4-5-3-1, m = 16: 20 seeds × 5 hidden activations × λ ∈ {0, 0.7} ×
keep_prob ∈ {1, 0.8}; (b) 20-64-32-1 ReLU, m = 128, 12 seeds; (c) 40-200-128-1 ReLU,
m = 128, 6 seeds:

    ε      (a) median  worst    kinks    (b) median  worst   kinks  (c) median  worst   kinks
    1e-2   1.8e-5      8.1e-2   118/400  7.8e-3      1.5e-2  12/12  1.2e-2      2.3e-2  6/6
    1e-3   7.4e-8      4.9e-2    18/400  2.8e-3      5.2e-3  12/12  3.8e-3      1.1e-2  6/6
    1e-4   6.8e-10     2.8e-2     2/400  2.5e-4      1.6e-3  12/12  8.5e-4      4.8e-3  6/6
    1e-5   4.1e-11     6.9e-10    0/400  1.2e-10     3.1e-4   1/12  3.8e-5      1.8e-3  3/6
    1e-6   3.7e-10     4.5e-9     0/400  1.2e-9      6.0e-5   1/12  2.5e-9      4.3e-9  0/6
    1e-7   3.7e-9      4.2e-8     0/400  1.2e-8      2.4e-8   0/12  2.6e-8      4.2e-8  0/6
    1e-8   3.7e-8      4.0e-7     0/400  1.2e-7      2.3e-7   0/12  2.6e-7      4.3e-7  0/6

Above 1e-5 truncation error and kinks dominate; below it round-off grows as 1/ε (at 1e-7
the worst case sits within 3x of the "great" edge). 1e-5 keeps every check without a kink
at least 100x below 1e-7, and the fast path within 3e-10 (‖Δ‖/‖loop‖) of the loop, whose
own round-off is the limit: at 1e-6 the two agree only to 1.5e-9–4e-9. The price is
kinks in wide ReLU networks — at 1e-5 a unit whose pre-activation sits within ~1e-5 of 0
is common there — which ``kinks`` reports together with the difference without them.
The table's networks have small random biases. With b = 0, as ``initialize_parameters``
starts them, a layer that is dead for every example leaves the next pre-activations at
exactly 0, a kink at any ε (6 of 20 seeds of (a) with ReLU): the difference is then
honestly large, ``kinks.difference_without`` stays near 1e-10, and ``per_block`` leaves
kinked components out, so a correct block never outranks a broken one.
The same float32 networks at ε = 1e-7 score a median of 0.6 (worst 1.0): a correct
gradient looks broken, hence the warning.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, NamedTuple, get_args

import numpy as np

from core import gradient_check_fast as fast
from core._checks import as_matrix, positive_float, positive_int
from core.activations import KINKED_ACTIVATIONS
from core.network import (
    Layout,
    cost_and_gradients,
    cross_entropy_cost,
    dropout_masks,
    forward_propagation,
    gradients_to_vector,
    layer_dims_of,
    number_of_layers,
    parameters_to_vector,
    vector_to_parameters,
)

Verdict = Literal["great", "suspicious", "bug"]
Mode = Literal["full", "sample", "directions"]
MODES: tuple[str, ...] = get_args(Mode)
Method = Literal["fast", "loop"]
METHODS: tuple[str, ...] = get_args(Method)


class VerdictBand(NamedTuple):
    below: float  # the band holds differences in [previous edge, below)
    verdict: Verdict
    meaning: str


VERDICT_BANDS: tuple[VerdictBand, ...] = (
    VerdictBand(1e-7, "great", "below 1e-7: backpropagation agrees with the numbers."),
    VerdictBand(
        1e-3,
        "suspicious",
        "between 1e-7 and 1e-3 (the lecture's ≈1e-5): maybe fine, but double-check the "
        "components before trusting it.",
    ),
    VerdictBand(math.inf, "bug", "1e-3 or more: almost certainly a bug in dθ."),
)
"""The lecture's three bands (≈1e-7 great, ≈1e-5 suspicious, ≈1e-3 a bug), the only place
their edges are stated."""

DEFAULT_EPSILON = 1e-5
"""ε for the two-sided differences, chosen by the measurement in the module docstring."""

COURSE_EPSILON = 1e-7
"""The course's ε, on the round-off side in float64 (see the table in the module docstring)."""

SWEEP_EPSILONS: tuple[float, ...] = tuple(10.0**k for k in range(-12, 0))
"""The default grid of ``epsilon_sweep``: ε = 1e-12, 1e-11, …, 1e-1."""

MAX_SWEEP_POINTS = 50  # the most ε values one sweep accepts

DEFAULT_K = 10
"""Coordinates per block in mode="sample"; random directions in mode="directions"."""

MAX_K = 1_000  # the largest k accepted
MAX_FULL_PARAMETERS = 200_000
"""Above this many parameters a full check is refused (use mode="sample" or "directions")."""

WORST_COUNT = 5
"""How many of the worst components a result lists."""


# ----------------------------------------------------------------------------- the formula


class DifferenceTerms(NamedTuple):
    """The three norms of the lecture's formula and the difference they give."""

    numerator: float  # ‖dθ_approx − dθ‖₂
    approx_norm: float  # ‖dθ_approx‖₂
    analytic_norm: float  # ‖dθ‖₂
    difference: float  # numerator / (approx_norm + analytic_norm), 0 when both norms are 0


def difference_terms(d_theta_approx: np.ndarray, d_theta: np.ndarray) -> DifferenceTerms:
    """‖dθ_approx − dθ‖₂, ‖dθ_approx‖₂, ‖dθ‖₂ and the relative difference they make."""
    d_theta_approx = np.asarray(d_theta_approx, dtype=np.float64)
    d_theta = np.asarray(d_theta, dtype=np.float64)
    numerator = float(np.linalg.norm(d_theta_approx - d_theta))
    approx_norm, analytic_norm = (
        float(np.linalg.norm(d_theta_approx)),
        float(np.linalg.norm(d_theta)),
    )
    denominator = approx_norm + analytic_norm
    difference = 0.0 if denominator == 0 else numerator / denominator
    return DifferenceTerms(numerator, approx_norm, analytic_norm, difference)


def relative_difference(d_theta_approx: np.ndarray, d_theta: np.ndarray) -> float:
    """‖dθ_approx − dθ‖₂ / (‖dθ_approx‖₂ + ‖dθ‖₂), and 0 when both norms are 0."""
    return difference_terms(d_theta_approx, d_theta).difference


def verdict_for(difference: float) -> Verdict:
    """The band of ``VERDICT_BANDS`` that holds this difference."""
    if not (np.isfinite(difference) and difference >= 0):
        raise ValueError(f"A difference is a number ≥ 0; got {difference}.")
    return next(band.verdict for band in VERDICT_BANDS if difference < band.below)


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Component:
    """One checked component: a coordinate θᵢ (or, in mode="directions", a direction u)."""

    name: str  # "W2[0, 3]", "θ[5]" or "u3"
    approx: float  # the two-sided difference
    analytic: float  # the claimed derivative (dθᵢ, or dθ·u)

    @property
    def error(self) -> float:
        return abs(self.approx - self.analytic)


@dataclass(frozen=True)
class KinkReport:
    """Checked components whose θ − ε and θ + ε networks disagree on the sign of some
    hidden pre-activation Z: between them g′ jumps, so the two-sided difference there is
    not the derivative even when backpropagation is right."""

    names: tuple[str, ...]  # the components that crossed a kink
    crossings: int  # hidden pre-activations (unit × example) that changed sign, summed
    difference_without: float  # the difference over the other components

    @property
    def count(self) -> int:
        return len(self.names)


@dataclass(frozen=True)
class GradientCheckResult:
    """What a gradient check found.

    ``approx`` and ``analytic`` hold the checked components: dθ_approx[i] and dθ[i] for
    the coordinates in ``indices`` (modes "full" and "sample"), or (J(θ+εu) − J(θ−εu))/2ε
    and dθ·u for each random unit direction u (mode "directions", ``indices`` None).
    """

    difference: float
    verdict: Verdict
    per_block: dict[str, float]  # the difference within each block ("W1", "b1", …), kinks left out
    worst: tuple[Component, ...]  # the WORST_COUNT components with the largest error
    epsilon: float
    evaluations: int  # cost evaluations of the check itself: 2 per component
    mode: Mode
    approx: np.ndarray
    analytic: np.ndarray
    indices: np.ndarray | None
    seconds: float  # wall time of the whole check
    backward_seconds: float | None = None  # one forward + backward pass, for comparison
    kinks: KinkReport | None = None  # None when the activation has no kink
    fresh_mask_difference: float | None = None  # None without dropout
    warnings: tuple[str, ...] = ()


# ----------------------------------------------------------------------------- any cost


def gradient_check(
    cost: Callable[[np.ndarray], float],
    theta: np.ndarray,
    d_theta: np.ndarray,
    epsilon: float = DEFAULT_EPSILON,
    layout: Layout | None = None,
) -> GradientCheckResult:
    """Check a claimed gradient dθ of cost J at θ, coordinate by coordinate.

    dθ_approx[i] = (J(θ + ε·eᵢ) − J(θ − ε·eᵢ)) / 2ε for every i (2·θ.size evaluations),
    then ``difference`` and its verdict. ``cost`` receives a read-only array of θ's shape
    and must return one finite number. θ and dθ must have the same shape; with a
    ``layout`` (from ``core.network.parameters_to_vector``) θ is the flat vector and the
    result has a difference per block. The caller's arrays are never changed.
    """
    start = time.perf_counter()
    epsilon = _check_epsilon(epsilon)
    theta = _real_array(theta, "θ (theta)")
    d_theta = _real_array(d_theta, "dθ (d_theta)")
    if theta.shape != d_theta.shape:
        raise ValueError(
            f"θ and dθ must have the same shape; got {theta.shape} and {d_theta.shape}."
        )
    if theta.size == 0:
        raise ValueError("θ is empty; there is nothing to check.")
    if not np.all(np.isfinite(theta)):
        raise ValueError("θ contains NaN or infinite values; check at finite parameters.")
    if not np.all(np.isfinite(d_theta)):
        raise ValueError("dθ contains NaN or infinite values; backpropagation overflowed.")
    if layout is not None and (theta.ndim != 1 or theta.size != layout.size):
        raise ValueError(
            f"With a layout, θ must be a flat vector of {layout.size} numbers; got shape "
            f"{theta.shape}."
        )
    _check_full_size(theta.size)
    work = np.array(theta, order="C")  # a copy: θ ± ε is written here, not in the caller's θ
    flat = work.reshape(-1)
    seen = work.view()
    seen.flags.writeable = False  # a cost that writes into its argument cannot corrupt the check
    name = layout.coordinate_name if layout is not None else "θ[{}]".format
    approx = np.empty(theta.size)
    largest_cost = 0.0
    for i in range(theta.size):
        original = flat[i]
        flat[i] = original + epsilon
        J_plus = _scalar_cost(cost, seen, f"θ + ε at {name(i)}")
        flat[i] = original - epsilon
        J_minus = _scalar_cost(cost, seen, f"θ − ε at {name(i)}")
        flat[i] = original
        approx[i] = (J_plus - J_minus) / (2 * epsilon)
        largest_cost = max(largest_cost, abs(J_plus), abs(J_minus))
    analytic = d_theta.reshape(-1).astype(np.float64)
    warnings = _precision_warnings(theta.dtype, largest_cost, analytic, epsilon)
    return _result(
        approx,
        analytic,
        name=name,
        indices=np.arange(theta.size),
        layout=layout,
        epsilon=epsilon,
        mode="full",
        seconds=time.perf_counter() - start,
        warnings=warnings,
    )


def _scalar_cost(cost: Callable[[np.ndarray], float], theta: np.ndarray, where: str) -> float:
    # J must be one finite real number; anything else makes the difference meaningless
    value = cost(theta)
    J = np.asarray(value)
    if J.ndim != 0 or J.dtype == bool or not np.issubdtype(J.dtype, np.number):
        raise ValueError(
            f"cost must return one number (a scalar); at {where} it returned "
            f"{type(value).__name__} of shape {J.shape}. Return float(J)."
        )
    if np.iscomplexobj(J):
        raise ValueError(f"cost must return a real number; at {where} it returned {value!r}.")
    if not np.isfinite(J):
        raise ValueError(
            f"cost returned {float(J)} at {where}; J must be finite near θ. Try a smaller ε "
            "or parameters where J does not overflow."
        )
    return float(J)


# ----------------------------------------------------------------------------- the network


@np.errstate(over="ignore", invalid="ignore")  # overflow is refused below, with a message
def check_network(
    parameters: Mapping[str, np.ndarray],
    X: np.ndarray,
    Y: np.ndarray,
    *,
    activation: str = "relu",
    lambd: float = 0.0,
    keep_prob: float = 1.0,
    epsilon: float = DEFAULT_EPSILON,
    bug: str | None = None,
    mode: Mode = "full",
    k: int = DEFAULT_K,
    rng: np.random.Generator | None = None,
    fresh_mask: bool = True,
    method: Method = "fast",
) -> GradientCheckResult:
    """Check backpropagation of the network in ``core.network`` at these parameters.

    dθ comes from ``cost_and_gradients`` (with the planted ``bug``, if any, from
    ``core.network.PLANTED_BUGS``); dθ_approx from J alone, two evaluations per checked
    component. ``mode`` chooses the components:

    * "full": every coordinate, 2·P evaluations of J (P = θ.size ≤ MAX_FULL_PARAMETERS);
    * "sample": k random coordinates of every block (all of a block with k or fewer);
    * "directions": k random unit directions u (entries ±1/√P with random signs),
      comparing (J(θ+εu) − J(θ−εu))/2ε with dθ·u, like torch.autograd.gradcheck's fast
      mode. It tells whether dθ is wrong, not where: ``per_block`` is empty.

    With keep_prob < 1 one dropout mask is drawn from ``rng`` and kept for every
    evaluation, so that J is one function; ``fresh_mask_difference`` is the same check
    on k coordinates per block with a new mask at every evaluation (as in training),
    which fails even for correct code (``fresh_mask=False`` skips it: its forward passes
    cost far more than the check itself in wide networks). For ReLU and leaky ReLU,
    ``kinks`` lists the components whose θ − ε and θ + ε networks put a hidden
    pre-activation on different sides of 0. float32 parameters are checked in float32,
    with a warning. ``method="loop"`` runs the course's loop, two whole forward passes
    per component; "fast" (``core.gradient_check_fast``) gives the same numbers sooner.

    X is (n[0], m) and Y is (1, m) with labels 0/1; ``rng`` (default: seeded with 0, so
    the check is repeatable) draws masks, samples and directions. Nothing passed in is
    changed.
    """
    start = time.perf_counter()
    epsilon = _check_epsilon(epsilon)
    if mode not in MODES:
        raise ValueError(f"Unknown mode {mode!r}; choose one of {', '.join(MODES)}.")
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}; choose one of {', '.join(METHODS)}.")
    k = positive_int(k, "k", maximum=MAX_K)
    positive_float(keep_prob, "keep_prob")
    number_of_layers(parameters)
    dtype = _dtype_of(parameters)
    # read only from here on, so arrays already in the check's dtype are not copied
    params = {
        key: as_matrix(value, key).astype(dtype, copy=False) for key, value in parameters.items()
    }
    X = as_matrix(X, "X").astype(dtype, copy=False)
    Y = as_matrix(Y, "Y").astype(dtype, copy=False)
    theta, layout = parameters_to_vector(params)
    if mode == "full":
        _check_full_size(layout.size)
    rng = np.random.default_rng(0) if rng is None else rng
    dims = layer_dims_of(params)
    masks = dropout_masks(dims, X.shape[1], keep_prob, rng) if keep_prob != 1 else None

    tick = time.perf_counter()
    claimed = cost_and_gradients(params, X, Y, activation, lambd, keep_prob, masks, bug)
    backward_seconds = time.perf_counter() - tick
    if not np.isfinite(claimed.cost):
        raise ValueError(
            f"J(θ) = {claimed.cost} is not finite: the network overflows at these parameters. "
            "Check it at a smaller weight scale."
        )
    d_theta = gradients_to_vector(claimed.grads, layout).astype(np.float64, copy=False)

    def J(theta: np.ndarray, masks: fast.Masks = masks) -> tuple[float, list[np.ndarray]]:
        # J(θ) alone, by core.network's forward pass (and the sides of 0 of the hidden Z,
        # where the kinks are)
        nudged = vector_to_parameters(theta, layout)
        _, cache = forward_propagation(X, nudged, activation, keep_prob, masks)
        return cross_entropy_cost(cache.Z[-1], Y, nudged, lambd), [Z > 0 for Z in cache.Z[1:-1]]

    net = fast.Network(params, X, Y, activation, float(lambd), float(keep_prob))

    def along(
        vectors: Iterator[np.ndarray], count: int, fresh: Callable[[], fast.Masks] | None = None
    ) -> fast.TwoSidedCosts:
        # the two-sided loop along ``count`` vectors v, run here or by the fast path;
        # ``fresh`` draws a new dropout mask for every evaluation
        if method == "loop":
            cost = J if fresh is None else lambda theta: J(theta, fresh())
            return _two_sided_loop(cost, theta, d_theta, vectors, epsilon)
        return fast.direction_costs(
            net, masks, theta, layout, vectors, count, d_theta, epsilon, fresh_masks=fresh
        )

    if mode == "directions":
        indices, name = None, "u{}".format
        costs = along(_random_directions(k, layout.size, dtype, rng), k)
    else:
        indices = np.arange(layout.size) if mode == "full" else _sample(layout, k, rng)
        if method == "fast":  # a row of one layer at a time, cheaper than any direction
            costs = fast.coordinate_costs(net, masks, layout, indices, d_theta, epsilon)
        else:
            costs = along(_unit_vectors(indices, layout.size, dtype), len(indices))

        def name(position: int) -> str:
            return layout.coordinate_name(indices[position])

    approx = _two_sided_differences(costs, epsilon)
    if not np.all(np.isfinite(approx)):
        raise ValueError(
            "J(θ ± ε) is not finite for some components: the network overflows near θ. "
            "Check it at a smaller weight scale or with a smaller ε."
        )
    analytic = costs.analytic
    kinks, crossed = None, None
    if activation in KINKED_ACTIVATIONS:
        crossed = costs.crossings > 0
        kinks = KinkReport(
            tuple(name(position) for position in np.flatnonzero(crossed)),
            int(costs.crossings.sum()),
            relative_difference(approx[~crossed], analytic[~crossed]),
        )
    fresh_mask_difference = None
    if masks is not None and fresh_mask:
        sample = _sample(layout, k, rng)
        fresh = along(
            _unit_vectors(sample, layout.size, dtype),
            len(sample),
            lambda: dropout_masks(dims, X.shape[1], keep_prob, rng),
        )
        fresh_mask_difference = relative_difference(
            _two_sided_differences(fresh, epsilon), fresh.analytic
        )
    warnings = _precision_warnings(dtype, abs(claimed.cost), d_theta, epsilon)
    warnings += _network_warnings(kinks, len(approx), fresh_mask_difference)
    return _result(
        approx,
        analytic,
        name=name,
        indices=indices,
        layout=layout,
        epsilon=epsilon,
        mode=mode,
        seconds=time.perf_counter() - start,
        backward_seconds=backward_seconds,
        kinks=kinks,
        kinked=crossed,
        fresh_mask_difference=fresh_mask_difference,
        warnings=warnings,
    )


def _two_sided_loop(
    J: Callable[[np.ndarray], tuple[float, list[np.ndarray]]],
    theta: np.ndarray,
    d_theta: np.ndarray,
    vectors: Iterator[np.ndarray],
    epsilon: float,
) -> fast.TwoSidedCosts:
    """The course's loop: for each vector v, J(θ + ε·v) and J(θ − ε·v), the hidden units ×
    examples the two put on different sides of 0, and dθ·v."""
    J_plus, J_minus, crossings, analytic = [], [], [], []
    for v in vectors:
        step = epsilon * v  # in θ's dtype, as θ ± ε·v is stored
        (plus, sides_plus), (minus, sides_minus) = J(theta + step), J(theta - step)
        J_plus.append(plus)
        J_minus.append(minus)
        crossings.append(
            sum(np.count_nonzero(a != b) for a, b in zip(sides_plus, sides_minus, strict=True))
        )
        analytic.append(v.astype(np.float64) @ d_theta)
    return fast.TwoSidedCosts(
        np.array(J_plus), np.array(J_minus), np.array(crossings, np.int64), np.array(analytic)
    )


def _two_sided_differences(costs: fast.TwoSidedCosts, epsilon: float) -> np.ndarray:
    # (J(θ + ε·v) − J(θ − ε·v)) / 2ε, in float64 whatever the dtype of the costs
    return (costs.J_plus.astype(np.float64) - costs.J_minus) / (2 * epsilon)


def _unit_vectors(indices: np.ndarray, size: int, dtype) -> Iterator[np.ndarray]:
    """eᵢ for each i in ``indices``: the coordinates as directions."""
    for i in indices:
        e = np.zeros(size, dtype)
        e[i] = 1
        yield e


def _random_directions(
    count: int, size: int, dtype, rng: np.random.Generator
) -> Iterator[np.ndarray]:
    """``count`` random unit vectors: each coordinate ±1/√size with even odds, one random
    bit each, drawn a vector at a time."""
    coordinate = np.dtype(dtype).type(1 / np.sqrt(size))
    for _ in range(count):
        bits = np.unpackbits(rng.integers(0, 256, -(-size // 8), np.uint8), count=size)
        yield bits * (2 * coordinate) - coordinate


def _sample(layout: Layout, k: int, rng: np.random.Generator) -> np.ndarray:
    """k random coordinates of every block (all of a block with k or fewer), sorted."""
    return np.concatenate(
        [
            block.start + np.sort(rng.choice(block.size, min(k, block.size), replace=False))
            for block in layout.blocks
        ]
    )


def _dtype_of(parameters: Mapping[str, np.ndarray]) -> np.dtype:
    # the dtype a check runs in: float32 when every parameter is float32, else float64
    all_float32 = all(np.asarray(value).dtype == np.float32 for value in parameters.values())
    return np.dtype(np.float32 if all_float32 else np.float64)


# ----------------------------------------------------------------------------- the ε sweep


@dataclass(frozen=True)
class EpsilonSweep:
    """``check_network``'s difference at each ε of a grid, all else equal.

    Each array has one entry per ε, in increasing ε. ``without_kinks`` is the difference
    over the components that crossed no kink (equal to ``differences`` for activations
    without one); ``kinked`` counts the components that crossed one.
    """

    epsilons: np.ndarray
    differences: np.ndarray
    without_kinks: np.ndarray
    kinked: np.ndarray
    dtype: str  # "float64" or "float32": the precision of every check
    mode: Mode
    components: int  # components compared at each ε
    seconds: float  # wall time of the whole sweep

    @property
    def best_epsilon(self) -> float:
        """The ε with the smallest difference: the bottom of the U."""
        return float(self.epsilons[np.argmin(self.differences)])

    @property
    def best_difference(self) -> float:
        return float(np.min(self.differences))

    def difference_at(self, epsilon: float) -> float:
        """The difference at a grid point ε (to a relative 1e-9)."""
        found = np.flatnonzero(np.isclose(self.epsilons, epsilon, rtol=1e-9, atol=0))
        if not found.size:
            raise ValueError(f"ε = {epsilon:g} is not on the sweep's grid; use one of its values.")
        return float(self.differences[found[0]])


def epsilon_sweep(
    parameters: Mapping[str, np.ndarray],
    X: np.ndarray,
    Y: np.ndarray,
    epsilons: tuple[float, ...] = SWEEP_EPSILONS,
    *,
    activation: str = "relu",
    lambd: float = 0.0,
    keep_prob: float = 1.0,
    bug: str | None = None,
    mode: Mode = "full",
    k: int = DEFAULT_K,
    rng: np.random.Generator | None = None,
) -> EpsilonSweep:
    """The difference of ``check_network`` against ε: the U-shaped curve of one network.

    Large ε: the two-sided difference's O(ε²) truncation error (and, for ReLU, kinks
    crossed) dominate. Small ε: the round-off in J(θ ± ε), about u·|J| with u the unit
    round-off of the dtype, divided by 2ε, grows like 1/ε. The bottom sits in between.

    Every check sees the same components, dropout mask and directions, drawn from one
    seed: 0 when ``rng`` is None (so each point equals ``check_network`` with its default
    rng at that ε), else one drawn from ``rng``. The fresh-mask comparison is skipped.
    Arguments as for ``check_network``; 1 to MAX_SWEEP_POINTS values of ε, each in (0, 1).
    """
    start = time.perf_counter()
    values = np.atleast_1d(np.asarray(epsilons, dtype=object))
    if not 1 <= values.size <= MAX_SWEEP_POINTS or values.ndim != 1:
        raise ValueError(f"Pass 1 to {MAX_SWEEP_POINTS} values of ε; got {values.size}.")
    grid = np.array(sorted({_check_epsilon(epsilon) for epsilon in values}))
    seed = 0 if rng is None else int(rng.integers(2**63))
    settings = dict(activation=activation, lambd=lambd, keep_prob=keep_prob, bug=bug, mode=mode)
    results = [
        check_network(
            parameters,
            X,
            Y,
            epsilon=epsilon,
            k=k,
            rng=np.random.default_rng(seed),
            fresh_mask=False,
            **settings,
        )
        for epsilon in grid
    ]
    without_kinks = [
        result.kinks.difference_without if result.kinks else result.difference for result in results
    ]
    return EpsilonSweep(
        epsilons=grid,
        differences=np.array([result.difference for result in results]),
        without_kinks=np.array(without_kinks),
        kinked=np.array([result.kinks.count if result.kinks else 0 for result in results]),
        dtype=_dtype_of(parameters).name,
        mode=mode,
        components=len(results[0].approx),
        seconds=time.perf_counter() - start,
    )


# ----------------------------------------------------------------------------- shared


def _result(
    approx: np.ndarray,
    analytic: np.ndarray,
    *,
    name: Callable[[int], str],
    indices: np.ndarray | None,
    layout: Layout | None,
    epsilon: float,
    mode: Mode,
    seconds: float,
    warnings: tuple[str, ...],
    backward_seconds: float | None = None,
    kinks: KinkReport | None = None,
    kinked: np.ndarray | None = None,
    fresh_mask_difference: float | None = None,
) -> GradientCheckResult:
    difference = relative_difference(approx, analytic)
    per_block = {}
    if layout is not None and indices is not None:  # directions mix blocks: no per-block split
        for block in layout.blocks:
            inside = (indices >= block.start) & (indices < block.stop)
            # A kink can make a correct block look worse than a broken one: kinked
            # components stay out of their block's difference (``kinks`` names them),
            # and a block with nothing else checked has no difference to show.
            if kinked is not None:
                inside &= ~kinked
            if inside.any():
                per_block[block.name] = relative_difference(approx[inside], analytic[inside])
    order = np.argsort(-np.abs(approx - analytic), kind="stable")[:WORST_COUNT]
    return GradientCheckResult(
        difference=difference,
        verdict=verdict_for(difference),
        per_block=per_block,
        worst=tuple(Component(name(i), float(approx[i]), float(analytic[i])) for i in order),
        epsilon=epsilon,
        evaluations=2 * len(approx),
        mode=mode,
        approx=approx,
        analytic=analytic,
        indices=indices,
        seconds=seconds,
        backward_seconds=backward_seconds,
        kinks=kinks,
        fresh_mask_difference=fresh_mask_difference,
        warnings=warnings,
    )


def _precision_warnings(dtype, cost_scale: float, analytic: np.ndarray, epsilon: float):
    """Why a low-precision check can fail a correct gradient, with the numbers."""
    if np.dtype(dtype) == np.float64:
        return ()
    u = float(np.finfo(dtype).eps)
    noise = u * max(cost_scale, np.finfo(dtype).tiny) / (2 * epsilon)
    typical = float(np.sqrt(np.mean(np.square(analytic))))
    return (
        f"The parameters are {np.dtype(dtype).name}: every J carries round-off of about "
        f"{u:.0e}·|J|, and dividing by 2ε = {2 * epsilon:.0e} magnifies it to an error of "
        f"about {noise:.0e} in each component of dθ_approx, against components of typical "
        f"size {typical:.0e}. A correct gradient can look broken; check in float64 "
        "(.astype(np.float64)).",
    )


def _network_warnings(kinks: KinkReport | None, checked: int, fresh: float | None):
    warnings = ()
    if kinks is not None and kinks.count:
        warnings += (
            f"{kinks.count} of {checked} checked components moved a hidden pre-activation "
            f"across 0 between θ − ε and θ + ε ({kinks.crossings} unit·example crossings): "
            "at a ReLU kink the two-sided difference is not the derivative. Without them the "
            f"difference is {kinks.difference_without:.1e}.",
        )
    if fresh is not None:
        warnings += (
            "Checked with one dropout mask kept fixed for every evaluation. With a fresh "
            f"mask per evaluation, as in training, the difference is {fresh:.1e}: J is then "
            "a different function at every call, so check with keep_prob = 1 or a fixed mask.",
        )
    return warnings


def _check_epsilon(epsilon) -> float:
    return positive_float(epsilon, "ε (epsilon)", below=1.0)


def _check_full_size(size: int) -> None:
    if size > MAX_FULL_PARAMETERS:
        raise ValueError(
            f"A full check of {size:,} parameters needs {2 * size:,} cost evaluations; the "
            f"limit is {MAX_FULL_PARAMETERS:,} parameters. Use mode='sample' or "
            "mode='directions'."
        )


def _real_array(value, name: str) -> np.ndarray:
    array = np.asarray(value)
    if array.dtype == bool or not (
        np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)
    ):
        raise ValueError(f"{name} must hold real numbers; got an array of dtype {array.dtype}.")
    return array if np.issubdtype(array.dtype, np.floating) else array.astype(np.float64)
