"""A-Z indexes (every tag, every author) at a flat cost, whatever their number.

A page is one read of the unique slug index from a starting point: ``?from=``
jumps to a letter (slugs ``>=`` it), ``?after=`` continues after the last
slug shown (keyset pagination, #14). Neither counts nor skips rows, so the
hundredth page costs what the first does.
"""

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

INDEX_PAGE_SIZE = 100
LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Slugs are ASCII letters, digits, hyphens and underscores (Django's
# SlugField without allow_unicode).
_SLUG = re.compile(r"^[a-z0-9_-]{1,120}$")


@dataclass(frozen=True)
class IndexGroup:
    """The entries of one page that start with ``heading`` (a letter or ``#``)."""

    heading: str
    entries: list[Any]


def _slug_parameter(request: HttpRequest, name: str) -> str | None:
    raw = request.GET.get(name)
    if raw is None:
        return None
    if not _SLUG.match(raw):
        # Case: not a slug (upper case, spaces, too long): no such page.
        raise Http404("No such index page")
    return raw


def index_page[M: Model](
    request: HttpRequest, queryset: QuerySet[M], per_page: int = INDEX_PAGE_SIZE
) -> dict[str, Any]:
    """One page of ``queryset`` in slug order, grouped by first letter.

    Returns ``groups`` (``IndexGroup``), ``letters`` (``letter``/``url``
    for the A-Z jump links), ``next_url`` (None on the last page) and
    ``canonical_url``. A malformed ``from`` or ``after`` is a 404.
    """
    start = _slug_parameter(request, "from")
    after = _slug_parameter(request, "after")
    if start is not None and after is not None:
        raise Http404("No such index page")
    rows = queryset.order_by("slug")
    if after is not None:
        rows = rows.filter(slug__gt=after)
    elif start is not None:
        rows = rows.filter(slug__gte=start)
    entries: list[Any] = list(rows[: per_page + 1])
    more = len(entries) > per_page
    entries = entries[:per_page]
    groups: list[IndexGroup] = []
    for entry in entries:
        first = entry.slug[:1]
        heading = first.upper() if first in LETTERS else "#"
        if not groups or groups[-1].heading != heading:
            groups.append(IndexGroup(heading, []))
        groups[-1].entries.append(entry)
    path = request.path
    # Only the parameters this page reads: others never make a new URL.
    query = urlencode(
        {"from": start} if start is not None else {"after": after} if after else {}
    )
    return {
        "groups": groups,
        "letters": [
            {"letter": letter.upper(), "url": f"{path}?{urlencode({'from': letter})}"}
            for letter in LETTERS
        ],
        "next_url": (
            f"{path}?{urlencode({'after': entries[-1].slug})}" if more else None
        ),
        "canonical_url": request.build_absolute_uri(
            f"{path}?{query}" if query else path
        ),
    }
