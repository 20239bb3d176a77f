"""The grad-check-in-practice page, run headless with Streamlit's AppTest, and its chart
builders. Expected numbers come from core, never typed in."""

import json

import numpy as np
import pytest
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from charts import grad_check_in_practice as charts
from core import check_practice as practice
from core.gradient_check import VERDICT_BANDS
from core.network import PLANTED_BUGS, bug_label

PAGE = "../pages/grad_check_in_practice.py"
SLIDERS = ("gp_width", "gp_lambda", "gp_keep", "gp_run_lambda", "gp_iters", "gp_eps")
"""Every select slider on the page (the puzzle number is a number input)."""
CHARTS = ("cost", "blocks", "lambda", "dropout", "training")


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params.update(query or {})
    return at.run()


def notices(at: AppTest) -> dict[str, str]:
    """The "what to notice" line of each section, in page order."""
    return dict(zip(CHARTS, (info.value for info in at.info), strict=True))


def specs(at: AppTest) -> dict[str, dict]:
    return dict(zip(CHARTS, (json.loads(c.proto.spec) for c in at.get("vega_lite_chart")),
                    strict=True))  # fmt: skip


@pytest.fixture(scope="module")
def page() -> AppTest:
    return open_page()


@pytest.fixture(scope="module")
def lab():
    return practice.lab()


# ---------------------------------------------------------------- the page


def test_page_opens_with_five_live_sections(page):
    assert not page.exception and not page.error
    assert page.title[0].value == "Grad check in practice"
    assert page.header[0].value == "1 · Don't run it in training"
    assert len(page.header) == 5 and len(page.get("vega_lite_chart")) == 5
    assert len(page.info) == 5 and len(page.latex) >= 5  # a formula in every section


def test_regularization_numbers_are_core_numbers(page, lab):
    sweep = practice.regularization_sweep(lab.parameters, lab.X, lab.Y, [0.7, 3.0])
    assert f"missing term scores {sweep.buggy[0]:.1e} (bug)" in notices(page)["lambda"]
    at = open_page()
    at.select_slider(key="gp_lambda").set_value("3").run()
    assert f"At λ = 3 the missing term scores {sweep.buggy[1]:.1e}" in notices(at)["lambda"]
    assert "from λ = 0.1 up" in notices(at)["lambda"]


def test_dropout_notice_fails_fresh_masks_and_passes_without_dropout(page, lab):
    notice = notices(page)["dropout"]
    assert "a fresh mask per evaluation scores 1.0e+00 (bug)" in notice
    assert notice.endswith("(great).")
    at = open_page({"gp_keep": "1.00"})
    sweep = practice.dropout_sweep(lab.parameters, lab.X, lab.Y, [1.0])
    assert notices(at)["dropout"].startswith("keep_prob = 1 is no dropout")
    assert f"({sweep.fixed[0]:.1e})" in notices(at)["dropout"]


def test_training_notice_names_the_bug_found_hiding_at_initialization(page, lab):
    snapshots = practice.train_with_snapshots(
        lab.parameters, lab.X, lab.Y, lambd=0.01, learning_rate=0.1, num_iterations=300,
        snapshots=10,
    )  # fmt: skip
    run = practice.checks_along_training(snapshots, lab.X, lab.Y, lambd=0.01)
    late = run.bugs["l2_missing_in_dW"]
    notice = notices(page)["training"]
    assert "lets only “L2 term left out of dW” through" in notice
    assert f"{late[0]:.1e} (suspicious) at the start, {late[-1]:.1e} after 300" in notice
    assert not page.get("progress")  # the bar is gone once training ends


def test_more_iterations_retrain_and_change_the_numbers(page):
    at = open_page({"gp_iters": "1000"})
    assert not at.exception
    assert "after 1,000 iterations" in notices(at)["training"]
    assert notices(at)["training"] != notices(page)["training"]


def test_a_small_lambda_run_says_the_bug_has_not_shown_yet():
    at = open_page({"gp_run_lambda": "0.001", "gp_iters": "100"})
    assert "not yet a bug after 100 iterations" in notices(at)["training"]


def test_tanh_meets_no_kink_where_relu_meets_many():
    relu = open_page({"gp_eps": "1e-2"})
    assert "checks of the correct code met a kink" in notices(relu)["training"]
    at = open_page({"gp_eps": "1e-2"})
    at.segmented_control(key="gp_act").set_value("tanh").run()
    assert "tanh has no kink" in notices(at)["training"]
    assert "lets only “L2 term left out of dW” through" in notices(at)["training"]


