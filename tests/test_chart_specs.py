"""Every chart a page draws is valid Vega-Lite.

The app skips Altair's schema checks while it draws (charts/__init__.py, charts/common.py),
so they run here instead, on the finished spec of every chart of every page, at the
defaults and in presentation mode (which rewrites the fonts of every chart).
"""

import json

import altair as alt
import pandas as pd
import pytest
from altair.utils.schemapi import validate_jsonschema
from streamlit.testing.v1 import AppTest

from charts.common import POWER_OF_TEN_LABEL, raised, vega_lite_spec
from tests import vega_expressions
from ui.ideas import IDEAS

SCHEMA = alt.vegalite.v6.schema.core.load_schema()


@pytest.mark.parametrize("present", [False, True], ids=["laptop", "projector"])
@pytest.mark.parametrize("idea", IDEAS, ids=lambda idea: idea.title)
def test_every_chart_on_a_page_is_valid_vega_lite(idea, present):
    at = AppTest.from_file("../app.py")
    if present:
        at.query_params["present"] = "true"
    at.run(timeout=30).switch_page(idea.path).run(timeout=60)
    assert not at.exception
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    assert specs, f"{idea.title} draws no chart"
    for spec in specs:
        validate_jsonschema(spec, SCHEMA)  # raises on the first schema violation
        assert "datasets" not in spec or not spec["datasets"]  # tables travel as Arrow
        # heatmap rows and columns: each label on its cell, not pushed in by the theme
        assert spec["config"]["axisBand"] == {"labelFlush": False}


def test_an_invalid_spec_is_caught_by_the_check():
    broken = vega_lite_spec(alt.Chart().mark_point().encode(x="a:Q"))
    broken["mark"] = {"type": "no_such_mark"}
    with pytest.raises(Exception, match="no_such_mark"):
        validate_jsonschema(broken, SCHEMA)


def test_a_chart_keeps_its_tables_as_frames_for_streamlit_to_send_as_arrow():
    frame = pd.DataFrame({"a": range(6000)})  # over Altair's 5,000-row inline limit
    spec = vega_lite_spec(alt.Chart(frame).mark_point().encode(x="a:Q"))
    ((name, data),) = spec["datasets"].items()
    assert spec["data"] == {"name": name} and data is frame


@pytest.mark.parametrize(
    ("value", "label"),
    [(1e-16, "10⁻¹⁶"), (1e-8, "10⁻⁸"), (1.0, "10⁰"), (100.0, "10²"), (1e6, "10⁶"), (2e-3, "")],
)
def test_log_axes_label_powers_of_ten_with_superscripts_and_nothing_between(value, label):
    assert vega_expressions.label(POWER_OF_TEN_LABEL, value) == label


@pytest.mark.parametrize(("value", "label"), [(-443.0, "10⁻⁴⁴³"), (1102.0, "10¹¹⁰²"), (0.0, "10⁰")])
def test_raised_writes_every_digit_and_minus_sign_as_a_superscript(value, label):
    assert vega_expressions.label("'10' + " + raised("'' + datum.value"), value) == label
