"""Articles as Ghost posts: filters, ordering and the JSON of one post.

Ghost's post (ghost/core/.../output/serializers, the Content and Admin API
docs) mapped from ``ArticlePage``; docs/ghost-api.md has the table. The
Content API shows ``body_html`` only: for a gated article that is the part
everyone reads, never ``gated_html`` (content/models/access.py).
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db.models import Prefetch, Q
from django.http import HttpRequest
from django.utils import timezone

from masthead.content.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    HomePage,
    HomeStory,
)
from masthead.content.visibility import Access
from masthead.core.text import strip_tags

from . import nql, params
from .errors import Invalid
from .people import SOCIAL_CARDS, author_json, tag_json

POST_INCLUDES = {"tags", "authors", "tiers", "count.clicks", "count.signups"}
POST_ORDERS = {
    "published_at": "published_at",
    "updated_at": "updated_at",
    "created_at": "first_published_at",
    "title": "title",
    "slug": "slug",
    "id": "pk",
}
DEFAULT_ORDER = ["-published_at", "-pk"]
# Ghost's ``visibility`` for each access level (Ghost's members content gating).
VISIBILITY = {
    Access.EVERYONE: "public",
    Access.MEMBERS: "members",
    Access.PAID: "paid",
    Access.TIERS: "tiers",
}
ACCESS_OF = {value: key for key, value in VISIBILITY.items()}
EXCERPT_LENGTH = 500
_UUIDS = uuid.UUID("6f1c2d0e-5b1a-4a8e-9d57-0c5a8d1b7f31")


def featured_q() -> Q:
    """Ghost's ``featured``: the front page's lead and secondary stories."""
    return Q(pk__in=HomeStory.objects.values("article_id")) | Q(
        pk__in=HomePage.objects.filter(lead_article__isnull=False).values(
            "lead_article_id"
        )
    )


def _byline(lookup: str) -> params.Handler:
    """``tag:x``, ``tags:[x,y]``, ``tag:-x`` through the row tables.

    A subquery per condition, so ``tag:a+tag:b`` means both tags (one join
    would ask for one row holding two slugs).
    """
    rows = ArticleTag if lookup == "tag" else ArticleAuthor

    def handler(condition: nql.Condition) -> Q:
        if condition.op not in ("", "-"):
            raise params.unsupported(condition)
        matching = rows.objects.filter(
            **{f"{lookup}__slug__in": list(condition.values)}
        ).values("article_id")
        q = Q(pk__in=matching)
        return ~q if condition.op == "-" else q

    return handler


def _visibility(condition: nql.Condition) -> Q:
    if condition.op not in ("", "-"):
        raise params.unsupported(condition)
    unknown = [value for value in condition.values if value not in ACCESS_OF]
    if unknown:
        raise Invalid(
            f"Error parsing filter: visibility is one of {', '.join(ACCESS_OF)}.",
            property="filter",
        )
    q = Q(access__in=[ACCESS_OF[value] for value in condition.values])
    return ~q if condition.op == "-" else q


def status_q(status: str) -> Q:
    """Ghost's post status as a condition on the page row."""
    now = timezone.now()
    if status == "published":
        return Q(live=True)
    if status == "scheduled":
        return Q(live=False, go_live_at__gt=now)
    return Q(live=False) & (Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))


def _status(condition: nql.Condition) -> Q:
    if condition.op not in ("", "-"):
        raise params.unsupported(condition)
    if any(
        value not in ("published", "draft", "scheduled") for value in condition.values
    ):
        raise Invalid(
            "Error parsing filter: status is published, draft or scheduled.",
            property="filter",
        )
    q = Q()
    for value in condition.values:
        q |= status_q(value)
    return ~q if condition.op == "-" else q


CONTENT_FILTERS: dict[str, params.Handler] = {
    "tag": _byline("tag"),
    "tags": _byline("tag"),
    "tags.slug": _byline("tag"),
    "author": _byline("author"),
    "authors": _byline("author"),
    "authors.slug": _byline("author"),
    "featured": params.boolean(
        lambda wanted: featured_q() if wanted else ~featured_q()
    ),
    "slug": params.text("slug"),
    "title": params.text("title"),
    "id": params.in_values("pk", params.whole_number),
    "published_at": params.dated("published_at"),
    "updated_at": params.dated("updated_at"),
    "visibility": _visibility,
}
ADMIN_FILTERS = {**CONTENT_FILTERS, "status": _status}
CONTENT_FORMATS = frozenset({"html", "plaintext"})
ADMIN_FORMATS = CONTENT_FORMATS | {"lexical", "mobiledoc"}


def browse(request: HttpRequest, *, admin: bool = False) -> params.Browse:
    """The ``browse`` parameters of a posts request (the Admin API's with ``admin``)."""
    return params.parse_browse(
        request.GET,
        includes=POST_INCLUDES,
        orders=POST_ORDERS,
        default_order=DEFAULT_ORDER,
        handlers=ADMIN_FILTERS if admin else CONTENT_FILTERS,
        formats=ADMIN_FORMATS if admin else CONTENT_FORMATS,
    )


