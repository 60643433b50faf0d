"""The shapes of the APIs' requests and responses (the OpenAPI document's schemas).

Views build plain dicts (serialize.py) and validate them against these
before sending, so a response cannot drift from what /api/openapi.json says.
"""

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field, field_validator

# Slugs as Wagtail and the taxonomy allow them (Unicode letters too).
SLUG_PATTERN = r"^[-\w]+$"


class Problem(Schema):
    code: str
    message: str
    field: str | None = None


class Problems(Schema):
    errors: list[Problem]


class Link(Schema):
    id: int
    slug: str
    name: str


class Image(Schema):
    id: int
    url: str
    width: int
    height: int
    alt_text: str
    credit: str


class ArticleSummary(Schema):
    id: int
    slug: str
    title: str
    standfirst: str
    url: str | None
    edition: str | None
    genre: str
    section: Link | None
    authors: list[Link]
    tags: list[Link]
    hero_image: Image | None
    hero_caption: str
    published_at: datetime
    updated_at: datetime | None
    # Who reads the whole body on the site; the API gives everyone only the
    # part above the gate (``body_html``).
    access: str
    is_gated: bool
    is_live: bool
    live_status: str
    word_count: int
    read_time_minutes: int


class Article(ArticleSummary):
    body_html: str
    live_summary_html: str


class Page(Schema):
    """Where the next page starts: pass ``next_cursor`` as ``cursor``."""

    next_cursor: str | None
    limit: int


class ArticleList(Schema):
    articles: list[ArticleSummary]
    page: Page


class Section(Schema):
    id: int
    slug: str
    title: str
    intro: str
    url: str | None


class SectionList(Schema):
    sections: list[Section]


class Tag(Schema):
    id: int
    slug: str
    name: str
    tag_type: str
    description: str


class TagList(Schema):
    tags: list[Tag]
    page: Page


class Author(Schema):
    id: int
    slug: str
    name: str
    job_title: str
    bio: str
    avatar: Image | None


class AuthorList(Schema):
    authors: list[Author]
    page: Page


class FeedItem(Schema):
    id: int
    headline: str
    body_html: str
    published_at: datetime
    updated_at: datetime
    url: str
    is_pinned: bool
    is_key_event: bool
    article_id: int | None
    live_page_id: int | None


class FeedItemList(Schema):
    items: list[FeedItem]
    page: Page


class LivePage(Schema):
    article: Article
    coverage_started_at: datetime | None
    coverage_ended_at: datetime | None
    updates: list[FeedItem]
    page: Page


class LivePageList(Schema):
    articles: list[ArticleSummary]


class Correction(Schema):
    id: int
    kind: str
    text: str
    published_at: datetime
    article_id: int
    article_title: str
    article_url: str | None


class CorrectionList(Schema):
    corrections: list[Correction]
    page: Page


# The Admin API ---------------------------------------------------------------


class Input(Schema):
    """A request body: no NUL characters (PostgreSQL refuses them in text)."""

    @field_validator("*", mode="before")
    @classmethod
    def no_nul(cls, value: Any) -> Any:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise ValueError("NUL characters are not allowed.")
        return value


AccessLevel = Literal["everyone", "members", "paid", "tiers"]


class ArticleIn(Input):
    """A new article: a draft until published."""

    section: str = Field(max_length=255, pattern=SLUG_PATTERN)
    title: str = Field(min_length=1, max_length=255)
    slug: str | None = Field(None, max_length=255, pattern=SLUG_PATTERN)
    standfirst: str = Field("", max_length=2000)
    body_html: str = Field("", max_length=500_000)
    authors: list[str] = Field(default_factory=list, max_length=20)
    tags: list[str] = Field(default_factory=list, max_length=50)
    access: AccessLevel = "everyone"
    hero_image_id: int | None = Field(None, ge=1, le=2**31 - 1)


class ArticlePatch(Input):
    """What to change; fields left out keep their value."""

    title: str | None = Field(None, min_length=1, max_length=255)
    standfirst: str | None = Field(None, max_length=2000)
    body_html: str | None = Field(None, max_length=500_000)
    authors: list[str] | None = Field(None, max_length=20)
    tags: list[str] | None = Field(None, max_length=50)
    access: AccessLevel | None = None
    hero_image_id: int | None = Field(None, ge=1, le=2**31 - 1)


class PublishIn(Input):
    """``go_live_at`` in the future schedules instead of publishing now."""

    go_live_at: datetime | None = None


class AdminArticle(Schema):
    id: int
    slug: str
    title: str
    standfirst: str
    section: Link | None
    status: Literal["draft", "scheduled", "published", "unpublished"]
    is_live: bool
    has_unpublished_changes: bool
    go_live_at: datetime | None
    published_at: datetime | None
    url: str | None
    access: str


class CorrectionIn(Input):
    kind: Literal["correction", "clarification", "update", "editors_note"] = (
        "correction"
    )
    text: str = Field(min_length=1, max_length=5000)


class FeedItemIn(Input):
    headline: str = Field(min_length=1, max_length=255)
    body_html: str = Field("", max_length=50_000)
    article_id: int | None = Field(None, ge=1, le=2**31 - 1)
    is_pinned: bool = False
    image_id: int | None = Field(None, ge=1, le=2**31 - 1)
    image_caption: str = Field("", max_length=500)


class ImageOut(Schema):
    id: int
    title: str
    url: str
    width: int
    height: int
    alt_text: str
    credit: str
