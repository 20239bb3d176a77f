"""Gradient checking: is backpropagation's dθ really the gradient of J?

Flatten W[1], b[1], …, W[L], b[L] into one vector θ and dW[1], db[1], … into dθ in the
same order. For every coordinate i the two-sided difference

    dθ_approx[i] = (J(θ + ε·eᵢ) − J(θ − ε·eᵢ)) / 2ε

is within O(ε²) of ∂J/∂θᵢ, and the whole check is one number,

    difference = ‖dθ_approx − dθ‖₂ / (‖dθ_approx‖₂ + ‖dθ‖₂)     (0 when both norms are 0),

read against the lecture's three bands, stated once in ``VERDICT_BANDS``.

``gradient_check`` does this for any cost J(θ), the course's way: two evaluations per
coordinate. ``check_network`` does it for the network of ``core.network`` and adds what
the lecture warns about: a difference per block (W1, b1, …) to find the bug, planted
bugs, a fixed dropout mask (and what a fresh mask per evaluation would do), ReLU kinks
and float32. ``epsilon_sweep`` repeats it over a grid of ε, all else equal: the U-shaped
curve of truncation against round-off that the choice of ``DEFAULT_EPSILON`` rests on.

Why ``check_network``'s full check is fast although it evaluates J(θ ± ε·eᵢ) for every i:
nudging W[l][i, j] changes only row i of Z[l], by ±ε·A[l−1][j, :]. The layers below l are
untouched and never recomputed. A[l] changes in row i only, and only in the examples n
where g moved A[l][i, n] (a ReLU unit at 0 mostly stays there): every other example keeps
its cost ℓ⁽ⁿ⁾ = ℓ(a[L]⁽ⁿ⁾, y⁽ⁿ⁾) exactly. For a moved example Z[l+1][:, n] changes by the
rank-1 term W[l+1][:, i]·ΔA[l][i, n], and the nudged networks go on one example at a time,
all nudges of a row together, in chunks that cap the memory. ReLU and leaky ReLU are
positively homogeneous, g(z) = z·s·g(s) on the side s = ±1 of 0: in the last hidden layer,
where no unit of an example can cross 0 (its change is below its distance to 0), g folds
into W[L] exactly; units within reach of 0 go through g itself. Each J(θ ± ε·eᵢ) is still
the mean of m example costs of the nudged network — nothing is linearized — so the numbers
agree with the course's loop to round-off. Directions mode runs the 2k networks θ ± ε·u,
each with its own parameters, through one batched forward pass per chunk.

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
at least 100x below 1e-7, and the full check within 3e-10 (‖Δ‖/‖loop‖) of the course's loop,
whose own round-off is the limit: at 1e-6 the two agree only to 1.5e-9–4e-9. The price is
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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, NamedTuple, get_args

import numpy as np

from core._checks import as_matrix, positive_float, positive_int
from core.activations import activate
from core.network import (
    Block,
    ForwardCache,
    Layout,
    cost_and_gradients,
    cross_entropy,
    dropout_masks,
    forward_propagation,
    gradients_to_vector,
    hidden_activation,
    layer_dims_of,
    number_of_layers,
    parameters_to_vector,
)

Verdict = Literal["great", "suspicious", "bug"]
Mode = Literal["full", "sample", "directions"]
MODES: tuple[str, ...] = get_args(Mode)


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

KINKED_ACTIVATIONS: tuple[str, ...] = ("relu", "leaky_relu")
"""Hidden activations whose derivative jumps at Z = 0, where a two-sided difference can lie."""

_CHUNK_BYTES = 2 * 2**20  # work memory per batch of nudged networks (best of 0.5–16 MiB)


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
) -> GradientCheckResult:
    """Check backpropagation of the network in ``core.network`` at these parameters.

    dθ comes from ``cost_and_gradients`` (with the planted ``bug``, if any, from
    ``core.network.PLANTED_BUGS``); dθ_approx from J alone. ``mode`` chooses what is
    compared:

    * "full": every coordinate, 2·P evaluations of J (P = θ.size ≤ MAX_FULL_PARAMETERS);
    * "sample": k random coordinates of every block (all of a block with k or fewer);
    * "directions": k random unit directions u (entries ±1/√P with random signs),
      comparing (J(θ+εu) − J(θ−εu))/2ε with dθ·u — 2 evaluations each, like
      torch.autograd.gradcheck's fast mode. It tells whether dθ is wrong, not where:
      ``per_block`` is empty.

    With keep_prob < 1 one dropout mask is drawn from ``rng`` and kept for every
    evaluation, so that J is one function; ``fresh_mask_difference`` is the same check
    on k coordinates per block with a new mask at every evaluation (as in training),
    which fails even for correct code (``fresh_mask=False`` skips that comparison: its
    full forward passes cost far more than the check itself in wide networks). For ReLU
    and leaky ReLU, ``kinks`` lists the components whose θ − ε and θ + ε networks put a
    hidden pre-activation on different sides of 0. float32 parameters are checked in
    float32, with a warning.

    X is (n[0], m) and Y is (1, m) with labels 0/1; ``rng`` (default: seeded with 0, so
    the check is repeatable) draws masks, samples and directions. Nothing passed in is
    changed.
    """
    start = time.perf_counter()
    epsilon = _check_epsilon(epsilon)
    if mode not in MODES:
        raise ValueError(f"Unknown mode {mode!r}; choose one of {', '.join(MODES)}.")
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
    net = _Network(params, X, Y, activation, float(lambd), float(keep_prob), _Buffers())

    if mode == "directions":
        J_plus, J_minus, crossings, analytic = _costs_along(
            net,
            layout,
            theta,
            d_theta,
            k,
            lambda V: _random_directions(V, rng),
            epsilon,
            lambda count: masks,
        )
        indices = None
        name = "u{}".format
    else:
        indices = np.arange(layout.size) if mode == "full" else _sample(layout, k, rng)
        J_plus, J_minus, crossings = _coordinate_costs(net, layout, indices, epsilon, masks)
        analytic = d_theta[indices]

        def name(position: int) -> str:
            return layout.coordinate_name(indices[position])

    approx = (J_plus.astype(np.float64) - J_minus) / (2 * epsilon)
    if not np.all(np.isfinite(approx)):
        raise ValueError(
            "J(θ ± ε) is not finite for some components: the network overflows near θ. "
            "Check it at a smaller weight scale or with a smaller ε."
        )
    kinks, crossed = None, None
    if activation in KINKED_ACTIVATIONS:
        crossed = crossings > 0
        kinks = KinkReport(
            tuple(name(position) for position in np.flatnonzero(crossed)),
            int(crossings.sum()),
            relative_difference(approx[~crossed], analytic[~crossed]),
        )
    fresh_mask_difference = None
    if masks is not None and fresh_mask:
        fresh_mask_difference = _fresh_mask_difference(
            net, layout, theta, d_theta, _sample(layout, k, rng), epsilon, dims, rng
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


class _Network(NamedTuple):
    """The network being checked: parameters (in the dtype of the check), data, settings."""

    parameters: dict[str, np.ndarray]
    X: np.ndarray
    Y: np.ndarray
    activation: str
    lambd: float
    keep_prob: float
    buffers: _Buffers

    @property
    def L(self) -> int:
        return len(self.parameters) // 2


class _Buffers:
    """Work arrays reused from chunk to chunk, by name.

    A fresh large numpy array costs a page fault per 4 KiB page when first written, and
    the C allocator hands such memory back to the system between chunks: reusing the
    largest arrays removed slowdowns of up to 3x that came and went from run to run.
    """

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}

    def __call__(self, name: str, shape: tuple[int, ...], dtype) -> np.ndarray:
        size = math.prod(shape)
        array = self._arrays.get(name)
        if array is None or array.size < size or array.dtype != dtype:
            array = self._arrays[name] = np.empty(size, dtype)
        return array[:size].reshape(shape)


Masks = dict[int, np.ndarray] | None  # D[l], (n[l], m) or one per evaluation (B, n[l], m)


def _coordinate_costs(
    net: _Network, layout: Layout, indices: np.ndarray, epsilon: float, masks: Masks
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """J(θ + ε·eᵢ), J(θ − ε·eᵢ) and the kink crossings for every i in ``indices``.

    A block's coordinates go in rows of θ's matrix: a full row at a time when the whole
    block is checked, else one coordinate per row.
    """
    _, cache = forward_propagation(net.X, net.parameters, net.activation, net.keep_prob, masks)
    losses = cross_entropy(cache.Z[-1].T, net.Y.T)  # the cost of each example alone, (m,)
    J_plus, J_minus = np.empty((2, len(indices)), net.X.dtype)
    crossings = np.zeros(len(indices), dtype=np.int64)
    squares = _sum_of_squares(net.parameters)
    above = None
    for block in layout.blocks:
        where = np.flatnonzero((indices >= block.start) & (indices < block.stop))
        rows, cols = np.unravel_index(indices[where] - block.start, block.shape)
        rows, cols = rows[:, None], cols[:, None]
        if len(where) == block.size:  # the whole block, in order
            rows, cols = np.arange(block.shape[0])[:, None], np.arange(block.shape[1])[None, :]
        l = int(block.name[1:])
        if l < net.L and (above is None or above.l != l):
            above = _above(net, cache, l, masks)  # once for W[l] and b[l]
        # Z, A and the example costs of both nudges of a coordinate: 3 × 2m numbers
        row_bytes = cols.shape[1] * 6 * net.X.shape[1] * net.X.itemsize
        for part in _chunks(np.arange(len(rows)), row_bytes):
            inside = where[part[0] * cols.shape[1] : (part[-1] + 1) * cols.shape[1]]
            J, crossed = _block_costs(
                net, cache, above, losses, masks, squares, block, rows[part],
                cols if len(cols) == 1 else cols[part], epsilon,
            )  # fmt: skip
            J_plus[inside], J_minus[inside] = J.reshape(2, -1)
            crossings[inside] = crossed.reshape(-1)
    return J_plus, J_minus, crossings


class _Above(NamedTuple):
    """What a change of A[l] meets in layer l+1, from θ's forward pass."""

    l: int
    W_T: np.ndarray  # W[l+1]ᵀ: row i is the column of W[l+1] that A[l][i, :] enters through
    Z_T: np.ndarray  # Z[l+1]ᵀ: row n is example n
    w_max: np.ndarray  # max over units u of |W[l+1][u, i]|, (n[l],)
    margin: np.ndarray  # half the least |Z[l+1][u, n]| over units u, (m,); see _later_layers
    W_L: np.ndarray | None  # W[L] with g folded in per example, (m, n[L−1]); see _later_layers


