"""The gradient-checking page's controls, its cached checks, its sections and sentences.

The page opens on the planted bug, ε and the precision beside the verdict; the rest of
the network (the toy data or the course notebook's case, layers, activation,
initialization, seed, λ, keep_prob) and of the check (how J is computed, mode, k) fold
into "Network and check settings". The check and the ε sweep are cached per setting, the
training problem per network and dtype. The cost meter's timing, the heaviest call of all
(about a second of CPU on 2 → 128 → 64 → 1 with sigmoid), waits for a script run of its
own when the run has already computed a new check or sweep (``TIMING_BUDGET_S``).
"""

import time
from typing import NamedTuple

import numpy as np
import pandas as pd
import streamlit as st

from charts import gradient_checking as charts
from charts.gradient_checking import MARKDOWN_COLORS, lecture_name, number, sci
from charts.numerical_gradients import short, tex
from core import check_practice as practice
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
    relative_difference,
    verdict_for,
)
from core.gradient_check_component import ComponentTerms, check_component
from core.initialization import DTYPES, PRESETS
from core.network import BUG_BY_LABEL, COST_FORMS, PLANTED_BUGS
from core.notebook_case import NOTEBOOK_DIFFERENCES, notebook_case
from core.round_off import ROUND_OFF_REACH, component_round_off
from core.round_off_verdicts import block_verdicts, epsilon_clear_of_round_off, round_off_edge
from panels.grad_check_in_practice import duration, realistic_cost, realistic_sentence
from ui.charts import show
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
TOY, NOTEBOOK = "toy data", "course notebook"  # where the network and its data come from
URL = {"bind": "query-params"}
BUG_HELP = "\n".join(f"- **{bug.label}**: {bug.description}" for bug in PLANTED_BUGS.values())


class Network(NamedTuple):
    """What the seed draws: the data and the initial parameters (or the notebook's case)."""

    data: str
    hidden: tuple[int, ...]
    init: str
    seed: int
    case: str = TOY


class Setting(NamedTuple):
    """How the cost and backprop are computed (keyword arguments of check_network)."""

    activation: str
    lambd: float
    keep_prob: float
    bug: str | None
    cost: str = "stable"


# ---------------------------------------------------------------- cached calls into core


@st.cache_data(max_entries=16, show_spinner=False)
def problem(net: Network, dtype: str = "float64") -> tuple[dict, np.ndarray, np.ndarray]:
    """The parameters, in dtype, and the 300 training points (the notebook's 3 examples)."""
    if net.case == NOTEBOOK:
        parameters, X, Y = notebook_case()
        return {key: value.astype(dtype) for key, value in parameters.items()}, X, Y
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


@st.cache_data(max_entries=64, show_spinner=False)
def component(net: Network, setting: Setting, epsilon: float, dtype: str, index: int):
    """One line of the loop: a few forward passes, light enough to run here."""
    return check_component(*problem(net, dtype), index, epsilon=epsilon, **setting._asdict())


TIMING = "Timing the course's loop and this checker…"
TIMED_COORDINATES = 20
"""Coordinates the course's loop is timed on, then scaled to P: each costs the same two
forward passes, so 20 give the loop's time as 50 do (within 2 % on 2 → 128 → 64 → 1) for a
fifth less of the meter's CPU (1.4 s → 1.15 s with sigmoid there)."""


# Every shape and activation the page offers (5 × 5, and the notebook's case with each
# activation) fits: a timing is never evicted to be made again.
@st.cache_data(max_entries=32, show_spinner=TIMING)
def check_cost(net: Network, activation: str) -> practice.CheckCost:
    return compute(
        practice.check_cost, *problem(net), np.random.default_rng(0),
        timed_coordinates=TIMED_COORDINATES, activation=activation,
    )  # fmt: skip


TIMING_BUDGET_S = 0.3
"""Seconds of wall time a script run may have taken when it reaches the cost meter: past
them, the meter's timing waits for a run of its own (``st.rerun``), so that no request
holds a worker (or, without workers, the server) for a new check, two sweeps and the
timing together. A new shape or activation brings a new meter and new sweeps, which take
a quarter to a half of its time (the same forward passes): where the timing is heavy, the
run that must make it has swept first and is past the budget. A run past it whose meter
was timed before costs one more run, drawn from the cache in some 50 ms."""
TIMING_LEFT = "gc_timing_left"  # session state: the meter a run left to the next one


