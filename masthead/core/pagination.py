"""Bounded pagination for public listings.

A listing counts its items to print "Page 3 of 50" and to answer 404 past
the end. Counting a tag on 300,000 of a million articles read every one of
its rows (742 ms; a section of 166,000, 983 ms), and ``?page=10000`` skipped
199,980 of them (957 ms). So a listing is browsable to ``MAX_PAGE_NUMBER``
pages and counts at most that many pages of items: the cost of any page is
bounded, whatever the size of the archive (issue #5). Older articles stay
reachable through the sitemaps and search.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.functional import cached_property

# Fifty pages of twenty is the newest 1,000 items, as many as search shows:
# counting them costs about 4 ms and the deepest page skips 980 rows.
MAX_PAGE_NUMBER = 50

# django-stubs make Paginator and Page generic; Django's classes take [...]
# only once django_stubs_ext.monkeypatch() has run: parametrised for mypy only
# (as in syndication/sitemaps.py).
if TYPE_CHECKING:
    _PaginatorBase = Paginator[Any]
else:
    _PaginatorBase = Paginator


def page_number(request: HttpRequest) -> int:
    """Parse ``?page=``: absent means 1; malformed or out of bounds is a 404."""
    raw = request.GET.get("page")
    if raw is None or raw == "":
        return 1
    if not raw.isascii() or not raw.isdigit() or len(raw) > 5:
        raise Http404("No such page")
    number = int(raw)
    if not 1 <= number <= MAX_PAGE_NUMBER:
        raise Http404("No such page")
    return number


class BoundedPaginator(_PaginatorBase):
    """A ``Paginator`` that counts no further than its last browsable page.

    ``count`` is the number of items up to ``max_pages * per_page``; a
    queryset is counted with that ``LIMIT`` (``SELECT COUNT(*) FROM (SELECT
    ... LIMIT n)``), keeping its order so the count reads the same index as
    the page itself.
    """

    def __init__(
        self,
        object_list: QuerySet[Any, Any] | Sequence[Any],
        per_page: int | str,
        *,
        max_pages: int = MAX_PAGE_NUMBER,
    ) -> None:
        super().__init__(object_list, per_page, allow_empty_first_page=True)
        self.max_pages = max_pages

    @cached_property
    def count(self) -> int:
        limit = self.max_pages * self.per_page
        if isinstance(self.object_list, QuerySet):
            return self.object_list[:limit].count()
        return min(len(self.object_list), limit)


def paginate(
    request: HttpRequest,
    object_list: QuerySet[Any, Any] | Sequence[Any],
    per_page: int,
) -> "Page[Any]":
    """Return the requested page of ``object_list`` or raise Http404.

    An empty listing still has a first page, so a new tag's page is a 200.
    Only the newest ``MAX_PAGE_NUMBER`` pages exist (see the module).
    """
    paginator = BoundedPaginator(object_list, per_page)
    try:
        return paginator.page(page_number(request))
    except InvalidPage as exc:
        raise Http404("No such page") from exc


def canonical_url(request: HttpRequest, page: "Page[Any]") -> str:
    """The canonical URL of a numbered listing page.

    Each numbered page is its own canonical URL, so every archive page can be
    crawled; page 1 has no ``?page=``. Other query parameters are dropped.
    """
    url = request.build_absolute_uri(request.path)
    return f"{url}?page={page.number}" if page.number > 1 else url
