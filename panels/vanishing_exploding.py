"""The vanishing & exploding gradients page's controls, its cached simulation and its sentences.

Two parts, as on the page: the lecture's deep linear network W[l] = a·I (its key number,
two sliders and four presets), then random networks (depth, width, activation,
initialization, scale, arithmetic and seed), simulated once per setting. The sentences
and chart verdicts judge by core's one rule (``scale_verdict``, ``depth_trend``).
"""

import math
from typing import NamedTuple

import numpy as np
import streamlit as st

from charts.vanishing_exploding import power_of_ten
from core.activations import ACTIVATIONS, LEAKY_RELU_SLOPE
from core.initialization import METHOD_NAMES, METHODS, PAIRINGS, UNIFORM_NAMES, init_std
from core.propagation import (
    DTYPES,
    MAX_LINEAR_DEPTH,
    MAX_SIMULATED_DEPTH,
    MAX_SIMULATED_WIDTH,
    SCALE_TOLERANCE,
    DeepLinearSignal,
    DepthTrend,
    RandomNetworkSignals,
    deep_linear_signal,
    depth_trend,
    gradient_variance_gain,
    simulate_random_network,
)
from ui.heavy import compute
from ui.presentation import secondary

PRESETS = {"1.5·I, 10 layers": (1.5, 10), "0.5·I, 10 layers": (0.5, 10)}
PRESETS |= {"1.5·I, 2000 layers": (1.5, 2000), "0.5·I, 2000 layers": (0.5, 2000)}
MAX_L = 2000  # the L slider's end (core goes to MAX_LINEAR_DEPTH)
SCALES = (0.01, 0.1, 0.5, 0.8, 0.9, 1.0, 1.1, 1.2, 1.5, 2.0, 5.0, 10.0)
# Every control's starting value, by widget key: the widgets and the walkthrough read it.
DEFAULTS = {
    "ve_a": 1.5, "ve_L": 10, "ve_depth": 50, "ve_width": 256, "ve_scale": 1.0,
    "ve_g": ACTIVATIONS[1], "ve_init": "he", "ve_dtype": "float64", "ve_seed": 0,
}  # fmt: skip


class Network(NamedTuple):
    """A random network as the controls set it (the arguments of ``simulate``)."""

    depth: int
    width: int
    activation: str
    method: str
    scale: float
    dtype: str
    seed: int


# ---------------------------------------------------------------- the deep linear network


def _use_preset(a: float, L: int) -> None:
    st.session_state["ve_a"], st.session_state["ve_L"] = a, L


def linear_controls() -> tuple[float, int]:
    """a and L, then the four presets side by side, wrapping where they do not fit."""
    a = st.slider(
        "a, the diagonal of W[l] = a·I",
        0.5,
        2.0,  # as far above 1 as 0.5 is below it, by factors; the lecture's 1.5 inside
        DEFAULTS["ve_a"],
        0.01,
        key="ve_a",
        bind="query-params",
        help="Each hidden layer multiplies the signal by a.",
    )
    L = st.slider(
        "L, the number of layers",
        2,
        MAX_L,
        DEFAULTS["ve_L"],
        key="ve_L",
        bind="query-params",
        help="The output layer W[L] reads out one unit.",
    )
    with st.container(horizontal=True):
        for label, setting in PRESETS.items():
            st.button(label, on_click=_use_preset, args=setting)
    return a, L


def linear_latex(signal: DeepLinearSignal) -> str:
    """ŷ = a^(L−1) · x with this a and L, and its value on a line of its own."""
    a, L = signal.a, signal.L
    return (
        rf"\begin{{aligned}} \hat y &= {a:g}^{{{L - 1}}} \cdot x \\ "
        rf"&\approx {power_of_ten(signal.log10_y_hat)} \cdot x \end{{aligned}}"
    )


def _float_range(dtype: str) -> str:
    # "1.40 × 10⁻⁴⁵ to 3.40 × 10³⁸": the smallest subnormal and the largest finite number
    info = np.finfo(dtype)
    low, high = (math.log10(v) for v in (info.smallest_subnormal, info.max))
    return f"{power_of_ten(low, latex=False)} to {power_of_ten(high, latex=False)}"


HEADLINE_HELP = (
    "inf: past the largest number, overflow. Subnormal: below the smallest normal number, "
    "with fewer significant bits. 0: underflow. float32 gives out first: it holds "
    f"{_float_range('float32')}, float64 {_float_range('float64')}."
)


class Headline(NamedTuple):
    """The deep linear network's key figure: ``label`` and ``value`` read as one sentence
    ("float32 overflows to inf at" "layer 219"), ``detail`` says the rest."""

    label: str
    value: str
    detail: str


