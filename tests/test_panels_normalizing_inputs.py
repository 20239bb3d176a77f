"""The normalizing-inputs page's sentences about κ and gradient descent, one test per
branch, each fed the data that trigger it; expected numbers come from core, and the words
are checked against them (which way κ moves, how far, which inputs converge)."""

import numpy as np
import pytest

from charts import normalization as charts
from core import conditioning as cond
from core import datasets
from core.normalization import Normalizer
from panels import normalizing_inputs as panel

NAMES = ("a", "b")


def features(mu, sigma, rho, m=400, seed=0) -> np.ndarray:
    """X (2, m) whose sample means, spreads and correlation are exactly mu, sigma, rho."""
    Z = np.random.default_rng(seed).normal(size=(2, m))
    Z -= Z.mean(axis=1, keepdims=True)
    Z = np.linalg.solve(np.linalg.cholesky(Z @ Z.T / m), Z)  # sample covariance I
    C = np.linalg.cholesky(np.array([[1.0, rho], [rho, 1.0]]))
    return np.asarray(mu, float)[:, None] + np.asarray(sigma, float)[:, None] * (C @ Z)


def houses() -> tuple[np.ndarray, np.ndarray]:
    data = datasets.house_prices(200, np.random.default_rng(0))  # the page's defaults
    return data.X, data.Y


def stage_words(X: np.ndarray) -> tuple[cond.StageConditionNumbers, float, str]:
    stages, rho = cond.condition_numbers_by_stage(X), float(cond.correlation(X)[0, 1])
    return stages, rho, panel.stage_notice(stages, rho, NAMES)


@pytest.mark.parametrize(
    "value, text",
    [(4.31, "4.3"), (11.4, "11"), (117_150.0, "120,000"), (1.3e6, "1.3 million"),
     (4.02e6, "4 million"), (2.5e12, "2.5e+12")],
)  # fmt: skip
def test_factor_text_gives_two_significant_figures_and_millions_in_words(value, text):
    assert panel.factor_text(value) == text


# What the stages sentence says, by branch.


def test_house_prices_both_steps_earn_their_place_with_the_lectures_figures():
    stages, _rho, text = stage_words(houses()[0])
    # The figures: raw 3.3e6, centred only 7.5e5, scaled only 28, both 2.5.
    assert stages.raw == pytest.approx(3.26e6, rel=0.01)
    assert stages.centred == pytest.approx(7.53e5, rel=0.01)
    assert stages.scaled == pytest.approx(27.8, rel=0.01)
    assert stages.normalized == pytest.approx(2.50, rel=0.01)
    # Each step, added on top of the other, lowers κ at least 2-fold.
    assert stages.scaled / stages.normalized >= 2 and stages.centred / stages.normalized >= 2
    assert text.startswith("Both steps earn their place")
    assert f"centring alone divides κ by {panel.factor_text(stages.raw / stages.centred)}" in text
    assert f"scaling alone divides κ by {panel.factor_text(stages.raw / stages.scaled)}" in text
    assert f"together divide it by {panel.factor_text(stages.raw / stages.normalized)}" in text
    assert "by 4.3" in text and "by 120,000" in text and "by 1.3 million" in text


def test_house_prices_keep_kappa_above_one_because_the_features_correlate():
    stages, rho, text = stage_words(houses()[0])
    assert rho == pytest.approx(0.43, abs=0.005)
    assert stages.normalized == pytest.approx((1 + rho) / (1 - rho), rel=1e-9)
    assert f"κ = {stages.normalized:.3g}, not 1, because a and b correlate (ρ = 0.43)" in text
    assert f"{stages.normalized**0.5:.2g} times longer than wide" in text
    assert "1.6 times longer" in text
    assert "round" not in text.split("After both")[1]  # the old "makes the valley round"


def test_uncorrelated_features_end_in_a_round_valley():
    stages, rho, text = stage_words(features([500.0, 2.0], [100.0, 1.0], 0.0))
    assert stages.normalized == pytest.approx(1.0) and abs(rho) < 1e-9
    assert "barely correlate (ρ = 0.00), so the valley is round" in text


