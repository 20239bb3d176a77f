"""Serving the app: the entry that warms every page at server start (``serve.py``)."""
