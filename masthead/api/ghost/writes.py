"""Admin API writes: posts, tags and images, each in one transaction.

Articles are written through content/services.py and Wagtail's revisions,
recorded as the integration's ``acting_user``, so the history, audit log
and publishing pipeline (purges, feeds, search) see them as any other edit.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import Collection

from masthead.api.models import Integration, Scope
from masthead.content import services
from masthead.content.models import ArticleAuthor, ArticlePage, ArticleTag, SectionPage
from masthead.core.images import UnsupportedImage, strip_location
from masthead.core.models import LibraryImage
from masthead.core.slugs import slug_from_text
from masthead.core.text import strip_tags
from masthead.people.models import Author
from masthead.taxonomy.models import Tag

from .. import bodies
from . import lexical
from .errors import (
    Invalid,
    NoPermission,
    NotFound,
    UnsupportedMedia,
    UpdateCollision,
)
from .posts import ACCESS_OF, post_status

STATUSES = ("draft", "published", "scheduled")
MAX_TITLE = 255
MAX_TAGS = 50
MAX_IMAGE_BYTES = 20 * 1024 * 1024
# Ghost refuses to schedule closer than two minutes ahead; so does Masthead.
SCHEDULE_AHEAD = timedelta(minutes=2)


def require(integration: Integration, scope: str) -> None:
    """Raises NoPermission, Ghost's 403, when the integration lacks ``scope``."""
    if not integration.has_scope(scope):
        raise NoPermission(
            "You do not have permission to perform this action",
            context=f"The integration needs the {scope!r} scope.",
            code="NO_PERMISSION",
        )


@dataclass
class PostInput:
    """The fields of a Ghost post that Masthead keeps, read from the body."""

    given: set[str] = field(default_factory=set)
    fields: dict[str, Any] = field(default_factory=dict)
    blocks: list[bodies.Block] | None = None
    tags: list[Tag] | None = None
    authors: list[Author] | None = None
    status: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None


def read_post(data: Any, *, source_html: bool) -> PostInput:
    """Check and convert one post of a request body.

    Raises:
        Invalid: a field of the wrong type or value.
    """
    if not isinstance(data, dict):
        raise Invalid("Validation error: posts[0] must be an object.")
    post = PostInput(given=set(data))
    for name, target, limit in (
        ("title", "title", MAX_TITLE),
        ("slug", "slug", 80),
        ("custom_excerpt", "standfirst", 300),
        ("feature_image_alt", "hero_alt_text", 300),
        ("feature_image_caption", "hero_caption", 500),
        ("meta_title", "seo_title", 255),
        ("meta_description", "search_description", 500),
    ):
        if name in data:
            value = data[name] if data[name] is not None else ""
            if not isinstance(value, str) or len(value) > limit:
                raise Invalid(
                    f"Validation error: {name} must be text of at most "
                    f"{limit} characters.",
                    property=name,
                )
            post.fields[target] = (
                strip_tags(value).strip() if target == "hero_caption" else value.strip()
            )
    if "slug" in post.fields:
        post.fields["slug"] = slug_from_text(post.fields["slug"])
    if "feature_image" in data:
        url = data["feature_image"]
        image = bodies.library_image(url) if isinstance(url, str) else None
        if url and image is None:
            raise Invalid(
                "Validation error: feature_image must be an image uploaded through "
                "/images/upload/.",
                property="feature_image",
            )
        post.fields["hero_image"] = image
    if "visibility" in data:
        if data["visibility"] not in ("public", "members", "paid"):
            raise Invalid(
                "Validation error: visibility is public, members or paid.",
                property="visibility",
            )
        post.fields["access"] = ACCESS_OF[data["visibility"]]
    post.blocks = _blocks(data, source_html)
    if "tags" in data:
        post.tags = _tags(data["tags"])
    if "authors" in data:
        post.authors = _authors(data["authors"])
    if "status" in data:
        if data["status"] not in STATUSES:
            raise Invalid("Validation error: status is draft, published or scheduled.")
        post.status = data["status"]
    post.published_at = _moment(data, "published_at")
    post.updated_at = _moment(data, "updated_at")
    return post


def _moment(data: dict[str, Any], name: str) -> datetime | None:
    value = data.get(name)
    if value is None:
        return None
    moment = None
    try:
        moment = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None:
        raise Invalid(
            f"Validation error: {name} must be an ISO 8601 time.", property=name
        )
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


def _blocks(data: dict[str, Any], source_html: bool) -> list[bodies.Block] | None:
    """The body from ``lexical``, or ``html`` when ``?source=html`` (as Ghost)."""
    if data.get("mobiledoc"):
        raise Invalid(
            "Validation error: mobiledoc is not supported; send lexical, or html "
            "with ?source=html.",
            property="mobiledoc",
        )
    html = None
    if data.get("lexical"):
        try:
            html = lexical.to_html(data["lexical"])
        except lexical.LexicalError as error:
            raise Invalid(f"Validation error: {error}.", property="lexical") from error
    elif source_html and "html" in data:
        if not isinstance(data["html"], str | None):
            raise Invalid("Validation error: html must be text.", property="html")
        html = data["html"] or ""
    if html is None:
        return None
    try:
        return bodies.body_blocks(html)
    except bodies.BodyError as error:
        raise Invalid(f"Validation error: {error}.") from error