def _float64_clause(signal: DeepLinearSignal) -> str:
    """Where float64 gives out within the L layers, or that it holds them all."""
    limits, L = signal.limits["float64"], signal.L
    if limits.overflow_layer is not None:
        return f"float64 overflows at layer {limits.overflow_layer}."
    if limits.underflow_layer is not None:
        return f"float64 underflows to 0 at layer {limits.underflow_layer}."
    if limits.subnormal_layer is not None:
        return f"float64 turns subnormal at layer {limits.subnormal_layer}."
    return f"float64 holds all {L} layers."


def headline(signal: DeepLinearSignal) -> Headline:
    """Where float32, which gives out first, leaves its range within these L layers:
    overflow, underflow (to 0, or only to subnormal numbers), or not at all."""
    a, L, limits = signal.a, signal.L, signal.limits["float32"]
    each = f"Each layer multiplies the signal by {a:g}."
    if limits.overflow_layer is not None:
        return Headline(
            "float32 overflows to inf at",
            f"layer {limits.overflow_layer}",
            f"{each} {_float64_clause(signal)}",
        )
    if limits.underflow_layer is not None:
        return Headline(
            "float32 underflows to 0 at",
            f"layer {limits.underflow_layer}",
            f"{each} From layer {limits.subnormal_layer} it was subnormal, with fewer "
            f"significant bits. {_float64_clause(signal)}",
        )
    if limits.subnormal_layer is not None:
        far = deep_linear_signal(a, MAX_LINEAR_DEPTH).limits["float32"].underflow_layer
        zero = f", and would round to 0 at layer {far}" if far else ""
        return Headline(
            "float32 turns subnormal at",
            f"layer {limits.subnormal_layer}",
            f"{each} From there on it keeps fewer significant bits{zero}. "
            f"{_float64_clause(signal)}",
        )
    return Headline(f"float32 holds all {L} layers: ŷ ≈", _times_x(signal), _beyond(signal))


def _times_x(signal: DeepLinearSignal) -> str:
    # ŷ as a multiple of x: "38.44 · x", "1.95 × 10⁻³ · x", "x" at a = 1
    if signal.a == 1:
        return "x"
    return f"{power_of_ten(signal.log10_y_hat, latex=False)} · x"


def _beyond(signal: DeepLinearSignal) -> str:
    """Where each float type would give out if the network went on to the deepest L the
    core allows, and whether the L slider reaches it; at a = 1, that it never does."""
    a = signal.a
    if a == 1:
        return f"a = 1 is the knife edge: ŷ = x at any depth. Move a by 0.01 and try L = {MAX_L}."
    far = deep_linear_signal(a, MAX_LINEAR_DEPTH).limits
    kind = "overflow_layer" if a > 1 else "underflow_layer"
    layers = [getattr(far[dtype], kind) for dtype in DTYPES]
    where = [f"at layer {k}" if k else f"only past layer {MAX_LINEAR_DEPTH:,}" for k in layers]
    reach = " Raise L to see it." if layers[0] is not None and layers[0] <= MAX_L else ""
    return (
        f"Each layer multiplies the signal by {a:g}: float32 would "
        f"{'overflow to inf' if a > 1 else 'round to 0'} {where[0]}, float64 {where[1]}.{reach}"
    )


def line_verdict(signal: DeepLinearSignal) -> str:
    """The deep linear network's verdict by the one rule, under its chart's title."""
    return f"{VERDICT_WORDS[signal.verdict]}: ×{signal.a:g} per layer"


LINEAR_DESCRIPTION = (
    "Line of |A[l]| = a^l · x against the layer l, in powers of ten, with the ranges "
    "float32 and float64 cannot hold shaded (overflow to inf above, subnormal numbers and "
    "zero below). Where the line crosses a limit, a dashed rule marks the layer and a row of "
    "text in the corner the line leaves empty names it; the line's verdict, explodes, "
    "vanishes or keeps its scale, is written under the title."
)


# ---------------------------------------------------------------- random networks


def _method_label(method: str) -> str:
    """The course's name and, where it differs, the one PyTorch and Keras use."""
    names = METHOD_NAMES[method]
    elsewhere = names.pytorch.split(":")[0]
    return f"{names.course} = {elsewhere}" if ":" in names.pytorch else names.course


