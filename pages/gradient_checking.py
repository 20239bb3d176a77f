"""Gradient checking: plant a bug in backprop and let the relative difference find it."""

from typing import NamedTuple

import numpy as np
import streamlit as st

from charts import gradient_checking as charts
from charts.numerical_gradients import short, tex
from core import datasets, initialization
from core.activations import ACTIVATIONS
from core.gradient_check import (
    COURSE_EPSILON,
    DEFAULT_EPSILON,
    DEFAULT_K,
    VERDICT_BANDS,
    check_network,
    difference_terms,
    epsilon_sweep,
    verdict_for,
)
from core.initialization import DTYPES, PRESETS
from core.network import PLANTED_BUGS, layout_of
from ui.charts import show
from ui.entry import run_inside_app
from ui.links import SharedLink
from ui.presentation import secondary

HIDDEN = {"5": (5,), "10, 5": (10, 5), "20, 10": (20, 10), "64, 32": (64, 32),
          "128, 64": (128, 64)}  # fmt: skip
LAMBDAS = (0.0, 0.01, 0.1, 0.7, 1.0, 10.0)
KEEP_PROBS = (0.5, 0.8, 0.9, 1.0)
EPSILONS = [short(float(f"{m}e{k}")) for k in range(-12, 0) for m in (1, 3)][:-1]  # 1e-12…0.1
MODES = {"full": "full", "sampled": "sample", "directions": "directions"}  # label: core's mode
PRECISIONS = DTYPES[::-1]  # float64 first
MAX_K = 20  # with dropout each sampled coordinate also costs fresh-mask forward passes
FULL_LIMIT = 3_000  # parameters this page checks in full, keeping a rerun under 2 s
SWEEP_K = 5  # coordinates per block at each ε of the sweep
NO_BUG = "none"
URL = {"bind": "query-params"}


class Network(NamedTuple):
    """What the seed draws: the data and the initial parameters."""

    data: str
    hidden: tuple[int, ...]
    init: str
    seed: int


class Setting(NamedTuple):
    """How the cost and backprop are computed (keyword arguments of check_network)."""

    activation: str
    lambd: float
    keep_prob: float
    bug: str | None


@st.cache_data(max_entries=16, show_spinner=False)
def problem(net: Network, dtype: str = "float64") -> tuple[dict, np.ndarray, np.ndarray]:
    """The parameters, in dtype, and the 300 training points."""
    rng, preset = np.random.default_rng(net.seed), PRESETS[net.init]
    data = datasets.toy_split(net.data, rng)
    dims = (data.X_train.shape[0], *net.hidden, 1)
    parameters = initialization.initialize_parameters(dims, preset.method, rng, preset.std_scale())
    return (
        {key: value.astype(dtype) for key, value in parameters.items()},
        data.X_train,
        data.Y_train,
    )


@st.cache_data(max_entries=64, show_spinner="Checking the gradient…")
def checked(net: Network, setting: Setting, epsilon: float, dtype: str, mode: str, k: int):
    return check_network(*problem(net, dtype), epsilon=epsilon, mode=mode, k=k, **setting._asdict())


@st.cache_data(max_entries=32, show_spinner="Sweeping ε from 1e-12 to 0.1 in float64 and float32…")
def swept(net: Network, setting: Setting, dtype: str):
    return epsilon_sweep(*problem(net, dtype), mode="sample", k=SWEEP_K, **setting._asdict())


def network_controls() -> tuple[Network, Setting]:
    # fmt: off
    with st.sidebar:
        st.header("The network")
        data = st.radio("Data (300 points, 2 features)", datasets.TOY_SETS, key="gc_data",
                        horizontal=True, **URL)
        hidden = st.selectbox("Hidden layers (units)", list(HIDDEN), index=1, key="gc_hidden",
                              **URL, help="Between 2 inputs and one sigmoid output unit. "
                                          "2 → 10 → 5 → 1 is the course's network.")
        activation = st.selectbox("Hidden activation", ACTIVATIONS, ACTIVATIONS.index("relu"),
                                  key="gc_act", **URL)
        init = st.selectbox("Initialization", list(PRESETS), list(PRESETS).index("He"),
                            key="gc_init", **URL)
        seed = secondary().number_input("Random seed", 0, 9999, 0, key="gc_seed", **URL,
                               help="Draws the data, then the weights.")
        lambd = st.select_slider("L2 regularization λ", LAMBDAS, 0.0, key="gc_lambda", **URL,
                                 format_func=lambda x: f"{x:g}")
        keep_prob = st.select_slider("Dropout keep_prob", KEEP_PROBS, 1.0, key="gc_keep", **URL,
                                     format_func=lambda x: f"{x:g}",
                                     help="Below 1 the check keeps one dropout mask fixed, and "
                                          "also reports what a fresh mask per call would do.")
        bug = st.selectbox("Planted bug in backprop", [NO_BUG, *PLANTED_BUGS], key="gc_bug",
                           **URL)
        if bug != NO_BUG:
            st.caption(PLANTED_BUGS[bug].description)
    # fmt: on
    net = Network(data, HIDDEN[hidden], init, int(seed))
    return net, Setting(activation, lambd, keep_prob, None if bug == NO_BUG else bug)


