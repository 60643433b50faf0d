"""The public pages that are not Wagtail pages, under their historic names."""

from django.urls import include, path

from . import authors, corrections, news_feed, search, tags

people_patterns = [path("<slug:slug>/", authors.author_detail, name="author")]
tag_patterns = [path("<slug:slug>/", tags.tag_detail, name="tag")]
feed_patterns = [
    path("", news_feed.news_feed, name="news-feed"),
    path("updates.json", news_feed.news_feed_updates, name="news-feed-updates"),
]
search_patterns = [path("", search.search, name="search")]

urlpatterns = [
    path("authors/", include((people_patterns, "people"))),
    path("tags/", include((tag_patterns, "taxonomy"))),
    path("news-feed/", include((feed_patterns, "feed"))),
    path("search/", include((search_patterns, "search"))),
    path("corrections/", corrections.correction_list, name="corrections"),
]