def network_controls() -> Network:
    """Two rows of controls and a caption naming the chosen initialization elsewhere."""
    row = st.columns([2, 2, 3])
    depth = row[0].slider(
        "Depth L (layers)",
        2,
        MAX_SIMULATED_DEPTH,
        DEFAULTS["ve_depth"],
        key="ve_depth",
        bind="query-params",
    )
    width = row[1].slider(
        "Width n (units per layer)",
        16,
        MAX_SIMULATED_WIDTH,
        DEFAULTS["ve_width"],
        16,
        key="ve_width",
        bind="query-params",
    )
    scale = row[2].select_slider(
        "σ multiplier (scale)",
        SCALES,
        DEFAULTS["ve_scale"],
        key="ve_scale",
        bind="query-params",
        help="Multiplies every weight's standard deviation σ, so the "
        "variance by its square. For 'random' it is σ itself: the course's ×0.01 and ×10.",
    )
    row = st.columns([2, 5, 2, 1])
    activation = row[0].selectbox(
        "Activation g",
        ACTIVATIONS,
        ACTIVATIONS.index(DEFAULTS["ve_g"]),
        key="ve_g",
        bind="query-params",
    )
    method = row[1].selectbox(
        "Initialization",
        METHODS,
        METHODS.index(DEFAULTS["ve_init"]),
        key="ve_init",
        bind="query-params",
        format_func=_method_label,
    )
    dtype = row[2].segmented_control(
        "Arithmetic",
        DTYPES,
        default=DEFAULTS["ve_dtype"],
        required=True,
        key="ve_dtype",
        bind="query-params",
    )
    seed = secondary(row[3]).number_input(
        "Seed", 0, 9999, DEFAULTS["ve_seed"], key="ve_seed", bind="query-params"
    )
    st.caption(method_caption(method))
    return Network(depth, width, activation, method, scale, dtype, seed)


def method_caption(method: str) -> str:
    """The lecture's pairings, then the chosen method's formula and the names of what the
    simulation draws: the uniform with the same σ (cheaper; the theory needs only Var(W))."""
    formula = METHOD_NAMES[method].formula
    if method == "zeros":
        return f"{PAIRINGS}  \n{formula}: nothing is drawn."
    pytorch, keras = UNIFORM_NAMES[method]
    return (
        f"{PAIRINGS}  \n{formula}, drawn here from the uniform U(−√3σ, √3σ), which has the "
        f"same σ (the normal costs twice the time; the theory needs only Var(W)): "
        f"PyTorch {pytorch}, Keras {keras}."
    )


@st.cache_data(max_entries=32, show_spinner="Pushing a batch through the network and back…")
def simulate(network: Network) -> RandomNetworkSignals:
    """The simulation of ``network``, seeded by its own seed (core refuses what it cannot do)."""
    depth, width, activation, method, scale, dtype, seed = network
    rng = np.random.default_rng(seed)
    return compute(
        simulate_random_network, depth, width, activation, method, rng, scale, dtype=dtype
    )


def _number(value: float) -> str:
    """LaTeX for a non-negative number: 0.0884, 2, 1.28 × 10^4."""
    return power_of_ten(math.log10(value)) if value > 0 else "0"


def variance_latex(net: RandomNetworkSignals) -> tuple[str, str]:
    """σ_w² and χ with this network's numbers: χ at layer 1 and at layer L, from the
    theory's q there (left out where q passes float64)."""
    sigma = init_std(net.method, net.width, net.width, net.scale)
    with np.errstate(over="ignore"):  # q[L] of an exploding ReLU network passes float64
        q = {1: net.Z_rms_theory[0] ** 2, net.depth: net.Z_rms_theory[-1] ** 2}
    chi = {
        l: gradient_variance_gain(net.activation, net.sigma_w2, v)
        for l, v in q.items()
        if v < np.inf
    }
    sigma_w2 = (
        rf"\begin{{aligned}} \sigma_w^2 &= n\,\sigma^2 = {net.width} \cdot "
        rf"\left({_number(sigma)}\right)^2 \\ &= {_number(net.sigma_w2)} \end{{aligned}}"
    )
    gains = r" \\ ".join(rf"\chi^{{[{l}]}} &= {_number(v)}" for l, v in chi.items())
    return sigma_w2, rf"\begin{{aligned}} {gains} \end{{aligned}}"


def times(ratio: float) -> str:
    """A ratio of two magnitudes in words: "0.244 times", "$10^{7}$ times"."""
    if 0.01 <= ratio < 100:
        return f"{ratio:.3g} times"
    return "$10^{" + ("∞" if ratio == math.inf else f"{math.log10(ratio):.0f}") + "}$ times"


VERDICT_WORDS = {"keeps": "keeps its scale", "vanishes": "vanishes", "explodes": "explodes"}


