"""The course notebook's "Gradient Checking" case, to reproduce its published differences
with ``core.gradient_check.check_network(..., epsilon=COURSE_EPSILON, cost="notebook")``."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class NotebookCase(NamedTuple):
    """The course notebook's test case for its gradient check (X (4, 3), Y (1, 3))."""

    parameters: dict[str, np.ndarray]
    X: np.ndarray
    Y: np.ndarray


NOTEBOOK_DIFFERENCES: dict[str | None, float] = {
    "notebook_bugs": 0.2850931567761623,
    None: 1.1890913024229996e-07,
}
"""The differences the course's "Gradient Checking" notebook publishes for its case at
ε = 1e-7 with its cost (``cost="notebook"``): with its two planted bugs, and correct."""


def notebook_case() -> NotebookCase:
    """The notebook's seed-1 case: np.random.seed(1); X = randn(4, 3); Y = [1, 1, 0]; W1
    randn(5, 4), b1 (5, 1), W2 (3, 5), b2 (3, 1), W3 (1, 3), b3 (1, 1) in that order.
    Its network is ReLU, ReLU, sigmoid. Drawn with a RandomState of its own (the same
    numbers as np.random.seed(1), without seeding numpy for everyone)."""
    draw = np.random.RandomState(1).randn
    X = draw(4, 3)
    shapes = {"W1": (5, 4), "b1": (5, 1), "W2": (3, 5), "b2": (3, 1), "W3": (1, 3), "b3": (1, 1)}
    parameters = {name: draw(*shape) for name, shape in shapes.items()}
    return NotebookCase(parameters, X, np.array([[1.0, 1.0, 0.0]]))
