"""The demo's articles, created through the content service and backdated."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from wagtail.models import PageLogEntry, ReferenceIndex, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update

from masthead.content.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    Genre,
    SectionPage,
)
from masthead.content.services import create_article
from masthead.people.models import Author
from masthead.taxonomy.models import Tag

from .library import Library
from .newsroom_pages import planned_genres
from .plan import ArticlePlan, DemoPlan

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def ensure_articles(
    plan: DemoPlan,
    sections: dict[str, SectionPage],
    people: dict[str, Author],
    labels: dict[str, Tag],
    library: Library,
    editor: "User",
    now: datetime,
    say: Callable[[str], None],
) -> tuple[dict[str, ArticlePage], int]:
    """Create the planned articles that are missing, in the plan's order.

    Returns:
        Every planned article in the database, by slug, and how many were new.
    """
    slugs = [article.slug for article in plan.articles]
    stories = {
        page.slug: page
        for page in ArticlePage.objects.filter(
            slug__in=slugs, section__in=list(sections.values())
        )
    }
    new = 0
    genres = planned_genres(plan)
    for article in plan.articles:
        if article.slug in stories:
            continue
        # Each article is saved several times (add, revision, publish, bylines);
        # indexing its references once afterwards halves the time per article.
        with disable_reference_index_auto_update():
            page = _create_article(
                article,
                sections,
                people,
                labels,
                library,
                stories,
                editor,
                now,
                genre=genres.get(article.slug, Genre.NEWS),
            )
        ReferenceIndex.create_or_update_for_object(page)
        stories[article.slug] = page
        new += 1
        if new % 50 == 0:
            say(f"  … {new} articles created")
    return stories, new


def _create_article(
    article: ArticlePlan,
    sections: dict[str, SectionPage],
    people: dict[str, Author],
    labels: dict[str, Tag],
    library: Library,
    stories: dict[str, ArticlePage],
    editor: "User",
    now: datetime,
    genre: str = Genre.NEWS,
) -> ArticlePage:
    published_at = now - article.age
    bylines = [people[s] for s in article.author_slugs if s in people]
    if not bylines and people:
        bylines = [next(iter(people.values()))]
    page = ArticlePage(
        title=article.title,
        slug=article.slug,
        genre=genre,
        standfirst=article.standfirst,
        hero_image=library.hero(article.hero),
        hero_caption=article.caption,
        body=_stream(article.blocks, library, stories),
        published_at=published_at,
        first_published_at=published_at,
        **credit_rows(
            bylines, [labels[slug] for slug in article.tag_slugs if slug in labels]
        ),
    )
    create_article(sections[article.section_slug], page, user=editor)
    edited_at = published_at + (article.edited_after or timedelta(0))
    _backdate(page, edited_at)
    return page


def credit_rows(authors: list[Author], tags: list[Tag]) -> dict[str, Any]:
    """An unsaved article's byline and tag rows, in the order given."""
    return {
        "article_authors": [
            ArticleAuthor(author=author, sort_order=order)
            for order, author in enumerate(authors)
        ],
        "article_tags": [
            ArticleTag(tag=tag, sort_order=order) for order, tag in enumerate(tags)
        ],
    }


def _backdate(page: ArticlePage, edited_at: datetime) -> None:
    """Date the publication as if it happened at ``edited_at``.

    Publishing stamps ``last_published_at`` with the current time, which would
    make every demo story look updated today.
    """
    ArticlePage.objects.filter(pk=page.pk).update(
        last_published_at=edited_at,
        latest_revision_created_at=edited_at,
        updated_at=edited_at,
    )
    Revision.page_revisions.filter(object_id=str(page.pk)).update(created_at=edited_at)
    PageLogEntry.objects.filter(page_id=page.pk).update(timestamp=edited_at)
    page.last_published_at = page.updated_at = edited_at


def _stream(
    blocks: list[tuple[str, Any]],
    library: Library,
    stories: dict[str, ArticlePage],
) -> list[tuple[str, Any]]:
    """Turn planned blocks into StreamField values for the article body."""
    stream: list[tuple[str, Any]] = []
    empty_card = {
        "article": None,
        "url": "",
        "title": "",
        "description": "",
        "publisher": "",
        "author": "",
        "thumbnail": None,
    }
    for kind, value in blocks:
        if kind == "paragraph":
            stream.append(("paragraph", value))
        elif kind == "heading":
            stream.append(("heading", {"text": value, "level": "h2"}))
        elif kind == "quote":
            text, attribution = value
            stream.append(
                ("quote", {"text": text, "attribution": attribution, "language": ""})
            )
        elif kind == "related" and value in stories:
            stream.append(
                ("related_article", {**empty_card, "article": stories[value]})
            )
        elif kind == "external":
            stream.append(("related_article", {**empty_card, **value}))
        elif kind == "image":
            index, caption = value
            stream.append(
                (
                    "image",
                    {
                        "image": library.hero(index),
                        "caption": caption,
                        "alt_text": "",
                        "credit": "",
                    },
                )
            )
    return stream
