"""The vanishing & exploding gradients page, run headless with Streamlit's AppTest,
and its chart builders. Expected numbers come from core, never typed in."""

import base64
import io
import json
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from charts import vanishing_exploding as charts
from core.activations import LEAKY_RELU_SLOPE
from core.initialization import METHODS
from core.propagation import (
    MAX_LINEAR_DEPTH,
    MAX_SIMULATED_DEPTH,
    MAX_SIMULATED_WIDTH,
    deep_linear_signal,
    simulate_random_network,
)
from panels import vanishing_exploding as panel
from tests import vega_expressions

PAGE = "../pages/vanishing_exploding.py"
TITLE = "Vanishing & exploding gradients"


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params.update(query or {})
    return at.run()


def page_text(at: AppTest) -> str:
    """Everything the page wrote, as one string."""
    parts = [*at.latex, *at.info, *at.success, *at.warning, *at.error, *at.caption]
    return " ".join([e.value for e in parts] + [f"{m.label}: {m.value}" for m in at.metric])


def specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def chart_data(at: AppTest, index: int) -> list[pd.DataFrame]:
    """The DataFrames a chart on the page was drawn from (Streamlit ships them as Arrow)."""
    return list(chart_tables(at, index).values())


def chart_tables(at: AppTest, index: int) -> dict[str, pd.DataFrame]:
    """The tables a chart on the page was drawn from, by name."""
    chart = at.get("vega_lite_chart")[index]
    return {d.name: pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets}


def finding(at: AppTest, index: int) -> str:
    """The finding a chart on the page writes under its title."""
    return chart_tables(at, index)["finding"]["text"].item()


def network(at: AppTest):
    """The simulation the page shows, computed here by core with the page's settings."""
    return simulate_random_network(
        at.slider(key="ve_depth").value,
        at.slider(key="ve_width").value,
        at.selectbox(key="ve_g").value,
        at.selectbox(key="ve_init").value,
        np.random.default_rng(at.number_input(key="ve_seed").value),
        at.select_slider(key="ve_scale").value,
        dtype=at.segmented_control(key="ve_dtype").value,
    )


# ---------------------------------------------------------------- the page


def test_page_opens_at_defaults_with_the_lectures_numbers():
    at = open_page()
    assert not at.exception
    assert at.title[0].value.startswith(TITLE)
    far = deep_linear_signal(1.5, MAX_LINEAR_DEPTH).limits
    assert "1.5^{9}" in at.latex[1].value and "38.44" in at.latex[1].value  # 1.5⁹ ≈ 38.4
    hero = at.metric[0]
    assert (hero.label, hero.value) == ("float32 holds all 10 layers: ŷ ≈", "38.44 · x")
    assert f"overflow to inf at layer {far['float32'].overflow_layer}" in at.caption[0].value
    assert f"float64 at layer {far['float64'].overflow_layer}" in at.caption[0].value
    assert len(at.get("vega_lite_chart")) == 4
    assert not at.error and not at.info  # the lesson is on the chart, not in a notice


