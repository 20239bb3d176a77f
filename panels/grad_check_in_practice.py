"""Grad check in practice: the five rules' tabs, and each rule's controls, its cached
experiment, and the headline, sentences, chart description and formulas it writes, one
block per rule in page order.

Each rule opens on a headline, one sentence with its key number (``*_headline``), over
its chart. A rule's lecture formula is a ``*_FORMULA`` constant; ``*_with_numbers`` is the
same formula with the current setting's values put in, broken over lines narrow enough
for a phone. A select slider's value stays the text it shows (an entry of the option
tuples below), which is also the cache key of its view.
"""

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import streamlit as st

from charts.grad_check_in_practice import power_of_ten
from charts.numerical_gradients import tex
from core import check_practice as practice
from core.datasets import COURSE_TRAIN_SIZE
from core.gradient_check import VERDICT_BANDS, verdict_for
from core.network import BUG_BY_LABEL, PLANTED_BUGS, bug_label
from ui.heavy import compute
from ui.links import lazy_tabs, url_integer

URL = {"bind": "query-params"}
WIDTHS = ("2", "4", "8", "16", "32", "64")
LAMBDAS = ("0.0001", "0.0003", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "0.7", "1", "3")
KEEP_PROBS = tuple(f"{k / 20:.2f}" for k in range(10, 21))  # 0.50, 0.55, …, 1.00
RUN_LAMBDAS = ("0.001", "0.003", "0.01", "0.03", "0.1")
ITERATIONS = ("100", "200", "300", "500", "1000", "2000", "3000")
EPSILONS = ("1e-7", "1e-6", "1e-5", "1e-4", "1e-3", "1e-2")
LEARNING_RATE, SNAPSHOTS, MAX_SEED = 0.1, 10, 9999
BUG_EDGE = VERDICT_BANDS[-2].below  # where the verdict "bug" begins
ACTIVATIONS = ("relu", "leaky_relu", "tanh")
LAB = " → ".join(map(str, (2, *practice.LAB_HIDDEN, 1)))  # the lab network's layers
LATE = "l2_missing_in_dW"  # the bug rule 5 follows: the one measured to hide at first
RULE = "gp_rule"  # the tabs' key, and the query parameter of the open rule
RULES = {
    "Only to debug": ("gp_width",),
    "Look at components": ("gp_seed", "gp_guess"),
    "Remember regularization": ("gp_lambda",),
    "Not with dropout": ("gp_keep",),
    "Again after training": ("gp_act", "gp_run_lambda", "gp_iters", "gp_eps"),
}
"""The five rules, by tab label (the value gp_rule takes in links), and their controls' keys."""
PART, PARTS = RULE, RULES  # named as the other pages' tabs (ui.links.lazy_tabs)
# Every control's starting value, by widget key: the widgets and the walkthrough read it.
DEFAULTS = {
    "gp_rule": "Only to debug", "gp_width": "16", "gp_seed": 0, "gp_guess": None,
    "gp_lambda": "0.7", "gp_keep": "0.80", "gp_act": "relu", "gp_run_lambda": "0.01",
    "gp_iters": "300", "gp_eps": "1e-5",
}  # fmt: skip
LINK_OPTIONS = {
    "gp_width": WIDTHS, "gp_guess": tuple(BUG_BY_LABEL), "gp_lambda": LAMBDAS,
    "gp_keep": KEEP_PROBS, "gp_act": ACTIVATIONS, "gp_run_lambda": RUN_LAMBDAS,
    "gp_iters": ITERATIONS, "gp_eps": EPSILONS,
}  # fmt: skip
"""The values a link may give each control with options: the options themselves."""


def e(value: float) -> str:
    """A difference for LaTeX, to two digits: 7.4 \\cdot 10^{-5}."""
    return tex(f"{value:.1e}".replace("e-0", "e-").replace("e+00", ""))


def hero(wide: int = 3) -> tuple:
    """A rule's hero: the chart's column and, beside it (under it on a phone), the column
    of its controls and sentence."""
    return st.columns([wide, 1], gap="medium")


# ----------------------------------------------------------------------------- the tabs


