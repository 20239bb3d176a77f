"""The weight initialization page's training slices and sentences, straight from core
without running the page. Expected values come from core."""

import numpy as np
import pytest

import workers
from core import datasets, initialization, network
from panels import weight_initialization as panel

SETTING = ("circles", (5,), 0.01, "He", 1.0, 3)  # data, hidden, α, method, v, seed


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
    return panel.trained(data_name, hidden, iterations, rate, name, v, seed)[1]


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


def test_the_course_figures_are_quoted_only_beside_the_course_setting():
    score = {"J at the start": 0.9, "J at the end": 0.07, "train accuracy": 0.99,
             "test accuracy": 0.96, "symmetry broken": True}  # fmt: skip
    level, text = panel.training_notice("He", 1.0, panel.COURSE_SETTING, score)
    assert level == "success" and "The course's He run" in text
    assert "course" not in panel.training_notice("He", 2.0, panel.COURSE_SETTING, score)[1]
    moons = ("moons", *panel.COURSE_SETTING[1:])
    assert "course" not in panel.training_notice("He", 1.0, moons, score)[1]


def test_a_diverged_training_is_an_error_that_says_what_to_lower():
    score = {"J at the start": 5.0, "J at the end": np.inf, "train accuracy": 0.5,
             "test accuracy": 0.5, "symmetry broken": True}  # fmt: skip
    level, text = panel.training_notice("random × 10", 100.0, panel.COURSE_SETTING, score)
    assert level == "error" and "Lower the learning rate or v" in text
