"""The Admin API's writes, each through the apps' own services (docs/api.md).

Articles are created and changed as Wagtail revisions recorded as the
integration's acting user; publishing, scheduling and unpublishing are
Wagtail's own actions, so the publishing pipeline (cache purges, search,
webhooks) reacts exactly as to an editor. Each function runs in one
transaction; bad input raises ``ApiError`` naming the field.
"""

import hashlib
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from wagtail.models import Collection

from masthead.content import services as content_services
from masthead.content.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    Correction,
    SectionPage,
)
from masthead.content.visibility import is_public
from masthead.core.image_checks import ImageRefused, check_image
from masthead.core.models import LibraryImage
from masthead.feed import services as feed_services
from masthead.feed.models import NewsFeedItem
from masthead.people.models import Author
from masthead.taxonomy.models import Tag

from . import schemas
from .bodies import BodyError, body_blocks, rich_text
from .errors import bad_input, not_found
from .models import Integration


def _by_slugs[M: (Author, Tag)](
    model: type[M], slugs: list[str], field: str
) -> list[M]:
    found = {row.slug: row for row in model.objects.filter(slug__in=slugs)}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise bad_input(field, f"Unknown: {', '.join(unknown[:5])}.")
    return [found[slug] for slug in dict.fromkeys(slugs)]


def _image(pk: int | None, field: str) -> LibraryImage | None:
    if pk is None:
        return None
    image: LibraryImage | None = LibraryImage.objects.filter(pk=pk).first()
    if image is None:
        raise bad_input(field, "No such image.")
    return image


def _body(html: str) -> list[tuple[str, Any]]:
    try:
        return body_blocks(html)
    except BodyError as exc:
        raise bad_input("body_html", str(exc)) from exc


def _apply(page: ArticlePage, data: dict[str, Any]) -> None:
    """Set the fields ``data`` names on ``page`` (a revision's object)."""
    for name in ("title", "standfirst", "access"):
        if data.get(name) is not None:
            setattr(page, name, data[name])
    if data.get("body_html") is not None:
        page.body = _body(data["body_html"])
    if data.get("authors") is not None:
        page.article_authors = [
            ArticleAuthor(author=author, sort_order=n)
            for n, author in enumerate(_by_slugs(Author, data["authors"], "authors"))
        ]
    if data.get("tags") is not None:
        page.article_tags = [
            ArticleTag(tag=tag, sort_order=n)
            for n, tag in enumerate(_by_slugs(Tag, data["tags"], "tags"))
        ]
    if "hero_image_id" in data and data["hero_image_id"] is not None:
        page.hero_image = _image(data["hero_image_id"], "hero_image_id")


def _validated(page: ArticlePage, *, in_tree: bool = True) -> None:
    """Refuse a body the editor would refuse (content/blocks.py), naming it."""
    stream = ArticlePage._meta.get_field("body").stream_block
    try:
        stream.clean(page.body)
    except ValidationError as error:
        raise bad_input("body_html", " ".join(error.messages)) from error
    if in_tree:
        # A new page is checked by ``add_child`` once it has its place.
        page.full_clean(exclude=["body"])


def article(pk: int) -> ArticlePage:
    found: ArticlePage | None = ArticlePage.objects.filter(pk=pk).first()
    if found is None:
        raise not_found("article")
    return found


@transaction.atomic
def create(data: schemas.ArticleIn, integration: Integration) -> ArticlePage:
    """A new draft under the section ``data.section`` names."""
    section = SectionPage.objects.filter(slug=data.section).order_by("pk").first()
    if section is None:
        raise bad_input("section", "No such section.")
    slug = data.slug or feed_services.draft_slug(
        section, data.title, fallback="article"
    )
    if data.slug and section.get_children().filter(slug=data.slug).exists():
        raise bad_input("slug", "Another page of the section has this slug.")
    page = ArticlePage(title=data.title, slug=slug, owner=integration.acting_user)
    _apply(page, data.dict())
    _validated(page, in_tree=False)
    return content_services.create_article(
        section, page, user=integration.acting_user, publish=False
    )


