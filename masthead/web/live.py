"""Live pages: their updates, key events and polling endpoint (issue #14).

A live page is an article page in live mode (content/models/live.py); its
context is the article's plus its updates, which are News Feed items kept
as HTML fragments (web/news_feed.py ``post_fragments``), so a new update
renders one post, not the page's hundred. Open coverage polls
``updates.json`` (short polling of a cacheable response, STYLE 2).
"""

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from masthead import cache
from masthead.cache import Profile, apply_profile
from masthead.cache.modified import polling_json
from masthead.content.models import ArticlePage, HomePage
from masthead.content.models.live import LiveStatus
from masthead.feed.models import NewsFeedItem

from .context import article_context
from .home import home_context
from .news_feed import item_data, post_fragments
from .structured_data import live_blog_json_ld

# Updates shown on the page; a longer story is written up (feed/live.py).
LIVE_PAGE_UPDATES = 200
# The polling endpoint's newest updates: the gap between two polls.
LIVE_JSON_UPDATES = 20
HOME_LIVE_PAGES = 3


def live_updates(request: HttpRequest, article: ArticlePage) -> dict[str, Any]:
    """The updates, key events and JSON-LD updates of a live page."""
    rows = list(
        NewsFeedItem.objects.published()
        .on_live_page(article.pk)
        .newest_first()
        .values_list(
            "pk", "published_at", "headline", "body_html", "is_key_event", named=True
        )[:LIVE_PAGE_UPDATES]
    )
    cache.tag(request, cache.live_tag(article.pk))
    posts = post_fragments(request, rows)
    shown = {post.pk for post in posts}
    return {
        "updates": posts,
        "key_events": [row for row in rows if row.is_key_event and row.pk in shown],
        "rows": [row for row in rows if row.pk in shown],
    }


def live_article_context(request: HttpRequest, article: ArticlePage) -> dict[str, Any]:
    """The article page's context, plus the updates when it is a live page."""
    context = article_context(request, article)
    if not article.is_live_coverage:
        # Case: an ordinary article.
        return context
    live = live_updates(request, article)
    context.update(
        live_updates_list=live["updates"],
        live_key_events=live["key_events"],
        live_poll_ms=max(2, settings.MASTHEAD_NEWS_FEED_POLL_SECONDS) * 1000,
    )
    if article.is_live_now:
        # Case: open coverage; closed, it is a plain NewsArticle.
        context["json_ld"] = [
            live_blog_json_ld(request, article, context["json_ld"][0], live["rows"]),
            *context["json_ld"][1:],
        ]
    return context


def open_live_pages() -> list[dict[str, Any]]:
    """The open, published live pages (id, title, path), kept until a purge.

    The front page shows them on every render; starting, publishing,
    closing or unpublishing one purges, so the kept list never outlives a
    change (cache/kept.py).
    """

    def load() -> list[dict[str, Any]]:
        rows = (
            ArticlePage.objects.published()
            .filter(live_status=LiveStatus.LIVE)
            .order_by("-coverage_started_at", "-pk")
            .values_list("pk", "title", "url_path", named=True)[:HOME_LIVE_PAGES]
        )
        return [
            {"pk": row.pk, "title": row.title, "url_path": row.url_path} for row in rows
        ]

    pages: list[dict[str, Any]] = cache.kept_until_purge("live-pages", None, load)
    return pages


def live_home_context(request: HttpRequest, home: HomePage) -> dict[str, Any]:
    """The front page's context plus its "Live" strip of open live pages."""
    context = home_context(request, home)
    pages = [
        page for page in open_live_pages() if page["url_path"].startswith(home.url_path)
    ]
    cache.tag(request, *(cache.article_tag(page["pk"]) for page in pages))
    # Wagtail's URL of a page of this site: its path below the site's root.
    context["live_pages"] = [
        {
            "title": page["title"],
            "url": "/" + page["url_path"].removeprefix(home.url_path),
        }
        for page in pages
    ]
    return context


def update_data(item: NewsFeedItem) -> dict[str, Any]:
    """The JSON form of an update: what the live page's script shows."""
    return {**item_data(item), "is_key_event": item.is_key_event}


def live_page_updates(request: HttpRequest, pk: str) -> HttpResponse:
    """A live page's newest updates as JSON: ETag and Last-Modified, 304s.

    Only a published live page answers; anything else is a 404 (the
    visibility rules are ``published()``'s, content/visibility.py).
    """
    page = (
        ArticlePage.objects.published()
        .exclude(live_status=LiveStatus.NONE)
        .filter(pk=pk)
        .only("pk", "live_status", "coverage_ended_at")
        .first()
    )
    if page is None:
        raise Http404("No such live page")
    items = list(
        NewsFeedItem.objects.published()
        .on_live_page(page.pk)
        .newest_first()[:LIVE_JSON_UPDATES]
    )
    cache.tag(
        request,
        cache.article_tag(page.pk),
        cache.live_tag(page.pk),
        *(cache.feed_item_tag(item.pk) for item in items),
    )
    changed = [item.updated_at for item in items]
    if page.coverage_ended_at:
        changed.append(page.coverage_ended_at)
    response = polling_json(
        request,
        {"status": page.live_status, "items": [update_data(item) for item in items]},
        changed,
    )
    return apply_profile(response, Profile.LIVE)


def updates_url(page_id: int) -> str:
    return reverse("live:updates", args=[page_id])
