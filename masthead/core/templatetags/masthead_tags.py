"""Formatting filters for public templates (format only, never query)."""

import json
from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

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
