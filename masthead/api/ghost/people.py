"""Tags and authors as Ghost shows them (Content and Admin API)."""

from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from masthead.people.models import Author
from masthead.taxonomy.models import Tag

from . import nql, params


def _visibility(condition: nql.Condition) -> Q:
    """Every Masthead tag is public: ``visibility:public`` is all of them."""
    if condition.op not in ("", "-"):
        raise params.unsupported(condition)
    wanted = ("public" in condition.values) != (condition.op == "-")
    return Q() if wanted else Q(pk__in=[])


TAG_FILTERS: dict[str, params.Handler] = {
    "slug": params.text("slug"),
    "name": params.text("name"),
    "id": params.in_values("pk", params.whole_number),
    "visibility": _visibility,
}
AUTHOR_FILTERS: dict[str, params.Handler] = {
    "slug": params.text("slug"),
    "name": params.text("name"),
    "id": params.in_values("pk", params.whole_number),
}
ORDERS = {"name": "name", "slug": "slug", "id": "pk"}
COUNT_INCLUDES = {"count.posts"}
# Ghost's per-object share cards (posts, tags, the site): Masthead keeps none.
SOCIAL_CARDS: dict[str, None] = dict.fromkeys(
    (
        "og_image",
        "og_title",
        "og_description",
        "twitter_image",
        "twitter_title",
        "twitter_description",
    )
)


def browse(
    request: HttpRequest, handlers: Mapping[str, params.Handler]
) -> params.Browse:
    """The ``browse`` parameters of a tags or authors request."""
    return params.parse_browse(
        request.GET,
        includes=COUNT_INCLUDES,
        orders=ORDERS,
        default_order=["name", "pk"],
        handlers=handlers,
    )


def tag_json(tag: Tag, request: HttpRequest) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(tag.pk),
        "name": tag.name,
        "slug": tag.slug,
        "description": tag.description or None,
        "feature_image": None,
        "visibility": "public",
        **SOCIAL_CARDS,
        "meta_title": None,
        "meta_description": None,
        "codeinjection_head": None,
        "codeinjection_foot": None,
        "canonical_url": None,
        "accent_color": None,
        "url": request.build_absolute_uri(tag.get_absolute_url()),
    }
    count = getattr(tag, "post_count", None)
    if count is not None:
        data["count"] = {"posts": count}
    return data


NEWER_SOCIAL = (
    "bluesky",
    "instagram",
    "linkedin",
    "mastodon",
    "threads",
    "tiktok",
    "youtube",
)


def author_json(author: Author, request: HttpRequest) -> dict[str, Any]:
    avatar = author.avatar
    data: dict[str, Any] = {
        "id": str(author.pk),
        "name": author.name,
        "slug": author.slug,
        "profile_image": request.build_absolute_uri(avatar.file.url)
        if avatar
        else None,
        "cover_image": None,
        "bio": author.bio or None,
        "website": None,
        "location": None,
        "facebook": None,
        "twitter": None,
        # Ghost 5.1xx's further profiles (a real export's author, #18).
        **dict.fromkeys(NEWER_SOCIAL, None),
        "meta_title": None,
        "meta_description": None,
        "url": request.build_absolute_uri(author.get_absolute_url()),
    }
    count = getattr(author, "post_count", None)
    if count is not None:
        data["count"] = {"posts": count}
    return data
