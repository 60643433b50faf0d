"""Live coverage: an article page in live mode (issue #14).

A live page is an ``ArticlePage`` whose ``live_status`` is ``live`` or
``closed``: it keeps its section, byline, tags, hero, visibility, caching
and listings, and adds a short summary on top and the News Feed items
attached to it (``NewsFeedItem.live_page``) as its updates. Closed, it
reads as a normal article that still lists its updates.

The status and coverage times are page state, like Wagtail's ``locked``:
they change only through the services (feed/live.py), never through a
revision, so publishing an older draft cannot reopen closed coverage
(``preserved_live_state``). The fields are declared on ``ArticlePage``
itself: an abstract model mixin leaves django-stubs unable to type the
page's manager.
"""

from typing import Any

from django.db import models
from django.utils.translation import pgettext_lazy
from wagtail.rich_text import expand_db_html

from masthead.core.sanitize import clean_html

LIVE_SUMMARY_FEATURES = ["bold", "italic", "link", "ul"]
# Fields a revision never overwrites (``ArticlePage.with_content_json``).
LIVE_STATE_FIELDS = ("live_status", "coverage_started_at", "coverage_ended_at")


class LiveStatus(models.TextChoices):
    NONE = "none", pgettext_lazy("live status", "Not live coverage")
    LIVE = "live", pgettext_lazy("live status", "Live now")
    CLOSED = "closed", pgettext_lazy("live status", "Coverage ended")


def summary_html(summary: str) -> str:
    """The summary's HTML, stored at save: links expanded once, sanitised."""
    return clean_html(expand_db_html(summary)) if summary else ""


def preserved_live_state(page: Any, current: Any) -> None:
    """Copy the live state of ``current`` (the page row) onto ``page``."""
    for name in LIVE_STATE_FIELDS:
        setattr(page, name, getattr(current, name))
