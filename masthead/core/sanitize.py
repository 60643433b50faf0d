"""One sanitiser for stored HTML that readers see (issues #4 and #13).

Wagtail's editor only produces safe rich text, but content can also arrive
through the model API, importers, an embed provider or a compromised account.
Everything that is rendered once and stored (article bodies, News Feed posts)
passes through here: scripts, event handlers, ``javascript:`` URLs and unknown
tags go.

Three rules beyond that (#13):

- **No text is lost.** An unclosed ``<style>``, ``<!--`` or tag swallows the
  rest of the fragment as browsers parse it. Each fragment (an article's
  block) is sanitised on its own, so it can swallow nothing of the next, and
  a construct that would hide the text after it is closed where it opens
  (a tag left unfinished is shown as text). Forms and importers are told
  first: ``unclosed_markup`` names the construct for a validation message.
- **Ids are namespaced.** An ``id`` from content becomes ``user-content-…``
  (as GitHub does), so it cannot shadow the page's own (``#main``, the News
  Feed's ``#item-N``); links to an id of the same body follow it.
- **Frames come from known providers only.** An ``<iframe>`` is kept only
  when its ``src`` starts with one of ``MASTHEAD_EMBED_PROVIDERS``, and it
  gets our ``sandbox``, ``allow`` and ``referrerpolicy``, never the
  author's.
"""

import logging
import re
import secrets
from collections.abc import Callable, Iterable
from functools import lru_cache
from html import escape
from urllib.parse import urlsplit

import nh3
from django.conf import settings

logger = logging.getLogger("masthead.sanitize")

