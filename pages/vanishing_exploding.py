"""Vanishing & exploding gradients: the lecture's deep linear network, then random networks."""

import streamlit as st

from charts import vanishing_exploding as charts
from core.propagation import deep_linear_signal
from panels import vanishing_exploding as panel
from ui.charts import show
from ui.entry import run_inside_app
from ui.links import SharedLink

run_inside_app()
st.title("Vanishing & exploding gradients")
link = SharedLink()
st.write(
    "Multiply a signal by the same factor a at every layer: a little more than 1 and it "
    "explodes with depth, a little less and it vanishes, until it no longer fits in a float."
)


@st.fragment  # moving its controls reruns this section only
def linear_section():
    controls, picture = st.columns([2, 3], gap="medium")
    with controls:
        number = st.container()
        a, L = panel.linear_controls()
    signal = deep_linear_signal(a, L)
    top = panel.headline(signal)
    number.metric(top.label, top.value, help=panel.HEADLINE_HELP)
    number.caption(top.detail)
    show(charts.linear_depth_chart, name="deep_linear_network",
         description=panel.LINEAR_DESCRIPTION, where=picture,
         tables=charts.linear_frames(signal, panel.line_verdict(signal)))  # fmt: skip
    lecture, live = st.columns(2)
    lecture.latex(r"\hat y = W^{[L]}\,(a I)^{L-1}\,x = a^{L-1}\,x")
    live.latex(panel.linear_latex(signal))


def random_section(controls, live, results) -> None:
    """The controls, the live formulas and the results of random networks, drawn into the
    places the page made for them under its heading and the lecture's formulas."""
    with controls:
        network = panel.network_controls()
    try:
        net = panel.simulate(network)
    except ValueError as error:
        results.error(f"Could not simulate this network: {error}")
        return
    for formula in panel.variance_latex(net):
        live.latex(formula)
    with results:
        level, text = panel.notice(net)
        getattr(st, level)(text)
        passes = (
            (charts.forward_frames, charts.FORWARD, "Forward: activations", "rms of Z[l]"),
            (charts.backward_frames, charts.BACKWARD, "Backward: gradients", "gradient size"),
        )
        for column, (frames, series, title, y_title), verdict, description in zip(
            st.columns(2), passes, panel.pass_verdicts(net), panel.PASS_DESCRIPTIONS, strict=True
        ):
            show(charts.per_layer_chart, series, title=title, y_title=f"{y_title} (log scale)",
                 name=title.split(":")[0].lower(), description=description, where=column,
                 tables=frames(net, verdict))  # fmt: skip
        show(charts.histogram_chart, value_title=f"A[l] = {net.activation}(Z[l])",
             name="activation_histograms", description=panel.histogram_description(net.activation),
             tables=charts.histogram_frames(net))  # fmt: skip
        st.caption(panel.histogram_caption(net))


linear_section()
# Random networks: the heading, the text and the lecture's formulas are drawn once per full
# run; the section's controls rerun only what follows them.
st.header("Random networks: activations and gradients through depth", anchor="random-networks")
st.write(
    "The lecture's network has W[l] = a·I, b[l] = 0 and the output layer reads one unit. "
    "Real networks draw W[l] at random: whether a signal survives depth then depends on "
    "the weights' variance and the activation, and the gradients suffer the same on "
    "their way back. Theory (dashed) predicts the simulation (solid)."
)
controls = st.container()
lecture, live = st.columns(2)
lecture.latex(r"\operatorname{Var}(W^{[l]}) = \sigma_w^2 / n^{[l-1]}")
lecture.latex(
    r"\begin{aligned} \chi &= \frac{\operatorname{Var}(dA^{[l-1]})}"
    r"{\operatorname{Var}(dA^{[l]})} \\ &= \sigma_w^2\,\mathbb{E}\left[g'(z)^2\right]"
    r"\end{aligned}"
)
lecture.caption("σ_w² = 1 is the course's Xavier, 2 is He; χ > 1 explodes, χ < 1 vanishes.")
results = st.container()
# A fragment (in presentation mode its seed control is in the sidebar, where Streamlit
# 1.67's fragments can draw too).
st.fragment(random_section)(controls, live, results)
link.report()
