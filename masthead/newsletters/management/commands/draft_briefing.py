"""``masthead draft_briefing [--newsletter SLUG]``: draft a daily briefing now (#16)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.newsletters.briefing import draft_briefing
from masthead.newsletters.models import Newsletter


class Command(BaseCommand):
    help = (
        "Draft the daily briefing now, whatever the hour: of one newsletter, "
        "or of every newsletter with a briefing hour. The drafts wait in the "
        "admin (Newsletters > Issues) for an editor to send or schedule."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--newsletter", metavar="SLUG", help="Only this newsletter."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["newsletter"]
        if slug:
            newsletters = list(Newsletter.objects.filter(slug=slug))
            if not newsletters:
                raise CommandError(f"No newsletter {slug!r}.")
        else:
            newsletters = list(Newsletter.objects.filter(briefing_hour__isnull=False))
        for newsletter in newsletters:
            issue = draft_briefing(newsletter)
            self.stdout.write(f"Drafted “{issue.subject}” (issue {issue.pk}).")
        if not newsletters:
            self.stdout.write("No newsletter has a briefing hour.")
