"""The one interface every search engine implements.

Views and services talk to ``SearchBackend`` only; which engine answers is the
``MASTHEAD_SEARCH_BACKEND`` setting. An engine returns article ids, scores and
highlighted text; whether a reader may see an article is decided afterwards by
``ArticlePage.objects.published()``, so a lagging index never shows an
unpublished article.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString

from masthead.search.documents import IndexDocument
from masthead.search.query import UserQuery, parse_query

if TYPE_CHECKING:
    from masthead.content.models import ArticlePage


class SearchUnavailable(Exception):
    """The engine cannot answer now (index missing, damaged or locked)."""


class IndexBusy(SearchUnavailable):
    """Another process holds the index writer; try again after it is done."""


@dataclass(frozen=True)
class SearchHit:
    """One match: the article id and its escaped, ``<mark>``-ed text."""

    article_id: int
    score: float
    title_html: SafeString
    snippet_html: SafeString


@dataclass(frozen=True)
class SearchResults:
    """A window of hits, best first, and how many matched in all.

    ``total`` is exact unless ``total_is_estimate``: engines may estimate very
    large totals (over 10,000) that no reader pages through.
    """

    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    total_is_estimate: bool = False


class SearchBackend(ABC):
    """Base class for search engines.

    Subclasses take their options as keyword arguments so a benchmark or a
    test can build one without settings.
    """

    # The edition whose articles the index holds ("uk"); "" for any (#15).
    edition: str = ""

    @abstractmethod
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
        """Find published articles matching every word of ``query``.

        Args:
            query: a parsed ``UserQuery`` or raw text (parsed here).
            section_id: only articles of this section.
            date_from: only articles published at or after this instant.
            date_to: only articles published before this instant (exclusive).
            offset: hits to skip, for pagination.
            limit: hits to return.

        Raises:
            SearchUnavailable: the engine cannot answer.
        """

    @abstractmethod
    def apply(self, upserts: Sequence[IndexDocument], removals: Sequence[int]) -> None:
        """Add or replace ``upserts`` and drop ``removals`` (article ids) at once.

        Raises:
            IndexBusy: another process is writing; nothing was changed.
        """

    @abstractmethod
    def replace_all(self, documents: Iterable[IndexDocument]) -> int:
        """Replace the whole index with ``documents`` (the bulk path).

        Readers see the old index until the new one is complete. Returns the
        number of documents written.
        """

    def index_article(self, article: "ArticlePage") -> None:
        """Add or replace one article (an ``ArticlePage``)."""
        self.apply([IndexDocument.from_article(article)], [])

    def remove(self, article_id: int) -> None:
        """Drop one article from the index; unknown ids are ignored."""
        self.apply([], [article_id])

    def rebuild(self, documents: Iterable[IndexDocument] | None = None) -> int:
        """Reindex every published article of the edition (or ``documents``)."""
        if documents is None:
            from masthead.search.documents import published_documents

            documents = published_documents(edition=self.edition or None)
        return self.replace_all(documents)

    @staticmethod
    def as_query(query: UserQuery | str) -> UserQuery:
        return parse_query(query) if isinstance(query, str) else query