def rule_tabs() -> list:
    """The five rules' tabs, bound to the URL as gp_rule; only the open one's rule runs
    (``ui.links.lazy_tabs``)."""
    return lazy_tabs(RULE, RULES, DEFAULTS, link_value_usable)


def link_value_usable(key: str, text: str) -> bool:
    """Whether the control ``key`` takes the link's ``text``, as its widget would."""
    if key == "gp_seed":
        return url_integer(text, 0, MAX_SEED) is not None
    return text in LINK_OPTIONS[key]


# ----------------------------------------------------------------------------- 1 · the cost

COST_INTRO = (
    "Backpropagation gets every derivative from one backward pass. The check nudges each "
    "of the P parameters both ways and recomputes J each time: 2·P forward passes. Both "
    f"are timed here on networks 2 → n → n → 1 with the lab's {COURSE_TRAIN_SIZE} examples."
)
COST_FORMULA = (
    r"\frac{t_\text{check}}{t_\text{step}} \approx \frac{2P \cdot t_J}"
    r"{t_\text{forward} + t_\text{backward}}"
)


def width_control() -> str:
    return st.select_slider("Hidden units per layer n", WIDTHS, DEFAULTS["gp_width"],
                            key="gp_width", **URL)  # fmt: skip


@st.cache_data(max_entries=len(WIDTHS), show_spinner="Timing checks against training steps…")
def check_cost(width: int) -> practice.CheckCost:
    X, Y, parameters = practice.lab((width, width))
    return compute(practice.check_cost, parameters, X, Y, np.random.default_rng(0))


def check_costs(n: str) -> tuple[list[practice.CheckCost], practice.CheckCost]:
    """Every width's cost (the chart draws them all) and the chosen one's."""
    costs = [check_cost(int(width)) for width in WIDTHS]
    return costs, costs[WIDTHS.index(n)]


def cost_headline(n: str, c: practice.CheckCost) -> str:
    """The one figure for what a check costs: the course's loop, measured, in steps."""
    return (
        f"One check costs as much as {c.loop_ratio:,.0f} training steps "
        f"(n = {n}, P = {c.parameters:,})."
    )


def cost_with_numbers(c: practice.CheckCost) -> str:
    P, ratio = (f"{value:,.0f}".replace(",", "{,}") for value in (c.parameters, c.theory_ratio))
    return (
        rf"\frac{{2 \cdot {P} \cdot {1e6 * c.cost_seconds:.0f}\,\mu\text{{s}}}}"
        rf"{{{1e6 * c.step_seconds:.0f}\,\mu\text{{s}}}} = {ratio} \text{{ steps}}"
    )


def cost_measured(n: str, c: practice.CheckCost) -> str:
    """What the two real checkers cost, beside the formula's estimate."""
    return (
        f"Measured for n = {n}: the course's loop {1e3 * c.loop_seconds:,.1f} ms "
        f"({c.loop_ratio:,.0f} steps, the headline's figure; each evaluation also copies and "
        f"unpacks θ), this lab's batched checker {1e3 * c.batched_seconds:,.1f} ms "
        f"({c.batched_ratio:,.0f} steps), which sends a whole block's nudges through the "
        "network together."
    )


def cost_timing(c: practice.CheckCost) -> str:
    return (
        f"The loop is timed on {c.timed_coordinates} coordinates and scaled to P. Times are CPU "
        "time on this machine, each the fastest of several runs taken in turns."
    )


def duration(seconds: float) -> str:
    """A time in the unit that reads best: 12.3 ms, 4.5 s, 12 min, 11 hours, 3.2 days."""
    if seconds < 1:
        return f"{1e3 * seconds:,.1f} ms"
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} hours"
    return f"{seconds / 86400:.1f} days"


@st.cache_data(max_entries=1, show_spinner="Timing a network of a million parameters…")
def realistic_cost() -> practice.RealisticCost:
    return compute(practice.realistic_cost)


