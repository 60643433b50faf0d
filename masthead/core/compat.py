"""Private parts of Django and Wagtail that Masthead relies on, in one place.

Each is used for speed (issue #5) where no public API exists. They may change
in any release, so nothing else names them: callers use the functions here,
and ``core/tests/test_compat.py`` fails when an upgrade changes one, before
a page does.

- Wagtail ``Site._find_for_request``: the site lookup without the cache
  attribute ``find_for_request`` keeps on the request;
- Wagtail's request attributes ``_wagtail_site`` and
  ``_wagtail_cached_site_root_paths``: where ``Site.find_for_request`` and
  ``Page.get_url_parts`` look first;
- Wagtail ``Page._get_site_root_paths(cache_object=None)``: overridden by
  ``PublicPageMixin`` to hand out the kept root paths;
- Django ``SQLCompiler.get_converters(expressions)``: the converters
  ``Prepared`` applies to raw rows (core/queries.py);
- Django ``Paginator._get_page(object_list, number, paginator)``: how a
  paginator builds its page, reused by the articles sitemap.
"""

from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from wagtail.models import Site

if TYPE_CHECKING:
    from django.db.models.sql.compiler import SQLCompiler

SITE_ROOT_PATHS_METHOD = "_get_site_root_paths"


def find_site(request: HttpRequest) -> Site | None:
    """The Wagtail site for ``request``, looked up afresh."""
    site: Site | None = Site._find_for_request(request)
    return site


def remember_site(request: HttpRequest, site: Site | None, root_paths: Any) -> None:
    """Tell Wagtail's own lookups the site and root paths of ``request``."""
    request._wagtail_site = site  # type: ignore[attr-defined]
    request._wagtail_cached_site_root_paths = root_paths  # type: ignore[attr-defined]


def remembered_site(request: HttpRequest) -> tuple[bool, Site | None]:
    """Whether ``remember_site`` ran for ``request``, and the site it kept."""
    if not hasattr(request, "_wagtail_site"):
        return False, None
    return True, request._wagtail_site


def converters(compiler: "SQLCompiler", expressions: list[Any]) -> dict[int, Any]:
    """Django's converters for the given select expressions, by position."""
    found: dict[int, Any] = compiler.get_converters(expressions)
    return found


def make_page(
    paginator: "Paginator[Any]", object_list: Any, number: int
) -> "Page[Any]":
    """A page of ``paginator`` holding ``object_list``, built as Django does."""
    page: Page[Any] = paginator._get_page(object_list, number, paginator)  # type: ignore[attr-defined]
    return page
