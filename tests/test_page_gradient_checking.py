"""The gradient-checking page, run headless with Streamlit's AppTest, and its chart
builders. Expected numbers come from core, computed here the way the page documents it
(the seed draws the 300 training points, then the weights)."""

import json
from dataclasses import replace

import numpy as np
import pytest
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from charts import gradient_checking as charts
from charts.common import BAND_OPACITY, VERDICT_COLORS, vega_lite_spec
from core import datasets, initialization
from core import gradient_check as gc
from core.epsilon_sweep import epsilon_sweep
from core.gradient_check import (
    COURSE_EPSILON,
    DEFAULT_EPSILON,
    VERDICT_BANDS,
    check_network,
    difference_terms,
)
from core.gradient_check_component import check_component
from core.initialization import PRESETS
from core.network import PLANTED_BUGS, layout_of
from core.notebook_case import NOTEBOOK_DIFFERENCES, notebook_case
from panels import gradient_checking as panel

PAGE = "../pages/gradient_checking.py"
TITLE = "Gradient checking"
VERDICT, BLOCKS, THETA, SCATTER, SWEEP = range(5)  # the page's charts, in order
BANDS, BAND_NAMES, CURVES, RULES, RULE_LABELS, _, DIAMOND = range(7)  # the sweep's layers


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params.update(query or {})
    return at.run()


def core_problem(hidden=(10, 5), seed=0, dtype="float64", data="circles", init="He"):
    rng = np.random.default_rng(seed)
    split = datasets.toy_split(data, rng)
    preset = PRESETS[init]
    parameters = initialization.initialize_parameters(
        (2, *hidden, 1), preset.method, rng, preset.std_scale()
    )
    parameters = {key: value.astype(dtype) for key, value in parameters.items()}
    return parameters, split.X_train, split.Y_train


def verdict_line(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("## Verdict"))


def shown_difference(at: AppTest) -> str:
    """The difference the caption under the verdict states ("Difference 1.6e-10 · …")."""
    line = next(c.value for c in at.caption if c.value.startswith("Difference "))
    return line.split(" · ")[0].removeprefix("Difference ")


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def charts_of(at: AppTest):
    return at.get("vega_lite_chart")


def spec(at: AppTest, index: int) -> dict:
    return json.loads(charts_of(at)[index].proto.spec)


def layer_data(at: AppTest, index: int, layer: int):
    """The DataFrame one layer of a chart draws (Streamlit ships it as Arrow)."""
    chart = charts_of(at)[index]
    name = json.loads(chart.proto.spec)["layer"][layer]["data"]["name"]
    found = next(d for d in chart.proto.datasets if d.name == name)
    return dataframe_util.convert_arrow_bytes_to_pandas_df(found.data.data)


def clean(at: AppTest) -> bool:
    return not at.exception and not at.error


# ---------------------------------------------------------------- the page


def test_page_opens_with_the_verdict_core_gives_for_the_courses_network():
    at = open_page()
    assert clean(at) and not at.warning
    assert at.title[0].value.startswith(TITLE)
    expected = check_network(*core_problem())
    assert expected.verdict == "great"
    assert verdict_line(at) == "## Verdict: :green[great]"
    assert shown_difference(at) == charts.sci(expected.difference)
    P = 2 * 10 + 10 + 10 * 5 + 5 + 5 + 1
    assert metric(at, "Cost evaluations") == f"{2 * P:,}" == f"{expected.evaluations:,}"
    terms = difference_terms(expected.approx, expected.analytic)
    formula, live = at.latex[0].value.split(r"\\")  # the live numbers on their own line
    assert r"\lVert d\theta_\text{approx} - d\theta \rVert_2" in formula
    assert f"{terms.approx_norm:.3g}" in live and r"\frac{" in live
    assert len(charts_of(at)) == 5
    assert at.slider(key="gc_k").disabled  # full mode ignores k
    # the planted bug, ε and the precision sit on the page beside the verdict, not in the
    # sidebar; so do the other settings, folded
    assert not at.sidebar.selectbox and not at.sidebar.select_slider
    assert at.selectbox(key="gc_bug").value == "none"


