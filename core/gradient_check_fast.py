"""The fast path of ``core.gradient_check.check_network``: the loop's costs, computed faster.

The course's loop (``check_network(..., method="loop")``) runs the whole forward pass
twice for every checked vector v, a coordinate eᵢ or a random direction u: J(θ + ε·v) and
J(θ − ε·v). This module returns the same costs, kink crossings and dθ·v for the same
vectors, and ``check_network`` uses it by default. Nothing is linearized — each J is still
the mean of m example costs of the nudged network — so the numbers agree with the loop to
round-off: tests/test_gradient_check_fast.py compares the two value by value, and
benchmarks/README.md has the speed.

Coordinates (``coordinate_costs``): nudging W[l][i, j] changes only row i of Z[l], by
±ε·A[l−1][j, :]. The layers below l are untouched and never recomputed. A[l] changes in
row i only, and only in the examples n where g moved A[l][i, n] (a ReLU unit at 0 mostly
stays there): every other example keeps its cost ℓ⁽ⁿ⁾ = ℓ(a[L]⁽ⁿ⁾, y⁽ⁿ⁾) exactly. For a
moved example Z[l+1][:, n] changes by the rank-1 term W[l+1][:, i]·ΔA[l][i, n], and the
nudged networks go on one example at a time, all nudges of a row together. ReLU and leaky
ReLU are positively homogeneous, g(z) = z·s·g(s) on the side s = ±1 of 0: in the last
hidden layer, where no unit of an example can cross 0 (its change is below its distance
to 0), g folds into W[L] exactly; units within reach of 0 go through g itself.

Directions (``direction_costs``): the 2c networks θ ± ε·v of a chunk of c vectors, each
with its own parameters, go through one batched forward pass.

Both work in chunks that cap the working memory at about ``_CHUNK_BYTES``, in arrays
reused from chunk to chunk (``_Buffers``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from core.activations import KINKED_ACTIVATIONS, activate
from core.network import (
    Block,
    ForwardCache,
    Layout,
    cross_entropy,
    forward_propagation,
    hidden_activation,
)

_CHUNK_BYTES = 2 * 2**20  # work memory per batch of nudged networks (best of 0.5–16 MiB)

Masks = dict[int, np.ndarray] | None  # D[l], (n[l], m), or one per evaluation (B, n[l], m)


class TwoSidedCosts(NamedTuple):
    """What the check measures along each vector v, in the order of the vectors."""

    J_plus: np.ndarray  # J(θ + ε·v)
    J_minus: np.ndarray  # J(θ − ε·v)
    crossings: np.ndarray  # hidden pre-activations (unit × example) the two put on opposite
    # sides of 0; this module counts them for KINKED_ACTIVATIONS only
    analytic: np.ndarray  # dθ·v, the slope backpropagation claims (dθᵢ for a coordinate)


class _Buffers:
    """Work arrays reused from chunk to chunk, by name.

    A fresh large numpy array costs a page fault per 4 KiB page when first written, and
    the C allocator hands such memory back to the system between chunks: reusing the
    largest arrays removed slowdowns of up to 3x that came and went from run to run.
    """

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}

    def __call__(self, name: str, shape: tuple[int, ...], dtype) -> np.ndarray:
        size = math.prod(shape)
        array = self._arrays.get(name)
        if array is None or array.size < size or array.dtype != dtype:
            array = self._arrays[name] = np.empty(size, dtype)
        return array[:size].reshape(shape)


@dataclass(frozen=True)
class Network:
    """The network being checked: parameters (in the dtype of the check), X (n[0], m),
    Y (1, m) and the settings of J, with work arrays of its own."""

    parameters: dict[str, np.ndarray]
    X: np.ndarray
    Y: np.ndarray
    activation: str
    lambd: float
    keep_prob: float
    cost: str = "stable"  # how J is computed from Z[L] (core.network.CostForm)
    buffers: _Buffers = field(default_factory=_Buffers, repr=False, compare=False)

    @property
    def L(self) -> int:
        return len(self.parameters) // 2


# ----------------------------------------------------------------------------- coordinates


def coordinate_costs(
    net: Network,
    masks: Masks,
    layout: Layout,
    indices: np.ndarray,
    d_theta: np.ndarray,
    epsilon: float,
) -> TwoSidedCosts:
    """The loop's costs along eᵢ for every i in ``indices``, with the dropout ``masks``
    kept fixed.

    A block's coordinates go in rows of θ's matrix: a full row at a time when the whole
    block is checked, else one coordinate per row.
    """
    _, cache = forward_propagation(net.X, net.parameters, net.activation, net.keep_prob, masks)
    losses = cross_entropy(cache.Z[-1].T, net.Y.T, net.cost)  # the cost of each example alone, (m,)
    J_plus, J_minus = np.empty((2, len(indices)), net.X.dtype)
    crossings = np.zeros(len(indices), dtype=np.int64)
    squares = _sum_of_squares(net.parameters)
    above = None
    for block in layout.blocks:
        where = np.flatnonzero((indices >= block.start) & (indices < block.stop))
        rows, cols = np.unravel_index(indices[where] - block.start, block.shape)
        rows, cols = rows[:, None], cols[:, None]
        if len(where) == block.size:  # the whole block, in order
            rows, cols = np.arange(block.shape[0])[:, None], np.arange(block.shape[1])[None, :]
        l = int(block.name[1:])
        if l < net.L and (above is None or above.l != l):
            above = _above(net, cache, l, masks)  # once for W[l] and b[l]
        # Z, A and the example costs of both nudges of a coordinate: 3 × 2m numbers
        row_bytes = cols.shape[1] * 6 * net.X.shape[1] * net.X.itemsize
        for part in _chunks(np.arange(len(rows)), row_bytes):
            inside = where[part[0] * cols.shape[1] : (part[-1] + 1) * cols.shape[1]]
            J, crossed = _block_costs(
                net, cache, above, losses, masks, squares, block, rows[part],
                cols if len(cols) == 1 else cols[part], epsilon,
            )  # fmt: skip
            J_plus[inside], J_minus[inside] = J.reshape(2, -1)
            crossings[inside] = crossed.reshape(-1)
    return TwoSidedCosts(J_plus, J_minus, crossings, d_theta[indices])


class _Above(NamedTuple):
    """What a change of A[l] meets in layer l+1, from θ's forward pass."""

    l: int
    W_T: np.ndarray  # W[l+1]ᵀ: row i is the column of W[l+1] that A[l][i, :] enters through
    Z_T: np.ndarray  # Z[l+1]ᵀ: row n is example n
    w_max: np.ndarray  # max over units u of |W[l+1][u, i]|, (n[l],)
    margin: np.ndarray  # half the least |Z[l+1][u, n]| over units u, (m,); see _later_layers
    W_L: np.ndarray | None  # W[L] with g folded in per example, (m, n[L−1]); see _later_layers


