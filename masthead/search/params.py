"""Parsing and bounding the search page's parameters (no database).

Readers type dates by hand where browsers offer no picker, so a date that
cannot be read is ignored with a notice saying so, rather than failing the
whole search. Only ``?page=`` is strict (404), as on every listing.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext, pgettext

from masthead.search.query import UserQuery, parse_query

# Outside these the archive has nothing; the bounds also keep date
# arithmetic (the day after ``to``) away from the ends of the calendar.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2999, 12, 31)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


@dataclass(frozen=True)
class SearchParams:
    """What the reader asked for, every value checked."""

    query: UserQuery
    section: Any = None  # a SectionPage (pk, slug, title)
    date_from: date | None = None
    date_to: date | None = None
    notices: tuple[str, ...] = ()

    @property
    def has_filters(self) -> bool:
        return bool(self.section or self.date_from or self.date_to)


def parse_params(data: Mapping[str, str], sections: Sequence[Any]) -> SearchParams:
    """Read ``q``, ``section``, ``from`` and ``to`` from a query string.

    Args:
        data: ``request.GET`` or any mapping of strings.
        sections: the sections a reader may pick; each has a ``slug``.

    Returns:
        ``SearchParams`` with anything unusable dropped and explained in
        ``notices``.
    """
    query = parse_query(data.get("q", ""))
    notices = list(query.notices)

    section = None
    slug = data.get("section", "")
    if slug:
        section = next((item for item in sections if item.slug == slug), None)
        if section is None:
            notices.append(
                gettext("That section was not found, so all sections were searched.")
            )

    date_from = _parse_date(
        data.get("from", ""), pgettext("first day of a date range", "From"), notices
    )
    date_to = _parse_date(
        data.get("to", ""), pgettext("last day of a date range", "To"), notices
    )
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
        notices.append(
            gettext("The dates were the wrong way round, so they were swapped.")
        )
    return SearchParams(
        query=query,
        section=section,
        date_from=date_from,
        date_to=date_to,
        notices=tuple(notices),
    )


def _parse_date(raw: str, label: str, notices: list[str]) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    parsed = None
    if len(raw) == 10 and _ISO_DATE.fullmatch(raw):
        try:
            parsed = date.fromisoformat(raw)
        except ValueError:
            parsed = None
    if parsed is None:
        notices.append(
            gettext(
                "The \u201c%(label)s\u201d date could not be read (use "
                "YYYY-MM-DD), so it was ignored."
            )
            % {"label": label}
        )
        return None
    if not MIN_DATE <= parsed <= MAX_DATE:
        notices.append(
            gettext(
                "The \u201c%(label)s\u201d date must be between %(first)d and "
                "%(last)d, so it was ignored."
            )
            % {"label": label, "first": MIN_DATE.year, "last": MAX_DATE.year}
        )
        return None
    return parsed
