"""What a gradient check returns: the components compared, the kinks crossed, and the
warnings that come with the numbers.

``core.gradient_check`` fills a ``GradientCheckResult`` (the formula and the verdict bands
are there). Its warnings name three ways a correct gradient can fail the check: float32
round-off in J(θ ± ε), magnified by 1/2ε; a ReLU kink between θ − ε and θ + ε, where the
two-sided difference is not the derivative; and a dropout mask drawn afresh at every
evaluation, which makes J a different function at every call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Verdict = Literal["great", "suspicious", "bug", "inconclusive"]
"""The lecture's three bands, and "inconclusive": a difference that round-off in J at this
ε and precision could make on its own (``core.round_off.ROUND_OFF_REACH``)."""
Mode = Literal["full", "sample", "directions"]


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
    round_off_floor: float = 0.0  # the difference round-off in J alone makes (see round_off_floor)


def precision_warnings(
    dtype, cost_scale: float, analytic: np.ndarray, epsilon: float
) -> tuple[str, ...]:
    """Why a low-precision check can fail a correct gradient: the round-off u·|J| of each
    J, divided by 2ε, against the typical size of dθ's components. None in float64."""
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


def network_warnings(
    kinks: KinkReport | None, checked: int, fresh_mask_difference: float | None
) -> tuple[str, ...]:
    """The kinks crossed among the ``checked`` components, and the difference with a fresh
    dropout mask per evaluation, when there are any."""
    warnings = ()
    if kinks is not None and kinks.count:
        warnings += (
            f"{kinks.count} of {checked} checked components moved a hidden pre-activation "
            f"across 0 between θ − ε and θ + ε ({kinks.crossings} unit·example crossings): "
            "at a ReLU kink the two-sided difference is not the derivative. Without them the "
            f"difference is {kinks.difference_without:.1e}.",
        )
    if fresh_mask_difference is not None:
        warnings += (
            "Checked with one dropout mask kept fixed for every evaluation. With a fresh "
            f"mask per evaluation, as in training, the difference is "
            f"{fresh_mask_difference:.1e}: J is then a different function at every call, so "
            "check with keep_prob = 1 or a fixed mask.",
        )
    return warnings
