"""The weight-initialization page, run headless with Streamlit's AppTest, and its chart
builders. Expected numbers come from core, never typed in."""

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from charts import weight_initialization as charts
from core import datasets, network
from core.initialization import PRESETS, hidden_unit_spread, initialize_parameters
from core.propagation import simulate_random_network

PAGE = "../pages/weight_initialization.py"
TITLE = "Weight initialization"
FAST = {"wi_iter": "300"}  # a short training keeps the tests quick
HIDDEN = {"10, 5": (10, 5), "5": (5,), "20, 10": (20, 10)}


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.query_params.update(query or {})
    return at.run()


def page_text(at: AppTest) -> str:
    parts = [*at.latex, *at.info, *at.success, *at.warning, *at.error, *at.caption, *at.markdown]
    return " ".join([e.value for e in parts] + [f"{m.label}: {m.value}" for m in at.metric])


def specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def chart_data(at: AppTest, index: int) -> list[pd.DataFrame]:
    chart = at.get("vega_lite_chart")[index]
    return [pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets]


def training(at: AppTest, name: str | None = None):
    """(data, TrainingResult) computed here by core with the page's settings."""
    name = name or at.selectbox(key="wi_init").value
    rng = np.random.default_rng(at.number_input(key="wi_seed").value)
    data = datasets.toy_split(at.radio(key="wi_data").value, rng)
    preset = PRESETS[name]
    dims = (2, *HIDDEN[at.selectbox(key="wi_hidden").value], 1)
    start = initialize_parameters(
        dims, preset.method, rng, preset.std_scale(at.select_slider(key="wi_v").value)
    )
    result = network.train(
        data.X_train,
        data.Y_train,
        start,
        activation=at.radio(key="wi_act").value,
        learning_rate=at.select_slider(key="wi_lr").value,
        num_iterations=at.slider(key="wi_iter").value,
    )
    return data, result


def expected_metrics(at: AppTest) -> list[str]:
    data, result = training(at)
    g = at.radio(key="wi_act").value
    return [
        f"{result.costs[0]:.4g}",
        f"{result.costs[-1]:.4g}",
        f"{network.accuracy(data.X_train, data.Y_train, result.parameters, g):.1%}",
        f"{network.accuracy(data.X_test, data.Y_test, result.parameters, g):.1%}",
    ]


# ---------------------------------------------------------------- the page


def test_page_opens_at_the_course_setting_with_he_live_numbers():
    at = open_page()
    assert not at.exception
    assert at.title[0].value.startswith(TITLE)
    assert at.selectbox(key="wi_init").value == "He"
    assert at.slider(key="wi_iter").value == 15_000 and at.select_slider(key="wi_lr").value == 0.01
    # He on [2, 10, 5, 1]: σ[1] = √(2/2) = 1.000, σ[2] = √(2/10) = 0.447, σ[3] = √(2/5) = 0.632
    live = at.latex[1].value
    for text in (r"\frac{2}{2}} = 1.000", r"\frac{2}{10}} = 0.447", r"\frac{2}{5}} = 0.632"):
        assert text in live
    assert [m.label for m in at.metric] == [
        "J at the start", "J at the end", "Train accuracy", "Test accuracy"
    ]  # fmt: skip
    assert len(at.get("vega_lite_chart")) == 5
    assert "course's He run" in at.success[-1].value
    assert not at.get("progress")  # the bar is gone once training is done
    assert not at.error


def test_both_names_of_the_course_xavier_are_shown():
    names = open_page(FAST).table[0].value
    assert "LeCun" in names.loc["Xavier", "PyTorch"] and "LeCun" in names.loc["Xavier", "Keras"]
    assert "xavier_normal_" in names.loc["Xavier's other version (Glorot)", "PyTorch"]


@pytest.mark.parametrize("name", ["He", "random × 10", "Glorot"])
def test_metrics_are_what_core_computes(name):
    at = open_page({**FAST, "wi_init": name})
    assert not at.exception
    assert [m.value for m in at.metric] == expected_metrics(at)


def test_rerun_with_a_cached_training_replays_without_error():
    at = open_page(FAST)
    before = [m.value for m in at.metric]
    at.run()
    assert not at.exception and [m.value for m in at.metric] == before
    assert not at.get("progress")


