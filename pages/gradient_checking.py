"""Gradient checking: plant a bug in backprop and let the relative difference find it."""

import streamlit as st

from charts import gradient_checking as charts
from core.gradient_check import difference_terms
from core.network import layout_of
from core.round_off import component_round_off
from panels import gradient_checking as panel
from ui.charts import show
from ui.entry import run_inside_app
from ui.links import SharedLink

run_inside_app()
st.title("Gradient checking")
link = SharedLink()
st.write(
    "Backpropagation claims a derivative dθ for every parameter. Flatten W[1], b[1], …, "
    "W[L], b[L] into one vector θ, nudge each coordinate by ±ε, and the two-sided difference "
    "of the cost gives dθ_approx without any calculus. One number says whether they agree; "
    "the differences per block say where they do not."
)
net, setting = panel.network_controls()
parameters, X, _ = panel.problem(net)
layout = layout_of(parameters)
P = layout.size
epsilon, dtype, cost, mode, k = panel.check_controls(P > panel.FULL_LIMIT)
setting = setting._replace(cost=cost)
if P > panel.FULL_LIMIT:
    st.info(panel.full_check_notice(P), icon=":material/speed:")
try:
    result = panel.checked(net, setting, epsilon, dtype, mode, k)
    sweeps = {d: panel.swept(net, setting, d) for d in panel.PRECISIONS}
except ValueError as error:  # core refuses what it cannot do, with the reason
    st.error(f"The check could not run: {error}")
    link.report()
    st.stop()

st.markdown(panel.verdict_heading(result, dtype))
st.caption(panel.verdict_caption(result, dtype))
if (kinks := panel.kink_verdict(result)) is not None:
    st.markdown(kinks)
bands = charts.band_frame()
show(charts.verdict_chart, bands, result.difference, name="verdict")
terms = difference_terms(result.approx, result.analytic)
lecture, live = st.columns(2)
lecture.latex(
    r"\text{difference} = \frac{\lVert d\theta_{\text{approx}} - d\theta \rVert_2}"
    r"{\lVert d\theta_{\text{approx}} \rVert_2 + \lVert d\theta \rVert_2}"
)
live.latex(panel.difference_latex(terms))
live.caption(panel.checked_caption(result, epsilon, dtype, mode, X.shape[1]))
for level, text in panel.check_notices(result, terms, setting):
    getattr(st, level)(text)

st.header("The loop, one component at a time", anchor="the-loop")
st.latex(panel.LOOP_LATEX)
index = panel.component_control(result, layout)
if result.per_block:  # directions mix every block: no block has a difference of its own
    show(charts.theta_chart, charts.theta_frame(result, layout), index, name="theta")
if index is not None:
    one = panel.component(net, setting, epsilon, dtype, index)
    st.latex(panel.component_latex(one))
    st.caption(panel.component_sentence(one, component_round_off(result)))

st.header("Where is the bug?")
left, right = st.columns(2)
if result.per_block:
    blocks = charts.block_frame(result, layout)
    show(charts.block_chart, blocks, bands, name="per_block", where=left)
else:
    left.info("Random directions mix every block: they tell whether dθ is wrong, not where. "
              "Switch to full or sampled to find the block.")  # fmt: skip
points = charts.coordinate_frame(result, layout)
show(charts.coordinate_chart, points, mode == "directions", name="coordinates", where=right)
if len(points) < len(result.approx):
    right.caption(f"{len(points):,} of {len(result.approx):,} components drawn: the worst "
                  "third and an even spread of the rest.")  # fmt: skip
st.markdown(f"**The {len(result.worst)} worst components**")
st.table(charts.worst_frame(result))

st.header("What a check costs", anchor="cost")
cost, big = panel.meter(net, setting.activation)
st.info(panel.cost_notice(cost, big))
st.metric("Cost evaluations", f"{result.evaluations:,}",
          help=f"This check's: 2 per checked component; all P = {P:,} need {2 * P:,}.")  # fmt: skip
st.table(panel.cost_frame(cost, big))

st.header("Choosing ε", anchor="choosing-epsilon")
marks = charts.epsilon_marks(panel.sweep_marks(epsilon))
check = charts.check_mark(result, dtype)
show(charts.sweep_chart, charts.sweep_frame(sweeps), bands, marks, check, panel.SWEEP_K,
     name="epsilon_sweep")  # fmt: skip
st.caption(panel.sweep_caption(sweeps, result, dtype))
st.info(panel.sweep_notice(sweeps, epsilon, setting.bug, terms))
link.report()
