"""`masthead serve` as processes: a killed worker comes back, a twin refuses (#12)."""

import os
import signal
import subprocess

import pytest

from tests.integration.test_background_work import children, command_line, wait_for
from tests.integration.test_server import get
from tests.server import MASTHEAD, free_port, started_server

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def site():
    with started_server() as server:
        yield server


def granian_workers(server) -> list[int]:
    """granian's worker processes: its children other than the task worker."""
    return [
        pid
        for pid in children(server.process.pid)
        if command_line(pid)[-1:] != ["worker"]
    ]


def answers(url: str) -> bool:
    try:
        return get(url)[0] == 200
    except OSError:
        return False


def test_a_killed_web_worker_is_replaced_and_the_site_answers_again(site):
    (worker,) = granian_workers(site)
    os.kill(worker, signal.SIGKILL)
    wait_for(
        lambda: granian_workers(site) not in ([], [worker]),
        "a new granian worker",
        timeout=30,
    )
    wait_for(lambda: answers(f"{site.base}/robots.txt"), "an answer", timeout=30)
    assert site.process.poll() is None
    assert worker not in granian_workers(site)


def serve_again(server, port: int, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [MASTHEAD, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**server.env, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_second_serve_on_the_same_port_refuses_to_start(site):
    second = serve_again(site, site.port)
    assert second.returncode != 0
    assert "already being served" in second.stderr
    assert site.process.poll() is None


def test_a_second_serve_of_the_same_var_directory_refuses_a_second_worker(site):
    second = serve_again(site, free_port())
    assert second.returncode != 0
    assert "A task worker already runs" in second.stderr
    assert "MASTHEAD_RUN_SCHEDULER=0" in second.stderr


def test_a_second_serve_elsewhere_on_a_busy_port_refuses_to_start(site, tmp_path):
    # Another var directory (another site), the same port: granian would
    # share the port with SO_REUSEPORT and answer for both.
    second = serve_again(site, site.port, MASTHEAD_VAR_DIR=str(tmp_path))
    assert second.returncode != 0
    assert f"Port {site.port} on 127.0.0.1 is already in use" in second.stderr
    assert answers(f"{site.base}/robots.txt")
