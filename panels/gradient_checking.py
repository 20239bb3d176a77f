"""The gradient-checking page's controls, its cached checks and its sentences.

The sidebar sets the network (data, layers, activation, initialization, seed, λ,
keep_prob, a planted bug) and the check (ε, precision, mode, k); the check and the ε
sweep are cached per setting, the training problem per network and dtype.
"""

from typing import NamedTuple

import numpy as np
import streamlit as st

from charts.gradient_checking import MARKDOWN_COLORS, number, sci
from charts.numerical_gradients import short, tex
from core import datasets, initialization
from core.activations import ACTIVATIONS
from core.epsilon_sweep import epsilon_sweep
from core.gradient_check import (
    COURSE_EPSILON,
    DEFAULT_EPSILON,
    DEFAULT_K,
    VERDICT_BANDS,
    DifferenceTerms,
    GradientCheckResult,
    check_network,
    verdict_for,
)
from core.initialization import DTYPES, PRESETS
from core.network import BUG_BY_LABEL, PLANTED_BUGS
from ui.heavy import compute
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
BUG_HELP = "\n".join(f"- **{bug.label}**: {bug.description}" for bug in PLANTED_BUGS.values())


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


# ---------------------------------------------------------------- cached calls into core


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
    return compute(
        check_network, *problem(net, dtype), epsilon=epsilon, mode=mode, k=k, **setting._asdict()
    )


@st.cache_data(max_entries=32, show_spinner="Sweeping ε from 1e-12 to 0.1 in float64 and float32…")
def swept(net: Network, setting: Setting, dtype: str):
    return compute(
        epsilon_sweep, *problem(net, dtype), mode="sample", k=SWEEP_K, **setting._asdict()
    )


# Every control's starting value, by widget key: the widgets and the walkthrough read it.
DEFAULTS = {
    "gc_data": datasets.TOY_SETS[0], "gc_hidden": "10, 5", "gc_act": "relu", "gc_init": "He",
    "gc_seed": 0, "gc_lambda": 0.0, "gc_keep": 1.0, "gc_bug": NO_BUG,
    "gc_eps": short(DEFAULT_EPSILON), "gc_dtype": "float64", "gc_mode": "full", "gc_k": DEFAULT_K,
}  # fmt: skip


# ---------------------------------------------------------------- controls


def network_controls() -> tuple[Network, Setting]:
    # fmt: off
    with st.sidebar:
        st.header("The network")
        data = st.radio("Data (300 points, 2 features)", datasets.TOY_SETS,
                        datasets.TOY_SETS.index(DEFAULTS["gc_data"]), key="gc_data",
                        horizontal=True, **URL)
        hidden = st.selectbox("Hidden layers (units)", list(HIDDEN),
                              list(HIDDEN).index(DEFAULTS["gc_hidden"]), key="gc_hidden",
                              **URL, help="Between 2 inputs and one sigmoid output unit. "
                                          "2 → 10 → 5 → 1 is the course's network.")
        activation = st.selectbox("Hidden activation", ACTIVATIONS,
                                  ACTIVATIONS.index(DEFAULTS["gc_act"]), key="gc_act", **URL)
        init = st.selectbox("Initialization", list(PRESETS),
                            list(PRESETS).index(DEFAULTS["gc_init"]), key="gc_init", **URL)
        seed = secondary().number_input("Random seed", 0, 9999, DEFAULTS["gc_seed"],
                                        key="gc_seed", **URL,
                               help="Draws the data, then the weights.")
        lambd = st.select_slider("L2 regularization λ", LAMBDAS, DEFAULTS["gc_lambda"],
                                 key="gc_lambda", **URL,
                                 format_func=lambda x: f"{x:g}")
        keep_prob = st.select_slider("Dropout keep_prob", KEEP_PROBS, DEFAULTS["gc_keep"],
                                     key="gc_keep", **URL,
                                     format_func=lambda x: f"{x:g}",
                                     help="Below 1 the check keeps one dropout mask fixed, and "
                                          "also reports what a fresh mask per call would do.")
        bugs = [NO_BUG, *BUG_BY_LABEL]
        shown = st.selectbox("Planted bug in backprop", bugs, bugs.index(DEFAULTS["gc_bug"]),
                             key="gc_bug", **URL, help=BUG_HELP)
        bug = BUG_BY_LABEL.get(shown)  # None for no bug
        if bug:
            st.caption(PLANTED_BUGS[bug].description)
    # fmt: on
    net = Network(data, HIDDEN[hidden], init, int(seed))
    return net, Setting(activation, lambd, keep_prob, bug)


