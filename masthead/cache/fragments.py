"""Fragments: HTML shared by many pages (the sidebar), kept in the store."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.safestring import mark_safe

if TYPE_CHECKING:
    pass

from .stores import get_store
from .stores.entry import Entry
from .tags import SITE, tag

logger = logging.getLogger("masthead.caching")


# ---------------------------------------------------------------------------
# Fragments: HTML shared by many pages (the sidebar), kept in the same store.


def fragment(
    request: HttpRequest, name: str, render: Callable[[], tuple[str, Iterable[str]]]
) -> str:
    """Return a shared piece of HTML, rendered once and kept until purged.

    ``render`` returns the HTML and the tags of what it shows; the page that
    includes the fragment is tagged with them too, so a purge that drops the
    fragment also drops every page built with it.
    """
    return fragments(request, [name], lambda missing: {name: render()})[name]


def fragments(
    request: HttpRequest,
    names: Iterable[str],
    render: Callable[[list[str]], Mapping[str, tuple[str, Iterable[str]]]],
) -> dict[str, str]:
    """Several fragments at once: one read of the store, one call for the rest.

    ``render(missing)`` returns the HTML and tags of each missing name it
    can render; a name it leaves out (a teaser of an article that is no
    longer published) is left out of the result too and is not stored.
    Every fragment returned tags the page, as in ``fragment``.
    """
    store = get_store()
    # Per edition (#15): the sidebar lists the edition's own items, and
    # teasers carry its language's labels.
    prefix = f"fragment:{request.get_host().lower()}:{translation.get_language()}:"
    names = list(dict.fromkeys(names))
    store.sync()
    entries = store.get_many([prefix + name for name in names])
    now = time.time()
    found: dict[str, str] = {}
    missing: list[str] = []
    page_tags: set[str] = set()
    for name, entry in zip(names, entries, strict=True):
        if entry is not None and now < entry.fresh_until:
            page_tags |= entry.tags
            found[name] = mark_safe(entry.body.decode())  # noqa: S308 - our own template output
        else:
            missing.append(name)
    if missing:
        token = store.token()
        expires = now + settings.MASTHEAD_PAGE_CACHE_TTL
        for name, (html, tags) in render(missing).items():
            tags = frozenset({SITE, *tags})
            page_tags |= tags
            entry = Entry(
                status="fragment",
                headers=[],
                body=html.encode(),
                gzipped=None,
                etag="",
                tags=tags,
                stored_at=now,
                fresh_until=expires,
                stale_until=expires,
                error_until=expires,
            )
            store.set(prefix + name, entry, token)
            found[name] = mark_safe(html)  # noqa: S308
    tag(request, *page_tags)
    return found
