"""Slugs a page under the home cannot take: a site route answers there first.

The site's own routes (``/account/``, ``/newsletters/``, ``/news-feed/``,
``/search/``…) are matched before Wagtail's page tree (masthead/urls.py), so
a section or standard page with one of their slugs would be saved and then
never shown. Asking the URL resolver, rather than keeping a list, keeps the
check true as routes are added.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# The name of Wagtail's catch-all page view (wagtail/urls.py).
_PAGE_VIEW = "wagtail_serve"


def check_top_level_slug(slug: str) -> None:
    """Raise a ``ValidationError`` on ``slug`` when a site route owns ``/<slug>/``.

    Every edition has the same routes under its prefix, so resolving in the
    default edition answers for all of them.
    """
    if not slug:
        return
    with translation.override(settings.LANGUAGE_CODE):
        try:
            match = resolve(f"/{slug}/")
        except Resolver404:
            return
    if match.url_name != _PAGE_VIEW:
        raise ValidationError(
            {
                "slug": _(
                    "The address /%(slug)s/ belongs to the site itself; "
                    "choose another slug."
                )
                % {"slug": slug}
            }
        )