def _above(net: Network, cache: ForwardCache, l: int, masks: Masks) -> _Above:
    W, Z = net.parameters[f"W{l + 1}"], cache.Z[l + 1]
    W_L = None
    if l + 2 == net.L and net.activation in KINKED_ACTIVATIONS:
        # ReLU and leaky ReLU are positively homogeneous: g(z) = z·s·g(s) on the side s = ±1
        # of 0, so where Z[L−1] keeps θ's side, A[L−1] = s·g(s) ⊙ Z[L−1] (⊙ D / keep_prob)
        s = np.where(Z.T > 0, 1.0, -1.0).astype(Z.dtype)
        W_L = s * activate(s, net.activation) * net.parameters[f"W{net.L}"]
        if masks:
            W_L *= masks[l + 1].T / net.keep_prob
    return _Above(
        l, np.ascontiguousarray(W.T), np.ascontiguousarray(Z.T), np.abs(W).max(axis=0),
        0.5 * np.abs(Z).min(axis=0), W_L,
    )  # fmt: skip


def _block_costs(
    net: Network,
    cache: ForwardCache,
    above: _Above | None,
    losses: np.ndarray,
    masks: Masks,
    squares: np.floating,
    block: Block,
    rows: np.ndarray,
    cols: np.ndarray,
    epsilon: float,
) -> tuple[np.ndarray, np.ndarray]:
    """J(θ ± ε·eᵢ), shape (2, R, C), and kink crossings (R, C) for the coordinates
    (rows[r], cols[r, c]) of one block; ``rows`` is (R, 1), ``cols`` (R, C) or (1, C)."""
    l = int(block.name[1:])
    m = net.X.shape[1]
    value = net.parameters[block.name][rows, cols]
    # the steps θᵢ ± ε really takes once stored in this dtype (exactly what the loop does)
    step = np.stack([(value + epsilon) - value, (value - epsilon) - value])
    # Z[l][i, :] = Σⱼ W[l][i, j] A[l−1][j, :] + b[l][i]: the nudge moves row i alone
    source = cache.A[l - 1][cols] if block.name[0] == "W" else 1.0
    Z_row = net.buffers("Z_row", (*step.shape, m), value.dtype)
    np.multiply(step[..., None], source, out=Z_row)
    Z_row += cache.Z[l][rows]
    if l == net.L:
        J, crossings = cross_entropy(Z_row, net.Y, net.cost), np.zeros(value.shape, dtype=np.int64)
    else:
        crossings = _crossings(net, Z_row, pair_axis=0)
        mask = masks[l][rows] if masks else None
        delta_A = hidden_activation(Z_row, net.activation, net.keep_prob, mask)
        delta_A -= cache.A[l][rows]
        # A nudge moves the examples n where A[l][i, n] moved; the others keep their cost
        # ℓ⁽ⁿ⁾ exactly. A group, one row and one example, goes on when any of it moved.
        group_r, group_n = np.nonzero((delta_A != 0).any(axis=(0, 2)))
        example_costs = net.buffers("example_costs", delta_A.shape, value.dtype)
        example_costs[...] = losses
        # a group's ΔA, Z[L] and costs (2C numbers each, with temporaries), and the columns
        # of W[l+1], Z[l+1] and W[L] it meets (n[l+1] numbers each)
        group_bytes = (24 * value.shape[1] + 5 * above.W_T.shape[1]) * value.itemsize
        for part in _chunks(np.arange(len(group_r)), group_bytes):
            r, n = group_r[part], group_n[part]
            Z_L, crossed = _later_layers(net, l, above, delta_A[:, r, :, n], rows[r, 0], n, masks)
            if crossed is not None:
                np.add.at(crossings, r, crossed)
            example_costs[:, r, :, n] = cross_entropy(
                Z_L[..., None], net.Y[0, n, None, None, None], net.cost
            )
        J = example_costs.sum(axis=-1) / m
    if net.lambd:
        if block.name[0] == "W":  # Σ‖W‖² with θᵢ replaced by θᵢ ± ε
            squares = squares + ((value + step) ** 2 - value**2)
        J = J + net.lambd / (2 * m) * squares
    return J, crossings


