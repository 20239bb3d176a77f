"""Grad check in practice: the lecture's rules of thumb for gradient checking, measured.

Each rule becomes an experiment on the "lab": the 300 training points of the moons data
set (``core.datasets.toy_split``) and a small network 2 → n[1] → n[2] → 1 with
He-initialized weights. Every check is ``core.gradient_check.check_network``.

* Don't check while training (``check_cost``). One check evaluates J twice per
  parameter, 2·P forward passes; a training step is one forward and one backward pass.
  So one check costs about 2·P · t_J / t_step training steps, and P grows fast with width.
* Look at the components (``component_puzzle``). A planted bug breaks the gradient of
  particular blocks; the difference per block W1, b1, … points at them.
* Remember regularization (``regularization_sweep``). J includes (λ/2m)·Σ‖W[l]‖²_F, so
  every dW[l] must include (λ/m)·W[l]; leave it out and the difference grows with λ.
* Not with dropout (``dropout_sweep``). With a fresh mask D at every evaluation, J(θ + ε)
  and J(θ − ε) belong to different networks: their difference carries an O(1/ε) noise.
  One mask kept fixed (or keep_prob = 1) makes J a single function again.
* At initialization and again after training (``train_with_snapshots``,
  ``checks_along_training``). A bug whose error is small beside the large gradient at the
  start can show once training has shrunk the gradient (or grown the weights the error
  follows), and ReLU kinks appear as pre-activations drift towards 0.

A bug's difference is measured against the same dθ_approx as the correct code's: the
bug changes dθ only (backpropagation), never J, so one check serves every bug, and the
result equals ``check_network(..., bug=...)``.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from core._checks import epsilon_value, positive_int
from core.datasets import toy_split
from core.gradient_check import (
    DEFAULT_EPSILON,
    GradientCheckResult,
    check_network,
    gradient_check,
    relative_difference,
    verdict_for,
)
from core.initialization import initialize_parameters
from core.network import (
    MAX_ITERATIONS,
    SINGLE_BUGS,
    Layout,
    compute_cost,
    cost_and_gradients,
    dropout_masks,
    gradients_to_vector,
    layer_dims_of,
    parameters_to_vector,
    train,
    vector_to_parameters,
)

LAB_DATA_SEED = 0
"""The seed of the lab's data: every experiment checks the same 300 points."""
LAB_HIDDEN = (10, 5)
"""Hidden layer sizes of the lab network, as in the course's initialization notebook."""
MAX_LAB_WIDTH = 256
"""The widest hidden layer the lab builds (66,817 parameters at 256, 256)."""

PUZZLE_LAMBDA = 0.7
PUZZLE_KEEP_PROB = 0.8
PUZZLE_ACTIVATION = "tanh"
"""The puzzle's setting: λ > 0 and keep_prob < 1 (one fixed mask) give every planted bug
something to break, and tanh has no kink to blur the picture."""

REALISTIC_HIDDEN = (1000, 1000)
"""The hidden layers of a network of realistic size: 2 → 1000 → 1000 → 1 has 1,005,001
parameters."""

MASK_DRAWS = 20
"""Fresh dropout masks drawn to measure how much J moves from mask to mask."""
MAX_SNAPSHOTS = 50
"""The most checks one training run is checked at (each is a full check)."""


class Lab(NamedTuple):
    """The lab: X (2, 300), Y (1, 300) and He-initialized parameters."""

    X: np.ndarray
    Y: np.ndarray
    parameters: dict[str, np.ndarray]


def lab(hidden: Sequence[int] = LAB_HIDDEN, rng: np.random.Generator | None = None) -> Lab:
    """The moons training set (always the same) and a network 2 → hidden → 1 whose He
    weights are drawn from ``rng`` (default: seeded with 0)."""
    for n in hidden:
        positive_int(n, "a hidden layer size", maximum=MAX_LAB_WIDTH)
    data = toy_split("moons", np.random.default_rng(LAB_DATA_SEED))
    rng = np.random.default_rng(0) if rng is None else rng
    parameters = initialize_parameters((2, *hidden, 1), "he", rng)
    return Lab(data.X_train, data.Y_train, parameters)