def test_a_negative_correlation_is_named_with_its_sign():
    stages, _rho, text = stage_words(features([0.0, 0.0], [1.0, 3.0], -0.5))
    assert stages.normalized == pytest.approx(3.0)
    assert "correlate (ρ = -0.50)" in text and "κ = 3, not 1" in text


def test_centred_features_on_different_scales_need_only_the_division():
    stages, _, text = stage_words(features([0.0, 0.0], [1_000.0, 1.0], 0.3))
    assert stages.centred == pytest.approx(stages.raw)  # centring changes nothing
    assert stages.centred / stages.normalized >= 2 > stages.scaled / stages.normalized
    assert text.startswith("Dividing by σ does the work here: alone it divides κ by ")
    assert f"({stages.scaled:,.3g} → {stages.normalized:,.3g})" in text


def test_features_of_one_spread_far_from_zero_need_only_the_centring():
    stages, _, text = stage_words(features([1_000.0, 1_000.0], [1.0, 1.0], 0.3))
    assert stages.scaled == pytest.approx(stages.raw)  # dividing by σ = 1 changes nothing
    assert stages.scaled / stages.normalized >= 2 > stages.centred / stages.normalized
    assert text.startswith("Subtracting μ does the work here: alone it divides κ by ")
    assert f"({stages.centred:,.3g} → {stages.normalized:,.3g})" in text


def test_two_small_steps_that_only_together_halve_kappa_are_called_so():
    # σ = (1, 1.4), μ = (0, 0.99): κ = 2.9 raw, 1.96 centred, 1.5 scaled, 1 normalized.
    stages, _, text = stage_words(features([0.0, 0.99], [1.0, 1.4], 0.0))
    assert stages.raw / stages.normalized >= 2
    assert stages.scaled / stages.normalized < 2 and stages.centred / stages.normalized < 2
    overall = panel.factor_text(stages.raw / stages.normalized)
    assert text.startswith(f"Neither step adds 2-fold on top of the other, yet together they "
                           f"divide κ by {overall}.")  # fmt: skip


def test_features_already_on_similar_scales_gain_little_and_come_to_no_harm():
    stages, _, text = stage_words(features([0.0, 0.0], [1.0, 1.2], 0.0))
    assert 1 <= stages.raw / stages.normalized < 2
    assert text.startswith(
        f"Normalizing changes κ little here ({stages.raw:,.3g} raw, {stages.normalized:,.3g} "
        "normalized), as when features already come on similar scales; it does no harm."
    )


def test_means_that_offset_a_correlation_make_normalizing_raise_kappa_a_little():
    # μ along the flat direction (1, −1) of a ρ = 0.3 correlation: raw H is round.
    stages, _, text = stage_words(features([0.3**0.5, -(0.3**0.5)], [1.0, 1.0], 0.3))
    assert 0.5 < stages.raw / stages.normalized < 1
    assert "changes κ little here" in text and "here it even raises κ a little" in text
    assert "no harm" not in text


def test_means_that_offset_a_strong_correlation_make_normalizing_raise_kappa():
    stages, _, text = stage_words(features([0.6**0.5, -(0.6**0.5)], [1.0, 1.0], 0.6))
    assert stages.raw / stages.normalized <= 0.5
    factor = panel.factor_text(stages.normalized / stages.raw)
    assert text.startswith(f"Here normalizing raises κ {factor}-fold, from {stages.raw:,.3g} to ")
    assert factor == "4"


# What one α does on both inputs, by branch.


def facts(X: np.ndarray, Y: np.ndarray, alpha: float, tolerance: float = 1e-3) -> dict:
    """The facts descent_notice reads, straight from core."""
    best = cond.best_stable_learning_rate(X)
    steps = [cond.steps_to_converge(X, Y, rate, tolerance=tolerance) for rate in (alpha, best)]
    return {"steps": steps, "kappa": cond.condition_number(X), "best": best,
            "limit": cond.learning_rate_stability_limit(X)}  # fmt: skip