def check_controls(too_big: bool) -> tuple[float, str, str, int]:
    """ε, precision, mode and k; too_big: the network is too large to check in full here."""
    if too_big and st.session_state.get("gc_mode", "full") == "full":
        st.session_state["gc_mode"] = "sampled"  # so the control shows what is checked
    # fmt: off
    with st.sidebar:
        st.header("The check")
        epsilon = st.select_slider("ε (log scale)", EPSILONS, short(DEFAULT_EPSILON), key="gc_eps",
                                   **URL, help=f"This project's default is {short(DEFAULT_EPSILON)}"
                                               f", the course's {short(COURSE_EPSILON)}.")
        dtype = st.segmented_control("Precision", PRECISIONS, default="float64", required=True,
                                     key="gc_dtype", **URL)
        mode = st.segmented_control("Mode", list(MODES), default="full", required=True,
                                    key="gc_mode", **URL,
                                    help=f"Full: every coordinate (up to {FULL_LIMIT:,} "
                                         "parameters here). Sampled: k random coordinates per "
                                         "block. Directions: k random directions.")
        k = st.slider("k (coordinates per block, or directions)", 1, MAX_K, DEFAULT_K,
                      key="gc_k", **URL, disabled=mode == "full" and not too_big)
    # fmt: on
    return float(epsilon), dtype, MODES[mode], k


def sweep_notice(sweeps: dict, epsilon: float, bug: str | None) -> str:
    """What the ε sweep shows, in numbers from the sweeps."""
    s64, s32 = sweeps["float64"], sweeps["float32"]
    best, lowest, edge = s64.best_epsilon, s64.best_difference, VERDICT_BANDS[1].below
    if bug and lowest >= edge:
        return (
            f"With the planted bug no ε brings the difference below {short(edge)}: the lowest "
            f"is {charts.sci(lowest)}. The bug, not the choice of ε, sets the floor."
        )
    if not bug and lowest >= edge and s64.kinked.all():
        return (
            f"Some pre-activations sit exactly on a kink (units whose inputs are all dead or "
            f"dropped, with b = 0), so they cross it at every ε and the solid curve never "
            f"falls below {charts.sci(lowest)}. Without those components (dashed) it bottoms "
            f"out at {charts.sci(float(s64.without_kinks.min()))}: backprop is right."
        )
    side = "at the bottom" if epsilon == best else "on its round-off side"
    side = "on its truncation side" if epsilon > best else side
    text = f"In float64 the curve bottoms out at {charts.sci(lowest)} near ε = {short(best)}; "
    text += f"your ε = {short(epsilon)} is {side}. "
    course = s64.difference_at(COURSE_EPSILON)
    if best > COURSE_EPSILON:
        text += (
            f"The course's ε = {short(COURSE_EPSILON)} gives {charts.sci(course)}, "
            f"{course / lowest:.0f}× the bottom: the round-off in J(θ ± ε), divided by 2ε, "
            "grows like 1/ε. "
        )
    if s64.kinked.any():
        text += "At large ε, ReLU pre-activations crossing 0 push the difference up (dashed: "
        text += "without those components). "
    text += (
        f"In float32 the best is only {charts.sci(s32.best_difference)} (ε = "
        f"{short(s32.best_epsilon)}), and at ε = {short(COURSE_EPSILON)} the difference is "
        f"{charts.sci(s32.difference_at(COURSE_EPSILON))}"
    )
    return text + (": a correct gradient looks broken." if not bug else ".")


run_inside_app()
st.title("Gradient checking")
link = SharedLink()
st.write(
    "Backpropagation claims a derivative dθ for every parameter. Flatten W[1], b[1], …, "
    "W[L], b[L] into one vector θ, nudge each coordinate by ±ε, and the two-sided difference "
    "of the cost gives dθ_approx without any calculus. One number says whether they agree; "
    "the differences per block say where they do not."
)
net, setting = network_controls()
layout = layout_of(problem(net)[0])
P = layout.size
epsilon, dtype, mode, k = check_controls(P > FULL_LIMIT)
try:
    if P > FULL_LIMIT:
        st.info(
            f"A full check of this network's P = {P:,} parameters needs 2·P = {2 * P:,} cost "
            f"evaluations. This page checks in full up to {FULL_LIMIT:,} parameters, so it "
            "offers the sampled check (k random coordinates of every block) or random "
            "directions instead.",
            icon=":material/speed:",
        )
        mode = "sample" if mode == "full" else mode
    result = checked(net, setting, epsilon, dtype, mode, k)
    sweeps = {d: swept(net, setting, d) for d in PRECISIONS}
except ValueError as error:  # core refuses what it cannot do, with the reason
    st.error(f"The check could not run: {error}")
    link.report()
    st.stop()

