from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from masthead import cache
from masthead.cache import Profile, apply_profile
from masthead.cache.pages import site_context
from masthead.content.models import ArticlePage, ArticleTag
from masthead.content.visibility import public_q
from masthead.core.keyset import Cursor
from masthead.taxonomy.models import Tag
from masthead.web.context import listing_page, sidebar_context
from masthead.web.directory import index_page


def tag_list(request: HttpRequest) -> HttpResponse:
    """Every tag with a public article, A to Z with its type, a hundred a page.

    A tag filed only on drafts or embargoed stories is not listed: its name
    alone can give a story away (#14). Publishing purges ``TAG_INDEX``.
    """
    cache.tag(request, cache.TAG_INDEX)
    tags = Tag.objects.filter(
        Exists(ArticleTag.objects.filter(public_q("article__"), tag=OuterRef("pk")))
    ).only("name", "slug", "tag_type")
    context = {**site_context(request), **index_page(request, tags)}
    response = TemplateResponse(request, "taxonomy/tag_list.html", context)
    return apply_profile(response, Profile.PUBLIC)


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A tag's description and its published articles, newest first."""
    tag = get_object_or_404(Tag, slug=slug)

    def articles(before: Cursor | None) -> QuerySet[ArticlePage]:
        listing: QuerySet[ArticlePage] = ArticlePage.objects.published().tagged(
            tag, before
        )
        return listing

    cache.tag(request, cache.topic_tag(tag.pk), cache.list_tag("tag", tag.pk))
    context = {
        **site_context(request),
        **sidebar_context(request),
        **listing_page(request, articles),
        "tag": tag,
    }
    response = TemplateResponse(request, "taxonomy/tag.html", context)
    return apply_profile(response, Profile.PUBLIC)