def notice(X: np.ndarray, Y: np.ndarray, fraction: float):
    """(warning, sentence) of descent at α = fraction · 2/λ_max of the normalized X: the
    warning (or None) and the hero's sentence on the shared α."""
    X_normalized = Normalizer().fit_transform(X)
    alpha = fraction * cond.learning_rate_stability_limit(X_normalized)
    raw, scaled = facts(X, Y, alpha), facts(X_normalized, Y, alpha)
    warning = panel.descent_warning(raw, scaled, alpha)
    return warning, panel.shared_alpha_text(raw, scaled, alpha), raw, scaled, alpha


def targets(X: np.ndarray) -> np.ndarray:
    return np.array([[2.0, -1.0]]) @ X + np.random.default_rng(1).normal(size=(1, X.shape[1]))


def test_one_alpha_for_both_converges_normalized_and_diverges_raw():
    warning, text, raw, scaled, alpha = notice(*houses(), 0.5)
    assert raw["steps"][0] is None and alpha > raw["limit"]  # diverges on raw inputs
    assert scaled["steps"][0] is not None
    assert warning is None
    ratio = panel.factor_text(scaled["limit"] / raw["limit"])
    assert text == (
        f"At one α = {alpha:.3g} for both: normalized inputs take {scaled['steps'][0]:,} steps; "
        f"raw inputs diverge, stable only below 2/λ_max = {raw['limit']:.3g}, {ratio} times "
        "lower."
    )
    assert ratio == "4 million" and "take 13 steps" in text
    assert raw["steps"][1] > 1_000_000 > 20 > scaled["steps"][1]


def test_above_the_normalized_limit_both_never_converge():
    warning, text, raw, scaled, alpha = notice(*houses(), 1.2)
    assert raw["steps"][0] is None and scaled["steps"][0] is None
    assert alpha > scaled["limit"]
    assert "never converges on raw and normalized inputs alike" in warning
    assert f"above 2/λ_max = {scaled['limit']:.3g} of the normalized inputs" in warning
    assert (
        text
        == f"At one α = {alpha:.3g} for both: normalized inputs diverge; raw inputs diverge too."
    )


def test_above_the_normalized_limit_raw_inputs_on_a_small_scale_still_converge():
    X = features([0.0, 0.0], [0.01, 0.02], 0.2)  # raw H tiny: raw inputs allow α up to 5,000
    warning, text, raw, scaled, alpha = notice(X, targets(X), 1.2)
    assert scaled["steps"][0] is None and raw["steps"][0] is not None
    assert raw["limit"] > alpha > scaled["limit"]
    assert "never converges on normalized inputs;" in warning
    assert f"stable up to {raw['limit']:.3g}, get there in {raw['steps'][0]:,} steps" in warning
    assert text.endswith(f"normalized inputs diverge; raw inputs take {raw['steps'][0]:,} steps.")


def test_raw_inputs_whose_steps_round_to_one_never_arrive():
    I = np.arange(1.0, 41.0)
    X = np.vstack([1e9 + I, np.random.default_rng(6).normal(size=40)])  # κ ≈ 1e18
    warning, _text, raw, scaled, alpha = notice(X, I[None, :], 0.5)
    assert raw["steps"][1] is None and raw["best"] <= raw["limit"]  # not above the limit
    assert "rounds to exactly 1 in float64" in warning
    assert "at their best rate α* and below" in warning
    assert f"needs {scaled['steps'][0]:,} steps at α = {alpha:.3g}" in warning
    hero = panel.hero_number(raw, scaled)
    assert hero == f"never there → {scaled['steps'][1]:,} steps"


def test_raw_steps_that_round_to_one_only_at_the_shared_alpha_are_named_at_it():
    # λ = 0.1 and 4e-17, α = 1: α·λ_min is under half an ulp of 1, α*·λ_min = 8e-16 is not.
    X = features([0.0, 0.0], [0.1**0.5, 4e-17**0.5], 0.0)
    warning, text, raw, _scaled, alpha = notice(X, targets(X), 0.5)
    assert raw["steps"][0] is None and alpha < raw["limit"] and raw["steps"][1] is not None
    assert f"at α = {alpha:.3g} each step multiplies the error" in warning
    assert "rounds to exactly 1" in warning and "best rate" not in warning
    assert text.endswith("raw inputs never arrive.")


