"""Public pages: their Cache-Control, their site and root paths, kept per process."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.http.response import HttpResponseBase
from django.template.loader import get_template
from django.utils import translation
from django.utils.cache import patch_vary_headers
from wagtail.models import PageViewRestriction, Site

from masthead.core import compat
from masthead.core.models import SiteSettings

from .kept import kept_until_purge
from .policy import Profile, apply_profile, is_access_variant, is_by_access
from .tags import image_tag, tag

# The mixin is only ever mixed into pages: type-check it as one.
if TYPE_CHECKING:
    from wagtail.models import Page as _PageBase

    from masthead.core.models import LibraryImage
else:
    _PageBase = object


# Page type -> the function that builds its template context (web/apps.py).
_PAGE_CONTEXTS: dict[type, Callable[[HttpRequest, Any], dict[str, Any]]] = {}


def register_page_context(
    page_type: type, builder: Callable[[HttpRequest, Any], dict[str, Any]]
) -> None:
    """Build ``page_type``'s template context with ``builder(request, page)``."""
    _PAGE_CONTEXTS[page_type] = builder


# What the header and footer show beyond the site settings (web/apps.py).
ChromeBuilder = Callable[[Site | None, SiteSettings], dict[str, Any]]
_CHROME_CONTEXTS: list[ChromeBuilder] = []


def register_chrome_context(builder: ChromeBuilder) -> None:
    """Add ``builder(site, site_settings)`` to every page's header and footer.

    Its result is kept with the site's chrome until the next purge
    (``site_context``), so what it reads must purge ``site`` when it changes.
    """
    if builder not in _CHROME_CONTEXTS:
        _CHROME_CONTEXTS.append(builder)


class PublicPageMixin(_PageBase):
    """Serve Wagtail pages with the right Cache-Control profile.

    Published pages may be cached by shared caches; previews of drafts never
    may (``request.is_preview`` is set by Wagtail's preview views).
    """

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        """Wagtail's context plus what the web layer builds for this page type.

        The builders live above content (web/context.py) and are registered
        by ``web/apps.py``, so page models never import their presentation.
        """
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        builder = _PAGE_CONTEXTS.get(type(self))
        if builder is not None:
            context.update(builder(request, self))
        return context

    def get_view_restrictions(self) -> Any:
        """Wagtail's privacy check, with no query while no page is private.

        Wagtail asks on every request (two queries: the ancestors, then
        their restrictions). A news site rarely restricts any page, so
        whether any restriction exists is kept until a purge; adding or
        removing one purges (core/signals.py).
        """
        any_restriction = kept_until_purge(
            "any-view-restriction", None, PageViewRestriction.objects.exists
        )
        if not any_restriction:
            # Case: no page anywhere is private.
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    # compat.SITE_ROOT_PATHS_METHOD: Wagtail's private hook, checked in
    # core/tests/test_compat.py.
    def _get_site_root_paths(
        self, cache_object: object | None = None, **kwargs: Any
    ) -> Any:
        """Wagtail's site root paths, kept per process (``site_root_paths``).

        Without a request, ``page.url`` in a template asks Wagtail's cache
        for them on every call and unpickles the answer: about 90 us, 6
        times per front page, a tenth of its render (#5).
        """
        if cache_object is None and not kwargs:
            return site_root_paths()
        return super()._get_site_root_paths(cache_object, **kwargs)

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().serve(request, *args, **kwargs)
        if is_by_access(request):
            # Case: a gated article (#17): a browser that kept the preview
            # must not show it again once an access pass is in its cookies.
            patch_vary_headers(response, ("Cookie",))
        if getattr(request, "is_preview", False):
            # Case: a draft shown to its editor; never stored anywhere.
            return apply_profile(response, Profile.PRIVATE)
        if self.get_view_restrictions():
            # Case: a private page shown to a reader who passed its password,
            # sign-in or group check; for them alone.
            return apply_profile(response, Profile.PRIVATE)
        if is_access_variant(request):
            # Case: a gated article in full for the reader's access pass.
            return apply_profile(response, Profile.ACCESS_VARIANT)
        # Case: the published page, the same for every reader.
        return apply_profile(response, self.public_profile())

    def public_profile(self) -> Profile:
        """The profile of the published page; open live pages pick ``LIVE``."""
        return Profile.PUBLIC


