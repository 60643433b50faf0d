"""Reindex every published article into its edition's search index."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.core.editions import edition_codes
from masthead.search.backends import IndexBusy
from masthead.search.services import process_pending_changes, rebuild_index


class Command(BaseCommand):
    help = (
        "Rebuild each edition's search index from its published articles "
        "(readers keep the old index until it is done). --pending applies only "
        "queued changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Articles read from the database per query (default 500).",
        )
        parser.add_argument(
            "--edition",
            action="append",
            choices=edition_codes(),
            help="Rebuild only this edition's index (repeatable; default: every "
            "edition).",
        )
        parser.add_argument(
            "--pending",
            action="store_true",
            help="Only apply changes queued by publishing and unpublishing.",
        )

    def handle(
        self,
        *args: Any,
        batch_size: int,
        pending: bool,
        edition: list[str] | None,
        **options: Any,
    ) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        if pending:
            count = process_pending_changes()
            self.stdout.write(f"Applied {count} queued change(s) to the search index")
            return
        started = time.monotonic()
        try:
            counts = rebuild_index(batch_size=batch_size, editions=edition)
        except IndexBusy as exc:
            raise CommandError(
                "Another process is writing the search index; try again later"
            ) from exc
        per_edition = ", ".join(f"{code}: {count}" for code, count in counts.items())
        self.stdout.write(
            f"Indexed {sum(counts.values())} published article(s) ({per_edition}) "
            f"in {time.monotonic() - started:.1f} s"
        )