@transaction.atomic
def update(
    page: ArticlePage, data: schemas.ArticlePatch, integration: Integration
) -> ArticlePage:
    """A new revision with the changes; a live article shows it once published."""
    draft: ArticlePage = page.get_latest_revision_as_object()
    _apply(draft, data.dict(exclude_unset=True))
    _validated(draft)
    draft.save_revision(user=integration.acting_user, log_action=True)
    page.refresh_from_db()
    return page


@transaction.atomic
def publish(
    page: ArticlePage, go_live_at: datetime | None, integration: Integration
) -> ArticlePage:
    """Publish the latest revision now, or schedule it for ``go_live_at``."""
    user = integration.acting_user
    if go_live_at is not None:
        if timezone.is_naive(go_live_at):
            go_live_at = go_live_at.replace(tzinfo=UTC)
        try:
            go_live_at.astimezone(UTC)
        except (OverflowError, ValueError) as exc:
            raise bad_input("go_live_at", "Out of range.") from exc
    if go_live_at is not None and go_live_at > timezone.now():
        # Case: Wagtail's scheduled publishing: the revision is approved
        # now and made live by ``publish_scheduled`` at its time.
        draft: ArticlePage = page.get_latest_revision_as_object()
        draft.go_live_at = go_live_at
        draft.save_revision(user=user, log_action=True).publish(user=user)
        page.refresh_from_db()
        return page
    if page.go_live_at is not None or (
        page.latest_revision is not None
        and page.get_latest_revision_as_object().go_live_at is not None
    ):
        # Case: published now what was scheduled for later.
        draft = page.get_latest_revision_as_object()
        draft.go_live_at = None
        draft.save_revision(user=user, log_action=True)
        page.refresh_from_db()
    return content_services.publish_article(page, user=user)


@transaction.atomic
def unpublish(page: ArticlePage, integration: Integration) -> ArticlePage:
    if page.live:
        page.unpublish(user=integration.acting_user, log_action=True)
        page.refresh_from_db()
    return page


@transaction.atomic
def correct(
    page: ArticlePage, data: schemas.CorrectionIn, integration: Integration
) -> Correction:
    if not is_public(page):
        raise bad_input("id", "Only a published article takes a correction.")
    return content_services.issue_correction(
        page, data.kind, data.text, user=integration.acting_user
    )


@transaction.atomic
def post(data: schemas.FeedItemIn, integration: Integration) -> NewsFeedItem:
    linked = None
    if data.article_id is not None:
        linked = ArticlePage.objects.published().filter(pk=data.article_id).first()
        if linked is None:
            raise bad_input("article_id", "No such published article.")
    body = rich_text(data.body_html)
    return feed_services.post_item(
        headline=data.headline,
        body=body,
        article=linked,
        is_pinned=data.is_pinned,
        image=_image(data.image_id, "image_id"),
        image_caption=data.image_caption,
        user=integration.acting_user,
    )


@transaction.atomic
def upload(
    file: "UploadedFile[bytes]", *, title: str, alt_text: str, credit: str
) -> LibraryImage:
    """A library image from an upload, checked as every upload path checks it.

    The storage strips location data from every file it saves
    (core/storage.py); ``check_image`` refuses damaged and oversized files.
    """
    if file.size is None or file.size > settings.MASTHEAD_API_MAX_UPLOAD_BYTES:
        raise bad_input("file", "The file is too large.")
    name = (file.name or "upload").replace("\x00", "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in settings.WAGTAILIMAGES_EXTENSIONS:
        raise bad_input("file", "Not an image file name (.jpg, .png, .webp...).")
    try:
        check_image(file)
    except ImageRefused as exc:
        raise bad_input("file", str(exc)) from exc
    data = file.read()
    image = LibraryImage(
        title=title or name,
        description=alt_text,
        credit=credit,
        collection=Collection.get_first_root_node(),
        file=ImageFile(file, name=name),
        file_size=len(data),
        file_hash=hashlib.sha1(data, usedforsecurity=False).hexdigest(),
    )
    file.seek(0)
    image.full_clean(exclude=["file", "file_hash", "focal_point_x"])
    image.save()
    return image
