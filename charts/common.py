"""Small chart helpers shared by the page chart modules."""

from __future__ import annotations

import functools
import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable

import altair as alt
import pandas as pd

TITLE_FONT_SIZE = 16
LABEL_FONT_SIZE = 13
PRESENTATION_SCALE = 1.6  # font sizes on a projector, relative to a laptop screen


MEMO_SIZE = 128  # charts kept, over every builder and session (a few MB at most)


class BoundedCache:
    """A thread-safe dict that keeps the ``size`` entries used last, for caches shared by
    every session of the server."""

    def __init__(self, size: int = MEMO_SIZE) -> None:
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


_memo = BoundedCache()


def memoized(builder: Callable[..., alt.TopLevelMixin]) -> Callable[..., alt.TopLevelMixin]:
    """The chart builder, returning the chart it built before from equal arguments.

    Building an Altair chart costs milliseconds per encoding, and a rerun redraws every
    chart although a control changes one or two: in one process serving many sessions
    that was most of a rerun. The key is a digest of the pickled arguments, so equal
    tables give the same chart and different ones never do; arguments that cannot be
    pickled are built afresh. The chart is shared, so nobody may change it (Altair's
    ``properties`` and ``to_dict`` copy) or the tables passed in.
    """

    @functools.wraps(builder)
    def build(*args, **kwargs) -> alt.TopLevelMixin:
        try:
            call = (builder.__module__, builder.__qualname__, args, sorted(kwargs.items()))
            key = hashlib.blake2b(pickle.dumps(call, protocol=pickle.HIGHEST_PROTOCOL)).digest()
        except (pickle.PicklingError, TypeError, AttributeError):
            return builder(*args, **kwargs)
        if (chart := _memo.get(key)) is not None:
            return chart
        chart = builder(*args, **kwargs)
        _memo.put(key, chart)
        return chart

    return build


def finish(
    chart: alt.TopLevelMixin, title: str | list[str], *, height: int | None = 320
) -> alt.TopLevelMixin:
    """Give a chart its title, height and readable fonts (the one place they are set).

    A title given as a list is drawn one line per item: short lines fit a half-width chart
    on a projector, where a long one is cut off with "…".

    height=None leaves the height to the parts, for concatenated and faceted charts,
    which have no height of their own.
    """
    sized = {} if height is None else {"height": height}
    return chart.properties(title=title, config=_with_fonts(chart, 1.0), **sized)


def enlarge(chart: alt.TopLevelMixin, scale: float = PRESENTATION_SCALE) -> alt.TopLevelMixin:
    """The same chart with every title, axis and legend font ``scale`` times larger, and
    as much taller (when it has a height of its own), so the larger text still fits."""
    height = getattr(chart, "height", alt.Undefined)
    taller = {"height": round(height * scale)} if isinstance(height, int | float) else {}
    return chart.properties(config=_with_fonts(chart, scale), **taller)


def fit_for_projector(spec: dict, scale: float = PRESENTATION_SCALE) -> dict:
    """The spec (a Vega-Lite dict, changed in place) ready for larger fonts where the
    config's cannot reach: every font size a mark sets itself ``scale`` times larger, and
    legends laid out in several columns stacked in one, so their longer labels still fit
    beside each other's chart. Tables under ``datasets`` are left alone."""

    def visit(node) -> None:
        if isinstance(node, dict):
            mark = node.get("mark")
            if isinstance(mark, dict) and isinstance(mark.get("fontSize"), int | float):
                mark["fontSize"] = round(mark["fontSize"] * scale)
            legend = node.get("legend")
            if isinstance(legend, dict) and legend.get("columns", 1) > 1:
                legend["columns"] = 1
            for key, child in node.items():
                if key != "datasets":
                    visit(child)
        elif isinstance(node, list):
            for child in node:
                visit(child)

    visit(spec)
    return spec


def _with_fonts(chart: alt.TopLevelMixin, scale: float) -> alt.Config:
    # One properties() call instead of a configure_* chain: each step copies the chart,
    # and copying a layered chart re-merges its layers (tens of ms per copy).
    config = alt.Config() if chart.config is alt.Undefined else chart.config.copy()
    title, label = round(TITLE_FONT_SIZE * scale), round(LABEL_FONT_SIZE * scale)
    config["title"] = alt.TitleConfig(fontSize=title, anchor="start")
    config["axis"] = alt.AxisConfig(labelFontSize=label, titleFontSize=label)
    config["legend"] = alt.LegendConfig(
        labelFontSize=label, titleFontSize=label, labelLimit=round(220 * scale)
    )
    config["header"] = alt.HeaderConfig(labelFontSize=label, titleFontSize=label)
    return config


def chart_data(chart: alt.TopLevelMixin) -> pd.DataFrame:
    """Every table a chart draws, stacked, with a ``chart_part`` column naming its part
    (not ``layer``, which many tables use for the network's layer number).

    Walks layers, concatenations and facets; a table shared by several parts is
    written once. Parts without inline data (a rule at a constant) add nothing.
    """
    frames: list[pd.DataFrame] = []
    seen: set[int] = set()

    def visit(part, path: str) -> None:
        data = getattr(part, "data", alt.Undefined)
        if isinstance(data, pd.DataFrame) and id(data) not in seen:
            seen.add(id(data))
            frames.append(data.assign(chart_part=path))
        for attribute in ("layer", "hconcat", "vconcat", "concat"):
            for index, child in enumerate(_items(getattr(part, attribute, alt.Undefined))):
                visit(child, f"{path}{attribute}{index + 1}/")
        spec = getattr(part, "spec", alt.Undefined)
        if spec is not alt.Undefined:
            visit(spec, path)

    visit(chart, "")
    if not frames:
        return pd.DataFrame()
    table = pd.concat(frames, ignore_index=True, sort=False)
    table["chart_part"] = table["chart_part"].str.rstrip("/").replace("", "chart")
    return table


def _items(value) -> list:
    return list(value) if isinstance(value, list) else []
