"""The 404 and 410 pages in the site's layout: header, logo, search, footer (#14).

A reader who lands on a missing page keeps the way back: the site's header
with its search form and the footer's links. The chrome comes from
``site_context`` (kept per process until a purge), so an error page costs no
query once a page has been shown. When the site cannot be read (the
database is down and nothing is kept yet) the page is still answered, in
``errors/plain.html``, with its status: an error page that fails would turn
a 404 into a 500.
"""

import logging

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy

from masthead.cache.pages import site_context

logger = logging.getLogger(__name__)

PLAIN_TEMPLATE = "errors/plain.html"
# status: (template in the site's layout, its message, its title)
ERROR_PAGES = {
    404: ("404.html", "errors/404_message.html", gettext_lazy("Page not found")),
    410: (
        "410.html",
        "errors/410_message.html",
        gettext_lazy("This article has been removed"),
    ),
}


def render_error_page(request: HttpRequest, status: int) -> HttpResponse:
    """The error page for ``status`` (404 or 410) in the site's layout.

    The caller picks the cache profile, as for any page.
    """
    template, message_template, title = ERROR_PAGES[status]
    try:
        body = render_to_string(template, site_context(request), request)
    except DatabaseError:
        # Case: the site's settings cannot be read; answer without them.
        logger.warning("error page %s without the site layout", status, exc_info=True)
        body = render_to_string(
            PLAIN_TEMPLATE, {"title": title, "message_template": message_template}
        )
    return HttpResponse(body, status=status)