ALLOWED_TAGS = {
    "a", "abbr", "aside", "b", "blockquote", "br", "cite", "code", "div", "em",
    "figcaption", "figure", "h2", "h3", "h4", "hr", "i", "iframe", "img", "li",
    "mark", "ol", "p", "picture", "q", "s", "small", "source", "span", "strong",
    "sub", "sup", "time", "u", "ul",
    # Story formats (content/format_blocks.py, #14).
    "audio", "caption", "details", "summary", "table", "tbody", "td", "th",
    "thead", "tr", "track", "video",
}  # fmt: skip
_COMMON = {"class", "id", "lang", "dir", "title"}
ALLOWED_ATTRIBUTES = {
    "*": _COMMON,
    "a": _COMMON | {"href", "hreflang"},
    "img": _COMMON
    | {
        "src",
        "srcset",
        "sizes",
        "alt",
        "width",
        "height",
        "loading",
        "decoding",
        "fetchpriority",
    },
    "source": {"srcset", "sizes", "type", "media", "width", "height"},
    # sandbox, allow, referrerpolicy and loading are ours (EMBED_ATTRIBUTES).
    "iframe": _COMMON | {"src", "width", "height", "allowfullscreen"},
    "time": _COMMON | {"datetime"},
    "blockquote": _COMMON | {"cite"},
    "q": _COMMON | {"cite"},
    "ol": _COMMON | {"start", "reversed"},
    # A scrolling gallery or table is a named region keyboards can reach;
    # the values are limited in _filter_attribute.
    "div": _COMMON | {"role", "tabindex", "aria-label"},
    # A pull quote repeating the body is skipped by screen readers.
    "figure": _COMMON | {"aria-hidden"},
    "th": _COMMON | {"scope"},
    # controls and preload are ours (MEDIA_ATTRIBUTES).
    "video": _COMMON | {"src", "poster", "width", "height", "playsinline"},
    "audio": _COMMON | {"src"},
    "track": {"src", "kind", "srclang", "label", "default"},
}
# The only values these attributes may take; anything else is dropped.
ATTRIBUTE_VALUES = {
    "role": {"region"},
    "tabindex": {"0"},
    "aria-hidden": {"true"},
    "scope": {"col", "row"},
    "kind": {"captions", "subtitles"},
}
# Players show their controls and fetch nothing until asked: a page with
# a recording costs readers no bytes for it (docs/performance.md).
MEDIA_ATTRIBUTES = {"controls": "", "preload": "none"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
ID_PREFIX = "user-content-"

# What an embedded frame may do: run the provider's player in the provider's
# own origin, open the provider's page in a new tab, go full screen. Never
# navigate our page, submit forms or open dialogs over it.
EMBED_SANDBOX = (
    "allow-scripts allow-same-origin allow-popups "
    "allow-popups-to-escape-sandbox allow-presentation"
)
EMBED_ATTRIBUTES = {
    "sandbox": EMBED_SANDBOX,
    "allow": "autoplay; clipboard-write; encrypted-media; fullscreen; "
    "picture-in-picture",
    # YouTube refuses to play in a frame that sends no referrer.
    "referrerpolicy": "strict-origin-when-cross-origin",
    "loading": "lazy",
}

# Elements whose content the HTML parser reads as text up to their end tag:
# left open, they swallow everything after them.
_RAW_TEXT = frozenset(
    {"iframe", "noembed", "noframes", "noscript", "script", "style", "textarea"}
    | {"title", "xmp"}
)
_START_TAG = re.compile(r"""<([a-zA-Z][^\s/>]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")
# The cleaner's output quotes every attribute and escapes quotes inside it,
# so these patterns cannot be fooled by an attribute's value.
_IFRAME = re.compile(r"<iframe((?:\s[^\s=>]+(?:=\"[^\"]*\")?)*)>.*?</iframe>", re.S)
_USER_ID = re.compile(r'\sid="' + re.escape(ID_PREFIX) + r'([^"]*)"')
_LOCAL_LINK = re.compile(r'(\shref=")#([^"]*)"')
# Bounds on the search for an unclosed construct; past them the fragment is
# shown as text (nothing runs, nothing is lost).
_MAX_PROBES = 200
_MAX_REPAIRS = 8


def embed_allowed(url: str, providers: Iterable[str] | None = None) -> bool:
    """Whether ``url`` may be framed: https, under one of the providers' prefixes.

    Args:
        url: an iframe's ``src``.
        providers: URL prefixes; ``MASTHEAD_EMBED_PROVIDERS`` when omitted.
    """
    if providers is None:
        providers = settings.MASTHEAD_EMBED_PROVIDERS
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        # Case: not a URL at all (a bad port, brackets).
        return False
    path = parts.path or "/"
    if (
        parts.scheme != "https"
        or parts.username is not None
        or port not in (None, 443)
        or "\\" in url
        or any(segment in {"..", "."} for segment in path.split("/"))
        or "%2e" in path.lower()
        or "%2f" in path.lower()
    ):
        # Case: another scheme, credentials, another port, or a path that
        # could climb out of the provider's prefix once decoded.
        return False
    for provider in providers:
        allowed = urlsplit(provider)
        if parts.hostname == allowed.hostname and path.startswith(allowed.path or "/"):
            return True
    return False


@lru_cache(maxsize=4)
def _cleaner(providers: tuple[str, ...]) -> nh3.Cleaner:
    def filter_attribute(element: str, attribute: str, value: str) -> str | None:
        if element == "iframe" and attribute == "src":
            return value if embed_allowed(value, providers) else None
        allowed = ATTRIBUTE_VALUES.get(attribute)
        if allowed is not None and value.strip().lower() not in allowed:
            return None
        return value

    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        id_prefix=ID_PREFIX,
        set_tag_attribute_values={
            "iframe": EMBED_ATTRIBUTES,
            "video": MEDIA_ATTRIBUTES,
            "audio": MEDIA_ATTRIBUTES,
        },
    )


def _settle_frames(html: str) -> str:
    """Empty every frame of text (browsers never show it) and drop unsourced ones."""

    def settle(match: re.Match[str]) -> str:
        attributes = match.group(1)
        return f"<iframe{attributes}></iframe>" if ' src="' in attributes else ""

    return _IFRAME.sub(settle, html)


def _sanitise(html: str, clean: Callable[[str], str]) -> tuple[str, bool]:
    """Sanitise; also say whether text at the end of ``html`` would be shown.

    A marker no input can contain is appended: if it is missing from the
    output, something left open swallowed it, and with it any text there.
    """
    marker = f"\ue000{secrets.token_hex(8)}\ue001"
    cleaned = _settle_frames(clean(html + marker))
    return cleaned.replace(marker, ""), marker in cleaned


def _last_good_prefix(html: str, clean: Callable[[str], str]) -> int | None:
    """Where the construct that swallows the end of ``html`` starts.

    That is the last ``<`` before which the fragment still ends in the
    open; None when the search is too long.
    """
    starts = [match.start() for match in re.finditer("<", html)]
    for probes, start in enumerate(reversed(starts)):
        if probes >= _MAX_PROBES:
            return None
        if _sanitise(html[:start], clean)[1]:
            return start
    return None


def _close_at(html: str, start: int) -> tuple[str, str | None]:
    """Close the construct opening at ``start``; None if it hides no text.

    Returns:
        The construct as written (for messages) and the repaired HTML.
    """
    if html.startswith("<!--", start):
        rest = html[start + 4 :]
        repaired = html[: start + 4] + "-->" + rest
        return "<!--", repaired if rest.strip() else None
    tag = _START_TAG.match(html, start)
    if tag is not None and tag.group(1).lower() in _RAW_TEXT:
        rest = html[tag.end() :]
        closed = html[: tag.end()] + f"</{tag.group(1)}>" + rest
        return f"<{tag.group(1).lower()}>", closed if rest.strip() else None
    # Case: a tag that never ends (a missing quote or ">"): shown as text.
    written = html[start : start + 30].split("\n")[0]
    return written, html[:start] + "&lt;" + html[start + 1 :]


def _repair(html: str, clean: Callable[[str], str]) -> tuple[str, str, list[str]]:
    """Close what would hide text in one fragment, then sanitise it.

    Returns:
        The sanitised fragment, the repaired source and what was closed.
    """
    closed: list[str] = []
    source = html
    for _ in range(_MAX_REPAIRS):
        cleaned, whole = _sanitise(source, clean)
        if whole:
            return cleaned, source, closed
        start = _last_good_prefix(source, clean)
        if start is None:
            break
        construct, repaired = _close_at(source, start)
        if repaired is None:
            # Case: left open at the very end; nothing after it to lose.
            return cleaned, source, closed
        closed.append(construct)
        source = repaired
    # Case: too tangled to repair in bounded time: every character as text.
    closed.append(html[:30])
    as_text = f"<p>{escape(html)}</p>"
    return as_text, as_text, closed


def _link_local_anchors(html: str, ids: set[str]) -> str:
    """Point ``href="#x"`` at ``user-content-x`` when the body has that id."""

    def relink(match: re.Match[str]) -> str:
        if match.group(2) in ids:
            return f'{match.group(1)}#{ID_PREFIX}{match.group(2)}"'
        return match.group(0)

    return _LOCAL_LINK.sub(relink, html)


def clean_fragments(fragments: Iterable[str], *, where: str = "") -> str:
    """Sanitise each fragment on its own and join them (an article's blocks).

    Args:
        fragments: HTML pieces, e.g. one per StreamField block.
        where: what the fragments belong to, for the log ("article 12").

    Returns:
        The pieces, sanitised, joined with newlines; in-body anchor links
        point at the namespaced ids.
    """
    clean = _cleaner(tuple(settings.MASTHEAD_EMBED_PROVIDERS)).clean
    pieces = []
    for number, fragment in enumerate(fragments, start=1):
        if not fragment:
            continue
        cleaned, _source, closed = _repair(fragment, clean)
        if closed:
            logger.warning(
                "Closed %s in block %d of %s so the text after it stays visible",
                ", ".join(closed),
                number,
                where or "stored HTML",
            )
        pieces.append(cleaned)
    html = "\n".join(pieces)
    ids = set(_USER_ID.findall(html))
    return _link_local_anchors(html, ids) if ids else html


def clean_html(html: str) -> str:
    """Return ``html`` with everything that could run or mislead removed."""
    if not html:
        return ""
    return clean_fragments([html])


def unclosed_markup(html: str) -> str | None:
    """Name the first construct in ``html`` that would hide the text after it.

    For validation messages: forms and importers refuse such text rather
    than have it repaired at render (``clean_fragments``).

    Returns:
        The construct as written (``"<style>"``, ``"<!--"``, ``'<p title="'``),
        or None when nothing would be hidden.
    """
    closed = close_unclosed_markup(html)[1]
    return closed[0] if closed else None


def close_unclosed_markup(html: str) -> tuple[str, list[str]]:
    """``html`` with every construct that would hide text closed, unsanitised.

    For the editor (core/rich_text_editor.py), which must show all the text
    before it is saved again.

    Returns:
        The repaired HTML and the constructs closed (empty: unchanged).
    """
    if not html or "<" not in html:
        return html, []
    clean = _cleaner(tuple(settings.MASTHEAD_EMBED_PROVIDERS)).clean
    _cleaned, source, closed = _repair(html, clean)
    return source, closed
