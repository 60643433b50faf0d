"""Slugs from headlines: one function for every address made from text.

News Feed permalinks, live pages, the drafts promoted from posts and pages
saved without a slug take their address from the headline (#14). Cyrillic
is written in Latin letters by Ukraine's official transliteration (Cabinet
of Ministers resolution No. 55 of 2010, through ``translitua``): «Юрій
Згурський — мер Яготина» gives ``yurii-zghurskyi-mer-yahotyna`` (#15).
Latin text has its accents folded, as Django's ``slugify`` does; text in
another script (Greek, Georgian) keeps its own letters, as Wagtail's
Unicode slugs do, rather than becoming empty. Callers never slugify on
their own.
"""

import re

from django.utils.text import slugify
from translitua import translit

# Long enough to tell stories apart in an address, short enough to share.
SLUG_MAX_LENGTH = 80

CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def latin(text: str) -> str:
    """``text`` with its Cyrillic written by the official Ukrainian system.

    The table also serves Russian or Belarusian words in a Ukrainian story
    («Москва» gives Moskva); other scripts are left as they are.
    """
    if not CYRILLIC.search(text):
        return text
    written: str = translit(text)
    return written


def slug_from_text(text: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """A URL slug for ``text``; empty when it has no letters or digits at all.

    Args:
        text: a headline or title, any script.
        max_length: the longest slug returned, cut at a word boundary when
            one is near.
    """
    slug = slugify(latin(text)) or slugify(text, allow_unicode=True)
    if len(slug) <= max_length:
        return slug
    cut = slug[:max_length]
    # Case: a word would be cut in half: end at the last whole word instead.
    if slug[max_length] != "-" and "-" in cut[max_length // 2 :]:
        cut = cut[: cut.rindex("-")]
    return cut.strip("-")


def is_synced_from(slug: str, title: str) -> bool:
    """Whether ``slug`` is what Wagtail's editor filled in from ``title``.

    Its script keeps Unicode letters (``WAGTAIL_ALLOW_UNICODE_SLUGS``), so a
    Ukrainian headline arrives as «мер-яготина»; a slug the editor typed
    differs and is kept.
    """
    return not slug.isascii() and slug == slugify(title, allow_unicode=True)
