"""Processes that follow their parent: a restarted task worker, no orphans.

``python -m masthead.core.keepalive COMMAND [ARG...]`` keeps COMMAND running
for ``masthead serve``, which on one machine has no systemd or supervisord to
do it (those restart the worker in production and in the scale-out stack):
an exit with status 0 (a stop that was asked for) ends it too, any other
end (a crash, ``kill -9``, the OOM killer) starts COMMAND again after a
pause that doubles, up to 30 s, while it keeps failing at once. SIGTERM and
SIGINT are passed on to COMMAND. Standard library only: it stays small.

``exit_when_orphaned`` is for granian's web workers: when granian's main
process dies without stopping them (``kill -9``), they would go on serving
the port and holding the serve lock, so a restarted ``masthead serve``
could not start.
"""

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time

FIRST_PAUSE = 1.0
LONGEST_PAUSE = 30.0
# A run this long counts as healthy: the next failure pauses FIRST_PAUSE again.
HEALTHY_SECONDS = 60.0


def stop_with_parent() -> None:
    """In a child, before exec: get SIGTERM when the parent process ends."""
    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


def exit_when_orphaned(
    parent_pid: int, interval: float = 1.0
) -> threading.Thread | None:
    """Exit this process within ``interval`` s once ``parent_pid`` is not its parent.

    Nothing to watch in ``parent_pid`` itself (granian's main process, should
    it load the application).
    """
    if os.getpid() == parent_pid:
        return None

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(interval)
        sys.stderr.write(
            f"masthead: parent {parent_pid} is gone; worker {os.getpid()} exits\n"
        )
        sys.stderr.flush()
        os._exit(0)

    thread = threading.Thread(target=watch, name="exit-when-orphaned", daemon=True)
    thread.start()
    return thread


def keep_running(command: list[str]) -> int:
    """Run ``command`` until it exits with 0 or we are told to stop."""
    stopping = False
    child: subprocess.Popen[bytes] | None = None

    def pass_on(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    previous = {
        signum: signal.signal(signum, pass_on)
        for signum in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        pause = FIRST_PAUSE
        while True:
            started = time.monotonic()
            child = subprocess.Popen(command, preexec_fn=stop_with_parent)  # noqa: S603
            returncode = child.wait()
            if stopping or returncode == 0:
                return returncode
            if time.monotonic() - started > HEALTHY_SECONDS:
                pause = FIRST_PAUSE
            sys.stderr.write(
                f"keepalive: {command[-1]} ended with {returncode}; "
                f"starting it again in {pause:.0f} s\n"
            )
            sys.stderr.flush()
            deadline = time.monotonic() + pause
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.1)
            if stopping:
                return 0
            pause = min(pause * 2, LONGEST_PAUSE)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit("usage: python -m masthead.core.keepalive COMMAND [ARG...]")
    sys.exit(keep_running(sys.argv[1:]))


if __name__ == "__main__":
    main()
