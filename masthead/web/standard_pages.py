"""Standard pages (About, policies…): their footer links and their context."""

from typing import Any

from django.http import HttpRequest
from wagtail.models import Site

from masthead.cache.pages import site_context
from masthead.content.models import StandardPage
from masthead.content.visibility import public_pages

from .structured_data import standard_page_json_ld


def standard_page_links(site: Site | None, site_settings: Any = None) -> dict[str, Any]:
    """The site's public standard pages as ``title``/``url``/``role``, in tree order.

    Read into the header and footer's context (cache/pages.py
    ``register_chrome_context``) and kept with them; publishing, moving or
    deleting a standard page purges ``site`` (content/publishing.py).
    """
    if site is None:
        return {"standard_pages": []}
    # Read from the standard pages' own small table and put in tree order
    # here: a path prefix or an order by path in SQL walks the whole page
    # table, a million rows on a large archive (test_flat_sitemaps).
    # The request's edition's home (#15): each edition has its own pages.
    root = site.root_page.localized.path
    pages = sorted(
        (
            page
            # ``pk__in`` its own table: SQLite then looks each page up by key
            # (as kept_sections does) instead of scanning the page table.
            for page in StandardPage.objects.live()
            .filter(pk__in=StandardPage.objects.values("pk"))
            .only("title", "slug", "url_path", "path", "depth", "live", "role")
            .order_by()
            if page.path.startswith(root)
        ),
        key=lambda page: page.path,
    )
    return {
        "standard_pages": [
            {"title": page.title, "url": page.get_url(), "role": page.role}
            for page in public_pages(pages)
        ]
    }


def standard_page_context(request: HttpRequest, page: StandardPage) -> dict[str, Any]:
    """What the standard page template shows: the site's chrome and the data."""
    site = site_context(request)
    return {
        **site,
        "canonical_url": request.build_absolute_uri(page.url),
        "json_ld": [
            standard_page_json_ld(
                request,
                page,
                site_settings=site["site_settings"],
                standard_pages=site.get("standard_pages", ()),
            )
        ],
    }
