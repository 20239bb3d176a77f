"""Weight initialization: how large to draw W[l] so that signals keep their scale.

Every method draws each weight from a normal distribution with standard deviation σ
(``std``), or a uniform one with the same σ (below), and sets the biases to zero:

    W[l] = σ[l] · N(0, 1) of shape (n[l], n[l−1]),   b[l] = 0 of shape (n[l], 1)

    method   σ[l]                             also known as
    zeros    0                                (symmetry is never broken)
    random   scale                            np.random.randn(...) * 0.01 or * 10 in the course
    xavier   scale · √(1 / n[l−1])            LeCun normal in PyTorch and Keras
    glorot   scale · √(2 / (n[l−1] + n[l]))   PyTorch xavier_normal_, Keras glorot_normal
    he       scale · √(2 / n[l−1])            PyTorch kaiming_normal_, Keras he_normal

Note:
    Naming trap: the course's "Xavier" √(1/n[l−1]) is what PyTorch and Keras call
    LeCun initialization; their "Xavier"/"Glorot" is √(2/(n[l−1] + n[l])). Both
    names are in ``METHOD_NAMES``.

    ``scale`` multiplies the standard deviation, never the variance: a variance
    multiplier v (the lecture's hyperparameter, Var(W) = v/n[l−1] for ``xavier``) is
    ``scale = √v``. ``scale`` plays the role of PyTorch's ``gain``, so
    ``xavier`` with ``scale = gain("relu") = √2`` is ``he``. ``zeros`` ignores it.

    ``distribution="uniform"`` draws W[l] ~ U(−a, a) with a = √3 · σ[l]
    (``uniform_bound``) instead: U(−a, a) has variance a²/3 = σ², so every method
    keeps its σ. These are PyTorch's xavier_uniform_ and kaiming_uniform_ (Keras's
    glorot_uniform, he_uniform, lecun_uniform) beside their *_normal twins; the default
    "normal" is the course's np.random.randn.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Literal, NamedTuple, get_args

import numpy as np

from core._checks import positive_int
from core.activations import LEAKY_RELU_SLOPE, check_activation

Method = Literal["zeros", "random", "xavier", "glorot", "he"]
METHODS: tuple[str, ...] = get_args(Method)
Distribution = Literal["normal", "uniform"]
DISTRIBUTIONS: tuple[str, ...] = get_args(Distribution)
Dtype = Literal["float32", "float64"]
DTYPES: tuple[str, ...] = get_args(Dtype)

MAX_LAYER_SIZE = 4096
"""Largest n[l] accepted, so one call cannot exhaust the memory of a shared server."""
MAX_DEPTH = 200
"""Largest L (number of weight layers) accepted by ``initialize_parameters``."""
MAX_WEIGHTS = 4096 * 4096
"""Largest total number of weights Σ n[l]·n[l−1] (128 MiB in float64)."""
MAX_SCALE = 1000.0
"""Largest ``scale`` accepted; beyond it the weights themselves approach overflow."""


class MethodNames(NamedTuple):
    """What each community calls an initialization method, and its formula."""

    course: str
    pytorch: str
    keras: str
    formula: str


METHOD_NAMES: dict[str, MethodNames] = {
    "zeros": MethodNames("zeros", "nn.init.zeros_", "Zeros", "W = 0"),
    "random": MethodNames(
        "random × scale", "nn.init.normal_(std=scale)", "RandomNormal(stddev=scale)", "σ = scale"
    ),
    "xavier": MethodNames(
        "Xavier",
        "LeCun normal: nn.init.kaiming_normal_(nonlinearity='linear')",
        "LeCun normal: lecun_normal",
        "σ = √(1 / n[l−1])",
    ),
    "glorot": MethodNames(
        "Xavier's other version (Glorot)",
        "Xavier/Glorot normal: nn.init.xavier_normal_",
        "Glorot normal: glorot_normal",
        "σ = √(2 / (n[l−1] + n[l]))",
    ),
    "he": MethodNames(
        "He",
        "Kaiming/He normal: nn.init.kaiming_normal_(nonlinearity='relu')",
        "He normal: he_normal",
        "σ = √(2 / n[l−1])",
    ),
}
"""Display names per method. Keras draws its normals truncated at 2σ, rescaled to the
same variance."""

UNIFORM_NAMES: dict[str, tuple[str, str]] = {
    "random": ("nn.init.uniform_(a=−√3·scale, b=√3·scale)", "RandomUniform(±√3·scale)"),
    "xavier": ("nn.init.kaiming_uniform_(nonlinearity='linear')", "lecun_uniform"),
    "glorot": ("nn.init.xavier_uniform_", "glorot_uniform"),
    "he": ("nn.init.kaiming_uniform_(nonlinearity='relu')", "he_uniform"),
}
"""(PyTorch, Keras) names of each method drawn from U(−√3σ, √3σ) instead of the normal
(``distribution="uniform"``): the same σ, so the same Var(W). zeros draws nothing."""

PAIRINGS = (
    "He √(2/n[l−1]) for ReLU; Xavier √(1/n[l−1]) for tanh, and Glorot "
    "√(2/(n[l−1] + n[l])) as the other version."
)
"""The lecture's rule for choosing, in words: which initialization goes with which activation."""