def test_the_sweep_notice_states_cores_numbers():
    at = open_page()
    parameters, X, Y = core_problem()
    sweeps = {
        dtype: epsilon_sweep(
            {key: value.astype(dtype) for key, value in parameters.items()},
            X,
            Y,
            mode="sample",
            k=5,
        )
        for dtype in ("float64", "float32")
    }
    notice = at.info[-1].value
    s64, s32 = sweeps["float64"], sweeps["float32"]
    assert f"bottoms out at {charts.sci(s64.best_difference)}" in notice
    assert f"The course's ε = 1e-7 gives {charts.sci(s64.difference_at(COURSE_EPSILON))}" in notice
    assert f"the difference is {charts.sci(s32.difference_at(COURSE_EPSILON))}" in notice
    assert notice.endswith("round-off, which makes a correct gradient look broken.")
    assert s32.difference_at(COURSE_EPSILON) > 0.1


def test_epsilon_and_precision_change_the_numbers_to_cores():
    at = open_page()
    at.select_slider(key="gc_eps").set_value("1e-7")
    at.segmented_control(key="gc_dtype").set_value("float32").run()
    expected = check_network(*core_problem(dtype="float32"), epsilon=1e-7)
    assert expected.difference > 1e-3  # in the bug band, yet the code is correct
    assert expected.verdict == "inconclusive"  # round-off decides, not backprop
    assert shown_difference(at) == charts.sci(expected.difference)
    assert verdict_line(at) == "## Verdict: :gray[inconclusive], round-off at this ε in float32"
    assert expected.warnings[0] in [w.value for w in at.warning]
    assert "float32" in expected.warnings[0]


def test_another_network_and_seed_change_the_numbers_to_cores():
    at = open_page()
    at.selectbox(key="gc_hidden").set_value("64, 32")  # 2,305 parameters: still full
    at.selectbox(key="gc_act").set_value("tanh")
    at.number_input(key="gc_seed").set_value(7).run()
    expected = check_network(*core_problem(hidden=(64, 32), seed=7), activation="tanh")
    assert expected.mode == "full"
    assert shown_difference(at) == charts.sci(expected.difference)
    assert metric(at, "Cost evaluations") == f"{expected.evaluations:,}"
    assert not any("pre-activation across 0" in c.value for c in at.caption)  # tanh: no kinks


LINKED = {name: bug.label for name, bug in PLANTED_BUGS.items()}  # what a link holds
BUG_QUERIES = {
    "dW2_doubled": {},
    "db1_not_averaged": {},
    "l2_missing_in_dW": {"gc_lambda": "0.7"},
    "activation_derivative_wrong": {},
    "dropout_mask_forgotten": {"gc_keep": "0.8"},
    "notebook_bugs": {},
}


@pytest.mark.parametrize("bug", list(PLANTED_BUGS))
def test_each_planted_bug_gives_a_bug_verdict_and_its_block_stands_out(bug):
    at = open_page({"gc_bug": LINKED[bug], "gc_act": "tanh", **BUG_QUERIES[bug]})
    assert clean(at)
    assert verdict_line(at).startswith("## Verdict: :red[bug] in ")
    assert PLANTED_BUGS[bug].description in [c.value for c in at.caption]
    blocks = layer_data(at, BLOCKS, 1)
    outlined = set(blocks.loc[blocks["outline"] != "transparent", "block"])
    in_bug_band = set(blocks.loc[blocks["verdict"] == "bug", "block"])
    assert outlined == in_bug_band  # every broken block, and only those
    assert blocks.loc[blocks["difference"].idxmax(), "block"] in outlined
    planted = set(PLANTED_BUGS[bug].blocks)
    if planted != {"*"}:
        assert in_bug_band <= planted
    # the heading names the blocks the chart rings
    named = verdict_line(at).removeprefix("## Verdict: :red[bug] in ")
    ringed = [charts.lecture_name(block) for block in blocks["block"] if block in in_bug_band]
    assert named.replace(" and ", ", ").split(", ") == ringed
    assert "With the planted bug no ε brings the difference below" in at.info[-1].value


def test_a_bug_that_needs_a_setting_passes_without_it_and_says_so():
    at = open_page({"gc_bug": LINKED["l2_missing_in_dW"]})
    assert ":green[great]" in verdict_line(at)
    assert any("only matters when λ > 0" in w.value for w in at.warning)


