"""What the search index holds for an article, built from the database."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch

from masthead.content.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleQuerySet,
    ArticleTag,
)
from masthead.core.editions import locale_code, locale_id_for
from masthead.core.text import strip_tags


@dataclass(frozen=True)
class IndexDocument:
    """The searchable text and filter values of one published article."""

    article_id: int
    title: str
    standfirst: str
    body: str
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    section_id: int | None
    published_at: datetime | None
    # The edition's language code ("en", "uk"): whose index holds it (#15).
    edition: str = ""

    @classmethod
    def from_article(cls, article: ArticlePage) -> "IndexDocument":
        """Build the document; uses prefetched bylines and tags when present."""
        edition = locale_code(article.locale_id)
        return cls(
            article_id=article.pk,
            title=article.title,
            standfirst=article.standfirst,
            body=" ".join(strip_tags(article.body_html).split()),
            tags=tuple(
                name
                for row in article.article_tags.all()
                for name in row.tag.search_names(edition)
            ),
            authors=tuple(
                name
                for row in article.article_authors.all()
                for name in row.author.search_names(edition)
            ),
            section_id=article.section_id,
            published_at=article.published_at,
            edition=edition,
        )


def articles_for_indexing() -> ArticleQuerySet:
    """Published articles with what ``IndexDocument`` reads, in few queries."""
    articles: ArticleQuerySet = (
        ArticlePage.objects.published()
        .only(
            "pk",
            "title",
            "standfirst",
            "body_html",
            "section_id",
            "published_at",
            "live",
            "locale_id",
        )
        .prefetch_related(
            Prefetch(
                "article_tags",
                queryset=ArticleTag.objects.select_related("tag").order_by(
                    "sort_order"
                ),
            ),
            Prefetch(
                "article_authors",
                queryset=ArticleAuthor.objects.select_related("author").order_by(
                    "sort_order"
                ),
            ),
        )
    )
    return articles


def published_documents(
    batch_size: int = 500, edition: str | None = None
) -> Iterator[IndexDocument]:
    """Every published article as an ``IndexDocument``, read in pk batches.

    Keyset batches (``pk > last``) keep each query as cheap as the first and
    never hold the whole table in memory.

    Args:
        batch_size: articles per query.
        edition: only this edition's articles (a language code); None for
            every edition's.
    """
    articles = articles_for_indexing()
    if edition is not None:
        locale_id = locale_id_for(edition)
        if locale_id is None:
            # Case: an edition without a locale has no articles yet.
            return
        articles = articles.in_edition(locale_id)
    last_pk = 0
    while True:
        batch = list(articles.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            return
        for article in batch:
            yield IndexDocument.from_article(article)
        last_pk = batch[-1].pk
