"""keepalive: a crashed command starts again, a clean exit ends it (#12)."""

import os
import signal
import sys

import pytest

from masthead.core import keepalive

# Fails (exit 3) until it has run ``runs`` times, then exits 0.
FLAKY = """
import sys
from pathlib import Path
counter = Path(sys.argv[1])
runs = int(counter.read_text() or 0) + 1 if counter.exists() else 1
counter.write_text(str(runs))
sys.exit(0 if runs >= int(sys.argv[2]) else 3)
"""


@pytest.fixture(autouse=True)
def short_pauses(monkeypatch):
    monkeypatch.setattr(keepalive, "FIRST_PAUSE", 0.01)


def test_a_failing_command_is_started_again_until_it_exits_cleanly(tmp_path):
    counter = tmp_path / "runs"
    command = [sys.executable, "-c", FLAKY, str(counter), "3"]
    assert keepalive.keep_running(command) == 0
    assert counter.read_text() == "3"


def test_a_clean_exit_is_not_followed_by_another_start(tmp_path):
    counter = tmp_path / "runs"
    command = [sys.executable, "-c", FLAKY, str(counter), "1"]
    assert keepalive.keep_running(command) == 0
    assert counter.read_text() == "1"


def test_signal_handlers_are_given_back(tmp_path):
    before = signal.getsignal(signal.SIGINT)
    keepalive.keep_running([sys.executable, "-c", "pass"])
    assert signal.getsignal(signal.SIGINT) is before


def test_granians_main_process_does_not_watch_itself():
    assert keepalive.exit_when_orphaned(os.getpid()) is None
