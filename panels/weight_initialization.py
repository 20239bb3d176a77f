"""The weight initialization page's sections: their controls, cached computations, charts
and sentences.

The page opens on the course's experiment, all six initializations trained side by side
for the course's 15,000 steps (``six_trained``), each played by its ▶, then takes one
method apart: its σ for every layer, its training up close, symmetry in isolation, and
random data pushed through a deep network it initializes. A training runs once per
setting up to a horizon and keeps snapshots, so the iterations slider of the training up
close only slices a run already made, and every session shares it. That slider, v and the
method rerun only the part below the six (a fragment): with its training open, a move
there redraws two charts, not eight.
"""

import time
from functools import partial
from itertools import pairwise
from typing import NamedTuple

import numpy as np
import pandas as pd
import streamlit as st

from charts import weight_initialization as charts
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
from ui.charts import show
from ui.heavy import compute
from ui.links import lazy_tabs, url_integer, url_toggle
from ui.presentation import font_scale, secondary
from ui.tables import show_figures

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
    "wi_deep_act": "relu", "wi_depth": 10, "wi_width": 100, "wi_part": "Its training",
}  # fmt: skip
WARM_LINKS = (
    *(f"wi_lr={rate:g}" for rate in RATES if rate != DEFAULTS["wi_lr"]),
    *(f"wi_v={v:g}" for v in MULTIPLIERS if v != DEFAULTS["wi_v"]),
)
"""Query strings the server opens at start after the defaults (serving/warm_up.py): every
other α (six trainings each) and every other v (one): a lecturer's moves of either
slider from the defaults then train nothing. Their values as the sliders write them in
a link (their format_func)."""
PART = "wi_part"  # the tabs' key, and the query parameter of the open part
PARTS = {
    "Its training": ("wi_iter", "wi_test"),
    "Symmetry": (),
    "A deep network": ("wi_deep_act", "wi_depth", "wi_width"),
}
"""The three parts of the chosen method taken apart, by tab label (the value wi_part takes
in links), and their own controls' keys."""
DEPTHS = (2, 30)  # the deep network's fewest and most layers


def part_tabs() -> list:
    """The three parts' tabs, bound to the URL as wi_part; only the open one's part runs
    (``ui.links.lazy_tabs``): a first visit draws 7 charts fewer."""
    return lazy_tabs(PART, PARTS, DEFAULTS, link_value_usable)


def link_value_usable(key: str, text: str) -> bool:
    """Whether the control ``key`` of a part takes the link's ``text``, as its widget would."""
    if key == "wi_test":
        return url_toggle(text)
    if key == "wi_iter":
        return url_integer(text, ITERATION_STEP, MAX_ITERATIONS) is not None
    if key == "wi_depth":
        return url_integer(text, *DEPTHS) is not None
    if key == "wi_width":
        return text in map(str, WIDTHS)
    return text in ACTIVATIONS  # wi_deep_act


def training_controls(where) -> tuple[tuple, int]:
    """The six's training setting (data, hidden, MAX_ITERATIONS, α, activation) and the
    seed: the main three in ``where``, beside the six trainings; α and the seed with the
    secondary controls. The six run the course's 15,000 steps; the training up close has
    its own iterations (``iterations_control``)."""
    # fmt: off
    data = where.radio("Data", datasets.TOY_SETS, datasets.TOY_SETS.index(DEFAULTS["wi_data"]),
                       key="wi_data", horizontal=True, **URL)
    activation = where.radio("Hidden activation", ACTIVATIONS,
                             ACTIVATIONS.index(DEFAULTS["wi_act"]), key="wi_act",
                             horizontal=True, **URL,
                             help="The course trains ReLU; tanh is what its Xavier is for.")
    hidden = where.selectbox("Hidden layers (units)", list(HIDDEN),
                             list(HIDDEN).index(DEFAULTS["wi_hidden"]), key="wi_hidden", **URL,
                             help="The output is one sigmoid unit. The course's network is "
                                  "2 → 10 → 5 → 1.")
    more = secondary()
    more.header("Training")
    rate = more.select_slider("Learning rate α", RATES, DEFAULTS["wi_lr"], key="wi_lr", **URL,
                              format_func=lambda x: f"{x:g}")
    seed = more.number_input("Random seed", 0, 9999, DEFAULTS["wi_seed"], key="wi_seed", **URL,
                             help="Draws the data, then the weights: all methods share the data.")
    # fmt: on
    return (data, HIDDEN[hidden], MAX_ITERATIONS, rate, activation), int(seed)


