"""What the search index holds for an article, built from the database."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet

from masthead.content.models import ArticleAuthor, ArticlePage, ArticleTag
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

    @classmethod
    def from_article(cls, article: ArticlePage) -> "IndexDocument":
        """Build the document; uses prefetched bylines and tags when present."""
        return cls(
            article_id=article.pk,
            title=article.title,
            standfirst=article.standfirst,
            body=" ".join(strip_tags(article.body_html).split()),
            tags=tuple(row.tag.name for row in article.article_tags.all()),
            authors=tuple(row.author.name for row in article.article_authors.all()),
            section_id=article.section_id,
            published_at=article.published_at,
        )


def articles_for_indexing() -> "QuerySet[ArticlePage]":
    """Published articles with what ``IndexDocument`` reads, in few queries."""
    articles: QuerySet[ArticlePage] = (
        ArticlePage.objects.published()
        .only(
            "pk",
            "title",
            "standfirst",
            "body_html",
            "section_id",
            "published_at",
            "live",
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


def published_documents(batch_size: int = 500) -> Iterator[IndexDocument]:
    """Every published article as an ``IndexDocument``, read in pk batches.

    Keyset batches (``pk > last``) keep each query as cheap as the first and
    never hold the whole table in memory.
    """
    last_pk = 0
    while True:
        batch = list(
            articles_for_indexing().filter(pk__gt=last_pk).order_by("pk")[:batch_size]
        )
        if not batch:
            return
        for article in batch:
            yield IndexDocument.from_article(article)
        last_pk = batch[-1].pk
