"""Signal propagation through depth: why deep networks explode or vanish.

Two experiments, with the theory that predicts them.

**The lecture's deep linear network** (``deep_linear_signal``). Layers l = 1 … L−1
have W[l] = a·I, b[l] = 0 and the linear activation, and the output layer W[L]
reads out one unit with weight 1, so

    A[l] = a^l · x  (l = 0 … L−1)   and   ŷ = A[L−1] = a^(L−1) · x.

a = 1.5 at L = 10 gives ŷ = 1.5⁹ ≈ 38.4; a = 0.5 gives 0.5⁹ ≈ 1.95e-3. The
magnitudes are computed as logarithms, so they stay finite at any depth, and the
result says at which layer float32 and float64 give out.

**Random networks** (``simulate_random_network``). L layers of width n, W[l] drawn
by ``core.initialization``, b[l] = 0, one activation g throughout. Mean-field theory
follows the variance q[l] = Var(Z[l]) forward and the gradient variance backward:

    q[l]         = σ_w² · E[g(z)²],    z ~ N(0, q[l−1])    (q[1] = σ_w², as E[X²] = 1)
    Var(dA[l−1]) = χ[l] · Var(dA[l]),  χ[l] = σ_w² · E[g′(z)²],  z ~ N(0, q[l])

with σ_w² = n · Var(W[l]) (1 for Xavier, 2 for He). For linear, ReLU and leaky ReLU
(negative slope s) E[g(z)²] = q(1 + s²)/2 and E[g′(z)²] = (1 + s²)/2; for tanh and
sigmoid the expectations are integrals (``_gaussian_mean``).

Edge of chaos: χ = 1 keeps gradients at one scale through depth. ReLU has χ = σ_w²/2,
so He's σ_w² = 2 is critical at every q; tanh has χ = σ_w² · E[tanh′(z)²] → σ_w² as
q → 0, so with zero biases it is critical at σ_w² = 1, the course's Xavier.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

import numpy as np

from core._checks import positive_int
from core.activations import (
    LEAKY_RELU_SLOPE,
    Activation,
    activate,
    activation_derivative,
    check_activation,
)
from core.initialization import (
    DTYPES,
    Distribution,
    Dtype,
    Method,
    check_distribution,
    check_dtype,
    init_std,
    initialize_layer,
)

MAX_IDENTITY_SCALE = 100.0
"""Largest a accepted by ``deep_linear_signal``."""
MAX_LINEAR_DEPTH = 10_000
"""Largest L accepted by ``deep_linear_signal`` (float64 gives out by L ≈ 1,752 at a = 1.5)."""
MAX_SIMULATED_DEPTH = 200
MAX_SIMULATED_WIDTH = 512
MAX_BATCH = 1024
"""Bounds on depth, width and m for ``simulate_random_network``, which costs ~L·n²·m."""
KEPT_ACTIVATIONS_BYTES = 64 * 2**20
"""``simulate_random_network`` keeps every A[l] for the backward pass when they fit in
this many bytes (L = 200, n = 512, m = 64 in float64 take 51 MiB), else only every
~√L-th and recomputes the layers in between."""
HISTOGRAM_BINS = 41
"""Bins of the per-layer activation histograms; odd, so 0 sits in the middle of one."""
SCALE_TOLERANCE = 2.0
"""A signal "keeps its scale" through depth while its last layer is within this factor of
its first (``depth_trend``); both pages judge by this one rule."""

# Histogram ranges: the range of g for bounded activations, ±4 (a few standard
# deviations of a well-initialized layer) for the unbounded ones.
_HISTOGRAM_RANGE = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}
_UNBOUNDED_RANGE = (-4.0, 4.0)

# Piecewise-linear activations: g(z) = z for z > 0 and s·z below.
_NEGATIVE_SIDE_SLOPE = {"linear": 1.0, "relu": 0.0, "leaky_relu": LEAKY_RELU_SLOPE}

_SINH_STEP = 0.05  # step of the trapezoid rule in t, where z = c·sinh(t)
_GAUSSIAN_REACH = 12.0  # integrate out to 12 standard deviations (tail mass ~e^−72)


# ------------------------------------------------------------------- deep linear network


@dataclass(frozen=True)
class FloatLimits:
    """The first layer l at which |A[l]| leaves what a float type can hold (None: never).

    overflow_layer: |A[l]| passes the largest finite number and rounds to inf.
    subnormal_layer: |A[l]| falls below the smallest normal number, 2^minexp:
        from here on the value keeps fewer significant bits (gradual underflow).
    underflow_layer: |A[l]| ≤ half the smallest subnormal number, so it rounds to 0.
    """

    dtype: str
    overflow_layer: int | None
    subnormal_layer: int | None
    underflow_layer: int | None


@dataclass(frozen=True)
class DeepLinearSignal:
    """|A[l]| = a^l · x for l = 0 … L−1 in the deep linear network, as log10 magnitudes.

    log10_A has shape (L,); ``limits["float32"]`` and ``limits["float64"]`` say where
    the exactly rounded a^l · x would overflow or underflow. (Multiplying by a one
    layer at a time agrees for overflow; in the subnormal range each product is
    rounded to few bits, e.g. float32 ·0.9 stalls at the smallest subnormal.)
    """

    a: float
    L: int
    x: float
    log10_A: np.ndarray
    limits: dict[str, FloatLimits]

    @property
    def layers(self) -> np.ndarray:
        """l = 0 … L−1, shape (L,)."""
        return np.arange(self.L)

    @property
    def log10_y_hat(self) -> float:
        """log10 ŷ = (L−1) · log10 a + log10 x."""
        return float(self.log10_A[-1])

    @property
    def verdict(self) -> Verdict:
        """The one rule (``scale_verdict``) on ŷ / x = a^(L−1): "keeps" while within
        ``SCALE_TOLERANCE`` either way, else "vanishes" or "explodes"."""
        return scale_verdict((self.log10_A[-1] - self.log10_A[0]) * math.log(10.0))


def deep_linear_signal(a: float, L: int, x: float = 1.0) -> DeepLinearSignal:
    """Magnitudes |A[l]| = a^l · x through the lecture's deep linear network W[l] = a·I.

    0 < a ≤ ``MAX_IDENTITY_SCALE``, 1 ≤ L ≤ ``MAX_LINEAR_DEPTH``, x > 0.
    """
    a = _finite_in(a, "a (the diagonal of W[l] = a·I)", 0.0, MAX_IDENTITY_SCALE, open_low=True)
    L = positive_int(L, "L (the number of layers)", maximum=MAX_LINEAR_DEPTH)
    x = _finite_in(x, "x (the input)", 0.0, math.inf, open_low=True)
    # log2 keeps powers of two exact, so 0.5^l meets the float thresholds (also powers
    # of two) without rounding.
    log2_A = np.arange(L) * math.log2(a) + math.log2(x)
    return DeepLinearSignal(
        a=a,
        L=L,
        x=x,
        log10_A=log2_A * math.log10(2.0),
        limits={dtype: _float_limits(dtype, log2_A) for dtype in DTYPES},
    )


def _float_limits(dtype: str, log2_A: np.ndarray) -> FloatLimits:
    info = np.finfo(dtype)
    layers = np.arange(len(log2_A))
    # Round to nearest, ties to even: from the largest number plus half a unit in the
    # last place, 2^maxexp·(1 − 2^−(nmant+2)), values round to inf; from half the
    # smallest subnormal down, to 0.
    log2_inf = info.maxexp + math.log1p(-(2.0 ** -(info.nmant + 2))) / math.log(2.0)
    return FloatLimits(
        dtype=dtype,
        overflow_layer=_first_layer(log2_A >= log2_inf, layers),
        subnormal_layer=_first_layer(log2_A < info.minexp, layers),
        underflow_layer=_first_layer(log2_A <= math.log2(info.smallest_subnormal) - 1, layers),
    )


def _first_layer(crossed: np.ndarray, layers: np.ndarray, *, from_end: bool = False) -> int | None:
    """The first (or, from_end, the last) layer where crossed is True; None if nowhere."""
    hits = layers[crossed]
    if not hits.size:
        return None
    return int(hits[-1] if from_end else hits[0])


# ------------------------------------------------------------------- mean-field theory


def preactivation_variance(activation: Activation, sigma_w2: float, q: float) -> float:
    """q[l] = σ_w² · E[g(z)²] with z ~ N(0, q[l−1]): the variance of Z[l] from that of Z[l−1].

    sigma_w2 is σ_w² = n[l−1] · Var(W[l]); q ≥ 0 is q[l−1].
    """
    check_activation(activation)
    sigma_w2 = _finite_in(sigma_w2, "sigma_w2 (n[l−1]·Var(W))", 0.0, math.inf)
    q = _finite_in(q, "q (the variance of Z)", 0.0, math.inf)
    return sigma_w2 * math.exp(_log_mean_square(activation, _log(q), derivative=False))


def gradient_variance_gain(activation: Activation, sigma_w2: float, q: float = 1.0) -> float:
    """χ = σ_w² · E[g′(z)²] with z ~ N(0, q): the factor Var(dA[l−1]) / Var(dA[l]).

    sigma_w2 is σ_w² = n[l] · Var(W[l]) (fan-out, as the gradient flows through W[l]ᵀ);
    q ≥ 0 is Var(Z[l]). χ > 1 explodes, χ < 1 vanishes, χ = 1 is the edge of chaos.
    """
    check_activation(activation)
    sigma_w2 = _finite_in(sigma_w2, "sigma_w2 (n[l]·Var(W))", 0.0, math.inf)
    q = _finite_in(q, "q (the variance of Z)", 0.0, math.inf)
    return sigma_w2 * math.exp(_log_mean_square(activation, _log(q), derivative=True))


def _log_mean_square(activation: str, log_q: float, *, derivative: bool) -> float:
    """log E[h(z)²] for z ~ N(0, e^log_q), where h is g′ if derivative else g.

    In log space because q[l] of an exploding ReLU network passes float64's range.
    """
    if activation in _NEGATIVE_SIDE_SLOPE:
        s = _NEGATIVE_SIDE_SLOPE[activation]
        # Each half of N(0, q) holds q/2 of E[z²]; the negative half is scaled by s².
        log_half_sum = math.log((1.0 + s * s) / 2.0)
        return log_half_sum if derivative else log_half_sum + log_q
    h = activation_derivative if derivative else activate
    return _log(_gaussian_mean(lambda z: h(z, activation) ** 2, math.exp(log_q)))


def _gaussian_mean(f: Callable[[np.ndarray], np.ndarray], q: float) -> float:
    """E[f(z)] for z ~ N(0, q), by the trapezoid rule after substituting z = c·sinh(t).

    Gauss–Hermite nodes are too sparse near 0 once √q ≫ 1, where g′ of tanh and
    sigmoid is a spike of width ~1 (at q = 512, 61 nodes overestimate E[tanh′(z)²]
    sixfold). With c = min(√q, 1) the nodes are c·0.05 apart near 0, resolving both g
    and the Gaussian, and spread out geometrically to 12 standard deviations.
    """
    if q == 0.0:
        return float(f(np.zeros(1))[0])
    sd = math.sqrt(q)
    c = min(sd, 1.0)
    T = math.asinh(_GAUSSIAN_REACH * sd / c)
    t = np.linspace(-T, T, 2 * math.ceil(T / _SINH_STEP) + 1)
    z = c * np.sinh(t)
    density = np.exp(-0.5 * (z / sd) ** 2) / (sd * math.sqrt(2.0 * math.pi))
    # The end terms are ~e^−72, so the plain sum is the trapezoid rule.
    return float(np.sum(f(z) * density * c * np.cosh(t)) * (t[1] - t[0]))


def _exp(value: float) -> float:
    # e^value, inf past float64's range instead of an OverflowError
    return math.exp(value) if value < 709.0 else math.inf


def _log(value: float) -> float:
    return math.log(value) if value > 0 else -math.inf


def _theory_rms(activation: str, sigma_w2: float, depth: int) -> tuple[np.ndarray, np.ndarray]:
    """(√q[l], √Var(dA[l])) for l = 1 … L from the mean-field recursions, each (L,)."""
    log_sigma_w2 = _log(sigma_w2)
    log_q = np.empty(depth)
    log_q[0] = log_sigma_w2  # E[X²] = 1 for X ~ N(0, 1)
    for i in range(1, depth):
        log_q[i] = log_sigma_w2 + _log_mean_square(activation, log_q[i - 1], derivative=False)
    log_v = np.empty(depth)
    log_v[-1] = 0.0  # dA[L] ~ N(0, 1)
    for i in range(depth - 1, 0, -1):
        log_v[i - 1] = (
            log_v[i] + log_sigma_w2 + _log_mean_square(activation, log_q[i], derivative=True)
        )
    return np.exp(log_q / 2), np.exp(log_v / 2)


# ------------------------------------------------------------------- the rule


Verdict = Literal["keeps", "vanishes", "explodes"]


def scale_verdict(log_ratio: float, tolerance: float = SCALE_TOLERANCE) -> Verdict:
    """The one rule for a signal's change through depth, from log(last / first):
    "keeps" while |log ratio| ≤ log(tolerance), else "vanishes" (< 0) or "explodes".

    In logs, because the ratio of an exploding network passes float64's range.
    """
    if abs(log_ratio) <= math.log(tolerance):
        return "keeps"
    return "vanishes" if log_ratio < 0 else "explodes"


@dataclass(frozen=True)
class DepthTrend:
    """How a per-layer magnitude changed on its way through the layers (``depth_trend``).

    first, middle, last: the magnitude where the signal enters, halfway and where it
    leaves (forward: layers 1, ⌈L/2⌉, L; backward: L, …, 1). steps: layers between
    first and last (L − 1).
    verdict: "keeps" while last/first is within ``SCALE_TOLERANCE`` either way, else
        "vanishes" or "explodes".
    per_layer: the average factor per layer, (last/first)^(1/steps).
    extrapolated: where the first half's factor per layer, held steady, would have
        taken the signal by the last layer: what an exponential decay or growth gives.
    exponential: both halves change at one rate per layer, within a factor of
        ``SCALE_TOLERANCE`` (None below 4 layers, too few to tell). False means the
        change slows down or speeds up: tanh with the course's Xavier fades like a power
        of l, not exponentially, and ``extrapolated`` then misses ``last`` far.
    """

    first: float
    middle: float
    last: float
    steps: int
    verdict: Verdict
    per_layer: float
    extrapolated: float
    exponential: bool | None

    @property
    def ratio(self) -> float:
        """last / first (inf past float64's range)."""
        return _exp(math.log(self.last) - math.log(self.first))


def depth_trend(values: np.ndarray, tolerance: float = SCALE_TOLERANCE) -> DepthTrend:
    """The one rule for "keeps its scale / vanishes / explodes", for magnitudes (> 0,
    finite) listed in the order the signal travels: Z_rms forward, dA_rms[::-1] backward.

    Keeps while 1/tolerance ≤ last/first ≤ tolerance, over any depth. Exponential when
    the log-change per layer of the second half is within a factor ``tolerance`` of the
    first half's (the same sign, and a steady rate, as aˡ has).
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or len(values) < 2:
        raise ValueError(f"values must list at least 2 layers; got shape {values.shape}.")
    if not (np.all(np.isfinite(values)) and np.all(values > 0)):
        raise ValueError("values must be finite and positive; report overflow or 0 first.")
    tolerance = _finite_in(tolerance, "tolerance", 1.0, math.inf, open_low=True)
    first, last, steps = float(values[0]), float(values[-1]), len(values) - 1
    half = max(steps // 2, 1)  # the middle layer, in steps from the first
    middle = float(values[half])
    # In logs: the ratios of an exploding network pass float64's range.
    log_ratio, log_tolerance = math.log(last) - math.log(first), math.log(tolerance)
    verdict = scale_verdict(log_ratio, tolerance)
    # log-change per layer in each half; first · (middle/first)^(steps/half) holds the
    # first half's rate to the last layer
    early = (math.log(middle) - math.log(first)) / half
    late = (math.log(last) - math.log(middle)) / (steps - half) if steps > half else early
    log_extrapolated = math.log(first) + early * steps
    steady = early * late > 0 and abs(math.log(late / early)) <= log_tolerance
    return DepthTrend(
        first=first,
        middle=middle,
        last=last,
        steps=steps,
        verdict=verdict,
        per_layer=math.exp(log_ratio / steps),
        extrapolated=_exp(log_extrapolated),
        exponential=None if steps < 3 else steady,
    )


# ------------------------------------------------------------------- random networks


@dataclass(frozen=True)
class RandomNetworkSignals:
    """Per-layer statistics of one random network, simulated beside the theory.

    Every per-layer array has shape (L,), entry l−1 for layer l = 1 … L; statistics
    are taken over all n·m entries of the layer and computed in float64.

    sigma_w2: σ_w² = n · Var(W[l]), the same for every layer (a float).
    X_rms: √mean(X²) of the input batch (≈ 1, as X ~ N(0, 1)).
    Z_rms, Z_rms_theory: √mean(Z[l]²) simulated, and √q[l] from the recursion.
    A_mean, A_std: mean and standard deviation of A[l] = g(Z[l]).
    saturated_fraction: share of A[l] in the flat part of g, where g′ ≈ 0 lets little
        gradient through: |A| > 0.99 for tanh, A outside [0.01, 0.99] for sigmoid,
        A ≤ 0 for ReLU (dead units) and leaky ReLU (slope a), never for linear.
    A_histogram: (L, HISTOGRAM_BINS) share of A[l] per bin of ``bin_edges``
        (HISTOGRAM_BINS + 1,), the same for every layer; values beyond the edges are
        counted in the end bins, NaN in none.
    dA_rms, dA_rms_theory: √mean(dA[l]²) simulated and from the backward recursion.
    dW_norm: ‖dW[l]‖_F with dW[l] = dZ[l] A[l−1]ᵀ / m, computed without forming dW[l];
        inf where it passes the largest number of the dtype.
    forward_nonfinite_layer: first l whose Z[l] holds inf or NaN.
    forward_zero_layer: first l whose Z[l] is exactly 0 everywhere (the signal is gone).
    backward_nonfinite_layer: first l, counting back from L, whose dA[l] holds inf or
        NaN or whose ‖dW[l]‖_F is not finite.
    backward_zero_layer: first l, counting back from L, whose dA[l] is exactly 0.
    Each of these four is None when it never happens.
    Theory values past float64's range are inf.
    """

    depth: int
    width: int
    activation: str
    method: str
    scale: float
    dtype: str
    distribution: str
    sigma_w2: float
    X_rms: float
    Z_rms: np.ndarray
    Z_rms_theory: np.ndarray
    A_mean: np.ndarray
    A_std: np.ndarray
    saturated_fraction: np.ndarray
    A_histogram: np.ndarray
    bin_edges: np.ndarray
    dA_rms: np.ndarray
    dA_rms_theory: np.ndarray
    dW_norm: np.ndarray
    forward_nonfinite_layer: int | None
    forward_zero_layer: int | None
    backward_nonfinite_layer: int | None
    backward_zero_layer: int | None

    @property
    def layers(self) -> np.ndarray:
        """l = 1 … L, shape (L,)."""
        return np.arange(1, self.depth + 1)

    @property
    def reachable_bins(self) -> range:
        """The histogram bins A[l] can fall in: all, or for ReLU (A = max(0, Z) ≥ 0) those
        from the one holding 0 on."""
        bins = len(self.bin_edges) - 1
        if self.activation != "relu":
            return range(bins)
        return range(max(int(np.searchsorted(self.bin_edges, 0.0, side="right")) - 1, 0), bins)


@dataclass(frozen=True)
class _RandomNetwork:
    """A network that draws W[l] from its own seed whenever a pass needs it, so the
    backward pass can draw it again instead of keeping L matrices of n² weights."""

    width: int
    activation: str
    method: str
    scale: float
    distribution: str
    dtype: str
    seeds: np.ndarray  # (L,), one per layer

    def weights(self, l: int) -> np.ndarray:
        # Drawn in float32 whatever the dtype: drawing is the slow part, and a float32
        # and a float64 run of one seed are then the same network, so dtype changes
        # only the arithmetic.
        rng = np.random.default_rng(int(self.seeds[l - 1]))
        W, _ = initialize_layer(
            self.width,
            self.width,
            self.method,
            rng,
            self.scale,
            distribution=self.distribution,
            dtype="float32",
        )
        return W.astype(self.dtype, copy=False)

    def forward(self, l: int, A_prev: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Z[l] = W[l] A[l−1] (b[l] = 0) and A[l] = g(Z[l])."""
        Z = self.weights(l) @ A_prev
        return Z, activate(Z, self.activation)


def simulate_random_network(
    depth: int,
    width: int,
    activation: Activation,
    method: Method,
    rng: np.random.Generator,
    scale: float = 1.0,
    *,
    m: int = 64,
    dtype: Dtype = "float64",
    distribution: Distribution = "uniform",
) -> RandomNetworkSignals:
    """Push X ~ N(0, 1) of shape (n, m) through L random layers of width n, then
    back-propagate a random upstream gradient dA[L] ~ N(0, 1) of shape (n, m).

    Forward Z[l] = W[l] A[l−1] + b[l], A[l] = g(Z[l]); backward dZ[l] = dA[l] ∗ g′(Z[l]),
    dW[l] = dZ[l] A[l−1]ᵀ / m, dA[l−1] = W[l]ᵀ dZ[l]. A random dA[L] stands in for
    ∂J/∂A[L] of whatever cost comes after, so the gradients show what the layers alone
    do to a signal on its way back. W[l] comes from ``initialize_layer(n, n, method,
    ·, scale, distribution=distribution)``, drawn in float32 for either ``dtype``, which
    sets the arithmetic (float32 overflows far sooner). Overflow and NaN are reported
    in the result, never raised. The same rng seed gives the same result.

    ``distribution`` is how W[l] is drawn, with the method's σ either way. Z[l] sums
    n[l−1] products, so it is close to Gaussian for both (central limit theorem), and
    the mean-field theory depends on Var(W) only. Uniform draws are ~4× cheaper, which
    halves the time at L = 200, n = 512 (under a second); "normal" (the course's
    np.random.randn) is there for fidelity.

    Bounds: L ≤ ``MAX_SIMULATED_DEPTH``, n ≤ ``MAX_SIMULATED_WIDTH``, m ≤ ``MAX_BATCH``.
    """
    depth = positive_int(depth, "depth (L)", maximum=MAX_SIMULATED_DEPTH)
    width = positive_int(width, "width (n)", maximum=MAX_SIMULATED_WIDTH)
    m = positive_int(m, "m (the batch size)", maximum=MAX_BATCH)
    check_activation(activation)
    check_dtype(dtype)
    check_distribution(distribution)
    sigma_w2 = width * init_std(method, width, width, scale) ** 2  # also checks method, scale

    net = _RandomNetwork(
        width,
        activation,
        method,
        float(scale),
        distribution,
        dtype,
        rng.integers(2**63, size=depth),
    )
    X = rng.standard_normal((width, m)).astype(dtype)
    dA = rng.standard_normal((width, m)).astype(dtype)  # dA[L]
    low, high = _HISTOGRAM_RANGE.get(activation, _UNBOUNDED_RANGE)
    Z_rms, A_mean, A_std, saturated, dA_rms, dW_norm = (np.full(depth, np.nan) for _ in range(6))
    A_histogram = np.zeros((depth, HISTOGRAM_BINS))

    # The backward pass needs every A[l]: keep them all if they fit, else keep every
    # step-th (gradient checkpointing) and recompute the layers in between.
    fits = (depth + 1) * X.nbytes <= KEPT_ACTIVATIONS_BYTES
    step = 1 if fits else math.isqrt(depth - 1) + 1
    kept = {0: X}
    with np.errstate(all="ignore"):
        A = X
        for l in range(1, depth + 1):
            Z, A = net.forward(l, A)
            if l % step == 0 or l == depth:
                kept[l] = A
            i = l - 1
            Z_rms[i] = _rms(Z)
            A_mean[i] = np.mean(A, dtype=np.float64)
            A_std[i] = _rms(A - A_mean[i])
            saturated[i] = _saturated_fraction(A, activation)
            A_histogram[i] = _bin_shares(A, low, high)

        for start, end in reversed(list(pairwise(sorted(kept)))):
            for l in range(start + 1, end):
                kept[l] = net.forward(l, kept[l - 1])[1]
            for l in range(end, start, -1):
                A = kept.pop(l)
                # Through g: dZ[l] = dA[l] ∗ g′(Z[l]), with g′ written in terms of A[l].
                dZ = dA * _DERIVATIVE_FROM_OUTPUT[activation](A)
                dA_rms[l - 1] = _rms(dA)
                # Through W[l] A[l−1]: dW[l] = dZ[l] A[l−1]ᵀ / m, of which only the norm.
                dW_norm[l - 1] = _weight_gradient_norm(dZ, kept[l - 1])
                if l > 1:  # dA[0], the gradient of X, is not reported
                    dA = net.weights(l).T @ dZ  # through W[l] A[l−1]: dA[l−1] = W[l]ᵀ dZ[l]

        Z_rms_theory, dA_rms_theory = _theory_rms(activation, sigma_w2, depth)
    # dW[l] is not formed, so its overflow is judged by its norm.
    dW_norm[dW_norm > np.finfo(dtype).max] = np.inf

    layers = np.arange(1, depth + 1)
    return RandomNetworkSignals(
        depth=depth,
        width=width,
        activation=activation,
        method=method,
        scale=float(scale),
        dtype=dtype,
        distribution=distribution,
        sigma_w2=sigma_w2,
        X_rms=_rms(X),
        Z_rms=Z_rms,
        Z_rms_theory=Z_rms_theory,
        A_mean=A_mean,
        A_std=A_std,
        saturated_fraction=saturated,
        A_histogram=A_histogram,
        bin_edges=np.linspace(low, high, HISTOGRAM_BINS + 1),
        dA_rms=dA_rms,
        dA_rms_theory=dA_rms_theory,
        dW_norm=dW_norm,
        forward_nonfinite_layer=_first_layer(~np.isfinite(Z_rms), layers),
        forward_zero_layer=_first_layer(Z_rms == 0, layers),
        backward_nonfinite_layer=_first_layer(
            ~(np.isfinite(dA_rms) & np.isfinite(dW_norm)), layers, from_end=True
        ),
        backward_zero_layer=_first_layer(dA_rms == 0, layers, from_end=True),
    )


# g′(Z) in terms of A = g(Z), as the course writes tanh′ = 1 − A², so the backward pass
# needs only the kept A[l]. Equal to activation_derivative(Z) bit for bit (tested).
_DERIVATIVE_FROM_OUTPUT: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "linear": lambda A: np.ones_like(A),
    "relu": lambda A: (A > 0).astype(A.dtype),
    "leaky_relu": lambda A: np.where(A > 0, 1.0, LEAKY_RELU_SLOPE).astype(A.dtype),
    "tanh": lambda A: 1.0 - A**2,
    "sigmoid": lambda A: A * (1.0 - A),
}


