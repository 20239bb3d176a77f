"""How long does a random-network simulation take, and how much memory does it hold?

Run from the project root:

    python -m benchmarks.propagation_speed

Times ``core.propagation.simulate_random_network`` at its largest setting, depth 200 ×
width 512 with the default batch m = 64, for ReLU (He) and tanh (Xavier) in float64
and float32 with uniform and normal weights, and at the vanishing/exploding page's
default setting (depth 50, width 256), side by side in one run.

Each setting reports the best wall time of a few interleaved runs, the CPU time of that
run (which a busy shared machine inflates less than the wall time), and the peak of
numpy allocations during one run (tracemalloc). BLAS runs on one thread unless
OPENBLAS_NUM_THREADS says otherwise, so the figures compare the algorithm, not the
thread count. Target (from the issue): the default, uniform weights in float64, at
200 × 512 well under a second on this machine (≤ 0.6 s on one thread).
"""

from __future__ import annotations

import os

# One thread for BLAS, set before numpy loads it: the target is per algorithm.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import time  # noqa: E402
import tracemalloc  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import numpy as np  # noqa: E402

from core.propagation import simulate_random_network  # noqa: E402

REPEATS = 5
TARGET_SECONDS = 0.6
PARTNER = {"relu": "he", "tanh": "xavier"}  # each activation at its edge of chaos


@dataclass(frozen=True)
class Setting:
    depth: int
    width: int
    activation: str
    dtype: str = "float64"
    distribution: str = "uniform"

    def run(self):
        return simulate_random_network(
            self.depth,
            self.width,
            self.activation,
            PARTNER[self.activation],
            np.random.default_rng(0),
            dtype=self.dtype,
            distribution=self.distribution,
        )

    @property
    def label(self) -> str:
        return f"{self.depth} × {self.width}  {self.activation:<5} {self.dtype} {self.distribution}"


def settings() -> list[Setting]:
    largest = [
        Setting(200, 512, activation, dtype, distribution)
        for distribution in ("uniform", "normal")
        for dtype in ("float64", "float32")
        for activation in PARTNER
    ]
    page_default = [Setting(50, 256, activation) for activation in PARTNER]
    return largest + page_default


def best_times(runs: list[Setting]) -> dict[Setting, tuple[float, float]]:
    """(wall, CPU) seconds of each setting's fastest run; runs interleaved to share the noise."""
    best = dict.fromkeys(runs, (np.inf, np.inf))
    for _ in range(REPEATS):
        for setting in runs:
            wall, cpu = time.perf_counter(), time.process_time()
            setting.run()
            timing = (time.perf_counter() - wall, time.process_time() - cpu)
            best[setting] = min(best[setting], timing)
    return best


def peak_memory(setting: Setting) -> int:
    tracemalloc.start()
    try:
        setting.run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    runs = settings()
    runs[0].run()  # warm up: imports, BLAS buffers
    times = best_times(runs)
    threads = os.environ["OPENBLAS_NUM_THREADS"]
    print(
        f"simulate_random_network, m = 64, best of {REPEATS}; BLAS threads {threads}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n"
    )
    print(f"{'setting':<36} {'wall s':>7} {'CPU s':>7} {'peak MiB':>9}")
    for setting in runs:
        wall, cpu = times[setting]
        peak = peak_memory(setting) / 2**20
        print(f"{setting.label:<36} {wall:7.3f} {cpu:7.3f} {peak:9.1f}")
    default = [times[Setting(200, 512, activation)][0] for activation in PARTNER]
    verdict = "met" if max(default) <= TARGET_SECONDS else "missed"
    print(
        f"\nTarget: default (float64, uniform) at 200 × 512 ≤ {TARGET_SECONDS} s: {verdict} "
        f"(ReLU {default[0]:.3f} s, tanh {default[1]:.3f} s)."
    )


if __name__ == "__main__":
    main()
