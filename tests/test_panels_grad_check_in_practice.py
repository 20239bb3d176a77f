"""The grad-check-in-practice page's sentences, built straight from core's results without
running the page: every headline, notice and chart description, one test per branch.
Expected values come from core or from the number's own digits."""

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from charts.grad_check_in_practice import power_of_ten
from core import check_practice as practice
from core.network import BUG_BY_LABEL, PLANTED_BUGS, bug_label
from panels import grad_check_in_practice as panels

LATE = panels.LATE


@pytest.mark.parametrize(
    "value, shown",
    [(7.4e-5, r"7.4 \cdot 10^{-5}"), (1.0, "1.0"), (0.25, r"2.5 \cdot 10^{-1}")],
)
def test_a_difference_is_written_to_two_digits_as_a_power_of_ten(value, shown):
    assert panels.e(value) == shown


@pytest.fixture(scope="module")
def lab():
    return practice.lab()


# ---------------------------------------------------------------- the tabs


def test_every_control_belongs_to_one_rule_and_has_a_default():
    keys = [key for rule_keys in panels.RULES.values() for key in rule_keys]
    assert len(keys) == len(set(keys))  # one tab each
    assert set(keys) | {panels.RULE} == set(panels.DEFAULTS)
    assert panels.DEFAULTS[panels.RULE] == next(iter(panels.RULES))  # the first tab
    assert set(panels.LINK_OPTIONS) == set(keys) - {"gp_seed"}


@pytest.mark.parametrize(
    "key, text, usable",
    [("gp_lambda", "0.7", True), ("gp_lambda", "0.70", False), ("gp_lambda", "garbage", False),
     ("gp_keep", "7", False), ("gp_iters", "1e9", False), ("gp_act", "tanh", True),
     ("gp_act", "sigmoid", False), ("gp_guess", next(iter(BUG_BY_LABEL)), True),
     ("gp_guess", "__import__('os')", False), ("gp_seed", "12", True), ("gp_seed", "-3", False),
     ("gp_seed", "10000", False), ("gp_seed", "3.0", False)],
)  # fmt: skip
def test_a_closed_rules_link_value_is_usable_only_if_its_control_takes_it(key, text, usable):
    assert panels.link_value_usable(key, text) is usable


# ---------------------------------------------------------------- 1 · the cost

BIG = practice.RealisticCost((2, 1000, 1000, 1), 1_005_001, step_seconds=0.05, cost_seconds=0.015)


def _cost(n: int, P: int, loop_seconds: float) -> practice.CheckCost:
    return practice.CheckCost((2, n, n, 1), P, 1e-4, 4e-5, loop_seconds, 1e-3, 50)


def test_the_cost_headline_is_the_measured_loop_in_training_steps():
    c = _cost(64, 4481, 0.3419)  # 0.3419 s / 0.1 ms = 3,419 steps
    assert panels.cost_headline("64", c) == (
        "One check costs as much as 3,419 training steps (n = 64, P = 4,481)."
    )


@pytest.mark.parametrize(
    "seconds, shown",
    [(0.0123, "12.3 ms"), (4.5, "4.5 s"), (720, "12 min"), (30_150, "8 hours"),
     (3 * 86400, "3.0 days")],
)  # fmt: skip
def test_a_duration_reads_in_its_best_unit(seconds, shown):
    assert panels.duration(seconds) == shown


def test_the_realistic_network_costs_hours_in_2p_forward_passes():
    assert BIG.evaluations == 2_010_002
    assert BIG.loop_seconds == pytest.approx(2_010_002 * 0.015)  # 30,150 s
    assert BIG.loop_ratio == pytest.approx(2_010_002 * 0.015 / 0.05)
    text = panels.realistic_sentence(BIG)
    assert "2 → 1000 → 1000 → 1 (P = 1,005,001)" in text
    assert "one training step takes 50.0 ms" in text and "one J 15.0 ms" in text
    assert "2,010,002 forward passes, takes 8 hours" in text
    assert "as long as 603,001 training steps" in text


