"""How fast is the gradient check, next to the course's loop, scipy and torch?

Run from the project root:

    pip install -r requirements-bench.txt && python -m benchmarks.gradient_check_speed

On the network 20-64-32-1 with 128 examples (3,457 parameters) and on 40-200-128-1
(34,057, about ten times larger), ReLU hidden layers, He-scaled random weights, float64,
it times side by side:

* ``check_network`` in full mode (every coordinate) and in directions mode (k = 10);
* the course's per-parameter loop: copy θ, nudge one coordinate, run the whole forward
  pass, twice per coordinate;
* ``scipy.optimize.check_grad`` (one-sided differences, one evaluation per coordinate);
* ``torch.autograd.gradcheck`` in default and fast mode, on the same function written in
  torch (skipped, with a note, when torch is not installed).

Everything runs on one thread (BLAS and torch), so the figures compare algorithms, not
thread counts. Fast methods report the best of several runs (directions mode and torch's
fast mode interleaved, so that both meet the same machine load), slow ones a single run.
Peak memory is the peak of numpy allocations during one run (tracemalloc); torch's own
allocator is not traced. The targets come from the gradient-check issue: the full check
at least 5x faster than the loop and 20x faster than torch's default mode, with the same
numerical gradient as the loop to 1e-9 relative; directions mode no slower than torch's
fast mode.
"""

from __future__ import annotations

import os

# One thread for BLAS, set before numpy loads it: the comparison is per algorithm.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import importlib.util  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import numpy as np  # noqa: E402

from core.gradient_check import DEFAULT_EPSILON, check_network, relative_difference  # noqa: E402
from core.network import (  # noqa: E402
    compute_cost,
    cost_and_gradients,
    gradients_to_vector,
    parameters_to_vector,
    vector_to_parameters,
)

NETWORKS = ([20, 64, 32, 1], [40, 200, 128, 1])
EXAMPLES = 128
DIRECTIONS = 10
FAST_REPEATS = 15  # runs of a method taking well under a second; the best one counts


@dataclass
class Timing:
    method: str
    evaluations: int
    seconds: float
    peak_bytes: int | None = None  # numpy allocations, when traced
    note: str = ""


def network_and_data(layer_dims: list[int], seed: int = 0):
    """He-scaled random weights, small random biases, Gaussian X and random 0/1 labels."""
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        fan_in = layer_dims[l - 1]
        parameters[f"W{l}"] = rng.standard_normal((layer_dims[l], fan_in)) * np.sqrt(2 / fan_in)
        parameters[f"b{l}"] = 0.1 * rng.standard_normal((layer_dims[l], 1))
    X = rng.standard_normal((layer_dims[0], EXAMPLES))
    Y = (rng.random((1, EXAMPLES)) < 0.5).astype(float)
    return parameters, X, Y


