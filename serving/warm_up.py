"""Every page's defaults computed at server start, so that the first visitor doesn't pay.

A demo that has just woken, or a replica that has just started, would make its first
visitor wait for everything a page computes once: the modules it imports, the worker
processes it starts, the trainings and simulations its defaults need, the charts it
builds. ``lifespan`` (given to ``st.App`` in serve.py) starts a thread that, as soon as
the server answers, opens every page once over Streamlit's own websocket, as a browser
would, at its defaults, and then at the settings its panel lists as ``WARM_LINKS``: the
values of a slider whose every move would otherwise train networks (weight
initialization's α and v). Their results land in the caches every session shares
(``st.cache_data``), and the worker pool is up.

``/ready`` answers 503 until every page's defaults are done and 200 after, for a load
balancer's health check (deploy/haproxy.cfg); the warm links follow in the background,
and its "links" says when they are done (the benchmarks wait for that). Streamlit's own
health check answers as soon as the server listens.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

import streamlit as st
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

import workers
from ui.ideas import IDEAS

LOGGER = logging.getLogger(__name__)
HOME = ""  # the page name of the navigation's default page
RUN_TIMEOUT_S = 120  # a page's first run, with the machine busy starting up
_EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
_done = threading.Event()  # every page at its defaults
_links_done = threading.Event()  # and every warm link


def pages() -> list[str]:
    """The names the app's pages go by in a URL, home first."""
    return [HOME, *(Path(idea.path).stem for idea in IDEAS)]


def links() -> list[tuple[str, str]]:
    """(page, query string) of the settings warmed after every page's defaults: those a
    panel lists as its ``WARM_LINKS`` (the sliders that would otherwise train)."""
    found = []
    for idea in IDEAS:
        page = Path(idea.path).stem
        if find_spec(f"panels.{page}") is not None:  # a page may have no panel of its own
            found += [(page, query) for query in getattr(import_module(f"panels.{page}"),
                                                          "WARM_LINKS", ())]  # fmt: skip
    return found


def visit(base: str, page: str, query: str = "") -> int:
    """Open ``page`` once at its defaults, or at the link's ``query`` string, as a
    browser's first visit does, and wait until its run has finished (a first deep link
    is run twice: see ui.entry). Returns how many runs were cut short for a rerun (a page
    that trains more than a request may spend starts again: see six_trained)."""
    from websockets.sync.client import connect

    request = BackMsg()
    request.rerun_script.page_name = page
    request.rerun_script.query_string = query
    reruns = 0
    with connect(f"ws://{base}/_stcore/stream", subprotocols=["streamlit"], max_size=None,
                 open_timeout=RUN_TIMEOUT_S) as socket:  # fmt: skip
        socket.send(request.SerializeToString())
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while True:
            message = ForwardMsg.FromString(socket.recv(timeout=deadline - time.monotonic()))
            if message.WhichOneof("type") != "script_finished":
                continue
            if message.script_finished != _EARLY:
                return reruns
            reruns += 1


def warm(base: str) -> None:
    """Wait until the server at ``base`` (host:port) answers, then visit every page (the
    server is ready then), then every warm link (``links``). One visit at a time: the
    pool keeps a worker free for the visitors who come meanwhile."""
    began = time.perf_counter()
    while time.perf_counter() - began < RUN_TIMEOUT_S:
        try:
            with urllib.request.urlopen(f"http://{base}/_stcore/health", timeout=2):
                break
        except OSError:
            time.sleep(0.1)
    for page in pages():
        _warm_one(base, page)
    _done.set()
    LOGGER.info("every page warmed up in %.1f s", time.perf_counter() - began)
    for page, query in links():
        _warm_one(base, page, query)
    _links_done.set()
    LOGGER.info("every warm link visited, %.1f s after the start", time.perf_counter() - began)


def _warm_one(base: str, page: str, query: str = "") -> None:
    try:
        visit(base, page, query)
    except Exception as error:  # a page that fails here fails for a visitor too, shown
        where = (page or "home") + (f"?{query}" if query else "")
        LOGGER.warning("warming up %r failed: %s", where, error)


@asynccontextmanager
async def lifespan(_app) -> AsyncIterator[None]:
    """st.App's lifespan: warm every page in the background once the server listens;
    stop the worker processes when it stops."""
    address = st.get_option("server.address") or "127.0.0.1"
    base = (
        f"{'127.0.0.1' if address in ('0.0.0.0', '::') else address}:{st.get_option('server.port')}"
    )
    threading.Thread(target=warm, args=(base,), name="warm-up", daemon=True).start()
    try:
        yield
    finally:
        workers.shutdown()


async def ready(_request: Request) -> JSONResponse:
    """200 once every page has been warmed up, 503 before. "links" says whether the warm
    links have been too (the benchmarks wait for them)."""
    return JSONResponse(
        {"warm": _done.is_set(), "links": _links_done.is_set()},
        status_code=200 if _done.is_set() else 503,
    )


ROUTES = [Route("/ready", ready)]
