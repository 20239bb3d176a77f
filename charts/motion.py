"""Motion in the browser: a chart that plays a precomputed history (a descent path, a
training's cost curve or decision boundaries) with a "▶ play" checkbox and a scrub
slider under it, and a "step k of N" counter on it. It runs in Vega alone: playing
sends nothing to the server (no reruns), whatever the number of visitors.

Usage, for one layered chart whose tables have an integer ``step`` column::

    from charts import motion

    kept = motion.frames(len(costs))                  # ≤ 200 steps, first and last kept
    table = pd.DataFrame({"step": kept, "cost": costs[kept]})
    play = motion.Player(kept, name="init")           # one player per chart
    x = alt.X("step:Q", scale=alt.Scale(domain=[0, kept[-1]]))  # fixed: see below
    y = alt.Y("cost:Q", scale=alt.Scale(domain=[0, costs.max()]))
    curve = alt.Chart().mark_line().encode(x=x, y=y)  # no data: the layer's, sent once
    chart = play.layer(
        play.up_to_step(curve),                       # drawn up to the current step
        play.at_step(curve.mark_point()),             # only the current step's point
        play.counter(),                               # "step 2,400 of 15,000"
        data=table,
    )

``layer`` adds the player's parameters and its clock (an invisible layer) and returns
an ``alt.LayerChart``: give it a title, size and config as any other (``finish``).
Tables drawn ``at_step`` need a row at every kept step (thin them with the same
``frames``); tables drawn ``up_to_step`` may hold every step or the kept ones. On load
the chart shows the whole history (the last step), as a still picture does.

How it works (Vega-Lite 6.4 as bundled with Streamlit 1.67, no JavaScript of ours):

- The clock is Vega-Lite 6's timer-driven point selection (``on: "timer"`` with a
  ``time`` encoding). Vega-Lite animates only single views, and its own animation
  loops for ever with no pause (``is_playing`` is a fixed signal that cannot be bound),
  so the player uses only its clock: the top-level signal ``anim_clock``, milliseconds
  since load. The selection's own frames are not drawn. Vega-Lite logs "Animation
  involving facet, layer, or concat is currently unsupported" to the browser's console
  for such a chart; the clock still runs.
- ``{name}_beat`` counts beats of the clock, ``per_second`` a second; ``{name}_state``
  advances one frame per beat passed while "▶ play" is ticked (on time even when the
  browser is too busy to tick at every beat). It is a Vega signal that reads
  its own previous value (Vega allows it: an operator is not its own dependency), which
  is how it keeps the current frame across beats and pauses.
- A Vega-Lite parameter bound to an input cannot also follow an expression (Vega-Lite
  turns the expression into the initial value only), so the slider cannot move along
  while the history plays: it is a scrub. Moving it shows that frame at once (and play
  goes on from there); ticking "▶ play" again at the last frame replays from the first.
- Only one player per chart: Vega-Lite names the clock's signals globally. A player
  drives a layered chart (``layer``), panels side by side (``concat``: one ▶ for all
  of them) or a grid of cells of panels (``grid``); not a faceted chart.
- Give the played layers' scales fixed domains (``alt.Scale(domain=...)``): a scale's
  domain is otherwise that of the data drawn, which grows as the history plays.
- The clock ticks at 60 Hz from load, playing or not (Vega-Lite's ``is_playing`` cannot
  be unbound): a paused chart costs the browser about 3 % of a core and redraws nothing.

A chart whose history a slider changes keeps one spec for every history (the browser then
swaps its tables in place, ``ui.charts.show``'s ``tables``): its player counts a fixed
number of frames, ``Player(AT_MOST, scrub="frame")``, and the history's steps travel in
tables. ``frame_table`` says which step each frame shows and writes its "step k of N";
each played table gets the frame its rows first show (``first_frames``), the layers are
filtered on that field (``up_to_step(layer, "frame")``) and the counter reads the frame
table (``counter(table=...)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import altair as alt
import numpy as np
import pandas as pd

PLAY_LABEL = "▶ play"
AT_MOST = 200  # frames a history keeps: a few kB per layer, smooth enough to watch
_CLOCK_RANGE_MS = 1e12  # the clock's period: Vega-Lite restarts it after this long
_ONE_ROW = alt.InlineData(values=[{"t": 0}])  # the clock's and the counter's one table


def frames(n_steps: int, at_most: int = AT_MOST, *, spacing: str = "even") -> np.ndarray:
    """Which of the steps 0 … n_steps − 1 a played history keeps: at most ``at_most``,
    always the first and the last, sorted and distinct (an int array).

    spacing "even" keeps evenly spaced steps; "log" keeps them evenly spaced on a log
    scale of step + 1, dense at the start where a descent moves most (the first steps
    one by one, then ever longer strides), for a history of millions of steps.
    """
    if n_steps < 1:
        raise ValueError(f"a history has at least one step, not {n_steps}")
    if at_most < 2:
        raise ValueError(f"at_most keeps the first and the last step: at least 2, not {at_most}")
    if spacing not in ("even", "log"):
        raise ValueError(f"spacing is 'even' or 'log', not {spacing!r}")
    last = n_steps - 1
    if n_steps <= at_most:
        return np.arange(n_steps)
    if spacing == "even":
        return np.unique(np.round(np.linspace(0, last, at_most)).astype(int))
    # Log spacing: the first `ones` steps one by one, then strides growing geometrically
    # from step `ones` to the last; `ones` as few as keep the rounded strides distinct.
    for ones in range(1, at_most):
        kept = np.concatenate(
            [np.arange(ones), np.round(np.geomspace(ones, last, at_most - ones)).astype(int)]
        )
        if np.all(np.diff(kept) > 0):
            return kept
    return np.round(np.linspace(0, last, at_most)).astype(int)  # not reached: ones=at_most-1


def frame_table(
    kept: Sequence[int], frames: int = AT_MOST, total: int | None = None
) -> pd.DataFrame:
    """The ``frames`` frames of a player that plays the kept steps ``kept`` (ascending, at
    most ``frames`` of them): columns frame (0 … frames − 1), step (the kept step it
    shows, each for an equal share of the frames, the first and the last kept step at the
    ends) and counter ("step 2,400 of 15,000"; N is ``total``, else the last kept step)."""
    kept = np.asarray(kept, dtype=np.int64)
    if not 1 <= len(kept) <= frames:
        raise ValueError(f"a frame table plays 1 to {frames} kept steps, not {len(kept)}")
    if np.any(np.diff(kept) <= 0):
        raise ValueError("a frame table's kept steps ascend, each once")
    shown = kept[np.arange(frames) * len(kept) // frames]
    total = int(kept[-1]) if total is None else total
    return pd.DataFrame({
        "frame": np.arange(frames), "step": shown,
        "counter": [f"step {step:,} of {total:,}" for step in shown],
    })  # fmt: skip


def first_frames(table: pd.DataFrame, steps) -> np.ndarray:
    """The first frame of ``table`` (``frame_table``) that shows each of ``steps`` or a
    later step: a row drawn from that frame on is drawn up to the current step."""
    return np.searchsorted(table["step"].to_numpy(), np.asarray(steps), side="left")


def default_per_second(n_frames: int) -> float:
    """Frames a second: a history of 200 frames plays in under 7 s, a short one at 10."""
    return float(min(30, max(10, round(n_frames / 6))))


@dataclass(frozen=True)
class Player:
    """The play button, slider and clock of one chart, over the kept steps ``steps``
    (ascending ints, e.g. ``frames(n)``; an int n means the steps 0 … n − 1).

    ``total`` is the N of "step k of N" (the last kept step unless given), ``name``
    prefixes the parameters (``{name}`` is the current step, a Vega expression any
    mark of the chart can use), ``per_second`` is the playing speed in frames a second,
    ``scrub`` the slider's name ("step" when the kept steps follow one another, else
    "frame", unless given).
    """

    steps: Sequence[int] | int
    name: str = "step"
    total: int | None = None
    per_second: float | None = None
    label: str = PLAY_LABEL
    scrub: str | None = None
    kept: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        steps = range(self.steps) if isinstance(self.steps, int | np.integer) else self.steps
        kept = tuple(int(step) for step in steps)
        if not kept:
            raise ValueError("a player needs at least one step")
        if any(b <= a for a, b in pairwise(kept)):
            raise ValueError("a player's steps ascend, each once")
        if not self.name.isidentifier():
            raise ValueError(f"a player's name is a Vega identifier, not {self.name!r}")
        object.__setattr__(self, "kept", kept)

    # ------------------------------------------------------------------ names

    @property
    def current(self) -> str:
        """The current step, as a Vega expression (the parameter ``{name}``)."""
        return self.name

    @property
    def frame(self) -> str:
        """The current frame's index into the kept steps, as a Vega expression."""
        return f"{self.name}_state.k"

    @property
    def last_frame(self) -> int:
        return len(self.kept) - 1

    @property
    def speed(self) -> float:
        return self.per_second or default_per_second(len(self.kept))

    @property
    def params(self) -> tuple[alt.Parameter, ...]:
        """The chart's parameters: "▶ play" (a checkbox), the scrub slider (over frame
        indices), the kept steps, the beat, the state and the current step."""
        n, last = self.name, self.last_frame
        play, scrub, beat, state = f"{n}_play", f"{n}_scrub", f"{n}_beat", f"{n}_state"
        evenly = self.kept == tuple(range(self.kept[0], self.kept[0] + len(self.kept)))
        scrub_name = self.scrub or ("step" if evenly else "frame")
        # The state is {k: the frame shown, s: the slider's value, b: the beat, p: playing}
        # as last seen. It becomes: the slider's frame when the slider moved; while
        # playing, as many frames on as beats passed, up to the last (the first frame
        # when "▶ play" is ticked at the last); paused, itself.
        seen = f"s: {scrub}, b: {beat}"
        playing = (
            f"{state}.p ? {{k: min({last}, {state}.k + {beat} - {state}.b), {seen}, p: true}}"
            f" : {{k: {state}.k >= {last} ? 0 : {state}.k, {seen}, p: true}}"
        )
        paused = f"{state}.p ? {{k: {state}.k, {seen}, p: false}} : {state}"
        return (
            alt.param(name=play, value=False, bind=alt.binding_checkbox(name=self.label)),
            alt.param(
                name=scrub,
                value=last,
                bind=alt.binding_range(min=0, max=max(last, 1), step=1, name=scrub_name),
            ),
            alt.param(name=f"{n}_steps", value=list(self.kept)),
            alt.param(name=beat, expr=f"floor(anim_clock * {self.speed:g} / 1000)"),
            alt.param(
                name=state,
                expr=f"{state} && {state}.s == {scrub} ? ({play} ? ({playing}) : ({paused}))"
                f" : {{k: {scrub}, {seen}, p: {play}}}",
            ),
            alt.param(name=n, expr=f"{n}_steps[{state}.k]"),
        )

    # ------------------------------------------------------------------ layers

    def clock(self) -> alt.Chart:
        """The invisible layer whose timer selection makes Vega's ``anim_clock`` tick."""
        tick = alt.selection_point(name=f"{self.name}_clock", fields=["t"], on="timer")
        return (
            alt.Chart(_ONE_ROW)
            .mark_point(opacity=0, size=0, aria=False, cursor="default")
            .encode(time=alt.Time("t:O", scale=alt.Scale(range=[0, _CLOCK_RANGE_MS])))
            .add_params(tick)
            .transform_filter(tick)  # Vega-Lite draws a timer's marks from a filtered table
            .properties(name=f"{self.name}_clock_view")  # a stable name, not a counter's
        )

    def up_to_step(self, layer: alt.Chart, field: str = "step") -> alt.Chart:
        """The layer drawn only where its ``field`` is at most the current step: a path
        or a curve that grows as the history plays."""
        return layer.transform_filter(f"datum[{_quoted(field)}] <= {self.current}")

    def at_step(self, layer: alt.Chart, field: str = "step") -> alt.Chart:
        """The layer drawn only where its ``field`` is the current step: a decision
        boundary's frame, the head of a path. Its table needs a row at every kept step."""
        return layer.transform_filter(f"datum[{_quoted(field)}] == {self.current}")

    def counter_text(self) -> str:
        """The Vega expression "step 1,234 of 15,000" of the current step."""
        total = self.kept[-1] if self.total is None else self.total
        return f"'step ' + format({self.current}, ',') + ' of {total:,}'"

    def counter(
        self, *, x: float = 6, y: float = 6, align: str = "left", baseline: str = "top",
        font_size: int = 13, color: str = "#31333f", table: alt.NamedData | None = None,
    ) -> alt.Chart:  # fmt: skip
        """A text layer "step k of N" at (x, y) px in the plotting area (the top left
        corner by default); with ``table`` (a ``frame_table`` by name), its counter at
        the current frame."""
        style = {"x": x, "y": y, "align": align, "baseline": baseline, "fontSize": font_size,
                 "color": color, "fontWeight": "bold"}  # fmt: skip
        if table is None:
            return alt.Chart(_ONE_ROW).mark_text(text=alt.expr(self.counter_text()), **style)
        written = alt.Chart(table).mark_text(**style).encode(text=alt.Text("counter:N"))
        return self.at_step(written, field="frame")

    def layer(self, *layers: alt.Chart, **kwargs) -> alt.LayerChart:
        """``alt.layer(*layers, **kwargs)`` with the player's clock and parameters."""
        return alt.layer(*layers, self.clock(), **kwargs).add_params(*self.params)

    def concat(self, *charts: alt.Chart | alt.LayerChart, **kwargs) -> alt.ConcatChart:
        """``alt.concat(*charts, **kwargs)`` (``columns=2`` for a row of two panels)
        played by this one player: every panel sees the current step. The clock joins
        the first panel."""
        first, *rest = charts
        return self._played(alt.concat(alt.layer(first, self.clock()), *rest, **kwargs))

    def grid(
        self, cells: Sequence[tuple[alt.TopLevelMixin, ...]], titles: Sequence[alt.TitleParams],
        *, columns: int, spacing: float, inner: float = 4,
    ) -> alt.ConcatChart:  # fmt: skip
        """Cells side by side, ``columns`` to a row and ``spacing`` px apart, each its
        panels one under another (``inner`` px apart) under its title, every panel played
        by this one player: one ▶ and one slider for all of them, one clock (in the first
        cell's first panel). Vega-Lite draws them as one view."""
        (first, *below), *rest = cells
        stacked = [
            alt.vconcat(*panels, spacing=inner, title=title)
            for panels, title in zip([(alt.layer(first, self.clock()), *below), *rest], titles,
                                     strict=True)
        ]  # fmt: skip
        return self._played(alt.concat(*stacked, columns=columns, spacing=spacing))

    def _played(self, chart: alt.ConcatChart) -> alt.ConcatChart:
        """A concatenated chart with the player's parameters at its top. Vega-Lite puts
        the timer's period (max_range_extent) in the first panel's own scope, while its
        clock (anim_clock), at the top, needs one there too."""
        clock_signal = alt.param(name="max_range_extent", value=_CLOCK_RANGE_MS)
        return chart.add_params(*self.params, clock_signal)


def _quoted(name: str) -> str:
    return "'" + name.replace("\\", "\\\\").replace("'", "\\'") + "'"
