"""Writes for the News Feed desk: post, pin, promote to an article draft."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from masthead.content.models import ArticleAuthor, ArticlePage, SectionPage
from masthead.core.text import strip_tags
from masthead.people.models import Author

from .models import NewsFeedItem


def paragraphs_to_html(text: str) -> str:
    """Plain text from the desk form: blank lines separate paragraphs."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(f"<p>{escape(block)}</p>" for block in blocks if block)


@transaction.atomic
def post_item(
    *,
    headline: str,
    text: str,
    article: ArticlePage | None = None,
    is_pinned: bool = False,
    published_at: datetime | None = None,
) -> NewsFeedItem:
    """Publish a News Feed post from the desk."""
    item = NewsFeedItem(
        headline=headline,
        body=paragraphs_to_html(text),
        article=article,
        is_pinned=is_pinned,
        published_at=published_at or timezone.now(),
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def set_pinned(item: NewsFeedItem, pinned: bool) -> NewsFeedItem:
    item.is_pinned = pinned
    item.save(update_fields=["is_pinned", "updated_at"])
    return item


@transaction.atomic
def promote_to_article(
    item: NewsFeedItem, section: SectionPage, *, user: Any
) -> ArticlePage:
    """Start a full article draft from a post, keeping its text.

    The draft is owned by ``user`` and bylined to the author profile with the
    user's name when there is one; nothing is published.
    """
    paragraphs = [
        ("paragraph", f"<p>{escape(text.strip())}</p>")
        for text in strip_tags(item.body_html.replace("</p>", "</p>\n\n")).split("\n\n")
        if text.strip()
    ]
    author = Author.objects.filter(name=user.get_full_name()).first() if user else None
    article = ArticlePage(
        title=item.headline,
        slug=f"news-feed-{item.pk}",
        body=paragraphs,
        owner=user,
        live=False,
        article_authors=[ArticleAuthor(author=author)] if author else [],
    )
    section.add_child(instance=article)
    article.save_revision(user=user, log_action=True)
    item.article = article
    item.save(update_fields=["article", "updated_at"])
    return article
