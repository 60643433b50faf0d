"""A fallback without an index: words matched with LIKE in the database.

For development and very small sites only. Every query reads every published
article, so it slows in step with the archive (docs/search.md), and SQLite's
LIKE folds the case of ASCII letters only. ``apply`` and ``replace_all`` have
nothing to do: the database is always current.

Ukrainian (issue #15): a word is also tried in its other spellings (the three
apostrophes, lower and capitalised case, ``ukrainian.spellings``), but not
by lemma: LIKE compares raw text, so «Київ» does not find «Києві» here. That
needs lemmas stored beside the text, as the Tantivy index and a future
PostgreSQL backend keep them (docs/search.md).
"""

import functools
import operator
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db.models import Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.expressions import Case
from django.db.models.functions import Coalesce

from masthead.content.models import ArticleAuthor, ArticlePage, ArticleTag
from masthead.core.text import strip_tags
from masthead.search.documents import IndexDocument
from masthead.search.highlight import snippet, word_pattern
from masthead.search.query import UserQuery
from masthead.search.ukrainian import spellings

from .base import SearchBackend, SearchHit, SearchResults

# Whole-number weights in the same order as the Tantivy field boosts.
WEIGHTS = {"title": 6, "tags": 4, "authors": 4, "standfirst": 3, "body": 2}


class DatabaseBackend(SearchBackend):
    """Search published articles with ``icontains`` lookups, no index."""

    def __init__(self, **options: Any) -> None:
        self.options = options

    def search(
        self,
        query: UserQuery | str,
        *,
        section_id: int | None = None,
        date_from: datetime | None = None,
        date_to: datetime | None = None,
        offset: int = 0,
        limit: int = 20,
    ) -> SearchResults:
        words = [unit.text for unit in self.as_query(query).units]
        if not words or limit <= 0:
            return SearchResults()
        articles = ArticlePage.objects.published()
        if section_id is not None:
            articles = articles.filter(section_id=section_id)
        if date_from is not None:
            articles = articles.filter(published_at__gte=date_from)
        if date_to is not None:
            articles = articles.filter(published_at__lt=date_to)
        score: Any = Value(0)  # a growing sum of expressions
        for word in words:
            matches = self._matches(word)
            articles = articles.filter(
                Q(matches["title"])
                | Q(matches["standfirst"])
                | Q(matches["body"])
                | Q(matches["tags"])
                | Q(matches["authors"])
            )
            for name, weight in WEIGHTS.items():
                score = score + Case(
                    When(matches[name], then=Value(weight)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
        total = articles.count()
        rows = list(
            articles.annotate(score=Coalesce(score, 0))
            .order_by("-score", F("published_at").desc(), "-pk")
            .values("pk", "score", "title", "standfirst", "body_html")[
                offset : offset + limit
            ]
        )
        pattern = word_pattern(
            spelling for word in words for spelling in spellings(word)
        )
        return SearchResults(
            hits=[self._hit(row, pattern) for row in rows], total=total
        )

    @staticmethod
    def _matches(word: str) -> dict[str, Q]:
        forms = spellings(word)

        def any_of(lookup: str) -> Q:
            return functools.reduce(
                operator.or_, (Q(**{lookup: form}) for form in forms)
            )

        return {
            "title": any_of("title__icontains"),
            "standfirst": any_of("standfirst__icontains"),
            "body": any_of("body_html__icontains"),
            "tags": Q(
                Exists(
                    ArticleTag.objects.filter(
                        any_of("tag__name__icontains"), article=OuterRef("pk")
                    )
                )
            ),
            "authors": Q(
                Exists(
                    ArticleAuthor.objects.filter(
                        any_of("author__name__icontains"), article=OuterRef("pk")
                    )
                )
            ),
        }

    @staticmethod
    def _hit(row: dict[str, Any], pattern: re.Pattern[str] | None) -> SearchHit:
        title_html, _ = snippet(row["title"], pattern, max_chars=10_000)
        snippet_html, matched = snippet(row["standfirst"], pattern)
        if not matched:
            body = " ".join(strip_tags(row["body_html"]).split())
            body_html, body_matched = snippet(body, pattern)
            if body_matched or not row["standfirst"]:
                snippet_html = body_html
        return SearchHit(
            article_id=row["pk"],
            score=float(row["score"]),
            title_html=title_html,
            snippet_html=snippet_html,
        )

    def apply(self, upserts: Sequence[IndexDocument], removals: Sequence[int]) -> None:
        """Nothing to store: queries read the articles themselves."""

    def replace_all(self, documents: Iterable[IndexDocument]) -> int:
        """Nothing to store; the documents are counted and dropped."""
        return sum(1 for _ in documents)
