"""Vanishing & exploding gradients: the lecture's deep linear network, then random networks."""

import math

import numpy as np
import streamlit as st

from charts import vanishing_exploding as charts
from charts.vanishing_exploding import power_of_ten
from core.activations import ACTIVATIONS
from core.initialization import METHOD_NAMES, METHODS, init_std
from core.propagation import (
    DTYPES,
    MAX_LINEAR_DEPTH,
    MAX_SIMULATED_DEPTH,
    MAX_SIMULATED_WIDTH,
    deep_linear_signal,
    gradient_variance_gain,
    simulate_random_network,
)
from ui.charts import show
from ui.entry import run_inside_app
from ui.links import SharedLink
from ui.presentation import secondary

run_inside_app()
st.title("Vanishing & exploding gradients")
link = SharedLink()
st.write(
    "A deep network multiplies its input by one weight matrix after another. If each "
    "product scales the signal by a little more than 1, the result grows exponentially "
    "with depth; a little less, and it fades to nothing. The gradients suffer the same on "
    "their way back, and past some depth the numbers no longer fit in a float at all."
)

PRESETS = {"1.5·I, 10 layers": (1.5, 10), "0.5·I, 10 layers": (0.5, 10)}
PRESETS |= {"1.5·I, 2000 layers": (1.5, 2000), "0.5·I, 2000 layers": (0.5, 2000)}
SCALES = (0.01, 0.1, 0.5, 0.8, 0.9, 1.0, 1.1, 1.2, 1.5, 2.0, 5.0, 10.0)


def use_preset(a: float, L: int) -> None:
    st.session_state["ve_a"], st.session_state["ve_L"] = a, L


def linear_controls() -> tuple[float, int]:
    for column, (label, setting) in zip(st.columns(4), PRESETS.items(), strict=True):
        column.button(label, on_click=use_preset, args=setting, width="stretch")
    left, right = st.columns(2)
    a = left.slider(
        "a, the diagonal of W[l] = a·I",
        0.5,
        1.5,
        1.5,
        0.01,
        key="ve_a",
        bind="query-params",
        help="Each hidden layer multiplies the signal by a.",
    )
    L = right.slider(
        "L, the number of layers",
        2,
        2000,
        10,
        key="ve_L",
        bind="query-params",
        help="The output layer W[L] reads out one unit.",
    )
    return a, L


def number(value: float) -> str:
    """LaTeX for a non-negative number: 0.0884, 2, 1.28 × 10^4."""
    return power_of_ten(math.log10(value)) if value > 0 else "0"


def gives_out(limits) -> str:
    for what, layer in (("inf", limits.overflow_layer), ("0", limits.underflow_layer)):
        if layer is not None:
            return f"{what} from layer {layer}"
    if limits.subnormal_layer is not None:
        return f"subnormal from layer {limits.subnormal_layer}"
    return "holds every layer"


def method_label(method: str) -> str:
    """The course's name and, where it differs, PyTorch's and Keras'net."""
    names = METHOD_NAMES[method]
    elsewhere = names.pytorch.split(":")[0]
    return f"{names.course} = {elsewhere}" if ":" in names.pytorch else names.course


def network_controls() -> tuple[int, int, str, str, float, str, int]:
    row = st.columns([2, 2, 3])
    depth = row[0].slider(
        "Depth L (layers)", 2, MAX_SIMULATED_DEPTH, 50, key="ve_depth", bind="query-params"
    )
    width = row[1].slider(
        "Width n (units per layer)",
        16,
        MAX_SIMULATED_WIDTH,
        256,
        16,
        key="ve_width",
        bind="query-params",
    )
    scale = row[2].select_slider(
        "σ multiplier (scale)",
        SCALES,
        1.0,
        key="ve_scale",
        bind="query-params",
        help="Multiplies every weight's standard deviation σ, so the "
        "variance by its square. For 'random' it is σ itself: the course's ×0.01 and ×10.",
    )
    row = st.columns([2, 5, 2, 1])
    activation = row[0].selectbox("Activation g", ACTIVATIONS, 1, key="ve_g", bind="query-params")
    method = row[1].selectbox(
        "Initialization",
        METHODS,
        METHODS.index("he"),
        key="ve_init",
        bind="query-params",
        format_func=method_label,
    )
    dtype = row[2].segmented_control(
        "Arithmetic", DTYPES, default="float64", required=True, key="ve_dtype", bind="query-params"
    )
    seed = secondary(row[3]).number_input("Seed", 0, 9999, 0, key="ve_seed", bind="query-params")
    names = METHOD_NAMES[method]
    st.caption(f"{names.formula}  ·  PyTorch: {names.pytorch}  ·  Keras: {names.keras}")
    return depth, width, activation, method, scale, dtype, seed


@st.cache_data(max_entries=32, show_spinner="Pushing a batch through the network and back…")
def simulate(depth, width, activation, method, scale, dtype, seed):
    rng = np.random.default_rng(seed)
    return simulate_random_network(depth, width, activation, method, rng, scale, dtype=dtype)


def times(ratio: float) -> str:
    return (
        f"{ratio:.3g} times" if 0.01 <= ratio < 100 else f"$10^{{{math.log10(ratio):.0f}}}$ times"
    )


