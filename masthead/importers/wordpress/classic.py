"""Classic-editor content (no block comments) and shortcodes as neutral blocks.

WordPress stores classic posts without ``<p>``: ``wpautop()``
(``wp-includes/formatting.php``) adds them on display, a blank line ending a
paragraph and a single newline becoming ``<br />``; block-level elements
(lists, tables, headings, quotes) stand on their own. A URL alone on its line
is an embed (``WP_Embed::autoembed``). Shortcodes follow
``get_shortcode_regex()`` and ``shortcode_parse_atts()``; ``[[name]]`` is
WordPress's escape for a literal.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from masthead.importers.records import Block

from .fragments import (
    Body,
    embed,
    has_text,
    media_file,
    plain_text,
)

_SHORTCODE = re.compile(
    r"\[(?P<open>\[?)(?P<name>[A-Za-z][\w-]*)(?![\w-])"
    r"(?P<attrs>[^\]/]*(?:/(?!\])[^\]/]*)*?)"
    r"(?:/\]|\](?:(?P<inner>[^\[]*+(?:\[(?!/(?P=name)\])[^\[]*+)*+)\[/(?P=name)\])?)"
    r"(?P<close>\]?)"
)
_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"]+))|"([^"]*)"|'([^']*)'|(\S+)"""
)
_CURLY_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2033": '"'})
_COMMENT = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.DOTALL)
_BLOCK_TAGS = (
    "address|article|aside|blockquote|details|div|dl|fieldset|figure|form|"
    r"h[1-6]|hr|iframe|ol|p|pre|section|table|ul|style|script|object|video|audio"
)
_BLOCK_START = re.compile(rf"^[ \t]*<({_BLOCK_TAGS})\b", re.IGNORECASE | re.MULTILINE)
# Right where the previous element ended, as in "</h3><p>…".
_BLOCK_HERE = re.compile(rf"\s*<({_BLOCK_TAGS})\b", re.IGNORECASE)
_URL_LINE = re.compile(r"^\s*(https?://[^\s<>\"]+)\s*$")
_LONE_IMAGE = re.compile(
    r"^(?:<p\b[^>]*>)?\s*(?:<a\b[^>]*>\s*)?<img\b[^>]*>\s*(?:</a>)?\s*(?:</p>)?$",
    re.IGNORECASE | re.DOTALL,
)
_CITE = re.compile(r"<cite\b[^>]*>(.*?)</cite>", re.IGNORECASE | re.DOTALL)
_BREAKS = re.compile(r"</p>|<br\s*/?>", re.IGNORECASE)
_AUDIO_SOURCES = ("src", "mp3", "m4a", "ogg", "wav", "wma")
_VIDEO_SOURCES = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv")


def shortcode_attributes(text: str) -> dict[str, str]:
    """Named attributes by lower-case name; positional ones as "0", "1"…"""
    found: dict[str, str] = {}
    for index, match in enumerate(_ATTRIBUTE.finditer(text.translate(_CURLY_QUOTES))):
        name, *values = match.groups()
        value = next((v for v in values if v is not None), "")
        found[name.lower() if name else str(index)] = value
    return found


def classic_blocks(text: str, body: Body) -> list[Block]:
    """Blocks for classic content, shortcodes included."""
    text = _COMMENT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks: list[Block] = []
    position = 0
    reported: set[str] = set()
    for match in _SHORTCODE.finditer(text):
        name = match.group("name").lower()
        if match.group("open") and match.group("close"):
            continue  # [[name]]: a literal, shown as [name]
        handler = _HANDLERS.get(name)
        if handler is None:
            if _looks_like_shortcode(match) and name not in reported:
                reported.add(name)
                body.problems.append(
                    f"shortcode [{name}] has no equivalent here; left as text"
                )
            continue
        blocks += _text_blocks(text[position : match.start()], body)
        attributes = shortcode_attributes(match.group("attrs") or "")
        blocks += handler(attributes, match.group("inner") or "", body)
        position = match.end()
    blocks += _text_blocks(text[position:], body)
    return blocks


def has_shortcodes(html: str) -> bool:
    """Whether ``html`` holds a shortcode WordPress would run (known or not)."""
    return any(
        not (match.group("open") and match.group("close"))
        and (match.group("name").lower() in _HANDLERS or _looks_like_shortcode(match))
        for match in _SHORTCODE.finditer(html)
    )


def _looks_like_shortcode(match: re.Match[str]) -> bool:
    """Whether an unknown ``[word]`` is a plugin's shortcode, not "[sic]" or "[1]"."""
    return bool(
        match.group("inner") is not None
        or "=" in (match.group("attrs") or "")
        or re.search(r"[_-]", match.group("name"))
    )


def _text_blocks(text: str, body: Body) -> list[Block]:
    """Paragraphs and block-level elements, as ``wpautop()`` would see them."""
    blocks: list[Block] = []
    position = 0
    while position < len(text):
        start = _BLOCK_HERE.match(text, position) or _BLOCK_START.search(text, position)
        if start is None:
            blocks += _paragraphs(text[position:], body)
            break
        blocks += _paragraphs(text[position : start.start()], body)
        tag = start.group(1).lower()
        end = _element_end(text, start.start(1) - 1, tag)
        blocks += _element(tag, text[start.start(1) - 1 : end].strip(), body)
        position = end
    return blocks


