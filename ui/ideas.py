"""The six ideas of the lecture week, in teaching order: one page each.

The navigation in app.py and the cards on the home page both read this list, so a
page is named and described in one place.
"""

from __future__ import annotations

from typing import NamedTuple


class Idea(NamedTuple):
    title: str
    path: str  # the page script, relative to the project root
    icon: str
    promise: str  # one line: what the page lets a person see


IDEAS: tuple[Idea, ...] = (
    Idea(
        "Normalizing inputs",
        "pages/normalizing_inputs.py",
        ":material/straighten:",
        "Watch elongated cost contours turn round, and gradient descent need far fewer steps.",
    ),
    Idea(
        "Vanishing & exploding gradients",
        "pages/vanishing_exploding.py",
        ":material/trending_up:",
        "Push a signal through hundreds of layers and see where float32 and float64 give up.",
    ),
    Idea(
        "Weight initialization",
        "pages/weight_initialization.py",
        ":material/casino:",
        "Zeros, small, large, Xavier, Glorot and He: the same network trained six ways.",
    ),
    Idea(
        "Numerical gradients",
        "pages/numerical_gradients.py",
        ":material/functions:",
        "One-sided against two-sided differences: secants, tangent, and the error's U-curve.",
    ),
    Idea(
        "Gradient checking",
        "pages/gradient_checking.py",
        ":material/fact_check:",
        "Plant a bug in backprop and let the relative difference point at the broken block.",
    ),
    Idea(
        "Grad check in practice",
        "pages/grad_check_in_practice.py",
        ":material/rule:",
        "Cost, regularization, dropout and ReLU kinks: each rule of thumb as an experiment.",
    ),
)
