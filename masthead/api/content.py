"""The Content API (read-only): what the public site shows, as JSON (docs/api.md).

Articles come from ``ArticlePage.objects.published()`` (content/visibility.py)
and are serialised by serialize.py, which reads only the free part of a
gated body. Lists are keyset-paged over the listing indexes
(article_published_idx, the byline and tag rows' own indexes): a page costs
one index seek at any depth, and nothing counts the archive.
"""

from typing import Any

from django.db.models import Exists, Model, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.params.functions import Path, Query

from masthead import cache
from masthead.content.models import (
    ArticlePage,
    ArticleQuerySet,
    ArticleTag,
    SectionPage,
)
from masthead.content.visibility import public_pages, public_q
from masthead.core.keyset import before_q
from masthead.people.models import Author
from masthead.taxonomy.models import Tag

from . import schemas, serialize
from .auth import ContentKey
from .errors import not_found
from .pagination import (
    PUBLISHED,
    SLUG,
    UPDATED,
    decode,
    encode,
    next_time_cursor,
    page_size,
    parse_moment,
    time_cursor,
)
from .respond import document

router = Router(auth=ContentKey(), tags=["Content API"])

MAX_ID = 2**31 - 1
# Every read can be refused; declared so clients and checkers know the shape.
REFUSALS: dict[int, Any] = {
    304: None,
    400: schemas.Problems,
    401: schemas.Problems,
    404: schemas.Problems,
}
# Parameter declarations shared by the operations (ninja reads them).
Id: Any = Path(..., ge=1, le=MAX_ID)
SlugPath: Any = Path(..., max_length=255, pattern=schemas.SLUG_PATTERN)
SlugQuery: Any = Query(None, max_length=255, pattern=schemas.SLUG_PATTERN)
Limit: Any = Query(None, ge=1, le=MAX_ID, description="Items per page (capped).")
CursorQuery: Any = Query(
    None, max_length=200, description="`page.next_cursor` of a page."
)
UpdatedSince: Any = Query(
    None,
    max_length=64,
    description="ISO 8601; lists the articles changed since, newest change first.",
)


def with_rows(articles: ArticleQuerySet) -> ArticleQuerySet:
    """Load the section and hero with the article (bylines: serialize.py)."""
    loaded: ArticleQuerySet = articles.select_related("hero_image", "section")
    return loaded


def page_of(cursor: str | None, limit: int) -> dict[str, Any]:
    return {"next_cursor": cursor, "limit": limit}


def get_or_404[M: Model](rows: QuerySet[M], what: str) -> M:
    found = rows.first()
    if found is None:
        raise not_found(what)
    return found


@router.get(
    "/articles",
    response={200: schemas.ArticleList, **REFUSALS},
    summary="List published articles, newest first",
)
def list_articles(
    request: HttpRequest,
    section: str | None = SlugQuery,
    tag: str | None = SlugQuery,
    author: str | None = SlugQuery,
    updated_since: str | None = UpdatedSince,
    cursor: str | None = CursorQuery,
    limit: int | None = Limit,
) -> HttpResponse:
    size = page_size(limit)
    since = parse_moment(updated_since, "updated_since")
    articles: ArticleQuerySet = ArticlePage.objects.published()
    tags: list[str | None] = [cache.LATEST]
    kind = UPDATED if since is not None else PUBLISHED
    before = time_cursor(cursor, kind)
    found_tag: Tag | None = None
    found_author: Author | None = None
    if tag is not None:
        found_tag = get_or_404(Tag.objects.filter(slug=tag), "tag")
        tags.append(cache.list_tag("tag", found_tag.pk))
    if author is not None:
        found_author = get_or_404(Author.objects.filter(slug=author), "author")
        tags.append(cache.list_tag("author", found_author.pk))
    if section is not None:
        found_section: SectionPage = get_or_404(
            SectionPage.objects.filter(slug=section, live=True), "section"
        )
        articles = articles.in_section(found_section)
        tags.append(cache.list_tag("section", found_section.pk))
    if since is not None:
        # A sync client's "what changed": newest change first, over the
        # update index (article_updated_idx); a correction moves it too.
        tags.append(cache.CORRECTIONS)
        for found in (found_tag, found_author):
            if found is not None:
                relation = "article_tags__tag" if found is found_tag else None
                articles = articles.filter(
                    **{relation or "article_authors__author": found}
                )
        articles = articles.filter(
            before_q(before, "updated_at", "page_ptr_id"), updated_at__gte=since
        ).order_by("-updated_at", "-pk")
    elif found_tag is not None:
        articles = articles.tagged(found_tag, before)
        if found_author is not None:
            articles = articles.filter(article_authors__author=found_author)
    elif found_author is not None:
        articles = articles.by_author(found_author, before)
    else:
        articles = articles.newest_first(before)
    rows = list(with_rows(articles.defer(*serialize.LIST_DEFERRED))[: size + 1])
    shown = rows[:size]
    last = shown[-1] if len(rows) > size else None
    next_cursor = None
    if last is not None:
        moment = last.updated_at if since is not None else last.published_at
        next_cursor = next_time_cursor(kind, moment, last.pk)
    for article in shown:
        tags += [cache.article_tag(article.pk), cache.image_tag(article.hero_image_id)]
    return document(
        request,
        schemas.ArticleList,
        {
            "articles": serialize.articles_data(request, shown),
            "page": page_of(next_cursor, size),
        },
        tags=tags,
        changed=[a.updated_at or a.published_at for a in shown],
    )