class Backward(NamedTuple):
    """The gradient's way back from layer L to layer 1, as the one rule judges it."""

    verdict: str  # "keeps", "vanishes" or "explodes" (core.propagation.depth_trend)
    text: str  # "dA[1] is 0.244 times dA[30]: the gradient vanishes."
    trend: DepthTrend | None  # None when the gradient overflowed or became exactly 0


def backward(net: RandomNetworkSignals) -> Backward:
    """The measured backward ratio dA[1] / dA[L] and its verdict (overflow counts as
    exploding, an exact 0 as vanishing)."""
    L, dA = net.depth, net.dA_rms
    if np.all(np.isfinite(dA)) and np.all(dA > 0):
        trend = depth_trend(dA[::-1])
        words = VERDICT_WORDS[trend.verdict]
        return Backward(
            trend.verdict, f"dA[1] is {times(trend.ratio)} dA[{L}]: the gradient {words}.", trend
        )
    if not np.all(np.isfinite(dA)):
        k = net.backward_nonfinite_layer
        return Backward("explodes", f"the gradient explodes past {net.dtype} at layer {k}.", None)
    k = net.backward_zero_layer
    return Backward("vanishes", f"the gradient vanishes: dA[{k}] is exactly 0.", None)


def saturation_clause(activation: str, fraction: float, layer: int, verdict: str) -> str:
    """Saturated units, and what the measured gradient did: saturation stops it only
    when it vanishes; with weights large enough to saturate tanh it explodes (chaos)."""
    where = f"{fraction:.0%} of layer {layer}'s units sit on {activation}'s flat part"
    if verdict == "vanishes":
        return f"{where}, where g′ ≈ 0 lets almost no gradient through."
    if verdict == "explodes":
        return (
            f"{where}, yet the gradient explodes: the units off the flat part pass it back "
            f"through weights this large, the chaotic phase of {activation}."
        )
    return f"{where}, yet the gradient keeps its scale."


def slow_clause(trend: DepthTrend | None, what: str, last_layer: int) -> str:
    """For a change that is not exponential: where the rate of the first half of the
    layers would have taken ``what`` by the last layer, against the measured value."""
    if trend is None or trend.verdict == "keeps" or trend.exponential is not False:
        return ""
    change = "fades" if trend.verdict == "vanishes" else "grows"
    # slower: the measured change is smaller than the first half's rate predicts
    slower = abs(math.log(trend.ratio)) < abs(math.log(trend.extrapolated / trend.first))
    pace = "slowly, not exponentially" if slower else "faster and faster, not at a steady rate"
    return (
        f" {what} {change} {pace}: at the rate of its first {trend.steps // 2} layers it "
        f"would reach {trend.extrapolated:.2g} by layer {last_layer}; the simulation gives "
        f"{trend.last:.2g}."
    )


def theory_clause(measured: DepthTrend | None, theory: np.ndarray, width: int) -> str:
    """When the mean-field theory keeps its scale and the measurement does not."""
    if measured is None or measured.verdict == "keeps" or not np.all(np.isfinite(theory)):
        return ""
    if depth_trend(theory).verdict != "keeps":
        return ""
    return (
        f" The theory (dashed) keeps its scale: with n = {width}, a layer's random weights "
        "make the measured signal drift."
    )


def pass_verdicts(net: RandomNetworkSignals) -> tuple[str, str]:
    """What the forward and the backward chart show, in plain text under their titles:
    each pass's verdict by the one rule, or where its numbers broke."""
    if net.forward_nonfinite_layer is not None:
        k = net.forward_nonfinite_layer
        return (
            f"the signal overflows {net.dtype} at layer {k}",
            f"nothing comes back: Z[{k}] overflowed",
        )
    if net.forward_zero_layer is not None:
        forward = f"the signal is exactly 0 from layer {net.forward_zero_layer}"
    else:
        trend = depth_trend(net.Z_rms)
        forward = f"the signal {VERDICT_WORDS[trend.verdict]}: ×{trend.per_layer:#.3g} per layer"
    back = backward(net)
    if back.trend is None:
        k = net.backward_nonfinite_layer or net.backward_zero_layer
        what = f"explodes past {net.dtype}" if back.verdict == "explodes" else "is exactly 0"
        return forward, f"the gradient {what} at layer {k}"
    words = VERDICT_WORDS[back.verdict]
    return forward, f"the gradient {words}: ×{back.trend.per_layer:#.3g} per layer back"