def _above(net: _Network, cache: ForwardCache, l: int, masks: Masks) -> _Above:
    W, Z = net.parameters[f"W{l + 1}"], cache.Z[l + 1]
    W_L = None
    if l + 2 == net.L and net.activation in KINKED_ACTIVATIONS:
        # ReLU and leaky ReLU are positively homogeneous: g(z) = z·s·g(s) on the side s = ±1
        # of 0, so where Z[L−1] keeps θ's side, A[L−1] = s·g(s) ⊙ Z[L−1] (⊙ D / keep_prob)
        s = np.where(Z.T > 0, 1.0, -1.0).astype(Z.dtype)
        W_L = s * activate(s, net.activation) * net.parameters[f"W{net.L}"]
        if masks:
            W_L *= masks[l + 1].T / net.keep_prob
    return _Above(
        l, np.ascontiguousarray(W.T), np.ascontiguousarray(Z.T), np.abs(W).max(axis=0),
        0.5 * np.abs(Z).min(axis=0), W_L,
    )  # fmt: skip


def _block_costs(
    net: _Network,
    cache: ForwardCache,
    above: _Above | None,
    losses: np.ndarray,
    masks: Masks,
    squares: np.floating,
    block: Block,
    rows: np.ndarray,
    cols: np.ndarray,
    epsilon: float,
) -> tuple[np.ndarray, np.ndarray]:
    """J(θ ± ε·eᵢ), shape (2, R, C), and kink crossings (R, C) for the coordinates
    (rows[r], cols[r, c]) of one block; ``rows`` is (R, 1), ``cols`` (R, C) or (1, C)."""
    l = int(block.name[1:])
    m = net.X.shape[1]
    value = net.parameters[block.name][rows, cols]
    # the steps θᵢ ± ε really takes once stored in this dtype (exactly what the loop does)
    step = np.stack([(value + epsilon) - value, (value - epsilon) - value])
    # Z[l][i, :] = Σⱼ W[l][i, j] A[l−1][j, :] + b[l][i]: the nudge moves row i alone
    source = cache.A[l - 1][cols] if block.name[0] == "W" else 1.0
    Z_row = net.buffers("Z_row", (*step.shape, m), value.dtype)
    np.multiply(step[..., None], source, out=Z_row)
    Z_row += cache.Z[l][rows]
    if l == net.L:
        J, crossings = cross_entropy(Z_row, net.Y), np.zeros(value.shape, dtype=np.int64)
    else:
        crossings = _crossings(net, Z_row, pair_axis=0)
        mask = masks[l][rows] if masks else None
        delta_A = hidden_activation(Z_row, net.activation, net.keep_prob, mask)
        delta_A -= cache.A[l][rows]
        # A nudge moves the examples n where A[l][i, n] moved; the others keep their cost
        # ℓ⁽ⁿ⁾ exactly. A group, one row and one example, goes on when any of it moved.
        group_r, group_n = np.nonzero((delta_A != 0).any(axis=(0, 2)))
        example_costs = net.buffers("example_costs", delta_A.shape, value.dtype)
        example_costs[...] = losses
        # a group's ΔA, Z[L] and costs (2C numbers each, with temporaries), and the columns
        # of W[l+1], Z[l+1] and W[L] it meets (n[l+1] numbers each)
        group_bytes = (24 * value.shape[1] + 5 * above.W_T.shape[1]) * value.itemsize
        for part in _chunks(np.arange(len(group_r)), group_bytes):
            r, n = group_r[part], group_n[part]
            Z_L, crossed = _later_layers(net, l, above, delta_A[:, r, :, n], rows[r, 0], n, masks)
            if crossed is not None:
                np.add.at(crossings, r, crossed)
            example_costs[:, r, :, n] = cross_entropy(Z_L[..., None], net.Y[0, n, None, None, None])
        J = example_costs.sum(axis=-1) / m
    if net.lambd:
        if block.name[0] == "W":  # Σ‖W‖² with θᵢ replaced by θᵢ ± ε
            squares = squares + ((value + step) ** 2 - value**2)
        J = J + net.lambd / (2 * m) * squares
    return J, crossings


