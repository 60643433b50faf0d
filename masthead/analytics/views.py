from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from masthead.cache import Profile, apply_profile

from .services import record_view


@csrf_exempt  # An anonymous counter with no session state: nothing to forge.
@require_POST
def view_beacon(request: HttpRequest, article_id: int) -> HttpResponse:
    """Count one reader view, sent by ``navigator.sendBeacon`` after load.

    The page response never waits for this write (issue #2).
    """
    if article_id > 2**62:
        raise Http404("No such article")
    record_view(article_id, request.headers.get("User-Agent"))
    return apply_profile(HttpResponse(status=204), Profile.PRIVATE)
