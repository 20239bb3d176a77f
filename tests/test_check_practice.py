"""core.check_practice: each rule-of-thumb experiment against an independent reference
(check_network called directly, an uninterrupted training run, a fresh-mask quotient
written out by hand, norms computed from the weights)."""

import numpy as np
import pytest

from core import check_practice as practice
from core import network
from core.gradient_check import VERDICT_BANDS, check_network, verdict_for

GREAT_EDGE = VERDICT_BANDS[0].below
BUG_EDGE = VERDICT_BANDS[-2].below
L2_BUG = "l2_missing_in_dW"


@pytest.fixture(scope="module")
def lab():
    return practice.lab()


# ----------------------------------------------------------------------------- the lab


def test_lab_is_the_moons_training_set_and_a_he_network():
    X, Y, parameters = practice.lab()
    assert X.shape == (2, 300) and Y.shape == (1, 300)
    assert network.layer_dims_of(parameters) == [2, *practice.LAB_HIDDEN, 1]
    again = practice.lab(rng=np.random.default_rng(1))
    np.testing.assert_array_equal(again.X, X)  # the data never changes
    assert not np.array_equal(again.parameters["W1"], parameters["W1"])  # the weights do


def test_lab_refuses_a_layer_wider_than_its_limit():
    with pytest.raises(ValueError, match="at most"):
        practice.lab((practice.MAX_LAB_WIDTH + 1, 2))


# ----------------------------------------------------------------------------- the cost


def test_check_cost_counts_two_evaluations_per_parameter_and_states_the_theory():
    X, Y, parameters = practice.lab((3, 2))
    cost = practice.check_cost(parameters, X, Y, np.random.default_rng(0), repeats=2)
    P = sum(value.size for value in parameters.values())
    assert cost.parameters == P == 2 * 3 + 3 + 3 * 2 + 2 + 2 + 1
    assert cost.evaluations == 2 * P
    assert cost.timed_coordinates == P  # fewer than 100: every coordinate is timed
    assert cost.theory_ratio == pytest.approx(2 * P * cost.cost_seconds / cost.step_seconds)
    assert cost.loop_ratio == pytest.approx(cost.loop_seconds / cost.step_seconds)
    assert cost.checked_training_seconds(10) == pytest.approx(
        10 * (cost.step_seconds + cost.loop_seconds)
    )
    assert cost.layer_dims == (2, 3, 2, 1)


def test_one_check_costs_far_more_steps_as_the_network_grows():
    def cost(n: int) -> practice.CheckCost:
        X, Y, parameters = practice.lab((n, n))
        rng = np.random.default_rng(0)
        return practice.check_cost(parameters, X, Y, rng, timed_coordinates=40, repeats=3)

    small, large = cost(2), cost(32)
    assert large.parameters / small.parameters > 50
    # 1185 against 15 parameters: a margin of ten against noise in the timings
    assert large.theory_ratio > 10 * small.theory_ratio
    assert large.loop_ratio > 10 * small.loop_ratio
    assert large.timed_coordinates == 40


# ----------------------------------------------------------------------------- the components


@pytest.mark.parametrize("seed", [0, 1, 4])
def test_puzzle_is_check_network_with_the_drawn_bug(seed):
    puzzle = practice.component_puzzle(seed)
    assert puzzle.bug in network.PLANTED_BUGS
    assert practice.component_puzzle(seed).bug == puzzle.bug  # the seed decides
    rng = np.random.default_rng(seed)
    rng.choice(sorted(network.SINGLE_BUGS))  # the draw of the bug comes first
    X, Y, parameters = practice.lab(rng=rng)
    direct = check_network(
        parameters, X, Y, activation="tanh", lambd=practice.PUZZLE_LAMBDA,
        keep_prob=practice.PUZZLE_KEEP_PROB, bug=puzzle.bug, rng=rng, fresh_mask=False,
    )  # fmt: skip
    assert puzzle.result.per_block == pytest.approx(direct.per_block, rel=1e-12)
    for block, terms in puzzle.terms.items():
        share = terms.numerator / (terms.approx_norm + terms.analytic_norm)
        assert share == pytest.approx(puzzle.result.per_block[block], rel=1e-9)


def test_every_planted_bug_breaks_its_declared_blocks_in_the_puzzle():
    seen = {}
    for seed in range(40):
        bug = practice.component_puzzle(seed).bug
        seen.setdefault(bug, seed)
        if len(seen) == len(network.SINGLE_BUGS):
            break
    assert set(seen) == set(network.SINGLE_BUGS)  # every one-mistake bug can come up
    for bug, seed in seen.items():
        per_block = practice.component_puzzle(seed).result.per_block
        broken = {block for block, diff in per_block.items() if verdict_for(diff) == "bug"}
        declared = set(network.PLANTED_BUGS[bug].blocks)
        assert broken == declared if "*" not in declared else len(broken) >= 2
        assert all(per_block[b] < GREAT_EDGE for b in per_block if b not in broken)


