"""The gradient-checking page's sentences built from numbers, each branch with the numbers
that trigger it: the verdict and where it points, "inconclusive" and its way out, what
each chart shows, one component of the loop, and the cost meter."""

import re

import numpy as np
import pytest

from charts import gradient_checking as charts
from core import check_practice as practice
from core.epsilon_sweep import epsilon_sweep
from core.gradient_check import check_network
from core.gradient_check_component import ComponentTerms
from core.network import layout_of
from core.notebook_case import notebook_case
from core.round_off import component_round_off
from core.round_off_verdicts import epsilon_clear_of_round_off
from panels import gradient_checking as panel
from tests.test_page_gradient_checking import core_problem

LAYOUT = layout_of(core_problem()[0])

BIG = practice.RealisticCost((2, 1000, 1000, 1), 1_005_001, step_seconds=0.05, cost_seconds=0.015)


def test_float32_at_the_courses_epsilon_is_inconclusive_and_points_to_float64():
    result = check_network(*core_problem(dtype="float32"), epsilon=1e-7)
    heading = panel.verdict_heading(result, "float32", LAYOUT)
    assert heading == "## Verdict: :gray[inconclusive], round-off at this ε in float32"
    assert panel.verdict_caption(result) == (
        f"Difference {panel.sci(result.difference)} · in the bug band, but round-off alone "
        "could make it."
    )
    caption = panel.round_off_caption(result, "float32")
    assert f"about {panel.sci(result.round_off_floor)} at ε = 1e-7 in float32" in caption
    assert result.round_off_floor > result.difference / 3  # "alone makes": the floor reaches it
    clear = panel.short(epsilon_clear_of_round_off(result))
    assert f"Check in float64, or in float32 with ε ≥ {clear}, from where round-off" in caption
    assert "stays below 0.001" in caption  # the bug band's edge: the difference is 0.9
    assert "almost certainly a bug" not in caption


def test_float64_round_off_points_to_a_larger_epsilon_only():
    result = check_network(*notebook_case(), epsilon=1e-7, cost="notebook")
    caption = panel.round_off_caption(result, "float64")
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
    assert panel.round_off_caption(result, "float64").startswith("Backprop's dθ is 0 here")


@pytest.mark.parametrize("verdict", ["great", "bug"])
def test_a_band_verdict_keeps_its_bands_meaning(verdict):
    bug = None if verdict == "great" else "dW2_doubled"
    result = check_network(*core_problem(), bug=bug)
    assert result.verdict == verdict
    meaning = next(b.meaning for b in panel.VERDICT_BANDS if b.verdict == verdict)
    assert panel.verdict_caption(result) == f"Difference {panel.sci(result.difference)} · {meaning}"
    assert panel.round_off_caption(result, "float64") is None


def _largest(result) -> str:
    return charts.lecture_name(max(result.per_block, key=result.per_block.get))


@pytest.mark.parametrize(
    ("setting", "heading"),
    [
        ({}, "## Verdict: :green[great]"),
        ({"bug": "dW2_doubled"}, "## Verdict: :red[bug] in W[2]"),
        ({"bug": "l2_missing_in_dW", "lambd": 0.7}, "## Verdict: :red[bug] in W[1], W[2] and W[3]"),
        ({"bug": "dW2_doubled", "mode": "directions", "k": 4}, "## Verdict: :red[bug]"),
        # ReLU kinks at a large ε: a bug overall, no block in the bug band on its own
        ({"epsilon": 1e-2}, "## Verdict: :red[bug], largest in {largest}"),
        ({"epsilon": 1e-1, "activation": "tanh"},
         "## Verdict: :orange[suspicious], largest in {largest}"),
    ],
    ids=["great", "one block", "three blocks", "directions", "bug, no block", "suspicious"],
)  # fmt: skip
def test_the_verdict_heading_says_where_the_difference_comes_from(setting, heading):
    result = check_network(*core_problem(), **setting)
    largest = _largest(result) if result.per_block else ""
    assert panel.verdict_heading(result, "float64", LAYOUT) == heading.format(largest=largest)


@pytest.mark.parametrize(
    ("setting", "caption"),
    [({}, "No block stands out."),
     ({"bug": "dW2_doubled"}, "Ringed: W[2] in the bug band."),
     ({"bug": "l2_missing_in_dW", "lambd": 0.7}, "Ringed: W[1], W[2] and W[3] in the bug band."),
     # ReLU kinks at a large ε: a bug overall, no block in the bug band on its own
     ({"epsilon": 1e-2}, "Ringed: {largest}, the largest difference ({label}).")],
    ids=["great", "one block", "three blocks", "bug, no block"],
)  # fmt: skip
def test_the_block_caption_names_the_ringed_blocks_and_why(setting, caption):
    result = check_network(*core_problem(), **setting)
    blocks = charts.block_frame(result, LAYOUT)
    largest = blocks.loc[blocks["difference"].idxmax()]
    if "{largest}" in caption:
        assert result.verdict == "bug" and "bug" not in set(blocks["verdict"])
        assert largest["name"] == _largest(result)
    expected = caption.format(largest=largest["name"], label=panel.sci(largest["difference"]))
    assert panel.block_caption(blocks) == expected
    ringed = [name for name in blocks["name"] if name in expected]
    assert list(blocks.loc[blocks["outlined"], "name"]) == ringed  # the words name the rings


# ---------------------------------------------------------------- what each chart shows


def test_the_descriptions_say_what_each_chart_draws_in_words_that_a_move_leaves_alone():
    assert "(great below 1e-7, suspicious below 0.001, bug above)" in panel.VERDICT_DESCRIPTION
    for text in (panel.BLOCK_DESCRIPTION, panel.COORDINATE_DESCRIPTION, panel.SWEEP_DESCRIPTION):
        assert text.strip() and not re.search(r"\d(\.\d+)?e-\d", text)  # no check's number


@pytest.mark.parametrize("notebook", [False, True], ids=["toy", "notebook"])
def test_thetas_bar_is_described_by_its_size_and_blocks(notebook):
    layout = layout_of((notebook_case() if notebook else core_problem())[0])
    text = panel.theta_description(layout)
    names = ", ".join(block.name for block in layout.blocks)
    assert text.startswith(f"θ's {layout.size:,} coordinates as one bar, block by block ({names})")
    assert text.endswith("a rule marks the component taken apart below.")


@pytest.mark.parametrize("bug", [None, "dW2_doubled"], ids=["u", "bug"])
def test_the_sweep_caption_states_the_u_and_the_checks_difference(bug):
    result = check_network(*core_problem(), bug=bug)
    sweeps = {
        dtype: epsilon_sweep(*core_problem(dtype=dtype), mode="sample", k=5, bug=bug)
        for dtype in ("float64", "float32")
    }
    caption = panel.sweep_caption(sweeps, result, "float64")
    shaped = charts.is_u_shaped(sweeps["float64"].differences)
    assert shaped == (bug is None)
    assert caption.startswith("The float64 curve is a U. ") == shaped
    assert (
        f"The diamond is the check above, {panel.sci(result.difference)}: its 91 components at "
        "your ε in float64." in caption
    )


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