# ----------------------------------------------------------------------------- the cost


@dataclass(frozen=True)
class CheckCost:
    """What one gradient check costs, in seconds and in training steps.

    ``loop_seconds`` is the course's loop over all P coordinates (copy θ, nudge one
    coordinate, unpack, one forward pass; twice per coordinate), timed on
    ``timed_coordinates`` random coordinates and scaled to P: every coordinate costs the
    same two passes. ``batched_seconds`` is ``check_network``'s full check, which sends a
    whole block's nudges through the network together.
    """

    layer_dims: tuple[int, ...]
    parameters: int  # P
    step_seconds: float  # one forward + backward pass
    cost_seconds: float  # one evaluation of J, a forward pass
    loop_seconds: float
    batched_seconds: float
    timed_coordinates: int

    @property
    def evaluations(self) -> int:
        """2·P: the cost evaluations of one check."""
        return 2 * self.parameters

    @property
    def theory_ratio(self) -> float:
        """2·P · t_J / t_step: one check in training steps, if J costs t_J."""
        return self.evaluations * self.cost_seconds / self.step_seconds

    @property
    def loop_ratio(self) -> float:
        return self.loop_seconds / self.step_seconds

    def checked_training_seconds(self, steps: int) -> float:
        """How long ``steps`` training steps take with the course's check at every step."""
        return steps * (self.step_seconds + self.loop_seconds)

    @property
    def batched_ratio(self) -> float:
        return self.batched_seconds / self.step_seconds


def check_cost(
    parameters: Mapping[str, np.ndarray],
    X: np.ndarray,
    Y: np.ndarray,
    rng: np.random.Generator,
    *,
    timed_coordinates: int = 50,
    repeats: int = 15,
    activation: str = "relu",
) -> CheckCost:
    """Time one training step, one J, the course's check loop and ``check_network``.

    Times are CPU seconds of this process (``time.process_time``), so that other
    programs on a busy machine do not count. Each is the fastest of several runs, and
    the runs take turns, so that whatever slows them slows all alike: ``repeats`` rounds
    of a step and a J; in the first min(repeats, 3) rounds also the loop
    (``gradient_check`` on ``timed_coordinates`` coordinates drawn from ``rng``, all of
    them when P is smaller, scaled to all P), and in the first two ``check_network``.
    """
    repeats = positive_int(repeats, "repeats", maximum=100)
    timed_coordinates = positive_int(timed_coordinates, "timed_coordinates", maximum=10_000)
    theta, layout = parameters_to_vector(parameters)
    d_theta = gradients_to_vector(cost_and_gradients(parameters, X, Y, activation).grads, layout)
    chosen = np.sort(rng.choice(theta.size, min(timed_coordinates, theta.size), replace=False))

    def course_cost(theta_chosen: np.ndarray) -> float:
        # the course's loop: a copy of θ with the nudged coordinate, unpacked, then J
        nudged = theta.copy()
        nudged[chosen] = theta_chosen
        return compute_cost(vector_to_parameters(nudged, layout), X, Y, activation)

    timed: dict[str, list[float]] = {"step": [], "cost": [], "loop": [], "batched": []}
    for round_ in range(repeats):
        timed["step"].append(_seconds(lambda: cost_and_gradients(parameters, X, Y, activation)))
        timed["cost"].append(_seconds(lambda: compute_cost(parameters, X, Y, activation)))
        if round_ < 3:
            loop = _seconds(lambda: gradient_check(course_cost, theta[chosen], d_theta[chosen]))
            timed["loop"].append(loop * theta.size / chosen.size)
        if round_ < 2:
            timed["batched"].append(
                _seconds(lambda: check_network(parameters, X, Y, activation=activation))
            )
    fastest = {name: min(times) for name, times in timed.items()}
    return CheckCost(
        layer_dims=tuple(layer_dims_of(parameters)),
        parameters=theta.size,
        step_seconds=fastest["step"],
        cost_seconds=fastest["cost"],
        loop_seconds=fastest["loop"],
        batched_seconds=fastest["batched"],
        timed_coordinates=int(chosen.size),
    )


