"""One component of a gradient check taken apart: the course's loop, one line of it.

    dθ_approx[i] = (J(θ + ε·eᵢ) − J(θ − ε·eᵢ)) / 2ε

with its two costs, beside backprop's dθᵢ, for the network of ``core.network``; it equals
component i of ``core.gradient_check.check_network``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from core._checks import epsilon_value
from core.gradient_check import DEFAULT_EPSILON, prepared
from core.network import (
    COST_FORMS,
    CostForm,
    compute_cost,
    cost_and_gradients,
    gradients_to_vector,
    vector_to_parameters,
)


class ComponentTerms(NamedTuple):
    """One line of the lecture's loop: dθ_approx[i] from its two costs, beside dθᵢ."""

    name: str  # "W2[0, 3]"
    J_plus: float  # J(θ + ε·eᵢ)
    J_minus: float  # J(θ − ε·eᵢ)
    epsilon: float
    approx: float  # (J_plus − J_minus) / 2ε
    analytic: float  # backprop's dθᵢ


@np.errstate(over="ignore", invalid="ignore", divide="ignore")
def check_component(
    parameters: Mapping[str, np.ndarray],
    X: np.ndarray,
    Y: np.ndarray,
    index: int,
    *,
    activation: str = "relu",
    lambd: float = 0.0,
    keep_prob: float = 1.0,
    epsilon: float = DEFAULT_EPSILON,
    bug: str | None = None,
    cost: CostForm = "stable",
    rng: np.random.Generator | None = None,
) -> ComponentTerms:
    """dθ_approx[i] = (J(θ + ε·eᵢ) − J(θ − ε·eᵢ)) / 2ε for the one coordinate i = ``index``
    of θ, with its two costs, and backprop's dθᵢ: the course's loop, one line of it.

    Arguments as for ``check_network``, whose component i (with the same ``rng``, so the
    same dropout mask) this equals.
    """
    epsilon = epsilon_value(epsilon)
    if cost not in COST_FORMS:
        raise ValueError(f"Unknown cost {cost!r}; choose one of {', '.join(COST_FORMS)}.")
    rng = np.random.default_rng(0) if rng is None else rng
    params, X, Y, theta, layout, masks = prepared(parameters, X, Y, keep_prob, rng)
    if isinstance(index, bool) or not 0 <= index < layout.size:
        raise ValueError(f"index must be a coordinate of θ, 0 … {layout.size - 1}; got {index}.")
    claimed = cost_and_gradients(params, X, Y, activation, lambd, keep_prob, masks, bug)
    step = np.zeros_like(theta)
    step[index] = epsilon  # in θ's dtype, as the loop stores θ ± ε
    J_plus, J_minus = (
        compute_cost(vector_to_parameters(nudged, layout), X, Y, activation, lambd, keep_prob,
                     masks, cost)
        for nudged in (theta + step, theta - step)
    )  # fmt: skip
    d_theta = gradients_to_vector(claimed.grads, layout)
    approx = (np.float64(J_plus) - J_minus) / (2 * epsilon)
    return ComponentTerms(
        layout.coordinate_name(index), float(J_plus), float(J_minus), epsilon, float(approx),
        float(d_theta[index]),
    )  # fmt: skip
