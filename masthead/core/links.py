"""Link attributes added to already sanitised HTML."""

import re

# nh3's output (core/sanitize.py): double-quoted attributes, ``rel`` on every
# link. External links are the absolute ones; our own are paths.
_EXTERNAL_LINK = re.compile(r'<a\s[^>]*\bhref="https?://[^"]*"[^>]*>')
_REL = re.compile(r'\brel="([^"]*)"')


def mark_sponsored_links(html: str) -> str:
    """Add ``rel="sponsored"`` to every external link in sanitised ``html``.

    Google asks for it on links in paid content, so search engines give the
    advertiser's pages no credit from them.
    """

    def mark(match: re.Match[str]) -> str:
        tag = match.group(0)
        rel = _REL.search(tag)
        if rel is None:
            return tag[:-1] + ' rel="sponsored">'
        if "sponsored" in rel.group(1).split():
            return tag
        values = f"{rel.group(1)} sponsored".strip()
        return tag[: rel.start()] + f'rel="{values}"' + tag[rel.end() :]

    return _EXTERNAL_LINK.sub(mark, html)
