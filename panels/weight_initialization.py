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
from core.initialization import PAIRINGS, PRESETS
from core.propagation import depth_trend
from panels.vanishing_exploding import (
    VERDICT_WORDS,
    backward,
    saturation_clause,
    slow_clause,
    theory_clause,
    times,
)
from ui.heavy import compute
from ui.presentation import secondary

MULTIPLIERS = (0.01, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 10.0, 100.0)
HIDDEN = {"10, 5": (10, 5), "5": (5,), "20, 10": (20, 10)}  # larger: over 2 s to train
RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3)
MAX_ITERATIONS, ITERATION_STEP = 15_000, 100
# A training runs to the first horizon at or past the slider, keeping a snapshot every
# ITERATION_STEP steps: short runs stay quick, and the slider never retrains.
HORIZONS = (1_000, MAX_ITERATIONS)
ACTIVATIONS = ("relu", "tanh")
# data, hidden units, iterations, α, hidden activation
COURSE_SETTING = ("circles", (10, 5), MAX_ITERATIONS, 0.01, "relu")
URL = {"bind": "query-params"}
WIDTHS = (10, 25, 50, 100, 200, 500)
# Every control's starting value, by widget key: the widgets and the walkthrough read it.
DEFAULTS = {
    "wi_init": "He", "wi_v": 1.0, "wi_seed": 0, "wi_data": datasets.TOY_SETS[0],
    "wi_hidden": "10, 5", "wi_act": "relu", "wi_iter": MAX_ITERATIONS, "wi_lr": 0.01,
    "wi_test": True,
    # ReLU first: the method's default is He, which is made for it (tanh's is Xavier).
    "wi_deep_act": "relu", "wi_depth": 10, "wi_width": 100,
}  # fmt: skip


def sidebar_controls() -> tuple[str, float, int, tuple]:
    """Method, v, seed and the training setting (data, hidden, iterations, α, activation)."""
    # fmt: off
    with st.sidebar:
        st.header("Initialization")
        name = st.selectbox("Method", list(PRESETS), list(PRESETS).index(DEFAULTS["wi_init"]),
                            key="wi_init", **URL,
                            help="The course's names; the table gives PyTorch's and Keras's.")
        st.caption(PAIRINGS)
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
                              help="The output is one sigmoid unit. The course's network is "
                                   "2 → 10 → 5 → 1.")
        activation = st.radio("Hidden activation", ACTIVATIONS,
                              ACTIVATIONS.index(DEFAULTS["wi_act"]), key="wi_act",
                              horizontal=True, **URL,
                              help="The course trains ReLU; tanh is what its Xavier is for.")
        iterations = st.slider("Iterations", ITERATION_STEP, MAX_ITERATIONS, DEFAULTS["wi_iter"],
                               ITERATION_STEP, key="wi_iter", **URL,
                               help="Steps of batch gradient descent (the course runs 15,000).")
        rate = secondary().select_slider("Learning rate α", RATES, DEFAULTS["wi_lr"], key="wi_lr",
                                         **URL,
                                format_func=lambda x: f"{x:g}")
    # fmt: on
    return name, v, int(seed), (data, HIDDEN[hidden], iterations, rate, activation)


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
    """(level, sentence): what happens to the signal through this deep network, forward
    and back, judged by core's one rule (``depth_trend``)."""
    first, last = signals.Z_rms[0], signals.Z_rms[-1]
    depth, width = signals.depth, signals.width
    if signals.forward_zero_layer == 1:
        return "warning", (
            f"Nothing gets through: with W = 0 every Z[l] is exactly 0, so all {width} units of "
            f"a layer output the same {activation}(0) whatever the input is."
        )
    if signals.forward_zero_layer is not None:
        return "warning", (
            f"The signal vanishes: from layer {signals.forward_zero_layer} on, Z[l] is exactly "
            f"0, so every unit outputs {activation}(0) and no gradient reaches the weights."
        )
    forward, back = depth_trend(signals.Z_rms), backward(signals)
    gradient = f" Backward, {back.text[0].lower()}{back.text[1:]}"
    if np.isfinite(signals.dW_norm[0]):
        gradient = gradient[:-1] + f" (‖dW[1]‖ = {signals.dW_norm[0]:.2g})."
    if activation == "tanh" and signals.saturated_fraction[-1] > 0.5:
        fraction = signals.saturated_fraction[-1]
        head = "The units saturate: " + saturation_clause(activation, fraction, depth, back.verdict)
    elif forward.verdict == "keeps":
        head = (
            f"The signal keeps its scale: the rms of Z stays between {signals.Z_rms.min():.2f} "
            f"and {signals.Z_rms.max():.2f} over {depth} layers (σ_w² = n·Var(W) = "
            f"{signals.sigma_w2:.3g})."
        )
    else:
        head = (
            f"The signal {VERDICT_WORDS[forward.verdict]}: the rms of Z goes from {first:.3g} in "
            f"layer 1 to {last:.3g} in layer {depth}, {times(forward.ratio)}."
        )
    # Where the theory keeps its scale, the measured change is drift: no rate to read.
    drift = theory_clause(forward, signals.Z_rms_theory, width) or theory_clause(
        back.trend, signals.dA_rms_theory[::-1], width
    )
    if drift:
        text = head + gradient + drift
    else:
        text = head + slow_clause(forward, "It", depth) + gradient
        text += slow_clause(back.trend, "The gradient", 1)
    level = "success" if forward.verdict == back.verdict == "keeps" else "warning"
    return level, text