def test_the_hero_holds_the_key_number_the_two_controls_and_the_chart_side_by_side():
    at = open_page()
    controls, picture = at.columns[0], at.columns[1]
    assert [m.label for m in controls.metric] == [at.metric[0].label]
    assert controls.slider(key="ve_a").value == 1.5 and controls.slider(key="ve_L").value == 10
    assert len(controls.button) == 4  # the presets
    (chart,) = picture.get("vega_lite_chart")
    assert json.loads(chart.proto.spec)["description"] == panel.LINEAR_DESCRIPTION
    assert finding(at, 0) == "explodes: ×1.5 per layer"  # under the chart's title
    assert finding(at, 1).startswith("the signal keeps its scale: ×")
    assert finding(at, 2).startswith("the gradient keeps its scale: ×")
    histogram = json.loads(at.get("vega_lite_chart")[3].proto.spec)
    assert histogram["description"] == panel.histogram_description("relu")
    assert f"{len(network(at).reachable_bins)} bins from the one holding 0" in page_text(at)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("0.5·I, 10 layers", r"\approx 1.95 \times 10^{-3} \cdot x"),  # 0.5⁹ ≈ 1.95e-3
        ("1.5·I, 2000 layers", r"1.5^{1999} \cdot x"),
    ],
)
def test_presets_set_the_sliders_and_the_numbers_follow(label, expected):
    at = open_page()
    next(b for b in at.button if b.label == label).click().run()
    a, L = (1.5, 2000) if "2000" in label else (0.5, 10)
    assert (at.slider(key="ve_a").value, at.slider(key="ve_L").value) == (a, L)
    assert expected in at.latex[1].value
    limits = deep_linear_signal(a, L).limits
    if L == 2000:  # 1.5ⁿ overflows float32 near n ≈ 219, float64 near n ≈ 1751
        hero = at.metric[0]
        assert hero.label == "float32 overflows to inf at"
        assert hero.value == f"layer {limits['float32'].overflow_layer}"
        assert f"float64 overflows at layer {limits['float64'].overflow_layer}" in (
            at.caption[0].value
        )


def test_a_preset_back_to_a_default_is_not_reported_as_a_refused_link():
    # The URL carries ve_a=0.5 after the first preset; the second puts a back to its
    # default, so Streamlit drops it from the URL: that is no refused link.
    at = open_page({"ve_a": "0.5", "ve_L": "10"})
    next(b for b in at.button if b.label == "1.5·I, 2000 layers").click().run()
    assert (at.slider(key="ve_a").value, at.slider(key="ve_L").value) == (1.5, 2000)
    assert not [info for info in at.info if "could not be used" in info.value]


def test_moving_the_linear_sliders_shows_what_core_computes():
    at = open_page()
    at.slider(key="ve_a").set_value(0.6)
    at.slider(key="ve_L").set_value(2000).run()
    signal = deep_linear_signal(0.6, 2000)
    assert charts.power_of_ten(signal.log10_y_hat) in at.latex[1].value
    limits = signal.limits
    assert at.metric[0].label == "float32 underflows to 0 at"
    assert at.metric[0].value == f"layer {limits['float32'].underflow_layer}"
    assert f"float64 underflows to 0 at layer {limits['float64'].underflow_layer}" in (
        at.caption[0].value
    )
    line = specs(at)[0]["layer"][1]
    label = line["encoding"]["y"]["axis"]["labelExpr"]  # its ticks are log10 |A[l]|
    shown = [vega_expressions.label(label, k) for k in (-443.0, 0.0, 12.0)]
    assert shown == ["10⁻⁴⁴³", "10⁰", "10¹²"]


def label_expressions(spec) -> list[str]:
    """Every labelExpr in a chart's spec."""
    if isinstance(spec, dict):
        found = [spec["labelExpr"]] if "labelExpr" in spec else []
        return found + [e for value in spec.values() for e in label_expressions(value)]
    return [e for value in spec for e in label_expressions(value)] if isinstance(spec, list) else []


def test_the_random_networks_log_axes_label_1_2_and_5_times_a_power_of_ten():
    at = open_page()
    (forward,) = set(label_expressions(specs(at)[1]))
    assert set(label_expressions(specs(at)[2])) == {forward}  # both sides read alike
    ticks = (0.5, 200, 600, 1e20, 5e-7, 7e-5, 1e-7, 1000, 1e6)  # log10(1000) = 2.99…96
    labels = ["0.5", "200", "", "10²⁰", "5·10⁻⁷", "", "10⁻⁷", "1000", "10⁶"]
    assert [vega_expressions.label(forward, tick) for tick in ticks] == labels


def test_a_equal_to_one_is_the_knife_edge():
    at = open_page({"ve_a": "1.0", "ve_L": "2000"})
    assert r"1^{1999} \cdot x" in at.latex[1].value and r"\approx 1 \cdot x" in at.latex[1].value
    assert (at.metric[0].label, at.metric[0].value) == ("float32 holds all 2000 layers: ŷ ≈", "x")
    assert at.caption[0].value.startswith("a = 1 is the knife edge: ŷ = x at any depth.")
    assert finding(at, 0) == "keeps its scale: ×1 per layer"


