"""Load the generated demo content and print the demo's sign-ins."""

import inspect
import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.content.models import ArticlePage, SectionPage
from masthead.demo.accounts import DemoAccount, logins_path, written_login
from masthead.demo.build import DemoError, build_demo
from masthead.feed.models import NewsFeedItem
from masthead.people.models import Author
from masthead.taxonomy.models import Tag

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
        "the demo editor's and administrator's sign-ins. MASTHEAD_DEMO_PASSWORD "
        "sets their password when they are created; existing accounts are kept."
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
        # What the site holds now, not what the demo planned: a rerun over a
        # site with more articles reported the demo's 200 (#14).
        totals = {
            "articles": ArticlePage.objects.count(),
            "sections": SectionPage.objects.count(),
            "authors": Author.objects.count(),
            "tags": Tag.objects.count(),
            "News Feed items": NewsFeedItem.objects.count(),
        }
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready in {result['seconds']:.1f} s: the site has "
                + ", ".join(f"{count:,} {name}" for name, count in totals.items())
                + f"; {result['created']:,} objects added."
            )
        )
        admin_url = f"http://{host}:{port}/admin/"
        for account in result["accounts"]:
            self.stdout.write(self.sign_in_line(account, admin_url))
        owing = [a.username for a in result["accounts"] if a.two_factor]
        if settings.MASTHEAD_2FA_ENABLED and owing:
            # Editors and administrators can publish, so they owe a code
            # (newsroom/two_factor.py).
            self.stdout.write(
                f"Two-factor sign-in: {' and '.join(owing)} set up an authenticator "
                "app at the first sign-in; MASTHEAD_2FA=0 turns it off for a local "
                "look."
            )

    @staticmethod
    def sign_in_line(account: DemoAccount, admin_url: str) -> str:
        """One account's sign-in, with its password only when this run set it."""
        line = f"{account.role} login: {admin_url} user: {account.username} "
        if account.password is not None:
            return line + f"password: {account.password}"
        if written_login(account.username):
            return line + f"password unchanged (as set at creation, in {logins_path()})"
        return line + "password unchanged"