def meter(
    net: Network, activation: str, started: float | None = None
) -> tuple[practice.CheckCost, practice.RealisticCost] | None:
    """What a check costs on this network, and the course's loop on a realistic one.

    The time depends on the network's sizes, not on its draw: timed once per shape (a new
    seed, data set or initialization takes the timing of the same shape at the defaults).
    ``started``: when this script run started (``time.perf_counter``). A run past
    ``TIMING_BUDGET_S`` gets None, and the next run times this meter whatever it took;
    without ``started``, the meter is always timed now.
    """
    drawn = {"data": DEFAULTS["gc_data"], "init": DEFAULTS["gc_init"], "seed": DEFAULTS["gc_seed"]}
    shape = net._replace(**drawn) if net.case == TOY else net
    big = realistic_cost()  # one for the whole server: not worth a run of its own
    key = (shape, activation)
    if st.session_state.get(TIMING_LEFT) == key:
        del st.session_state[TIMING_LEFT]  # left by the run before: time it now
    elif started is not None and time.perf_counter() - started > TIMING_BUDGET_S:
        st.session_state[TIMING_LEFT] = key
        return None
    return check_cost(shape, activation), big


@st.cache_data(max_entries=32, show_spinner="Sweeping ε from 1e-12 to 0.1 in float64 and float32…")
def swept(net: Network, setting: Setting, dtype: str):
    return compute(
        epsilon_sweep, *problem(net, dtype), mode="sample", k=SWEEP_K, **setting._asdict()
    )


# Every control's starting value, by widget key: the widgets and the walkthrough read it.
DEFAULTS = {
    "gc_case": TOY, "gc_data": datasets.TOY_SETS[0], "gc_hidden": "10, 5", "gc_act": "relu",
    "gc_init": "He", "gc_seed": 0, "gc_lambda": 0.0, "gc_keep": 1.0, "gc_bug": NO_BUG,
    "gc_eps": short(DEFAULT_EPSILON), "gc_dtype": "float64", "gc_cost": "stable",
    "gc_mode": "full", "gc_k": DEFAULT_K, "gc_component": None,
}  # fmt: skip

NOTEBOOK_PRESET = {
    **{key: DEFAULTS[key] for key in ("gc_lambda", "gc_keep", "gc_dtype", "gc_mode")},
    "gc_case": NOTEBOOK, "gc_act": "relu", "gc_bug": PLANTED_BUGS["notebook_bugs"].label,
    "gc_eps": short(COURSE_EPSILON), "gc_cost": "notebook", "gc_component": None,
}  # fmt: skip
"""The course notebook's case as it publishes it: its two bugs, ε = 1e-7, its cost."""


def _load_notebook() -> None:
    st.session_state.update(NOTEBOOK_PRESET)


# ---------------------------------------------------------------- controls


def bug_control(where) -> str | None:
    """The planted bug, by core's name (None for none), with what it does under it."""
    bugs = [NO_BUG, *BUG_BY_LABEL]
    shown = where.selectbox("Planted bug in backprop", bugs, bugs.index(DEFAULTS["gc_bug"]),
                            key="gc_bug", **URL, help=BUG_HELP)  # fmt: skip
    bug = BUG_BY_LABEL.get(shown)
    if bug:
        where.caption(PLANTED_BUGS[bug].description)
    return bug


