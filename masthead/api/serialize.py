"""Plain dicts of what the Content API shows: the one gate at serialisation.

An article's body here is ``body_html``, the part every reader may read
(content/models/access.py); ``gated_html`` is never read in this module,
so no list, filter or future endpoint can send it (test_content_gating).
"""

from typing import Any

from django.http import HttpRequest

from masthead.content.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    Correction,
    SectionPage,
)
from masthead.core.editions import locale_code
from masthead.core.models import LibraryImage
from masthead.feed.models import NewsFeedItem
from masthead.people.models import Author
from masthead.taxonomy.models import Tag

# Fields of the article row a list never reads (the list has no body).
LIST_DEFERRED = ("body", "body_html", "gated_html", "live_summary", "live_summary_html")


def absolute(request: HttpRequest, path: str | None) -> str | None:
    return request.build_absolute_uri(path) if path else None


def image_data(
    request: HttpRequest, image: LibraryImage | None
) -> dict[str, Any] | None:
    """The original's address and size: renditions are made by pages, not here."""
    if image is None:
        return None
    return {
        "id": image.pk,
        "url": absolute(request, image.file.url),
        "width": image.width,
        "height": image.height,
        "alt_text": image.alt_text,
        "credit": image.credit,
    }


def link(pk: int, slug: str, name: str) -> dict[str, Any]:
    return {"id": pk, "slug": slug, "name": name}


def bylines_and_tags(
    ids: list[int],
) -> tuple[dict[int, list[dict[str, Any]]], dict[int, list[dict[str, Any]]]]:
    """Each article's authors and tags, in order, in two queries of plain rows.

    Prefetching the rows built a model instance per byline and tag (the
    cluster models are costly to build): most of an uncached list's time.
    """
    authors: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    tags: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    for article_id, pk, slug, name in (
        ArticleAuthor.objects.filter(article_id__in=ids)
        .order_by("article_id", "sort_order", "pk")
        .values_list("article_id", "author_id", "author__slug", "author__name")
    ):
        authors[article_id].append(link(pk, slug, name))
    for article_id, pk, slug, name in (
        ArticleTag.objects.filter(article_id__in=ids)
        .order_by("article_id", "sort_order", "pk")
        .values_list("article_id", "tag_id", "tag__slug", "tag__name")
    ):
        tags[article_id].append(link(pk, slug, name))
    return authors, tags


def articles_data(
    request: HttpRequest, articles: list[ArticlePage], *, detail: bool = False
) -> list[dict[str, Any]]:
    """``articles`` as a list shows them (or, with ``detail``, with the body)."""
    authors, tags = bylines_and_tags([article.pk for article in articles])
    shape = article_detail if detail else article_summary
    return [
        shape(request, article, authors[article.pk], tags[article.pk])
        for article in articles
    ]


def article_summary(
    request: HttpRequest,
    article: ArticlePage,
    authors: list[dict[str, Any]],
    tags: list[dict[str, Any]],
) -> dict[str, Any]:
    """What a list shows of an article: everything but the body."""
    section = article.section
    return {
        "id": article.pk,
        "slug": article.slug,
        "title": article.title,
        "standfirst": article.standfirst,
        "url": article.get_full_url(request),
        "edition": locale_code(article.locale_id) if article.locale_id else None,
        "genre": article.genre,
        "section": link(section.pk, section.slug, section.title) if section else None,
        "authors": authors,
        "tags": tags,
        "hero_image": image_data(request, article.hero_image),
        "hero_caption": article.hero_caption,
        "published_at": article.published_at,
        "updated_at": article.updated_at,
        "access": article.access,
        "is_gated": article.is_gated,
        "is_live": article.is_live_now,
        "live_status": article.live_status,
        "word_count": article.word_count,
        "read_time_minutes": article.read_time_minutes,
    }


def article_detail(
    request: HttpRequest,
    article: ArticlePage,
    authors: list[dict[str, Any]],
    tags: list[dict[str, Any]],
) -> dict[str, Any]:
    """An article with the part of its body every reader may read."""
    return {
        **article_summary(request, article, authors, tags),
        "body_html": article.body_html,
        "live_summary_html": article.live_summary_html,
    }


def section_data(request: HttpRequest, section: SectionPage) -> dict[str, Any]:
    return {
        "id": section.pk,
        "slug": section.slug,
        "title": section.title,
        "intro": section.intro,
        "url": section.get_full_url(request),
    }


def tag_data(tag: Tag) -> dict[str, Any]:
    return {
        "id": tag.pk,
        "slug": tag.slug,
        "name": tag.name,
        "tag_type": tag.tag_type,
        "description": tag.description,
    }


def author_data(request: HttpRequest, author: Author) -> dict[str, Any]:
    return {
        "id": author.pk,
        "slug": author.slug,
        "name": author.name,
        "job_title": author.job_title,
        "bio": author.bio,
        "avatar": image_data(request, author.avatar),
    }


def feed_item_data(request: HttpRequest, item: NewsFeedItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "headline": item.headline,
        "body_html": item.body_html,
        "published_at": item.published_at,
        "updated_at": item.updated_at,
        "url": absolute(request, item.get_absolute_url()),
        "is_pinned": item.is_pinned,
        "is_key_event": item.is_key_event,
        "article_id": item.article_id,
        "live_page_id": item.live_page_id,
    }


def correction_data(request: HttpRequest, correction: Correction) -> dict[str, Any]:
    article = correction.article
    return {
        "id": correction.pk,
        "kind": correction.kind,
        "text": correction.text,
        "published_at": correction.published_at,
        "article_id": article.pk,
        "article_title": article.title,
        "article_url": article.get_full_url(request),
    }
