"""Serving a lecture hall: `bash scripts/serve.sh --replicas 2` runs two Streamlit
replicas behind HAProxy. New visitors take turns between them, a visitor stays on theirs
(the `lab_replica` cookie HAProxy sets), everyone still gets a working page after one
replica dies, and SIGTERM stops every process the script started.
"""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.browser_helpers import ROOT, exceptions, page_url, wait_for_app

COOKIE = "lab_replica"  # deploy/haproxy.cfg
ANSWERED_BY = "x-lab-replica"  # the header in which HAProxy names the replica that answered
REPLICA = re.compile(r"replica (\d+): http://127\.0\.0\.1:\d+ \(pid (\d+)\)")
STARTED = re.compile(r"\(pid (\d+)\)")  # how serve.sh names each process it starts
STOP_S = 10  # serve.sh gives its processes 5 s to stop before it kills them


class Serving(NamedTuple):
    url: str
    replicas: dict[str, int]  # each replica's cookie value ("replica1") → its process
    started: list[int]  # every process serve.sh started: the replicas and HAProxy
    script: subprocess.Popen


def quiet_port(replicas: int = 2) -> int:
    """A port P with P … P + replicas free, below the kernel's range of ephemeral ports:
    serve.sh starts its replicas on the ports after P, and a free port from the kernel
    (another test's server, or any outgoing connection) is never one of these. Near an
    ephemeral port, one was taken between serve.sh's check and its replica's start."""
    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    for _ in range(200):
        port = random.randrange(low // 2, low - replicas - 1)
        if all(_free(p) for p in range(port, port + replicas + 1)):
            return port
    raise RuntimeError("no free ports below the ephemeral range")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def serve(*arguments: str, **options) -> subprocess.Popen:
    """`bash scripts/serve.sh` with the streamlit of this Python first on the PATH."""
    path = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    return subprocess.Popen(
        ["bash", "scripts/serve.sh", *arguments],
        cwd=ROOT, env={**os.environ, "PATH": path}, text=True, **options,
    )  # fmt: skip


@pytest.fixture
def serving(tmp_path) -> Iterator[Serving]:
    """serve.sh with two replicas, from the moment it says it serves; stopped after."""
    errors = tmp_path / "serve.err"
    with errors.open("w") as stderr:
        script = serve("--replicas", "2", "--port", str(quiet_port()),
                       stdout=subprocess.PIPE, stderr=stderr)  # fmt: skip
    replicas, started, url = {}, [], None
    for line in script.stdout:  # serve.sh gives up by itself if a replica does not start
        started += [int(pid) for pid in STARTED.findall(line)]
        if found := REPLICA.match(line):
            replicas[f"replica{found[1]}"] = int(found[2])
        if line.startswith("Serving on "):
            url = line.split()[2]
            break
    try:
        assert url, f"serve.sh exited with {script.wait()}: {errors.read_text()}"
        yield Serving(url, replicas, started, script)
    finally:
        if script.poll() is None:
            script.terminate()
            script.wait(timeout=STOP_S)


def visit(tab, url: str) -> str:
    """Open url in the tab and wait for the app's first run: the replica that served it."""
    response = tab.goto(url)
    wait_for_app(tab)
    assert exceptions(tab) == [], f"{url} shows an exception"
    cookies = {cookie["name"]: cookie["value"] for cookie in tab.context.cookies()}
    # The replica HAProxy chose is the one the visitor's cookie now names.
    assert response.headers[ANSWERED_BY] == cookies[COOKIE]
    return cookies[COOKIE]


def running_in_groups(groups: list[int]) -> list[int]:
    """The processes in these process groups that have not ended (zombies aside)."""
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                state, _, group = stat.read().rsplit(")", 1)[1].split()[:3]
        except OSError:  # it ended meanwhile
            continue
        if int(group) in groups and state != "Z":
            found.append(int(entry))
    return found


@pytest.mark.browser
def test_visitors_take_turns_stay_on_their_replica_and_outlive_one(serving, open_tab_in):
    # New visitors (a browser context each, so no cookie yet) take turns.
    visitors = [open_tab_in() for _ in range(4)]
    landed = [visit(tab, serving.url) for tab in visitors]
    assert set(landed) == set(serving.replicas)

    # A visitor's next page comes from the replica that holds their session.
    second_page = page_url(serving.url, "pages/vanishing_exploding.py")
    assert visit(visitors[0], second_page) == landed[0]

    # One replica dies: its visitors reload and land on the other, and so do newcomers.
    dead, (alive,) = landed[0], set(serving.replicas) - {landed[0]}
    os.kill(serving.replicas[dead], signal.SIGKILL)
    for tab, replica in zip(visitors, landed, strict=True):
        if replica == dead:
            assert visit(tab, tab.url) == alive
    for tab in [open_tab_in() for _ in range(2)]:
        assert visit(tab, serving.url) == alive
    assert serving.script.poll() is None, "serve.sh stopped when one replica died"


@pytest.mark.browser
def test_sigterm_stops_every_process_it_started(serving, open_tab_in):
    # A page with heavy calls starts its replica's worker processes (workers/); serve.sh
    # started each process in a group of its own, which its workers join.
    visit(open_tab_in(), page_url(serving.url, "pages/vanishing_exploding.py"))
    assert set(serving.started) <= set(running_in_groups(serving.started))

    serving.script.send_signal(signal.SIGTERM)
    serving.script.wait(timeout=STOP_S)
    deadline = time.monotonic() + 2  # a process just killed may still be on its way out
    while running_in_groups(serving.started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert running_in_groups(serving.started) == []


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["--replicas", "0"], "--replicas"),
        (["--replicas", "65"], "--replicas"),
        (["--replicas", "two"], "--replicas"),
        (["--replicas", "1.5"], "--replicas"),
        (["--port", "0"], "--port"),
        (["--port", "65536"], "--port"),
        (["--port", "123456789012345678901234567890"], "--port"),  # no overflow
        (["--port"], "--port needs a value"),
        (["--workers", "2"], "unknown argument: --workers"),
    ],
)
def test_a_bad_argument_is_named_with_the_usage_and_exit_code_2(arguments, named):
    script = serve(*arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = script.communicate(timeout=10)
    assert script.returncode == 2 and out == ""
    assert named in err.splitlines()[0] and "Usage: bash scripts/serve.sh" in err


def test_help_shows_the_usage():
    script = serve("--help", stdout=subprocess.PIPE)
    out, _ = script.communicate(timeout=10)
    assert script.returncode == 0 and out.startswith("Usage: bash scripts/serve.sh")