def network_controls(where, bug: str | None) -> tuple[Network, Setting]:
    """The network and how its cost is computed, in ``where`` (the settings expander)."""
    # fmt: off
    where.markdown("**The network**")
    where.button("Load the course notebook's case", on_click=_load_notebook,
                 icon=":material/menu_book:", key="gc_notebook",
                 help="Its seed-1 network 4 → 5 → 3 → 1 on 3 examples, its two planted bugs, "
                      f"ε = {short(COURSE_EPSILON)} and its cost: its published "
                      f"{NOTEBOOK_DIFFERENCES['notebook_bugs']} (bugs) and "
                      f"{NOTEBOOK_DIFFERENCES[None]:.4g} (correct).")
    case = where.radio("Network and data", (TOY, NOTEBOOK), (TOY, NOTEBOOK).index(
                       DEFAULTS["gc_case"]), key="gc_case", horizontal=True, **URL)
    toy = case == TOY
    data = where.radio("Data (300 points, 2 features)", datasets.TOY_SETS,
                       datasets.TOY_SETS.index(DEFAULTS["gc_data"]), key="gc_data",
                       horizontal=True, disabled=not toy, **URL)
    hidden = where.selectbox("Hidden layers (units)", list(HIDDEN),
                             list(HIDDEN).index(DEFAULTS["gc_hidden"]), key="gc_hidden",
                             disabled=not toy,
                             **URL, help="Between 2 inputs and one sigmoid output unit. "
                                         "2 → 10 → 5 → 1 is the course's network.")
    activation = where.selectbox("Hidden activation", ACTIVATIONS,
                                 ACTIVATIONS.index(DEFAULTS["gc_act"]), key="gc_act", **URL)
    init = where.selectbox("Initialization", list(PRESETS),
                           list(PRESETS).index(DEFAULTS["gc_init"]), key="gc_init",
                           disabled=not toy, **URL)
    seed = secondary(where).number_input("Random seed", 0, 9999, DEFAULTS["gc_seed"],
                                         key="gc_seed", disabled=not toy, **URL,
                                         help="Draws the data, then the weights.")
    lambd = where.select_slider("L2 regularization λ", LAMBDAS, DEFAULTS["gc_lambda"],
                                key="gc_lambda", **URL, format_func=lambda x: f"{x:g}")
    keep_prob = where.segmented_control("Dropout keep_prob", KEEP_PROBS,
                                        default=DEFAULTS["gc_keep"], required=True,
                                        key="gc_keep", **URL, format_func=lambda x: f"{x:g}",
                                        help="Below 1 the check keeps one dropout mask fixed, "
                                             "and also reports what a fresh mask per call "
                                             "would do.")
    # fmt: on
    net = Network(data, HIDDEN[hidden], init, int(seed), case)
    return net, Setting(activation, lambd, keep_prob, bug)


def check_settings(more, too_big: bool) -> tuple[str, str, int]:
    """How J is computed, the mode and k, in ``more`` (the settings expander). Returns them
    with core's mode; too_big: the network is too large to check in full here, so the full
    mode becomes the sampled one."""
    if too_big and st.session_state.get("gc_mode", DEFAULTS["gc_mode"]) == "full":
        st.session_state["gc_mode"] = "sampled"  # so the control shows what is checked
    # fmt: off
    more.markdown("**The check**")
    cost = more.segmented_control("How J is computed", COST_FORMS, default=DEFAULTS["gc_cost"],
                                  required=True, key="gc_cost",
                                  **URL, help="Stable: from Z, log(1 + e^(−|z|)). Notebook: "
                                  "A = σ(Z) first, then log A and log(1 − A), which loses "
                                  "digits as A nears 0 or 1: its round-off floor sits higher.")
    mode = more.segmented_control("Mode", list(MODES), default=DEFAULTS["gc_mode"],
                                  required=True, key="gc_mode", **URL,
                                  help=f"Full: every coordinate (up to {FULL_LIMIT:,} "
                                       "parameters here). Sampled: k random coordinates per "
                                       "block. Directions: k random directions.")
    k = more.slider("k (coordinates per block, or directions)", 1, MAX_K, DEFAULTS["gc_k"],
                    key="gc_k", **URL, disabled=mode == "full" and not too_big)
    # fmt: on
    mode = MODES[mode]
    return cost, "sample" if too_big and mode == "full" else mode, k


def epsilon_controls(main) -> tuple[float, str]:
    """ε and the precision in ``main``, beside the verdict."""
    # fmt: off
    epsilon = main.select_slider("ε (log scale)", EPSILONS, DEFAULTS["gc_eps"], key="gc_eps",
                                 **URL, help=f"This project's default is {short(DEFAULT_EPSILON)}"
                                             f", the course's {short(COURSE_EPSILON)}.")
    dtype = main.segmented_control("Precision", PRECISIONS, default=DEFAULTS["gc_dtype"],
                                   required=True, key="gc_dtype", **URL)
    # fmt: on
    return float(epsilon), dtype


def component_control(result: GradientCheckResult, layout) -> int | None:
    """The checked component to take apart (θ's index); by default the worst one."""
    if result.indices is None:
        return None
    names = [layout.coordinate_name(int(i)) for i in result.indices]
    chosen = st.selectbox("Take one component apart", names, index=None, key="gc_component",
                          placeholder=f"the worst: {result.worst[0].name}", **URL)  # fmt: skip
    return int(result.indices[names.index(chosen if chosen in names else result.worst[0].name)])