class Preset(NamedTuple):
    """One of the course's six choices: a method and the factor its σ is multiplied by."""

    method: Method
    scale: float

    def std_scale(self, variance_multiplier: float = 1.0) -> float:
        """The ``scale`` to pass on so that Var(W) is v times this preset's: scale · √v.

        v is the lecture's variance multiplier, a hyperparameter (v = 2 turns the
        course's Xavier into He); 0 ≤ v ≤ ``MAX_SCALE``.
        """
        v = variance_multiplier
        number = not isinstance(v, bool) and isinstance(v, (int, float, np.integer, np.floating))
        if not (number and math.isfinite(v) and 0 <= v <= MAX_SCALE):
            raise ValueError(
                f"The variance multiplier v must be a finite number between 0 and {MAX_SCALE:g}; "
                f"got {v!r}."
            )
        return _check_scale(self.scale * math.sqrt(v))


PRESETS: dict[str, Preset] = {
    "zeros": Preset("zeros", 1.0),
    "random × 0.01": Preset("random", 0.01),
    "random × 10": Preset("random", 10.0),
    "Xavier": Preset("xavier", 1.0),
    "Glorot": Preset("glorot", 1.0),
    "He": Preset("he", 1.0),
}
"""The six initializations the course compares, by the course's names (its "Xavier" is
LeCun normal elsewhere, see ``METHOD_NAMES``)."""

SYMMETRY_TOLERANCE = 1e-10
"""Units whose weights differ by no more than this count as identical copies."""


class LayerParameters(NamedTuple):
    W: np.ndarray  # (n[l], n[l−1])
    b: np.ndarray  # (n[l], 1)


def gain(activation: str, negative_slope: float = LEAKY_RELU_SLOPE) -> float:
    """The factor PyTorch's ``calculate_gain`` recommends for σ after this activation.

    linear and sigmoid 1, tanh 5/3, ReLU √2, leaky ReLU √(2 / (1 + a²)) with
    a = ``negative_slope``. For ReLU-like units it restores the variance that the
    zeroed (or shrunk) negative half removes: Var(W) = gain² / n[l−1].
    """
    check_activation(activation)
    if not math.isfinite(negative_slope):
        raise ValueError(f"negative_slope must be a finite number; got {negative_slope!r}.")
    gains = {
        "linear": 1.0,
        "sigmoid": 1.0,
        "tanh": 5.0 / 3.0,
        "relu": math.sqrt(2.0),
        "leaky_relu": math.sqrt(2.0 / (1.0 + negative_slope**2)),
    }
    return gains[activation]


def xavier_std(fan_in: int, scale: float = 1.0) -> float:
    """σ = scale · √(1 / n[l−1]): the course's Xavier (LeCun normal elsewhere)."""
    return scale * math.sqrt(1.0 / fan_in)


def glorot_std(fan_in: int, fan_out: int, scale: float = 1.0) -> float:
    """σ = scale · √(2 / (n[l−1] + n[l])): Glorot & Bengio (2010), PyTorch's xavier_normal_."""
    return scale * math.sqrt(2.0 / (fan_in + fan_out))


def he_std(fan_in: int, scale: float = 1.0) -> float:
    """σ = scale · √(2 / n[l−1]): He et al. (2015), PyTorch's kaiming_normal_ for ReLU."""
    return scale * math.sqrt(2.0 / fan_in)


def uniform_bound(std: float) -> float:
    """a = √3 · σ: U(−a, a) has variance a²/3 = σ², PyTorch's bound in kaiming_uniform_."""
    return math.sqrt(3.0) * std


