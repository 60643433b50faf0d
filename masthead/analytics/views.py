from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from masthead.cache import Profile, apply_profile, limits
from masthead.core.clients import client_address, client_bucket

from .services import is_valid_beacon_token, record_view

# The beacon's limits count per minute (MASTHEAD_BEACON_*_LIMIT).
LIMIT_WINDOW = 60


@csrf_exempt  # An anonymous counter with no session state: nothing to forge.
@require_POST
def view_beacon(request: HttpRequest, article_id: int) -> HttpResponse:
    """Count one reader view, sent by ``navigator.sendBeacon`` after load.

    The page response never waits for this write (issue #2). A flood costs
    the database nothing (#13): another site's pages may not count views,
    and past its limits a client gets 429 before any query.

    Against scripted counts (#14): the POST must carry the page-load token
    of this article's page (``services.beacon_token``), so a script has to
    fetch the article before each burst and cannot count articles it never
    loaded, nor reuse a token for long; and each visitor (address behind
    the trusted proxies, User-Agent) counts once per article and day.
    """
    if article_id > 2**62:
        raise Http404("No such article")
    if is_cross_origin(request):
        # Case: posted from another site's page; it counts nothing.
        return apply_profile(HttpResponse(status=403), Profile.PRIVATE)
    client = client_bucket(request.META)
    over_client = (
        limits.count(f"beacon:{client}", LIMIT_WINDOW)
        > settings.MASTHEAD_BEACON_CLIENT_LIMIT
    )
    if over_client or (
        limits.count(f"beacon:{client}:{article_id}", LIMIT_WINDOW)
        > settings.MASTHEAD_BEACON_ARTICLE_LIMIT
    ):
        # Case: past a limit: answered from memory, no query, no write.
        refused = HttpResponse(status=429)
        refused["Retry-After"] = str(LIMIT_WINDOW)
        return apply_profile(refused, Profile.PRIVATE)
    if not is_valid_beacon_token(request.POST.get("token", ""), article_id):
        # Case: no token from this article's page in the last hours: a script
        # posting blind, or a token carried over from another article.
        return apply_profile(HttpResponse(status=400), Profile.PRIVATE)
    record_view(
        article_id,
        request.headers.get("User-Agent"),
        address=client_address(request.META),
    )
    return apply_profile(HttpResponse(status=204), Profile.PRIVATE)


def is_cross_origin(request: HttpRequest) -> bool:
    """Whether a browser says this POST comes from another site's page.

    Browsers send ``Sec-Fetch-Site`` with every request and ``Origin`` with
    every POST; the beacon's own page sends ``same-origin`` and its own
    origin. A request with neither comes from no browser: anything that
    can send it could forge them too, so the limits bound it instead.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site != "same-origin"
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    # "null" (a sandboxed frame, a file) has no host and is refused too.
    return urlsplit(origin).netloc.lower() != request.get_host().lower()