def test_zeros_never_break_symmetry():
    at = open_page({"wi_init": "zeros", "wi_iter": "1000"})
    _, result = training(at)
    assert [m.value for m in at.metric][1:] == expected_metrics(at)[1:]
    assert at.metric[1].value == "0.6931" and at.metric[2].value == "50.0%"  # the course's
    assert "Every gradient but db[3] is exactly 0" in at.warning[-1].value
    assert "worse than one unit per layer" in at.warning[-1].value
    assert not hidden_unit_spread(result.parameters).any()
    assert "identical (rows of W1, b1, columns of W2): **yes**, spread across units = 0" in (
        page_text(at)
    )
    weights = pd.concat(chart_data(at, 4))
    assert set(weights["matrix"]) == {"W1", "W2"} and not weights["value"].any()


def test_changing_method_and_multiplier_changes_the_formula_and_numbers():
    at = open_page(FAST)
    at.selectbox(key="wi_init").set_value("Xavier").run()
    assert r"\frac{1}{2}} = 0.707" in at.latex[1].value  # σ[1] = √(1/2)
    assert [m.value for m in at.metric] == expected_metrics(at)
    at.select_slider(key="wi_v").set_value(2.0).run()
    assert r"\sqrt{2 \cdot \frac{1}{2}} = 1.000" in at.latex[1].value  # v = 2: Xavier is He
    assert [m.value for m in at.metric] == expected_metrics(at)


def test_deep_network_table_is_the_simulation_of_core():
    at = open_page(FAST)
    signals = simulate_random_network(
        10,
        100,
        at.radio(key="wi_deep_act").value,
        "he",
        np.random.default_rng(0),
        1.0,
        distribution="normal",
    )
    table = at.dataframe[0].value
    assert list(table["layer l"]) == list(range(1, 11))
    np.testing.assert_allclose(table["Var(W[l]) = σ²"], 2 / 100)
    np.testing.assert_allclose(table["Var(Z[l]) theory"], signals.Z_rms_theory**2)
    np.testing.assert_allclose(table["Var(Z[l]) measured"], signals.Z_rms**2)
    shown = json.loads(at.dataframe[0].proto.columns)  # to 4 significant digits, as numbers
    assert {c: config["type_config"] for c, config in shown.items() if "type_config" in config} == {
        column: {"type": "number", "format": "%.4g"} for column in table.columns[1:]
    }
    shares = chart_data(at, 0)[0]
    drawn = signals.bin_edges[1:] > 0  # ReLU's bins below 0 are not drawn
    assert len(shares) == signals.A_histogram[:, drawn].size
    np.testing.assert_allclose(signals.A_histogram[:, ~drawn], 0.0)  # nothing left out
    np.testing.assert_allclose(shares.groupby("layer")["share"].sum(), 1.0)


@pytest.mark.parametrize(
    ("query", "phrase"),
    [
        ({"wi_init": "random × 0.01"}, "The signal vanishes"),  # the CS231n collapse to 0
        ({"wi_init": "random × 10", "wi_deep_act": "tanh"}, "yet the gradient explodes"),
        ({"wi_init": "Xavier", "wi_deep_act": "tanh"}, "fades slowly, not exponentially"),
        ({"wi_init": "He"}, "The signal keeps its scale"),  # the default: ReLU with He
        ({"wi_init": "random × 10", "wi_deep_act": "relu"}, "The signal explodes"),
        ({"wi_init": "zeros"}, "Nothing gets through"),
    ],
)
def test_what_to_notice_follows_the_deep_network(query, phrase):
    at = open_page({**FAST, **query})
    assert not at.exception
    assert phrase in page_text(at)


def test_compare_all_six_runs_every_method_on_the_same_data():
    at = open_page({"wi_iter": "200"})
    assert not at.dataframe[2:]  # nothing until asked
    at.button(key="wi_compare").click().run()
    table = at.dataframe[2].value
    assert list(table["initialization"]) == list(PRESETS)
    broken = dict(zip(table["initialization"], table["symmetry broken"], strict=True))
    assert broken["zeros"] == False and broken["He"] == True  # noqa: E712 (numpy bools)
    data, result = training(at, "random × 10")
    row = table.set_index("initialization").loc["random × 10"]
    assert row["J at the start"] == pytest.approx(result.costs[0])
    assert row["test accuracy"] == pytest.approx(
        network.accuracy(data.X_test, data.Y_test, result.parameters)
    )
    at.run()  # the table stays for the same settings…
    assert len(at.dataframe) == 3
    at.slider(key="wi_iter").set_value(300).run()  # …and goes when they change
    assert len(at.dataframe) == 2