def test_a_large_network_is_sampled_instead_of_checked_in_full_with_the_reason():
    at = open_page({"gc_hidden": "128, 64"})
    assert clean(at)
    P = 2 * 128 + 128 + 128 * 64 + 64 + 64 + 1
    reason = next(i.value for i in at.info if "cost evaluations" in i.value)
    assert f"P = {P:,}" in reason and f"2·P = {2 * P:,}" in reason
    expected = check_network(*core_problem(hidden=(128, 64)), mode="sample", k=10)
    assert metric(at, "Cost evaluations") == f"{expected.evaluations:,}"
    assert shown_difference(at) == charts.sci(expected.difference)
    assert not at.slider(key="gc_k").disabled
    assert at.session_state["gc_mode"] == "sampled"  # the control shows what is checked


def test_random_directions_say_whether_not_where():
    at = open_page({"gc_mode": "directions", "gc_k": "4"})
    assert clean(at)
    assert any("tell whether dθ is wrong, not where" in i.value for i in at.info)
    assert len(charts_of(at)) == 3
    assert metric(at, "Cost evaluations") == "8"
    assert list(charts.worst_frame(check_network(*core_problem(), mode="directions", k=4))[
        "component"
    ]) == list(at.table[0].value["component"])  # fmt: skip


def test_dropout_reports_the_fresh_mask_result():
    at = open_page({"gc_keep": "0.5", "gc_act": "tanh", "gc_mode": "sampled"})
    expected = check_network(*core_problem(), activation="tanh", keep_prob=0.5, mode="sample", k=10)
    assert expected.fresh_mask_difference > 1e-3
    assert any(f"{expected.fresh_mask_difference:.1e}" in w.value for w in at.warning)


EXTREMES = {
    "gc_hidden": ("5", "128, 64"),
    "gc_eps": ("1e-12", "0.1"),
    "gc_lambda": ("0", "10"),
    "gc_keep": ("0.5", "1"),
    "gc_k": ("1", "20"),
    "gc_seed": ("0", "9999"),
    "gc_act": ("linear", "sigmoid"),
    "gc_init": ("zeros", "random × 10"),
    "gc_data": ("moons",),
    "gc_dtype": ("float32",),
    "gc_mode": ("sampled", "directions"),
}


@pytest.mark.parametrize(
    "key, value", [(key, value) for key, values in EXTREMES.items() for value in values]
)
def test_every_control_at_its_extremes_keeps_the_page_running(key, value):
    query = {key: value, "gc_mode": "sampled"} if key == "gc_k" else {key: value}
    at = open_page(query)
    assert clean(at)
    assert not any(i.value.startswith("Some settings") for i in at.info)  # the link was taken
    assert verdict_line(at)
    assert len(charts_of(at)) == (3 if query.get("gc_mode") == "directions" else 5)


def test_everything_at_its_maximum_at_once_still_runs():
    query = {"gc_hidden": "128, 64", "gc_mode": "directions", "gc_k": "20", "gc_keep": "0.5",
             "gc_lambda": "10", "gc_eps": "0.1", "gc_act": "sigmoid"}  # fmt: skip
    at = open_page(query)
    assert clean(at) and verdict_line(at)


def test_garbage_in_the_link_falls_back_to_defaults_with_a_notice():
    garbage = {"gc_eps": "garbage", "gc_hidden": "9999", "gc_k": "-5", "gc_lambda": "nan",
               "gc_bug": "__import__('os')", "gc_mode": "fast"}  # fmt: skip
    at = open_page(garbage)
    assert not at.exception
    assert "could not be used" in at.info[0].value and "gc_bug" in at.info[0].value
    assert at.selectbox(key="gc_bug").value == "none"
    expected = check_network(*core_problem())
    assert shown_difference(at) == charts.sci(expected.difference)


def test_a_link_reopens_the_exact_setting():
    query = {"gc_hidden": "64, 32", "gc_act": "leaky_relu", "gc_eps": "3e-6", "gc_k": "3",
             "gc_bug": LINKED["dW2_doubled"], "gc_mode": "sampled", "gc_data": "moons"}  # fmt: skip
    at = open_page(query)
    assert at.selectbox(key="gc_hidden").value == "64, 32"
    assert at.select_slider(key="gc_eps").value == "3e-6"
    assert (at.segmented_control(key="gc_mode").value, at.slider(key="gc_k").value) == (
        "sampled",
        3,
    )
    assert not any(i.value.startswith("Some settings") for i in at.info)
    expected = check_network(
        *core_problem(hidden=(64, 32), data="moons"), activation="leaky_relu", epsilon=3e-6,
        bug="dW2_doubled", mode="sample", k=3,
    )  # fmt: skip
    assert shown_difference(at) == charts.sci(expected.difference)


