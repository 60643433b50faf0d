"""Bounded pagination for public listings."""

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpRequest

# Ten thousand pages of twenty is two hundred thousand items: deeper than any
# reader goes, and a bound that keeps OFFSET cheap.
MAX_PAGE_NUMBER = 10_000


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


def paginate(request: HttpRequest, object_list, per_page: int) -> Page:
    """Return the requested page of ``object_list`` or raise Http404.

    An empty listing still has a first page, so a new tag's page is a 200.
    """
    paginator = Paginator(object_list, per_page, allow_empty_first_page=True)
    try:
        return paginator.page(page_number(request))
    except InvalidPage as exc:
        raise Http404("No such page") from exc


def canonical_url(request: HttpRequest, page: Page) -> str:
    """The canonical URL of a numbered listing page.

    Each numbered page is its own canonical URL, so every archive page can be
    crawled; page 1 has no ``?page=``. Other query parameters are dropped.
    """
    url = request.build_absolute_uri(request.path)
    return f"{url}?page={page.number}" if page.number > 1 else url
