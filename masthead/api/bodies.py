"""HTML to an article body, for both Admin APIs (ours and Ghost's).

The body is Masthead's StreamField (content/blocks.py ``ArticleBodyBlock``).
Paragraphs and lists become ``paragraph`` rich text in Wagtail's stored
format, limited to the paragraph block's features (``PARAGRAPH_FEATURES``:
``<b>``, ``<i>``, plain ``<a href>``, lists, ``<sup>``); ``h1``-``h6``
become ``heading`` blocks, ``blockquote`` ``quote`` blocks (a ``cite`` or
``footer`` the attribution), a picture from our library (uploaded through
either API) an ``image`` block, and ``<hr class="members-only">`` (ours) or
``<!--members-only-->`` (Ghost's) the "Members only from here" block. What
has no block (an embed, a picture elsewhere on the web) is kept as a link:
no request leaves the server while an article is saved. Anything else keeps
its text.

Rich text passes the house sanitiser (core/sanitize.py) on the way in, and
the article is sanitised again when rendered, so nothing a client sends can
run on the site.
"""

from html import escape
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from django.conf import settings

from masthead.content.models.access import GATE_BLOCK
from masthead.core.models import LibraryImage
from masthead.core.sanitize import clean_html

Block = tuple[str, Any]

# The paragraph block's features (content/blocks.py PARAGRAPH_FEATURES) as
# the tags Wagtail stores them with; other tags are unwrapped, their text kept.
RICH_TAGS = frozenset({"p", "b", "i", "a", "ol", "ul", "li", "sup", "br"})
RENAMED = {"strong": "b", "em": "i"}
INLINE = {
    "a", "b", "strong", "i", "em", "u", "s", "sub", "sup", "code", "span",
    "br", "small", "mark", "abbr", "cite", "q", "time",
}  # fmt: skip
CONTAINERS = {"div", "section", "article", "main", "header", "footer", "aside"}
DROPPED = {"script", "style", "template", "noscript", "iframe", "hr", "head"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
MEMBERS_ONLY = "members-only"
MAX_BLOCKS = 2000


class BodyError(ValueError):
    """A body that cannot be stored (too many blocks)."""


def body_blocks(html: str) -> list[Block]:
    """The StreamField blocks of ``html``, in order (see the module's docstring).

    Raises:
        BodyError: more than ``MAX_BLOCKS`` blocks.
    """
    builder = _Builder()
    builder.walk(BeautifulSoup(html or "", "html.parser"))
    builder.flush()
    return builder.blocks


def rich_text(html: str) -> str:
    """``html`` sanitised and limited to the paragraph block's tags and plain links."""
    soup = BeautifulSoup(clean_html(html), "html.parser")
    for tag in soup.find_all(True):
        name = RENAMED.get(tag.name, tag.name)
        if name not in RICH_TAGS or (name == "a" and not tag.get("href")):
            tag.unwrap()
            continue
        tag.name = name
        tag.attrs = {"href": tag["href"]} if name == "a" else {}
    return str(soup).strip()


def library_image(url: str) -> LibraryImage | None:
    """The library picture stored at ``url`` (one of ours), if any."""
    path = urlsplit(url or "").path
    if not path.startswith(settings.MEDIA_URL):
        return None
    name = path[len(settings.MEDIA_URL) :]
    return LibraryImage.objects.filter(file=name).first() if name else None


def _link(url: str, text: str) -> str:
    return f'<p><a href="{escape(url)}">{escape(text)}</a></p>'


class _Builder:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.pending: list[str] = []
        self.gated = False

    def add(self, kind: str, value: Any) -> None:
        if kind == GATE_BLOCK:
            # One gate at most (ArticleBodyBlock's block_counts): the first wins.
            if self.gated:
                return
            self.gated = True
        self.blocks.append((kind, value))
        if len(self.blocks) > MAX_BLOCKS:
            raise BodyError(f"the body has more than {MAX_BLOCKS} blocks")

    def flush(self) -> None:
        inline = "".join(self.pending).strip()
        self.pending = []
        if inline:
            self.paragraph(f"<p>{inline}</p>")

    def paragraph(self, html: str) -> None:
        cleaned = rich_text(html)
        if BeautifulSoup(cleaned, "html.parser").get_text().strip():
            self.add("paragraph", cleaned)

    def text(self, text: str) -> None:
        if text.strip():
            self.paragraph(f"<p>{escape(text)}</p>")

    def walk(self, parent: Tag) -> None:
        for node in list(parent.children):
            if isinstance(node, Comment):
                if node.strip() == MEMBERS_ONLY:
                    self.flush()
                    self.add(GATE_BLOCK, None)
            elif type(node) is NavigableString:
                # Text as HTML again: "&lt;" must not become a tag.
                self.pending.append(escape(str(node), quote=False))
            elif isinstance(node, Tag):
                self.element(node)

    def element(self, tag: Tag) -> None:
        name = tag.name.lower()
        if name in INLINE:
            self.pending.append(str(tag))
            return
        self.flush()
        if name == "hr" and MEMBERS_ONLY in (tag.get("class") or []):
            self.add(GATE_BLOCK, None)
        elif name in DROPPED:
            return
        elif name in CONTAINERS or name in ("html", "body"):
            self.walk(tag)
        elif name in ("p", "ul", "ol"):
            self.paragraph(str(tag))
        elif name == "pre":
            # Code keeps its lines; the paragraph block has no code feature.
            lines = "<br>".join(escape(line) for line in tag.get_text().split("\n"))
            self.paragraph(f"<p>{lines}</p>")
        elif name in HEADINGS:
            text = tag.get_text(" ", strip=True)[:200]
            if text:
                level = "h2" if name in ("h1", "h2") else "h3"
                self.add("heading", {"text": text, "level": level})
        elif name == "blockquote":
            self.quote(tag)
        elif name in ("figure", "img"):
            self.figure(tag)
        else:
            self.text(tag.get_text(" ", strip=True))

    def quote(self, tag: Tag) -> None:
        attribution = ""
        for credit in tag.find_all(["cite", "footer"]):
            attribution = attribution or credit.get_text(" ", strip=True)
            credit.extract()
        text = tag.get_text(" ", strip=True)
        if text:
            value = {"text": text, "attribution": attribution[:200], "language": ""}
            self.add("quote", value)

    def figure(self, tag: Tag) -> None:
        image = tag if tag.name == "img" else tag.find("img")
        caption_tag = tag.find("figcaption") if tag.name == "figure" else None
        caption = caption_tag.get_text(" ", strip=True)[:500] if caption_tag else ""
        if isinstance(image, Tag):
            src = str(image.get("src") or "")
            alt = str(image.get("alt") or "")[:300]
            found = library_image(src)
            if found is not None:
                value = {"image": found, "caption": caption, "alt_text": alt}
                self.add("image", value | {"credit": ""})
            elif src.startswith(("http://", "https://")):
                self.paragraph(_link(src, caption or alt or src))
            return
        # An embed (Ghost's kg-embed-card) or a figure around a link.
        url = str(tag.get("data-url") or "")
        link = tag.find("a")
        if not url and isinstance(link, Tag):
            url = str(link.get("href") or "")
        if url.startswith(("http://", "https://")):
            self.paragraph(_link(url, caption or url))
        else:
            self.text(caption)