# ---------------------------------------------------------------- the charts


def test_verdict_bar_has_the_three_bands_from_core_on_a_log_axis():
    at = open_page()
    verdict = spec(at, VERDICT)
    bar = verdict["layer"][0]["encoding"]
    assert bar["x"]["scale"]["type"] == "log"
    bands = layer_data(at, VERDICT, 0)
    assert list(bands["verdict"]) == [band.verdict for band in VERDICT_BANDS]
    assert list(bands["high"][:-1]) == [band.below for band in VERDICT_BANDS[:-1]]
    assert list(bands["low"][1:]) == [band.below for band in VERDICT_BANDS[:-1]]
    marks = [layer["mark"]["type"] for layer in verdict["layer"]]
    assert marks == ["rect", "text", "point", "text", "text"]  # labels: rightwards, leftwards
    expected = check_network(*core_problem())
    dot = layer_data(at, VERDICT, 2)
    assert list(dot["shown"]) == [expected.difference]
    assert list(dot["text"]) == [f"this check: {charts.sci(expected.difference)}"]
    assert list(dot["verdict"]) == ["great"] and not dot["leftwards"][0]
    fill = verdict["layer"][2]["encoding"]["fill"]
    assert fill["field"] == "verdict"
    assert (
        dict(zip(fill["scale"]["domain"], fill["scale"]["range"], strict=True))["great"]
        == (VERDICT_COLORS["great"])
    )


@pytest.mark.parametrize(
    ("difference", "verdict", "shown", "leftwards"),
    [(2.7e-11, "great", 2.7e-11, False), (0.0, "great", charts.FLOOR, False),
     (4.5e-4, "inconclusive", 4.5e-4, True), (0.25, "bug", 0.25, True)],
)  # fmt: skip
def test_the_verdict_dot_sits_at_its_difference_labelled_on_the_roomier_side(
    difference, verdict, shown, leftwards
):
    result = replace(check_network(*core_problem()), difference=difference, verdict=verdict)
    mark = charts.verdict_mark(result).iloc[0]
    assert (mark["shown"], mark["verdict"], bool(mark["leftwards"])) == (shown, verdict, leftwards)
    assert mark["text"] == f"this check: {charts.sci(difference)}"


def test_the_bands_are_the_apps_one_palette_pale_behind_the_data():
    at = open_page()
    for index, layer in ((VERDICT, 0), (BLOCKS, 0), (SWEEP, BANDS)):
        band = spec(at, index)["layer"][layer]
        assert band["mark"]["opacity"] == BAND_OPACITY
        channel = "fill" if "fill" in band["encoding"] else "color"
        scale = band["encoding"][channel]["scale"]
        colors = dict(zip(scale["domain"], scale["range"], strict=True))
        assert {verdict: colors[verdict] for verdict in VERDICT_COLORS} == VERDICT_COLORS
    # legends sit where the app's config puts them: no chart sets its own
    assert all("orient" not in json.dumps(spec(at, index)["layer"]) for index in range(5))


def test_block_and_scatter_charts_carry_log_scale_and_the_diagonal():
    at = open_page()
    blocks = spec(at, BLOCKS)
    assert blocks["layer"][1]["mark"]["type"] == "circle"  # dots, not bars from 1e-16
    assert blocks["layer"][1]["encoding"]["x"]["scale"]["type"] == "log"
    dots = layer_data(at, BLOCKS, 1)
    assert list(dots["block"]) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert list(dots["name"]) == ["W[1]", "b[1]", "W[2]", "b[2]", "W[3]", "b[3]"]
    # the verdict bar's row names take the same width as the blocks': the axes line up
    axes = [spec(at, index)["layer"][layer]["encoding"]["y"]["axis"]
            for index, layer in ((VERDICT, 0), (BLOCKS, 1))]  # fmt: skip
    assert {(a["minExtent"], a["maxExtent"]) for a in axes} == {(charts.ROW_LABELS,) * 2}
    scatter = spec(at, SCATTER)
    assert [layer["mark"]["type"] for layer in scatter["layer"]] == ["line", "circle"]
    diagonal = layer_data(at, SCATTER, 0)
    np.testing.assert_array_equal(diagonal["analytic"], diagonal["approx"])  # y = x
    assert len(layer_data(at, SCATTER, 1)) == 91


