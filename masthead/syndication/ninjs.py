"""NINJS 2.0 (IPTC's News in JSON) of a public article, for news agencies' tools.

``/ninjs/<id>.json`` serves one public article as a ninjs 2.0 object
(https://iptc.org/std/ninjs/, ``ninjs-schema_2.0.json``; the tests validate
against it). The body is what everyone may read (``body_html``): of a gated
article that is the part above the gate, and the object then says
``representationtype: partial`` (#17). The hero image is an association of
type ``picture`` with its rendition.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from masthead import cache
from masthead.cache import Profile, apply_profile
from masthead.cache.pages import site_context
from masthead.content.models import ArticleAuthor, ArticlePage, ArticleTag
from masthead.core.editions import locale_code

from .entries import article_guid, hero_image

NINJS_CONTENT_TYPE = "application/json; charset=utf-8"
NINJS_PROFILE = "masthead-article"
# Bump when the document's shape changes, so cached copies revalidate to 200.
NINJS_FORMAT_VERSION = "1"
# Ids past this are no row (and would overflow the database's integer).
MAX_ID = 2**31 - 1


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def changed_at(article: ArticlePage) -> datetime | None:
    """The article's last change as readers see it (publication or update)."""
    times = [t for t in (article.published_at, article.updated_at) if t]
    return max(times, default=None)


def hero_association(
    request: HttpRequest, article: ArticlePage
) -> dict[str, Any] | None:
    """The hero image as a ninjs ``picture``, or None without one (or while a
    large original's rendition is still being made, #13)."""
    image = hero_image(request, article)
    if image is None:
        return None
    picture: dict[str, Any] = {
        "name": "hero",
        "uri": f"urn:masthead:image:{article.hero_image_id}",
        "type": "picture",
        "renditions": [
            {
                "name": "web",
                "href": image.url,
                "contenttype": image.mime_type,
                "width": image.width,
                "height": image.height,
            }
        ],
    }
    if image.alt:
        picture["descriptions"] = [{"role": "alt", "value": image.alt}]
    if article.hero_caption:
        picture["headlines"] = [{"role": "caption", "value": article.hero_caption}]
    return picture


def ninjs_article(request: HttpRequest, article: ArticlePage) -> dict[str, Any]:
    """The ninjs 2.0 object of a public ``article`` (never its gated part).

    The caller checks that the article is public (views.py).
    """
    language = locale_code(article.locale_id)
    absolute = request.build_absolute_uri
    url = absolute(article.get_url(request) or article.url_path)
    authors = article.ordered_authors()
    publication = site_context(request)["site_settings"].publication_name
    updated = changed_at(article)
    document: dict[str, Any] = {
        "uri": article_guid(article.pk),
        "type": "text",
        "representationtype": "partial" if article.is_gated else "full",
        "profile": NINJS_PROFILE,
        "version": str(int(updated.timestamp())) if updated else "1",
        "firstcreated": _time(article.first_published_at or article.published_at),
        "versioncreated": _time(updated),
        "contentcreated": _time(article.published_at),
        "pubstatus": "usable",
        "language": language,
        "headlines": [{"role": "main", "value": article.title}],
        "bodies": [
            {"role": "main", "contenttype": "text/html", "value": article.body_html}
        ],
        "altids": [{"role": "url", "value": url}],
        "genres": [{"name": article.get_genre_display(), "literal": article.genre}],
    }
    if article.standfirst:
        document["descriptions"] = [
            {
                "role": "summary",
                "contenttype": "text/plain",
                "value": article.standfirst,
            }
        ]
    if authors:
        names = [author.name_in(language) for author in authors]
        document["by"] = ", ".join(names)
        document["people"] = [
            {
                "name": name,
                "rel": "author",
                "uri": absolute(author.get_absolute_url()),
                "literal": author.slug,
            }
            for name, author in zip(names, authors, strict=True)
        ]
    tags = article.ordered_tags()
    if tags:
        document["subjects"] = [
            {
                "name": tag.name_in(language),
                "rel": "about",
                "uri": absolute(tag.get_absolute_url()),
                "literal": tag.slug,
            }
            for tag in tags
        ]
    if publication:
        document["copyrightholder"] = publication
        year = f"{article.published_at:%Y} " if article.published_at else ""
        document["copyrightnotice"] = f"© {year}{publication}"
    if (hero := hero_association(request, article)) is not None:
        document["associations"] = [hero]
    return document


def public_article(article_id: int) -> ArticlePage:
    """The public article ``article_id`` with what ``ninjs_article`` reads.

    Raises:
        Http404: no such article, or readers may not see it.
    """
    if article_id > MAX_ID:
        raise Http404("No such article")
    article: ArticlePage | None = (
        ArticlePage.objects.published()
        .filter(pk=article_id)
        .select_related("hero_image")
        .prefetch_related(
            Prefetch(
                "article_authors",
                queryset=ArticleAuthor.objects.select_related("author").order_by(
                    "sort_order"
                ),
            ),
            Prefetch(
                "article_tags",
                queryset=ArticleTag.objects.select_related("tag").order_by(
                    "sort_order"
                ),
            ),
        )
        .first()
    )
    if article is None:
        raise Http404("No such article")
    return article


@require_safe
def ninjs_view(request: HttpRequest, article_id: int) -> HttpResponse:
    """``/ninjs/<id>.json``: a public article in ninjs 2.0, cached like feeds."""
    article = public_article(article_id)
    changed = changed_at(article)
    stamp = "|".join(
        str(value)
        for value in (
            NINJS_FORMAT_VERSION,
            article.pk,
            changed,
            article.last_published_at,
            article.live_revision_id,
        )
    )
    etag = f'W/"{hashlib.blake2b(stamp.encode(), digest_size=16).hexdigest()}"'
    last_modified = int(changed.timestamp()) if changed else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        cache.tag_articles(request, [article])
        response = JsonResponse(
            ninjs_article(request, article),
            content_type=NINJS_CONTENT_TYPE,
            json_dumps_params={"ensure_ascii": False},
        )
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    return apply_profile(response, Profile.FEED)
