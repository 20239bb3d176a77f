"""Altair chart builders for the pages: DataFrames in, charts out, no math.

One module per page; helpers used by several pages live in ``charts.common``.
"""
