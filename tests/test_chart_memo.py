"""Charts are built once per distinct input and their specs sent from a cache, shared by
every session: equal tables give the same chart, different ones never do."""

import os

import altair as alt
import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import workers
from charts import common
from charts.common import memoized
from ui.ideas import IDEAS
from workers.shared import BoundedCache

built = []


@pytest.fixture
def here(monkeypatch):
    """Charts built in this process, where ``built`` can count them."""
    monkeypatch.setattr(workers, "_pool", workers.Pool(0))


@memoized
def line_chart(frame: pd.DataFrame, title: str) -> alt.Chart:
    built.append(title)
    return alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q").properties(title=title)


def frame(scale: float = 1.0) -> pd.DataFrame:
    return pd.DataFrame({"x": [0.0, 1.0, 2.0], "y": [0.0, scale, 4 * scale]})


def test_equal_tables_give_the_same_chart_and_different_ones_a_new_one(here):
    built.clear()
    first = line_chart(frame(), "a")
    assert line_chart(frame(), "a") is first  # a new but equal table
    assert line_chart(frame(2.0), "a") is not first  # other numbers
    assert line_chart(frame(), "b") is not first  # another argument
    assert built == ["a", "a", "b"]


def test_a_builder_with_arguments_that_cannot_be_pickled_builds_every_time(here):
    built.clear()
    unpicklable = frame().assign(y=frame()["y"])
    unpicklable.attrs["hook"] = lambda: None  # lambdas do not pickle
    line_chart(unpicklable, "c")
    line_chart(unpicklable, "c")
    assert built == ["c", "c"]


def test_the_memo_keeps_at_most_its_size():
    for k in range(common.MEMO_SIZE + 5):
        line_chart(frame(float(k + 10)), "d")
    assert len(common._memo) <= common.MEMO_SIZE


def test_a_drawn_spec_is_made_once_per_chart_with_its_tables_as_arrow():
    chart = line_chart(frame(3.0), "e")
    spec = common.drawn_spec(chart, present=False)
    assert common.drawn_spec(chart, present=False) is spec
    assert common.drawn_spec(chart, present=True) is not spec  # larger fonts
    ((name, data),) = spec["datasets"].items()
    table = pa.ipc.open_stream(data).read_pandas()
    pd.testing.assert_frame_equal(table[["x", "y"]], frame(3.0))
    assert spec["data"] == {"name": name}


@memoized
def titled_by_process(frame: pd.DataFrame) -> alt.Chart:
    return alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q").properties(title=str(os.getpid()))


def test_a_new_chart_is_built_and_drawn_in_a_worker_process():
    chart = titled_by_process(frame(5.0))
    assert chart.title != str(os.getpid())  # built elsewhere
    spec = common.drawn_spec(chart, present=False)  # drawn there too: no new spec here
    assert spec["title"] == chart.title and isinstance(spec["datasets"]["data-0"], bytes)
    assert spec == common._arrow_spec(common.vega_lite_spec(chart))


def test_altairs_class_table_is_kept_and_equal_to_a_new_one():
    from altair.utils import schemapi

    classes = list(schemapi._subclasses(schemapi.SchemaBase))
    kept = schemapi._FromDict(classes).class_dict
    assert schemapi._FromDict(iter(classes)).class_dict is kept  # built once
    fresh: dict = {}
    for tp in classes:
        if tp._schema is not None:
            fresh.setdefault(schemapi._FromDict.hash_schema(tp._schema), []).append(tp)
    assert dict(kept) == fresh
    encoded = alt.Chart().mark_point().encode(x="size:Q", color=alt.value("red"))
    assert encoded.to_dict()["encoding"] == {
        "x": {"field": "size", "type": "quantitative"},
        "color": {"value": "red"},
    }


@pytest.mark.parametrize("idea", IDEAS, ids=lambda idea: idea.title)
def test_layers_passed_through_give_the_specs_altair_would(idea, here, monkeypatch):
    api = alt.vegalite.v6.api

    def specs() -> list[str]:
        monkeypatch.setattr(common, "_memo", BoundedCache(common.MEMO_SIZE))
        monkeypatch.setattr(common, "_drawn", BoundedCache(common.MEMO_SIZE))
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file("../app.py").run(timeout=30).switch_page(idea.path)
        at.run(timeout=60)
        assert not at.exception
        return [chart.proto.spec for chart in at.get("vega_lite_chart")]

    passed_through = specs()
    assert passed_through
    for name in ("_remove_duplicate_params", "_combine_subchart_params"):
        monkeypatch.setattr(api, name, getattr(api, name).__wrapped__)  # Altair's own
    assert specs() == passed_through
