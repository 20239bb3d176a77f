"""The deep linear network's chart writes its lesson in the corner its straight line leaves
empty: one row per float limit the line crosses, inside the bands, and a rule from the
axis the line starts at up to the crossing, so that no rule runs through a row."""

import pytest

from charts import vanishing_exploding as charts
from core.propagation import deep_linear_signal

SPEC = charts.linear_depth_chart().to_dict()  # the same for every a and L


def chart(a: float, L: int) -> dict[str, list[dict]]:
    """The chart's tables, by name, as rows."""
    tables = charts.linear_frames(deep_linear_signal(a, L))
    return {name: table.to_dict("records") for name, table in tables.items()}


def layer(tables: dict, mark: str) -> tuple[dict, list[dict]]:
    """The layer drawing ``mark`` and the rows of its table."""
    found = next(part for part in SPEC["layer"] if part["mark"]["type"] == mark)
    return found, tables[found["data"]["name"]]


def y_domain(tables: dict) -> list[float]:
    """The y scale's domain: the invisible extent's corners, which hold the line."""
    return [row["log10_A"] for row in tables["extent"]]


def test_a_rising_line_writes_its_limits_top_left_the_highest_first():
    spec = chart(1.5, 2000)  # inf at 219 in float32, at 1751 in float64
    low, high = y_domain(spec)
    text, rows = layer(spec, "text")
    assert [row["label"] for row in rows] == ["float64: inf at l = 1751", "float32: inf at l = 219"]
    assert text["encoding"]["x"] == {"datum": 0} and text["mark"]["align"] == "left"
    assert high > rows[0]["row_y"] > rows[1]["row_y"] > 0.7 * high  # the top, inside the bands
    limits = deep_linear_signal(1.5, 2000).limits
    assert all(row["row_y"] > row["edge"] for row in rows if row["dtype"] == "float32")
    # each rule rises from the bottom to where the line crosses its limit
    rule, rules = layer(spec, "rule")
    assert rule["encoding"]["y"]["field"] == "start" and rule["encoding"]["y2"]["field"] == "edge"
    assert {(r["layer"], r["start"]) for r in rules} == {
        (limits["float32"].overflow_layer, low),
        (limits["float64"].overflow_layer, low),
    }


def test_a_falling_line_writes_its_limits_bottom_left_the_lowest_first():
    spec = chart(0.5, 2000)
    low, high = y_domain(spec)
    _, rows = layer(spec, "text")
    assert [row["label"] for row in rows] == [
        "float64: 0 at l = 1075",
        "float64: subnormal at l = 1023",
        "float32: 0 at l = 150",
        "float32: subnormal at l = 127",
    ]
    assert low < rows[0]["row_y"] < rows[1]["row_y"] < rows[2]["row_y"] < rows[3]["row_y"]
    assert rows[3]["row_y"] < low + 0.3 * (high - low)  # the bottom
    _, rules = layer(spec, "rule")
    assert {r["start"] for r in rules} == {high}  # rules hang from the top


@pytest.mark.parametrize(("a", "L"), [(1.0, 2000), (1.5, 10), (0.5, 100)])
def test_a_line_that_stays_in_range_has_no_rows_and_no_rules(a, L):
    tables = chart(a, L)
    assert not tables["marks"] and not tables["bands"]  # nor bands: it comes near none
    low, high = y_domain(tables)
    assert all(low < row["log10_A"] < high for row in tables["signal"])


def test_the_rows_reach_no_further_into_the_chart_than_the_line_leaves_room_for():
    # The line is straight from its first to its last point; a row of ~32 characters is
    # about a third of a laptop chart's width. Within that third, the line stays at least
    # two rows' height away from every row on the corner's side.
    for a, L in [(1.5, 2000), (0.5, 2000), (2.0, 2000), (0.5, 160), (1.5, 230)]:
        spec = chart(a, L)
        low, high = y_domain(spec)
        _, rows = layer(spec, "text")
        _, points = layer(spec, "line")
        third = [p["log10_A"] for p in points if p["layer"] <= L / 3]
        rising = a > 1
        for row in rows:
            gap = (row["row_y"] - max(third)) if rising else (min(third) - row["row_y"])
            assert gap > 0.07 * (high - low), (a, L, row["label"])
