"""Load the generated demo content and print the editor's login."""

import inspect
import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.demo.build import DemoError, build_demo

# The sizes a user may pick; their defaults are build_demo's own.
SIZES = {
    name: inspect.signature(build_demo).parameters[name].default
    for name in ("articles", "authors", "tags", "feed_items")
}
# Addresses a server listens on but a browser cannot open.
WILDCARD_HOSTS = {"0.0.0.0", "::", "[::]"}  # noqa: S104 - compared, not bound


class Command(BaseCommand):
    help = (
        "Fill the site with invented demo content (safe to run again) and print "
        "the editor's login. MASTHEAD_DEMO_PASSWORD sets the password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Smaller sites for tests and quick looks; the defaults are the full demo.
        for name, default in SIZES.items():
            parser.add_argument(
                f"--{name.replace('_', '-')}", type=int, default=default, metavar="N"
            )

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] > 0
        sizes = {name: options[name] for name in SIZES}
        if any(value < 1 or value > 100_000 for value in sizes.values()):
            raise CommandError("Each size must be between 1 and 100000.")
        try:
            result = build_demo(stdout=self.stdout if verbose else None, **sizes)
        except DemoError as error:
            raise CommandError(str(error)) from error
        host = os.environ.get("HOST", "127.0.0.1")
        if host in WILDCARD_HOSTS:
            host = "127.0.0.1"
        port = os.environ.get("PORT", "8000")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready in {result['seconds']:.1f} s: "
                f"{result['articles']} articles, {result['created']} objects added."
            )
        )
        self.stdout.write(
            f"Editor login: http://{host}:{port}/admin/ "
            f"user: {result['editor_username']} "
            f"password: {result['editor_password']}"
        )
        if settings.MASTHEAD_2FA_ENABLED:
            # The editor is a superuser, and superusers owe a code (#12).
            self.stdout.write(
                "The first sign-in sets up an authenticator app for two-factor "
                "sign-in; MASTHEAD_2FA=0 turns it off for a local look."
            )