def test_normalized_diverging_where_raw_inputs_never_arrive_says_so():
    # λ = 0.1 and 1e-17, α = 2.4: α·λ_min is under half an ulp of 1, α < 2/λ_max = 20.
    X = features([0.0, 0.0], [0.1**0.5, 1e-17**0.5], 0.0)
    _warning, text, raw, scaled, alpha = notice(X, targets(X), 1.2)
    assert scaled["steps"][0] is None and raw["steps"][0] is None and alpha < raw["limit"]
    assert text.endswith("normalized inputs diverge; raw inputs never arrive.")


def test_raw_inputs_on_a_small_scale_converge_too_and_normalizing_cuts_the_steps():
    X = features([0.0, 0.0], [0.05, 0.01], 0.3)
    warning, text, raw, scaled, alpha = notice(X, targets(X), 0.5)
    assert scaled["steps"][0] < raw["steps"][0]
    assert warning is None and text == (
        f"At one α = {alpha:.3g} for both: raw inputs take {raw['steps'][0]:,} steps, "
        f"normalized {scaled['steps'][0]:,}; normalizing cuts the steps "
        f"{panel.factor_text(raw['steps'][0] / scaled['steps'][0])}-fold."
    )


def test_features_already_normalized_save_no_steps():
    X = features([0.0, 0.0], [1.0, 1.0], 0.3)  # raw inputs are their own normalization
    warning, text, raw, scaled, _alpha = notice(X, targets(X), 0.5)
    assert raw["steps"] == scaled["steps"]
    assert warning is None and text.endswith("normalizing saves no steps at this α.")


@pytest.mark.parametrize(
    "steps, alpha, limit, text",
    [(13, 0.7, 1.4, "13 steps"), (11_258_928, 3e-7, 3.5e-7, "11.3 M steps"),
     (None, 0.7, 3.5e-7, "diverges"), (None, 0.7, 2e3, "never arrives"),
     (None, 2e-18, 2e-18, "never arrives")],
)  # fmt: skip
def test_a_paths_legend_says_what_happened(steps, alpha, limit, text):
    assert panel.outcome_text(steps, alpha, limit) == text


# The hero: the number in large type, what it counts, and the panels' lines.


@pytest.mark.parametrize(
    "steps, text",
    [(None, "never"), (9, "9"), (12_345, "12,345"), (999_999, "999,999"),
     (11_258_928, "11.3 M"), (22_517_855, "22.5 M"), (2_100_000_000, "2.1 billion")],
)  # fmt: skip
def test_count_text_writes_millions_as_m(steps, text):
    assert panel.count_text(steps) == text


def test_the_hero_number_is_each_input_s_steps_at_its_best_alpha():
    X, Y = houses()
    X_normalized = Normalizer().fit_transform(X)
    raw, scaled = facts(X, Y, 0.7), facts(X_normalized, Y, 0.7)
    assert panel.hero_number(raw, scaled) == (
        f"{raw['steps'][1] / 1e6:.3g} M steps → {scaled['steps'][1]} steps"
    )
    assert panel.hero_number(raw, scaled) == "11.3 M steps → 9 steps"
    one = {"steps": [None, 1]}
    assert panel.hero_number(one, one) == "1 step → 1 step"


@pytest.mark.parametrize("tolerance, times", [(1e-2, "100"), (1e-3, "1,000"), (1e-6, "1,000,000")])
def test_the_hero_label_says_what_is_counted(tolerance, times):
    assert panel.hero_label(tolerance).startswith(
        f"Gradient descent until w is {times}× closer to w*, each at its best learning rate α*"
    )


def descent_of(X: np.ndarray, Y: np.ndarray, alpha: float = 0.7, tolerance: float = 1e-3):
    return panel.descent_runs(X, Y, alpha, tolerance)