def test_the_live_formula_and_notice_follow_the_network_controls():
    at = open_page()
    at.selectbox(key="ve_g").set_value("tanh")
    at.selectbox(key="ve_init").set_value("xavier")
    at.slider(key="ve_depth").set_value(30).run()
    assert not at.exception
    s = network(at)
    assert rf"= {charts.power_of_ten(np.log10(s.sigma_w2))}" in at.latex[4].value
    assert f"Z[30] is {s.Z_rms[-1] / s.Z_rms[0]:.3g} times Z[1]" in page_text(at)


def test_float32_overflow_is_marked_instead_of_crashing():
    at = open_page()
    at.selectbox(key="ve_init").set_value("random")
    at.select_slider(key="ve_scale").set_value(10.0)
    at.segmented_control(key="ve_dtype").set_value("float32").run()
    assert not at.exception
    k = network(at).forward_nonfinite_layer
    assert k is not None
    assert f"float32 overflowed at layer {k}" in at.error[0].value
    marks = next(frame for frame in chart_data(at, 1) if "label" in frame)
    assert list(marks["label"]) == [f"float32: inf/NaN at layer {k}"]


def test_zero_weights_warn_about_symmetry():
    at = open_page()
    at.selectbox(key="ve_init").set_value("zeros").run()
    assert not at.exception
    assert "cannot break the symmetry" in at.warning[0].value


@pytest.mark.parametrize("end", ["min", "max"])
def test_every_control_at_its_extremes(end):
    at = open_page()
    for slider in [*at.slider, *at.select_slider]:
        values = slider.options if hasattr(slider, "options") and slider.options else None
        if values:
            slider.set_value(type(slider.value)(values[0 if end == "min" else -1]))
        else:
            slider.set_value(slider.min if end == "min" else slider.max)
    at.number_input(key="ve_seed").set_value(0 if end == "min" else 9999)
    at.selectbox(key="ve_init").set_value(METHODS[0 if end == "min" else -1])
    at.segmented_control(key="ve_dtype").set_value("float32" if end == "min" else "float64")
    at.run(timeout=120)
    assert not at.exception
    assert at.slider(key="ve_depth").value == (2 if end == "min" else MAX_SIMULATED_DEPTH)
    assert at.slider(key="ve_width").value == (16 if end == "min" else MAX_SIMULATED_WIDTH)
    assert len(at.get("vega_lite_chart")) == 4


@pytest.mark.parametrize(
    "query", [{"ve_L": "garbage"}, {"ve_a": "7"}, {"ve_init": "eval"}, {"ve_width": "100000"}]
)
def test_bad_link_values_open_the_defaults_with_a_notice(query):
    at = open_page(query)
    assert not at.exception
    assert at.slider(key="ve_L").value == 10 and at.slider(key="ve_width").value == 256
    assert "could not be used" in at.info[0].value
    assert next(iter(query)) in at.info[0].value


def test_a_link_reopens_the_exact_setting():
    at = open_page({"ve_a": "0.5", "ve_L": "2000", "ve_g": "sigmoid", "ve_dtype": "float32"})
    assert not at.exception
    assert (at.slider(key="ve_a").value, at.slider(key="ve_L").value) == (0.5, 2000)
    assert at.selectbox(key="ve_g").value == "sigmoid"
    assert at.segmented_control(key="ve_dtype").value == "float32"
    assert "could not be used" not in page_text(at)


# ---------------------------------------------------------------- the chart builders


