"""Run the scheduler in the foreground (``masthead serve`` starts it for you)."""

import contextlib
import signal
from typing import Any

from django.core.management.base import BaseCommand

from masthead.newsroom.scheduler import run_forever


class Command(BaseCommand):
    help = "Publish scheduled pages, unpublish expired ones, refresh Most Popular."

    def handle(self, *args: Any, **options: Any) -> None:
        stopping: list[bool] = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        with contextlib.suppress(KeyboardInterrupt):
            run_forever(should_stop=lambda: bool(stopping))
