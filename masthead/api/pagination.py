"""Opaque cursors and page sizes for the API's lists (docs/api.md "Pagination").

A cursor names the last item of a page: for articles its time and id in
the list's order (core/keyset.py), for tags and authors their slug. It is
base64 so clients treat it as opaque; the next page is one index seek below
it, on the first page or the ten-thousandth: no OFFSET, no COUNT(*).
"""

import binascii
from base64 import urlsafe_b64decode, urlsafe_b64encode
from datetime import UTC, datetime

from django.conf import settings
from django.http import Http404
from django.utils.dateparse import parse_date, parse_datetime

from masthead.core.keyset import Cursor, parse_cursor

from .errors import bad_input

# A cursor's kind: newest first, most recently updated first, by slug.
PUBLISHED, UPDATED, SLUG = "p", "u", "s"


def encode(kind: str, position: str) -> str:
    return urlsafe_b64encode(f"{kind}:{position}".encode()).decode().rstrip("=")


def decode(raw: str, kind: str) -> str:
    """The position in cursor ``raw``; a 400 naming ``cursor`` when it is none."""
    try:
        padded = raw + "=" * (-len(raw) % 4)
        text = urlsafe_b64decode(padded.encode("ascii")).decode()
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise bad_input("cursor", "Not a cursor from this API.") from exc
    found, _, position = text.partition(":")
    if found != kind or not position or "\x00" in position:
        raise bad_input("cursor", "Not a cursor from this list.")
    return position


def time_cursor(raw: str | None, kind: str) -> Cursor | None:
    if raw is None:
        return None
    try:
        return parse_cursor(decode(raw, kind))
    except Http404 as exc:
        raise bad_input("cursor", "Not a cursor from this list.") from exc


def next_time_cursor(kind: str, moment: datetime | None, pk: int) -> str | None:
    cursor = Cursor.after(moment, pk)
    return encode(kind, str(cursor)) if cursor is not None else None


def page_size(limit: int | None) -> int:
    """``limit`` bounded by ``MASTHEAD_API_MAX_PAGE_SIZE``; the default if None."""
    if limit is None:
        return int(settings.MASTHEAD_API_PAGE_SIZE)
    return max(1, min(limit, int(settings.MASTHEAD_API_MAX_PAGE_SIZE)))


def parse_moment(raw: str | None, field: str) -> datetime | None:
    """An ISO 8601 date or time; one without a zone is UTC. Bad: 400."""
    if raw is None:
        return None
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = parse_date(raw)
            moment = datetime(day.year, day.month, day.day) if day else None
    except (ValueError, OverflowError) as exc:
        raise bad_input(field, "Not an ISO 8601 date or time.") from exc
    if moment is None:
        raise bad_input(field, "Not an ISO 8601 date or time.")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment.astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise bad_input(field, "Out of range.") from exc
    return moment
