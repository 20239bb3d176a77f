"""Altair chart builders for the pages: DataFrames in, charts out, no math.

One module per page; helpers used by several pages live in ``charts.common``.
"""

import altair as alt

# Altair checks every part against the Vega-Lite JSON schema as it is built (its debug
# mode): most of the time a rerun spends on charts, under a lock every session shares.
# The builders' finished specs are checked against the schema by tests/test_chart_specs.py.
alt.utils.schemapi.disable_debug_mode()