# ---------------------------------------------------------------- sentences


def full_check_notice(P: int) -> str:
    """Why a network of P parameters gets the sampled check or directions instead."""
    return (
        f"A full check of this network's P = {P:,} parameters needs 2·P = {2 * P:,} cost "
        f"evaluations. This page checks in full up to {FULL_LIMIT:,} parameters, so it "
        "offers the sampled check (k random coordinates of every block) or random "
        "directions instead."
    )


def _joined(names: list[str]) -> str:
    # "W[1]", "W[1] and b[1]", "W[1], b[1] and W[2]"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def verdict_heading(result: GradientCheckResult, dtype: str, layout) -> str:
    """The verdict in large type, in its band's colour, with where the difference comes
    from: the blocks in the bug band ("bug in W[2]"), else the largest block."""
    color = MARKDOWN_COLORS[result.verdict]
    heading = f"## Verdict: :{color}[{result.verdict}]"
    if result.verdict == "inconclusive":
        return f"{heading}, round-off at this ε in {dtype}"
    if result.verdict == "great" or not result.per_block:  # directions: not where
        return heading
    verdicts = block_verdicts(result, layout)
    broken = [lecture_name(block) for block, verdict in verdicts.items() if verdict == "bug"]
    if result.verdict == "bug" and broken:
        return f"{heading} in {_joined(broken)}"
    largest = max(result.per_block, key=result.per_block.get)
    return f"{heading}, largest in {lecture_name(largest)}"


def verdict_caption(result: GradientCheckResult) -> str:
    """The difference and what its band means; for "inconclusive", that round-off could
    make it (``round_off_caption`` says how)."""
    difference = f"Difference {sci(result.difference)}"
    if result.verdict == "inconclusive":
        band = verdict_for(result.difference)
        return f"{difference} · in the {band} band, but round-off alone could make it."
    meaning = next(band.meaning for band in VERDICT_BANDS if band.verdict == result.verdict)
    return f"{difference} · {meaning}"


def round_off_caption(result: GradientCheckResult, dtype: str) -> str | None:
    """For an inconclusive verdict, the round-off floor and the way out; else None."""
    if result.verdict != "inconclusive":
        return None
    if not np.isfinite(result.round_off_floor):
        return (
            "Backprop's dθ is 0 here, so whatever round-off is left in dθ_approx is the whole "
            "difference: check at a point where the gradient is not zero."
        )
    clear = epsilon_clear_of_round_off(result)
    edge = short(round_off_edge(result))
    way_out = f"with ε ≥ {short(clear)}, from where round-off alone stays below {edge}"
    if dtype != "float64":
        way_out = f"in float64, or in {dtype} {way_out}"
    return (
        f"Round-off in J alone makes a difference of about {sci(result.round_off_floor)} at ε = "
        f"{short(result.epsilon)} in {dtype}: each J(θ ± ε) is rounded, and dividing by "
        f"2ε = {short(2 * result.epsilon)} magnifies that. So {sci(result.difference)} says "
        f"nothing about backprop, right or wrong. Check {way_out}."
    )


def kink_verdict(result: GradientCheckResult) -> str | None:
    """The verdict without the components that crossed a kink, where it is another one."""
    if result.kinks is None or not result.kinks.count or result.verdict == "inconclusive":
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
    """The lecture's formula, and under it the same with this check's three norms."""
    n = [tex(number(value)) for value in terms]
    return (
        r"\begin{aligned} \text{difference} &= \frac{\lVert d\theta_\text{approx} - d\theta "
        r"\rVert_2}{\lVert d\theta_\text{approx} \rVert_2 + \lVert d\theta \rVert_2} \\ "
        rf"&= \frac{{{n[0]}}}{{{n[1]} + {n[2]}}} = {tex(sci(terms.difference))} \end{{aligned}}"
    )


def checked_caption(
    result: GradientCheckResult, epsilon: float, dtype: str, mode: str, m: int
) -> str:
    checked_what = "directions" if mode == "directions" else "coordinates"
    return (
        f"Over the {len(result.approx):,} checked {checked_what}, with ε = {short(epsilon)} "
        f"in {dtype}, on all {m:,} examples."
    )