def article_document(request: HttpRequest, articles: ArticleQuerySet) -> HttpResponse:
    article: ArticlePage = get_or_404(with_rows(articles), "article")
    return document(
        request,
        schemas.Article,
        serialize.articles_data(request, [article], detail=True)[0],
        tags=[cache.article_tag(article.pk), cache.image_tag(article.hero_image_id)],
        changed=[article.updated_at or article.published_at],
        profile=article.public_profile(),
    )


@router.get(
    "/articles/{id}",
    response={200: schemas.Article, **REFUSALS},
    summary="One published article by id",
)
def get_article(request: HttpRequest, id: int = Id) -> HttpResponse:
    return article_document(request, ArticlePage.objects.published().filter(pk=id))


@router.get(
    "/articles/slug/{slug}",
    response={200: schemas.Article, **REFUSALS},
    summary="One published article by slug (the newest, if several share it)",
)
def get_article_by_slug(request: HttpRequest, slug: str = SlugPath) -> HttpResponse:
    articles = ArticlePage.objects.published().filter(slug=slug).newest_first()
    return article_document(request, articles)


@router.get(
    "/sections",
    response={200: schemas.SectionList, **REFUSALS},
    summary="The public sections",
)
def list_sections(request: HttpRequest) -> HttpResponse:
    sections = public_pages(SectionPage.objects.live().order_by("path"))
    return document(
        request,
        schemas.SectionList,
        {"sections": [serialize.section_data(request, s) for s in sections]},
        tags=[cache.SITE],
        changed=[s.last_published_at for s in sections],
    )


def slug_page[M: (Tag, Author)](
    rows: Any, cursor: str | None, limit: int | None
) -> tuple[list[M], dict[str, Any]]:
    size = page_size(limit)
    if cursor is not None:
        rows = rows.filter(slug__gt=decode(cursor, SLUG))
    found: list[M] = list(rows.order_by("slug")[: size + 1])
    shown = found[:size]
    more = encode(SLUG, shown[-1].slug) if len(found) > size else None
    return shown, page_of(more, size)


@router.get(
    "/tags",
    response={200: schemas.TagList, **REFUSALS},
    summary="Tags with a published article, by slug",
)
def list_tags(
    request: HttpRequest, cursor: str | None = CursorQuery, limit: int | None = Limit
) -> HttpResponse:
    # A tag filed only on drafts or embargoed stories can give them away.
    public = ArticleTag.objects.filter(public_q("article__"), tag=OuterRef("pk"))
    shown, page = slug_page(Tag.objects.filter(Exists(public)), cursor, limit)
    return document(
        request,
        schemas.TagList,
        {"tags": [serialize.tag_data(t) for t in shown], "page": page},
        tags=[cache.TAG_INDEX, *(cache.topic_tag(t.pk) for t in shown)],
        changed=[],
    )


@router.get("/tags/{slug}", response={200: schemas.Tag, **REFUSALS}, summary="One tag")
def get_tag(request: HttpRequest, slug: str = SlugPath) -> HttpResponse:
    public = ArticleTag.objects.filter(public_q("article__"), tag=OuterRef("pk"))
    tag: Tag = get_or_404(Tag.objects.filter(Exists(public), slug=slug), "tag")
    return document(
        request,
        schemas.Tag,
        serialize.tag_data(tag),
        tags=[cache.TAG_INDEX, cache.topic_tag(tag.pk)],
        changed=[],
    )


@router.get(
    "/authors",
    response={200: schemas.AuthorList, **REFUSALS},
    summary="Authors, by slug",
)
def list_authors(
    request: HttpRequest, cursor: str | None = CursorQuery, limit: int | None = Limit
) -> HttpResponse:
    rows = Author.objects.select_related("avatar")
    shown, page = slug_page(rows, cursor, limit)
    return document(
        request,
        schemas.AuthorList,
        {"authors": [serialize.author_data(request, a) for a in shown], "page": page},
        tags=[cache.AUTHOR_INDEX, *(cache.author_tag(a.pk) for a in shown)],
        changed=[],
    )


@router.get(
    "/authors/{slug}", response={200: schemas.Author, **REFUSALS}, summary="One author"
)
def get_author(request: HttpRequest, slug: str = SlugPath) -> HttpResponse:
    rows = Author.objects.select_related("avatar").filter(slug=slug)
    author: Author = get_or_404(rows, "author")
    return document(
        request,
        schemas.Author,
        serialize.author_data(request, author),
        tags=[cache.author_tag(author.pk), cache.image_tag(author.avatar_id)],
        changed=[],
    )