@pytest.mark.parametrize(
    ("log10_value", "text"),
    [
        (np.log10(1.5**9), "38.44"),
        (np.log10(0.5**9), r"1.95 \times 10^{-3}"),
        (1999 * np.log10(1.5), r"1.01 \times 10^{352}"),  # far beyond float64
        (np.log10(9.999e7), r"1.00 \times 10^{8}"),  # 9.999 rounds up to the next power
    ],
)
def test_power_of_ten_writes_magnitudes_beyond_any_float(log10_value, text):
    assert charts.power_of_ten(log10_value) == text


def test_linear_chart_marks_where_each_float_type_gives_out():
    signal = deep_linear_signal(1.5, 2000)
    tables = charts.linear_frames(signal)
    limits = signal.limits
    assert set(tables["marks"]["label"]) == {
        f"float32: inf at l = {limits['float32'].overflow_layer}",  # 219
        f"float64: inf at l = {limits['float64'].overflow_layer}",  # 1751
    }
    assert set(tables["bands"]["dtype"]) == {"float32", "float64"}
    assert not tables["signal"]["dotted"].any()  # 2000 layers: a line without points
    assert charts.linear_frames(deep_linear_signal(1.5, 40))["signal"]["dotted"].all()
    spec = charts.linear_depth_chart().to_dict()
    drawn = [(layer["mark"]["type"], layer["data"]["name"]) for layer in spec["layer"]]
    assert drawn == [
        ("rect", "bands"), ("line", "signal"), ("point", "signal"), ("rule", "marks"),
        ("text", "marks"), ("point", "extent"), ("text", "finding"),
    ]  # fmt: skip
    assert spec["layer"][1]["encoding"]["tooltip"]
    assert (
        "legend" not in json.dumps(spec["layer"][0])
        or spec["layer"][0]["encoding"]["color"]["legend"] is None
    )  # the rows of text name the bands


def test_per_layer_chart_is_log_scaled_with_theory_dashed():
    s = simulate_random_network(
        40, 32, "relu", "random", np.random.default_rng(0), 10.0, dtype="float32"
    )
    tables = charts.forward_frames(s)
    frame = tables["points"]
    assert np.all(np.isfinite(frame["value"])) and np.all(frame["value"] > 0)
    assert list(tables["breaks"]["layer"]) == [s.forward_nonfinite_layer]
    assert list(tables["extent"]["layer"]) == [1, 40]  # the x axis spans all 40 layers
    spec = charts.per_layer_chart(charts.FORWARD, title="t", y_title="y").to_dict()
    encoding = spec["layer"][0]["encoding"]
    assert encoding["y"]["scale"]["type"] == "log"
    assert [6, 4] in encoding["strokeDash"]["scale"]["range"]
    assert encoding["tooltip"]


def test_the_theory_is_drawn_over_the_simulation_and_the_legend_shows_its_dashes():
    # Before: the dashed theory lay under the solid simulation, and the legend drew both
    # as one short stroke.
    s = simulate_random_network(30, 64, "relu", "he", np.random.default_rng(0), 1.0)
    assert charts.backward_frames(s, "v")["finding"]["text"].item() == "v"
    spec = charts.per_layer_chart(charts.BACKWARD, title="t", y_title="y").to_dict()
    lines = [layer for layer in spec["layer"] if layer["mark"]["type"] == "line"]
    drawn = [layer["transform"][0]["filter"] for layer in lines]
    assert drawn == ["datum.source == 'simulated'", "datum.source == 'theory'"]  # theory last
    simulated, theory = (layer["mark"]["strokeWidth"] for layer in lines)
    assert theory > simulated
    color, dash = (spec["layer"][0]["encoding"][c] for c in ("color", "strokeDash"))
    shade = dict(zip(color["scale"]["domain"], color["scale"]["range"], strict=True))
    assert shade["rms of dA[l], theory"] != shade["rms of dA[l], simulated"]
    dashes = dict(zip(dash["scale"]["domain"], dash["scale"]["range"], strict=True))
    assert dashes["rms of dA[l], theory"] == [6, 4] and dashes["rms of dA[l], simulated"] == [1, 0]
    legend = color["legend"]
    assert legend == dash["legend"] and "orient" not in legend  # one legend, placed globally
    assert legend["symbolSize"] ** 0.5 >= 3 * sum(dashes["rms of dA[l], theory"])  # 3 dashes
    finding = spec["layer"][-1]  # the finding where a subtitle goes: above the plot
    assert finding["data"] == {"name": "finding"} and finding["encoding"]["y"]["value"] < 0
    assert spec["title"]["text"] == "t"