def _element_end(text: str, start: int, tag: str) -> int:
    """Where the element opened at ``start`` closes (nested ones counted)."""
    if tag == "hr":
        close = text.find(">", start)
        return len(text) if close < 0 else close + 1
    depth = 0
    tags = re.compile(rf"<(/?){tag}\b[^>]*>", re.IGNORECASE)
    for match in tags.finditer(text, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    # Never closed: up to the next blank line, as wpautop would.
    blank = text.find("\n\n", start)
    return len(text) if blank < 0 else blank


def _element(tag: str, html: str, body: Body) -> list[Block]:
    if tag[0] == "h" and tag[1:].isdigit():
        text = plain_text(html)
        return [Block("heading", {"text": text, "level": int(tag[1])})] if text else []
    if tag == "blockquote":
        return quote_block(html)
    if tag in ("p", "figure") and _LONE_IMAGE.match(html.replace("\n", " ")):
        image = body.image_from_html(html)
        return [Block("image", image)] if image else []
    if tag in ("p", "ul", "ol", "dl"):
        return [Block("html", html)] if has_text(html) else []
    if tag == "hr":
        return []
    if tag in ("script", "style", "object"):
        body.problems.append(f"a <{tag}> element is not imported")
        return []
    if tag == "figure":
        image = body.image_from_html(html)
        if image:
            return [Block("image", image)]
    return [Block("raw_html", {"html": html})] if html else []


def quote_block(html: str) -> list[Block]:
    """A ``<blockquote>`` (a figure's too) as text and attribution."""
    cite = _CITE.search(html)
    attribution = plain_text(cite.group(1)) if cite else ""
    without_cite = _CITE.sub("", html)
    lines = (plain_text(part) for part in _BREAKS.split(without_cite))
    text = "\n".join(line for line in lines if line)
    if not text:
        return []
    return [Block("quote", {"text": text, "attribution": attribution})]


def _paragraphs(text: str, body: Body) -> list[Block]:
    blocks: list[Block] = []
    for paragraph in re.split(r"\n\s*\n", text):
        lines: list[str] = []
        for line in paragraph.strip().split("\n"):
            url = _URL_LINE.match(line)
            if url is None:
                lines.append(line.strip())
                continue
            blocks += _paragraph(lines, body)
            lines = []
            blocks.append(embed(url.group(1)))
        blocks += _paragraph(lines, body)
    return blocks


def _paragraph(lines: list[str], body: Body) -> list[Block]:
    html = "<br />\n".join(line for line in lines if line)
    if not has_text(html):
        return []
    if _LONE_IMAGE.match(html):
        image = body.image_from_html(html)
        return [Block("image", image)] if image else []
    return [Block("html", f"<p>{html}</p>")]


def _caption(attributes: dict[str, str], inner: str, body: Body) -> list[Block]:
    # [caption id="attachment_12" ...]<a><img class="wp-image-12"></a> Text[/caption]
    attachment_id = attributes.get("id", "").removeprefix("attachment_")
    text = re.sub(r"^\s*(?:<a\b[^>]*>\s*)?<img\b[^>]*>\s*(?:</a>)?", "", inner)
    image = body.image_from_html(
        inner, attachment_id if attachment_id.isdigit() else ""
    )
    if image is None:
        body.problems.append("a [caption] without an image; left out")
        return []
    image["caption"] = attributes.get("caption", "") or text.strip()
    return [Block("image", image)]


def _gallery(attributes: dict[str, str], inner: str, body: Body) -> list[Block]:
    listed = attributes.get("ids", "") or attributes.get("include", "")
    if listed:
        ids = [part.strip() for part in listed.split(",") if part.strip()]
    else:
        # No ids: the images attached to the post, in their menu order.
        attached = [a for a in body.attachments.values() if a.parent == body.post_id]
        attached.sort(key=lambda a: (a.menu_order, int(a.post_id or 0)))
        ids = [a.post_id for a in attached]
    excluded = {part.strip() for part in attributes.get("exclude", "").split(",")}
    images = [body.image(i) for i in ids if i not in excluded]
    return body.gallery([image for image in images if image])


def _embed(attributes: dict[str, str], inner: str, body: Body) -> list[Block]:
    url = plain_text(inner)
    if not url:
        body.problems.append("an [embed] with no address; left out")
        return []
    return [embed(url)]


def _audio(attributes: dict[str, str], inner: str, body: Body) -> list[Block]:
    url = next((attributes[k] for k in _AUDIO_SOURCES if attributes.get(k)), "")
    return media_file("[audio]", url, body)


def _video(attributes: dict[str, str], inner: str, body: Body) -> list[Block]:
    url = next((attributes[k] for k in _VIDEO_SOURCES if attributes.get(k)), "")
    return media_file("[video]", url, body)


def _playlist(attributes: dict[str, str], inner: str, body: Body) -> list[Block]:
    body.problems.append("a [playlist] is not imported (media files are not)")
    return []


def _youtube(attributes: dict[str, str], inner: str, body: Body) -> list[Block]:
    # Jetpack's [youtube https://www.youtube.com/watch?v=…]
    url = attributes.get("0", "") or plain_text(inner)
    return [embed(url)] if url else []


_Handler = Callable[[dict[str, str], str, Body], list[Block]]
_HANDLERS: dict[str, _Handler] = {
    "caption": _caption,
    "wp_caption": _caption,
    "gallery": _gallery,
    "embed": _embed,
    "audio": _audio,
    "video": _video,
    "playlist": _playlist,
    "youtube": _youtube,
}
