"""Every cache of public pages, and its invalidation (docs/performance.md).

Three layers hold rendered public pages, all driven from this package, split
by job:

- ``policy``: the Cache-Control profiles. Views pick one with
  ``apply_profile``; nothing else writes Cache-Control.
- ``tags``: what a page shows (``tag(request, ...)``) and the vocabulary of
  tags; ``middleware`` labels shareable responses with them.
- ``stores``: the page store, in each process's memory (embedded mode) or in
  Redis (scale-out); ``wsgi.PageCache`` serves from it without running
  Django (a hit costs no middleware, no session, no query, #5).
- ``fragments`` (HTML shared by many pages) and ``kept`` (objects every
  request needs) live in the same store and go with the same purges.
- ``purging``: what a write changed (``purge(...)``), queued in the write's
  transaction through the outbox (core/outbox.py), applied after commit to
  this machine's store and, by the background task, to ``purgers`` (Varnish,
  a CDN: ``MASTHEAD_PURGERS``).

Callers use the names re-exported here: ``from masthead import cache``.
``pages`` (the public page mixin, the kept site) reads Wagtail's models, so
it is imported as ``masthead.cache.pages`` once the apps are loaded.
"""

from .fragments import fragment, fragments
from .kept import kept_until_purge
from .middleware import CacheTagsMiddleware
from .modified import modified
from .policy import Profile, WithheldPage, apply_profile, response_is_shareable
from .purging import purge
from .stores import get_store, reset
from .tags import (
    AUTHOR_INDEX,
    CORRECTIONS,
    HOME,
    LATEST,
    LIST_KINDS,
    MEMBERSHIPS,
    MISSING,
    NEWSFEED,
    NEWSLETTERS,
    PICKS,
    POPULAR,
    SEARCH,
    SITE,
    SITEMAPS,
    STATUS_HEADER,
    TAG_INDEX,
    TAG_PATTERN,
    TAG_VOCABULARY,
    TAGS_HEADER,
    TTL_HEADER,
    archive_tag,
    article_tag,
    author_tag,
    feed_item_tag,
    image_tag,
    is_known_tag,
    list_tag,
    live_tag,
    tag,
    tag_articles,
    topic_tag,
)
from .wsgi import PageCache

__all__ = [
    "AUTHOR_INDEX",
    "CORRECTIONS",
    "HOME",
    "LATEST",
    "LIST_KINDS",
    "MEMBERSHIPS",
    "MISSING",
    "NEWSFEED",
    "NEWSLETTERS",
    "PICKS",
    "POPULAR",
    "SEARCH",
    "SITE",
    "SITEMAPS",
    "STATUS_HEADER",
    "TAGS_HEADER",
    "TAG_INDEX",
    "TAG_PATTERN",
    "TAG_VOCABULARY",
    "TTL_HEADER",
    "CacheTagsMiddleware",
    "PageCache",
    "Profile",
    "WithheldPage",
    "apply_profile",
    "archive_tag",
    "article_tag",
    "author_tag",
    "feed_item_tag",
    "fragment",
    "fragments",
    "get_store",
    "image_tag",
    "is_known_tag",
    "kept_until_purge",
    "list_tag",
    "live_tag",
    "modified",
    "purge",
    "reset",
    "response_is_shareable",
    "tag",
    "tag_articles",
    "topic_tag",
]