def test_sweep_chart_is_log_log_with_the_course_and_project_epsilons_marked():
    at = open_page({"gc_eps": "1e-9"})
    sweep = spec(at, SWEEP)
    lines = sweep["layer"][CURVES]["encoding"]
    assert lines["x"]["scale"]["type"] == "log" and lines["y"]["scale"]["type"] == "log"
    curves = layer_data(at, SWEEP, CURVES)
    assert set(curves["dtype"]) == {"float64", "float32"}
    marks = layer_data(at, SWEEP, RULES)
    assert list(marks["epsilon"]) == [1e-9, COURSE_EPSILON, DEFAULT_EPSILON]
    assert list(marks["label"]) == ["your ε", "course's 1e-7", "default 1e-5"]


def test_marks_at_the_same_epsilon_share_one_rule():
    marks = charts.epsilon_marks({"course's 1e-7": 1e-7, "your ε": 1e-5, "default 1e-5": 1e-5})
    assert list(marks["label"]) == ["course's 1e-7", "your ε = default 1e-5"]
    assert list(marks["row"]) == [0, 1]


def test_band_frame_cuts_the_bands_to_the_range_and_keeps_their_edges():
    frame = charts.band_frame(1e-9, 1e-4)
    assert list(frame["verdict"]) == ["great", "suspicious"]
    assert list(frame["low"]) == [1e-9, VERDICT_BANDS[0].below]
    assert list(frame["high"]) == [VERDICT_BANDS[0].below, 1e-4]


def test_coordinate_frame_keeps_the_worst_components_when_it_thins_out():
    result = check_network(*core_problem(), bug="dW2_doubled")
    parameters = core_problem()[0]
    frame = charts.coordinate_frame(result, layout_of(parameters), max_points=30)
    assert len(frame) == 30
    worst = {component.name for component in result.worst}
    assert worst <= set(frame["component"])
    assert set(frame.loc[frame["component"].isin(worst), "block"]) == {"W2"}


def test_sci_formats_differences_compactly():
    assert charts.sci(2.7e-11) == "2.7e-11"
    assert charts.sci(4.5e-4) == "4.5e-4"
    assert charts.sci(0.0) == "0"
    assert charts.sci(1.0) == "1.0"


def test_a_zero_gradient_is_explained_not_passed_off_as_a_bug_in_backprop():
    at = open_page({"gc_init": "zeros", "gc_act": "tanh"})
    expected = check_network(*core_problem(init="zeros"), activation="tanh")
    terms = difference_terms(expected.approx, expected.analytic)
    assert terms.analytic_norm == 0 < terms.approx_norm and expected.difference == 1.0
    assert any("dθ is exactly 0 here" in w.value for w in at.warning)
    assert "ε cannot be judged at a point where the gradient vanishes" in at.info[-1].value


def test_correct_code_on_exact_kinks_is_cleared_beside_the_verdict_and_in_the_sweep():
    # keep_prob = 0.5 drops every input of some units: with b = 0 their Z is exactly 0.
    at = open_page({"gc_keep": "0.5"})
    assert not at.exception
    result = check_network(*core_problem(), keep_prob=0.5)
    assert result.kinks.count and gc.verdict_for(result.kinks.difference_without) == "great"
    text = " ".join(m.value for m in at.markdown)
    assert verdict_line(at).startswith(f"## Verdict: :red[{result.verdict}]")
    assert f"Without the {result.kinks.count} components that crossed a kink" in text


# ---------------------------------------------------------------- honest and readable


def title_lines(chart_spec: dict) -> list[str]:
    title = chart_spec["title"]
    text = title["text"] if isinstance(title, dict) else title
    return [text] if isinstance(text, str) else text


