"""Weight initialization: how large to draw W[l] so that signals keep their scale.

Every method draws each weight from a normal distribution with standard deviation σ
(``std``) and sets the biases to zero:

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
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise
from typing import Literal, NamedTuple, get_args

import numpy as np

from core._checks import positive_int
from core.activations import LEAKY_RELU_SLOPE, check_activation

Method = Literal["zeros", "random", "xavier", "glorot", "he"]
METHODS: tuple[str, ...] = get_args(Method)

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
    n_prev: int, n: int, method: Method, rng: np.random.Generator, scale: float = 1.0
) -> LayerParameters:
    """W = σ · N(0, 1) of shape (n, n_prev) in float64 and b = 0 of shape (n, 1).

    σ is ``init_std(method, n_prev, n, scale)``; ``zeros`` draws nothing from rng.
    """
    std = init_std(method, n_prev, n, scale)
    W = np.zeros((n, n_prev)) if method == "zeros" else std * rng.standard_normal((n, n_prev))
    return LayerParameters(W, np.zeros((n, 1)))


def initialize_parameters(
    layer_dims: Sequence[int], method: Method, rng: np.random.Generator, scale: float = 1.0
) -> dict[str, np.ndarray]:
    """{"W1", "b1", …, "WL", "bL"} for layer_dims = [n[0], n[1], …, n[L]].

    W[l] has shape (n[l], n[l−1]) and b[l] shape (n[l], 1), both float64; see the
    module docstring for each method's σ. Layers are drawn in order l = 1 … L, so the
    same rng seed gives the same weights.
    """
    dims = _check_layer_dims(layer_dims)
    parameters: dict[str, np.ndarray] = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"], parameters[f"b{l}"] = initialize_layer(
            dims[l - 1], dims[l], method, rng, scale
        )
    return parameters


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