def test_smallest_settings_run():
    at = open_page(
        {"wi_v": "0.01", "wi_iter": "100", "wi_lr": "0.001", "wi_depth": "2", "wi_width": "10",
         "wi_hidden": "5", "wi_deep_act": "relu", "wi_test": "false"}
    )  # fmt: skip
    assert not at.exception
    assert at.slider(key="wi_depth").value == 2 and at.slider(key="wi_iter").value == 100
    assert [m.value for m in at.metric] == expected_metrics(at)
    assert set(chart_data(at, 3)[1]["set"]) == {"train"}  # test points hidden


def test_largest_settings_run_and_report_overflow_instead_of_crashing():
    at = open_page(
        {"wi_init": "random × 10", "wi_v": "100", "wi_seed": "9999", "wi_data": "moons",
         "wi_hidden": "20, 10", "wi_iter": "100", "wi_lr": "0.3",
         "wi_depth": "30", "wi_width": "500"}
    )  # fmt: skip
    assert not at.exception
    assert at.slider(key="wi_depth").value == 30 and at.select_slider(key="wi_width").value == 500
    assert r"10\sqrt{100} = 100.000" in at.latex[1].value  # σ = 10·√100
    assert [m.value for m in at.metric] == expected_metrics(at)
    assert len(at.get("vega_lite_chart")) == 5


def test_the_longest_training_runs_with_a_progress_bar_that_goes_away():
    at = open_page({"wi_iter": "15000", "wi_hidden": "20, 10"})
    assert not at.exception and at.slider(key="wi_iter").value == 15_000
    assert not at.get("progress")
    assert at.metric[1].label == "J at the end"


def test_garbage_in_the_link_opens_defaults_with_a_notice():
    at = open_page(
        {**FAST, "wi_init": "bogus", "wi_v": "7", "wi_depth": "abc", "wi_seed": "-3",
         "wi_data": "spirals", "wi_lr": "5"}
    )  # fmt: skip
    assert not at.exception
    assert at.selectbox(key="wi_init").value == "He" and at.select_slider(key="wi_v").value == 1.0
    assert at.slider(key="wi_depth").value == 10 and at.number_input(key="wi_seed").value == 0
    assert "could not be used" in at.info[0].value
    for key in ("wi_init", "wi_v", "wi_depth"):
        assert key in at.info[0].value


# ---------------------------------------------------------------- chart builders


def test_cost_curve_has_a_log_axis_and_tooltips():
    costs = np.array([1e3, 10.0, 1.0, 0.5])
    spec = charts.cost_curve(charts.cost_frame(costs)).to_dict()
    assert spec["encoding"]["y"]["scale"]["type"] == "log"
    assert {t["field"] for t in spec["encoding"]["tooltip"]} == {"iteration", "cost"}


def test_cost_frame_thins_the_curve_keeps_the_last_point_and_drops_what_log_cannot_show():
    costs = np.linspace(1.0, 0.1, 15_001)
    costs[5] = np.inf
    frame = charts.cost_frame(costs, max_points=600)
    assert len(frame) <= 602 and frame["iteration"].iloc[-1] == 15_000
    assert np.isfinite(frame["cost"]).all() and frame["iteration"].is_monotonic_increasing
    assert charts.cost_frame(np.array([np.nan, -1.0])).empty


def test_heatmap_is_one_cell_per_layer_and_bin_with_a_sqrt_colour_scale():
    signals = simulate_random_network(3, 20, "tanh", "xavier", np.random.default_rng(0), m=16)
    frame = charts.histogram_frame(signals)
    assert len(frame) == signals.A_histogram.size
    spec = charts.activation_heatmap(frame, "tanh").to_dict()
    assert spec["mark"]["type"] == "rect"
    assert spec["encoding"]["color"]["scale"]["type"] == "sqrt"
    assert spec["encoding"]["y"]["field"] == "layer"
    assert {t["field"] for t in spec["encoding"]["tooltip"]} >= {"layer", "share"}


