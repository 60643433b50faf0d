"""Formatting filters for public templates (format only, never query)."""

import json
from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from masthead.core.language import content_language

register = template.Library()


@register.filter
def iso(value: datetime | None) -> str:
    """A ``<time datetime>`` value in the publication's time zone, to the second.

    HTML allows at most three fractional digits, so microseconds are dropped.
    """
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat(timespec="seconds")


_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(value: Any) -> str:
    """Serialise data for a ``<script type="application/ld+json">`` block.

    ``<``, ``>`` and ``&`` are escaped so no text can close the script element.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 - escaped above


@register.simple_tag(takes_context=True)
def page_language(context: template.Context) -> str:
    """The page's ``<html lang>`` (core/language.py, #14)."""
    return content_language(context.get("request"))


# A count for each CLDR plural category, as Intl.PluralRules names them. The
# script picks the category for its count and the phrase rendered here for
# that category's count: in English 1 is "one" and 11 "other"; in Ukrainian
# 1 "one", 3 "few", 11 "many" (21 is "one" again, 22 "few"), as gettext's rule.
_PLURAL_SAMPLES = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 11, "other": 11}


def _announcement(where: str, n: int) -> str:
    """Where the new posts are, as the screen reader's announcement says it."""
    if where == "live":
        return ngettext(
            "%(count)s new update in this live coverage.",
            "%(count)s new updates in this live coverage.",
            n,
        )
    return ngettext(
        "%(count)s new update in the News Feed.",
        "%(count)s new updates in the News Feed.",
        n,
    )


@register.simple_tag
def updates_strings(where: str) -> SafeString:
    """The "Show N new updates" wording for updates.js, in the page's language.

    ``where``: ``"news_feed"`` or ``"live"`` (a live page's updates).

    A ``<script type="application/json" id="updates-strings">`` data block
    (allowed by the script-free CSP, core/security.py): for each plural
    category, the button's text and the announcement, with ``{count}`` where
    the number goes. The script keeps no English of its own (#15).
    """
    strings = {
        "show": {
            category: ngettext(
                "Show %(count)s new update", "Show %(count)s new updates", n
            )
            % {"count": "{count}"}
            for category, n in _PLURAL_SAMPLES.items()
        },
        "status": {
            category: _announcement(where, n) % {"count": "{count}"}
            for category, n in _PLURAL_SAMPLES.items()
        },
    }
    return format_html(
        '<script id="updates-strings" type="application/json">{}</script>',
        json_ld(strings),
    )