def test_raw_panel_states_its_stretch_and_how_few_of_its_steps_are_drawn():
    X, Y = houses()
    descent = descent_of(X, Y)
    kappa = cond.condition_number(X)
    assert not descent.equal_units and descent.last == descent.facts["steps"][1]
    assert panel.lesson_lines(descent) == [
        f"valley {float(f'{kappa**0.5:.2g}'):,.0f}× longer than wide (κ = {kappa / 1e6:.3g} M)",
        f"axes stretched to show it; {descent.drawn - 1:,} of 11.3 M steps drawn",
    ]
    assert descent.drawn <= 205 and descent.paths["step"].max() == 11_258_928


def test_normalized_panel_in_equal_units_draws_every_step():
    X, Y = houses()
    descent = descent_of(Normalizer().fit_transform(X), Y)
    assert descent.equal_units
    (low1, high1), (low2, high2) = descent.window
    assert high1 - low1 == pytest.approx(high2 - low2)  # one scale for both axes
    assert panel.lesson_lines(descent) == ["valley 1.6× longer than wide (κ = 2.5)"]


def test_an_equal_units_panel_with_more_steps_than_drawn_says_so():
    X = features([0.0, 0.0], [1.0, 1.0], 0.9)  # κ = 19: equal units, hundreds of steps
    descent = descent_of(X, targets(X), alpha=0.01)
    assert descent.equal_units and descent.drawn - 1 < descent.last
    assert panel.lesson_lines(descent)[1] == (
        f"{descent.drawn - 1:,} of {descent.last:,} steps drawn"
    )


def test_uncorrelated_normalized_inputs_have_a_round_valley():
    X = features([0.0, 0.0], [1.0, 1.0], 0.0)
    descent = descent_of(X, targets(X))
    assert panel.lesson_lines(descent) == ["valley round (κ = 1)"]


def test_a_singular_hessian_has_an_endless_valley_and_no_ellipses():
    X = np.vstack([np.arange(1.0, 21.0), 2 * np.arange(1.0, 21.0)])  # x₂ = 2 x₁
    descent = descent_of(X, targets(X), alpha=1e-4)
    assert descent.facts["kappa"] == np.inf and descent.ellipses.empty
    assert panel.lesson_lines(descent)[0] == "valley endless: H is singular (κ = ∞)"


@pytest.mark.parametrize(
    "ratio, text", [(1.58, "1.6"), (12.3, "12"), (1805.3, "1,800"), (4.2e4, "42,000")]
)
def test_stretch_text_rounds_to_two_figures(ratio, text):
    assert panel.stretch_text(ratio) == text


@pytest.mark.parametrize(
    "kappa, text", [(2.5, "2.5"), (812.4, "812"), (3.2614e6, "3.26 M"), (1e18, "1e+18")]
)
def test_kappa_text_writes_millions_as_m(kappa, text):
    assert panel.kappa_text(kappa) == text


def test_frames_keep_every_run_s_last_step_and_the_first_ones_one_by_one():
    steps = panel.frame_steps(11_258_928, (11_258_928, 13))
    assert steps[0] == 0 and steps[-1] == 11_258_928 and 13 in steps
    assert list(steps[:10]) == list(range(10)) and len(steps) <= 202
    assert list(panel.frame_steps(13, (13, 9))) == list(range(14))


def test_contour_levels_run_from_the_start_s_ellipse_down_log_spaced():
    X, Y = houses()
    quadratic = cond.cost_quadratic(X, Y)
    levels = panel.contour_levels(quadratic, np.zeros(2))
    top = quadratic.costs(np.zeros((2, 1)))[0] - quadratic.J_star
    assert levels[0] == pytest.approx(top) and len(levels) == panel.LEVELS
    np.testing.assert_allclose(np.diff(np.log(levels)), np.log(levels[1] / levels[0]))
    assert levels[-1] <= top / 100


def test_the_contour_description_names_the_shape_and_both_runs():
    text = panel.contour_description("raw")
    assert text.startswith("Contour ellipses of the cost J − J* on raw inputs around its ")
    assert "at the best learning rate α* (red circles)" in text
    assert "at the α both panels share (purple squares)" in text