def realistic_sentence(big: practice.RealisticCost) -> str:
    """The course's loop on a network of realistic size, from its measured step and J."""
    network = " → ".join(map(str, big.layer_dims))
    return (
        f"At a realistic size, {network} (P = {big.parameters:,}), one training step takes "
        f"{duration(big.step_seconds)} here and one J {duration(big.cost_seconds)}: the "
        f"course's loop, {big.evaluations:,} forward passes, takes {duration(big.loop_seconds)}"
        f", as long as {big.loop_ratio:,.0f} training steps."
    )


def cost_notice(costs: Sequence[practice.CheckCost], big: practice.RealisticCost) -> str:
    """How the headline's figure grows with the network, up to a realistic one."""
    return (
        f"From n = {WIDTHS[0]} to {WIDTHS[-1]} that ratio grows "
        f"{costs[-1].loop_ratio / costs[0].loop_ratio:,.0f}-fold. {realistic_sentence(big)} "
        "Check once to debug, then turn the check off."
    )


def cost_description(costs: Sequence[practice.CheckCost]) -> str:
    """The cost chart's alternative text. It leaves out the chosen network, which the
    headline above the chart gives, so that a move of the slider keeps the chart's spec."""
    first, last = costs[0], costs[-1]
    return (
        "Training steps one gradient check costs, against the parameter count P from "
        f"{first.parameters:,} to {last.parameters:,}, log-log: the course's loop costs "
        f"{first.loop_ratio:,.0f} to {last.loop_ratio:,.0f} steps, the batched checker "
        f"{first.batched_ratio:,.0f} to {last.batched_ratio:,.0f}. A dark rule marks the "
        "network on the slider, labelled with its loop's figure."
    )


# ----------------------------------------------------------------------------- 2 · components

PUZZLE_INTRO = (
    "One difference tells *that* dθ is wrong; the difference of each block (W1, b1, …) "
    "tells *where*. A bug is planted in backpropagation: find it from the blocks. "
    f"(λ = {practice.PUZZLE_LAMBDA}, keep_prob = {practice.PUZZLE_KEEP_PROB} with one fixed "
    "mask and tanh units, so that every planted bug has something to break.)"
)
BLOCK_FORMULA = (
    r"\text{diff}_B = \frac{\lVert d\theta_\text{approx}[B] - d\theta[B]\rVert_2}"
    r"{\lVert d\theta_\text{approx}[B]\rVert_2 + \lVert d\theta[B]\rVert_2}"
)


def _new_puzzle() -> None:
    # A click draws another puzzle, and the last puzzle's guess must not carry over.
    st.session_state["gp_seed"] = int(np.random.default_rng().integers(MAX_SEED + 1))
    st.session_state["gp_guess"] = None


def guess_control() -> str | None:
    """The visitor's guess, a planted bug's name (None until one is chosen), and beside
    it the button that reveals the answer; whether this puzzle's answer is shown comes
    from ``revealed``."""
    pick, reveal = st.columns([3, 2], vertical_alignment="bottom")
    shown = pick.selectbox("Your guess: which bug?", list(BUG_BY_LABEL),
                           index=None if DEFAULTS["gp_guess"] is None else
                           list(BUG_BY_LABEL).index(DEFAULTS["gp_guess"]),
                           key="gp_guess", placeholder="Choose a planted bug", **URL)  # fmt: skip
    reveal.button("Reveal", key="gp_reveal", icon=":material/visibility:", width="stretch")
    return BUG_BY_LABEL.get(shown)


def puzzle_control() -> int:
    """The puzzle number, and the button that draws another."""
    number, new = st.columns([1, 1], vertical_alignment="bottom")
    seed = number.number_input("Puzzle number", 0, MAX_SEED, DEFAULTS["gp_seed"], key="gp_seed",
                               **URL)  # fmt: skip
    new.button("New puzzle", on_click=_new_puzzle, icon=":material/casino:", width="stretch")
    return seed


def revealed(seed: int) -> bool:
    """Whether this puzzle's answer is shown: from a click of Reveal until another puzzle
    is opened, while the guess changes."""
    if st.session_state.get("gp_reveal"):
        st.session_state["gp_revealed"] = seed
    return st.session_state.get("gp_revealed") == seed


