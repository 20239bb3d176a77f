"""The vanishing & exploding page's sentences, straight from core's simulations: each
branch with the numbers that trigger it, and the words checked against those numbers."""

import math

import numpy as np
import pytest

from core.initialization import METHODS, UNIFORM_NAMES
from core.propagation import depth_trend, simulate_random_network
from panels import vanishing_exploding as panel


def simulate(activation, method, scale=1.0, depth=50, width=256, dtype="float64"):
    """The simulation the page makes for these controls (seed 0, uniform weights)."""
    rng = np.random.default_rng(0)
    return simulate_random_network(depth, width, activation, method, rng, scale, dtype=dtype)


def test_tanh_with_large_weights_saturates_yet_the_notice_says_the_gradient_explodes():
    # Before: "…sit on tanh's flat part, where g′ ≈ 0 lets almost no gradient through"
    # beside "dA[1] is 10³⁷ times dA[50]".
    net = simulate("tanh", "random", 10.0)
    ratio = net.dA_rms[0] / net.dA_rms[-1]
    assert ratio > 1e20 and net.saturated_fraction.max() > 0.5
    level, text = panel.notice(net)
    assert level == "warning"
    assert f"$10^{{{np.log10(ratio):.0f}}}$ times dA[50]: the gradient explodes" in text
    assert "yet the gradient explodes" in text and "chaotic phase of tanh" in text
    assert "lets almost no gradient through" not in text


@pytest.mark.parametrize(
    ("verdict", "said", "unsaid"),
    [
        ("vanishes", "g′ ≈ 0 lets almost no gradient through", "yet"),
        ("explodes", "yet the gradient explodes", "lets almost no"),
        ("keeps", "yet the gradient keeps its scale", "lets almost no"),
    ],
)
def test_the_saturation_clause_follows_the_measured_gradient(verdict, said, unsaid):
    text = panel.saturation_clause("tanh", 0.85, 36, verdict)
    assert text.startswith("85% of layer 36's units sit on tanh's flat part")
    assert said in text and unsaid not in text


@pytest.mark.parametrize(
    ("activation", "method", "forward", "back"),
    [
        ("relu", "he", "keeps", "keeps"),  # the default
        ("tanh", "xavier", "vanishes", "vanishes"),  # slowly (a power of l)
        ("tanh", "he", "keeps", "explodes"),  # fine forward, chaotic backward
        ("relu", "xavier", "vanishes", "vanishes"),  # ×√½ per layer
    ],
)
def test_the_notice_names_the_verdict_of_the_one_rule_forward_and_back(
    activation, method, forward, back
):
    net = simulate(activation, method)
    f, b = depth_trend(net.Z_rms), depth_trend(net.dA_rms[::-1])
    assert (f.verdict, b.verdict) == (forward, back)
    level, text = panel.notice(net)
    assert (
        f"Z[50] is {panel.times(f.ratio)} Z[1]: the signal {panel.VERDICT_WORDS[forward]}" in text
    )
    assert (
        f"dA[1] is {panel.times(b.ratio)} dA[50]: the gradient {panel.VERDICT_WORDS[back]}" in text
    )
    assert level == ("success" if forward == back == "keeps" else "warning")
    assert ("keeps both within ×2" in text) is (level == "success")


def test_tanh_with_xavier_is_called_slow_not_exponential_with_both_figures():
    net = simulate("tanh", "xavier", depth=200)
    trend = depth_trend(net.Z_rms)
    assert trend.exponential is False and trend.last > 2 * trend.extrapolated
    text = panel.notice(net)[1]
    assert "The signal fades slowly, not exponentially" in text
    assert f"would reach {trend.extrapolated:.2g} by layer 200" in text
    assert f"the simulation gives {trend.last:.2g}" in text


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (1 / np.sqrt(np.arange(1, 31)), "fades slowly, not exponentially"),
        (np.exp(-0.01 * np.arange(30) ** 2), "fades faster and faster"),
        (np.sqrt(np.arange(1, 31)) * 3, "grows slowly, not exponentially"),
        (np.exp(0.01 * np.arange(30) ** 2), "grows faster and faster"),
        (0.5 ** np.arange(30), ""),  # exponential: nothing to add
        (np.ones(30), ""),  # keeps its scale
    ],
)
def test_the_slow_clause_says_which_way_the_rate_drifts(values, expected):
    trend = depth_trend(values)
    text = panel.slow_clause(trend, "The signal", 30)
    assert (expected in text) if expected else text == ""
    if expected:
        slower = abs(math.log(trend.last / trend.first)) < abs(
            math.log(trend.extrapolated / trend.first)
        )
        assert ("slowly" in text) is slower


def test_a_narrow_he_network_drifts_and_the_notice_blames_the_finite_width_not_the_rate():
    net = simulate("relu", "he", depth=100, width=16)
    assert depth_trend(net.Z_rms).verdict == "vanishes"
    assert depth_trend(net.Z_rms_theory).verdict == "keeps"
    text = panel.notice(net)[1]
    assert "The theory (dashed) keeps its scale: with n = 16" in text
    assert "not exponentially" not in text and "not at a steady rate" not in text


def test_a_float32_gradient_overflow_counts_as_exploding():
    net = simulate("tanh", "random", 10.0, dtype="float32")
    assert net.forward_nonfinite_layer is None and net.backward_nonfinite_layer is not None
    back = panel.backward(net)
    assert back.verdict == "explodes" and back.trend is None
    assert f"past float32 at layer {net.backward_nonfinite_layer}" in back.text
    assert "yet the gradient explodes" in panel.notice(net)[1]


@pytest.mark.parametrize("method", METHODS)
def test_the_caption_names_the_uniform_draw_the_simulation_makes(method):
    caption = panel.method_caption(method)
    assert caption.startswith("He √(2/n[l−1]) for ReLU; Xavier √(1/n[l−1]) for tanh")
    if method == "zeros":
        assert "nothing is drawn" in caption
        return
    assert simulate("relu", method, depth=2, width=16).distribution == "uniform"
    pytorch, keras = UNIFORM_NAMES[method]
    assert "U(−√3σ, √3σ)" in caption and pytorch in caption and keras in caption
    assert "normal_" not in caption and "he_normal" not in caption  # before: kaiming_normal_
