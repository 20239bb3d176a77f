"""A worker process: ``python -m workers.serve`` (started by ``workers``, not by hand).

Reads pickled ``(function, args, kwargs)`` from stdin, one call at a time, and writes
back a pickled ``(True, result)`` or ``(False, exception)``, until stdin closes. Only the
server that started it writes to its stdin. Anything the function prints goes to stderr,
so that stdout carries answers only.
"""

from __future__ import annotations

import importlib
import pickle
import sys

PRELOAD = ("core", "charts.common")  # what most calls need, imported before the first


def serve() -> None:
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # before any import can print
    for module in PRELOAD:
        importlib.import_module(module)
    while True:
        try:
            function, args, kwargs = pickle.load(requests)
        except EOFError:
            return
        try:
            answer = (True, function(*args, **kwargs))
        except Exception as error:
            answer = (False, error)
        try:
            data = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # a result or exception that does not pickle
            data = pickle.dumps((False, RuntimeError(f"{type(error).__name__}: {error}")))
        answers.write(data)
        answers.flush()


if __name__ == "__main__":
    serve()
