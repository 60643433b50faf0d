"""`masthead serve`: what it gives granian and the worker; when it refuses (#5, #12).

The processes themselves (a killed granian worker coming back, a second
instance refused) are in tests/integration/test_serve_processes.py.
"""

import fcntl
import os
import socket

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from masthead.core.management.commands import serve


@pytest.fixture
def started(monkeypatch, settings, tmp_path):
    """Run `serve` with exec and the worker's start recorded, not done."""
    settings.MASTHEAD_RUN_SCHEDULER = True
    settings.VAR_DIR = tmp_path
    settings.TASKS = {
        "background": {
            "BACKEND": "dj_queue.backend.DjQueueBackend",
            "OPTIONS": {"supervisor_pidfile": str(tmp_path / "run" / "worker.pid")},
        }
    }
    calls = {}

    def execve(path, argv, env):
        calls["server"] = (argv, env)

    def popen(argv, env, **kwargs):
        calls["worker"] = (argv, env)

    monkeypatch.setattr(serve.os, "execve", execve)
    monkeypatch.setattr(serve.subprocess, "Popen", popen)
    monkeypatch.setattr(serve.os.path, "exists", lambda path: True)
    return calls


@pytest.fixture
def port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_granian_and_the_worker_get_the_allocator_settings(started, monkeypatch, port):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    monkeypatch.delenv("MASTHEAD_THREADS", raising=False)
    call_command("serve", "--port", str(port))
    for _, env in started.values():
        assert env["MALLOC_ARENA_MAX"] == "2"
        assert env["MALLOC_MMAP_THRESHOLD_"] == "131072"
    argv, _ = started["server"]
    assert argv[argv.index("--blocking-threads") + 1] == "4"
    # The worker runs under keepalive, which starts it again after a crash.
    assert started["worker"][0][1:3] == ["-m", "masthead.core.keepalive"]
    assert started["worker"][0][-1:] == ["worker"]
    assert started["worker"][1]["MASTHEAD_SERVE_PID"] == str(os.getpid())


def test_an_allocator_setting_in_the_environment_wins(started, monkeypatch, port):
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "65536")
    call_command("serve", "--port", str(port))
    _, env = started["server"]
    assert env["MALLOC_MMAP_THRESHOLD_"] == "65536"
    assert env["MALLOC_ARENA_MAX"] == "2"


def test_granian_replaces_a_worker_that_dies(started, port):
    call_command("serve", "--port", str(port))
    argv, _ = started["server"]
    assert "--respawn-failed-workers" in argv


def test_no_worker_when_the_scheduler_is_off(started, settings, port):
    settings.MASTHEAD_RUN_SCHEDULER = False
    call_command("serve", "--port", str(port))
    assert "worker" not in started
    assert "server" in started


def test_a_busy_port_is_refused(started, port):
    with socket.socket() as other:
        other.bind(("127.0.0.1", port))
        other.listen()
        with pytest.raises(CommandError, match=f"Port {port} .* already in use"):
            call_command("serve", "--port", str(port))
    assert started == {}


def test_a_second_serve_of_the_same_var_directory_and_port_is_refused(
    started, tmp_path, port
):
    lock = serve.hold_serve_lock(tmp_path / "run" / f"serve-{port}.lock")
    try:
        with pytest.raises(CommandError, match="already being served"):
            call_command("serve", "--port", str(port))
    finally:
        lock.close()
    assert started == {}


def test_a_second_worker_on_the_same_var_directory_is_refused(started, tmp_path, port):
    pidfile = tmp_path / "run" / "worker.pid"
    pidfile.parent.mkdir(parents=True)
    with pidfile.open("w") as held:
        held.write("4242")
        held.flush()
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(CommandError, match=r"task worker already runs.*pid 4242"):
            call_command("serve", "--port", str(port))
    assert started == {}


def test_the_serve_lock_is_handed_to_granian(started, monkeypatch, port):
    held = []

    def hold(path):
        held.append(take(path))
        return held[-1]

    take = serve.hold_serve_lock
    monkeypatch.setattr(serve, "hold_serve_lock", hold)
    call_command("serve", "--port", str(port))
    # exec was recorded, not done: the lock is still open here, marked to
    # survive exec, so granian (which takes this PID) holds it while it runs.
    (lock,) = held
    try:
        assert serve.os.get_inheritable(lock.fileno())
        assert lock.name.endswith(f"run/serve-{port}.lock")
    finally:
        lock.close()
