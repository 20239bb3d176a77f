"""Gradient checking: is backpropagation's dθ really the gradient of J?

Flatten W[1], b[1], …, W[L], b[L] into one vector θ and dW[1], db[1], … into dθ in the
same order. For every coordinate i the two-sided difference

    dθ_approx[i] = (J(θ + ε·eᵢ) − J(θ − ε·eᵢ)) / 2ε

is within O(ε²) of ∂J/∂θᵢ, and the whole check is one number,

    difference = ‖dθ_approx − dθ‖₂ / (‖dθ_approx‖₂ + ‖dθ‖₂)     (0 when both norms are 0),

read against the lecture's three bands, stated once in ``VERDICT_BANDS``.

``gradient_check`` runs this loop for any cost J(θ); ``check_network`` for the network of
``core.network``, J(θ) a closure over its forward pass, with what the lecture warns about:
a difference per block (W1, b1, …) to find the bug, planted bugs, a fixed dropout mask.
Beside it: ``gradient_check_result`` (what a check returns, with warnings about ReLU kinks
and float32), ``gradient_check_directions`` (the components checked),
``gradient_check_fast`` (the loop's numbers, sooner), ``epsilon_sweep`` (the check over
a grid of ε), ``round_off`` and ``round_off_verdicts`` (the difference round-off alone
makes), ``gradient_check_component`` (one line of the loop taken apart) and
``notebook_case`` (the course notebook's case).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Literal, NamedTuple, get_args

import numpy as np

from core import gradient_check_fast as fast
from core._checks import (
    as_matrix,
    epsilon_value,
    float_dtype_of,
    point_and_gradient,
    positive_float,
    positive_int,
    scalar_cost,
)
from core.activations import KINKED_ACTIVATIONS
from core.gradient_check_directions import random_directions, sample_coordinates, unit_vectors
from core.gradient_check_result import (
    Component,
    GradientCheckResult,
    KinkReport,
    Mode,
    Verdict,
    network_warnings,
    precision_warnings,
)
from core.network import (
    COST_FORMS,
    CostForm,
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
from core.round_off import ROUND_OFF_REACH, cost_round_off, round_off_floor

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
"""ε for the two-sided differences. In float64 the round-off in J(θ ± ε), divided by 2ε,
grows like 1/ε: at the course's 1e-7 a correct network's difference sits within 3x of the
"great" edge (measured in benchmarks/README.md, "Choosing ε")."""

COURSE_EPSILON = 1e-7
"""The course's ε, on the round-off side in float64."""

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
    approx_norm = float(np.linalg.norm(d_theta_approx))
    analytic_norm = float(np.linalg.norm(d_theta))
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


def judged(difference: float, floor: float) -> Verdict:
    """The band of the difference, or "inconclusive" when it is not great and round-off alone
    (``ROUND_OFF_REACH`` times the floor, ``core.round_off``) could make it."""
    verdict = verdict_for(difference)
    if verdict != "great" and difference <= ROUND_OFF_REACH * floor:
        return "inconclusive"
    return verdict


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
    epsilon = epsilon_value(epsilon)
    theta, d_theta = point_and_gradient(theta, d_theta, None if layout is None else layout.size)
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
        J_plus = scalar_cost(cost(seen), f"θ + ε at {name(i)}")
        flat[i] = original - epsilon
        J_minus = scalar_cost(cost(seen), f"θ − ε at {name(i)}")
        flat[i] = original
        approx[i] = (J_plus - J_minus) / (2 * epsilon)
        largest_cost = max(largest_cost, abs(J_plus), abs(J_minus))
    analytic = d_theta.reshape(-1).astype(np.float64)
    return _result(
        approx, analytic, name, np.arange(theta.size), layout, start=start, epsilon=epsilon,
        mode="full", warnings=precision_warnings(theta.dtype, largest_cost, analytic, epsilon),
        round_off_floor=round_off_floor(theta.dtype, largest_cost, analytic, epsilon),
    )  # fmt: skip


# ----------------------------------------------------------------------------- the network


class Prepared(NamedTuple):
    """A check's inputs in its float dtype, θ flattened, and the dropout mask it keeps."""

    params: dict[str, np.ndarray]
    X: np.ndarray
    Y: np.ndarray
    theta: np.ndarray
    layout: Layout
    masks: list[np.ndarray] | None  # one mask per layer, or None without dropout


