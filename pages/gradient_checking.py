"""Gradient checking: plant a bug in backprop and let the relative difference find it."""

import time

import streamlit as st

from charts import gradient_checking as charts
from core.gradient_check import difference_terms
from core.network import layout_of
from panels import gradient_checking as panel
from ui.charts import show
from ui.entry import run_inside_app
from ui.links import SharedLink

run_inside_app()
started = time.perf_counter()  # the cost meter's timing may wait for a run of its own
st.title("Gradient checking")
link = SharedLink()
st.write(
    "Plant a bug in backprop and let the two-sided difference of the cost find it: one "
    "number says whether dθ is wrong, one per block says where."
)
# The hero: the verdict with the planted bug beside it, then its charts with ε and the
# precision beside them; the rest of the settings fold away under those two.
verdict_box, bug_box = st.columns([2, 1], gap="medium")
charts_box, settings_box = st.columns([2, 1], gap="medium")
bug = panel.bug_control(bug_box)
main_controls = settings_box.container()
more = settings_box.expander("Network and check settings", icon=":material/tune:")
net, setting = panel.network_controls(more, bug)
parameters, X, _ = panel.problem(net)
layout = layout_of(parameters)
P = layout.size
cost, mode, k = panel.check_settings(more, P > panel.FULL_LIMIT)
setting = setting._replace(cost=cost)
# The sections below the hero, in page order: their headings and the lecture's text are
# drawn here, once per full run; the fragment below fills in what follows ε.
st.header("The relative difference", anchor="difference")
st.write(
    "Backpropagation claims a derivative dθ for every parameter. Flatten W[1], b[1], …, "
    "W[L], b[L] into one vector θ, nudge each coordinate by ±ε, and the two-sided difference "
    "of the cost gives dθ_approx without any calculus. One number says whether they agree:"
)
difference_box = st.container()
st.header("The loop, one component at a time", anchor="the-loop")
st.latex(panel.LOOP_LATEX)
loop_box = st.container()
st.header("Component by component", anchor="components")
components_box = st.container()
cost_box = st.container()
st.header("Choosing ε", anchor="choosing-epsilon")
choosing_box = st.container()
checked = {}  # what the last full run's check found, for the cost meter


@st.fragment  # ε, the precision and the component rerun this part only, not the settings
def check_part() -> None:
    epsilon, dtype = panel.epsilon_controls(main_controls)
    try:
        result = panel.checked(net, setting, epsilon, dtype, mode, k)
        sweeps = {d: panel.swept(net, setting, d) for d in panel.PRECISIONS}
    except ValueError as error:  # core refuses what it cannot do, with the reason
        verdict_box.error(f"The check could not run: {error}")
        return
    checked["evaluations"] = result.evaluations

    verdict_box.markdown(panel.verdict_heading(result, dtype, layout))
    verdict_box.caption(panel.verdict_caption(result))
    bands = charts.band_frame()
    show(charts.verdict_chart, bands, name="verdict", description=panel.VERDICT_DESCRIPTION,
         where=charts_box, tables={"check": charts.verdict_mark(result)})  # fmt: skip
    if result.per_block:
        blocks = charts.block_frame(result, layout)
        show(charts.block_chart, bands, len(blocks), name="per_block", where=charts_box,
             description=panel.BLOCK_DESCRIPTION, tables={"blocks": blocks})  # fmt: skip
        charts_box.caption(panel.block_caption(blocks))
    else:
        charts_box.info("Random directions mix every block: they tell whether dθ is wrong, "
                        "not where. Switch to full or sampled to find the block.")  # fmt: skip
    # What qualifies the verdict, right under its charts.
    if (kinks := panel.kink_verdict(result)) is not None:
        charts_box.markdown(kinks)
    if (round_off := panel.round_off_caption(result, dtype)) is not None:
        charts_box.caption(round_off)
    terms = difference_terms(result.approx, result.analytic)
    notices = panel.check_notices(result, terms, setting)
    for text in (text for level, text in notices if level == "warning"):
        charts_box.warning(text)

    with difference_box:
        if P > panel.FULL_LIMIT:
            st.info(panel.full_check_notice(P), icon=":material/speed:")
        st.latex(panel.difference_latex(terms))
        st.caption(panel.checked_caption(result, epsilon, dtype, mode, X.shape[1]))
        for text in (text for level, text in notices if level == "caption"):
            st.caption(text)
    with loop_box:
        panel.loop_section(net, setting, result, layout, epsilon, dtype)
    with components_box:
        scatter, worst = st.columns([3, 2], gap="medium")
        points = charts.coordinate_frame(result, layout)
        show(charts.coordinate_chart, mode == "directions", name="coordinates",
             description=panel.COORDINATE_DESCRIPTION, where=scatter,
             tables={"points": points, "diagonal": charts.diagonal_frame(points)})  # fmt: skip
        if len(points) < len(result.approx):
            scatter.caption(f"{len(points):,} of {len(result.approx):,} components drawn: the "
                            "worst third and an even spread of the rest.")  # fmt: skip
        worst.markdown(f"**The {len(result.worst)} worst components**")
        worst.table(charts.worst_frame(result), hide_index=True)
    with choosing_box:
        marks = charts.epsilon_marks(panel.sweep_marks(epsilon))
        tables = charts.sweep_tables(charts.sweep_frame(sweeps), bands, marks,
                                     charts.check_mark(result, dtype))  # fmt: skip
        show(charts.sweep_chart, charts.sweep_series(tables["curves"]), panel.SWEEP_K,
             name="epsilon_sweep", description=panel.SWEEP_DESCRIPTION, tables=tables)  # fmt: skip
        st.caption(panel.sweep_caption(sweeps, result, dtype))
        st.info(panel.sweep_notice(sweeps, epsilon, setting.bug, terms))


check_part()
# The link's notice first: only a link's first run can show it, so that run times the
# meter itself rather than starting again.
refused = link.report()
if checked:  # the cost meter follows the network and the mode, not ε: full runs draw it
    cost_box.header("What a check costs", anchor="cost")
    panel.cost_section(cost_box, net, setting.activation, checked["evaluations"], P,
                       started=None if refused else started)  # fmt: skip
