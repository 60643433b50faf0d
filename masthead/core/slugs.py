"""Slugs from headlines: one small function others can replace (issue #14).

News Feed permalinks and the drafts promoted from posts take their address
from the headline. Latin text, accents folded, gives an ASCII slug as
Django's ``slugify`` does; text with no Latin letters (Ukrainian, Greek)
keeps its own letters, as Wagtail's Unicode slugs do, rather than becoming
empty. Issue #15 adds Ukrainian transliteration by replacing
``slug_from_text``; callers never slugify on their own.
"""

from django.utils.text import slugify

# Long enough to tell stories apart in an address, short enough to share.
SLUG_MAX_LENGTH = 80


def slug_from_text(text: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """A URL slug for ``text``; empty when it has no letters or digits at all.

    Args:
        text: a headline or title, any script.
        max_length: the longest slug returned, cut at a word boundary when
            one is near.
    """
    slug = slugify(text) or slugify(text, allow_unicode=True)
    if len(slug) <= max_length:
        return slug
    cut = slug[:max_length]
    # Case: a word would be cut in half: end at the last whole word instead.
    if slug[max_length] != "-" and "-" in cut[max_length // 2 :]:
        cut = cut[: cut.rindex("-")]
    return cut.strip("-")
