"""Every chart a page draws is valid Vega-Lite.

The app skips Altair's schema checks while it draws (charts/__init__.py, charts/common.py),
so they run here instead, on the finished spec of every chart of every page, at the
defaults and in presentation mode (which rewrites the fonts of every chart).
"""

import json
import re

import altair as alt
import pandas as pd
import pytest
from altair.utils.schemapi import validate_jsonschema
from streamlit.testing.v1 import AppTest

from charts.common import LEGEND_ORIENT, POWER_OF_TEN_LABEL, raised, vega_lite_spec
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
        # one visual language: legends under their chart, titles in sentence case
        assert spec["config"]["legend"]["orient"] == LEGEND_ORIENT
        assert {legend.get("orient", LEGEND_ORIENT) for legend in legends(spec)} <= {
            LEGEND_ORIENT
        }, idea.title
        for line in titles(spec):
            assert not title_cased(line), f"{idea.title}: title {line!r} is not sentence case"


# Names the course capitalizes: initializations, an activation, a norm, a person.
PROPER = {"Xavier", "Glorot", "He", "LeCun", "ReLU", "Frobenius", "Kaiming", "I"}


def title_cased(line: str) -> bool:
    """A title line in Title Case: two or more words after the first that start with a
    capital followed by small letters, and are not names the course capitalizes."""
    words = re.findall(r"[A-Za-z][a-z]+", line)[1:]
    return sum(word[0].isupper() and word not in PROPER for word in words) >= 2


def test_title_case_is_caught_and_sentence_case_with_names_passes():
    assert title_cased("Cost After Each Step")
    assert not title_cased("Cost after each step with He and Xavier")
    assert not title_cased("J − J* on raw inputs")


def legends(node) -> list[dict]:
    found = []
    if isinstance(node, dict):
        if isinstance(node.get("legend"), dict):
            found.append(node["legend"])
        for key, child in node.items():
            if key != "datasets":
                found += legends(child)
    elif isinstance(node, list):
        for child in node:
            found += legends(child)
    return found


def titles(node) -> list[str]:
    """Every chart and part title's text lines (axis and legend titles are names, not
    sentences, and are left alone)."""
    found = []
    if isinstance(node, dict):
        title = node.get("title")
        if "mark" in node or "layer" in node or "hconcat" in node or "vconcat" in node:
            text = title.get("text") if isinstance(title, dict) else title
            found += (
                [text] if isinstance(text, str) else [t for t in text or [] if isinstance(t, str)]
            )
        for key, child in node.items():
            if key not in ("datasets", "encoding", "title"):
                found += titles(child)
    elif isinstance(node, list):
        for child in node:
            found += titles(child)
    return found


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