def _weight_gradient_norm(dZ: np.ndarray, A_prev: np.ndarray) -> float:
    """‖dZ A_prevᵀ‖_F / m in float64, without forming the n[l] × n[l−1] product:

        ‖dZ Aᵀ‖_F² = Σ_ij (AᵀA)_ij (dZᵀdZ)_ij   with the m × m Gram matrices,

    2·n·m² operations instead of n²·m. Each factor is first divided by its largest
    |entry|, so the Gram matrices neither overflow nor underflow where the product
    itself would not. inf or NaN entries give inf or NaN.
    """
    m = A_prev.shape[1]
    peak_dZ, peak_A = float(np.max(np.abs(dZ))), float(np.max(np.abs(A_prev)))
    if not (0.0 < peak_dZ < math.inf and 0.0 < peak_A < math.inf):
        return peak_dZ * peak_A / m  # 0, inf or NaN, as the product would hold
    dZ_ = np.divide(dZ, peak_dZ, dtype=np.float64)
    A_ = np.divide(A_prev, peak_A, dtype=np.float64)
    squared = np.vdot(A_.T @ A_, dZ_.T @ dZ_)  # Σ (AᵀA) ∘ (dZᵀdZ)
    return math.sqrt(squared) / m * peak_dZ * peak_A


def _rms(V: np.ndarray) -> float:
    # inf and NaN pass through, so a non-finite result means V held them.
    rms = math.sqrt(np.mean(np.square(V, dtype=np.float64)))
    if math.isfinite(rms):
        return rms
    # The squares of finite float64 values past 1e154 overflow: divide by max|V| first.
    peak = float(np.max(np.abs(V)))
    if not math.isfinite(peak):
        return peak
    return peak * math.sqrt(np.mean(np.square(V / peak)))


