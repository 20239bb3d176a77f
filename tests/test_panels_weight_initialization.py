"""The weight initialization page's training slices and sentences, straight from core
without running the page. Expected values come from core."""

import numpy as np
import pytest

import workers
from charts import weight_initialization as charts
from core import datasets, initialization, network
from core.propagation import depth_trend, simulate_random_network
from panels import vanishing_exploding as ve_panel
from panels import weight_initialization as panel

SETTING = ("circles", (5,), 0.01, "He", 1.0, 3)  # data, hidden, α, method, v, seed
SCORE = {"J at the start": 0.9, "J at the end": 0.07, "train accuracy": 0.99,
         "test accuracy": 0.96, "symmetry broken": True}  # fmt: skip


def direct(iterations: int) -> network.TrainingResult:
    """The same training run by core alone, for exactly ``iterations`` steps."""
    data_name, hidden, rate, name, v, seed = SETTING
    rng, preset = np.random.default_rng(seed), initialization.PRESETS[name]
    data = datasets.toy_split(data_name, rng)
    start = initialization.initialize_parameters(
        (2, *hidden, 1), preset.method, rng, preset.std_scale(v)
    )
    return network.train(data.X_train, data.Y_train, start, learning_rate=rate,
                         num_iterations=iterations)  # fmt: skip


def trained(iterations: int) -> network.TrainingResult:
    data_name, hidden, rate, name, v, seed = SETTING
    return panel.trained(data_name, hidden, iterations, rate, "relu", name, v, seed)[1]


@pytest.mark.parametrize("iterations, expected", [(100, 1_000), (1_000, 1_000), (1_100, 15_000)])
def test_a_training_runs_to_the_first_horizon_at_or_past_the_slider(iterations, expected):
    assert panel.horizon(iterations) == expected


def test_moving_the_iterations_slider_within_a_horizon_never_retrains(monkeypatch):
    steps = (300, 1_000, 100, 700)
    runs = {iterations: direct(iterations) for iterations in steps}
    panel._training.clear()
    calls = []
    real_run = workers.run

    def counted(*args, **kwargs):
        calls.append(kwargs)
        return real_run(*args, **kwargs)

    monkeypatch.setattr(workers, "run", counted)
    for iterations, alone in runs.items():
        result = trained(iterations)
        np.testing.assert_array_equal(result.costs, alone.costs)
        for key, value in alone.parameters.items():
            np.testing.assert_array_equal(result.parameters[key], value)
    assert [k["num_iterations"] for k in calls] == [1_000]  # one training for all four


def test_a_link_between_the_slider_steps_trains_the_rest_from_a_snapshot():
    result, alone = trained(250), direct(250)
    assert result.costs.shape == (251,)
    np.testing.assert_allclose(result.costs, alone.costs, rtol=1e-12)
    for key, value in alone.parameters.items():
        np.testing.assert_allclose(result.parameters[key], value, rtol=1e-12)


# ---------------------------------------------------------------- training sentences


def course_start(name: str, activation: str = "relu", data_name: str = "circles"):
    """The page's start for the course's network: (data, gradients at the start)."""
    grads = panel.start_gradients(data_name, (10, 5), activation, name, 1.0, 0)
    return grads


def setting(activation: str = "relu", iterations: int = 15_000) -> tuple:
    return ("circles", (10, 5), iterations, 0.01, activation)


def score(J0, J, train=0.5, test=0.5):
    return {"J at the start": J0, "J at the end": J, "train accuracy": train,
            "test accuracy": test, "symmetry broken": True}  # fmt: skip


def test_the_course_figures_are_quoted_only_beside_the_course_setting():
    grads = course_start("He")
    level, text = panel.training_notice("He", 1.0, panel.COURSE_SETTING, SCORE, grads)
    assert level == "success" and "The course's He run" in text
    assert "course" not in panel.training_notice("He", 2.0, panel.COURSE_SETTING, SCORE, grads)[1]
    moons = ("moons", *panel.COURSE_SETTING[1:])
    assert "course" not in panel.training_notice("He", 1.0, moons, SCORE, grads)[1]
    tanh = (*panel.COURSE_SETTING[:4], "tanh")
    assert "course" not in panel.training_notice("He", 1.0, tanh, SCORE, grads)[1]


