"""Small chart helpers shared by the page chart modules."""

from __future__ import annotations

import altair as alt

TITLE_FONT_SIZE = 16
LABEL_FONT_SIZE = 13


def finish(chart: alt.TopLevelMixin, title: str, *, height: int = 320) -> alt.TopLevelMixin:
    """Give a chart its title, height and readable fonts (the one place they are set)."""
    return (
        chart.properties(title=title, height=height)
        .configure_title(fontSize=TITLE_FONT_SIZE, anchor="start")
        .configure_axis(labelFontSize=LABEL_FONT_SIZE, titleFontSize=LABEL_FONT_SIZE)
        .configure_legend(labelFontSize=LABEL_FONT_SIZE, titleFontSize=LABEL_FONT_SIZE)
    )