def kept_image(image_id: int | None) -> "LibraryImage | None":
    """Library image ``image_id`` with its renditions, kept until a purge.

    Bylines, author boxes and heroes show the same few images on page after
    page; each edit of an image purges its tag (core/signals.py), so the
    kept copy never outlives a change. None for no image.
    """
    from masthead.core.models import LibraryImage

    if not image_id:
        return None
    image: LibraryImage | None = kept_until_purge(
        "image",
        image_id,
        lambda: (
            LibraryImage.objects.prefetch_related("renditions")
            .filter(pk=image_id)
            .first()
        ),
    )
    return image


def site_for_request(request: HttpRequest) -> Site | None:
    """The Wagtail site answering ``request``, kept per process until a purge.

    Wagtail looks the site up on every request (a query with a CASE
    ordering, about 2 ms) and then its root page (one more). Sites change
    rarely and each change purges (core/signals.py), so the site with its
    root page is kept (``kept_until_purge``) and handed to Wagtail through
    the attribute its own ``Site.find_for_request`` caches it in.
    """
    known, site = compat.remembered_site(request)
    if known:
        return site
    # The same hostname and port Wagtail's own lookup uses.
    hostname = split_domain_port(request.get_host())[0]
    port = request.get_port()

    def load() -> Site | None:
        site = compat.find_site(request)
        if site is not None:
            # The specific home page itself, so its ``localized`` (the
            # request's edition's home, kept) answers Wagtail's routing (#15).
            site.root_page = site.root_page.specific
        return site

    site = kept_until_purge("site", (hostname, port), load)
    compat.remember_site(request, site, site_root_paths())
    return site


def site_root_paths() -> list[Any]:
    """``Site.get_site_root_paths()``, kept per process until a purge.

    They change only with a site (an edit purges ``site``) or with a root
    page's path (its publish purges); every page link is built from them.
    """
    paths: list[Any] = kept_until_purge(
        "site-root-paths", None, Site.get_site_root_paths
    )
    return paths


class SiteMiddleware:
    """Find the request's Wagtail site from the kept copy (cache/pages.py).

    ``request.get_host()`` checks ALLOWED_HOSTS first: a request for an
    unknown host is a 400 before any lookup.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        site_for_request(request)
        return self.get_response(request)


def site_context(request: HttpRequest) -> dict[str, Any]:
    """The publication's identity, and the header and footer built from it.

    Kept per process until the next purge (``cache.kept_until_purge``):
    every page shows it and every change to it purges ``site``.
    """
    site = site_for_request(request)

    def load() -> dict[str, Any]:
        site_settings = (
            SiteSettings.objects.select_related("logo", "short_logo")
            .filter(site=site)
            .first()
        ) or SiteSettings(site=site)
        chrome: dict[str, Any] = {"site_settings": site_settings}
        for builder in _CHROME_CONTEXTS:
            chrome.update(builder(site, site_settings))
        return {
            **chrome,
            "site_header_html": get_template("components/site_header.html").render(
                chrome
            ),
            "site_footer_html": get_template("components/site_footer.html").render(
                chrome
            ),
        }

    # Per edition too: the menu, the links and the home page differ (#15).
    key = (site.pk if site is not None else None, translation.get_language())
    kept = kept_until_purge("site-chrome", key, load)
    site_settings = kept["site_settings"]
    tag(
        request,
        image_tag(site_settings.logo_id),
        image_tag(site_settings.short_logo_id),
    )
    return dict(kept)
