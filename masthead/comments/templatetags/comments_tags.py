"""``{% comment_slot page as slot %}``: what the article page's comments slot shows.

The article page is one cached copy for every reader, so the slot carries
nothing about the reader, and no comment either: only the links and whether
comments are open. That state is kept per process until a purge
(``cache.kept_until_purge``): a warm article page pays no query for it.
Opening or closing an article's comments purges its page
(moderation.py); saving the site setting purges every page.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from masthead.cache import kept_until_purge
from masthead.cache.pages import site_for_request

from ..models import CommentOptions, CommentSettings
from ..rules import ArticleState, article_state

register = template.Library()


def _state(site_id: int | None, article_id: int) -> ArticleState:
    site_settings = CommentSettings.objects.filter(site_id=site_id).first()
    options = CommentOptions.objects.filter(article_id=article_id).first()
    return article_state(site_settings or CommentSettings(), options)


@register.simple_tag(takes_context=True)
def comment_slot(context: template.Context, page: Any) -> dict[str, Any] | None:
    """The slot of article ``page``: its comment links and whether they are open.

    None for an article never saved (the preview of a new one): no comments
    page to link to yet.
    """
    if page.pk is None:
        return None
    request = context.get("request")
    site = site_for_request(request) if request is not None else None
    site_id = site.pk if site is not None else None
    state = kept_until_purge(
        "comment-state", (site_id, page.pk), lambda: _state(site_id, page.pk)
    )
    return {
        "page_url": reverse("comments:page", args=[page.pk]),
        "fragment_url": reverse("comments:fragment", args=[page.pk]),
        "is_closed": state.is_closed,
        "paid_only": state.paid_only,
    }