def test_the_sweep_samples_and_marks_the_full_check_so_the_two_numbers_do_not_clash():
    at = open_page({"gc_bug": LINKED["dW2_doubled"]})
    problem = core_problem()
    full = check_network(*problem, epsilon=DEFAULT_EPSILON, bug="dW2_doubled")
    sampled = epsilon_sweep(*problem, mode="sample", k=5, bug="dW2_doubled")
    assert sampled.difference_at(DEFAULT_EPSILON) < full.difference / 2  # they do differ
    sweep = spec(at, SWEEP)
    assert "5 sampled coordinates per block" in " ".join(title_lines(sweep))
    diamond = layer_data(at, SWEEP, DIAMOND)
    assert list(diamond["epsilon"]) == [DEFAULT_EPSILON]
    assert list(diamond["difference"]) == [full.difference]
    assert charts.sci(full.difference) in diamond["label"][0]
    assert sweep["layer"][DIAMOND]["mark"]["shape"] == "diamond"
    # keyed in the title, its number in the caption, not written on the curves that pass by it
    assert title_lines(sweep)[-1] == "◆ the check above"
    assert f"The diamond is the check above, {charts.sci(full.difference)}: its 91" in " ".join(
        c.value for c in at.caption
    )
    assert not any(layer["mark"]["type"] == "text" and "check" in json.dumps(layer["encoding"])
                   for layer in sweep["layer"])  # fmt: skip
    caption = " ".join(c.value for c in at.caption)
    assert f"the sample reads {charts.sci(sampled.difference_at(DEFAULT_EPSILON))}" in caption
    assert f"the check {charts.sci(full.difference)}" in caption


@pytest.mark.parametrize("bug", ["none", "dW2_doubled"])
def test_the_sweep_caption_calls_the_curve_a_u_only_when_it_is_one(bug):
    at = open_page({"gc_bug": LINKED.get(bug, bug)})
    planted = None if bug == "none" else bug
    curve = epsilon_sweep(*core_problem(), mode="sample", k=5, bug=planted).differences
    shaped = charts.is_u_shaped(curve)
    assert shaped == (bug == "none")
    assert title_lines(spec(at, SWEEP))[0] == "The difference against ε"
    assert any(c.value.startswith("The float64 curve is a U. ") for c in at.caption) == shaped


def test_the_verdict_mark_stays_below_the_band_names():
    verdict = spec(open_page({"gc_bug": LINKED["dW2_doubled"]}), VERDICT)
    bar, names, dot, *labels = verdict["layer"]
    assert dot["encoding"]["y"]["datum"] < names["encoding"]["y"]["datum"]
    assert all(
        label["encoding"]["y"]["datum"] < names["encoding"]["y"]["datum"] for label in labels
    )
    assert bar["encoding"]["y"]["datum"] == 0 and bar["encoding"]["y2"]["datum"] == 1


def test_a_great_check_outlines_no_block_and_says_none_stands_out():
    at = open_page()
    assert check_network(*core_problem()).verdict == "great"
    blocks = layer_data(at, BLOCKS, 1)
    assert (blocks["outline"] == "transparent").all()
    assert title_lines(spec(at, BLOCKS)) == charts.BLOCK_TITLE
    assert "No block stands out." in [c.value for c in at.caption]
    broken = open_page({"gc_bug": LINKED["dW2_doubled"]})
    assert layer_data(broken, BLOCKS, 1).query("outlined")["name"].tolist() == ["W[2]"]
    assert "Ringed: W[2] in the bug band." in [c.value for c in broken.caption]


def test_the_bug_control_reads_as_words_and_explains_every_planted_bug():
    at = open_page({"gc_bug": "db[1] not divided by m"})  # a link holds the words
    control = at.selectbox(key="gc_bug")
    assert control.value == "db[1] not divided by m"
    assert not any("could not be used" in notice.value for notice in at.info)
    assert PLANTED_BUGS["db1_not_averaged"].description in [c.value for c in at.caption]
    assert all(bug.description in control.help for bug in PLANTED_BUGS.values())
    assert all(f"**{bug.label}**" in control.help for bug in PLANTED_BUGS.values())


def test_charts_fit_a_projector_short_title_lines_upright_labels_and_labels_inside():
    at = open_page({"present": "true"})
    for index in (BLOCKS, SCATTER):  # half-width charts: lines of 30 characters at most
        assert all(len(line) <= 30 for line in title_lines(spec(at, index)))
    blocks = spec(at, BLOCKS)
    labels = [layer for layer in blocks["layer"] if layer["mark"]["type"] == "text"]
    assert labels and all("angle" not in layer["mark"] for layer in labels)  # level, beside
    sweep = spec(at, SWEEP)
    right_half = [
        layer
        for layer in sweep["layer"]
        if layer["mark"]["type"] == "text" and layer["mark"].get("align") == "right"
    ]
    # a rule label with no room right of its rule reads leftwards, ending inside the chart
    assert any("datum.leftwards" in str(layer.get("transform", "")) for layer in right_half)
    at_the_edge = open_page({"present": "true", "gc_eps": panel.EPSILONS[-1]})
    marks = layer_data(at_the_edge, SWEEP, RULE_LABELS).set_index("label")
    assert marks.loc["your ε", "leftwards"]  # at the axis' right end
    assert not marks.loc[["course's 1e-7", "default 1e-5"], "leftwards"].any()


