"""The Content API (``/ghost/api/content/``): published articles, read only.

Only what ``ArticlePage.objects.published()`` gives, the one rule of what
readers may see (content/visibility.py); a gated article shows the part
everyone reads (posts.py). Tags and authors are those with a public article,
so a tag used only on a draft does not announce the story.
"""

from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from wagtail.models import Site

from masthead.content.models import ArticleAuthor, ArticlePage, ArticleTag
from masthead.content.visibility import public_q
from masthead.core.models import SiteSettings
from masthead.people.models import Author
from masthead.taxonomy.models import Tag

from . import params, people, posts
from .auth import content_integration
from .errors import NotFound, json_response
from .responses import ghost_view, object_id, page_of


def _public_articles() -> Any:
    return ArticlePage.objects.published()


def _shown(request: HttpRequest, browse: params.Browse) -> posts.Shown:
    return posts.Shown(
        request,
        include=browse.include,
        formats=browse.formats,
        fields=browse.fields,
        featured_ids=posts.featured_ids(),
    )


def _post_browse(request: HttpRequest) -> params.Browse:
    return params.parse_browse(
        request.GET,
        includes=posts.POST_INCLUDES,
        orders=posts.POST_ORDERS,
        default_order=posts.DEFAULT_ORDER,
        handlers=posts.CONTENT_FILTERS,
    )


@ghost_view("GET")
def post_list(request: HttpRequest) -> HttpResponse:
    content_integration(request)
    browse = _post_browse(request)
    articles = posts.with_rows(
        _public_articles().filter(browse.filter).order_by(*browse.order)
    )
    rows, meta = page_of(articles, browse)
    shown = _shown(request, browse)
    return json_response(
        {"posts": [posts.post_json(a, shown) for a in rows], "meta": meta}
    )


@ghost_view("GET")
def post_detail(
    request: HttpRequest, pk: str | None = None, slug: str | None = None
) -> HttpResponse:
    content_integration(request)
    browse = _post_browse(request)
    number = object_id(pk, "Post")
    found = _public_articles().filter(pk=number) if number else _public_articles()
    if slug is not None:
        found = found.filter(slug=slug)
    article = posts.with_rows(
        found.filter(browse.filter).order_by(*browse.order)
    ).first()
    if article is None:
        raise NotFound("Post not found.", code="RESOURCE_NOT_FOUND")
    # No ``meta``: Ghost's clients then return the post itself.
    return json_response({"posts": [posts.post_json(article, _shown(request, browse))]})


@ghost_view("GET")
def page_list(request: HttpRequest) -> HttpResponse:
    """Masthead's pages are not Ghost pages: an empty list of the right shape."""
    content_integration(request)
    browse = params.parse_browse(
        request.GET,
        includes=posts.POST_INCLUDES,
        orders=posts.POST_ORDERS,
        default_order=posts.DEFAULT_ORDER,
        handlers=posts.CONTENT_FILTERS,
    )
    rows, meta = page_of(ArticlePage.objects.none(), browse)
    return json_response({"pages": rows, "meta": meta})


@ghost_view("GET")
def page_detail(
    request: HttpRequest, pk: str | None = None, slug: str | None = None
) -> HttpResponse:
    content_integration(request)
    raise NotFound("Page not found.", code="RESOURCE_NOT_FOUND")


def _public_tags(include: set[str]) -> "QuerySet[Tag]":
    rows = ArticleTag.objects.filter(public_q("article__"))
    tags = Tag.objects.filter(pk__in=rows.values("tag_id"))
    if "count.posts" in include:
        tags = tags.annotate(
            post_count=Count("article_rows", filter=public_q("article_rows__article__"))
        )
    return tags


def _public_authors(include: set[str]) -> "QuerySet[Author]":
    rows = ArticleAuthor.objects.filter(public_q("article__"))
    authors = Author.objects.filter(pk__in=rows.values("author_id")).select_related(
        "avatar"
    )
    if "count.posts" in include:
        authors = authors.annotate(
            post_count=Count("article_rows", filter=public_q("article_rows__article__"))
        )
    return authors


