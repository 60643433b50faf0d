"""Which events a change is, and the deliveries they queue (docs/webhooks.md).

The publishing pipeline's one signal (core/events.py) says which articles
changed and why; this module turns it into at most one event per article:

- became public (published, embargo passed, made public): ``article.published``;
- public before and after a publish or a move: ``article.updated``;
- public before, not now (unpublished, deleted, made private):
  ``article.unpublished``, with the id and URL only;
- a correction on a public article: ``article.corrected``.

A draft, an embargoed or a private article is never told. Bodies
re-rendered for a related card or a picture are not a change of what a
webhook says. Deliveries are rows written in the change's transaction; the
task is enqueued once it commits (``transaction.on_commit``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from masthead.content.models import ArticlePage
from masthead.content.visibility import is_public
from masthead.feed.models import NewsFeedItem

from .models import ArticleState, Delivery, Event, Webhook
from .payloads import (
    article_link,
    article_object,
    articles_for_payload,
    news_feed_object,
)

# Reasons (content/publishing.py) whose articles may have become public.
SHOWING = {"published", "embargo-released", "moved", "privacy"}
# Reasons that only re-render stored bodies: nothing a webhook says changes.
QUIET = {"cards", "images"}


def article_event(
    article: ArticlePage | None, reason: str, was_public: bool | None
) -> tuple[str | None, bool]:
    """The event for one article's change, and whether it is public now.

    Args:
        was_public: as last announced; None when never announced (an article
            published before webhooks existed).
    """
    # Case: Wagtail sends "unpublished" while the row still says live.
    public = (
        article is not None
        and reason not in {"deleted", "unpublished"}
        and is_public(article)
    )
    if reason == "correction":
        return (Event.ARTICLE_CORRECTED if public else None), public
    if public:
        if was_public is False:
            return Event.ARTICLE_PUBLISHED, True
        if was_public is None and article is not None:
            # Case: never announced: Wagtail's times tell a first publish.
            first, last = article.first_published_at, article.last_published_at
            again = first is not None and last is not None and last > first
            return (Event.ARTICLE_UPDATED if again else Event.ARTICLE_PUBLISHED), True
        # Case: public before and after: an edit or a new URL.
        if reason in {"published", "moved"}:
            return Event.ARTICLE_UPDATED, True
        return None, True
    if was_public or (was_public is None and reason in {"unpublished", "deleted"}):
        return Event.ARTICLE_UNPUBLISHED, False
    return None, False


def articles_changed(article_ids: list[int], reason: str) -> list[Delivery]:
    """Queue the deliveries for a pipeline announcement; returns them."""
    if reason in QUIET or not article_ids:
        return []
    articles = articles_for_payload(article_ids)
    states = dict(
        ArticleState.objects.filter(article_id__in=article_ids).values_list(
            "article_id", "is_public"
        )
    )
    queued: list[Delivery] = []
    for article_id in article_ids:
        article = articles.get(article_id)
        event, public = article_event(article, reason, states.get(article_id))
        # A deleted article keeps its row (ids are not reused): Wagtail
        # unpublishes it after the delete is announced, and that is no news.
        if states.get(article_id) != public:
            ArticleState.objects.update_or_create(
                article_id=article_id, defaults={"is_public": public}
            )
        if event is None or article is None:
            continue
        data = (
            article_link(article)
            if event == Event.ARTICLE_UNPUBLISHED
            else article_object(article)
        )
        queued += queue(event, data)
    return queued


def news_feed_item_created(item: NewsFeedItem) -> list[Delivery]:
    """A new post: ``newsfeed.posted`` and, on a live page, ``live.updated``.

    Only when readers may see it now: a post with a future time, or on a
    draft, embargoed or private live page, is not told.
    """
    if item.published_at > timezone.now():
        return []
    live_page = item.live_page
    if live_page is not None and not is_public(live_page):
        return []
    post = news_feed_object(item)
    queued = queue(Event.NEWSFEED_POSTED, post)
    if live_page is not None:
        live = articles_for_payload([live_page.pk])[live_page.pk]
        queued += queue(Event.LIVE_UPDATED, {**article_object(live), "update": post})
    return queued


def envelope(event: str, data: dict[str, Any], event_id: uuid.UUID) -> dict[str, Any]:
    """The JSON every delivery sends."""
    return {
        "id": str(event_id),
        "event": event,
        "created_at": timezone.now().isoformat(),
        "data": data,
    }


def queue(event: str, data: dict[str, Any]) -> list[Delivery]:
    """A first attempt for each webhook of ``event``, sent after commit."""
    webhooks = list(Webhook.objects.sending(event))
    if not webhooks:
        return []
    now = timezone.now()
    rows = []
    for webhook in webhooks:
        event_id = uuid.uuid4()
        rows.append(
            Delivery(
                webhook=webhook,
                event_id=event_id,
                event=event,
                payload=envelope(event, data, event_id),
                next_attempt_at=now,
            )
        )
    created = Delivery.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    transaction.on_commit(lambda: enqueue(ids), robust=True)
    return created


def enqueue(delivery_ids: list[int]) -> None:
    from .tasks import deliver

    for delivery_id in delivery_ids:
        deliver.enqueue(delivery_id)
