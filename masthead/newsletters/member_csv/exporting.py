"""Exporting members as CSV, in Ghost's column layout (#16).

Cells a spreadsheet would run as a formula get an apostrophe in front, which
the import takes off again, so an export imports back unchanged.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO

from django.db.models import QuerySet

from masthead.members.models import Member

from ..models import Newsletter, Subscription, SubscriptionStatus
from .reading import CHUNK, FORMULA_STARTS, GHOST_COLUMNS, NEWSLETTERS_COLUMN


def _cell(value: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _iso(moment: datetime | None) -> str:
    """Ghost's date form: UTC with milliseconds, as JavaScript writes it."""
    if moment is None:
        return ""
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def export_rows(members: QuerySet[Member] | None = None) -> Iterator[list[str]]:
    """The header and one row per member, in Ghost's column layout.

    ``subscribed_to_emails`` is whether the member has an active
    subscription; ``newsletters`` lists their slugs. Importing the file
    again changes nothing.
    """
    queryset = (members if members is not None else Member.objects.all()).order_by(
        "created_at", "pk"
    )
    active = Subscription.objects.filter(status=SubscriptionStatus.ACTIVE)
    slugs = dict(Newsletter.objects.values_list("pk", "slug"))
    yield [*GHOST_COLUMNS, NEWSLETTERS_COLUMN]
    batch: list[Member] = []

    def rows(batch: list[Member]) -> Iterator[list[str]]:
        ids = [member.pk for member in batch]
        subscribed: dict[int, list[str]] = {}
        for member_id, newsletter_id in active.filter(member_id__in=ids).values_list(
            "member_id", "newsletter_id"
        ):
            subscribed.setdefault(member_id, []).append(slugs[newsletter_id])
        for member in batch:
            names = sorted(subscribed.get(member.pk, []))
            yield [
                str(member.pk),
                member.email,
                _cell(member.name),
                _cell(member.notes),
                "true" if names else "false",
                "false",
                "",
                _iso(member.created_at),
                "",
                ",".join(_cell(label.name) for label in member.labels.all()),
                "",
                ",".join(names),
            ]

    for member in queryset.prefetch_related("labels").iterator(chunk_size=CHUNK):
        batch.append(member)
        if len(batch) == CHUNK:
            yield from rows(batch)
            batch = []
    if batch:
        yield from rows(batch)


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_lines(members: QuerySet[Member] | None = None) -> Iterator[str]:
    """The export as CSV text, line by line (for a streaming response)."""
    writer = csv.writer(_Echo())
    for row in export_rows(members):
        yield writer.writerow(row)


def export_members(out: IO[str], members: QuerySet[Member] | None = None) -> int:
    """Write the export to ``out``; the number of members written."""
    writer = csv.writer(out)
    count = -1
    for row in export_rows(members):
        writer.writerow(row)
        count += 1
    return count