def _people_browse(
    request: HttpRequest, handlers: dict[str, params.Handler]
) -> params.Browse:
    return params.parse_browse(
        request.GET,
        includes=people.COUNT_INCLUDES,
        orders=people.ORDERS,
        default_order=["name", "pk"],
        handlers=handlers,
    )


def _only(data: dict[str, Any], fields: set[str]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in fields} if fields else data


@ghost_view("GET")
def tag_list(request: HttpRequest) -> HttpResponse:
    content_integration(request)
    browse = _people_browse(request, people.TAG_FILTERS)
    tags = _public_tags(browse.include).filter(browse.filter).order_by(*browse.order)
    rows, meta = page_of(tags, browse)
    return json_response(
        {
            "tags": [_only(people.tag_json(t, request), browse.fields) for t in rows],
            "meta": meta,
        }
    )


@ghost_view("GET")
def tag_detail(
    request: HttpRequest, pk: str | None = None, slug: str | None = None
) -> HttpResponse:
    content_integration(request)
    browse = _people_browse(request, people.TAG_FILTERS)
    number = object_id(pk, "Tag")
    lookup = Q(pk=number) if number else Q(slug=slug)
    tag = _public_tags(browse.include).filter(lookup).first()
    if tag is None:
        raise NotFound("Tag not found.", code="RESOURCE_NOT_FOUND")
    return json_response(
        {"tags": [_only(people.tag_json(tag, request), browse.fields)]}
    )


@ghost_view("GET")
def author_list(request: HttpRequest) -> HttpResponse:
    content_integration(request)
    browse = _people_browse(request, people.AUTHOR_FILTERS)
    authors = (
        _public_authors(browse.include).filter(browse.filter).order_by(*browse.order)
    )
    rows, meta = page_of(authors, browse)
    return json_response(
        {
            "authors": [
                _only(people.author_json(a, request), browse.fields) for a in rows
            ],
            "meta": meta,
        }
    )


@ghost_view("GET")
def author_detail(
    request: HttpRequest, pk: str | None = None, slug: str | None = None
) -> HttpResponse:
    content_integration(request)
    browse = _people_browse(request, people.AUTHOR_FILTERS)
    number = object_id(pk, "Author")
    lookup = Q(pk=number) if number else Q(slug=slug)
    author = _public_authors(browse.include).filter(lookup).first()
    if author is None:
        raise NotFound("Author not found.", code="RESOURCE_NOT_FOUND")
    return json_response(
        {"authors": [_only(people.author_json(author, request), browse.fields)]}
    )


def publication(request: HttpRequest) -> dict[str, Any]:
    """The publication's identity in Ghost's ``settings`` shape (the common part)."""
    site = Site.find_for_request(request)
    found = SiteSettings.for_site(site) if site else None
    logo = found.logo if found else None
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "title": found.publication_name if found else "Masthead News",
        "description": (found.tagline if found else "") or "",
        "logo": request.build_absolute_uri(logo.file.url) if logo else None,
        "icon": None,
        "accent_color": None,
        "cover_image": None,
        "facebook": None,
        "twitter": None,
        "lang": language,
        "locale": language,
        "timezone": settings.TIME_ZONE,
        "codeinjection_head": None,
        "codeinjection_foot": None,
        "navigation": [],
        "secondary_navigation": [],
        "meta_title": None,
        "meta_description": None,
        "og_image": None,
        "og_title": None,
        "og_description": None,
        "twitter_image": None,
        "twitter_title": None,
        "twitter_description": None,
        "members_support_address": None,
        "url": request.build_absolute_uri("/"),
    }


@ghost_view("GET")
def settings_detail(request: HttpRequest) -> HttpResponse:
    content_integration(request)
    return json_response({"settings": publication(request), "meta": {}})
