"""Run the background tasks and their schedule (``masthead serve`` starts it)."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from masthead.core.background import BACKGROUND


class Command(BaseCommand):
    help = (
        "Run Masthead's background tasks: scheduled publishing, embargo "
        "releases, purge retries, search catch-up, Most Popular (dj-queue)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # dj-queue's supervisor handles SIGTERM/SIGINT itself and refuses to
        # start beside another one on the same pidfile (settings TASKS).
        call_command("dj_queue", backend=BACKGROUND)
