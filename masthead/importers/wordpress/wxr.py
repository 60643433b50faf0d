"""Reading a WordPress eXtended RSS (WXR) file into plain records.

The format is what ``export_wp()`` writes (wordpress-develop,
``src/wp-admin/includes/export.php``): an RSS 2.0 channel with the site's
authors (WXR 1.1+), categories and tags, then one ``<item>`` per post, page,
attachment or menu item, each with its ``wp:`` fields and ``wp:postmeta``.
The ``wp`` and ``excerpt`` namespaces carry the WXR version
(``http://wordpress.org/export/1.2/``), so any 1.x is read.

The file is streamed (``iterparse``) and each item dropped once read, so a
large export costs the memory of its text, not of its element tree. Parsing
goes through defusedxml with document types refused outright: WordPress never
writes one, and a DTD is how entity expansion ("billion laughs") and external
entities get in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeXML
from defusedxml import DefusedXmlException, DTDForbidden

WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.\d+/$")
EXCERPT_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.\d+/excerpt/$")
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"


class WXRError(ValueError):
    """The file is not a WXR export that can be read safely; nothing imported."""


@dataclass
class RawAuthor:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class RawTerm:
    taxonomy: str  # "category" or "post_tag", as in an item's category domain
    slug: str
    name: str
    description: str = ""
    term_id: str = ""


@dataclass
class RawItem:
    post_id: str = ""
    title: str = ""
    link: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_modified: str = ""
    post_modified_gmt: str = ""
    post_name: str = ""
    status: str = ""
    post_type: str = ""
    post_password: str = ""
    is_sticky: bool = False
    post_parent: str = ""
    menu_order: int = 0
    attachment_url: str = ""
    # (domain, nicename, name) of each <category> the item is filed under.
    terms: list[tuple[str, str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class Export:
    version: str = ""
    title: str = ""
    site_url: str = ""
    authors: list[RawAuthor] = field(default_factory=list)
    terms: list[RawTerm] = field(default_factory=list)
    items: list[RawItem] = field(default_factory=list)


def _split(tag: str) -> tuple[str, str]:
    """``{namespace}local`` as (a short namespace name, local name)."""
    if not tag.startswith("{"):
        return "", tag
    uri, _, local = tag[1:].partition("}")
    if WP_NAMESPACE.match(uri):
        return "wp", local
    if EXCERPT_NAMESPACE.match(uri):
        return "excerpt", local
    if uri == CONTENT_NAMESPACE:
        return "content", local
    if uri == DC_NAMESPACE:
        return "dc", local
    return uri, local


def _text(element: Element) -> str:
    return (element.text or "").strip()


def _wp_fields(element: Element) -> dict[str, str]:
    """The ``wp:`` children of a channel element, by local name."""
    fields: dict[str, str] = {}
    for child in element:
        namespace, local = _split(child.tag)
        if namespace == "wp":
            fields[local] = _text(child)
    return fields


def _author(element: Element) -> RawAuthor:
    wp = _wp_fields(element)
    return RawAuthor(
        login=wp.get("author_login", ""),
        email=wp.get("author_email", ""),
        display_name=wp.get("author_display_name", ""),
        first_name=wp.get("author_first_name", ""),
        last_name=wp.get("author_last_name", ""),
    )


def _term(element: Element, local: str) -> RawTerm:
    wp = _wp_fields(element)
    if local == "category":
        return RawTerm(
            taxonomy="category",
            slug=wp.get("category_nicename", ""),
            name=wp.get("cat_name", ""),
            description=wp.get("category_description", ""),
            term_id=wp.get("term_id", ""),
        )
    return RawTerm(
        taxonomy="post_tag",
        slug=wp.get("tag_slug", ""),
        name=wp.get("tag_name", ""),
        description=wp.get("tag_description", ""),
        term_id=wp.get("term_id", ""),
    )


# Item fields kept as they are: wp:<name> -> RawItem.<name>.
_ITEM_FIELDS = {
    "post_id",
    "post_date",
    "post_date_gmt",
    "post_modified",
    "post_modified_gmt",
    "post_name",
    "status",
    "post_type",
    "post_password",
    "post_parent",
    "attachment_url",
}


def _item(element: Element) -> RawItem:
    item = RawItem()
    for child in element:
        namespace, local = _split(child.tag)
        if namespace == "":
            if local == "title":
                item.title = _text(child)
            elif local == "link":
                item.link = _text(child)
            elif local == "category" and child.get("nicename"):
                domain = child.get("domain", "")
                # WXR 1.0 wrote post tags as domain="tag".
                domain = "post_tag" if domain == "tag" else domain
                item.terms.append((domain, child.get("nicename", ""), _text(child)))
        elif namespace == "content" and local == "encoded":
            # Content is kept as written: whitespace is wpautop's paragraphs.
            item.content = child.text or ""
        elif namespace == "excerpt" and local == "encoded":
            item.excerpt = _text(child)
        elif namespace == "dc" and local == "creator":
            item.creator = _text(child)
        elif namespace == "wp":
            if local in _ITEM_FIELDS:
                setattr(item, local, _text(child))
            elif local == "is_sticky":
                item.is_sticky = _text(child) == "1"
            elif local == "menu_order":
                item.menu_order = (
                    int(_text(child) or 0) if _text(child).isdigit() else 0
                )
            elif local == "postmeta":
                meta = _wp_fields(child)
                key = meta.get("meta_key", "")
                if key and key not in item.meta:
                    item.meta[key] = meta.get("meta_value", "")
    return item


def _position(error: ParseError, skipped_lines: int = 0) -> str:
    line, column = getattr(error, "position", (0, 0))
    return f"line {line + skipped_lines}, column {column + 1}"


class _FromFirstMarkup:
    """The file from its first non-blank byte.

    Themes and plugins that print a blank line before the export's
    ``<?xml …?>`` are a known cause of "XML declaration allowed only at the
    start" in real exports; WordPress's own importer copes, so this does too.
    Lines skipped are counted so errors still name the file's line.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.skipped_lines = 0
        self.started = False

    def read(self, size: int = -1) -> bytes:
        while not self.started:
            chunk = self.raw.read(size if size > 0 else 65536)
            if not chunk:
                return b""
            markup = chunk.lstrip(b" \t\r\n")
            self.skipped_lines += chunk[: len(chunk) - len(markup)].count(b"\n")
            self.started = bool(markup)
            if markup:
                return markup
        return self.raw.read(size)


