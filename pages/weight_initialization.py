"""Weight initialization: six ways to start one network, seen through depth and in training."""

from itertools import pairwise

import numpy as np
import pandas as pd
import streamlit as st

from charts import weight_initialization as charts
from core import datasets, initialization, network, propagation
from core.initialization import METHOD_NAMES, PRESETS
from ui.charts import show
from ui.entry import run_inside_app
from ui.links import SharedLink
from ui.presentation import secondary

MULTIPLIERS = (0.01, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 10.0, 100.0)
HIDDEN = {"10, 5": (10, 5), "5": (5,), "20, 10": (20, 10)}  # larger: over 2 s to train
RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3)
URL = {"bind": "query-params"}


def sidebar_controls() -> tuple:
    # fmt: off
    with st.sidebar:
        st.header("Initialization")
        name = st.selectbox("Method", list(PRESETS), index=5, key="wi_init", **URL,
                            help="The course's names; the table gives PyTorch's and Keras's.")
        v = st.select_slider("Variance multiplier v", MULTIPLIERS, 1.0, key="wi_v", **URL,
                             format_func=lambda x: f"{x:g}",
                             help="Multiplies Var(W[l]); σ grows as √v. v = 2 makes Xavier He.")
        seed = secondary().number_input("Random seed", 0, 9999, 0, key="wi_seed", **URL,
                               help="Draws the data, then the weights: all methods share the data.")
        st.header("Training")
        data = st.radio("Data", datasets.TOY_SETS, key="wi_data", horizontal=True, **URL)
        hidden = st.selectbox("Hidden layers (units)", list(HIDDEN), key="wi_hidden", **URL,
                              help="ReLU units; the output is one sigmoid unit. The course's "
                                   "network is 2 → 10 → 5 → 1.")
        iterations = st.slider("Iterations", 100, 15_000, 15_000, 100, key="wi_iter", **URL,
                               help="Steps of batch gradient descent (the course runs 15,000).")
        rate = secondary().select_slider("Learning rate α", RATES, 0.01, key="wi_lr", **URL,
                                format_func=lambda x: f"{x:g}")
    # fmt: on
    return name, v, int(seed), (data, HIDDEN[hidden], iterations, rate)


def sigma_latex(name: str, v: str, n_prev: object, n: object) -> str:
    """σ of the preset written out, with the multiplier v (left out when empty)."""
    method, scale = PRESETS[name]
    if method in ("zeros", "random"):
        return "0" if method == "zeros" else f"{scale:g}" + (rf"\sqrt{{{v}}}" if v else "")
    fractions = {"xavier": ("1", n_prev), "glorot": ("2", f"{n_prev} + {n}"), "he": ("2", n_prev)}
    top, bottom = fractions[method]
    times_v = rf"{v} \cdot " if v else ""
    return rf"\sqrt{{{times_v}\frac{{{top}}}{{{bottom}}}}}"


@st.cache_data(max_entries=32, show_spinner="Pushing random data through the deep network…")
def simulated(depth, width, activation, name, v, seed) -> propagation.RandomNetworkSignals:
    rng, (method, _) = np.random.default_rng(seed), PRESETS[name]
    scale = PRESETS[name].std_scale(v)
    # normal: the course's randn (the simulation's default is the cheaper uniform)
    return propagation.simulate_random_network(
        depth, width, activation, method, rng, scale, distribution="normal"
    )