def test_the_cost_notice_extrapolates_to_a_realistic_p_not_to_hours_of_a_toy():
    costs = [_cost(2, 13, 2e-4 * 13), _cost(64, 4481, 2e-4 * 4481)]
    text = panels.cost_notice(costs, BIG)
    assert text.startswith("From n = 2 to 64 that ratio grows 345-fold.")  # 4481 / 13
    assert "P = 1,005,001" in text and "8 hours" in text
    assert "0.094 hours" not in text and "10,000 steps" not in text  # the old extrapolation


def test_the_cost_description_gives_both_checkers_ranges_and_names_the_rule():
    costs = [_cost(2, 13, 2e-3), _cost(64, 4481, 0.5)]  # 20 and 5,000 steps; batched 10
    text = panels.cost_description(costs)
    assert "P from 13 to 4,481" in text
    assert "the course's loop costs 20 to 5,000 steps, the batched checker 10 to 10" in text
    assert text.endswith("A dark rule marks the network on the slider, labelled with its "
                         "loop's figure.")  # fmt: skip


def test_the_cost_formula_puts_in_the_measured_times():
    c = _cost(16, 337, 0.03)  # J 40 µs, a step 100 µs: 2·337·40/100 = 270 steps
    assert panels.cost_with_numbers(c) == (
        r"\frac{2 \cdot 337 \cdot 40\,\mu\text{s}}{100\,\mu\text{s}} = 270 \text{ steps}"
    )


# ---------------------------------------------------------------- 2 · the components


@pytest.fixture(scope="module")
def puzzle() -> practice.Puzzle:
    return practice.component_puzzle(7)  # the missing L2 term: W1, W2, W3


def test_the_answer_names_the_bug_and_how_the_guess_did(puzzle):
    wrong = next(name for name in PLANTED_BUGS if name != puzzle.bug)
    for guess, right, opening in [(puzzle.bug, True, "Right"), (None, False, "No guess"),
                                  (wrong, False, f"Not {bug_label(wrong)}")]:  # fmt: skip
        said_right, answer = panels.puzzle_answer(puzzle, guess)
        assert said_right is right
        assert answer.startswith(f"{opening}: the planted bug is **{bug_label(puzzle.bug)}**.")


def test_the_headline_and_the_answer_name_the_same_broken_blocks(puzzle):
    broken = [block for block, diff in puzzle.result.per_block.items() if diff >= panels.BUG_EDGE]
    assert broken == ["W1", "W2", "W3"]
    assert panels.puzzle_headline(puzzle) == (
        "3 of 6 blocks fail the check: W1, W2, W3. Which planted bug breaks exactly these?"
    )
    assert panels.puzzle_answer(puzzle, None)[1].endswith("It broke W1, W2, W3.")


def test_a_single_broken_block_is_named_in_the_singular():
    one = practice.component_puzzle(11)
    one = one._replace(result=replace(one.result, per_block={"W1": 1e-10, "W2": 0.1, "b2": 2e-10}))
    assert panels.puzzle_headline(one) == (
        "1 of 3 blocks fails the check: W2. Which planted bug breaks exactly this one?"
    )


def test_the_hint_says_how_far_below_the_bug_band_the_other_blocks_stay(puzzle):
    others = [diff for diff in puzzle.result.per_block.values() if diff < panels.BUG_EDGE]
    text = panels.puzzle_hint(puzzle)
    assert text.startswith("From 0.001 up a block's difference is a bug.")
    assert f"The other 3 blocks stay at or below {max(others):.0e}" in text


def test_the_block_description_reads_every_blocks_difference_and_verdict(puzzle):
    text = panels.puzzle_description(puzzle)
    for block, diff in puzzle.result.per_block.items():
        verdict = "bug" if block.startswith("W") else "great"
        assert f"{block} {power_of_ten(diff)} ({verdict})" in text


