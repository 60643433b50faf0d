"""Keyset ("older stories") cursors for listings of any length (#14).

Numbered pages stop at ``MAX_PAGE_NUMBER`` (core/pagination.py) because
counting and skipping rows grows with the archive. A cursor instead names
the last article shown, by its publication time and id, and the next page
is the rows just below it in the listing's own index: one index seek and 21
rows read, on the first page or the fifty-thousandth.

A cursor reads ``20261203101500123456-4211``: the UTC time to the
microsecond, then the article id. ``?before=`` that is malformed or out of
range is a 404, never a 500.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q
from django.http import Http404, HttpRequest

_CURSOR = re.compile(r"^([0-9]{20})-([0-9]{1,12})$")


@dataclass(frozen=True)
class Cursor:
    """The position just after an article in a newest-first listing."""

    published_at: datetime
    pk: int

    def __str__(self) -> str:
        moment = self.published_at.astimezone(UTC)
        return f"{moment:%Y%m%d%H%M%S%f}-{self.pk}"

    @classmethod
    def after(cls, published_at: datetime | None, pk: int) -> "Cursor | None":
        """The cursor below an article; None for an undated one (not listed)."""
        return cls(published_at, pk) if published_at is not None else None


def parse_cursor(raw: str) -> Cursor:
    """Parse a cursor string; raise Http404 when it is not one."""
    match = _CURSOR.match(raw)
    if match is None:
        raise Http404("No such page")
    try:
        moment = datetime.strptime(match[1], "%Y%m%d%H%M%S%f").replace(tzinfo=UTC)
    except ValueError as exc:
        # Case: digits that are no time (month 13, second 61).
        raise Http404("No such page") from exc
    return Cursor(moment, int(match[2]))


def cursor_from_request(request: HttpRequest, name: str = "before") -> Cursor | None:
    """``?before=``: absent is None (the first page); malformed is a 404."""
    raw = request.GET.get(name)
    if raw is None:
        return None
    return parse_cursor(raw)


def before_q(cursor: Cursor | None, date_field: str, id_field: str) -> Q:
    """Rows after ``cursor`` in ``-date_field, -id_field`` order.

    The plain ``date <= t`` term gives the planner an index range to start
    from; the rest drops the rows at ``t`` already shown. An empty Q for no
    cursor.
    """
    if cursor is None:
        return Q()
    moment, pk = cursor.published_at, cursor.pk
    return Q(**{f"{date_field}__lte": moment}) & (
        Q(**{f"{date_field}__lt": moment})
        | Q(**{date_field: moment, f"{id_field}__lt": pk})
    )
