"""Serve the site with granian and run the task worker beside it."""

import errno
import fcntl
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.core.background import BACKGROUND
from masthead.core.keepalive import stop_with_parent

# glibc's allocator, tuned for the server; a value in the environment wins.
MALLOC_ENV = {
    # glibc gives each thread its own malloc arena; with a pool of threads
    # that cost tens of MB per worker for nothing (#5).
    "MALLOC_ARENA_MAX": "2",
    # Blocks from 128 KB up are mapped and unmapped on their own. glibc
    # otherwise raises this bound to the largest block freed so far, after
    # which the decoded images behind new renditions (megabytes each) are
    # cut from the heap, which keeps the memory: 40-50 MB per worker after
    # its first renditions (#5).
    "MALLOC_MMAP_THRESHOLD_": "131072",
}
# Seconds granian waits before replacing a worker that died (a crash, the
# OOM killer, kill -9): short, as the site is down meanwhile with one worker.
RESPAWN_INTERVAL = "1"


class Command(BaseCommand):
    help = (
        "Serve Masthead with granian (HOST and PORT environment variables apply) "
        "and start the task worker unless MASTHEAD_RUN_SCHEDULER=0."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("PORT", "8000"))
        )
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("MASTHEAD_WORKERS", "1"))
        )
        # A small pool: granian's default of hundreds of blocking threads
        # doubled memory without more throughput in a prototype; 4 instead
        # of 8 kept uncached throughput and saved ~40 MB per worker (#5).
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("MASTHEAD_THREADS", "4"))
        )
        parser.add_argument(
            "--stop-timeout",
            type=int,
            default=int(os.environ.get("MASTHEAD_STOP_TIMEOUT", "5")),
            help="Seconds a web worker may take to stop before it is killed.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bin_dir = os.path.dirname(sys.executable)
        granian = shutil.which("granian") or os.path.join(bin_dir, "granian")
        if not os.path.exists(granian):
            raise CommandError("granian is not installed: run 'make install'.")
        host, port = options["host"], options["port"]
        # Held until granian (which takes this process's place) ends: a second
        # `masthead serve` of this var directory on this port refuses to start.
        lock = hold_serve_lock(Path(settings.VAR_DIR) / "run" / f"serve-{port}.lock")
        # granian listens with SO_REUSEPORT, so a second one on a busy port
        # would start silently and share the traffic (#12).
        check_port_free(host, port)
        # granian keeps this PID: its web workers exit when it is gone.
        env = {
            **MALLOC_ENV,
            **os.environ,
            "MASTHEAD_SERVE_PID": str(os.getpid()),
            # The render gate's default share of them (cache/gate.py).
            "MASTHEAD_THREADS": str(options["threads"]),
        }
        if settings.MASTHEAD_RUN_SCHEDULER:
            check_no_worker(worker_pidfile())
            masthead = os.path.join(bin_dir, "masthead")
            # keepalive starts the worker again when it crashes, and both end
            # with the server (#12).
            keepalive = [sys.executable, "-m", "masthead.core.keepalive"]
            subprocess.Popen(  # noqa: S603
                [*keepalive, masthead, "worker"], env=env, preexec_fn=stop_with_parent
            )
        server_argv = [
            granian,
            "--interface",
            "wsgi",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(options["workers"]),
            "--blocking-threads",
            str(options["threads"]),
            "--no-ws",
            # A worker that dies is replaced; without this a kill -9 of the
            # one worker left the site down while granian itself ran on (#12).
            "--respawn-failed-workers",
            "--respawn-interval",
            RESPAWN_INTERVAL,
            # granian waits for ever for a web worker to stop, and a worker
            # that gets Ctrl-C from the terminal and granian's SIGTERM at
            # about the same time sometimes never does: one Ctrl-C left
            # `make demo` serving (#14). Past this it is killed.
            "--workers-kill-timeout",
            str(options["stop_timeout"]),
            "masthead.wsgi:application",
        ]
        self.stdout.write(
            f"Serving Masthead at http://{host}:{port}/ (admin at /admin/)"
        )
        self.stdout.flush()
        os.set_inheritable(lock.fileno(), True)
        # granian takes this process's place (and PID): no Django process
        # stays behind just to wait for it.
        os.execve(granian, server_argv, env)  # noqa: S606


def hold_serve_lock(path: Path) -> IO[str]:
    """Take the serve lock at ``path`` and write this PID into it.

    Returns:
        The open lock file; the lock lasts as long as it stays open, in this
        process or one that inherited it.

    Raises:
        CommandError: another process holds it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.open("a+")
    try:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        holder = lock.read().strip() or "unknown"
        lock.close()
        raise CommandError(
            f"Masthead is already being served from {path.parent.parent} on this "
            f"port (pid {holder}, lock {path}); stop it first or pick another "
            "PORT."
        ) from None
    lock.seek(0)
    lock.truncate()
    lock.write(f"{os.getpid()}\n")
    lock.flush()
    return lock


def check_port_free(host: str, port: int) -> None:
    """Raise CommandError when something already listens on ``host:port``."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM
    )[0]
    with socket.socket(family, kind, proto) as probe:
        # SO_REUSEADDR lets a port in TIME_WAIT pass; a listener still fails.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            raise CommandError(
                f"Port {port} on {host} is already in use (another masthead "
                "serve?); stop it first or pick another PORT."
            ) from None


def worker_pidfile() -> Path | None:
    """Where dj-queue's supervisor keeps its lock, if the queue has one."""
    backend: Any = settings.TASKS.get(BACKGROUND, {})
    path = backend.get("OPTIONS", {}).get("supervisor_pidfile")
    return Path(path) if path else None


def check_no_worker(pidfile: Path | None) -> None:
    """Raise CommandError when a task worker already holds ``pidfile``.

    The worker takes the lock itself when it starts; asking first gives a
    clear message before the web server starts rather than a worker that
    exits beside a running site.
    """
    if pidfile is None or not pidfile.exists():
        return
    with pidfile.open() as file:
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = file.read().strip() or "unknown"
            raise CommandError(
                f"A task worker already runs for {settings.VAR_DIR} (pid {holder}); "
                "stop that masthead serve, or set MASTHEAD_RUN_SCHEDULER=0 to "
                "serve beside it without a worker."
            ) from None