def iterations_control(training: tuple) -> tuple:
    """The training up close: the six's ``training`` with the iterations of its slider."""
    iterations = st.columns(2)[0].slider(
        "Iterations", ITERATION_STEP, MAX_ITERATIONS, DEFAULTS["wi_iter"], ITERATION_STEP,
        key="wi_iter", **URL,
        help="Steps of batch gradient descent for this method up close. The six above run "
             "the course's 15,000, which their ▶ plays.",
    )  # fmt: skip
    return (*training[:2], iterations, *training[3:])


def method_controls() -> tuple[str, float]:
    """The method taken apart below the six, and its variance multiplier v."""
    left, right = st.columns(2)
    name = left.selectbox("Method", list(PRESETS), list(PRESETS).index(DEFAULTS["wi_init"]),
                          key="wi_init", **URL,
                          help="The course's names; the names table gives PyTorch's and "
                               "Keras's.")  # fmt: skip
    v = right.select_slider("Variance multiplier v", MULTIPLIERS, DEFAULTS["wi_v"], key="wi_v",
                            **URL, format_func=lambda x: f"{x:g}",
                            help="Multiplies Var(W[l]); σ grows as √v. v = 2 makes Xavier "
                                 "He.")  # fmt: skip
    st.caption(PAIRINGS)
    return name, v


