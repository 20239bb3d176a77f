"""Altair chart builders for the pages: DataFrames in, charts out, no math.

One module per page; helpers used by several pages live in ``charts.common``.
"""

from altair.utils import schemapi

# Altair checks every part against the Vega-Lite JSON schema as it is built (its debug
# mode): most of the time a rerun spends on charts. The builders' finished specs are
# checked against the schema by tests/test_chart_specs.py instead.
schemapi.disable_debug_mode()
