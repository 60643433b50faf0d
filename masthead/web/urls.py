"""The public pages that are not Wagtail pages, under their historic names."""

from django.urls import include, path, re_path

from . import (
    archive,
    authors,
    corrections,
    live,
    news_feed,
    news_feed_item,
    search,
    tags,
)

people_patterns = [
    path("", authors.author_list, name="index"),
    path("<slug:slug>/", authors.author_detail, name="author"),
]
tag_patterns = [
    path("", tags.tag_list, name="index"),
    path("<slug:slug>/", tags.tag_detail, name="tag"),
]
# The date archive (web/archive.py): fixed-width digits, checked there.
archive_patterns = [
    path("archive/", archive.archive_index, name="index"),
    re_path(r"^archive/(?P<year>[0-9]{4})/$", archive.archive_year, name="year"),
    re_path(
        r"^archive/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$",
        archive.archive_month,
        name="month",
    ),
    re_path(
        r"^archive/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/$",
        archive.archive_day,
        name="day",
    ),
    path("latest/", archive.latest, name="latest"),
]
feed_patterns = [
    path("", news_feed.news_feed, name="news-feed"),
    path("updates.json", news_feed.news_feed_updates, name="news-feed-updates"),
    # An item's own page: ``122-sirens-in-kyiv/`` (web/news_feed_item.py).
    re_path(
        r"^(?P<part>[0-9]{1,18}(?:-[-\w]*)?)/$",
        news_feed_item.news_feed_item,
        name="item",
    ),
]
search_patterns = [path("", search.search, name="search")]
live_patterns = [
    # Bounded like the item ids: a 30-digit id would overflow the database's
    # integer and answer 500 (tests/hostile/test_bad_input.py).
    re_path(
        r"^(?P<pk>[0-9]{1,18})/updates\.json$", live.live_page_updates, name="updates"
    ),
]

urlpatterns = [
    path("authors/", include((people_patterns, "people"))),
    path("tags/", include((tag_patterns, "taxonomy"))),
    path("news-feed/", include((feed_patterns, "feed"))),
    path("search/", include((search_patterns, "search"))),
    path("live/", include((live_patterns, "live"))),
    path("corrections/", corrections.correction_list, name="corrections"),
    path("", include((archive_patterns, "archive"))),
]