def test_each_blocks_result_gets_a_line_of_its_own(puzzle):
    tex = panels.blocks_with_numbers(puzzle)
    assert tex.count(r"\\ &= ") == len(puzzle.terms)  # the fraction, then "= diff" under it
    assert rf"\text{{diff}}_\text{{W1}} &= \frac{{{panels.e(puzzle.terms['W1'].numerator)}}}" in tex


# ---------------------------------------------------------------- 3 · regularization


@pytest.fixture(scope="module")
def sweep(lab) -> practice.RegularizationSweep:
    lambdas = [float(text) for text in panels.LAMBDAS]
    return practice.regularization_sweep(lab.parameters, lab.X, lab.Y, lambdas)


def test_the_regularization_headline_says_when_the_check_calls_it_a_bug(sweep):
    buggy = sweep.buggy[panels.LAMBDAS.index("0.7")]
    assert panels.regularization_headline(sweep, "0.7") == (
        f"At λ = 0.7, leaving (λ/m)·W out of dW scores {power_of_ten(buggy)}: the check calls "
        "it a bug."
    )


def test_the_regularization_headline_says_when_the_bug_hides(sweep):
    buggy = sweep.buggy[0]  # λ = 0.0001
    assert panels.regularization_headline(sweep, "0.0001") == (
        f"At λ = 0.0001, leaving (λ/m)·W out of dW scores only {power_of_ten(buggy)} "
        "(suspicious): the bug hides below the bug band."
    )


def test_the_regularization_notice_and_description_name_the_smallest_caught_lambda(sweep):
    assert sweep.smallest_caught == pytest.approx(0.1)
    assert "the check calls it a bug from λ = 0.1 up" in panels.regularization_notice(sweep, "3")
    text = panels.regularization_description(sweep)
    assert f"rises from {power_of_ten(sweep.buggy[0])} to {power_of_ten(sweep.buggy[-1])}" in text
    assert "a bug from λ = 0.1 up" in text


def test_a_bug_never_caught_is_said_so(sweep):
    never = sweep._replace(buggy=np.full_like(sweep.buggy, 1e-5))
    assert "the check calls it a bug at none of these λ" in panels.regularization_notice(
        never, "0.7"
    )
    assert "rises from 1.0·10⁻⁵ to 1.0·10⁻⁵, never a bug" in panels.regularization_description(
        never
    )


def test_the_l2_arithmetic_puts_the_estimate_and_the_measured_on_lines_of_their_own(sweep):
    i = panels.LAMBDAS.index("0.7")
    tex = panels.l2_with_numbers(sweep, "0.7")
    assert rf"\\ &= {panels.e(sweep.estimate[i])} \\" in tex
    assert rf"\text{{measured}} &= {panels.e(sweep.buggy[i])}" in tex


# ---------------------------------------------------------------- 4 · dropout


def _dropout(spread: float, epsilon: float = 1e-5) -> practice.DropoutSweep:
    k = len(panels.KEEP_PROBS)
    fresh = np.r_[np.full(k - 1, 0.9), 3e-10]  # at keep_prob = 1 no mask: the fixed check
    return practice.DropoutSweep(
        np.array([float(p) for p in panels.KEEP_PROBS]), np.full(k, 1e-9), fresh,
        np.full(k, spread), np.full(k, 0.05), epsilon,
    )  # fmt: skip


def test_the_dropout_headline_gives_the_fresh_masks_false_alarm():
    assert panels.dropout_headline(_dropout(2.3e-2), "0.80") == (
        "A fresh mask per evaluation: correct code scores 9.0·10⁻¹ (bug) at keep_prob = 0.80."
    )


def test_the_dropout_headline_at_keep_prob_1_has_no_mask():
    assert panels.dropout_headline(_dropout(0.0), "1.00") == (
        "At keep_prob = 1 there is no mask: correct code scores 1.0·10⁻⁹ (great)."
    )


