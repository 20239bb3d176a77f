"""A slider move swaps a chart's tables and keeps its spec.

Streamlit's frontend keeps a Vega view and replaces its tables in place when a rerun
sends the same spec (description included); a different spec, even one number in a
title, a domain or a rule's position, makes it build the whole view again. So every
chart a page's sliders redraw keeps its spec through a move: the current setting
travels in its tables (``ui.charts.show``'s ``tables``), never in the spec.

The moves are the benchmark's (benchmarks/load_sessions.py): one step of one slider
the page shows at its defaults.
"""

import json

import altair as alt
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ui.charts import DRAWN, show

# page → slider key → the value one step from its default
MOVES = {
    "vanishing_exploding": {
        "ve_a": 1.51, "ve_L": 11, "ve_depth": 51, "ve_width": 272, "ve_scale": 1.1,
    },
    "gradient_checking": {"gc_eps": "3e-5", "gc_lambda": 0.01},
    "numerical_gradients": {"ng_theta": 1.05, "ng_eps": "0.03", "ng_zoom": "2"},
    "normalizing_inputs": {
        "ni_lr": 0.55, "ni_m": 210, "ni_mt": 45, "ni_shift": 1100, "ni_tol": 0.0001,
    },
    "weight_initialization": {"wi_iter": 14_900, "wi_v": 2.0, "wi_lr": 0.03},
    "grad_check_in_practice": {"gp_width": "32"},
}  # fmt: skip
# Moves that change only what a closed tab shows (normalizing inputs' test set): no chart
# of the page redraws.
QUIET = {"ni_mt", "ni_shift"}
CASES = [(page, key, value) for page, moves in MOVES.items() for key, value in moves.items()]


def drawn(at: AppTest) -> dict[str, tuple[str, dict[str, bytes]]]:
    """Each chart on the page by name: (its spec as sent, its tables as sent)."""
    charts = {}
    for chart in at.get("vega_lite_chart"):
        name = json.loads(chart.proto.spec)["usermeta"]["name"]
        charts[name] = (chart.proto.spec, {d.name: d.data.data for d in chart.proto.datasets})
    return charts


def moved(page: str, key: str, value, query: dict | None = None) -> tuple[dict, dict]:
    """The page's charts (``drawn``) before and after ``key`` moves to ``value``, with the
    tabs ``query`` opens. From the page's second run, whose tables travel as a visitor's
    later runs send them: a table made afresh in a run can travel in other bytes (the same
    values) than the cached one after it."""
    at = AppTest.from_file(f"../pages/{page}.py", default_timeout=120)
    at.query_params.update(query or {})
    at.run().run()
    assert not at.exception
    assert key in at.session_state, f"{page} shows no control {key} with {query or 'defaults'}"
    before = drawn(at)
    at.session_state[key] = value
    at.run()
    assert not at.exception
    return before, drawn(at)


def assert_steady(before: dict, after: dict, key: str, quiet: bool = False) -> None:
    """The same charts, each with the spec it had; some tables resent, or none if ``quiet``."""
    assert set(after) == set(before), "a move draws the same charts"
    redrawn = [name for name in after if after[name][1] != before[name][1]]
    if quiet:
        assert not redrawn, f"moving {key} resent the tables of {redrawn}"
    else:
        assert redrawn, f"moving {key} changed no chart's tables"
    changed = [name for name in after if after[name][0] != before[name][0]]
    assert not changed, f"moving {key} changed the spec of {changed}"


@pytest.mark.parametrize(("page", "key", "value"), CASES, ids=[f"{p}-{k}" for p, k, _ in CASES])
def test_a_slider_move_keeps_every_chart_spec(page, key, value):
    assert_steady(*moved(page, key, value), key, quiet=key in QUIET)


# Sliders of a tab closed at the page's defaults, moved with the tab open:
# (page, the query that opens the tab, slider key, the value one step from its default).
GP, NI = "grad_check_in_practice", "normalizing_inputs"
STAGES, TEST_SET = {"ni_part": "Subtract μ, divide by σ"}, {"ni_part": "The test set"}
TAB_MOVES = [
    (GP, {"gp_rule": "Remember regularization"}, "gp_lambda", "1"),
    (GP, {"gp_rule": "Not with dropout"}, "gp_keep", "0.85"),
    *((GP, {"gp_rule": "Again after training"}, key, value) for key, value in
      {"gp_act": "leaky_relu", "gp_run_lambda": "0.03", "gp_iters": "500",
       "gp_eps": "1e-4"}.items()),
    (NI, STAGES, "ni_m", 210),
    (NI, TEST_SET, "ni_m", 210), (NI, TEST_SET, "ni_mt", 45), (NI, TEST_SET, "ni_shift", 1100),
    (NI, TEST_SET, "ni_wrong", True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("page", "query", "key", "value"),
    TAB_MOVES,
    ids=[f"{p}-{next(iter(q.values()))}-{k}" for p, q, k, _ in TAB_MOVES],
)
def test_a_slider_move_in_an_open_tab_keeps_every_chart_spec(page, query, key, value):
    assert_steady(*moved(page, key, value, query), key)


def points_chart() -> alt.Chart:
    return alt.Chart(alt.NamedData("points")).mark_point().encode(x="x:Q")


@pytest.mark.parametrize("given", [{"pionts": [1.0]}, {}, {"points": [1.0], "more": [2.0]}])
def test_a_chart_given_other_tables_than_it_reads_says_so(given):
    tables = {name: pd.DataFrame({"x": x}) for name, x in given.items()}
    with pytest.raises(ValueError, match=r"reads the tables \['points'\] and was given"):
        show(points_chart, name="points", description="A dot.", tables=tables)


def test_a_chart_given_the_tables_it_reads_is_drawn_with_them():
    table = pd.DataFrame({"x": [1.0]})
    show(points_chart, name="points", description="A dot.", tables={"points": table})
    drawn = st.session_state[DRAWN]["points"]
    assert drawn["datasets"]["points"] is table and drawn["description"] == "A dot."
