"""The parts of each page that are not layout: its controls, its cached calls into
``core/``, the tables it frames for the chart builders and the sentences it writes.

One module per page; the page script in ``pages/`` only arranges these parts.
"""