def reason_latex(signals: propagation.RandomNetworkSignals) -> str:
    """Var(z) = n·Var(w)·Var(x) with layer 1's numbers, beside the measured Var(Z[1]); then
    the measured share of Var(Z[1]) that g hands on, E[A[1]²] / Var(Z[1])."""
    n, var_w, var_x = signals.width, signals.sigma_w2 / signals.width, signals.X_rms**2
    var_z = signals.Z_rms[0] ** 2
    lines = [
        r"\operatorname{Var}(z) &= n\,\operatorname{Var}(w)\,\operatorname{Var}(x) = "
        rf"{n} \cdot {var_w:.3g} \cdot {var_x:.3g} = {n * var_w * var_x:.3g}"
        rf"&&\text{{measured in layer 1: }} {var_z:.3g}"
    ]
    if var_z > 0:
        kept = (signals.A_std[0] ** 2 + signals.A_mean[0] ** 2) / var_z
        lines.append(
            rf"\mathbb{{E}}[a^2] \,/\, \operatorname{{Var}}(z) &= {kept:.2f}"
            rf"&&\text{{measured: }} a = {signals.activation}(z) \text{{ in layer 1}}"
        )
    return r"\begin{aligned}" + r"\\".join(lines) + r"\end{aligned}"


REASONS = {
    "relu": "Var(w) = 1/n keeps Var(z) = Var(x). ReLU zeroes half the units, so it hands on "
    "about half of Var(z) (0.5 above): He doubles Var(w) to 2/n to make up for it.",
    "tanh": "Var(w) = 1/n keeps Var(z) = Var(x). tanh(z) ≈ z near 0 hands a small z on "
    "whole, so the course keeps 1/n for it (Xavier); at Var(z) ≈ 1 it already hands on less "
    "(above), which is why its signal fades slowly with depth.",
}

PASSES = ("forward: rms of Z[l]", "backward: rms of dA[l]")
GRID_MAX_WIDTH = 100
"""The grid's six networks are at most this wide, so that they cost ~0.1 s together."""


