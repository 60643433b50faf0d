"""Rewrite the Most Popular rankings from the daily view counts."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from masthead.analytics.services import refresh_most_popular


class Command(BaseCommand):
    help = "Refresh the Most Popular rankings (last day and the configured window)."

    def handle(self, *args: Any, **options: Any) -> None:
        for days in sorted({1, settings.MASTHEAD_MOST_POPULAR_DAYS}):
            count = refresh_most_popular(days)
            self.stdout.write(f"Most Popular over {days} day(s): {count} articles")
