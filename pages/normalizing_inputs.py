"""Normalizing inputs: the data in three stages, the cost contours before and after, and the
test set normalized with the training statistics (right) or its own (wrong)."""

import streamlit as st

from charts import normalization as charts
from panels import normalizing_inputs as panel
from ui.charts import show
from ui.entry import run_inside_app
from ui.ideas import IDEAS
from ui.links import SharedLink

run_inside_app()
st.title(IDEAS[0].title)
link = SharedLink()
st.write(
    "Gradient descent takes one step size for every weight. When one input is measured in "
    "thousands and another in units, the cost is a long narrow valley: a step small enough for "
    "the steep direction barely moves along the flat one. Centring each feature and dividing it "
    "by its spread makes the valley far rounder, though round only if the features do not "
    "correlate; the training set's μ and σ are then reused on every later example. Features "
    "already on similar scales gain little, and normalizing them does no harm."
)
data = panel.usable_data()
names = data.meta["names"]

st.header("Subtract the mean, divide by the standard deviation")
left, right = st.columns(2)
left.latex(
    r"\mu = \frac{1}{m}\sum_{i=1}^{m} x^{(i)},\quad"
    r"\sigma^2 = \frac{1}{m}\sum_{i=1}^{m}\bigl(x^{(i)}-\mu\bigr)^2,\quad x := \frac{x-\mu}{\sigma}"
)
left.caption(
    "Squares and divisions act on each feature separately. Some notes write σ² = (1/m) Σ x⁽ⁱ⁾²: "
    "that is the variance only once x has been centred; on raw data it is σ² + μ² (last column "
    "of the table below)."
)
for formula in panel.feature_formulas(names, data.normalizer):
    right.latex(formula)
show(charts.stages_chart, data.stage_points, names, data.meta["units"], name="three_stages",
     width="content")  # fmt: skip
st.dataframe(panel.statistics_frame(data), hide_index=True)
st.info(panel.spread_notice(names, data.normalizer))


@st.fragment  # moving its controls reruns this section only
def cost_section(data: panel.PageData):
    st.header("The cost before and after normalizing")
    st.write(
        "The model is linear regression ŷ = w₁x₁ + w₂x₂ with cost J(w) = (1/2m) Σ (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)², "
        "drawn as J − J* above its minimum J* (no bias, so the picture stays two-dimensional). "
        "Its Hessian H = (1/m) X Xᵀ sets the shape: the valley is √κ times longer than wide, "
        "κ = λ_max/λ_min being the condition number. Gradient descent is stable only for "
        "α < 2/λ_max and fastest at α* = 2/(λ_max + λ_min)."
    )
    names = data.meta["names"]
    left, right = st.columns([3, 2])
    show(charts.condition_numbers_chart, panel.stage_frame(data.stages), name="kappa_by_stage",
         where=left, width="content")  # fmt: skip
    right.info(panel.stage_notice(data.stages, data.rho, names))
    fraction, tolerance = panel.descent_controls()
    X, Y = data.split.X_train, data.split.Y_train
    inputs = {"raw": X, "normalized": data.normalizer.transform(X)}
    alpha = panel.shared_learning_rate(inputs["normalized"], fraction)
    runs = {label: panel.descent_runs(A, Y, alpha, tolerance, label)
            for label, A in inputs.items()}  # fmt: skip
    raw, scaled = (facts for *_, facts in runs.values())
    panel.descent_notice(raw, scaled, alpha)
    for column, (label, (grid, paths, w_star, _)) in zip(st.columns(2), runs.items(), strict=True):
        show(charts.contour_chart, grid, paths, w_star, *panel.contour_titles(label, names),
             name=f"contours_{label}", where=column, width="content")  # fmt: skip
    st.table(panel.steps_frame(raw, scaled, alpha))
    st.caption(panel.paths_caption(raw, tolerance))


@st.fragment
def test_section(data: panel.PageData):
    st.header("Normalize the test set with the training μ and σ", anchor="test-set")
    wrong = st.toggle(
        "Normalize the test set with its own μ and σ (the mistake)",
        panel.DEFAULTS["ni_wrong"],
        key="ni_wrong",
        **panel.BOUND,
    )
    (_, right_rmse, _), (_, wrong_rmse, _) = data.errors[False], data.errors[True]
    left, right = st.columns([3, 2])
    show(charts.train_test_chart, data.errors[wrong][0], data.meta["names"], name="test_set",
         where=left, width="content")  # fmt: skip
    unit = f"Root mean squared error on the test set, in {data.meta['target']}."
    right.metric("Test RMSE, training μ and σ (right)", f"{right_rmse:,.4g}", help=unit)
    right.metric(
        "Test RMSE, the test set's own μ and σ (wrong)", f"{wrong_rmse:,.4g}", help=unit,
        delta=f"{wrong_rmse / right_rmse:,.2f} × the right one" if right_rmse else None,
        delta_color="inverse",
    )  # fmt: skip
    right.caption(
        "Least squares with a bias, fitted on the normalized training set. "
        + ("Your file is split at random, 80 % to train and 20 % to test." if data.meta.get("csv")
           else "The test houses come from a neighbourhood of larger houses (the sidebar's "
           "shift), where a test set's own statistics mislead most.")
    )  # fmt: skip
    panel.test_notice(data, wrong)


cost_section(data)
test_section(data)
link.report()