def prepared(
    parameters: Mapping[str, np.ndarray], X, Y, keep_prob: float, rng: np.random.Generator
) -> Prepared:
    """The parameters, X and Y in the parameters' float dtype (read only from here on, so
    arrays already in it are not copied), θ and its layout, and one dropout mask drawn
    from ``rng`` when keep_prob < 1: what ``check_network`` and ``check_component`` share."""
    dtype = float_dtype_of(parameters)
    params = {
        key: as_matrix(value, key).astype(dtype, copy=False) for key, value in parameters.items()
    }
    X = as_matrix(X, "X").astype(dtype, copy=False)
    Y = as_matrix(Y, "Y").astype(dtype, copy=False)
    theta, layout = parameters_to_vector(params)
    dims = layer_dims_of(params)
    masks = dropout_masks(dims, X.shape[1], keep_prob, rng) if keep_prob != 1 else None
    return Prepared(params, X, Y, theta, layout, masks)


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
    cost: CostForm = "stable",
) -> GradientCheckResult:
    """Check backpropagation of the network in ``core.network`` at these parameters.

    dθ comes from ``cost_and_gradients`` (with the planted ``bug``, if any, from
    ``core.network.PLANTED_BUGS``); dθ_approx from J alone, two evaluations per checked
    component. ``mode`` chooses the components:

    * "full": every coordinate, 2·P evaluations of J (P = θ.size ≤ MAX_FULL_PARAMETERS);
    * "sample": k random coordinates of every block (all of a block with k or fewer);
    * "directions": k random unit directions u, comparing (J(θ+εu) − J(θ−εu))/2ε with
      dθ·u: whether dθ is wrong, not where (``per_block`` is empty).

    With keep_prob < 1 one dropout mask, drawn from ``rng``, is kept for every evaluation
    so that J is one function; ``fresh_mask_difference`` is the check of k coordinates per
    block with a new mask per evaluation, as in training, which fails even for correct
    code (``fresh_mask=False`` skips it, which saves more than the check's own time in wide
    networks). For ReLU-like activations ``kinks`` lists the components whose θ ± ε
    networks put a hidden Z on different sides of 0. float32 parameters are checked in
    float32, with a warning. ``method="loop"`` runs the course's loop, two whole forward
    passes per component; "fast" (``core.gradient_check_fast``) is the same, sooner.
    ``cost`` is how J is computed (``core.network.CostForm``): "notebook" reproduces the
    course notebook's numbers, whose log(1 − σ(z)) round-off is larger. The verdict is
    "inconclusive" where round-off in J alone could make the difference (``judged``).

    X is (n[0], m), Y (1, m) with labels 0/1; ``rng`` (default: seeded with 0, so the check
    is repeatable) draws masks, samples and directions. Nothing passed in is changed.
    """
    start = time.perf_counter()
    epsilon = epsilon_value(epsilon)
    if mode not in MODES:
        raise ValueError(f"Unknown mode {mode!r}; choose one of {', '.join(MODES)}.")
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}; choose one of {', '.join(METHODS)}.")
    if cost not in COST_FORMS:
        raise ValueError(f"Unknown cost {cost!r}; choose one of {', '.join(COST_FORMS)}.")
    k = positive_int(k, "k", maximum=MAX_K)
    positive_float(keep_prob, "keep_prob")
    number_of_layers(parameters)
    rng = np.random.default_rng(0) if rng is None else rng
    params, X, Y, theta, layout, masks = prepared(parameters, X, Y, keep_prob, rng)
    dtype, dims = theta.dtype, layer_dims_of(params)
    if mode == "full":
        _check_full_size(layout.size)

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
        J = cross_entropy_cost(cache.Z[-1], Y, nudged, lambd, cost)
        return J, [Z > 0 for Z in cache.Z[1:-1]]

    net = fast.Network(params, X, Y, activation, float(lambd), float(keep_prob), cost)

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
        costs = along(random_directions(k, layout.size, dtype, rng), k)
    else:
        indices = np.arange(layout.size) if mode == "full" else sample_coordinates(layout, k, rng)
        if method == "fast":  # a row of one layer at a time, cheaper than any direction
            costs = fast.coordinate_costs(net, masks, layout, indices, d_theta, epsilon)
        else:
            costs = along(unit_vectors(indices, layout.size, dtype), len(indices))

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
        sample = sample_coordinates(layout, k, rng)
        fresh = along(
            unit_vectors(sample, layout.size, dtype),
            len(sample),
            lambda: dropout_masks(dims, X.shape[1], keep_prob, rng),
        )
        fresh_mask_difference = relative_difference(
            _two_sided_differences(fresh, epsilon), fresh.analytic
        )
    warnings = precision_warnings(dtype, abs(claimed.cost), d_theta, epsilon)
    warnings += network_warnings(kinks, len(approx), fresh_mask_difference)
    scale = cost_round_off(claimed.cost, claimed.A_L, Y, cost)
    return _result(
        approx, analytic, name, indices, layout, crossed, start=start, epsilon=epsilon,
        mode=mode, backward_seconds=backward_seconds, kinks=kinks,
        fresh_mask_difference=fresh_mask_difference, warnings=warnings,
        round_off_floor=round_off_floor(dtype, scale, analytic, epsilon),
    )  # fmt: skip


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


def _result(
    approx: np.ndarray,
    analytic: np.ndarray,
    name: Callable[[int], str],
    indices: np.ndarray | None,
    layout: Layout | None,
    kinked: np.ndarray | None = None,
    *,
    start: float,
    **fields,
) -> GradientCheckResult:
    # the difference, overall and per block, its verdict and the worst components; the
    # other fields of the result come in ``fields``
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
    difference = relative_difference(approx, analytic)
    return GradientCheckResult(
        difference=difference,
        verdict=judged(difference, fields["round_off_floor"]),
        per_block=per_block,
        worst=tuple(Component(name(i), float(approx[i]), float(analytic[i])) for i in order),
        evaluations=2 * len(approx),
        approx=approx,
        analytic=analytic,
        indices=indices,
        seconds=time.perf_counter() - start,
        **fields,
    )


def _check_full_size(size: int) -> None:
    if size > MAX_FULL_PARAMETERS:
        raise ValueError(
            f"A full check of {size:,} parameters needs {2 * size:,} cost evaluations; the "
            f"limit is {MAX_FULL_PARAMETERS:,} parameters. Use mode='sample' or "
            "mode='directions'."
        )
