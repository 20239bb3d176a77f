"""The weight initialization page's controls, its cached simulation and training, and its
sentences.

Two parts, as on the page: random data pushed through a deep network initialized by the
chosen method, then the course's experiment, training a small network from it. A
training runs once per setting up to a horizon and keeps snapshots, so the iterations
slider only slices a run already made.
"""

from itertools import pairwise
from typing import NamedTuple

import numpy as np
import pandas as pd
import streamlit as st

from core import datasets, initialization, network, propagation
from core.initialization import PRESETS
from ui.heavy import compute
from ui.presentation import secondary

MULTIPLIERS = (0.01, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 10.0, 100.0)
HIDDEN = {"10, 5": (10, 5), "5": (5,), "20, 10": (20, 10)}  # larger: over 2 s to train
RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3)
MAX_ITERATIONS, ITERATION_STEP = 15_000, 100
# A training runs to the first horizon at or past the slider, keeping a snapshot every
# ITERATION_STEP steps: short runs stay quick, and the slider never retrains.
HORIZONS = (1_000, MAX_ITERATIONS)
COURSE_SETTING = ("circles", (10, 5), MAX_ITERATIONS, 0.01)  # data, hidden, iterations, α
URL = {"bind": "query-params"}
WIDTHS = (10, 25, 50, 100, 200, 500)
# Every control's starting value, by widget key: the widgets and the walkthrough read it.
DEFAULTS = {
    "wi_init": "He", "wi_v": 1.0, "wi_seed": 0, "wi_data": datasets.TOY_SETS[0],
    "wi_hidden": "10, 5", "wi_iter": MAX_ITERATIONS, "wi_lr": 0.01, "wi_test": True,
    # ReLU first: the method's default is He, which is made for it (tanh's is Xavier).
    "wi_deep_act": "relu", "wi_depth": 10, "wi_width": 100,
}  # fmt: skip


def sidebar_controls() -> tuple[str, float, int, tuple]:
    """Method, v, seed and the training setting (data, hidden, iterations, α)."""
    # fmt: off
    with st.sidebar:
        st.header("Initialization")
        name = st.selectbox("Method", list(PRESETS), list(PRESETS).index(DEFAULTS["wi_init"]),
                            key="wi_init", **URL,
                            help="The course's names; the table gives PyTorch's and Keras's.")
        v = st.select_slider("Variance multiplier v", MULTIPLIERS, DEFAULTS["wi_v"], key="wi_v",
                             **URL,
                             format_func=lambda x: f"{x:g}",
                             help="Multiplies Var(W[l]); σ grows as √v. v = 2 makes Xavier He.")
        seed = secondary().number_input("Random seed", 0, 9999, DEFAULTS["wi_seed"], key="wi_seed",
                               **URL,
                               help="Draws the data, then the weights: all methods share the data.")
        st.header("Training")
        data = st.radio("Data", datasets.TOY_SETS, datasets.TOY_SETS.index(DEFAULTS["wi_data"]),
                        key="wi_data", horizontal=True, **URL)
        hidden = st.selectbox("Hidden layers (units)", list(HIDDEN),
                              list(HIDDEN).index(DEFAULTS["wi_hidden"]), key="wi_hidden", **URL,
                              help="ReLU units; the output is one sigmoid unit. The course's "
                                   "network is 2 → 10 → 5 → 1.")
        iterations = st.slider("Iterations", ITERATION_STEP, MAX_ITERATIONS, DEFAULTS["wi_iter"],
                               ITERATION_STEP, key="wi_iter", **URL,
                               help="Steps of batch gradient descent (the course runs 15,000).")
        rate = secondary().select_slider("Learning rate α", RATES, DEFAULTS["wi_lr"], key="wi_lr",
                                         **URL,
                                format_func=lambda x: f"{x:g}")
    # fmt: on
    return name, v, int(seed), (data, HIDDEN[hidden], iterations, rate)


def deep_controls() -> tuple[str, int, int]:
    """Activation, depth L and width n of the deep network."""
    row, activations = st.columns(3), ("relu", "tanh")
    activation = row[0].radio("Activation", activations,
                              activations.index(DEFAULTS["wi_deep_act"]), key="wi_deep_act",
                              horizontal=True, **URL)  # fmt: skip
    depth = row[1].slider("Layers L", 2, 30, DEFAULTS["wi_depth"], key="wi_depth", **URL)
    width = row[2].select_slider("Units per layer n", WIDTHS, DEFAULTS["wi_width"],
                                 key="wi_width", **URL)  # fmt: skip
    return activation, depth, width


# ---------------------------------------------------------------- formulas


def sigma_latex(name: str, v: str, n_prev: object, n: object) -> str:
    """σ of the preset written out, with the multiplier v (left out when empty)."""
    method, scale = PRESETS[name]
    if method in ("zeros", "random"):
        return "0" if method == "zeros" else f"{scale:g}" + (rf"\sqrt{{{v}}}" if v else "")
    fractions = {"xavier": ("1", n_prev), "glorot": ("2", f"{n_prev} + {n}"), "he": ("2", n_prev)}
    top, bottom = fractions[method]
    times_v = rf"{v} \cdot " if v else ""
    return rf"\sqrt{{{times_v}\frac{{{top}}}{{{bottom}}}}}"


