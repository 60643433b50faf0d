"""Block-editor (Gutenberg) content as neutral blocks.

A block is an HTML comment pair, ``<!-- wp:name {"json":"attrs"} -->`` …
``<!-- /wp:name -->``, or a void ``<!-- wp:name {…} /-->``; a name without a
namespace is ``core/``. The delimiter follows ``WP_Block_Parser``
(``wp-includes/class-wp-block-parser.php``); JSON attributes never contain
``-->`` because WordPress escapes ``--`` in them. Containers (columns, group)
are flattened; HTML between blocks is classic content.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from masthead.importers.records import Block

from .classic import classic_blocks, has_shortcodes, quote_block
from .fragments import (
    Body,
    embed,
    figure_caption,
    has_text,
    media_file,
    plain_text,
    tag_attributes,
)

DELIMITER = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+"
    r"(?P<attrs>\{(?:(?!-->).)*?\}\s+)?(?P<void>/)?-->",
    re.DOTALL,
)
_GALLERY_ITEM = re.compile(r"<li\b[^>]*>(.*?)</li>", re.IGNORECASE | re.DOTALL)
_GALLERY_CAPTION = re.compile(
    r"<figcaption\b[^>]*blocks-gallery-caption[^>]*>(.*?)</figcaption>",
    re.IGNORECASE | re.DOTALL,
)
_MEDIA_SOURCE = re.compile(r"<(?:video|audio|source)\b[^>]*\bsrc=[^>]*>", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n")
_EMBED_URL = re.compile(r"https?://[^\s<>\"]+")

RICH_TEXT = {"core/paragraph", "core/list", "core/verse", "core/details"}
RAW_HTML = {"core/html", "core/table", "core/preformatted", "core/code", "core/file"}
LAYOUT_ONLY = {"core/separator", "core/spacer", "core/more", "core/nextpage"}
CONTAINERS = {
    "core/columns",
    "core/column",
    "core/group",
    "core/row",
    "core/stack",
    "core/cover",
    "core/buttons",
}


@dataclass
class Node:
    name: str
    attrs: dict[str, Any] = field(default_factory=dict)
    # The block's inner HTML and inner blocks, in document order.
    parts: list[str | Node] = field(default_factory=list)

    @property
    def children(self) -> list[Node]:
        return [part for part in self.parts if isinstance(part, Node)]

    @property
    def own_html(self) -> str:
        """The block's HTML without its inner blocks' (a wrapper's markup)."""
        return "".join(part for part in self.parts if isinstance(part, str))

    @property
    def html(self) -> str:
        return "".join(p if isinstance(p, str) else p.html for p in self.parts)


def has_blocks(content: str) -> bool:
    return DELIMITER.search(content) is not None


def parse_tree(content: str) -> list[str | Node]:
    """The document's top level: classic HTML strings and block nodes.

    A closer without its opener is dropped; an opener never closed ends
    where its parent ends, as WordPress's parser treats them.
    """
    root = Node("root")
    stack = [root]
    position = 0
    for match in DELIMITER.finditer(content):
        stack[-1].parts.append(content[position : match.start()])
        position = match.end()
        name = match.group("name")
        if "/" not in name:
            name = f"core/{name}"
        if match.group("closer"):
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].name == name:
                    del stack[depth:]
                    break
            continue
        node = Node(name, _attributes(match.group("attrs")))
        stack[-1].parts.append(node)
        if not match.group("void"):
            stack.append(node)
    stack[-1].parts.append(content[position:])
    return root.parts


