"""A gradient check's result read against its round-off floor (``core.round_off``): a verdict
per block, the band edge round-off must stay below, and the ε from which it does."""

from __future__ import annotations

import math

import numpy as np

from core.gradient_check import VERDICT_BANDS, judged
from core.gradient_check_result import GradientCheckResult, Verdict
from core.network import Layout
from core.round_off import ROUND_OFF_REACH, component_round_off


def block_verdicts(result: GradientCheckResult, layout: Layout) -> dict[str, Verdict]:
    """Each checked block's verdict, judged like the whole check's: "inconclusive" where
    round-off alone (``component_round_off``, against the block's own rms(dθ)) could make
    the block's difference."""
    noise = component_round_off(result)
    verdicts = {}
    for name, difference in result.per_block.items():
        block = layout[name]
        inside = (result.indices >= block.start) & (result.indices < block.stop)
        typical = float(np.sqrt(np.mean(np.square(result.analytic[inside]))))
        floor = math.inf if typical == 0 else noise / (2 * typical)
        verdicts[name] = judged(difference, floor)
    return verdicts


def round_off_edge(result: GradientCheckResult) -> float:
    """The lower edge of the band the difference is in: what round-off must stay below for
    the band to mean something (1e-7 for "suspicious", 1e-3 for "bug")."""
    below = [band.below for band in VERDICT_BANDS if band.below <= result.difference]
    return max(below, default=VERDICT_BANDS[0].below)


def epsilon_clear_of_round_off(result: GradientCheckResult) -> float:
    """The ε from which round-off alone can no longer reach ``round_off_edge``: the floor
    falls like 1/ε, so ε · ROUND_OFF_REACH · floor / edge."""
    return result.epsilon * ROUND_OFF_REACH * result.round_off_floor / round_off_edge(result)
