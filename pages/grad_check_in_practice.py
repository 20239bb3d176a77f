"""Grad check in practice: the lecture's rules of thumb, each one a live experiment.

Each section is a fragment, so that moving its controls reruns it alone; its controls,
experiments and sentences are in panels/grad_check_in_practice.py.
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
    st.header("1 · Don't run it in training")
    st.write(panels.COST_INTRO)
    n = panels.width_control()
    costs, chosen = panels.check_costs(n)
    lecture, live = st.columns(2)
    lecture.latex(panels.COST_FORMULA)
    live.latex(panels.cost_with_numbers(chosen))
    live.caption(panels.cost_measured(n, chosen))
    show(charts.cost_chart, charts.cost_frame(costs), chosen.parameters, name="check_cost")
    st.caption(panels.cost_timing(chosen))
    st.info(panels.cost_notice(n, costs, chosen, panels.realistic_cost()))


@st.fragment
def components_section() -> None:
    st.header("2 · Look at the components")
    st.write(panels.PUZZLE_INTRO)
    seed, guess = panels.puzzle_controls()
    puzzle = panels.puzzle(seed)
    left, right = st.columns([3, 2])
    show(charts.block_chart, charts.block_frame(puzzle.result.per_block), name=f"puzzle_{seed}",
         where=left)  # fmt: skip
    right.latex(panels.BLOCK_FORMULA)
    right.latex(panels.blocks_with_numbers(puzzle))
    if not panels.reveal_control(right, seed):
        st.info(panels.puzzle_hint(puzzle))
        return
    right_guess, answer = panels.puzzle_answer(puzzle, guess)
    (st.success if right_guess else st.warning)(answer)


@st.fragment
def regularization_section() -> None:
    st.header("3 · Remember regularization", anchor="regularization")
    st.write(panels.REGULARIZATION_INTRO)
    lambd = panels.lambda_control()
    sweep = panels.regularization()
    lecture, live = st.columns(2)
    lecture.latex(panels.L2_FORMULA)
    live.latex(panels.l2_with_numbers(sweep, lambd))
    show(charts.lambda_chart, charts.lambda_frame(sweep), float(lambd), name="regularization")
    st.info(panels.regularization_notice(sweep, lambd))


@st.fragment
def dropout_section() -> None:
    st.header("4 · It doesn't work with dropout", anchor="dropout")
    st.write(panels.DROPOUT_INTRO)
    keep_prob = panels.keep_prob_control()
    sweep = panels.dropout()
    lecture, live = st.columns(2)
    lecture.latex(panels.NOISE_FORMULA)
    live.latex(panels.noise_with_numbers(sweep, keep_prob))
    live.caption(panels.NOISE_CAPTION)
    show(charts.dropout_chart, charts.dropout_frame(sweep), float(keep_prob), name="dropout")
    st.info(panels.dropout_notice(sweep, keep_prob))


@st.fragment
def training_section() -> None:
    st.header("5 · At random initialization, and again after training", anchor="after-training")
    st.write(panels.TRAINING_INTRO)
    settings = panels.run_controls()
    run = panels.checked_run(settings)
    lecture, live = st.columns([2, 3])
    lecture.latex(panels.HIDING_FORMULA)
    live.latex(panels.hiding_with_numbers(run, settings))
    show(charts.training_chart, *charts.training_frames(run, panels.LATE), name="training")
    st.caption(panels.run_caption(run, settings.epsilon))
    st.info(panels.run_notice(run, settings))


run_inside_app()
st.title("Grad check in practice")
link = SharedLink()
st.write(
    "The lecture closes gradient checking with five rules of thumb. Each section is one of "
    f"them, measured live on small networks and {COURSE_TRAIN_SIZE} points of the moons data."
)
cost_section()
components_section()
regularization_section()
dropout_section()
training_section()
link.report()
