"""Cache tags: what a page shows, what a write changes (docs/deployment.md)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:
    pass

logger = logging.getLogger("masthead.caching")


# ---------------------------------------------------------------------------
# Tags: what a page shows, what a write changes.

# Tags go into a Varnish ban regex and an HTTP header: keep them plain.
TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SITE = "site"  # every cached page: settings, logo, menus
TAGS_HEADER = "X-Cache-Tags"
TTL_HEADER = "X-Masthead-TTL"
# Set on a page that differs by the reader's access pass (a gated article,
# #17): the page cache keeps one copy per kind of pass (cache/wsgi.py).
BY_ACCESS_HEADER = "X-Masthead-By-Access"
STATUS_HEADER = "X-Masthead-Cache"
_REQUEST_ATTRIBUTE = "_masthead_cache_tags"


# The tag vocabulary (docs/deployment.md "Cache tags"; a contract test keeps
# the two equal). Pages name what they show with these, writes purge them;
# nothing else builds a tag.
HOME = "home"  # the front page
LATEST = "list-latest"  # the site's newest articles: front page, site feeds
SITEMAPS = "sitemaps"
SEARCH = "search"
POPULAR = "popular"  # the Most Popular box
PICKS = "picks"  # the Editors' Picks box
NEWSFEED = "newsfeed"  # the News Feed page, its updates, its sidebar box
CORRECTIONS = "corrections"
NEWSLETTERS = "newsletters"  # the newsletters' list, pages and archived issues
MEMBERSHIPS = "memberships"  # the membership page: tiers and their prices (#17)
# Missing pages (404): a publish may give any unknown URL a page (#13).
MISSING = "missing"
# The indexes of every tag and every author (web/tags.py, web/authors.py).
TAG_INDEX = "index-tags"
AUTHOR_INDEX = "index-authors"
# Listings by what they list; ``list_tag`` builds them.
LIST_KINDS = ("section", "author", "tag")
TAG_VOCABULARY: dict[str, str] = {
    SITE: "every cached page: settings, logo, menus",
    HOME: "the front page",
    LATEST: "the newest articles: front page, site feeds",
    SITEMAPS: "every sitemap",
    SEARCH: "search result pages",
    POPULAR: "pages with the Most Popular box",
    PICKS: "pages with the Editors' Picks box",
    NEWSFEED: "the News Feed, its updates and its sidebar box",
    CORRECTIONS: "the corrections page and feed",
    NEWSLETTERS: "the newsletters' list, their pages and archived issues",
    MEMBERSHIPS: "the membership page: its tiers and their prices",
    MISSING: "404 pages: any publish may create their URL",
    TAG_INDEX: "the index of every tag",
    AUTHOR_INDEX: "the index of every author",
    "archive": "the date archive's list of years",
    "archive-<year>": "the archive's page of a year",
    "archive-<year>-<month>": "the archive's month page and its day pages",
    "archive-<year>-<month>-<day>": "the archive's page of a day",
    "article-<id>": "pages showing the article or its teaser",
    "image-<id>": "pages showing the library image",
    "author-<id>": "pages showing the author's name, bio or avatar",
    "tag-<id>": "pages showing the tag's name",
    "feed-item-<id>": "pages showing the News Feed post",
    "live-<id>": "the live page's updates, on the page and in its JSON",
    "comments-<id>": "an article's comments page and fragment",
    "list-section-<id>": "the section's listings and feeds",
    "list-author-<id>": "the author's listings and feeds",
    "list-tag-<id>": "the tag's listings and feeds",
}


def article_tag(pk: int) -> str:
    return f"article-{pk}"


def image_tag(pk: int | None) -> str | None:
    """The tag of pages showing library image ``pk`` (None for no image)."""
    return f"image-{pk}" if pk else None


def author_tag(pk: int) -> str:
    return f"author-{pk}"


def topic_tag(pk: int) -> str:
    """The tag of pages showing taxonomy tag ``pk`` (a tag's cache tag)."""
    return f"tag-{pk}"


def feed_item_tag(pk: int) -> str:
    return f"feed-item-{pk}"


def live_tag(pk: int) -> str:
    """The tag of live page ``pk``'s list of updates (content/models/live.py)."""
    return f"live-{pk}"


def list_tag(kind: str, pk: int | None) -> str:
    """The tag of a listing: ``list-section-3``, ``list-author-7``, ``list-tag-2``."""
    if kind not in LIST_KINDS:
        raise ValueError(f"not a listing kind: {kind!r}")
    return f"list-{kind}-{pk}"


def archive_tag(
    year: int | None = None, month: int | None = None, day: int | None = None
) -> str:
    """The tag of the date archive's list of years, or of a year, month or day."""
    if year is None:
        return "archive"
    parts = [f"{year:04d}"]
    if month is not None:
        parts.append(f"{month:02d}")
        if day is not None:
            parts.append(f"{day:02d}")
    return "-".join(["archive", *parts])


def is_known_tag(name: str) -> bool:
    """Whether ``name`` belongs to the vocabulary above."""
    if name in TAG_VOCABULARY:
        return True
    return any(
        re.fullmatch(re.sub(r"<(id|year|month|day)>", "[0-9]+", pattern), name)
        for pattern in TAG_VOCABULARY
        if "<" in pattern
    )


def tag(request: HttpRequest, *tags: str | None) -> None:
    """Record that the page being rendered for ``request`` depends on ``tags``."""
    collected = getattr(request, _REQUEST_ATTRIBUTE, None)
    if collected is None:
        collected = set()
        setattr(request, _REQUEST_ATTRIBUTE, collected)
    for name in tags:
        if name is None:
            # Case: an optional tag left out (image_tag of no image).
            continue
        if not TAG_PATTERN.match(name):
            raise ValueError(f"not a cache tag: {name!r}")
        collected.add(name)


def tag_articles(request: HttpRequest, articles: Iterable[Any]) -> None:
    """Tag every article whose teaser or link the page shows, and its image."""
    for article in articles:
        tag(
            request,
            article_tag(article.pk),
            image_tag(getattr(article, "hero_image_id", None)),
        )
