from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from masthead.core.views import serve_media
from masthead.syndication.corrections import corrections_feed

# A database outage met in a middleware (the session, the signed-in user)
# answers 503 like one met in a view (#13).
handler500 = "masthead.cache.availability.server_error"

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("analytics/", include("masthead.analytics.urls")),
    # The mail provider's bounce and complaint reports (newsletters/webhooks.py).
    path("anymail/", include("masthead.newsletters.webhooks")),
    # Masthead's own Content and Admin API, and Ghost's at Ghost's paths (#18).
    path("api/", include("masthead.api.urls")),
    path("ghost/api/", include("masthead.api.ghost.urls")),
]

# Every public page once per edition: ``/news-feed/`` in the default one,
# ``/uk/news-feed/`` in Ukrainian (#15). The prefix alone picks the edition
# (core/editions.py); the admin, documents, the analytics beacon, robots.txt
# and media above and below stay unprefixed.
edition_patterns: list[URLPattern | URLResolver] = [
    # Authors, tags, the News Feed, search and corrections (web/urls.py).
    path("", include("masthead.web.urls")),
    path("corrections/feed/", corrections_feed, name="corrections-feed"),
    path("", include("masthead.syndication.urls")),
    # The member's account and sign-in (members/urls.py, #16).
    path("account/", include("masthead.members.urls")),
    # Newsletters: sign-up, archive, unsubscribe (newsletters/urls.py, #16).
    path("newsletters/", include("masthead.newsletters.urls")),
    # Memberships: tiers, joining, giving, webhooks (memberships/urls.py, #17).
    path("membership/", include("masthead.memberships.urls")),
    # Comments: ``comments/<article>/`` for every reader, ``account/comments/``
    # for the member (comments/urls.py).
    path("", include("masthead.comments.urls")),
]

if settings.MASTHEAD_SERVE_MEDIA:
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", serve_media, name="media"))

urlpatterns += i18n_patterns(
    *edition_patterns,
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# Missing pages are kept briefly by the caches (cache/missing.py, #13).
handler404 = "masthead.web.errors.page_not_found"
