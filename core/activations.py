"""Activation functions g(Z) and their derivatives g'(Z), side by side.

Every network in core/ (the trainable one in ``network`` and the random ones in
``propagation``) takes its activations from here, so there is one definition of
each. Each entry works elementwise on an array Z of any shape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, NamedTuple, get_args

import numpy as np

Activation = Literal["linear", "relu", "leaky_relu", "tanh", "sigmoid"]
ACTIVATIONS: tuple[str, ...] = get_args(Activation)

LEAKY_RELU_SLOPE = 0.01
"""Slope a of leaky ReLU for Z < 0: g(Z) = max(a·Z, Z)."""

KINKED_ACTIVATIONS: tuple[str, ...] = ("relu", "leaky_relu")
"""Activations whose derivative jumps at Z = 0, where a two-sided difference can lie."""


def sigmoid(Z: np.ndarray) -> np.ndarray:
    """σ(Z) = 1 / (1 + e^(−Z)), computed as exp(−log(1 + e^(−Z))), which never overflows."""
    return np.exp(-np.logaddexp(0, -Z))


class ActivationPair(NamedTuple):
    forward: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray], np.ndarray]


_PAIRS: dict[str, ActivationPair] = {
    "linear": ActivationPair(lambda Z: Z, lambda Z: np.ones_like(Z)),
    "relu": ActivationPair(lambda Z: np.maximum(Z, 0), lambda Z: (Z > 0).astype(Z.dtype)),
    "leaky_relu": ActivationPair(
        lambda Z: np.where(Z > 0, Z, LEAKY_RELU_SLOPE * Z),
        lambda Z: np.where(Z > 0, 1.0, LEAKY_RELU_SLOPE).astype(Z.dtype),
    ),
    "tanh": ActivationPair(np.tanh, lambda Z: 1.0 - np.tanh(Z) ** 2),
    "sigmoid": ActivationPair(sigmoid, lambda Z: sigmoid(Z) * (1.0 - sigmoid(Z))),
}


def check_activation(name: str) -> str:
    """Return name if it is a known activation, else raise a ValueError listing them."""
    if name not in _PAIRS:
        raise ValueError(f"Unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}.")
    return name


def activate(Z: np.ndarray, name: str) -> np.ndarray:
    """A = g(Z) for the named activation."""
    return _PAIRS[check_activation(name)].forward(Z)


def activation_derivative(Z: np.ndarray, name: str) -> np.ndarray:
    """g'(Z) for the named activation (ReLU's derivative at exactly 0 is taken as 0)."""
    return _PAIRS[check_activation(name)].derivative(Z)


def activate_into(Z: np.ndarray, name: str, out: np.ndarray) -> np.ndarray:
    """A = g(Z) written into ``out`` (for loops that reuse their arrays); ReLU and tanh
    without a temporary."""
    if name == "relu":
        return np.maximum(Z, 0.0, out=out)
    if name == "tanh":
        return np.tanh(Z, out=out)
    out[...] = activate(Z, name)
    return out


def derivative_into(Z: np.ndarray, A: np.ndarray, name: str, out: np.ndarray) -> np.ndarray:
    """g′(Z) written into ``out``, given A = g(Z) too: tanh′ = 1 − A², read off A."""
    if name == "relu":
        return np.greater(Z, 0.0, out=out)  # 1.0 or 0.0, and 0 at exactly 0, as above
    if name == "tanh":
        np.square(A, out=out)
        return np.subtract(1.0, out, out=out)
    out[...] = activation_derivative(Z, name)
    return out
