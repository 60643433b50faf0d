"""A News Feed item's own page: the address feeds and shares link to (#14).

``/news-feed/122-sirens-in-kyiv/``: the id finds the item, the slug only
reads well. A wrong or missing slug answers 301 to the right one, so an
address shared before the headline was edited still works; an unknown id
is a 404, and so is a scheduled item, not kept by any cache (it appears when
its time comes, and nothing purges then).
"""

import re

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
)
from django.template.response import TemplateResponse
from django.utils import translation

from masthead import cache
from masthead.cache import Profile, apply_profile
from masthead.cache.pages import site_context
from masthead.core.editions import locale_code
from masthead.feed.models import NewsFeedItem, item_tag

from .context import sidebar_context
from .structured_data import feed_item_json_ld, feed_item_open_graph

# What the URL pattern lets through, parsed once more here: the id is bounded
# so SQLite and PostgreSQL never see a number wider than their integers.
PERMALINK_PART = re.compile(r"(?P<pk>[0-9]{1,18})(?:-(?P<slug>[-\w]*))?")


def news_feed_item(request: HttpRequest, part: str) -> HttpResponse:
    """The item's page, in the site layout with the sidebar.

    Raises:
        Http404: no item has that id.
        WithheldPage: the item is scheduled (a 404 no cache keeps).
    """
    match = PERMALINK_PART.fullmatch(part)
    if match is None:
        raise Http404("No such post")
    pk = int(match["pk"])
    item = (
        NewsFeedItem.objects.published()
        .select_related("article", "image")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        if NewsFeedItem.objects.filter(pk=pk).exists():
            # Case: scheduled: its time has not come.
            raise cache.WithheldPage("No such post")
        raise Http404("No such post")
    cache.tag(request, cache.NEWSFEED, item_tag(item.pk))
    if (match["slug"] or "") != item.slug or locale_code(
        item.locale_id
    ) != translation.get_language():
        # Case: an old headline's slug, or none, or the other edition's
        # prefix (#15): the page has one address.
        redirect = HttpResponsePermanentRedirect(item.get_absolute_url())
        return apply_profile(redirect, Profile.PUBLIC)
    if item.article_id:
        cache.tag(request, cache.article_tag(item.article_id))
    site = site_context(request)
    context = {
        **site,
        **sidebar_context(request),
        "item": item,
        "canonical_url": request.build_absolute_uri(item.get_absolute_url()),
        "json_ld": feed_item_json_ld(
            request,
            item,
            site_settings=site["site_settings"],
            standard_pages=site.get("standard_pages", ()),
        ),
        "open_graph": feed_item_open_graph(
            request, item, site_settings=site["site_settings"]
        ),
    }
    response = TemplateResponse(request, "feed/news_feed_item.html", context)
    return apply_profile(response, Profile.PUBLIC)
