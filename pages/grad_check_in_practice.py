"""Grad check in practice: the lecture's five rules of thumb, one tab each, each a live
experiment: a headline with its key number, its chart with the controls beside it, then
the formulas and the why.

Only the open tab's rule runs (the tabs are bound to the URL as gp_rule), and each rule
is a fragment, so that moving its controls reruns it alone; its controls, experiments and
sentences are in panels/grad_check_in_practice.py.
"""

import streamlit as st

from charts import grad_check_in_practice as charts
from core.datasets import COURSE_TRAIN_SIZE
from panels import grad_check_in_practice as panels
from ui.charts import show
from ui.entry import run_inside_app
from ui.links import SharedLink


@st.fragment
def cost_section() -> None:
    headline = st.empty()
    chart, side = panels.hero()
    with side:
        n = panels.width_control()
    costs, chosen = panels.check_costs(n)
    headline.header(panels.cost_headline(n, chosen), anchor="cost")
    frame = charts.cost_frame(costs)
    chosen_row = charts.chosen_frame(frame, chosen.parameters)
    show(charts.cost_chart, frame, name="check_cost", description=panels.cost_description(costs),
         where=chart, tables={charts.CHOSEN: chosen_row})  # fmt: skip
    side.write(panels.cost_notice(costs, panels.realistic_cost()))
    with st.expander("The formula's estimate, and a batched checker"):
        st.write(panels.COST_INTRO)
        st.latex(panels.COST_FORMULA)
        st.latex(panels.cost_with_numbers(chosen))
        st.write(panels.cost_measured(n, chosen))
        st.caption(panels.cost_timing(chosen))


@st.fragment
def components_section() -> None:
    headline = st.empty()
    chart, side = panels.hero(wide=3 / 2)
    with side:
        guess = panels.guess_control()
        answer = st.empty()
        seed = panels.puzzle_control()
    puzzle = panels.puzzle(seed)
    headline.header(panels.puzzle_headline(puzzle), anchor="components")
    show(charts.block_chart, charts.block_frame(puzzle.result.per_block), name=f"puzzle_{seed}",
         description=panels.puzzle_description(puzzle), where=chart)  # fmt: skip
    if panels.revealed(seed):
        right, text = panels.puzzle_answer(puzzle, guess)
        (answer.success if right else answer.warning)(text)
    else:
        answer.write(panels.puzzle_hint(puzzle))
    st.write(panels.PUZZLE_INTRO)
    with st.expander("Each block's difference, worked out"):
        st.latex(panels.BLOCK_FORMULA)
        st.latex(panels.blocks_with_numbers(puzzle))


@st.fragment
def regularization_section() -> None:
    headline = st.empty()
    chart, side = panels.hero()
    with side:
        lambd = panels.lambda_control()
    sweep = panels.regularization()
    headline.header(panels.regularization_headline(sweep, lambd), anchor="regularization")
    show(charts.lambda_chart, charts.lambda_frame(sweep), name="regularization",
         description=panels.regularization_description(sweep), where=chart,
         tables={charts.CURRENT: charts.current_frame("lambda", float(lambd))})  # fmt: skip
    side.write(panels.regularization_notice(sweep, lambd))
    st.write(panels.REGULARIZATION_INTRO)
    st.latex(panels.L2_FORMULA)
    st.latex(panels.l2_with_numbers(sweep, lambd))


@st.fragment
def dropout_section() -> None:
    headline = st.empty()
    chart, side = panels.hero()
    with side:
        keep_prob = panels.keep_prob_control()
    sweep = panels.dropout()
    headline.header(panels.dropout_headline(sweep, keep_prob), anchor="dropout")
    show(charts.dropout_chart, charts.dropout_frame(sweep), name="dropout",
         description=panels.dropout_description(sweep), where=chart,
         tables={charts.CURRENT: charts.current_frame("keep_prob", float(keep_prob))})  # fmt: skip
    side.write(panels.dropout_notice(sweep, keep_prob))
    st.write(panels.DROPOUT_INTRO)
    st.latex(panels.NOISE_FORMULA)
    st.latex(panels.noise_with_numbers(sweep, keep_prob))
    st.caption(panels.NOISE_CAPTION)


@st.fragment
def training_section() -> None:
    headline = st.empty()
    chart, side = panels.hero()
    with side:
        settings = panels.run_controls()
    run = panels.checked_run(settings)
    headline.header(panels.training_headline(run, settings), anchor="after-training")
    show(charts.training_chart, panels.LATE, name="training", where=chart,
         description=panels.TRAINING_DESCRIPTION,
         tables=charts.training_frames(run, panels.LATE))  # fmt: skip
    st.write(panels.run_notice(run, settings))
    st.caption(panels.run_caption(run, settings))
    st.write(panels.TRAINING_INTRO)
    st.latex(panels.HIDING_FORMULA)
    st.latex(panels.hiding_with_numbers(run, settings))


run_inside_app()
st.title("Grad check in practice")
link = SharedLink()
st.write(
    "The lecture's five rules of thumb for gradient checking, each measured live on small "
    f"networks and {COURSE_TRAIN_SIZE} points of the moons data."
)
SECTIONS = (cost_section, components_section, regularization_section, dropout_section,
            training_section)  # fmt: skip
for tab, section in zip(panels.rule_tabs(), SECTIONS, strict=True):
    if tab.open:
        with tab:
            section()
link.report()
