from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from masthead.core.views import serve_media
from masthead.syndication.corrections import corrections_feed

# A database outage met in a middleware (the session, the signed-in user)
# answers 503 like one met in a view (#13).
handler500 = "masthead.cache.availability.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("analytics/", include("masthead.analytics.urls")),
    # Authors, tags, the News Feed, search and corrections (web/urls.py).
    path("", include("masthead.web.urls")),
    path("corrections/feed/", corrections_feed, name="corrections-feed"),
    path("", include("masthead.syndication.urls")),
]

if settings.MASTHEAD_SERVE_MEDIA:
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", serve_media, name="media"))

urlpatterns.append(path("", include(wagtail_urls)))

# Missing pages are kept briefly by the caches (cache/missing.py, #13).
handler404 = "masthead.web.errors.page_not_found"
