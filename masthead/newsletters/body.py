"""An issue's body as plain data, for its e-mail and its archive page (#16).

``newsletters/email/issue_body.html`` formats what ``issue_blocks`` returns
and queries nothing, so the e-mail and the web archive show the same body
from one template: the sender includes it in the message, the archive page
in the site's layout.

A story whose article is no longer public (unpublished, made private, back
under embargo) is left out: newsletters ask the one visibility rule
(content/visibility.py) like every other place.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.safestring import mark_safe

from masthead.content.visibility import is_public

from .models import Issue

# Pictures are at most the e-mail's width, twice over for sharp screens.
PICTURE_RENDITION = "width-1200"
_RELATIVE_URL = re.compile(r'(href|src)="(/[^/"][^"]*|/)"')


def absolute(url: str, base_url: str) -> str:
    """``url`` made absolute on ``base_url`` when it is a path (``/world/…``)."""
    if base_url and url.startswith("/") and not url.startswith("//"):
        return base_url.rstrip("/") + url
    return url


def _absolute_links(html: str, base_url: str) -> str:
    if not base_url:
        return html
    return _RELATIVE_URL.sub(
        lambda match: f'{match.group(1)}="{absolute(match.group(2), base_url)}"', html
    )


def issue_blocks(issue: Issue, base_url: str = "") -> list[dict[str, Any]]:
    """The blocks of ``issue``'s body, ready for ``issue_body.html``.

    Args:
        issue: the issue.
        base_url: prefixed to site paths (``https://news.example.org``); an
            e-mail needs absolute links, a web page may pass ``""``.

    Returns:
        One dict per block, each with ``type`` (``heading``, ``text``,
        ``story``, ``picture``) and what the template shows of it:
        ``text`` (heading), ``html`` (text, already safe), ``headline``,
        ``standfirst``, ``url`` (story), ``src``, ``width``, ``height``,
        ``alt``, ``caption`` (picture).
    """
    blocks: list[dict[str, Any]] = []
    for child in issue.body:
        kind = child.block_type
        value = child.value
        if kind == "heading":
            blocks.append({"type": kind, "text": str(value)})
        elif kind == "text":
            # The rich text's own renderer (internal links expanded): its
            # output is the editor's sanitised HTML.
            html = _absolute_links(str(value.__html__()), base_url)
            blocks.append({"type": kind, "html": mark_safe(html)})  # noqa: S308
        elif kind == "story":
            article = value.get("page")
            if article is None or not is_public(article.specific):
                continue
            article = article.specific
            url = article.get_full_url() if base_url else article.get_url()
            blocks.append(
                {
                    "type": kind,
                    "id": article.pk,
                    "hero_image_id": getattr(article, "hero_image_id", None),
                    "headline": article.title,
                    "standfirst": value.get("note") or article.standfirst,
                    "url": absolute(url or "", base_url),
                }
            )
        elif kind == "picture":
            image = value.get("image")
            if image is None:
                continue
            rendition = image.get_rendition(PICTURE_RENDITION)
            blocks.append(
                {
                    "type": kind,
                    "image_id": image.pk,
                    "src": absolute(rendition.url, base_url),
                    "width": rendition.width,
                    "height": rendition.height,
                    "alt": value.get("alt_text", ""),
                    "caption": value.get("caption", ""),
                }
            )
    return blocks
