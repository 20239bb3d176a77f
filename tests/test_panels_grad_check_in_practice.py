"""The grad-check-in-practice page's sentences, built straight from core's results without
running the page. Expected values come from core or from the number's own digits."""

from types import SimpleNamespace

import numpy as np
import pytest

from core import check_practice as practice
from core.network import PLANTED_BUGS, bug_label
from panels import grad_check_in_practice as panels


@pytest.mark.parametrize(
    "value, shown",
    [(7.4e-5, r"7.4 \cdot 10^{-5}"), (1.0, "1.0"), (0.25, r"2.5 \cdot 10^{-1}")],
)
def test_a_difference_is_written_to_two_digits_as_a_power_of_ten(value, shown):
    assert panels.e(value) == shown


@pytest.fixture(scope="module")
def puzzle() -> practice.Puzzle:
    return practice.component_puzzle(7)


def test_the_answer_names_the_bug_and_how_the_guess_did(puzzle):
    wrong = next(name for name in PLANTED_BUGS if name != puzzle.bug)
    for guess, right, opening in [(puzzle.bug, True, "Right"), (None, False, "No guess"),
                                  (wrong, False, f"Not {bug_label(wrong)}")]:  # fmt: skip
        said_right, answer = panels.puzzle_answer(puzzle, guess)
        assert said_right is right
        assert answer.startswith(f"{opening}: the planted bug is **{bug_label(puzzle.bug)}**.")


def test_the_hint_and_the_answer_name_the_same_broken_blocks(puzzle):
    broken = [block for block, diff in puzzle.result.per_block.items() if diff >= panels.BUG_EDGE]
    assert broken
    assert f"a bug: {', '.join(broken)}." in panels.puzzle_hint(puzzle)
    assert panels.puzzle_answer(puzzle, None)[1].endswith(f"It broke {', '.join(broken)}.")


# ---------------------------------------------------------------- issue 20: the corrections

BIG = practice.RealisticCost((2, 1000, 1000, 1), 1_005_001, step_seconds=0.05, cost_seconds=0.015)


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
    costs = [
        practice.CheckCost((2, n, n, 1), P, 1e-4, 4e-5, 2e-4 * P, 1e-3, 50)
        for n, P in ((2, 13), (64, 4481))
    ]
    text = panels.cost_notice("64", costs, costs[-1], BIG)
    assert "P = 1,005,001" in text and "8 hours" in text
    assert "0.094 hours" not in text and "10,000 steps" not in text  # the old extrapolation
    assert f"{costs[-1].loop_ratio:,.0f} training steps" in text


def _dropout(spread: float, epsilon: float = 1e-5) -> practice.DropoutSweep:
    k = len(panels.KEEP_PROBS)
    return practice.DropoutSweep(
        np.array([float(p) for p in panels.KEEP_PROBS]), np.full(k, 1e-9), np.full(k, 0.9),
        np.full(k, spread), np.full(k, 0.05), epsilon,
    )  # fmt: skip


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