class RealisticCost(NamedTuple):
    """The course's loop on a network of realistic size, from one training step and one J
    timed on it: the loop is 2·P forward passes (plus a copy of θ each, left out here)."""

    layer_dims: tuple[int, ...]
    parameters: int  # P
    step_seconds: float  # one forward + backward pass
    cost_seconds: float  # one J

    @property
    def evaluations(self) -> int:
        return 2 * self.parameters

    @property
    def loop_seconds(self) -> float:
        """2·P · t_J: one check by the course's loop."""
        return self.evaluations * self.cost_seconds

    @property
    def loop_ratio(self) -> float:
        """One check in training steps."""
        return self.loop_seconds / self.step_seconds


def realistic_cost(hidden: Sequence[int] = REALISTIC_HIDDEN, *, repeats: int = 3) -> RealisticCost:
    """Time one training step and one J of 2 → hidden → 1 (He weights, the lab's 300
    points), each the fastest of ``repeats`` runs in CPU time: the course's loop is then
    2·P·t_J. At REALISTIC_HIDDEN a step takes some 50 ms, a whole loop hours."""
    repeats = positive_int(repeats, "repeats", maximum=10)
    X, Y, _ = lab(())
    parameters = initialize_parameters((2, *hidden, 1), "he", np.random.default_rng(0))
    step = min(_seconds(lambda: cost_and_gradients(parameters, X, Y)) for _ in range(repeats))
    cost = min(_seconds(lambda: compute_cost(parameters, X, Y)) for _ in range(repeats))
    P = sum(value.size for value in parameters.values())
    return RealisticCost(tuple(layer_dims_of(parameters)), P, step, cost)


def _seconds(call: Callable[[], object]) -> float:
    # CPU seconds of this process: other programs busy on the machine do not count
    start = time.process_time()
    call()
    return time.process_time() - start


# ----------------------------------------------------------------------------- the components


class BlockTerms(NamedTuple):
    """The parts of one block's difference: ‖dθ_approx − dθ‖, ‖dθ_approx‖ and ‖dθ‖."""

    numerator: float
    approx_norm: float
    analytic_norm: float


class Puzzle(NamedTuple):
    """A planted bug drawn at random, and the check that gives it away block by block."""

    seed: int
    bug: str
    result: GradientCheckResult
    terms: dict[str, BlockTerms]  # by block, in θ's order


