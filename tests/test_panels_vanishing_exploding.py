"""The vanishing & exploding page's sentences, straight from core's results: each branch
with the numbers that trigger it, and the words checked against those numbers."""

import math
import re

import numpy as np
import pytest

from charts import vanishing_exploding as charts
from core.initialization import METHODS, UNIFORM_NAMES
from core.propagation import (
    MAX_LINEAR_DEPTH,
    deep_linear_signal,
    depth_trend,
    simulate_random_network,
)
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
    _, chart_verdict = panel.pass_verdicts(net)
    assert chart_verdict == (
        f"the gradient explodes past float32 at layer {net.backward_nonfinite_layer}"
    )


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


# ---------------------------------------------------------------- the hero's key number


@pytest.mark.parametrize(
    ("a", "L", "label", "limit"),
    [
        (1.5, 2000, "float32 overflows to inf at", "overflow_layer"),  # 219
        (1.5, 230, "float32 overflows to inf at", "overflow_layer"),
        (0.5, 2000, "float32 underflows to 0 at", "underflow_layer"),  # 150
        (0.5, 140, "float32 turns subnormal at", "subnormal_layer"),  # 127, 0 only at 150
    ],
)
def test_the_headline_names_where_float32_gives_out(a, L, label, limit):
    signal = deep_linear_signal(a, L)
    headline = panel.headline(signal)
    assert headline.label == label
    assert headline.value == f"layer {getattr(signal.limits['float32'], limit)}"
    assert headline.detail.startswith(f"Each layer multiplies the signal by {a:g}.")


def test_float32_underflow_says_where_it_turned_subnormal_first():
    limits = deep_linear_signal(0.5, 2000).limits["float32"]
    detail = panel.headline(deep_linear_signal(0.5, 2000)).detail
    assert limits.subnormal_layer < limits.underflow_layer
    assert f"From layer {limits.subnormal_layer} it was subnormal" in detail


def test_float32_only_subnormal_says_where_it_would_round_to_zero():
    far = deep_linear_signal(0.5, MAX_LINEAR_DEPTH).limits["float32"].underflow_layer
    detail = panel.headline(deep_linear_signal(0.5, 140)).detail
    assert f"would round to 0 at layer {far}" in detail and far > 140


@pytest.mark.parametrize(
    ("a", "L", "clause"),
    [
        (1.5, 2000, "float64 overflows at layer {overflow_layer}."),
        (0.5, 2000, "float64 underflows to 0 at layer {underflow_layer}."),
        (0.5, 1050, "float64 turns subnormal at layer {subnormal_layer}."),  # 1023; 0 at 1075
        (1.5, 230, "float64 holds all 230 layers."),
    ],
)
def test_the_headline_adds_where_float64_gives_out_or_that_it_holds(a, L, clause):
    signal = deep_linear_signal(a, L)
    limits = signal.limits["float64"]
    expected = clause.format(**vars(limits))
    assert panel.headline(signal).detail.endswith(expected)


def test_a_representable_signal_shows_y_hat_and_where_the_slider_would_reach_the_limit():
    signal = deep_linear_signal(1.5, 10)
    far = deep_linear_signal(1.5, MAX_LINEAR_DEPTH).limits
    headline = panel.headline(signal)
    assert (headline.label, headline.value) == ("float32 holds all 10 layers: ŷ ≈", "38.44 · x")
    assert f"overflow to inf at layer {far['float32'].overflow_layer}" in headline.detail
    assert f"float64 at layer {far['float64'].overflow_layer}" in headline.detail
    assert far["float32"].overflow_layer <= panel.MAX_L and "Raise L" in headline.detail


def test_a_limit_past_the_deepest_network_is_said_to_lie_beyond_it_with_no_call_to_raise_l():
    signal = deep_linear_signal(0.99, 2000)  # 0.99ˡ rounds to 0 in float32 past l ≈ 10,300
    assert signal.limits["float32"].subnormal_layer is None
    headline = panel.headline(signal)
    assert headline.value == f"{charts.power_of_ten(signal.log10_y_hat, latex=False)} · x"
    assert "×" in headline.value and "10⁻⁹" in headline.value  # 0.99¹⁹⁹⁹ ≈ 1.88e-9
    assert deep_linear_signal(0.99, MAX_LINEAR_DEPTH).limits["float32"].underflow_layer is None
    assert "round to 0 only past layer 10,000, float64 only past layer 10,000" in headline.detail
    assert "Raise L" not in headline.detail