def test_puzzle_refuses_a_negative_seed():
    with pytest.raises(ValueError, match="whole number ≥ 0"):
        practice.component_puzzle(-1)


# ----------------------------------------------------------------------------- regularization


def test_regularization_sweep_is_check_network_with_and_without_the_l2_term(lab):
    X, Y, parameters = lab
    sweep = practice.regularization_sweep(parameters, X, Y, [0.01, 0.7])
    for i, lambd in enumerate(sweep.lambdas):
        right = check_network(parameters, X, Y, activation="tanh", lambd=lambd)
        wrong = check_network(parameters, X, Y, activation="tanh", lambd=lambd, bug=L2_BUG)
        assert sweep.correct[i] == pytest.approx(right.difference, rel=1e-12)
        assert sweep.buggy[i] == pytest.approx(wrong.difference, rel=1e-9)
        # what the bug leaves out is (λ/m)·W, by the weights themselves
        W = np.concatenate([parameters[f"W{l}"].ravel() for l in (1, 2, 3)])
        assert sweep.missing_norm[i] == pytest.approx(lambd / X.shape[1] * np.linalg.norm(W))
    assert np.all(sweep.correct < GREAT_EDGE)
    assert sweep.buggy[1] / sweep.buggy[0] == pytest.approx(70, rel=0.05)  # ∝ λ while small
    assert sweep.smallest_caught == pytest.approx(0.7)


def test_the_lectures_estimate_of_the_l2_bug_is_close_to_the_measured_difference(lab):
    # ‖(λ/m)·W‖ / 2‖dθ‖: the bug's dθ is the correct one less (λ/m)·W, and dθ_approx ≈ dθ
    X, Y, parameters = lab
    sweep = practice.regularization_sweep(parameters, X, Y, [0.01, 0.7])
    np.testing.assert_allclose(sweep.estimate, sweep.missing_norm / (2 * sweep.gradient_norm))
    np.testing.assert_allclose(sweep.estimate, sweep.buggy, rtol=0.05)  # while the term is small


def test_regularization_sweep_refuses_an_empty_grid(lab):
    with pytest.raises(ValueError, match="at least one λ"):
        practice.regularization_sweep(lab.parameters, lab.X, lab.Y, [])


# ----------------------------------------------------------------------------- dropout


def test_dropout_fresh_mask_fails_fixed_mask_passes_and_no_dropout_passes(lab):
    X, Y, parameters = lab
    sweep = practice.dropout_sweep(parameters, X, Y, [0.8, 1.0], seed=3)
    assert sweep.fixed[0] < GREAT_EDGE and sweep.fresh[0] >= BUG_EDGE
    assert sweep.fixed[1] == sweep.fresh[1] < GREAT_EDGE  # no mask, one check
    direct = check_network(parameters, X, Y, activation="tanh", keep_prob=0.8,
                           rng=np.random.default_rng(3))  # fmt: skip
    assert sweep.fixed[0] == pytest.approx(direct.difference, rel=1e-12)
    assert sweep.cost_spread[1] == 0 and sweep.cost_spread[0] > 0
    assert sweep.mask_noise[0] == pytest.approx(
        np.sqrt(2) * sweep.cost_spread[0] / (2 * sweep.epsilon)
    )


def test_a_fresh_mask_quotient_written_out_is_off_by_the_mask_noise(lab):
    """The phenomenon itself, without check_network: two masks, one coordinate."""
    X, Y, parameters = lab
    rng, epsilon, keep_prob = np.random.default_rng(0), 1e-5, 0.8
    dims = network.layer_dims_of(parameters)
    masks = [network.dropout_masks(dims, X.shape[1], keep_prob, rng) for _ in range(2)]
    nudged = [{**parameters, "b2": parameters["b2"] + sign * epsilon * np.eye(5, 1)}
              for sign in (1, -1)]  # fmt: skip

    def J(params, mask):
        return network.compute_cost(params, X, Y, "tanh", 0.0, keep_prob, mask)

    claimed = network.cost_and_gradients(parameters, X, Y, "tanh", 0.0, keep_prob, masks[0])
    fixed = (J(nudged[0], masks[0]) - J(nudged[1], masks[0])) / (2 * epsilon)
    fresh = (J(nudged[0], masks[0]) - J(nudged[1], masks[1])) / (2 * epsilon)
    assert fixed == pytest.approx(claimed.grads["db2"][0, 0], rel=1e-6)
    noise = (J(parameters, masks[0]) - J(parameters, masks[1])) / (2 * epsilon)
    assert fresh - fixed == pytest.approx(noise, rel=1e-3)
    assert abs(noise) > 100 * abs(fixed)


