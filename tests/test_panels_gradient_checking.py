"""The gradient-checking page's sentences built from numbers, each branch with the numbers
that trigger it: the verdict "inconclusive" and its way out, one component of the loop, and
the cost meter."""

import numpy as np
import pytest

from core import check_practice as practice
from core.gradient_check import check_network
from core.gradient_check_component import ComponentTerms
from core.notebook_case import notebook_case
from core.round_off import component_round_off
from core.round_off_verdicts import epsilon_clear_of_round_off
from panels import gradient_checking as panel
from tests.test_page_gradient_checking import core_problem

BIG = practice.RealisticCost((2, 1000, 1000, 1), 1_005_001, step_seconds=0.05, cost_seconds=0.015)


def test_float32_at_the_courses_epsilon_is_inconclusive_and_points_to_float64():
    result = check_network(*core_problem(dtype="float32"), epsilon=1e-7)
    heading = panel.verdict_heading(result, "float32")
    assert heading == (
        f"## Verdict: :gray[inconclusive: round-off at this ε in float32] · difference "
        f"{panel.sci(result.difference)}"
    )
    caption = panel.verdict_caption(result, "float32")
    assert f"about {panel.sci(result.round_off_floor)} at ε = 1e-7 in float32" in caption
    assert result.round_off_floor > result.difference / 3  # "alone makes": the floor reaches it
    clear = panel.short(epsilon_clear_of_round_off(result))
    assert f"Check in float64, or in float32 with ε ≥ {clear}, from where round-off" in caption
    assert "stays below 0.001" in caption  # the bug band's edge: the difference is 0.9
    assert "almost certainly a bug" not in caption


def test_float64_round_off_points_to_a_larger_epsilon_only():
    result = check_network(*notebook_case(), epsilon=1e-7, cost="notebook")
    caption = panel.verdict_caption(result, "float64")
    clear = epsilon_clear_of_round_off(result)
    assert clear > result.epsilon  # larger, never smaller
    assert (
        f"Check with ε ≥ {panel.short(clear)}, from where round-off alone stays below 1e-7"
        in caption
    )
    assert "float32" not in caption


def test_a_zero_gradient_is_inconclusive_for_want_of_a_gradient():
    result = check_network(*core_problem(init="zeros"), epsilon=1e-5)
    assert result.verdict == "inconclusive" and result.round_off_floor == np.inf
    assert panel.verdict_caption(result, "float64").startswith("Backprop's dθ is 0 here")


@pytest.mark.parametrize("verdict", ["great", "bug"])
def test_a_band_verdict_keeps_its_bands_meaning(verdict):
    bug = None if verdict == "great" else "dW2_doubled"
    result = check_network(*core_problem(), bug=bug)
    assert result.verdict == verdict
    meaning = panel.verdict_caption(result, "float64")
    assert meaning == next(b.meaning for b in panel.VERDICT_BANDS if b.verdict == verdict)


def _terms(approx, analytic, J=0.69):
    return ComponentTerms("W2[0, 3]", J + approx * 1e-5, J - approx * 1e-5, 1e-5, approx, analytic)


@pytest.mark.parametrize(
    "approx, analytic, words",
    [(0.0123456789, 0.0123456790, "agree: relative difference 4.1e-9, great."),
     (0.0123456, 0.0123457, "roughly agree: relative difference 4.1e-6, suspicious.")],
)  # fmt: skip
def test_a_component_that_agrees_says_how_well(approx, analytic, words):
    text = panel.component_sentence(_terms(approx, analytic), round_off=1e-11)
    assert text.startswith(f"W2[0, 3]: the two-sided {approx:.6g} and backprop's {analytic:.6g}")
    assert text.endswith(f"{analytic:.6g} {words}")


def test_a_broken_component_names_the_factor_backprop_is_off_by():
    text = panel.component_sentence(_terms(0.632908, 2.531632), round_off=1e-9)
    assert "disagree (backprop is 4 times the two-sided value)" in text
    assert text.endswith("relative difference 6.0e-1, bug.")


def test_a_component_within_round_off_cannot_tell():
    text = panel.component_sentence(_terms(0.298, 0.00644), round_off=0.426)
    assert (
        "differ by 0.292, but round-off alone moves each two-sided difference by about 0.426"
        in text
    )
    assert "cannot tell right from wrong" in text and "bug" not in text


def test_a_component_that_does_not_move_j_says_why_both_are_zero():
    text = panel.component_sentence(_terms(0.0, 0.0), round_off=1e-11)
    assert "does not move J here" in text


def test_the_component_formula_shows_the_digits_where_the_two_costs_part():
    terms = ComponentTerms("W1[0, 0]", 2.4078333524866014, 2.4078334271821498, 1e-7,
                           -0.3734777420660862, -0.37347778780965)  # fmt: skip
    latex = panel.component_latex(terms)
    assert "2.4078333525" in latex and "2.4078334272" in latex  # they part at digit 8
    assert r"\frac{-7.5 \cdot 10^{-8}}{2 \cdot 10^{-7}}" in latex
    assert "-0.37347774" in latex and "-0.37347779" in latex


def test_the_component_round_off_is_the_floors_per_component_error():
    result = check_network(*core_problem(dtype="float32"), epsilon=1e-7)
    u = np.finfo(np.float32).eps
    J = abs(practice.cost_and_gradients(*core_problem()).cost)
    assert component_round_off(result) == pytest.approx(u * J / 2e-7, rel=1e-3)


def test_the_cost_meter_shows_the_lectures_loop_this_checker_and_a_million_parameters():
    cost = practice.CheckCost((2, 10, 5, 1), 91, 1e-4, 4e-5, 1.1e-2, 4.0e-3, 50)
    frame = panel.cost_frame(cost, BIG)
    assert list(frame["cost evaluations"]) == ["182", "182", "2,010,002"]
    assert list(frame["time"]) == ["11.0 ms", "4.0 ms", "8 hours"]
    assert list(frame["÷ one forward + backward pass"]) == ["110×", "40×", "603,001×"]
    assert "P = 1,005,001 (2 → 1000 → 1000 → 1)" in frame["checker"].iloc[2]
    notice = panel.cost_notice(cost, BIG)
    assert notice.startswith("The lecture's loop costs 110 forward + backward passes here, "
                             "this lab's checker 40.")  # fmt: skip
    assert "takes 8 hours, as long as 603,001 training steps" in notice
