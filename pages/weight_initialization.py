"""Weight initialization: six ways to start one network, trained side by side, then one
taken apart: its σ per layer, and in three tabs its training, symmetry, and a deep
network it initializes."""

import streamlit as st

from panels import weight_initialization as panel
from ui.entry import run_inside_app
from ui.links import SharedLink
from ui.tables import show_figures

run_inside_app()
st.title("Weight initialization")
link = SharedLink()
st.write(
    "One network, one data set, one seed, six ways to draw the starting weights: where "
    "gradient descent starts decides where it ends."
)
training, seed, cells = panel.six_trained()
numbers = st.expander("All six in numbers", key="wi_numbers", icon=":material/table:",
                      on_change="rerun")  # fmt: skip
if numbers.open:  # drawn only when opened: a table costs the first visit 0.1 s
    show_figures(panel.six_table(cells), panel.SIX_TABLE_FORMATS, where=numbers)


# One initialization up close: its heading and text once per full run, then a fragment.
st.header("One initialization up close")
st.write(
    "Start every weight at zero and the hidden units stay copies of one another; too "
    "small, and the signal fades within a few layers; too large, and it explodes (ReLU) "
    "or saturates tanh's units while the gradient explodes. Xavier, Glorot and He take "
    "the spread of W[l] from the layer's width so that every layer hands its input on "
    "at the same scale, and a variance multiplier v tunes that spread like any other "
    "hyperparameter."
)


@st.fragment  # the method, v and its iterations rerun this part only, not the six above
def one_initialization(training: tuple, seed: int) -> None:
    name, v = panel.method_controls()
    panel.formulas(name, v, (2, *training[1], 1))
    its_training, symmetry, deep = panel.part_tabs()  # only the open part runs
    if its_training.open:
        with its_training:
            panel.training_detail(training, name, v, seed)  # a fragment: the test points
    if symmetry.open:
        with symmetry:
            panel.symmetry_section(training, seed)
    if deep.open:
        with deep:
            panel.deep_section(name, v, seed)  # a fragment: depth, width, activation


one_initialization(training, seed)
link.report()