def check_controls(too_big: bool) -> tuple[float, str, str, int]:
    """ε, precision, core's mode and k; too_big: the network is too large to check in full
    here, so the full mode becomes the sampled one."""
    if too_big and st.session_state.get("gc_mode", DEFAULTS["gc_mode"]) == "full":
        st.session_state["gc_mode"] = "sampled"  # so the control shows what is checked
    # fmt: off
    with st.sidebar:
        st.header("The check")
        epsilon = st.select_slider("ε (log scale)", EPSILONS, DEFAULTS["gc_eps"], key="gc_eps",
                                   **URL, help=f"This project's default is {short(DEFAULT_EPSILON)}"
                                               f", the course's {short(COURSE_EPSILON)}.")
        dtype = st.segmented_control("Precision", PRECISIONS, default=DEFAULTS["gc_dtype"],
                                     required=True,
                                     key="gc_dtype", **URL)
        mode = st.segmented_control("Mode", list(MODES), default=DEFAULTS["gc_mode"],
                                    required=True,
                                    key="gc_mode", **URL,
                                    help=f"Full: every coordinate (up to {FULL_LIMIT:,} "
                                         "parameters here). Sampled: k random coordinates per "
                                         "block. Directions: k random directions.")
        k = st.slider("k (coordinates per block, or directions)", 1, MAX_K, DEFAULTS["gc_k"],
                      key="gc_k", **URL, disabled=mode == "full" and not too_big)
    # fmt: on
    mode = MODES[mode]
    return float(epsilon), dtype, "sample" if too_big and mode == "full" else mode, k


# ---------------------------------------------------------------- sentences


def full_check_notice(P: int) -> str:
    """Why a network of P parameters gets the sampled check or directions instead."""
    return (
        f"A full check of this network's P = {P:,} parameters needs 2·P = {2 * P:,} cost "
        f"evaluations. This page checks in full up to {FULL_LIMIT:,} parameters, so it "
        "offers the sampled check (k random coordinates of every block) or random "
        "directions instead."
    )


def verdict_heading(result: GradientCheckResult) -> str:
    """The verdict in its band's colour, with the difference."""
    color = MARKDOWN_COLORS[result.verdict]
    return f"## Verdict: :{color}[{result.verdict}] · difference {sci(result.difference)}"


def band_meaning(verdict: str) -> str:
    return next(band.meaning for band in VERDICT_BANDS if band.verdict == verdict)


def kink_verdict(result: GradientCheckResult) -> str | None:
    """The verdict without the components that crossed a kink, where it is another one."""
    if result.kinks is None or not result.kinks.count:
        return None
    without = result.kinks.difference_without
    kept = verdict_for(without)
    if kept == result.verdict:
        return None
    return (
        f"**Without the {result.kinks.count} components that crossed a kink: "
        f":{MARKDOWN_COLORS[kept]}[{kept}] · {sci(without)}.** At a kink the "
        "two-sided difference is not the derivative, so they say nothing about backprop."
    )


def difference_latex(terms: DifferenceTerms) -> str:
    """The lecture's formula with this check's three norms."""
    n = [tex(number(value)) for value in terms]
    return rf"\frac{{{n[0]}}}{{{n[1]} + {n[2]}}} = {tex(sci(terms.difference))}"


def checked_caption(result: GradientCheckResult, epsilon: float, dtype: str, mode: str) -> str:
    checked_what = "directions" if mode == "directions" else "coordinates"
    return (
        f"Over the {len(result.approx):,} checked {checked_what}, with ε = {short(epsilon)} "
        f"in {dtype}, on all 300 examples."
    )


def _zero_gradient(terms: DifferenceTerms) -> bool:
    # Backprop's dθ is exactly 0: nothing for the relative difference to compare.
    return terms.analytic_norm == 0


def check_notices(
    result: GradientCheckResult, terms: DifferenceTerms, setting: Setting
) -> list[tuple[str, str]]:
    """(level, text) pairs under the check, level naming the Streamlit call (warning,
    caption): core's warnings, a zero gradient, no kink crossed, a bug this setting hides."""
    notices = [("warning", warning) for warning in result.warnings]
    if _zero_gradient(terms) and terms.approx_norm > 0:
        text = (
            "Backprop's dθ is exactly 0 here (with zero weights on balanced data every derivative "
            f"vanishes), so the round-off left in dθ_approx, ‖dθ_approx‖₂ = "
            f"{number(terms.approx_norm)}, makes the relative difference 1. Check at a "
            "point where the gradient is not zero: a random initialization."
        )
        notices.append(("warning", text))
    if result.kinks is not None and result.kinks.count == 0:
        text = (
            f"No checked component moved a {setting.activation} pre-activation across 0 at this ε."
        )
        notices.append(("caption", text))
    if setting.bug and PLANTED_BUGS[setting.bug].needs and result.verdict != "bug":
        text = (
            f"This bug only matters when {PLANTED_BUGS[setting.bug].needs}: here backprop is "
            "still right, and the check says so."
        )
        notices.append(("warning", text))
    return notices