@st.cache_data(max_entries=32, show_spinner=False)  # twelve tables built once per setting
def pairing_grid(depth, width, name, v, seed) -> tuple[pd.DataFrame, pd.DataFrame]:
    """{ReLU, tanh} × {Xavier, He, the chosen method} at ``depth`` layers of ``width`` units
    (call it with at most ``GRID_MAX_WIDTH``): (per-layer rms forward and back, one row per
    activation, method, pass and layer; the one rule's verdicts, one cell each)."""
    chosen = f"chosen: {name}" + ("" if v == 1 else f", v = {v:g}")
    columns = {"Xavier": ("Xavier", 1.0), "He": ("He", 1.0), chosen: (name, v)}
    parts, verdicts = [], {}
    for activation in ACTIVATIONS:
        for label, (preset, vv) in columns.items():
            s = simulated(depth, width, activation, preset, vv, seed)
            for quantity, values in zip(PASSES, (s.Z_rms, s.dA_rms), strict=True):
                parts.append(pd.DataFrame({
                    "activation": activation, "method": label, "pass": quantity,
                    "layer": s.layers, "rms": values,
                }))  # fmt: skip
            verdicts[activation, label] = verdict_cell(s)
    frame = pd.concat(parts, ignore_index=True)
    frame = frame[np.isfinite(frame["rms"]) & (frame["rms"] > 0)]  # what a log axis shows
    cells = pd.Series(verdicts).unstack()[list(columns)]
    return frame, cells


