"""The Content API's News Feed, live pages and corrections (docs/api.md).

News Feed items are ``NewsFeedItem.objects.published()``: an update of a
live page shows only while that page is public. Live pages and the articles
of corrections are ``published()`` articles, like everything else here.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Router

from masthead import cache
from masthead.content.models import ArticlePage, ArticleQuerySet, Correction
from masthead.content.models.live import LiveStatus
from masthead.core.keyset import before_q
from masthead.feed.models import NewsFeedItem

from . import schemas, serialize
from .auth import ContentKey
from .content import (
    REFUSALS,
    CursorQuery,
    Id,
    Limit,
    get_or_404,
    page_of,
    with_rows,
)
from .pagination import PUBLISHED, next_time_cursor, page_size, time_cursor
from .respond import document

router = Router(auth=ContentKey(), tags=["Content API"])
LIVE_PAGES = 50


def newest_page[R: (NewsFeedItem, Correction)](
    rows: "QuerySet[R]", cursor: str | None, limit: int | None
) -> tuple[list[R], dict[str, Any]]:
    """One page of ``rows``, newest first, after ``cursor`` (a ``PUBLISHED`` one)."""
    size = page_size(limit)
    before = time_cursor(cursor, PUBLISHED)
    found: list[R] = list(
        rows.filter(before_q(before, "published_at", "id")).order_by(
            "-published_at", "-pk"
        )[: size + 1]
    )
    shown = found[:size]
    more = None
    if len(found) > size:
        more = next_time_cursor(PUBLISHED, shown[-1].published_at, shown[-1].pk)
    return shown, page_of(more, size)


def _live_pages() -> ArticleQuerySet:
    """Published articles that are (or were) live pages."""
    pages: ArticleQuerySet = ArticlePage.objects.published().exclude(
        live_status=LiveStatus.NONE
    )
    return pages


@router.get(
    "/news-feed",
    response={200: schemas.FeedItemList, **REFUSALS},
    summary="News Feed items, newest first",
)
def list_feed_items(
    request: HttpRequest, cursor: str | None = CursorQuery, limit: int | None = Limit
) -> HttpResponse:
    shown, page = newest_page(NewsFeedItem.objects.published(), cursor, limit)
    return document(
        request,
        schemas.FeedItemList,
        {"items": [serialize.feed_item_data(request, i) for i in shown], "page": page},
        tags=[cache.NEWSFEED],
        changed=[i.updated_at for i in shown],
        profile=cache.Profile.LIVE,
    )


@router.get(
    "/news-feed/{id}",
    response={200: schemas.FeedItem, **REFUSALS},
    summary="One News Feed item",
)
def get_feed_item(request: HttpRequest, id: int = Id) -> HttpResponse:
    item: NewsFeedItem = get_or_404(
        NewsFeedItem.objects.published().filter(pk=id), "News Feed item"
    )
    return document(
        request,
        schemas.FeedItem,
        serialize.feed_item_data(request, item),
        tags=[cache.feed_item_tag(item.pk), cache.NEWSFEED],
        changed=[item.updated_at],
        profile=cache.Profile.LIVE,
    )


@router.get(
    "/live",
    response={200: schemas.LivePageList, **REFUSALS},
    summary="Live pages, open coverage first, then the most recently started",
)
def list_live_pages(request: HttpRequest) -> HttpResponse:
    pages = list(
        with_rows(
            _live_pages()
            .defer(*serialize.LIST_DEFERRED)
            .order_by("-coverage_started_at", "-pk")
        )[:LIVE_PAGES]
    )
    pages.sort(key=lambda page: page.live_status != LiveStatus.LIVE)
    return document(
        request,
        schemas.LivePageList,
        {"articles": serialize.articles_data(request, pages)},
        tags=[cache.LATEST, cache.NEWSFEED, *(cache.article_tag(p.pk) for p in pages)],
        changed=[p.updated_at for p in pages],
        profile=cache.Profile.LIVE,
    )


@router.get(
    "/live/{id}",
    response={200: schemas.LivePage, **REFUSALS},
    summary="A live page and its updates, newest first",
)
def get_live_page(
    request: HttpRequest,
    id: int = Id,
    cursor: str | None = CursorQuery,
    limit: int | None = Limit,
) -> HttpResponse:
    page: ArticlePage = get_or_404(with_rows(_live_pages().filter(pk=id)), "live page")
    updates, paging = newest_page(
        NewsFeedItem.objects.published().on_live_page(page.pk), cursor, limit
    )
    return document(
        request,
        schemas.LivePage,
        {
            "article": serialize.articles_data(request, [page], detail=True)[0],
            "coverage_started_at": page.coverage_started_at,
            "coverage_ended_at": page.coverage_ended_at,
            "updates": [serialize.feed_item_data(request, i) for i in updates],
            "page": paging,
        },
        tags=[cache.article_tag(page.pk), cache.live_tag(page.pk)],
        changed=[page.updated_at, *(i.updated_at for i in updates)],
        profile=cache.Profile.LIVE,
    )


@router.get(
    "/corrections",
    response={200: schemas.CorrectionList, **REFUSALS},
    summary="Corrections and notices on published articles, newest first",
)
def list_corrections(
    request: HttpRequest, cursor: str | None = CursorQuery, limit: int | None = Limit
) -> HttpResponse:
    shown, page = newest_page(
        Correction.objects.public()
        .select_related("article")
        .defer(*(f"article__{name}" for name in serialize.LIST_DEFERRED)),
        cursor,
        limit,
    )
    return document(
        request,
        schemas.CorrectionList,
        {
            "corrections": [serialize.correction_data(request, c) for c in shown],
            "page": page,
        },
        tags=[cache.CORRECTIONS, *(cache.article_tag(c.article_id) for c in shown)],
        changed=[c.published_at for c in shown],
    )
