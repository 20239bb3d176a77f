"""The normalizing-inputs page's sentences about κ and gradient descent, one test per
branch, each fed the data that trigger it; expected numbers come from core, and the words
are checked against them (which way κ moves, how far, which inputs converge)."""

import numpy as np
import pytest

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


def notice(monkeypatch, X: np.ndarray, Y: np.ndarray, fraction: float):
    """(kind, text) of the descent notice at α = fraction · 2/λ_max of the normalized X."""
    X_normalized = Normalizer().fit_transform(X)
    alpha = fraction * cond.learning_rate_stability_limit(X_normalized)
    raw, scaled = facts(X, Y, alpha), facts(X_normalized, Y, alpha)
    shown = []
    for kind in ("info", "warning"):
        monkeypatch.setattr(panel.st, kind, lambda text, kind=kind: shown.append((kind, text)))
    panel.descent_notice(raw, scaled, alpha)
    ((kind, text),) = shown
    return kind, text, raw, scaled, alpha


def targets(X: np.ndarray) -> np.ndarray:
    return np.array([[2.0, -1.0]]) @ X + np.random.default_rng(1).normal(size=(1, X.shape[1]))


def test_one_alpha_for_both_converges_normalized_and_diverges_raw(monkeypatch):
    kind, text, raw, scaled, alpha = notice(monkeypatch, *houses(), 0.5)
    assert raw["steps"][0] is None and alpha > raw["limit"]  # diverges on raw inputs
    assert scaled["steps"][0] is not None
    assert kind == "info"
    assert text.startswith(
        f"One α = {alpha:.3g} for both panels: normalized inputs get there in "
        f"{scaled['steps'][0]:,} steps, raw inputs diverge."
    )
    ratio = panel.factor_text(scaled["limit"] / raw["limit"])
    assert ratio == "4 million" and f"{ratio} times lower" in text
    assert f"they need {raw['steps'][1]:,} steps against {scaled['steps'][1]:,}" in text
    assert raw["steps"][1] > 1_000_000 > 20 > scaled["steps"][1]


def test_above_the_normalized_limit_both_never_converge(monkeypatch):
    kind, text, raw, scaled, alpha = notice(monkeypatch, *houses(), 1.2)
    assert raw["steps"][0] is None and scaled["steps"][0] is None
    assert alpha > scaled["limit"]
    assert kind == "warning" and "never converges on raw and normalized inputs alike" in text
    assert f"above 2/λ_max = {scaled['limit']:.3g} of the normalized inputs" in text


def test_above_the_normalized_limit_raw_inputs_on_a_small_scale_still_converge(monkeypatch):
    X = features([0.0, 0.0], [0.01, 0.02], 0.2)  # raw H tiny: raw inputs allow α up to 5,000
    kind, text, raw, scaled, alpha = notice(monkeypatch, X, targets(X), 1.2)
    assert scaled["steps"][0] is None and raw["steps"][0] is not None
    assert raw["limit"] > alpha > scaled["limit"]
    assert kind == "warning" and "never converges on normalized inputs;" in text
    assert f"stable up to {raw['limit']:.3g}, get there in {raw['steps'][0]:,} steps" in text


def test_raw_inputs_whose_steps_round_to_one_never_arrive(monkeypatch):
    I = np.arange(1.0, 41.0)
    X = np.vstack([1e9 + I, np.random.default_rng(6).normal(size=40)])  # κ ≈ 1e18
    kind, text, raw, scaled, alpha = notice(monkeypatch, X, I[None, :], 0.5)
    assert raw["steps"][1] is None and raw["best"] <= raw["limit"]  # not above the limit
    assert kind == "warning" and "rounds to exactly 1 in float64" in text
    assert "at their best rate α* and below" in text
    assert f"needs {scaled['steps'][0]:,} steps at α = {alpha:.3g}" in text


def test_raw_steps_that_round_to_one_only_at_the_shared_alpha_are_named_at_it(monkeypatch):
    # λ = 0.1 and 4e-17, α = 1: α·λ_min is under half an ulp of 1, α*·λ_min = 8e-16 is not.
    X = features([0.0, 0.0], [0.1**0.5, 4e-17**0.5], 0.0)
    kind, text, raw, _scaled, alpha = notice(monkeypatch, X, targets(X), 0.5)
    assert raw["steps"][0] is None and alpha < raw["limit"] and raw["steps"][1] is not None
    assert kind == "warning" and f"at α = {alpha:.3g} each step multiplies the error" in text
    assert "rounds to exactly 1" in text and "best rate" not in text


def test_raw_inputs_on_a_small_scale_converge_too_and_normalizing_cuts_the_steps(monkeypatch):
    X = features([0.0, 0.0], [0.05, 0.01], 0.3)
    kind, text, raw, scaled, alpha = notice(monkeypatch, X, targets(X), 0.5)
    assert scaled["steps"][0] < raw["steps"][0]
    assert kind == "info" and text.startswith(
        f"One α = {alpha:.3g} for both panels: raw inputs need {raw['steps'][0]:,} steps, "
        f"normalized inputs {scaled['steps'][0]:,}; normalizing cuts the steps "
        f"{panel.factor_text(raw['steps'][0] / scaled['steps'][0])}-fold."
    )


def test_features_already_normalized_save_no_steps(monkeypatch):
    X = features([0.0, 0.0], [1.0, 1.0], 0.3)  # raw inputs are their own normalization
    kind, text, raw, scaled, _alpha = notice(monkeypatch, X, targets(X), 0.5)
    assert raw["steps"] == scaled["steps"]
    assert kind == "info" and "normalizing saves no steps at this α" in text


@pytest.mark.parametrize(
    "steps, alpha, limit, text",
    [(13, 0.7, 1.4, "13 steps"), (None, 0.7, 3.5e-7, "diverges"),
     (None, 0.7, 2e3, "never arrives"), (None, 2e-18, 2e-18, "never arrives")],
)  # fmt: skip
def test_a_paths_legend_says_what_happened(steps, alpha, limit, text):
    assert panel.outcome_text(steps, alpha, limit) == text
