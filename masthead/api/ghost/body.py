"""HTML (Ghost's ``?source=html``, or rendered Lexical) to an article body.

The body is Masthead's StreamField (content/blocks.py ``ArticleBodyBlock``):
paragraphs and lists become ``paragraph`` rich text (sanitised, in Wagtail's
stored format: ``<b>``, ``<i>``, plain ``<a href>``), ``h1``-``h6``
``heading`` blocks, ``blockquote`` ``quote`` blocks, a picture uploaded
through ``/images/upload/`` an ``image`` block, and Ghost's
``<!--members-only-->`` marker the "Members only from here" block. What has
no block (an embed, a picture elsewhere on the web) is kept as a link: no
request leaves the server while an article is saved.
"""

from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from django.conf import settings

from masthead.core.models import LibraryImage
from masthead.core.sanitize import clean_html

Block = tuple[str, Any]

INLINE = {
    "a", "b", "strong", "i", "em", "u", "s", "sub", "sup", "code", "span",
    "br", "small", "mark", "abbr", "cite", "q", "time",
}  # fmt: skip
CONTAINERS = {"div", "section", "article", "main", "header", "footer", "aside"}
DROPPED = {"script", "style", "template", "noscript", "iframe", "hr", "head"}
MEMBERS_ONLY = "members-only"
RENAMED = {"strong": "b", "em": "i"}
MAX_BLOCKS = 2000


class BodyError(ValueError):
    """A body that cannot be stored (too many blocks)."""


def blocks_from_html(html: str) -> list[Block]:
    """The StreamField blocks of ``html``, in order.

    Raises:
        BodyError: more than ``MAX_BLOCKS`` blocks.
    """
    soup = BeautifulSoup(html or "", "html.parser")
    builder = _Builder()
    builder.walk(soup)
    builder.flush()
    if len(builder.blocks) > MAX_BLOCKS:
        raise BodyError(f"the body has more than {MAX_BLOCKS} blocks")
    # One gate at most (ArticleBodyBlock's block_counts): the first one wins.
    gates = [n for n, (kind, _v) in enumerate(builder.blocks) if kind == "members_only"]
    return [b for n, b in enumerate(builder.blocks) if n not in gates[1:]]


def library_image(url: str) -> LibraryImage | None:
    """The library picture stored at ``url`` (one of ours), if any."""
    path = urlsplit(url or "").path
    if not path.startswith(settings.MEDIA_URL):
        return None
    name = path[len(settings.MEDIA_URL) :]
    return LibraryImage.objects.filter(file=name).first() if name else None


def rich_text(html: str) -> str:
    """Sanitised HTML with Wagtail's tags for bold and italic."""
    soup = BeautifulSoup(clean_html(html), "html.parser")
    for old, new in RENAMED.items():
        for tag in soup.find_all(old):
            tag.name = new
    return str(soup).strip()


class _Builder:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.pending: list[str] = []

    def flush(self) -> None:
        inline = "".join(self.pending).strip()
        self.pending = []
        if inline:
            self.paragraph(f"<p>{inline}</p>")

    def paragraph(self, html: str) -> None:
        cleaned = rich_text(html)
        if BeautifulSoup(cleaned, "html.parser").get_text().strip():
            self.blocks.append(("paragraph", cleaned))

    def walk(self, parent: Tag) -> None:
        for node in list(parent.children):
            if isinstance(node, Comment):
                if node.strip() == MEMBERS_ONLY:
                    self.flush()
                    self.blocks.append(("members_only", None))
            elif isinstance(node, NavigableString):
                if str(node).strip():
                    self.pending.append(str(node))
            elif isinstance(node, Tag):
                self.element(node)

    def element(self, tag: Tag) -> None:
        name = tag.name.lower()
        if name in INLINE:
            self.pending.append(str(tag))
            return
        self.flush()
        if name in DROPPED:
            return
        if name in CONTAINERS or name in ("html", "body"):
            self.walk(tag)
        elif name in ("p", "ul", "ol", "table", "pre", "dl"):
            self.paragraph(
                str(tag) if name != "pre" else f"<p>{tag.decode_contents()}</p>"
            )
        elif name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = tag.get_text(" ", strip=True)[:200]
            if text:
                level = "h2" if name in ("h1", "h2") else "h3"
                self.blocks.append(("heading", {"text": text, "level": level}))
        elif name == "blockquote":
            self.quote(tag)
        elif name in ("figure", "img"):
            self.figure(tag)
        else:
            self.paragraph(f"<p>{tag.get_text(' ', strip=True)}</p>")

    def quote(self, tag: Tag) -> None:
        attribution = ""
        for credit in tag.find_all(["cite", "footer"]):
            attribution = attribution or credit.get_text(" ", strip=True)
            credit.extract()
        text = tag.get_text(" ", strip=True)
        if text:
            self.blocks.append(
                (
                    "quote",
                    {"text": text, "attribution": attribution[:200], "language": ""},
                )
            )

    def figure(self, tag: Tag) -> None:
        image = tag if tag.name == "img" else tag.find("img")
        caption_tag = tag.find("figcaption") if tag.name == "figure" else None
        caption = caption_tag.get_text(" ", strip=True)[:500] if caption_tag else ""
        if isinstance(image, Tag):
            src = str(image.get("src") or "")
            alt = str(image.get("alt") or "")[:300]
            found = library_image(src)
            if found is not None:
                self.blocks.append(
                    (
                        "image",
                        {
                            "image": found,
                            "caption": caption,
                            "alt_text": alt,
                            "credit": "",
                        },
                    )
                )
            elif src.startswith(("http://", "https://")):
                label = BeautifulSoup("", "html.parser").new_tag("a", href=src)
                label.string = caption or alt or src
                self.paragraph(f"<p>{label}</p>")
            return
        url = str(tag.get("data-url") or "")
        link = tag.find("a")
        if not url and isinstance(link, Tag):
            url = str(link.get("href") or "")
        if url.startswith(("http://", "https://")):
            anchor = BeautifulSoup("", "html.parser").new_tag("a", href=url)
            anchor.string = caption or url
            self.paragraph(f"<p>{anchor}</p>")
        elif caption:
            self.paragraph(f"<p>{caption}</p>")
