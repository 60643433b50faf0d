"""The language switcher in the kept header (web/editions.py)."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from masthead.web.editions import with_language_switcher as fill_slot

register = template.Library()


@register.filter
def with_language_switcher(header_html: str, links: Any) -> SafeString:
    """``{{ site_header_html|with_language_switcher:edition_links }}``: the
    header kept per edition, with this page's switcher in its slot."""
    return fill_slot(header_html, links)
