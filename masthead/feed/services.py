"""Writes for the News Feed desk: post, pin, promote to an article draft.

Each desk action is recorded in Wagtail's audit log (the item's history and
the admin's site history) in the same transaction as the write, as the
snippet editor records its edits and deletions (#14).
"""

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy
from wagtail.coreutils import find_available_slug
from wagtail.embeds.blocks import EmbedValue
from wagtail.log_actions import log

from masthead.content.models import ArticleAuthor, ArticlePage, SectionPage
from masthead.core.slugs import slug_from_text
from masthead.core.text import strip_tags
from masthead.people.models import Author

from .models import NewsFeedItem

if TYPE_CHECKING:
    from wagtail.models import Locale

    from masthead.core.models import LibraryImage

# A paragraph as the editor stores it: ``<p data-block-key="x1">...</p>``.
_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S)

# Wagtail's own actions for posting, editing and deleting; ours for the rest
# (registered in wagtail_hooks.py with their labels).
LOG_PIN = "masthead.feed.pin"
LOG_UNPIN = "masthead.feed.unpin"
LOG_PROMOTE = "masthead.feed.promote"
LOG_ACTIONS = {
    LOG_PIN: (
        gettext_lazy("Pin News Feed post"),
        gettext_lazy("Pinned to the top of the News Feed"),
    ),
    LOG_UNPIN: (
        gettext_lazy("Unpin News Feed post"),
        gettext_lazy("Unpinned from the top of the News Feed"),
    ),
    LOG_PROMOTE: (
        gettext_lazy("Promote News Feed post"),
        gettext_lazy("Started an article draft from the post"),
    ),
}


def paragraphs_to_html(text: str) -> str:
    """Plain text from the desk form: blank lines separate paragraphs."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(f"<p>{escape(block)}</p>" for block in blocks if block)


@transaction.atomic
def post_item(
    *,
    headline: str,
    text: str = "",
    body: str | None = None,
    article: ArticlePage | None = None,
    is_pinned: bool = False,
    published_at: datetime | None = None,
    image: "LibraryImage | None" = None,
    image_caption: str = "",
    image_alt_text: str = "",
    embed_url: str = "",
    locale: "Locale | None" = None,
    user: Any = None,
) -> NewsFeedItem:
    """Publish a News Feed post from the desk.

    Args:
        locale: the edition whose News Feed shows it (#15); None for the
            default edition.
        text: plain text, blank lines between paragraphs; ignored when
            ``body`` is given.
        body: rich text as the editor stores it (bold, italic, links).
        user: who posted, for the audit log.

    Raises:
        ValidationError: a field is invalid (an unknown embed, a body whose
            markup would hide text).
    """
    item = NewsFeedItem(
        headline=headline,
        body=paragraphs_to_html(text) if body is None else body,
        article=article,
        is_pinned=is_pinned,
        published_at=published_at or timezone.now(),
        image=image,
        image_caption=image_caption,
        image_alt_text=image_alt_text,
        embed_url=embed_url,
    )
    if locale is not None:
        item.locale = locale
    item.full_clean()
    item.save()
    log(instance=item, action="wagtail.create", user=user)
    return item


@transaction.atomic
def set_pinned(item: NewsFeedItem, pinned: bool, *, user: Any = None) -> NewsFeedItem:
    """Pin a post to the top of the News Feed page, or unpin it."""
    item.is_pinned = pinned
    item.save(update_fields=["is_pinned", "updated_at"])
    log(instance=item, action=LOG_PIN if pinned else LOG_UNPIN, user=user)
    return item


@transaction.atomic
def delete_item(item: NewsFeedItem, *, user: Any = None) -> None:
    """Delete a post; the audit log keeps that it was, and who removed it."""
    log(instance=item, action="wagtail.delete", user=user)
    item.delete()


def draft_slug(section: SectionPage, headline: str, *, fallback: str) -> str:
    """A slug for a new page under ``section``, from its headline.

    Unique among the section's pages (Wagtail's ``find_available_slug`` adds
    ``-1``, ``-2``); ``fallback`` when the headline has no letters at all.
    """
    slug: str = find_available_slug(section, slug_from_text(headline) or fallback)
    return slug


def draft_body(item: NewsFeedItem) -> list[tuple[str, Any]]:
    """The post as article blocks: its paragraphs with their bold, italic and
    links, then its photo and embed."""
    blocks: list[tuple[str, Any]] = [
        ("paragraph", f"<p>{inner}</p>")
        for inner in _PARAGRAPH.findall(item.body)
        if strip_tags(inner).strip()
    ]
    if not blocks:
        # Case: text stored without paragraphs (the model API): plain text.
        blocks = [
            ("paragraph", f"<p>{escape(text.strip())}</p>")
            for text in strip_tags(item.body).split("\n\n")
            if text.strip()
        ]
    if item.image is not None:
        blocks.append(
            (
                "image",
                {
                    "image": item.image,
                    "caption": item.image_caption,
                    "alt_text": item.image_alt_text,
                    "credit": "",
                },
            )
        )
    if item.embed_url:
        blocks.append(("embed", EmbedValue(item.embed_url)))
    return blocks


@transaction.atomic
def promote_to_article(
    item: NewsFeedItem, section: SectionPage, *, user: Any
) -> ArticlePage:
    """Start a full article draft from a post, keeping its text.

    The draft is owned by ``user`` and bylined to the author profile with the
    user's name when there is one; nothing is published.
    """
    author = Author.objects.filter(name=user.get_full_name()).first() if user else None
    article = ArticlePage(
        title=item.headline,
        slug=draft_slug(section, item.headline, fallback=f"news-feed-{item.pk}"),
        body=draft_body(item),
        owner=user,
        live=False,
        article_authors=[ArticleAuthor(author=author)] if author else [],
    )
    section.add_child(instance=article)
    article.save_revision(user=user, log_action=True)
    item.article = article
    item.save(update_fields=["article", "updated_at"])
    log(instance=item, action=LOG_PROMOTE, user=user, data={"article": article.pk})
    return article
