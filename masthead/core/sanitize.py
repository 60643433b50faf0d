"""One sanitiser for stored HTML that readers see (issue #4).

Wagtail's editor only produces safe rich text, but content can also arrive
through the model API, importers or a compromised account. Everything that
is rendered once and stored (article bodies, News Feed posts) passes through
here: scripts, event handlers, ``javascript:`` URLs and unknown tags go.
"""

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "aside", "b", "blockquote", "br", "cite", "code", "div", "em",
    "figcaption", "figure", "h2", "h3", "h4", "hr", "i", "iframe", "img", "li",
    "mark", "ol", "p", "picture", "q", "s", "small", "source", "span", "strong",
    "sub", "sup", "time", "u", "ul",
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
    "iframe": _COMMON
    | {
        "src",
        "width",
        "height",
        "allow",
        "allowfullscreen",
        "frameborder",
        "referrerpolicy",
        "sandbox",
        "loading",
    },
    "time": _COMMON | {"datetime"},
    "blockquote": _COMMON | {"cite"},
    "q": _COMMON | {"cite"},
    "ol": _COMMON | {"start", "reversed"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_html(html: str) -> str:
    """Return ``html`` with everything that could run or mislead removed."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
    )