def deep_controls() -> tuple[str, int, int]:
    """Activation, depth L and width n of the deep network."""
    row, activations = st.columns(3), ("relu", "tanh")
    activation = row[0].radio("Activation", activations,
                              activations.index(DEFAULTS["wi_deep_act"]), key="wi_deep_act",
                              horizontal=True, **URL)  # fmt: skip
    depth = row[1].slider("Layers L", *DEPTHS, DEFAULTS["wi_depth"], key="wi_depth", **URL)
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
    """The lecture's rule for W[l], with σ of the chosen method: one statement a line, so
    that it fits a phone."""
    return (
        r"\begin{aligned} W^{[l]} &= \sigma^{[l]} \cdot \texttt{randn}(n^{[l]}, n^{[l-1]}) \\ "
        r"b^{[l]} &= 0 \\ \sigma^{[l]} &= "
        + sigma_latex(name, "v", "n^{[l-1]}", "n^{[l]}")
        + r" \\ \operatorname{Var}(W^{[l]}) &= (\sigma^{[l]})^2 \end{aligned}"
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


def formulas(name: str, v: float, dims: tuple[int, ...]) -> None:
    """The lecture's rule and this network's σ per layer, then the names, folded away."""
    formula = st.expander(f"The formula: σ of every layer for {name}", key="wi_formula",
                          icon=":material/function:", on_change="rerun")  # fmt: skip
    if formula.open:  # drawn only when opened
        left, right = formula.columns(2)
        left.latex(lecture_latex(name))
        left.caption("randn draws N(0, 1); v is the variance multiplier (default 1).")
        right.latex(live_latex(name, v, dims))
        right.caption(f"σ of each layer of the training network, layer sizes {list(dims)}.")
    names = st.expander("Its names in PyTorch and Keras", key="wi_names",
                        icon=":material/translate:", on_change="rerun")  # fmt: skip
    if names.open:  # drawn only when opened
        names.dataframe(names_table().reset_index(), hide_index=True)
        names.caption(
            "Naming trap: the course's **Xavier** √(1/n[l−1]) is **LeCun** in PyTorch and "
            "Keras; their **Xavier / Glorot** is √(2/(n[l−1] + n[l]))."
        )


# ---------------------------------------------------------------- all six, side by side

FRAMES = charts.CELL_PLAYED
"""Snapshots of each of the six trainings kept for drawing: ŷ over the plane as it grows."""
FLAT = 0.01
"""ŷ spreading less than this over the plane draws no boundary to see."""
PAIRED = {"relu": "He", "tanh": "Xavier"}
"""The initialization the lecture pairs with each hidden activation."""
COST_FLOOR = 1e-3
"""The bottom of the six cost curves' one log axis: J reaches 0.0012 after 15,000 steps of
α = 0.3 (the largest), a curve going lower is cut at the axis."""


class Cell(NamedTuple):
    """One of the six trainings, ready to draw."""

    frames: pd.DataFrame  # charts.boundary_frames: ŷ over the plane at each snapshot
    costs: pd.DataFrame  # charts.cost_frame: J against the iteration
    score: dict  # scores(): J at the start and the end, accuracies, symmetry
    label: tuple[str, ...]  # boundary_label of the last snapshot, one line an item
    made_at: float  # time.time() when it was made: a run that sees a later one made it


def frame_iterations(iterations: int, frames: int = FRAMES) -> list[int]:
    """At most ``frames`` iterations from 0 to ``iterations``, evenly spread and on the
    snapshots (multiples of ITERATION_STEP), the last being ``iterations`` itself."""
    stops = np.linspace(0, iterations, frames)[:-1]
    return sorted({int(s) - int(s) % ITERATION_STEP for s in stops} | {iterations})


def boundary_label(probability: np.ndarray, parameters: dict[str, np.ndarray]) -> tuple[str, ...]:
    """What ŷ over the plane shows by itself, as lines to write across the chart, or ()
    when it draws a boundary: the same ŷ everywhere while every unit of each hidden layer
    is still a copy of the others (W = 0 never breaks symmetry), a ŷ that barely varies,
    or a ŷ that is not a number."""
    if np.isnan(probability).any():
        return ("ŷ is not a number:", "the training overflowed")
    spread = float(np.ptp(probability))
    if spread == 0 and not initialization.symmetry_broken(parameters):
        return (f"ŷ = {float(probability.flat[0]):.3g} everywhere:", "symmetry never broke")
    if spread < FLAT:
        return (f"ŷ ≈ {float(np.mean(probability)):.2f} everywhere:", "no boundary to see")
    return ()


@st.cache_data(max_entries=64, show_spinner=False)
def trained_cell(training: tuple, name: str, seed: int) -> Cell:
    """The training of ``name`` (v = 1) at the page's ``training`` setting, ready to draw:
    ŷ over the grid covering the training points at ``frame_iterations``, the cost
    curve, the course's figures and the label. Shared by every session."""
    data_name, hidden, iterations, rate, activation = training
    data, run, result = _sliced(data_name, hidden, iterations, rate, activation, name, 1.0, seed)
    grid = datasets.grid_covering(data.X_train)
    steps = frame_iterations(iterations)
    parameters = [run.snapshots[i // ITERATION_STEP] for i in steps[:-1]] + [result.parameters]
    probabilities = [network.predict_probability(grid.X, p, activation) for p in parameters]
    return Cell(
        charts.boundary_frames(grid, steps, probabilities),
        charts.cost_frame(result.costs, max_points=60),
        scores(data, result, activation),
        boundary_label(probabilities[-1], result.parameters),
        time.time(),
    )


@st.cache_data(max_entries=64, show_spinner=False)
def cell_tables(training: tuple, name: str, seed: int, size: int) -> dict[str, pd.DataFrame]:
    """The tables of ``trained_cell``'s chart at ``size`` px (``charts.cell_tables``), made
    once for every session: a rerun would otherwise join and place them again, six times."""
    cell = trained_cell(training, name, seed)
    return charts.cell_tables(cell.frames, cell.costs, cell_title(name, cell.score), cell.label,
                              size)  # fmt: skip


@st.cache_data(max_entries=64, show_spinner=False)
def start_costs(data_name: str, hidden: tuple, activation: str, seed: int) -> dict[str, float]:
    """J before the first step, for each of the six (v = 1): one forward pass each."""
    costs = {}
    for name in PRESETS:
        data, start = _start(data_name, hidden, name, 1.0, seed)
        costs[name] = network.compute_cost(start, data.X_train, data.Y_train, activation)
    return costs


def cost_domain(starts: dict[str, float]) -> tuple[float, float]:
    """The six cost curves' one log axis, known before any of them trains: from
    COST_FLOOR up to the highest finite J at the start."""
    finite = [J for J in starts.values() if np.isfinite(J)] or [1.0]
    return COST_FLOOR, float(max(finite) * 1.2)


def cell_title(name: str, score: dict) -> str:
    """A cell's title: the method and its test accuracy."""
    return f"{name} · {score['test accuracy']:.0%}"


SIX_DESCRIPTION = (
    "Six small charts side by side, one per initialization (" + ", ".join(PRESETS) + "): "
    "each shows ŷ over the plane after training, blue for class 0 and red for class 1, "
    "with the training points, over its cost J per step on a log axis shared by the six; "
    "each title gives the method's test accuracy, and ▶ plays the six trainings together."
)
"""What the six show, for a reader who cannot see them. Their figures are in their
titles, the key number and the six in numbers: a move of a slider keeps the chart's spec."""


def key_number(cells: dict[str, Cell], activation: str) -> dict[str, str]:
    """The experiment's figure in large type (``st.metric``'s arguments): the test accuracy
    of the initialization made for ``activation`` against zeros'."""
    paired = PAIRED[activation]
    made, zeros = cells[paired].score["test accuracy"], cells["zeros"].score["test accuracy"]
    return {
        "label": f"Test accuracy, {paired} against zeros",
        "value": f"{made:.0%} vs {zeros:.0%}",
        "delta": f"{100 * (made - zeros):+.0f} points",
    }


def setting_caption(training: tuple, seed: int) -> str:
    """The setting the six share, and how to read a cell."""
    data_name, hidden, iterations, rate, activation = training
    network_ = " → ".join(map(str, (2, *hidden, 1)))
    return (
        f"The same {data_name} (300 training points, seed {seed}), the same network "
        f"{network_} with {activation} hidden units, {iterations:,} steps of α = {rate:g}; only "
        "the starting weights differ. Each cell: the test accuracy, ŷ over the plane (blue: "
        "class 0, red: class 1) with the training points, and the cost J per step on one log "
        "axis for all six; ▶ plays the six trainings together."
    )


SIX_TABLE_FORMATS = {"J at the start": "%.4g", "J at the end": "%.4g"}  # see ui.tables
SIX_TABLE_FORMATS |= {"train accuracy": "percent", "test accuracy": "percent"}


def six_table(cells: dict[str, Cell]) -> pd.DataFrame:
    """One row per initialization: the course's figures (``scores``)."""
    return pd.DataFrame([{"initialization": name} | cell.score for name, cell in cells.items()])


RUN_BUDGET_S = 2.0
"""Seconds of training one script run may spend on the six: the product's target for a
request. A run starts no training that, as long as the longest one it made, would end
past it; the run then starts again (st.rerun) and the next goes on, so no request holds a
worker (or, without workers, the server) for six trainings while other visitors wait."""


SPLIT_S = 0.3
"""Seconds of making cells after which a run stops at the six and the rest of the page
comes in a run of its own: a training (half a second or more). Cells from the cache go
on in the same run, and the browser draws the page once."""


def six_trained() -> tuple[tuple, int, dict[str, Cell]]:
    """The hero: the six initializations trained side by side on the same data from the
    same seed, their main controls beside them, and the key number.

    The six are one chart (``charts.six_cells``). At a setting whose six have been made
    (by any session, ``six_made``) it is drawn once, from the cache: a move keeps the
    chart in place and swaps its tables. At any other, it is drawn first with every cell
    "…: to train", then again as each cell is made, and a progress bar says which
    trains; the trainings run in order, as many per script run as fit in
    ``RUN_BUDGET_S`` (at least one), the run starting again after them. The page goes on
    below only in a run that spent at most ``SPLIT_S`` making cells.
    Returns the training setting, the seed and the six.
    """
    controls, grid = st.columns([1, 3.3], gap="medium")
    training, seed = training_controls(controls)
    data_name, hidden, _, _, activation = training
    number = controls.empty()
    controls.caption(setting_caption(training, seed))
    data = _data(data_name, seed)
    points = charts.points_frame(data, with_test=False)
    extent = charts.grid_extent(datasets.grid_covering(data.X_train))
    domain = cost_domain(start_costs(data_name, hidden, activation, seed))
    six = grid.container(key="wi_six").empty()  # keyed: a phone's CSS shrinks it to fit
    setting, known, size = (training, seed), six_made(), _cell_size()
    # The cells' tables so far, by their names in the chart; an empty table is not sent.
    tables = {charts.cell_table(table, i): pd.DataFrame() for i in range(len(PRESETS))
              for table in charts.CELL_TABLES}  # fmt: skip
    draw = partial(_draw_six, six, points, extent, domain, training[2], size, tables)
    if setting not in known:  # some of the six will train: the grid first, "…: to train"
        draw()
    cells: dict[str, Cell] = {}
    started, longest, made = time.time(), 0.0, 0.0  # the longest and all cells made here
    for i, name in enumerate(PRESETS):
        now = time.time()
        if longest and now - started + longest > RUN_BUDGET_S:
            st.rerun()  # the next run draws the cells made from the cache and goes on
        if made or setting not in known:  # training: say so
            number.progress(i / len(PRESETS), text=f"Training {i + 1} of {len(PRESETS)}: {name}…")
        cells[name] = trained_cell(training, name, seed)
        made_here = cells[name].made_at >= now  # made in this run, not taken from the cache
        made_tables = cell_tables(training, name, seed, size)
        tables.update({charts.cell_table(table, i): made_tables[table] for table in made_tables})
        if made_here:
            longest = max(longest, time.time() - now)
            made += time.time() - now
            draw()  # the cell just made joins the grid
    if not made:
        draw()
    known[setting] = True
    while len(known) > SIX_KNOWN:
        del known[next(iter(known))]  # the oldest: its cells have left trained_cell's cache
    if made > SPLIT_S:
        st.rerun()  # the rest of the page in a request of its own
    number.metric(**key_number(cells, activation))
    return training, seed, cells


SIX_KNOWN = 10
"""Settings remembered as made (``six_made``): about as many as trained_cell's cache
keeps (64 cells, six a setting)."""


@st.cache_resource
def six_made() -> dict[tuple, bool]:
    """The settings ((training, seed)) whose six cells have all been made, oldest first,
    for every session: a run at one of them draws its cells from the cache with nothing
    in between; at any other, some will train, and the grid is drawn before they do."""
    return {}


def _draw_six(
    where, points: pd.DataFrame, extent: tuple[float, float, float, float],
    domain: tuple[float, float], iterations: int, size: int, tables: dict[str, pd.DataFrame],
) -> None:  # fmt: skip
    """The six's one chart (``charts.six_cells``) in ``where``, with the cells' ``tables``
    made so far: a cell without them is titled "…: to train"."""
    columns = six_columns(st.context.headers.get("User-Agent") or "")
    show(charts.six_cells, points, extent, domain, iterations, tuple(PRESETS), size, columns,
         name="six", where=where, width="content", tables=tables,
         description=SIX_DESCRIPTION)  # fmt: skip


def six_columns(user_agent: str) -> int:
    """Cells to a row: three, whose two rows and ▶ fit a laptop's first screen beside the
    controls; two on a phone (its browser's User-Agent says "Mobi", as MDN advises to
    tell), where three would shrink to two thirds. A narrow window on any other device
    shrinks the grid to fit (ui.page_style)."""
    return 2 if "Mobi" in user_agent else 3


def _cell_size() -> int:
    # Fonts grow on a projector, and a concatenated chart's parts do not grow with them.
    return round(charts.CELL_SIZE * font_scale())


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
    """Var(z) = n·Var(w)·Var(x), then with layer 1's numbers, then the measured Var(Z[1]);
    then the measured share of Var(Z[1]) that g hands on, E[A[1]²] / Var(Z[1]). One
    statement a line, the live numbers under the symbols, so that it fits a phone."""
    n, var_w, var_x = signals.width, signals.sigma_w2 / signals.width, signals.X_rms**2
    var_z = signals.Z_rms[0] ** 2
    lines = [
        r"\operatorname{Var}(z) &= n\,\operatorname{Var}(w)\,\operatorname{Var}(x)",
        rf"&= {n} \cdot {var_w:.3g} \cdot {var_x:.3g} = {n * var_w * var_x:.3g}",
        rf"&\text{{measured in layer 1: }} {var_z:.3g}",
    ]
    if var_z > 0:
        kept = (signals.A_std[0] ** 2 + signals.A_mean[0] ** 2) / var_z
        lines += [
            rf"\mathbb{{E}}[a^2] \,/\, \operatorname{{Var}}(z) &= {kept:.2f}",
            rf"&\text{{measured: }} a = {signals.activation}(z) \text{{ in layer 1}}",
        ]
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
    cells = pd.Series(verdicts).unstack()[list(columns)].rename_axis("activation")
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


def pairing_domain(frame: pd.DataFrame) -> tuple[float, float]:
    """The pairing grid's one log axis: every network's rms, forward and back, fits it."""
    return float(frame["rms"].min()) / 1.5, float(frame["rms"].max()) * 1.5


@st.fragment  # its own controls rerun this section only
def deep_section(name: str, v: float, seed: int) -> None:
    """Random data through a deep network initialized by the chosen method: the
    activations layer by layer, what happens to the signal, why 1/n and 2/n, and which
    initialization goes with which activation."""
    st.subheader("Through a deep network", anchor="deep-network")
    st.write(
        "Random inputs X ~ N(0, 1) pushed through L layers of n units with this "
        "initialization and zero biases: each row of the heatmap is one layer's histogram "
        "of activations."
    )
    activation, depth, width = deep_controls()
    try:
        signals = simulated(depth, width, activation, name, v, seed)
    except ValueError as error:  # core refuses what it cannot do, with the reason
        st.error(str(error))
        return
    level, text = signal_notice(signals, activation)
    show(charts.activation_heatmap, charts.histogram_frame(signals), activation,
         name="activations_by_layer", description=f"{name}, {depth} layers of {width} "
         f"{activation} units: the share of units at each value of A[l], layer by layer, on "
         f"a log colour scale. {text}")  # fmt: skip
    getattr(st, level)(text)
    st.subheader("Why 1/n, and why 2/n for ReLU")
    st.latex(reason_latex(signals))
    st.caption(REASONS[activation])
    show_figures(charts.variance_table(signals), "%.4g")
    st.subheader("Which initialization for which activation")
    grid_width = min(width, GRID_MAX_WIDTH)
    st.caption(
        f"{depth} layers of {grid_width} units, for both activations with Xavier, He and the "
        "method chosen above, on one log axis: the rms of Z[l] forward (blue) and of dA[l] "
        "backward (orange). Read tanh with He: forward, then backward."
    )
    frame, verdicts = pairing_grid(depth, grid_width, name, v, seed)
    domain = pairing_domain(frame)
    for activation_ in ACTIVATIONS:
        for i, (column, method) in enumerate(zip(st.columns(3), verdicts.columns, strict=True)):
            part = frame[(frame["activation"] == activation_) & (frame["method"] == method)]
            verdict = verdicts.loc[activation_, method]
            if not part.empty:  # else every rms is 0 or overflowed: nothing for a log axis
                show(charts.pairing_chart, part, domain, name=f"pairing_{activation_}_{i + 1}",
                     description=f"{activation_} with {method}, {depth} layers: the rms of "
                     f"Z[l] forward and of dA[l] backward, layer by layer; {verdict}.",
                     where=column)  # fmt: skip
            column.caption(f"**{activation_} with {method}**: {verdict}")


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


def _data(data_name: str, seed: int) -> datasets.TrainTestSplit:
    """The page's data: the first draw from the seed, before any weights (``_start``)."""
    return datasets.toy_split(data_name, np.random.default_rng(seed))


def _sliced(data_name, hidden, iterations, rate, activation, name, v, seed):
    """(data, the cached run to the horizon, its result after ``iterations`` steps)."""
    key = TrainingKey(data_name, hidden, horizon(iterations), rate, activation, name, v, seed)
    data, run = _training(key)
    stop = iterations - iterations % ITERATION_STEP
    result = run.after(stop)
    if stop < iterations:  # a link's value between the slider's steps: train the rest
        rest = network.train(
            data.X_train, data.Y_train, result.parameters, activation=activation,
            learning_rate=rate, num_iterations=iterations - stop,
        )  # fmt: skip
        result = result.extended(rest)
    return data, run, result


def trained(data_name, hidden, iterations, rate, activation, name, v, seed):
    """(data, TrainingResult) of ``iterations`` steps, sliced from a cached longer run,
    with a spinner that names the training while it is made."""
    with st.spinner(f"Training with {name} initialization: {horizon(iterations):,} iterations…"):
        data, _, result = _sliced(data_name, hidden, iterations, rate, activation, name, v, seed)
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


def weights_description(W: np.ndarray, name: str, spread: float | None) -> str:
    """What a weight matrix's heatmap shows: its size, its range, and whether its rows
    (the units) are copies (``spread`` across the layer's units, None for no hidden layer)."""
    layer = int(name[1:])
    if spread is None:
        copies = ""
    elif spread <= initialization.SYMMETRY_TOLERANCE:
        copies = f" Its rows are identical: the units are copies (spread {spread:.3g})."
    else:
        copies = f" Its rows all differ: the units are not copies (spread {spread:.3g})."
    return (
        f"W[{layer}] after training, one row per unit of layer {layer} and one column per input: "
        f"{W.shape[0]} × {W.shape[1]} weights from {W.min():.3g} to {W.max():.3g}.{copies}"
    )


@st.fragment  # its iterations and "Show test points" rerun this section only
def training_detail(training: tuple, name: str, v: float, seed: int) -> None:
    """The course's experiment from the chosen method alone, for as many iterations as its
    slider says: its figures, cost curve and decision boundary, why it went as it did,
    and the weights it ended with."""
    st.subheader("Training a small network", anchor="training")
    st.write(
        "The course's experiment: ReLU (or tanh) hidden layers and a sigmoid output, trained "
        "by batch gradient descent on 300 points and tested on 100 others."
    )
    training = iterations_control(training)
    iterations, activation = training[2], training[4]
    try:
        data, result = trained(*training, name, v, seed)
    except ValueError as error:  # core refuses what it cannot do, with the reason
        st.error(str(error))
        return
    score = scores(data, result, activation)
    for column, (label, value) in zip(st.columns(4), list(score.items())[:4], strict=True):
        column.metric(label.capitalize(), f"{value:.4g}" if label[0] == "J" else f"{value:.1%}")
    left, right = st.columns(2)
    # The figures are the metrics above: the descriptions stay the same through a move,
    # and so do the charts' specs (ui.charts.show).
    show(charts.cost_curve, name="cost_curve", where=left,
         tables={charts.COSTS: charts.cost_frame(result.costs)},
         description=f"The cost J of {name} at each iteration, on a log axis: how it fell "
         "from the start to the end figure above.")  # fmt: skip
    with_test = right.toggle("Show test points (▲)", DEFAULTS["wi_test"], key="wi_test", **URL,
                             help="The 100 points held out for testing, drawn as triangles; "
                                  "the 300 training points are dots.")  # fmt: skip
    grid = datasets.grid_covering(data.X_train)
    probability = network.predict_probability(grid.X, result.parameters, activation)
    frames = charts.boundary_frames(grid, [iterations], [probability])
    extent = charts.extent_of(frames)
    written = charts.label_frame(boundary_label(probability, result.parameters),
                                 charts.plot_box(extent, charts.BOUNDARY_SIZE))  # fmt: skip
    show(charts.decision_boundary, charts.points_frame(data, with_test=with_test), extent,
         name="decision_boundary", where=right, width="content",
         tables={charts.BOUNDARY: frames, charts.LABEL: written},
         description=f"ŷ over the plane after training from {name}, blue for class 0 and "
         "red for class 1, with the data points on it: the accuracies above count those "
         "on their side. When ŷ is the same everywhere, a label across the middle says "
         "so.")  # fmt: skip
    grads = start_gradients(training[0], training[1], activation, name, v, seed)
    level, text = training_notice(name, v, training, score, grads)
    getattr(st, level)(text)
    weights = st.expander("The weights it ended with: W[1] and W[2]", key="wi_weights",
                          icon=":material/grid_on:", on_change="rerun")  # fmt: skip
    if weights.open:  # drawn only when opened: two charts fewer on a visit and a rerun
        spreads = initialization.hidden_unit_spread(result.parameters)
        limit = max(float(np.abs(result.parameters[w]).max()) for w in ("W1", "W2"))
        for column, w in zip(weights.columns([1, 3]), ("W1", "W2"), strict=True):
            spread = float(spreads[int(w[1:]) - 1]) if int(w[1:]) <= len(spreads) else None
            show(charts.weights_heatmap, charts.weights_frame(result.parameters, w), limit,
                 name=f"weights_{w}", where=column,
                 description=weights_description(result.parameters[w], w, spread))  # fmt: skip
        weights.markdown(symmetry_lines(result.parameters))


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


def symmetry_section(training: tuple, seed: int) -> None:
    """W = 0 against W = c on the page's data: both start as copies; only c learns."""
    st.subheader("Symmetry in isolation")
    st.write(
        f"W = 0 against every weight equal to c = {SYMMETRY_C:g}: both start with identical "
        f"units. Trained {SYMMETRY_ITERATIONS:,} steps on the data above with the same α."
    )
    data_name, hidden, _, rate, activation = training
    table = symmetric_starts(data_name, hidden, rate, activation, seed)
    st.info(symmetry_notice(table))
    show_figures(table, SYMMETRY_FORMATS)
