"""What "nothing injected can run" means for each kind of public response.

Pages are parsed as a browser would (html5lib), feeds with an XML parser and
JSON with ``json``; the HTML inside feeds and JSON is checked as a page.
"""

import json
import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeXML
from bs4 import BeautifulSoup

from masthead.core.sanitize import EMBED_SANDBOX, embed_allowed

# Attributes a browser follows or runs as a URL.
URL_ATTRIBUTES = {
    "action",
    "background",
    "cite",
    "data",
    "formaction",
    "href",
    "poster",
    "src",
    "xlink:href",
}
# Never in a page of ours, whatever their attributes.
FORBIDDEN_ELEMENTS = {"applet", "base", "embed", "frame", "frameset", "object"}
_SCHEME_NOISE = re.compile(r"[\x00-\x20]+")


def _scheme(url: str) -> str:
    """The scheme a browser would read, past spaces and control characters."""
    cleaned = _SCHEME_NOISE.sub("", url).lower()
    return cleaned.split(":", 1)[0] if ":" in cleaned else ""


def html_problems(html: str) -> Iterator[str]:
    """Everything in ``html`` that could run script or frame another site."""
    soup = BeautifulSoup(html, "html5lib")
    for element in soup.find_all(True):
        name = element.name.lower()
        where = str(element)[:120]
        if name in FORBIDDEN_ELEMENTS:
            yield f"<{name}>: {where}"
        if name == "script":
            if element.get("type") == "application/ld+json":
                try:
                    json.loads(element.string or "")
                except ValueError:
                    yield f"JSON-LD that is not JSON: {where}"
            elif (
                element.get("type") == "application/json"
                and element.get("id") == "updates-strings"
            ):
                # Ours: the live scripts' words (core/templatetags), a data
                # block no browser runs; it must still be JSON, whole.
                try:
                    json.loads(element.string or "")
                except ValueError:
                    yield f"script words that are not JSON: {where}"
            elif not str(element.get("src", "")).startswith("/static/"):
                yield f"script not ours: {where}"
        if name == "meta" and str(element.get("http-equiv", "")).lower() == "refresh":
            yield f"meta refresh: {where}"
        if name == "iframe" and not (
            embed_allowed(str(element.get("src", "")))
            and element.get("sandbox") == EMBED_SANDBOX.split()
            and "srcdoc" not in element.attrs
        ):
            yield f"frame not from a provider, or not sandboxed by us: {where}"
        if name == "style" and _runs_in_css(element.get_text()):
            yield f"style that runs script: {where}"
        for attribute, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            attribute = attribute.lower()
            if attribute.startswith("on"):
                yield f"event handler {attribute}: {where}"
            if attribute in URL_ATTRIBUTES or attribute.endswith(":href"):
                scheme = _scheme(text)
                if scheme in {"javascript", "vbscript"} or (
                    scheme == "data" and name not in {"img", "source"}
                ):
                    yield f"{scheme}: URL in {attribute}: {where}"
            if attribute == "style" and _runs_in_css(text):
                yield f"style attribute that runs script: {where}"


def _runs_in_css(css: str) -> bool:
    lowered = _SCHEME_NOISE.sub("", css).lower()
    return any(
        marker in lowered for marker in ("expression(", "javascript:", "behavior:")
    )


def xml_problems(body: bytes) -> Iterator[str]:
    """A feed or sitemap must parse; the HTML it carries is checked as a page."""
    try:
        root = SafeXML.fromstring(body)
    except SafeXML.ParseError as error:
        yield f"not well-formed XML: {error}"
        return
    for element in _walk(root):
        for attribute, value in element.attrib.items():
            if attribute.endswith("href") and _scheme(value) in {
                "javascript",
                "vbscript",
                "data",
            }:
                yield f"{_scheme(value)}: URL in <{element.tag} {attribute}>"
        if element.text and _carries_html(element):
            yield from html_problems(element.text)


# RSS's description and content:encoded, Atom's content and summary typed
# "html": feed readers render them as HTML. Titles and the rest are text.
_RSS_HTML = {"description", "{http://purl.org/rss/1.0/modules/content/}encoded"}


def _carries_html(element: Element) -> bool:
    return element.tag in _RSS_HTML or element.get("type") in {"html", "xhtml"}


def _walk(root: Element) -> Iterator[Element]:
    yield root
    for child in root:
        yield from _walk(child)


def json_problems(body: bytes) -> Iterator[str]:
    """JSON must parse; its HTML fields are checked as pages, its URLs for a scheme."""
    try:
        data = json.loads(body)
    except ValueError as error:
        yield f"not JSON: {error}"
        return
    for key, value in _strings(data):
        if "html" in key:
            # JSON Feed's content_html, the News Feed's body_html; the rest
            # (title, summary, names) is text.
            yield from html_problems(value)
        if key.endswith("url") and _scheme(value) in {"javascript", "vbscript", "data"}:
            yield f"{_scheme(value)}: URL in {key}"


def _strings(data: object, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(data, str):
        yield key, data
    elif isinstance(data, dict):
        for name, value in data.items():
            yield from _strings(value, str(name))
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value, key)


def response_problems(response) -> list[str]:
    """Problems in a public response, by its content type."""
    content_type = response.headers.get("Content-Type", "")
    if "json" in content_type:
        return list(json_problems(response.content))
    if "xml" in content_type:
        return list(xml_problems(response.content))
    return list(html_problems(response.content.decode()))