def test_a_diverged_training_is_an_error_that_says_what_to_lower():
    grads = course_start("random × 10")
    level, text = panel.training_notice(
        "random × 10", 100.0, panel.COURSE_SETTING, score(5.0, np.inf), grads
    )
    assert level == "error" and "Lower the learning rate or v" in text


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_zeros_are_explained_by_their_gradients_all_exactly_zero(activation):
    # Before: "no better than one unit per layer", from symmetry alone.
    grads = course_start("zeros", activation)
    assert not any(g.any() for g in grads.values())  # db[3] too: the classes are balanced
    J = float(np.log(2))
    level, text = panel.training_notice("zeros", 1.0, setting(activation), score(J, J), grads)
    assert level == "warning"
    assert text.startswith("Every gradient but db[3] is exactly 0")
    assert f"{activation}(0) = 0" in text and "here even db[3] = mean(ŷ − y) is 0" in text
    assert "worse than one unit per layer" in text and "J 0.6931 → 0.6931" in text


def test_zeros_on_unbalanced_classes_move_only_b_of_the_last_layer():
    data = datasets.toy_split("circles", np.random.default_rng(0))
    Y = data.Y_train.copy()
    Y[0, :30] = 1 - Y[0, :30]  # unbalance the classes
    start = initialization.initialize_parameters((2, 10, 5, 1), "zeros", np.random.default_rng(0))
    grads = network.cost_and_gradients(start, data.X_train, Y).grads
    db3 = float(np.mean(0.5 - Y))  # ŷ = σ(0) = 0.5 everywhere
    assert grads["db3"][0, 0] == pytest.approx(db3) and db3 != 0
    text = panel.zero_gradients_sentence(grads, "relu")
    assert f"only b[3] moves (db[3] = {db3:.2g})" in text
    assert panel.zero_gradients_sentence(course_start("He"), "relu") is None


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_tiny_weights_never_start_learning_and_the_gradient_says_why(activation):
    # Before: "learning crawls at first", while J is still 0.6931 after 15,000 iterations.
    grads = course_start("random × 0.01", activation)
    norm = float(np.sqrt(sum((g**2).sum() for g in grads.values())))
    assert norm < panel.TINY_GRADIENT
    J = float(np.log(2))
    level, text = panel.training_notice("random × 0.01", 1.0, setting(activation),
                                        score(J, J), grads)  # fmt: skip
    assert level == "warning" and text.startswith("Learning never started")
    assert f"‖dθ‖ = {norm:.2g} at the start" in text
    assert f"moves θ by {0.01 * norm:.1g}" in text and "after 15,000 iterations" in text


def test_a_cost_that_barely_moved_with_a_healthy_gradient_asks_for_more_steps():
    grads = course_start("He")
    assert panel.gradient_norm(grads) > panel.TINY_GRADIENT
    level, text = panel.training_notice("He", 1.0, setting(iterations=100), score(0.7, 0.69), grads)
    assert level == "warning" and text.startswith("The cost has barely moved")
    assert f"‖dθ‖ = {panel.gradient_norm(grads):.2g}" in text and "train longer" in text


def test_large_weights_start_with_an_enormous_cost():
    grads = course_start("random × 10")
    level, text = panel.training_notice("random × 10", 1.0, panel.COURSE_SETTING,
                                        score(706.3, 0.26, 0.88, 0.88), grads)  # fmt: skip
    assert level == "info" and "the cost starts enormous: J 706.3 → 0.2600" in text
    assert "The course's random × 10 run" in text


# ---------------------------------------------------------------- the deep network's sentences