@st.cache_data(max_entries=64, show_spinner=False)
def puzzle(seed: int) -> practice.Puzzle:
    return practice.component_puzzle(seed)  # 5–10 ms: not worth a worker process


def blocks_with_numbers(puzzle: practice.Puzzle) -> str:
    """Each block's difference from its three norms, the result on a line of its own."""
    per_block = puzzle.result.per_block
    return r"\begin{aligned}" + r"\\[6pt]".join(
        rf"\text{{diff}}_\text{{{block}}} &= \frac{{{e(t.numerator)}}}{{{e(t.approx_norm)} + "
        rf"{e(t.analytic_norm)}}} \\ &= {e(per_block[block])}"
        for block, t in puzzle.terms.items()) + r"\end{aligned}"  # fmt: skip


def _broken(puzzle: practice.Puzzle) -> list[str]:
    return [block for block, diff in puzzle.result.per_block.items() if verdict_for(diff) == "bug"]


def puzzle_headline(puzzle: practice.Puzzle) -> str:
    """How many blocks fail and which: the clue the puzzle is solved from."""
    broken, blocks = _broken(puzzle), len(puzzle.result.per_block)
    if len(broken) == 1:
        return (
            f"1 of {blocks} blocks fails the check: {broken[0]}. Which planted bug breaks "
            "exactly this one?"
        )
    return (
        f"{len(broken)} of {blocks} blocks fail the check: {', '.join(broken)}. Which planted "
        "bug breaks exactly these?"
    )


def puzzle_hint(puzzle: practice.Puzzle) -> str:
    """Where the bug band starts, and how far below it the other blocks stay."""
    broken = _broken(puzzle)
    others = [diff for block, diff in puzzle.result.per_block.items() if block not in broken]
    return (
        f"From {BUG_EDGE:g} up a block's difference is a bug. The other {len(others)} blocks "
        f"stay at or below {max(others):.0e}, where backpropagation is right. Choose a "
        "guess, then reveal."
    )


def puzzle_answer(puzzle: practice.Puzzle, guess: str | None) -> tuple[bool, str]:
    """Whether the guess is right, and the answer that says so."""
    right = guess == puzzle.bug
    opening = "Right" if right else "No guess" if guess is None else f"Not {bug_label(guess)}"
    return right, (
        f"{opening}: the planted bug is **{bug_label(puzzle.bug)}**. "
        f"{PLANTED_BUGS[puzzle.bug].description} It broke {', '.join(_broken(puzzle))}."
    )


def puzzle_description(puzzle: practice.Puzzle) -> str:
    blocks = "; ".join(
        f"{block} {power_of_ten(diff)} ({verdict_for(diff)})"
        for block, diff in puzzle.result.per_block.items()
    )
    return (
        f"The relative difference of each block of dθ, on a log axis over the verdict bands: "
        f"{blocks}."
    )


# ----------------------------------------------------------------------------- 3 · regularization

REGULARIZATION_INTRO = (
    "With L2 regularization J has an extra term, so every dW has one too. Leave it out of "
    "backpropagation and the check notices, the more so the larger λ. The lab network "
    f"({LAB}, tanh) at its initialization:"
)
L2_FORMULA = (
    r"\begin{aligned} J &= \ldots + \frac{\lambda}{2m}\sum_l \lVert W^{[l]}\rVert_F^2 \\"
    r" dW^{[l]} &= \tfrac{1}{m}\,dZ^{[l]}A^{[l-1]T} + \tfrac{\lambda}{m}W^{[l]} \end{aligned}"
)


def lambda_control() -> str:
    return st.select_slider("λ, the L2 regularization strength", LAMBDAS, DEFAULTS["gp_lambda"],
                            key="gp_lambda",
                            **URL)  # fmt: skip


@st.cache_data(max_entries=1, show_spinner="Checking at every λ…")
def regularization() -> practice.RegularizationSweep:
    X, Y, parameters = practice.lab()
    lambdas = [float(text) for text in LAMBDAS]
    return compute(practice.regularization_sweep, parameters, X, Y, lambdas)


