"""Altair chart builders for the pages: DataFrames in, charts out, no math.

One module per page; helpers used by several pages live in ``charts.common``. Specs are
made with ``to_dict(validate=False)`` (``charts.common.vega_lite_spec``); the tests check
every chart of every page against the Vega-Lite schema instead (tests/test_chart_specs.py).
"""