def component_puzzle(seed: int) -> Puzzle:
    """Draw one of ``SINGLE_BUGS`` and the lab's weights from ``seed``, and check.

    The check runs at λ = PUZZLE_LAMBDA and keep_prob = PUZZLE_KEEP_PROB (one fixed
    mask), with tanh hidden units, so that every planted bug changes dθ.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"The puzzle's seed must be a whole number ≥ 0; got {seed!r}.")
    rng = np.random.default_rng(seed)
    bug = str(rng.choice(sorted(SINGLE_BUGS)))
    X, Y, parameters = lab(rng=rng)
    result = check_network(
        parameters,
        X,
        Y,
        activation=PUZZLE_ACTIVATION,
        lambd=PUZZLE_LAMBDA,
        keep_prob=PUZZLE_KEEP_PROB,
        bug=bug,
        rng=rng,
        fresh_mask=False,
    )
    terms = {}
    for block in _layout(parameters).blocks:
        approx, analytic = (v[block.start : block.stop] for v in (result.approx, result.analytic))
        terms[block.name] = BlockTerms(
            *map(
                float,
                (
                    np.linalg.norm(approx - analytic),
                    np.linalg.norm(approx),
                    np.linalg.norm(analytic),
                ),
            )
        )
    return Puzzle(int(seed), bug, result, terms)


# ----------------------------------------------------------------------------- regularization


class RegularizationSweep(NamedTuple):
    """The check at each λ, of the correct code and of "l2_missing_in_dW".

    ``missing_norm`` is ‖(λ/m)·W‖, the part of dθ the bug leaves out, and
    ``gradient_norm`` is ‖dθ‖ of the correct code; the bug's difference is about
    missing_norm / (‖dθ_approx‖ + ‖dθ_bug‖).
    """

    lambdas: np.ndarray
    correct: np.ndarray
    buggy: np.ndarray
    missing_norm: np.ndarray
    gradient_norm: np.ndarray

    @property
    def estimate(self) -> np.ndarray:
        """missing_norm / 2·gradient_norm: the lecture's estimate of the bug's difference,
        ‖(λ/m)·W‖ / 2‖dθ‖, while the left-out term is small beside dθ."""
        return self.missing_norm / (2 * self.gradient_norm)

    @property
    def smallest_caught(self) -> float | None:
        """The smallest λ at which the bug's verdict is "bug" (None if at none)."""
        caught = [
            lambd
            for lambd, d in zip(self.lambdas, self.buggy, strict=True)
            if verdict_for(d) == "bug"
        ]
        return float(min(caught)) if caught else None


def regularization_sweep(
    parameters: Mapping[str, np.ndarray],
    X: np.ndarray,
    Y: np.ndarray,
    lambdas: Sequence[float],
    *,
    activation: str = "tanh",
    epsilon: float = DEFAULT_EPSILON,
) -> RegularizationSweep:
    """Check the correct backpropagation and the one without (λ/m)·W at every λ."""
    if len(lambdas) == 0:
        raise ValueError("Give at least one λ to check at.")
    rows = []
    for lambd in lambdas:
        result = check_network(
            parameters, X, Y, activation=activation, lambd=lambd, epsilon=epsilon
        )
        buggy = _bug_gradient(parameters, X, Y, "l2_missing_in_dW", activation, lambd)
        rows.append(
            (
                result.difference,
                relative_difference(result.approx, buggy),
                float(np.linalg.norm(result.analytic - buggy)),
                float(np.linalg.norm(result.analytic)),
            )
        )
    correct, buggy, missing, gradient = np.array(rows).T
    return RegularizationSweep(np.asarray(lambdas, float), correct, buggy, missing, gradient)


def _bug_gradient(parameters, X, Y, bug: str, activation: str, lambd: float) -> np.ndarray:
    # dθ of the backward pass with the planted bug (no dropout), in θ's order
    claimed = cost_and_gradients(parameters, X, Y, activation, lambd, bug=bug)
    return gradients_to_vector(claimed.grads, _layout(parameters)).astype(np.float64)


def _layout(parameters: Mapping[str, np.ndarray]) -> Layout:
    return parameters_to_vector(parameters)[1]


# ----------------------------------------------------------------------------- dropout


class DropoutSweep(NamedTuple):
    """The check of correct code at each keep_prob: one fixed mask against a fresh mask
    at every evaluation (on ``check_network``'s sample of k coordinates per block).

    ``cost_spread`` is the standard deviation of J over MASK_DRAWS fresh masks at θ:
    a fresh-mask quotient carries (J_D′ − J_D″)/2ε, noise of about √2·spread/2ε, against
    components of typical size ``gradient_rms``.
    """

    keep_probs: np.ndarray
    fixed: np.ndarray
    fresh: np.ndarray
    cost_spread: np.ndarray
    gradient_rms: np.ndarray
    epsilon: float

    @property
    def mask_noise(self) -> np.ndarray:
        """√2·σ(J_D) / 2ε: the typical size of (J_D′ − J_D″)/2ε in a fresh-mask quotient."""
        return np.sqrt(2) * self.cost_spread / (2 * self.epsilon)