def regularization_headline(sweep: practice.RegularizationSweep, lambd: str) -> str:
    """The missing term's difference at this λ, and whether the check catches it."""
    buggy = sweep.buggy[LAMBDAS.index(lambd)]
    verdict = verdict_for(buggy)
    opening = f"At λ = {float(lambd):g}, leaving (λ/m)·W out of dW scores"
    if verdict == "bug":
        return f"{opening} {power_of_ten(buggy)}: the check calls it a bug."
    return f"{opening} only {power_of_ten(buggy)} ({verdict}): the bug hides below the bug band."


def l2_with_numbers(sweep: practice.RegularizationSweep, lambd: str) -> str:
    """The lecture's estimate of the bug's difference at this λ, over the measured one."""
    i = LAMBDAS.index(lambd)
    return (
        r"\begin{aligned} \text{diff}_\text{bug} &\approx \frac{\lVert \tfrac{\lambda}{m}W "
        rf"\rVert}}{{2\lVert d\theta\rVert}} = \frac{{{e(sweep.missing_norm[i])}}}{{2 \cdot "
        rf"{e(sweep.gradient_norm[i])}}} \\ &= {e(sweep.estimate[i])} \\ "
        rf"\text{{measured}} &= {e(sweep.buggy[i])} \end{{aligned}}"
    )


def regularization_notice(sweep: practice.RegularizationSweep, lambd: str) -> str:
    i, caught = LAMBDAS.index(lambd), sweep.smallest_caught
    first = f"from λ = {caught:g} up" if caught else "at none of these λ"
    return (
        f"The correct code scores {sweep.correct[i]:.1e} ({verdict_for(sweep.correct[i])}). "
        f"The bug's difference grows in proportion to λ: the check calls it a bug {first}, "
        "and below that it hides among the suspicious values. Check with the λ you train "
        "with."
    )


def regularization_description(sweep: practice.RegularizationSweep) -> str:
    caught = sweep.smallest_caught
    verdict = f"a bug from λ = {caught:g} up" if caught else "never a bug"
    return (
        f"The check's difference against λ from {sweep.lambdas[0]:g} to {sweep.lambdas[-1]:g}, "
        f"log-log: with (λ/m)·W left out of dW it rises from {power_of_ten(sweep.buggy[0])} to "
        f"{power_of_ten(sweep.buggy[-1])}, {verdict}; the correct code stays at or below "
        f"{power_of_ten(sweep.correct.max())}."
    )


# ----------------------------------------------------------------------------- 4 · dropout

DROPOUT_INTRO = (
    "Dropout draws a new mask D at every pass, so J is a different function each time. "
    "The same correct code is checked with a fresh mask per evaluation and with one mask "
    "kept fixed."
)
NOISE_FORMULA = (
    r"\begin{aligned} &\frac{J_{D'}(\theta+\varepsilon e_i) - J_{D''}(\theta-\varepsilon e_i)}"
    r"{2\varepsilon} \\[4pt] &\quad \approx \frac{\partial J}{\partial\theta_i} + "
    r"\frac{J_{D'} - J_{D''}}{2\varepsilon} \end{aligned}"
)
NOISE_CAPTION = (
    "σ(J_D): the spread of J over 20 fresh masks D at θ; |dθᵢ|: the components' rms. "
    "A fixed mask makes D′ = D″ and the noise term 0."
)


def keep_prob_control() -> str:
    return st.select_slider("keep_prob", KEEP_PROBS, DEFAULTS["gp_keep"], key="gp_keep", **URL)


@st.cache_data(max_entries=1, show_spinner="Checking at every keep_prob…")
def dropout() -> practice.DropoutSweep:
    X, Y, parameters = practice.lab()
    keep_probs = [float(text) for text in KEEP_PROBS]
    return compute(practice.dropout_sweep, parameters, X, Y, keep_probs)


def dropout_headline(sweep: practice.DropoutSweep, keep_prob: str) -> str:
    """What a fresh mask per evaluation makes of correct code at this keep_prob."""
    i = KEEP_PROBS.index(keep_prob)
    fresh, fixed = sweep.fresh[i], sweep.fixed[i]
    if float(keep_prob) == 1:
        return (
            f"At keep_prob = 1 there is no mask: correct code scores {power_of_ten(fixed)} "
            f"({verdict_for(fixed)})."
        )
    return (
        f"A fresh mask per evaluation: correct code scores {power_of_ten(fresh)} "
        f"({verdict_for(fresh)}) at keep_prob = {float(keep_prob):.2f}."
    )