def test_cost_section_reports_the_chosen_networks_parameter_count():
    at = open_page({"gp_width": "64"})
    assert "P = 4,417" in notices(at)["cost"]  # 2·64 + 64 + 64·64 + 64 + 64 + 1
    assert "P = 4,417" in specs(at)["cost"]["layer"][0]["encoding"]["x"]["title"]


def test_the_puzzle_reveals_a_right_and_a_wrong_guess():
    bug = practice.component_puzzle(7).bug
    wrong = next(name for name in PLANTED_BUGS if name != bug)
    at = open_page({"gp_seed": "7"})
    assert "Choose a guess, then reveal" in notices(at)["blocks"]
    at.selectbox(key="gp_guess").set_value(PLANTED_BUGS[bug].label).run()  # as it reads
    at.button(key="gp_reveal").click().run()
    assert at.success[0].value.startswith(f"Right: the planted bug is **{bug_label(bug)}**")
    assert PLANTED_BUGS[bug].description in at.success[0].value
    at.selectbox(key="gp_guess").set_value(PLANTED_BUGS[wrong].label).run()
    at.button(key="gp_reveal").click().run()
    answer = f"Not {bug_label(wrong)}: the planted bug is **{bug_label(bug)}**"
    assert at.warning[0].value.startswith(answer)


def test_a_new_puzzle_draws_another_seed_and_hides_the_answer():
    at = open_page({"gp_seed": "7"})
    at.button(key="gp_reveal").click().run()
    assert at.warning  # revealed without a guess
    at.button[0].click().run()  # "New puzzle"
    assert not at.exception
    seed = at.number_input(key="gp_seed").value
    if seed != 7:  # one draw in 10,000 gives the same puzzle back
        assert not at.warning and not at.success
        assert "Choose a guess" in notices(at)["blocks"]


def test_every_control_at_its_extremes_keeps_the_page_running():
    at = open_page()
    for end in (0, -1):
        for key in SLIDERS:
            slider = at.select_slider(key=key)
            slider.set_value(slider.options[end])
        at.number_input(key="gp_seed").set_value([0, 9999][end])
        at.segmented_control(key="gp_act").set_value(["relu", "tanh"][end])
        at.run()
        assert not at.exception and not at.error
        assert len(at.get("vega_lite_chart")) == 5 and len(at.info) == 5


def test_garbage_in_the_link_falls_back_to_defaults_with_a_notice():
    at = open_page({"gp_lambda": "garbage", "gp_keep": "7", "gp_iters": "1e9", "gp_seed": "-3",
                    "gp_guess": "__import__('os')", "gp_act": "sigmoid"})  # fmt: skip
    assert not at.exception
    refused = [info.value for info in at.info if "could not be used" in info.value]
    assert refused and "gp_lambda" in refused[0] and "gp_guess" in refused[0]
    assert at.selectbox(key="gp_guess").value is None
    assert at.select_slider(key="gp_lambda").value == "0.7"
    assert at.select_slider(key="gp_iters").value == "300"
    assert at.segmented_control(key="gp_act").value == "relu"


def test_a_link_reopens_the_exact_setting():
    query = {"gp_width": "8", "gp_seed": "12", "gp_lambda": "0.01", "gp_keep": "0.55",
             "gp_run_lambda": "0.03", "gp_iters": "200", "gp_eps": "1e-3",
             "gp_act": "leaky_relu"}  # fmt: skip
    at = open_page(query)
    assert not at.exception
    for key, value in query.items():
        kind = {"gp_seed": at.number_input, "gp_act": at.segmented_control}
        widget = kind.get(key, at.select_slider)(key=key)
        assert str(widget.value) == value
    assert not any("could not be used" in info.value for info in at.info)


# ---------------------------------------------------------------- the charts


def test_difference_charts_are_log_scaled_over_the_verdict_bands(page):
    edges = [band.below for band in VERDICT_BANDS]
    for name in ("blocks", "lambda", "dropout"):
        layers = specs(page)[name]["layer"]
        band, data = layers[0], layers[1]
        assert band["mark"]["type"] == "rect"
        assert data["encoding"]["y"]["scale"]["type"] == "log"
        assert band["encoding"]["fill"]["scale"]["domain"] == ["great", "suspicious", "bug"]
        assert data["encoding"]["y"]["scale"]["domain"][1] == charts.TOP
    assert edges[0] < edges[1]  # the bands come from core, in order