def sweep_marks(epsilon: float) -> dict[str, float]:
    """The ε values the sweep marks: the course's, the learner's and this project's."""
    return {f"course's {short(COURSE_EPSILON)}": COURSE_EPSILON, "your ε": epsilon,
            f"default {short(DEFAULT_EPSILON)}": DEFAULT_EPSILON}  # fmt: skip


def sweep_caption(sweeps: dict, result: GradientCheckResult, dtype: str) -> str:
    """What the sweep's points check, and how the page's own check (the diamond) differs."""
    caption = f"Each point checks the same {sweeps['float64'].components} components ({SWEEP_K} "
    caption += "random coordinates per block) at one ε, in float64 and in float32."
    if any(sweep.kinked.any() for sweep in sweeps.values()):
        caption += " Dashed: the same without the components that crossed a ReLU kink."
    caption += (
        f" The diamond is the check above: its {len(result.approx):,} components at your "
        f"ε in {dtype}."
    )
    sweep, epsilon = sweeps[dtype], result.epsilon
    if not np.isclose(sweep.epsilons, epsilon, rtol=1e-9, atol=0).any():
        return caption
    sampled = sweep.difference_at(epsilon)
    if max(sampled, result.difference) <= 2 * max(min(sampled, result.difference), 1e-300):
        return caption
    return caption + (
        f" At ε = {short(epsilon)} the sample reads {sci(sampled)} and the check "
        f"{sci(result.difference)}: the sample takes {SWEEP_K} coordinates from every block "
        "whatever its size, so a block weighs differently in it, and a bug confined to a "
        "few blocks moves the two by different amounts. Neither is wrong."
    )


def sweep_notice(sweeps: dict, epsilon: float, bug: str | None, terms: DifferenceTerms) -> str:
    """What the ε sweep shows, in numbers from the sweeps."""
    if _zero_gradient(terms):
        return (
            "With dθ = 0 every difference in the sweep is 0 (the round-off happened to cancel) "
            "or 1 (some was left): ε cannot be judged at a point where the gradient vanishes."
        )
    s64, s32 = sweeps["float64"], sweeps["float32"]
    best, lowest, edge = s64.best_epsilon, s64.best_difference, VERDICT_BANDS[1].below
    if bug and lowest >= edge:
        return (
            f"With the planted bug no ε brings the difference below {short(edge)}: the lowest "
            f"is {sci(lowest)}. The bug, not the choice of ε, sets the floor."
        )
    if not bug and lowest >= edge and s64.kinked.all():
        return (
            f"Some pre-activations sit exactly on a kink (units whose inputs are all dead or "
            f"dropped, with b = 0), so they cross it at every ε and the solid curve never "
            f"falls below {sci(lowest)}. Without those components (dashed) it bottoms "
            f"out at {sci(float(s64.without_kinks.min()))}: backprop is right."
        )
    side = "at the bottom" if epsilon == best else "on its round-off side"
    side = "on its truncation side" if epsilon > best else side
    text = f"In float64 the curve bottoms out at {sci(lowest)} near ε = {short(best)}; "
    text += f"your ε = {short(epsilon)} is {side}. "
    course = s64.difference_at(COURSE_EPSILON)
    if best > COURSE_EPSILON:
        text += (
            f"The course's ε = {short(COURSE_EPSILON)} gives {sci(course)}, "
            f"{course / lowest:.0f}× the bottom: the round-off in J(θ ± ε), divided by 2ε, "
            "grows like 1/ε. "
        )
    if s64.kinked.any():
        text += "At large ε, ReLU pre-activations crossing 0 push the difference up (dashed: "
        text += "without those components). "
    text += (
        f"In float32 the best is only {sci(s32.best_difference)} (ε = "
        f"{short(s32.best_epsilon)}), and at ε = {short(COURSE_EPSILON)} the difference is "
        f"{sci(s32.difference_at(COURSE_EPSILON))}"
    )
    return text + (": a correct gradient looks broken." if not bug else ".")
