"""The view beacon's page-load token for article templates (issue #14)."""

from django import template

from ..services import beacon_token as make_token

register = template.Library()


@register.simple_tag
def beacon_token(article_id: int) -> str:
    """The token ``beacon.js`` posts with the view of article ``article_id``."""
    return make_token(article_id)
