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
from masthead.web.context import edition_locale_id, listing_page, sidebar_context
from masthead.web.directory import index_page


def tag_list(request: HttpRequest) -> HttpResponse:
    """Every tag with a public article in this edition, A to Z, a hundred a page.

    A tag filed only on drafts or embargoed stories is not listed: its name
    alone can give a story away (#14). Nor is one filed only on another
    edition's articles (#15); each is shown by its name in this edition.
    Publishing purges ``TAG_INDEX``.
    """
    cache.tag(request, cache.TAG_INDEX)
    in_edition = ArticleTag.objects.filter(
        public_q("article__"), tag=OuterRef("pk"), locale_id=edition_locale_id()
    )
    tags = Tag.objects.filter(Exists(in_edition)).only(
        "name", "slug", "tag_type", "translations"
    )
    context = {**site_context(request), **index_page(request, tags)}
    response = TemplateResponse(request, "taxonomy/tag_list.html", context)
    return apply_profile(response, Profile.PUBLIC)


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A tag's description and its published articles, newest first.

    The same tag in every edition (``/tags/kyiv/``, ``/uk/tags/kyiv/``),
    named and listing articles in the request's edition (#15).
    """
    tag = get_object_or_404(Tag, slug=slug)
    locale_id = edition_locale_id()

    def articles(before: Cursor | None) -> QuerySet[ArticlePage]:
        listing: QuerySet[ArticlePage] = ArticlePage.objects.published().tagged(
            tag, before, locale_id=locale_id
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
