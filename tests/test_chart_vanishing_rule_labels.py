"""The labels of the vanishing & exploding page's rules: close rules share a label spot,
beside the outermost of them, so that no rule runs through another's label."""

from charts import vanishing_exploding as charts
from core.propagation import deep_linear_signal


def labels(a: float, L: int) -> dict[str, dict]:
    """label text: its row (layer, label_x, right) in the deep linear chart's text layer."""
    spec = charts.linear_depth_chart(*charts.linear_frames(deep_linear_signal(a, L))).to_dict()
    text = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "text")
    assert text["encoding"]["x"]["field"] == "label_x"
    return {row["label"]: row for row in spec["datasets"][text["data"]["name"]]}


def test_float32_subnormal_and_zero_labels_sit_right_of_the_later_rule():
    rows = labels(0.5, 2000)
    limits = deep_linear_signal(0.5, 2000).limits
    for dtype in ("float32", "float64"):
        subnormal, zero = limits[dtype].subnormal_layer, limits[dtype].underflow_layer
        assert subnormal < zero  # close: 127 and 150, 1023 and 1075
        pair = rows[f"{dtype}: subnormal at l = {subnormal}"], rows[f"{dtype}: 0 at l = {zero}"]
        assert [row["layer"] for row in pair] == [subnormal, zero]
        assert all(row["label_x"] == zero and not row["right"] for row in pair)


def test_close_rules_in_the_right_part_are_labelled_left_of_the_earlier_rule():
    rows = labels(0.5, 160)  # float32's rules at 127 and 150, both past 0.6 · 160
    assert {row["label_x"] for row in rows.values()} == {127}
    assert all(row["right"] for row in rows.values())


def test_far_apart_rules_keep_their_labels_at_their_own_layer():
    rows = labels(1.5, 2000)  # inf at 219 in float32, at 1751 in float64
    assert [row["label_x"] for row in rows.values()] == [219, 1751]
    assert [row["right"] for row in rows.values()] == [False, True]