def best_times(runs: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """The best wall time of each run, the runs interleaved so that they share the noise."""
    best = dict.fromkeys(runs, np.inf)
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def timed(run: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    value = run()
    return value, time.perf_counter() - start


def peak_memory(run: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def course_loop(parameters, X, Y, epsilon: float = DEFAULT_EPSILON) -> np.ndarray:
    """The course's gradient check: copy θ, nudge θᵢ by ±ε, run the whole network, twice."""
    theta, layout = parameters_to_vector(parameters)
    d_theta_approx = np.zeros_like(theta)
    for i in range(theta.size):
        theta_plus = np.copy(theta)
        theta_plus[i] += epsilon
        J_plus = compute_cost(vector_to_parameters(theta_plus, layout), X, Y)
        theta_minus = np.copy(theta)
        theta_minus[i] -= epsilon
        J_minus = compute_cost(vector_to_parameters(theta_minus, layout), X, Y)
        d_theta_approx[i] = (J_plus - J_minus) / (2 * epsilon)
    return d_theta_approx


def scipy_timing(parameters, X, Y) -> Timing:
    name = "scipy.optimize.check_grad"
    if importlib.util.find_spec("scipy") is None:
        return Timing(name, 0, np.nan, note="skipped: scipy not installed")
    from scipy.optimize import check_grad

    theta, layout = parameters_to_vector(parameters)

    def J(theta):
        return compute_cost(vector_to_parameters(theta, layout), X, Y)

    def d_theta(theta):
        grads = cost_and_gradients(vector_to_parameters(theta, layout), X, Y).grads
        return gradients_to_vector(grads, layout)

    error, seconds = timed(lambda: check_grad(J, d_theta, theta))
    return Timing(name, theta.size + 1, seconds, note=f"‖dθ_approx − dθ‖ {error:.1e}")


def torch_gradcheck(parameters, X, Y) -> Callable[[bool], bool] | None:
    """gradcheck(fast_mode) -> passed, on the same network written in torch (None without torch)."""
    if importlib.util.find_spec("torch") is None:
        return None
    import torch

    torch.set_num_threads(1)
    L = len(parameters) // 2
    X_t, Y_t = torch.from_numpy(X), torch.from_numpy(Y)
    inputs = tuple(
        torch.tensor(parameters[f"{kind}{l}"], dtype=torch.float64, requires_grad=True)
        for l in range(1, L + 1)
        for kind in "Wb"
    )

    def J(*tensors):  # core.network's ReLU network and cost, in torch
        A = X_t
        for l in range(L):
            Z = tensors[2 * l] @ A + tensors[2 * l + 1]
            A = torch.relu(Z)
        cross_entropy = torch.clamp(Z, min=0) - Z * Y_t + torch.log1p(torch.exp(-Z.abs()))
        return cross_entropy.sum() / X.shape[1]

    return lambda fast_mode: torch.autograd.gradcheck(
        J, inputs, fast_mode=fast_mode, raise_exception=False
    )


def measure(layer_dims: list[int]) -> None:
    parameters, X, Y = network_and_data(layer_dims)
    P = parameters_to_vector(parameters)[0].size
    L = len(layer_dims) - 1
    print(f"\nNetwork {'-'.join(map(str, layer_dims))}, m = {EXAMPLES}, P = {P:,} parameters")

    def full():
        return check_network(parameters, X, Y)

    def directions():
        return check_network(parameters, X, Y, mode="directions", k=DIRECTIONS)

    result, fast = full(), directions()
    full_seconds = best_times({"full": full}, 5 if P < 10_000 else 3)["full"]
    loop_approx, loop_seconds = timed(lambda: course_loop(parameters, X, Y))
    gradcheck = torch_gradcheck(parameters, X, Y)
    runs = {"directions": directions}
    if gradcheck is not None:
        runs["torch fast"] = lambda: gradcheck(True)
    fast_seconds = best_times(runs, FAST_REPEATS)

    kinks = result.kinks
    without = f" ({kinks.difference_without:.1e} without them)" if kinks.count else ""
    timings = [
        Timing(
            "check_network, full",
            result.evaluations,
            full_seconds,
            peak_memory(full),
            f"difference {result.difference:.1e}, {kinks.count} kinks{without}",
        ),
        Timing(
            f"check_network, directions k={DIRECTIONS}",
            fast.evaluations,
            fast_seconds["directions"],
            peak_memory(directions),
            f"difference {fast.difference:.1e}",
        ),
        Timing(
            "course loop (copy θ, nudge, forward)",
            2 * P,
            loop_seconds,
            peak_memory(lambda: course_loop(parameters, X, Y)) if P < 10_000 else None,
            f"difference {relative_difference(loop_approx, result.analytic):.1e}",
        ),
        scipy_timing(parameters, X, Y),
    ]
    if gradcheck is None:
        timings += [
            Timing(f"torch gradcheck, {mode} mode", 0, np.nan, note="skipped: torch not installed")
            for mode in ("default", "fast")
        ]
    else:
        passed, default_seconds = timed(lambda: gradcheck(False))
        timings += [
            Timing(
                "torch gradcheck, default mode",
                2 * P,
                default_seconds,
                note="passed" if passed else "failed",
            ),
            Timing(
                "torch gradcheck, fast mode",
                4 * L,  # one random direction per input tensor, 2 evaluations each
                fast_seconds["torch fast"],
                note="passed" if gradcheck(True) else "failed",
            ),
        ]
    print(f"{'method':40s}{'evaluations':>12s}{'seconds':>11s}{'peak MB':>9s}  result")
    for timing in timings:
        peak = "—" if timing.peak_bytes is None else f"{timing.peak_bytes / 2**20:.1f}"
        print(
            f"{timing.method:40s}{timing.evaluations:>12,}{timing.seconds:>11.4f}{peak:>9s}"
            f"  {timing.note}"
        )
    print(f"full check vs course loop:        {loop_seconds / full_seconds:6.1f}x (target ≥ 5x)")
    if gradcheck is not None:
        print(
            f"full check vs torch default mode: {default_seconds / full_seconds:6.1f}x "
            "(target ≥ 20x)"
        )
        print(
            f"directions vs torch fast mode:    "
            f"{fast_seconds['torch fast'] / fast_seconds['directions']:6.1f}x (target ≥ 1x)"
        )
    gap = np.linalg.norm(result.approx - loop_approx) / np.linalg.norm(loop_approx)
    print(
        f"dθ_approx of the full check vs the loop's: ‖Δ‖/‖loop‖ = {gap:.1e} (target ≤ 1e-9), "
        f"largest |Δ| {np.max(np.abs(result.approx - loop_approx)):.1e}"
    )


def main() -> None:
    versions = [f"numpy {np.__version__}"]
    for name in ("scipy", "torch"):
        if importlib.util.find_spec(name) is not None:
            versions.append(f"{name} {__import__(name).__version__}")
        else:
            versions.append(f"{name} not installed (skipped)")
    print(f"Gradient check speed, ε = {DEFAULT_EPSILON:g}, one thread; " + ", ".join(versions))
    for layer_dims in NETWORKS:
        measure(layer_dims)


if __name__ == "__main__":
    main()
