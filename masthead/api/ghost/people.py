"""Tags and authors as Ghost shows them (Content and Admin API)."""

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


def tag_json(tag: Tag, request: HttpRequest) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(tag.pk),
        "name": tag.name,
        "slug": tag.slug,
        "description": tag.description or None,
        "feature_image": None,
        "visibility": "public",
        "og_image": None,
        "og_title": None,
        "og_description": None,
        "twitter_image": None,
        "twitter_title": None,
        "twitter_description": None,
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
        "meta_title": None,
        "meta_description": None,
        "url": request.build_absolute_uri(author.get_absolute_url()),
    }
    count = getattr(author, "post_count", None)
    if count is not None:
        data["count"] = {"posts": count}
    return data