def init_std(method: Method, fan_in: int, fan_out: int, scale: float = 1.0) -> float:
    """The standard deviation σ of every weight in a layer with fan_in = n[l−1] inputs
    and fan_out = n[l] units, for the given method (0 for ``zeros``)."""
    method = _check_method(method)
    fan_in = positive_int(fan_in, "fan_in (n[l−1])", maximum=MAX_LAYER_SIZE)
    fan_out = positive_int(fan_out, "fan_out (n[l])", maximum=MAX_LAYER_SIZE)
    scale = _check_scale(scale)
    stds = {
        "zeros": 0.0,
        "random": scale,
        "xavier": xavier_std(fan_in, scale),
        "glorot": glorot_std(fan_in, fan_out, scale),
        "he": he_std(fan_in, scale),
    }
    return stds[method]


def initialize_layer(
    n_prev: int,
    n: int,
    method: Method,
    rng: np.random.Generator,
    scale: float = 1.0,
    *,
    distribution: Distribution = "normal",
    dtype: Dtype = "float64",
) -> LayerParameters:
    """W = σ · N(0, 1) of shape (n, n_prev), or W ~ U(−a, a) with a = √3 · σ for
    ``distribution="uniform"``, and b = 0 of shape (n, 1), both of the given dtype.

    σ is ``init_std(method, n_prev, n, scale)``; ``zeros`` draws nothing from rng. The
    numbers are drawn in ``dtype`` itself: float32 draws are cheaper (for uniforms ~1.3×).
    """
    std = init_std(method, n_prev, n, scale)
    check_distribution(distribution)
    check_dtype(dtype)
    if method == "zeros":
        W = np.zeros((n, n_prev), dtype)
    elif distribution == "normal":
        W = rng.standard_normal((n, n_prev), dtype=dtype)
        W *= std
    else:
        a = uniform_bound(std)
        W = rng.random((n, n_prev), dtype=dtype)  # U[0, 1), then in place to U[−a, a)
        W *= 2.0 * a
        W -= a
    return LayerParameters(W, np.zeros((n, 1), dtype))


def initialize_parameters(
    layer_dims: Sequence[int],
    method: Method,
    rng: np.random.Generator,
    scale: float = 1.0,
    *,
    distribution: Distribution = "normal",
) -> dict[str, np.ndarray]:
    """{"W1", "b1", …, "WL", "bL"} for layer_dims = [n[0], n[1], …, n[L]].

    W[l] has shape (n[l], n[l−1]) and b[l] shape (n[l], 1), both float64; see the
    module docstring for each method's σ and for ``distribution``. Layers are drawn in
    order l = 1 … L, so the same rng seed gives the same weights.
    """
    dims = _check_layer_dims(layer_dims)
    parameters: dict[str, np.ndarray] = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"], parameters[f"b{l}"] = initialize_layer(
            dims[l - 1], dims[l], method, rng, scale, distribution=distribution
        )
    return parameters


def constant_parameters(layer_dims: Sequence[int], c: float) -> dict[str, np.ndarray]:
    """{"W1", "b1", …} with every weight equal to c and b[l] = 0, shapes as in
    ``initialize_parameters``.

    The symmetry of zeros without its zeros: for c ≠ 0 signals and gradients flow, but
    every unit of a layer computes the same A and gets the same gradient, so the units
    stay copies and the network can only do what one unit per layer does.
    """
    if isinstance(c, bool) or not isinstance(c, (int, float, np.integer, np.floating)):
        raise ValueError(f"c must be a number; got {c!r}.")
    if not (math.isfinite(c) and abs(c) <= MAX_SCALE):
        raise ValueError(
            f"c must be a finite number between −{MAX_SCALE:g} and {MAX_SCALE:g}; got {c!r}."
        )
    dims = _check_layer_dims(layer_dims)
    parameters: dict[str, np.ndarray] = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = np.full((dims[l], dims[l - 1]), float(c))
        parameters[f"b{l}"] = np.zeros((dims[l], 1))
    return parameters