@st.cache_data(max_entries=48, show_spinner=False)
def trained(data_name, hidden, iterations, rate, name, v, seed):
    """(data, TrainingResult). Draws its own progress bar: Streamlit replays a bar made
    inside on a cache hit, but fails on one made outside and passed in."""
    rng, preset = np.random.default_rng(seed), PRESETS[name]
    data = datasets.toy_split(data_name, rng)
    start = initialization.initialize_parameters(
        (2, *hidden, 1), preset.method, rng, preset.std_scale(v)
    )
    bar = st.progress(0.0, text=f"Training with {name} initialization…")

    def report(i: int, J: float) -> None:
        bar.progress(i / iterations, f"{name}: iteration {i:,} of {iterations:,}, J = {J:.4g}")

    result = network.train(
        data.X_train, data.Y_train, start, activation="relu", learning_rate=rate,
        num_iterations=iterations, progress=report, progress_every=max(iterations // 40, 1),
    )  # fmt: skip
    bar.empty()
    return data, result


def scores(data, result) -> dict:
    """The figures the course reports for one run, from core."""
    return {
        "J at the start": result.costs[0],
        "J at the end": result.costs[-1],
        "train accuracy": network.accuracy(data.X_train, data.Y_train, result.parameters),
        "test accuracy": network.accuracy(data.X_test, data.Y_test, result.parameters),
        "symmetry broken": initialization.symmetry_broken(result.parameters),
    }


run_inside_app()
st.title("Weight initialization")
link = SharedLink()
st.write(
    "Where gradient descent starts matters as much as how it steps. Start every weight at "
    "zero and the hidden units stay copies of one another; start them too small or too large "
    "and the signal fades or saturates within a few layers. Xavier, Glorot and He take the "
    "spread of W[l] from the layer's width so that every layer hands its input on at the same "
    "scale, and a variance multiplier v tunes that spread like any other hyperparameter."
)
name, v, seed, training = sidebar_controls()
data_name, hidden, iterations, rate = training
dims = (2, *hidden, 1)
left, right = st.columns(2)
left.latex(
    r"\begin{aligned} W^{[l]} &= \sigma^{[l]} \cdot \texttt{randn}(n^{[l]}, n^{[l-1]}),\quad "
    r"b^{[l]} = 0 \\ \sigma^{[l]} &= "
    + sigma_latex(name, "v", "n^{[l-1]}", "n^{[l]}")
    + r",\quad \operatorname{Var}(W^{[l]}) = (\sigma^{[l]})^2 \end{aligned}"
)
left.caption("randn draws N(0, 1); v is the variance multiplier (default 1).")
lines = [
    rf"\sigma^{{[{l}]}} &= {sigma_latex(name, '' if v == 1 else f'{v:g}', n_prev, n)} = "
    f"{initialization.init_std(PRESETS[name].method, n_prev, n, PRESETS[name].std_scale(v)):.3f}"
    for l, (n_prev, n) in enumerate(pairwise(dims), start=1)
]
right.latex(r"\begin{aligned}" + r"\\".join(lines) + r"\end{aligned}")
right.caption(f"σ of each layer of the training network below, layer sizes {list(dims)}.")
names = pd.DataFrame([names._asdict() for names in METHOD_NAMES.values()])
st.table(names.set_index("course").rename(columns={"pytorch": "PyTorch", "keras": "Keras"}))
st.caption(
    "Naming trap: the course's **Xavier** √(1/n[l−1]) is **LeCun** in PyTorch and Keras; "
    "their **Xavier / Glorot** is √(2/(n[l−1] + n[l]))."
)

st.header("Through a deep network")
st.write(
    "Random inputs X ~ N(0, 1) pushed through L layers of n units with this initialization "
    "and zero biases: each row of the heatmap is one layer's histogram of activations."
)
row = st.columns(3)
deep_act = row[0].radio("Activation", ("tanh", "relu"), key="wi_deep_act", horizontal=True, **URL)
depth = row[1].slider("Layers L", 2, 30, 10, key="wi_depth", **URL)
width = row[2].select_slider("Units per layer n", (10, 25, 50, 100, 200, 500), 100,
                             key="wi_width", **URL)  # fmt: skip
try:
    signals = simulated(depth, width, deep_act, name, v, seed)
except ValueError as error:  # core refuses what it cannot do, with the reason
    st.error(str(error))
    st.stop()
show(charts.activation_heatmap(charts.histogram_frame(signals), deep_act), "activations_by_layer")
first, last = signals.Z_rms[0], signals.Z_rms[-1]
if signals.forward_zero_layer == 1:
    st.warning(
        f"Nothing gets through: with W = 0 every Z[l] is exactly 0, so all {width} units of a "
        f"layer output the same {deep_act}(0) whatever the input is."
    )
elif signals.forward_zero_layer is not None or last < 1e-2 * first:
    st.warning(
        f"The signal vanishes: the rms of Z falls from {first:.2g} in layer 1 to {last:.2g} in "
        f"layer {depth}; every unit outputs ≈ {deep_act}(0), and the gradients dW[l] = "
        "dZ[l] A[l−1]ᵀ/m, which carry A, fade with it."
    )
elif deep_act == "tanh" and signals.saturated_fraction[-1] > 0.5:
    st.warning(
        f"The units saturate: in layer {depth}, {signals.saturated_fraction[-1]:.0%} of the "
        "activations have |A| > 0.99, where tanh′ ≈ 0 lets almost no gradient back through."
    )
elif not 0.1 <= last / first <= 10:
    st.warning(
        f"The signal {'explodes' if last > first else 'fades'}: the rms of Z goes from "
        f"{first:.3g} in layer 1 to {last:.3g} in layer {depth}; deeper, it only gets worse."
    )
else:
    st.success(
        f"The signal keeps its scale: the rms of Z stays between {signals.Z_rms.min():.2f} and "
        f"{signals.Z_rms.max():.2f} over {depth} layers (σ_w² = n·Var(W) = {signals.sigma_w2:.3g})."
    )
st.dataframe(charts.variance_table(signals).style.format("{:.4g}"), hide_index=True)

st.header("Training a small network")
st.write(
    "The course's experiment: ReLU hidden layers and a sigmoid output, trained by batch "
    "gradient descent on 300 points and tested on 100 others, from each initialization."
)
try:
    data, result = trained(*training, name, v, seed)
except ValueError as error:
    st.error(str(error))
    st.stop()
params, costs, score = result.parameters, result.costs, scores(data, result)
for column, (label, value) in zip(st.columns(4), list(score.items())[:4], strict=True):
    column.metric(label.capitalize(), f"{value:.4g}" if label[0] == "J" else f"{value:.1%}")
left, right = st.columns(2)
show(charts.cost_curve(charts.cost_frame(costs)), "cost_curve", left)
grid = datasets.grid_covering(data.X_train)
points = charts.points_frame(
    data, with_test=right.toggle("Show test points", True, key="wi_test", **URL)
)
grid_frame = charts.grid_frame(grid, network.predict_probability(grid.X, params))
show(
    charts.decision_boundary(grid_frame, points, grid.step1, grid.step2), "decision_boundary", right
)
outcome = (
    f"J {costs[0]:.4g} → {costs[-1]:.4f}, {score['train accuracy']:.0%} train / "
    f"{score['test accuracy']:.0%} test"
)
# The course's published outcomes, quoted only beside the run that repeats its setting.
COURSE_RUNS = {
    "zeros": "the course's zeros run is stuck at J = 0.6931 with 50 %.",
    "random × 10": "The course's random × 10 run ends near 83 % / 86 %.",
    "He": "The course's He run: J 0.88 → 0.07, 99 % / 96 % (on circles of its own; ours are "
    "drawn here from the seed).",
}
as_in_course = training == ("circles", (10, 5), 15_000, 0.01) and v == 1.0
course = COURSE_RUNS.get(name, "") if as_in_course else ""
if not np.isfinite(costs[-1]):
    st.error("Training diverged: the cost overflowed. Lower the learning rate or v.")
elif not score["symmetry broken"]:
    st.warning(
        f"Symmetry never broke: every hidden unit is still a copy of its neighbours, so the "
        f"network is no better than one unit per layer. {outcome}; {course}"
    )
elif costs[-1] > 0.95 * costs[0]:
    st.warning(
        f"The cost has barely moved: {outcome}. Tiny weights give tiny gradients (each dW[l] "
        "carries the small W of the layers around it), so learning crawls at first."
    )
elif costs[0] > 5:
    st.info(
        f"Large weights make confident, wrong first guesses, so the cost starts enormous: "
        f"{outcome}. {course}"
    )
else:
    st.success(f"{outcome}. {course}")
show(charts.weights_heatmap(charts.weights_frame(params, ("W1", "W2"))), "hidden_weights")
st.markdown(
    "  \n".join(
        f"Units of hidden layer {l} identical (rows of W{l}, b{l}, columns of W{l + 1}): "
        f"**{'yes' if gap <= initialization.SYMMETRY_TOLERANCE else 'no'}**, spread across units "
        f"= {gap:.3g}"
        for l, gap in enumerate(initialization.hidden_unit_spread(params), start=1)
    )
)

st.subheader("All six, on the same data from the same seed")
settings = (*training, v, seed)
if st.button("Compare all six", key="wi_compare", help="Six trainings; a few seconds each."):
    st.session_state["wi_table"] = (settings, [])
stored = st.session_state.get("wi_table")
if stored and stored[0] == settings and len(stored[1]) < len(PRESETS):
    # One training per script run, then a rerun: no single request holds the CPU for
    # six trainings, and each run's progress bar shows which one is under way.
    preset = list(PRESETS)[len(stored[1])]
    st.caption(f"Training {len(stored[1]) + 1} of {len(PRESETS)}: {preset}")
    stored[1].append({"initialization": preset} | scores(*trained(*training, preset, v, seed)))
    st.rerun()
stored = st.session_state.get("wi_table")
if stored and stored[0] == settings:
    formats = {"J at the start": "{:.4g}", "J at the end": "{:.4g}"}
    formats |= {"train accuracy": "{:.1%}", "test accuracy": "{:.1%}"}
    st.dataframe(pd.DataFrame(stored[1]).style.format(formats), hide_index=True)
else:
    st.caption("The table appears here; trainings already run are taken from the cache.")
link.report()