def with_rows(articles: Any) -> Any:
    """Bylines, tags and the hero image in three queries, whatever the page size."""
    return articles.select_related("hero_image").prefetch_related(
        Prefetch(
            "article_authors",
            queryset=ArticleAuthor.objects.select_related("author__avatar").order_by(
                "sort_order"
            ),
        ),
        Prefetch(
            "article_tags",
            queryset=ArticleTag.objects.select_related("tag").order_by("sort_order"),
        ),
    )


def stamp(moment: datetime | None) -> str | None:
    """Ghost's time format: UTC, milliseconds, ``+00:00``."""
    if moment is None:
        return None
    utc = moment.astimezone(UTC)
    return utc.isoformat(timespec="milliseconds")


def post_uuid(pk: int) -> str:
    return str(uuid.uuid5(_UUIDS, f"article:{pk}"))


@dataclass
class Shown:
    """How posts are shown to one request."""

    request: HttpRequest
    include: set[str] = field(default_factory=set)
    formats: set[str] = field(default_factory=lambda: {"html"})
    fields: set[str] = field(default_factory=set)
    featured_ids: set[int] = field(default_factory=set)
    admin: bool = False
    # Admin API readers that may write articles see the gated part too.
    full_body: bool = False

    def absolute(self, path: str | None) -> str | None:
        return self.request.build_absolute_uri(path) if path else None


def featured_ids() -> set[int]:
    return set(ArticlePage.objects.filter(featured_q()).values_list("pk", flat=True))


def image_url(image: Any, shown: Shown) -> str | None:
    if image is None:
        return None
    return shown.absolute(image.file.url)


def post_json(article: ArticlePage, shown: Shown) -> dict[str, Any]:
    """One article as a Ghost post (Content API, or Admin API when ``shown.admin``)."""
    html = article.body_html
    if shown.full_body and article.gated_html:
        html = f"{html}\n{article.gated_html}"
    plaintext = strip_tags(html).strip()
    # Case: an access level this code does not know (a newer revision): closed.
    visibility = VISIBILITY.get(article.access, "paid")
    hero = article.hero_image
    created = article.first_published_at or article.latest_revision_created_at
    updated = article.updated_at or article.published_at or created
    if shown.admin:
        # Changes with every saved revision: the edit collision check.
        updated = article.latest_revision_created_at or updated
    data: dict[str, Any] = {
        "id": str(article.pk),
        "uuid": post_uuid(article.pk),
        "title": article.title,
        "slug": article.slug,
        "comment_id": str(article.pk),
        "feature_image": image_url(hero, shown),
        "feature_image_alt": (article.hero_alt_text or hero.alt_text) if hero else None,
        "feature_image_caption": article.hero_caption or None,
        "featured": article.pk in shown.featured_ids,
        "visibility": visibility,
        "created_at": stamp(created),
        "updated_at": stamp(updated),
        "published_at": stamp(article.published_at),
        "custom_excerpt": article.standfirst or None,
        "codeinjection_head": None,
        "codeinjection_foot": None,
        "custom_template": None,
        "canonical_url": None,
        "url": shown.absolute(article.get_url(shown.request)) if article.live else None,
        "excerpt": article.standfirst or plaintext[:EXCERPT_LENGTH],
        "reading_time": article.read_time_minutes,
        "access": visibility == "public",
        "comments": False,
        **SOCIAL_CARDS,
        "meta_title": article.seo_title or None,
        "meta_description": article.search_description or None,
        "email_subject": None,
        "frontmatter": None,
    }
    if "html" in shown.formats:
        data["html"] = html
    if "plaintext" in shown.formats:
        data["plaintext"] = plaintext
    if shown.admin:
        data["status"] = post_status(article)
        data["email_only"] = False
        # No newsletter is sent through this API: Ghost's "no segment".
        data["email_segment"] = "all"
        if "lexical" in shown.formats:
            data["lexical"] = None
        if "mobiledoc" in shown.formats:
            data["mobiledoc"] = None
    if "tags" in shown.include:
        tags = [tag_json(tag, shown.request) for tag in article.ordered_tags()]
        data["tags"] = tags
        data["primary_tag"] = tags[0] if tags else None
    if "authors" in shown.include:
        authors = [
            author_json(author, shown.request) for author in article.ordered_authors()
        ]
        data["authors"] = authors
        data["primary_author"] = authors[0] if authors else None
    if "tiers" in shown.include:
        data["tiers"] = []
    if shown.fields:
        data = {key: value for key, value in data.items() if key in shown.fields}
    return data


def post_status(article: ArticlePage) -> str:
    if article.live:
        return "published"
    if article.go_live_at and article.go_live_at > timezone.now():
        return "scheduled"
    return "draft"
