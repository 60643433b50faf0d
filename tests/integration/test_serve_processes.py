"""`masthead serve` as processes: a killed worker comes back, a twin refuses (#12).

One Ctrl-C (SIGINT to the process group) or SIGTERM stops all of it (#14).
"""

import os
import signal
import socket
import subprocess
from pathlib import Path

import pytest

from tests.integration.test_background_work import (
    children,
    command_line,
    gone,
    wait_for,
)
from tests.integration.test_server import get
from tests.server import MASTHEAD, free_port, started_server, wait_until_up

pytestmark = pytest.mark.integration

# Seconds one SIGINT or SIGTERM may take to stop `masthead serve`: granian
# kills a web worker that has not stopped after 5 s (--stop-timeout).
STOP_WITHIN = 12


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


def task_worker(server) -> int | None:
    """The ``masthead worker`` process under the server's keepalive, if any."""
    for keeper in children(server.process.pid):
        if "masthead.core.keepalive" in command_line(keeper):
            for pid in children(keeper):
                if command_line(pid)[-1:] == ["worker"]:
                    return pid
    return None


def test_a_killed_task_worker_is_started_again(site):
    wait_for(lambda: task_worker(site) is not None, "the task worker", timeout=30)
    worker = task_worker(site)
    assert worker is not None
    os.kill(worker, signal.SIGKILL)
    wait_for(
        lambda: task_worker(site) not in (None, worker),
        "a new task worker",
        timeout=30,
    )
    assert site.process.poll() is None


def test_web_workers_leave_with_a_killed_server():
    # kill -9 of granian's main process: its web worker must not go on
    # serving the port and holding the serve lock (a restart would refuse).
    with started_server() as server:
        (worker,) = granian_workers(server)
        keepers = [pid for pid in children(server.process.pid) if pid != worker]
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)
        for pid in [worker, *keepers]:
            wait_for(lambda pid=pid: gone(pid), f"process {pid} ending", timeout=15)
        again = subprocess.Popen(
            [MASTHEAD, "serve", "--host", "127.0.0.1", "--port", str(server.port)],
            env=server.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(lambda: answers(f"{server.base}/robots.txt"), "a restart", 60)
        finally:
            again.terminate()
            again.wait(timeout=30)


@pytest.fixture(scope="module")
def migrated_env(tmp_path_factory):
    """The environment of a migrated var directory with no content."""
    var_dir = tmp_path_factory.mktemp("serve-signals")
    env = {
        **os.environ,
        "MASTHEAD_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "masthead.settings.dev",
        "MASTHEAD_SEARCH_INDEX_DIR": str(var_dir / "search-index"),
    }
    subprocess.run([MASTHEAD, "migrate", "--no-input", "-v0"], env=env, check=True)
    return env


def group_members(pgid: int) -> list[int]:
    """Processes of process group ``pgid`` that have not ended."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        # After the name: state, ppid, pgrp.
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_one_signal_to_the_process_group_stops_everything(migrated_env, signum):
    # Ctrl-C in a terminal (`make demo`) signals the whole foreground process
    # group at once: granian, its web worker, keepalive and the task worker.
    # One Ctrl-C left the site answering (#14).
    port = free_port()
    process = subprocess.Popen(
        [MASTHEAD, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=migrated_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/robots.txt", process, timeout=60)
        wait_for(
            lambda: len(group_members(process.pid)) >= 4,
            "granian, its web worker, keepalive and the task worker",
            timeout=30,
        )
        os.killpg(process.pid, signum)
        wait_for(
            lambda: not group_members(process.pid),
            "every process of masthead serve ending",
            timeout=STOP_WITHIN,
        )
        assert not port_open(port)
    finally:
        for pid in group_members(process.pid):
            os.kill(pid, signal.SIGKILL)
        process.wait(timeout=10)