color = charts.MARKDOWN_COLORS[result.verdict]
st.markdown(f"## Verdict: :{color}[{result.verdict}] · difference {charts.sci(result.difference)}")
st.caption(next(band.meaning for band in VERDICT_BANDS if band.verdict == result.verdict))
if result.kinks is not None and result.kinks.count:
    without = result.kinks.difference_without
    kept = verdict_for(without)
    if kept != result.verdict:
        st.markdown(
            f"**Without the {result.kinks.count} components that crossed a kink: "
            f":{charts.MARKDOWN_COLORS[kept]}[{kept}] · {charts.sci(without)}.** At a kink the "
            "two-sided difference is not the derivative, so they say nothing about backprop."
        )
bands = charts.band_frame()
show(charts.verdict_chart(bands, result.difference), "verdict")
terms = difference_terms(result.approx, result.analytic)
lecture, live = st.columns(2)
lecture.latex(
    r"\text{difference} = \frac{\lVert d\theta_{\text{approx}} - d\theta \rVert_2}"
    r"{\lVert d\theta_{\text{approx}} \rVert_2 + \lVert d\theta \rVert_2}"
)
n = [tex(charts.number(value)) for value in terms]
live.latex(rf"\frac{{{n[0]}}}{{{n[1]} + {n[2]}}} = {tex(charts.sci(terms.difference))}")
checked_what = "directions" if mode == "directions" else "coordinates"
live.caption(f"Over the {len(result.approx):,} checked {checked_what}, with ε = {short(epsilon)} "
             f"in {dtype}, on all 300 examples.")  # fmt: skip
meter = st.columns(4)
meter[0].metric("Cost evaluations", f"{result.evaluations:,}",
                help=f"2 per checked component; all P = {P:,} need {2 * P:,}.")  # fmt: skip
meter[1].metric("Time of the check", f"{result.seconds * 1e3:.1f} ms")
meter[2].metric("One forward + backward pass", f"{result.backward_seconds * 1e3:.2f} ms")
meter[3].metric("Cost meter: check ÷ backward", f"{result.seconds / result.backward_seconds:,.0f}×",
                help="The check's time over one backward pass, which gives all P derivatives "
                     "at once: check once before training, never at every step.")  # fmt: skip
for warning in result.warnings:
    st.warning(warning)
zero_gradient = terms.analytic_norm == 0  # nothing for the relative difference to compare
if zero_gradient and terms.approx_norm > 0:
    st.warning(
        "Backprop's dθ is exactly 0 here (with zero weights on balanced data every derivative "
        f"vanishes), so the round-off left in dθ_approx, ‖dθ_approx‖₂ = "
        f"{charts.number(terms.approx_norm)}, makes the relative difference 1. Check at a "
        "point where the gradient is not zero: a random initialization."
    )
if result.kinks is not None and result.kinks.count == 0:
    st.caption(
        f"No checked component moved a {setting.activation} pre-activation across 0 at this ε."
    )
if setting.bug and PLANTED_BUGS[setting.bug].needs and result.verdict != "bug":
    st.warning(f"This bug only matters when {PLANTED_BUGS[setting.bug].needs}: here backprop is "
               "still right, and the check says so.")  # fmt: skip

st.header("Where is the bug?")
left, right = st.columns(2)
if result.per_block:
    show(charts.block_chart(charts.block_frame(result), bands), "per_block", left)
else:
    left.info("Random directions mix every block: they tell whether dθ is wrong, not where. "
              "Switch to full or sampled to find the block.")  # fmt: skip
points = charts.coordinate_frame(result, layout)
show(charts.coordinate_chart(points, mode == "directions"), "coordinates", right)
if len(points) < len(result.approx):
    right.caption(f"{len(points):,} of {len(result.approx):,} components drawn: the worst "
                  "third and an even spread of the rest.")  # fmt: skip
st.markdown(f"**The {len(result.worst)} worst components**")
st.table(charts.worst_frame(result))

st.header("Choosing ε")
marks = {f"course's {short(COURSE_EPSILON)}": COURSE_EPSILON, "your ε": epsilon,
         f"this project's default {short(DEFAULT_EPSILON)}": DEFAULT_EPSILON}  # fmt: skip
sweep = charts.sweep_chart(charts.sweep_frame(sweeps), bands, charts.epsilon_marks(marks))
show(sweep, "epsilon_sweep")
caption = f"Each point checks the same {sweeps['float64'].components} components ({SWEEP_K} "
caption += "random coordinates per block) at one ε, in float64 and in float32."
if any(sweep.kinked.any() for sweep in sweeps.values()):
    caption += " Dashed: the same without the components that crossed a ReLU kink."
st.caption(caption)
if zero_gradient:
    st.info(
        "With dθ = 0 every difference in the sweep is 0 (the round-off happened to cancel) or 1 "
        "(some was left): ε cannot be judged at a point where the gradient vanishes."
    )
else:
    st.info(sweep_notice(sweeps, epsilon, setting.bug))
link.report()
