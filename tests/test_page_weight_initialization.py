"""The weight-initialization page, run headless with Streamlit's AppTest, and its chart
builders. Expected numbers come from core, never typed in."""

import base64
import io
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from PIL import Image
from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import AppTest

from charts import weight_initialization as charts
from core import datasets, network
from core.initialization import PRESETS, hidden_unit_spread, initialize_parameters
from core.propagation import simulate_random_network
from panels import weight_initialization as panel

PAGE = "../pages/weight_initialization.py"
TITLE = "Weight initialization"
DEEP = {"wi_part": "A deep network"}  # the tab of the deep network
HIDDEN = {"10, 5": (10, 5), "5": (5,), "20, 10": (20, 10)}
DETAIL = slice(1, 5)  # the chosen method's four figures; metric 0 is the six's key number


FOLDED = (
    "wi_numbers",
    "wi_formula",
    "wi_names",
    "wi_weights",
)  # the expanders drawn only when opened


def open_page(query: dict[str, str] | None = None, opened: tuple[str, ...] = FOLDED) -> AppTest:
    """The page as a visitor who opened the ``opened`` expanders sees it."""
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.query_params.update(query or {})
    for key in opened:
        at.session_state[key] = True
    return at.run()


def page_text(at: AppTest) -> str:
    parts = [*at.latex, *at.info, *at.success, *at.warning, *at.error, *at.caption, *at.markdown]
    return " ".join([e.value for e in parts] + [f"{m.label}: {m.value}" for m in at.metric])


def specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def find_chart(at: AppTest, words: str) -> int:
    """The index of the one chart whose description starts with ``words``."""
    found = [i for i, spec in enumerate(specs(at)) if spec["description"].startswith(words)]
    assert len(found) == 1, (words, [s["description"][:40] for s in specs(at)])
    return found[0]


def chart_data(at: AppTest, index: int) -> list[pd.DataFrame]:
    chart = at.get("vega_lite_chart")[index]
    return [pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets]