def dropout_sweep(
    parameters: Mapping[str, np.ndarray],
    X: np.ndarray,
    Y: np.ndarray,
    keep_probs: Sequence[float],
    *,
    activation: str = "tanh",
    epsilon: float = DEFAULT_EPSILON,
    seed: int = 0,
) -> DropoutSweep:
    """Check correct code at every keep_prob, with a fixed mask and with fresh masks.

    At keep_prob = 1 there is no mask: both checks are the same check. Masks are drawn
    from a generator seeded with ``seed`` for each keep_prob.
    """
    if len(keep_probs) == 0:
        raise ValueError("Give at least one keep_prob to check at.")
    rows = []
    dims = layer_dims_of(parameters)
    for keep_prob in keep_probs:
        rng = np.random.default_rng(seed)
        result = check_network(
            parameters, X, Y, activation=activation, keep_prob=keep_prob, epsilon=epsilon, rng=rng
        )
        fresh = result.difference if keep_prob == 1 else result.fresh_mask_difference
        costs = [
            compute_cost(
                parameters,
                X,
                Y,
                activation,
                0.0,
                keep_prob,
                dropout_masks(dims, X.shape[1], keep_prob, rng) if keep_prob < 1 else None,
            )
            for _ in range(MASK_DRAWS)
        ]
        rms = float(np.sqrt(np.mean(np.square(result.analytic))))
        rows.append((result.difference, fresh, float(np.std(costs)), rms))
    fixed, fresh, spread, rms = np.array(rows).T
    return DropoutSweep(np.asarray(keep_probs, float), fixed, fresh, spread, rms, epsilon)


# ----------------------------------------------------------------------------- along training


class Snapshot(NamedTuple):
    """The parameters after ``iteration`` steps of gradient descent, and J there."""

    iteration: int
    parameters: dict[str, np.ndarray]
    cost: float


def train_with_snapshots(
    parameters: Mapping[str, np.ndarray],
    X: np.ndarray,
    Y: np.ndarray,
    *,
    lambd: float,
    learning_rate: float,
    num_iterations: int,
    snapshots: int,
    activation: str = "relu",
    progress: Callable[[int, float], None] | None = None,
) -> tuple[Snapshot, ...]:
    """Train with ``core.network.train`` and keep the parameters at ``snapshots`` + 1
    evenly spaced iterations, 0 (the initialization) and num_iterations included.

    ``progress(i, J)`` is called at every snapshot, for a progress bar.
    """
    num_iterations = positive_int(num_iterations, "num_iterations", maximum=MAX_ITERATIONS)
    snapshots = positive_int(snapshots, "snapshots", maximum=min(MAX_SNAPSHOTS, num_iterations))
    stops = np.linspace(0, num_iterations, snapshots + 1).round().astype(int)
    current = {key: np.array(value, dtype=float) for key, value in parameters.items()}
    taken = [Snapshot(0, current, compute_cost(current, X, Y, activation, lambd))]
    if progress is not None:
        progress(0, taken[0].cost)
    for start, stop in itertools.pairwise(stops):
        run = train(
            X,
            Y,
            current,
            activation=activation,
            learning_rate=learning_rate,
            num_iterations=int(stop - start),
            lambd=lambd,
        )
        current = run.parameters
        taken.append(Snapshot(int(stop), current, float(run.costs[-1])))
        if progress is not None:
            progress(int(stop), taken[-1].cost)
    return tuple(taken)


