"""The lecture walkthrough and presentation mode, through app.py with AppTest, and the
chart helpers they rely on (CSV data of a chart, projector fonts)."""

import json

import altair as alt
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from charts.common import (
    LABEL_FONT_SIZE,
    PRESENTATION_SCALE,
    enlarge,
    finish,
    fit_for_projector,
    spec_data,
    vega_lite_spec,
)
from panels.walkthrough import STEPS, control_defaults
from ui.ideas import IDEAS

APP = "../app.py"


def open_app(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    return at.run()


def banner(at: AppTest) -> str:
    return " ".join(caption.value for caption in at.caption if "walkthrough" in caption.value)


@pytest.mark.parametrize("number", range(1, len(STEPS) + 1))
def test_each_walkthrough_step_opens_its_page_with_its_settings(number):
    step = STEPS[number - 1]
    at = open_app({"step": str(number)})
    assert not at.exception
    title = next(idea.title for idea in IDEAS if idea.path == step.page)
    assert at.title[0].value.startswith(title)
    assert f"step {number} of {len(STEPS)}" in banner(at)
    for key, value in step.settings.items():
        assert at.session_state[key] == value, key
    # No setting of a step is refused by its widget (which would show the link notice).
    assert not [info for info in at.info if "could not be used" in info.value]


def test_walkthrough_next_and_previous_move_one_step_and_keep_it_in_the_url():
    at = open_app({"step": "2"})
    next_button = next(button for button in at.button if button.label == "Next")
    next_button.click().run()
    assert at.query_params["step"] == "3"
    assert "step 3 of" in banner(at)
    assert at.title[0].value.startswith(IDEAS[1].title)
    previous = next(button for button in at.button if button.label == "Previous")
    previous.click().run()
    assert "step 2 of" in banner(at)
    assert at.session_state["ni_wrong"] is True


def test_every_step_shows_the_same_page_walked_forward_and_backward_with_no_notice():
    def click(at, label):
        next(button for button in at.button if button.label == label).click().run()
        assert not at.exception
        assert not [info for info in at.info if "could not be used" in info.value], label

    def controls(at):
        widgets = [*at.slider, *at.select_slider, *at.selectbox, *at.toggle, *at.radio]
        return {w.key: w.value for w in widgets if w.key and w.key[:3] != "wal"}

    at, forward = open_app({"step": "1"}), {}
    for number in range(1, len(STEPS) + 1):
        forward[number] = controls(at)
        if number < len(STEPS):
            click(at, "Next")
    for number in range(len(STEPS), 0, -1):
        assert f"step {number} of" in banner(at)
        assert controls(at) == forward[number], number
        if number > 1:
            click(at, "Previous")


@pytest.mark.parametrize(
    "number", [n for n, step in enumerate(STEPS, start=1) if step.section], ids=str
)
def test_a_step_about_a_part_of_its_page_names_a_header_the_page_draws(number):
    """The browser brings that header into view (tests/test_browser_lecture.py)."""
    at = open_app({"step": str(number)})
    section = STEPS[number - 1].section
    assert section in [header.proto.anchor for header in [*at.header, *at.subheader]]


def test_walkthrough_moving_a_control_keeps_the_step_and_the_learners_value():
    at = open_app({"step": "3"})
    at.slider(key="ve_L").set_value(40).run()
    assert at.slider(key="ve_L").value == 40  # the step's settings are not forced back
    assert "step 3 of" in banner(at)


@pytest.mark.parametrize("garbage", ["0", "999", "banana", "-1", "3.5", "²", "٣"])
def test_a_walkthrough_step_that_does_not_exist_gives_a_notice(garbage):
    at = open_app({"step": garbage})
    assert not at.exception
    assert any("steps run from 1 to" in info.value for info in at.info)
    assert not banner(at)


def test_end_walkthrough_removes_the_banner_and_the_step():
    at = open_app({"step": "4"})
    next(button for button in at.button if button.label == "End walkthrough").click().run()
    assert "step" not in at.query_params
    assert not banner(at)


def specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def test_presentation_mode_enlarges_every_chart_font():
    normal = open_app({"step": "3"})
    presenting = open_app({"step": "3", "present": "true"})
    assert not presenting.exception
    sizes = [spec["config"]["axis"]["labelFontSize"] for spec in specs(normal)]
    large = [spec["config"]["axis"]["labelFontSize"] for spec in specs(presenting)]
    assert sizes and len(sizes) == len(large)
    assert all(big > small for small, big in zip(sizes, large, strict=True))


def text_sizes(spec) -> list[float]:
    """Font sizes that text marks set themselves, in the order they appear."""
    if isinstance(spec, list):
        return [size for child in spec for size in text_sizes(child)]
    if not isinstance(spec, dict):
        return []
    mark = spec.get("mark")
    own = [mark["fontSize"]] if isinstance(mark, dict) and "fontSize" in mark else []
    return own + [s for key, child in spec.items() if key != "datasets" for s in text_sizes(child)]


def test_presentation_mode_enlarges_the_labels_inside_charts_too():
    normal = [text_sizes(spec) for spec in specs(open_app({"step": "14"}))]  # the lab: labels
    large = [text_sizes(spec) for spec in specs(open_app({"step": "14", "present": "true"}))]
    assert any(normal) and len(normal) == len(large)
    for small, big in zip(normal, large, strict=True):
        assert big == [round(size * PRESENTATION_SCALE) for size in small]


def test_fit_for_projector_leaves_tables_and_unsized_marks_alone():
    spec = {"layer": [{"mark": {"type": "text", "fontSize": 10}}, {"mark": "point"}],
            "datasets": {"d": [{"mark": {"fontSize": 3}}]}}  # fmt: skip
    fit_for_projector(spec, 2.0)
    assert spec["layer"][0]["mark"]["fontSize"] == 20 and spec["layer"][1]["mark"] == "point"
    assert spec["datasets"]["d"][0]["mark"]["fontSize"] == 3


def test_fit_for_projector_stacks_a_legend_of_several_columns_in_one():
    spec = {"encoding": {"color": {"legend": {"orient": "bottom", "columns": 2}},
                         "shape": {"legend": {"orient": "right"}}}}  # fmt: skip
    fit_for_projector(spec)
    assert spec["encoding"]["color"]["legend"]["columns"] == 1
    assert "columns" not in spec["encoding"]["shape"]["legend"]


def test_the_page_offers_one_download_naming_every_chart_and_each_chart_is_described():
    at = open_app({"step": "3"})
    downloads = at.get("download_button")
    assert len(downloads) == 1 and len(specs(at)) > 0
    names = [spec["usermeta"]["name"] for spec in specs(at)]
    assert len(set(names)) == len(names)  # a file per chart in the page's zip
    assert all(len(spec["description"]) > 20 for spec in specs(at))


def test_spec_data_stacks_every_layers_table_once():
    first = pd.DataFrame({"x": [1, 2], "y": [3, 4]})
    second = pd.DataFrame({"x": [5], "label": ["best"]})
    line = alt.Chart(first).mark_line().encode(x="x", y="y")
    chart = alt.layer(line, line, alt.Chart(second).mark_point().encode(x="x"))
    table = spec_data(vega_lite_spec(alt.hconcat(chart, alt.Chart(first).mark_bar().encode(x="x"))))
    assert len(table) == 3  # `first` once, `second` once
    assert set(table["chart_part"]) == {"hconcat1/layer1", "hconcat1/layer3"}
    assert table["label"].iloc[-1] == "best"


def test_spec_data_keeps_a_tables_own_layer_column():
    frame = pd.DataFrame({"layer": [1, 2, 3], "rms": [1.0, 0.5, 0.25]})
    table = spec_data(vega_lite_spec(alt.Chart(frame).mark_line().encode(x="layer:Q", y="rms:Q")))
    assert list(table["layer"]) == [1, 2, 3] and set(table["chart_part"]) == {"chart"}


def test_spec_data_of_a_chart_without_tables_is_empty():
    assert spec_data(vega_lite_spec(alt.Chart().mark_rule().encode(y=alt.datum(1)))).empty


def test_enlarge_scales_fonts_and_keeps_the_rest_of_the_config():
    chart = finish(alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x"), "A title")
    chart = chart.properties(config=chart.config.copy())
    spec = enlarge(chart).to_dict()
    assert spec["config"]["axis"]["labelFontSize"] == round(LABEL_FONT_SIZE * PRESENTATION_SCALE)
    assert spec["title"] == "A title"
    assert spec["height"] == round(320 * PRESENTATION_SCALE)  # the larger text still fits


@pytest.mark.parametrize("idea", IDEAS[:5], ids=lambda idea: idea.path)
def test_presentation_mode_folds_secondary_controls_into_an_expander(idea):
    for present, expected in (("false", 0), ("true", 1)):
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["present"] = present
        at.run()
        at.switch_page(idea.path).run()
        assert not at.exception
        folded = [e for e in at.expander if e.label == "More settings"]
        assert (len(folded) >= 1) == bool(expected), present


def test_the_notebook_step_sets_what_the_pages_notebook_button_sets():
    from panels.gradient_checking import DEFAULTS, NOTEBOOK_PRESET

    step = next(step for step in STEPS if step.moment == "The course notebook's own case")
    changed = {key: value for key, value in NOTEBOOK_PRESET.items() if DEFAULTS[key] != value}
    assert step.settings == changed


def test_every_step_changes_something_on_screen():
    """A step opens another page, or leaves the page's controls otherwise than the step
    before did (a step opens its page at the defaults plus its own settings): Next never
    changes the banner alone."""
    defaults = control_defaults()

    prefix = {step.page: key[:3] for step in STEPS for key in step.settings}  # "gp_" …
    previous = None
    for step in STEPS:
        page = {k: v for k, v in defaults.items() if k.startswith(prefix[step.page])}
        state = page | step.settings
        if previous is not None and previous[0] == step.page:
            assert state != previous[1], step.moment
        previous = (step.page, state)


def test_fit_for_projector_scales_a_legends_own_label_limit():
    spec = {"encoding": {"color": {"legend": {"labelLimit": 260}}, "x": {"legend": None}}}
    fit_for_projector(spec, 2.0)
    assert spec["encoding"]["color"]["legend"]["labelLimit"] == 520
