"""The load benchmark's verdict line and its schedule (benchmarks/load_sessions.py)."""

import itertools
import random

import pytest

from benchmarks.load_sessions import Results, pauses, targets
from benchmarks.protocol_client import tour_plan
from ui.ideas import IDEAS


def results(errors: int = 0, failures: int = 0) -> Results:
    made = Results()
    made.errors = [f"page: exception {i}" for i in range(errors)]
    made.failures = [f"page: timed out {i}" for i in range(failures)]
    return made


def test_every_target_met_is_said_so():
    line = targets(results(), [0.1] * 95 + [0.9] * 5, 4.5)
    assert line.count(": met") == 3 and "MISSED" not in line


@pytest.mark.parametrize(
    ("made", "latencies", "mb", "missed"),
    [
        (results(errors=1), [0.1] * 20, 4.5, "1 errors"),
        (results(failures=1), [0.1] * 20, 4.5, "1 errors"),  # an unfinished move counts
        (results(), [0.1] * 90 + [1.5] * 10, 4.5, "p95 1.50 s"),
        (results(), [0.1] * 20, 25.0, "25.0 MB"),
        (results(), [], 4.5, "p95 inf s"),  # no run finished: not a pass
    ],
)
def test_a_missed_target_is_named(made, latencies, mb, missed):
    line = targets(made, latencies, mb)
    assert f"{missed}" in line and line.count("MISSED") == 1
    assert line.split(missed)[1].split(";")[0].endswith("MISSED")


def test_people_start_at_random_and_pause_around_the_mean():
    waits = pauses(random.Random(0), 2.0, lockstep=False)
    first, rest = next(waits), [next(waits) for _ in range(2_000)]
    assert 0 <= first <= 2.0
    assert all(1.0 <= wait <= 3.0 for wait in rest)
    assert abs(sum(rest) / len(rest) - 2.0) < 0.05


def test_lockstep_moves_at_once_and_pauses_exactly():
    waits = pauses(random.Random(0), 2.0, lockstep=True)
    assert [next(waits) for _ in range(4)] == [0.0, 2.0, 2.0, 2.0]


def test_unmeasured_memory_is_left_out_not_failed():
    line = targets(results(), [0.1] * 20, float("nan"))
    assert "MB" not in line and line.count(": met") == 2


def test_browser_tabs_runs_join_the_rest_and_their_errors_count():
    protocol, tabs = results(), results(failures=1)
    protocol.latencies["pages/a.py"] = [0.1, 0.2]
    tabs.latencies["pages/a.py"], tabs.latencies["pages/b.py"] = [0.3], [0.4]
    tabs.waits = [0.05]
    protocol.merge(tabs)
    assert protocol.latencies == {"pages/a.py": [0.1, 0.2, 0.3], "pages/b.py": [0.4]}
    assert protocol.waits == [0.05] and len(protocol.failures) == 1
    assert "1 errors: MISSED" in targets(protocol, protocol.every(), 4.5)


def test_a_touring_tab_visits_every_page_once_from_its_own_for_equal_shares():
    paths = [idea.path for idea in IDEAS]
    plan = tour_plan(paths[2], 100.0, 160.0)
    assert [path for path, _ in plan] == paths[2:] + paths[:2]
    leaves = [100.0] + [leave for _, leave in plan]
    assert leaves[-1] == pytest.approx(160.0)
    shares = [b - a for a, b in itertools.pairwise(leaves)]
    assert shares == pytest.approx([60.0 / len(paths)] * len(paths))