# ---------------------------------------------------------------- issue 20


def test_the_notebook_preset_reproduces_the_notebooks_published_difference():
    at = open_page()
    next(b for b in at.button if b.key == "gc_notebook").click().run()
    assert clean(at)
    assert at.radio(key="gc_case").value == panel.NOTEBOOK
    assert at.segmented_control(key="gc_cost").value == "notebook"
    assert at.select_slider(key="gc_eps").value == "1e-7"
    assert at.selectbox(key="gc_hidden").disabled and at.number_input(key="gc_seed").disabled
    expected = NOTEBOOK_DIFFERENCES["notebook_bugs"]
    assert verdict_line(at) == "## Verdict: :red[bug] in b[1] and W[2]"
    assert shown_difference(at) == charts.sci(expected)
    theta = layer_data(at, THETA, 0).set_index("block")
    assert set(theta.index[theta["verdict"] == "bug"]) == {"W2", "b1"}  # coloured broken
    assert list(theta.index) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert list(theta["size"]) == [20, 5, 15, 3, 3, 1]
    assert any("on all 3 examples" in c.value for c in at.caption)


def test_the_notebooks_correct_case_and_the_cost_choice_move_the_round_off_side():
    query = {"gc_case": panel.NOTEBOOK, "gc_eps": "1e-7"}
    stable, notebook = open_page(query), open_page({**query, "gc_cost": "notebook"})
    parameters, X, Y = notebook_case()
    for at, cost in ((stable, "stable"), (notebook, "notebook")):
        expected = check_network(parameters, X, Y, epsilon=1e-7, cost=cost)
        assert shown_difference(at) == charts.sci(expected.difference)
    assert verdict_line(stable) == "## Verdict: :green[great]"
    assert verdict_line(notebook) == (
        "## Verdict: :gray[inconclusive], round-off at this ε in float64"
    )
    curves = [layer_data(at, SWEEP, CURVES) for at in (stable, notebook)]
    at_small = [
        c[(c["dtype"] == "float64") & (c["epsilon"] == 1e-9)]["difference"].iloc[0] for c in curves
    ]
    assert at_small[1] / at_small[0] > 30  # the notebook's cost lifts the round-off side


def test_the_loop_is_written_out_and_any_component_can_be_taken_apart():
    at = open_page()
    assert r"J(\theta + \varepsilon e_i) - J(\theta - \varepsilon e_i)" in at.latex[1].value
    parameters, X, Y = core_problem()
    result = check_network(parameters, X, Y)
    worst = result.worst[0].name
    assert at.selectbox(key="gc_component").value is None  # the default: the worst one
    assert any(c.value.startswith(f"{worst}: the two-sided") for c in at.caption)
    at.selectbox(key="gc_component").set_value("W3[0, 2]").run()
    index = layout_of(parameters).blocks[4].start + 2
    one = check_component(parameters, X, Y, index)
    assert f"{one.J_plus:.6g}"[:6] in at.latex[2].value
    assert any(c.value.startswith("W3[0, 2]: the two-sided") for c in at.caption)
    assert spec(at, THETA)["layer"][2]["mark"]["type"] == "rule"  # at the chosen component
    assert list(layer_data(at, THETA, 2)["at"]) == [index + 0.5]


def test_the_cost_meter_names_the_lectures_loop_and_a_million_parameters():
    at = open_page()
    table = at.table[-1].value
    assert list(table["cost evaluations"]) == ["182", "182", "2,010,002"]
    assert "course's loop" in table["checker"].iloc[0]
    assert "this lab's checker" in table["checker"].iloc[1]
    assert any("P = 1,005,001" in i.value and "training steps" in i.value for i in at.info)


def meters_made(monkeypatch) -> list:
    """What every call of the panel's ``meter`` returned (None: left to the next run),
    with every run past the budget."""
    made, meter = [], panel.meter
    monkeypatch.setattr(panel, "TIMING_BUDGET_S", 0.0)
    monkeypatch.setattr(panel, "meter", lambda *args: made.append(meter(*args)) or made[-1])
    return made


