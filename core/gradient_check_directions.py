"""The vectors v a gradient check goes along, one per checked component.

The two-sided difference along a unit vector v estimates the slope of J in direction v:

    (J(θ + ε·v) − J(θ − ε·v)) / 2ε  ≈  dθ·v.

Along a coordinate, v = eᵢ, this is the lecture's dθ_approx[i] against dθ[i], and a
wrong component shows where the bug is. ``core.gradient_check.check_network`` checks
every coordinate (mode "full"), k sampled coordinates of every block ("sample"), or k
random unit directions u ("directions"), each coordinate of u ±1/√P: one direction
touches every parameter at once, so a few of them tell whether dθ is wrong, not where
(like torch.autograd.gradcheck's fast mode).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from core.network import Layout


def unit_vectors(indices: np.ndarray, size: int, dtype) -> Iterator[np.ndarray]:
    """eᵢ, of ``size`` numbers in ``dtype``, for each i in ``indices``."""
    for i in indices:
        e = np.zeros(size, dtype)
        e[i] = 1
        yield e


def sample_coordinates(layout: Layout, k: int, rng: np.random.Generator) -> np.ndarray:
    """k random coordinates of every block of θ (all of a block with k or fewer), as
    indices into θ, sorted within each block."""
    return np.concatenate(
        [
            block.start + np.sort(rng.choice(block.size, min(k, block.size), replace=False))
            for block in layout.blocks
        ]
    )


def random_directions(
    count: int, size: int, dtype, rng: np.random.Generator
) -> Iterator[np.ndarray]:
    """``count`` random unit vectors u of ``size`` numbers in ``dtype``: each coordinate
    ±1/√size with even odds, one random bit each, drawn a vector at a time."""
    coordinate = np.dtype(dtype).type(1 / np.sqrt(size))
    for _ in range(count):
        bits = np.unpackbits(rng.integers(0, 256, -(-size // 8), np.uint8), count=size)
        yield bits * (2 * coordinate) - coordinate