def lecture_latex(name: str) -> str:
    """The lecture's rule for W[l], with σ of the chosen method."""
    return (
        r"\begin{aligned} W^{[l]} &= \sigma^{[l]} \cdot \texttt{randn}(n^{[l]}, n^{[l-1]}),\quad "
        r"b^{[l]} = 0 \\ \sigma^{[l]} &= "
        + sigma_latex(name, "v", "n^{[l-1]}", "n^{[l]}")
        + r",\quad \operatorname{Var}(W^{[l]}) = (\sigma^{[l]})^2 \end{aligned}"
    )


def live_latex(name: str, v: float, dims: tuple[int, ...]) -> str:
    """σ of every layer of the training network, written out with its numbers."""
    method, std_scale = PRESETS[name].method, PRESETS[name].std_scale(v)
    lines = [
        rf"\sigma^{{[{l}]}} &= {sigma_latex(name, '' if v == 1 else f'{v:g}', n_prev, n)} = "
        f"{initialization.init_std(method, n_prev, n, std_scale):.3f}"
        for l, (n_prev, n) in enumerate(pairwise(dims), start=1)
    ]
    return r"\begin{aligned}" + r"\\".join(lines) + r"\end{aligned}"


def names_table() -> pd.DataFrame:
    """The methods under the course's, PyTorch's and Keras's names."""
    names = pd.DataFrame([names._asdict() for names in initialization.METHOD_NAMES.values()])
    return names.set_index("course").rename(columns={"pytorch": "PyTorch", "keras": "Keras"})


# ---------------------------------------------------------------- through a deep network


@st.cache_data(max_entries=32, show_spinner="Pushing random data through the deep network…")
def simulated(depth, width, activation, name, v, seed) -> propagation.RandomNetworkSignals:
    rng, preset = np.random.default_rng(seed), PRESETS[name]
    # normal: the course's randn (the simulation's default is the cheaper uniform)
    return compute(
        propagation.simulate_random_network, depth, width, activation, preset.method, rng,
        preset.std_scale(v), distribution="normal",
    )  # fmt: skip


def signal_notice(signals: propagation.RandomNetworkSignals, activation: str) -> tuple[str, str]:
    """(level, sentence): what happens to the signal through this deep network."""
    first, last = signals.Z_rms[0], signals.Z_rms[-1]
    depth, width = signals.depth, signals.width
    if signals.forward_zero_layer == 1:
        return "warning", (
            f"Nothing gets through: with W = 0 every Z[l] is exactly 0, so all {width} units of "
            f"a layer output the same {activation}(0) whatever the input is."
        )
    if signals.forward_zero_layer is not None or last < 1e-2 * first:
        return "warning", (
            f"The signal vanishes: the rms of Z falls from {first:.2g} in layer 1 to {last:.2g} "
            f"in layer {depth}; every unit outputs ≈ {activation}(0), and the gradients dW[l] = "
            "dZ[l] A[l−1]ᵀ/m, which carry A, fade with it."
        )
    if activation == "tanh" and signals.saturated_fraction[-1] > 0.5:
        return "warning", (
            f"The units saturate: in layer {depth}, {signals.saturated_fraction[-1]:.0%} of the "
            "activations have |A| > 0.99, where tanh′ ≈ 0 lets almost no gradient back through."
        )
    if not 0.1 <= last / first <= 10:
        return "warning", (
            f"The signal {'explodes' if last > first else 'fades'}: the rms of Z goes from "
            f"{first:.3g} in layer 1 to {last:.3g} in layer {depth}; deeper, it only gets worse."
        )
    return "success", (
        f"The signal keeps its scale: the rms of Z stays between {signals.Z_rms.min():.2f} and "
        f"{signals.Z_rms.max():.2f} over {depth} layers (σ_w² = n·Var(W) = "
        f"{signals.sigma_w2:.3g})."
    )


# ---------------------------------------------------------------- training


def horizon(iterations: int) -> int:
    """How far a training for ``iterations`` steps runs (see HORIZONS)."""
    return next(h for h in HORIZONS if h >= iterations)


class TrainingKey(NamedTuple):
    """One training of the page: what it trains on, how far, and from which start."""

    data: str
    hidden: tuple[int, ...]
    steps: int
    rate: float
    name: str
    v: float
    seed: int


@st.cache_data(max_entries=64, show_spinner=False)
def _training(key: TrainingKey) -> tuple[datasets.TrainTestSplit, network.TrainingResult]:
    """(data, TrainingResult of ``key.steps`` iterations with snapshots), trained in a
    worker process and shared by every session."""
    data_name, hidden, steps, rate, name, v, seed = key
    rng, preset = np.random.default_rng(seed), PRESETS[name]
    data = datasets.toy_split(data_name, rng)
    start = initialization.initialize_parameters(
        (2, *hidden, 1), preset.method, rng, preset.std_scale(v)
    )
    run = compute(
        network.train, data.X_train, data.Y_train, start, activation="relu",
        learning_rate=rate, num_iterations=steps, snapshot_every=ITERATION_STEP,
    )  # fmt: skip
    return data, run