def noise_with_numbers(sweep: practice.DropoutSweep, keep_prob: str) -> str:
    """The noise a fresh mask adds to each component, against the component itself."""
    # √2 as \surd 2, a glyph: KaTeX draws \sqrt's bar as an SVG path thousands of pixels
    # wide, clipped to the formula, that reads as wider than a phone's screen
    i = KEEP_PROBS.index(keep_prob)
    return (
        rf"\begin{{aligned}} \frac{{\surd 2 \cdot \sigma(J_D)}}{{2\varepsilon}} &= \frac{{"
        rf"\surd 2 \cdot {e(sweep.cost_spread[i])}}}{{2 \cdot {e(sweep.epsilon)}}} \\ &= "
        rf"{e(sweep.mask_noise[i])} \\ &\gg |d\theta_i| \approx {e(sweep.gradient_rms[i])} "
        r"\end{aligned}"
    )


def dropout_notice(sweep: practice.DropoutSweep, keep_prob: str) -> str:
    i = KEEP_PROBS.index(keep_prob)
    fresh, fixed = sweep.fresh[i], sweep.fixed[i]
    if float(keep_prob) == 1:
        return (
            f"keep_prob = 1 is no dropout: there is no mask, J is one function, and the check "
            f"passes ({fixed:.1e}). Check like this, then turn dropout back on."
        )
    return (
        f"At keep_prob = {float(keep_prob):.2f} a fresh mask per evaluation scores {fresh:.1e} "
        f"({verdict_for(fresh)}) although the code is correct: J's spread over masks is "
        f"σ = {sweep.cost_spread[i]:.1e}, two independent masks differ by about √2·σ, and "
        f"dividing by 2ε = {2 * sweep.epsilon:.0e} makes that {sweep.mask_noise[i]:.1e} in "
        f"every component. One fixed mask scores {fixed:.1e} ({verdict_for(fixed)})."
    )


def dropout_description(sweep: practice.DropoutSweep) -> str:
    masked = sweep.keep_probs < 1
    return (
        f"The difference of correct code against keep_prob from {sweep.keep_probs[0]:.2f} to "
        f"{sweep.keep_probs[-1]:.2f}: with a fresh mask at every evaluation it stays between "
        f"{power_of_ten(sweep.fresh[masked].min())} and {power_of_ten(sweep.fresh[masked].max())}"
        f" wherever there is dropout, and is {power_of_ten(sweep.fresh[~masked].max())} at "
        f"keep_prob = 1; with one fixed mask it stays at or below "
        f"{power_of_ten(sweep.fixed.max())}."
    )


# ----------------------------------------------------------------------------- 5 · along training

TRAINING_INTRO = (
    "A bug whose error is small beside a large gradient can hide at the start and show once "
    "training has shrunk the gradient. The "
    f"lab network ({LAB}) trains by gradient descent (α = {LEARNING_RATE}) with correct code; "
    "every snapshot is checked with the correct backpropagation and with each planted bug."
)
HIDING_FORMULA = (
    r"\begin{aligned} \text{diff}_\text{bug} &\approx \frac{\tfrac{\lambda}{m}\lVert W\rVert}"
    r"{2\lVert d\theta\rVert} \\ &\text{while } \tfrac{\lambda}{m}\lVert W\rVert \ll "
    r"\lVert d\theta\rVert \end{aligned}"
)


class RunSettings(NamedTuple):
    """Rule 5's controls: how the network trains, and the ε its snapshots are checked at."""

    activation: str
    lambd: float
    iterations: int
    epsilon: float


