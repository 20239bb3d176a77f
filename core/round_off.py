"""Round-off in J: how large a difference a gradient check shows when backpropagation is right.

Every J(θ ± ε) is rounded, by about u·r (u the dtype's machine epsilon, r ≈ |J|), and the
two-sided difference divides that by 2ε. ``round_off_floor`` turns it into a relative
difference; ``core.gradient_check.judged`` calls a difference within ``ROUND_OFF_REACH``
times the floor "inconclusive", and ``core.round_off_verdicts`` reads a result against it.
"""

from __future__ import annotations

import math

import numpy as np

from core.gradient_check_result import GradientCheckResult
from core.network import CostForm

ROUND_OFF_REACH = 3.0
"""A difference up to this many times ``round_off_floor`` can be round-off alone: the
verdict is then "inconclusive", not a band. On correct networks whose difference round-off
sets (small ε), the difference measured 0.4–0.6 of the floor (tests/test_gradient_check.py)."""


def round_off_floor(dtype, cost_round_off: float, analytic: np.ndarray, epsilon: float) -> float:
    """The relative difference that round-off in J alone makes, roughly:

        floor = u·r / (2ε · 2·rms(dθ))

    u is the dtype's machine epsilon and u·r the round-off of one J (r ≈ |J|; see
    ``cost_round_off`` for the notebook's cost). Dividing by 2ε turns it into an error of each
    component of dθ_approx, against components of typical size rms(dθ); the two norms of
    the denominator halve it. inf where dθ = 0: nothing to compare the round-off with.
    """
    u = float(np.finfo(dtype).eps)
    typical = float(np.sqrt(np.mean(np.square(analytic))))
    if typical == 0:
        return math.inf
    return u * cost_round_off / (2 * epsilon * 2 * typical)


def cost_round_off(J: float, A_L: np.ndarray, Y: np.ndarray, cost: CostForm) -> float:
    """The round-off r of one J in units of u, for the cost form ``cost``
    (``core.network.CostForm``); A_L and Y are (1, m)."""
    # The stable form rounds each term to about u·|J|. The notebook's rounds A = σ(z) to
    # about u first, and log A, log(1 − A) magnify that by 1/A and 1/(1 − A): large where an
    # example is confidently classified.
    if cost == "stable":
        return abs(J)
    A = A_L.astype(np.float64)
    with np.errstate(divide="ignore"):
        return float(np.mean(Y / A + (1 - Y) / (1 - A)))


def component_round_off(result: GradientCheckResult) -> float:
    """The round-off u·r/2ε each component of dθ_approx carries, by the floor's estimate
    (the floor before the two norms of the denominator divide it)."""
    return result.round_off_floor * 2 * float(np.sqrt(np.mean(np.square(result.analytic))))