@dataclass(frozen=True)
class TrainingChecks:
    """Full checks at every snapshot of a training run; each array has one entry per
    snapshot.

    ``bugs`` holds, for every planted bug that changes dθ in this setting, its
    difference over the components that met no kink, so that only the bug moves it
    (where no component met a kink it is what ``check_network(..., bug=...)`` reports).
    ``unchanged`` names the bugs that change nothing here: their dθ is the correct one.
    """

    iterations: np.ndarray
    costs: np.ndarray
    correct: np.ndarray
    correct_without_kinks: np.ndarray
    kinked: np.ndarray  # components whose θ ± ε networks put a pre-activation across 0
    crossings: np.ndarray  # unit·example pre-activations that crossed 0, summed
    bugs: dict[str, np.ndarray]
    unchanged: tuple[str, ...]
    weight_norm: np.ndarray  # ‖W‖, all W[l] together (Frobenius)
    gradient_norm: np.ndarray  # ‖dθ‖ of the correct code
    epsilon: float
    lambd: float
    parameters: int  # P
    examples: int  # m

    @property
    def l2_estimate(self) -> np.ndarray:
        """(λ/m)·‖W‖ / 2‖dθ‖: about the difference of "l2_missing_in_dW", whose error is
        the left-out (λ/m)·W, while that error is small beside dθ."""
        return self.lambd / self.examples * self.weight_norm / (2 * self.gradient_norm)


def checks_along_training(
    snapshots: Sequence[Snapshot],
    X: np.ndarray,
    Y: np.ndarray,
    *,
    lambd: float,
    activation: str = "relu",
    epsilon: float = DEFAULT_EPSILON,
) -> TrainingChecks:
    """Check the correct code and every planted bug at each snapshot (no dropout)."""
    if len(snapshots) == 0:
        raise ValueError("Give at least one snapshot to check.")
    epsilon = epsilon_value(epsilon)
    layout = _layout(snapshots[0].parameters)
    names = np.array([layout.coordinate_name(i) for i in range(layout.size)])
    first = snapshots[0].parameters
    correct_first = _bug_gradient(first, X, Y, None, activation, lambd)
    changing = [
        bug
        for bug in SINGLE_BUGS
        if not np.array_equal(_bug_gradient(first, X, Y, bug, activation, lambd), correct_first)
    ]
    rows = []
    for snapshot in snapshots:
        result = check_network(
            snapshot.parameters, X, Y, activation=activation, lambd=lambd, epsilon=epsilon
        )
        kinked = np.isin(names, result.kinks.names) if result.kinks else np.zeros(len(names), bool)
        kept = ~kinked
        approx = result.approx[kept]
        W = [value for key, value in snapshot.parameters.items() if key.startswith("W")]
        row = {
            "correct": result.difference,
            "without": relative_difference(approx, result.analytic[kept]),
            "kinked": kinked.sum(),
            "crossings": result.kinks.crossings if result.kinks else 0,
            "weights": np.sqrt(sum(np.square(w).sum() for w in W)),
            "gradient": np.linalg.norm(result.analytic),
        }
        for bug in changing:
            d_theta = _bug_gradient(snapshot.parameters, X, Y, bug, activation, lambd)
            row[bug] = relative_difference(approx, d_theta[kept])
        rows.append(row)

    def column(key: str) -> np.ndarray:
        return np.array([row[key] for row in rows])

    return TrainingChecks(
        iterations=np.array([snapshot.iteration for snapshot in snapshots]),
        costs=np.array([snapshot.cost for snapshot in snapshots]),
        correct=column("correct"),
        correct_without_kinks=column("without"),
        kinked=column("kinked").astype(int),
        crossings=column("crossings").astype(int),
        bugs={bug: column(bug) for bug in changing},
        unchanged=tuple(bug for bug in SINGLE_BUGS if bug not in changing),
        weight_norm=column("weights"),
        gradient_norm=column("gradient"),
        epsilon=epsilon,
        lambd=float(lambd),
        parameters=layout.size,
        examples=int(X.shape[1]),
    )


def hidden_at_initialization(checks: TrainingChecks) -> tuple[str, ...]:
    """The planted bugs a check at initialization lets through and a check after
    training catches: not "bug" at the first snapshot, "bug" at the last (kinked
    components left out, so that a kink cannot decide it)."""
    return tuple(
        bug
        for bug, differences in checks.bugs.items()
        if verdict_for(differences[0]) != "bug" and verdict_for(differences[-1]) == "bug"
    )