def run_controls() -> RunSettings:
    activation = st.segmented_control(
        "Hidden activation", ACTIVATIONS, default=DEFAULTS["gp_act"], required=True, key="gp_act",
        **URL,
        help="ReLU and leaky ReLU have a kink at 0, where a two-sided difference can lie; "
        "tanh has none.",
    )  # fmt: skip
    lambd = float(
        st.select_slider(
            "λ of the run", RUN_LAMBDAS, DEFAULTS["gp_run_lambda"], key="gp_run_lambda", **URL
        )
    )
    iterations = int(
        st.select_slider("Iterations", ITERATIONS, DEFAULTS["gp_iters"], key="gp_iters", **URL)
    )
    epsilon = float(st.select_slider("ε of the check", EPSILONS, DEFAULTS["gp_eps"],
                                     key="gp_eps", **URL))  # fmt: skip
    return RunSettings(activation, lambd, iterations, epsilon)


@st.cache_data(max_entries=16, show_spinner="Training…")
def training(lambd: float, iterations: int, activation: str) -> tuple[practice.Snapshot, ...]:
    """The run's snapshots (at most 3,000 steps: well under a second)."""
    X, Y, parameters = practice.lab()
    return compute(
        practice.train_with_snapshots, parameters, X, Y, lambd=lambd,
        learning_rate=LEARNING_RATE, num_iterations=iterations, snapshots=SNAPSHOTS,
        activation=activation,
    )  # fmt: skip


@st.cache_data(max_entries=32, show_spinner="Checking every snapshot…")
def checks(lambd: float, iterations: int, epsilon: float, activation: str, _snapshots):
    """The checks along the run whose snapshots are ``_snapshots`` (not hashed: they are
    the training of the other arguments)."""
    X, Y, _ = practice.lab()
    return compute(
        practice.checks_along_training, _snapshots, X, Y, lambd=lambd, activation=activation,
        epsilon=epsilon,
    )  # fmt: skip


def checked_run(s: RunSettings) -> practice.TrainingChecks:
    """The checks along the run. Training is cached apart from checking, so a new ε checks
    the same snapshots again instead of training anew."""
    snapshots = training(s.lambd, s.iterations, s.activation)
    return checks(s.lambd, s.iterations, s.epsilon, s.activation, snapshots)


def training_headline(run: practice.TrainingChecks, s: RunSettings) -> str:
    """What became of the missing L2 term between the first check and the last."""
    late, label = run.bugs[LATE], bug_label(LATE)
    start, end = power_of_ten(late[0]), power_of_ten(late[-1])
    if LATE in practice.hidden_at_initialization(run):
        return (
            f"{label} hides at initialization ({start}, {verdict_for(late[0])}) and shows as "
            f"a bug after {s.iterations:,} iterations ({end})."
        )
    if verdict_for(late[0]) == "bug":
        return f"At λ = {s.lambd:g}, {label} is caught at initialization already ({start})."
    return f"{label} goes {start} → {end}: not yet a bug after {s.iterations:,} iterations."


def hiding_with_numbers(run: practice.TrainingChecks, s: RunSettings) -> str:
    """The estimate of the missing L2 term's difference at the start and at the end, each
    over the measured one."""
    return r"\begin{aligned}" + r"\\[6pt]".join(
        rf"&\text{{{when}:}} \\ & \frac{{{s.lambd:g}/{run.examples} \cdot "
        rf"{run.weight_norm[j]:.2f}}}{{2 \cdot {e(run.gradient_norm[j])}}} = "
        rf"{e(run.l2_estimate[j])} \\ & \text{{measured }} {e(run.bugs[LATE][j])}"
        for j, when in ((0, "at the start"), (-1, f"after {s.iterations:,} iterations"))
    ) + r"\end{aligned}"  # fmt: skip


def run_caption(run: practice.TrainingChecks, s: RunSettings) -> str:
    caption = (
        f"{run_summary(run, s)} {run.parameters} parameters, {run.examples} examples: a full "
        f"check at each of {SNAPSHOTS + 1} snapshots with ε = {s.epsilon:g}; the bug lines and "
        "the dashed “kinks left out” leave the components that met a kink out. Without dropout, "
        f"{', '.join(map(bug_label, run.unchanged))} changes nothing."
    )
    if (run.kinked > 0).any():
        caption += (
            " A purple number over a point of the correct code counts the components whose "
            "check met a kink there: θ ± ε put some unit's pre-activation on both sides of 0."
        )
    return caption