def notice(net) -> tuple[str, str]:
    """(level, text): what to notice in this simulation (RandomNetworkSignals), from its numbers."""
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
    forward, backward = net.Z_rms[-1] / net.Z_rms[0], net.dA_rms[0] / net.dA_rms[-1]
    text = (
        f"Forward, the spread of Z changes by ×{forward ** (1 / (L - 1)):.3f} per layer, so "
        f"Z[{L}] is {times(forward)} Z[1]. Backward, dA[1] is {times(backward)} dA[{L}]."
    )
    worst = int(np.argmax(net.saturated_fraction))
    if g in ("tanh", "sigmoid") and net.saturated_fraction[worst] > 0.1:
        text += (
            f" {net.saturated_fraction[worst]:.0%} of layer {worst + 1}'s units sit on {g}'s "
            "flat part, where g′ ≈ 0 lets almost no gradient through."
        )
    if max(forward, 1 / forward, backward, 1 / backward) > 2:
        return "warning", text
    name = METHOD_NAMES[net.method].course
    return "success", f"{name} with {g} keeps both within ×2 across {L} layers. " + text


st.header("The lecture's deep linear network")
a, L = linear_controls()
signal = deep_linear_signal(a, L)
lecture, live = st.columns(2)
lecture.latex(r"\hat y = W^{[L]}\,(a I)^{L-1}\,x = a^{L-1}\,x")
live.latex(
    rf"\hat y = {a:g}^{{{L - 1}}} \cdot x \approx {power_of_ten(signal.log10_y_hat)} \cdot x"
)
for column, dtype in zip(st.columns(2), DTYPES, strict=True):
    column.metric(
        f"{dtype} over these {L} layers",
        gives_out(signal.limits[dtype]),
        help="inf: overflow. subnormal: fewer significant bits. 0: underflow.",
    )
show(charts.linear_depth_chart(*charts.linear_frames(signal)), "deep_linear_network")
far = deep_linear_signal(a, MAX_LINEAR_DEPTH).limits  # where each float type gives out
if a != 1:
    kind = "overflow_layer" if a > 1 else "underflow_layer"
    where = [getattr(far[d], kind) or f"beyond {MAX_LINEAR_DEPTH:,}" for d in DTYPES]
    st.info(
        f"Each layer multiplies the signal by {a:g}, so after {L} layers ŷ is "
        f"${power_of_ten(signal.log10_y_hat)}$ times x: exponential in depth. At this a, "
        f"{'inf' if a > 1 else '0'} arrives at layer {where[0]} in float32, {where[1]} in float64."
    )
else:
    st.info("a = 1 is the knife edge: ŷ = x at any depth. Move a by 0.01 and try L = 2000.")

st.header("Random networks: activations and gradients through depth")
st.write(
    "Real networks draw W[l] at random. Whether a signal survives depth depends on the "
    "weights' variance and the activation; theory (dashed) predicts the simulation (solid)."
)
depth, width, activation, method, scale, dtype, seed = network_controls()
try:
    net = simulate(depth, width, activation, method, scale, dtype, seed)
except ValueError as error:
    st.error(f"Could not simulate this network: {error}")
else:
    sigma = init_std(method, width, width, scale)
    with np.errstate(over="ignore"):  # q[L] of an exploding ReLU network passes float64
        q = {1: net.Z_rms_theory[0] ** 2, depth: net.Z_rms_theory[-1] ** 2}
    chi = {
        l: gradient_variance_gain(activation, net.sigma_w2, v) for l, v in q.items() if v < np.inf
    }
    lecture, live = st.columns(2)
    lecture.latex(r"\operatorname{Var}(W^{[l]}) = \sigma_w^2 / n^{[l-1]}")
    lecture.latex(
        r"\chi = \frac{\operatorname{Var}(dA^{[l-1]})}{\operatorname{Var}(dA^{[l]})} = "
        r"\sigma_w^2\,\mathbb{E}\left[g'(z)^2\right]"
    )
    lecture.caption("σ_w² = 1 is the course's Xavier, 2 is He; χ > 1 explodes, χ < 1 vanishes.")
    live.latex(
        rf"\sigma_w^2 = n\,\sigma^2 = {width} \cdot {number(sigma)}^2 = {number(net.sigma_w2)}"
    )
    live.latex(
        r"\chi = " + r",\ ".join(rf"{number(v)}\ (\text{{layer }} {l})" for l, v in chi.items())
    )
    level, text = notice(net)
    getattr(st, level)(text)
    passes = (
        (charts.forward_frames(net), "Forward: activations", "rms of Z[l] (log scale)"),
        (charts.backward_frames(net), "Backward: gradients", "gradient size (log scale)"),
    )
    for column, (frames, title, y_title) in zip(st.columns(2), passes, strict=True):
        chart = charts.per_layer_chart(*frames, depth=depth, title=title, y_title=y_title)
        show(chart, title.split(":")[0].lower(), column)
    show(
        charts.histogram_chart(
            charts.histogram_frame(net), depth=depth, value_title=f"A[l] = {activation}(Z[l])"
        ),
        "activation_histograms",
    )
    st.caption(
        f"{len(net.bin_edges) - 1} bins from {net.bin_edges[0]:g} to {net.bin_edges[-1]:g}; values "
        "beyond them are counted in the end bins. Bright bands at tanh's ±1 or sigmoid's 0 and "
        "1 are saturated units. ReLU puts about half the units at 0 in every layer; a collapsed "
        "signal puts all of them there."
    )
link.report()
