"""Choosing ε: the difference of one gradient check against ε, a U-shaped curve.

It is the U of ``core.finite_differences``, for a whole network: at large ε the central
difference's truncation error f‴ε²/6 (and, for ReLU, the kinks crossed) dominates; at
small ε the round-off in J(θ ± ε), about u·|J| with u the dtype's machine epsilon,
divided by 2ε, grows like 1/ε. The bottom sits in between; benchmarks/README.md
("Choosing ε") shows where, for the networks ``core.gradient_check.DEFAULT_EPSILON`` was
chosen on.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from core._checks import epsilon_value, float_dtype_of
from core.gradient_check import DEFAULT_K, Mode, check_network
from core.network import CostForm

SWEEP_EPSILONS: tuple[float, ...] = tuple(10.0**k for k in range(-12, 0))
"""The default grid of ``epsilon_sweep``: ε = 1e-12, 1e-11, …, 1e-1."""

MAX_SWEEP_POINTS = 50  # the most ε values one sweep accepts


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
    cost: CostForm = "stable",
) -> EpsilonSweep:
    """The difference of ``check_network`` against ε: the U-shaped curve of one network.

    Every check sees the same components, dropout mask and directions, drawn from one
    seed: 0 when ``rng`` is None (so each point equals ``check_network`` with its default
    rng at that ε), else one drawn from ``rng``. The fresh-mask comparison is skipped.
    Arguments as for ``check_network``; 1 to MAX_SWEEP_POINTS values of ε, each in (0, 1).
    """
    start = time.perf_counter()
    values = np.atleast_1d(np.asarray(epsilons, dtype=object))
    if not 1 <= values.size <= MAX_SWEEP_POINTS or values.ndim != 1:
        raise ValueError(f"Pass 1 to {MAX_SWEEP_POINTS} values of ε; got {values.size}.")
    grid = np.array(sorted({epsilon_value(epsilon) for epsilon in values}))
    seed = 0 if rng is None else int(rng.integers(2**63))
    settings = dict(
        activation=activation, lambd=lambd, keep_prob=keep_prob, bug=bug, mode=mode, cost=cost
    )
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
        dtype=float_dtype_of(parameters).name,
        mode=mode,
        components=len(results[0].approx),
        seconds=time.perf_counter() - start,
    )