_LINES = "simulated (solid, with points) and from theory (dashed)"
_BREAKS = "red rules mark a layer where the numbers overflowed or became exactly zero"
PASS_DESCRIPTIONS = (
    f"Log-scale lines of the rms of Z[l] against the layer l, {_LINES}; {_BREAKS}. "
    "Under the title: whether the signal keeps its scale, and by how much it changes "
    "per layer.",
    f"Log-scale lines of the rms of dA[l], {_LINES}, and of the Frobenius norm of dW[l], "
    f"against the layer l; {_BREAKS}. Under the title: whether the gradient keeps its "
    "scale on its way back, and by how much it changes per layer.",
)
"""The forward and backward charts' alternative text; their findings are under their
titles, in the chart."""


def histogram_description(activation: str) -> str:
    """The histogram heatmap's alternative text, for this activation."""
    return (
        "Heatmap of the share of the units of A[l] in each value bin (colour, from dark "
        f"purple to yellow), for each layer l. {HISTOGRAM_READING[activation]}"
    )


def notice(net: RandomNetworkSignals) -> tuple[str, str]:
    """(level, text): what to notice in this simulation, from its numbers; level names the
    Streamlit call that shows it (success, warning, error)."""
    L, g, k = net.depth, net.activation, net.forward_nonfinite_layer or net.forward_zero_layer
    if net.method == "zeros":
        return "warning", (
            "With zero weights every Z[l] is exactly 0: all units compute the same value and "
            "dW[l] is 0 below the last layer, so gradient descent cannot break the symmetry."
        )
    if net.forward_nonfinite_layer is not None:
        return "error", (
            f"{net.dtype} overflowed at layer {k}: Z[{k}] holds inf or NaN, so every later "
            "layer and every gradient is lost. The charts stop there; try float64 or a smaller "
            "scale."
        )
    if net.forward_zero_layer is not None:
        return "warning", (
            f"The signal vanished: from layer {k} on, Z[l] is exactly 0 in {net.dtype}, so the "
            "later layers see nothing and the earlier ones get no gradient."
        )
    forward, back = depth_trend(net.Z_rms), backward(net)
    text = (
        f"Forward, the spread of Z changes by ×{forward.per_layer:.3f} per layer, so "
        f"Z[{L}] is {times(forward.ratio)} Z[1]: the signal {VERDICT_WORDS[forward.verdict]}. "
        f"Backward, {back.text}"
    )
    worst = int(np.argmax(net.saturated_fraction))
    if g in ("tanh", "sigmoid") and net.saturated_fraction[worst] > 0.1:
        fraction = net.saturated_fraction[worst]
        text += " " + saturation_clause(g, fraction, worst + 1, back.verdict)
    # Where the theory keeps its scale, the measured change is drift: no rate to read.
    text += (
        theory_clause(forward, net.Z_rms_theory, net.width)
        or theory_clause(back.trend, net.dA_rms_theory[::-1], net.width)
        or slow_clause(forward, "The signal", L) + slow_clause(back.trend, "The gradient", 1)
    )
    if forward.verdict != "keeps" or back.verdict != "keeps":
        return "warning", text
    name = METHOD_NAMES[net.method].course
    return (
        "success",
        f"{name} with {g} keeps both within ×{SCALE_TOLERANCE:g} across {L} layers. " + text,
    )


# What the histogram of each activation shows, in a sentence.
HISTOGRAM_READING = {
    "linear": "A linear network only rescales its input: each column keeps the bell shape of "
    "Z, narrower or wider as the signal fades or grows.",
    "relu": "ReLU puts about half the units at 0 in every layer; a collapsed signal puts all "
    "of them there.",
    "leaky_relu": f"Leaky ReLU multiplies the negative half by {LEAKY_RELU_SLOPE:g}, which "
    "gathers it in the bin holding 0: about half the units land there, as with ReLU; a "
    "collapsed signal puts all of them there.",
    "tanh": "Bright bands at −1 and 1 are saturated units, where tanh′ is nearly 0 and the "
    "gradient stops; a collapsed signal gathers at 0.",
    "sigmoid": "Bright bands at 0 and 1 are saturated units, where σ′ is nearly 0 and the "
    "gradient stops; σ(0) = 0.5, so a collapsed signal gathers there.",
}


def histogram_caption(net: RandomNetworkSignals) -> str:
    """How to read the histogram: its bins, and what the chosen activation looks like."""
    edges, bins = net.bin_edges, net.reachable_bins
    low, high = (f"{edge:g}".replace("-", "−") for edge in (edges[0], edges[-1]))
    first = low if bins.start == 0 else "the one holding 0"
    kept = "" if bins.start == 0 else " (ReLU's bins wholly below 0 are left out: A ≥ 0)"
    return (
        f"{len(bins)} bins from {first} to {high}{kept}; values beyond them are "
        f"counted in the end bins. {HISTOGRAM_READING[net.activation]}"
    )
