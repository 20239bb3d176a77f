"""Vanishing & exploding gradients: the lecture's deep linear network, then random networks."""

import streamlit as st

from charts import vanishing_exploding as charts
from core.propagation import DTYPES, deep_linear_signal
from panels import vanishing_exploding as panel
from ui.charts import show
from ui.entry import run_inside_app
from ui.links import SharedLink
from ui.presentation import presenting

run_inside_app()
st.title("Vanishing & exploding gradients")
link = SharedLink()
st.write(
    "A deep network multiplies its input by one weight matrix after another. If each "
    "product scales the signal by a little more than 1, the result grows exponentially "
    "with depth; a little less, and it fades to nothing. The gradients suffer the same on "
    "their way back, and past some depth the numbers no longer fit in a float at all."
)


@st.fragment  # moving its controls reruns this section only
def linear_section():
    st.header("The lecture's deep linear network")
    a, L = panel.linear_controls()
    signal = deep_linear_signal(a, L)
    lecture, live = st.columns(2)
    lecture.latex(r"\hat y = W^{[L]}\,(a I)^{L-1}\,x = a^{L-1}\,x")
    live.latex(panel.linear_latex(signal))
    for column, dtype in zip(st.columns(2), DTYPES, strict=True):
        column.metric(
            f"{dtype} over these {L} layers",
            panel.gives_out(signal.limits[dtype]),
            help="inf: overflow. subnormal: fewer significant bits. 0: underflow.",
        )
    show(charts.linear_depth_chart, *charts.linear_frames(signal), name="deep_linear_network")
    st.info(panel.linear_notice(signal))


def random_section():
    st.header("Random networks: activations and gradients through depth", anchor="random-networks")
    st.write(
        "Real networks draw W[l] at random. Whether a signal survives depth depends on the "
        "weights' variance and the activation; theory (dashed) predicts the simulation (solid)."
    )
    network = panel.network_controls()
    try:
        net = panel.simulate(network)
    except ValueError as error:
        st.error(f"Could not simulate this network: {error}")
    else:
        lecture, live = st.columns(2)
        lecture.latex(r"\operatorname{Var}(W^{[l]}) = \sigma_w^2 / n^{[l-1]}")
        lecture.latex(
            r"\chi = \frac{\operatorname{Var}(dA^{[l-1]})}{\operatorname{Var}(dA^{[l]})} = "
            r"\sigma_w^2\,\mathbb{E}\left[g'(z)^2\right]"
        )
        lecture.caption("σ_w² = 1 is the course's Xavier, 2 is He; χ > 1 explodes, χ < 1 vanishes.")
        for formula in panel.variance_latex(net):
            live.latex(formula)
        level, text = panel.notice(net)
        getattr(st, level)(text)
        passes = (
            (charts.forward_frames(net), "Forward: activations", "rms of Z[l] (log scale)"),
            (charts.backward_frames(net), "Backward: gradients", "gradient size (log scale)"),
        )
        for column, (frames, title, y_title) in zip(st.columns(2), passes, strict=True):
            show(charts.per_layer_chart, *frames, depth=net.depth, title=title, y_title=y_title,
                 name=title.split(":")[0].lower(), where=column)  # fmt: skip
        value = f"A[l] = {net.activation}(Z[l])"
        show(charts.histogram_chart, charts.histogram_frame(net), depth=net.depth,
             value_title=value, name="activation_histograms")  # fmt: skip
        st.caption(panel.histogram_caption(net))


linear_section()
# A fragment cannot draw in the sidebar, where presentation mode puts the seed control.
(random_section if presenting() else st.fragment(random_section))()
link.report()
