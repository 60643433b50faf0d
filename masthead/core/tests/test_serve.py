"""`masthead serve`: the environment it hands granian and the scheduler (#5)."""

import pytest
from django.core.management import call_command

from masthead.core.management.commands import serve


@pytest.fixture
def started(monkeypatch, settings):
    """Run `serve` with exec and the scheduler's start recorded, not done."""
    settings.MASTHEAD_RUN_SCHEDULER = True
    calls = {}

    def execve(path, argv, env):
        calls["server"] = (argv, env)

    def popen(argv, env, **kwargs):
        calls["scheduler"] = (argv, env)

    monkeypatch.setattr(serve.os, "execve", execve)
    monkeypatch.setattr(serve.subprocess, "Popen", popen)
    monkeypatch.setattr(serve.os.path, "exists", lambda path: True)
    return calls


def test_granian_and_scheduler_get_the_allocator_settings(started, monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    monkeypatch.delenv("MASTHEAD_THREADS", raising=False)
    call_command("serve", "--port", "8123")
    for _, env in started.values():
        assert env["MALLOC_ARENA_MAX"] == "2"
        assert env["MALLOC_MMAP_THRESHOLD_"] == "131072"
    argv, _ = started["server"]
    assert argv[argv.index("--blocking-threads") + 1] == "4"


def test_an_allocator_setting_in_the_environment_wins(started, monkeypatch):
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "65536")
    call_command("serve", "--port", "8123")
    _, env = started["server"]
    assert env["MALLOC_MMAP_THRESHOLD_"] == "65536"
    assert env["MALLOC_ARENA_MAX"] == "2"