def heatmap(tables: dict[str, pd.DataFrame]) -> np.ndarray:
    """The histogram chart's image as RGBA pixels (rows top to bottom)."""
    url = tables["image"]["url"].item()
    assert url.startswith("data:image/png;base64,")  # drawn in the page, nothing fetched
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))))


def test_histogram_frame_has_one_row_per_layer_and_bin():
    s = simulate_random_network(5, 32, "tanh", "random", np.random.default_rng(0), 1.0)
    frame = charts.histogram_cells(s)
    assert len(frame) == 5 * (len(s.bin_edges) - 1)
    assert np.allclose(frame.groupby("layer")["fraction"].sum(), 1.0)


def test_the_histogram_is_one_image_with_a_block_of_the_share_s_colour_per_cell():
    s = simulate_random_network(7, 32, "tanh", "xavier", np.random.default_rng(0), 1.0)
    frame = charts.histogram_cells(s)  # tanh's outer bins are empty here
    tables = charts.histogram_frames(s)
    spec = charts.histogram_chart(value_title="A").to_dict()
    # no cell is drawn as a mark: the only rects are the transparent per-layer tooltips
    rects = [layer["mark"] for layer in spec["layer"] if layer["mark"]["type"] == "rect"]
    assert [mark["opacity"] for mark in rects] == [0]
    image = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "image")
    assert image["encoding"]["url"]["field"] == "url"  # the picture travels in its table
    pixels = heatmap(tables)
    bins = len(s.bin_edges) - 1
    height, width = pixels.shape[:2]
    assert width % 7 == 0 and height % bins == 0 and width >= 800 and height >= 400
    block_w, block_h = width // 7, height // bins

    def colour(layer: int, b: int) -> str:  # the centre of a cell's block; bin 0 at the bottom
        row, column = height - (b + 0.5) * block_h, (layer - 0.5) * block_w
        return "#{:02x}{:02x}{:02x}".format(*pixels[int(row), int(column), :3])

    # Vega's viridis ends: the largest share is yellow, an empty bin dark purple.
    top = frame.loc[frame["fraction"].idxmax()]
    assert colour(int(top["layer"]), int(np.searchsorted(s.bin_edges, top["low"]))) == "#fde725"
    empty = frame[frame["fraction"] == 0].iloc[0]
    assert colour(int(empty["layer"]), int(np.searchsorted(s.bin_edges, empty["low"]))) == (
        "#440154"
    )
    assert (pixels[..., 3] == 255).all()  # every layer holds values
    legend = next(layer for layer in spec["layer"] if "color" in layer.get("encoding", {}))
    assert legend["encoding"]["color"]["scale"]["type"] == "sqrt"
    assert list(tables[legend["data"]["name"]]["fraction"]) == [0, top["fraction"]]
    assert list(tables["image"].loc[0, ["x0", "x1"]]) == [0.5, 7.5]  # the layers' cells


@pytest.mark.parametrize("scale", [0.01, 1.0, 10.0])
def test_the_live_sigma_w2_formula_squares_sigma_in_parentheses(scale):
    from panels.vanishing_exploding import variance_latex

    net = simulate_random_network(5, 100, "tanh", "he", np.random.default_rng(0), scale)
    sigma_w2, _ = variance_latex(net)
    assert re.search(r"\\left\([^()]*\\right\)\^2", sigma_w2)  # (8.84 × 10^{-4})^2
    assert not re.search(r"\}\^2", sigma_w2)  # never a double superscript, 10^{-4}^2