def _bin_shares(A: np.ndarray, low: float, high: float) -> np.ndarray:
    """Share of A in each of HISTOGRAM_BINS equal bins on [low, high]; values beyond the
    edges count in the end bins, NaN in none. One bincount: np.histogram takes ~5× longer."""
    position = A - low
    position *= HISTOGRAM_BINS / (high - low)  # in bin widths from low
    np.clip(position, 0, HISTOGRAM_BINS - 1, out=position)
    if np.isnan(position).any():
        position = position[~np.isnan(position)]
    return np.bincount(position.astype(np.intp).ravel(), minlength=HISTOGRAM_BINS) / A.size


def _saturated_fraction(A: np.ndarray, activation: str) -> float:
    if activation == "linear":
        return 0.0
    if activation == "tanh":
        flat = np.abs(A) > 0.99
    elif activation == "sigmoid":
        flat = (A < 0.01) | (A > 0.99)
    else:  # relu, leaky_relu
        flat = A <= 0
    return np.count_nonzero(flat) / A.size


def _finite_in(
    value: float, name: str, low: float, high: float, *, open_low: bool = False
) -> float:
    """value as a float if low ≤ value ≤ high (low < value when open_low), else a ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number; got {value!r}.")
    value = float(value)
    above_low = value > low if open_low else value >= low
    if not (math.isfinite(value) and above_low and value <= high):
        interval = f"{'(' if open_low else '['}{low:g}, {high:g}{']' if high < math.inf else ')'}"
        raise ValueError(f"{name} must be a finite number in {interval}; got {value!r}.")
    return value
