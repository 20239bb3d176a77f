"""Normalizing inputs: gradient descent on the cost before and after normalizing (the
hero), then three tabs of which only the open one runs: why a long valley is slow, what
each step of normalizing does to the data, and the test set normalized with the training
statistics (right) or its own (wrong)."""

import streamlit as st

from charts import normalization as charts
from panels import normalizing_inputs as panel
from ui.charts import show
from ui.entry import run_inside_app
from ui.ideas import IDEAS
from ui.links import SharedLink
from ui.tables import show_figures

run_inside_app()
st.title(IDEAS[0].title)
link = SharedLink()
st.write(
    "One step size for every weight: when one input runs in thousands and another in units, "
    "gradient descent crawls down a long narrow valley, and normalizing the inputs rounds it."
)
data = panel.usable_data()


@st.fragment  # moving its controls reruns this section only
def descent_section(data: panel.PageData):
    side, *columns = st.columns([0.8, 1, 1], gap="medium")
    number = side.container()
    fraction, tolerance = panel.descent_controls(side)
    names = data.meta["names"]
    X, Y = data.split.X_train, data.split.Y_train
    inputs = {"raw": X, "normalized": data.normalizer.transform(X)}
    alpha = panel.shared_learning_rate(inputs["normalized"], fraction)
    runs = {label: panel.descent_runs(A, Y, alpha, tolerance) for label, A in inputs.items()}
    raw, scaled = runs["raw"].facts, runs["normalized"].facts
    number.caption(panel.hero_label(tolerance))
    number.header(panel.hero_number(raw, scaled), anchor=False)
    number.write(panel.shared_alpha_text(raw, scaled, alpha))
    for column, (label, descent) in zip(columns, runs.items(), strict=True):
        title, axes = panel.contour_titles(label, names)
        show(charts.contour_chart, title, axes, name=f"contours_{label}", where=column,
             width="content", tables=panel.contour_tables(descent),
             description=panel.contour_description(label))  # fmt: skip
    warning = panel.descent_warning(raw, scaled, alpha)
    if warning:
        st.warning(warning)
    numbers = st.expander("The numbers behind the two panels", key="ni_numbers", on_change="rerun")
    if numbers.open:  # drawn only when opened: a table costs the first visit 0.1 s
        numbers.table(panel.steps_frame(raw, scaled, alpha))
        numbers.caption(panel.paths_caption(runs["raw"], tolerance))


descent_section(data)


def valley_section(data: panel.PageData):
    st.header("Why a long valley is slow")
    names = data.meta["names"]
    st.write(
        "J(w) = (1/2m) Σ (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)² of linear regression ŷ = w₁x₁ + w₂x₂ (no bias, so the "
        "picture stays two-dimensional) is a bowl whose shape is its Hessian H = (1/m) X Xᵀ: the "
        "valley is √κ times longer than wide, κ = λ_max/λ_min being the condition number. "
        "Gradient descent is stable only for α < 2/λ_max and fastest at α* = 2/(λ_max + λ_min), "
        "so a steep direction forces a step far too small for the flat one. Centring each "
        "feature and dividing it by its spread makes the valley far rounder, though round only "
        "if the features do not correlate. Features already on similar scales gain little, and "
        "normalizing them does no harm."
    )
    left, right = st.columns([3, 2], vertical_alignment="center")
    show(charts.condition_numbers_chart, panel.STAGES, name="kappa_by_stage", where=left,
         tables={charts.KAPPAS: panel.stage_frame(data.stages)},
         description=panel.KAPPA_DESCRIPTION)  # fmt: skip
    right.write(panel.stage_notice(data.stages, data.rho, names))


def stages_section(data: panel.PageData):
    names = data.meta["names"]
    st.header("Subtract the mean, divide by the standard deviation")
    left, *right = st.columns(3)
    left.latex(panel.MEAN_AND_VARIANCE)
    for column, formula in zip(right, panel.feature_formulas(names, data.normalizer), strict=True):
        column.latex(formula)
    st.caption(
        "Squares and divisions act on each feature separately. Some notes write "
        "σ² = (1/m) Σ x⁽ⁱ⁾²: that is the variance only once x has been centred; on raw data it "
        "is σ² + μ² (last column of the table below). The training set's μ and σ are then "
        "reused on every later example."
    )
    for column, view in zip(st.columns(3), panel.stage_views(data), strict=True):
        show(charts.stage_chart, view.title, view.axis_titles, view.lesson,
             name=f"stage_{view.title.split(':')[0].lower()}", where=column, width="content",
             tables={charts.POINTS: view.points, charts.WINDOW: charts.window_frame(view.domains)},
             description=panel.stage_description(view))  # fmt: skip
    st.write(panel.spread_notice(names, data.normalizer))
    statistics = st.expander("μ and σ of each feature, raw and after each stage", key="ni_stats",
                             icon=":material/table:", on_change="rerun")  # fmt: skip
    if statistics.open:  # drawn only when opened: a table costs the first visit 0.1 s
        show_figures(panel.statistics_frame(data), "%.4g", where=statistics)


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
    left, right = st.columns([1, 1.2], vertical_alignment="center")
    show(charts.train_test_chart, data.meta["names"], name="test_set", where=left,
         width="content", tables=charts.test_set_tables(data.errors[wrong][0]),
         description=panel.test_description(data.meta["names"]))  # fmt: skip
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
    panel.test_notice(data, wrong, where=right)


SECTIONS = (valley_section, stages_section, test_section)
for tab, section in zip(panel.part_tabs(), SECTIONS, strict=True):
    if tab.open:  # only the open part is computed and drawn
        with tab:
            section(data)
link.report()