def test_a_run_past_its_budget_leaves_the_meter_to_a_run_of_its_own(monkeypatch):
    made = meters_made(monkeypatch)
    at = open_page()
    assert clean(at)
    assert [timed is None for timed in made] == [True, False]  # left, then timed
    assert list(at.table[-1].value["cost evaluations"]) == ["182", "182", "2,010,002"]
    assert metric(at, "Cost evaluations") == "182"
    assert len(charts_of(at)) == 5 and panel.TIMING_LEFT not in at.session_state
    at.selectbox(key="gc_act").set_value("tanh").run()  # a new meter: left again, once
    assert [timed is None for timed in made[2:]] == [True, False]
    assert list(at.table[-1].value["cost evaluations"]) == ["182", "182", "2,010,002"]


def test_a_links_first_run_times_the_meter_itself_so_its_notice_stays(monkeypatch):
    made = meters_made(monkeypatch)
    at = open_page({"gc_eps": "garbage"})
    assert "could not be used" in at.info[0].value  # only a link's first run can say so
    assert [timed is None for timed in made] == [False]
    assert list(at.table[-1].value["cost evaluations"]) == ["182", "182", "2,010,002"]


@pytest.mark.parametrize(
    ("dtype", "epsilon", "bug", "expected"),
    [("float32", 1e-7, None, {"inconclusive"}), ("float64", 1e-5, "dW2_doubled", {"bug"})],
    ids=["round-off in float32", "a real bug"],
)
def test_the_blocks_bars_judge_each_block_as_the_theta_bar_does(dtype, epsilon, bug, expected):
    parameters, X, Y = core_problem(dtype=dtype)
    result = gc.check_network(parameters, X, Y, epsilon=epsilon, bug=bug)
    layout = layout_of(parameters)
    blocks = charts.block_frame(result, layout)
    theta = charts.theta_frame(result, layout).set_index("block")
    assert list(blocks["verdict"]) == list(theta.loc[blocks["block"], "verdict"])
    assert expected <= set(blocks["verdict"])
    outlined = set(blocks.loc[blocks["outlined"], "verdict"])
    assert outlined <= {"bug", "suspicious"} and (bug is None) == (not outlined)
    # Vega-Lite shares one colour scale between the bands and the bars: both must know grey.
    layers = vega_lite_spec(charts.block_chart(charts.band_frame(), len(blocks)))["layer"]
    scales = [layer["encoding"]["color"]["scale"] for layer in layers if "color" in layer.get(
        "encoding", {})]  # fmt: skip
    assert scales and all("inconclusive" in scale["domain"] for scale in scales)


def test_thetas_legend_keys_sort_in_the_bands_order_each_with_its_colour():
    # The bar's colour scale takes its range from the rows (Vega-Lite's range {field}),
    # sorted as the keys are: so the keys must sort in the bands' order.
    parameters, X, Y = core_problem()
    result = gc.check_network(parameters, X, Y, bug="dW2_doubled")
    frame = charts.theta_frame(result, layout_of(parameters))
    keys = sorted(set(frame["key"]))
    assert keys == ["0 great", "2 bug"]
    assert [key.split(" ", 1)[1] for key in keys] == [
        verdict for verdict in charts._THETA_COLORS if verdict in set(frame["verdict"])
    ]
    assert all(frame["color"] == frame["verdict"].map(charts._THETA_COLORS))


@pytest.mark.parametrize("query", [{}, {"gc_bug": LINKED["dW2_doubled"]}, {"gc_eps": "1e-12"}])
def test_the_sweeps_bands_span_its_y_axis_and_every_mark_lies_on_them(query):
    # The y axis has no domain of its own (a move keeps the spec): the data set it.
    at = open_page(query)
    bands = layer_data(at, SWEEP, BANDS)
    low, high = bands["low"].min(), bands["high"].max()
    assert high == 1.0 and low == 10.0 ** np.floor(np.log10(low))  # a power of ten
    heights = [layer_data(at, SWEEP, CURVES)["shown"], layer_data(at, SWEEP, DIAMOND)["shown"],
               layer_data(at, SWEEP, RULE_LABELS)["at"], bands["middle"]]  # fmt: skip
    assert all(((low <= h) & (h <= high)).all() for h in heights)
    assert "domain" not in spec(at, SWEEP)["layer"][CURVES]["encoding"]["y"]["scale"]
