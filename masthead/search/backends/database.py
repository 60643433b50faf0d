"""A fallback without an index: words matched with LIKE in the database.

For development and very small sites only. Every query reads every published
article, so it slows in step with the archive (docs/search.md), and SQLite's
LIKE folds the case of ASCII letters only. ``apply`` and ``replace_all`` have
nothing to do: the database is always current.

Ukrainian (issue #15): a word is also tried in its other spellings (the three
apostrophes, lower and capitalised case, ``ukrainian.spellings``). LIKE
compares raw text, not lemmas; so for an edition analysed as "ukrainian" a
word is searched in every dictionary form of its lemmas instead («Київ» as
Київ, Києва, Києві, ...: ``ukrainian.Forms``, the lexicon inverted). Still
substrings: «Київ» also finds «Київщина» here, which the Tantivy index keeps
apart (docs/search.md).
"""

import functools
import operator
import re
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db.models import Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.expressions import Case
from django.db.models.functions import Coalesce

from masthead.content.models import ArticleAuthor, ArticlePage, ArticleTag
from masthead.core.editions import locale_id_for
from masthead.core.text import strip_tags
from masthead.search.documents import IndexDocument
from masthead.search.highlight import snippet, word_pattern
from masthead.search.query import Unit, UserQuery
from masthead.search.ukrainian import (
    Forms,
    UkrainianNormaliser,
    forms_path,
    lexicon_path,
    spellings,
)

from .base import SearchBackend, SearchHit, SearchResults, SearchUnavailable

# Whole-number weights in the same order as the Tantivy field boosts.
WEIGHTS = {"title": 6, "tags": 4, "authors": 4, "standfirst": 3, "body": 2}
# Texts tried per word, the word's own spellings first: a Ukrainian
# adjective has some 30 forms, each in up to three cases. Bounds the SQL: a
# word's LIKEs over five fields form one OR chain, and SQLite refuses an
# expression deeper than 1,000.
MAX_VARIANTS = 64


class DatabaseBackend(SearchBackend):
    """Search published articles with ``icontains`` lookups, no index.

    Args:
        edition: only this edition's articles (its Wagtail locale, #15);
            "" for every edition's.
        language: "ukrainian" searches each word in every form of its
            lemmas; any other language, the word as typed.
        index_dir: where the Ukrainian lemma tables are kept (built on
            first use, as for the Tantivy backend).
        options: the other backends' options, accepted and unused.
    """

    def __init__(
        self,
        *,
        edition: str = "",
        language: str = "",
        index_dir: str | Path | None = None,
        **options: Any,
    ) -> None:
        self.edition = edition
        self.options = options
        self.is_lemmatised = language == "ukrainian" and index_dir is not None
        self._index_dir = Path(index_dir) if index_dir is not None else None
        self._normaliser: UkrainianNormaliser | None = None
        self._forms: Forms | None = None
        self._lock = threading.Lock()

    def variants(self, unit: Unit) -> list[str]:
        """The texts that count as ``unit`` in stored text.

        Its spellings; for a Ukrainian word, the spellings of every
        dictionary form of its lemmas too. Phrases are matched as typed.

        Raises:
            SearchUnavailable: the lemma tables cannot be built.
        """
        words = [unit.text]
        if self.is_lemmatised and not unit.is_phrase:
            normaliser, forms = self._tables()
            for lemmas in normaliser.query_words(unit.text):
                for lemma in sorted(lemmas):
                    words.extend(forms.of(lemma))
        return list(
            dict.fromkeys(spelling for word in words for spelling in spellings(word))
        )[:MAX_VARIANTS]

    def _tables(self) -> tuple[UkrainianNormaliser, Forms]:
        """The lemmatiser and the forms table, built on first use (once)."""
        if self._normaliser is None or self._forms is None:
            with self._lock:
                if self._index_dir is None:
                    raise SearchUnavailable("no index_dir for the lemma tables")
                try:
                    if self._normaliser is None:
                        self._normaliser = UkrainianNormaliser(
                            lexicon_path(self._index_dir)
                        )
                    if self._forms is None:
                        self._forms = Forms(forms_path(self._index_dir))
                except OSError as exc:
                    raise SearchUnavailable(
                        f"cannot build the Ukrainian tables: {exc}"
                    ) from exc
        return self._normaliser, self._forms

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
        units = self.as_query(query).units
        if not units or limit <= 0:
            return SearchResults()
        variants = [self.variants(unit) for unit in units]
        articles = ArticlePage.objects.published()
        if self.edition:
            locale_id = locale_id_for(self.edition)
            if locale_id is None:
                # Case: the edition has no locale yet, so no articles.
                return SearchResults()
            articles = articles.in_edition(locale_id)
        if section_id is not None:
            articles = articles.filter(section_id=section_id)
        if date_from is not None:
            articles = articles.filter(published_at__gte=date_from)
        if date_to is not None:
            articles = articles.filter(published_at__lt=date_to)
        score: Any = Value(0)  # a growing sum of expressions
        for forms in variants:
            matches = self._matches(forms)
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
        pattern = word_pattern(form for forms in variants for form in forms)
        return SearchResults(
            hits=[self._hit(row, pattern) for row in rows], total=total
        )

    @staticmethod
    def _matches(forms: list[str]) -> dict[str, Q]:
        """Where any of ``forms`` appears, per field."""

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