LOOP_LATEX = (
    r"\begin{aligned} d\theta_\text{approx}[i] &= \frac{J(\theta + \varepsilon e_i) - "
    r"J(\theta - \varepsilon e_i)}{2\varepsilon} \\ &\approx d\theta[i] = \frac{\partial J}"
    r"{\partial \theta_i} \end{aligned}"
)


def _cost_digits(terms: ComponentTerms) -> int:
    # enough significant digits for J(θ + ε) and J(θ − ε) to show where they part
    gap = abs(terms.J_plus - terms.J_minus)
    scale = max(abs(terms.J_plus), abs(terms.J_minus), 1e-300)
    return 6 if gap == 0 else int(min(17, max(6, np.ceil(np.log10(scale / gap)) + 3)))


def component_latex(terms: ComponentTerms) -> str:
    """The loop's line for one component, its numbers put in."""
    d = _cost_digits(terms)
    gap = terms.J_plus - terms.J_minus
    return (
        rf"\begin{{aligned}} J(\theta + \varepsilon e_i) &= {terms.J_plus:.{d}g} \\ "
        rf"J(\theta - \varepsilon e_i) &= {terms.J_minus:.{d}g} \\ "
        rf"d\theta_\text{{approx}}[i] &= \frac{{{tex(sci(gap))}}}"
        rf"{{{tex(short(2 * terms.epsilon))}}}"
        rf" = {terms.approx:.8g} \\ d\theta[i] &= {terms.analytic:.8g} "
        rf"\quad\text{{(backprop)}} \end{{aligned}}"
    )


def component_sentence(terms: ComponentTerms, round_off: float) -> str:
    """What the one component says, from its two numbers and the round-off each two-sided
    difference carries here (``core.round_off.component_round_off``)."""
    if terms.approx == 0 and terms.analytic == 0:
        return (
            f"{terms.name}: J(θ + ε) and J(θ − ε) are equal and backprop says 0: this parameter "
            "does not move J here (a unit that is off for every example)."
        )
    rel = relative_difference(np.array([terms.approx]), np.array([terms.analytic]))
    gap = abs(terms.approx - terms.analytic)
    if gap <= ROUND_OFF_REACH * round_off and verdict_for(rel) != "great":
        return (
            f"{terms.name}: the two-sided {terms.approx:.6g} and backprop's {terms.analytic:.6g} "
            f"differ by {number(gap)}, but round-off alone moves each two-sided difference by "
            f"about {number(round_off)} here: this component cannot tell right from wrong."
        )
    verdict = verdict_for(rel)
    agree = {"great": "agree", "suspicious": "roughly agree", "bug": "disagree"}[verdict]
    ratio = ""
    if verdict == "bug" and terms.approx != 0:
        ratio = f" (backprop is {terms.analytic / terms.approx:.3g} times the two-sided value)"
    return (
        f"{terms.name}: the two-sided {terms.approx:.6g} and backprop's {terms.analytic:.6g} "
        f"{agree}{ratio}: relative difference {sci(rel)}, {verdict}."
    )


def cost_section(
    where, net: Network, activation: str, evaluations: int, P: int, started: float | None
) -> None:
    """The cost meter in ``where``: what to notice, this check's cost evaluations, and the
    table. Past the run's budget (``meter``) it shows what it is doing and starts the run
    again, which times the meter; every other section is on the page by then."""
    timed = meter(net, activation, started)
    if timed is None:
        where.caption(TIMING)
        st.rerun()
    cost, big = timed
    where.info(cost_notice(cost, big))
    every = f"This check's: 2 per checked component; all P = {P:,} need {2 * P:,}."
    where.metric("Cost evaluations", f"{evaluations:,}", help=every)
    where.table(cost_frame(cost, big), hide_index=True)


def cost_notice(c: practice.CheckCost, big: practice.RealisticCost) -> str:
    """What to notice in the cost meter: the lecture's loop, this checker, a real network."""
    return (
        f"The lecture's loop costs {c.loop_ratio:,.0f} forward + backward passes here, this "
        f"lab's checker {c.batched_ratio:,.0f}. {realistic_sentence(big)} Check once before "
        "training, never at every step."
    )


