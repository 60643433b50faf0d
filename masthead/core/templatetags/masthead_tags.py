"""Formatting filters for public templates (format only, never query)."""

from datetime import datetime

from django import template
from django.utils import timezone

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