def test_current_settings_are_marked_with_a_rule(page):
    for name in ("cost", "lambda", "dropout"):
        assert specs(page)[name]["layer"][-1]["mark"]["type"] == "rule"
    cost = specs(page)["cost"]["layer"][0]["encoding"]
    assert cost["x"]["scale"]["type"] == "log" and cost["y"]["scale"]["type"] == "log"


def test_training_chart_draws_the_run_on_a_log_axis_and_labels_the_kinks(page):
    band, lines, kinks = specs(page)["training"]["layer"]
    assert band["mark"]["type"] == "rect"
    assert lines["encoding"]["y"]["scale"]["type"] == "log"
    domain = lines["encoding"]["color"]["scale"]["domain"]
    assert domain[:3] == [
        "correct code",
        "correct code, kinks left out",
        "planted bug “L2 term left out of dW”",
    ]
    assert kinks["mark"]["type"] == "text" and kinks["encoding"]["text"]["field"] == "label"


def test_training_frames_label_each_check_that_met_a_kink(lab):
    snapshots = practice.train_with_snapshots(
        lab.parameters, lab.X, lab.Y, lambd=0.01, learning_rate=0.1, num_iterations=20,
        snapshots=2,
    )  # fmt: skip
    run = practice.checks_along_training(snapshots, lab.X, lab.Y, lambd=0.01, epsilon=1e-2)
    lines, kinks = charts.training_frames(run, "l2_missing_in_dW")
    assert len(lines) == 3 * (2 + len(run.bugs))  # two lines of the correct code, one per bug
    met = run.kinked > 0
    assert list(kinks["iteration"]) == list(run.iterations[met])
    assert list(kinks["label"]) == [str(n) for n in run.kinked[met]]


def test_frames_floor_an_exact_zero_for_the_log_axis():
    frame = charts.block_frame({"W1": 0.0, "b1": 0.5})
    assert list(frame["difference"]) == [charts.FLOOR, 0.5]
    assert list(frame["verdict"]) == ["great", "bug"]


def test_cost_frame_has_the_three_series_per_network():
    cost = practice.CheckCost((2, 2, 2, 1), 15, 2e-4, 5e-5, 3e-3, 1e-3, 15)
    frame = charts.cost_frame([cost])
    assert list(frame["series"]) == list(charts.COST_SERIES.values())
    assert frame["ratio"].tolist() == pytest.approx([15.0, 2 * 15 * 5e-5 / 2e-4, 5.0])
    assert np.all(frame["network"] == "2 → 2 → 2 → 1")


# ---------------------------------------------------------------- labels that say what they show


def chart_table(at: AppTest, name: str, layer: int):
    """The DataFrame one layer of a chart draws (Streamlit ships it as Arrow)."""
    chart = at.get("vega_lite_chart")[CHARTS.index(name)]
    data_name = json.loads(chart.proto.spec)["layer"][layer]["data"]["name"]
    found = next(d for d in chart.proto.datasets if d.name == data_name)
    return dataframe_util.convert_arrow_bytes_to_pandas_df(found.data.data)


def test_the_run_control_is_named_for_what_it_chooses(page):
    control = page.segmented_control(key="gp_act")
    assert control.label == "Hidden activation"
    assert set(control.options) == {"relu", "leaky_relu", "tanh"}


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_purple_numbers_are_named_and_explained_only_where_a_check_met_a_kink(activation):
    at = open_page({"gp_eps": "1e-2", "gp_act": activation})
    kinks = chart_table(at, "training", 2)
    assert (len(kinks) > 0) == (activation == "relu")  # tanh has no kink to meet
    title = specs(at)["training"]["title"]
    lines = [title] if isinstance(title, str) else title
    caption = " ".join(c.value for c in at.caption)
    if len(kinks):
        assert "purple numbers: components" in lines[1]
        assert "A purple number over a point of the correct code counts the components" in caption
    else:
        assert lines == ["The check along a training run"]
        assert "purple" not in caption


def test_a_difference_of_1_is_drawn_whole_below_the_top_of_the_axis(page):
    fresh = chart_table(page, "dropout", 1)
    top = specs(page)["dropout"]["layer"][1]["encoding"]["y"]["scale"]["domain"][1]
    assert fresh["difference"].max() > 0.5  # the fresh masks' points sit near 1
    assert np.log10(top / fresh["difference"].max()) >= 0.5  # half a decade of room above
