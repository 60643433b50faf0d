"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1) from the same entries."""

from datetime import datetime
from typing import Any

from django.utils import timezone

from .entries import FeedEntry
from .feeds import FeedSource

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
JSON_FEED_CONTENT_TYPE = "application/feed+json; charset=utf-8"


def rfc3339(value: datetime) -> str:
    """An RFC 3339 date-time in the publication's time zone, to the second."""
    return timezone.localtime(value).isoformat(timespec="seconds")


def json_feed(source: FeedSource, feed_url: str) -> dict[str, Any]:
    """The JSON Feed document for ``source``.

    Args:
        source: the channel and entries, as the RSS and Atom feeds print them.
        feed_url: the absolute URL of this document.
    """
    document = {
        "version": JSON_FEED_VERSION,
        "title": source.title,
        "home_page_url": source.link,
        "feed_url": feed_url,
        "description": source.description,
        "language": source.language,
        "authors": [{"name": source.publication_name}],
        "items": [json_item(entry) for entry in source.entries],
    }
    if source.hub_url:
        document["hubs"] = [{"type": "WebSub", "url": source.hub_url}]
    return document


def json_item(entry: FeedEntry) -> dict[str, Any]:
    item = {
        "id": entry.guid,
        "url": entry.url,
        "title": entry.title,
        "content_html": entry.content_html,
        "summary": entry.summary,
        "date_published": rfc3339(entry.published_at),
        "date_modified": rfc3339(entry.updated_at),
        "authors": [{"name": a.name, "url": a.url} for a in entry.authors],
        "tags": list(entry.tags),
    }
    if entry.image is not None:
        item["image"] = entry.image.url
    return item
