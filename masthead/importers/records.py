"""What a parser hands the importer: plain data, no models (docs/importing.md).

One parser per source format (``ghost.py``, ``wordpress.py``) reads an export
into an ``Archive``; ``writer.py`` turns it into Masthead's authors, tags,
sections, images, articles and redirects, keyed by ``source_id`` so a second
run of the same file updates what the first created and never duplicates.

Bodies are a list of ``Block``\\ s in a neutral vocabulary the writer maps to
the article body's StreamField blocks; text blocks carry HTML that the writer
sanitises like every other rich text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

# ``html``: rich text (paragraphs, lists, inline formatting; sanitised).
# ``heading``: {"text", "level"}. ``image``: {"src", "alt", "caption",
# "credit", "href"}. ``gallery``: {"images": [image...], "caption"}.
# ``embed``: {"url", "html", "caption"}. ``bookmark``: {"url", "title",
# "description", "publisher", "author", "thumbnail"}. ``quote``: {"text",
# "attribution"}. ``callout``: {"html", "emoji"}. ``raw_html``: an HTML card
# ({"html"}), kept only as far as sanitising allows. ``members_only``: the
# gate (Ghost's paywall card).
BlockKind = Literal[
    "html",
    "heading",
    "image",
    "gallery",
    "embed",
    "bookmark",
    "quote",
    "callout",
    "raw_html",
    "members_only",
]

Status = Literal["published", "draft", "scheduled", "private"]


@dataclass
class Block:
    kind: BlockKind
    value: Any


@dataclass
class Author:
    source_id: str
    name: str
    slug: str
    email: str = ""
    bio: str = ""
    job_title: str = ""
    website: str = ""
    profile_image: str = ""  # a URL or a path inside the export


@dataclass
class Tag:
    source_id: str
    name: str
    slug: str
    description: str = ""
    # WordPress categories become sections; Ghost's primary tag may too.
    is_section: bool = False


@dataclass
class Post:
    source_id: str
    title: str
    slug: str
    status: Status
    blocks: list[Block] = field(default_factory=list)
    is_page: bool = False
    excerpt: str = ""
    meta_title: str = ""
    meta_description: str = ""
    canonical_url: str = ""
    feature_image: str = ""
    feature_image_alt: str = ""
    feature_image_caption: str = ""
    published_at: datetime | None = None
    updated_at: datetime | None = None
    author_ids: list[str] = field(default_factory=list)
    tag_ids: list[str] = field(default_factory=list)
    section_id: str = ""  # a Tag.source_id with is_section, if any
    # Ghost's visibility / a WordPress password: never public as such.
    access: Literal["everyone", "members", "paid", "private"] = "everyone"
    is_featured: bool = False  # Ghost's featured, WordPress's sticky
    # Where the post lived on the old site, for the 301 redirect.
    old_path: str = ""


@dataclass
class Problem:
    """One item the parser or writer could not take, named for the report."""

    item: str  # e.g. "post 5f3a… 'Headline'" or "line 120"
    message: str


@dataclass
class Archive:
    source: Literal["ghost", "wordpress"]
    authors: list[Author] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Where relative image paths (``/content/images/…``) are found.
    base_dir: str = ""
    site_url: str = ""
