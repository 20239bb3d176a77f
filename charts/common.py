"""Small chart helpers shared by the page chart modules."""

from __future__ import annotations

import altair as alt

TITLE_FONT_SIZE = 16
LABEL_FONT_SIZE = 13


def finish(chart: alt.TopLevelMixin, title: str, *, height: int | None = 320) -> alt.TopLevelMixin:
    """Give a chart its title, height and readable fonts (the one place they are set).

    height=None leaves the height to the parts, for concatenated and faceted charts,
    which have no height of their own.
    """
    sized = {} if height is None else {"height": height}
    # One properties() call instead of a configure_* chain: each step copies the chart,
    # and copying a layered chart re-merges its layers (tens of ms per copy).
    config = alt.Config() if chart.config is alt.Undefined else chart.config.copy()
    config["title"] = alt.TitleConfig(fontSize=TITLE_FONT_SIZE, anchor="start")
    config["axis"] = alt.AxisConfig(labelFontSize=LABEL_FONT_SIZE, titleFontSize=LABEL_FONT_SIZE)
    config["legend"] = alt.LegendConfig(
        labelFontSize=LABEL_FONT_SIZE, titleFontSize=LABEL_FONT_SIZE
    )
    return chart.properties(title=title, config=config, **sized)
