from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from masthead.content.context import listing_page, sidebar_context, site_context
from masthead.content.models import ArticlePage
from masthead.core import caching
from masthead.core.caching import Profile, apply_profile

from .models import Tag


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A tag's description and its published articles, newest first."""
    tag = get_object_or_404(Tag, slug=slug)
    articles = ArticlePage.objects.published().tagged(tag)
    caching.tag(request, caching.topic_tag(tag.pk), caching.list_tag("tag", tag.pk))
    context = {
        **site_context(request),
        **sidebar_context(request),
        **listing_page(request, articles),
        "tag": tag,
    }
    response = TemplateResponse(request, "taxonomy/tag.html", context)
    return apply_profile(response, Profile.PUBLIC)
