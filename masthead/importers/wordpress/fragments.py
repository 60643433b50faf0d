"""What both body converters share: the attachments, small HTML reads, block builders.

Post content is read with regular expressions and the standard library's
HTML tokenizer rather than a full parser: the pieces are small and regular
(WordPress writes them), and the writer sanitises every piece of HTML kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

from masthead.importers.records import Block

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_FIGCAPTION = re.compile(
    r"<figcaption\b[^>]*>(.*?)</figcaption>", re.IGNORECASE | re.DOTALL
)
_LINK_AROUND_IMG = re.compile(r"<a\b([^>]*)>\s*<img\b", re.IGNORECASE | re.DOTALL)
_WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")
# Where an embed is an oEmbed the site can show rather than a media file.
EMBED_HOSTS = re.compile(
    r"^https?://(?:[\w-]+\.)*(?:youtube\.com|youtu\.be|vimeo\.com|twitter\.com|"
    r"x\.com|instagram\.com|facebook\.com|soundcloud\.com|spotify\.com|"
    r"tiktok\.com|flickr\.com|dailymotion\.com|reddit\.com|tumblr\.com|"
    r"mixcloud\.com|ted\.com|wordpress\.tv|imgur\.com|bsky\.app)/",
    re.IGNORECASE,
)


@dataclass
class Attachment:
    post_id: str
    url: str
    alt: str = ""
    caption: str = ""
    parent: str = ""
    menu_order: int = 0


@dataclass
class Body:
    """One post's conversion: the media it may point at, and what went wrong."""

    attachments: dict[str, Attachment]
    reusable: dict[str, str] = field(default_factory=dict)
    post_id: str = ""
    problems: list[str] = field(default_factory=list)
    # Reusable blocks being expanded, so one that includes itself stops.
    expanding: set[str] = field(default_factory=set)

    def image(
        self,
        attachment_id: str = "",
        src: str = "",
        alt: str = "",
        caption: str = "",
        href: str = "",
    ) -> dict[str, str] | None:
        """An image value: the attachment's full-size file when known.

        ``src`` in content is often a resized copy (``photo-1024x768.jpg``);
        the attachment's URL is the original. ``None`` when neither is known.
        """
        attachment = self.attachments.get(attachment_id) if attachment_id else None
        if attachment is not None:
            src = attachment.url or src
            alt = alt or attachment.alt
        elif attachment_id and not src:
            self.problems.append(
                f"image {attachment_id} is not among the export's attachments; left out"
            )
            return None
        if not src:
            return None
        return {"src": src, "alt": alt, "caption": caption, "credit": "", "href": href}

    def image_from_html(
        self, html: str, attachment_id: str = ""
    ) -> dict[str, str] | None:
        """The image of a figure or a classic ``<img>``, with its caption and link."""
        tag = _IMG.search(html)
        if tag is None:
            if attachment_id:
                return self.image(attachment_id)
            return None
        attributes = tag_attributes(tag.group(0))
        if not attachment_id:
            numbered = _WP_IMAGE_CLASS.search(attributes.get("class", ""))
            attachment_id = attributes.get("data-id", "") or (
                numbered.group(1) if numbered else ""
            )
        link = _LINK_AROUND_IMG.search(html)
        href = tag_attributes(f"<a{link.group(1)}>").get("href", "") if link else ""
        caption = _FIGCAPTION.search(html)
        return self.image(
            attachment_id,
            src=attributes.get("src", ""),
            alt=attributes.get("alt", ""),
            caption=caption.group(1).strip() if caption else "",
            href=href,
        )

    def gallery(self, images: list[dict[str, str]], caption: str = "") -> list[Block]:
        if not images:
            self.problems.append("a gallery with no images it could find; left out")
            return []
        return [Block("gallery", {"images": images, "caption": caption})]


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.found:
            self.found = {name: value or "" for name, value in attrs}

    handle_startendtag = handle_starttag


def tag_attributes(tag: str) -> dict[str, str]:
    """The attributes of one start tag, as the browser would read them."""
    parser = _Attributes()
    parser.feed(tag)
    parser.close()
    return parser.found


def plain_text(html: str) -> str:
    """Text without tags or entities, its whitespace collapsed."""
    return _SPACE.sub(" ", unescape(_TAG.sub(" ", html))).strip()


def figure_caption(html: str) -> str:
    found = _FIGCAPTION.search(html)
    return found.group(1).strip() if found else ""


def embed(url: str, caption: str = "") -> Block:
    return Block("embed", {"url": url, "html": "", "caption": caption})


def media_file(kind: str, url: str, body: Body) -> list[Block]:
    """An ``[audio]``/``[video]`` or a media block: an embed when a provider
    plays it, else a link to the file with a problem (the file is not copied).
    """
    if not url:
        body.problems.append(f"{kind} with no file or address; left out")
        return []
    if EMBED_HOSTS.match(url):
        return [embed(url)]
    body.problems.append(
        f"{kind} file {url} is not imported (only images are); linked instead"
    )
    escaped = url.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return [Block("html", f'<p><a href="{escaped}">{escaped}</a></p>')]


def has_text(html: str) -> bool:
    return bool(plain_text(html)) or bool(_IMG.search(html))


def merge_html(blocks: list[Block]) -> list[Block]:
    """Neighbouring rich-text blocks as one, as an editor would have typed them."""
    merged: list[Block] = []
    for block in blocks:
        if block.kind == "html" and merged and merged[-1].kind == "html":
            merged[-1] = Block("html", f"{merged[-1].value}\n{block.value}")
        else:
            merged.append(block)
    return merged