def test_the_dropout_arithmetic_states_its_root_two_and_adds_up():
    text = panels.dropout_notice(_dropout(2.3e-2), "0.80")
    # before: "J moves by about 2.3e-02 … dividing by 2ε makes that 2e+03", and
    # 2.3e-2 / 2e-5 = 1.15e3: the √2 was missing from the words
    assert "σ = 2.3e-02" in text and "√2·σ" in text and "2ε = 2e-05" in text
    stated = float(text.split("makes that ")[1].split(" ")[0])
    assert stated == pytest.approx(np.sqrt(2) * 2.3e-2 / 2e-5, rel=0.04)  # two digits: 1.6e+03
    assert stated != pytest.approx(2.3e-2 / 2e-5, rel=0.2)  # not σ/2ε = 1.15e+03
    assert "1.6e+03" in text and "2e+03" not in text


def test_keep_prob_1_has_no_mask_to_move_j():
    text = panels.dropout_notice(_dropout(0.0), "1.00")
    assert text.startswith("keep_prob = 1 is no dropout")


def test_the_dropout_description_separates_dropout_from_none():
    assert panels.dropout_description(_dropout(2.3e-2)) == (
        "The difference of correct code against keep_prob from 0.50 to 1.00: with a fresh mask "
        "at every evaluation it stays between 9.0·10⁻¹ and 9.0·10⁻¹ wherever there is "
        "dropout, and is 3.0·10⁻¹⁰ at keep_prob = 1; with one fixed mask it stays at or below "
        "1.0·10⁻⁹."
    )


def test_the_noise_arithmetic_breaks_over_lines_and_draws_no_radical():
    tex = panels.noise_with_numbers(_dropout(2.3e-2), "0.80")
    assert tex.count(r"\\") == 2  # the fraction, = the noise, ≫ the component
    assert r"\surd 2" in tex and r"\sqrt" not in tex


# ---------------------------------------------------------------- 5 · along training


def _checks(late, *, weights=(5.2, 6.0), gradients=(1.2, 0.066), kinked=(0, 0)):
    """A run of two checks where the missing L2 term scores ``late``; another bug is a
    bug throughout."""
    two = np.array
    return practice.TrainingChecks(
        iterations=two([0, 300]), costs=two([0.69, 0.3]), correct=two([1e-10, 2e-10]),
        correct_without_kinks=two([1e-10, 2e-10]), kinked=two(kinked),
        crossings=two(kinked) * 2, bugs={LATE: two(late), "dW2_doubled": two([0.3, 0.3])},
        unchanged=("dropout_mask_forgotten",), weight_norm=two(weights),
        gradient_norm=two(gradients), epsilon=1e-5, lambd=0.01, parameters=91, examples=300,
    )  # fmt: skip


SETTINGS = panels.RunSettings("relu", 0.01, 300, 1e-5)


def test_the_training_headline_for_a_bug_that_hides_at_first():
    assert panels.training_headline(_checks([7.4e-5, 1.5e-3]), SETTINGS) == (
        "“L2 term left out of dW” hides at initialization (7.4·10⁻⁵, suspicious) and shows "
        "as a bug after 300 iterations (1.5·10⁻³)."
    )


def test_the_training_headline_for_a_bug_caught_from_the_start():
    assert panels.training_headline(_checks([2e-3, 5e-3]), SETTINGS) == (
        "At λ = 0.01, “L2 term left out of dW” is caught at initialization already (2.0·10⁻³)."
    )
    assert panels.run_notice(_checks([2e-3, 5e-3]), SETTINGS).startswith(
        "Lower λ to watch it hide at initialization."
    )


def test_the_training_headline_for_a_bug_not_shown_yet():
    assert panels.training_headline(_checks([7e-6, 9e-5]), SETTINGS) == (
        "“L2 term left out of dW” goes 7.0·10⁻⁶ → 9.0·10⁻⁵: not yet a bug after 300 iterations."
    )
    assert "train longer or raise λ" in panels.run_notice(_checks([7e-6, 9e-5]), SETTINGS)


