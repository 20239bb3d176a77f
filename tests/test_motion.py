"""charts.motion: a chart that plays a history in the browser.

The spec tests check the parameters, bindings and filters the player writes and that
the charts it makes are valid Vega-Lite; one browser test plays a small app's chart in
Chromium and watches the counter advance with nothing sent to the server.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import pytest

from charts import motion
from charts.common import vega_lite_spec
from tests.browser_helpers import (
    ROOT,
    chart_pictures,
    open_tab,
    streamlit_server,
    wait_for_app,
    wait_until,
)

# ------------------------------------------------------------------ frames


@pytest.mark.parametrize("spacing", ["even", "log"])
@pytest.mark.parametrize("n_steps", [2, 3, 199, 200, 201, 1_000, 22_517_585])
def test_frames_keep_the_first_and_last_step_and_at_most_the_bound(n_steps, spacing):
    kept = motion.frames(n_steps, spacing=spacing)
    assert kept[0] == 0 and kept[-1] == n_steps - 1
    assert len(kept) == min(n_steps, motion.AT_MOST)
    assert np.all(np.diff(kept) > 0)  # ascending, each once
    assert kept.dtype.kind == "i"


def test_a_short_history_keeps_every_step():
    assert motion.frames(14).tolist() == list(range(14))
    assert motion.frames(1).tolist() == [0]


def test_even_frames_are_evenly_spaced_and_log_frames_dense_at_the_start():
    even = motion.frames(1_001, at_most=11)
    assert even.tolist() == list(range(0, 1_001, 100))
    log = motion.frames(22_517_585, spacing="log")
    assert log[:16].tolist() == list(range(16))  # the first steps one by one
    assert np.diff(log)[-1] > 1_000_000  # then ever longer strides


@pytest.mark.parametrize(
    ("args", "kwargs"), [((0,), {}), ((10, 1), {}), ((10,), {"spacing": "square"})]
)
def test_frames_refuse_what_cannot_be_kept(args, kwargs):
    with pytest.raises(ValueError):
        motion.frames(*args, **kwargs)


# ------------------------------------------------------------------ the player's spec


def _path(steps) -> alt.Chart:
    table = pd.DataFrame({"step": steps, "w1": np.cos(steps), "w2": np.sin(steps)})
    return alt.Chart(table).mark_line().encode(x="w1:Q", y="w2:Q", order="step:Q")


def _params(spec: dict) -> dict[str, dict]:
    return {param["name"]: param for param in spec.get("params", [])}


def test_the_player_binds_a_play_checkbox_and_a_slider_over_its_frames():
    kept = motion.frames(5_000)
    spec = motion.Player(kept, name="run").layer(_path(kept)).to_dict()
    params = _params(spec)
    assert params["run_play"]["bind"] == {"input": "checkbox", "name": "▶ play"}
    assert params["run_play"]["value"] is False
    assert params["run_scrub"]["bind"] == {
        "input": "range", "min": 0, "max": 199, "step": 1, "name": "frame",
    }  # fmt: skip
    assert params["run_scrub"]["value"] == 199  # the whole history on load
    assert params["run_steps"]["value"] == kept.tolist()
    assert params["run"]["expr"] == "run_steps[run_state.k]"
    # 200 frames play at 30 a second, from Vega-Lite's timer
    assert params["run_beat"]["expr"] == "floor(anim_clock * 30 / 1000)"
    for name in ("run_steps", "run_beat", "run_state", "run"):
        assert "bind" not in params[name]


def test_a_history_of_every_step_scrubs_by_step_at_its_own_speed():
    params = _params(motion.Player(14, per_second=12).layer(_path(np.arange(14))).to_dict())
    assert params["step_scrub"]["bind"]["name"] == "step"
    assert params["step_scrub"]["bind"]["max"] == 13
    assert params["step_beat"]["expr"] == "floor(anim_clock * 12 / 1000)"


@pytest.mark.parametrize(("frames", "speed"), [(2, 10), (60, 10), (120, 20), (200, 30), (900, 30)])
def test_the_default_speed_is_10_to_30_frames_a_second(frames, speed):
    assert motion.default_per_second(frames) == speed


def test_the_clock_is_a_timer_selection_on_an_invisible_layer():
    spec = motion.Player(30, name="d").layer(_path(np.arange(30))).to_dict()
    (clock,) = [part for part in spec["layer"] if part.get("name") == "d_clock_view"]
    params = _params(spec)
    assert params["d_clock"]["select"] == {"type": "point", "fields": ["t"], "on": "timer"}
    assert params["d_clock"]["views"] == ["d_clock_view"]
    assert clock["encoding"]["time"]["field"] == "t"
    assert clock["mark"]["opacity"] == 0 and clock["mark"]["aria"] is False


def test_layers_are_filtered_up_to_or_at_the_current_step():
    play = motion.Player(30, name="descent")
    grown = play.up_to_step(_path(np.arange(30)), field="iteration").to_dict()
    frame = play.at_step(_path(np.arange(30))).to_dict()
    assert grown["transform"] == [{"filter": "datum['iteration'] <= descent"}]
    assert frame["transform"] == [{"filter": "datum['step'] == descent"}]


def test_the_counter_says_step_k_of_n_with_thousands_separators():
    play = motion.Player(motion.frames(22_517_585, spacing="log"), name="raw")
    assert play.counter_text() == "'step ' + format(raw, ',') + ' of 22,517,584'"
    assert motion.Player(14, total=13).counter_text().endswith("' of 13'")
    counter = play.counter(x=10, y=20).to_dict()
    assert counter["mark"]["text"] == {"expr": play.counter_text()}
    assert (counter["mark"]["x"], counter["mark"]["y"]) == (10, 20)


@pytest.mark.parametrize(
    ("steps", "name"), [([], "step"), ([0, 2, 2], "step"), ([3, 1], "step"), (5, "a b")]
)
def test_a_player_refuses_steps_out_of_order_and_names_vega_cannot_use(steps, name):
    with pytest.raises(ValueError):
        motion.Player(steps, name=name)


def test_a_played_chart_is_valid_vega_lite_and_the_aria_pass_keeps_its_parameters():
    kept = motion.frames(22_517_585, spacing="log")
    play = motion.Player(kept, name="descent")
    path = _path(kept)
    chart = play.layer(play.up_to_step(path), play.at_step(path.mark_point()), play.counter())
    validated = chart.to_dict()  # Altair validates against Vega-Lite's schema
    spec = vega_lite_spec(chart)
    assert spec["params"] == validated["params"]
    assert vega_lite_spec(chart, present=True)["params"] == validated["params"]
    marks = [part["mark"] for part in spec["layer"]]
    assert marks[2]["aria"] is False  # the counter draws no field: quiet for screen readers
    # A 200-frame path: the spec without its tables stays a few kB.
    body = {key: value for key, value in spec.items() if key != "datasets"}
    assert len(alt.utils.schemapi.json.dumps(body)) < 6_000


def test_a_frame_table_spreads_the_kept_steps_over_a_fixed_number_of_frames():
    table = motion.frame_table([0, 1, 2, 5, 13], frames=9)
    assert table["frame"].tolist() == list(range(9))
    assert table["step"].tolist() == [0, 0, 1, 1, 2, 2, 5, 5, 13]  # each for an equal share
    assert table["counter"].iloc[-1] == "step 13 of 13"
    assert motion.frame_table([0, 4_000], total=15_000)["counter"].iloc[-1] == (
        "step 4,000 of 15,000"
    )
    # a row appears at the first frame that shows its step or a later one
    assert motion.first_frames(table, [0, 1, 3, 5, 13]).tolist() == [0, 2, 6, 6, 8]


@pytest.mark.parametrize("kept", [[], [0, 2, 2], list(range(10))])
def test_a_frame_table_refuses_steps_it_cannot_play(kept):
    with pytest.raises(ValueError):
        motion.frame_table(kept, frames=9)


def test_a_player_over_a_frame_table_keeps_its_spec_whatever_the_history():
    play = motion.Player(motion.AT_MOST, name="d", scrub="frame")
    path = play.up_to_step(_path(np.arange(3)), field="frame")
    counter = play.counter(table=alt.NamedData("frames")).to_dict()
    params = _params(play.layer(path).to_dict())
    assert params["d_scrub"]["bind"]["name"] == "frame"
    assert params["d_scrub"]["bind"]["max"] == motion.AT_MOST - 1
    assert path.to_dict()["transform"] == [{"filter": "datum['frame'] <= d"}]
    assert counter["data"] == {"name": "frames"}
    assert counter["encoding"]["text"]["field"] == "counter"
    assert counter["transform"] == [{"filter": "datum['frame'] == d"}]
    # Two histories, the one of 3 steps and one of 150 steps up to 14,900: their frame
    # tables and paths differ, their charts' specs do not.
    specs = []
    for kept in (np.arange(3), np.arange(0, 15_000, 100)):
        frames = motion.frame_table(kept)
        path = _path(kept).data.assign(frame=motion.first_frames(frames, kept))
        player = motion.Player(motion.AT_MOST, name="d", scrub="frame")
        chart = player.layer(
            player.up_to_step(alt.Chart(path).mark_line().encode(x="w1:Q", y="w2:Q"), "frame"),
            player.counter(table=alt.NamedData("frames")),
        )
        spec = vega_lite_spec(chart)
        specs.append({key: value for key, value in spec.items() if key != "datasets"})
        assert len(spec["datasets"]["data-0"]) == len(kept)  # the history is in the table
    assert specs[0] == specs[1]


def test_panels_side_by_side_share_one_player():
    play = motion.Player(40, name="both")
    panel = play.up_to_step(_path(np.arange(40)))
    spec = play.concat(alt.layer(panel, play.counter()), panel, columns=2).to_dict()
    params = _params(spec)
    assert {"both_play", "both_scrub", "both", "both_clock"} <= params.keys()
    # the clock's period at the top, where Vega-Lite's clock looks for it
    assert params["max_range_extent"]["value"] == 1e12
    assert [part["transform"] for part in spec["concat"][1:]] == [
        [{"filter": "datum['step'] <= both"}]
    ]


def test_a_grid_of_cells_shares_one_player_and_one_clock():
    play = motion.Player(40, name="all")
    panel = play.up_to_step(_path(np.arange(40)))
    cells = [(alt.layer(panel, play.counter()), panel) for _ in range(3)]
    titles = [alt.TitleParams(f"cell {i}") for i in range(3)]
    spec = play.grid(cells, titles, columns=2, spacing=10).to_dict()
    assert spec["columns"] == 2 and spec["spacing"] == 10
    assert [cell["title"]["text"] for cell in spec["concat"]] == ["cell 0", "cell 1", "cell 2"]
    assert all(len(cell["vconcat"]) == 2 and cell["spacing"] == 4 for cell in spec["concat"])
    params = _params(spec)
    assert {"all_play", "all_scrub", "all", "all_clock"} <= params.keys()
    assert params["max_range_extent"]["value"] == 1e12
    # one clock, in the first cell's first panel: one timer for the whole grid
    assert json.dumps(spec).count('"name": "all_clock_view') == 1
    assert '"name": "all_clock_view' in json.dumps(spec["concat"][0]["vconcat"][0])
    with pytest.raises(ValueError):
        play.grid(cells, titles[:2], columns=2, spacing=10)  # a title for every cell


# ------------------------------------------------------------------ in the browser

APP = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import altair as alt
import numpy as np
import pandas as pd
from charts import motion
from charts.common import finish
from ui.charts import show

def build(table):
    play = motion.Player(table["step"].tolist(), name="descent", per_second=30)
    x = alt.X("w1:Q", scale=alt.Scale(domain=[-1, 1]))
    y = alt.Y("w2:Q", scale=alt.Scale(domain=[-1, 1]))
    path = alt.Chart().mark_line().encode(x=x, y=y, order="step:Q")
    head = alt.Chart().mark_point(size=120, filled=True).encode(x=x, y=y)
    layers = play.up_to_step(path), play.at_step(head), play.counter()
    return finish(play.layer(*layers, data=table), "A played path")

steps = np.arange(120)
table = pd.DataFrame({{"step": steps, "w1": np.cos(steps / 9) * (1 - steps / 120),
                       "w2": np.sin(steps / 9) * (1 - steps / 120)}})
show(build, table, name="path", description="A spiral to the centre in 119 steps.")
"""

