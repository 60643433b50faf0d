"""What a webhook says about an article or a News Feed post: public data only.

Built from the same rule as every public output (content/visibility.py):
only a public article is described; an unpublished one is its id and URL.
Never a body, gated or not: receivers fetch the story from the Content
API or NINJS with their key, where the gate applies (#17).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Prefetch

from masthead.content.models import ArticleAuthor, ArticlePage
from masthead.content.visibility import is_public
from masthead.core.editions import locale_code
from masthead.feed.models import NewsFeedItem


def absolute(path: str | None) -> str:
    """``path`` on the site's base URL (``MASTHEAD_BASE_URL``)."""
    if not path:
        return ""
    if path.startswith(("http://", "https://")):
        return path
    return str(settings.WAGTAILADMIN_BASE_URL).rstrip("/") + path


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def articles_for_payload(article_ids: list[int]) -> dict[int, ArticlePage]:
    """The articles with what ``article_object`` reads, in three queries."""
    rows = ArticlePage.objects.filter(pk__in=article_ids).select_related("section")
    rows = rows.prefetch_related(
        Prefetch(
            "article_authors",
            queryset=ArticleAuthor.objects.select_related("author").order_by(
                "sort_order"
            ),
        )
    )
    return {article.pk: article for article in rows}


def article_link(article: ArticlePage) -> dict[str, Any]:
    """An article as an unpublished one is told: its id and last URL."""
    return {"id": article.pk, "url": absolute(article.get_url())}


def article_object(article: ArticlePage) -> dict[str, Any]:
    """A public article's metadata (never its body)."""
    language = locale_code(article.locale_id)
    section = article.section
    return {
        **article_link(article),
        "title": article.title,
        "standfirst": article.standfirst,
        "language": language,
        "published_at": _time(article.published_at),
        "updated_at": _time(article.updated_at or article.published_at),
        "section": (
            {"id": section.pk, "title": section.title, "url": absolute(section.url)}
            if section
            else None
        ),
        "authors": [
            {
                "id": author.pk,
                "name": author.name_in(language),
                "url": absolute(author.get_absolute_url()),
            }
            for author in article.ordered_authors()
        ],
    }


def news_feed_object(item: NewsFeedItem) -> dict[str, Any]:
    """A published News Feed post (a live page's update is one too)."""
    return {
        "id": item.pk,
        "headline": item.headline,
        "url": absolute(item.get_absolute_url()),
        "language": locale_code(item.locale_id),
        "published_at": _time(item.published_at),
        "updated_at": _time(item.updated_at),
        "is_key_event": item.is_key_event,
        "article": (
            {"id": item.article_id, "url": absolute(item.article.get_url())}
            # Case: a post may point at a draft or private story: not told.
            if item.article is not None and is_public(item.article)
            else None
        ),
    }