def deep(activation, name, depth=10, width=100, v=1.0):
    return panel.simulated(depth, width, activation, name, v, 0)


def test_tanh_with_large_weights_saturates_while_its_gradient_explodes():
    # Before: "tanh′ ≈ 0 lets almost no gradient back through" beside ‖dW[1]‖ = 7.9e6.
    signals = deep("tanh", "random × 10")
    level, text = panel.signal_notice(signals, "tanh")
    assert signals.dW_norm[0] > 1e6 and signals.dA_rms[0] / signals.dA_rms[-1] > 1e6
    assert level == "warning" and text.startswith("The units saturate")
    assert "yet the gradient explodes" in text and "lets almost no gradient" not in text
    assert f"‖dW[1]‖ = {signals.dW_norm[0]:.2g}" in text


def test_tanh_with_xavier_vanishes_slowly_by_the_same_rule_as_the_other_page():
    # Before: "keeps its scale" here under a ×10 tolerance, a warning there under ×2.
    signals = deep("tanh", "Xavier", depth=30)
    trend = depth_trend(signals.Z_rms)
    assert trend.verdict == "vanishes" and trend.exponential is False
    level, text = panel.signal_notice(signals, "tanh")
    assert level == "warning" and text.startswith("The signal vanishes")
    assert f"{signals.Z_rms[0]:.3g} in layer 1 to {signals.Z_rms[-1]:.3g} in layer 30" in text
    assert "It fades slowly, not exponentially" in text
    assert f"would reach {trend.extrapolated:.2g} by layer 30" in text
    level_ve, text_ve = ve_panel.notice(
        simulate_random_network(30, 100, "tanh", "xavier", np.random.default_rng(0))
    )
    assert level_ve == "warning" and "the signal vanishes" in text_ve


@pytest.mark.parametrize(
    ("activation", "name", "depth", "level", "said"),
    [
        ("relu", "He", 10, "success", "The signal keeps its scale"),
        ("tanh", "He", 30, "warning", "The signal keeps its scale"),  # …but backward explodes
        ("relu", "random × 10", 10, "warning", "The signal explodes"),
        ("relu", "random × 0.01", 10, "warning", "The signal vanishes"),
        ("relu", "zeros", 10, "warning", "Nothing gets through"),
    ],
)
def test_the_deep_notice_follows_both_passes(activation, name, depth, level, said):
    signals = deep(activation, name, depth)
    shown_level, text = panel.signal_notice(signals, activation)
    assert shown_level == level and text.startswith(said)
    if name != "zeros":
        back = depth_trend(signals.dA_rms[::-1])
        assert f"the gradient {ve_panel.VERDICT_WORDS[back.verdict]}" in text
        assert (back.verdict == "explodes") is (name in ("random × 10",) or depth == 30)


def test_the_reason_puts_layer_ones_measured_variance_beside_the_formula():
    signals = deep("relu", "He")
    latex = panel.reason_latex(signals)
    var_w, var_x = 2 / 100, signals.X_rms**2
    assert rf"100 \cdot {var_w:.3g} \cdot {var_x:.3g} = {100 * var_w * var_x:.3g}" in latex
    assert f"measured in layer 1: }} {signals.Z_rms[0] ** 2:.3g}" in latex
    half = (signals.A_std[0] ** 2 + signals.A_mean[0] ** 2) / signals.Z_rms[0] ** 2
    assert f"= {half:.2f}" in latex and abs(half - 0.5) < 0.05  # ReLU hands on half
    whole = deep("tanh", "Xavier")
    kept = (whole.A_std[0] ** 2 + whole.A_mean[0] ** 2) / whole.Z_rms[0] ** 2
    assert kept < 0.5 and "hands on less" in panel.REASONS["tanh"]  # E[tanh(z)²] ≈ 0.39
    assert "2/n" in panel.REASONS["relu"] and "1/n" in panel.REASONS["tanh"]
    assert r"\mathbb{E}" not in panel.reason_latex(deep("relu", "zeros"))  # 0/0 left out


