"""Altair chart builders for the pages: DataFrames in, charts out, no math.

One module per page; helpers used by several pages live in ``charts.common``.
"""

import altair as alt
from altair.utils import schemapi

# Altair checks every part against the Vega-Lite JSON schema as it is built (its debug
# mode): most of the time a rerun spends on charts, under a lock every session shares.
# The builders' finished specs are checked against the schema by tests/test_chart_specs.py.
alt.utils.schemapi.disable_debug_mode()


def _with_class_table_kept(build_table):
    """Altair 6 wraps every channel given as text ("x:Q") with ``SchemaBase.from_dict``,
    which first builds a table of all its schema classes by hashing each class's JSON
    schema: hundreds of ``json.dumps`` per channel, a third of the time of building a
    chart. The table depends only on the classes, so it is built once per set of them
    (vega/altair#3547 proposes the same upstream)."""
    tables: dict[tuple, dict] = {}

    def init(self, wrapper_classes, /) -> None:
        classes = tuple(wrapper_classes)
        if classes not in tables:
            build_table(self, classes)
            tables[classes] = self.class_dict
        self.class_dict = tables[classes]

    return init


if hasattr(schemapi, "_FromDict"):  # left alone if a later Altair has changed it
    schemapi._FromDict.__init__ = _with_class_table_kept(schemapi._FromDict.__init__)


def _unless_plain(combine, plain_result):
    """Altair's layering and concatenation deep-copy every subchart twice to merge their
    selection params (``_remove_duplicate_params``, ``_combine_subchart_params``): over
    every chart of every page, a third of the time of building and drawing them (1.65 s
    against 1.04 s passed through). Subcharts that are plain charts with no params are
    left exactly as they were by both, so there they are passed through."""

    def combined(*args):
        *params, subcharts = args
        plain = all(
            type(chart) is alt.Chart and chart.params is alt.Undefined for chart in subcharts
        )
        if plain and all(given is alt.Undefined for given in params):
            return plain_result(list(subcharts))
        return combine(*args)

    combined.__wrapped__ = combine
    return combined


_api = alt.vegalite.v6.api
if hasattr(_api, "_remove_duplicate_params") and hasattr(_api, "_combine_subchart_params"):
    _api._remove_duplicate_params = _unless_plain(_api._remove_duplicate_params, lambda c: c)
    _api._combine_subchart_params = _unless_plain(
        _api._combine_subchart_params, lambda c: (alt.Undefined, c)
    )