def test_a_limit_the_slider_cannot_reach_gets_no_call_to_raise_l():
    far = deep_linear_signal(1.01, MAX_LINEAR_DEPTH).limits["float32"].overflow_layer
    assert panel.MAX_L < far <= MAX_LINEAR_DEPTH
    detail = panel.headline(deep_linear_signal(1.01, 2000)).detail
    assert f"at layer {far}" in detail and "Raise L" not in detail


def test_a_equal_to_one_is_the_knife_edge_at_any_depth():
    headline = panel.headline(deep_linear_signal(1.0, 2000))
    assert (headline.label, headline.value) == ("float32 holds all 2000 layers: ŷ ≈", "x")
    assert headline.detail.startswith("a = 1 is the knife edge")


@pytest.mark.parametrize(
    ("a", "L", "verdict"),
    [(1.5, 10, "explodes"), (0.5, 10, "vanishes"), (1.05, 10, "keeps"), (1.0, 2000, "keeps")],
)
def test_the_line_s_verdict_is_the_one_rule_on_y_hat_over_x(a, L, verdict):
    signal = deep_linear_signal(a, L)
    assert signal.verdict == verdict  # 1.05⁹ ≈ 1.55 is within ×2
    assert panel.line_verdict(signal) == f"{panel.VERDICT_WORDS[verdict]}: ×{a:g} per layer"


def test_the_help_gives_each_float_s_range_from_numpy():
    assert "1.40 × 10⁻⁴⁵ to 3.40 × 10³⁸" in panel.HEADLINE_HELP  # float32
    assert "4.94 × 10⁻³²⁴ to 1.80 × 10³⁰⁸" in panel.HEADLINE_HELP  # float64
    assert np.finfo("float32").max == pytest.approx(3.40e38, rel=1e-3)


# ---------------------------------------------------------------- the random networks' charts


def test_the_pass_verdicts_follow_the_one_rule_forward_and_back():
    net = simulate("tanh", "he", width=64)  # fine forward, chaotic backward
    forward, back = panel.pass_verdicts(net)
    f, b = depth_trend(net.Z_rms), depth_trend(net.dA_rms[::-1])
    assert forward == f"the signal keeps its scale: ×{f.per_layer:#.3g} per layer"
    assert back == f"the gradient explodes: ×{b.per_layer:#.3g} per layer back"


def test_the_pass_verdicts_name_a_forward_overflow_and_that_nothing_came_back():
    net = simulate("relu", "random", 10.0, depth=40, width=32, dtype="float32")
    k = net.forward_nonfinite_layer
    assert k is not None
    assert panel.pass_verdicts(net) == (
        f"the signal overflows float32 at layer {k}",
        f"nothing comes back: Z[{k}] overflowed",
    )


def test_the_pass_verdicts_name_exact_zeros_both_ways():
    net = simulate("relu", "zeros", depth=10, width=32)
    assert net.forward_zero_layer == 1 and net.backward_zero_layer is not None
    assert panel.pass_verdicts(net) == (
        "the signal is exactly 0 from layer 1",
        f"the gradient is exactly 0 at layer {net.backward_zero_layer}",
    )


@pytest.mark.parametrize("activation", list(panel.HISTOGRAM_READING))
def test_the_histogram_description_reads_the_activation_and_carries_no_setting(activation):
    text = panel.histogram_description(activation)
    assert text.startswith("Heatmap of the share of the units of A[l] in each value bin")
    assert text.endswith(panel.HISTOGRAM_READING[activation])


def test_the_descriptions_say_what_the_charts_show_without_the_current_numbers():
    # The numbers are on the page: the headline, and each chart's finding under its title.
    # A description that carried them would change the spec, and rebuild the chart, on
    # every move (tests/test_steady_charts.py).
    forward, backward = panel.PASS_DESCRIPTIONS
    assert "rms of Z[l]" in forward and "dW[l]" in backward
    for text in (panel.LINEAR_DESCRIPTION, forward, backward):
        assert "under the title" in text.lower()
        assert not re.search(r"\d", re.sub("float(32|64)", "", text))


def test_the_live_formulas_are_broken_over_lines_for_a_phone():
    net = simulate("relu", "he", depth=5, width=32)
    sigma_w2, chi = panel.variance_latex(net)
    assert r"\\ &= 2" in sigma_w2 and sigma_w2.startswith(r"\begin{aligned}")
    assert chi.count(r"\chi^{[") == 2 and r"\\" in chi and r"\chi^{[5]}" in chi
    live = panel.linear_latex(deep_linear_signal(1.5, 2000))
    assert r"1.5^{1999} \cdot x \\ &\approx 1.01 \times 10^{352} \cdot x" in live
