"""The grad-check-in-practice page, run headless with Streamlit's AppTest, and its chart
builders. Expected numbers come from core, never typed in.

The page is five rules in tabs bound to the URL (gp_rule); only the open rule runs, so a
test opens the rule it is about by its link, as a shared link or the walkthrough would.
"""

import json

import altair as alt
import numpy as np
import pandas as pd
import pytest
from altair.utils.schemapi import validate_jsonschema
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from charts import grad_check_in_practice as charts
from charts.common import BAND_OPACITY, VERDICT_COLORS
from core import check_practice as practice
from core.gradient_check import VERDICT_BANDS
from core.network import PLANTED_BUGS, bug_label
from panels import grad_check_in_practice as panels
from ui.presentation import KEY as PRESENT

PAGE = "../pages/grad_check_in_practice.py"
COST, PUZZLE, L2, DROPOUT, TRAINING = panels.RULES
ANCHORS = {COST: "cost", PUZZLE: "components", L2: "regularization", DROPOUT: "dropout",
           TRAINING: "after-training"}  # fmt: skip
"""Each rule's headline anchor; the walkthrough scrolls to the last three."""


def open_page(query: dict[str, str] | None = None, rule: str | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params.update(query or {})
    if rule is not None:
        at.query_params[panels.RULE] = rule
    return at.run()


def headline(at: AppTest) -> str:
    return at.header[0].value


def texts(at: AppTest) -> str:
    """Every paragraph the page writes, one string."""
    return " ".join(m.value for m in at.markdown)


def spec(at: AppTest) -> dict:
    (chart,) = at.get("vega_lite_chart")  # the open rule's one chart
    return json.loads(chart.proto.spec)


def refusals(at: AppTest) -> list[str]:
    return [info.value for info in at.info if "could not be used" in info.value]


@pytest.fixture(scope="module")
def page() -> AppTest:
    return open_page()


@pytest.fixture(scope="module")
def lab():
    return practice.lab()


# ---------------------------------------------------------------- the tabs


def test_page_opens_on_the_first_of_five_rules_in_tabs(page):
    assert not page.exception and not page.error
    assert page.title[0].value == "Grad check in practice"
    assert [tab.label for tab in page.tabs] == list(panels.RULES)
    assert len(page.header) == 1 and page.header[0].proto.anchor == "cost"
    assert len(page.get("vega_lite_chart")) == 1  # the closed rules do not run
    assert not page.info  # the lesson is on the chart and beside it, not in notices


@pytest.mark.parametrize("rule", list(panels.RULES))
def test_each_rule_opens_from_its_link_on_a_headline_with_its_anchor_and_one_chart(rule):
    at = open_page(rule=rule)
    assert not at.exception and not at.error
    assert [header.proto.anchor for header in at.header] == [ANCHORS[rule]]
    assert len(at.get("vega_lite_chart")) == 1
    assert len(spec(at)["description"]) > 80  # what the chart shows, for a screen reader
    assert not refusals(at)


@pytest.mark.parametrize(
    "query, anchor",
    [({"gp_lambda": "3"}, "regularization"), ({"gp_iters": "1000"}, "after-training"),
     ({"gp_width": "8", "gp_lambda": "0.01"}, "cost")],
)  # fmt: skip
def test_a_link_without_a_rule_opens_the_first_rule_it_has_a_setting_of(query, anchor):
    at = open_page(query)
    assert at.header[0].proto.anchor == anchor
    shown = {w.key: w.value for w in at.select_slider}
    assert all(shown[key] == value for key, value in query.items() if key in shown)
    assert not refusals(at)


def test_garbage_in_the_link_falls_back_to_defaults_with_a_notice():
    at = open_page({"gp_lambda": "garbage", "gp_keep": "7", "gp_iters": "1e9", "gp_seed": "-3",
                    "gp_guess": "__import__('os')", "gp_act": "sigmoid"})  # fmt: skip
    assert not at.exception
    assert at.header[0].proto.anchor == "components"  # the first rule the link sets
    (refused,) = refusals(at)
    for key in ("gp_lambda", "gp_keep", "gp_iters", "gp_seed", "gp_guess", "gp_act"):
        assert key in refused or "and 1 more" in refused
        assert key not in at.query_params
    assert at.selectbox(key="gp_guess").value is None
    for key in ("gp_lambda", "gp_iters", "gp_act"):  # closed: the defaults wait for them
        assert at.session_state[key] == panels.DEFAULTS[key]


def test_a_link_reopens_the_exact_setting_of_every_rule():
    query = {"gp_width": "8", "gp_seed": "12", "gp_lambda": "0.01", "gp_keep": "0.55",
             "gp_run_lambda": "0.03", "gp_iters": "200", "gp_eps": "1e-3",
             "gp_act": "leaky_relu"}  # fmt: skip
    kind = {"gp_seed": "number_input", "gp_act": "segmented_control"}
    for rule, keys in panels.RULES.items():
        at = open_page(query, rule)
        assert not at.exception and not refusals(at)
        for key in set(keys) & set(query):
            assert str(getattr(at, kind.get(key, "select_slider"))(key=key).value) == query[key]


# ---------------------------------------------------------------- 1 · the cost


def test_the_cost_headline_is_the_chosen_networks_measured_figure_written_on_the_chart():
    at = open_page({"gp_width": "64"})
    assert headline(at).endswith("training steps (n = 64, P = 4,417).")  # 2·64 + 64 + 64² + …
    steps = headline(at).split("as much as ")[1].split(" training")[0]
    figure = chart_table(at, 4)
    assert list(figure["name"]) == [f"{steps} steps"] and list(figure["P"]) == [4417]
    assert "At a realistic size, 2 → 1000 → 1000 → 1 (P = 1,005,001)" in texts(at)
    assert at.expander[0].label == "The formula's estimate, and a batched checker"


# ---------------------------------------------------------------- 2 · the components


def blocks(node):
    """Every block under ``node``, depth first."""
    for child in getattr(node, "children", {}).values():
        yield child
        yield from blocks(child)


def test_the_guess_and_the_reveal_button_sit_side_by_side():
    at = open_page(rule=PUZZLE)
    rows = [
        block
        for block in blocks(at.main)
        if block.type == "flex_container"
        and [column.type for column in block.children.values()] == ["column", "column"]
    ]
    guess_row = [
        [getattr(element, "key", None) for column in row.children.values()
         for element in column.children.values()]
        for row in rows
    ]  # fmt: skip
    assert ["gp_guess", "gp_reveal"] in guess_row  # one row: the box, then the button


def test_the_puzzle_reveals_a_right_and_a_wrong_guess():
    bug = practice.component_puzzle(7).bug
    wrong = next(name for name in PLANTED_BUGS if name != bug)
    at = open_page({"gp_seed": "7"})
    assert headline(at).endswith("Which planted bug breaks exactly these?")
    assert "Choose a guess, then reveal." in texts(at)
    at.selectbox(key="gp_guess").set_value(PLANTED_BUGS[bug].label).run()  # as it reads
    at.button(key="gp_reveal").click().run()
    assert at.success[0].value.startswith(f"Right: the planted bug is **{bug_label(bug)}**")
    assert PLANTED_BUGS[bug].description in at.success[0].value
    at.selectbox(key="gp_guess").set_value(PLANTED_BUGS[wrong].label).run()
    assert at.warning  # the answer stays shown while the guess changes
    at.button(key="gp_reveal").click().run()
    answer = f"Not {bug_label(wrong)}: the planted bug is **{bug_label(bug)}**"
    assert at.warning[0].value.startswith(answer)


def test_a_new_puzzle_draws_another_seed_and_hides_the_answer():
    at = open_page({"gp_seed": "7"})
    at.button(key="gp_reveal").click().run()
    assert at.warning  # revealed without a guess
    next(button for button in at.button if button.label == "New puzzle").click().run()
    assert not at.exception
    seed = at.number_input(key="gp_seed").value
    if seed != 7:  # one draw in 10,000 gives the same puzzle back
        assert not at.warning and not at.success
        assert "Choose a guess" in texts(at)


# ---------------------------------------------------------------- 3 · regularization


def test_regularization_numbers_are_core_numbers(lab):
    sweep = practice.regularization_sweep(lab.parameters, lab.X, lab.Y, [0.7, 3.0])
    at = open_page(rule=L2)
    assert charts.power_of_ten(sweep.buggy[0]) in headline(at)
    assert headline(at).endswith("the check calls it a bug.")
    at.select_slider(key="gp_lambda").set_value("3").run()
    assert headline(at).startswith(f"At λ = 3, leaving (λ/m)·W out of dW scores "
                                   f"{charts.power_of_ten(sweep.buggy[1])}")  # fmt: skip
    assert f"The correct code scores {sweep.correct[1]:.1e} (great)" in texts(at)
    assert "from λ = 0.1 up" in texts(at)


# ---------------------------------------------------------------- 4 · dropout


def test_dropout_fails_fresh_masks_and_passes_without_dropout(lab):
    at = open_page(rule=DROPOUT)
    assert headline(at) == (
        "A fresh mask per evaluation: correct code scores 1.0 (bug) at keep_prob = 0.80."
    )
    at = open_page({"gp_keep": "1.00"})
    sweep = practice.dropout_sweep(lab.parameters, lab.X, lab.Y, [1.0])
    assert headline(at).startswith("At keep_prob = 1 there is no mask")
    assert f"({sweep.fixed[0]:.1e})" in texts(at)


# ---------------------------------------------------------------- 5 · along training


def test_the_training_headline_names_the_bug_found_hiding_at_initialization(lab):
    snapshots = practice.train_with_snapshots(
        lab.parameters, lab.X, lab.Y, lambd=0.01, learning_rate=0.1, num_iterations=300,
        snapshots=10,
    )  # fmt: skip
    run = practice.checks_along_training(snapshots, lab.X, lab.Y, lambd=0.01)
    late = run.bugs["l2_missing_in_dW"]
    at = open_page(rule=TRAINING)
    assert headline(at) == (
        f"“L2 term left out of dW” hides at initialization ({charts.power_of_ten(late[0])}, "
        f"suspicious) and shows as a bug after 300 iterations ({charts.power_of_ten(late[-1])})."
    )
    assert "lets only “L2 term left out of dW” through" in texts(at)
    assert not at.get("progress")  # the bar is gone once training ends


def test_more_iterations_retrain_and_change_the_numbers():
    at = open_page({"gp_iters": "1000"})
    assert not at.exception
    assert "after 1,000 iterations" in headline(at)
    assert headline(at) != headline(open_page(rule=TRAINING))


def test_a_small_lambda_run_says_the_bug_has_not_shown_yet():
    at = open_page({"gp_run_lambda": "0.001", "gp_iters": "100"})
    assert headline(at).endswith("not yet a bug after 100 iterations.")


def test_tanh_meets_no_kink_where_relu_meets_many():
    relu = open_page({"gp_eps": "1e-2"})
    assert "checks of the correct code met a kink" in texts(relu)
    at = open_page({"gp_eps": "1e-2"})
    at.segmented_control(key="gp_act").set_value("tanh").run()
    assert "tanh has no kink" in texts(at)
    assert "lets only “L2 term left out of dW” through" in texts(at)


def test_the_run_control_is_named_for_what_it_chooses():
    control = open_page(rule=TRAINING).segmented_control(key="gp_act")
    assert control.label == "Hidden activation"
    assert set(control.options) == {"relu", "leaky_relu", "tanh"}


def test_every_control_at_its_extremes_keeps_every_rule_running():
    for end in (0, -1):
        for rule, keys in panels.RULES.items():
            at = open_page(rule=rule)
            for key in keys:
                if key in panels.LINK_OPTIONS and key not in ("gp_guess", "gp_act"):
                    slider = at.select_slider(key=key)
                    slider.set_value(slider.options[end])
            if rule == PUZZLE:
                at.number_input(key="gp_seed").set_value([0, 9999][end])
            if rule == TRAINING:
                at.segmented_control(key="gp_act").set_value(["relu", "tanh"][end])
            at.run()
            assert not at.exception and not at.error, rule
            assert len(at.get("vega_lite_chart")) == 1 and len(at.header) == 1


# ---------------------------------------------------------------- the charts


def chart_table(at: AppTest, layer: int):
    """The DataFrame one layer of the open rule's chart draws (Streamlit ships it as Arrow)."""
    (chart,) = at.get("vega_lite_chart")
    data_name = json.loads(chart.proto.spec)["layer"][layer]["data"]["name"]
    found = next((d for d in chart.proto.datasets if d.name == data_name), None)
    if found is None:  # an empty named table is left out (ui.charts.show)
        return pd.DataFrame()
    return dataframe_util.convert_arrow_bytes_to_pandas_df(found.data.data)


@pytest.fixture(scope="module")
def rule_specs() -> dict[str, dict]:
    return {rule: spec(open_page(rule=rule)) for rule in (PUZZLE, L2, DROPOUT, TRAINING)}


def test_difference_charts_are_log_scaled_over_the_apps_verdict_bands(rule_specs):
    for rule, chart in rule_specs.items():
        strips, names, data = chart["layer"][:3]
        assert strips["mark"]["type"] == "rect" and strips["mark"]["opacity"] == BAND_OPACITY
        fill = strips["encoding"]["fill"]["scale"]
        assert fill == {"domain": list(VERDICT_COLORS), "range": list(VERDICT_COLORS.values())}
        assert names["mark"]["type"] == "text" and names["encoding"]["text"]["field"] == "verdict"
        assert names["encoding"]["fill"]["scale"] == fill  # named in the band's own colour
        assert data["encoding"]["y"]["scale"]["type"] == "log", rule
        if rule == TRAINING:  # no domain in the spec: the bands' table spans the axis
            assert "domain" not in data["encoding"]["y"]["scale"]
        else:
            assert data["encoding"]["y"]["scale"]["domain"][1] == charts.TOP


def test_no_chart_sets_its_own_legend_position_and_lines_are_named_on_the_chart(rule_specs):
    def legends(node):
        if isinstance(node, dict):
            yield from ([node["legend"]] if isinstance(node.get("legend"), dict) else [])
            for value in node.values():
                yield from legends(value)
        elif isinstance(node, list):
            for value in node:
                yield from legends(value)

    own = [{k: v for k, v in chart.items() if k != "config"} for chart in rule_specs.values()]
    assert not [legend for chart in own for legend in legends(chart) if "orient" in legend]
    for rule in (L2, DROPOUT):
        named = [layer for layer in rule_specs[rule]["layer"] if layer["mark"]["type"] == "text"
                 and layer["encoding"]["text"]["field"] == "name"]  # fmt: skip
        assert len(named) >= 1, rule


def test_the_block_chart_draws_dots_labelled_with_their_value_not_bars(rule_specs):
    dots, values = rule_specs[PUZZLE]["layer"][2:4]
    assert dots["mark"]["type"] == "point" and dots["mark"]["filled"] is True
    assert values["mark"]["type"] == "text" and values["encoding"]["text"]["field"] == "label"
    assert "angle" not in values["mark"]  # numbers read level, beside their dot


def test_current_settings_are_marked_with_a_rule(page, rule_specs):
    for chart in (spec(page), rule_specs[L2], rule_specs[DROPOUT]):
        assert any(layer["mark"]["type"] == "rule" for layer in chart["layer"])
    # λ and keep_prob travel in the table CURRENT, their axis titles carry no number
    for rule, key, field, value in ((L2, "gp_lambda", "lambda", "0.03"),
                                    (DROPOUT, "gp_keep", "keep_prob", "0.65")):  # fmt: skip
        at = open_page({key: value}, rule=rule)
        layers = spec(at)["layer"]
        (at_rule,) = [i for i, layer in enumerate(layers) if layer["mark"]["type"] == "rule"]
        assert layers[at_rule]["data"]["name"] == charts.CURRENT
        assert layers[at_rule]["encoding"]["x"]["field"] == field
        assert list(chart_table(at, at_rule)[field]) == [float(value)]
        title = layers[at_rule]["encoding"]["x"]["title"]
        assert value not in title and f"{float(value):g}" not in title
    cost = spec(page)["layer"][0]["encoding"]
    assert cost["x"]["scale"]["type"] == "log" and cost["y"]["scale"]["type"] == "log"


def test_training_chart_draws_the_run_on_a_log_axis_and_labels_the_kinks(rule_specs):
    strips, _, lines, kinks, *ends = rule_specs[TRAINING]["layer"]
    assert strips["mark"]["type"] == "rect"
    assert lines["encoding"]["y"]["scale"]["type"] == "log"
    domain = lines["encoding"]["color"]["scale"]["domain"]
    assert domain[:3] == ["correct code", "kinks left out", "“L2 term left out of dW”"]
    assert kinks["mark"]["type"] == "text" and kinks["encoding"]["text"]["field"] == "label"
    assert len(ends) == 2  # the late bug's first and last check, each with its value
    # the y axis spans the bands' table, from under the lowest difference up to TOP
    bands = chart_table(open_page(rule=TRAINING), 0)
    assert bands["high"].max() == charts.TOP and list(bands["verdict"]) == list(VERDICT_COLORS)


def test_training_frames_label_each_check_that_met_a_kink(lab):
    snapshots = practice.train_with_snapshots(
        lab.parameters, lab.X, lab.Y, lambd=0.01, learning_rate=0.1, num_iterations=20,
        snapshots=2,
    )  # fmt: skip
    run = practice.checks_along_training(snapshots, lab.X, lab.Y, lambd=0.01, epsilon=1e-2)
    tables = charts.training_frames(run, "l2_missing_in_dW")
    assert tuple(tables) == charts.TRAINING_TABLES
    lines, kinks, ends, bands = tables.values()
    assert bands["low"].min() <= lines["difference"].min() and bands["high"].max() == charts.TOP
    assert len(lines) == 3 * (2 + len(run.bugs))  # two lines of the correct code, one per bug
    met = run.kinked > 0
    assert list(kinks["iteration"]) == list(run.iterations[met])
    assert list(kinks["label"]) == [str(n) for n in run.kinked[met]]
    late = run.bugs["l2_missing_in_dW"]
    assert list(ends["label"]) == [charts.power_of_ten(late[0]), charts.power_of_ten(late[-1])]


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_purple_numbers_are_named_and_explained_only_where_a_check_met_a_kink(activation):
    at = open_page({"gp_eps": "1e-2", "gp_act": activation})
    kinks = chart_table(at, 3)
    assert (len(kinks) > 0) == (activation == "relu")  # tanh has no kink to meet
    # The title keys the purple numbers while the kinks' table has rows: read in the browser.
    title = "The check along a training run"
    assert spec(at)["title"]["text"] == {
        "expr": f"length(data('kinks')) ? ['{title}', 'purple: components that met a kink'] "
        f": '{title}'"
    }
    caption = " ".join(c.value for c in at.caption)
    if len(kinks):
        assert "A purple number over a point of the correct code counts the components" in caption
    else:
        assert "purple" not in caption


def test_a_difference_of_1_is_drawn_whole_below_the_top_of_the_axis(rule_specs):
    at = open_page(rule=DROPOUT)
    fresh = chart_table(at, 2)
    top = rule_specs[DROPOUT]["layer"][2]["encoding"]["y"]["scale"]["domain"][1]
    assert fresh["difference"].max() > 0.5  # the fresh masks' points sit near 1
    assert np.log10(top / fresh["difference"].max()) >= 0.5  # half a decade of room above


def test_frames_floor_an_exact_zero_for_the_log_axis():
    frame = charts.block_frame({"W1": 0.0, "b1": 0.5})
    assert list(frame["difference"]) == [charts.FLOOR, 0.5]
    assert list(frame["verdict"]) == ["great", "bug"]
    assert list(frame["label"]) == ["0.0", "5.0·10⁻¹"]


@pytest.mark.parametrize(
    "value, shown", [(7.1e-3, "7.1·10⁻³"), (0.25, "2.5·10⁻¹"), (1.0, "1.0"), (1.2e-11, "1.2·10⁻¹¹"),
                     (3e4, "3.0·10⁴")],
)  # fmt: skip
def test_a_difference_reads_as_a_power_of_ten_with_superscripts(value, shown):
    assert charts.power_of_ten(value) == shown


def test_cost_frame_has_the_three_series_per_network():
    cost = practice.CheckCost((2, 2, 2, 1), 15, 2e-4, 5e-5, 3e-3, 1e-3, 15)
    frame = charts.cost_frame([cost])
    assert list(frame["series"]) == list(charts.COST_SERIES.values())
    assert list(frame["name"]) == list(charts.COST_NAMES.values())
    assert frame["ratio"].tolist() == pytest.approx([15.0, 2 * 15 * 5e-5 / 2e-4, 5.0])
    assert np.all(frame["network"] == "2 → 2 → 2 → 1")
    assert charts.cost_chart(frame).to_dict(validate=False)  # one network is enough
    chosen = charts.chosen_frame(frame, 15)
    assert chosen["series"].tolist() == [charts.COST_SERIES["loop"]]
    assert chosen["name"].tolist() == ["15 steps"]


def test_every_band_edge_comes_from_core():
    edges = [band.below for band in VERDICT_BANDS]
    assert edges[0] < edges[1]  # the bands come from core, in order


@pytest.mark.parametrize("present", [False, True], ids=["laptop", "projector"])
def test_every_rules_chart_is_valid_vega_lite(present):
    # tests/test_chart_specs.py sees the first rule only: the others run when opened
    schema = alt.vegalite.v6.schema.core.load_schema()
    for rule in panels.RULES:
        at = AppTest.from_file(PAGE, default_timeout=120)
        at.query_params[panels.RULE] = rule
        at.session_state[PRESENT] = present
        validate_jsonschema(spec(at.run()), schema)  # raises on the first violation
