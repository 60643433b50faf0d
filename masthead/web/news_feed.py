from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date

from masthead import cache
from masthead.cache import Profile, apply_profile
from masthead.cache.modified import polling_json
from masthead.cache.pages import site_context
from masthead.core.pagination import canonical_url, paginate
from masthead.core.templatetags.masthead_tags import iso
from masthead.feed.models import NewsFeedItem, group_by_day, item_tag
from masthead.web.context import sidebar_context

NEWS_FEED_PAGE_SIZE = 30
# The live endpoint returns the newest items only: enough to fill the gap
# between two polls of a busy desk, small enough to stay a few kilobytes.
UPDATES_COUNT = 20


@dataclass
class KeptPost:
    """An item of the News Feed page: its id and time, and its kept HTML."""

    pk: int
    published_at: datetime
    html: str


def post_fragments(request: HttpRequest, rows: list[Any]) -> list[KeptPost]:
    """The page's posts as HTML, each kept until it or its article is purged.

    A new post purges the News Feed page, not the posts already on it: the
    next render reads their ids and times and reuses their HTML.
    """

    def render(missing: list[str]) -> dict[str, tuple[str, set[str]]]:
        # By id, unordered: the page's order comes from ``rows``.
        items = (
            NewsFeedItem.objects.filter(
                pk__in=[int(name.removeprefix("feed-item-")) for name in missing]
            )
            .select_related("article")
            .order_by()
        )
        template = get_template("feed/feed_post.html")
        rendered = {}
        for item in items:
            tags = {item_tag(item.pk)}
            if item.article_id:
                tags.add(cache.article_tag(item.article_id))
            rendered[item_tag(item.pk)] = (template.render({"item": item}), tags)
        return rendered

    html = cache.fragments(request, [item_tag(row.pk) for row in rows], render)
    return [
        KeptPost(row.pk, row.published_at, html[item_tag(row.pk)])
        for row in rows
        if item_tag(row.pk) in html
    ]


def news_feed(request: HttpRequest) -> HttpResponse:
    """Every News Feed item, newest first, grouped by day; "Show More" pages."""
    page = paginate(
        request,
        # The request's edition's items only (#15): /uk/news-feed/ is Ukrainian.
        NewsFeedItem.objects.published()
        .in_edition(translation.get_language())
        .newest_first()
        .values_list("pk", "published_at", "updated_at", named=True),
        NEWS_FEED_PAGE_SIZE,
    )
    cache.tag(request, cache.NEWSFEED)
    cache.modified(
        request,
        *(m for row in page.object_list for m in (row.published_at, row.updated_at)),
    )
    context = {
        **site_context(request),
        **sidebar_context(request, with_news_feed=False),
        "page_obj": page,
        "feed_days": group_by_day(post_fragments(request, list(page.object_list))),
        "pinned": list(
            NewsFeedItem.objects.published()
            .in_edition(translation.get_language())
            .filter(is_pinned=True)
            .newest_first()[:3]
        )
        if page.number == 1
        else [],
        "poll_ms": max(2, settings.MASTHEAD_NEWS_FEED_POLL_SECONDS) * 1000,
        "canonical_url": canonical_url(request, page),
    }
    response = TemplateResponse(request, "feed/news_feed.html", context)
    return apply_profile(response, Profile.LIVE)


def item_data(item: NewsFeedItem) -> dict[str, Any]:
    """The JSON form of an item: what the page's script needs to show it."""
    local = timezone.localtime(item.published_at)
    return {
        "id": item.pk,
        "headline": item.headline,
        "body_html": item.body_html,
        "published_at": iso(local),
        "day": local.date().isoformat(),
        # The same heading as the page's, in the edition's language.
        "day_label": format_date(local, translation.pgettext("date format", "l, F j")),
        "time_label": format_date(local, "H:i"),
        "url": item.get_absolute_url(),
    }


def news_feed_updates(request: HttpRequest) -> HttpResponse:
    """The newest items as JSON, for polling: ETag and Last-Modified, 304s.

    Short polling of a cacheable response (STYLE 2): a shared cache answers
    most polls, and an unchanged feed costs a 304 with no body.
    """
    items = list(
        NewsFeedItem.objects.published()
        .in_edition(translation.get_language())
        .newest_first()[:UPDATES_COUNT]
    )
    cache.tag(request, cache.NEWSFEED)
    response = polling_json(
        request,
        {"items": [item_data(item) for item in items]},
        [item.updated_at for item in items],
    )
    return apply_profile(response, Profile.LIVE)
