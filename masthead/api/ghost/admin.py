"""The Admin API (``/ghost/api/admin/``): posts, tags, images, site.

Every request but ``site`` carries an Admin API token (auth.py). Reading
needs no scope; writing needs the integration's scopes (writes.py).
"""

import json
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse

from masthead.api.models import Integration, Scope
from masthead.content.models import ArticlePage
from masthead.taxonomy.models import Tag

from . import params, people, posts, writes
from .auth import admin_integration
from .content import publication
from .errors import Invalid, NotFound, TooLarge, json_response
from .responses import ghost_view, object_id, page_of

MAX_BODY_BYTES = 5 * 1024 * 1024


def _shown(
    request: HttpRequest, integration: Integration, browse: params.Browse
) -> posts.Shown:
    return posts.Shown(
        request,
        include=browse.include,
        formats=browse.formats,
        fields=browse.fields,
        featured_ids=posts.featured_ids(),
        admin=True,
        full_body=integration.has_scope(Scope.ARTICLES_WRITE),
    )


def _admin_json(article: ArticlePage, shown: posts.Shown) -> dict[str, Any]:
    """The post as its latest revision has it (a draft's edits are not on the row)."""
    if article.has_unpublished_changes and article.latest_revision_id:
        latest: ArticlePage = article.get_latest_revision_as_object()
        latest.render_body()
        for name in ("live", "go_live_at", "latest_revision_created_at", "updated_at"):
            setattr(latest, name, getattr(article, name))
        if article.live or article.go_live_at:
            latest.published_at = latest.published_at or article.published_at
        return posts.post_json(latest, shown)
    return posts.post_json(article, shown)


def _body(request: HttpRequest, key: str) -> Any:
    """``{key: [item]}`` of a JSON body, the item returned."""
    if len(request.body) > MAX_BODY_BYTES:
        raise TooLarge("Request is larger than the maximum file size the server allows")
    try:
        data = json.loads(request.body or b"null")
    except ValueError as error:
        raise Invalid(f"Validation error: the body is not JSON: {error}.") from error
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list) or len(items) != 1:
        raise Invalid(f'Validation error: the body must be {{"{key}": [ {{...}} ]}}.')
    return items[0]


@ghost_view("GET", "POST")
def post_list(request: HttpRequest) -> HttpResponse:
    integration = admin_integration(request)
    if request.method == "POST":
        post = writes.read_post(
            _body(request, "posts"), source_html=request.GET.get("source") == "html"
        )
        article = writes.create_post(integration, post)
        browse = posts.browse(request, admin=True)
        browse.include |= {"tags", "authors"}
        shown = _shown(request, integration, browse)
        article = posts.with_rows(ArticlePage.objects.filter(pk=article.pk)).get()
        return json_response({"posts": [_admin_json(article, shown)]}, status=201)
    browse = posts.browse(request, admin=True)
    rows, meta = page_of(posts.with_rows(ArticlePage.objects.all()), browse)
    shown = _shown(request, integration, browse)
    return json_response({"posts": [_admin_json(a, shown) for a in rows], "meta": meta})


@ghost_view("GET", "PUT", "DELETE")
def post_detail(
    request: HttpRequest, pk: str | None = None, slug: str | None = None
) -> HttpResponse:
    integration = admin_integration(request)
    number = object_id(pk, "Post")
    if request.method == "DELETE":
        if number is None:
            raise NotFound("Post not found.", code="RESOURCE_NOT_FOUND")
        writes.delete_post(integration, number)
        return HttpResponse(status=204)
    if request.method == "PUT":
        if number is None:
            raise NotFound("Post not found.", code="RESOURCE_NOT_FOUND")
        post = writes.read_post(
            _body(request, "posts"), source_html=request.GET.get("source") == "html"
        )
        writes.edit_post(integration, number, post)
    browse = posts.browse(request, admin=True)
    if request.method == "PUT":
        browse.include |= {"tags", "authors"}
    lookup = Q(pk=number) if number else Q(slug=slug)
    article = posts.with_rows(
        ArticlePage.objects.filter(lookup).order_by("path")
    ).first()
    if article is None:
        raise NotFound("Post not found.", code="RESOURCE_NOT_FOUND")
    shown = _shown(request, integration, browse)
    return json_response({"posts": [_admin_json(article, shown)]})


@ghost_view("GET", "POST")
def tag_list(request: HttpRequest) -> HttpResponse:
    integration = admin_integration(request)
    if request.method == "POST":
        writes.require(integration, Scope.ARTICLES_WRITE)
        data = _body(request, "tags")
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            raise Invalid("Validation error: a tag needs a name.", property="name")
        tag = writes.create_tag(
            data["name"],
            str(data.get("slug") or ""),
            str(data.get("description") or ""),
        )
        return json_response({"tags": [people.tag_json(tag, request)]}, status=201)
    browse = people.browse(request, people.TAG_FILTERS)
    rows, meta = page_of(Tag.objects.all(), browse)
    return json_response(
        {"tags": [people.tag_json(t, request) for t in rows], "meta": meta}
    )


@ghost_view("GET")
def tag_detail(
    request: HttpRequest, pk: str | None = None, slug: str | None = None
) -> HttpResponse:
    admin_integration(request)
    number = object_id(pk, "Tag")
    tag = Tag.objects.filter(Q(pk=number) if number else Q(slug=slug)).first()
    if tag is None:
        raise NotFound("Tag not found.", code="RESOURCE_NOT_FOUND")
    return json_response({"tags": [people.tag_json(tag, request)]})


@ghost_view("POST")
def image_upload(request: HttpRequest) -> HttpResponse:
    """Ghost's image upload: multipart ``file`` (and ``ref``, echoed back)."""
    integration = admin_integration(request)
    upload = request.FILES.get("file")
    if upload is None:
        raise Invalid("Please select an image.", property="file")
    if upload.size is None or upload.size > writes.MAX_IMAGE_BYTES:
        raise TooLarge("Request is larger than the maximum file size the server allows")
    ref = request.POST.get("ref") or None
    image = writes.upload_image(integration, upload.read(), upload.name or "", ref)
    url = request.build_absolute_uri(image.file.url)
    return json_response({"images": [{"url": url, "ref": ref}]}, status=201)


@ghost_view("GET")
def site_detail(request: HttpRequest) -> HttpResponse:
    """Ghost's public ``site`` endpoint: the publication's name, logo and URL."""
    found = publication(request)
    site = {key: found[key] for key in ("title", "description", "logo", "icon")}
    site |= {"accent_color": None, "locale": found["locale"], "url": found["url"]}
    return json_response({"site": {**site, "version": "6.0"}})