def _tags(items: Any) -> list[Tag]:
    """Tags by id, slug or name; new names become new tags, as in Ghost."""
    if not isinstance(items, list) or len(items) > MAX_TAGS:
        raise Invalid(f"Validation error: tags is a list of at most {MAX_TAGS}.")
    tags: list[Tag] = []
    for item in items:
        spec = {"name": item} if isinstance(item, str) else item
        if not isinstance(spec, dict):
            raise Invalid("Validation error: a tag is a name or an object.")
        name, slug, pk = (
            str(spec.get(k) or "").strip() for k in ("name", "slug", "id")
        )
        if name.startswith("#"):
            continue  # Ghost's internal tags: nothing to show readers.
        tag = (
            (Tag.objects.filter(pk=int(pk)).first() if pk.isdigit() else None)
            or (Tag.objects.filter(slug=slug).first() if slug else None)
            or (Tag.objects.filter(name__iexact=name).first() if name else None)
        )
        if tag is None:
            tag = create_tag(name or slug, slug)
        if tag not in tags:
            tags.append(tag)
    return tags


def create_tag(name: str, slug: str = "", description: str = "") -> Tag:
    """A new tag; Raises Invalid when it has no name or its slug is taken."""
    name = name.strip()[:100]
    slug = slug_from_text(slug or name)[:100]
    if not name or not slug:
        raise Invalid("Validation error: a new tag needs a name.", property="name")
    if Tag.objects.filter(slug=slug).exists():
        raise Invalid(
            f"Validation error: the tag slug {slug!r} is taken.", property="slug"
        )
    tag = Tag(name=name, slug=slug, description=description[:2000])
    tag.full_clean()
    tag.save()
    return tag


def _authors(items: Any) -> list[Author]:
    if not isinstance(items, list) or len(items) > 20:
        raise Invalid("Validation error: authors is a list of at most 20.")
    authors: list[Author] = []
    for item in items:
        spec = item if isinstance(item, dict) else {"slug": item}
        pk, slug = (str(spec.get(k) or "") for k in ("id", "slug"))
        author = (
            Author.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
        ) or (Author.objects.filter(slug=slug).first() if slug else None)
        if author is None:
            raise Invalid(
                f"Validation error: no author {pk or slug or item!r}; "
                "give an id or slug.",
                property="authors",
            )
        if author not in authors:
            authors.append(author)
    return authors


def pick_section(tags: list[Tag]) -> SectionPage:
    """The section named by the primary tag's slug, else the first live one."""
    sections = SectionPage.objects.live().order_by("path")
    section = sections.filter(slug=tags[0].slug).first() if tags else None
    section = section or sections.first()
    if not isinstance(section, SectionPage):
        raise Invalid("Validation error: the site has no section to publish in.")
    return section


def _free_slug(section: SectionPage, slug: str, pk: int | None = None) -> str:
    """``slug``, or ``slug-2``... when a sibling has it (Ghost adds numbers too)."""
    siblings = ArticlePage.objects.child_of(section).exclude(pk=pk)
    candidate, number = slug, 1
    while siblings.filter(slug=candidate).exists():
        number += 1
        candidate = f"{slug[:75]}-{number}"
    return candidate


def _check_timing(when: datetime | None, status: str) -> None:
    now = timezone.now()
    if status == "scheduled" and (when is None or when < now + SCHEDULE_AHEAD):
        raise Invalid(
            "Validation error: a scheduled post needs a published_at at least two "
            "minutes in the future.",
            property="published_at",
        )
    if status == "published" and when is not None and when > now + SCHEDULE_AHEAD:
        raise Invalid(
            "Validation error: published_at is in the future; use status scheduled.",
            property="published_at",
        )


def _rows(article: ArticlePage, post: PostInput) -> None:
    if post.tags is not None:
        article.article_tags = [
            ArticleTag(tag=tag, sort_order=n) for n, tag in enumerate(post.tags)
        ]
    if post.authors is not None:
        article.article_authors = [
            ArticleAuthor(author=author, sort_order=n)
            for n, author in enumerate(post.authors)
        ]


def _user(integration: Integration) -> Any:
    return integration.acting_user