def test_after_a_forward_overflow_the_backward_chart_names_it_once_and_lost_layers_are_blank():
    s = simulate_random_network(200, 64, "relu", "he", np.random.default_rng(0), 10.0,
                                dtype="float32")  # fmt: skip
    k = s.forward_nonfinite_layer
    assert k is not None and k < 200
    marks = charts.backward_frames(s)["breaks"]
    assert list(marks["layer"]) == [200] and f"Z[{k}] overflowed" in marks["label"].iloc[0]
    frame = charts.histogram_cells(s)
    shown = set(frame["layer"])
    assert max(shown) < s.depth and all(s.A_histogram[l - 1].sum() > 0 for l in shown)
    pixels = heatmap(charts.histogram_frames(s))
    alpha = pixels[..., 3].max(axis=0).reshape(200, -1)[:, 0]  # per layer
    assert list(alpha > 0) == [l in shown for l in range(1, 201)]  # lost layers are blank


def test_relu_histogram_starts_at_the_bin_holding_zero_and_says_so():
    from panels.vanishing_exploding import histogram_caption

    relu = simulate_random_network(5, 64, "relu", "he", np.random.default_rng(0), 1.0)
    frame = charts.histogram_cells(relu)
    assert frame["low"].min() < 0 < frame["high"].min()  # the bin of ReLU's zeros is kept
    assert np.allclose(frame.groupby("layer")["fraction"].sum(), 1.0)  # nothing was lost
    assert len(frame) == 5 * len(relu.reachable_bins) < 5 * (len(relu.bin_edges) - 1)
    assert "from the one holding 0" in histogram_caption(relu)
    leaky = simulate_random_network(5, 64, "leaky_relu", "he", np.random.default_rng(0), 1.0)
    assert charts.histogram_cells(leaky)["low"].min() == leaky.bin_edges[0]
    assert "left out" not in histogram_caption(leaky)


@pytest.mark.parametrize(
    ("activation", "said", "unsaid"),
    [
        ("linear", "bell shape", "saturated"),
        ("relu", "half the units at 0", "saturated"),
        ("leaky_relu", f"by {LEAKY_RELU_SLOPE:g}", "saturated"),
        ("tanh", "at −1 and 1 are saturated", "ReLU"),
        ("sigmoid", "at 0 and 1 are saturated", "tanh"),
    ],
)
def test_histogram_caption_reads_the_chosen_activation(activation, said, unsaid):
    from panels.vanishing_exploding import histogram_caption

    net = simulate_random_network(3, 16, activation, "xavier", np.random.default_rng(0), 1.0)
    caption = histogram_caption(net)
    assert said in caption and unsaid not in caption and "-" not in caption  # − for minus


# ---------------------------------------------------------------- issue 20's corrections


def test_tanh_with_large_weights_is_not_said_to_stop_the_gradient():
    at = open_page()
    at.selectbox(key="ve_g").set_value("tanh")
    at.selectbox(key="ve_init").set_value("random")
    at.select_slider(key="ve_scale").set_value(10.0).run()
    assert not at.exception
    s = network(at)
    text = at.warning[0].value
    assert s.dA_rms[0] / s.dA_rms[-1] > 1e20
    assert "yet the gradient explodes" in text and "lets almost no gradient" not in text


def test_tanh_with_xavier_fades_slowly_by_the_one_rule():
    at = open_page()
    at.selectbox(key="ve_g").set_value("tanh")
    at.selectbox(key="ve_init").set_value("xavier").run()
    text = at.warning[0].value
    assert "the signal vanishes" in text and "fades slowly, not exponentially" in text


def test_the_caption_names_the_uniform_draw_and_the_pairings():
    at = open_page()
    caption = " ".join(c.value for c in at.caption)
    assert "He √(2/n[l−1]) for ReLU; Xavier √(1/n[l−1]) for tanh" in caption
    assert "kaiming_uniform_(nonlinearity='relu')" in caption and "he_uniform" in caption
    assert "kaiming_normal_" not in caption and "he_normal" not in caption
    assert network(at).distribution == "uniform"
