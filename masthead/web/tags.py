from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from masthead import cache
from masthead.cache import Profile, apply_profile
from masthead.cache.pages import site_context
from masthead.content.models import ArticlePage
from masthead.taxonomy.models import Tag
from masthead.web.context import listing_page, sidebar_context


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A tag's description and its published articles, newest first."""
    tag = get_object_or_404(Tag, slug=slug)
    articles = ArticlePage.objects.published().tagged(tag)
    cache.tag(request, cache.topic_tag(tag.pk), cache.list_tag("tag", tag.pk))
    context = {
        **site_context(request),
        **sidebar_context(request),
        **listing_page(request, articles),
        "tag": tag,
    }
    response = TemplateResponse(request, "taxonomy/tag.html", context)
    return apply_profile(response, Profile.PUBLIC)
