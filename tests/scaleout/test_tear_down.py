"""The scale-out fixtures' teardown stops what ``down`` left running.

No stack needed (and no ``scaleout`` marker): stand-in processes carry the
stack directory in their environment as the app processes do, one of them
deaf to SIGTERM as a hung granian would be.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.scaleout import stack
from tests.scaleout.stack import stack_processes, tear_down


def start(directory: Path, script: str) -> subprocess.Popen:
    env = {**os.environ, "MASTHEAD_VAR_DIR": str(directory / "app")}
    return subprocess.Popen([sys.executable, "-c", script], env=env)


def test_processes_left_by_down_are_terminated_then_killed(tmp_path, monkeypatch):
    directory = tmp_path / "stack"
    directory.mkdir()
    other = start(tmp_path / "another-stack", "import time; time.sleep(60)")
    polite = start(directory, "import time; time.sleep(60)")
    deaf = start(
        directory,
        "import signal, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "time.sleep(60)",
    )
    try:
        time.sleep(0.5)  # the handler is set
        assert sorted(stack_processes(directory)) == sorted([polite.pid, deaf.pid])
        real_stop = stack.stop_processes
        monkeypatch.setattr(
            stack,
            "stop_processes",
            lambda pids: real_stop(pids, timeout=1),
        )

        problems = tear_down(directory)

        assert polite.wait(timeout=5) == -15
        assert deaf.wait(timeout=5) == -9
        assert "still running after down" in problems
        assert f"killed: [{deaf.pid}]" in problems
        assert not directory.exists()
        assert other.poll() is None
    finally:
        for process in (other, polite, deaf):
            process.kill()
            process.wait()