def cell_tables(at: AppTest, cell: int) -> dict[str, pd.DataFrame]:
    """Cell ``cell``'s (0 to 5) tables in the six's one chart, by their names in a cell
    (charts.CELL_FRAMES, …); an empty table is not sent."""
    (chart,) = [c for c in at.get("vega_lite_chart")
                if json.loads(c.proto.spec)["description"] == panel.SIX_DESCRIPTION]  # fmt: skip
    sent = {d.name: pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets}
    return {name: sent[charts.cell_table(name, cell)] for name in charts.CELL_TABLES
            if charts.cell_table(name, cell) in sent}  # fmt: skip


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The one table on the page with a column named ``column``."""
    found = [frame.value for frame in at.dataframe if column in frame.value.columns]
    assert len(found) == 1, column
    return found[0]


def metrics(at: AppTest) -> list[str]:
    return [m.value for m in at.metric[DETAIL]]


def training(at: AppTest, name: str | None = None, v: float | None = None, iterations=None):
    """(data, TrainingResult) computed here by core with the page's settings (those of
    the training up close, unless ``iterations`` is given: the six's 15,000)."""
    name = name or at.selectbox(key="wi_init").value
    v = at.select_slider(key="wi_v").value if v is None else v
    rng = np.random.default_rng(at.number_input(key="wi_seed").value)
    data = datasets.toy_split(at.radio(key="wi_data").value, rng)
    preset = PRESETS[name]
    dims = (2, *HIDDEN[at.selectbox(key="wi_hidden").value], 1)
    start = initialize_parameters(dims, preset.method, rng, preset.std_scale(v))
    result = network.train(
        data.X_train,
        data.Y_train,
        start,
        activation=at.radio(key="wi_act").value,
        learning_rate=at.select_slider(key="wi_lr").value,
        num_iterations=iterations or at.slider(key="wi_iter").value,
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


# ŷ is drawn in charts.LEVELS levels: a pixel is within half a level's step of its colour.
LEVEL_STEP = charts.probability_colors(np.linspace(0, 1, charts.LEVELS)).astype(int)
LEVEL_STEP = np.abs(np.diff(LEVEL_STEP, axis=0))
LEVEL_STEP = float(np.ceil(LEVEL_STEP.max() / 2)) + 1  # and 1 for rounding


def picture(url: str) -> np.ndarray:
    """The RGB pixels of a data: URL's PNG."""
    data = base64.b64decode(url.removeprefix("data:image/png;base64,"))
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


# ---------------------------------------------------------------- the six, side by side


def test_page_opens_on_the_six_trained_side_by_side_with_the_key_number():
    at = open_page()
    assert not at.exception and not at.error
    assert at.title[0].value.startswith(TITLE)
    assert at.slider(key="wi_iter").value == 15_000 and at.select_slider(key="wi_lr").value == 0.01
    six = table_with(at, "initialization").set_index("initialization")["test accuracy"]
    spec = specs(at)[0]  # the six: one chart, a cell per method, one ▶ for all
    assert spec["description"] == panel.SIX_DESCRIPTION and len(spec["concat"]) == len(PRESETS)
    for index, (cell, name) in enumerate(zip(spec["concat"], PRESETS, strict=True)):
        # the title is the frames table's ("…: to train" without one): a move keeps the spec
        title = cell["title"]["text"]["expr"]
        assert f"data('{charts.cell_table(charts.CELL_FRAMES, index)}')[0].title" in title
        assert f'"{name}: to train"' in title
        frames = cell_tables(at, index)[charts.CELL_FRAMES]
        assert set(frames["title"]) == {f"{name} · {six[name]:.0%}"}
        assert frames["counter"].iloc[-1] == "step 15,000 of 15,000"
    he, zeros = (
        network.accuracy(data.X_test, data.Y_test, result.parameters)
        for data, result in (training(at, "He", 1.0), training(at, "zeros", 1.0))
    )
    key = at.metric[0]
    assert key.label == "Test accuracy, He against zeros"
    assert (
        key.value == f"{he:.0%} vs {zeros:.0%}" and key.delta == f"{100 * (he - zeros):+.0f} points"
    )
    assert not at.get("progress")  # the bar is gone once every training is done
    assert at.metric[2].label == "J at the end"
    # The main controls are on the page, beside the six; α and the seed in the sidebar.
    in_sidebar = {w.key for kind in ("radio", "slider", "selectbox", "select_slider",
                                      "number_input") for w in at.sidebar.get(kind)}  # fmt: skip
    assert in_sidebar == {"wi_lr", "wi_seed"}


def test_the_six_in_numbers_are_what_core_computes_on_the_same_data():
    at = open_page()
    table = table_with(at, "initialization")
    assert list(table["initialization"]) == list(PRESETS)
    broken = dict(zip(table["initialization"], table["symmetry broken"], strict=True))
    assert broken["zeros"] == False and broken["He"] == True  # noqa: E712 (numpy bools)
    data, result = training(at, "random × 10", v=1.0, iterations=panel.MAX_ITERATIONS)
    row = table.set_index("initialization").loc["random × 10"]
    assert row["J at the start"] == pytest.approx(result.costs[0])
    assert row["test accuracy"] == pytest.approx(
        network.accuracy(data.X_test, data.Y_test, result.parameters)
    )


def test_the_six_share_v_one_whatever_the_chosen_method_and_multiplier():
    at = open_page({"wi_init": "Xavier", "wi_v": "4"})
    row = table_with(at, "initialization").set_index("initialization").loc["Xavier"]
    _, result = training(at, "Xavier", v=1.0)
    assert row["J at the end"] == pytest.approx(result.costs[-1])
    _, chosen = training(at)  # the chosen method below trains with v = 4
    assert at.metric[2].value == f"{chosen.costs[-1]:.4g}" != f"{result.costs[-1]:.4g}"


@pytest.fixture
def script_runs(monkeypatch) -> list[int]:
    """One entry per script run from now on (AppTest's run() returns after the reruns)."""
    runs: list[int] = []
    execute = script_runner.exec_func_with_error_handling  # one call runs the script once

    def counted(*args, **kwargs):
        runs.append(1)
        return execute(*args, **kwargs)

    monkeypatch.setattr(script_runner, "exec_func_with_error_handling", counted)
    return runs


@pytest.mark.parametrize(
    ("budget", "split", "runs", "training"),
    [(0.0, 0.0, 6 + 1, 6), (1e6, 0.0, 1 + 1, 1), (1e6, 1e6, 1, 1)],
)
def test_the_six_train_as_many_per_request_as_the_budget_allows(
    monkeypatch, script_runs, budget, split, runs, training
):
    # A tiny budget: one training per run, then a run for the rest of the page; a huge
    # one: all six in one run, and the rest of the page in the next, unless making them
    # took less than SPLIT_S (cells from the cache), when the same run goes on.
    monkeypatch.setattr(panel, "RUN_BUDGET_S", budget)
    monkeypatch.setattr(panel, "SPLIT_S", split)
    drawn = []  # (the script run, how many cells had their tables) at each draw of the six
    draw = panel._draw_six

    def drawing(*args):
        frames = [args[-1][charts.cell_table(charts.CELL_FRAMES, cell)] for cell in range(6)]
        drawn.append((len(script_runs), sum(len(table) > 0 for table in frames)))
        draw(*args)

    monkeypatch.setattr(panel, "_draw_six", drawing)
    seed = 7_000 + int(budget > 0) + 2 * int(split > 0)
    at = open_page({"wi_seed": str(seed)})  # nothing cached yet
    assert not at.exception and len(script_runs) == runs
    assert at.metric[0].label.startswith("Test accuracy") and not at.get("progress")
    # A run that trains draws the grid first, its cells "…: to train" (a run after a split
    # too), then again after each cell it makes; a run from the cache draws it once.
    per_run = 6 // training
    expected = [(run + 1, cells) for run in range(training)
                for cells in (0, *range(run * per_run + 1, (run + 1) * per_run + 1))]  # fmt: skip
    expected += [(runs, 6)] if runs > training else []
    assert drawn == expected
    at.run()  # all six cached: one run draws the page, with nothing in between
    assert len(script_runs) == runs + 1 and drawn[len(expected) :] == [(runs + 1, 6)]


def lines(label: pd.DataFrame | None) -> list[str]:
    """The lines written across a boundary (none when it draws one), from its table of
    them (charts.label_frame): one row, or none (an empty table is not sent)."""
    assert label is None or len(label) == 1
    return [] if label is None else [line for text in label["text"] for line in text.split("\n")]


def written(at: AppTest, cell: int) -> list[str]:
    """The lines written across cell ``cell``'s boundary, in the six."""
    return lines(cell_tables(at, cell).get(charts.CELL_LABEL))


def test_zeros_blank_boundary_is_labelled_on_the_chart_and_only_there():
    at = open_page()
    lines = {name: written(at, index) for index, name in enumerate(PRESETS)}
    assert lines["zeros"] == ["ŷ = 0.5 everywhere:", "symmetry never broke"]
    assert lines["He"] == lines["Xavier"] == []
    assert lines["random × 0.01"][1] == "no boundary to see"  # broken symmetry, faint signal


def test_each_cell_plays_its_training_from_cached_snapshots():
    at = open_page()
    spec = specs(at)[0]  # the six, with one player for all
    assert {p["name"] for p in spec["params"]} >= {"frame_play", "frame_scrub"}
    tables = cell_tables(at, 5)  # He
    frames, costs = tables[charts.CELL_FRAMES], tables[charts.CELL_COSTS]
    # 16 snapshots of the course's 15,000 steps, one per frame, in order, the last at the end
    assert list(frames["frame"]) == list(range(charts.CELL_PLAYED))
    steps = panel.frame_iterations(panel.MAX_ITERATIONS)
    assert list(frames["iteration"]) == steps and len(steps) == charts.CELL_PLAYED
    assert steps[0] == 0 and steps[-1] == panel.MAX_ITERATIONS
    assert list(frames["counter"]) == [f"step {i:,} of 15,000" for i in steps]
    # a cost is drawn from the first frame at or past its step on
    at_frame = frames["iteration"].to_numpy()
    for i, f in zip(costs["iteration"], costs["frame"], strict=True):
        assert at_frame[f] >= i and (f == 0 or at_frame[f - 1] < i)
    data, result = training(at, "He", v=1.0, iterations=panel.MAX_ITERATIONS)
    grid = datasets.grid_covering(data.X_train)
    p = network.predict_probability(grid.X, result.parameters)[0].reshape(60, 60)
    last = picture(frames["url"].iloc[-1])[::-1]  # row 0 of a picture is its top
    np.testing.assert_allclose(last, charts.probability_colors(p), atol=LEVEL_STEP)
    first = picture(frames["url"].iloc[0])
    assert not np.array_equal(first, picture(frames["url"].iloc[-1]))  # it grew


# ---------------------------------------------------------------- one method up close


def test_the_chosen_method_opens_at_he_with_its_live_numbers():
    at = open_page()
    assert at.selectbox(key="wi_init").value == "He"
    # He on [2, 10, 5, 1]: σ[1] = √(2/2) = 1.000, σ[2] = √(2/10) = 0.447, σ[3] = √(2/5) = 0.632
    live = at.latex[1].value
    for text in (r"\frac{2}{2}} = 1.000", r"\frac{2}{10}} = 0.447", r"\frac{2}{5}} = 0.632"):
        assert text in live
    assert [m.label for m in at.metric[DETAIL]] == [
        "J at the start", "J at the end", "Train accuracy", "Test accuracy"
    ]  # fmt: skip
    assert len(at.get("vega_lite_chart")) == 1 + 4  # the six (one chart), the training tab
    assert any("course's He run" in notice.value for notice in at.success)


def test_both_names_of_the_course_xavier_are_shown():
    names = table_with(open_page(), "course").set_index("course")
    assert "LeCun" in names.loc["Xavier", "PyTorch"] and "LeCun" in names.loc["Xavier", "Keras"]
    assert "xavier_normal_" in names.loc["Xavier's other version (Glorot)", "PyTorch"]


@pytest.mark.parametrize("name", ["He", "random × 10", "Glorot"])
def test_metrics_are_what_core_computes(name):
    at = open_page({"wi_init": name})
    assert not at.exception
    assert metrics(at) == expected_metrics(at)


def test_rerun_with_a_cached_training_replays_without_error():
    at = open_page()
    before = [m.value for m in at.metric]
    at.run()
    assert not at.exception and [m.value for m in at.metric] == before
    assert not at.get("progress")


def test_zeros_never_break_symmetry():
    at = open_page({"wi_init": "zeros", "wi_iter": "1000"})
    _, result = training(at)
    assert metrics(at)[1:] == expected_metrics(at)[1:]
    assert metrics(at)[1] == "0.6931" and metrics(at)[2] == "50.0%"  # the course's
    (notice,) = [w.value for w in at.warning if "Every gradient but db[3] is exactly 0" in w.value]
    assert "worse than one unit per layer" in notice
    assert not hidden_unit_spread(result.parameters).any()
    assert "identical (rows of W1, b1, columns of W2): **yes**, spread across units = 0" in (
        page_text(at)
    )
    for w in ("W[1]", "W[2]"):
        index = find_chart(at, f"{w} after training")
        assert "Its rows are identical: the units are copies" in specs(at)[index]["description"]
        (weights,) = chart_data(at, index)
        assert not weights["value"].any()
    boundary = find_chart(at, "ŷ over the plane after training from zeros")
    label = [t for t in chart_data(at, boundary) if {"text", "top", "bottom"} <= set(t.columns)]
    assert lines(label[0] if label else None) == ["ŷ = 0.5 everywhere:", "symmetry never broke"]
    (costs,) = chart_data(at, find_chart(at, "The cost J of zeros at each iteration"))
    # the curve's ends are the figures above it: J at the start and at the end
    assert [f"{J:.4g}" for J in costs["cost"].iloc[[0, -1]]] == [metrics(at)[0], metrics(at)[1]]


def test_changing_method_and_multiplier_changes_the_formula_and_numbers():
    at = open_page()
    at.selectbox(key="wi_init").set_value("Xavier").run()
    assert r"\frac{1}{2}} = 0.707" in at.latex[1].value  # σ[1] = √(1/2)
    assert metrics(at) == expected_metrics(at)
    at.select_slider(key="wi_v").set_value(2.0).run()
    assert r"\sqrt{2 \cdot \frac{1}{2}} = 1.000" in at.latex[1].value  # v = 2: Xavier is He
    assert metrics(at) == expected_metrics(at)


def test_deep_network_table_is_the_simulation_of_core():
    at = open_page(DEEP)
    signals = simulate_random_network(
        10,
        100,
        at.radio(key="wi_deep_act").value,
        "he",
        np.random.default_rng(0),
        1.0,
        distribution="normal",
    )
    table = table_with(at, "layer l")
    assert list(table["layer l"]) == list(range(1, 11))
    np.testing.assert_allclose(table["Var(W[l]) = σ²"], 2 / 100)
    np.testing.assert_allclose(table["Var(Z[l]) theory"], signals.Z_rms_theory**2)
    np.testing.assert_allclose(table["Var(Z[l]) measured"], signals.Z_rms**2)
    element = next(d for d in at.dataframe if "layer l" in d.value.columns)
    shown = json.loads(element.proto.columns)  # to 4 significant digits, as numbers
    assert {c: config["type_config"] for c, config in shown.items() if "type_config" in config} == {
        column: {"type": "number", "format": "%.4g"} for column in table.columns[1:]
    }
    shares = chart_data(at, find_chart(at, "He, 10 layers of 100 relu units"))[0]
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
    at = open_page({**DEEP, **query})
    assert not at.exception
    assert phrase in page_text(at)


def test_smallest_settings_run():
    at = open_page(
        {"wi_v": "0.01", "wi_iter": "100", "wi_lr": "0.001", "wi_depth": "2", "wi_width": "10",
         "wi_hidden": "5", "wi_deep_act": "relu", "wi_test": "false"}
    )  # fmt: skip
    assert not at.exception
    assert at.slider(key="wi_iter").value == 100
    assert metrics(at) == expected_metrics(at)
    points = chart_data(at, find_chart(at, "ŷ over the plane after training"))
    assert set(next(t for t in points if "set" in t.columns)["set"]) == {"train"}  # test hidden
    at.session_state["wi_part"] = "A deep network"  # the link's depth waits in its tab
    at.run()
    assert not at.exception and at.slider(key="wi_depth").value == 2


def test_largest_settings_run_and_report_overflow_instead_of_crashing():
    at = open_page(
        {"wi_init": "random × 10", "wi_v": "100", "wi_seed": "9999", "wi_data": "moons",
         "wi_hidden": "20, 10", "wi_iter": "100", "wi_lr": "0.3",
         "wi_depth": "30", "wi_width": "500", "wi_part": "Its training"}
    )  # fmt: skip
    assert not at.exception
    assert r"10\sqrt{100} = 100.000" in at.latex[1].value  # σ = 10·√100
    assert metrics(at) == expected_metrics(at)
    assert len(at.get("vega_lite_chart")) == 1 + 4
    at.session_state["wi_part"] = "A deep network"
    at.run()
    assert not at.exception
    assert at.slider(key="wi_depth").value == 30 and at.select_slider(key="wi_width").value == 500
    assert len(at.get("vega_lite_chart")) == 1 + 1 + 6


def test_garbage_in_the_link_opens_defaults_with_a_notice():
    at = open_page(
        {"wi_init": "bogus", "wi_v": "7", "wi_depth": "abc", "wi_seed": "-3",
         "wi_data": "spirals", "wi_lr": "5"}
    )  # fmt: skip
    assert not at.exception
    assert at.selectbox(key="wi_init").value == "He" and at.select_slider(key="wi_v").value == 1.0
    assert at.slider(key="wi_depth").value == 10 and at.number_input(key="wi_seed").value == 0
    assert "could not be used" in at.info[0].value
    for key in ("wi_init", "wi_v", "wi_depth"):
        assert key in at.info[0].value


def test_only_the_open_tab_is_computed_and_drawn():
    at = open_page(opened=())
    assert [tab.label for tab in at.tabs] == list(panel.PARTS)
    headings = [h.value for h in at.subheader]
    assert "Training a small network" in headings
    assert "Symmetry in isolation" not in headings and "Through a deep network" not in headings
    assert not at.dataframe and not at.table  # the expanders closed: their tables not drawn
    assert len(at.get("vega_lite_chart")) == 1 + 2  # nor the weights: the six, J and ŷ
    at.session_state["wi_part"] = "Symmetry"
    at.run()
    headings = [h.value for h in at.subheader]
    assert "Symmetry in isolation" in headings and "Training a small network" not in headings
    assert len(at.get("vega_lite_chart")) == 1  # the six only: symmetry is a table


def test_a_link_with_a_deep_setting_opens_the_deep_tab():
    at = open_page({"wi_depth": "5"})  # shared before the parts had tabs
    assert not at.exception and not at.info
    assert at.slider(key="wi_depth").value == 5
    assert "Through a deep network" in [h.value for h in at.subheader]


def test_a_closed_tabs_unusable_link_value_is_refused_with_a_notice():
    at = open_page({"wi_part": "Its training", "wi_depth": "99", "wi_width": "100"})
    assert not at.exception
    assert "wi_depth" in at.info[0].value and "wi_width" not in at.info[0].value
    at.session_state["wi_part"] = "A deep network"
    at.run()
    assert at.slider(key="wi_depth").value == 10  # the default took its place


@pytest.mark.parametrize(
    ("query", "quoted"),
    [
        ({"wi_init": "He"}, True),  # the course's setting: circles, [2, 10, 5, 1], 15,000
        ({"wi_init": "He", "wi_data": "moons"}, False),
        ({"wi_init": "random × 10"}, True),
        ({"wi_init": "random × 10", "wi_iter": "1000"}, False),  # the up close's own steps
    ],
)
def test_the_courses_outcome_is_quoted_only_beside_the_run_that_repeats_it(query, quoted):
    at = open_page(query)
    assert not at.exception
    notices = " ".join(e.value for e in [*at.info, *at.success, *at.warning])
    assert ("The course's He run" in notices or "course's random × 10" in notices) is quoted


def test_the_pairings_stand_where_the_method_is_chosen():
    at = open_page()
    beside = " ".join(c.value for c in at.main.caption)
    for words in ("He √(2/n[l−1]) for ReLU", "Xavier √(1/n[l−1]) for tanh", "Glorot"):
        assert words in beside


def test_the_reason_and_the_grid_are_on_the_page():
    at = open_page(DEEP)
    signals = simulate_random_network(10, 100, "relu", "he", np.random.default_rng(0), 1.0,
                                      distribution="normal")  # fmt: skip
    assert f"measured in layer 1: }} {signals.Z_rms[0] ** 2:.3g}" in at.latex[2].value
    assert "ReLU zeroes half the units" in page_text(at)
    titles = {f"{a} with {m}" for a in ("relu", "tanh") for m in ("Xavier", "He", "chosen: He")}
    grid = [s for s in specs(at) if isinstance(s.get("title"), str) and s["title"] in titles]
    assert len(grid) == 6
    assert len({json.dumps(s["encoding"]["y"]["scale"]["domain"]) for s in grid}) == 1  # one axis
    assert "**tanh with He**: forward keeps its scale" in page_text(at)


def test_tanh_networks_train_too():
    at = open_page({"wi_act": "tanh", "wi_init": "Xavier"})
    assert not at.exception and at.radio(key="wi_act").value == "tanh"
    assert metrics(at) == expected_metrics(at)
    assert at.metric[0].label == "Test accuracy, Xavier against zeros"  # tanh's pairing
    relu = open_page({"wi_init": "Xavier"})
    assert metrics(at) != metrics(relu)


def test_random_times_a_hundredth_never_starts_learning_and_says_why():
    at = open_page({"wi_init": "random × 0.01"})
    assert metrics(at)[1] == "0.6931"
    assert "Learning never started" in page_text(at) and "‖dθ‖ = " in page_text(at)


def test_symmetry_in_isolation_sets_zeros_against_a_constant():
    at = open_page({"wi_part": "Symmetry"})
    table = table_with(at, "nonzero gradients at the start")
    assert list(table["start"]) == ["W = 0", "W = 0.5"]
    assert "W = 0 gets no gradient at all" in page_text(at)
    assert "its units stay copies" in page_text(at)


def test_every_table_has_header_text():
    at = open_page()
    for frame in at.dataframe:
        assert all(str(column).strip() for column in frame.value.columns)
    assert not at.table  # every table is a dataframe with its index hidden


# ---------------------------------------------------------------- chart builders


def test_cost_curve_has_a_log_axis_and_tooltips():
    spec = charts.cost_curve().to_dict()
    assert spec["data"] == {"name": charts.COSTS}  # the table travels beside the spec
    assert spec["encoding"]["y"]["scale"]["type"] == "log"
    assert {t["field"] for t in spec["encoding"]["tooltip"]} == {"iteration", "cost"}


def test_cost_frame_thins_the_curve_keeps_the_last_point_and_drops_what_log_cannot_show():
    costs = np.linspace(1.0, 0.1, 15_001)
    costs[5] = np.inf
    frame = charts.cost_frame(costs, max_points=600)
    assert len(frame) <= 602 and frame["iteration"].iloc[-1] == 15_000
    assert np.isfinite(frame["cost"]).all() and frame["iteration"].is_monotonic_increasing
    assert charts.cost_frame(np.array([np.nan, -1.0])).empty


def test_heatmap_is_one_cell_per_layer_and_bin_with_a_log_colour_scale():
    signals = simulate_random_network(3, 20, "tanh", "xavier", np.random.default_rng(0), m=16)
    frame = charts.histogram_frame(signals)
    assert len(frame) == signals.A_histogram.size
    spec = charts.activation_heatmap(frame, "tanh").to_dict()
    assert spec["mark"]["type"] == "rect"
    assert spec["encoding"]["color"]["scale"]["type"] == "log"  # the spike at 0 swamps linear
    assert {"filter": "datum.share > 0"} in spec["transform"]  # log(0): left blank
    assert spec["encoding"]["y"]["field"] == "layer"
    assert {t["field"] for t in spec["encoding"]["tooltip"]} >= {"layer", "share"}


def boundary_frame(p: np.ndarray, steps: int = 5):
    data = datasets.toy_split("circles", np.random.default_rng(0))
    grid = datasets.grid_covering(data.X_train, steps=steps)
    return data, grid, charts.boundary_frames(grid, [7], [p.reshape(1, -1)])


def test_a_cells_points_are_one_picture_each_dot_where_its_point_is_in_its_class_colour():
    extent, box, scale = (-1.0, 1.0, -1.0, 1.0), (100, 80), charts.POINTS_SCALE
    points = pd.DataFrame({"x1": [0.5, -0.5], "x2": [0.5, -0.5], "label": ["1", "0"]})
    url = charts.points_picture(points, extent, box, size=30)
    data = base64.b64decode(url.removeprefix("data:image/png;base64,"))
    pixels = np.asarray(Image.open(io.BytesIO(data)).convert("RGBA")).astype(int)
    assert pixels.shape == (80 * scale, 100 * scale, 4)  # rows: the plot's height
    # (0.5, 0.5) is three quarters across and a quarter down; (−0.5, −0.5) the opposite
    for (row, column), color in (((20, 75), charts.CLASS_1), ((60, 25), charts.CLASS_0)):
        r, g, b, alpha = pixels[row * scale, column * scale]
        assert alpha > 200 and np.abs(np.array([r, g, b]) - charts._rgb(color)).max() <= 12
    assert pixels[40 * scale, 50 * scale, 3] == 0  # clear between the dots
    # A cell draws its training points as that one picture, not as a mark per point.
    cell = charts.six_cells(points.assign(set="train"), extent, (1e-3, 1.0), 15_000, ["He"], 100)
    spec = json.dumps(cell.to_dict())
    assert charts.points_picture(points.assign(set="train"), extent, (100, 100), 9) in spec
    assert '"x1": 0.5' not in spec and '"x1":0.5' not in spec


def test_decision_boundary_is_one_image_over_the_grid_with_the_points_on_top():
    data, grid, frames = boundary_frame(np.full(25, 0.5))
    extent = charts.extent_of(frames)
    points = charts.points_frame(data, with_test=True)
    spec = charts.decision_boundary(points, extent).to_dict()
    image, dots, legend, band, text = spec["layer"]
    assert image["data"] == {"name": charts.BOUNDARY}
    assert image["mark"]["type"] == "image" and image["encoding"]["url"]["field"] == "url"
    assert image["encoding"]["x"]["scale"]["domain"] == [
        grid.x1[0] - grid.step1 / 2, grid.x1[-1] + grid.step1 / 2
    ]  # fmt: skip
    assert dots["mark"]["type"] == "point" and dots["encoding"]["shape"]["field"] == "set"
    assert legend["encoding"]["color"]["scale"]["domain"] == [0, 0.5, 1]
    ratio = (grid.x1[-1] - grid.x1[0] + grid.step1) / (grid.x2[-1] - grid.x2[0] + grid.step2)
    assert spec["width"] / spec["height"] == pytest.approx(ratio, rel=0.01)  # circles round
    assert max(spec["width"], spec["height"]) == charts.BOUNDARY_SIZE
    # the label: a white band and its lines, from the table LABEL (label_frame)
    assert band["data"] == text["data"] == {"name": charts.LABEL}
    assert text["encoding"]["text"]["field"] == "text" and text["mark"]["lineBreak"] == "\n"
    box = charts.plot_box(extent, charts.BOUNDARY_SIZE)
    (row,) = charts.label_frame(("one", "two"), box).to_dict("records")
    assert row["text"] == "one\ntwo" and row["top"] < box[1] / 2 < row["bottom"]
    assert charts.label_frame((), box).empty  # a boundary drawn: nothing written on it


def test_moons_are_drawn_wider_than_tall_in_equal_units():
    data = datasets.toy_split("moons", np.random.default_rng(0))
    grid = datasets.grid_covering(data.X_train, steps=5)
    frames = charts.boundary_frames(grid, [0], [np.full((1, 25), 0.5)])
    width, height = charts.plot_box(charts.extent_of(frames), charts.CELL_SIZE)
    dx, dy = grid.step1 * 5, grid.step2 * 5
    assert width == charts.CELL_SIZE and height == round(charts.CELL_SIZE * dy / dx) < width
    points = charts.points_frame(data, with_test=False)
    six = charts.six_cells(points, charts.extent_of(frames), (0.01, 1.0), 15_000, ["He", "zeros"])
    for cell in six.to_dict()["concat"]:
        boundary, cost = cell["vconcat"]
        assert (boundary["width"], boundary["height"]) == (width, height)
        assert cost["width"] == width


def test_the_picture_puts_class_one_red_class_zero_blue_and_the_top_row_at_the_largest_x2():
    p = np.zeros((5, 5))
    p[4, 0] = 0.9  # the cell at the smallest x1 and the largest x2: the picture's top left
    p[0, 4] = 0.5
    p[2, 2] = np.nan
    _, _, frames = boundary_frame(p)
    pixels = picture(frames["url"].iloc[0]).astype(int)
    red, white, blue = pixels[0, 0], pixels[4, 4], pixels[4, 0]
    assert red[0] > red[2] and blue[2] > blue[0]  # p > 0.5 on class 1's side, < 0.5 on 0's
    assert abs(white[0] - white[2]) < 8 and white.min() > 240  # ŷ = 0.5: undecided, pale
    assert tuple(pixels[2, 2]) == charts.NAN_COLOR
    np.testing.assert_allclose(pixels[::-1], charts.probability_colors(p), atol=LEVEL_STEP)


def test_colours_follow_the_probability_on_each_side_of_one_half():
    shades = charts.probability_colors(np.linspace(0, 1, 11)).astype(int)
    assert (shades[:5, 2] > shades[:5, 0]).all() and (shades[6:, 0] > shades[6:, 2]).all()
    assert (np.diff(shades[:, 2] - shades[:, 0]) < 0).all()  # ever less blue, more red


def test_weights_heatmap_labels_small_matrices_on_one_colour_scale():
    parameters = initialize_parameters([2, 10, 5, 1], "he", np.random.default_rng(0))
    frame = charts.weights_frame(parameters, "W2")
    assert len(frame) == 5 * 10 and set(frame["matrix"]) == {"W2"}
    spec = charts.weights_heatmap(frame, 3.0).to_dict()
    cells, labels = spec["layer"]
    assert cells["encoding"]["color"]["scale"]["domain"] == [-3.0, 3.0]
    assert labels["encoding"]["text"]["format"] == ".1f"
    assert spec["height"] == 26 * 5 and spec["title"] == [
        "W[2] after training",
        "5 units × 10 inputs",
    ]
    wide = charts.weights_frame(
        initialize_parameters([20, 20], "he", np.random.default_rng(0)), "W1"
    )
    assert len(charts.weights_heatmap(wide, 3.0).to_dict()["layer"]) == 1  # too narrow to label


def test_the_relu_heatmap_starts_at_the_bin_that_holds_zero():
    signals = simulate_random_network(3, 20, "relu", "he", np.random.default_rng(0), m=16)
    frame = charts.histogram_frame(signals)
    spec = charts.activation_heatmap(frame, "relu").to_dict()
    low, high = spec["encoding"]["x"]["scale"]["domain"]
    assert low < 0 <= low + (frame["high"] - frame["low"]).max() and high == frame["high"].max()