def test_decision_boundary_layers_probability_cells_under_the_points():
    data = datasets.toy_split("circles", np.random.default_rng(0))
    grid = datasets.grid_covering(data.X_train, steps=5)
    frame = charts.grid_frame(grid, np.full((1, 25), 0.5))
    spec = charts.decision_boundary(
        frame, charts.points_frame(data, with_test=True), grid.step1, grid.step2
    ).to_dict()
    cells, dots = spec["layer"]
    assert cells["mark"]["type"] == "rect" and dots["mark"]["type"] == "point"
    assert cells["encoding"]["color"]["scale"]["domain"] == [0, 1]
    assert dots["encoding"]["shape"]["field"] == "set"
    assert {t["field"] for t in cells["encoding"]["tooltip"]} == {"x1", "x2", "probability"}


def test_weights_heatmap_shows_each_matrix_with_one_shared_colour_scale():
    parameters = initialize_parameters([2, 10, 5, 1], "he", np.random.default_rng(0))
    frame = charts.weights_frame(parameters, ("W1", "W2"))
    assert len(frame) == 10 * 2 + 5 * 10
    spec = charts.weights_heatmap(frame).to_dict()
    assert len(spec["hconcat"]) == 2 and spec["resolve"]["scale"]["color"] == "shared"
    assert spec["hconcat"][1]["encoding"]["color"]["scale"]["domainMid"] == 0


@pytest.mark.parametrize(
    ("query", "quoted"),
    [
        ({"wi_init": "He"}, True),  # the course's setting: circles, [2, 10, 5, 1], 15,000
        ({"wi_init": "He", "wi_data": "moons"}, False),
        ({"wi_init": "random × 10", "wi_iter": "2000"}, False),
    ],
)
def test_the_courses_outcome_is_quoted_only_beside_the_run_that_repeats_it(query, quoted):
    at = open_page(query)
    assert not at.exception
    notices = " ".join(e.value for e in [*at.info, *at.success, *at.warning])
    assert ("The course's He run" in notices or "course's random × 10" in notices) is quoted


def test_the_relu_heatmap_starts_at_the_bin_that_holds_zero():
    signals = simulate_random_network(3, 20, "relu", "he", np.random.default_rng(0), m=16)
    frame = charts.histogram_frame(signals)
    spec = charts.activation_heatmap(frame, "relu").to_dict()
    low, high = spec["encoding"]["x"]["scale"]["domain"]
    assert low < 0 <= low + (frame["high"] - frame["low"]).max() and high == frame["high"].max()


# ---------------------------------------------------------------- issue 20's additions


def test_the_pairings_stand_where_the_method_is_chosen():
    at = open_page(FAST)
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    for words in ("He √(2/n[l−1]) for ReLU", "Xavier √(1/n[l−1]) for tanh", "Glorot"):
        assert words in sidebar


def test_the_reason_and_the_grid_are_on_the_page():
    at = open_page(FAST)
    signals = simulate_random_network(10, 100, "relu", "he", np.random.default_rng(0), 1.0,
                                      distribution="normal")  # fmt: skip
    assert f"measured in layer 1: }} {signals.Z_rms[0] ** 2:.3g}" in at.latex[2].value
    assert "ReLU zeroes half the units" in page_text(at)
    cells = at.table[1].value
    assert list(cells.columns) == ["Xavier", "He", "chosen: He"]
    grid = specs(at)[1]
    assert grid["facet"]["row"]["field"] == "activation"
    assert grid["facet"]["column"]["field"] == "method"


def test_tanh_networks_train_too():
    at = open_page({**FAST, "wi_act": "tanh", "wi_init": "Xavier"})
    assert not at.exception and at.radio(key="wi_act").value == "tanh"
    assert [m.value for m in at.metric] == expected_metrics(at)
    relu = open_page({**FAST, "wi_init": "Xavier"})
    assert [m.value for m in at.metric] != [m.value for m in relu.metric]


def test_random_times_a_hundredth_never_starts_learning_and_says_why():
    at = open_page({"wi_init": "random × 0.01"})
    assert at.metric[1].value == "0.6931"
    assert "Learning never started" in page_text(at) and "‖dθ‖ = " in page_text(at)


def test_symmetry_in_isolation_sets_zeros_against_a_constant():
    at = open_page(FAST)
    table = at.dataframe[1].value
    assert list(table["start"]) == ["W = 0", "W = 0.5"]
    assert "W = 0 gets no gradient at all" in page_text(at)
    assert "its units stay copies" in page_text(at)