def test_the_runs_styles_are_named_from_the_chart_s_styles():
    # A style changed in charts.RUN_STYLES changes the words, or fails here for want of
    # its colour's name.
    for run, (colour, marker) in charts.RUN_STYLES.items():
        assert panel.run_style_words(run) == f"{panel.COLOUR_NAMES[colour]} {marker}s"
    assert panel.run_style_words("best") == "red circles"
    assert panel.run_style_words("shared") == "purple squares"


def test_the_contour_tables_carry_the_runs_names_and_the_lesson():
    # The chart's spec holds no number: the legend's names and the lesson are data.
    X, Y = houses()
    descent = descent_of(X, Y)
    tables = panel.contour_tables(descent)
    runs = tables["paths"].drop_duplicates("run").sort_values("order")["run"].tolist()
    assert runs == ["best α* = 3.48e-07: 11.3 M steps", "α = 0.7, both panels: diverges"]
    assert tables["lesson"]["text"][0].split("\n") == panel.lesson_lines(descent)
    assert tables["frames"]["step"].iloc[-1] == descent.last


# The stages of the data: each panel's axes and what it writes.


def page_data(X: np.ndarray) -> panel.PageData:
    split = datasets.TrainTestSplit(X, targets(X), X[:, :10], targets(X)[:, :10])
    return panel.prepared(split, {"names": NAMES, "units": ("", "")})


def test_stages_of_features_far_apart_in_spread_get_each_axis_its_own_scale():
    views = panel.stage_views(page_data(features([500.0, 2.0], [100.0, 1.0], 0.3)))
    raw, centred, scaled = views
    assert raw.lesson == ["a and b: spreads over 3× apart", "axes not to scale"]
    assert centred.lesson == ["centred on 0; spreads over 3× apart", "axes not to scale"]
    assert scaled.lesson == ["σ = 1 on both axes", "one scale for both"]
    (x_low, x_high), (y_low, y_high) = raw.domains
    assert x_low < 0 < y_high and (x_high - x_low) > 50 * (y_high - y_low)  # each its own
    assert scaled.domains[0] == scaled.domains[1]
    assert panel.stage_description(raw) == (
        "Scatter plot of the training examples, Raw x: a across, b up, each axis fitted to "
        "the cloud, dashed lines at 0; a and b: spreads over 3× apart; axes not to scale."
    )


def test_stages_of_features_close_in_spread_share_one_scale():
    raw, centred, _ = panel.stage_views(page_data(features([5.0, 2.0], [1.0, 2.5], 0.3)))
    assert raw.lesson == ["a and b: spreads within 3× of each other"]
    assert raw.domains[0][1] - raw.domains[0][0] == pytest.approx(
        raw.domains[1][1] - raw.domains[1][0]
    )
    assert centred.lesson == ["centred on 0; spreads within 3× of each other"]


def test_the_test_chart_s_description_says_what_either_way_does_and_the_figures_are_beside():
    text = panel.test_description(("size", "rooms"))
    assert "normalized size across and normalized rooms up" in text
    assert "with the training μ and σ, the test set keeps its shift" in text
    assert "with its own μ and σ (the toggle above), it is forced onto the training cloud" in text
    # no figure of the data: a move of the data's sliders keeps it
    assert not any(ch.isdigit() for ch in text.replace("centred on 0", ""))


@pytest.mark.parametrize("name", ["size", "area_m2", "a very long feature name indeed"])
def test_feature_formulas_put_name_statistics_and_map_on_lines_of_their_own(name):
    X = features([2219.0, 3.39], [904.1, 1.152], 0.4)
    (first, _) = panel.feature_formulas((name, "b"), Normalizer().fit(X))
    rows = first.removeprefix(r"\begin{aligned}").split(r"\\")
    assert len(rows) == 3 and rows[0].startswith(r"&\text{")
    assert rows[1] == r"&\mu_1 = 2219,\ \sigma_1^2 = 8.174\times10^{5}"
    assert rows[2].startswith(r"&x_1 := \frac{x_1 - 2219}{904.1}\end{aligned}")