def _attributes(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        found = json.loads(text)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def gutenberg_blocks(content: str, body: Body) -> list[Block]:
    """Blocks for block-editor content; HTML between blocks read as classic."""
    blocks: list[Block] = []
    for part in parse_tree(content):
        if isinstance(part, Node):
            blocks += _convert(part, body)
        elif part.strip():
            blocks += classic_blocks(part, body)
    return blocks


def _convert(node: Node, body: Body) -> list[Block]:
    name, attrs = node.name, node.attrs
    if name in RICH_TEXT:
        # Inner blocks (list items) leave blank lines between their markup.
        html = _BLANK_LINES.sub("\n", node.html.strip())
        if has_shortcodes(html):
            # WordPress runs shortcodes typed into a paragraph too.
            return classic_blocks(html, body)
        return [Block("html", html)] if has_text(html) else []
    if name == "core/heading":
        text = plain_text(node.html)
        level = attrs.get("level", 2)
        level = level if isinstance(level, int) and 1 <= level <= 6 else 2
        return [Block("heading", {"text": text, "level": level})] if text else []
    if name in ("core/quote", "core/pullquote"):
        return quote_block(node.html)
    if name == "core/image":
        image = body.image_from_html(node.html, str(attrs.get("id", "")))
        return [Block("image", image)] if image else []
    if name == "core/gallery":
        return _gallery(node, body)
    if name == "core/embed" or name.startswith("core-embed/"):
        return _embed(node, body)
    if name in ("core/video", "core/audio"):
        return _media(node, body)
    if name in RAW_HTML:
        html = node.html.strip()
        return [Block("raw_html", {"html": html})] if html else []
    if name in LAYOUT_ONLY:
        return []
    if name == "core/shortcode" or name == "core/freeform":
        return classic_blocks(node.html, body)
    if name == "core/block":
        return _reusable(node, body)
    if name == "core/media-text":
        image = body.image(
            str(attrs.get("mediaId", "")), str(attrs.get("mediaUrl", ""))
        )
        inner = _convert_all(node.children, body)
        return ([Block("image", image)] if image else []) + inner
    if name in CONTAINERS or node.children:
        return _convert_all(node.children, body)
    if name == "core/button":
        html = node.html.strip()
        return [Block("html", html)] if has_text(html) else []
    return _unknown(node, body)


def _convert_all(nodes: list[Node], body: Body) -> list[Block]:
    blocks: list[Block] = []
    for node in nodes:
        blocks += _convert(node, body)
    return blocks


def _gallery(node: Node, body: Body) -> list[Block]:
    images: list[dict[str, str]] = []
    if node.children:
        # WordPress 5.9+: a gallery holds image blocks.
        for child in node.children:
            images += [b.value for b in _convert(child, body) if b.kind == "image"]
        caption = figure_caption(node.own_html)
    else:
        items = _GALLERY_ITEM.findall(node.html)
        for item in items:
            image = body.image_from_html(item)
            if image:
                images.append(image)
        if not items:
            ids = node.attrs.get("ids", [])
            for attachment_id in ids if isinstance(ids, list) else []:
                image = body.image(str(attachment_id))
                if image:
                    images.append(image)
        found = _GALLERY_CAPTION.search(node.html)
        caption = found.group(1).strip() if found else ""
    return body.gallery(images, caption)


def _embed(node: Node, body: Body) -> list[Block]:
    url = str(node.attrs.get("url", ""))
    if not url:
        found = _EMBED_URL.search(plain_text(node.html))
        url = found.group(0) if found else ""
    if not url:
        body.problems.append("an embed block with no address; left out")
        return []
    return [embed(url, figure_caption(node.html))]


def _media(node: Node, body: Body) -> list[Block]:
    found = _MEDIA_SOURCE.search(node.html)
    url = tag_attributes(found.group(0)).get("src", "") if found else ""
    kind = node.name.removeprefix("core/")
    return media_file(f"a {kind} block's", url, body)


def _reusable(node: Node, body: Body) -> list[Block]:
    ref = str(node.attrs.get("ref", ""))
    content = body.reusable.get(ref)
    if content is None or ref in body.expanding:
        body.problems.append(
            f"reusable block {ref or '?'} is not in the export; left out"
            if content is None
            else f"reusable block {ref} includes itself; expanded once"
        )
        return []
    body.expanding.add(ref)
    try:
        return gutenberg_blocks(content, body)
    finally:
        body.expanding.discard(ref)


def _unknown(node: Node, body: Body) -> list[Block]:
    html = node.html.strip()
    if not html:
        body.problems.append(
            f"block {node.name} is drawn by WordPress as the page is shown; "
            "nothing to import"
        )
        return []
    body.problems.append(f"block {node.name} is unknown here; kept as HTML")
    return [Block("raw_html", {"html": html})]
