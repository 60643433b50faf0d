"""``masthead import_members FILE``: members from a Ghost or Substack CSV (#16)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError

from masthead.newsletters.member_csv import ENCODINGS, import_members
from masthead.newsletters.models import Newsletter


class Command(BaseCommand):
    help = (
        "Import members from a Ghost or Substack members export (CSV). All or "
        "nothing: a file with any bad line is refused, with each problem on "
        "stderr, and the command exits with status 1. Safe to rerun."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file.")
        parser.add_argument(
            "--newsletter",
            action="append",
            default=[],
            metavar="SLUG",
            help="Subscribe the members who get e-mail to this newsletter "
            "(repeat for several).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and count what would change; write nothing.",
        )
        parser.add_argument(
            "--encoding",
            choices=sorted(ENCODINGS),
            default="utf-8",
            help="The file's text encoding (default utf-8; a BOM is allowed).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        slugs: list[str] = options["newsletter"]
        newsletters = dict(
            Newsletter.objects.filter(slug__in=slugs).values_list("slug", "pk")
        )
        unknown = sorted(set(slugs) - set(newsletters))
        if unknown:
            raise CommandError(f"No newsletter with the slug: {', '.join(unknown)}")
        try:
            data = path.open("rb")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        with data:
            try:
                report = import_members(
                    data,
                    newsletter_ids=list(newsletters.values()),
                    dry_run=options["dry_run"],
                    source=path.name,
                    encoding=options["encoding"],
                )
            except IntegrityError as error:
                # Case: a reader signed up with an address of the file mid-import.
                raise CommandError(
                    "Members changed while importing; nothing was imported. "
                    "Run it again."
                ) from error
        for problem in report.errors:
            self.stderr.write(str(problem))
        if report.error_count > len(report.errors):
            self.stderr.write(
                f"… and {report.error_count - len(report.errors)} more problem(s)."
            )
        for warning in report.warnings:
            self.stdout.write(f"note: {warning}")
        if report.is_refused:
            raise CommandError(report.summary(), returncode=1)
        self.stdout.write(f"{report.summary()} ({report.seconds:.1f} s)")