def training(key: TrainingKey) -> tuple[datasets.TrainTestSplit, network.TrainingResult]:
    """The training of ``key``, with a spinner that names it while it is made."""
    with st.spinner(f"Training with {key.name} initialization: {key.steps:,} iterations…"):
        return _training(key)


def trained(data_name, hidden, iterations, rate, name, v, seed):
    """(data, TrainingResult) of ``iterations`` steps, sliced from a cached longer run."""
    data, run = training(TrainingKey(data_name, hidden, horizon(iterations), rate, name, v, seed))
    stop = iterations - iterations % ITERATION_STEP
    result = run.after(stop)
    if stop < iterations:  # a link's value between the slider's steps: train the rest
        rest = network.train(
            data.X_train, data.Y_train, result.parameters, activation="relu",
            learning_rate=rate, num_iterations=iterations - stop,
        )  # fmt: skip
        result = result.extended(rest)
    return data, result


def scores(data: datasets.TrainTestSplit, result: network.TrainingResult) -> dict:
    """The figures the course reports for one run, from core."""
    return {
        "J at the start": result.costs[0],
        "J at the end": result.costs[-1],
        "train accuracy": network.accuracy(data.X_train, data.Y_train, result.parameters),
        "test accuracy": network.accuracy(data.X_test, data.Y_test, result.parameters),
        "symmetry broken": initialization.symmetry_broken(result.parameters),
    }


# The course's published outcomes, quoted only beside the run that repeats its setting.
COURSE_RUNS = {
    "zeros": "the course's zeros run is stuck at J = 0.6931 with 50 %.",
    "random × 10": "The course's random × 10 run ends near 83 % / 86 %.",
    "He": "The course's He run: J 0.88 → 0.07, 99 % / 96 % (on circles of its own; ours are "
    "drawn here from the seed).",
}


def training_notice(name: str, v: float, training: tuple, score: dict) -> tuple[str, str]:
    """(level, sentence): how the training went, beside the course's figure for its run."""
    J0, J = score["J at the start"], score["J at the end"]
    outcome = (
        f"J {J0:.4g} → {J:.4f}, {score['train accuracy']:.0%} train / "
        f"{score['test accuracy']:.0%} test"
    )
    course = COURSE_RUNS.get(name, "") if training == COURSE_SETTING and v == 1.0 else ""
    if not np.isfinite(J):
        return "error", "Training diverged: the cost overflowed. Lower the learning rate or v."
    if not score["symmetry broken"]:
        return "warning", (
            f"Symmetry never broke: every hidden unit is still a copy of its neighbours, so the "
            f"network is no better than one unit per layer. {outcome}; {course}"
        )
    if J > 0.95 * J0:
        return "warning", (
            f"The cost has barely moved: {outcome}. Tiny weights give tiny gradients (each "
            "dW[l] carries the small W of the layers around it), so learning crawls at first."
        )
    if J0 > 5:
        return "info", (
            f"Large weights make confident, wrong first guesses, so the cost starts enormous: "
            f"{outcome}. {course}"
        )
    return "success", f"{outcome}. {course}"


def symmetry_lines(params: dict[str, np.ndarray]) -> str:
    """One line per hidden layer: are its units still identical?"""
    return "  \n".join(
        f"Units of hidden layer {l} identical (rows of W{l}, b{l}, columns of W{l + 1}): "
        f"**{'yes' if gap <= initialization.SYMMETRY_TOLERANCE else 'no'}**, spread across units "
        f"= {gap:.3g}"
        for l, gap in enumerate(initialization.hidden_unit_spread(params), start=1)
    )


# ---------------------------------------------------------------- all six compared

TABLE_KEY = "wi_table"
TABLE_FORMATS = {"J at the start": "%.4g", "J at the end": "%.4g"}  # see ui.tables
TABLE_FORMATS |= {"train accuracy": "percent", "test accuracy": "percent"}


def comparison(training: tuple, v: float, seed: int) -> pd.DataFrame | None:
    """The "Compare all six" button and its table, once every method has trained.

    One training per script run, then a rerun: no single request holds the CPU for six
    trainings, and each run's progress bar shows which one is under way.
    """
    settings = (*training, v, seed)
    if st.button("Compare all six", key="wi_compare", help="Six trainings; a few seconds each."):
        st.session_state[TABLE_KEY] = (settings, [])
    stored = st.session_state.get(TABLE_KEY)
    if not stored or stored[0] != settings:
        return None
    rows = stored[1]
    if len(rows) < len(PRESETS):
        preset = list(PRESETS)[len(rows)]
        st.caption(f"Training {len(rows) + 1} of {len(PRESETS)}: {preset}")
        rows.append({"initialization": preset} | scores(*trained(*training, preset, v, seed)))
        st.rerun()
    return pd.DataFrame(rows)
