"""The course notebook's gradient check reproduced (its seed-1 case, its cost, its two
planted bugs, its published differences), how J is computed, the round-off floor behind the
verdict "inconclusive", and one line of the loop (``check_component``)."""

import numpy as np
import pytest

from core import gradient_check as gc
from core import network
from core.gradient_check import COURSE_EPSILON, check_network
from core.gradient_check_component import check_component
from core.network import layout_of
from core.notebook_case import NOTEBOOK_DIFFERENCES, notebook_case
from core.round_off import ROUND_OFF_REACH, round_off_floor
from core.round_off_verdicts import block_verdicts, epsilon_clear_of_round_off, round_off_edge
from tests.test_page_gradient_checking import core_problem


def notebook_forward_cost(parameters, X, Y):
    # the notebook's forward_propagation_n, written out independently: ReLU, ReLU, sigmoid,
    # then logprobs = −log(A3)·Y + −log(1 − A3)·(1 − Y), J = 1/m · Σ logprobs
    A1 = np.maximum(0, parameters["W1"] @ X + parameters["b1"])
    A2 = np.maximum(0, parameters["W2"] @ A1 + parameters["b2"])
    A3 = 1 / (1 + np.exp(-(parameters["W3"] @ A2 + parameters["b3"])))
    logprobs = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y)
    return 1.0 / X.shape[1] * np.sum(logprobs)


def test_the_notebook_case_is_its_seed_1_draws_in_order():
    before = np.random.get_state()[1].copy()  # noqa: NPY002 (numpy's global state, watched)
    parameters, X, Y = notebook_case()
    assert np.array_equal(np.random.get_state()[1], before)  # noqa: NPY002 (none seeded)
    legacy = np.random.RandomState(1)
    assert np.array_equal(X, legacy.randn(4, 3))
    for name, shape in (("W1", (5, 4)), ("b1", (5, 1)), ("W2", (3, 5)), ("b2", (3, 1)),
                        ("W3", (1, 3)), ("b3", (1, 1))):  # fmt: skip
        assert np.array_equal(parameters[name], legacy.randn(*shape))
    assert Y.tolist() == [[1.0, 1.0, 0.0]]


@pytest.mark.parametrize("method", ["fast", "loop"])
def test_the_notebooks_buggy_difference_is_reproduced_to_1e_6(method):
    result = check_network(*notebook_case(), epsilon=COURSE_EPSILON, bug="notebook_bugs",
                           cost="notebook", method=method)  # fmt: skip
    assert result.difference == pytest.approx(NOTEBOOK_DIFFERENCES["notebook_bugs"], rel=1e-6)
    assert NOTEBOOK_DIFFERENCES["notebook_bugs"] == 0.2850931567761623
    assert result.verdict == "bug"
    broken = {block for block, diff in result.per_block.items() if diff >= 1e-3}
    assert broken == {"W2", "b1"}  # dW2 doubled, db1 × 4
    assert result.per_block["b1"] == pytest.approx(0.6, rel=1e-6)  # |4a − a| / (4a + a)
    assert result.per_block["W2"] == pytest.approx(1 / 3, rel=1e-6)  # |2a − a| / (2a + a)


@pytest.mark.parametrize("method", ["fast", "loop"])
def test_the_notebooks_correct_difference_is_reproduced_within_1_percent(method):
    result = check_network(*notebook_case(), epsilon=COURSE_EPSILON, cost="notebook",
                           method=method)  # fmt: skip
    assert NOTEBOOK_DIFFERENCES[None] == 1.1890913024229996e-07
    assert result.difference == pytest.approx(NOTEBOOK_DIFFERENCES[None], rel=0.01)


def test_an_independent_notebook_loop_agrees_with_the_labs_notebook_cost():
    parameters, X, Y = notebook_case()
    theta, layout = network.parameters_to_vector(parameters)

    def J(theta):
        return notebook_forward_cost(network.vector_to_parameters(theta, layout), X, Y)

    claimed = network.cost_and_gradients(parameters, X, Y, bug="notebook_bugs")
    d_theta = network.gradients_to_vector(claimed.grads, layout)
    independent = gc.gradient_check(J, theta, d_theta, COURSE_EPSILON, layout)
    lab = check_network(parameters, X, Y, epsilon=COURSE_EPSILON, bug="notebook_bugs",
                        cost="notebook")  # fmt: skip
    assert lab.difference == pytest.approx(independent.difference, rel=1e-8)
    assert network.compute_cost(parameters, X, Y, cost="notebook") == pytest.approx(
        notebook_forward_cost(parameters, X, Y), rel=1e-15
    )


def test_the_stable_cost_sits_two_decades_below_the_notebooks_on_the_round_off_side():
    stable = check_network(*notebook_case(), epsilon=COURSE_EPSILON)
    notebook = check_network(*notebook_case(), epsilon=COURSE_EPSILON, cost="notebook")
    assert stable.difference < 2e-9 and stable.verdict == "great"
    assert 50 < notebook.difference / stable.difference < 200
    # the floor follows: log(1 − A) of an example with A ≈ 0.9989 magnifies A's round-off
    assert 50 < notebook.round_off_floor / stable.round_off_floor < 200


def test_the_notebooks_correct_difference_is_called_round_off_not_suspicious():
    result = check_network(*notebook_case(), epsilon=COURSE_EPSILON, cost="notebook")
    assert 1e-7 < result.difference < 1e-3  # the band "suspicious" …
    assert result.difference <= ROUND_OFF_REACH * result.round_off_floor  # … but round-off
    assert result.verdict == "inconclusive"
    assert round_off_edge(result) == 1e-7
    clear = epsilon_clear_of_round_off(result)
    assert 1e-7 < clear < 1e-5
    later = check_network(*notebook_case(), epsilon=1e-5, cost="notebook")
    assert later.verdict == "great"  # a larger ε, as the verdict says


