"""Feeds, sitemaps and robots.txt, mounted at the site root (docs/syndication.md)."""

from django.urls import URLPattern, path

from . import ninjs, views
from .feeds import ScopeAtomFeed, ScopeRssFeed
from .scopes import ScopeKind

app_name = "syndication"

_RSS = ScopeRssFeed()
_ATOM = ScopeAtomFeed()


def _feeds(route: str, kind: ScopeKind) -> list[URLPattern]:
    """``<route>rss/``, ``<route>atom/`` and ``<route>json/`` (JSON Feed 1.1),
    named ``<kind>-rss``/``-atom``/``-json``: every scope in all three (#14)."""
    return [
        path(
            f"{route}rss/",
            views.FeedView.as_view(kind=kind, feed=_RSS),
            name=f"{kind}-rss",
        ),
        path(
            f"{route}atom/",
            views.FeedView.as_view(kind=kind, feed=_ATOM),
            name=f"{kind}-atom",
        ),
        path(
            f"{route}json/",
            views.JsonFeedView.as_view(kind=kind),
            name=f"{kind}-json",
        ),
    ]


# <str:slug>, not <slug:slug>: Wagtail allows Unicode page slugs, and a
# pattern that cannot reverse would break every page linking the feed.
urlpatterns = [
    *_feeds("feeds/", ScopeKind.SITE),
    *_feeds("feeds/section/<str:slug>/", ScopeKind.SECTION),
    *_feeds("feeds/tag/<str:slug>/", ScopeKind.TAG),
    *_feeds("feeds/author/<str:slug>/", ScopeKind.AUTHOR),
    *_feeds("feeds/news-feed/", ScopeKind.NEWS_FEED),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    path("sitemap-<str:section>.xml", views.sitemap_section, name="sitemap-section"),
    path("news-sitemap.xml", views.news_sitemap, name="news-sitemap"),
    # One public article in IPTC's ninjs 2.0 (ninjs.py, #18).
    path("ninjs/<int:article_id>.json", ninjs.ninjs_view, name="ninjs"),
]
