"""The Content API (``/ghost/api/content/``): published articles, read only.

Only what ``ArticlePage.objects.published()`` gives, the one rule of what
readers may see (content/visibility.py); a gated article shows the part
everyone reads (posts.py). Tags and authors are those with a public article,
so a tag used only on a draft does not announce the story.
"""

from collections.abc import Callable
from dataclasses import dataclass
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


@ghost_view("GET")
def post_list(request: HttpRequest) -> HttpResponse:
    content_integration(request)
    browse = posts.browse(request)
    rows, meta = page_of(posts.with_rows(_public_articles()), browse)
    shown = _shown(request, browse)
    return json_response(
        {"posts": [posts.post_json(a, shown) for a in rows], "meta": meta}
    )


@ghost_view("GET")
def post_detail(
    request: HttpRequest, pk: str | None = None, slug: str | None = None
) -> HttpResponse:
    content_integration(request)
    browse = posts.browse(request)
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
    rows, meta = page_of(ArticlePage.objects.none(), posts.browse(request))
    return json_response({"pages": rows, "meta": meta})


@ghost_view("GET")
def page_detail(
    request: HttpRequest, pk: str | None = None, slug: str | None = None
) -> HttpResponse:
    content_integration(request)
    raise NotFound("Page not found.", code="RESOURCE_NOT_FOUND")


def _with_post_count[M: (Tag, Author)](
    rows: "QuerySet[M]", include: set[str]
) -> "QuerySet[M]":
    """``rows`` with ``post_count``, their public articles, if ``include`` asks."""
    if "count.posts" not in include:
        return rows
    return rows.annotate(
        post_count=Count("article_rows", filter=public_q("article_rows__article__"))
    )


def _public_tags(include: set[str]) -> "QuerySet[Tag]":
    rows = ArticleTag.objects.filter(public_q("article__"))
    return _with_post_count(Tag.objects.filter(pk__in=rows.values("tag_id")), include)


def _public_authors(include: set[str]) -> "QuerySet[Author]":
    rows = ArticleAuthor.objects.filter(public_q("article__"))
    authors = Author.objects.filter(pk__in=rows.values("author_id"))
    return _with_post_count(authors.select_related("avatar"), include)


@dataclass(frozen=True)
class _People[M: (Tag, Author)]:
    """Tags or authors as the Content API browses and reads them."""

    key: str
    label: str
    public: Callable[[set[str]], "QuerySet[M]"]
    filters: dict[str, params.Handler]
    as_json: Callable[[M, HttpRequest], dict[str, Any]]

    def json(self, row: M, request: HttpRequest, fields: set[str]) -> dict[str, Any]:
        data = self.as_json(row, request)
        return {k: v for k, v in data.items() if k in fields} if fields else data


TAGS = _People("tags", "Tag", _public_tags, people.TAG_FILTERS, people.tag_json)
AUTHORS = _People(
    "authors", "Author", _public_authors, people.AUTHOR_FILTERS, people.author_json
)


def _browse_people[M: (Tag, Author)](
    request: HttpRequest, kind: _People[M]
) -> HttpResponse:
    content_integration(request)
    browse = people.browse(request, kind.filters)
    rows, meta = page_of(kind.public(browse.include), browse)
    shown = [kind.json(row, request, browse.fields) for row in rows]
    return json_response({kind.key: shown, "meta": meta})


def _read_person[M: (Tag, Author)](
    request: HttpRequest, kind: _People[M], pk: str | None, slug: str | None
) -> HttpResponse:
    content_integration(request)
    browse = people.browse(request, kind.filters)
    number = object_id(pk, kind.label)
    lookup = Q(pk=number) if number else Q(slug=slug)
    row = kind.public(browse.include).filter(lookup).first()
    if row is None:
        raise NotFound(f"{kind.label} not found.", code="RESOURCE_NOT_FOUND")
    return json_response({kind.key: [kind.json(row, request, browse.fields)]})


@ghost_view("GET")
def tag_list(request: HttpRequest) -> HttpResponse:
    return _browse_people(request, TAGS)


@ghost_view("GET")
def tag_detail(
    request: HttpRequest, pk: str | None = None, slug: str | None = None
) -> HttpResponse:
    return _read_person(request, TAGS, pk, slug)


@ghost_view("GET")
def author_list(request: HttpRequest) -> HttpResponse:
    return _browse_people(request, AUTHORS)


@ghost_view("GET")
def author_detail(
    request: HttpRequest, pk: str | None = None, slug: str | None = None
) -> HttpResponse:
    return _read_person(request, AUTHORS, pk, slug)


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
        **people.SOCIAL_CARDS,
        "members_support_address": None,
        "url": request.build_absolute_uri("/"),
    }


@ghost_view("GET")
def settings_detail(request: HttpRequest) -> HttpResponse:
    content_integration(request)
    return json_response({"settings": publication(request), "meta": {}})
