"""Neutral blocks (records.Block) to the article body's StreamField data.

| record block   | ArticleBodyBlock                                   |
|----------------|----------------------------------------------------|
| html, raw_html | paragraph (consecutive ones joined; sanitised when |
|                | rendered like every rich text)                     |
| heading        | heading (h2; an h3 only after an h2, none skipped)  |
| image          | image (the picture imported into the library)      |
| gallery        | gallery (one picture left: image)                  |
| quote          | quote                                              |
| embed          | embed (the source's HTML kept as Wagtail's cached   |
|                | embed, so nothing is fetched)                      |
| bookmark       | related_article with the URL, title, description   |
| callout        | paragraph, the emoji before the text               |
| members_only   | members_only (gated articles only)                 |
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from typing import Any

from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from ..records import Block
from .images import ImageStore

Report = Callable[[str], None]
TAG = re.compile(r"<[^>]+>")


def plain(text: str, limit: int) -> str:
    """Text without markup, cut to ``limit`` characters (CharBlock fields)."""
    return html_lib.unescape(TAG.sub("", text or "")).strip()[:limit]


def _picture(
    value: dict[str, Any], images: ImageStore, report: Report
) -> dict[str, Any] | None:
    image = images.get(
        str(value.get("src", "")), plain(value.get("alt", ""), 255), report
    )
    if image is None:
        return None
    return {
        "image": image.pk,
        "caption": plain(value.get("caption", ""), 500),
        "alt_text": plain(value.get("alt", ""), 300),
        "credit": plain(value.get("credit", ""), 200),
    }


def _embed(value: dict[str, Any], dry_run: bool) -> str:
    url = str(value.get("url", ""))
    if url and not dry_run:
        # Wagtail looks an embed up by this hash before asking a provider:
        # the export's HTML answers, and the import fetches nothing.
        Embed.objects.update_or_create(
            hash=get_embed_hash(url),
            defaults={
                "url": url,
                "html": str(value.get("html", "")),
                "type": "rich" if value.get("html") else "link",
                "cache_until": None,
            },
        )
    return url


def _callout(value: dict[str, Any]) -> str:
    """A callout as a paragraph, its emoji inside the text's first paragraph."""
    emoji = html_lib.escape(str(value.get("emoji", "")))
    inner = str(value.get("html", ""))
    if not emoji:
        return inner if inner.lstrip().startswith("<p") else f"<p>{inner}</p>"
    if re.match(r"\s*<p[\s>]", inner):
        # Case: the text is paragraphs already (Ghost's calloutText).
        return re.sub(
            r"^\s*<p([^>]*)>", lambda m: f"<p{m.group(1)}>{emoji} ", inner, count=1
        )
    return f"<p>{emoji} {inner}</p>"


def stream_data(
    blocks: list[Block],
    images: ImageStore,
    report: Report,
    *,
    gated: bool,
    dry_run: bool,
) -> list[dict[str, Any]]:
    """The body's raw StreamField data for ``blocks``."""
    out: list[dict[str, Any]] = []
    text: list[str] = []

    def flush() -> None:
        if text:
            out.append({"type": "paragraph", "value": "".join(text)})
            text.clear()

    gate_seen = False
    h2_seen = False
    galleries = 0
    for block in blocks:
        value = block.value
        if block.kind == "html":
            text.append(str(value))
            continue
        if block.kind == "raw_html":
            text.append(str(value.get("html", "")))
            continue
        if block.kind == "callout":
            text.append(_callout(value))
            continue
        flush()
        match block.kind:
            case "heading":
                level = int(value.get("level", 2) or 2)
                heading = plain(value.get("text", ""), 200)
                if heading:
                    # No level skipped under the page's h1: an h3 only
                    # after an h2 (WCAG 1.3.1, axe's heading-order).
                    level_name = "h3" if level > 2 and h2_seen else "h2"
                    h2_seen = True
                    out.append(
                        {
                            "type": "heading",
                            "value": {"text": heading, "level": level_name},
                        }
                    )
            case "image":
                picture = _picture(value, images, report)
                if picture is not None:
                    out.append({"type": "image", "value": picture})
            case "gallery":
                pictures = [
                    p
                    for p in (
                        _picture(v, images, report) for v in value.get("images", [])
                    )
                    if p is not None
                ][:30]
                if len(pictures) == 1:
                    out.append({"type": "image", "value": pictures[0]})
                elif pictures:
                    galleries += 1
                    # Each gallery is a named region: names must differ.
                    title = plain(value.get("caption", ""), 200) or (
                        "Gallery" if galleries == 1 else f"Gallery {galleries}"
                    )
                    out.append(
                        {
                            "type": "gallery",
                            "value": {"title": title, "images": pictures},
                        }
                    )
            case "quote":
                quote = plain(value.get("text", ""), 10_000)
                if quote:
                    out.append(
                        {
                            "type": "quote",
                            "value": {
                                "text": quote,
                                "attribution": plain(value.get("attribution", ""), 200),
                                "language": "",
                            },
                        }
                    )
            case "embed":
                url = _embed(value, dry_run)
                if url:
                    out.append({"type": "embed", "value": url})
                else:
                    report("embed without a URL left out")
            case "bookmark":
                url = str(value.get("url", ""))
                if url.startswith(("http://", "https://")):
                    out.append(
                        {
                            "type": "related_article",
                            "value": {
                                "article": None,
                                "url": url,
                                "title": plain(value.get("title", ""), 300)
                                or url[:300],
                                "description": plain(
                                    value.get("description", ""), 2000
                                ),
                                "publisher": plain(value.get("publisher", ""), 120),
                                "author": plain(value.get("author", ""), 200),
                                "thumbnail": None,
                            },
                        }
                    )
            case "members_only":
                if gated and not gate_seen:
                    out.append({"type": "members_only", "value": None})
                    gate_seen = True
    flush()
    return out


def page_html(blocks: list[Block], report: Report) -> str:
    """A standard page's rich text body: the text blocks; pictures are left out."""
    parts: list[str] = []
    for block in blocks:
        value = block.value
        if block.kind == "html":
            parts.append(str(value))
        elif block.kind == "raw_html":
            parts.append(str(value.get("html", "")))
        elif block.kind == "heading":
            tag = "h2" if int(value.get("level", 2) or 2) <= 2 else "h3"
            parts.append(
                f"<{tag}>{html_lib.escape(plain(value.get('text', ''), 200))}</{tag}>"
            )
        elif block.kind == "quote":
            parts.append(
                f"<blockquote>{html_lib.escape(value.get('text', ''))}</blockquote>"
            )
        elif block.kind == "callout":
            parts.append(f"<p>{value.get('html', '')}</p>")
        elif block.kind == "bookmark" and value.get("url"):
            url = html_lib.escape(str(value["url"]))
            title = html_lib.escape(
                plain(value.get("title", ""), 300) or str(value["url"])
            )
            parts.append(f'<p><a href="{url}">{title}</a></p>')
        elif block.kind != "members_only":
            report(f"{block.kind} block left out of the page (pages take text only)")
    return "".join(parts)
