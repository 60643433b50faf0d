"""The Admin API: create, change and publish articles, notices, posts, images.

Bearer-authenticated only (auth.AdminKey): session cookies are never read,
so the router needs no CSRF token. Every write goes through writes.py, in
one transaction, recorded as the integration's acting user.
"""

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from masthead.content.models import ArticlePage

from . import schemas, writes
from .auth import AdminKey, require_scope
from .errors import not_found
from .models import Scope
from .serialize import absolute, feed_item_data, link

router = Router(auth=AdminKey(), tags=["Admin API"])

MAX_ID = 2**31 - 1
REFUSALS: dict[int, Any] = {
    400: schemas.Problems,
    401: schemas.Problems,
    403: schemas.Problems,
    404: schemas.Problems,
}


def status_of(page: ArticlePage) -> str:
    if page.live:
        return "published"
    if page.scheduled_revision is not None:
        return "scheduled"
    return "unpublished" if page.first_published_at else "draft"


def admin_article(request: HttpRequest, page: ArticlePage) -> dict[str, Any]:
    section = page.section
    latest = page.get_latest_revision_as_object()
    scheduled = page.scheduled_revision
    return {
        "id": page.pk,
        "slug": page.slug,
        "title": latest.title,
        "standfirst": latest.standfirst,
        "section": link(section.pk, section.slug, section.title) if section else None,
        "status": status_of(page),
        "is_live": page.live,
        "has_unpublished_changes": page.has_unpublished_changes,
        "go_live_at": scheduled.approved_go_live_at if scheduled else None,
        "published_at": page.published_at,
        "url": page.get_full_url(request) if page.live else None,
        "access": latest.access,
    }


@router.post(
    "/articles",
    response={201: schemas.AdminArticle, **REFUSALS},
    summary="Create a draft article",
)
def create_article(request: HttpRequest, payload: schemas.ArticleIn) -> Any:
    integration = require_scope(request, Scope.ARTICLES_WRITE)
    page = writes.create(payload, integration)
    return Status(201, admin_article(request, page))


@router.get(
    "/articles/{id}",
    response={200: schemas.AdminArticle, **REFUSALS},
    summary="An article in any state: draft, scheduled, published",
)
def get_article(request: HttpRequest, id: int) -> Any:
    require_scope(request, Scope.ARTICLES_WRITE)
    return admin_article(request, writes.article(_id(id)))


@router.patch(
    "/articles/{id}",
    response={200: schemas.AdminArticle, **REFUSALS},
    summary="Change an article (a new revision; publish to make it live)",
)
def update_article(
    request: HttpRequest,
    id: int,
    payload: schemas.ArticlePatch,
) -> Any:
    integration = require_scope(request, Scope.ARTICLES_WRITE)
    page = writes.update(writes.article(_id(id)), payload, integration)
    return admin_article(request, page)


@router.post(
    "/articles/{id}/publish",
    response={200: schemas.AdminArticle, **REFUSALS},
    summary="Publish now, or schedule with a future go_live_at",
)
def publish_article(
    request: HttpRequest,
    id: int,
    payload: schemas.PublishIn,
) -> Any:
    integration = require_scope(request, Scope.ARTICLES_PUBLISH)
    page = writes.publish(writes.article(_id(id)), payload.go_live_at, integration)
    return admin_article(request, page)


@router.post(
    "/articles/{id}/unpublish",
    response={200: schemas.AdminArticle, **REFUSALS},
    summary="Take an article off the site",
)
def unpublish_article(request: HttpRequest, id: int) -> Any:
    integration = require_scope(request, Scope.ARTICLES_PUBLISH)
    page = writes.unpublish(writes.article(_id(id)), integration)
    return admin_article(request, page)


@router.post(
    "/articles/{id}/corrections",
    response={201: schemas.Correction, **REFUSALS},
    summary="Issue a correction or notice on a published article",
)
def issue_correction(
    request: HttpRequest,
    id: int,
    payload: schemas.CorrectionIn,
) -> Any:
    integration = require_scope(request, Scope.CORRECTIONS_WRITE)
    page = writes.article(_id(id))
    correction = writes.correct(page, payload, integration)
    return Status(
        201,
        {
            "id": correction.pk,
            "kind": correction.kind,
            "text": correction.text,
            "published_at": correction.published_at,
            "article_id": page.pk,
            "article_title": page.title,
            "article_url": page.get_full_url(request),
        },
    )


@router.post(
    "/news-feed",
    response={201: schemas.FeedItem, **REFUSALS},
    summary="Post a News Feed item",
)
def post_feed_item(request: HttpRequest, payload: schemas.FeedItemIn) -> Any:
    integration = require_scope(request, Scope.NEWSFEED_WRITE)
    return Status(201, feed_item_data(request, writes.post(payload, integration)))


@router.post(
    "/images",
    response={201: schemas.ImageOut, **REFUSALS},
    summary="Upload an image to the library (multipart/form-data)",
)
def upload_image(
    request: HttpRequest,
    file: File[UploadedFile],
    title: Form[str] = "",
    alt_text: Form[str] = "",
    credit: Form[str] = "",
) -> Any:
    require_scope(request, Scope.IMAGES_WRITE)
    image = writes.upload(
        file,
        **{
            name: value.replace("\x00", "")[:255]
            for name, value in (
                ("title", title),
                ("alt_text", alt_text),
                ("credit", credit),
            )
        },
    )
    return Status(
        201,
        {
            "id": image.pk,
            "title": image.title,
            "url": absolute(request, image.file.url),
            "width": image.width,
            "height": image.height,
            "alt_text": image.alt_text,
            "credit": image.credit,
        },
    )


def _id(value: int) -> int:
    """Ids past the column's range are unknown, not a database error."""
    if not 1 <= value <= MAX_ID:
        raise not_found("article")
    return value