def read(path: Path) -> Export:
    """The export at ``path`` as plain records, streamed.

    Raises:
        WXRError: the file is not well-formed XML (the message names the
            line), declares a document type or entities, or is not a WXR
            export (no ``rss`` root with the ``wp`` namespace).
        OSError: the file cannot be read.
    """
    export = Export()
    with path.open("rb") as raw:
        source = _FromFirstMarkup(raw)
        try:
            found_channel = _stream(export, source)
        except ParseError as error:
            reason = str(error).split(":")[0]
            where = _position(error, source.skipped_lines)
            raise WXRError(f"not well-formed XML at {where}: {reason}") from error
        except DefusedXmlException as error:
            raise WXRError(
                "the file declares a document type (<!DOCTYPE …>): a "
                "WordPress export never does, and one can define entities that "
                "expand without end (an XML bomb) or read other files; refused"
            ) from error
    if not found_channel:
        raise WXRError("no <channel>: not a WordPress export")
    return export


def _stream(export: Export, source: _FromFirstMarkup) -> bool:
    """Fill ``export`` from ``source``; whether a ``<channel>`` was found."""
    depth = 0
    channel: Element | None = None
    has_wp_namespace = False
    events = SafeXML.iterparse(
        source, events=("start-ns", "start", "end"), forbid_dtd=True
    )
    for event, payload in events:
        if event == "start-ns":
            has_wp_namespace = has_wp_namespace or bool(WP_NAMESPACE.match(payload[1]))
            continue
        element: Element = payload
        if event == "start":
            depth += 1
            if depth == 1 and (element.tag != "rss" or not has_wp_namespace):
                raise WXRError(
                    "not a WordPress export (WXR): its root is not "
                    "<rss> with the wordpress.org/export namespace"
                )
            if depth == 2 and element.tag == "channel":
                channel = element
            continue
        depth -= 1
        if depth == 2 and channel is not None:
            # A direct child of <channel>, complete: read it, then drop it.
            _channel_child(export, element)
            channel.remove(element)
    return channel is not None


def _channel_child(export: Export, element: Element) -> None:
    namespace, local = _split(element.tag)
    if namespace == "" and local == "item":
        export.items.append(_item(element))
    elif namespace == "" and local == "title":
        export.title = _text(element)
    elif namespace == "" and local == "link":
        export.site_url = export.site_url or _text(element)
    elif namespace == "wp":
        if local == "wxr_version":
            export.version = _text(element)
        elif local == "base_site_url":
            # The blog's own link is preferred: on multisite this is the network.
            export.site_url = export.site_url or _text(element)
        elif local == "author":
            export.authors.append(_author(element))
        elif local in ("category", "tag"):
            export.terms.append(_term(element, local))


def can_read(path: Path) -> bool:
    """Whether ``path`` starts as a WXR file: an ``rss`` root with the ``wp`` namespace.

    Only the start of the file is read; anything unreadable is not WXR.
    """
    has_wp_namespace = False
    try:
        with path.open("rb") as raw:
            events = SafeXML.iterparse(
                _FromFirstMarkup(raw), events=("start-ns", "start"), forbid_dtd=True
            )
            for event, payload in events:
                if event == "start-ns":
                    has_wp_namespace = has_wp_namespace or bool(
                        WP_NAMESPACE.match(payload[1])
                    )
                    continue
                return bool(payload.tag == "rss" and has_wp_namespace)
    except DTDForbidden as error:
        # Claimed so that parse() refuses it by name rather than the file
        # passing as "not WordPress": nothing in the DTD is read or expanded.
        return str(error.name) == "rss"
    except (ParseError, DefusedXmlException, OSError, UnicodeError):
        return False
    return False
