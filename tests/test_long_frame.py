"""charts.common.long_frame: the table a concatenation of one DataFrame per part gives."""

import numpy as np
import pandas as pd
import pytest

from charts.common import long_frame


def test_parts_stack_as_concatenated_frames_would_with_labels_repeated():
    parts = [
        {"x": np.arange(3.0), "series": "simulated", "kinked": [True, False, True]},
        {"x": range(2), "series": "theory, a longer label", "kinked": np.zeros(2, bool)},
    ]
    expected = pd.concat([pd.DataFrame(part) for part in parts], ignore_index=True)
    stacked = long_frame(parts)
    pd.testing.assert_frame_equal(stacked, expected)
    assert list(stacked["series"]) == ["simulated"] * 3 + ["theory, a longer label"] * 2


def test_a_part_with_columns_of_different_lengths_is_refused():
    with pytest.raises(ValueError):
        long_frame([{"x": [1.0, 2.0], "y": [1.0]}])