_COUNTER = re.compile(r"step (\d+) of 119")


def _shown_step(tab) -> int | None:
    texts = tab.locator('[data-testid="stVegaLiteChart"] svg.marks text').all_text_contents()
    found = [int(match[1]) for text in texts if (match := _COUNTER.fullmatch(text))]
    return found[0] if found else None


@pytest.mark.browser
def test_play_advances_the_step_in_the_browser_without_a_message_to_the_server(
    tmp_path: Path, browser
):
    from streamlit.proto.BackMsg_pb2 import BackMsg

    (tmp_path / "app.py").write_text(APP)
    tab = open_tab(browser)
    sent: list[bytes] = []
    tab.on(
        "websocket",
        lambda socket: socket.on(
            "framesent", lambda frame: isinstance(frame, bytes) and sent.append(frame)
        ),
    )
    try:
        with streamlit_server(tmp_path) as url:
            tab.goto(url)
            wait_for_app(tab)
            assert wait_until(tab, lambda: _shown_step(tab) == 119, 10_000)  # all, on load
            chart = tab.locator('[data-testid="stVegaLiteChart"]')
            runs, before = tab.evaluate("window.__scriptRuns.started"), len(sent)

            chart.locator('input[type="range"]').fill("5")  # the slider scrubs at once
            assert wait_until(tab, lambda: _shown_step(tab) == 5)
            picture = chart_pictures(tab)
            chart.get_by_label("▶ play").check()
            pressed = time.monotonic()
            # 30 frames a second: 15 frames on after half a second
            assert wait_until(tab, lambda: _shown_step(tab) >= 20)
            assert time.monotonic() - pressed > 0.3
            assert chart_pictures(tab) != picture  # the path grew
            assert wait_until(tab, lambda: _shown_step(tab) == 119, 6_000)  # to the end
            played = time.monotonic() - pressed
            tab.wait_for_timeout(300)
            assert _shown_step(tab) == 119  # and it stays there
            chart.get_by_label("▶ play").uncheck()

            backs = [BackMsg.FromString(frame).WhichOneof("type") for frame in sent[before:]]
            assert set(backs) <= {"app_heartbeat"}, backs  # no rerun, nothing else
            assert tab.evaluate("window.__scriptRuns.started") == runs
            assert played > 3  # the 114 frames took about 3.8 s: that long without a message
    finally:
        tab.context.close()
