"""The header's section menu, as editors arrange it in the site settings (#14).

The menu is part of the header kept per site until a purge (cache/pages.py
``register_chrome_context``): saving the site settings purges ``site``, and
so does publishing, unpublishing or moving a section (content/publishing.py),
so the default menu follows the sections without a query per page.
"""

from typing import Any

from wagtail.models import Page, Site

from masthead.content.visibility import public_pages
from masthead.core.models import SiteSettings

from .context import kept_sections


def section_menu(site: Site | None, site_settings: SiteSettings) -> dict[str, Any]:
    """``menu_items``: the header menu as ``label``/``url`` pairs, in order.

    The editors' list when they made one (pages no longer public drop out);
    otherwise every public section under the site's home page, in tree order,
    from the sections kept until a purge (no query of its own).
    """
    if site is None:
        return {"menu_items": []}
    blocks = list(site_settings.section_menu)
    if not blocks:
        # The edition's own home (its translation of the site's root, #15):
        # each edition's menu lists its own sections.
        root = site.root_page.localized
        return {
            "menu_items": [
                {"label": section.title, "url": section.get_url()}
                for section in kept_sections().values()
                if section.is_public
                and section.depth == root.depth + 1
                and section.path.startswith(root.path)
            ]
        }
    chosen: list[Page] = [
        block.value["page"]
        for block in blocks
        if block.block_type == "page" and block.value["page"] is not None
    ]
    shown = {page.pk for page in public_pages(p for p in chosen if p.live)}
    items = []
    for block in blocks:
        if block.block_type == "link":
            items.append({"label": block.value["label"], "url": block.value["url"]})
            continue
        page = block.value["page"]
        if page is None or page.pk not in shown:
            # Case: a chosen page since unpublished, deleted or made private.
            continue
        items.append(
            {"label": block.value["label"] or page.title, "url": page.get_url()}
        )
    return {"menu_items": items}


def edition_home_url(site: Site | None, site_settings: SiteSettings) -> dict[str, Any]:
    """``home_url``: the logo's link, the request's edition's home (``/uk/``, #15)."""
    if site is None:
        return {"home_url": "/"}
    return {"home_url": site.root_page.localized.get_url() or "/"}