def test_the_pairing_grid_shows_tanh_with_he_fine_forward_and_exploding_backward():
    frame, cells = panel.pairing_grid(30, 100, "random × 10", 1.0, 0)
    assert list(cells.index) == ["relu", "tanh"]
    assert list(cells.columns) == ["Xavier", "He", "chosen: random × 10"]
    assert set(frame["pass"]) == set(panel.PASSES) and (frame["rms"] > 0).all()
    tanh_he = deep("tanh", "He", 30)
    forward, back = depth_trend(tanh_he.Z_rms), depth_trend(tanh_he.dA_rms[::-1])
    assert (forward.verdict, back.verdict) == ("keeps", "explodes")
    assert cells.loc["tanh", "He"] == (
        f"forward keeps its scale, ×{forward.ratio:.2g} · backward explodes, ×{back.ratio:.2g}"
    )
    assert cells.loc["relu", "Xavier"].startswith("forward vanishes")
    assert panel.pairing_grid(10, 10, "He", 2.0, 0)[1].columns[-1] == "chosen: He, v = 2"
    assert panel.verdict_cell(deep("relu", "zeros")) == "forward: exactly 0 from layer 1"


# ---------------------------------------------------------------- symmetry in isolation


def test_zeros_get_no_gradient_and_a_constant_learns_as_copies():
    table = panel.symmetric_starts("circles", (10, 5), 0.01, "relu", 0)
    zero, constant = table.iloc[0], table.iloc[1]
    assert zero["nonzero gradients at the start"] == "none"
    assert zero["J at the start"] == zero["J after 2,000 steps"]
    assert constant["J after 2,000 steps"] < constant["J at the start"]
    assert constant["spread across units after"] <= initialization.SYMMETRY_TOLERANCE
    text = panel.symmetry_notice(table)
    assert text.startswith("W = 0 gets no gradient at all")
    assert f"‖dW[1]‖ = {constant['‖dW[1]‖ at the start']:.2g}) and learns" in text
    assert "its units stay copies" in text and "each layer works as one unit" in text


def test_the_symmetry_notice_follows_other_numbers_too():
    table = panel.symmetric_starts("circles", (10, 5), 0.01, "relu", 0).copy()
    table.loc[0, "nonzero gradients at the start"] = "db3"
    table.loc[1, "J after 2,000 steps"] = table.loc[1, "J at the start"] + 1
    table.loc[1, "spread across units after"] = 0.3
    text = panel.symmetry_notice(table)
    assert text.startswith("W = 0 gets a gradient only in db3")
    assert "does not learn either" in text and "its units drift apart (spread 0.3)" in text


# ---------------------------------------------------------------- the six, side by side

COURSE = ("circles", (10, 5), 300, 0.01, "relu")  # the course's setting, 300 steps


def start(name: str, dims=(2, 10, 5, 1), seed: int = 0):
    """(data, initial parameters) as the page draws them, v = 1."""
    rng, preset = np.random.default_rng(seed), initialization.PRESETS[name]
    data = datasets.toy_split("circles", rng)
    return data, initialization.initialize_parameters(dims, preset.method, rng, preset.std_scale())


def test_zeros_give_one_probability_everywhere_and_say_symmetry_never_broke():
    data, parameters = start("zeros")
    grid = datasets.grid_covering(data.X_train)
    p = network.predict_probability(grid.X, parameters)
    assert np.ptp(p) == 0 and not initialization.symmetry_broken(parameters)
    assert panel.boundary_label(p, parameters) == ("ŷ = 0.5 everywhere:", "symmetry never broke")
    shifted = {**parameters, "b3": np.full((1, 1), 1.0)}  # σ(1) = 0.731 everywhere
    label = panel.boundary_label(network.predict_probability(grid.X, shifted), shifted)
    assert label == ("ŷ = 0.731 everywhere:", "symmetry never broke")