def cost_frame(c: practice.CheckCost, big: practice.RealisticCost) -> pd.DataFrame:
    """The cost meter: the course's loop and this checker on this network, and the loop on a
    network of realistic size, in evaluations, time and training steps."""
    return pd.DataFrame(
        {
            "checker": [
                f"course's loop, this network (P = {c.parameters:,})",
                f"this lab's checker, this network (P = {c.parameters:,})",
                f"course's loop, P = {big.parameters:,} ("
                + " → ".join(map(str, big.layer_dims))
                + ")",
            ],
            "cost evaluations": [f"{n:,}" for n in (c.evaluations, c.evaluations, big.evaluations)],
            "time": [
                duration(c.loop_seconds),
                duration(c.batched_seconds),
                duration(big.loop_seconds),
            ],
            "÷ one forward + backward pass": [
                f"{ratio:,.0f}×" for ratio in (c.loop_ratio, c.batched_ratio, big.loop_ratio)
            ],
        }
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
    """The float64 curve's shape where it is a U, what the sweep's points check, and the
    page's own check (the diamond): its difference, and how it differs from the sample's."""
    shaped = charts.is_u_shaped(sweeps["float64"].differences)
    caption = "The float64 curve is a U. " if shaped else ""
    caption += f"Each point checks the same {sweeps['float64'].components} components ({SWEEP_K} "
    caption += "random coordinates per block) at one ε, in float64 and in float32."
    if any(sweep.kinked.any() for sweep in sweeps.values()):
        caption += " Dashed: the same without the components that crossed a ReLU kink."
    caption += (
        f" The diamond is the check above, {sci(result.difference)}: its "
        f"{len(result.approx):,} components at your ε in {dtype}."
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
    return text + (": round-off, which makes a correct gradient look broken." if not bug else ".")


# ---------------------------------------------------------------- what each chart shows


_GREAT, _SUSPICIOUS = (short(band.below) for band in VERDICT_BANDS[:2])
VERDICT_DESCRIPTION = (
    "The check's relative difference as a dot on a log scale among the lecture's bands "
    f"(great below {_GREAT}, suspicious below {_SUSPICIOUS}, bug above), in its verdict's "
    "colour (grey where round-off alone could make it), its value written beside it."
)
BLOCK_DESCRIPTION = (
    "The difference within each block of θ (W[1], b[1], …) as one dot per row on the same "
    "log scale and bands, each in its block's verdict colour (grey where round-off alone "
    "could make it), its value written beside it; the block that stands out is ringed."
)
COORDINATE_DESCRIPTION = (
    "Two-sided difference against backprop, one dot per checked component coloured by "
    "block; on the dashed line y = x the two agree. The table of the worst components "
    "goes with it."
)
SWEEP_DESCRIPTION = (
    "The relative difference against ε on log-log axes, one curve per precision (float64 "
    "and float32; dashed, where drawn, without the components that crossed a kink), over "
    "the verdict bands; dotted rules mark the course's, your and the default ε, and a "
    "diamond the check above."
)


def block_caption(blocks: pd.DataFrame) -> str:
    """Which block the per-block dots ring, and why: those in the bug band, else (when the
    check is a bug or suspicious) the largest; else none."""
    outlined = blocks[blocks["outlined"]]
    if outlined.empty:
        return "No block stands out."
    if not (outlined["verdict"] == "bug").all():
        row = outlined.iloc[0]
        return f"Ringed: {row['name']}, the largest difference ({row['label']})."
    return f"Ringed: {_joined(list(outlined['name']))} in the bug band."


def theta_description(layout) -> str:
    """θ's bar in words: its size and blocks, what colours them and what the rule marks."""
    return (
        f"θ's {layout.size:,} coordinates as one bar, block by block "
        f"({', '.join(block.name for block in layout.blocks)}), each coloured by the band of "
        "its difference; a rule marks the component taken apart below."
    )


# ---------------------------------------------------------------- sections


def loop_section(
    net: Network, setting: Setting, result: GradientCheckResult, layout, epsilon: float,
    dtype: str,
) -> None:  # fmt: skip
    """θ as one bar and one component taken apart, under the lecture's loop (``LOOP_LATEX``,
    which the page draws above it)."""
    index = component_control(result, layout)
    if index is None:  # random directions: no coordinate to take apart
        return
    show(charts.theta_chart, float(layout.size), name="theta",
         description=theta_description(layout), tables={
             "theta": charts.theta_frame(result, layout), "chosen": charts.chosen_frame(index)
         })  # fmt: skip
    one = component(net, setting, epsilon, dtype, index)
    st.latex(component_latex(one))
    st.caption(component_sentence(one, component_round_off(result)))
