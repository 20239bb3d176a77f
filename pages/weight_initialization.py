"""Weight initialization: six ways to start one network, seen through depth and in training."""

import streamlit as st

from charts import weight_initialization as charts
from core import datasets, network
from panels import weight_initialization as panel
from ui.charts import show
from ui.entry import run_inside_app
from ui.links import SharedLink
from ui.tables import show_figures

run_inside_app()
st.title("Weight initialization")
link = SharedLink()
st.write(
    "Where gradient descent starts matters as much as how it steps. Start every weight at "
    "zero and the hidden units stay copies of one another; too small, and the signal fades "
    "within a few layers; too large, and it explodes (ReLU) or saturates tanh's units while "
    "the gradient explodes. Xavier, Glorot and He take the "
    "spread of W[l] from the layer's width so that every layer hands its input on at the same "
    "scale, and a variance multiplier v tunes that spread like any other hyperparameter."
)
name, v, seed, training = panel.sidebar_controls()
dims = (2, *training[1], 1)
left, right = st.columns(2)
left.latex(panel.lecture_latex(name))
left.caption("randn draws N(0, 1); v is the variance multiplier (default 1).")
right.latex(panel.live_latex(name, v, dims))
right.caption(f"σ of each layer of the training network below, layer sizes {list(dims)}.")
st.table(panel.names_table())
st.caption(
    "Naming trap: the course's **Xavier** √(1/n[l−1]) is **LeCun** in PyTorch and Keras; "
    "their **Xavier / Glorot** is √(2/(n[l−1] + n[l]))."
)


@st.fragment  # moving its controls reruns this section only
def deep_section(name: str, v: float, seed: int):
    st.header("Through a deep network")
    st.write(
        "Random inputs X ~ N(0, 1) pushed through L layers of n units with this initialization "
        "and zero biases: each row of the heatmap is one layer's histogram of activations."
    )
    deep_act, depth, width = panel.deep_controls()
    try:
        signals = panel.simulated(depth, width, deep_act, name, v, seed)
    except ValueError as error:  # core refuses what it cannot do, with the reason
        st.error(str(error))
        return
    show(charts.activation_heatmap, charts.histogram_frame(signals), deep_act,
         name="activations_by_layer")  # fmt: skip
    level, text = panel.signal_notice(signals, deep_act)
    getattr(st, level)(text)
    st.subheader("Why 1/n, and why 2/n for ReLU")
    st.latex(panel.reason_latex(signals))
    st.caption(panel.REASONS[deep_act])
    show_figures(charts.variance_table(signals), "%.4g")
    st.subheader("Which initialization for which activation")
    grid_width = min(width, panel.GRID_MAX_WIDTH)
    st.caption(
        f"{depth} layers of {grid_width} units, forward and back, for both activations with "
        "Xavier, He and the method chosen in the sidebar. Read tanh with He: forward, then "
        "backward."
    )
    frame, verdicts = panel.pairing_grid(depth, grid_width, name, v, seed)
    show(charts.pairing_grid, frame, name="pairing_grid", width="content")
    st.table(verdicts)


deep_section(name, v, seed)

st.header("Training a small network")
st.write(
    "The course's experiment: ReLU (or tanh) hidden layers and a sigmoid output, trained by "
    "batch gradient descent on 300 points and tested on 100 others, from each initialization."
)
activation = training[4]
try:
    data, result = panel.trained(*training, name, v, seed)
except ValueError as error:
    st.error(str(error))
    st.stop()
score = panel.scores(data, result, activation)
for column, (label, value) in zip(st.columns(4), list(score.items())[:4], strict=True):
    column.metric(label.capitalize(), f"{value:.4g}" if label[0] == "J" else f"{value:.1%}")
left, right = st.columns(2)
show(charts.cost_curve, charts.cost_frame(result.costs), name="cost_curve", where=left)
grid = datasets.grid_covering(data.X_train)
points = charts.points_frame(
    data,
    with_test=right.toggle(
        "Show test points", panel.DEFAULTS["wi_test"], key="wi_test", **panel.URL
    ),
)
probability = network.predict_probability(grid.X, result.parameters, activation)
grid_frame = charts.grid_frame(grid, probability)
show(charts.decision_boundary, grid_frame, points, grid.step1, grid.step2,
     name="decision_boundary", where=right)  # fmt: skip
grads = panel.start_gradients(training[0], training[1], activation, name, v, seed)
level, text = panel.training_notice(name, v, training, score, grads)
getattr(st, level)(text)
weights = charts.weights_frame(result.parameters, ("W1", "W2"))
show(charts.weights_heatmap, weights, name="hidden_weights")
st.markdown(panel.symmetry_lines(result.parameters))

st.subheader("Symmetry in isolation")
st.write(
    f"W = 0 against every weight equal to c = {panel.SYMMETRY_C:g}: both start with identical "
    f"units. Trained {panel.SYMMETRY_ITERATIONS:,} steps on the data above with the same α."
)
symmetric = panel.symmetric_starts(training[0], training[1], training[3], activation, seed)
st.info(panel.symmetry_notice(symmetric))
show_figures(symmetric, panel.SYMMETRY_FORMATS)

st.subheader("All six, on the same data from the same seed")
if (table := panel.comparison(training, v, seed)) is not None:
    show_figures(table, panel.TABLE_FORMATS)
else:
    st.caption("The table appears here; trainings already run are taken from the cache.")
link.report()
