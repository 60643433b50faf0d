"""Tag suggestions and new tags for the article editor's tag field (#14).

The field's script asks ``suggest`` for tags as the editor types and
``create`` for a tag no one has made yet. Both sit behind the admin's
sign-in (``register_admin_urls``) and answer in JSON.
"""

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST
from wagtail.log_actions import log

from masthead.content.forms import tag_json

from .choosers import NewTagForm
from .models import Tag

MAX_QUERY_LENGTH = 100
SUGGESTION_LIMIT = 10
# Above every code point: ``slug < key + SLUG_CEILING`` closes a prefix range.
SLUG_CEILING = "\U0010ffff"


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    """Up to ten tags whose slug starts like ``q``, for the tag field.

    A slug prefix range reads the slug's unique index in order, on SQLite
    and PostgreSQL alike; slugs are made from names, so "Ky" finds "Kyiv".
    """
    if not request.user.has_perm("taxonomy.view_tag"):
        # Case: signed in to the admin but not allowed to see tags.
        return JsonResponse({"error": "You may not see tags."}, status=403)
    query = " ".join(request.GET.get("q", "").split())
    if len(query) > MAX_QUERY_LENGTH:
        # Case: longer than any tag name can be.
        return JsonResponse(
            {"error": f"q is longer than {MAX_QUERY_LENGTH} characters."}, status=400
        )
    key = slugify(query, allow_unicode=True)
    if not key:
        # Case: nothing typed yet, or punctuation only.
        return JsonResponse({"results": []})
    tags = Tag.objects.filter(slug__gte=key, slug__lt=key + SLUG_CEILING).order_by(
        "slug"
    )[:SUGGESTION_LIMIT]
    return JsonResponse({"results": [tag_json(tag) for tag in tags]})


@require_POST
def create(request: HttpRequest) -> JsonResponse:
    """Make a tag from ``name`` and ``tag_type`` as the editor tags an article.

    The same form as the chooser's "New tag" tab: the slug follows from the
    name and a name already taken is refused.
    """
    if not request.user.has_perm("taxonomy.add_tag"):
        # Case: may tag articles but not add to the vocabulary.
        return JsonResponse({"error": gettext("You may not create tags.")}, status=403)
    form = NewTagForm(request.POST)
    if not form.is_valid():
        # Case: no name, a name taken, or an unknown type.
        errors = [str(error) for field in form.errors.values() for error in field]
        return JsonResponse({"error": " ".join(errors)}, status=400)
    with transaction.atomic():
        tag = form.save()
        log(instance=tag, action="wagtail.create", user=request.user)
    return JsonResponse(tag_json(tag), status=201)