def hidden_unit_spread(parameters: Mapping[str, np.ndarray]) -> np.ndarray:
    """How different the units of each hidden layer are: shape (L−1,), entry l−1 for layer l.

    Unit j of hidden layer l is the numbers only it owns: row j of W[l] and of b[l] (what
    comes in) and column j of W[l+1] (what goes out). The spread is the largest gap
    between two units in any of those numbers, max_k (max_j u_jk − min_j u_jk). Zero
    means the units are copies: every unit computes the same A[l] and gets the same
    gradient, so gradient descent keeps them copies and symmetry is never broken.
    NaN weights give a NaN spread.
    """
    L = _count_layers(parameters)
    spreads = np.empty(L - 1)
    for l in range(1, L):
        units = np.hstack([parameters[f"W{l}"], parameters[f"b{l}"], parameters[f"W{l + 1}"].T])
        spreads[l - 1] = np.max(np.ptp(units, axis=0))
    return spreads


def symmetry_broken(
    parameters: Mapping[str, np.ndarray], tolerance: float = SYMMETRY_TOLERANCE
) -> bool:
    """True when some hidden layer has two units that differ by more than ``tolerance``.

    A network without hidden layers (L = 1) has no symmetry to break: False.
    """
    return bool(np.any(~(hidden_unit_spread(parameters) <= tolerance)))


def _count_layers(parameters: Mapping[str, np.ndarray]) -> int:
    # L from the keys W1, b1, …, WL, bL, checking that the shapes chain.
    L = len(parameters) // 2
    if L < 1 or set(parameters) != {f"{kind}{l}" for l in range(1, L + 1) for kind in "Wb"}:
        raise ValueError(
            f"parameters must be a dict with keys W1, b1, …, WL, bL; got {sorted(parameters)}."
        )
    for l in range(1, L + 1):
        W, b = np.shape(parameters[f"W{l}"]), np.shape(parameters[f"b{l}"])
        chained = l == 1 or W[1:] == np.shape(parameters[f"W{l - 1}"])[:1]
        if len(W) != 2 or b != (W[0], 1) or not chained:
            raise ValueError(
                f"W{l} must be (n[{l}], n[{l - 1}]) and b{l} (n[{l}], 1), chaining with "
                f"layer {l - 1}; got {W} and {b}."
            )
    return L


def check_distribution(distribution: str) -> str:
    """Return distribution if it is "normal" or "uniform", else raise a ValueError."""
    if distribution not in DISTRIBUTIONS:
        raise ValueError(
            f"Unknown distribution {distribution!r}; choose one of {', '.join(DISTRIBUTIONS)}."
        )
    return distribution


def check_dtype(dtype: str) -> str:
    """Return dtype if it is "float32" or "float64", else raise a ValueError."""
    if dtype not in DTYPES:
        raise ValueError(f"Unknown dtype {dtype!r}; choose one of {', '.join(DTYPES)}.")
    return dtype


def _check_method(method: str) -> str:
    if method not in METHODS:
        raise ValueError(f"Unknown initialization {method!r}; choose one of {', '.join(METHODS)}.")
    return method


def _check_scale(scale: float) -> float:
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)):
        raise ValueError(f"scale must be a number; got {scale!r}.")
    if not (math.isfinite(scale) and 0 <= scale <= MAX_SCALE):
        raise ValueError(
            f"scale must be a finite number between 0 and {MAX_SCALE:g} (it multiplies σ); "
            f"got {scale!r}."
        )
    return float(scale)


def _check_layer_dims(layer_dims: Sequence[int]) -> list[int]:
    if isinstance(layer_dims, (str, bytes)) or not isinstance(layer_dims, (Sequence, np.ndarray)):
        raise ValueError(
            f"layer_dims must be a list of layer sizes [n[0], …, n[L]]; got {layer_dims!r}."
        )
    if not 2 <= len(layer_dims) <= MAX_DEPTH + 1:
        raise ValueError(
            f"layer_dims must list between 2 and {MAX_DEPTH + 1} sizes [n[0], …, n[L]] (the "
            f"input and at least one layer); got {len(layer_dims)}."
        )
    dims = [
        positive_int(n, f"layer_dims[{l}] (n[{l}])", maximum=MAX_LAYER_SIZE)
        for l, n in enumerate(layer_dims)
    ]
    weights = sum(n_prev * n for n_prev, n in pairwise(dims))
    if weights > MAX_WEIGHTS:
        raise ValueError(
            f"layer_dims {dims} need {weights:,} weights; at most {MAX_WEIGHTS:,} are allowed. "
            "Use fewer or narrower layers."
        )
    return dims
