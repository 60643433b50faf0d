"""What the hostile-input writers share, and where readers look (inputs.py)."""

import itertools
from dataclasses import dataclass, field
from html import escape
from typing import Any

from django.test import Client
from django.utils import timezone
from wagtail.test.utils.form_data import rich_text

from masthead.content.models import ArticlePage, SectionPage
from masthead.core.models import LibraryImage
from masthead.people.models import Author
from masthead.taxonomy.models import Tag


@dataclass
class Desk:
    """What writers share: an admin session and plain objects to hang text on."""

    admin: Client
    section: SectionPage
    author: Author
    tag: Tag
    image: LibraryImage
    article: ArticlePage
    numbers: itertools.count = field(default_factory=itertools.count)

    def slug(self, kind: str) -> str:
        return f"hostile-{kind}-{next(self.numbers)}"


Values = dict[str, list[str]]


def saved(response) -> None:
    """An admin form must accept the text, or the input was not tested."""
    assert response.status_code == 302, response.content.decode()[:3000]


def now() -> str:
    return timezone.localtime().strftime("%Y-%m-%d %H:%M")


def as_rich_text(text: str) -> str:
    """What Draftail sends for a paragraph typed as ``text``."""
    return rich_text(f"<p>{escape(text)}</p>")


def listings(desk: Desk) -> list[str]:
    """Where any article shows besides its own page."""
    return [
        "/",
        desk.section.url,
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/json/",
        f"/feeds/section/{desk.section.slug}/rss/",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/search/?q=alert",
    ]


def pages(objects: list[Any], desk: Desk) -> list[str]:
    return [*(obj.url for obj in objects), *listings(desk)]


def own_pages(objects: list[Any], desk: Desk) -> list[str]:
    return [obj.get_absolute_url() for obj in objects]


def on_every_page(objects: list[Any], desk: Desk) -> list[str]:
    """Site settings show in every page's header, footer and JSON-LD, and feeds."""
    return [desk.article.url, "/feeds/rss/"]
