"""A comment's plain text as HTML: escaped, in paragraphs, links made live.

Members write plain text, never markup. Every character is escaped; blank
lines make paragraphs and single line breaks ``<br>``; ``http`` and
``https`` addresses become links that tell search engines the site does
not vouch for them (``rel="nofollow ugc"``, Google's markup for
user-generated content) and give the opened page no handle on this one
(``noopener``). Bare domains, ``www.`` and e-mail addresses stay text. No
database, no settings: a pure function.
"""

from __future__ import annotations

import re

from django.utils.html import Urlizer
from django.utils.safestring import SafeString, mark_safe

_PARAGRAPHS = re.compile(r"\n\s*\n")
# The link text of a long address is cut to this many characters.
LINK_TEXT_LIMIT = 60


class _HttpLinks(Urlizer):
    """Django's urlizer, limited to http(s) addresses, with our ``rel``."""

    # Never matches: only the scheme-led pattern (simple_url_re) links.
    simple_url_2_re = re.compile(r"(?!)")
    url_template = '<a href="{href}" rel="nofollow ugc noopener">{url}</a>'

    @staticmethod
    def is_email_simple(value: str) -> bool:
        return False


_urlize = _HttpLinks()


def render_text(text: str) -> SafeString:
    """``text`` as safe HTML paragraphs with http(s) links."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not normalised:
        return mark_safe("")
    paragraphs = []
    for block in _PARAGRAPHS.split(normalised):
        linked = _urlize(block.strip(), trim_url_limit=LINK_TEXT_LIMIT, autoescape=True)
        paragraphs.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    # Every character of the member's text went through escape() above.
    return mark_safe("".join(paragraphs))  # noqa: S308
