"""Ghost's cards (Koenig: kg-default-nodes) as neutral blocks.

Lexical and mobiledoc store a card with the same payload keys (``src``,
``caption``, ``calloutText``...), so both formats end here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from ..records import Block

# Cards that only exist in newsletters or need Ghost's own machinery.
EMAIL_ONLY = {"email", "email-cta"}

Report = Callable[[str], None]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def image_value(payload: dict[str, Any]) -> dict[str, str]:
    return {
        "src": _text(payload.get("src")),
        "alt": _text(payload.get("alt")),
        "caption": _text(payload.get("caption")),
        "credit": "",
        "href": _text(payload.get("href")),
    }


def markdown_html(source: str) -> str:
    """A small Markdown subset: paragraphs, ``#`` headings, bold, italic, links.

    Ghost's markdown card is rare in news exports; anything richer is kept as
    text rather than adding a Markdown dependency.
    """
    out = []
    for chunk in re.split(r"\n\s*\n", source.strip()):
        text = html.escape(chunk.strip())
        if not text:
            continue
        text = re.sub(
            r"\[([^\]]+)\]\((https?://[^)\s]+)\)", r'<a href="\2">\1</a>', text
        )
        text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
        text = re.sub(r"(?<!\*)\*(?!\s)(.+?)\*", r"<em>\1</em>", text)
        heading = re.match(r"(#{1,6})\s+(.*)", text)
        if heading:
            level = min(6, max(2, len(heading.group(1))))
            out.append(f"<h{level}>{heading.group(2)}</h{level}>")
        else:
            out.append("<p>" + text.replace("\n", "<br>") + "</p>")
    return "".join(out)


def card_blocks(name: str, payload: dict[str, Any], report: Report) -> list[Block]:
    """The blocks for one card; ``report`` names what is dropped or changed."""
    match name:
        case "image":
            if not payload.get("src"):
                report("image card without a picture skipped")
                return []
            return [Block("image", image_value(payload))]
        case "gallery":
            images = [
                image_value(item)
                for item in payload.get("images") or []
                if isinstance(item, dict) and item.get("src")
            ]
            if not images:
                return []
            return [
                Block(
                    "gallery",
                    {"images": images, "caption": _text(payload.get("caption"))},
                )
            ]
        case "embed":
            return [
                Block(
                    "embed",
                    {
                        "url": _text(payload.get("url")),
                        "html": _text(payload.get("html")),
                        "caption": _text(payload.get("caption")),
                    },
                )
            ]
        case "bookmark":
            meta = payload.get("metadata") or {}
            meta = meta if isinstance(meta, dict) else {}
            return [
                Block(
                    "bookmark",
                    {
                        "url": _text(payload.get("url")),
                        "title": _text(meta.get("title")),
                        "description": _text(meta.get("description")),
                        "publisher": _text(meta.get("publisher")),
                        "author": _text(meta.get("author")),
                        "thumbnail": _text(meta.get("thumbnail")),
                    },
                )
            ]
        case "callout":
            return [
                Block(
                    "callout",
                    {
                        "html": _text(payload.get("calloutText")),
                        "emoji": _text(payload.get("calloutEmoji")),
                    },
                )
            ]
        case "html":
            return [Block("raw_html", {"html": _text(payload.get("html"))})]
        case "markdown" | "card-markdown":
            return [Block("html", markdown_html(_text(payload.get("markdown"))))]
        case "code" | "codeblock":
            code = html.escape(_text(payload.get("code")))
            return [Block("html", f"<pre><code>{code}</code></pre>")]
        case "hr" | "horizontalrule":
            return []
        case "paywall":
            return [Block("members_only", {})]
        case "button":
            url, label = (
                _text(payload.get("buttonUrl")),
                _text(payload.get("buttonText")),
            )
            if not url:
                return []
            text = html.escape(label or url)
            return [Block("html", f'<p><a href="{html.escape(url)}">{text}</a></p>')]
        case "toggle":
            heading = _text(payload.get("heading"))
            return [
                Block("html", f"<p><b>{heading}</b></p>{_text(payload.get('content'))}")
            ]
        case "video" | "audio" | "file":
            src = _text(payload.get("src"))
            title = _text(payload.get("title") or payload.get("fileTitle")) or src
            if not src.startswith(("http://", "https://")):
                report(f"{name} card ({src or 'no file'}) left out; upload it again")
                return []
            report(f"{name} card became a link to {src}")
            link = f'<p><a href="{html.escape(src)}">{html.escape(title)}</a></p>'
            return [Block("html", link)]
        case _ if name in EMAIL_ONLY:
            return []
        case _:
            report(f"{name} card has no Masthead block; skipped")
            return []