def run_notice(run: practice.TrainingChecks, s: RunSettings) -> str:
    """Why the missing L2 term did what the headline says, then what the kinks did."""
    return _late_bug_notice(run, s) + _kink_notice(run, s.activation)


def _late_bug_notice(run: practice.TrainingChecks, s: RunSettings) -> str:
    late = run.bugs[LATE]
    if LATE in practice.hidden_at_initialization(run):
        caught = [bug for bug, values in run.bugs.items() if verdict_for(values[0]) == "bug"]
        return (
            "Measured over the planted bugs, the check at initialization lets only "
            f"{bug_label(LATE)} through. {_mechanism(run)} The other {len(caught)} planted "
            "bugs that change dθ here score a bug from the start."
        )
    if verdict_for(late[0]) == "bug":
        return "Lower λ to watch it hide at initialization."
    return f"It scores {late[-1]:.1e} after {s.iterations:,} iterations: train longer or raise λ."


def _mechanism(run: practice.TrainingChecks) -> str:
    """Which of the two moves of (λ/m)‖W‖ / 2‖dθ‖ made the bug show: the weights its error
    follows growing, or the gradient it hides behind shrinking."""
    grew = run.weight_norm[-1] / run.weight_norm[0]
    shrank = run.gradient_norm[0] / run.gradient_norm[-1]
    weights = f"‖W‖ {run.weight_norm[0]:.1f} → {run.weight_norm[-1]:.1f} (×{grew:.2g})"
    gradient = f"‖dθ‖ {run.gradient_norm[0]:.2g} → {run.gradient_norm[-1]:.2g} (÷{shrank:.2g})"
    if shrank >= grew:
        return (
            f"Its error (λ/m)·W follows the weights, which barely move ({weights}); the "
            f"gradient it hides behind shrinks as the network learns ({gradient}). The bug "
            "shows because the gradient shrank, not because the weights grew."
        )
    return (
        f"Its error (λ/m)·W grows with the weights ({weights}) faster than the gradient it "
        f"hides behind shrinks ({gradient}): the bug shows because the weights grew."
    )


def _kink_notice(run: practice.TrainingChecks, activation: str) -> str:
    kinked = sum(run.kinked > 0)
    if kinked:
        return (
            f" {kinked} of {SNAPSHOTS + 1} checks of the correct code met a kink and scored up "
            f"to {run.correct.max():.1e}; without the kinked components, at most "
            f"{run.correct_without_kinks.max():.1e}."
        )
    if activation == "tanh":
        return f" tanh has no kink, so the correct code stays at {run.correct.max():.1e} or below."
    return " No check met a kink at this ε: raise ε to meet some."


TRAINING_DESCRIPTION = (
    f"The check's relative difference at each of the {SNAPSHOTS + 1} snapshots of a training "
    "run, against the iteration, on a log axis over the verdict bands (great, suspicious, "
    f"bug): the correct code, the same without the components that met a kink (dashed), "
    f"{bug_label(LATE)} in red with its first and last difference written under them, and "
    "the other planted bugs in grey. A purple number over a check of the correct code counts "
    "the components whose check met a kink. The run's figures are in the text under the chart."
)
"""The training chart's alternative text: what it draws. Its figures are on the page, in
the headline, run_notice and run_caption (``run_summary``), so that a move of the run's
controls keeps the chart's spec."""


def run_summary(run: practice.TrainingChecks, s: RunSettings) -> str:
    """The chart's findings in figures: the late bug's first and last checks with their
    verdicts, and how high the correct code's checks go."""
    late = run.bugs[LATE]
    kinked = sum(run.kinked > 0)
    return (
        f"Along {s.iterations:,} iterations {bug_label(LATE)} goes {power_of_ten(late[0])} "
        f"({verdict_for(late[0])}) → {power_of_ten(late[-1])} ({verdict_for(late[-1])}); the "
        f"correct code stays at or below {power_of_ten(run.correct.max())}, and {kinked} of its "
        f"{SNAPSHOTS + 1} checks met a kink."
    )