def _later_layers(
    net: Network,
    l: int,
    above: _Above,
    delta_A: np.ndarray,
    units: np.ndarray,
    examples: np.ndarray,
    masks: Masks,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Z[L] of nudged networks that differ from θ's in one unit of layer l, in groups:
    group g is unit ``units[g]`` = i and example ``examples[g]`` = n, ``delta_A`` (G, 2, C)
    the change of A[l][i, n] for each sign and coordinate. Z[l+1][:, n] = W[l+1] A[l][:, n]
    + b[l+1] is then θ's column plus ΔA times column i of W[l+1]: a rank-one change.

    Returns Z[L] (G, 2, C) and the hidden pre-activations that changed sign (G, C), or
    None when none did.
    """
    G, _, C = delta_A.shape
    w, Z_theta = above.W_T[units], above.Z_T[examples]
    if l + 1 == net.L:  # the output unit
        return delta_A * w[:, :, None] + Z_theta[:, :, None], None
    n = w.shape[1]
    # the change as one product per group: [ΔA, 1] (2C, 2) @ [w; Z_theta] (2, n)
    left = np.stack([delta_A.reshape(G, 2 * C), np.ones((G, 2 * C), w.dtype)], axis=2)
    right = np.stack([w, Z_theta], axis=1)
    Z_L = np.empty((G, 2, C), w.dtype)
    crossings = np.zeros((G, C), dtype=np.int64)
    if above.W_L is not None:
        # Z[l+1] is the last hidden layer and g is ReLU-like: in a group whose every unit
        # keeps θ's side of 0, g folds into W[L]. |ΔA|·max|W[l+1][:, i]| below half of
        # min|Z[l+1][:, n]| leaves no unit of the group a way across, round-off included.
        W_L = above.W_L[examples]
        reach = np.abs(delta_A).max(axis=(1, 2)) * above.w_max[units]
        near = np.flatnonzero(~(reach < above.margin[examples]))  # NaN counts as near
    for part in _chunks(np.arange(G), 2 * C * n * w.itemsize):  # Z[l+1] kept cache-sized
        start, stop = part[0], part[-1] + 1
        Z = net.buffers("Z_next", (stop - start, 2 * C, n), w.dtype)
        np.matmul(left[start:stop], right[start:stop], out=Z)
        if above.W_L is None:  # other networks: every group through the later layers
            Z_L[start:stop], crossings[start:stop] = _forward_examples(
                net, l + 1, Z.reshape(-1, 2, C, n), masks, examples[start:stop]
            )
            continue
        np.matmul(Z, W_L[start:stop, :, None], out=Z_L[start:stop].reshape(-1, 2 * C, 1))
        Z_L[start:stop] += net.parameters[f"b{net.L}"][0, 0]
        # the groups near a kink go through g itself, and count their crossings
        inside = near[(near >= start) & (near < stop)]
        if inside.size:
            Z_L[inside], crossings[inside] = _forward_examples(
                net, l + 1, Z[inside - start].reshape(-1, 2, C, n), masks, examples[inside]
            )
    return Z_L, crossings if crossings.any() else None


def _forward_examples(
    net: Network, l: int, Z: np.ndarray, masks: Masks, examples: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Layers l+1 … L for nudged networks one example at a time: Z[l] is (G, 2, C, n[l]),
    one row per group g (example ``examples[g]``), sign ± and coordinate.

    Returns Z[L] as (G, 2, C) and the hidden pre-activations that changed sign, (G, C).
    """
    crossings = np.zeros((Z.shape[0], Z.shape[2]), dtype=np.int64)
    for hidden in range(l, net.L):
        crossings += _crossings(net, Z, pair_axis=1)
        mask = masks[hidden].T[examples][:, None, None, :] if masks else None
        A = hidden_activation(Z, net.activation, net.keep_prob, mask)
        W, b = net.parameters[f"W{hidden + 1}"], net.parameters[f"b{hidden + 1}"]
        Z = net.buffers(f"Z{hidden + 1}", (*A.shape[:-1], W.shape[0]), A.dtype)
        np.matmul(A.reshape(-1, W.shape[1]), W.T, out=Z.reshape(-1, W.shape[0]))
        Z += b.T
    return Z[..., 0], crossings


# ----------------------------------------------------------------------------- directions


def direction_costs(
    net: Network,
    masks: Masks,
    theta: np.ndarray,
    layout: Layout,
    vectors: Iterator[np.ndarray],
    count: int,
    d_theta: np.ndarray,
    epsilon: float,
    fresh_masks: Callable[[], dict[int, np.ndarray]] | None = None,
) -> TwoSidedCosts:
    """The loop's costs along the first ``count`` vectors v of ``vectors`` (each of θ's size
    and dtype): with the dropout ``masks`` fixed, or with a new mask ``fresh_masks()`` at
    every evaluation, drawn in the loop's order (θ + ε·v, then θ − ε·v, vector by vector).

    Each chunk of c vectors runs its 2c networks, θ + ε·v first, through the forward pass
    together, each with its own parameters.
    """
    m = net.X.shape[1]
    W1, b1 = net.parameters["W1"], net.parameters["b1"]
    Z1 = W1 @ net.X + b1
    units = sum(net.parameters[f"b{l}"].shape[0] for l in range(1, net.L + 1))
    # v, ε·v and θ ± ε·v (4P numbers), and Z, A and their sides 0 < Z of every layer of
    # both networks of a vector (about 6 per unit and example)
    vector_bytes = (4 * layout.size + 6 * units * m) * net.X.itemsize
    J_plus, J_minus, crossings, analytic = [], [], [], []
    for part in _chunks(np.arange(count), vector_bytes):
        c = len(part)
        V = net.buffers("V", (c, layout.size), theta.dtype)
        for v in V:
            v[...] = next(vectors)
        step = np.multiply(V, epsilon, out=net.buffers("step", V.shape, V.dtype))
        # Z[1] = W[1] X + b[1] is linear in W[1] and b[1]: Z[1](θ ± ε·v) = Z[1] ± ΔZ[1],
        # one (c·n[1], n[0]) @ (n[0], m) product for the chunk
        W1_step = step[:, layout["W1"].start : layout["W1"].stop].reshape(-1, W1.shape[1])
        dZ1 = net.buffers("dZ1", (c, *Z1.shape), Z1.dtype)
        np.matmul(W1_step, net.X, out=dZ1.reshape(-1, m))
        dZ1 += step[:, layout["b1"].start : layout["b1"].stop, None]
        Z = net.buffers("Z1", (2 * c, *Z1.shape), Z1.dtype)
        np.add(Z1, dZ1, out=Z[:c])
        np.subtract(Z1, dZ1, out=Z[c:])
        chunk_masks = masks if fresh_masks is None else _fresh_masks(fresh_masks, c)
        crossed = np.zeros(c, dtype=np.int64)
        for l in range(1, net.L):
            crossed += _crossings(net, Z.reshape(2, c, -1), pair_axis=0)
            mask = chunk_masks[l] if chunk_masks else None
            A = hidden_activation(Z, net.activation, net.keep_prob, mask)
            # Z[l+1] = (W[l+1] ± ε·v_W) A[l] + (b[l+1] ± ε·v_b): each network its own W
            W, b = (_nudged(net, layout, theta, step, f"{kind}{l + 1}") for kind in "Wb")
            Z = net.buffers(f"Z{l + 1}", (2 * c, W.shape[1], m), Z1.dtype)
            np.matmul(W, A, out=Z)
            Z += b
        J = cross_entropy(Z[:, 0, :], net.Y, net.cost)
        if net.lambd:  # Σ‖W ± ε·v_W‖² = Σ‖W‖² ± 2 W·(ε·v_W) + ‖ε·v_W‖²
            is_W = np.concatenate(
                [np.full(block.size, block.name[0] == "W") for block in layout.blocks]
            )
            cross = 2 * (step[:, is_W] @ theta[is_W])
            squares = _sum_of_squares(net.parameters) + np.square(step[:, is_W]).sum(axis=1)
            J = J + net.lambd / (2 * m) * np.concatenate([squares + cross, squares - cross])
        J_plus.append(J[:c])
        J_minus.append(J[c:])
        crossings.append(crossed)
        analytic.append(V.astype(np.float64, copy=False) @ d_theta)
    return TwoSidedCosts(
        *(np.concatenate(values) for values in (J_plus, J_minus, crossings, analytic))
    )


def _fresh_masks(draw: Callable[[], dict[int, np.ndarray]], c: int) -> dict[int, np.ndarray]:
    # 2c masks, (2c, n[l], m), drawn in the loop's order (θ + ε·v, θ − ε·v, next v) and
    # stacked as the chunk's networks are: every θ + ε·v first
    drawn = [draw() for _ in range(2 * c)]
    order = drawn[0::2] + drawn[1::2]
    return {l: np.stack([masks[l] for masks in order]) for l in drawn[0]}


def _nudged(
    net: Network, layout: Layout, theta: np.ndarray, step: np.ndarray, name: str
) -> np.ndarray:
    # the block ``name`` of θ + ε·v for each of the c vectors, then of θ − ε·v: (2c, *shape)
    block = layout[name]
    c = len(step)
    nudged = net.buffers(name, (2, c, block.size), theta.dtype)
    np.add(theta[block.start : block.stop], step[:, block.start : block.stop], out=nudged[0])
    np.subtract(theta[block.start : block.stop], step[:, block.start : block.stop], out=nudged[1])
    return nudged.reshape(2 * c, *block.shape)


# ----------------------------------------------------------------------------- shared


def _crossings(net: Network, Z: np.ndarray, pair_axis: int) -> np.ndarray:
    # how many entries along Z's last axis θ + ε (index 0 of pair_axis) and θ − ε (index 1)
    # put on different sides of 0, where g′ jumps
    shape = tuple(size for axis, size in enumerate(Z.shape[:-1]) if axis != pair_axis)
    if net.activation not in KINKED_ACTIVATIONS:
        return np.zeros(shape, dtype=np.int64)
    positive = np.greater(Z, 0, out=net.buffers("positive", Z.shape, bool))
    plus, minus = (positive[(slice(None),) * pair_axis + (side,)] for side in (0, 1))
    changed = np.not_equal(plus, minus, out=net.buffers("changed", plus.shape, bool))
    if not changed.any():  # the usual case, and much cheaper than counting
        return np.zeros(shape, dtype=np.int64)
    return changed.sum(axis=-1)


def _sum_of_squares(parameters: Mapping[str, np.ndarray]) -> np.floating:
    # Σₗ ‖W[l]‖²_F, the L2 term's sum
    L = len(parameters) // 2
    return sum(np.square(parameters[f"W{l}"]).sum() for l in range(1, L + 1))


def _chunks(items: np.ndarray, item_bytes: int) -> list[np.ndarray]:
    """``items`` split into runs whose working memory stays within _CHUNK_BYTES."""
    per_chunk = max(1, _CHUNK_BYTES // item_bytes)
    return [items[start : start + per_chunk] for start in range(0, len(items), per_chunk)]
