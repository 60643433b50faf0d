"""Serve the site with granian and run the scheduler beside it."""

import os
import shutil
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Serve Masthead with granian (HOST and PORT environment variables apply) "
        "and start the scheduler unless MASTHEAD_RUN_SCHEDULER=0."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("PORT", "8000"))
        )
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("MASTHEAD_WORKERS", "1"))
        )
        # A small pool: granian's default of hundreds of blocking threads
        # doubled memory without more throughput in a prototype (issue #5).
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("MASTHEAD_THREADS", "8"))
        )

    def handle(self, *args, **options):
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
        children = []
        if settings.MASTHEAD_RUN_SCHEDULER:
            masthead = os.path.join(bin_dir, "masthead")
            children.append(subprocess.Popen([masthead, "scheduler"]))  # noqa: S603
        self.stdout.write(
            f"Serving Masthead at http://{options['host']}:{options['port']}/ "
            f"(admin at /admin/)"
        )
        self.stdout.flush()
        server = subprocess.Popen(server_argv)  # noqa: S603
        children.append(server)

        def stop(*_):
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            code = server.wait()
        finally:
            stop()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        sys.exit(code)