@transaction.atomic
def create_post(integration: Integration, post: PostInput) -> ArticlePage:
    """A new article from a Ghost post: a draft, published or scheduled."""
    require(integration, Scope.ARTICLES_WRITE)
    status = post.status or "draft"
    if status != "draft":
        require(integration, Scope.ARTICLES_PUBLISH)
    _check_timing(post.published_at, status)
    title = post.fields.get("title", "").strip()
    if not title:
        raise Invalid("Validation error: title is required.", property="title")
    section = pick_section(post.tags or [])
    fields = dict(post.fields)
    fields["slug"] = _free_slug(
        section, fields.get("slug") or slug_from_text(title) or "post"
    )
    article = ArticlePage(**fields, body=post.blocks or [])
    _rows(article, post)
    if post.published_at is not None:
        article.published_at = post.published_at
        if status == "published":
            article.first_published_at = post.published_at
    if status == "scheduled":
        article.go_live_at = post.published_at
    try:
        return services.create_article(
            section, article, user=_user(integration), publish=status != "draft"
        )
    except ValidationError as error:
        raise Invalid(f"Validation error: {'; '.join(error.messages)}") from error


@transaction.atomic
def edit_post(integration: Integration, pk: int, post: PostInput) -> ArticlePage:
    """Apply a Ghost post edit to the latest revision, then publish, schedule
    or unpublish as its ``status`` says (unchanged when absent).

    Raises:
        UpdateCollision: ``updated_at`` is not the latest revision's time.
    """
    require(integration, Scope.ARTICLES_WRITE)
    row = ArticlePage.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        raise NotFound("Post not found.", code="RESOURCE_NOT_FOUND")
    _check_collision(row, post)
    current = post_status(row)
    status = post.status or current
    if status != "draft" or current != "draft":
        require(integration, Scope.ARTICLES_PUBLISH)
    when = post.published_at or (row.go_live_at if status == "scheduled" else None)
    _check_timing(when, status)
    article: ArticlePage = row.get_latest_revision_as_object()
    for name, value in post.fields.items():
        setattr(article, name, value)
    if "slug" in post.fields and row.get_parent() is not None:
        section = row.get_parent().specific
        article.slug = _free_slug(section, article.slug or row.slug, pk)
    if post.blocks is not None:
        article.body = post.blocks
    _rows(article, post)
    if post.published_at is not None:
        article.published_at = post.published_at
    user = _user(integration)
    article.go_live_at = when if status == "scheduled" else None
    if status == "scheduled":
        article.published_at = when
    try:
        article.full_clean()
    except ValidationError as error:
        raise Invalid(f"Validation error: {'; '.join(error.messages)}") from error
    revision = article.save_revision(user=user, log_action=True)
    if status in ("published", "scheduled"):
        revision.publish(user=user)
    else:
        if row.live:
            ArticlePage.objects.get(pk=pk).unpublish(user=user)
        article.revisions.update(approved_go_live_at=None)
        ArticlePage.objects.filter(pk=pk).update(go_live_at=None)
    saved: ArticlePage = ArticlePage.objects.get(pk=pk)
    return saved


def _check_collision(row: ArticlePage, post: PostInput) -> None:
    """Ghost's check: the edit must start from the post's current version."""
    if post.updated_at is None:
        raise Invalid(
            "Validation error: updated_at is required to edit a post.",
            property="updated_at",
        )
    current = row.latest_revision_created_at
    if current is not None and _ms(current) != _ms(post.updated_at):
        raise UpdateCollision(
            "Saving failed! Someone else is editing this post.",
            code="UPDATE_COLLISION",
        )


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


@transaction.atomic
def delete_post(integration: Integration, pk: int) -> None:
    """Delete an article; a once-public address then answers 410 Gone."""
    require(integration, Scope.ARTICLES_WRITE)
    article = ArticlePage.objects.filter(pk=pk).first()
    if article is None:
        raise NotFound("Post not found.", code="RESOURCE_NOT_FOUND")
    if article.first_published_at is not None:
        require(integration, Scope.ARTICLES_PUBLISH)
    services.retire_article_url(article)
    article.delete()


@transaction.atomic
def upload_image(
    integration: Integration, data: bytes, filename: str, ref: str | None
) -> LibraryImage:
    """Store an uploaded picture in the image library, without its location.

    Raises:
        UnsupportedMedia: not an image Masthead accepts.
    """
    require(integration, Scope.IMAGES_WRITE)
    try:
        cleaned = strip_location(data)
    except UnsupportedImage as error:
        raise UnsupportedMedia(
            f"Please select a valid image: {error}", code="INVALID_IMAGE"
        ) from error
    data = cleaned or data
    name = PurePath(filename or "upload").name[:100] or "upload"
    title = (ref or PurePath(name).stem)[:255]
    image = LibraryImage(
        title=title,
        description="",
        credit=integration.name[:255],
        collection=Collection.get_first_root_node(),
        file=ImageFile(BytesIO(data), name=name),
        file_size=len(data),
        file_hash=hashlib.sha1(data, usedforsecurity=False).hexdigest(),
        uploaded_by_user=_user(integration),
    )
    image.save()
    return image