def test_an_unknown_cost_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="stable, notebook"):
        check_network(*notebook_case(), cost="exact")


def test_the_notebooks_bug_pair_doubles_dW2_and_quadruples_db1_only():
    parameters, X, Y = notebook_case()
    right = network.cost_and_gradients(parameters, X, Y).grads
    wrong = network.cost_and_gradients(parameters, X, Y, bug="notebook_bugs").grads
    for key in right:
        factor = {"dW2": 2, "db1": 4}.get(key, 1)
        np.testing.assert_array_equal(wrong[key], factor * right[key])
    assert network.PLANTED_BUGS["notebook_bugs"].mistakes == 2
    assert "notebook_bugs" not in network.SINGLE_BUGS


# ---------------------------------------------------------------- round-off: "inconclusive"


ROUND_OFF_SIDE = [("float32", 1e-7), ("float32", 1e-6), ("float64", 1e-12), ("float64", 1e-10)]


@pytest.mark.parametrize(("dtype", "epsilon"), ROUND_OFF_SIDE)
def test_a_correct_gradient_at_round_off_is_inconclusive_and_the_floor_explains_it(dtype, epsilon):
    result = check_network(*core_problem(dtype=dtype), epsilon=epsilon)
    assert result.verdict == "inconclusive"
    # the floor is an estimate: measured, round-off gives 0.2 … 1 of it (saturating at 1)
    assert 0.15 * min(result.round_off_floor, 1) <= result.difference <= result.round_off_floor


@pytest.mark.parametrize(("dtype", "epsilon"), [("float64", 1e-5), ("float64", 1e-7)])
def test_a_correct_gradient_clear_of_round_off_keeps_its_band(dtype, epsilon):
    result = check_network(*core_problem(dtype=dtype), epsilon=epsilon)
    assert result.verdict == "great"


def test_a_real_bug_clear_of_round_off_is_still_a_bug_in_float32():
    result = check_network(*core_problem(dtype="float32"), epsilon=1e-2, bug="dW2_doubled")
    assert result.difference > ROUND_OFF_REACH * result.round_off_floor
    assert result.verdict == "bug"


def test_the_way_out_of_round_off_clears_the_band_it_names():
    result = check_network(*core_problem(dtype="float32"), epsilon=1e-7)
    assert round_off_edge(result) == 1e-3  # the difference is in the bug band
    clear = epsilon_clear_of_round_off(result)
    scaled = result.round_off_floor * result.epsilon / clear  # the floor falls like 1/ε
    assert ROUND_OFF_REACH * scaled == pytest.approx(1e-3)


def test_a_zero_gradient_has_an_infinite_floor_and_no_verdict_from_a_band():
    floor = round_off_floor(np.float64, 0.7, np.zeros(5), 1e-5)
    assert floor == np.inf
    assert gc.judged(1.0, floor) == "inconclusive"
    assert gc.judged(0.0, floor) == "great"


# ---------------------------------------------------------------- one line of the loop


@pytest.mark.parametrize("index", [0, 20, 25, 46])
def test_one_component_is_the_loops_line_with_its_two_costs(index):
    parameters, X, Y = notebook_case()
    whole = check_network(parameters, X, Y, epsilon=COURSE_EPSILON, bug="notebook_bugs",
                          cost="notebook", method="loop")  # fmt: skip
    one = check_component(parameters, X, Y, index, epsilon=COURSE_EPSILON, bug="notebook_bugs",
                          cost="notebook")  # fmt: skip
    assert one.name == layout_of(parameters).coordinate_name(index)
    assert one.approx == whole.approx[index]  # the same two costs, the same quotient
    assert one.analytic == whole.analytic[index]
    assert one.approx == pytest.approx((one.J_plus - one.J_minus) / (2 * COURSE_EPSILON))


def test_one_component_under_dropout_uses_the_checks_mask():
    parameters, X, Y = core_problem()
    whole = check_network(parameters, X, Y, keep_prob=0.8, method="loop", fresh_mask=False)
    for index in (3, 40, 90):
        one = check_component(parameters, X, Y, index, keep_prob=0.8)
        assert one.approx == pytest.approx(whole.approx[index], rel=1e-9, abs=1e-12)


def test_a_component_outside_theta_is_refused():
    with pytest.raises(ValueError, match="0 … 46"):
        check_component(*notebook_case(), 47)


def test_each_block_is_judged_like_the_check_broken_blocks_red_round_off_grey():
    parameters, X, Y = notebook_case()
    result = check_network(parameters, X, Y, epsilon=COURSE_EPSILON, bug="notebook_bugs",
                           cost="notebook")  # fmt: skip
    verdicts = block_verdicts(result, layout_of(parameters))
    assert {b for b, v in verdicts.items() if v == "bug"} == {"W2", "b1"}
    # W1 and b3 read "suspicious" by their bands, 1.6e-7 and 2.5e-7: round-off of this cost
    assert result.per_block["W1"] > 1e-7 and result.per_block["b3"] > 1e-7
    assert verdicts["W1"] == verdicts["b3"] == "inconclusive"
    float32 = check_network(*core_problem(dtype="float32"), epsilon=1e-7)
    assert set(block_verdicts(float32, layout_of(core_problem()[0])).values()) == {"inconclusive"}
