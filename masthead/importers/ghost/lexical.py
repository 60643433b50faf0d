"""Ghost's Lexical documents (``posts.lexical``) as neutral blocks.

Node shapes follow Koenig's kg-default-nodes: a ``root`` whose children are
paragraphs, headings, lists, quotes and cards; text nodes carry Lexical's
format bit field (``IS_BOLD = 1``, ``IS_ITALIC = 2``...).
"""

from __future__ import annotations

import html
from typing import Any

from ..records import Block
from .cards import Report, card_blocks

# Lexical's text format bits (lexical/src/LexicalConstants.ts), outermost first.
FORMAT_TAGS = (
    (1, "strong"),
    (2, "em"),
    (4, "s"),
    (8, "u"),
    (16, "code"),
    (32, "sub"),
    (64, "sup"),
)
TEXT_TYPES = {"text", "extended-text", "tk"}
HEADING_TYPES = {"heading", "extended-heading"}
QUOTE_TYPES = {"quote", "extended-quote", "aside"}


def _children(node: dict[str, Any]) -> list[dict[str, Any]]:
    children = node.get("children")
    return (
        [c for c in children if isinstance(c, dict)]
        if isinstance(children, list)
        else []
    )


def inline_html(nodes: list[dict[str, Any]]) -> str:
    """The HTML of a run of inline nodes."""
    out = []
    for node in nodes:
        kind = node.get("type")
        if kind in TEXT_TYPES:
            text = html.escape(str(node.get("text", "")), quote=False)
            raw = node.get("format")
            fmt = raw if isinstance(raw, int) else 0
            for bit, tag in reversed(FORMAT_TAGS):
                if fmt & bit:
                    text = f"<{tag}>{text}</{tag}>"
            out.append(text)
        elif kind == "linebreak":
            out.append("<br>")
        elif kind in {"link", "autolink", "at-link"}:
            url = html.escape(str(node.get("url", "")))
            out.append(f'<a href="{url}">{inline_html(_children(node))}</a>')
        else:
            out.append(inline_html(_children(node)))
    return "".join(out)


def plain_text(node: dict[str, Any]) -> str:
    if node.get("type") in TEXT_TYPES:
        return str(node.get("text", ""))
    if node.get("type") == "linebreak":
        return "\n"
    return "".join(plain_text(child) for child in _children(node))


def list_html(node: dict[str, Any]) -> str:
    tag = "ol" if node.get("listType") == "number" or node.get("tag") == "ol" else "ul"
    items = []
    for item in _children(node):
        inline = [c for c in _children(item) if c.get("type") != "list"]
        nested = "".join(
            list_html(c) for c in _children(item) if c.get("type") == "list"
        )
        items.append(f"<li>{inline_html(inline)}{nested}</li>")
    return f"<{tag}>{''.join(items)}</{tag}>"


def node_blocks(node: dict[str, Any], report: Report) -> list[Block]:
    kind = str(node.get("type", ""))
    if kind == "paragraph":
        inner = inline_html(_children(node))
        return [Block("html", f"<p>{inner}</p>")] if inner.strip() else []
    if kind in HEADING_TYPES:
        tag = str(node.get("tag", "h2"))
        level = int(tag[1]) if len(tag) == 2 and tag[1].isdigit() else 2
        text = plain_text(node).strip()
        return [Block("heading", {"text": text, "level": level})] if text else []
    if kind == "list":
        return [Block("html", list_html(node))]
    if kind in QUOTE_TYPES:
        text = plain_text(node).strip()
        return [Block("quote", {"text": text, "attribution": ""})] if text else []
    return card_blocks(kind, node, report)


def lexical_blocks(document: str, report: Report) -> list[Block]:
    """Blocks of a Lexical JSON string.

    Raises:
        ValueError: not Lexical JSON (the caller falls back to mobiledoc/html).
    """
    import json

    data = json.loads(document)
    root = data.get("root") if isinstance(data, dict) else None
    if not isinstance(root, dict):
        raise ValueError("no Lexical root node")
    blocks: list[Block] = []
    for node in _children(root):
        blocks.extend(node_blocks(node, report))
    return blocks
