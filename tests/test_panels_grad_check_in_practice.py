"""The grad-check-in-practice page's sentences, built straight from core's results without
running the page. Expected values come from core or from the number's own digits."""

import pytest

from core import check_practice as practice
from core.network import PLANTED_BUGS, bug_label
from panels import grad_check_in_practice as panels


@pytest.mark.parametrize(
    "value, shown",
    [(7.4e-5, r"7.4 \cdot 10^{-5}"), (1.0, "1.0"), (0.25, r"2.5 \cdot 10^{-1}")],
)
def test_a_difference_is_written_to_two_digits_as_a_power_of_ten(value, shown):
    assert panels.e(value) == shown


@pytest.fixture(scope="module")
def puzzle() -> practice.Puzzle:
    return practice.component_puzzle(7)


def test_the_answer_names_the_bug_and_how_the_guess_did(puzzle):
    wrong = next(name for name in PLANTED_BUGS if name != puzzle.bug)
    for guess, right, opening in [(puzzle.bug, True, "Right"), (None, False, "No guess"),
                                  (wrong, False, f"Not {bug_label(wrong)}")]:  # fmt: skip
        said_right, answer = panels.puzzle_answer(puzzle, guess)
        assert said_right is right
        assert answer.startswith(f"{opening}: the planted bug is **{bug_label(puzzle.bug)}**.")


def test_the_hint_and_the_answer_name_the_same_broken_blocks(puzzle):
    broken = [block for block, diff in puzzle.result.per_block.items() if diff >= panels.BUG_EDGE]
    assert broken
    assert f"a bug: {', '.join(broken)}." in panels.puzzle_hint(puzzle)
    assert panels.puzzle_answer(puzzle, None)[1].endswith(f"It broke {', '.join(broken)}.")