def verdict_cell(signals: propagation.RandomNetworkSignals) -> str:
    """One network of the grid in words, by core's one rule: forward, then backward."""
    if (k := signals.forward_zero_layer) is not None:
        return f"forward: exactly 0 from layer {k}"
    if (k := signals.forward_nonfinite_layer) is not None:
        return f"forward: overflows at layer {k}"
    forward, back = depth_trend(signals.Z_rms), backward(signals)
    ratio = f", ×{back.trend.ratio:.2g}" if back.trend else ""
    drift = theory_clause(forward, signals.Z_rms_theory, signals.width) or theory_clause(
        back.trend, signals.dA_rms_theory[::-1], signals.width
    )
    return (
        f"forward {VERDICT_WORDS[forward.verdict]}, ×{forward.ratio:.2g} · "
        f"backward {VERDICT_WORDS[back.verdict]}{ratio}"
        + (" (drift: theory keeps)" if drift else "")
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
    activation: str
    name: str
    v: float
    seed: int


def _start(data_name, hidden, name, v, seed) -> tuple[datasets.TrainTestSplit, dict]:
    """The data, then the initial weights, drawn in that order from one seed (so every
    method of the page trains on the same data)."""
    rng, preset = np.random.default_rng(seed), PRESETS[name]
    data = datasets.toy_split(data_name, rng)
    start = initialization.initialize_parameters(
        (2, *hidden, 1), preset.method, rng, preset.std_scale(v)
    )
    return data, start


@st.cache_data(max_entries=64, show_spinner=False)
def _training(key: TrainingKey) -> tuple[datasets.TrainTestSplit, network.TrainingResult]:
    """(data, TrainingResult of ``key.steps`` iterations with snapshots), trained in a
    worker process and shared by every session."""
    data_name, hidden, steps, rate, activation, name, v, seed = key
    data, start = _start(data_name, hidden, name, v, seed)
    run = compute(
        network.train, data.X_train, data.Y_train, start, activation=activation,
        learning_rate=rate, num_iterations=steps, snapshot_every=ITERATION_STEP,
    )  # fmt: skip
    return data, run


def training(key: TrainingKey) -> tuple[datasets.TrainTestSplit, network.TrainingResult]:
    """The training of ``key``, with a spinner that names it while it is made."""
    with st.spinner(f"Training with {key.name} initialization: {key.steps:,} iterations…"):
        return _training(key)


def trained(data_name, hidden, iterations, rate, activation, name, v, seed):
    """(data, TrainingResult) of ``iterations`` steps, sliced from a cached longer run."""
    key = TrainingKey(data_name, hidden, horizon(iterations), rate, activation, name, v, seed)
    data, run = training(key)
    stop = iterations - iterations % ITERATION_STEP
    result = run.after(stop)
    if stop < iterations:  # a link's value between the slider's steps: train the rest
        rest = network.train(
            data.X_train, data.Y_train, result.parameters, activation=activation,
            learning_rate=rate, num_iterations=iterations - stop,
        )  # fmt: skip
        result = result.extended(rest)
    return data, result


@st.cache_data(max_entries=64, show_spinner=False)
def start_gradients(data_name, hidden, activation, name, v, seed) -> dict[str, np.ndarray]:
    """Backprop's gradients {"dW1", "db1", …} at the training's first step (one pass)."""
    data, start = _start(data_name, hidden, name, v, seed)
    return network.cost_and_gradients(start, data.X_train, data.Y_train, activation).grads


def scores(data: datasets.TrainTestSplit, result: network.TrainingResult, activation: str) -> dict:
    """The figures the course reports for one run, from core."""
    X, Y, parameters = data.X_train, data.Y_train, result.parameters
    return {
        "J at the start": result.costs[0],
        "J at the end": result.costs[-1],
        "train accuracy": network.accuracy(X, Y, parameters, activation),
        "test accuracy": network.accuracy(data.X_test, data.Y_test, parameters, activation),
        "symmetry broken": initialization.symmetry_broken(parameters),
    }


# The course's published outcomes, quoted only beside the run that repeats its setting.
COURSE_RUNS = {
    "zeros": "The course's zeros run is stuck at J = 0.6931 with 50 %.",
    "random × 10": "The course's random × 10 run ends near 83 % / 86 %.",
    "He": "The course's He run: J 0.88 → 0.07, 99 % / 96 % (on circles of its own; ours are "
    "drawn here from the seed).",
}
TINY_GRADIENT = 1e-3
"""‖dθ‖ at the start below this is "tiny": He's and Xavier's are ~0.05–0.1 on this network."""


def gradient_norm(grads: dict[str, np.ndarray]) -> float:
    """‖dθ‖₂ over every block."""
    return float(np.sqrt(sum(np.sum(np.square(g)) for g in grads.values())))


def zero_gradients_sentence(grads: dict[str, np.ndarray], activation: str) -> str | None:
    """Why W = 0 cannot learn, from backprop's gradients: every one but db[L]'s is exactly 0
    (None when some other gradient is not)."""
    L = len(grads) // 2
    if any(np.any(g) for key, g in grads.items() if key != f"db{L}"):
        return None
    db = float(grads[f"db{L}"][0, 0])
    moves = (
        f"only b[{L}] moves (db[{L}] = {db:.2g})"
        if db
        else f"here even db[{L}] = mean(ŷ − y) is 0 (balanced classes)"
    )
    return (
        f"Every gradient but db[{L}] is exactly 0: with W = 0 every hidden unit outputs "
        f"{activation}(0) = 0, so dW[l] = dZ[l]A[l−1]ᵀ/m and dA[l−1] = W[l]ᵀdZ[l] vanish; "
        f"{moves}. A constant predictor, worse than one unit per layer"
    )


def training_notice(
    name: str, v: float, training: tuple, score: dict, grads: dict[str, np.ndarray]
) -> tuple[str, str]:
    """(level, sentence): how the training went, explained from backprop's gradients at
    the start, beside the course's figure for its run."""
    J0, J = score["J at the start"], score["J at the end"]
    iterations, rate, activation = training[2], training[3], training[4]
    outcome = (
        f"J {J0:.4g} → {J:.4f} after {iterations:,} iterations, "
        f"{score['train accuracy']:.0%} train / {score['test accuracy']:.0%} test"
    )
    course = COURSE_RUNS.get(name, "") if training == COURSE_SETTING and v == 1.0 else ""
    if not np.isfinite(J):
        return "error", "Training diverged: the cost overflowed. Lower the learning rate or v."
    if (zeros := zero_gradients_sentence(grads, activation)) is not None:
        return "warning", f"{zeros}: {outcome}. {course}"
    norm = gradient_norm(grads)
    if J > 0.95 * J0 and norm < TINY_GRADIENT:
        return "warning", (
            f"Learning never started: {outcome}. The signal vanished through the tiny weights "
            f"and the gradient with it: ‖dθ‖ = {norm:.2g} at the start, so a step of "
            f"α = {rate:g} moves θ by {rate * norm:.1g}."
        )
    if J > 0.95 * J0:
        return "warning", (
            f"The cost has barely moved: {outcome}, though the gradient is not small "
            f"(‖dθ‖ = {norm:.2g} at the start): train longer or raise α."
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


# ---------------------------------------------------------------- symmetry in isolation

SYMMETRY_C = 0.5
SYMMETRY_ITERATIONS = 2_000


SYMMETRY_COLUMNS = (
    "nonzero gradients at the start", "‖dW[1]‖ at the start", "J at the start",
    f"J after {SYMMETRY_ITERATIONS:,} steps", "spread across units after", "train accuracy",
)  # fmt: skip
SYMMETRY_FORMATS = {column: "%.4g" for column in SYMMETRY_COLUMNS[1:5]} | {
    "train accuracy": "percent"
}


@st.cache_data(max_entries=32, show_spinner="Training from W = 0 and from W = c…")
def symmetric_starts(data_name, hidden, rate, activation, seed) -> pd.DataFrame:
    """W = 0 and W = c (every weight c, b = 0), each trained ``SYMMETRY_ITERATIONS`` steps
    on the page's data: one row each (``SYMMETRY_COLUMNS``), with backprop's gradients at
    the start."""
    data = datasets.toy_split(data_name, np.random.default_rng(seed))
    X, Y = data.X_train, data.Y_train
    rows = {}
    for c in (0.0, SYMMETRY_C):
        start = initialization.constant_parameters((2, *hidden, 1), c)
        grads = network.cost_and_gradients(start, X, Y, activation).grads
        run = compute(
            network.train, X, Y, start, activation=activation, learning_rate=rate,
            num_iterations=SYMMETRY_ITERATIONS,
        )  # fmt: skip
        moving = ", ".join(key for key, g in grads.items() if np.any(g)) or "none"
        rows[f"W = {c:g}"] = (
            moving, float(np.linalg.norm(grads["dW1"])), run.costs[0], run.costs[-1],
            float(initialization.hidden_unit_spread(run.parameters).max()),
            network.accuracy(X, Y, run.parameters, activation),
        )  # fmt: skip
    table = pd.DataFrame.from_dict(rows, orient="index", columns=list(SYMMETRY_COLUMNS))
    return table.rename_axis("start").reset_index()


def symmetry_notice(table: pd.DataFrame) -> str:
    """What the two symmetric starts show, from their numbers: W = 0 cannot move, a
    constant c ≠ 0 learns, but as copies."""
    _, dW1, J0, J, spread, _ = table.iloc[1][list(SYMMETRY_COLUMNS)]
    zero_moving = table.iloc[0][SYMMETRY_COLUMNS[0]]
    stuck = (
        "W = 0 gets no gradient at all"
        if zero_moving == "none"
        else f"W = 0 gets a gradient only in {zero_moving}"
    )
    learns = "learns" if J < J0 else "does not learn either"
    copies = (
        f"its units stay copies (spread {spread:.1g}"
        + (", round-off" if spread else "")
        + "): each layer works as one unit"
        if spread <= initialization.SYMMETRY_TOLERANCE
        else f"its units drift apart (spread {spread:.2g})"
    )
    return (
        f"{stuck}, so its weights never leave 0. W = {SYMMETRY_C:g} gets gradients "
        f"(‖dW[1]‖ = {dW1:.2g}) and {learns}, J {J0:.4g} → {J:.4g}; but every unit of a layer "
        f"gets the same gradient, so {copies}."
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
        run = trained(*training, preset, v, seed)
        rows.append({"initialization": preset} | scores(*run, training[4]))
        st.rerun()
    return pd.DataFrame(rows)
