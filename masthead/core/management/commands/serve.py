"""Serve the site with granian, a production-grade WSGI server."""

import os
import shutil
import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve Masthead with granian (HOST and PORT environment variables apply)."

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
        granian = shutil.which("granian") or os.path.join(
            os.path.dirname(sys.executable), "granian"
        )
        if not os.path.exists(granian):
            raise CommandError("granian is not installed: run 'make install'.")
        argv = [
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
        self.stdout.write(
            f"Serving Masthead at http://{options['host']}:{options['port']}/ "
            f"(admin at /admin/)"
        )
        self.stdout.flush()
        os.execv(granian, argv)  # noqa: S606 - replaces this process by design