# ----------------------------------------------------------------------------- along training


def test_snapshots_are_an_uninterrupted_run_seen_at_evenly_spaced_iterations(lab):
    X, Y, parameters = lab
    reported = []
    snapshots = practice.train_with_snapshots(
        parameters, X, Y, lambd=0.01, learning_rate=0.1, num_iterations=100, snapshots=4,
        progress=lambda i, J: reported.append((i, J)),
    )  # fmt: skip
    assert [s.iteration for s in snapshots] == [0, 25, 50, 75, 100]
    assert [i for i, _ in reported] == [0, 25, 50, 75, 100]
    whole = network.train(X, Y, parameters, learning_rate=0.1, num_iterations=100, lambd=0.01)
    for key, value in whole.parameters.items():
        np.testing.assert_allclose(snapshots[-1].parameters[key], value, rtol=1e-12)
    assert [s.cost for s in snapshots] == pytest.approx(whole.costs[::25], rel=1e-12)
    np.testing.assert_array_equal(snapshots[0].parameters["W1"], parameters["W1"])


def test_snapshots_refuse_more_snapshots_than_iterations(lab):
    with pytest.raises(ValueError, match="snapshots"):
        practice.train_with_snapshots(lab.parameters, lab.X, lab.Y, lambd=0.0,
                                      learning_rate=0.1, num_iterations=5, snapshots=6)  # fmt: skip


@pytest.fixture(scope="module")
def default_run(lab):
    """The page's default run: λ = 0.01, α = 0.1, 300 iterations, 10 snapshots."""
    X, Y, parameters = lab
    snapshots = practice.train_with_snapshots(
        parameters, X, Y, lambd=0.01, learning_rate=0.1, num_iterations=300, snapshots=10
    )
    return snapshots, practice.checks_along_training(snapshots, X, Y, lambd=0.01)


def test_checks_along_training_are_check_network_at_every_snapshot(lab, default_run):
    X, Y, _ = lab
    snapshots, run = default_run
    assert run.unchanged == ("dropout_mask_forgotten",)  # no dropout in this run
    assert set(run.bugs) == set(network.SINGLE_BUGS) - {"dropout_mask_forgotten"}
    for j in (0, len(snapshots) - 1):
        params = snapshots[j].parameters
        direct = check_network(params, X, Y, lambd=0.01)
        assert run.correct[j] == pytest.approx(direct.difference, rel=1e-12)
        assert run.kinked[j] == len(direct.kinks.names)
        if not direct.kinks.names:  # then no component is left out of the bugs' lines
            wrong = check_network(params, X, Y, lambd=0.01, bug=L2_BUG)
            assert run.bugs[L2_BUG][j] == pytest.approx(wrong.difference, rel=1e-9)
        W = np.concatenate([params[f"W{l}"].ravel() for l in (1, 2, 3)])
        assert run.weight_norm[j] == pytest.approx(np.linalg.norm(W))


def test_the_missing_l2_term_hides_at_initialization_and_shows_after_training(default_run):
    _, run = default_run
    assert practice.hidden_at_initialization(run) == (L2_BUG,)
    late = run.bugs[L2_BUG]
    assert verdict_for(late[0]) == "suspicious" and verdict_for(late[-1]) == "bug"
    for bug, values in run.bugs.items():
        if bug != L2_BUG:
            assert verdict_for(values[0]) == "bug"  # caught at initialization already
    # the reason: the true gradient shrinks while the left-out (λ/m)·W does not
    assert run.gradient_norm[-1] < run.gradient_norm[0] / 5
    assert run.weight_norm[-1] > run.weight_norm[0]
    assert run.l2_estimate == pytest.approx(late, rel=0.5)


def test_kinked_components_are_left_out_of_the_kink_free_difference(lab):
    X, Y, parameters = lab
    snapshots = practice.train_with_snapshots(
        parameters, X, Y, lambd=0.01, learning_rate=0.1, num_iterations=20, snapshots=2
    )
    run = practice.checks_along_training(snapshots, X, Y, lambd=0.01, epsilon=1e-2)
    assert run.kinked.sum() > 0  # ε = 1e-2 crosses kinks
    assert np.all(run.correct_without_kinks <= run.correct)
    assert np.all(run.correct_without_kinks < BUG_EDGE)


def test_checks_along_training_refuse_no_snapshots(lab):
    with pytest.raises(ValueError, match="at least one snapshot"):
        practice.checks_along_training([], lab.X, lab.Y, lambd=0.0)
