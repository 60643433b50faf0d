"""``masthead import ghost|wordpress FILE [--dry-run]`` (docs/importing.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.importers import registry
from masthead.importers.models import ImportRun
from masthead.importers.services import run_import

BAR_WIDTH = 30


def progress_bar(stream: TextIO) -> Any:
    """A progress callback drawing ``[####....] 120/2000 posts`` on ``stream``."""

    def draw(done: int, total: int, what: str) -> None:
        if done % max(1, total // 200) and done != total:
            return  # a redraw per half percent is plenty
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        stream.write(f"\r[{bar}] {done}/{total} {what}")
        if done == total:
            stream.write("\n")
        stream.flush()

    return draw


class Command(BaseCommand):
    help = (
        "Import an export from another publishing system. Exits 1 when "
        "nothing could be imported or the import failed (nothing is changed then)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", choices=sorted(registry.SOURCES))
        parser.add_argument(
            "file", type=Path, help="The export: .json, .xml, .zip or a folder."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be created, updated or skipped; change nothing.",
        )
        parser.add_argument(
            "--allow-network",
            action="store_true",
            help="Fetch images missing from the export from their URLs.",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Draw no progress bar."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        run = ImportRun.objects.create(
            source=options["source"],
            file_name=path.name[:255],
            dry_run=options["dry_run"],
        )
        show = not options["no_progress"] and options["verbosity"] > 0
        report = run_import(
            run,
            path,
            allow_network=options["allow_network"],
            progress=progress_bar(sys.stderr) if show else None,
        )
        for line in report.summary_lines():
            self.stdout.write(line)
        if report.error:
            raise CommandError(f"Import failed, nothing was changed: {report.error}")
        imported = sum(
            n
            for actions in report.counts.values()
            for action, n in actions.items()
            if action != "skipped"
        )
        if not imported:
            raise CommandError("Nothing was imported.")