def test_the_training_notice_explains_the_hiding_then_the_kinks():
    text = panels.run_notice(_checks([7.4e-5, 1.5e-3], kinked=(0, 3)), SETTINGS)
    assert text.startswith("Measured over the planted bugs, the check at initialization lets only")
    assert "The other 1 planted bugs that change dθ here score a bug from the start." in text
    assert text.endswith("1 of 11 checks of the correct code met a kink and scored up to "
                         "2.0e-10; without the kinked components, at most 2.0e-10.")  # fmt: skip


@pytest.mark.parametrize(
    "activation, ending",
    [("tanh", " tanh has no kink, so the correct code stays at 2.0e-10 or below."),
     ("relu", " No check met a kink at this ε: raise ε to meet some.")],
)  # fmt: skip
def test_a_run_without_kinks_says_why(activation, ending):
    assert panels._kink_notice(_checks([7.4e-5, 1.5e-3]), activation) == ending


def test_the_training_description_says_what_the_chart_draws_without_the_run_s_figures():
    text = panels.TRAINING_DESCRIPTION
    assert "“L2 term left out of dW” in red" in text and "11 snapshots" in text
    rest = text.replace("11 snapshots", "").replace("“L2 term left out of dW”", "")
    assert not any(ch.isdigit() for ch in rest)


def test_the_run_s_figures_are_written_under_the_chart():
    run = _checks([7.4e-5, 1.5e-3], kinked=(0, 3))
    text = panels.run_summary(run, SETTINGS)
    assert text == (
        "Along 300 iterations “L2 term left out of dW” goes 7.4·10⁻⁵ (suspicious) → 1.5·10⁻³ "
        "(bug); the correct code stays at or below 2.0·10⁻¹⁰, and 1 of its 11 checks met a kink."
    )
    assert panels.run_caption(run, SETTINGS).startswith(text + " ")


def test_the_run_s_figures_follow_a_bug_caught_from_the_start():
    text = panels.run_summary(_checks([2.0e-3, 4.5e-3]), SETTINGS)
    assert "goes 2.0·10⁻³ (bug) → 4.5·10⁻³ (bug)" in text and "0 of its 11 checks" in text


def test_the_hiding_arithmetic_gives_each_snapshot_three_lines():
    tex = panels.hiding_with_numbers(_checks([7.4e-5, 1.5e-3]), SETTINGS)
    assert r"\text{at the start:}" in tex and r"\text{after 300 iterations:}" in tex
    assert tex.count(r"\text{measured }") == 2 and tex.count(r"\\") == 5


def _run(weights, gradients) -> SimpleNamespace:
    return SimpleNamespace(weight_norm=np.array(weights), gradient_norm=np.array(gradients))


def test_the_mechanism_is_the_shrinking_gradient_when_the_weights_barely_move():
    # the page's own run: ‖W‖ 5.2 → 6.0 while ‖dθ‖ 1.2 → 0.066
    text = panels._mechanism(_run([5.2, 6.0], [1.2, 0.066]))
    assert "‖W‖ 5.2 → 6.0 (×1.2)" in text and "‖dθ‖ 1.2 → 0.066 (÷18)" in text
    assert "shows because the gradient shrank, not because the weights grew" in text


def test_the_mechanism_is_the_growing_weights_when_they_outpace_the_gradient():
    text = panels._mechanism(_run([1.0, 40.0], [1.0, 0.5]))
    assert "‖W‖ 1.0 → 40.0 (×40)" in text and "(÷2)" in text
    assert "shows because the weights grew" in text and "gradient shrank" not in text


def test_the_training_intro_names_the_mechanism_the_numbers_show():
    assert "shrunk the gradient" in panels.TRAINING_INTRO
    assert "moved the network away" not in panels.TRAINING_INTRO