def test_copies_that_still_draw_a_boundary_are_not_said_to_be_stuck():
    # Every weight 0.5: the units are copies, but ŷ varies over the plane.
    parameters = initialization.constant_parameters((2, 10, 5, 1), 0.5)
    grid = datasets.grid_covering(start("zeros")[0].X_train)
    p = network.predict_probability(grid.X, parameters)
    assert not initialization.symmetry_broken(parameters) and np.ptp(p) > panel.FLAT
    assert panel.boundary_label(p, parameters) == ()


def test_a_flat_output_from_units_that_differ_says_no_boundary_not_symmetry():
    data, parameters = start("He")
    grid = datasets.grid_covering(data.X_train)
    dead = {**parameters, "W2": np.zeros_like(parameters["W2"])}  # layer 2 hears nothing
    p = network.predict_probability(grid.X, dead)
    assert np.ptp(p) == 0 and initialization.symmetry_broken(dead)
    assert panel.boundary_label(p, dead) == ("ŷ ≈ 0.50 everywhere:", "no boundary to see")
    _, tiny = start("random × 0.01")
    faint = network.predict_probability(grid.X, tiny)
    assert 0 < np.ptp(faint) < panel.FLAT
    assert panel.boundary_label(faint, tiny)[1] == "no boundary to see"


def test_a_boundary_to_see_gets_no_label_and_nan_says_it_overflowed():
    data, parameters = start("He")
    grid = datasets.grid_covering(data.X_train)
    p = network.predict_probability(grid.X, parameters)
    assert np.ptp(p) > panel.FLAT and panel.boundary_label(p, parameters) == ()
    p[0, 7] = np.nan
    assert panel.boundary_label(p, parameters) == ("ŷ is not a number:", "the training overflowed")


@pytest.mark.parametrize(
    ("iterations", "expected"),
    [
        (15_000, list(range(0, 15_001, 1_000))),
        (300, [0, 100, 200, 300]),
        (250, [0, 100, 200, 250]),  # a link's value between the slider's steps
        (100, [0, 100]),
    ],
)
def test_the_frames_fall_on_snapshots_and_end_at_the_last_step(iterations, expected):
    assert panel.frame_iterations(iterations) == expected
    assert len(panel.frame_iterations(iterations)) <= panel.FRAMES


def test_a_cell_draws_the_snapshots_core_kept_and_ends_where_the_training_ends():
    cell = panel.trained_cell(COURSE, "He", 0)
    data, parameters = start("He")
    run = network.train(data.X_train, data.Y_train, parameters, num_iterations=300,
                        snapshot_every=100)  # fmt: skip
    assert list(cell.frames["iteration"]) == [0, 100, 200, 300]
    grid = datasets.grid_covering(data.X_train)
    for url, snapshot in zip(cell.frames["url"], [*run.snapshots, run.parameters], strict=False):
        p = network.predict_probability(grid.X, snapshot)[0].reshape(60, 60)
        assert url == charts.probability_image(p)
    np.testing.assert_allclose(cell.costs["cost"], run.costs[cell.costs["iteration"]])
    assert cell.costs["iteration"].iloc[-1] == 300 and len(cell.costs) <= 62  # thinned
    assert cell.score["J at the end"] == pytest.approx(run.costs[-1]) and cell.label == ()


def test_the_chosen_method_reuses_the_training_of_its_cell(monkeypatch):
    setting = ("moons", (5,), 200, 0.03, "relu")  # a setting no other test trains
    panel._training.clear()
    calls = []
    real_run = workers.run
    monkeypatch.setattr(workers, "run", lambda *a, **k: calls.append(k) or real_run(*a, **k))
    cell = panel.trained_cell(setting, "Glorot", 5)
    data, result = panel.trained(*setting, "Glorot", 1.0, 5)
    assert len(calls) == 1 and cell.score == panel.scores(data, result, "relu")


