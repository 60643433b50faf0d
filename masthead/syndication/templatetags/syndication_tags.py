"""``{% feed_links obj %}``: the <link rel="alternate"> tags for a page."""

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse

from masthead.content.models import SectionPage
from masthead.people.models import Author
from masthead.taxonomy.models import Tag

register = template.Library()

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
JSON_FEED_TYPE = "application/feed+json"


@dataclass(frozen=True)
class FeedLink:
    type: str
    title: str
    url: str


def _kind_of(obj: object) -> str | None:
    """The feed kind for a section, tag or author; None for anything else."""
    if isinstance(obj, SectionPage):
        return "section"
    if isinstance(obj, Tag):
        return "tag"
    if isinstance(obj, Author):
        return "author"
    return None


def feed_link_list(obj: Any = None, publication_name: str = "") -> list[FeedLink]:
    """The feeds a page advertises: the site's, then ``obj``'s own.

    No queries: URLs are reversed from slugs already loaded.
    """
    prefix = f"{publication_name}: " if publication_name else ""
    links = [
        FeedLink(
            RSS_TYPE, f"{prefix}Latest stories (RSS)", reverse("syndication:site-rss")
        ),
        FeedLink(
            ATOM_TYPE,
            f"{prefix}Latest stories (Atom)",
            reverse("syndication:site-atom"),
        ),
        FeedLink(
            JSON_FEED_TYPE,
            f"{prefix}Latest stories (JSON Feed)",
            reverse("syndication:site-json"),
        ),
        FeedLink(
            RSS_TYPE, f"{prefix}News Feed (RSS)", reverse("syndication:news-feed-rss")
        ),
        FeedLink(
            JSON_FEED_TYPE,
            f"{prefix}News Feed (JSON Feed)",
            reverse("syndication:news-feed-json"),
        ),
    ]
    kind = _kind_of(obj)
    if kind and obj.slug:
        name = obj.title if kind == "section" else obj.name
        kwargs = {"slug": obj.slug}
        links += [
            FeedLink(
                RSS_TYPE,
                f"{prefix}{name} (RSS)",
                reverse(f"syndication:{kind}-rss", kwargs=kwargs),
            ),
            FeedLink(
                ATOM_TYPE,
                f"{prefix}{name} (Atom)",
                reverse(f"syndication:{kind}-atom", kwargs=kwargs),
            ),
            FeedLink(
                JSON_FEED_TYPE,
                f"{prefix}{name} (JSON Feed)",
                reverse(f"syndication:{kind}-json", kwargs=kwargs),
            ),
        ]
    return links


@register.inclusion_tag("syndication/feed_links.html", takes_context=True)
def feed_links(context: template.Context, obj: Any = None) -> dict[str, list[FeedLink]]:
    """Links to the site's feeds and, for a section, tag or author, its own.

    The publication name is read from ``site_settings`` when the page's
    context already holds it (``site_context``); the tag never queries.
    """
    site_settings = context.get("site_settings")
    name = getattr(site_settings, "publication_name", "") or ""
    return {"links": feed_link_list(obj, name)}