def _later_layers(
    net: _Network,
    l: int,
    above: _Above,
    delta_A: np.ndarray,
    units: np.ndarray,
    examples: np.ndarray,
    masks: Masks,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Z[L] of nudged networks that differ from θ's in one unit of layer l, in groups:
    group g is unit ``units[g]`` = i and example ``examples[g]`` = n, ``delta_A`` (G, 2, C)
    the change of A[l][i, n] for each sign and coordinate. Z[l+1][:, n] = W[l+1] A[l][:, n]
    + b[l+1] is then θ's column plus ΔA times column i of W[l+1]: a rank-one change.

    Returns Z[L] (G, 2, C) and the hidden pre-activations that changed sign (G, C), or
    None when none did.
    """
    G, _, C = delta_A.shape
    w, Z_theta = above.W_T[units], above.Z_T[examples]
    if l + 1 == net.L:  # the output unit
        return delta_A * w[:, :, None] + Z_theta[:, :, None], None
    n = w.shape[1]
    # the change as one product per group: [ΔA, 1] (2C, 2) @ [w; Z_theta] (2, n)
    left = np.stack([delta_A.reshape(G, 2 * C), np.ones((G, 2 * C), w.dtype)], axis=2)
    right = np.stack([w, Z_theta], axis=1)
    Z_L = np.empty((G, 2, C), w.dtype)
    crossings = np.zeros((G, C), dtype=np.int64)
    if above.W_L is not None:
        # Z[l+1] is the last hidden layer and g is ReLU-like: in a group whose every unit
        # keeps θ's side of 0, g folds into W[L]. |ΔA|·max|W[l+1][:, i]| below half of
        # min|Z[l+1][:, n]| leaves no unit of the group a way across, round-off included.
        W_L = above.W_L[examples]
        reach = np.abs(delta_A).max(axis=(1, 2)) * above.w_max[units]
        near = np.flatnonzero(~(reach < above.margin[examples]))  # NaN counts as near
    for part in _chunks(np.arange(G), 2 * C * n * w.itemsize):  # Z[l+1] kept cache-sized
        start, stop = part[0], part[-1] + 1
        Z = net.buffers("Z_next", (stop - start, 2 * C, n), w.dtype)
        np.matmul(left[start:stop], right[start:stop], out=Z)
        if above.W_L is None:  # other networks: every group through the later layers
            Z_L[start:stop], crossings[start:stop] = _forward_examples(
                net, l + 1, Z.reshape(-1, 2, C, n), masks, examples[start:stop]
            )
            continue
        np.matmul(Z, W_L[start:stop, :, None], out=Z_L[start:stop].reshape(-1, 2 * C, 1))
        Z_L[start:stop] += net.parameters[f"b{net.L}"][0, 0]
        # the groups near a kink go through g itself, and count their crossings
        inside = near[(near >= start) & (near < stop)]
        if inside.size:
            Z_L[inside], crossings[inside] = _forward_examples(
                net, l + 1, Z[inside - start].reshape(-1, 2, C, n), masks, examples[inside]
            )
    return Z_L, crossings if crossings.any() else None


def _forward_examples(
    net: _Network, l: int, Z: np.ndarray, masks: Masks, examples: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Layers l+1 … L for nudged networks one example at a time: Z[l] is (G, 2, C, n[l]),
    one row per group g (example ``examples[g]``), sign ± and coordinate.

    Returns Z[L] as (G, 2, C) and the hidden pre-activations that changed sign, (G, C).
    """
    crossings = np.zeros((Z.shape[0], Z.shape[2]), dtype=np.int64)
    for hidden in range(l, net.L):
        crossings += _crossings(net, Z, pair_axis=1)
        mask = masks[hidden].T[examples][:, None, None, :] if masks else None
        A = hidden_activation(Z, net.activation, net.keep_prob, mask)
        W, b = net.parameters[f"W{hidden + 1}"], net.parameters[f"b{hidden + 1}"]
        Z = net.buffers(f"Z{hidden + 1}", (*A.shape[:-1], W.shape[0]), A.dtype)
        np.matmul(A.reshape(-1, W.shape[1]), W.T, out=Z.reshape(-1, W.shape[0]))
        Z += b.T
    return Z[..., 0], crossings


def _crossings(net: _Network, Z: np.ndarray, pair_axis: int) -> np.ndarray:
    # how many entries along Z's last axis θ + ε (index 0 of pair_axis) and θ − ε (index 1)
    # put on different sides of 0, where g′ jumps
    shape = tuple(size for axis, size in enumerate(Z.shape[:-1]) if axis != pair_axis)
    if net.activation not in KINKED_ACTIVATIONS:
        return np.zeros(shape, dtype=np.int64)
    positive = np.greater(Z, 0, out=net.buffers("positive", Z.shape, bool))
    plus, minus = (positive[(slice(None),) * pair_axis + (side,)] for side in (0, 1))
    changed = np.not_equal(plus, minus, out=net.buffers("changed", plus.shape, bool))
    if not changed.any():  # the usual case, and much cheaper than counting
        return np.zeros(shape, dtype=np.int64)
    return changed.sum(axis=-1)


def _costs_along(
    net: _Network,
    layout: Layout,
    theta: np.ndarray,
    d_theta: np.ndarray,
    count: int,
    vectors: Callable[[np.ndarray], np.ndarray],
    epsilon: float,
    masks_for: Callable[[int], Masks],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """J(θ + ε·v), J(θ − ε·v), kink crossings and dθ·v for ``count`` vectors v.

    Each chunk of vectors is written by ``vectors`` into a (c, P) array it returns, and its 2c
    networks, θ + ε·v first, run through the forward pass together, each with its own
    parameters; ``masks_for(2c)`` gives their dropout masks (the fixed ones, or fresh ones
    per evaluation, (2c, n[l], m)).
    """
    m = net.X.shape[1]
    W1, b1 = net.parameters["W1"], net.parameters["b1"]
    Z1 = W1 @ net.X + b1
    units = sum(net.parameters[f"b{l}"].shape[0] for l in range(1, net.L + 1))
    # v, ε·v and θ ± ε·v (4P numbers), and Z, A and their sides 0 < Z of every layer of
    # both networks of a vector (about 6 per unit and example)
    vector_bytes = (4 * layout.size + 6 * units * m) * net.X.itemsize
    J_plus, J_minus, crossings, analytic = [], [], [], []
    for part in _chunks(np.arange(count), vector_bytes):
        c = len(part)
        V = vectors(net.buffers("V", (c, layout.size), theta.dtype))
        step = np.multiply(V, epsilon, out=net.buffers("step", V.shape, V.dtype))
        # Z[1] = W[1] X + b[1] is linear in W[1] and b[1]: Z[1](θ ± ε·v) = Z[1] ± ΔZ[1],
        # one (c·n[1], n[0]) @ (n[0], m) product for the chunk
        W1_step = step[:, layout["W1"].start : layout["W1"].stop].reshape(-1, W1.shape[1])
        dZ1 = net.buffers("dZ1", (c, *Z1.shape), Z1.dtype)
        np.matmul(W1_step, net.X, out=dZ1.reshape(-1, m))
        dZ1 += step[:, layout["b1"].start : layout["b1"].stop, None]
        Z = net.buffers("Z1", (2 * c, *Z1.shape), Z1.dtype)
        np.add(Z1, dZ1, out=Z[:c])
        np.subtract(Z1, dZ1, out=Z[c:])
        masks = masks_for(2 * c)
        crossed = np.zeros(c, dtype=np.int64)
        for l in range(1, net.L):
            crossed += _crossings(net, Z.reshape(2, c, -1), pair_axis=0)
            A = hidden_activation(Z, net.activation, net.keep_prob, masks[l] if masks else None)
            # Z[l+1] = (W[l+1] ± ε·v_W) A[l] + (b[l+1] ± ε·v_b): each network its own W
            W, b = (_nudged(net, layout, theta, step, f"{kind}{l + 1}") for kind in "Wb")
            Z = net.buffers(f"Z{l + 1}", (2 * c, W.shape[1], m), Z1.dtype)
            np.matmul(W, A, out=Z)
            Z += b
        J = cross_entropy(Z[:, 0, :], net.Y)
        if net.lambd:  # Σ‖W ± ε·v_W‖² = Σ‖W‖² ± 2 W·(ε·v_W) + ‖ε·v_W‖²
            is_W = np.concatenate(
                [np.full(block.size, block.name[0] == "W") for block in layout.blocks]
            )
            cross = 2 * (step[:, is_W] @ theta[is_W])
            squares = _sum_of_squares(net.parameters) + np.square(step[:, is_W]).sum(axis=1)
            J = J + net.lambd / (2 * m) * np.concatenate([squares + cross, squares - cross])
        J_plus.append(J[:c])
        J_minus.append(J[c:])
        crossings.append(crossed)
        analytic.append(V.astype(np.float64, copy=False) @ d_theta)
    return tuple(np.concatenate(values) for values in (J_plus, J_minus, crossings, analytic))


def _nudged(
    net: _Network, layout: Layout, theta: np.ndarray, step: np.ndarray, name: str
) -> np.ndarray:
    # the block ``name`` of θ + ε·v for each of the c vectors, then of θ − ε·v: (2c, *shape)
    block = layout[name]
    c = len(step)
    nudged = net.buffers(name, (2, c, block.size), theta.dtype)
    np.add(theta[block.start : block.stop], step[:, block.start : block.stop], out=nudged[0])
    np.subtract(theta[block.start : block.stop], step[:, block.start : block.stop], out=nudged[1])
    return nudged.reshape(2 * c, *block.shape)


def _fresh_mask_difference(
    net: _Network,
    layout: Layout,
    theta: np.ndarray,
    d_theta: np.ndarray,
    sample: np.ndarray,
    epsilon: float,
    dims: list[int],
    rng: np.random.Generator,
) -> float:
    """The difference on coordinates ``sample`` when every evaluation draws a new mask."""
    done = 0

    def unit_vectors(E: np.ndarray) -> np.ndarray:
        nonlocal done
        E[...] = 0
        E[np.arange(len(E)), sample[done : done + len(E)]] = 1
        done += len(E)
        return E

    def fresh_masks(count: int) -> Masks:
        drawn = [dropout_masks(dims, net.X.shape[1], net.keep_prob, rng) for _ in range(count)]
        return {l: np.stack([masks[l] for masks in drawn]) for l in drawn[0]}

    J_plus, J_minus, _, analytic = _costs_along(
        net, layout, theta, d_theta, len(sample), unit_vectors, epsilon, fresh_masks
    )
    return relative_difference((J_plus.astype(np.float64) - J_minus) / (2 * epsilon), analytic)


def _sum_of_squares(parameters: Mapping[str, np.ndarray], axis=None):
    # Σₗ ‖W[l]‖²_F, the L2 term's sum (per network when the W carry a batch axis)
    L = len(parameters) // 2
    return sum(np.square(parameters[f"W{l}"]).sum(axis=axis) for l in range(1, L + 1))


def _chunks(items: np.ndarray, item_bytes: int) -> list[np.ndarray]:
    """``items`` split into runs whose working memory stays within _CHUNK_BYTES."""
    per_chunk = max(1, _CHUNK_BYTES // item_bytes)
    return [items[start : start + per_chunk] for start in range(0, len(items), per_chunk)]


def _random_directions(V: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """V, (count, P), filled with random unit vectors: each coordinate ±1/√P with even
    odds, one random bit each, drawn a vector at a time so that batching never changes them."""
    coordinate = V.dtype.type(1 / np.sqrt(V.shape[1]))
    for v in V:
        bits = np.unpackbits(rng.integers(0, 256, -(-len(v) // 8), np.uint8), count=len(v))
        np.multiply(bits, 2 * coordinate, out=v)
        v -= coordinate
    return V


def _sample(layout: Layout, k: int, rng: np.random.Generator) -> np.ndarray:
    """k random coordinates of every block (all of a block with k or fewer), sorted."""
    return np.concatenate(
        [
            block.start + np.sort(rng.choice(block.size, min(k, block.size), replace=False))
            for block in layout.blocks
        ]
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
