"""WebSub pings: tell the hub which feeds changed (W3C WebSub, PubSubHubbub 0.4).

Feeds advertise ``MASTHEAD_WEBSUB_HUB`` (feeds.py, views.py). When a change
to a public article commits (the publishing pipeline's one signal, #12) or
a News Feed post is published, the hub is sent ``hub.mode=publish`` and
``hub.url=<feed>`` for every feed the change touches: the site's, the
section's, each tag's and each author's, in RSS, Atom and JSON, of the
article's own edition (``/uk/feeds/...`` for a Ukrainian story), and the
News Feed's when a live page's updates come or go with it. One form-encoded
POST per feed URL, each once, by a background task that retries failures.
With no hub configured nothing is computed or sent.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation

from masthead.content.models import ArticleAuthor, ArticlePage, ArticleTag
from masthead.content.visibility import is_public
from masthead.core.background import BACKGROUND
from masthead.core.editions import locale_code
from masthead.core.events import article_visibility_changed
from masthead.feed.models import NewsFeedItem

from .scopes import ScopeKind

logger = logging.getLogger("masthead.websub")

FORMATS = ("rss", "atom", "json")
# Seconds before attempts 2, 3 and 4 of a ping that failed.
BACKOFF = (60, 300, 1800)
# Reasons whose articles left the feeds: pinged even though not public now.
LEAVING = {"unpublished", "deleted", "privacy", "moved"}
# Reasons that only re-render stored bodies (content/publishing.py).
QUIET = {"cards", "images"}


def hub_url() -> str:
    return str(getattr(settings, "MASTHEAD_WEBSUB_HUB", "") or "")


def absolute(path: str) -> str:
    """``path`` on the site's base URL, as feeds name themselves."""
    return str(settings.WAGTAILADMIN_BASE_URL).rstrip("/") + path


def scope_feed_urls(kind: ScopeKind, slug: str = "") -> list[str]:
    """The three feeds of one scope in the active edition, absolute."""
    kwargs = {"slug": slug} if slug else {}
    return [
        absolute(reverse(f"syndication:{kind}-{fmt}", kwargs=kwargs)) for fmt in FORMATS
    ]


def article_feed_urls(article: ArticlePage) -> list[str]:
    """Every feed that lists ``article``, in its edition."""
    with translation.override(locale_code(article.locale_id)):
        urls = scope_feed_urls(ScopeKind.SITE)
        if article.section is not None:
            urls += scope_feed_urls(ScopeKind.SECTION, article.section.slug)
        for tag in article.ordered_tags():
            urls += scope_feed_urls(ScopeKind.TAG, tag.slug)
        for author in article.ordered_authors():
            urls += scope_feed_urls(ScopeKind.AUTHOR, author.slug)
    return urls


def news_feed_urls(locale_id: int | None) -> list[str]:
    with translation.override(locale_code(locale_id)):
        return scope_feed_urls(ScopeKind.NEWS_FEED)


def feeds_changed_by(article_ids: list[int], reason: str) -> list[str]:
    """The feed URLs a pipeline announcement changes, each once, in order."""
    if reason in QUIET or not article_ids:
        return []
    articles = (
        ArticlePage.objects.filter(pk__in=article_ids)
        .select_related("section")
        .prefetch_related(
            Prefetch(
                "article_authors",
                queryset=ArticleAuthor.objects.select_related("author"),
            ),
            Prefetch("article_tags", queryset=ArticleTag.objects.select_related("tag")),
        )
    )
    with_updates = set(
        NewsFeedItem.objects.filter(live_page_id__in=article_ids).values_list(
            "live_page_id", flat=True
        )
    )
    urls: list[str] = []
    for article in articles:
        # Case: a draft or an embargoed article was in no feed and enters none.
        if not (is_public(article) or reason in LEAVING):
            continue
        urls += article_feed_urls(article)
        if article.pk in with_updates:
            # Case: a live page's updates show in the News Feed only while
            # the page is public.
            urls += news_feed_urls(article.locale_id)
    return list(dict.fromkeys(urls))


def ping_after_commit(urls: list[str]) -> None:
    if urls:
        transaction.on_commit(lambda: ping_hub.enqueue(urls), robust=True)


@receiver(article_visibility_changed)
def articles_changed(
    sender: object, article_ids: list[int], reason: str, **kwargs: Any
) -> None:
    if hub_url():
        ping_after_commit(feeds_changed_by(article_ids, reason))


@receiver(post_save, sender=NewsFeedItem)
@receiver(post_delete, sender=NewsFeedItem)
def news_feed_item_changed(
    sender: type[NewsFeedItem], instance: NewsFeedItem, **kwargs: Any
) -> None:
    if not hub_url() or instance.published_at > timezone.now():
        return  # Case: a post for later is in no feed yet.
    ping_after_commit(news_feed_urls(instance.locale_id))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx is an answer, and not a success


def ping(hub: str, url: str) -> None:
    """One publish ping for one feed URL.

    Raises:
        OSError: the hub did not answer 2xx (``urllib.error.HTTPError`` is one).
    """
    data = urlencode({"hub.mode": "publish", "hub.url": url}).encode()
    request = urllib.request.Request(  # noqa: S310  (the operator's own hub)
        hub,
        data=data,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    seconds = float(getattr(settings, "MASTHEAD_WEBHOOKS_TIMEOUT", 5.0))
    opener = urllib.request.build_opener(_NoRedirects)
    with opener.open(request, timeout=seconds) as response:
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(
                hub, response.status, "", response.headers, None
            )


@task(backend=BACKGROUND)
def ping_hub(urls: list[str], attempt: int = 1) -> list[str]:
    """Ping the hub for each feed URL; retry the failed ones later.

    Returns:
        The URLs whose ping failed (retried while attempts remain).
    """
    hub = hub_url()
    if not hub:
        return []
    failed = []
    for url in dict.fromkeys(urls):
        try:
            ping(hub, url)
        except (OSError, ValueError) as error:
            logger.warning("WebSub ping for %s failed: %s", url, error)
            failed.append(url)
    if failed and attempt <= len(BACKOFF):
        later = timezone.now() + timedelta(seconds=BACKOFF[attempt - 1])
        # Case: an inline queue (tests) cannot wait: the failure is logged.
        if ping_hub.get_backend().supports_defer:
            ping_hub.using(run_after=later).enqueue(failed, attempt + 1)
    return failed
