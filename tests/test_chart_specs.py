"""Every chart a page draws is valid Vega-Lite.

The app skips Altair's schema checks while it draws (charts/__init__.py, charts/common.py),
so they run here instead, on the finished spec of every chart of every page, at the
defaults and in presentation mode (which rewrites the fonts of every chart).
"""

import ast
import json
import math

import altair as alt
import pandas as pd
import pytest
from altair.utils.schemapi import validate_jsonschema
from streamlit.testing.v1 import AppTest

from charts.common import POWER_OF_TEN_LABEL, raised, vega_lite_spec
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


def vega_label(expression: str, value: float) -> str:
    """What a label expression of charts.common makes of a tick ``value``: a ternary over
    Vega's log, round, abs, replace and regexp of datum.value, each branch also Python
    syntax, walked here node by node (no eval). '' + -16 is "-16", as in JavaScript."""
    functions = {
        "log": math.log,
        "abs": abs,
        "round": round,
        "regexp": lambda pattern, flags: pattern,
        "replace": lambda text, pattern, by: text.replace(pattern, by),
    }

    def walk(node):
        match node:
            case ast.Expression(body=body):
                return walk(body)
            case ast.Constant(value=constant):
                return constant
            case ast.Name(id="LN10"):
                return math.log(10)
            case ast.Attribute(value=ast.Name(id="datum"), attr="value"):
                return value
            case ast.Call(func=ast.Name(id=name), args=args):
                return functions[name](*map(walk, args))
            case ast.Compare(left=left, ops=[ast.Lt()], comparators=[right]):
                return walk(left) < walk(right)
            case ast.BinOp(left=left, op=op, right=right):
                a, b = walk(left), walk(right)
                if isinstance(op, ast.Add):
                    return a + str(b) if isinstance(a, str) else a + b
                return a - b if isinstance(op, ast.Sub) else a / b
        raise AssertionError(f"not in the expressions the test knows: {ast.dump(node)}")

    condition, branches = expression.split(" ? ", 1)
    chosen, other = branches.rsplit(" : ", 1)
    branch = chosen if walk(ast.parse(condition, mode="eval")) else other
    return walk(ast.parse(branch, mode="eval"))


@pytest.mark.parametrize(
    ("value", "label"),
    [(1e-16, "10⁻¹⁶"), (1e-8, "10⁻⁸"), (1.0, "10⁰"), (100.0, "10²"), (1e6, "10⁶"), (2e-3, "")],
)
def test_log_axes_label_powers_of_ten_with_superscripts_and_nothing_between(value, label):
    assert vega_label(POWER_OF_TEN_LABEL, value) == label


def test_the_deep_linear_axis_raises_its_log10_values():
    exponent = raised("'' + datum.value")
    assert vega_label(f"0 < 1 ? '10' + {exponent} : ''", -443) == "10⁻⁴⁴³"