def test_the_cost_axis_reaches_from_the_floor_to_the_highest_finite_start():
    starts = {"zeros": 0.69, "random × 10": 706.0, "He": np.inf}
    assert panel.cost_domain(starts) == (panel.COST_FLOOR, pytest.approx(706.0 * 1.2))
    assert panel.cost_domain({"zeros": np.nan}) == (panel.COST_FLOOR, pytest.approx(1.2))


def test_the_cost_axis_holds_every_starting_cost_of_the_six():
    starts = panel.start_costs("circles", (10, 5), "relu", 0)
    for name in initialization.PRESETS:
        data, parameters = start(name)
        assert starts[name] == pytest.approx(
            network.compute_cost(parameters, data.X_train, data.Y_train)
        )
    assert panel.cost_domain(starts)[1] > max(starts.values())


@pytest.mark.parametrize(("activation", "paired"), [("relu", "He"), ("tanh", "Xavier")])
def test_the_key_number_sets_the_activations_own_initialization_against_zeros(activation, paired):
    setting = ("circles", (10, 5), 300, 0.01, activation)
    cells = {name: panel.trained_cell(setting, name, 0) for name in ("zeros", paired)}
    made, zeros = (cells[n].score["test accuracy"] for n in (paired, "zeros"))
    assert panel.key_number(cells, activation) == {
        "label": f"Test accuracy, {paired} against zeros",
        "value": f"{made:.0%} vs {zeros:.0%}",
        "delta": f"{100 * (made - zeros):+.0f} points",
    }


def test_the_setting_caption_reads_its_numbers_and_the_sixs_description_has_none():
    text = panel.setting_caption(("moons", (20, 10), 2_500, 0.3, "tanh"), 42)
    assert "The same moons (300 training points, seed 42)" in text
    assert "2 → 20 → 10 → 1 with tanh hidden units, 2,500 steps of α = 0.3" in text
    said = panel.SIX_DESCRIPTION  # their figures: the titles, the six in numbers
    assert all(name in said for name in initialization.PRESETS)
    assert not [figure for figure in ("%", "→", "iterations", "J 0.") if figure in said]
    assert panel.cell_title("He", {"test accuracy": 0.96}) == "He · 96%"


def test_the_six_in_numbers_hold_each_cells_figures():
    cells = {name: panel.trained_cell(COURSE, name, 0) for name in initialization.PRESETS}
    table = panel.six_table(cells)
    assert list(table["initialization"]) == list(initialization.PRESETS)
    assert list(table.columns[1:]) == list(cells["He"].score)


def test_a_weight_matrix_is_described_by_its_range_and_whether_its_rows_are_copies():
    W = np.array([[1.0, -2.0], [1.0, -2.0], [1.0, -2.0]])
    said = panel.weights_description(W, "W1", 0.0)
    assert "W[1] after training, one row per unit of layer 1" in said
    assert "3 × 2 weights from -2 to 1" in said and "identical: the units are copies" in said
    assert "all differ" in panel.weights_description(W, "W1", 0.25)
    assert "rows" not in panel.weights_description(W, "W3", None)  # the output layer's


def test_the_pairing_grid_has_one_axis_for_all_and_named_rows():
    frame, cells = panel.pairing_grid(10, 10, "He", 1.0, 0)
    low, high = panel.pairing_domain(frame)
    assert low < frame["rms"].min() and frame["rms"].max() < high
    assert cells.index.name == "activation"


@pytest.mark.parametrize(
    ("user_agent", "columns"),
    [
        ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/120.0.0.0 Mobile Safari/537.36", 2),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
         "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1", 2),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/120.0.0.0 Safari/537.36", 3),
        ("", 3),  # no header (a test, a bot): the laptop's grid
    ],
)  # fmt: skip
def test_the_six_sit_two_to_a_row_on_a_phone_and_three_elsewhere(user_agent, columns):
    assert panel.six_columns(user_agent) == columns
