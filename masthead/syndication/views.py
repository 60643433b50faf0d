"""Feeds, sitemaps and robots.txt: thin views over feeds.py and sitemaps.py."""

import hashlib
from typing import Any, cast

from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import Feed
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views import View
from django.views.decorators.http import require_safe

from masthead import cache
from masthead.cache import Profile, apply_profile
from masthead.cache.pages import site_context
from masthead.core.editions import edition_codes
from masthead.core.language import content_language

from .entries import FeedEntry, xml_text
from .feeds import FeedSource, feed_source, websub_hub
from .jsonfeed import JSON_FEED_CONTENT_TYPE, json_feed
from .scopes import FeedScope, ScopeKind, resolve_scope
from .sitemaps import NewsSitemap, edition_sitemaps

# Bump when the feeds' markup changes, so cached copies revalidate to 200.
FEED_FORMAT_VERSION = "1"


def scope_tags(scope: FeedScope) -> tuple[str, ...]:
    """The cache tags of a feed: the listing it follows (core/cache.py)."""
    if scope.kind == ScopeKind.SITE:
        return (cache.LATEST,)
    if scope.kind == ScopeKind.NEWS_FEED:
        return (cache.NEWSFEED,)
    return (cache.list_tag(scope.kind, scope.subject_id),)


class FeedView(View):
    """A feed of one scope with conditional GET and WebSub discovery.

    The ETag and Last-Modified come from one light query over the feed's
    items (``FeedScope.version``), so an unchanged feed is a 304 without the
    feed being built (NEWS-STANDARDS 8). The ``Link`` header names the feed
    itself and, when ``MASTHEAD_WEBSUB_HUB`` is set, its hub (WebSub 4).
    Query strings are ignored: the feed has no parameters.
    """

    http_method_names = ["get", "head"]
    kind: ScopeKind = ScopeKind.SITE
    # Quoted: not subscripted at run time (see sitemaps.py).
    feed: "Feed[FeedEntry, FeedSource] | None" = None

    def get(self, request: HttpRequest, slug: str = "") -> HttpResponse:
        scope = resolve_scope(request, self.kind, slug)
        self_url = request.build_absolute_uri(request.path)
        digest, changed_at = scope.version()
        etag = 'W/"{}"'.format(
            hashlib.blake2b(
                f"{FEED_FORMAT_VERSION}|{self_url}|{digest}".encode(), digest_size=16
            ).hexdigest()
        )
        last_modified = int(changed_at.timestamp()) if changed_at else None
        response = get_conditional_response(
            request, etag=etag, last_modified=last_modified
        )
        if response is None:
            cache.tag(request, *scope_tags(scope))
            response = self.render(request, scope, self_url)
        response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        links = [f'<{self_url}>; rel="self"']
        if hub := websub_hub():
            links.insert(0, f'<{hub}>; rel="hub"')
        response["Link"] = ", ".join(links)
        # Case: the News Feed stream moves as fast as its page; the rest as feeds.
        profile = Profile.LIVE if self.kind == ScopeKind.NEWS_FEED else Profile.FEED
        return apply_profile(response, profile)

    def render(
        self, request: HttpRequest, scope: FeedScope, self_url: str
    ) -> HttpResponse:
        if self.feed is None:
            raise ImproperlyConfigured("FeedView needs a feed (syndication/urls.py)")
        return self.feed(request, scope=scope)


class JsonFeedView(FeedView):
    """The JSON Feed 1.1 version of a scope's feed."""

    def render(
        self, request: HttpRequest, scope: FeedScope, self_url: str
    ) -> HttpResponse:
        document = json_feed(feed_source(request, scope), self_url)
        return JsonResponse(
            document,
            content_type=JSON_FEED_CONTENT_TYPE,
            json_dumps_params={"ensure_ascii": False},
        )


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """``/sitemap.xml``: every sitemap in ``SITEMAPS`` (a long one split into
    files of ``SITEMAP_LIMIT`` URLs) and the news sitemap, of the request's
    edition: ``/uk/sitemap.xml`` is the Ukrainian edition's (docs/editions.md)."""
    cache.tag(request, cache.SITEMAPS)
    response = sitemap_views.index(
        request, edition_sitemaps(), sitemap_url_name="syndication:sitemap-section"
    )
    # A TemplateResponse, not rendered yet: its context is still there.
    context = cast(dict[str, Any], response.context_data)
    context["sitemaps"].append(
        sitemap_views.SitemapIndexItem(
            request.build_absolute_uri(reverse("syndication:news-sitemap")),
            NewsSitemap().get_latest_lastmod(),  # type: ignore[arg-type]  # a datetime
        )
    )
    return apply_profile(response, Profile.FEED)


@require_safe
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One sitemap file; ``?p=`` picks a later file of a long one.

    An unknown section or a bad ``p`` is a 404 (Django's sitemap view).
    """
    cache.tag(request, cache.SITEMAPS)
    response = sitemap_views.sitemap(
        request,
        edition_sitemaps(),
        section=section,
        template_name="syndication/sitemap.xml",
    )
    return apply_profile(response, Profile.FEED)


def news_language(language_code: str) -> str:
    """The ISO 639 code Google News expects: ``en-gb`` is ``en``; Chinese
    keeps its script (``zh-cn``, ``zh-tw``)."""
    code = language_code.lower().replace("_", "-")
    if code.startswith("zh"):
        return "zh-tw" if code in {"zh-tw", "zh-hant", "zh-hk"} else "zh-cn"
    return code.split("-")[0]


@require_safe
def news_sitemap(request: HttpRequest) -> HttpResponse:
    """``/news-sitemap.xml``: the edition's last 48 hours, at most 1,000
    articles; ``news:language`` is the edition's (``/uk/news-sitemap.xml``)."""
    cache.tag(request, cache.SITEMAPS)
    urls = NewsSitemap().get_urls(
        site=get_current_site(request), protocol=request.scheme
    )
    publication_name = site_context(request)["site_settings"].publication_name
    context = {
        "articles": [
            {
                "location": url["location"],
                "title": xml_text(url["item"].title),
                "published_at": url["item"].published_at,
            }
            for url in urls
        ],
        "publication_name": xml_text(publication_name),
        "language": news_language(content_language(request)),
    }
    response = TemplateResponse(
        request,
        "syndication/news_sitemap.xml",
        context,
        content_type="application/xml; charset=utf-8",
    )
    response["X-Robots-Tag"] = "noindex"
    return apply_profile(response, Profile.FEED)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """``/robots.txt``: keep crawlers out of admin and search; name every
    edition's sitemap index and news sitemap (each edition has its own)."""
    editions = []
    for code in edition_codes():
        with translation.override(code):
            editions.append(
                {
                    "search_path": reverse("search:search"),
                    "sitemap_url": request.build_absolute_uri(
                        reverse("syndication:sitemap-index")
                    ),
                    "news_sitemap_url": request.build_absolute_uri(
                        reverse("syndication:news-sitemap")
                    ),
                }
            )
    context = {"editions": editions}
    response = TemplateResponse(
        request,
        "syndication/robots.txt",
        context,
        content_type="text/plain; charset=utf-8",
    )
    return apply_profile(response, Profile.FEED)
