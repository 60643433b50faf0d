"""Serve the site with granian and run the scheduler beside it."""

import os
import shutil
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

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


class Command(BaseCommand):
    help = (
        "Serve Masthead with granian (HOST and PORT environment variables apply) "
        "and start the scheduler unless MASTHEAD_RUN_SCHEDULER=0."
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

    def handle(self, *args: Any, **options: Any) -> None:
        bin_dir = os.path.dirname(sys.executable)
        granian = shutil.which("granian") or os.path.join(bin_dir, "granian")
        if not os.path.exists(granian):
            raise CommandError("granian is not installed: run 'make install'.")
        server_argv = [
            granian,
            "--interface",
            "wsgi",
            "--host",
            options["host"],
            "--port",
            str(options["port"]),
            "--workers",
            str(options["workers"]),
            "--blocking-threads",
            str(options["threads"]),
            "--no-ws",
            "masthead.wsgi:application",
        ]
        env = {**MALLOC_ENV, **os.environ}
        if settings.MASTHEAD_RUN_SCHEDULER:
            masthead = os.path.join(bin_dir, "masthead")
            subprocess.Popen(  # noqa: S603
                [masthead, "scheduler"], env=env, preexec_fn=_stop_with_parent
            )
        self.stdout.write(
            f"Serving Masthead at http://{options['host']}:{options['port']}/ "
            f"(admin at /admin/)"
        )
        self.stdout.flush()
        # granian takes this process's place (and PID): no Django process
        # stays behind just to wait for it.
        os.execve(granian, server_argv, env)  # noqa: S606


def _stop_with_parent() -> None:
    """In the scheduler child: get SIGTERM when the server process ends."""
    import ctypes

    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
